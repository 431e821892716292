//! The store: one SQLite file (`cache/citewatch.db`, WAL) holding runs,
//! sources, every fetch attempt, content-addressed zstd snapshots, baselines
//! and verdicts. Each source is committed as it finishes, so a run stopped at
//! any moment leaves a consistent store. A lock file keeps two runs apart.

use crate::report::model::{RunDocument, RunReport};
use rusqlite::{params, Connection, OptionalExtension};
use std::fs::File;
use std::path::{Path, PathBuf};

const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema2.sql"),
    include_str!("schema3.sql"),
    include_str!("schema_archive.sql"),
    include_str!("schema_notify.sql"),
    include_str!("schema_judged.sql"),
    include_str!("schema_lock_sync.sql"),
    include_str!("schema_lock_files.sql"),
    include_str!("schema_rules.sql"),
];

mod notify_log;

mod archive;
mod review;
mod runs;
pub use archive::{ArchiveCopy, ArchiveLookup, ArchiveSave};
pub use review::{BaselineMove, ClaimsOf, FetchEvent};
pub use runs::RunRow;

mod erased {
    /// Anything serialisable, as JSON text.
    pub(super) trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}

/// An error of the store, in words with the path.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("cache database: {e}"))
    }
}

/// Result of store calls.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Exclusive use of a cache folder by one checking run.
pub struct CacheLock {
    _file: File,
}

/// Takes the cache's lock, or says that another run holds it.
pub fn lock(cache: &Path) -> Result<CacheLock> {
    std::fs::create_dir_all(cache)
        .map_err(|e| StoreError(format!("{}: cannot create the cache folder: {e}", cache.display())))?;
    let path = cache.join("citewatch.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError(format!("{}: cannot open the lock file: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(CacheLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError(format!(
            "another citewatch run is using the cache folder {}; wait for it to finish, or pass --cache DIR to use another",
            cache.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError(format!("{}: cannot lock: {e}", path.display()))),
    }
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Milliseconds since the epoch.
pub fn millis(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

/// RFC 3339 (UTC, seconds) of stored milliseconds.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

/// What the store knows of a source before this run.
#[derive(Debug, Clone, Default)]
pub struct SourceRow {
    pub id: i64,
    pub first_seen: i64,
    pub baseline: Option<i64>,
    pub latest: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_good: Option<i64>,
    pub consecutive_failures: u32,
    pub failing_since: Option<i64>,
}

/// A stored snapshot's texts.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: i64,
    pub kind: String,
    pub title: Option<String>,
    pub selector: Option<String>,
    pub content_type: Option<String>,
    pub fingerprint: String,
    pub raw_sha: String,
    pub main_sha: String,
    pub full_sha: String,
    /// The extraction rules its texts were made with (`extract::RULES`).
    pub rules: i64,
}

/// A snapshot to store.
pub struct NewSnapshot<'a> {
    pub kind: &'a str,
    pub content_type: Option<&'a str>,
    pub title: Option<&'a str>,
    pub selector: Option<&'a str>,
    pub raw: &'a [u8],
    pub main: &'a str,
    pub full: &'a str,
    pub fingerprint: &'a str,
}

/// Bytes ready to store: hashed and compressed, which is CPU work that any
/// thread can do, off the one thread that writes the store.
#[derive(Debug, Clone)]
pub struct BlobData {
    /// SHA-256 of the bytes, hex.
    pub sha: String,
    size: i64,
    data: Vec<u8>,
}

/// zstd level of stored blobs: on real pages level 1 is about 6 % larger than
/// level 3, at a fraction of the CPU.
const ZSTD_LEVEL: i32 = 1;

impl BlobData {
    /// Hashes and compresses `bytes`.
    pub fn of(bytes: &[u8]) -> Result<BlobData> {
        thread_local! {
            // One compression context per thread, not one per blob.
            static ZSTD: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> = const { std::cell::RefCell::new(None) };
        }
        let data = ZSTD
            .with(|z| {
                let mut z = z.borrow_mut();
                if z.is_none() {
                    *z = Some(zstd::bulk::Compressor::new(ZSTD_LEVEL)?);
                }
                z.as_mut().expect("just made").compress(bytes)
            })
            .map_err(|e| StoreError(format!("compressing a snapshot: {e}")))?;
        Ok(BlobData { sha: crate::extract::sha256(bytes), size: bytes.len() as i64, data })
    }
}

/// The three blobs of a snapshot, ready to store.
#[derive(Debug, Clone)]
pub struct SnapshotData {
    raw: BlobData,
    main: BlobData,
    full: BlobData,
}

impl SnapshotData {
    /// Hashes and compresses the body and texts of `s`.
    pub fn of(s: &NewSnapshot<'_>) -> Result<SnapshotData> {
        Ok(SnapshotData {
            raw: BlobData::of(s.raw)?,
            main: BlobData::of(s.main.as_bytes())?,
            full: BlobData::of(s.full.as_bytes())?,
        })
    }
}

/// One fetch attempt to record.
pub struct NewFetch<'a> {
    pub time: i64,
    pub duration_ms: i64,
    pub attempts: u32,
    pub http_status: Option<u16>,
    pub final_url: Option<&'a str>,
    pub redirects_json: &'a str,
    pub health: &'a str,
    pub reason: Option<&'a str>,
    pub error: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    pub bytes: Option<i64>,
    pub snapshot_id: Option<i64>,
    pub content: &'a str,
    pub similarity: Option<f64>,
}

/// The last recorded fetch of a source.
#[derive(Debug, Clone)]
pub struct FetchRow {
    pub run_id: i64,
    pub time: i64,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    pub redirects_json: String,
    pub health: String,
    pub reason: Option<String>,
    pub error: Option<String>,
    pub snapshot_id: Option<i64>,
    pub content: String,
    pub similarity: Option<f64>,
    pub attempts: u32,
}

impl Store {
    /// Opens (creating) `cache/citewatch.db` and brings its schema up to date.
    pub fn open(cache: &Path) -> Result<Store> {
        std::fs::create_dir_all(cache)
            .map_err(|e| StoreError(format!("{}: cannot create the cache folder: {e}", cache.display())))?;
        let path = cache.join("citewatch.db");
        let conn = Connection::open(&path).map_err(|e| StoreError(format!("{}: {e}", path.display())))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Every statement of a check stays prepared (the default keeps 16),
        // and binding new values never re-prepares one (the planner's
        // stability guarantee): a look-up per source costs a step, not a parse.
        conn.set_prepared_statement_cache_capacity(64);
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            .map_err(|e| StoreError(format!("{}: {e} (is it a citewatch cache?)", path.display())))?;
        let mut store = Store { conn, path };
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing store read-only work; says so plainly when there is none.
    pub fn open_existing(cache: &Path) -> Result<Store> {
        if !cache.join("citewatch.db").exists() {
            return Err(StoreError(format!(
                "no citewatch store in {}; run `citewatch check` first (or pass --cache DIR)",
                cache.display()
            )));
        }
        Store::open(cache)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError(format!(
                "{} was written by a newer citewatch (schema {version}); upgrade citewatch",
                self.path.display()
            )));
        }
        let tx = self.conn.transaction()?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The raw connection, for read queries of other modules.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one immediate transaction; inside an open batch
    /// ([`Store::begin_batch`]) in a savepoint of it, so that a failing `f`
    /// undoes its own writes only.
    pub fn transaction<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let nested = !self.conn.is_autocommit();
        self.conn.execute_batch(if nested { "SAVEPOINT one" } else { "BEGIN IMMEDIATE" })?;
        let undo = if nested { "ROLLBACK TO one; RELEASE one" } else { "ROLLBACK" };
        // A panic inside rolls back too (the caller may catch it and go on).
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self))).unwrap_or_else(|p| {
            let _ = self.conn.execute_batch(undo);
            std::panic::resume_unwind(p)
        });
        match r {
            Ok(v) => {
                self.conn.execute_batch(if nested { "RELEASE one" } else { "COMMIT" })?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch(if nested { "ROLLBACK TO one; RELEASE one" } else { "ROLLBACK" });
                Err(e)
            }
        }
    }

    /// Opens a batch: the transactions until [`Store::commit_batch`] are
    /// committed together (one commit for many sources). A process killed
    /// meanwhile loses the batch, never a part of it.
    pub fn begin_batch(&self) -> Result<()> {
        if self.conn.is_autocommit() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        Ok(())
    }

    /// Commits the open batch, if any.
    pub fn commit_batch(&self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// Starts a run; runs left `running` by a killed process become `interrupted`.
    pub fn begin_run(&self, now: i64, offline: bool) -> Result<i64> {
        self.conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'", [])?;
        self.conn.execute("INSERT INTO runs (started, offline) VALUES (?1, ?2)", params![now, offline as i64])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Finishes a run: its verdicts, its JSON document, and the last known
    /// state of each of its claims, sources and factsheets.
    pub fn finish_run(&self, run: i64, now: i64, report: &impl RunDocument) -> Result<()> {
        use erased::Json;
        // Written through the compressor: the document is never held whole
        // as text; on a second thread, while the state rows are written.
        let compress = || -> std::io::Result<Vec<u8>> {
            let z = zstd::stream::Encoder::new(Vec::new(), 3)?;
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, z);
            serde_json::to_writer(&mut w, report)?;
            w.into_inner().map_err(|e| e.into_error())?.finish()
        };
        std::thread::scope(|scope| {
            let doc = scope.spawn(compress);
            self.transaction(|s| {
                let mut verdict = s.conn.prepare_cached(
                    "INSERT OR REPLACE INTO verdicts (run_id, factsheet, claim, verdict, reasons) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                // Rows updated in place (an upsert), not deleted and inserted again.
                let mut claim = s.conn.prepare_cached(
                    "INSERT INTO claim_state (factsheet, claim, run_id, ord, verdict, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                     ON CONFLICT (factsheet, claim) DO UPDATE SET run_id = ?3, ord = ?4, verdict = ?5, doc = ?6",
                )?;
                for (i, c) in report.claims().enumerate() {
                    verdict.execute(params![run, c.factsheet, c.id, c.verdict.as_str(), c.reasons.json()])?;
                    claim.execute(params![c.factsheet, c.id, run, i as i64, c.verdict.as_str(), c.json()])?;
                }
                let mut source = s.conn.prepare_cached(
                    "INSERT INTO source_state (url, run_id, ord, doc) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (url) DO UPDATE SET run_id = ?2, ord = ?3, doc = ?4",
                )?;
                for (i, src) in report.sources().enumerate() {
                    source.execute(params![src.url, run, i as i64, src.json()])?;
                }
                let mut fs = s.conn.prepare_cached(
                    "INSERT INTO factsheet_state (id, run_id, doc) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (id) DO UPDATE SET run_id = ?2, doc = ?3",
                )?;
                for f in report.factsheets() {
                    fs.execute(params![f.id, run, f.json()])?;
                }
                let doc = doc
                    .join()
                    .map_err(|_| StoreError("compressing the run document: the thread panicked".into()))?
                    .map_err(|e| StoreError(format!("compressing the run document: {e}")))?;
                s.conn.execute(
                    "UPDATE runs SET finished = ?2, status = 'finished', report = ?3 WHERE id = ?1",
                    params![run, now, doc],
                )?;
                Ok(())
            })
        })
    }

    /// The key the lock files were last written from (see `lock::write_all`).
    pub fn lock_sync_key(&self) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT key FROM lock_sync WHERE id = 1", [], |r| r.get(0)).optional()?)
    }

    /// Whether the lock file at `path` was found, with this length and
    /// SHA-256, to read a table at a time.
    pub fn lock_file_known(&self, path: &str, len: usize, sha: &[u8]) -> Result<bool> {
        let row: Option<(i64, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT len, sha FROM lock_files WHERE path = ?1")?
            .query_row([path], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.is_some_and(|(l, s)| l as usize == len && s == sha))
    }

    /// Records that the lock file at `path`, with this length and SHA-256,
    /// reads a table at a time.
    pub fn set_lock_file_known(&self, path: &str, len: usize, sha: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO lock_files (path, len, sha) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (path) DO UPDATE SET len = ?2, sha = ?3",
            )?
            .execute(params![path, len as i64, sha])?;
        Ok(())
    }

    /// Records the key the lock files were just written from.
    pub fn set_lock_sync_key(&self, key: &str) -> Result<()> {
        self.conn
            .execute("INSERT INTO lock_sync (id, key) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET key = ?1", [key])?;
        Ok(())
    }

    /// The JSON document of a finished run (the last one when `run` is `None`).
    pub fn run_report(&self, run: Option<i64>) -> Result<Option<RunReport>> {
        let row: Option<(i64, Vec<u8>)> = match run {
            Some(id) => self
                .conn
                .query_row("SELECT id, report FROM runs WHERE id = ?1 AND report IS NOT NULL", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
            None => self
                .conn
                .query_row("SELECT id, report FROM runs WHERE report IS NOT NULL ORDER BY id DESC LIMIT 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
        };
        let Some((_, data)) = row else { return Ok(None) };
        let json =
            zstd::stream::decode_all(&data[..]).map_err(|e| StoreError(format!("reading a run document: {e}")))?;
        serde_json::from_slice(&json).map(Some).map_err(|e| StoreError(format!("reading a run document: {e}")))
    }

    /// Each claim's entry as the last finished run before `run` that judged
    /// it left it, keyed by (factsheet, claim): what "newly flagged" and
    /// "resolved" are measured against.
    /// Claims missing from the last finished run (a run of other factsheets)
    /// are looked for further back.
    pub fn previous_claims(
        &self,
        run: i64,
        wanted: &[(String, String)],
    ) -> Result<std::collections::HashMap<(String, String), crate::report::model::ClaimReport>> {
        let mut out = std::collections::HashMap::new();
        let last_run: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM runs WHERE id < ?1 AND status = 'finished' AND report IS NOT NULL ORDER BY id DESC LIMIT 1",
                [run],
                |r| r.get(0),
            )
            .optional()?;
        let Some(last_run) = last_run else { return Ok(out) };
        if let Some(doc) = self.run_report(Some(last_run))? {
            for c in doc.claims {
                out.insert((c.factsheet.clone(), c.id.clone()), c);
            }
        }
        if wanted.iter().all(|k| out.contains_key(k)) {
            return Ok(out);
        }
        let missing: std::collections::HashSet<&(String, String)> =
            wanted.iter().filter(|k| !out.contains_key(*k)).collect();
        let mut last: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
        {
            // SQLite takes the bare columns from the row holding the MAX.
            let mut stmt = self.conn.prepare(
                "SELECT factsheet, claim, MAX(run_id) FROM verdicts
                 WHERE run_id < ?1 AND run_id IN (SELECT id FROM runs WHERE status = 'finished')
                 GROUP BY factsheet, claim",
            )?;
            let rows =
                stmt.query_map([run], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
            for row in rows {
                let (f, c, id) = row?;
                let key = (f, c);
                if id != last_run && missing.contains(&key) {
                    last.entry(id).or_default().push(key);
                }
            }
        }
        for (id, keys) in last {
            let Some(doc) = self.run_report(Some(id))? else { continue };
            let wanted: std::collections::HashSet<(String, String)> = keys.into_iter().collect();
            for c in doc.claims {
                let key = (c.factsheet.clone(), c.id.clone());
                if wanted.contains(&key) {
                    out.insert(key, c);
                }
            }
        }
        Ok(out)
    }

    /// The source row for `url`, if it was ever seen.
    pub fn source(&self, url: &str) -> Result<Option<SourceRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, first_seen, baseline, latest, etag, last_modified, last_good, consecutive_failures, failing_since
                 FROM sources WHERE url = ?1",
            )?
            .query_row([url], |r| {
                Ok(SourceRow {
                    id: r.get(0)?,
                    first_seen: r.get(1)?,
                    baseline: r.get(2)?,
                    latest: r.get(3)?,
                    etag: r.get(4)?,
                    last_modified: r.get(5)?,
                    last_good: r.get(6)?,
                    consecutive_failures: r.get(7)?,
                    failing_since: r.get(8)?,
                })
            })
            .optional()?)
    }

    /// The source row for `url`, created when new.
    pub fn source_or_create(&self, url: &str, now: i64) -> Result<SourceRow> {
        if let Some(row) = self.source(url)? {
            return Ok(row);
        }
        self.conn
            .prepare_cached("INSERT INTO sources (url, first_seen) VALUES (?1, ?2)")?
            .execute(params![url, now])?;
        Ok(SourceRow { id: self.conn.last_insert_rowid(), first_seen: now, ..SourceRow::default() })
    }

    /// Stores bytes once under their SHA-256; returns the hash.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String> {
        self.put_blob_data(&BlobData::of(bytes)?)
    }

    /// Stores a blob hashed and compressed beforehand (on another thread);
    /// returns the hash.
    pub fn put_blob_data(&self, b: &BlobData) -> Result<String> {
        let exists: bool = self.conn.prepare_cached("SELECT 1 FROM blobs WHERE sha = ?1")?.exists([&b.sha])?;
        if !exists {
            self.conn
                .prepare_cached("INSERT INTO blobs (sha, size, data) VALUES (?1, ?2, ?3)")?
                .execute(params![b.sha, b.size, b.data])?;
        }
        Ok(b.sha.clone())
    }

    /// Reads a blob back.
    pub fn blob(&self, sha: &str) -> Result<Vec<u8>> {
        let (size, data): (i64, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT size, data FROM blobs WHERE sha = ?1")?
            .query_row([sha], |r| Ok((r.get(0)?, r.get(1)?)))?;
        zstd::bulk::decompress(&data, size.max(0) as usize).map_err(|e| StoreError(format!("reading a snapshot: {e}")))
    }

    /// Reads a text blob back.
    pub fn text(&self, sha: &str) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.blob(sha)?).into_owned())
    }

    /// Stores a snapshot (deduplicated per source, body and selector); returns its id.
    pub fn put_snapshot(&self, source: i64, now: i64, s: &NewSnapshot<'_>) -> Result<i64> {
        self.put_snapshot_data(source, now, s, &SnapshotData::of(s)?)
    }

    /// [`Store::put_snapshot`] with its blobs hashed and compressed beforehand.
    pub fn put_snapshot_data(&self, source: i64, now: i64, s: &NewSnapshot<'_>, d: &SnapshotData) -> Result<i64> {
        let raw = self.put_blob_data(&d.raw)?;
        let main = self.put_blob_data(&d.main)?;
        let full = self.put_blob_data(&d.full)?;
        let existing: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM snapshots WHERE source_id = ?1 AND raw_sha = ?2 AND selector IS ?3")?
            .query_row(params![source, raw, s.selector], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO snapshots (source_id, created, kind, content_type, title, selector, raw_sha, main_sha, full_sha, fingerprint, rules)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                source,
                now,
                s.kind,
                s.content_type,
                s.title,
                s.selector,
                raw,
                main,
                full,
                s.fingerprint,
                crate::extract::RULES
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A snapshot's metadata.
    pub fn snapshot(&self, id: i64) -> Result<Snapshot> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, kind, title, selector, content_type, fingerprint, raw_sha, main_sha, full_sha, rules FROM snapshots WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Snapshot {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    selector: r.get(3)?,
                    content_type: r.get(4)?,
                    fingerprint: r.get(5)?,
                    raw_sha: r.get(6)?,
                    main_sha: r.get(7)?,
                    full_sha: r.get(8)?,
                    rules: r.get(9)?,
                })
            })?)
    }

    /// Records one fetch of a source and updates the source row.
    pub fn record_fetch(&self, run: i64, source: &SourceRow, f: &NewFetch<'_>, failed: bool) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO fetches (run_id, source_id, time, duration_ms, attempts, http_status, final_url, redirects, health,
                   reason, error, etag, last_modified, bytes, snapshot_id, content, similarity)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?
            .execute(params![
                run,
                source.id,
                f.time,
                f.duration_ms,
                f.attempts,
                f.http_status,
                f.final_url,
                f.redirects_json,
                f.health,
                f.reason,
                f.error,
                f.etag,
                f.last_modified,
                f.bytes,
                f.snapshot_id,
                f.content,
                f.similarity
            ])?;
        if failed {
            self.conn
                .prepare_cached(
                    "UPDATE sources SET last_fetch = ?2, consecutive_failures = consecutive_failures + 1,
                   failing_since = COALESCE(failing_since, ?2) WHERE id = ?1",
                )?
                .execute(params![source.id, f.time])?;
        } else {
            self.conn
                .prepare_cached(
                    "UPDATE sources SET last_fetch = ?2, consecutive_failures = 0, failing_since = NULL WHERE id = ?1",
                )?
                .execute(params![source.id, f.time])?;
        }
        if let Some(snap) = f.snapshot_id {
            self.conn
                .prepare_cached(
                    "UPDATE sources SET latest = ?2, last_good = ?3, baseline = COALESCE(baseline, ?2),
                   etag = CASE WHEN ?4 = 304 THEN etag ELSE ?5 END,
                   last_modified = CASE WHEN ?4 = 304 THEN last_modified ELSE ?6 END
                 WHERE id = ?1",
                )?
                .execute(params![source.id, snap, f.time, f.http_status, f.etag, f.last_modified])?;
        }
        Ok(())
    }

    /// The judgement stored for snapshot `snapshot` against `baseline`
    /// under `key`: the quotes (JSON) and whether the watched text was empty.
    pub fn judged(&self, snapshot: i64, baseline: Option<i64>, key: &str) -> Result<Option<(String, bool)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT quotes, main_empty FROM judged WHERE snapshot_id = ?1 AND baseline_id = ?2 AND key = ?3",
            )?
            .query_row(params![snapshot, baseline.unwrap_or(0), key], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))
            .optional()?)
    }

    /// The lock entry (JSON) built from snapshot `snapshot` under `key`.
    pub fn lock_entry(&self, snapshot: i64, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT entry FROM lock_entries WHERE snapshot_id = ?1 AND key = ?2")?
            .query_row(params![snapshot, key], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a lock entry for [`Store::lock_entry`].
    pub fn put_lock_entry(&self, snapshot: i64, key: &str, entry: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO lock_entries (snapshot_id, key, entry) VALUES (?1, ?2, ?3)")?
            .execute(params![snapshot, key, entry])?;
        Ok(())
    }

    /// Keeps a judgement for [`Store::judged`].
    pub fn put_judged(
        &self,
        snapshot: i64,
        baseline: Option<i64>,
        key: &str,
        quotes: &str,
        main_empty: bool,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO judged (snapshot_id, baseline_id, key, quotes, main_empty) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![snapshot, baseline.unwrap_or(0), key, quotes, main_empty as i64])?;
        Ok(())
    }

    /// The newest snapshot of a source with this fingerprint (the one a lock names).
    pub fn snapshot_with_fingerprint(&self, source: i64, fingerprint: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM snapshots WHERE source_id = ?1 AND fingerprint = ?2 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![source, fingerprint], |r| r.get(0))
            .optional()?)
    }

    /// Sets (or clears) a source's baseline snapshot.
    pub fn set_baseline(&self, source: i64, snapshot: Option<i64>) -> Result<()> {
        self.conn.execute("UPDATE sources SET baseline = ?2 WHERE id = ?1", params![source, snapshot])?;
        Ok(())
    }

    /// When a snapshot was first stored (ms).
    pub fn snapshot_created(&self, id: i64) -> Result<i64> {
        Ok(self.conn.prepare_cached("SELECT created FROM snapshots WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
    }

    /// The time (ms) and note of the latest standing accept that made
    /// `snapshot` the baseline of `source`.
    pub fn accept_of(&self, source: i64, snapshot: i64) -> Result<Option<(i64, Option<String>)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT time, note FROM accepts WHERE source_id = ?1 AND baseline = ?2 AND undone = 0 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![source, snapshot], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Keeps, with the newest accept of `url`, the lock entry it replaced.
    pub fn set_lock_before(&self, url: &str, entry: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE accepts SET lock_before = ?2 WHERE id = (SELECT MAX(a.id) FROM accepts a JOIN sources s ON s.id = a.source_id WHERE s.url = ?1)",
            params![url, entry],
        )?;
        Ok(())
    }

    /// The lock entry kept with the newest undone accept of `url`.
    pub fn undone_lock_before(&self, url: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.lock_before FROM accepts a JOIN sources s ON s.id = a.source_id WHERE s.url = ?1 AND a.undone = 1 ORDER BY a.id DESC LIMIT 1",
                [url],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// The newest fetch of a source.
    pub fn last_fetch(&self, source: i64) -> Result<Option<FetchRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT run_id, time, http_status, final_url, redirects, health, reason, error, snapshot_id, content, similarity, attempts
                 FROM fetches WHERE id = (SELECT MAX(id) FROM fetches WHERE source_id = ?1)",
            )?
            .query_row([source], |r| {
                Ok(FetchRow {
                    run_id: r.get(0)?,
                    time: r.get(1)?,
                    http_status: r.get(2)?,
                    final_url: r.get(3)?,
                    redirects_json: r.get(4)?,
                    health: r.get(5)?,
                    reason: r.get(6)?,
                    error: r.get(7)?,
                    snapshot_id: r.get(8)?,
                    content: r.get(9)?,
                    similarity: r.get(10)?,
                    attempts: r.get(11)?,
                })
            })
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_transaction_rolls_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.transaction(|st| {
                st.source_or_create("https://a.org/", 1)?;
                panic!("judging failed");
                #[allow(unreachable_code)]
                Ok(())
            })
        }));
        assert!(r.is_err());
        assert!(store.source("https://a.org/").unwrap().is_none());
        store.transaction(|st| st.source_or_create("https://b.org/", 2).map(|_| ())).unwrap();
        assert!(store.source("https://b.org/").unwrap().is_some());
    }

    #[test]
    fn blobs_are_deduplicated_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = store.put_blob(b"hello hello hello").unwrap();
        let b = store.put_blob(b"hello hello hello").unwrap();
        assert_eq!(a, b);
        assert_eq!(store.blob(&a).unwrap(), b"hello hello hello");
        let n: i64 = store.conn().query_row("SELECT COUNT(*) FROM blobs", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        drop(store);
        // Reopening keeps the schema version.
        let store = Store::open(dir.path()).unwrap();
        let v: i64 = store.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
    }

    #[test]
    fn a_second_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = lock(dir.path()).unwrap();
        let second = lock(dir.path());
        assert!(second.is_err());
        assert!(second.err().unwrap().0.contains("another citewatch run"));
    }
}
