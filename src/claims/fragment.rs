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
    /// Why browsers would not apply the directive though it parses here
    /// (a raw `-` inside a term), for a warning.
    pub unapplied: Option<String>,
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

/// Percent-decodes `s` as UTF-8. Browsers refuse a directive with a bad
/// escape, so this does too.
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    format!("bad percent-escape at \"{}\" (write % as %25)", s[i..].chars().take(3).collect::<String>())
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-escapes that are not UTF-8".to_string())
}

/// Parses one `text=` value as the spec's "parse a text directive" does,
/// saying why it is not one.
fn parse_directive(value: &str) -> Result<TextFragment, String> {
    let shape = "write [prefix-,]start[,end][,-suffix]";
    let mut terms: Vec<&str> = value.split(',').collect();
    if terms.len() > 4 {
        return Err(format!("text fragment \"{value}\" has {} parts; at most 4 are allowed ({shape})", terms.len()));
    }
    let mut prefix = None;
    let mut suffix = None;
    if let Some(p) = terms[0].strip_suffix('-') {
        prefix = Some(p);
        terms.remove(0);
        if terms.is_empty() {
            return Err(format!("text fragment \"{value}\" is a prefix alone, with no text to match ({shape})"));
        }
    }
    if let Some(x) = terms.last().and_then(|t| t.strip_prefix('-')) {
        suffix = Some(x);
        terms.pop();
        if terms.is_empty() {
            return Err(format!("text fragment \"{value}\" is a suffix alone, with no text to match ({shape})"));
        }
    }
    if terms.len() > 2 {
        return Err(format!(
            "text fragment \"{value}\" has {} terms between its context terms; at most 2 (start and end) are allowed ({shape}; a prefix ends with '-', a suffix starts with '-')",
            terms.len()
        ));
    }
    for t in prefix.iter().chain(&terms).chain(suffix.iter()) {
        if t.is_empty() {
            return Err(format!("text fragment \"{value}\" has an empty term ({shape})"));
        }
    }
    // Browsers ignore such a directive; its words are still checked as a quote.
    let unapplied =
        prefix.iter().chain(&terms).chain(suffix.iter()).find(|t| t.contains('-')).map(|t| {
            format!("browsers ignore this text fragment: the term \"{t}\" has a '-' that must be written %2D")
        });
    let decode = |t: &str| -> Result<String, String> {
        let d = percent_decode(t)?;
        if d.trim().is_empty() {
            Err(format!("text fragment \"{value}\" has a term of spaces only"))
        } else {
            Ok(d)
        }
    };
    Ok(TextFragment {
        prefix: prefix.map(decode).transpose()?,
        start: decode(terms[0])?,
        end: terms.get(1).map(|t| decode(t)).transpose()?,
        suffix: suffix.map(decode).transpose()?,
        unapplied,
    })
}

/// Parses the text directives of a URL fragment. Other directives (and
/// `TEXT=`: names are case-sensitive) and plain element ids are ignored, as
/// browsers do; a `text=` that browsers would not apply is an error.
pub fn parse_fragment(fragment: &str) -> Result<Vec<TextFragment>, String> {
    let Some((_, directives)) = fragment.split_once(":~:") else {
        return Ok(Vec::new());
    };
    directives.split('&').filter_map(|d| d.strip_prefix("text=")).map(parse_directive).collect()
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
        assert!(parse_fragment(":~:text=50%").is_err());
        // A "%" without two hex digits is invalid, as browsers have it.
        for bad in [":~:text=%", ":~:text=%%", ":~:text=%F", ":~:text=%G0"] {
            assert!(parse_fragment(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_fragment(":~:text=%25F").unwrap()[0].start, "%F");
        assert_eq!(parse_fragment(":~:text=%25%25F").unwrap()[0].start, "%%F");
        assert_eq!(parse_fragment(":~:text=%E2%9C%85").unwrap()[0].start, "\u{2705}");
        assert_eq!(parse_fragment(":~:text=50%25").unwrap()[0].start, "50%");
        assert_eq!(parse_fragment(":~:text=%26%2C%2D").unwrap()[0].start, "&,-");
        // A raw '-' inside a term: browsers ignore the directive, the words are still checked.
        let f = parse_fragment(":~:text=Law%202021-028,-of%20March").unwrap();
        assert_eq!((f[0].start.as_str(), f[0].suffix.as_deref()), ("Law 2021-028", Some("of March")));
        assert!(f[0].unapplied.as_deref().unwrap().contains("%2D"));
        assert!(parse_fragment(":~:text=a%2Db").unwrap()[0].unapplied.is_none());
        let f = parse_fragment(":~:text=the%20year%20ended.").unwrap();
        assert_eq!(f[0].start, "the year ended.");
        let f = parse_fragment(":~:TEXT=test&directive&text=ju-,mped").unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].prefix.as_deref(), f[0].start.as_str()), (Some("ju"), "mped"));
    }

    #[test]
    fn refuses_what_browsers_would_not_apply() {
        for bad in [
            ":~:text=foo-",
            ":~:text=-foo",
            ":~:text=foo-,-bar",
            ":~:text=this,is,test,page",
            ":~:text=a,b,c",
            ":~:text=,,,,,",
            ":~:text=a,,b",
            ":~:text=-,b",
            ":~:text=a,-",
            ":~:text=%20",
            "x:~:text=ok&text=foo-",
        ] {
            assert!(parse_fragment(bad).is_err(), "{bad}");
        }
        assert!(parse_fragment(":~:text=foo-").unwrap_err().contains("prefix alone"));
        assert!(parse_fragment(":~:text=-foo").unwrap_err().contains("suffix alone"));
    }
}
