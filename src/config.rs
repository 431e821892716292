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
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = position(&text, e.span().map_or(0, |s| s.start));
        format!("{}:{line}:{col}: {}", path.display(), e.message().trim())
    })?;
    for pattern in &config.ignore {
        if let Err(e) = regex::Regex::new(pattern) {
            return Err(format!(
                "{}: ignore pattern \"{pattern}\" is not a valid regular expression: {e}",
                path.display()
            ));
        }
    }
    // Paths in the file are relative to the file, not to the working folder.
    let base = path.parent().unwrap_or(Path::new(""));
    let rebase = |p: &PathBuf| if p.is_relative() { base.join(p) } else { p.clone() };
    if let Some(claims) = &mut config.claims {
        *claims = claims.iter().map(rebase).collect();
    }
    config.cache = config.cache.as_ref().map(rebase);
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
