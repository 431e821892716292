//! Text fragments (`#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`, WICG
//! syntax) read from a cited URL. Each directive becomes a quote of that source.

use crate::text::{query, FragmentQuery};

/// One parsed `text=` directive, terms percent-decoded but not normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFragment {
    /// Text right before the match.
    pub prefix: Option<String>,
    /// The match, or the start of a range.
    pub start: String,
    /// The end of a range.
    pub end: Option<String>,
    /// Text right after the match.
    pub suffix: Option<String>,
}

impl TextFragment {
    /// How the fragment reads as a quote in reports: the matched text, with
    /// `…` standing for the middle of a range.
    pub fn display(&self) -> String {
        match &self.end {
            Some(end) => format!("{} … {}", self.start, end),
            None => self.start.clone(),
        }
    }

    /// The normalised query to run against a source's text.
    pub fn query(&self) -> FragmentQuery {
        FragmentQuery {
            prefix: self.prefix.as_deref().map(query),
            start: query(&self.start),
            end: self.end.as_deref().map(query),
            suffix: self.suffix.as_deref().map(query),
        }
    }
}

/// Splits a cited URL into the URL to fetch (everything before `#`) and its fragment.
pub fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((base, frag)) => (base, Some(frag)),
        None => (url, None),
    }
}

/// Percent-decodes `s` as UTF-8.
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-escape at \"{}\"", s[i..].chars().take(3).collect::<String>()))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-escapes that are not UTF-8".to_string())
}

/// Parses the text directives of a URL fragment. Other directives and plain
/// element ids are ignored, as browsers do; a malformed `text=` is an error.
pub fn parse_fragment(fragment: &str) -> Result<Vec<TextFragment>, String> {
    let Some((_, directives)) = fragment.split_once(":~:") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for directive in directives.split('&') {
        let Some(value) = directive.strip_prefix("text=") else {
            continue;
        };
        let mut terms: Vec<&str> = value.split(',').collect();
        if terms.is_empty() || terms.len() > 4 {
            return Err(format!("text fragment \"{value}\" has {} parts; at most 4 are allowed", terms.len()));
        }
        let mut prefix = None;
        let mut suffix = None;
        if terms.len() > 1 {
            if let Some(p) = terms[0].strip_suffix('-') {
                prefix = Some(p);
                terms.remove(0);
            }
        }
        if terms.len() > 1 {
            if let Some(s) = terms[terms.len() - 1].strip_prefix('-') {
                suffix = Some(s);
                terms.pop();
            }
        }
        if terms.is_empty() || terms.len() > 2 {
            return Err(format!("text fragment \"{value}\" is not [prefix-,]start[,end][,-suffix]"));
        }
        let decode = |t: &str| -> Result<String, String> {
            let d = percent_decode(t)?;
            if d.trim().is_empty() {
                Err(format!("text fragment \"{value}\" has an empty term"))
            } else {
                Ok(d)
            }
        };
        out.push(TextFragment {
            prefix: prefix.map(decode).transpose()?,
            start: decode(terms[0])?,
            end: terms.get(1).map(|t| decode(t)).transpose()?,
            suffix: suffix.map(decode).transpose()?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_forms() {
        let f = parse_fragment(":~:text=401%2C850").unwrap();
        assert_eq!(f[0].start, "401,850");
        assert!(f[0].prefix.is_none() && f[0].end.is_none());
        let f = parse_fragment("top:~:text=killed-,35%20people,-in%20Moura&text=a,b&other=x").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].prefix.as_deref(), Some("killed"));
        assert_eq!(f[0].start, "35 people");
        assert_eq!(f[0].suffix.as_deref(), Some("in Moura"));
        assert_eq!(f[1].end.as_deref(), Some("b"));
        assert_eq!(f[1].display(), "a … b");
        assert!(parse_fragment("section-2").unwrap().is_empty());
        assert!(parse_fragment(":~:text=").is_err());
        assert!(parse_fragment(":~:text=%E2%80").is_err());
        assert!(parse_fragment(":~:text=%é").is_err());
        let f = parse_fragment(":~:text=the%20year%20ended.").unwrap();
        assert_eq!(f[0].start, "the year ended.");
    }
}
