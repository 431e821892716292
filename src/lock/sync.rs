//! The lock and the store, during `check` and `accept`: which baseline a
//! source is judged against (the lock wins), and writing the lock files from
//! the store's baselines.

use super::{Entry, LockFile, Locks};
use crate::claims::Factsheet;
use crate::plan::PlannedSource;
use crate::store::{self, SourceRow, Store};
use crate::text::normalize;
use regex::Regex;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a source is judged against.
#[derive(Debug, Clone, Copy)]
pub enum Base<'a> {
    /// A snapshot of the store (or none: this fetch becomes the baseline).
    Store(Option<i64>),
    /// The lock's entry: the accepted text is not in this store.
    Lock(&'a Entry),
}

/// The baseline of a source: the store's, unless the lock says otherwise.
/// When the store holds the snapshot the lock names, that snapshot becomes
/// the store's baseline; when it does not, the lock alone is the baseline.
pub fn base<'a>(st: &Store, row: &SourceRow, entry: Option<&'a Entry>) -> store::Result<Base<'a>> {
    let Some(e) = entry else { return Ok(Base::Store(row.baseline)) };
    if let Some(b) = row.baseline {
        if st.snapshot(b)?.fingerprint == e.text {
            return Ok(Base::Store(Some(b)));
        }
    }
    match st.snapshot_with_fingerprint(row.id, &e.text)? {
        Some(id) => {
            st.set_baseline(row.id, Some(id))?;
            Ok(Base::Store(Some(id)))
        }
        None => Ok(Base::Lock(e)),
    }
}

/// A decision of `accept` to write into the lock.
#[derive(Debug, Clone)]
pub enum Decision {
    /// The store's baseline of `url` was accepted at `time` (ms) with `note`.
    Accepted { url: String, time: i64, note: Option<String> },
    /// An accept was undone: `entry` is the lock's entry before it (none:
    /// rebuild from the store's baseline).
    Restored { url: String, entry: Option<Box<Entry>> },
}

impl Decision {
    fn url(&self) -> &str {
        match self {
            Decision::Accepted { url, .. } | Decision::Restored { url, .. } => url,
        }
    }
}

/// A baseline's texts as the worker that extracted it holds them: what
/// [`from_snapshot`] would otherwise read back from the store.
#[derive(Debug, Clone)]
pub struct Ready {
    /// The full text, normalised.
    pub full_norm: String,
    /// The watched text, normalised.
    pub main_norm: String,
    /// The shape of the watched text under the source's ignore patterns.
    pub shape: super::Shape,
}

/// The claims of factsheet `fi` citing `source`, as (claim, cite) pairs.
pub fn needles<'a>(
    fs: &'a Factsheet,
    fi: usize,
    source: &PlannedSource,
) -> Vec<(&'a crate::claims::Claim, &'a crate::claims::Cite)> {
    source
        .cites
        .iter()
        .filter(|c| c.factsheet == fi)
        .map(|c| {
            let claim = &fs.claims[c.claim];
            (claim, &claim.sources[c.cite])
        })
        .collect()
}

/// A lock entry from the store's snapshot `id` of `source` (its texts
/// `ready` when at hand, else read from the store).
#[allow(clippy::too_many_arguments)]
fn from_snapshot(
    st: &Store,
    source: &PlannedSource,
    id: i64,
    ignore: &[Regex],
    needles: &super::Needles<'_>,
    accepted: String,
    note: Option<String>,
    ready: Option<&Ready>,
) -> store::Result<Entry> {
    // The same snapshot, cites and patterns give the same entry: kept in the
    // store, it is not rebuilt (texts read, normalised, sketched) every run.
    let patterns: Vec<&str> = ignore.iter().map(Regex::as_str).collect();
    let key = crate::memo::key_of(&format!(
        "lock\u{0}{}\u{0}{:?}\u{0}{patterns:?}\u{0}{needles:?}\u{0}{accepted}\u{0}{note:?}",
        source.key, source.selector
    ));
    if ready.is_none() {
        if let Some(e) = st.lock_entry(id, &key)?.and_then(|j| serde_json::from_str::<Entry>(&j).ok()) {
            return Ok(e);
        }
    }
    let snap = st.snapshot(id)?;
    let e = match ready {
        Some(r) => super::entry_with(
            &source.key,
            &snap.kind,
            &snap.fingerprint,
            &r.shape,
            &r.full_norm,
            &r.main_norm,
            ignore,
            needles,
            accepted,
            note,
        ),
        None => {
            let main = crate::check::watched_text(st, &snap, source.selector.as_deref())?;
            let full = normalize(&st.text(&snap.full_sha)?);
            let main_norm = normalize(&main);
            super::entry(
                &source.key,
                &snap.kind,
                &snap.fingerprint,
                &main,
                &full,
                &main_norm,
                ignore,
                needles,
                accepted,
                note,
            )
        }
    };
    st.put_lock_entry(id, &key, &serde_json::to_string(&e).unwrap_or_default())?;
    Ok(e)
}

/// The time and note a baseline is accepted with in the lock: its accept,
/// else when the snapshot was taken.
fn accepted_as(st: &Store, source_id: i64, snapshot: i64) -> store::Result<(i64, Option<String>)> {
    Ok(match st.accept_of(source_id, snapshot)? {
        Some(a) => a,
        None => (st.snapshot_created(snapshot)?, None),
    })
}

/// Keeps, while the fetch is recorded, the lock entries that [`write_all`]
/// will write for a source whose first baseline is snapshot `id`, made from
/// the texts the worker already holds: the end of the run then finds them
/// ready instead of reading, normalising and sketching every new source
/// again, one after the other. `ignore` are the source's patterns.
pub fn keep_first(
    st: &Store,
    factsheets: &[Factsheet],
    source: &PlannedSource,
    source_id: i64,
    id: i64,
    ignore: &[Regex],
    ready: &Ready,
) -> store::Result<()> {
    let (time, note) = accepted_as(st, source_id, id)?;
    let mut done: Vec<usize> = Vec::new();
    for c in &source.cites {
        if done.contains(&c.factsheet) {
            continue;
        }
        done.push(c.factsheet);
        let needles = needles(&factsheets[c.factsheet], c.factsheet, source);
        from_snapshot(st, source, id, ignore, &needles, store::rfc3339(time), note.clone(), Some(ready))?;
    }
    Ok(())
}

/// Writes the lock file of every factsheet from the store's baselines (the
/// first baseline of a new source, a baseline accepted or restored), keeping
/// the entries whose accepted text this store does not hold. Files are
/// rewritten only when their text changes, atomically. Returns the files written.
pub fn write_all(
    st: &Store,
    factsheets: &[Factsheet],
    plan: &[PlannedSource],
    locks: &Locks,
    ignore: &[String],
    decisions: &[Decision],
) -> store::Result<Vec<PathBuf>> {
    // What the files are made from, less the store (whose baselines and
    // acceptances clear the key kept there when they move): unchanged since
    // the files were last written or found right, and no decision to write,
    // they are right as they are.
    let made_from = {
        use std::fmt::Write as _;
        let mut d = super::Digester::default();
        let _ = write!(d, "{ignore:?}\u{0}{factsheets:?}\u{0}{plan:?}");
        d.finish()
    };
    let key = |digests: &[&super::Digest]| {
        let files: Vec<(&std::path::Path, &super::Digest)> =
            locks.files.iter().map(|f| f.path.as_path()).zip(digests.iter().copied()).collect();
        crate::memo::key_of(&format!("{made_from:?}\u{0}{files:?}"))
    };
    let read: Vec<&super::Digest> = locks.files.iter().map(|f| &f.read).collect();
    if decisions.is_empty() && st.lock_sync_key()?.as_deref() == Some(key(&read).as_str()) {
        return Ok(Vec::new());
    }
    let mut now: Vec<super::Digest> = locks.files.iter().map(|f| f.read.clone()).collect();
    let mut written = Vec::new();
    for (fi, fs) in factsheets.iter().enumerate() {
        // The lock's own entries borrowed, not copied: a lock of many
        // sources is then held once, not twice.
        let mut entries: BTreeMap<&str, Cow<'_, Entry>> = BTreeMap::new();
        for p in plan.iter().filter(|p| p.cites.iter().any(|c| c.factsheet == fi)) {
            let needles = needles(fs, fi, p);
            let mut patterns = ignore.to_vec();
            patterns.extend(p.ignore.iter().cloned());
            let regexes: Vec<Regex> = patterns.iter().filter_map(|r| Regex::new(r).ok()).collect();
            let row = st.source(&p.key)?;
            let baseline = row.as_ref().and_then(|r| r.baseline);
            let current = locks.entry(&p.key);
            let decision = decisions.iter().rev().find(|d| d.url() == p.key);
            let entry = match (decision, baseline) {
                (Some(Decision::Restored { entry: Some(e), .. }), _) => Some(Cow::Borrowed(&**e)),
                (Some(Decision::Accepted { time, note, .. }), Some(b)) => Some(Cow::Owned(from_snapshot(
                    st,
                    p,
                    b,
                    &regexes,
                    &needles,
                    store::rfc3339(*time),
                    note.clone(),
                    None,
                )?)),
                (Some(Decision::Restored { entry: None, .. }), Some(b)) | (None, Some(b)) => {
                    let snap_fp = st.snapshot(b)?.fingerprint;
                    match current {
                        Some(e) if e.text == snap_fp && decision.is_none() => {
                            if e.inputs == super::inputs(&regexes, &needles) {
                                Some(e)
                            } else {
                                Some(Cow::Owned(from_snapshot(
                                    st,
                                    p,
                                    b,
                                    &regexes,
                                    &needles,
                                    e.accepted.clone(),
                                    e.note.clone(),
                                    None,
                                )?))
                            }
                        }
                        Some(e) if decision.is_none() => Some(e),
                        _ => {
                            let source_id = row.as_ref().map(|r| r.id).unwrap_or_default();
                            let (time, note) = accepted_as(st, source_id, b)?;
                            Some(Cow::Owned(from_snapshot(
                                st,
                                p,
                                b,
                                &regexes,
                                &needles,
                                store::rfc3339(time),
                                note,
                                None,
                            )?))
                        }
                    }
                }
                (Some(Decision::Restored { entry: None, .. }), None) => None,
                (_, None) => current,
            };
            if let Some(e) = entry {
                entries.insert(p.key.as_str(), e);
            }
        }
        let file = &locks.files[fi];
        if entries.is_empty() && file.read.len == 0 {
            continue;
        }
        let name = fs.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // The new text, digested a source at a time; written (rendered
        // again, straight to the file) only when it differs from the file's.
        let mut digest = super::Digester::default();
        LockFile::render_to(&name, entries.values().map(|e| &**e), &mut |piece| digest.add(piece));
        let digest = digest.finish();
        if digest != file.read {
            super::write_atomic_with(&file.path, &mut |w| {
                let mut result = Ok(());
                LockFile::render_to(&name, entries.values().map(|e| &**e), &mut |piece| {
                    if result.is_ok() {
                        result = w.write_all(piece.as_bytes());
                    }
                });
                result
            })
            .map_err(|e| store::StoreError(format!("{}: cannot write the lock file: {e}", file.path.display())))?;
            written.push(file.path.clone());
        }
        now[fi] = digest;
    }
    st.set_lock_sync_key(&key(&now.iter().collect::<Vec<_>>()))?;
    Ok(written)
}
