//! `--merge`: re-import into an existing claims file, keeping what an
//! editor wrote.

use std::collections::HashSet;
use std::fmt::Write as _;

use toml::{Table, Value};

use super::render::{claim_comment, confidence_str, toml_str};
use super::words::{content_words, normalize_ws};
use super::{unique_id, ImportError, Imported, ImportedClaim};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Ids of claims the import added.
    pub added: Vec<String>,
    /// Ids of claims of the existing file that are no longer found.
    pub removed: Vec<String>,
    /// Claims matched and kept with the editor's changes.
    pub kept: usize,
}

fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        toml_str(k)
    }
}

/// Render a value inline.
pub(crate) fn value_inline(v: &Value) -> String {
    match v {
        Value::String(s) => toml_str(s),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => {
            let s = f.to_string();
            if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("nan") {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(value_inline).collect::<Vec<_>>().join(", ")),
        Value::Table(t) => {
            let mut keys: Vec<&String> = t.keys().collect();
            // url first in source tables
            keys.sort_by_key(|k| (k.as_str() != "url", k.as_str() != "quote", k.as_str() != "quotes", (*k).clone()));
            let parts: Vec<String> =
                keys.iter().map(|k| format!("{} = {}", key(k), value_inline(&t[k.as_str()]))).collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

fn source_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Table(t) => t.get("url").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

struct Old {
    table: Table,
    id: String,
    text: String,
    urls: Vec<String>,
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

fn matches(old: &Old, new: &ImportedClaim, pass: u8) -> bool {
    match pass {
        0 => old.id == new.id,
        1 => norm(&old.text) == norm(&new.text),
        _ => {
            let a: HashSet<&String> = old.urls.iter().collect();
            let b: HashSet<&String> = new.sources.iter().collect();
            let j = jaccard(&old.text, &new.text);
            (a == b && j >= 0.5) || (a.intersection(&b).next().is_some() && j >= 0.8)
        }
    }
}

/// Merge a fresh import into an existing claims file.
pub fn merge(existing_toml: &str, imp: &Imported) -> Result<(String, MergeReport), ImportError> {
    let doc: Table = toml::from_str(existing_toml).map_err(|e| {
        ImportError::new(format!(
            "the existing claims file is not valid TOML ({}); fix it or import without --merge",
            e.to_string().trim()
        ))
    })?;
    let factsheet = match doc.get("factsheet") {
        Some(Value::Table(t)) => t.clone(),
        Some(_) => {
            return Err(ImportError::new(
                "the existing claims file has a `factsheet` that is not a table; fix it or import without --merge",
            ))
        }
        None => Table::new(),
    };
    let mut olds: Vec<Old> = Vec::new();
    match doc.get("claim") {
        None => {}
        Some(Value::Array(a)) => {
            for (i, v) in a.iter().enumerate() {
                let Value::Table(t) = v else {
                    return Err(ImportError::new(format!("claim #{} in the existing claims file is not a table; fix it or import without --merge", i + 1)));
                };
                let urls = match t.get("sources") {
                    Some(Value::Array(s)) => s.iter().filter_map(source_url).collect(),
                    _ => Vec::new(),
                };
                olds.push(Old {
                    id: t.get("id").and_then(Value::as_str).unwrap_or("").to_string(),
                    text: t.get("text").and_then(Value::as_str).unwrap_or("").to_string(),
                    urls,
                    table: t.clone(),
                });
            }
        }
        Some(_) => return Err(ImportError::new("`claim` in the existing claims file is not an array of tables ([[claim]]); fix it or import without --merge")),
    }

    // match new claims to old ones, strongest criterion first
    let mut pair: Vec<Option<usize>> = vec![None; imp.claims.len()];
    let mut taken = vec![false; olds.len()];
    for pass in 0..3u8 {
        for (ni, nc) in imp.claims.iter().enumerate() {
            if pair[ni].is_some() {
                continue;
            }
            if let Some(oi) = (0..olds.len()).find(|&oi| !taken[oi] && matches(&olds[oi], nc, pass)) {
                pair[ni] = Some(oi);
                taken[oi] = true;
            }
        }
    }
    let mut used: HashSet<String> = pair.iter().flatten().map(|&oi| olds[oi].id.clone()).collect();
    let mut report = MergeReport::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Merged by citewatch import from a {} import ({} page{}): {} claims, {} distinct URLs.",
        imp.format,
        imp.pages,
        if imp.pages == 1 { "" } else { "s" },
        imp.claims.len(),
        imp.distinct_urls
    );
    for u in &imp.unplaced {
        let _ = writeln!(out, "# unplaced: {}", u.replace('\n', " "));
    }
    out.push('\n');
    out.push_str("[factsheet]\n");
    let mut f = factsheet.clone();
    f.entry("id".to_string()).or_insert_with(|| Value::String(imp.id.clone()));
    f.entry("title".to_string()).or_insert_with(|| Value::String(imp.title.clone()));
    for k in ["id", "title", "published", "url"] {
        if let Some(v) = f.get(k) {
            let _ = writeln!(out, "{} = {}", key(k), value_inline(v));
        }
    }
    for (k, v) in &f {
        if !["id", "title", "published", "url"].contains(&k.as_str()) {
            let _ = writeln!(out, "{} = {}", key(k), value_inline(v));
        }
    }
    for (ni, nc) in imp.claims.iter().enumerate() {
        out.push('\n');
        match pair[ni] {
            Some(oi) => {
                report.kept += 1;
                let t = &olds[oi].table;
                let where_ = t.get("where").and_then(Value::as_str).map(str::to_string).or(nc.where_.clone());
                out.push_str(&claim_comment(where_.as_deref(), nc.confidence));
                out.push_str("[[claim]]\n");
                let _ = writeln!(out, "id = {}", toml_str(&olds[oi].id));
                let _ = writeln!(out, "text = {}", toml_str(&olds[oi].text));
                if let Some(w) = &where_ {
                    let _ = writeln!(out, "where = {}", toml_str(w));
                }
                let _ = writeln!(out, "confidence = {}", confidence_str(nc.confidence));
                for (k, v) in t {
                    if !["id", "text", "where", "confidence", "sources"].contains(&k.as_str()) {
                        let _ = writeln!(out, "{} = {}", key(k), value_inline(v));
                    }
                }
                out.push_str("sources = [\n");
                let mut have: Vec<String> = Vec::new();
                if let Some(Value::Array(s)) = t.get("sources") {
                    for v in s {
                        if let Some(u) = source_url(v) {
                            if have.contains(&u) {
                                continue;
                            }
                            have.push(u);
                        }
                        let _ = writeln!(out, "  {},", value_inline(v));
                    }
                }
                for u in &nc.sources {
                    if !have.contains(u) {
                        let _ = writeln!(out, "  {},", toml_str(u));
                        have.push(u.clone());
                    }
                }
                out.push_str("]\n");
            }
            None => {
                let id = unique_id(&nc.id, &mut used);
                report.added.push(id.clone());
                out.push_str(&claim_comment(nc.where_.as_deref(), nc.confidence));
                out.push_str("[[claim]]\n");
                let _ = writeln!(out, "id = {}", toml_str(&id));
                let _ = writeln!(out, "text = {}", toml_str(&nc.text));
                if let Some(w) = &nc.where_ {
                    let _ = writeln!(out, "where = {}", toml_str(w));
                }
                let _ = writeln!(out, "confidence = {}", confidence_str(nc.confidence));
                if !nc.quotes.is_empty() {
                    let q: Vec<Value> = nc.quotes.iter().cloned().map(Value::String).collect();
                    let _ = writeln!(out, "quotes = {}", value_inline(&Value::Array(q)));
                }
                out.push_str("sources = [\n");
                for u in &nc.sources {
                    let _ = writeln!(out, "  {},", toml_str(u));
                }
                out.push_str("]\n");
            }
        }
    }
    for (oi, o) in olds.iter().enumerate() {
        if !taken[oi] {
            report.removed.push(if o.id.is_empty() { format!("(claim #{} without id)", oi + 1) } else { o.id.clone() });
        }
    }
    Ok((out, report))
}
