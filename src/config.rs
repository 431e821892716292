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
//! ```

use serde::Deserialize;
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
    let config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = position(&text, e.span().map_or(0, |s| s.start));
        format!("{}:{line}:{col}: {}", path.display(), e.message().trim())
    })?;
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
    Ok(config)
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
}
