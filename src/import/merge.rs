//! `--merge`: bring into an existing claims file only what the *document*
//! changed since the last import, never what an editor did.
//!
//! Three texts meet: the record of the last import (what the document said
//! then, `NAME.imported`), the fresh import (what it says now) and the claims
//! file (what editors made of it). The record and the fresh import are
//! matched claim by claim; only their differences touch the claims file, and
//! only where the editor left the claim as imported. The file is edited in
//! place (`toml_edit`): comments, key order and layout stay as they are.

use std::collections::HashSet;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::record::{Record, RecordClaim};
use super::render::{claim_comment, confidence_str, toml_str, toml_str_array};
use super::words::{content_words, normalize_ws};
use super::{unique_id, ImportError, Imported, ImportedClaim};

/// A claim text the document changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub id: String,
    /// The words that changed, as the record had them ("35 people").
    pub before: String,
    /// As the document has them now ("36 people").
    pub after: String,
}

/// What a merge did and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Claims the document did not change.
    pub unchanged: usize,
    /// Ids of claims added (new sentences with links).
    pub added: Vec<String>,
    /// Claim texts updated (the editor had not edited them).
    pub changed: Vec<TextChange>,
    /// Claim texts the document changed where the editor had edited the
    /// claim: left as they are.
    pub conflicts: Vec<TextChange>,
    /// (claim id, URL) the document added to a claim.
    pub links_added: Vec<(String, String)>,
    /// (claim id, URL) the document no longer cites: kept in the file.
    pub links_dropped: Vec<(String, String)>,
    /// Ids of claims the document no longer has: kept in the file.
    pub gone: Vec<String>,
    /// Ids of claims the document changed but an editor deleted: left out.
    pub deleted: Vec<String>,
    /// Claims not added because, without a record, they may have been
    /// deleted by an editor (id the import gave them).
    pub held_back: Vec<String>,
    /// No record of the last import was found.
    pub no_record: bool,
}

impl MergeReport {
    /// Whether the document changed nothing the merge acts on.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.conflicts.is_empty()
            && self.links_added.is_empty()
            && self.links_dropped.is_empty()
            && self.gone.is_empty()
            && self.deleted.is_empty()
            && self.held_back.is_empty()
    }
}

/// The result of a merge: the new claims file, what happened, and the record
/// to keep for the next merge.
#[derive(Debug, Clone)]
pub struct Merged {
    pub text: String,
    pub report: MergeReport,
    pub record: Record,
}

fn norm(s: &str) -> String {
    normalize_ws(s).to_lowercase()
}

fn jaccard(a: &str, b: &str) -> f64 {
    let x: HashSet<String> = content_words(a).into_iter().collect();
    let y: HashSet<String> = content_words(b).into_iter().collect();
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    x.intersection(&y).count() as f64 / x.union(&y).count().max(1) as f64
}

/// How well a claim of the last import matches one of the fresh import, or
/// `None` when they are not the same sentence, by pass (strongest first).
fn score(old: &RecordClaim, new: &ImportedClaim, pass: u8) -> Option<f64> {
    let a: HashSet<&String> = old.sources.iter().collect();
    let b: HashSet<&String> = new.sources.iter().collect();
    let same_text = norm(&old.text) == norm(&new.text);
    match pass {
        0 => (same_text && a == b).then_some(1.0),
        1 => same_text.then_some(1.0),
        2 => {
            let j = jaccard(&old.text, &new.text);
            (a == b && j >= 0.5).then_some(j)
        }
        _ => {
            let j = jaccard(&old.text, &new.text);
            (a.intersection(&b).next().is_some() && j >= 0.6 || j >= 0.85).then_some(j)
        }
    }
}

/// The words that differ between two texts, with a word of context after
/// (or before) them: `"35 people" → "36 people"`.
pub fn changed_words(before: &str, after: &str) -> (String, String) {
    let a: Vec<&str> = before.split_whitespace().collect();
    let b: Vec<&str> = after.split_whitespace().collect();
    let mut p = 0;
    while p < a.len() && p < b.len() && a[p] == b[p] {
        p += 1;
    }
    let mut s = 0;
    while s < a.len() - p && s < b.len() - p && a[a.len() - 1 - s] == b[b.len() - 1 - s] {
        s += 1;
    }
    let (mut lo, mut hi_a, mut hi_b) = (p, a.len() - s, b.len() - s);
    if s > 0 {
        hi_a += 1;
        hi_b += 1;
    } else if p > 0 {
        lo -= 1;
    }
    let cut = |w: &[&str]| {
        let t = w.join(" ");
        if t.chars().count() > 120 {
            format!("{}…", t.chars().take(120).collect::<String>())
        } else {
            t
        }
    };
    (cut(&a[lo..hi_a]), cut(&b[lo..hi_b]))
}

fn str_of(t: &Table, key: &str) -> String {
    t.get(key).and_then(Item::as_str).unwrap_or("").to_string()
}

fn urls_of(t: &Table) -> Vec<String> {
    let Some(arr) = t.get("sources").and_then(Item::as_array) else { return Vec::new() };
    arr.iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.value().clone()),
            Value::InlineTable(it) => it.get("url").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .collect()
}

/// A new `[[claim]]` table, laid out as `import` writes it.
fn new_claim_table(id: &str, c: &ImportedClaim) -> Result<Table, ImportError> {
    let mut s = String::from("[[claim]]\n");
    s.push_str(&format!("id = {}\n", toml_str(id)));
    s.push_str(&format!("text = {}\n", toml_str(&c.text)));
    if let Some(w) = &c.where_ {
        s.push_str(&format!("where = {}\n", toml_str(w)));
    }
    s.push_str(&format!("confidence = {}\n", confidence_str(c.confidence)));
    if !c.quotes.is_empty() {
        s.push_str(&format!("quotes = {}\n", toml_str_array(&c.quotes)));
    }
    s.push_str("sources = [\n");
    for u in &c.sources {
        s.push_str(&format!("  {},\n", toml_str(u)));
    }
    s.push_str("]\n");
    let doc: DocumentMut = s.parse().map_err(|e| ImportError::new(format!("internal: a new claim: {e}")))?;
    let mut t = doc
        .get("claim")
        .and_then(Item::as_array_of_tables)
        .and_then(|a| a.get(0))
        .cloned()
        .ok_or_else(|| ImportError::new("internal: a new claim"))?;
    t.decor_mut().set_prefix(format!("\n{}", claim_comment(c.where_.as_deref(), c.confidence)));
    Ok(t)
}

fn push_url(t: &mut Table, url: &str) {
    let Some(arr) = t.get_mut("sources").and_then(Item::as_array_mut) else { return };
    let prefix = arr
        .iter()
        .last()
        .and_then(|v| v.decor().prefix().and_then(|p| p.as_str()).map(str::to_string))
        .unwrap_or_else(|| " ".into());
    let mut v = Value::from(url);
    v.decor_mut().set_prefix(prefix);
    arr.push_formatted(v);
}

fn set_text(t: &mut Table, text: &str) {
    if let Some(v) = t.get_mut("text").and_then(Item::as_value_mut) {
        let decor = v.decor().clone();
        *v = Value::from(text);
        *v.decor_mut() = decor;
    }
}

/// Merges a fresh import into an existing claims file, given the record of
/// the last import (`None` when there is none: then only claims citing a URL
/// the file does not cite yet are added, and differences are reported).
pub fn merge(existing_toml: &str, record: Option<&Record>, imp: &Imported) -> Result<Merged, ImportError> {
    let mut doc: DocumentMut = existing_toml.parse().map_err(|e: toml_edit::TomlError| {
        ImportError::new(format!(
            "the existing claims file is not valid TOML ({}); fix it or import without --merge",
            e.to_string().trim()
        ))
    })?;
    if doc.get("claim").is_some_and(|c| !c.is_array_of_tables()) {
        return Err(ImportError::new(
            "`claim` in the existing claims file is not an array of tables ([[claim]]); fix it or import without --merge",
        ));
    }
    if doc.get("claim").is_none() {
        doc.insert("claim", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let claims = doc["claim"].as_array_of_tables_mut().expect("checked above");
    let file_claims: Vec<RecordClaim> = claims
        .iter()
        .map(|t| RecordClaim { id: str_of(t, "id"), text: str_of(t, "text"), sources: urls_of(t) })
        .collect();
    let mut report = MergeReport { no_record: record.is_none(), ..MergeReport::default() };
    let old: Vec<RecordClaim> = match record {
        Some(r) => r.claims.clone(),
        None => file_claims.clone(),
    };

    // Match the fresh import's claims to the last import's, strongest criterion first.
    let mut pair: Vec<Option<usize>> = vec![None; imp.claims.len()];
    let mut taken = vec![false; old.len()];
    for pass in 0..4u8 {
        for (ni, nc) in imp.claims.iter().enumerate() {
            if pair[ni].is_some() {
                continue;
            }
            let best = (0..old.len())
                .filter(|&oi| !taken[oi])
                .filter_map(|oi| score(&old[oi], nc, pass).map(|s| (oi, s)))
                .fold(
                    None,
                    |b: Option<(usize, f64)>, (oi, s)| if b.is_some_and(|b| b.1 >= s) { b } else { Some((oi, s)) },
                );
            if let Some((oi, _)) = best {
                pair[ni] = Some(oi);
                taken[oi] = true;
            }
        }
    }

    let index_of =
        |claims: &ArrayOfTables, id: &str| claims.iter().position(|t| t.get("id").and_then(Item::as_str) == Some(id));
    let cited: HashSet<String> = file_claims.iter().flat_map(|c| c.sources.iter().cloned()).collect();
    let texts: HashSet<String> = file_claims.iter().map(|c| norm(&c.text)).collect();
    let mut used: HashSet<String> =
        file_claims.iter().map(|c| c.id.clone()).chain(old.iter().map(|c| c.id.clone())).collect();
    let mut new_record = Record {
        document: record.map(|r| r.document.clone()).unwrap_or_default(),
        format: imp.format.name().to_string(),
        claims: Vec::new(),
    };
    // Where the last claim handled sits in the file, to add new ones after it.
    let mut after: Option<usize> = None;
    for (ni, nc) in imp.claims.iter().enumerate() {
        match pair[ni] {
            Some(oi) => {
                let o = &old[oi];
                let at = index_of(claims, &o.id);
                let text_changed = norm(&o.text) != norm(&nc.text);
                // Without a record, the file's links are the editor's: nothing to compare them with.
                let exact = record.is_some();
                let added: Vec<&String> = nc.sources.iter().filter(|u| exact && !o.sources.contains(u)).collect();
                let dropped: Vec<&String> = o.sources.iter().filter(|u| exact && !nc.sources.contains(u)).collect();
                if !text_changed && added.is_empty() && dropped.is_empty() {
                    report.unchanged += 1;
                }
                match at {
                    Some(i) => {
                        after = Some(i);
                        let t = claims.get_mut(i).expect("index of a claim");
                        if text_changed {
                            let (before, after_words) = changed_words(&o.text, &nc.text);
                            let change = TextChange { id: o.id.clone(), before, after: after_words };
                            if record.is_some() && norm(&str_of(t, "text")) == norm(&o.text) {
                                set_text(t, &nc.text);
                                report.changed.push(change);
                            } else {
                                report.conflicts.push(change);
                            }
                        }
                        let have = urls_of(t);
                        for u in added {
                            if !have.contains(u) {
                                push_url(t, u);
                                report.links_added.push((o.id.clone(), u.clone()));
                            }
                        }
                        for u in dropped {
                            report.links_dropped.push((o.id.clone(), u.clone()));
                        }
                    }
                    None => {
                        if text_changed || !added.is_empty() {
                            report.deleted.push(o.id.clone());
                        }
                    }
                }
                new_record.claims.push(RecordClaim {
                    id: o.id.clone(),
                    text: nc.text.clone(),
                    sources: nc.sources.clone(),
                });
            }
            None => {
                if texts.contains(&norm(&nc.text)) {
                    // An editor already added it by hand.
                    let id = file_claims.iter().find(|c| norm(&c.text) == norm(&nc.text)).map(|c| c.id.clone());
                    let id = id.unwrap_or_else(|| nc.id.clone());
                    after = index_of(claims, &id).or(after);
                    new_record.claims.push(RecordClaim { id, text: nc.text.clone(), sources: nc.sources.clone() });
                    continue;
                }
                if record.is_none() && nc.sources.iter().all(|u| cited.contains(u)) {
                    report.held_back.push(nc.id.clone());
                    // Recorded as read: the next merge treats it as one the editor deleted.
                    let id = unique_id(&nc.id, &mut used);
                    new_record.claims.push(RecordClaim { id, text: nc.text.clone(), sources: nc.sources.clone() });
                    continue;
                }
                let id = unique_id(&nc.id, &mut used);
                let at = after.map(|a| a + 1).unwrap_or(0);
                claims.insert(at, new_claim_table(&id, nc)?);
                after = Some(at);
                report.added.push(id.clone());
                new_record.claims.push(RecordClaim { id, text: nc.text.clone(), sources: nc.sources.clone() });
            }
        }
    }
    for (oi, o) in old.iter().enumerate() {
        if !taken[oi] && index_of(claims, &o.id).is_some() && record.is_some() {
            report.gone.push(o.id.clone());
        }
    }
    if !report.added.is_empty() {
        // Tables print in the order of their positions: number them again.
        let start = doc.get("factsheet").and_then(Item::as_table).and_then(Table::position).unwrap_or(0) + 1;
        if let Some(claims) = doc["claim"].as_array_of_tables_mut() {
            for (i, t) in claims.iter_mut().enumerate() {
                t.set_position(Some(start + i as isize));
            }
        }
    }
    let text = if report.added.is_empty() && report.changed.is_empty() && report.links_added.is_empty() {
        existing_toml.to_string()
    } else {
        doc.to_string()
    };
    Ok(Merged { text, report, record: new_record })
}

/// The merge report in lines for people: a summary, then one line per
/// kind of change (`1 changed: "35 people" → "36 people" (claim-id)`).
pub fn describe(r: &MergeReport) -> Vec<String> {
    let mut out = Vec::new();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push(format!(
        "merge: {} unchanged, {} changed, {} added, {}, {}, {}, {}",
        r.unchanged,
        r.changed.len(),
        r.added.len(),
        plural(r.conflicts.len(), "conflict", "conflicts"),
        plural(r.links_added.len(), "link added", "links added"),
        plural(r.links_dropped.len(), "link dropped", "links dropped"),
        plural(r.gone.len(), "claim gone from the document", "claims gone from the document"),
    ));
    if r.no_record {
        out.push(
            "no record of the last import beside the claims file: differences are reported, not applied, and only claims citing a URL the file does not cite yet are added; the record is written now, so the next merge is exact".into(),
        );
    }
    if r.is_empty() {
        out.push("the document changed nothing: the claims file is left as it is".into());
    }
    let mut section = |title: String, items: Vec<String>| match items.len() {
        0 => {}
        1 => out.push(format!("{title}: {}", items[0])),
        _ => {
            out.push(format!("{title}:"));
            out.extend(items.into_iter().map(|i| format!("  {i}")));
        }
    };
    let change = |c: &TextChange| format!("\"{}\" → \"{}\" ({})", c.before, c.after, c.id);
    section(format!("{} changed", r.changed.len()), r.changed.iter().map(change).collect());
    section(
        plural(r.conflicts.len(), "conflict", "conflicts"),
        r.conflicts
            .iter()
            .map(|c| {
                format!(
                    "{}: the claim was edited by hand, so it is left as it is; update it if the document is right",
                    change(c)
                )
            })
            .collect(),
    );
    section(format!("{} added", r.added.len()), r.added.clone());
    section(
        plural(r.links_added.len(), "link added", "links added"),
        r.links_added.iter().map(|(id, u)| format!("{u} ({id})")).collect(),
    );
    section(
        plural(r.links_dropped.len(), "link dropped", "links dropped"),
        r.links_dropped
            .iter()
            .map(|(id, u)| format!("{u} ({id}): the document no longer cites it; still in the claims file, remove it by hand if it should go"))
            .collect(),
    );
    section(
        plural(r.gone.len(), "claim gone", "claims gone"),
        r.gone
            .iter()
            .map(|id| format!("{id}: the document no longer has this sentence; still in the claims file"))
            .collect(),
    );
    section(
        plural(r.deleted.len(), "deleted claim", "deleted claims"),
        r.deleted
            .iter()
            .map(|id| format!("{id}: changed in the document, but deleted from the claims file: stays deleted"))
            .collect(),
    );
    section(
        plural(r.held_back.len(), "claim held back", "claims held back"),
        r.held_back
            .iter()
            .map(|id| format!("{id}: its links are all cited already, and without a record it may be one an editor deleted: not added"))
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_words_that_changed() {
        let (a, b) = changed_words("Soldiers killed 35 people in Moura.", "Soldiers killed 36 people in Moura.");
        assert_eq!((a.as_str(), b.as_str()), ("35 people", "36 people"));
        let (a, b) = changed_words("It rose to 12%.", "It rose to 14%.");
        assert_eq!((a.as_str(), b.as_str()), ("to 12%.", "to 14%."));
    }
}
