//! Stage 2a: plan. The claims become the list of distinct URLs to fetch, each
//! with the claims that cite it. A URL cited by ten claims is fetched once.

use crate::claims::Factsheet;
use std::collections::HashMap;

/// Where a source is cited: factsheet, claim and cite indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CiteRef {
    /// Index of the factsheet.
    pub factsheet: usize,
    /// Index of the claim in its factsheet.
    pub claim: usize,
    /// Index of the cite in the claim.
    pub cite: usize,
}

/// One distinct URL to fetch.
#[derive(Debug, Clone)]
pub struct PlannedSource {
    /// The URL as written, less the fragment: the key in the store and the JSON.
    pub key: String,
    /// The parsed URL to fetch.
    pub url: url::Url,
    /// Every place it is cited, in file order.
    pub cites: Vec<CiteRef>,
    /// The CSS selector narrowing its watched text (the first one given).
    pub selector: Option<String>,
    /// Ignore patterns of all its cites.
    pub ignore: Vec<String>,
    /// A known archived copy (the first one given).
    pub archived: Option<String>,
}

/// Builds the plan: distinct URLs in first-cited order.
pub fn build(factsheets: &[Factsheet]) -> Vec<PlannedSource> {
    let mut out: Vec<PlannedSource> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (fi, fs) in factsheets.iter().enumerate() {
        for (ci, claim) in fs.claims.iter().enumerate() {
            for (si, cite) in claim.sources.iter().enumerate() {
                let key = cite.key().to_string();
                let at = *index.entry(key.clone()).or_insert_with(|| {
                    out.push(PlannedSource {
                        url: url::Url::parse(&key).expect("claims are validated before planning"),
                        key,
                        cites: Vec::new(),
                        selector: None,
                        ignore: Vec::new(),
                        archived: None,
                    });
                    out.len() - 1
                });
                let p = &mut out[at];
                p.cites.push(CiteRef { factsheet: fi, claim: ci, cite: si });
                if p.selector.is_none() {
                    p.selector = cite.selector.clone();
                }
                if p.archived.is_none() {
                    p.archived = cite.archived.clone();
                }
                for i in &cite.ignore {
                    if !p.ignore.contains(i) {
                        p.ignore.push(i.clone());
                    }
                }
            }
        }
    }
    // A run holds the plan to its end: no room to spare.
    out.shrink_to_fit();
    for p in &mut out {
        p.cites.shrink_to_fit();
    }
    out
}

/// A source left out by an `exclude` pattern: never fetched, never judged,
/// listed in the run's document as `excluded`.
#[derive(Debug, Clone)]
pub struct Excluded {
    /// The URL as written, less the fragment.
    pub key: String,
    /// Every place it is cited.
    pub cites: Vec<CiteRef>,
    /// The pattern that matched it.
    pub pattern: String,
}

/// Splits off the sources whose cited URL matches one of `patterns`
/// (regular expressions, as lychee's `exclude`).
pub fn exclude(plan: Vec<PlannedSource>, patterns: &[regex::Regex]) -> (Vec<PlannedSource>, Vec<Excluded>) {
    if patterns.is_empty() {
        return (plan, Vec::new());
    }
    let mut kept = Vec::with_capacity(plan.len());
    let mut excluded = Vec::new();
    for p in plan {
        match patterns.iter().find(|re| re.is_match(&p.key)) {
            Some(re) => excluded.push(Excluded { key: p.key, cites: p.cites, pattern: re.as_str().to_string() }),
            None => kept.push(p),
        }
    }
    (kept, excluded)
}

/// A rewrite of the URLs fetched (not of the URLs reported): `PATTERN
/// REPLACEMENT`, a regular expression and its replacement with `$1`-style
/// groups, as in lychee's `--remap`. For mirrors, staging copies and tests.
#[derive(Debug, Clone)]
pub struct Remap {
    pattern: regex::Regex,
    replacement: String,
}

impl Remap {
    /// Parses `PATTERN REPLACEMENT`.
    pub fn parse(rule: &str) -> Result<Remap, String> {
        let (pattern, replacement) = rule
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("remap \"{rule}\" must be \"PATTERN REPLACEMENT\""))?;
        let pattern = regex::Regex::new(pattern).map_err(|e| format!("remap pattern \"{pattern}\": {e}"))?;
        Ok(Remap { pattern, replacement: replacement.trim().to_string() })
    }
}

/// Applies the first matching rule to each source's fetched URL.
pub fn remap(plan: &mut [PlannedSource], rules: &[Remap]) -> Result<(), String> {
    for p in plan.iter_mut() {
        if let Some(rule) = rules.iter().find(|r| r.pattern.is_match(&p.key)) {
            let to = rule.pattern.replace(&p.key, rule.replacement.as_str());
            p.url = url::Url::parse(&to).map_err(|e| format!("remap of {} gives \"{to}\", not a URL: {e}", p.key))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn one_entry_per_url_less_fragment() {
        let text = r#"
[factsheet]
id = "f"
title = "F"
[[claim]]
id = "a"
text = "A"
sources = ["https://x.org/r#:~:text=one", "https://y.org/"]
[[claim]]
id = "b"
text = "B"
sources = [{ url = "https://x.org/r#:~:text=two", selector = "main" }]
"#;
        let (fs, _) = crate::claims::parse_str(Path::new("f.toml"), text).unwrap();
        let plan = build(&[fs]);
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].key, "https://x.org/r");
        assert_eq!(plan[0].cites.len(), 2);
        assert_eq!(plan[0].selector.as_deref(), Some("main"));
        assert_eq!(plan[1].key, "https://y.org/");
        let mut plan = plan;
        remap(&mut plan, &[Remap::parse(r"^https://x\.org/(.*) http://127.0.0.1:9/x/$1").unwrap()]).unwrap();
        assert_eq!(plan[0].url.as_str(), "http://127.0.0.1:9/x/r");
        assert_eq!(plan[0].key, "https://x.org/r");
        assert_eq!(plan[1].url.as_str(), "https://y.org/");
        assert!(Remap::parse("nospace").is_err());
        let (kept, out) = exclude(plan, &[regex::Regex::new(r"^https://y\.org/").unwrap()]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].key, "https://x.org/r");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].key, "https://y.org/");
        assert_eq!(out[0].cites, vec![CiteRef { factsheet: 0, claim: 0, cite: 1 }]);
    }
}
