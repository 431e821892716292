//! Real pages (the shared real-page corpus, skipped when absent): every page
//! yields watched text; a page fetched again unchanged, or with only its
//! furniture edited (teasers rotated, dates and counters moved on, promos
//! added, scripts and class names changed), is not a change; an edit of one
//! figure or sentence of the article is.

#[path = "../realworld/mod.rs"]
mod corpus;

/// The levels measured on the shared corpus (docs/extraction.md), as floors.
const MAX_FURNITURE_FLAGGED: f64 = 0.01;
const MIN_CAUGHT: f64 = 0.95;
const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.855;

#[test]
fn real_pages_furniture_edits_are_noise_and_article_edits_are_changes() {
    let Some(dir) = corpus::corpus_dir() else {
        eprintln!("skipped: the real-page corpus (../shared/corpus/realworld) is absent");
        return;
    };
    let pages = corpus::load(&dir);
    assert!(pages.len() >= 100, "the corpus has {} pages", pages.len());
    let f = corpus::measure(&pages);
    eprintln!("{}", f.summary());
    assert!(f.empty.is_empty(), "pages with no watched text: {:?}", f.empty);
    assert!(f.identical_changed.is_empty(), "identical pages judged changed: {:?}", f.identical_changed);
    let flagged = f.furniture_flagged.len() as f64 / f.furniture_pages as f64;
    assert!(
        flagged <= MAX_FURNITURE_FLAGGED,
        "furniture-only edits flagged on {:.1} % of pages: {:?}",
        flagged * 100.0,
        f.furniture_flagged
    );
    let caught = 1.0 - f.edits_missed.len() as f64 / f.edit_pages as f64;
    assert!(
        caught >= MIN_CAUGHT,
        "article edits caught on {:.1} % of pages; missed: {:#?}",
        caught * 100.0,
        f.edits_missed
    );
    assert!(f.recall() >= MIN_RECALL, "article strings found {:.3}", f.recall());
    assert!(f.precision() >= MIN_PRECISION, "furniture strings kept out {:.3}", f.precision());
}

#[path = "../articles/mod.rs"]
mod articles;

/// Token precision and recall on pages with an expected article text (the
/// folder `CITEWATCH_ARTICLES` names; skipped when unset), as floors.
const MIN_ARTICLE_RECALL: f64 = 0.95;
const MIN_ARTICLE_PRECISION: f64 = 0.93;

#[test]
fn pages_with_expected_articles_are_watched_closely() {
    let Some(dir) = articles::articles_dir() else {
        eprintln!("skipped: CITEWATCH_ARTICLES names no folder of pages with expected article text");
        return;
    };
    let pages = articles::load(&dir);
    assert!(!pages.is_empty(), "no NAME/source.html + NAME/expected.html under {}", dir.display());
    let s = articles::measure(&pages);
    eprintln!("{}", s.summary("citewatch"));
    assert!(s.recall() >= MIN_ARTICLE_RECALL, "token recall {:.3}", s.recall());
    assert!(s.precision() >= MIN_ARTICLE_PRECISION, "token precision {:.3}", s.precision());
}
