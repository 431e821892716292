//! HTTP statuses counted as fine (`accept`, as in lychee): codes and ranges
//! written `200..=299, 403`, `200..300`, `..=204` or `500..`.

use std::ops::RangeInclusive;

/// A set of HTTP status codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet(Vec<RangeInclusive<u16>>);

impl Default for StatusSet {
    /// 2xx, the statuses fine without any `accept`.
    fn default() -> StatusSet {
        StatusSet(vec![200..=299])
    }
}

impl StatusSet {
    /// Parses a comma-separated list of codes and ranges.
    pub fn parse(text: &str) -> Result<StatusSet, String> {
        let code = |s: &str, dflt: u16| -> Result<u16, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(dflt);
            }
            match s.parse::<u16>() {
                Ok(c) if (100..=999).contains(&c) => Ok(c),
                _ => Err(format!("\"{s}\" is not an HTTP status code (100 to 999)")),
            }
        };
        let mut out = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let range = if let Some((a, b)) = item.split_once("..=") {
                code(a, 100)?..=code(b, 999)?
            } else if let Some((a, b)) = item.split_once("..") {
                let end = code(b, 1000)?;
                code(a, 100)?..=end.saturating_sub(1)
            } else {
                let c = code(item, 0)?;
                c..=c
            };
            if range.is_empty() {
                return Err(format!("\"{item}\" is an empty range"));
            }
            out.push(range);
        }
        if out.is_empty() {
            return Err("no status codes given; write them as \"200..=299, 403\"".into());
        }
        Ok(StatusSet(out))
    }

    /// Whether `status` is in the set.
    pub fn contains(&self, status: u16) -> bool {
        self.0.iter().any(|r| r.contains(&status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_ranges() {
        let s = StatusSet::parse("200..=299, 403, 500..502").unwrap();
        assert!(s.contains(200) && s.contains(299) && s.contains(403) && s.contains(501));
        assert!(!s.contains(404) && !s.contains(502) && !s.contains(300));
        let open = StatusSet::parse("..=204, 900..").unwrap();
        assert!(open.contains(100) && open.contains(204) && open.contains(999) && !open.contains(205));
        assert!(StatusSet::parse("200, abc").unwrap_err().contains("\"abc\""));
        assert!(StatusSet::parse("300..=200").is_err());
        assert!(StatusSet::parse(" , ").is_err());
        assert!(StatusSet::parse("70").is_err());
        assert!(StatusSet::default().contains(204) && !StatusSet::default().contains(301));
    }
}
