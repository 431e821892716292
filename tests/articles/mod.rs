//! Pages with their article's expected text (a folder of `NAME/source.html`
//! and `NAME/expected.html`, such as Mozilla Readability's test pages, named
//! by `CITEWATCH_ARTICLES`), and a token-level score of a watched text
//! against the expected one: words as a multiset (NFC, lower case; each CJK
//! character is a word), precision = shared / watched, recall = shared /
//! expected. Shared by the `realworld` integration test and the
//! `bench_realworld` example.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use icu_normalizer::ComposingNormalizerBorrowed;

/// One page: its name, its HTML and the expected text of its article.
pub struct Article {
    pub name: String,
    pub html: String,
    pub expected: String,
}

/// The folder `CITEWATCH_ARTICLES` names, when it is set and exists.
pub fn articles_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CITEWATCH_ARTICLES")?);
    dir.is_dir().then_some(dir)
}

/// The pages of the folder, sorted by name (folders without both files are skipped).
pub fn load(dir: &Path) -> Vec<Article> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let source = std::fs::read(dir.join(&name).join("source.html")).ok()?;
            let expected = std::fs::read(dir.join(&name).join("expected.html")).ok()?;
            let html = citewatch::extract::decode::decode(&source, Some("text/html"), true);
            let expected = citewatch::extract::decode::decode(&expected, Some("text/html"), true);
            let expected = citewatch::extract::html::full_text(&expected);
            Some(Article { name, html, expected })
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

/// The words of `text` as a multiset.
pub fn tokens(text: &str) -> HashMap<String, usize> {
    let text = ComposingNormalizerBorrowed::new_nfc().normalize(text).to_lowercase();
    let mut out: HashMap<String, usize> = HashMap::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                *out.entry(std::mem::take(&mut word)).or_default() += 1;
            }
            *out.entry(c.to_string()).or_default() += 1;
        } else if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() && !matches!(c, '\u{ad}' | '\u{200b}') {
            *out.entry(std::mem::take(&mut word)).or_default() += 1;
        }
    }
    if !word.is_empty() {
        *out.entry(word).or_default() += 1;
    }
    out
}

/// Precision and recall of `got` against `expected`, in words.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    pub shared: usize,
    pub got: usize,
    pub expected: usize,
}

impl Score {
    pub fn of(got: &str, expected: &str) -> Score {
        let g = tokens(got);
        let e = tokens(expected);
        let shared = g.iter().map(|(w, n)| (*n).min(e.get(w).copied().unwrap_or(0))).sum();
        Score { shared, got: g.values().sum(), expected: e.values().sum() }
    }
    pub fn precision(&self) -> f64 {
        if self.got == 0 {
            return if self.expected == 0 { 1.0 } else { 0.0 };
        }
        self.shared as f64 / self.got as f64
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            return 1.0;
        }
        self.shared as f64 / self.expected as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Per-page scores and their means.
#[derive(Default)]
pub struct Scores {
    pub pages: Vec<(String, Score)>,
}

impl Scores {
    fn mean(&self, f: impl Fn(&Score) -> f64) -> f64 {
        self.pages.iter().map(|(_, s)| f(s)).sum::<f64>() / self.pages.len().max(1) as f64
    }
    pub fn precision(&self) -> f64 {
        self.mean(Score::precision)
    }
    pub fn recall(&self) -> f64 {
        self.mean(Score::recall)
    }
    pub fn f1(&self) -> f64 {
        self.mean(Score::f1)
    }
    pub fn summary(&self, who: &str) -> String {
        format!(
            "{who}: {} pages | token precision {:.3} | recall {:.3} | F1 {:.3} (means over pages)",
            self.pages.len(),
            self.precision(),
            self.recall(),
            self.f1()
        )
    }
}

/// Our watched text of every page, scored.
pub fn measure(pages: &[Article]) -> Scores {
    let pages = pages
        .iter()
        .map(|a| {
            let main = citewatch::extract::extract(a.html.as_bytes(), Some("text/html; charset=utf-8"), None).main;
            (a.name.clone(), Score::of(&main, &a.expected))
        })
        .collect();
    Scores { pages }
}

/// Another tool's texts (`DIR/NAME.txt`), scored the same way; a missing
/// file counts as an empty text.
pub fn measure_texts(pages: &[Article], dir: &Path) -> Scores {
    let pages = pages
        .iter()
        .map(|a| {
            let text = std::fs::read_to_string(dir.join(format!("{}.txt", a.name))).unwrap_or_default();
            (a.name.clone(), Score::of(&text, &a.expected))
        })
        .collect();
    Scores { pages }
}
