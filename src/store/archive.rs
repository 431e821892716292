//! The store's side of archived copies: look-ups (kept a week), copies read
//! (kept for good: an archived copy does not change) and Save Page Now requests.

use super::{Result, Store};
use rusqlite::{params, OptionalExtension};

/// One look-up of an archive for a source.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveLookup {
    /// When it was made (ms).
    pub time: i64,
    /// Which archive answered (its host), when one found a capture.
    pub archive: Option<String>,
    /// The capture found: its citable address, where its original bytes are
    /// read, its 14-digit time and recorded status. `None`: no capture.
    pub found: Option<(String, String, String, Option<u16>)>,
}

/// An archived copy read.
#[derive(Debug, Clone)]
pub struct ArchiveCopy {
    pub http_status: u16,
    pub content_type: Option<String>,
    pub kind: String,
    pub memento_time: Option<String>,
    pub raw_sha: String,
    pub main_sha: String,
    pub full_sha: String,
}

/// A Save Page Now request.
#[derive(Debug, Clone)]
pub struct ArchiveSave<'a> {
    pub url: &'a str,
    pub time: i64,
    pub job_id: Option<&'a str>,
    pub status: &'a str,
    pub timestamp: Option<&'a str>,
    pub copy_url: Option<&'a str>,
    pub message: Option<&'a str>,
}

impl Store {
    /// The look-up of `url` aimed at `target`, if one was made since `since` (ms).
    pub fn archive_lookup(&self, url: &str, target: &str, since: i64) -> Result<Option<ArchiveLookup>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT time, found, archive, copy_url, raw_url, timestamp, status FROM archive_lookups
                 WHERE url = ?1 AND target = ?2 AND time >= ?3",
            )?
            .query_row(params![url, target, since], |r| {
                let found: i64 = r.get(1)?;
                let copy: Option<String> = r.get(3)?;
                let raw: Option<String> = r.get(4)?;
                let ts: Option<String> = r.get(5)?;
                Ok(ArchiveLookup {
                    time: r.get(0)?,
                    archive: r.get(2)?,
                    found: match (found, copy, raw, ts) {
                        (1, Some(c), Some(w), Some(t)) => Some((c, w, t, r.get(6)?)),
                        _ => None,
                    },
                })
            })
            .optional()?)
    }

    /// Records a look-up (replacing the previous one for the same target).
    pub fn put_archive_lookup(&self, url: &str, target: &str, l: &ArchiveLookup) -> Result<()> {
        let (copy, raw, ts, status) = match &l.found {
            Some((c, w, t, s)) => (Some(c.as_str()), Some(w.as_str()), Some(t.as_str()), *s),
            None => (None, None, None, None),
        };
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO archive_lookups (url, target, time, found, archive, copy_url, raw_url, timestamp, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![url, target, l.time, l.found.is_some() as i64, l.archive, copy, raw, ts, status])?;
        Ok(())
    }

    /// A copy read before.
    pub fn archive_copy(&self, url: &str) -> Result<Option<ArchiveCopy>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT http_status, content_type, kind, memento_time, raw_sha, main_sha, full_sha
                 FROM archive_copies WHERE url = ?1",
            )?
            .query_row([url], |r| {
                Ok(ArchiveCopy {
                    http_status: r.get(0)?,
                    content_type: r.get(1)?,
                    kind: r.get(2)?,
                    memento_time: r.get(3)?,
                    raw_sha: r.get(4)?,
                    main_sha: r.get(5)?,
                    full_sha: r.get(6)?,
                })
            })
            .optional()?)
    }

    /// Stores a copy read: its bytes and texts.
    #[allow(clippy::too_many_arguments)]
    pub fn put_archive_copy(
        &self,
        url: &str,
        now: i64,
        http_status: u16,
        content_type: Option<&str>,
        kind: &str,
        memento_time: Option<&str>,
        raw: &[u8],
        main: &str,
        full: &str,
    ) -> Result<()> {
        let raw = self.put_blob(raw)?;
        let main = self.put_blob(main.as_bytes())?;
        let full = self.put_blob(full.as_bytes())?;
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO archive_copies (url, time, http_status, content_type, kind, memento_time, raw_sha, main_sha, full_sha)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![url, now, http_status, content_type, kind, memento_time, raw, main, full])?;
        Ok(())
    }

    /// Records a Save Page Now request.
    pub fn put_archive_save(&self, s: &ArchiveSave<'_>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO archive_saves (url, time, job_id, status, timestamp, copy_url, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![s.url, s.time, s.job_id, s.status, s.timestamp, s.copy_url, s.message])?;
        Ok(())
    }

    /// The time (ms) of the first fetch of `url` that stored a snapshot.
    pub fn first_good_fetch(&self, url: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT MIN(f.time) FROM fetches f JOIN sources s ON s.id = f.source_id
                 WHERE s.url = ?1 AND f.snapshot_id IS NOT NULL",
            )?
            .query_row([url], |r| r.get(0))?)
    }

    /// The normalised texts of the source's baseline (full, watched), if any.
    pub fn baseline_texts(&self, url: &str) -> Result<Option<(String, String)>> {
        let Some(row) = self.source(url)? else { return Ok(None) };
        let Some(base) = row.baseline else { return Ok(None) };
        let snap = self.snapshot(base)?;
        let full = crate::text::normalize(&self.text(&snap.full_sha)?);
        let main = crate::text::normalize(&self.text(&snap.main_sha)?);
        Ok(Some((full, main)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_round_trip_and_expire() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let found = ArchiveLookup {
            time: 1_000,
            archive: Some("web.archive.org".into()),
            found: Some((
                "https://w/web/2022/x".into(),
                "https://w/web/2022id_/x".into(),
                "20220803000000".into(),
                Some(200),
            )),
        };
        s.put_archive_lookup("https://x.org/a", "20220901000000", &found).unwrap();
        assert_eq!(s.archive_lookup("https://x.org/a", "20220901000000", 500).unwrap(), Some(found.clone()));
        assert_eq!(s.archive_lookup("https://x.org/a", "20220901000000", 2_000).unwrap(), None);
        assert_eq!(s.archive_lookup("https://x.org/a", "20230101000000", 0).unwrap(), None);
        let none = ArchiveLookup { time: 3_000, archive: None, found: None };
        s.put_archive_lookup("https://x.org/b", "20220901000000", &none).unwrap();
        assert_eq!(s.archive_lookup("https://x.org/b", "20220901000000", 0).unwrap(), Some(none));
        s.put_archive_copy("https://w/web/2022id_/x", 5, 200, Some("text/html"), "html", None, b"<p>a</p>", "a", "a")
            .unwrap();
        assert_eq!(s.archive_copy("https://w/web/2022id_/x").unwrap().unwrap().http_status, 200);
    }
}
