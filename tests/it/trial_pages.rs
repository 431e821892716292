//! A new user's session on real-looking pages: quotes copied from articles,
//! links copied with "Copy link to highlight", pages edited over time. Each
//! test is a problem met that way, checked as the user saw it.

use crate::support::*;

const SUDAN: [&str; 3] = [
    "After nearly 20 years of hostile relations, the American government plans to reverse its position on Sudan.",
    "In 1997, President Bill Clinton imposed a comprehensive trade embargo against Sudan and blocked the assets of the Sudanese government.",
    "In the mid-1990s, Osama bin Laden lived in Khartoum, the capital, as a guest of Sudan’s government.",
];

fn article(paras: &[&str]) -> Reply {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    Reply::html(&format!(
        "<html><head><title>Sudan</title></head><body><main><article><h1>Sudan sanctions</h1>{body}</article></main></body></html>"
    ))
}

/// `diff` places a range fragment (`start,end`) as `check` finds it, and
/// says GONE when its sentence was removed, not "not in the watched text".
#[test]
fn diff_places_range_fragments_like_check() {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    let p = Project::new();
    let url = format!("{}#:~:text=In%201997%2C%20President,against%20Sudan", s.url("/sudan"));
    p.claims("f.toml", &factsheet("news", &[("embargo", &[], &[q(&url)])]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);

    // Another sentence changes: the range is still there, on its line.
    s.set("/sudan", article(&[&SUDAN[0].replace("20 years", "21 years"), SUDAN[1], SUDAN[2]]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 1);
    let diff = p.run(&["diff", "news/embargo"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stdout.contains("\"In 1997, President … against Sudan\": at latest line 2"), "{}", diff.stdout);

    // The sentence is removed: the quote is GONE, with its baseline line.
    s.set("/sudan", article(&[SUDAN[0], SUDAN[2]]));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("no longer found"), "{}", run.stdout);
    let diff = p.run(&["diff", "news/embargo"]);
    assert!(
        diff.stdout.contains("\"In 1997, President … against Sudan\": GONE (was at baseline line 2)"),
        "{}",
        diff.stdout
    );
}

/// A quote that was never in the source: `status` and the reports give the
/// next step `check` gave ("does not say"), not "no longer says".
#[test]
fn status_and_reports_keep_the_next_step_check_gave() {
    let (_s, p) = sudan_with_quote("In 1998, President Bill Clinton");
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 1);
    let step = "next: the source does not say \"In 1998, President Bill Clinton\"";
    assert!(run.stdout.contains(step), "{}", run.stdout);
    let status = p.run(&["status"]);
    assert!(status.stdout.contains(step), "{}", status.stdout);
    assert!(!status.stdout.contains("no longer says"), "{}", status.stdout);
    let md = p.run(&["report", "--format", "md"]);
    assert!(md.stdout.contains("does not say"), "{}", md.stdout);
    assert!(!md.stdout.contains("no longer says"), "{}", md.stdout);
    let json = p.run(&["status", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let next = claim(&doc, "embargo")["next"][0].as_str().unwrap().to_string();
    assert!(next.starts_with("the source does not say"), "{next}");
}

/// Accepting a claim whose only source is broken accepts nothing, and says
/// so: no "the next check judges against the new baselines", no undo hint.
/// A quote (not a figure) the accepted content lacks is named as a quote.
#[test]
fn accept_says_plainly_when_nothing_was_accepted() {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    s.set("/verge", article(&["The $1,000 Meta Quest Pro, by contrast, has a resolution of 1800 x 1920 per eye."]));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "news",
            &[
                ("embargo", &["imposed a comprehensive trade embargo"], &[q(&s.url("/sudan"))]),
                ("quest", &[], &[q(&s.url("/verge"))]),
            ],
        ),
    );
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    s.set("/verge", Reply::status(404));
    s.set("/sudan", article(&[SUDAN[0], SUDAN[2]]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 1);

    let acc = p.run(&["accept", "news/quest"]);
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert!(acc.stdout.contains("nothing to accept"), "{}", acc.stdout);
    assert!(acc.stdout.contains("nothing accepted"), "{}", acc.stdout);
    assert!(!acc.stdout.contains("judges against the new baselines"), "{}", acc.stdout);
    assert!(!acc.stdout.contains("accept --undo"), "{}", acc.stdout);

    let acc = p.run(&["accept", "news/embargo"]);
    assert!(acc.stdout.contains("1 source(s) accepted"), "{}", acc.stdout);
    assert!(
        acc.stdout.contains(
            "note: news/embargo quotes \"imposed a comprehensive trade embargo\", which the accepted content does not carry; edit the claim or find a new source"
        ),
        "{}",
        acc.stdout
    );
}

/// The Markdown report gives each missing quote once: the check's reason
/// already names it, so no second "quote not found" beside it.
#[test]
fn markdown_names_a_missing_quote_once() {
    let (s, p) = sudan_with_quote("imposed a comprehensive trade embargo");
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    s.set("/sudan", article(&[SUDAN[0], SUDAN[2]]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 1);
    let md = p.run(&["report", "--format", "md"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let row = md.stdout.lines().find(|l| l.contains("`news/embargo`")).unwrap();
    assert!(row.contains("quote \"imposed a comprehensive trade embargo\" no longer found"), "{row}");
    let reasons = row.split(" | ").nth(3).unwrap();
    assert_eq!(reasons.matches("imposed a comprehensive trade embargo").count(), 1, "{row}");
}

/// Two broken sources and an archive that does not answer: both claims give
/// the same reason for the failed look-up, not two wordings of one fact.
#[test]
fn one_archive_failure_reads_the_same_on_every_claim() {
    let s = Server::start();
    s.set("/a", Reply::status(404));
    s.set("/b", Reply::status(410));
    let p = Project::new();
    p.claims("f.toml", &factsheet("news", &[("a", &[], &[q(&s.url("/a"))]), ("b", &[], &[q(&s.url("/b"))])]));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let archive_reason = |id: &str| -> String {
        let c = claim(&doc, id);
        c["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str())
            .find(|r| r.starts_with("archive look-up failed"))
            .unwrap_or_else(|| panic!("{c}"))
            .to_string()
    };
    assert_eq!(archive_reason("a"), archive_reason("b"));
}

/// `--cache` naming a file: every command that reads or writes the store
/// says the cache must be a folder and how to give one, exit 2, and the
/// claims folder gets no lock file.
#[test]
fn a_cache_that_is_a_file_is_refused_plainly() {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    let p = Project::new();
    p.claims("f.toml", &factsheet("news", &[("embargo", &[], &[q(&s.url("/sudan"))])]));
    std::fs::write(p.path().join("cachefile"), "not a folder").unwrap();
    for args in [&["check", "--quiet"][..], &["status"], &["archive"], &["report", "--format", "md"]] {
        let mut a = vec!["--cache", "cachefile"];
        a.extend_from_slice(args);
        let run = p.run(&a);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("cachefile: is a file, not a folder"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--cache DIR"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(p.path().join("cachefile")).unwrap(), "not a folder");
    assert!(!p.path().join("claims/f.lock").exists());
    assert_eq!(s.hits("/sudan"), 0, "nothing fetched");
}

/// A teammate's fresh clone (the claims and their lock, no cache) checks a
/// source that has since died: `diff` shows the passages the lock holds
/// from its accepted baseline, not "it was never read successfully".
#[test]
fn diff_of_a_dead_source_in_a_fresh_clone_shows_the_lock_passages() {
    let (s, p) = sudan_with_quote("imposed a comprehensive trade embargo");
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    s.set("/sudan", Reply::status(404));

    let clone = Project::new();
    let text = std::fs::read_to_string(p.path().join("claims/f.toml")).unwrap();
    clone.claims("f.toml", &text);
    clone.claims("f.lock", &std::fs::read_to_string(p.path().join("claims/f.lock")).unwrap());
    assert_eq!(clone.run(&["check", "--quiet"]).code, 1);
    let diff = clone.run(&["diff", "news/embargo"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stdout.contains("broken since"), "{}", diff.stdout);
    assert!(!diff.stdout.contains("never read successfully"), "{}", diff.stdout);
    assert!(diff.stdout.contains("in the lock file"), "{}", diff.stdout);
    assert!(diff.stdout.contains("imposed a comprehensive trade embargo"), "{}", diff.stdout);
}

/// `extract --selector` with a selector that is not CSS is refused (exit 2,
/// as `validate` refuses it in a claims file) instead of silently printing
/// the whole watched text; a file with no text says so.
#[test]
fn extract_refuses_a_bad_selector_and_names_a_file_without_text() {
    let p = Project::new();
    let page = p.path().join("page.html");
    std::fs::write(&page, "<html><body><article><h1>T</h1><p>The council approved $16.5 million for the bridge.</p></article></body></html>").unwrap();
    let run = p.run(&["extract", "--selector", "div[[", "page.html"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("selector \"div[[\" is not a valid CSS selector"), "{}", run.stderr);
    let ok = p.run(&["extract", "--selector", "article p", "page.html"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.stdout.trim(), "The council approved $16.5 million for the bridge.");

    std::fs::write(p.path().join("blob.bin"), [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254]).unwrap();
    let run = p.run(&["extract", "blob.bin"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no text"), "{}", run.stderr);
}

/// A link whose text fragment browsers ignore (a raw '-' inside a term):
/// `validate` still passes it (its words are checked all the same) but warns
/// with the file and line, so the editor can fix the link readers follow.
#[test]
fn validate_warns_of_a_fragment_browsers_ignore() {
    let p = Project::new();
    p.claims(
        "f.toml",
        "[factsheet]\nid = \"news\"\ntitle = \"News\"\n\n[[claim]]\nid = \"demo\"\ntext = \"A 30-minute demo.\"\nsources = [\n  \"https://example.org/verge#:~:text=roughly%2030-minute\",\n]\n",
    );
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("valid"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "warning: claims/f.toml:9: news/demo: text fragment \"roughly 30-minute\" will not highlight for readers"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("%2D"), "{}", run.stderr);
}

/// A mistyped target names what is wrong and what exists: the factsheet
/// unknown, the claim unknown in a known factsheet (with the nearest ids),
/// or a claim id given without its factsheet.
#[test]
fn a_mistyped_target_says_what_exists() {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet("news", &[("embargo", &[], &[q(&s.url("/sudan"))]), ("bin-laden", &[], &[q(&s.url("/sudan"))])]),
    );
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    let run = p.run(&["diff", "news/embargoo"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no claim \"embargoo\" in factsheet \"news\"; did you mean news/embargo?"),
        "{}",
        run.stderr
    );
    let run = p.run(&["history", "embargo"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("\"embargo\" is a claim id, not a factsheet: write news/embargo"), "{}", run.stderr);
    let run = p.run(&["accept", "newz/embargo"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no factsheet \"newz\" in the store; known: news"), "{}", run.stderr);
    let run = p.run(&["status", "news/zzz"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no claim \"zzz\" in factsheet \"news\"; its claims: embargo, bin-laden"),
        "{}",
        run.stderr
    );
}

/// A quote whose figure is wrong (copied, then mistyped, or the source was
/// misread) names what the source says in its place: the same words with
/// another figure; in the reasons, the next step and the JSON (`near`).
#[test]
fn a_quote_with_a_wrong_figure_names_what_the_source_says() {
    let s = Server::start();
    s.set(
        "/whales",
        article(&["Whale experts regard New Zealand as the whale stranding capital of the world, with more than 5,000 incidents recorded since 1840."]),
    );
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "news",
            &[
                ("strandings", &["more than 6,000 incidents recorded since 1840"], &[q(&s.url("/whales"))]),
                ("other", &["no such words anywhere 12"], &[q(&s.url("/whales"))]),
            ],
        ),
    );
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1);
    let c = claim(&doc, "strandings");
    assert_eq!(c["verdict"], "unsupported");
    assert_eq!(c["sources"][0]["quotes"][0]["near"], "more than 5,000 incidents recorded since 1840");
    let reason = c["reasons"][0].as_str().unwrap();
    assert_eq!(
        reason,
        "quote \"more than 6,000 incidents recorded since 1840\" not found in any source; the source says \"more than 5,000 incidents recorded since 1840\""
    );
    let next = c["next"][0].as_str().unwrap();
    assert!(next.contains("(it says \"more than 5,000 incidents recorded since 1840\")"), "{next}");
    // Words that are not there at all have no near match.
    assert!(claim(&doc, "other")["sources"][0]["quotes"][0].get("near").is_none());
}

/// An ok claim may still carry reasons: a text fragment of its link that is
/// gone while another still highlights, or one browsers ignore. The text
/// output of `check` names them (they were only in the JSON).
#[test]
fn check_names_the_notes_of_ok_claims() {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    let p = Project::new();
    let two = format!("{}#:~:text=Osama%20bin%20Laden&text=Idi%20Amin", s.url("/sudan"));
    let raw = format!("{}#:~:text=mid-1990s", s.url("/sudan"));
    p.claims("f.toml", &factsheet("news", &[("two", &[], &[q(&two)]), ("raw", &[], &[q(&raw)])]));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("All 2 claims are ok."), "{}", run.stdout);
    assert!(run.stdout.contains("Notes on ok claims (2):"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "news/two: text fragment \"Idi Amin\" is not on the page; the link still highlights \"Osama bin Laden\""
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("news/raw: text fragment \"mid-1990s\" will not highlight for readers"),
        "{}",
        run.stdout
    );
    let notes = run.stdout.find("Notes on ok claims").unwrap();
    assert!(notes < run.stdout.find("2 claims (2 ok)").unwrap(), "before the summary line: {}", run.stdout);
}

/// The Sudan article served, and a claims file whose one claim quotes `quote`.
fn sudan_with_quote(quote: &str) -> (Server, Project) {
    let s = Server::start();
    s.set("/sudan", article(&SUDAN));
    let p = Project::new();
    p.claims("f.toml", &factsheet("news", &[("embargo", &[quote], &[q(&s.url("/sudan"))])]));
    (s, p)
}
