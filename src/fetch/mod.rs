//! Stage 2: fetch. The only async code: one shared reqwest client, bounded
//! concurrency overall and per host, redirects followed by hand with every hop
//! recorded, retries with back-off and `Retry-After`, bodies streamed under a
//! cap, conditional requests. Each result is handed to a blocking worker (text
//! extraction runs there, off the async threads) and then to a sink.

mod gate;
mod hosts;

pub use gate::Gate;
pub use hosts::{HostRule, HostRules, Secret};

use crate::report::model::Hop;
use reqwest::header::{HeaderMap, HeaderValue};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Time-out of one attempt: time on the network, redirects included,
    /// counted from when each request is sent (waiting for a slot is not).
    pub timeout: Duration,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Requests in flight per host.
    pub per_host: usize,
    /// Retries after the first attempt.
    pub retries: u32,
    /// Largest body read, after decompression.
    pub max_body: u64,
    /// The User-Agent header.
    pub user_agent: String,
    /// Longest `Retry-After` honoured; longer ones stop the retries.
    pub max_retry_after: Duration,
    /// First back-off delay; doubled at each retry, with jitter.
    pub backoff: Duration,
    /// Global headers and the settings per host.
    pub hosts: Arc<HostRules>,
}

impl FetchConfig {
    /// The default identifying User-Agent.
    pub fn default_user_agent() -> String {
        format!("citewatch/{} (+https://github.com/citewatch/citewatch)", env!("CARGO_PKG_VERSION"))
    }
}

/// One URL to fetch.
#[derive(Debug, Clone)]
pub struct FetchJob {
    /// The caller's index for this source.
    pub index: usize,
    /// The URL (no fragment).
    pub url: Url,
    /// ETag of the last good fetch.
    pub etag: Option<String>,
    /// Last-Modified of the last good fetch.
    pub last_modified: Option<String>,
}

/// Why a request produced no HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The attempt ran past the time-out.
    Timeout(Duration),
    /// The DNS says the name does not exist.
    NoSuchHost(String),
    /// The name could not be resolved (resolver unreachable, temporary failure).
    Resolve(String),
    /// The connection was refused or dropped.
    Connect(String),
    /// TLS handshake or certificate failure.
    Tls(String),
    /// More than 10 redirects.
    TooManyRedirects,
    /// A redirect went back to a URL already visited.
    RedirectLoop(String),
    /// A redirect without a usable Location.
    BadRedirect(String),
    /// The body was larger than the cap.
    TooLarge(u64),
    /// Anything else.
    Other(String),
}

impl Failure {
    /// The failure in plain words.
    pub fn describe(&self) -> String {
        match self {
            Failure::Timeout(d) if d.is_zero() => "timed out connecting".into(),
            Failure::Timeout(d) => format!("timed out after {} s", d.as_secs_f64()),
            Failure::NoSuchHost(h) => format!("DNS: no such host {h}"),
            Failure::Resolve(m) => format!("DNS lookup failed: {m}"),
            Failure::Connect(m) => format!("connection failed: {m}"),
            Failure::Tls(m) => format!("TLS failure: {m}"),
            Failure::TooManyRedirects => "more than 10 redirects".into(),
            Failure::RedirectLoop(u) => format!("redirect loop back to {u}"),
            Failure::BadRedirect(m) => format!("bad redirect: {m}"),
            Failure::TooLarge(cap) => format!("body larger than the {} MiB cap", cap / (1024 * 1024)),
            Failure::Other(m) => m.clone(),
        }
    }

    fn retryable(&self) -> bool {
        matches!(self, Failure::Timeout(_) | Failure::Connect(_) | Failure::Other(_))
    }
}

/// The final HTTP response of a fetch.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Content-Type.
    pub content_type: Option<String>,
    /// ETag.
    pub etag: Option<String>,
    /// Last-Modified.
    pub last_modified: Option<String>,
    /// Retry-After as sent.
    pub retry_after: Option<String>,
    /// `cf-mitigated` (Cloudflare challenge marker).
    pub mitigated: Option<String>,
    /// The body, decompressed, at most the cap.
    pub body: Vec<u8>,
}

/// Everything learnt fetching one URL.
#[derive(Debug, Clone)]
pub struct FetchResult {
    /// The job's index.
    pub index: usize,
    /// When the fetch started.
    pub started: jiff::Timestamp,
    /// How long it took, retries included.
    pub duration: Duration,
    /// Each redirect hop: the URL asked for and its 3xx status.
    pub hops: Vec<Hop>,
    /// The last URL asked for.
    pub final_url: String,
    /// Attempts made.
    pub attempts: u32,
    /// The final response or why there was none.
    pub outcome: Result<Response, Failure>,
}

/// Builds the one shared client.
pub fn client(cfg: &FetchConfig) -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut headers = HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"),
    );
    reqwest::Client::builder()
        .user_agent(cfg.user_agent.clone())
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
        // Connections are kept alive for the next request to the host (a
        // new connection per request costs a handshake on both ends), at
        // most as many idle per host as the host may have requests in
        // flight; `follow` holds a request's host slot until its connection
        // is back in the pool, so that the next request reuses it rather
        // than opening another beside it.
        .pool_max_idle_per_host(
            cfg.hosts.hosts.iter().filter_map(|(_, r)| r.concurrency).fold(cfg.per_host.max(1), usize::max),
        )
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Results fetched and processed but not yet taken by the sink, at most:
/// with the requests in flight, this bounds the bodies held in memory.
const QUEUED: usize = 64;

/// The jobs of a run, each made when it starts: a run of many sources never
/// holds them all (nor their URLs twice).
pub trait Jobs: Sync {
    /// How many there are.
    fn count(&self) -> usize;
    /// The URL of job `i` (its host decides its turn).
    fn url(&self, i: usize) -> &Url;
    /// Job `i` itself.
    fn job(&self, i: usize) -> FetchJob;
}

impl Jobs for [FetchJob] {
    fn count(&self) -> usize {
        self.len()
    }
    fn url(&self, i: usize) -> &Url {
        &self[i].url
    }
    fn job(&self, i: usize) -> FetchJob {
        self[i].clone()
    }
}

/// The jobs in an order that takes turns between hosts (first URL of each
/// host, then the second of each, …), stable within a host: a bounded window
/// of started jobs then spans every host still to fetch, and a host holding
/// most URLs never fills the window while the others wait.
fn interleave<J: Jobs + ?Sized>(jobs: &J) -> Vec<u32> {
    let mut order: Vec<(u32, u32)> = Vec::with_capacity(jobs.count());
    let mut seen: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for i in 0..jobs.count() {
        // Hosts of http(s) URLs are lower case once parsed.
        let turn = seen.entry(jobs.url(i).host_str().unwrap_or("")).or_insert(0);
        order.push((*turn, i as u32));
        *turn += 1;
    }
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Fetches every job, at most `cfg.concurrency` at once. Each result goes
/// through `process` on a blocking thread, then to `sink`. Returns when all
/// are done, or as soon as `sink` breaks (the fetches still running are
/// dropped).
///
/// Memory stays flat in the number of jobs: a job is started only when one of
/// `concurrency + QUEUED` slots is free, and its slot is freed when the sink
/// has taken its result, so bodies fetched faster than they are processed or
/// stored hold the fetching back instead of piling up.
pub fn run<T, P, S>(jobs: &[FetchJob], cfg: &FetchConfig, process: P, sink: S) -> Result<(), String>
where
    T: Send + 'static,
    P: Fn(FetchResult) -> T + Send + Sync + 'static,
    S: FnMut(T) -> std::ops::ControlFlow<()> + Send,
{
    run_with_idle(jobs, cfg, process, sink, || {})
}

/// [`run`], calling `idle` whenever the sink has taken every result ready so
/// far (the moment to commit what it has gathered).
///
/// The requests run on one async thread, the processing on blocking worker
/// threads, the sink on the calling thread. One async thread makes the hand
/// over of a kept-alive connection deterministic: when a response's body
/// has been read, the task returning its connection to the pool is already
/// queued on that thread, and runs while the request yields before giving
/// up its host slot (see `follow`), so the next request to the host finds
/// the connection idle instead of opening another.
pub fn run_with_idle<T, P, S, I, J>(jobs: &J, cfg: &FetchConfig, process: P, sink: S, idle: I) -> Result<(), String>
where
    T: Send + 'static,
    P: Fn(FetchResult) -> T + Send + Sync + 'static,
    S: FnMut(T) -> std::ops::ControlFlow<()> + Send,
    I: FnMut() + Send,
    J: Jobs + ?Sized,
{
    let client = client(cfg)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let gate = Arc::new(Gate::with_rules(cfg.concurrency, cfg.per_host, cfg.hosts.clone()));
    let dns = Arc::new(DnsCheck::new(jobs));
    // Text extraction is CPU work: at most one per core at a time. (The
    // blocking pool itself stays large: the DNS resolver runs there too.)
    let cpus = Arc::new(tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));
    let slots = Arc::new(tokio::sync::Semaphore::new(cfg.concurrency.max(1) + QUEUED));
    let process = Arc::new(process);
    let cfg = Arc::new(cfg.clone());
    let order = interleave(jobs);
    let (mut sink, mut idle) = (sink, idle);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(T, tokio::sync::OwnedSemaphorePermit)>(QUEUED);
    // Told when the sink is done: the async thread then stops.
    let (done, finished) = tokio::sync::oneshot::channel::<()>();
    let stop = slots.clone();
    std::thread::scope(|scope| {
        let fetching = std::thread::Builder::new().name("fetch".into()).spawn_scoped(scope, move || {
            runtime.block_on(async move {
                // Jobs are spawned in the order given, so that they start
                // (and queue at their hosts' gates) in that order.
                for i in order {
                    // Closed when the sink breaks: no more jobs start.
                    let Ok(slot) = slots.clone().acquire_owned().await else { break };
                    let job = jobs.job(i as usize);
                    let (client, gate, cfg, process, tx, dns, cpus) = (
                        client.clone(),
                        gate.clone(),
                        cfg.clone(),
                        process.clone(),
                        tx.clone(),
                        dns.clone(),
                        cpus.clone(),
                    );
                    tokio::spawn(async move {
                        let result = fetch_checked(&client, &gate, &cfg, &dns, job).await;
                        let permit = cpus.acquire_owned().await.expect("never closed");
                        let processed = tokio::task::spawn_blocking(move || {
                            let out = process(result);
                            drop(permit);
                            out
                        })
                        .await;
                        if let Ok(out) = processed {
                            let _ = tx.send((out, slot)).await;
                        }
                    });
                }
                drop(tx);
                let _ = finished.await;
            });
            // Lookups the resolver never answered may still hold blocking
            // threads, and after a break fetches are still running: do not
            // wait for them.
            runtime.shutdown_background();
        });
        if let Err(e) = fetching {
            return Err(format!("cannot start the fetching thread: {e}"));
        }
        while let Some((out, slot)) = rx.blocking_recv() {
            if sink(out).is_break() {
                stop.close();
                break;
            }
            drop(slot);
            if rx.is_empty() {
                idle();
            }
        }
        drop(rx);
        let _ = done.send(());
        Ok(())
    })
}

/// Fetches one job, telling an outage of the DNS from a name that does not exist.
async fn fetch_checked(
    client: &reqwest::Client,
    gate: &Gate,
    cfg: &FetchConfig,
    dns: &DnsCheck,
    job: FetchJob,
) -> FetchResult {
    let mut result = match dns.known_broken(&job.url) {
        // Once no name resolves, the rest fail at once instead of
        // each waiting for the resolver.
        Some(host) => no_such_host(job.index, &job.url, host, 0),
        None if !needs_dns(&job.url) => fetch_one(client, gate, cfg, job).await,
        None => {
            let (index, url) = (job.index, job.url.clone());
            tokio::select! {
                r = fetch_one(client, gate, cfg, job) => r,
                host = dns.wait_broken(&url) => no_such_host(index, &url, host, 1),
            }
        }
    };
    if let Err(Failure::NoSuchHost(host)) = &result.outcome {
        if !host.ends_with(".invalid") && !dns.works(host).await {
            result.outcome = Err(Failure::Resolve(format!(
                "{host} does not resolve, and neither does any other name tried: no working DNS (offline?)"
            )));
        }
    }
    result
}

/// Whether "no such host" answers can be trusted: they can when some other
/// name resolves. A machine without network often answers "no such host" for
/// every name; that is an outage (`error`), not link rot (`broken`).
struct DnsCheck {
    hosts: Vec<String>,
    works: tokio::sync::OnceCell<bool>,
    broken: tokio::sync::Notify,
}

/// The result of a fetch cut short because no name resolves.
fn no_such_host(index: usize, url: &Url, host: String, attempts: u32) -> FetchResult {
    FetchResult {
        index,
        started: jiff::Timestamp::now(),
        duration: Duration::ZERO,
        hops: Vec::new(),
        final_url: url.to_string(),
        attempts,
        outcome: Err(Failure::NoSuchHost(host)),
    }
}

/// Whether fetching `url` needs a DNS lookup.
fn needs_dns(url: &Url) -> bool {
    matches!(url.host(), Some(url::Host::Domain(d)) if d != "localhost")
}

impl DnsCheck {
    fn new<J: Jobs + ?Sized>(jobs: &J) -> DnsCheck {
        let mut hosts: Vec<String> = Vec::new();
        for i in 0..jobs.count() {
            if hosts.len() >= 8 {
                break;
            }
            if let Some(url::Host::Domain(d)) = jobs.url(i).host() {
                if d != "localhost" && !hosts.iter().any(|h| h == d) && hosts.len() < 8 {
                    hosts.push(d.to_string());
                }
            }
        }
        hosts.push("example.com".into());
        DnsCheck { hosts, works: tokio::sync::OnceCell::new(), broken: tokio::sync::Notify::new() }
    }

    /// The host of `url` when the DNS is known not to work and the URL needs it.
    fn known_broken(&self, url: &Url) -> Option<String> {
        match self.works.get() {
            Some(false) if needs_dns(url) => url.host_str().map(str::to_string),
            _ => None,
        }
    }

    /// Resolves (with the host of `url`) once the DNS is found not to work.
    async fn wait_broken(&self, url: &Url) -> String {
        loop {
            let notified = self.broken.notified();
            if let Some(host) = self.known_broken(url) {
                return host;
            }
            notified.await;
        }
    }

    async fn works(&self, failing: &str) -> bool {
        let works = *self
            .works
            .get_or_init(|| async {
                // All the other names at once; the first that resolves settles it.
                let mut lookups = tokio::task::JoinSet::new();
                for h in self.hosts.iter().filter(|h| h.as_str() != failing) {
                    let h = h.clone();
                    lookups.spawn(async move {
                        tokio::net::lookup_host((h.as_str(), 443)).await.is_ok_and(|mut a| a.next().is_some())
                    });
                }
                let any = async {
                    while let Some(r) = lookups.join_next().await {
                        if r.unwrap_or(false) {
                            return true;
                        }
                    }
                    false
                };
                tokio::time::timeout(Duration::from_secs(2), any).await.unwrap_or(false)
            })
            .await;
        if !works {
            self.broken.notify_waiters();
        }
        works
    }
}

/// A cheap jitter factor in 0.5..1.5 without a random-number crate.
fn jitter(seed: u64) -> f64 {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15 ^ (Instant::now().elapsed().as_nanos() as u64);
    x ^= std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(7);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    0.5 + (x % 1000) as f64 / 1000.0
}

/// Reads `Retry-After` as seconds or an HTTP date.
pub fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let d = when.duration_since(now);
    Some(Duration::try_from(d).unwrap_or(Duration::ZERO))
}

async fn fetch_one(client: &reqwest::Client, gate: &Gate, cfg: &FetchConfig, job: FetchJob) -> FetchResult {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (hops, final_url, outcome) = follow(client, gate, cfg, &job).await;
        let wait = match &outcome {
            _ if attempts > cfg.retries => None,
            Err(f) if f.retryable() => Some(None),
            Ok(r) if matches!(r.status, 429 | 502 | 503 | 504) && r.mitigated.is_none() => {
                Some(r.retry_after.as_deref().and_then(|v| retry_after(v, jiff::Timestamp::now())))
            }
            _ => None,
        };
        let delay = match wait {
            None => None,
            Some(Some(server)) if server > cfg.max_retry_after => None,
            Some(Some(server)) => Some(server),
            Some(None) => {
                let base = cfg.backoff.as_secs_f64() * 2f64.powi(attempts as i32 - 1);
                Some(Duration::from_secs_f64(base * jitter(job.index as u64 + attempts as u64)))
            }
        };
        match delay {
            Some(d) => tokio::time::sleep(d).await,
            None => {
                return FetchResult {
                    index: job.index,
                    started,
                    duration: clock.elapsed(),
                    hops,
                    final_url,
                    attempts,
                    outcome,
                }
            }
        }
    }
}

type Followed = (Vec<Hop>, String, Result<Response, Failure>);

/// What one request of a chain gave.
enum Step {
    /// A 3xx (not 304) and its Location.
    Redirect(u16, Option<String>),
    /// The final response.
    Done(Response),
}

/// Follows redirects by hand. The time-out counts only while a request is in
/// flight (its host slot held), never while waiting for a slot: the whole
/// chain may spend `cfg.timeout` on the network, however long it queued.
async fn follow(client: &reqwest::Client, gate: &Gate, cfg: &FetchConfig, job: &FetchJob) -> Followed {
    let mut url = job.url.clone();
    let mut hops = Vec::new();
    let mut seen = HashSet::new();
    seen.insert(url.to_string());
    let mut spent = Duration::ZERO;
    loop {
        let host = url.host_str().unwrap_or("").to_string();
        let pass = gate.enter(&host).await;
        let began = Instant::now();
        let left = cfg.timeout.saturating_sub(spent);
        let step = tokio::time::timeout(left, request(client, cfg, job, &url, hops.is_empty(), &host)).await;
        spent += began.elapsed();
        // Let the finished connection's task run and return it to the pool
        // (or close it) before the slot is free: else the next request to
        // the host may open another while it is still open.
        for _ in 0..16 {
            tokio::task::yield_now().await;
        }
        drop(pass);
        let step = match step {
            Err(_) => return (hops, url.to_string(), Err(Failure::Timeout(cfg.timeout))),
            Ok(Err(f)) => return (hops, url.to_string(), Err(f)),
            Ok(Ok(s)) => s,
        };
        let (status, location) = match step {
            Step::Done(response) => return (hops, url.to_string(), Ok(response)),
            Step::Redirect(status, location) => (status, location),
        };
        let Some(location) = location else {
            return (hops, url.to_string(), Err(Failure::BadRedirect(format!("HTTP {status} without a Location"))));
        };
        let next = match url.join(location.trim()) {
            Ok(n) if matches!(n.scheme(), "http" | "https") => n,
            _ => {
                return (
                    hops,
                    url.to_string(),
                    Err(Failure::BadRedirect(format!("Location \"{location}\" is not an http(s) URL"))),
                )
            }
        };
        hops.push(Hop { url: url.to_string(), status });
        let mut next = next;
        next.set_fragment(None);
        if !seen.insert(next.to_string()) {
            return (hops, next.to_string(), Err(Failure::RedirectLoop(next.to_string())));
        }
        if hops.len() > 10 {
            return (hops, next.to_string(), Err(Failure::TooManyRedirects));
        }
        url = next;
    }
}

/// One request: sent, and either its redirect read or its body read under the cap.
async fn request(
    client: &reqwest::Client,
    cfg: &FetchConfig,
    job: &FetchJob,
    url: &Url,
    first: bool,
    host: &str,
) -> Result<Step, Failure> {
    let mut req = cfg.hosts.apply(host, client.get(url.clone()));
    if first {
        if let Some(e) = &job.etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(lm) = &job.last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
    }
    let resp = req.send().await.map_err(|e| classify_error(&e, host))?;
    let status = resp.status().as_u16();
    if (300..400).contains(&status) && status != 304 {
        let location = resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        return Ok(Step::Redirect(status, location));
    }
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut response = Response {
        status,
        content_type: header("content-type"),
        etag: header("etag"),
        last_modified: header("last-modified"),
        retry_after: header("retry-after"),
        mitigated: header("cf-mitigated"),
        body: Vec::new(),
    };
    if status != 304 {
        response.body = read_body(resp, cfg.max_body).await?;
    }
    Ok(Step::Done(response))
}

async fn read_body(mut resp: reqwest::Response, cap: u64) -> Result<Vec<u8>, Failure> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(Failure::TooLarge(cap));
    }
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(Failure::TooLarge(cap));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(classify_error(&e, "")),
        }
    }
}

/// Maps a reqwest error to a [`Failure`] by walking its causes.
fn classify_error(e: &reqwest::Error, host: &str) -> Failure {
    let mut chain = String::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        chain.push_str(&err.to_string());
        chain.push_str(": ");
        cur = err.source();
    }
    let lower = chain.to_lowercase();
    let last = chain.trim_end_matches(": ").rsplit(": ").next().unwrap_or(&chain).to_string();
    if e.is_timeout() {
        return Failure::Timeout(Duration::ZERO);
    }
    if lower.contains("dns error") || lower.contains("lookup address") {
        if lower.contains("name or service not known")
            || lower.contains("no address associated")
            || lower.contains("nodename nor servname")
            || lower.contains("nxdomain")
        {
            return Failure::NoSuchHost(host.to_string());
        }
        return Failure::Resolve(last);
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return Failure::Tls(last);
    }
    if e.is_connect() || lower.contains("connection refused") || lower.contains("connection reset") {
        return Failure::Connect(last);
    }
    if e.is_body() || e.is_decode() {
        return Failure::Other(format!("the body could not be read: {last}"));
    }
    Failure::Other(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_retry_after() {
        let now: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Fri, 27 Nov 2026 10:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("Fri, 27 Nov 2026 09:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
    }
}
