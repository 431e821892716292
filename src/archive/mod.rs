//! Archived copies: for a dead source, the Wayback Machine capture closest
//! before the factsheet was published (then Memento TimeGates), read in its
//! original form and checked for the claim's quotes and figures; saving
//! sources before publication (Save Page Now).
//!
//! This file holds the pure parts (the CDX answer, the choice of a capture,
//! archive addresses and times, the words of a suggestion); `client` talks to
//! the archives, `rescue` is the stage of `check` and the `archive` command,
//! `edit` writes `archived = "…"` into claims files.

pub mod client;
pub mod command;
pub mod edit;
pub mod rescue;

use crate::report::model::QuoteReport;
use std::time::Duration;

/// When `check` looks archived copies up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Only for broken sources (the default).
    Broken,
    /// For every source.
    All,
    /// Never (a copy cited in the claims file is still read).
    Never,
}

impl Lookup {
    /// Parses `broken`, `all` or `never`.
    pub fn parse(s: &str) -> Option<Lookup> {
        match s {
            "broken" => Some(Lookup::Broken),
            "all" => Some(Lookup::All),
            "never" => Some(Lookup::Never),
            _ => None,
        }
    }
}

/// Where archives are and how to talk to them.
#[derive(Debug, Clone)]
pub struct ArchiveConfig {
    /// The Wayback Machine's base URL, without a trailing slash.
    pub wayback: String,
    /// When `check` looks up.
    pub lookup: Lookup,
    /// Memento TimeGates tried after the Wayback Machine.
    pub memento: Vec<String>,
    /// Time-out of one archive request.
    pub timeout: Duration,
    /// Everything archive work may take in one run; past it, look-ups are
    /// left for the next run (the reason says so).
    pub budget: Duration,
    /// User-Agent header.
    pub user_agent: String,
    /// Largest body read from an archive.
    pub max_body: u64,
    /// Save Page Now keys (`LOW access:secret`).
    pub keys: Option<(String, String)>,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

/// The default Wayback Machine.
pub const WAYBACK: &str = "https://web.archive.org";

/// The environment variable naming the Wayback Machine when `citewatch.toml` does not.
pub const WAYBACK_VAR: &str = "CITEWATCH_WAYBACK";

/// The environment variables holding the Save Page Now keys, first found wins.
pub const KEY_VARS: [(&str, &str); 2] =
    [("CITEWATCH_ARCHIVE_ACCESS_KEY", "CITEWATCH_ARCHIVE_SECRET_KEY"), ("IA_ACCESS_KEY_ID", "IA_SECRET_ACCESS_KEY")];

/// Save Page Now keys from the environment.
pub fn keys_from_env() -> Option<(String, String)> {
    KEY_VARS.iter().find_map(|(a, s)| {
        let a = std::env::var(a).ok().filter(|v| !v.trim().is_empty())?;
        let s = std::env::var(s).ok().filter(|v| !v.trim().is_empty())?;
        Some((a.trim().to_string(), s.trim().to_string()))
    })
}

impl ArchiveConfig {
    /// The configuration from `[archive]`, with the check's time-out, User-Agent and body cap.
    pub fn from_config(
        c: &crate::config::ArchiveDefaults,
        timeout: Duration,
        user_agent: &str,
        max_body: u64,
    ) -> ArchiveConfig {
        let timeout = c.timeout.filter(|t| *t > 0.0 && t.is_finite()).map(Duration::from_secs_f64).unwrap_or(timeout);
        ArchiveConfig {
            wayback: c
                .wayback
                .clone()
                .or_else(|| std::env::var(WAYBACK_VAR).ok().filter(|v| v.starts_with("http")))
                .unwrap_or_else(|| WAYBACK.to_string())
                .trim_end_matches('/')
                .to_string(),
            lookup: c.lookup.as_deref().and_then(Lookup::parse).unwrap_or(Lookup::Broken),
            memento: c.memento.clone(),
            timeout,
            budget: (timeout * 6).clamp(Duration::from_secs(30), Duration::from_secs(180)),
            user_agent: user_agent.to_string(),
            max_body,
            keys: keys_from_env(),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// One capture of a URL, as an archive lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Which archive (its host).
    pub archive: String,
    /// The address people cite (the replay page).
    pub copy_url: String,
    /// Where its original bytes are read (no banner, no rewritten links).
    pub raw_url: String,
    /// 14-digit UTC time `YYYYMMDDhhmmss`.
    pub timestamp: String,
    /// The status the archive recorded.
    pub status: Option<u16>,
}

/// One line of a CDX answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxRow {
    pub timestamp: String,
    pub original: String,
    pub status: Option<u16>,
}

/// Reads a CDX answer in `output=json` form: an array of rows, the first
/// naming the fields (`["urlkey","timestamp","original","mimetype",
/// "statuscode","digest","length"]`), or none at all; `[]` or an empty body
/// when there is no capture. Rows that make no sense are skipped; an answer
/// that is not such an array is an error.
pub fn parse_cdx(body: &[u8]) -> Result<Vec<CdxRow>, String> {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(text.trim()).map_err(|_| {
        format!("the archive's capture index answered something that is not a CDX list ({})", preview(&text))
    })?;
    let mut idx = (1usize, 2usize, 4usize);
    let mut rows = rows.into_iter().peekable();
    if let Some(first) = rows.peek() {
        let names: Vec<&str> = first.iter().filter_map(|v| v.as_str()).collect();
        if names.contains(&"timestamp") {
            let at = |n: &str| names.iter().position(|x| *x == n);
            idx = (
                at("timestamp").unwrap_or(usize::MAX),
                at("original").unwrap_or(usize::MAX),
                at("statuscode").unwrap_or(usize::MAX),
            );
            rows.next();
        }
    }
    let field = |row: &[serde_json::Value], i: usize| -> Option<String> {
        row.get(i).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    Ok(rows
        .filter_map(|row| {
            let ts = field(&row, idx.0)?;
            if ts.len() < 4 || ts.len() > 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let ts = pad14(&ts);
            Some(CdxRow {
                timestamp: ts,
                original: field(&row, idx.1).unwrap_or_default(),
                status: field(&row, idx.2).and_then(|s| s.parse().ok()),
            })
        })
        .collect())
}

fn preview(text: &str) -> String {
    let t: String = text.trim().chars().take(40).collect();
    if text.trim().chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Pads a short timestamp to 14 digits (lower bound).
fn pad14(ts: &str) -> String {
    const LOW: &str = "00000101000000";
    let mut s = ts.to_string();
    s.push_str(&LOW[ts.len().min(14)..]);
    s
}

/// The capture to cite: among 2xx captures, the closest at or before `target`
/// (14 digits), else the closest after it.
pub fn choose<'a>(rows: &'a [CdxRow], target: &str) -> Option<&'a CdxRow> {
    let good = || rows.iter().filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)));
    good()
        .filter(|r| r.timestamp.as_str() <= target)
        .max_by(|a, b| a.timestamp.cmp(&b.timestamp))
        .or_else(|| good().filter(|r| r.timestamp.as_str() > target).min_by(|a, b| a.timestamp.cmp(&b.timestamp)))
}

/// `YYYYMMDDhhmmss` of a time.
pub fn ts14(t: jiff::Timestamp) -> String {
    t.strftime("%Y%m%d%H%M%S").to_string()
}

/// The end of a `YYYY-MM-DD` day as 14 digits: captures made that day count
/// as before it.
pub fn day_end(date: &str) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    Some(format!("{}235959", d.strftime("%Y%m%d")))
}

/// A 14-digit time as RFC 3339 (UTC).
pub fn rfc3339(ts: &str) -> Option<String> {
    let dt = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", pad14(ts)).ok()?;
    Some(dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A 14-digit time as a date, `2022-08-03`.
pub fn date(ts: &str) -> String {
    rfc3339(ts).map(|s| s[..10].to_string()).unwrap_or_else(|| ts.to_string())
}

/// A 14-digit time as an HTTP date (`Accept-Datetime`).
pub fn http_date(ts: &str) -> Option<String> {
    let dt = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", pad14(ts)).ok()?;
    Some(dt.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

/// An HTTP date (`Memento-Datetime`) as 14 digits.
pub fn from_http_date(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches("GMT").trim_end_matches("UTC").trim();
    let dt = jiff::civil::DateTime::strptime("%a, %d %b %Y %H:%M:%S", s).ok()?;
    Some(dt.strftime("%Y%m%d%H%M%S").to_string())
}

/// The parts of a Wayback-style address `…/web/{timestamp}{flags}/{original}`:
/// (everything before `/web/`, timestamp, original URL).
pub fn parse_wayback(url: &str) -> Option<(String, String, String)> {
    let at = url.find("/web/")?;
    let rest = &url[at + 5..];
    let (stamp, original) = rest.split_once('/')?;
    let digits: String = stamp.chars().take_while(|c| c.is_ascii_digit()).collect();
    let flags = &stamp[digits.len()..];
    if digits.len() < 4 || digits.len() > 14 || !flags.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    if !(original.starts_with("http://") || original.starts_with("https://") || original.contains('.')) {
        return None;
    }
    Some((url[..at].to_string(), pad14(&digits), original.to_string()))
}

/// The address of a capture's original bytes: a Wayback-style address gets
/// the `id_` flag (no banner, no rewritten links); others are read as given.
pub fn raw_form(url: &str) -> String {
    match parse_wayback(url) {
        Some((base, ts, original)) => format!("{base}/web/{ts}id_/{original}"),
        None => url.to_string(),
    }
}

/// The capture at `timestamp` of `url` in the Wayback Machine at `base`.
pub fn wayback_capture(base: &str, host: &str, timestamp: &str, url: &str, status: Option<u16>) -> Capture {
    Capture {
        archive: host.to_string(),
        copy_url: format!("{base}/web/{timestamp}/{url}"),
        raw_url: format!("{base}/web/{timestamp}id_/{url}"),
        timestamp: timestamp.to_string(),
        status,
    }
}

/// The host of a URL, for messages and politeness.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(|h| h.to_string())).unwrap_or_else(|| url.to_string())
}

/// `"a", "b"` (at most five, then "and N more").
fn list(quotes: &[&QuoteReport]) -> String {
    let mut shown: Vec<String> = quotes.iter().take(5).map(|q| format!("\"{}\"", q.text)).collect();
    if quotes.len() > 5 {
        shown.push(format!("and {} more", quotes.len() - 5));
    }
    shown.join(", ")
}

/// Whether the quotes hold in a copy: `None` when there is none to check.
pub fn quotes_hold(quotes: &[QuoteReport]) -> Option<bool> {
    if quotes.is_empty() {
        None
    } else {
        Some(quotes.iter().all(|q| q.found == Some(true)))
    }
}

/// The suggestion in words: `archived copy of 2022-08-03 holds "401,850": cite it URL`.
pub fn suggestion(timestamp: &str, copy_url: &str, quotes: &[QuoteReport]) -> String {
    let when = date(timestamp);
    let found: Vec<&QuoteReport> = quotes.iter().filter(|q| q.found == Some(true)).collect();
    let missing: Vec<&QuoteReport> = quotes.iter().filter(|q| q.found != Some(true)).collect();
    match (found.is_empty(), missing.is_empty()) {
        (true, true) => format!("archived copy of {when} (no quote or figure to check in it): cite it {copy_url}"),
        (false, true) => format!("archived copy of {when} holds {}: cite it {copy_url}", list(&found)),
        (false, false) => {
            format!("archived copy of {when} holds {} but not {}: {copy_url}", list(&found), list(&missing))
        }
        (true, false) => format!("archived copy of {when} does not hold {}: {copy_url}", list(&missing)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ts: &str, status: Option<u16>) -> CdxRow {
        CdxRow { timestamp: ts.into(), original: "http://x.org/a".into(), status }
    }

    #[test]
    fn cdx_answers_are_read_with_or_without_a_header() {
        let real = br#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
            ["org,x)/a","20220803101500","http://x.org/a","text/html","200","ABC","1234"],
            ["org,x)/a","20220805101500","http://x.org/a","warc/revisit","-","ABC","600"]]"#;
        let rows = parse_cdx(real).unwrap();
        assert_eq!(
            rows,
            vec![row("20220803101500", Some(200)), CdxRow { status: None, ..row("20220805101500", None) }]
        );
        let bare = br#"[["org,x)/a","2022","http://x.org/a","text/html","301","D","1"]]"#;
        assert_eq!(parse_cdx(bare).unwrap(), vec![row("20220101000000", Some(301))]);
        let fl = br#"[["timestamp","statuscode"],["20210101000000","200"]]"#;
        assert_eq!(parse_cdx(fl).unwrap()[0].status, Some(200));
        assert!(parse_cdx(b"").unwrap().is_empty());
        assert!(parse_cdx(b"[]").unwrap().is_empty());
        assert!(parse_cdx(b"<html>Service unavailable</html>").unwrap_err().contains("not a CDX list"));
        assert!(parse_cdx(br#"{"error": 1}"#).is_err());
        // Nonsense rows are skipped, never a panic.
        assert!(parse_cdx(br#"[[1], [], ["org", "notatime", "x", "y", "200"]]"#).unwrap().is_empty());
    }

    #[test]
    fn the_closest_good_capture_before_wins_over_a_closer_one_after() {
        let rows = vec![
            row("20220601000000", Some(200)),
            row("20220820000000", Some(200)),
            row("20220825000000", Some(404)),
            row("20220902000000", Some(200)),
        ];
        assert_eq!(choose(&rows, "20220901235959").unwrap().timestamp, "20220820000000");
        // Nothing good before: the closest after.
        let after =
            vec![row("20220825000000", Some(503)), row("20221002000000", Some(200)), row("20230101000000", Some(200))];
        assert_eq!(choose(&after, "20220901235959").unwrap().timestamp, "20221002000000");
        assert!(choose(&[row("20220825000000", Some(404)), row("20220826000000", None)], "20220901235959").is_none());
        assert!(choose(&[], "20220901235959").is_none());
    }

    #[test]
    fn addresses_and_times() {
        assert_eq!(
            raw_form("https://web.archive.org/web/20220803101500/https://x.org/a?b=1"),
            "https://web.archive.org/web/20220803101500id_/https://x.org/a?b=1"
        );
        assert_eq!(
            raw_form("http://127.0.0.1:9/web/2022im_/http://x.org/a"),
            "http://127.0.0.1:9/web/20220101000000id_/http://x.org/a"
        );
        assert_eq!(raw_form("https://archive.ph/AbCd"), "https://archive.ph/AbCd");
        assert_eq!(rfc3339("20220803101500").unwrap(), "2022-08-03T10:15:00Z");
        assert_eq!(date("20220803101500"), "2022-08-03");
        assert_eq!(day_end("2022-09-01").unwrap(), "20220901235959");
        assert_eq!(http_date("20220901235959").unwrap(), "Thu, 01 Sep 2022 23:59:59 GMT");
        assert_eq!(from_http_date("Wed, 03 Aug 2022 10:15:00 GMT").unwrap(), "20220803101500");
        assert!(rfc3339("2022139912").is_none());
    }

    #[test]
    fn suggestions_say_what_the_copy_holds() {
        let q = |t: &str, f: bool| QuoteReport { text: t.into(), found: Some(f), ..QuoteReport::default() };
        let url = "https://web.archive.org/web/20220803101500/https://x.org/a";
        assert_eq!(
            suggestion("20220803101500", url, &[q("401,850", true)]),
            format!("archived copy of 2022-08-03 holds \"401,850\": cite it {url}")
        );
        assert_eq!(
            suggestion("20220803101500", url, &[q("401,850", false)]),
            format!("archived copy of 2022-08-03 does not hold \"401,850\": {url}")
        );
        assert!(suggestion("20220803101500", url, &[q("a", true), q("b", false)]).contains("holds \"a\" but not \"b\""));
        assert_eq!(quotes_hold(&[]), None);
        assert_eq!(quotes_hold(&[q("a", true), q("b", false)]), Some(false));
    }
}
