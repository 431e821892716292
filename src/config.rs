//! `citewatch.toml` at the project root (optional): defaults for every flag
//! of `check`, the claims and cache paths, and global `ignore` patterns.
//!
//! ```toml
//! claims = ["claims"]
//! cache = "cache"
//! ignore = ["Last updated [^\n]*", "Page generated in [0-9.]+ s"]
//! [check]
//! timeout = 20
//! concurrency = 64
//! per-host = 2
//! retries = 2
//! fail-on = "changed"
//! confirm = 1
//! format = "text"
//! user-agent = "citewatch (+https://example.org/contact)"
//! max-body = 20
//!
//! # lychee's knobs: URLs never fetched, statuses counted as fine, headers
//! exclude = ['^https://intranet\.example\.org/']
//! accept = "200..=299, 403"
//! headers = { "Accept-Language" = "en" }
//! [hosts."example.org"]          # the host and its subdomains
//! concurrency = 1
//! interval = 2.0                 # seconds between requests
//! user-agent = "citewatch (+mailto:desk@example.org)"
//! headers = { Authorization = "Bearer ${EXAMPLE_TOKEN}" }
//! basic-auth = { user = "bot", password-env = "EXAMPLE_PASSWORD" }
//!
//! # Notifications (see `notify`)
//! [[notify]]
//! kind = "webhook"               # webhook | slack | email
//! url = "https://hooks.example.org/citewatch"
//! on = "new"                     # new (default) | always
//!
//! # Archived copies (see `archive`)
//! [archive]
//! wayback = "https://web.archive.org"   # or a mirror speaking its CDX, replay and Save Page Now APIs
//! lookup = "broken"                      # broken | all | never
//! memento = ["https://arquivo.pt/wayback/timegate/"]
//! timeout = 20
//! ```

use crate::fetch::{HostRule, HostRules, Secret};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Claims files or folders.
    pub claims: Option<Vec<PathBuf>>,
    /// The cache folder.
    pub cache: Option<PathBuf>,
    /// Regular expressions removed from every source's text before comparing.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Defaults of `check`.
    #[serde(default)]
    pub check: CheckDefaults,
    /// Where archived copies are looked up and saved.
    #[serde(default)]
    pub archive: ArchiveDefaults,
    /// URLs never fetched nor judged (regular expressions on the cited URL).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// HTTP statuses counted as fine, as in lychee: `"200..=299, 403"` or a list.
    #[serde(default)]
    pub accept: Option<AcceptList>,
    /// Headers sent to every host (`${NAME}` reads the environment).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Settings per host (the host and its subdomains).
    #[serde(default)]
    pub hosts: BTreeMap<String, HostConfig>,
    /// Where to tell about a run.
    #[serde(default)]
    pub notify: Vec<NotifyConfig>,
    /// The file this was read from (for messages).
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl Config {
    /// The name of the config file in messages.
    pub fn file_name(&self) -> String {
        self.file.as_ref().map_or_else(|| "citewatch.toml".into(), |p| p.display().to_string())
    }

    /// The global headers and the settings per host, from the file, then the
    /// flags: `--header "Name: value"` and `--basic-auth "HOST USER:PASSWORD"`.
    pub fn host_rules(&self, headers: &[String], basic_auth: &[String]) -> Result<HostRules, String> {
        let file = self.file_name();
        let mut rules = HostRules {
            headers: header_map(&self.headers).map_err(|e| format!("{file}: headers: {e}"))?,
            hosts: Vec::new(),
        };
        for h in headers {
            // "Name: value", or lychee's older "name=value".
            let valid = |(n, _): &(&str, &str)| reqwest::header::HeaderName::from_bytes(n.trim().as_bytes()).is_ok();
            let (name, value) = h
                .split_once(':')
                .filter(valid)
                .or_else(|| h.split_once('=').filter(valid))
                .ok_or_else(|| format!("--header \"{h}\" must be \"Name: value\""))?;
            let map = header_map(&BTreeMap::from([(name.trim().to_string(), value.trim().to_string())]))
                .map_err(|e| format!("--header \"{name}\": {e}"))?;
            rules.headers.extend(map);
        }
        for (host, h) in &self.hosts {
            let at = format!("{file}: [hosts.\"{host}\"]");
            let basic_auth = match &h.basic_auth {
                None => None,
                Some(b) => {
                    let password = std::env::var(&b.password_env).map_err(|_| {
                        format!(
                            "{at} basic-auth: the environment variable {} is not set; export it or remove basic-auth",
                            b.password_env
                        )
                    })?;
                    Some((b.user.clone(), Secret(password)))
                }
            };
            rules.hosts.push((
                host.to_ascii_lowercase(),
                HostRule {
                    concurrency: h.concurrency.map(|c| c as usize),
                    interval: std::time::Duration::from_secs_f64(h.interval.unwrap_or(0.0)),
                    user_agent: h.user_agent.clone(),
                    headers: header_map(&h.headers).map_err(|e| format!("{at} headers: {e}"))?,
                    basic_auth,
                },
            ));
        }
        for a in basic_auth {
            let (target, cred) = a
                .trim()
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("--basic-auth \"{a}\" must be \"HOST USER:PASSWORD\""))?;
            let host = match url::Url::parse(target) {
                Ok(u) if u.host_str().is_some() => u.host_str().unwrap_or_default().to_string(),
                _ => target.to_string(),
            }
            .to_ascii_lowercase();
            let (user, password) = cred
                .trim()
                .split_once(':')
                .ok_or_else(|| format!("--basic-auth for {host}: give the credentials as USER:PASSWORD"))?;
            let auth = Some((user.to_string(), Secret(password.to_string())));
            match rules.hosts.iter_mut().find(|(name, _)| *name == host) {
                Some((_, rule)) => rule.basic_auth = auth,
                None => rules.hosts.push((host, HostRule { basic_auth: auth, ..HostRule::default() })),
            }
        }
        Ok(rules)
    }
}

/// Headers as a map, `${NAME}` read from the environment; values marked
/// sensitive (kept out of debug output).
fn header_map(headers: &BTreeMap<String, String>) -> Result<reqwest::header::HeaderMap, String> {
    use reqwest::header::{HeaderName, HeaderValue};
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        let n =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("\"{name}\" is not a valid header name"))?;
        let v = expand_env(value).map_err(|e| format!("{name}: {e}"))?;
        let mut v = HeaderValue::from_str(&v).map_err(|_| format!("{name}: the value is not a valid header value"))?;
        v.set_sensitive(true);
        map.insert(n, v);
    }
    Ok(map)
}

/// `accept` as a string or a list of codes and ranges.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AcceptList {
    Code(u16),
    Text(String),
    List(Vec<AcceptItem>),
}

/// One item of an `accept` list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AcceptItem {
    Code(u16),
    Text(String),
}

impl AcceptList {
    /// The list as one comma-separated string ("200..=299, 403").
    pub fn joined(&self) -> String {
        match self {
            AcceptList::Code(c) => c.to_string(),
            AcceptList::Text(t) => t.clone(),
            AcceptList::List(items) => items
                .iter()
                .map(|i| match i {
                    AcceptItem::Code(c) => c.to_string(),
                    AcceptItem::Text(t) => t.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// `[hosts."example.org"]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HostConfig {
    /// Requests in flight at most to this host (instead of `per-host`).
    pub concurrency: Option<u32>,
    /// Time at least between the starts of two requests to this host:
    /// seconds, or "500ms", "2s", "1m" (lychee's `request_interval`).
    #[serde(default, alias = "request-interval", alias = "request_interval", deserialize_with = "duration")]
    pub interval: Option<f64>,
    /// The User-Agent sent to this host.
    pub user_agent: Option<String>,
    /// Headers sent to this host, over the global ones.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// HTTP basic authentication for this host.
    pub basic_auth: Option<BasicAuthConfig>,
}

/// Seconds as a number or a string with a unit: "250ms", "2s", "1.5 s", "1m".
fn duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Text(String),
    }
    let secs = match Raw::deserialize(d)? {
        Raw::Int(i) => i as f64,
        Raw::Float(f) => f,
        Raw::Text(t) => {
            let t = t.trim();
            let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
            let (num, unit) = t.split_at(split);
            let n: f64 = num.parse().map_err(|_| {
                serde::de::Error::custom(format!("\"{t}\" is not a duration (write 2, \"2s\" or \"500ms\")"))
            })?;
            match unit.trim() {
                "" | "s" => n,
                "ms" => n / 1000.0,
                "m" | "min" => n * 60.0,
                _ => return Err(serde::de::Error::custom(format!("\"{t}\": the unit must be ms, s or m"))),
            }
        }
    };
    Ok(Some(secs))
}

/// `basic-auth = { user = "bot", password-env = "VAR" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BasicAuthConfig {
    pub user: String,
    /// The environment variable holding the password.
    pub password_env: String,
}

/// What a notification is sent through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyKind {
    /// POST of a JSON document.
    Webhook,
    /// A message to a Slack, Mattermost or Rocket.Chat incoming webhook.
    Slack,
    /// A plain-text and HTML mail through SMTP.
    Email,
}

/// When a notification is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyOn {
    /// Only when a claim is newly flagged or resolved.
    #[default]
    New,
    /// After every run.
    Always,
}

/// SMTP connection security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// One `[[notify]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NotifyConfig {
    pub kind: NotifyKind,
    #[serde(default)]
    pub on: NotifyOn,
    /// Webhook or Slack: the URL to POST to.
    pub url: Option<String>,
    /// Webhook or Slack: the environment variable holding the URL (for secret URLs).
    pub url_env: Option<String>,
    /// Webhook: extra headers (`${NAME}` reads the environment).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Email: the SMTP server, `host` or `host:port`.
    pub smtp: Option<String>,
    /// Email: `starttls` (default), `tls` or `none`.
    #[serde(default)]
    pub tls: SmtpTls,
    /// Email: the SMTP user name.
    pub user: Option<String>,
    /// Email: the environment variable holding the SMTP password.
    pub password_env: Option<String>,
    /// Email: the sender address.
    pub from: Option<String>,
    /// Email: the recipients.
    #[serde(default)]
    pub to: Vec<String>,
    /// Email: the subject's first words [default: "citewatch"].
    pub subject: Option<String>,
}

impl NotifyConfig {
    /// What a person calls this entry in a message: "webhook https://…", "email to a@b".
    pub fn label(&self) -> String {
        match self.kind {
            NotifyKind::Webhook | NotifyKind::Slack => {
                let kind = if self.kind == NotifyKind::Webhook { "webhook" } else { "slack" };
                match (&self.url, &self.url_env) {
                    (Some(u), _) => format!("{kind} {}", redact_url(u)),
                    (None, Some(v)) => format!("{kind} ${v}"),
                    _ => kind.to_string(),
                }
            }
            NotifyKind::Email if self.to.is_empty() => "email".into(),
            NotifyKind::Email => format!("email to {}", self.to.join(", ")),
        }
    }

    /// What is wrong with the entry, as "what to add".
    fn problem(&self) -> Option<String> {
        match self.kind {
            NotifyKind::Webhook | NotifyKind::Slack => {
                if self.url.is_none() && self.url_env.is_none() {
                    return Some("needs url = \"https://…\" (or url-env = \"VARIABLE\" holding it)".into());
                }
                if let Some(u) = &self.url {
                    match url::Url::parse(u) {
                        Ok(p) if matches!(p.scheme(), "http" | "https") => {}
                        _ => return Some(format!("url \"{u}\" is not an http(s) URL")),
                    }
                }
                if self.smtp.is_some() || !self.to.is_empty() || self.from.is_some() {
                    return Some("smtp, from and to belong to kind = \"email\"".into());
                }
                None
            }
            NotifyKind::Email => {
                if self.smtp.is_none() {
                    return Some("needs smtp = \"mail.example.org:587\"".into());
                }
                if self.smtp.as_deref().is_some_and(|h| h.contains("://") || h.contains('/') || h.trim().is_empty()) {
                    return Some("give smtp as host or host:port (smtp = \"mail.example.org:587\"); tls = \"starttls\", \"tls\" or \"none\" sets the encryption".into());
                }
                if self.from.is_none() {
                    return Some("needs from = \"citewatch@example.org\"".into());
                }
                if self.to.is_empty() {
                    return Some("needs to = [\"desk@example.org\"]".into());
                }
                if self.user.is_some() != self.password_env.is_some() {
                    return Some("user and password-env go together".into());
                }
                for a in self.to.iter().chain(self.from.iter()) {
                    if a.parse::<lettre::message::Mailbox>().is_err() {
                        return Some(format!("\"{a}\" is not an e-mail address"));
                    }
                }
                if self.url.is_some() || self.url_env.is_some() {
                    return Some("url belongs to kind = \"webhook\" or \"slack\"".into());
                }
                None
            }
        }
    }
}

/// A URL with its path and query hidden (incoming-webhook URLs carry their secret there).
pub fn redact_url(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(p) => {
            let port = p.port().map(|p| format!(":{p}")).unwrap_or_default();
            let tail = if p.path().len() > 1 || p.query().is_some() { "/…" } else { "/" };
            format!("{}://{}{port}{tail}", p.scheme(), p.host_str().unwrap_or(""))
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// Replaces each `${NAME}` by the environment variable NAME; an unset one is an error.
pub fn expand_env(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            return Err(format!("\"{text}\": `${{` without a closing `}}`"));
        };
        let name = &after[..end];
        match std::env::var(name) {
            Ok(v) => out.push_str(&v),
            Err(_) => return Err(format!("the environment variable {name} is not set")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The `[archive]` table: the Wayback Machine (or a server speaking its
/// CDX, replay and Save Page Now APIs), when to look up, Memento TimeGates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArchiveDefaults {
    /// Base URL [default: https://web.archive.org].
    pub wayback: Option<String>,
    /// `broken` (default), `all` or `never`.
    pub lookup: Option<String>,
    /// Memento TimeGates tried after the Wayback Machine (URL prefixes; a
    /// `{url}` in one is replaced by the source's URL).
    #[serde(default)]
    pub memento: Vec<String>,
    /// Time-out of one archive request, seconds [default: the check's --timeout].
    pub timeout: Option<f64>,
}

/// Defaults of `check`'s flags.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckDefaults {
    pub format: Option<String>,
    pub timeout: Option<f64>,
    pub concurrency: Option<u32>,
    pub per_host: Option<u32>,
    pub retries: Option<u32>,
    pub fail_on: Option<String>,
    pub confirm: Option<u32>,
    pub offline: Option<bool>,
    pub quiet: Option<bool>,
    pub user_agent: Option<String>,
    pub max_body: Option<u64>,
    pub remap: Option<Vec<String>>,
}

/// The values `[check] fail-on` takes (as `check --fail-on`).
const FAIL_ON: [&str; 5] = ["unverified", "changed", "unsupported", "broken", "never"];

/// The keys of `[check]`.
const CHECK_KEYS: [&str; 12] = [
    "format",
    "timeout",
    "concurrency",
    "per-host",
    "retries",
    "fail-on",
    "confirm",
    "offline",
    "quiet",
    "user-agent",
    "max-body",
    "remap",
];

/// For toml's "unknown field `x`, expected one of `a`, `b`": the key meant,
/// one or two edits away, or a `[check]` key written at the top level.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.trim().strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let lower = key.to_lowercase().replace('_', "-");
    if let Some(a) = crate::claims::nearest(&lower, &expected) {
        return Some(format!("did you mean `{a}`?"));
    }
    if expected.contains(&"check") {
        if let Some(a) = crate::claims::nearest(&lower, &CHECK_KEYS) {
            return Some(format!("`{a}` belongs under [check]"));
        }
    }
    None
}

/// The line of the first `key = …` in the file.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map(|i| i + 1)
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// Reads the config file: `explicit` must exist; otherwise `citewatch.toml`
/// is read when present. Errors name the file, line and column.
pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("citewatch.toml");
            if !p.exists() {
                return Ok(Config::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = position(&text, e.span().map_or(0, |s| s.start));
        let hint = unknown_key_hint(e.message()).map(|h| format!(" ({h})")).unwrap_or_default();
        format!("{}:{line}:{col}: {}{hint}", path.display(), e.message().trim())
    })?;
    let at = |key: &str| key_line(&text, key).map(|l| format!(":{l}")).unwrap_or_default();
    let d = &config.check;
    if let Some(v) = d.format.as_deref().filter(|v| !["text", "json"].contains(&v.to_ascii_lowercase().as_str())) {
        return Err(format!("{}{}: [check] format = \"{v}\" is not one of text, json", path.display(), at("format")));
    }
    if let Some(v) = d.fail_on.as_deref().filter(|v| !FAIL_ON.contains(&v.to_ascii_lowercase().as_str())) {
        return Err(format!(
            "{}{}: [check] fail-on = \"{v}\" is not one of {}",
            path.display(),
            at("fail-on"),
            FAIL_ON.join(", ")
        ));
    }
    if let Some(l) = config.archive.lookup.as_deref() {
        if !["broken", "all", "never"].contains(&l) {
            return Err(format!("{}: [archive] lookup = \"{l}\" is not one of broken, all, never", path.display()));
        }
    }
    for u in config.archive.wayback.iter().chain(&config.archive.memento) {
        let ok = url::Url::parse(&u.replace("{url}", "x")).is_ok_and(|x| matches!(x.scheme(), "http" | "https"));
        if !ok {
            return Err(format!("{}: [archive] \"{u}\" is not an absolute http(s) URL", path.display()));
        }
    }
    for pattern in &config.ignore {
        if let Err(e) = regex::Regex::new(pattern) {
            return Err(format!(
                "{}: ignore pattern \"{pattern}\" is not a valid regular expression: {e}",
                path.display()
            ));
        }
    }
    check_knobs(&config).map_err(|e| format!("{}: {e}", path.display()))?;
    // Paths in the file are relative to the file, not to the working folder.
    let base = path.parent().unwrap_or(Path::new(""));
    let rebase = |p: &PathBuf| if p.is_relative() { base.join(p) } else { p.clone() };
    if let Some(claims) = &mut config.claims {
        *claims = claims.iter().map(rebase).collect();
    }
    config.cache = config.cache.as_ref().map(rebase);
    config.file = Some(path);
    Ok(config)
}

/// Checks the knobs and notifications that TOML alone cannot.
fn check_knobs(config: &Config) -> Result<(), String> {
    for pattern in &config.exclude {
        if let Err(e) = regex::Regex::new(pattern) {
            return Err(format!("exclude pattern \"{pattern}\" is not a valid regular expression: {e}"));
        }
    }
    if let Some(a) = &config.accept {
        crate::statuses::StatusSet::parse(&a.joined()).map_err(|e| format!("accept: {e}"))?;
    }
    check_headers("headers", &config.headers)?;
    for (host, h) in &config.hosts {
        let at = format!("[hosts.\"{host}\"]");
        if host.is_empty() || host.contains(['/', ':', ' ']) {
            return Err(format!("{at}: give a host name alone, as in [hosts.\"example.org\"]"));
        }
        if h.concurrency == Some(0) {
            return Err(format!("{at}: concurrency must be at least 1"));
        }
        if let Some(i) = h.interval {
            if !(i >= 0.0 && i.is_finite() && i <= 3600.0) {
                return Err(format!("{at}: interval must be a number of seconds from 0 to 3600"));
            }
        }
        check_headers(&format!("{at} headers"), &h.headers)?;
    }
    for (i, n) in config.notify.iter().enumerate() {
        if let Some(p) = n.problem() {
            return Err(format!("[[notify]] entry {} ({}): {p}", i + 1, n.label()));
        }
        check_headers(&format!("[[notify]] entry {} headers", i + 1), &n.headers)?;
    }
    Ok(())
}

fn check_headers(at: &str, headers: &BTreeMap<String, String>) -> Result<(), String> {
    for name in headers.keys() {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(format!("{at}: \"{name}\" is not a valid header name"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_refuses_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "ignore = [\"Last updated .*\"]\n[check]\nper-host = 4\nfail-on = \"broken\"\n").unwrap();
        let c = load(Some(&p)).unwrap();
        assert_eq!(c.check.per_host, Some(4));
        assert_eq!(c.ignore.len(), 1);
        std::fs::write(&p, "[check]\nper-host = 4\ncolour = 1\n").unwrap();
        let e = load(Some(&p)).unwrap_err();
        assert!(e.contains("c.toml:3:1: unknown field `colour`"), "{e}");
        std::fs::write(&p, "[archive]\nwayback = \"http://127.0.0.1:9/\"\nlookup = \"all\"\n").unwrap();
        let c = load(Some(&p)).unwrap();
        assert_eq!(c.archive.lookup.as_deref(), Some("all"));
        std::fs::write(&p, "[archive]\nlookup = \"sometimes\"\n").unwrap();
        assert!(load(Some(&p)).unwrap_err().contains("not one of broken, all, never"));
    }

    #[test]
    fn bad_check_values_and_misplaced_keys_say_where_and_what_was_meant() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        let err = |text: &str| {
            std::fs::write(&p, text).unwrap();
            load(Some(&p)).unwrap_err().replace(&p.display().to_string(), "c.toml")
        };
        assert_eq!(
            err("[check]\ntimeout = 5\nfail-on = \"sometimes\"\n"),
            "c.toml:3: [check] fail-on = \"sometimes\" is not one of unverified, changed, unsupported, broken, never"
        );
        assert!(err("[check]\nformat = \"yaml\"\n").starts_with("c.toml:2: [check] format = \"yaml\""));
        assert!(err("timout = 5\n").ends_with("(`timeout` belongs under [check])"), "{}", err("timout = 5\n"));
        assert!(err("[check]\nfail_on = \"broken\"\n").ends_with("(did you mean `fail-on`?)"));
        assert!(!err("[check]\ncolour = 1\n").contains("did you mean"));
        std::fs::write(&p, "[check]\nfail-on = \"Broken\"\nformat = \"JSON\"\n").unwrap();
        assert!(load(Some(&p)).is_ok(), "values are case-insensitive, as on the command line");
    }

    #[test]
    fn knobs_and_notifications() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        let ok = "exclude = ['^https://intranet\\.']\naccept = [\"200..=299\", 403]\nheaders = { X-A = \"1\" }\n\
                  [hosts.\"Example.org\"]\nconcurrency = 1\ninterval = 0.5\nheaders = { Cookie = \"a=b\" }\n\
                  [[notify]]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T/B/secret\"\n";
        std::fs::write(&p, ok).unwrap();
        let c = load(Some(&p)).unwrap();
        assert_eq!(c.accept.as_ref().unwrap().joined(), "200..=299, 403");
        assert_eq!(c.notify[0].label(), "slack https://hooks.slack.com/…");
        let rules =
            c.host_rules(&["X-B: 2".into(), "x-c=a:b".into()], &["https://data.example.org/x bot:pw".into()]).unwrap();
        assert_eq!(rules.headers.len(), 3);
        assert_eq!(rules.headers["x-c"], "a:b");
        let (name, rule) = rules.rule("www.example.org").unwrap();
        assert_eq!((name, rule.concurrency), ("example.org", Some(1)));
        assert_eq!(rule.interval, std::time::Duration::from_millis(500));
        std::fs::write(
            &p,
            "accept = 403\n[hosts.\"a.org\"]\nrequest_interval = \"250ms\"\n[hosts.\"b.org\"]\ninterval = 2\n",
        )
        .unwrap();
        let c = load(Some(&p)).unwrap();
        assert_eq!(c.accept.as_ref().unwrap().joined(), "403");
        assert_eq!(c.hosts["a.org"].interval, Some(0.25));
        assert_eq!(c.hosts["b.org"].interval, Some(2.0));
        std::fs::write(&p, "[hosts.\"a.org\"]\ninterval = \"2 hours\"\n").unwrap();
        assert!(load(Some(&p)).unwrap_err().contains("the unit must be ms, s or m"));
        assert_eq!(rules.rule("data.example.org").unwrap().1.basic_auth.as_ref().unwrap().0, "bot");
        assert!(c.host_rules(&["no colon".into()], &[]).unwrap_err().contains("\"Name: value\""));
        for (bad, says) in [
            ("accept = \"2xx\"", "accept: \"2xx\" is not an HTTP status code"),
            ("exclude = ['(']", "exclude pattern \"(\""),
            ("[hosts.\"x.org\"]\nconcurrency = 0", "[hosts.\"x.org\"]: concurrency must be at least 1"),
            ("[[notify]]\nkind = \"webhook\"", "[[notify]] entry 1 (webhook): needs url"),
            (
                "[[notify]]\nkind = \"email\"\nsmtp = \"smtp://m.org\"\nfrom = \"a@b.org\"\nto = [\"c@d.org\"]",
                "give smtp as host or host:port",
            ),
            (
                "[[notify]]\nkind = \"email\"\nsmtp = \"m.org\"\nfrom = \"a@b.org\"\nto = [\"not an address\"]",
                "\"not an address\" is not an e-mail address",
            ),
        ] {
            std::fs::write(&p, bad).unwrap();
            let e = load(Some(&p)).unwrap_err();
            assert!(e.starts_with(&format!("{}: ", p.display())) && e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "claims = [\"claims\", \"/abs/more\"]\ncache = \"store\"\n").unwrap();
        let c = load(Some(&p)).unwrap();
        assert_eq!(c.claims.unwrap(), vec![dir.path().join("claims"), PathBuf::from("/abs/more")]);
        assert_eq!(c.cache.unwrap(), dir.path().join("store"));
    }
}
