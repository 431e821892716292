//! Reading and validating claims files: TOML syntax, unknown and missing keys,
//! ids, URLs, selectors and text fragments, each error with its position.

use super::{parse_fragment, split_fragment, Cite, Claim, Factsheet};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

/// One problem in a claims file, with its position and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.column, self.message)
    }
}

/// All the problems found; the files are refused as a whole.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        write!(f, "{} error(s) in the claims files; nothing was fetched or written", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}

/// Lists the `*.toml` files named by `paths` (files as given, folders walked
/// recursively, sorted), or says which path does not exist.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p);
        if meta.as_ref().is_ok_and(|m| m.is_dir()) {
            let before = files.len();
            walk(p, &mut files).map_err(|e| format!("{}: cannot read folder: {e}", p.display()))?;
            files[before..].sort();
        } else if meta.as_ref().is_ok_and(|m| m.is_file()) {
            files.push(p.clone());
        } else if meta.is_ok() {
            return Err(not_regular(p));
        } else {
            return Err(format!(
                "{}: no such file or folder; pass the claims with --claims PATH (a .toml file or a folder of them)",
                p.display()
            ));
        }
    }
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "no claims files (*.toml) in {}; add one (see the README's claims format) or pass --claims PATH",
            shown.join(", ")
        ));
    }
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// Largest claims file read (the biggest real one is a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Longest host name accepted in a URL (the DNS limit).
pub const MAX_HOST_CHARS: usize = 253;

/// Longest URL accepted, fragment excluded.
pub const MAX_URL_CHARS: usize = 8192;

fn not_regular(p: &Path) -> String {
    format!(
        "{}: not a regular file (a device, pipe or socket?); claims files must be ordinary .toml files",
        p.display()
    )
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            // Pipes, devices and sockets named *.toml are refused when read.
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a claims file: a regular file (checked before opening, so a pipe
/// never blocks), at most [`MAX_FILE_BYTES`].
pub fn read_claims_file(file: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(file).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket?); claims files must be ordinary .toml files".into());
    }
    let too_big = || {
        format!(
            "the file is larger than {} MiB; claims files are far smaller: is it the right file?",
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Swapped for a pipe since the check: opening still does not block.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(file).map_err(|e| format!("cannot read: {e}"))?;
    if !f.metadata().map_err(|e| format!("cannot read: {e}"))?.is_file() {
        return Err("not a regular file (a device, pipe or socket?); claims files must be ordinary .toml files".into());
    }
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Loads and validates every claims file under `paths`.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Factsheet>, Diagnostics> {
    let files = collect_files(paths).map_err(|message| {
        Diagnostics(vec![Diagnostic { file: paths.first().cloned().unwrap_or_default(), line: 0, column: 0, message }])
    })?;
    load_files(&files)
}

/// Loads and validates the given files, checking ids across them.
pub fn load_files(files: &[PathBuf]) -> Result<Vec<Factsheet>, Diagnostics> {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    let mut ids: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for file in files {
        let text = match read_claims_file(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    errors.push(Diagnostic {
                        file: file.clone(),
                        line: 1,
                        column: 1,
                        message: "the file is not UTF-8 text; save it as UTF-8".into(),
                    });
                    continue;
                }
            },
            Err(message) => {
                // Line 0: printed as the message alone, so it names the file.
                let message = format!("{}: {message}", file.display());
                errors.push(Diagnostic { file: file.clone(), line: 0, column: 0, message });
                continue;
            }
        };
        let parsed = parse_str(file, &text);
        // A file with other errors still claims its id: check it too.
        let id = match &parsed {
            Ok((fs, pos)) => Some((fs.id.clone(), *pos)),
            Err(_) => factsheet_id(&text),
        };
        if let Some((id, (id_line, id_col))) = id {
            if let Some((other, line)) = ids.get(&id) {
                errors.push(Diagnostic {
                    file: file.clone(),
                    line: id_line,
                    column: id_col,
                    message: format!(
                        "factsheet id \"{id}\" is already used by {}:{line}; ids must be unique across all claims files",
                        other.display()
                    ),
                });
            } else {
                ids.insert(id, (file.clone(), id_line));
            }
        }
        match parsed {
            Ok((fs, _)) => all.push(fs),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The factsheet id of a file that does not validate, when it can be read.
fn factsheet_id(text: &str) -> Option<(String, (usize, usize))> {
    let root = DeTable::parse(text).ok()?;
    let fs = get(root.get_ref(), "factsheet")?;
    let DeValue::Table(t) = fs.get_ref() else { return None };
    let id = get(t, "id")?;
    let DeValue::String(s) = id.get_ref() else { return None };
    Some((s.to_string(), Lines::new(text).position(text, id.span().start)))
}

/// Byte offset → 1-based (line, column).
/// Byte offsets where each line starts, to turn offsets into positions.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }
    /// Byte offset → 1-based (line, column in characters).
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.0.partition_point(|&start| start <= offset);
        let start = self.0[line - 1];
        (line, text.get(start..offset).map_or(0, |l| l.chars().count()) + 1)
    }
}

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    lines: Lines,
    errors: Vec<Diagnostic>,
}

/// The keys of a source in table form.
const SOURCE_KEYS: [&str; 6] = ["url", "quote", "quotes", "selector", "archived", "ignore"];

/// What an editor most likely meant by an unknown `key`: an allowed key one
/// or two edits away ("qoutes"), or, in a claim, a key of a source.
fn key_hint(key: &str, allowed: &[&str], what: &str) -> Option<String> {
    let lower = key.to_lowercase();
    if let Some(a) = nearest(&lower, allowed) {
        return Some(format!("did you mean \"{a}\"?"));
    }
    if what == "[[claim]]" && SOURCE_KEYS.contains(&lower.as_str()) {
        return Some(format!("\"{lower}\" belongs on a source: sources = [{{ url = \"https://…\", {lower} = … }}]"));
    }
    None
}

/// The allowed key one edit away from `key` (two for keys longer than four
/// letters), the nearest first.
pub(crate) fn nearest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= if a.len() > 4 { 2 } else { 1 })
        .min()
        .map(|(_, a)| a)
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

impl Ctx<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.position(self.text, offset)
    }
    fn err(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (line, column) = self.position(span.start);
        self.errors.push(Diagnostic { file: self.file.to_path_buf(), line, column, message: message.into() });
    }
    fn line(&self, span: &std::ops::Range<usize>) -> usize {
        self.position(span.start).0
    }

    /// Reports keys of `table` not in `allowed`, with the key meant when
    /// one is near (a typo) or belongs on a source.
    fn unknown_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &str) {
        for (k, _) in table.iter() {
            let key: &str = k.get_ref().as_ref();
            if !allowed.contains(&key) {
                let hint = key_hint(key, allowed, what).map(|h| format!(" ({h})")).unwrap_or_default();
                self.err(
                    k.span(),
                    format!("unknown key \"{key}\" in {what}{hint}; allowed keys are: {}", allowed.join(", ")),
                );
            }
        }
    }

    fn string(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.err(v.span(), format!("{what} must be a string, in double quotes"));
                None
            }
        }
    }

    fn strings(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Vec<String> {
        match v.get_ref() {
            DeValue::Array(a) => {
                let mut list: Vec<String> = a.iter().filter_map(|x| self.string(x, what)).collect();
                list.shrink_to_fit();
                list
            }
            _ => {
                self.err(v.span(), format!("{what} must be a list of strings, like [\"a\", \"b\"]"));
                Vec::new()
            }
        }
    }

    fn nonempty_quotes(&mut self, v: &Spanned<DeValue<'_>>, list: Vec<String>) -> Vec<String> {
        if list.iter().any(|q| q.trim().is_empty()) {
            self.err(v.span(), "a quote is empty; remove it or write the words the source must carry");
        }
        let mut kept: Vec<String> = list.into_iter().filter(|q| !q.trim().is_empty()).collect();
        kept.shrink_to_fit();
        kept
    }
}

fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v)
}

fn valid_factsheet_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn valid_date(s: &str) -> bool {
    s.parse::<jiff::civil::Date>().is_ok()
}

/// Parses one claims file's text. On success also returns the position of the factsheet id.
pub fn parse_str(file: &Path, text: &str) -> Result<(Factsheet, (usize, usize)), Vec<Diagnostic>> {
    let mut cx = Ctx { file, text, lines: Lines::new(text), errors: Vec::new() };
    let root = match DeTable::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            cx.err(span, format!("TOML syntax: {}", e.message().trim()));
            return Err(cx.errors);
        }
    };
    let root_span = root.span();
    let root = root.get_ref();
    cx.unknown_keys(root, &["factsheet", "claim"], "the file (top level)");

    let mut fs = Factsheet {
        id: String::new(),
        title: String::new(),
        published: None,
        url: None,
        file: file.to_path_buf(),
        claims: Vec::new(),
    };
    let mut id_pos = (1, 1);
    match get(root, "factsheet") {
        None => cx.err(root_span.start..root_span.start, "missing [factsheet] table; add one with id and title"),
        Some(v) => match v.get_ref() {
            DeValue::Table(t) => {
                cx.unknown_keys(t, &["id", "title", "published", "url"], "[factsheet]");
                match get(t, "id") {
                    None => cx.err(v.span(), "[factsheet] has no id; add id = \"my-factsheet\""),
                    Some(idv) => {
                        id_pos = cx.position(idv.span().start);
                        if let Some(id) = cx.string(idv, "factsheet id") {
                            if !valid_factsheet_id(&id) {
                                cx.err(idv.span(), format!("factsheet id \"{id}\" must match [a-z0-9][a-z0-9-]* (lower-case letters, digits, dashes)"));
                            }
                            fs.id = id;
                        }
                    }
                }
                match get(t, "title") {
                    None => cx.err(v.span(), "[factsheet] has no title; add title = \"...\""),
                    Some(tv) => {
                        if let Some(title) = cx.string(tv, "factsheet title") {
                            if title.trim().is_empty() {
                                cx.err(tv.span(), "factsheet title is empty");
                            }
                            fs.title = title;
                        }
                    }
                }
                if let Some(pv) = get(t, "published") {
                    match pv.get_ref() {
                        DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => {
                            fs.published = Some(d.to_string());
                        }
                        DeValue::String(s) if valid_date(s) => fs.published = Some(s.to_string()),
                        _ => cx.err(pv.span(), "published must be a date like 2022-09-01"),
                    }
                }
                if let Some(uv) = get(t, "url") {
                    if let Some(u) = cx.string(uv, "factsheet url") {
                        if let Err(m) = check_url(&u) {
                            cx.err(uv.span(), m);
                        }
                        fs.url = Some(u);
                    }
                }
            }
            _ => cx.err(v.span(), "factsheet must be a table: [factsheet]"),
        },
    }

    match get(root, "claim") {
        None => {}
        Some(v) => match v.get_ref() {
            DeValue::Array(items) => {
                let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
                fs.claims.reserve_exact(items.len());
                for item in items.iter() {
                    if let Some(claim) = parse_claim(&mut cx, item) {
                        if let Some(first) = seen.get(&claim.id) {
                            cx.err(
                                item.span(),
                                format!(
                                    "claim id \"{}\" is already used at line {first} of this factsheet; claim ids must be unique within a factsheet",
                                    claim.id
                                ),
                            );
                        } else {
                            seen.insert(claim.id.clone(), claim.line);
                        }
                        fs.claims.push(claim);
                    }
                }
            }
            _ => cx.err(v.span(), "claims are written as [[claim]] tables"),
        },
    }

    if cx.errors.is_empty() {
        Ok((fs, id_pos))
    } else {
        Err(cx.errors)
    }
}

fn check_url(u: &str) -> Result<url::Url, String> {
    let (base, _) = split_fragment(u);
    let chars = base.chars().count();
    match url::Url::parse(base) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| h.len() > MAX_HOST_CHARS) => Err(format!(
            "the host name of \"{}…\" is longer than {MAX_HOST_CHARS} characters, which no DNS name can be; check the address",
            base.chars().take(60).collect::<String>()
        )),
        _ if chars > MAX_URL_CHARS => Err(format!(
            "a URL of {chars} characters (\"{}…\") is longer than the {MAX_URL_CHARS} accepted; check the address",
            base.chars().take(60).collect::<String>()
        )),
        Ok(parsed)
            if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(parsed)
        }
        Ok(parsed) => Err(format!(
            "\"{u}\" is not an http(s) URL (scheme \"{}\"); write the full address, like https://example.org/page",
            parsed.scheme()
        )),
        Err(e) => {
            Err(format!("\"{u}\" is not an absolute URL ({e}); write the full address, like https://example.org/page"))
        }
    }
}

fn parse_claim(cx: &mut Ctx<'_>, item: &Spanned<DeValue<'_>>) -> Option<Claim> {
    let DeValue::Table(t) = item.get_ref() else {
        cx.err(item.span(), "each claim must be a table: [[claim]]");
        return None;
    };
    cx.unknown_keys(t, &["id", "text", "where", "quotes", "sources", "confidence"], "[[claim]]");
    let line = cx.line(&item.span());
    let mut claim = Claim {
        id: String::new(),
        text: String::new(),
        where_: None,
        quotes: Vec::new(),
        sources: Vec::new(),
        confidence: None,
        line,
    };
    match get(t, "id") {
        None => cx.err(item.span(), "claim has no id; add id = \"short-name\" (unique within the factsheet)"),
        Some(v) => {
            if let Some(id) = cx.string(v, "claim id") {
                if id.is_empty() || id.contains('/') || id.chars().any(char::is_whitespace) {
                    cx.err(v.span(), format!("claim id \"{id}\" must be non-empty, without spaces or '/'"));
                }
                claim.line = cx.line(&v.span());
                claim.id = id;
            }
        }
    }
    match get(t, "text") {
        None => {
            cx.err(item.span(), format!("claim \"{}\" has no text; add text = \"the claim as published\"", claim.id))
        }
        Some(v) => claim.text = cx.string(v, "claim text").unwrap_or_default(),
    }
    if let Some(v) = get(t, "where") {
        claim.where_ = cx.string(v, "where");
    }
    if let Some(v) = get(t, "confidence") {
        let number = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok().map(|x| (x, f.as_str())),
            // An integer too large for 64 bits is out of range too.
            DeValue::Integer(i) => Some((
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).map_or(f64::INFINITY, |n| n as f64),
                i.as_str(),
            )),
            _ => None,
        };
        match number {
            Some((x, _)) if x.is_finite() && (0.0..=1.0).contains(&x) => claim.confidence = Some(x),
            Some((_, written)) => {
                cx.err(v.span(), format!("confidence = {written} is out of range; write a number from 0 to 1"))
            }
            None => cx.err(v.span(), "confidence must be a number from 0 to 1"),
        }
    }
    if let Some(v) = get(t, "quotes") {
        let list = cx.strings(v, "quotes");
        claim.quotes = cx.nonempty_quotes(v, list);
    }
    match get(t, "sources") {
        None => cx.err(item.span(), format!("claim \"{}\" has no sources; add sources = [\"https://...\"]", claim.id)),
        Some(v) => match v.get_ref() {
            DeValue::Array(a) => {
                if a.is_empty() {
                    cx.err(
                        v.span(),
                        format!("claim \"{}\" has no sources; a claim must cite at least one URL", claim.id),
                    );
                }
                parse_sources(cx, a, &mut claim);
            }
            _ => cx
                .err(v.span(), "sources must be a list: [\"https://...\", { url = \"https://...\", quote = \"...\" }]"),
        },
    }
    Some(claim)
}

fn parse_sources(cx: &mut Ctx<'_>, list: &DeArray<'_>, claim: &mut Claim) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Exactly as many as written: a run holds every claim of every file.
    claim.sources.reserve_exact(list.len());
    for v in list.iter() {
        let line = cx.line(&v.span());
        let mut cite = Cite {
            url: String::new(),
            quotes: Vec::new(),
            fragments: Vec::new(),
            selector: None,
            archived: None,
            ignore: Vec::new(),
            line,
        };
        let url_span;
        match v.get_ref() {
            DeValue::String(s) => {
                cite.url = s.to_string();
                url_span = v.span();
            }
            DeValue::Table(t) => {
                cx.unknown_keys(t, &SOURCE_KEYS, "a source");
                match get(t, "url") {
                    None => {
                        cx.err(v.span(), "a source table needs url = \"https://...\"");
                        continue;
                    }
                    Some(u) => {
                        url_span = u.span();
                        cite.url = cx.string(u, "url").unwrap_or_default();
                    }
                }
                if let Some(q) = get(t, "quote") {
                    if let Some(s) = cx.string(q, "quote") {
                        cite.quotes = cx.nonempty_quotes(q, vec![s]);
                    }
                }
                if let Some(q) = get(t, "quotes") {
                    let list = cx.strings(q, "quotes");
                    let mut list = cx.nonempty_quotes(q, list);
                    cite.quotes.append(&mut list);
                }
                if let Some(s) = get(t, "selector") {
                    if let Some(sel) = cx.string(s, "selector") {
                        if scraper::Selector::parse(&sel).is_err() {
                            cx.err(
                                s.span(),
                                format!("selector \"{sel}\" is not a valid CSS selector; write one like \"article\", \"#main\" or \"div.content\""),
                            );
                        }
                        cite.selector = Some(sel);
                    }
                }
                if let Some(a) = get(t, "archived") {
                    if let Some(u) = cx.string(a, "archived") {
                        if let Err(m) = check_url(&u) {
                            cx.err(a.span(), format!("archived: {m}"));
                        }
                        cite.archived = Some(u);
                    }
                }
                if let Some(i) = get(t, "ignore") {
                    let list = match i.get_ref() {
                        DeValue::String(_) => cx.string(i, "ignore").into_iter().collect(),
                        _ => cx.strings(i, "ignore"),
                    };
                    for pattern in &list {
                        if let Err(e) = regex::Regex::new(pattern) {
                            cx.err(
                                i.span(),
                                format!("ignore pattern \"{pattern}\" is not a valid regular expression: {e}"),
                            );
                        }
                    }
                    cite.ignore = list;
                }
            }
            _ => {
                cx.err(v.span(), "a source is a URL string or a table { url = \"https://...\" }");
                continue;
            }
        }
        if cite.url.is_empty() {
            continue;
        }
        if let Err(m) = check_url(&cite.url) {
            cx.err(url_span.clone(), m);
            continue;
        }
        if let (_, Some(frag)) = split_fragment(&cite.url) {
            match parse_fragment(frag) {
                Ok(f) => cite.fragments = f,
                Err(m) => cx.err(url_span.clone(), format!("{m}; percent-encode ',', '-' and '&' inside terms")),
            }
        }
        if let Some(first) = seen.get(&cite.url) {
            cx.err(
                url_span.clone(),
                format!(
                    "\"{}\" is cited twice in claim \"{}\" (first at line {first}); remove one",
                    cite.url, claim.id
                ),
            );
            continue;
        }
        seen.insert(cite.url.clone(), line);
        claim.sources.push(cite);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Factsheet, Vec<Diagnostic>> {
        parse_str(Path::new("f.toml"), text).map(|(f, _)| f)
    }

    const GOOD: &str = r#"
[factsheet]
id = "mali-fama-2022"
title = "Mali"
published = 2022-09-01

[[claim]]
id = "idps"
text = "401,850 displaced."
where = "p. 7"
quotes = ["401,850"]
sources = [
  "https://reliefweb.int/report#:~:text=record-,401%2C850,-displaced",
  { url = "https://www.hrw.org/news/x", quote = "35 people", selector = "article", archived = "https://web.archive.org/web/2022/https://www.hrw.org/news/x" },
]
"#;

    #[test]
    fn reads_a_good_file() {
        let fs = parse(GOOD).unwrap();
        assert_eq!(fs.id, "mali-fama-2022");
        assert_eq!(fs.published.as_deref(), Some("2022-09-01"));
        let c = &fs.claims[0];
        assert_eq!(c.line, 8);
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].fragments[0].start, "401,850");
        assert_eq!(c.sources[0].key(), "https://reliefweb.int/report");
        assert_eq!(c.sources[1].quotes, vec!["35 people"]);
        assert_eq!(c.sources[1].line, 14);
    }

    fn first_error(text: &str) -> Diagnostic {
        parse(text).unwrap_err().remove(0)
    }

    #[test]
    fn numbers_and_urls_out_of_range_are_refused() {
        let claim = |extra: &str, url: &str| {
            format!("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\n{extra}\nsources = [\"{url}\"]\n")
        };
        for bad in ["nan", "+inf", "-inf", "5.0", "-0.1", "2", "99999999999999999999999", "1e400"] {
            let d = first_error(&claim(&format!("confidence = {bad}"), "https://a.org/"));
            assert!(d.message.contains("confidence"), "{bad}: {}", d.message);
            assert_eq!(d.line, 7, "{bad}");
        }
        for good in ["0", "1", "0.5", "1.0", "0.82"] {
            let f = parse(&claim(&format!("confidence = {good}"), "https://a.org/")).unwrap();
            assert!(f.claims[0].confidence.is_some_and(|c| (0.0..=1.0).contains(&c)), "{good}");
        }
        let host = "a".repeat(100_000);
        let d = first_error(&claim("", &format!("https://{host}.org/")));
        assert!(d.message.contains("longer than 253"), "{}", &d.message[..200.min(d.message.len())]);
        assert!(d.message.len() < 400, "the message repeats the whole URL");
        let d = first_error(&claim("", &format!("https://a.org/{}", "p".repeat(20_000))));
        assert!(d.message.contains("longer than the 8192"), "{}", &d.message[..200.min(d.message.len())]);
    }

    #[test]
    fn only_regular_files_are_read_and_at_most_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            let zero = dir.path().join("zero.toml");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            let e = read_claims_file(&zero).unwrap_err();
            assert!(e.contains("not a regular file"), "{e}");
            let fifo = dir.path().join("pipe.toml");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: mkfifo with a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = load(&[dir.path().to_path_buf()]).unwrap_err();
            let all = e.to_string();
            assert!(all.contains("pipe.toml") && all.contains("not a regular file"), "{all}");
            assert!(all.contains("zero.toml"), "{all}");
            let e = collect_files(&[zero]).unwrap_err();
            assert!(e.contains("zero.toml: not a regular file"), "{e}");
        }
        let big = dir.path().join("big.toml");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let e = read_claims_file(&big).unwrap_err();
        assert!(e.contains("larger than 16 MiB"), "{e}");
    }

    #[test]
    fn names_the_key_meant() {
        let claim = |key: &str| {
            first_error(&format!(
                "[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"c\"\ntext = \"t\"\nsources = [\"https://x.org/\"]\n{key} = 1\n"
            ))
            .message
        };
        assert!(
            claim("qoutes").contains("unknown key \"qoutes\" in [[claim]] (did you mean \"quotes\"?)"),
            "{}",
            claim("qoutes")
        );
        assert!(claim("source").contains("did you mean \"sources\"?"), "{}", claim("source"));
        assert!(claim("Text").contains("did you mean \"text\"?"), "{}", claim("Text"));
        let sel = claim("selector");
        assert!(
            sel.contains("\"selector\" belongs on a source: sources = [{ url = \"https://…\", selector = … }]"),
            "{sel}"
        );
        assert!(!claim("colour").contains("did you mean"), "{}", claim("colour"));
        let d = first_error("[factsheet]\nid = \"x\"\ntitel = \"t\"\n");
        assert!(d.message.contains("did you mean \"title\"?"), "{}", d.message);
    }

    #[test]
    fn points_at_each_problem() {
        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\ncolour = 1\n");
        assert_eq!((d.line, d.column), (4, 1));
        assert!(d.message.contains("unknown key \"colour\""), "{}", d.message);

        let d = first_error("[factsheet]\nid = \"x\"\n");
        assert!(d.message.contains("no title"));

        let d = first_error("[factsheet]\nid = \"X y\"\ntitle = \"t\"\n");
        assert!(d.message.contains("must match"));

        let d =
            first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = []\n");
        assert!(d.message.contains("no sources"), "{}", d.message);
        assert_eq!(d.line, 7);

        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = [\"ftp://x.org/a\"]\n");
        assert!(d.message.contains("not an http(s) URL"));
        assert_eq!((d.line, d.column), (7, 12));

        let d = first_error(
            "[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = [\"/relative\"]\n",
        );
        assert!(d.message.contains("not an absolute URL"));

        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = [\"https://a.org/\",\n \"https://a.org/\"]\n");
        assert!(d.message.contains("cited twice"));
        assert_eq!(d.line, 8);

        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = [\"https://a.org/\"]\n[[claim]]\nid = \"a\"\ntext = \"u\"\nsources = [\"https://b.org/\"]\n");
        assert!(d.message.contains("already used at line 5"), "{}", d.message);

        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\n");
        assert!(d.message.starts_with("TOML syntax"));
        assert_eq!(d.line, 3);

        let d = first_error("[factsheet]\nid = \"x\"\ntitle = \"t\"\n[[claim]]\nid = \"a\"\ntext = \"t\"\nsources = [{ url = \"https://a.org/\", selector = \"div[\" }]\n");
        assert!(d.message.contains("not a valid CSS selector"));
    }
}
