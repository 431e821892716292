//! The stored runs: the list `citewatch runs` shows, and marking a run
//! interrupted when a check is stopped by Ctrl-C or SIGTERM.

use super::{rfc3339, Result, Store};

/// One stored run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    /// RFC 3339.
    pub started: String,
    /// RFC 3339, when it finished (or was stopped).
    pub finished: Option<String>,
    /// `running`, `finished` or `interrupted`.
    pub status: String,
    pub offline: bool,
    /// Sources fetched (or judged from the cache) and stored by the run.
    pub sources: u64,
    /// Claims flagged (not ok) by the run; none for a run that did not finish.
    pub flagged: u64,
}

impl Store {
    /// Every stored run, newest first.
    pub fn runs(&self) -> Result<Vec<RunRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.started, r.finished, r.status, r.offline,
               (SELECT COUNT(*) FROM fetches f WHERE f.run_id = r.id),
               (SELECT COUNT(*) FROM verdicts v WHERE v.run_id = r.id AND v.verdict != 'ok')
             FROM runs r ORDER BY r.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RunRow {
                id: r.get(0)?,
                started: rfc3339(r.get(1)?),
                finished: r.get::<_, Option<i64>>(2)?.map(rfc3339),
                status: r.get(3)?,
                offline: r.get::<_, i64>(4)? != 0,
                sources: r.get::<_, i64>(5)? as u64,
                flagged: r.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Marks the running run (there is at most one: the cache is locked)
    /// interrupted at `now`; returns its id.
    pub fn interrupt_running(&self, now: i64) -> Result<Option<i64>> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .ok();
        if let Some(id) = id {
            self.conn.execute(
                "UPDATE runs SET status = 'interrupted', finished = ?2 WHERE id = ?1",
                rusqlite::params![id, now],
            )?;
        }
        Ok(id)
    }

    /// The ids of the runs that were interrupted.
    pub fn interrupted_runs(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT id FROM runs WHERE status = 'interrupted' ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
