//! An editor's next step for every flag: what to do about a broken, moved,
//! changed, unsupported or unverified source, in words. Pure: computed from
//! the run document, shown by `check`, `status` and every report, and carried
//! in the JSON as `claims[].next`.

use super::model::{ClaimReport, RunReport};
use super::SourceIndex;
use crate::model::{Content, Health};

/// The next steps of one claim, most urgent first, without repeats.
pub(crate) fn steps(c: &ClaimReport, index: &SourceIndex<'_>) -> Vec<String> {
    let target = format!("{}/{}", c.factsheet, c.id);
    let mut broken = Vec::new();
    let mut moved = Vec::new();
    let mut unsupported = Vec::new();
    let mut changed = false;
    let mut unverified = false;
    // A claim's own quote counts as gone only when no source carries it.
    let found_claim_quote = |text: &str| {
        c.sources
            .iter()
            .any(|s| s.quotes.iter().any(|q| q.origin == "claim" && q.text == text && q.found == Some(true)))
    };
    for cs in &c.sources {
        let src = index.get(&cs.url);
        match cs.health {
            Health::Broken => {
                let archived = cs.archived.as_deref().or_else(|| src.and_then(|s| s.archived.as_deref()));
                let found = src.and_then(|s| s.archive.as_ref()).filter(|a| a.quotes_found != Some(false));
                broken.push(match (archived, found) {
                    (Some(a), _) => format!("replace the URL or cite the archived copy {a}: {}", cs.url),
                    (None, Some(f)) => format!(
                        "cite the archived copy {} (`citewatch archive --write {target}` writes it) or replace the URL: {}",
                        f.url, cs.url
                    ),
                    (None, None) => format!("replace the URL or cite an archived copy: {}", cs.url),
                });
            }
            Health::Blocked | Health::Error => unverified = true,
            Health::Redirected => {
                if let Some(to) = src.and_then(|s| s.final_url.as_deref()) {
                    moved.push(format!("update the citation to {to} (moved permanently from {})", cs.url));
                }
            }
            Health::Ok => {}
        }
        if cs.health.readable() && cs.content == Content::Unknown {
            unverified = true;
        }
        if cs.content == Content::Changed {
            changed = true;
        }
        for q in cs.quotes.iter().filter(|q| q.found == Some(false)) {
            if q.origin == "claim" && found_claim_quote(&q.text) {
                continue;
            }
            let says = if q.in_baseline == Some(false) { "does not say" } else { "no longer says" };
            let step = match &q.now {
                Some(now) => format!(
                    "the source no longer says \"{}\" (it now says {now}): edit the claim or find a new source",
                    q.text
                ),
                None => format!("the source {says} \"{}\": edit the claim or find a new source", q.text),
            };
            unsupported.push(step);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    broken.into_iter().for_each(&mut push);
    unsupported.into_iter().for_each(&mut push);
    if changed {
        push(format!("`citewatch diff {target}`, then `citewatch accept {target}` or edit the claim"));
    }
    moved.into_iter().for_each(&mut push);
    if unverified {
        push("retry; blocked sources may need a browser".into());
    }
    out
}

/// Fills `next` of every claim of the document.
pub fn annotate(doc: &mut RunReport) {
    let index = SourceIndex::new(&doc.sources);
    let steps: Vec<Vec<String>> = doc.claims.iter().map(|c| steps(c, &index)).collect();
    for (c, s) in doc.claims.iter_mut().zip(steps) {
        c.next = s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn annotated() -> RunReport {
        let (mut doc, _) = fixture::sample_report();
        annotate(&mut doc);
        doc
    }

    #[test]
    fn every_flag_has_a_step() {
        let doc = annotated();
        for c in &doc.claims {
            if c.verdict.flagged() {
                assert!(!c.next.is_empty(), "{} has no next step", c.id);
            }
        }
    }

    #[test]
    fn steps_say_what_to_do() {
        let doc = annotated();
        let all: Vec<&String> = doc.claims.iter().flat_map(|c| &c.next).collect();
        assert!(all.iter().any(|s| s.starts_with("replace the URL or cite")), "{all:?}");
        assert!(all.iter().any(|s| s.contains("`citewatch diff ") && s.contains("or edit the claim")), "{all:?}");
        assert!(all.iter().any(|s| s.starts_with("the source no longer says \"")), "{all:?}");
        assert!(all.iter().any(|s| s == &"retry; blocked sources may need a browser"), "{all:?}");
    }

    #[test]
    fn a_permanent_move_names_the_new_url() {
        let (mut doc, _) = fixture::sample_report();
        let url = doc.claims[0].sources[0].url.clone();
        let key = crate::report::strip_fragment(&url).to_string();
        let src = doc.sources.iter_mut().find(|s| s.url == key).unwrap();
        src.health = Health::Redirected;
        src.final_url = Some("https://new.example.org/page".into());
        doc.claims[0].sources[0].health = Health::Redirected;
        annotate(&mut doc);
        assert!(
            doc.claims[0].next.iter().any(|s| s.starts_with("update the citation to https://new.example.org/page")),
            "{:?}",
            doc.claims[0].next
        );
    }

    #[test]
    fn ok_claims_have_no_steps() {
        let doc = annotated();
        for c in doc.claims.iter().filter(|c| !c.verdict.flagged()) {
            let moved = c.sources.iter().any(|s| s.health == Health::Redirected);
            assert!(moved || c.next.is_empty(), "{}: {:?}", c.id, c.next);
        }
    }
}
