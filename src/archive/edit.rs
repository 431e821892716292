//! Writes `archived = "…"` into a claims file, keeping its comments and
//! layout: a source in plain form becomes the table form
//! `{ url = "…", archived = "…" }` in place, with the comments around it.

use toml_edit::{DocumentMut, InlineTable, Item, Value};

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// `archived` was set (or replaced).
    Set,
    /// The source already carried this very copy.
    Same,
    /// No such claim or source in the file.
    Missing,
}

/// Sets `archived` on every source of claim `claim` whose URL is `url` (as
/// written, fragment included) in `text`. Returns the new text.
pub fn set_archived(text: &str, claim: &str, url: &str, archived: &str) -> Result<(String, Written), String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let mut outcome = Written::Missing;
    let Some(claims) = doc.get_mut("claim").and_then(Item::as_array_of_tables_mut) else {
        return Ok((text.to_string(), Written::Missing));
    };
    for t in claims.iter_mut() {
        if t.get("id").and_then(Item::as_str) != Some(claim) {
            continue;
        }
        match t.get_mut("sources") {
            Some(Item::Value(Value::Array(list))) => {
                for v in list.iter_mut() {
                    set_in_value(v, url, archived, &mut outcome);
                }
            }
            Some(Item::ArrayOfTables(list)) => {
                for s in list.iter_mut() {
                    if s.get("url").and_then(Item::as_str) == Some(url) {
                        outcome = mark(outcome, s.get("archived").and_then(Item::as_str) == Some(archived));
                        s["archived"] = toml_edit::value(archived);
                    }
                }
            }
            _ => {}
        }
    }
    Ok((if outcome == Written::Set { doc.to_string() } else { text.to_string() }, outcome))
}

fn mark(prev: Written, same: bool) -> Written {
    match (prev, same) {
        (Written::Set, _) | (_, false) => Written::Set,
        _ => Written::Same,
    }
}

fn set_in_value(v: &mut Value, url: &str, archived: &str, outcome: &mut Written) {
    match v {
        Value::String(s) if s.value() == url => {
            let decor = s.decor().clone();
            let mut t = InlineTable::new();
            t.insert("url", Value::from(url));
            t.insert("archived", Value::from(archived));
            t.fmt();
            let mut nv = Value::InlineTable(t);
            *nv.decor_mut() = decor;
            *v = nv;
            *outcome = mark(outcome.clone(), false);
        }
        Value::InlineTable(t) if t.get("url").and_then(Value::as_str) == Some(url) => {
            let same = t.get("archived").and_then(Value::as_str) == Some(archived);
            *outcome = mark(outcome.clone(), same);
            if !same {
                match t.get_mut("archived") {
                    Some(a) => {
                        let decor = a.decor().clone();
                        *a = Value::from(archived);
                        *a.decor_mut() = decor;
                    }
                    None => {
                        // The space before the closing brace moves to the new last value.
                        let suffix = t.iter_mut().last().map(|(_, last)| {
                            let s = last.decor().suffix().and_then(|s| s.as_str()).unwrap_or("").to_string();
                            last.decor_mut().set_suffix("");
                            s
                        });
                        let mut v = Value::from(archived);
                        v.decor_mut().set_prefix(" ");
                        v.decor_mut().set_suffix(suffix.unwrap_or_else(|| " ".into()));
                        t.insert("archived", v);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# The Mali factsheet — reviewed by hand.
[factsheet]
id = "mali"   # keep this id
title = "Mali"

[[claim]]
id = "idps"
text = "401,850 displaced."
quotes = ["401,850"]
sources = [
  "https://x.org/dead",   # OCHA's page, gone since 2023
  { url = "https://y.org/table", quote = "35 people" },
]

[[claim]]
id = "other"
text = "Other."
sources = ["https://x.org/dead"]
"#;

    #[test]
    fn a_plain_source_becomes_a_table_and_comments_stay() {
        let a = "https://web.archive.org/web/20220803101500/https://x.org/dead";
        let (out, w) = set_archived(FILE, "idps", "https://x.org/dead", a).unwrap();
        assert_eq!(w, Written::Set);
        assert!(
            out.contains(&format!(
                "  {{ url = \"https://x.org/dead\", archived = \"{a}\" }},   # OCHA's page, gone since 2023\n"
            )),
            "{out}"
        );
        assert!(
            out.starts_with("# The Mali factsheet — reviewed by hand.\n[factsheet]\nid = \"mali\"   # keep this id\n")
        );
        // The other claim citing the same URL is not touched.
        assert!(out.ends_with("sources = [\"https://x.org/dead\"]\n"), "{out}");
        // Everything but the one line is byte for byte the same.
        let changed: Vec<(&str, &str)> = FILE.lines().zip(out.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        crate::claims::parse_str(std::path::Path::new("f.toml"), &out).unwrap();
        // Again: nothing to do.
        let (again, w) = set_archived(&out, "idps", "https://x.org/dead", a).unwrap();
        assert_eq!((again.as_str(), w), (out.as_str(), Written::Same));
        // A table gains the key.
        let (out, w) = set_archived(FILE, "idps", "https://y.org/table", a).unwrap();
        assert_eq!(w, Written::Set);
        assert!(
            out.contains(&format!("{{ url = \"https://y.org/table\", quote = \"35 people\", archived = \"{a}\" }},")),
            "{out}"
        );
        assert_eq!(set_archived(FILE, "nope", "https://x.org/dead", a).unwrap().1, Written::Missing);
    }
}
