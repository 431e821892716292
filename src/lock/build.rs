//! Making a lock entry from a baseline's texts, and judging a fetch against
//! an entry when the baseline itself is not in the store. Pure.

use super::{sketch, Entry};
use crate::claims::{Cite, Claim};
use crate::model::Content;
use crate::text::{find, find_fragment, normalize};
use regex::Regex;

/// Words of context kept on each side of a quote or figure (the figure
/// rules read four).
const CONTEXT_WORDS: usize = 6;

/// The claims citing a source, as (claim, cite) pairs: what needs passages.
pub type Needles<'a> = [(&'a Claim, &'a Cite)];

fn short_hash(s: &str) -> String {
    crate::extract::sha256(s.as_bytes())[..32].to_string()
}

/// A hash of what an entry is made from besides the baseline's text: the
/// extraction rules, the ignore patterns and the texts and quotes of the
/// claims citing the source. (Other rules read the baseline's body into
/// other texts: after an upgrade, a machine holding the baseline makes its
/// entry again.)
pub fn inputs(ignore: &[Regex], needles: &Needles<'_>) -> String {
    let mut all = format!("rules {}\u{5}", crate::extract::RULES);
    for r in ignore {
        all.push_str(r.as_str());
        all.push('\u{1}');
    }
    for (claim, cite) in needles {
        all.push('\u{2}');
        all.push_str(&claim.text);
        for q in claim.quotes.iter().chain(&cite.quotes) {
            all.push('\u{1}');
            all.push_str(q);
        }
        for f in &cite.fragments {
            all.push('\u{3}');
            all.push_str(&f.display());
        }
        if let Some(sel) = &cite.selector {
            all.push('\u{4}');
            all.push_str(sel);
        }
    }
    short_hash(&all)[..16].to_string()
}

/// The span `s..e` of `hay` widened by `CONTEXT_WORDS` words on each side.
fn widen(hay: &str, s: usize, e: usize) -> (usize, usize) {
    let start = reach(hay[..s].char_indices().rev()).map_or(s, |(i, _)| i);
    let end = reach(hay[e..].char_indices()).map_or(e, |(i, c)| e + i + c.len_utf8());
    (start, end)
}

/// The last character walked along `chars` before the `CONTEXT_WORDS`-th
/// space that follows a word.
fn reach(chars: impl Iterator<Item = (usize, char)>) -> Option<(usize, char)> {
    let (mut last, mut words, mut in_word) = (None, 0, false);
    for (i, c) in chars {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == CONTEXT_WORDS {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        last = Some((i, c));
    }
    last
}

/// The passages of `hay` around `spans`: widened, overlapping ones joined, in text order.
fn passages(hay: &str, mut spans: Vec<(usize, usize)>) -> Vec<String> {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        let (s, e) = widen(hay, s, e);
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged.into_iter().map(|(s, e)| hay[s..e].trim().to_string()).collect()
}

/// What a lock entry takes from a baseline's watched text alone (neither the
/// claims nor the cites): the hashes of the text as compared and of its
/// blocks sorted, and the sketch of its words. The costly part of an entry,
/// which any thread can compute.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    compared: String,
    blocks: String,
    sketch: String,
}

/// The [`Shape`] of the watched text `main` of a baseline of kind `kind`.
pub fn shape(kind: &str, main: &str, ignore: &[Regex]) -> Shape {
    shape_normalized(kind, main, ignore).0
}

/// [`shape`], and `normalize(main)` when it came for free (nothing was
/// stripped from `main`: the compared text is that).
pub fn shape_normalized(kind: &str, main: &str, ignore: &[Regex]) -> (Shape, Option<String>) {
    if kind == "other" {
        return (Shape::default(), None);
    }
    let (compared, blocks, same) = crate::compare::comparable_blocks_stripped(main, ignore);
    let shape = Shape {
        compared: short_hash(&compared),
        blocks: short_hash(&blocks),
        sketch: sketch::encode(&sketch::sketch(&compared)),
    };
    (shape, same.then_some(compared))
}

/// A lock entry for a baseline: `fingerprint` identifies the snapshot,
/// `main` is its watched text (as extracted), `full_norm`/`main_norm` its
/// normalised full and watched texts; `needles` the claims citing it.
#[allow(clippy::too_many_arguments)]
pub fn entry(
    url: &str,
    kind: &str,
    fingerprint: &str,
    main: &str,
    full_norm: &str,
    main_norm: &str,
    ignore: &[Regex],
    needles: &Needles<'_>,
    accepted: String,
    note: Option<String>,
) -> Entry {
    let shape = shape(kind, main, ignore);
    entry_with(url, kind, fingerprint, &shape, full_norm, main_norm, ignore, needles, accepted, note)
}

/// [`entry`] with the [`Shape`] of the watched text already computed.
#[allow(clippy::too_many_arguments)]
pub fn entry_with(
    url: &str,
    kind: &str,
    fingerprint: &str,
    shape: &Shape,
    full_norm: &str,
    main_norm: &str,
    ignore: &[Regex],
    needles: &Needles<'_>,
    accepted: String,
    note: Option<String>,
) -> Entry {
    let mut e = Entry {
        url: url.to_string(),
        accepted,
        note,
        kind: kind.to_string(),
        text: fingerprint.to_string(),
        compared: String::new(),
        blocks: String::new(),
        sketch: String::new(),
        inputs: inputs(ignore, needles),
        quotes: Vec::new(),
        figures: Vec::new(),
    };
    if kind == "other" {
        return e;
    }
    e.compared = shape.compared.clone();
    e.blocks = shape.blocks.clone();
    e.sketch = shape.sketch.clone();
    let mut quote_spans = Vec::new();
    let mut figure_spans = Vec::new();
    for (claim, cite) in needles {
        for q in claim.quotes.iter().chain(&cite.quotes) {
            quote_spans.extend(find(full_norm, &normalize(q)));
        }
        for f in &cite.fragments {
            quote_spans.extend(find_fragment(full_norm, &f.query()));
        }
        for f in crate::figures::tracked(&claim.text, main_norm) {
            figure_spans.extend(find(main_norm, &f));
        }
    }
    e.quotes = passages(full_norm, quote_spans);
    e.figures = passages(main_norm, figure_spans);
    e
}

/// Judges the watched text `main` of a fetch (its snapshot `fingerprint`)
/// against a lock entry.
pub fn compare(e: &Entry, kind: &str, fingerprint: &str, main: &str, ignore: &[Regex]) -> (Content, Option<f64>) {
    if e.text == fingerprint {
        return (Content::Unchanged, Some(1.0));
    }
    if kind == "other" || e.kind == "other" {
        return (Content::Changed, None);
    }
    let compared = crate::compare::comparable(main, ignore);
    if short_hash(&compared) == e.compared
        || short_hash(&crate::compare::sorted_blocks(main, ignore).join("\n")) == e.blocks
    {
        return (Content::Unchanged, Some(1.0));
    }
    let sim = sketch::decode(&e.sketch).and_then(|s| sketch::similarity(&s, &sketch::sketch(&compared))).map(round);
    (Content::Changed, sim)
}

/// The similarity figure of a changed source whose baseline text is at hand:
/// estimated from the two texts' sketches exactly as from a lock entry, so a
/// machine with the whole cache and a fresh clone judging against the lock
/// report the same figure.
pub fn similarity(baseline_main: &str, current_main: &str, ignore: &[Regex]) -> Option<f64> {
    let a = sketch::sketch(&crate::compare::comparable(baseline_main, ignore));
    let b = sketch::sketch(&crate::compare::comparable(current_main, ignore));
    sketch::similarity(&a, &b).map(round)
}

/// Keeps a changed text's figure strictly below 1, three decimals.
fn round(x: f64) -> f64 {
    (x.min(0.999) * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_keep_context_and_join_overlaps() {
        let hay = "one two three four five six seven eight nine ten 401,850 eleven twelve thirteen fourteen fifteen sixteen seventeen";
        let (s, e) = find(hay, "401,850").unwrap();
        let p = passages(hay, vec![(s, e)]);
        assert_eq!(p, vec!["five six seven eight nine ten 401,850 eleven twelve thirteen fourteen fifteen sixteen"]);
        let (s2, e2) = find(hay, "twelve").unwrap();
        assert_eq!(passages(hay, vec![(s2, e2), (s, e)]).len(), 1);
        assert_eq!(passages("35 people", vec![(0, 9)]), vec!["35 people"]);
    }

    #[test]
    fn judges_against_an_entry() {
        let base = "Intro.\nOCHA reported 401,850 displaced people in September 2021.\nOutro.";
        let needles: Vec<(&Claim, &Cite)> = Vec::new();
        let e = entry(
            "https://x.org/",
            "html",
            "fp",
            base,
            &normalize(base),
            &normalize(base),
            &[],
            &needles,
            "t".into(),
            None,
        );
        assert_eq!(compare(&e, "html", "fp", base, &[]).0, Content::Unchanged);
        let moved = "OCHA reported 401,850 displaced people in September 2021.\nIntro.\nOutro.";
        assert_eq!(compare(&e, "html", "other-fp", moved, &[]).0, Content::Unchanged, "blocks that moved");
        let (c, sim) = compare(&e, "html", "fp2", &base.replace("401,850", "350,000"), &[]);
        assert_eq!(c, Content::Changed);
        assert!(sim.is_some_and(|s| s > 0.5 && s < 1.0), "{sim:?}");
    }
}
