//! Talking to archives: the Wayback CDX API, reading captures in their
//! original form, Memento TimeGates and Save Page Now. Polite by
//! construction: one request at a time (so one per archive host), `429` and
//! `Retry-After` honoured, every request under a time-out and all of them
//! under one budget; a host that timed out or refused a connection is not
//! asked again in the same run. Failures come back as words, never a panic.

use super::{parse_cdx, rfc3339, wayback_capture, ArchiveConfig, Capture};
use reqwest::header::{HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// An answer of an archive.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The address that answered (after redirects, when followed).
    pub url: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.to_string())
    }
}

/// A copy read from an archive.
#[derive(Debug, Clone)]
pub struct Copy {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// `Memento-Datetime` as 14 digits, when sent.
    pub memento_time: Option<String>,
}

/// What Save Page Now did.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub job_id: Option<String>,
    pub capture: Capture,
}

/// One run's connection to the archives.
pub struct Client {
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
    cfg: ArchiveConfig,
    deadline: Instant,
    /// Hosts that failed at the transport level this run, with why.
    down: HashMap<String, String>,
    /// Requests made (for tests and measurements).
    pub requests: usize,
}

fn host(url: &str) -> String {
    super::host_of(url)
}

impl Client {
    /// A client whose work ends at `budget` from now.
    pub fn new(cfg: &ArchiveConfig) -> Result<Client, String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        let http = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Client {
            rt,
            http,
            cfg: cfg.clone(),
            deadline: Instant::now() + cfg.budget,
            down: HashMap::new(),
            requests: 0,
        })
    }

    /// Whether the run's archive budget is used up.
    pub fn out_of_time(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// The configuration.
    pub fn config(&self) -> &ArchiveConfig {
        &self.cfg
    }

    /// One request, with `429`/`Retry-After` and one retry of 502/503/504.
    fn send(
        &mut self,
        method: reqwest::Method,
        url: &str,
        headers: HeaderMap,
        form: Option<String>,
    ) -> Result<Answer, String> {
        let h = host(url);
        if let Some(why) = self.down.get(&h) {
            // Said as when it first failed: one fact, one wording on every claim.
            return Err(format!("{h}: {why}"));
        }
        let mut tries = 0;
        loop {
            tries += 1;
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("archive time budget of {} s used up", self.cfg.budget.as_secs()));
            }
            let limit = self.cfg.timeout.min(left);
            let mut req = self.http.request(method.clone(), url).headers(headers.clone()).timeout(limit);
            if let Some(f) = &form {
                req = req.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(f.clone());
            }
            self.requests += 1;
            let cap = self.cfg.max_body;
            let fut = async move {
                let resp = req.send().await?;
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let mut resp = resp;
                let mut body = Vec::new();
                while let Some(chunk) = resp.chunk().await? {
                    body.extend_from_slice(&chunk);
                    if body.len() as u64 > cap {
                        body.truncate(cap as usize);
                        break;
                    }
                }
                Ok::<_, reqwest::Error>((status, headers, body))
            };
            let result =
                self.rt.block_on(async { tokio::time::timeout(limit + Duration::from_millis(200), fut).await });
            let (status, headers, body) = match result {
                Err(_) => return Err(self.mark_down(&h, format!("timed out after {} s", limit.as_secs_f64()))),
                Ok(Err(e)) if e.is_timeout() => {
                    return Err(self.mark_down(&h, format!("timed out after {} s", limit.as_secs_f64())))
                }
                Ok(Err(e)) if e.is_connect() => return Err(self.mark_down(&h, "connection failed".into())),
                Ok(Err(e)) => return Err(self.mark_down(&h, crate::report::sanitize(&e.to_string()))),
                Ok(Ok(r)) => r,
            };
            let answer = Answer { status, headers, body, url: url.to_string() };
            if status == 429 || (matches!(status, 502..=504) && tries == 1) {
                let wait = retry_after(answer.header("retry-after").as_deref())
                    .unwrap_or(Duration::from_secs(if status == 429 { 5 } else { 1 }));
                let left = self.deadline.saturating_duration_since(Instant::now());
                if tries < 4 && wait <= self.cfg.max_retry_after && wait < left {
                    std::thread::sleep(wait);
                    continue;
                }
                if status == 429 {
                    return Err(format!(
                        "{h} is rate-limiting (HTTP 429, Retry-After {}); try again later",
                        answer.header("retry-after").unwrap_or_else(|| "not given".into())
                    ));
                }
            }
            return Ok(answer);
        }
    }

    fn mark_down(&mut self, host: &str, why: String) -> String {
        self.down.insert(host.to_string(), why.clone());
        format!("{host}: {why}")
    }

    fn get(&mut self, url: &str, headers: HeaderMap) -> Result<Answer, String> {
        self.send(reqwest::Method::GET, url, headers, None)
    }

    /// Captures of `url` in the Wayback CDX index, `to` or `from` a 14-digit time.
    fn cdx(&mut self, url: &str, bound: (&str, &str), limit: i32) -> Result<Vec<super::CdxRow>, String> {
        let mut q = url::Url::parse(&format!("{}/cdx/search/cdx", self.cfg.wayback))
            .map_err(|e| format!("[archive] wayback is not a URL: {e}"))?;
        q.query_pairs_mut()
            .append_pair("url", url)
            .append_pair("output", "json")
            .append_pair(bound.0, bound.1)
            .append_pair("filter", "statuscode:2..")
            .append_pair("limit", &limit.to_string());
        let a = self.get(q.as_str(), HeaderMap::new())?;
        if !(200..300).contains(&a.status) {
            return Err(format!("{}: the capture index answered HTTP {}", host(q.as_str()), a.status));
        }
        parse_cdx(&a.body).map_err(|e| format!("{}: {e}", host(q.as_str())))
    }

    /// The Wayback capture to cite for `url` and `target` (14 digits): the
    /// closest good one before, else the closest after.
    pub fn wayback(&mut self, url: &str, target: &str) -> Result<Option<Capture>, String> {
        let before = self.cdx(url, ("to", target), -10)?;
        let mut rows = before;
        if super::choose(&rows, target).is_none_or(|r| r.timestamp.as_str() > target) {
            rows.extend(self.cdx(url, ("from", target), 10)?);
        }
        let base = self.cfg.wayback.clone();
        let h = host(&base);
        Ok(super::choose(&rows, target).map(|r| {
            let original = if r.original.starts_with("http") { r.original.clone() } else { url.to_string() };
            wayback_capture(&base, &h, &r.timestamp, &original, r.status)
        }))
    }

    /// The newest good Wayback capture of `url` at or after `from` (14 digits).
    pub fn captured_since(&mut self, url: &str, from: &str) -> Result<Option<Capture>, String> {
        let rows = self.cdx(url, ("from", from), -5)?;
        let base = self.cfg.wayback.clone();
        let h = host(&base);
        Ok(rows
            .iter()
            .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)) && r.timestamp.as_str() >= from)
            .max_by(|a, b| a.timestamp.cmp(&b.timestamp))
            .map(|r| wayback_capture(&base, &h, &r.timestamp, url, r.status)))
    }

    /// The memento a TimeGate gives for `url` near `target` (14 digits).
    pub fn timegate(&mut self, gate: &str, url: &str, target: &str) -> Result<Option<Capture>, String> {
        let ask = if gate.contains("{url}") { gate.replace("{url}", url) } else { format!("{gate}{url}") };
        let mut headers = HeaderMap::new();
        if let Some(d) = super::http_date(target).and_then(|d| HeaderValue::from_str(&d).ok()) {
            headers.insert("accept-datetime", d);
        }
        let a = self.get(&ask, headers)?;
        let h = host(&ask);
        let memento = match a.status {
            300..=399 => {
                a.header("location").and_then(|l| url::Url::parse(&ask).ok()?.join(&l).ok()).map(|u| u.to_string())
            }
            200..=299 if a.header("memento-datetime").is_some() => Some(
                a.header("content-location")
                    .and_then(|l| url::Url::parse(&ask).ok()?.join(&l).ok())
                    .map_or(ask.clone(), |u| u.to_string()),
            ),
            404 => return Ok(None),
            s => return Err(format!("{h}: the TimeGate answered HTTP {s}")),
        };
        let Some(memento) = memento else {
            return Err(format!("{h}: the TimeGate answered without a memento"));
        };
        // The memento's time: from the Link header when it names it, else from the memento itself.
        let mut when = a.header("link").and_then(|l| link_datetime(&l, &memento));
        if when.is_none() {
            when = a.header("memento-datetime").and_then(|d| super::from_http_date(&d));
        }
        let raw = super::raw_form(&memento);
        Ok(Some(Capture {
            archive: h,
            copy_url: memento,
            raw_url: raw,
            timestamp: when.unwrap_or_default(),
            status: None,
        }))
    }

    /// Reads a copy in its original form, following at most 5 redirects
    /// (archives redirect to the nearest capture).
    pub fn read(&mut self, raw_url: &str) -> Result<Copy, String> {
        let mut at = raw_url.to_string();
        for _ in 0..6 {
            let a = self.get(&at, HeaderMap::new())?;
            if (300..400).contains(&a.status) {
                let next = a
                    .header("location")
                    .and_then(|l| url::Url::parse(&at).ok()?.join(&l).ok())
                    .ok_or_else(|| format!("{}: a redirect without a usable Location", host(&at)))?;
                at = next.to_string();
                continue;
            }
            return Ok(Copy {
                status: a.status,
                content_type: a.header("content-type"),
                memento_time: a.header("memento-datetime").and_then(|d| super::from_http_date(&d)),
                body: a.body,
            });
        }
        Err(format!("{}: more than 5 redirects reading the copy", host(raw_url)))
    }

    fn spn_headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some((a, s)) = &self.cfg.keys {
            if let Ok(v) = HeaderValue::from_str(&format!("LOW {a}:{s}")) {
                h.insert(reqwest::header::AUTHORIZATION, v);
            }
        }
        h
    }

    /// Asks Save Page Now to capture `url`, then polls the job until it ends
    /// (at most `wait`).
    pub fn save(&mut self, url: &str, wait: Duration) -> Result<Saved, String> {
        let endpoint = format!("{}/save", self.cfg.wayback);
        let h = host(&endpoint);
        let form: String = url::form_urlencoded::Serializer::new(String::new()).append_pair("url", url).finish();
        let a = self.send(reqwest::Method::POST, &endpoint, self.spn_headers(), Some(form))?;
        let json: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or(serde_json::Value::Null);
        if !(200..300).contains(&a.status) {
            let msg = json["message"].as_str().map(|m| format!(": {}", crate::report::sanitize(m))).unwrap_or_default();
            let hint = if matches!(a.status, 401 | 403) {
                " (set CITEWATCH_ARCHIVE_ACCESS_KEY and CITEWATCH_ARCHIVE_SECRET_KEY)"
            } else {
                ""
            };
            return Err(format!("{h}: Save Page Now answered HTTP {}{msg}{hint}", a.status));
        }
        if let Some(done) = self.finished(url, &json)? {
            return Ok(done);
        }
        let job = json["job_id"]
            .as_str()
            .map(|s| s.to_string())
            .ok_or_else(|| format!("{h}: Save Page Now answered without a job id"))?;
        let until = Instant::now() + wait;
        let mut pause = Duration::from_millis(500);
        loop {
            std::thread::sleep(pause.min(self.deadline.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(Duration::from_secs(5));
            let mut status_url =
                url::Url::parse(&format!("{}/save/status/", self.cfg.wayback)).map_err(|e| e.to_string())?;
            status_url.path_segments_mut().map_err(|_| "bad wayback URL".to_string())?.pop_if_empty().push(&job);
            let a = self.get(status_url.as_str(), self.spn_headers())?;
            let json: serde_json::Value = serde_json::from_slice(&a.body)
                .map_err(|_| format!("{h}: the status of job {job} is not JSON (HTTP {})", a.status))?;
            if let Some(mut done) = self.finished(url, &json)? {
                done.job_id = Some(job);
                return Ok(done);
            }
            if Instant::now() >= until || self.out_of_time() {
                return Err(format!(
                    "{h}: job {job} still pending after {} s; its capture will show in a later look-up",
                    wait.as_secs()
                ));
            }
        }
    }

    /// A finished job's capture, `None` while pending, an error when it failed.
    fn finished(&self, url: &str, json: &serde_json::Value) -> Result<Option<Saved>, String> {
        let h = host(&self.cfg.wayback);
        match json["status"].as_str() {
            Some("success") => {
                let ts = json["timestamp"].as_str().unwrap_or_default();
                if ts.len() != 14 || rfc3339(ts).is_none() {
                    return Err(format!("{h}: Save Page Now reported success without a capture time"));
                }
                let original = json["original_url"].as_str().filter(|u| u.starts_with("http")).unwrap_or(url);
                Ok(Some(Saved {
                    job_id: json["job_id"].as_str().map(|s| s.to_string()),
                    capture: wayback_capture(&self.cfg.wayback, &h, ts, original, Some(200)),
                }))
            }
            Some("error") => {
                let why = json["message"].as_str().or(json["status_ext"].as_str()).unwrap_or("no reason given");
                Err(format!("{h}: Save Page Now failed: {}", crate::report::sanitize(why)))
            }
            _ => Ok(None),
        }
    }
}

/// `Retry-After`: seconds or an HTTP date.
pub fn retry_after(v: Option<&str>) -> Option<Duration> {
    let v = v?.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let ts = super::from_http_date(v)?;
    let when: jiff::Timestamp = super::rfc3339(&ts)?.parse().ok()?;
    let secs = when.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// The `datetime` of the `memento` link to `target` in a Link header.
fn link_datetime(link: &str, target: &str) -> Option<String> {
    for part in link.split('<').skip(1) {
        let Some((uri, params)) = part.split_once('>') else { continue };
        if uri.trim() != target {
            continue;
        }
        if !params.contains("memento") {
            continue;
        }
        let at = params.find("datetime=\"")?;
        let rest = &params[at + 10..];
        let end = rest.find('"')?;
        return super::from_http_date(&rest[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_and_links() {
        assert_eq!(retry_after(Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO));
        assert_eq!(retry_after(Some("soon")), None);
        let link = r#"<http://x.org/a>; rel="original", <http://a.org/tg/http://x.org/a>; rel="timegate", <http://a.org/m/20220803101500/http://x.org/a>; rel="memento"; datetime="Wed, 03 Aug 2022 10:15:00 GMT""#;
        assert_eq!(link_datetime(link, "http://a.org/m/20220803101500/http://x.org/a").unwrap(), "20220803101500");
        assert_eq!(link_datetime(link, "http://other"), None);
    }
}
