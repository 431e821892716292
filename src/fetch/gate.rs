//! Bounded concurrency: at most N requests in flight overall and M per host.
//! A task takes its host's permit first, then a global one, so tasks queued
//! behind a busy host never hold global slots.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The two limits.
pub struct Gate {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while a request is in flight.
pub struct Pass {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Gate {
    /// A gate with `concurrency` global and `per_host` slots per host (both at least 1).
    pub fn new(concurrency: usize, per_host: usize) -> Gate {
        Gate {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot for `host`.
    pub async fn enter(&self, host: &str) -> Pass {
        let sem = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.entry(host.to_ascii_lowercase()).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone()
        };
        let host = sem.acquire_owned().await.expect("gate semaphores are never closed");
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
}
