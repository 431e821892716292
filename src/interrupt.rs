//! Ctrl-C and SIGTERM during a check: say so plainly, keep what is stored
//! (every source is committed as it finishes), mark the run interrupted, and
//! exit 130.

use std::path::PathBuf;

/// Exit status of a check stopped by a signal (as shells report SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Watches for Ctrl-C and SIGTERM for the rest of the process; on either,
/// marks the running check of `cache` interrupted and exits.
pub fn install(cache: PathBuf) {
    let spawned = std::thread::Builder::new().name("signals".into()).spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_io().build() else { return };
        rt.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
                else {
                    return;
                };
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            {
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
            }
            stop(&cache);
        });
    });
    if let Err(e) = spawned {
        eprintln!("warning: cannot watch for Ctrl-C ({e}); stopping a check will still keep what is stored");
    }
}

fn stop(cache: &std::path::Path) -> ! {
    let (done, total) = crate::progress::counts();
    let marked = crate::store::Store::open_existing(cache)
        .and_then(|s| s.interrupt_running(crate::store::millis(jiff::Timestamp::now())));
    eprintln!();
    match marked {
        Ok(Some(run)) => eprintln!(
            "interrupted: run {run} stopped after {done} of {total} sources; what it fetched is stored and the run is marked interrupted (see `citewatch runs`); run `citewatch check` again to finish"
        ),
        Ok(None) => eprintln!("interrupted: stopped after {done} of {total} sources; nothing was left half-written"),
        Err(e) => eprintln!(
            "interrupted after {done} of {total} sources; what was fetched is stored, but the run could not be marked interrupted ({e}); the next check marks it"
        ),
    }
    std::process::exit(EXIT_INTERRUPTED)
}
