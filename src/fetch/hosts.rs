//! Settings per host (`[hosts."example.org"]` in `citewatch.toml`, and the
//! global `headers`): what each request to a host carries, and how many
//! requests it gets and how far apart. A rule for `example.org` covers its
//! subdomains too; the longest matching name wins.

use reqwest::header::HeaderMap;
use std::time::Duration;

/// A password kept out of `Debug` output.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(secret)")
    }
}

/// The settings of one host.
#[derive(Debug, Clone, Default)]
pub struct HostRule {
    /// Requests in flight at most (instead of the global per-host limit).
    pub concurrency: Option<usize>,
    /// Least time between the starts of two requests.
    pub interval: Duration,
    /// User-Agent instead of the global one.
    pub user_agent: Option<String>,
    /// Headers over the global ones.
    pub headers: HeaderMap,
    /// HTTP basic authentication: user and password.
    pub basic_auth: Option<(String, Secret)>,
}

/// Global headers and the rules per host.
#[derive(Debug, Clone, Default)]
pub struct HostRules {
    /// Headers sent to every host.
    pub headers: HeaderMap,
    /// Host name (lower case) and its rule.
    pub hosts: Vec<(String, HostRule)>,
}

impl HostRules {
    /// The rule for `host` and the name it was given under: the longest
    /// configured name equal to the host or a parent domain of it.
    pub fn rule(&self, host: &str) -> Option<(&str, &HostRule)> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts
            .iter()
            .filter(|(name, _)| host == *name || host.strip_suffix(name.as_str()).is_some_and(|h| h.ends_with('.')))
            .max_by_key(|(name, _)| name.len())
            .map(|(name, r)| (name.as_str(), r))
    }

    /// Adds the headers, User-Agent and credentials for `host` to a request.
    pub fn apply(&self, host: &str, mut req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if !self.headers.is_empty() {
            req = req.headers(self.headers.clone());
        }
        if let Some((_, rule)) = self.rule(host) {
            if let Some(ua) = &rule.user_agent {
                req = req.header(reqwest::header::USER_AGENT, ua);
            }
            if !rule.headers.is_empty() {
                req = req.headers(rule.headers.clone());
            }
            if let Some((user, password)) = &rule.basic_auth {
                req = req.basic_auth(user, Some(&password.0));
            }
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_parent_domain_wins() {
        let rule = |c| HostRule { concurrency: Some(c), ..HostRule::default() };
        let rules = HostRules {
            headers: HeaderMap::new(),
            hosts: vec![("example.org".into(), rule(1)), ("data.example.org".into(), rule(3))],
        };
        assert_eq!(rules.rule("example.org").unwrap().0, "example.org");
        assert_eq!(rules.rule("WWW.Example.org").unwrap().0, "example.org");
        assert_eq!(rules.rule("api.data.example.org").unwrap().1.concurrency, Some(3));
        assert!(rules.rule("badexample.org").is_none());
        assert!(rules.rule("example.org.evil.net").is_none());
    }
}
