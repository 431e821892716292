//! The store's record of notifications: after which run each receiver was
//! last told (or had nothing to be told), so the next run can tell it what it
//! missed.

use super::{Result, Store};
use rusqlite::params;

impl Store {
    /// Records what became of a receiver's notification after `run`.
    pub fn record_notification(&self, receiver: &str, run: i64, status: &str, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO notify_log (receiver, run_id, status, error) VALUES (?1, ?2, ?3, ?4)",
            params![receiver, run, status, error],
        )?;
        Ok(())
    }

    /// The run a receiver's news is measured from, before run `run`: the
    /// last run after which it was told (sent or nothing to send); if it was
    /// never told but tried, the run before its first try; `None` when the
    /// store has never tried it (then the previous run is the measure).
    pub fn told_up_to(&self, receiver: &str, run: i64) -> Result<Option<i64>> {
        let (told, first): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT MAX(CASE WHEN status != 'failed' THEN run_id END), MIN(run_id)
             FROM notify_log WHERE receiver = ?1 AND run_id < ?2",
            params![receiver, run],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(told.or(first.map(|f| f - 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn told_up_to_the_last_run_told_or_before_the_first_try() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for t in 1..=4 {
            store.begin_run(t, false).unwrap();
        }
        assert_eq!(store.told_up_to("r", 5).unwrap(), None);
        store.record_notification("r", 2, "failed", Some("down")).unwrap();
        assert_eq!(store.told_up_to("r", 5).unwrap(), Some(1));
        store.record_notification("r", 3, "skipped", None).unwrap();
        store.record_notification("r", 4, "failed", Some("down")).unwrap();
        assert_eq!(store.told_up_to("r", 5).unwrap(), Some(3));
        assert_eq!(store.told_up_to("r", 3).unwrap(), Some(1));
        assert_eq!(store.told_up_to("other", 5).unwrap(), None);
    }
}
