//! Bounded concurrency: at most N requests in flight overall and M per host.
//! A task takes its host's permit first, then a global one, so tasks queued
//! behind a busy host never hold global slots. A host configured with its own
//! `concurrency` gets that many slots (shared with its subdomains), and with
//! an `interval`, requests to it start at least that far apart.

use super::hosts::HostRules;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The two limits.
pub struct Gate {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<HostSlots>>>,
    rules: Arc<HostRules>,
}

/// One host's slots and the earliest start of its next request.
struct HostSlots {
    slots: Arc<Semaphore>,
    interval: Duration,
    next: tokio::sync::Mutex<Option<Instant>>,
}

/// Held while a request is in flight.
pub struct Pass {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Gate {
    /// A gate with `concurrency` global and `per_host` slots per host (both at least 1).
    pub fn new(concurrency: usize, per_host: usize) -> Gate {
        Gate::with_rules(concurrency, per_host, Arc::default())
    }

    /// A gate that also follows the hosts' own `concurrency` and `interval`.
    pub fn with_rules(concurrency: usize, per_host: usize, rules: Arc<HostRules>) -> Gate {
        Gate {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
            rules,
        }
    }

    fn slots(&self, host: &str) -> Arc<HostSlots> {
        let rule = self.rules.rule(host);
        // A configured host shares its slots with its subdomains.
        let key = rule.map_or_else(|| host.to_ascii_lowercase(), |(name, _)| name.to_string());
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                let n = rule.and_then(|(_, r)| r.concurrency).unwrap_or(self.per_host).max(1);
                Arc::new(HostSlots {
                    slots: Arc::new(Semaphore::new(n)),
                    interval: rule.map_or(Duration::ZERO, |(_, r)| r.interval),
                    next: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Waits for a slot for `host` (and for its interval since the last start).
    pub async fn enter(&self, host: &str) -> Pass {
        let slots = self.slots(host);
        let host = slots.slots.clone().acquire_owned().await.expect("gate semaphores are never closed");
        if !slots.interval.is_zero() {
            let mut next = slots.next.lock().await;
            if let Some(at) = *next {
                tokio::time::sleep_until(at).await;
            }
            *next = Some(Instant::now() + slots.interval);
        }
        let global = self.global.clone().acquire_owned().await.expect("gate semaphores are never closed");
        Pass { _host: host, _global: global }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn limits_per_host_and_overall() {
        let gate = Arc::new(Gate::new(3, 2));
        let now = Arc::new(AtomicUsize::new(0));
        let peak_a = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let peak_total = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..12 {
            let (gate, now, peak_a, total, peak_total) =
                (gate.clone(), now.clone(), peak_a.clone(), total.clone(), peak_total.clone());
            tasks.push(tokio::spawn(async move {
                let host = if i % 2 == 0 { "a.example" } else { "b.example" };
                let _p = gate.enter(host).await;
                let t = total.fetch_add(1, Ordering::SeqCst) + 1;
                peak_total.fetch_max(t, Ordering::SeqCst);
                if host == "a.example" {
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak_a.fetch_max(n, Ordering::SeqCst);
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                if host == "a.example" {
                    now.fetch_sub(1, Ordering::SeqCst);
                }
                total.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(peak_a.load(Ordering::SeqCst), 2);
        assert_eq!(peak_total.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn host_rules_set_slots_and_spacing() {
        use super::super::hosts::HostRule;
        let rules = HostRules {
            hosts: vec![(
                "slow.example".into(),
                HostRule { concurrency: Some(1), interval: Duration::from_millis(100), ..HostRule::default() },
            )],
            ..HostRules::default()
        };
        let gate = Arc::new(Gate::with_rules(8, 4, Arc::new(rules)));
        let t0 = Instant::now();
        let starts = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..4 {
            let (gate, starts) = (gate.clone(), starts.clone());
            tasks.push(tokio::spawn(async move {
                let host = if i % 2 == 0 { "slow.example" } else { "www.slow.example" };
                let _p = gate.enter(host).await;
                starts.lock().unwrap().push(Instant::now());
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let mut at = starts.lock().unwrap().clone();
        at.sort();
        // Each start waits for the previous one's interval: three intervals
        // at least before the fourth (a loaded machine only adds to it).
        assert!(at[3] - t0 >= Duration::from_millis(300), "{:?}", at[3] - t0);
        for w in at.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_millis(50), "{:?}", w[1] - w[0]);
        }
    }
}
