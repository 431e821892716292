//! The lock files: `claims/NAME.lock` beside each `claims/NAME.toml`, the
//! accepted baseline of every source the factsheet cites, kept in git (see
//! docs/lock-format.md). The store is the cache and the history; the lock
//! holds the decisions, and wins where the two disagree.
//!
//! `format` reads and writes the files, `build` makes an entry from a
//! baseline's texts and judges a fetch against an entry (pure), `sync` ties
//! them to the store during `check` and `accept`.

mod build;
pub mod sketch;
mod sync;

pub use build::{compare, entry, entry_with, inputs, shape, shape_normalized, similarity, Needles, Shape};
pub use sync::{base, keep_first, needles, write_all, Base, Decision, Ready};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Version of the lock format this build writes and reads.
pub const VERSION: u32 = 1;

/// The accepted baseline of one source.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The URL as cited, less the fragment.
    pub url: String,
    /// When this baseline was taken or accepted (RFC 3339, UTC).
    pub accepted: String,
    /// Why it was accepted.
    #[serde(default)]
    pub note: Option<String>,
    /// `html`, `pdf` or `other`.
    pub kind: String,
    /// SHA-256 of the normalised watched text (of the body for `other`): the snapshot.
    pub text: String,
    /// Hash of the text as compared (noise and ignore patterns removed).
    #[serde(default)]
    pub compared: String,
    /// Hash of its blocks sorted (a text whose blocks only moved is unchanged).
    #[serde(default)]
    pub blocks: String,
    /// MinHash sketch of the compared words (base64).
    #[serde(default)]
    pub sketch: String,
    /// Hash of what the passages and hashes were made for (the claims' texts
    /// and quotes, the ignore patterns): while it and `text` stay the same,
    /// the entry is not computed again.
    #[serde(default)]
    pub inputs: String,
    /// Passages of the full text holding the claims' quotes, in text order.
    #[serde(default)]
    pub quotes: Vec<String>,
    /// Passages of the watched text holding the claims' tracked figures, in text order.
    #[serde(default)]
    pub figures: Vec<String>,
}

impl Entry {
    /// The baseline's (full, watched) normalised texts as far as the lock
    /// knows them: its passages, which carry every quote and figure.
    pub fn texts(&self) -> (String, String) {
        (self.quotes.join("\n"), self.figures.join("\n"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    version: u32,
    #[serde(default)]
    source: Vec<Entry>,
}

/// Reads a lock file's text. A large lock (a source per `[[source]]`
/// table, as `render` writes it) is read a table at a time: the parser's
/// tokens of the whole file would take several times the file's size. Any
/// table that does not read alone (a hand-edited file) sends the whole text
/// through the parser, which then also names the line at fault.
fn parse(text: &str) -> Result<FileDoc, toml::de::Error> {
    match split_tables(text) {
        Some((version, tables)) => Ok(FileDoc { version, source: tables.into_iter().map(|(_, e)| e).collect() }),
        None => toml::from_str::<FileDoc>(text),
    }
}

/// One `[[source]]` table read alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tables {
    source: Vec<Entry>,
}

/// A source's entry and the byte range of its table in the file.
type Table = (std::ops::Range<usize>, Entry);

/// The lock's version (its head read alone, holding no source) and the byte
/// range of each `[[source]]` table: where a line opens one. `None` when
/// there is none, or the head does not read alone.
fn table_ranges(text: &str) -> Option<(u32, Vec<std::ops::Range<usize>>)> {
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "[[source]]" {
            starts.push(at);
        }
        at += line.len();
    }
    let &first = starts.first()?;
    let head = toml::from_str::<FileDoc>(&text[..first]).ok()?;
    if !head.source.is_empty() {
        return None;
    }
    starts.push(text.len());
    Some((head.version, starts.windows(2).map(|w| w[0]..w[1]).collect()))
}

/// The lock's version and its sources, each with the byte range of its
/// table, when every table reads alone (as `render` writes them); `None`
/// when the text must go through the parser whole.
fn split_tables(text: &str) -> Option<(u32, Vec<Table>)> {
    let (version, ranges) = table_ranges(text)?;
    let mut tables = Vec::with_capacity(ranges.len());
    for r in ranges {
        let mut t = toml::from_str::<Tables>(&text[r.clone()]).ok()?.source;
        if t.len() != 1 {
            return None;
        }
        tables.push((r, t.pop()?));
    }
    Some((version, tables))
}

/// A source's URL and the byte range of its table in the file.
type Scanned = (std::ops::Range<usize>, String);

/// The `[[source]]` tables of a text already known to read a table at a
/// time (see [`split_tables`]), found without parsing them: the byte range
/// and the URL of each, the URL read off its `url = "…"` line as `render`
/// writes it (a table written otherwise is parsed for it). `None` when the
/// text is not laid out so after all.
fn scan_tables(text: &str) -> Option<(u32, Vec<Scanned>)> {
    let (version, ranges) = table_ranges(text)?;
    let mut tables = Vec::with_capacity(ranges.len());
    for r in ranges {
        let table = &text[r.clone()];
        let line = table.split('\n').nth(1).unwrap_or("");
        let url = match line.strip_prefix("url = \"").and_then(|r| r.strip_suffix('"')) {
            Some(u) if !u.contains(['\\', '"']) => u.to_string(),
            _ => toml::from_str::<Tables>(table).ok()?.source.pop()?.url,
        };
        tables.push((r, url));
    }
    Some((version, tables))
}

/// A lock file at least this long (bytes) is not held in memory once read:
/// where each source's table is in it is, and a source's entry is read
/// again from the file when it is asked for. (A run over many sources would
/// otherwise hold every entry to its end, about a kilobyte each.)
const HELD_BELOW: usize = 256 * 1024;

/// Where each source's table is in a lock file read but not held.
#[derive(Debug)]
struct Spans {
    /// The file as it was read (a file renamed over it since, as citewatch
    /// and git replace files, is a new file: this one still reads as it was).
    file: std::sync::Mutex<std::fs::File>,
    /// (hash of the URL, offset, length), sorted.
    at: Vec<(u64, u64, u32)>,
}

impl Spans {
    /// The entry of `url`: the last table holding it.
    fn get(&self, url: &str) -> Option<Entry> {
        use std::io::{Read, Seek, SeekFrom};
        let h = url_hash(url);
        let from = self.at.partition_point(|x| x.0 < h);
        let mut found = None;
        for &(_, offset, len) in self.at[from..].iter().take_while(|x| x.0 == h) {
            let mut bytes = vec![0u8; len as usize];
            {
                let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
                if f.seek(SeekFrom::Start(offset)).and_then(|_| f.read_exact(&mut bytes)).is_err() {
                    continue;
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else { continue };
            if let Some(e) = toml::from_str::<Tables>(text).ok().and_then(|t| t.source.into_iter().next()) {
                if e.url == url {
                    found = Some(e);
                }
            }
        }
        found
    }
}

fn newer(path: &Path, version: u32) -> String {
    format!("{}: written by a newer citewatch (lock version {version}); upgrade citewatch", path.display())
}

/// One factsheet's lock file.
#[derive(Debug, Clone, Default)]
pub struct LockFile {
    pub path: PathBuf,
    /// The file's text as read, as a digest (empty when there was none):
    /// enough to tell whether a new text differs, without holding the old.
    pub read: Digest,
    /// The entries held, by URL (none when `spans` says where they are).
    entries: BTreeMap<String, Entry>,
    /// For a large file: where its entries are in it, to be read when asked for.
    spans: Option<std::sync::Arc<Spans>>,
}

/// The length and SHA-256 of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    pub len: usize,
    sha: Vec<u8>,
}

impl Digest {
    /// The digest of `text`.
    pub fn of(text: &str) -> Digest {
        let mut d = Digester::default();
        d.add(text);
        d.finish()
    }
}

/// A [`Digest`] taken piece by piece.
#[derive(Default)]
pub struct Digester {
    len: usize,
    sha: sha2::Sha256,
}

impl std::fmt::Write for Digester {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.add(s);
        Ok(())
    }
}

impl Digester {
    pub fn add(&mut self, piece: &str) {
        use sha2::Digest as _;
        self.len += piece.len();
        self.sha.update(piece.as_bytes());
    }

    pub fn finish(self) -> Digest {
        use sha2::Digest as _;
        Digest { len: self.len, sha: self.sha.finalize().to_vec() }
    }
}

/// The lock file of a claims file: `NAME.lock` beside `NAME.toml`.
pub fn path_for(claims_file: &Path) -> PathBuf {
    claims_file.with_extension("lock")
}

impl LockFile {
    /// Reads the lock of `claims_file` (empty when there is none).
    pub fn read(claims_file: &Path) -> Result<LockFile, String> {
        LockFile::read_known(claims_file, &|_, _| false).map(|(f, _)| f)
    }

    /// [`LockFile::read`], told by `known` whether a file at this path with
    /// this digest was found before to read a table at a time: it is then
    /// not parsed before its entries are asked for (each is parsed then,
    /// alone). Also says whether the file was found so now (a large file,
    /// read whole), to be remembered.
    pub fn read_known(claims_file: &Path, known: &dyn Fn(&Path, &Digest) -> bool) -> Result<(LockFile, bool), String> {
        use std::io::Read;
        let path = path_for(claims_file);
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((LockFile { path, ..LockFile::default() }, false))
            }
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        let mut text = String::new();
        if let Err(e) = file.read_to_string(&mut text) {
            return Err(format!("{}: cannot read: {e}", path.display()));
        }
        // A small file is held; a large one is split into its tables, once
        // (one that does not split goes through the parser whole, below).
        if text.len() >= HELD_BELOW {
            let digest = Digest::of(&text);
            let was_known = known(&path, &digest);
            let tables = if was_known {
                scan_tables(&text)
            } else {
                split_tables(&text).map(|(v, t)| (v, t.into_iter().map(|(r, e)| (r, e.url)).collect()))
            };
            if let Some((version, tables)) = tables {
                if version > VERSION {
                    return Err(newer(&path, version));
                }
                let mut at: Vec<(u64, u64, u32)> = tables
                    .into_iter()
                    .filter_map(|(r, url)| Some((url_hash(&url), r.start as u64, u32::try_from(r.len()).ok()?)))
                    .collect();
                at.sort_unstable();
                let spans = Spans { file: std::sync::Mutex::new(file), at };
                let spans = Some(std::sync::Arc::new(spans));
                return Ok((LockFile { path, read: digest, entries: BTreeMap::new(), spans }, !was_known));
            }
        }
        let parsed = if text.len() >= HELD_BELOW { toml::from_str::<FileDoc>(&text) } else { parse(&text) };
        let doc: FileDoc = parsed.map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)).unwrap_or(0);
            format!(
                "{}:{line}: not a citewatch lock file ({}); restore it from git (`git checkout {}`), or delete it to take new baselines",
                path.display(),
                e.message().trim(),
                path.display()
            )
        })?;
        if doc.version > VERSION {
            return Err(newer(&path, doc.version));
        }
        let entries = doc.source.into_iter().map(|e| (e.url.clone(), e)).collect();
        Ok((LockFile { path, read: Digest::of(&text), entries, spans: None }, false))
    }

    /// A lock of `entries` held in memory, as if read from `path`.
    #[cfg(test)]
    pub fn held(path: PathBuf, read: Digest, entries: BTreeMap<String, Entry>) -> LockFile {
        LockFile { path, read, entries, spans: None }
    }

    /// The entry of `url` in this file.
    pub fn get(&self, url: &str) -> Option<std::borrow::Cow<'_, Entry>> {
        match &self.spans {
            None => self.entries.get(url).map(std::borrow::Cow::Borrowed),
            Some(s) => s.get(url).map(std::borrow::Cow::Owned),
        }
    }

    /// Whether the file holds no source.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.spans.as_ref().map_or(self.entries.is_empty(), |s| s.at.is_empty())
    }

    /// The hashes of the URLs it holds.
    fn url_hashes(&self) -> Box<dyn Iterator<Item = u64> + '_> {
        match &self.spans {
            None => Box::new(self.entries.keys().map(|u| url_hash(u))),
            Some(s) => Box::new(s.at.iter().map(|x| x.0)),
        }
    }

    /// The file's text for `entries`: sources sorted by URL, keys in a fixed order.
    pub fn render(claims_name: &str, entries: &BTreeMap<String, Entry>) -> String {
        let mut text = String::new();
        LockFile::render_to(claims_name, entries.values(), &mut |piece| text.push_str(piece));
        text
    }

    /// [`LockFile::render`] of `entries` already in URL order, handed to
    /// `emit` a piece (the head, then one source) at a time: a lock of many
    /// sources is digested or written without its whole text in memory.
    pub fn render_to<'e>(claims_name: &str, entries: impl Iterator<Item = &'e Entry>, emit: &mut dyn FnMut(&str)) {
        use crate::import::toml_string as s;
        let mut out = String::new();
        out.push_str(&format!("# The accepted baseline of every source that {claims_name} cites, written by\n"));
        out.push_str("# `citewatch check` (first baselines) and `citewatch accept`. Commit it with the claims:\n");
        out.push_str("# a check on any machine judges against it, even with an empty cache.\n");
        out.push_str(&format!("version = {VERSION}\n"));
        for e in entries {
            emit(&out);
            out.clear();
            out.push_str("\n[[source]]\n");
            out.push_str(&format!("url = {}\n", s(&e.url)));
            out.push_str(&format!("accepted = {}\n", s(&e.accepted)));
            if let Some(n) = &e.note {
                out.push_str(&format!("note = {}\n", s(n)));
            }
            out.push_str(&format!("kind = {}\n", s(&e.kind)));
            out.push_str(&format!("text = {}\n", s(&e.text)));
            for (k, v) in
                [("compared", &e.compared), ("blocks", &e.blocks), ("inputs", &e.inputs), ("sketch", &e.sketch)]
            {
                if !v.is_empty() {
                    out.push_str(&format!("{k} = {}\n", s(v)));
                }
            }
            for (k, list) in [("quotes", &e.quotes), ("figures", &e.figures)] {
                if !list.is_empty() {
                    out.push_str(&format!("{k} = [\n"));
                    for p in list {
                        out.push_str(&format!("  {},\n", s(p)));
                    }
                    out.push_str("]\n");
                }
            }
        }
        emit(&out);
    }
}

impl Entry {
    /// The entry alone, as lock-file text (kept with an accept for its undo).
    pub fn to_text(&self) -> String {
        LockFile::render("", &BTreeMap::from([(self.url.clone(), self.clone())]))
    }

    /// An entry kept by `to_text`.
    pub fn from_text(text: &str) -> Option<Entry> {
        toml::from_str::<FileDoc>(text).ok()?.source.into_iter().next()
    }
}

/// The lock files of the factsheets of a run, in factsheet order.
#[derive(Debug, Clone, Default)]
pub struct Locks {
    pub files: Vec<LockFile>,
    /// With several files: by a hash of each URL they hold, the one file
    /// holding it, or [`SEVERAL`] (several files, or two URLs sharing a
    /// hash): a look-up then reads one file, not every one.
    index: HashMap<u64, u32>,
}

/// In [`Locks::index`]: look in every file.
const SEVERAL: u32 = u32::MAX;

fn url_hash(url: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(url)
}

impl Locks {
    /// Reads the lock of every factsheet.
    pub fn read(factsheets: &[crate::claims::Factsheet]) -> Result<Locks, String> {
        let files: Vec<LockFile> = factsheets.iter().map(|f| LockFile::read(&f.file)).collect::<Result<_, _>>()?;
        Ok(Locks::of(files))
    }

    /// [`Locks::read`], the store remembering which large lock files were
    /// found to read a table at a time: one found so before, unchanged, is
    /// not parsed again before its entries are asked for.
    pub fn read_with(factsheets: &[crate::claims::Factsheet], st: &crate::store::Store) -> Result<Locks, String> {
        let key = |p: &Path| p.to_string_lossy().into_owned();
        let known = |p: &Path, d: &Digest| st.lock_file_known(&key(p), d.len, &d.sha).unwrap_or(false);
        let mut files = Vec::with_capacity(factsheets.len());
        for f in factsheets {
            let (file, found) = LockFile::read_known(&f.file, &known)?;
            if found {
                // Remembering is an optimisation: a failed write costs a parse next time.
                let _ = st.set_lock_file_known(&key(&file.path), file.read.len, &file.read.sha);
            }
            files.push(file);
        }
        Ok(Locks::of(files))
    }

    /// The locks of these files, indexed.
    fn of(files: Vec<LockFile>) -> Locks {
        let mut index: HashMap<u64, u32> = HashMap::new();
        if files.len() > 1 {
            for (i, f) in files.iter().enumerate() {
                for h in f.url_hashes() {
                    let at = index.entry(h).or_insert(i as u32);
                    if *at != i as u32 {
                        *at = SEVERAL;
                    }
                }
            }
        }
        Locks { files, index }
    }

    /// The entry of a source: where several factsheets cite it, the most
    /// recently accepted (the last file's of those accepted at once).
    pub fn entry(&self, url: &str) -> Option<std::borrow::Cow<'_, Entry>> {
        if self.files.len() <= 1 {
            return self.files.first()?.get(url);
        }
        match self.index.get(&url_hash(url)) {
            None => None,
            Some(&SEVERAL) => self.files.iter().filter_map(|f| f.get(url)).max_by(|a, b| a.accepted.cmp(&b.accepted)),
            Some(&i) => self.files[i as usize].get(url),
        }
    }
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same
/// folder, synced, then renamed over it. Readers see the old or the new file,
/// never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &mut |f| f.write_all(bytes))
}

/// [`write_atomic`] of what `write` writes.
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::io::BufWriter::with_capacity(64 * 1024, std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What a run did to its sources, for [`notices`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Sources in the run.
    pub sources: usize,
    /// Sources that answered (any HTTP status).
    pub fetched: usize,
    /// Sources whose health is `error`.
    pub errors: usize,
    /// Sources read for the first time (a first baseline).
    pub new: usize,
    /// Sources judged this run.
    pub judged: usize,
    /// The run judged from the cache alone.
    pub offline: bool,
}

/// What the text output of `check` adds about baselines and reachability:
/// first baselines taken, lock files written, and, loudly, a run in which
/// no source could be fetched.
/// `fails_unverified`: the run already fails on `unverified` (no hint then).
pub fn notices(
    tally: &Tally,
    written: &[PathBuf],
    fails_unverified: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let n = tally.sources;
    if n > 0 && tally.fetched == 0 && !tally.offline {
        writeln!(out)?;
        writeln!(
            out,
            "!!! NOT ONE OF THE {n} SOURCES COULD BE FETCHED ({} errors): nothing was checked.",
            tally.errors
        )?;
        let hint = if fails_unverified {
            "this run fails (--fail-on unverified)."
        } else {
            "use --fail-on unverified to fail such runs."
        };
        writeln!(out, "!!! Is this machine offline, or its DNS or proxy broken? {}", capitalise(hint))?;
    }
    let new = tally.new;
    // An offline run re-judges stored fetches: it takes no baseline.
    if new > 0 && !tally.offline {
        writeln!(out, "{new} source{}: first baselines taken", if new == 1 { "" } else { "s" })?;
    }
    for w in written {
        writeln!(out, "wrote {} (commit it: the baselines then hold on every machine)", w.display())?;
    }
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// What `diff` shows when the accepted baseline is in the lock but not in
/// this cache: the lock's passages, each said to be still in the latest text
/// or gone.
pub fn render_lock_diff(
    e: &Entry,
    latest_time: &str,
    latest: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use crate::report::sanitize;
    let note = e.note.as_deref().map(|n| format!(", \"{}\"", sanitize(n))).unwrap_or_default();
    writeln!(
        out,
        "== {}: judged against the baseline accepted {}{note} (in the lock file); its full text is not in this cache",
        sanitize(&e.url),
        sanitize(&e.accepted)
    )?;
    let now = crate::text::normalize(latest);
    let passages: Vec<&String> = e.quotes.iter().chain(&e.figures).collect();
    if passages.is_empty() {
        writeln!(
            out,
            "   the lock holds no passage of it (no quote or tracked figure); the latest text is from {latest_time}"
        )?;
    }
    for p in passages {
        let state = if crate::text::find(&now, p).is_some() { "still there" } else { "GONE from the latest text" };
        writeln!(out, "  \"{}\": {state} ({latest_time})", sanitize(p))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, accepted: &str) -> Entry {
        Entry {
            url: url.into(),
            accepted: accepted.into(),
            note: None,
            kind: "html".into(),
            text: format!("{url} {accepted}"),
            compared: String::new(),
            blocks: String::new(),
            sketch: String::new(),
            inputs: String::new(),
            quotes: Vec::new(),
            figures: Vec::new(),
        }
    }

    #[test]
    fn an_entry_is_the_most_recently_accepted_of_every_file_holding_it() {
        let file = |name: &str, entries: &[(&str, &str)]| {
            LockFile::held(
                PathBuf::from(name),
                Digest::default(),
                entries.iter().map(|(u, a)| (u.to_string(), entry(u, a))).collect(),
            )
        };
        let files = vec![
            file("a.lock", &[("https://x/1", "2022-01-01T00:00:00Z"), ("https://x/2", "2022-05-01T00:00:00Z")]),
            file("b.lock", &[("https://x/2", "2023-01-01T00:00:00Z"), ("https://x/3", "2022-01-01T00:00:00Z")]),
            file("c.lock", &[("https://x/3", "2022-01-01T00:00:00Z"), ("https://x/4", "2021-01-01T00:00:00Z")]),
        ];
        // The answer of a scan of every file, as the index must give it.
        let scan = |files: &[LockFile], url: &str| -> Option<String> {
            files
                .iter()
                .filter_map(|f| f.entries.get(url))
                .max_by(|a, b| a.accepted.cmp(&b.accepted))
                .map(|e| e.text.clone())
        };
        let expected: Vec<Option<String>> = ["https://x/1", "https://x/2", "https://x/3", "https://x/4", "https://x/5"]
            .iter()
            .map(|u| scan(&files, u))
            .collect();
        let locks = Locks::of(files);
        let got: Vec<Option<String>> = ["https://x/1", "https://x/2", "https://x/3", "https://x/4", "https://x/5"]
            .iter()
            .map(|u| locks.entry(u).map(|e| e.text.clone()))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(got[1].as_deref(), Some("https://x/2 2023-01-01T00:00:00Z"), "the later acceptance wins");
        let tie = locks.entry("https://x/3").unwrap();
        assert!(std::ptr::eq(&*tie, &locks.files[2].entries["https://x/3"]), "ties: the last file");
        drop(tie);
        assert_eq!(got[4], None);
        // Two URLs sharing a hash are looked up in every file.
        let mut locks = locks;
        let h = url_hash("https://x/1");
        locks.index.insert(h, SEVERAL);
        assert_eq!(locks.entry("https://x/1").map(|e| e.text.clone()), expected[0]);
    }

    #[test]
    fn a_large_lock_is_read_from_its_file_when_asked_and_as_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("big.toml");
        let one = |i: usize| Entry {
            url: format!("https://x.org/page/{i}"),
            accepted: "2026-12-01T00:00:00Z".into(),
            note: i.is_multiple_of(7).then(|| format!("note {i}: \"quoted\"\nover lines")),
            kind: "html".into(),
            text: format!("{i:064x}"),
            compared: format!("{i:032x}"),
            blocks: format!("{:032x}", i * 3),
            sketch: "AAAA".repeat(100),
            inputs: format!("{i:016x}"),
            quotes: vec![format!("passage {i} of the text"), format!("[[source]]\nin a passage {i}")],
            figures: vec![format!("{i} people were displaced")],
        };
        let all: BTreeMap<String, Entry> = (0..600).map(|i| (one(i).url, one(i))).collect();
        let text = LockFile::render("big.toml", &all);
        assert!(text.len() >= HELD_BELOW, "the test needs a file past the threshold: {}", text.len());
        std::fs::write(path_for(&claims), &text).unwrap();
        let (read, found) = LockFile::read_known(&claims, &|_, _| false).unwrap();
        assert!(found, "read whole and found to read a table at a time: to be remembered");
        assert!(read.spans.is_some() && read.entries.is_empty(), "a large lock is not held");
        // Known from an earlier read: its tables are found without parsing
        // them, and read as the same entries.
        let (scanned, found) =
            LockFile::read_known(&claims, &|p, d| p == path_for(&claims) && *d == read.read).unwrap();
        assert!(!found);
        assert_eq!(scanned.spans.as_ref().unwrap().at, read.spans.as_ref().unwrap().at);
        assert_eq!(scan_tables(&text).unwrap().1.len(), all.len());
        for ((r1, url), (r2, e)) in scan_tables(&text).unwrap().1.into_iter().zip(split_tables(&text).unwrap().1) {
            assert_eq!((r1, url), (r2, e.url));
        }
        assert_eq!(read.read, Digest::of(&text));
        assert!(!read.is_empty());
        // Replaced after it was read (a new file renamed over it, as citewatch
        // and git write files): the run still reads what it read.
        write_atomic(&path_for(&claims), b"version = 1\n").unwrap();
        for (url, e) in &all {
            assert_eq!(read.get(url).as_deref(), Some(e), "{url}");
        }
        assert!(read.get("https://x.org/page/600").is_none());
        assert!(read.get("https://x.org/page/").is_none());
        // Several files: the index finds each entry in the file holding it.
        let small = LockFile::held(
            PathBuf::from("small.lock"),
            Digest::default(),
            BTreeMap::from([("https://y.org/a".to_string(), one(1_000_000))]),
        );
        let locks = Locks::of(vec![small, read]);
        assert_eq!(locks.entry("https://x.org/page/17").as_deref(), all.get("https://x.org/page/17"));
        assert_eq!(locks.entry("https://y.org/a").map(|e| e.text.clone()), Some(one(1_000_000).text));
        // A large file that does not split into tables is read whole, and held.
        let odd = text.replacen("[[source]]\n", "[[source]]\n# a comment\n", 1).replace("version = 1", "version=1");
        std::fs::write(path_for(&claims), &odd).unwrap();
        let read = LockFile::read(&claims).unwrap();
        assert_eq!(read.get("https://x.org/page/5").as_deref(), all.get("https://x.org/page/5"));
    }

    #[test]
    fn reads_back_what_it_writes_and_names_a_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("f.toml");
        assert!(LockFile::read(&claims).unwrap().entries.is_empty(), "no lock yet");
        let e = Entry {
            url: "https://x.org/a".into(),
            accepted: "2026-12-01T00:00:00Z".into(),
            note: Some("a \"quoted\" note\nover lines".into()),
            kind: "html".into(),
            text: "ab".repeat(32),
            compared: "cd".repeat(16),
            blocks: "ef".repeat(16),
            sketch: "AAAA".into(),
            inputs: "0123456789abcdef".into(),
            quotes: vec!["one passage".into()],
            figures: vec![],
        };
        let text = LockFile::render("f.toml", &BTreeMap::from([(e.url.clone(), e.clone())]));
        std::fs::write(path_for(&claims), &text).unwrap();
        let read = LockFile::read(&claims).unwrap();
        assert_eq!(read.entries[&e.url], e);
        assert_eq!(read.read, Digest::of(&text));
        assert_eq!(read.read.len, text.len());
        assert_eq!(Entry::from_text(&e.to_text()), Some(e.clone()));
        // Read a table at a time, a lock of many sources reads as a whole.
        let many: BTreeMap<String, Entry> = (0..50)
            .map(|i| {
                let mut e = e.clone();
                e.url = format!("https://x.org/{i}");
                e.quotes = vec![format!("passage {i}\n[[source]]\nurl = \"not a table\"")];
                (e.url.clone(), e)
            })
            .collect();
        let big = LockFile::render("f.toml", &many);
        assert_eq!(parse(&big).unwrap().source, toml::from_str::<FileDoc>(&big).unwrap().source);
        assert_eq!(parse(&big).unwrap().source.len(), 50);
        let odd = "version = 1\n[[source]]\nurl = \"u\"\naccepted = \"t\"\nkind = \"html\"\ntext = \"\"\"a\n[[source]]\nb\"\"\"\n";
        assert_eq!(parse(odd).unwrap().source[0].text, "a\n[[source]]\nb", "a table split inside a string");
        std::fs::write(path_for(&claims), format!("{text}\n[[source]]\nurl = 3\n")).unwrap();
        let err = LockFile::read(&claims).unwrap_err();
        assert!(err.contains("f.lock:"), "{err}");
        assert!(err.contains("restore it from git"), "{err}");
        std::fs::write(path_for(&claims), "version = 9\n").unwrap();
        assert!(LockFile::read(&claims).unwrap_err().contains("upgrade citewatch"));
    }
}
