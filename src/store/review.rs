//! The queries of the review commands (`status`, `history`, `diff`,
//! `accept`, `report`): rows as stored; `crate::review` shapes them.

use super::{Result, Store};
use rusqlite::{params, OptionalExtension};

/// The latest finished run: id, started, finished, offline.
pub type FinishedRun = (i64, i64, i64, bool);

/// One stored state document: its run, its order in that run, the JSON.
pub type StateDoc = (i64, i64, String);

/// One fetch of a source, as `history` lists it.
#[derive(Debug, Clone)]
pub struct FetchEvent {
    pub time: i64,
    pub run: i64,
    pub http_status: Option<u16>,
    pub health: String,
    pub content: String,
    pub similarity: Option<f64>,
    pub reason: Option<String>,
    pub final_url: Option<String>,
}

/// One accept of a source: time, note, undone.
pub type AcceptEvent = (i64, Option<String>, bool);

/// One accept as listed: time, URL, note, undone.
pub type AcceptListed = (i64, String, Option<String>, bool);

/// A baseline moved by `accept` or `undo`: URL, the baseline before, after.
pub type BaselineMove = (String, Option<i64>, Option<i64>);

/// Which claims' last state to read.
#[derive(Debug, Clone, Copy)]
pub enum ClaimsOf<'a> {
    All,
    Factsheet(&'a str),
    Claim(&'a str, &'a str),
}

/// A finished run's counts for the report's history chart: id, started,
/// sources broken, sources changed, claims flagged.
pub type RunCounts = (i64, i64, i64, i64, i64);

impl Store {
    /// The latest finished run.
    pub fn last_finished_run(&self) -> Result<Option<FinishedRun>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, started, COALESCE(finished, started), offline FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)),
            )
            .optional()?)
    }

    /// The last known state of every claim.
    pub fn claim_states(&self) -> Result<Vec<StateDoc>> {
        self.state_docs("SELECT run_id, ord, doc FROM claim_state")
    }

    /// The last known state of every source.
    pub fn source_states(&self) -> Result<Vec<StateDoc>> {
        self.state_docs("SELECT run_id, ord, doc FROM source_state")
    }

    fn state_docs(&self, sql: &str) -> Result<Vec<StateDoc>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The last known state of every factsheet, in the order first stored.
    pub fn factsheet_states(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT doc FROM factsheet_state ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The last known state documents of some claims, in factsheet order.
    pub fn claim_docs(&self, of: ClaimsOf<'_>) -> Result<Vec<String>> {
        let (sql, args): (&str, Vec<&str>) = match of {
            ClaimsOf::All => ("SELECT doc FROM claim_state ORDER BY factsheet, ord", vec![]),
            ClaimsOf::Factsheet(f) => ("SELECT doc FROM claim_state WHERE factsheet = ?1 ORDER BY ord", vec![f]),
            ClaimsOf::Claim(f, c) => ("SELECT doc FROM claim_state WHERE factsheet = ?1 AND claim = ?2", vec![f, c]),
        };
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every fetch of a source, newest first.
    pub fn fetch_events(&self, source: i64) -> Result<Vec<FetchEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT time, run_id, http_status, health, content, similarity, COALESCE(reason, error), final_url
             FROM fetches WHERE source_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok(FetchEvent {
                time: r.get(0)?,
                run: r.get(1)?,
                http_status: r.get(2)?,
                health: r.get(3)?,
                content: r.get(4)?,
                similarity: r.get(5)?,
                reason: r.get(6)?,
                final_url: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every accept of a source, newest first.
    pub fn accept_events(&self, source: i64) -> Result<Vec<AcceptEvent>> {
        let mut stmt =
            self.conn.prepare("SELECT time, note, undone FROM accepts WHERE source_id = ?1 ORDER BY id DESC")?;
        let rows = stmt.query_map([source], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The selector a snapshot's watched text was read with.
    pub fn snapshot_selector(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT selector FROM snapshots WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Makes the latest good snapshot of each source its baseline, as one
    /// accept batch; sources already at their latest are left alone.
    pub fn accept_latest(&self, urls: &[String], note: Option<&str>, now: i64) -> Result<Vec<BaselineMove>> {
        self.transaction(|st| {
            let batch: i64 = st.conn.query_row("SELECT COALESCE(MAX(batch), 0) + 1 FROM accepts", [], |r| r.get(0))?;
            let mut done = Vec::new();
            for url in urls {
                let Some(row) = st.source(url)? else { continue };
                let Some(latest) = row.latest else { continue };
                if row.baseline == Some(latest) {
                    continue;
                }
                st.conn.execute(
                    "INSERT INTO accepts (source_id, time, note, previous, baseline, batch) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![row.id, now, note, row.baseline, latest, batch],
                )?;
                st.conn.execute("UPDATE sources SET baseline = ?2 WHERE id = ?1", params![row.id, latest])?;
                done.push((url.clone(), row.baseline, Some(latest)));
            }
            Ok(done)
        })
    }

    /// Undoes the latest accept of each of `urls`, or the whole latest
    /// accept batch when `urls` is `None`.
    pub fn undo_accepts(&self, urls: Option<&[String]>) -> Result<Vec<BaselineMove>> {
        self.transaction(|st| {
            let mut rows: Vec<(i64, i64, Option<i64>, i64, String)> = Vec::new();
            let select = "SELECT a.id, a.source_id, a.previous, a.baseline, s.url FROM accepts a JOIN sources s ON s.id = a.source_id";
            match urls {
                None => {
                    let batch: Option<i64> =
                        st.conn.query_row("SELECT MAX(batch) FROM accepts WHERE undone = 0", [], |r| r.get(0))?;
                    let Some(batch) = batch else { return Ok(Vec::new()) };
                    let mut stmt = st.conn.prepare(&format!("{select} WHERE a.batch = ?1 AND a.undone = 0"))?;
                    for r in stmt.query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))? {
                        rows.push(r?);
                    }
                }
                Some(urls) => {
                    let mut stmt =
                        st.conn.prepare(&format!("{select} WHERE s.url = ?1 AND a.undone = 0 ORDER BY a.id DESC LIMIT 1"))?;
                    for u in urls {
                        if let Some(r) = stmt
                            .query_row([u], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                            .optional()?
                        {
                            rows.push(r);
                        }
                    }
                }
            }
            let mut out = Vec::new();
            for (id, source, previous, baseline, url) in rows {
                st.conn.execute("UPDATE accepts SET undone = 1 WHERE id = ?1", [id])?;
                st.conn.execute("UPDATE sources SET baseline = ?2 WHERE id = ?1", params![source, previous])?;
                out.push((url, Some(baseline), previous));
            }
            Ok(out)
        })
    }

    /// Every accept, newest first.
    pub fn accept_list(&self) -> Result<Vec<AcceptListed>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.time, s.url, a.note, a.undone FROM accepts a JOIN sources s ON s.id = a.source_id ORDER BY a.id DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every source URL, in the order first seen.
    pub fn source_urls(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT url FROM sources ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The counts of every finished online run, oldest first.
    pub fn run_counts(&self) -> Result<Vec<RunCounts>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.started,
               (SELECT COUNT(*) FROM fetches f WHERE f.run_id = r.id AND f.health = 'broken'),
               (SELECT COUNT(*) FROM fetches f WHERE f.run_id = r.id AND f.content = 'changed'),
               (SELECT COUNT(*) FROM verdicts v WHERE v.run_id = r.id AND v.verdict != 'ok')
             FROM runs r WHERE r.status = 'finished' AND r.offline = 0 ORDER BY r.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
