//! An editor's next step for every flag: what to do about a broken, moved,
//! changed, unsupported or unverified source, in words. Pure: computed from
//! the run document, shown by `check`, `status` and every report, and carried
//! in the JSON as `claims[].next`.

use super::model::{ClaimReport, RunReport};
use super::{SourceIndex, Sources};
use crate::model::{Content, Health};

/// The next steps of one claim, most urgent first, without repeats.
pub(crate) fn steps(c: &ClaimReport, index: &dyn Sources) -> Vec<String> {
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
        match cs.health {
            Health::Broken => {
                let src = index.facts(&cs.url);
                let archived = cs.archived.as_deref().or_else(|| src.as_ref().and_then(|s| s.archived));
                // A copy the archives hold, found by the check's look-up (and replayed).
                let found = src.and_then(|s| s.archive).filter(|a| a.read && a.quotes_found != Some(false));
                broken.push(match (archived, found) {
                    (Some(a), _) => format!("replace the URL or cite the archived copy {a}: {}", cs.url),
                    (None, Some(f)) => {
                        let when =
                            f.timestamp.as_deref().map(|t| format!("; captured {}", &t[..t.len().min(10)])).unwrap_or_default();
                        let holds = if f.quotes_found == Some(true) { "; it holds the claim's quotes" } else { "" };
                        format!(
                            "cite the archived copy {} (`citewatch archive --write {target}` writes it{when}{holds}) or replace the URL: {}",
                            f.url, cs.url
                        )
                    }
                    (None, None) => format!("replace the URL or cite an archived copy: {}", cs.url),
                });
            }
            Health::Blocked | Health::Error => unverified = true,
            Health::Redirected => {
                if let Some(to) = index.facts(&cs.url).and_then(|s| s.final_url) {
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
                None => {
                    let near = q.near.as_deref().map(|n| format!(" (it says \"{n}\")")).unwrap_or_default();
                    format!("the source {says} \"{}\"{near}: edit the claim or find a new source", q.text)
                }
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

/// A claim read back from the store has lost whether each missing quote was
/// in its baseline (not part of the JSON); the steps its check wrote said so
/// ("does not say" rather than "no longer says"): take it back from them.
fn recall_baseline(c: &mut ClaimReport) {
    let said_never = |text: &str, steps: &[String]| {
        steps.iter().any(|n| {
            n.strip_prefix("the source does not say \"")
                .and_then(|n| n.strip_prefix(text))
                .is_some_and(|rest| rest.starts_with("\": ") || rest.starts_with("\" (it says"))
        })
    };
    let steps = c.next.clone();
    for q in c.sources.iter_mut().flat_map(|s| s.quotes.iter_mut()) {
        if q.found == Some(false) && q.in_baseline.is_none() && said_never(&q.text, &steps) {
            q.in_baseline = Some(false);
        }
    }
}

/// Fills `next` of every claim of the document.
pub fn annotate(doc: &mut RunReport) {
    let index = SourceIndex::new(&doc.sources);
    for c in &mut doc.claims {
        recall_baseline(c);
    }
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
    fn a_stored_claim_keeps_its_does_not_say() {
        let mut doc = annotated();
        let c = doc
            .claims
            .iter_mut()
            .find(|c| c.sources.iter().any(|s| s.quotes.iter().any(|q| q.found == Some(false) && q.now.is_none())))
            .expect("a missing quote");
        let q = c
            .sources
            .iter_mut()
            .flat_map(|s| s.quotes.iter_mut())
            .find(|q| q.found == Some(false) && q.now.is_none())
            .unwrap();
        q.in_baseline = Some(false);
        let text = q.text.clone();
        let mut one = RunReport { claims: vec![c.clone()], ..doc.clone() };
        annotate(&mut one);
        let step = format!("the source does not say \"{text}\": edit the claim or find a new source");
        assert!(one.claims[0].next.contains(&step), "{:?}", one.claims[0].next);
        // As read back from the store: the flag is gone, the stored steps remain.
        let mut back: RunReport = serde_json::from_str(&serde_json::to_string(&one).unwrap()).unwrap();
        annotate(&mut back);
        assert!(back.claims[0].next.contains(&step), "{:?}", back.claims[0].next);
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
    fn a_copy_found_in_the_archives_is_named() {
        let (mut doc, _) = fixture::sample_report();
        let c = doc.claims.iter().position(|c| c.id == "emissions-1990").unwrap();
        let url = doc.claims[c].sources[0].url.clone();
        let src = doc.sources.iter_mut().find(|s| s.url == url).unwrap();
        src.archived = None;
        src.archive = Some(crate::report::model::ArchiveReport {
            url: "https://web.archive.org/web/20220801000000/https://example.net/gone".into(),
            timestamp: Some("2022-08-01T00:00:00Z".into()),
            status: Some(200),
            quotes_found: Some(true),
            read: true,
        });
        annotate(&mut doc);
        assert_eq!(
            doc.claims[c].next[0],
            format!("cite the archived copy https://web.archive.org/web/20220801000000/https://example.net/gone (`citewatch archive --write climate-2026/emissions-1990` writes it; captured 2022-08-01; it holds the claim's quotes) or replace the URL: {url}")
        );
        // Listed by the index but not replayed: no copy to cite.
        for c in &mut doc.claims {
            c.next.clear();
        }
        let src = doc.sources.iter_mut().find(|s| s.url == url).unwrap();
        src.archive.as_mut().unwrap().read = false;
        annotate(&mut doc);
        assert_eq!(doc.claims[c].next[0], format!("replace the URL or cite an archived copy: {url}"));
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
