//! What a check shows on stderr while it runs: the progress bar (sources
//! done/total, a rounded rate, ETA; hidden with `--quiet` or when stderr is
//! not a terminal), the `--verbose` lines (what is fetched, retried,
//! skipped), and the count the Ctrl-C message reports.

use crate::fetch::FetchResult;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);
static DONE: AtomicU64 = AtomicU64::new(0);
static TOTAL: AtomicU64 = AtomicU64::new(0);

/// Turns the `--verbose` lines on or off for this process.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

/// Whether `--verbose` is on.
pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// Sources done and planned by the current check, for the Ctrl-C message.
pub fn counts() -> (u64, u64) {
    (DONE.load(Ordering::Relaxed), TOTAL.load(Ordering::Relaxed))
}

/// A rate of sources per second, rounded for people: `34.8/s`, `1,371/s`.
pub fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        return "0/s".into();
    }
    if per_sec < 10.0 {
        return format!("{per_sec:.1}/s");
    }
    let n = per_sec.round() as u64;
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}/s")
}

/// The progress of one check.
pub struct Progress {
    bar: ProgressBar,
}

/// A progress display for `total` sources; the bar is hidden unless `show`
/// and stderr is a terminal.
pub fn bar(total: u64, show: bool) -> Progress {
    DONE.store(0, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
    if verbose() {
        eprintln!("checking {total} distinct URL(s)");
    }
    if !show || !std::io::stderr().is_terminal() {
        return Progress { bar: ProgressBar::hidden() };
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} sources  {rate}  ETA {eta}")
            .map(|s| {
                s.with_key("rate", |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&rate(st.per_sec()));
                })
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Progress { bar }
}

impl Progress {
    /// One more source done.
    pub fn inc(&self, n: u64) {
        DONE.fetch_add(n, Ordering::Relaxed);
        self.bar.inc(n);
    }

    /// A source fetched: counted, and described under `--verbose`.
    pub fn fetched(&self, url: &str, r: &FetchResult) {
        if verbose() {
            self.say(&describe(url, r));
        }
        self.inc(1);
    }

    /// A source not fetched (`why`), judged from what the store holds.
    pub fn skipped(&self, url: &str, why: &str) {
        if verbose() {
            self.say(&format!("skipped {}: {why}", crate::report::sanitize(url)));
        }
        self.inc(1);
    }

    /// Prints a line above the bar (or plainly when there is none).
    fn say(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }

    /// Clears the bar.
    pub fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// One `--verbose` line for a fetch.
fn describe(url: &str, r: &FetchResult) -> String {
    let url = crate::report::sanitize(url);
    let what = match &r.outcome {
        Ok(resp) if resp.status == 304 => "HTTP 304, not modified".to_string(),
        Ok(resp) => format!("HTTP {}", resp.status),
        Err(f) => f.describe(),
    };
    let hops = if r.hops.is_empty() {
        String::new()
    } else {
        format!(", {} redirect(s) to {}", r.hops.len(), crate::report::sanitize(&r.final_url))
    };
    let retried = match r.attempts {
        0 | 1 => String::new(),
        n => format!(", retried {} time(s)", n - 1),
    };
    format!("fetched {url}: {what}{hops}{retried}, {} ms", r.duration.as_millis())
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_are_rounded() {
        assert_eq!(rate(34.7776), "35/s");
        assert_eq!(rate(3.4776), "3.5/s");
        assert_eq!(rate(1370.6), "1,371/s");
        assert_eq!(rate(0.0), "0/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }
}
