//! The review loop: check → diff → accept → check, history, status, tracked
//! figures, ignore patterns and flapping control.

use crate::support::*;

const TEXT: &str = "Mali humanitarian update, September 2021.\n\nOCHA reported a record high of 401,850 internally displaced persons.\n\nAttackers killed 35 people in Moura, officials said.";

fn setup(claim_text: &str) -> (Server, Project) {
    let s = Server::start();
    s.set("/r", Reply::article("Update", TEXT));
    let p = Project::new();
    p.claims(
        "f.toml",
        &format!(
            "[factsheet]\nid = \"mali\"\ntitle = \"Mali\"\n\n[[claim]]\nid = \"idps\"\ntext = {claim_text:?}\nsources = [{:?}]\n",
            s.url("/r")
        ),
    );
    (s, p)
}

#[test]
fn check_diff_accept_check_and_undo() {
    let (s, p) = setup("Attackers killed 35 people in Moura.");
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    let diff = p.run(&["diff", "mali/idps"]);
    assert_eq!(diff.code, 0);
    assert!(diff.stdout.contains("no change since the baseline"), "{}", diff.stdout);

    s.set("/r", Reply::article("Update", &TEXT.replace("35 people", "53 people")));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 1);
    // The tracked figure "35 people" is gone: the claim is unsupported.
    assert!(run.stdout.contains("source now says 53 people where it said 35 people"), "{}", run.stdout);

    let diff = p.run(&["diff", "mali/idps"]);
    assert!(diff.stdout.contains("- Attackers killed [-35-] people in Moura, officials said."), "{}", diff.stdout);
    assert!(diff.stdout.contains("+ Attackers killed {+53+} people in Moura, officials said."), "{}", diff.stdout);
    assert!(!diff.stdout.contains('\u{1b}'), "plain when piped");
    assert!(diff.stdout.contains("\"35 people\": GONE"), "{}", diff.stdout);
    // Only the changed line and its context, not the whole page.
    let full = p.run(&["diff", &s.url("/r"), "--full", "--context", "0"]);
    assert!(full.stdout.contains("Mali humanitarian update"), "{}", full.stdout);
    let short = p.run(&["diff", "mali", "--context", "0"]);
    assert!(!short.stdout.contains("Mali humanitarian update"), "{}", short.stdout);

    let acc = p.run(&["accept", "mali/idps", "--note", "casualty figure revised by OCHA"]);
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert!(acc.stdout.contains("1 source(s) accepted"), "{}", acc.stdout);
    assert!(
        acc.stdout.contains(
            "note: mali/idps states \"35 people\", which the accepted content does not carry (it now says 53 people)"
        ),
        "{}",
        acc.stdout
    );
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(source(&doc, &s.url("/r"))["content"], "unchanged");
    assert_eq!(claim(&doc, "idps")["verdict"], "ok");
    assert!(p.run(&["accept", "--list"]).stdout.contains("casualty figure revised by OCHA"));

    let undo = p.run(&["accept", "--undo"]);
    assert!(undo.stdout.contains("back on its previous baseline"), "{}", undo.stdout);
    let (_, doc) = p.check_json(&[]);
    assert_eq!(source(&doc, &s.url("/r"))["content"], "changed");

    let hist = p.run(&["history", &format!("{}#:~:text=Moura", s.url("/r")), "--format", "json"]);
    assert_eq!(hist.code, 0, "{}", hist.stderr);
    let h: serde_json::Value = serde_json::from_str(&hist.stdout).unwrap();
    let events: Vec<(String, String)> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["event"].as_str().unwrap().to_string(), e["content"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        events,
        vec![
            ("fetch".into(), "changed".into()),
            ("fetch".into(), "unchanged".into()),
            ("accept".into(), String::new()),
            ("fetch".into(), "changed".into()),
            ("fetch".into(), "new".into()),
        ],
        "newest first"
    );
    assert_eq!(h["entries"][2]["undone"], true);
    let text = p.run(&["history", &s.url("/r")]);
    assert!(text.stdout.contains("HTTP 200"), "{}", text.stdout);
    assert!(p.run(&["history", "https://never.example/x"]).code == 2);
    assert!(p.run(&["diff", "mali/nope"]).code == 2);
}

#[test]
fn status_works_without_network_in_the_check_shapes() {
    let (s, p) = setup("OCHA reported 401,850 internally displaced persons.");
    s.set("/gone", Reply::status(404));
    p.claims("g.toml", &factsheet("other", &[("dead", &[], &[q(&s.url("/gone"))])]));
    let (_, checked) = p.check_json(&[]);
    drop(s);
    let status = p.run(&["status", "--format", "json"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    let doc: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["claims"], checked["claims"]);
    assert_eq!(doc["summary"], checked["summary"]);
    let tracked: Vec<&serde_json::Value> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["sources"][0]["quotes"].as_array().unwrap().iter())
        .filter(|q| q["tracked"] == true)
        .collect();
    assert_eq!(tracked.len(), 1);
    assert_eq!(tracked[0]["text"], "401,850");

    let broken = p.run(&["status", "--verdict", "broken", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&broken.stdout).unwrap();
    assert_eq!(doc["claims"].as_array().unwrap().len(), 1);
    assert_eq!(doc["claims"][0]["id"], "dead");
    assert_eq!(doc["sources"].as_array().unwrap().len(), 1);
    let mali = p.run(&["status", "--factsheet", "mali"]);
    assert!(mali.stdout.contains("tracked figures: 401,850 (found)"), "{}", mali.stdout);
    assert!(!mali.stdout.contains("dead"), "{}", mali.stdout);
    let empty = Project::new();
    let none = empty.run(&["status"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("run `citewatch check` first"), "{}", none.stderr);
}

#[test]
fn a_figure_that_only_moved_is_not_a_change() {
    let (s, p) = setup("OCHA reported 401,850 internally displaced persons.");
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    let moved = "Attackers killed 35 people in Moura, officials said.\n\nMali humanitarian update, September 2021.\n\nOCHA reported a record high of 401,850 internally displaced persons.";
    s.set("/r", Reply::article("Update", moved));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(claim(&doc, "idps")["verdict"], "ok");
    assert_eq!(source(&doc, &s.url("/r"))["content"], "unchanged");
    // A figure that changed is reported with the old and new value.
    s.set("/r", Reply::article("Update", &TEXT.replace("401,850", "350,000")));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(claim(&doc, "idps")["verdict"], "unsupported");
    let reasons = claim(&doc, "idps")["reasons"].to_string();
    assert!(reasons.contains("source now says 350,000 where it said 401,850"), "{reasons}");
    let q = &claim(&doc, "idps")["sources"][0]["quotes"][0];
    assert_eq!(q["tracked"], true);
    assert_eq!(q["found"], false);
    assert_eq!(q["now"], "350,000");
}

#[test]
fn ignore_patterns_take_effect_without_refetching() {
    let s = Server::start();
    let stamped = |d: &str| Reply::article("Stamped", &format!("{TEXT}\n\nSession {d}"));
    s.set("/r", stamped("8f3a2"));
    s.set("/t", stamped("8f3a2"));
    let p = Project::new();
    p.claims("f.toml", &factsheet("stamp", &[("a", &[], &[q(&s.url("/r"))]), ("b", &[], &[q(&s.url("/t"))])]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    s.set("/r", stamped("9c1d7"));
    s.set("/t", stamped("9c1d7"));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(source(&doc, &s.url("/r"))["content"], "changed");
    let hits = s.hits("/r");

    // A global pattern in citewatch.toml, and a per-source one in the claims.
    std::fs::write(
        p.path().join("citewatch.toml"),
        "ignore = [\"Session [0-9a-f]+\"]\n[check]\nformat = \"json\"\nquiet = true\n",
    )
    .unwrap();
    let run = p.run(&["check", "--offline"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(source(&doc, &s.url("/r"))["content"], "unchanged");
    assert_eq!(s.hits("/r"), hits, "no refetch");

    std::fs::remove_file(p.path().join("citewatch.toml")).unwrap();
    p.claims(
        "f.toml",
        &factsheet(
            "stamp",
            &[
                ("a", &[], &[format!("{{ url = {}, ignore = \"Session [0-9a-f]+\" }}", q(&s.url("/r")))]),
                ("b", &[], &[q(&s.url("/t"))]),
            ],
        ),
    );
    let (_, doc) = p.check_json(&["--offline"]);
    assert_eq!(source(&doc, &s.url("/r"))["content"], "unchanged");
    assert_eq!(source(&doc, &s.url("/t"))["content"], "changed");

    std::fs::write(p.path().join("citewatch.toml"), "[check]\npar-host = 3\n").unwrap();
    let bad = p.run(&["check"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("citewatch.toml:2:1"), "{}", bad.stderr);
}

#[test]
fn flapping_sources_fail_the_run_only_when_confirmed() {
    let s = Server::start();
    s.set("/r", Reply::article("R", TEXT));
    let p = Project::new();
    p.claims("f.toml", &factsheet("flap", &[("c", &[], &[q(&s.url("/r"))])]));
    assert_eq!(p.run(&["check", "--quiet", "--confirm", "3"]).code, 0);
    s.set("/r", Reply::status(404));
    let first = p.run(&["check", "--quiet", "--confirm", "3"]);
    assert_eq!(first.code, 0, "{}", first.stdout);
    assert!(first.stdout.contains("failing 1/3"), "{}", first.stdout);
    let (run, doc) = p.check_json(&["--confirm", "3"]);
    assert_eq!(run.code, 0);
    assert_eq!(claim(&doc, "c")["verdict"], "broken");
    assert_eq!(claim(&doc, "c")["confirmed"], false);
    assert_eq!(source(&doc, &s.url("/r"))["confirmed"], false);
    assert_eq!(source(&doc, &s.url("/r"))["consecutive_failures"], 2);
    // It recovers: the count starts again.
    s.set("/r", Reply::article("R", TEXT));
    assert_eq!(p.run(&["check", "--quiet", "--confirm", "3"]).code, 0);
    s.set("/r", Reply::status(404));
    for expected in [0, 0, 1] {
        let run = p.run(&["check", "--quiet", "--confirm", "3"]);
        assert_eq!(run.code, expected, "{}", run.stdout);
    }
    let (_, doc) = p.check_json(&["--confirm", "3"]);
    assert_eq!(source(&doc, &s.url("/r"))["confirmed"], true);
    assert_eq!(source(&doc, &s.url("/r"))["consecutive_failures"], 4);
}

#[test]
fn figures_in_teasers_are_never_tracked() {
    let s = Server::start();
    let page = |teaser: &str| {
        Reply::html(&format!(
            "<html><head><title>Moura</title></head><body><div class=\"content\"><h1>Attack in Moura</h1>\
             <p>Gunmen attacked the market in Moura on Sunday, witnesses said.</p></div>\
             <div class=\"related-stories\"><a href=\"/x\">{teaser}</a></div></body></html>"
        ))
    };
    s.set("/r", page("Gunmen killed 14 civilians in Niger village"));
    let p = Project::new();
    p.claims(
        "f.toml",
        &format!(
            "[factsheet]\nid = \"t\"\ntitle = \"T\"\n\n[[claim]]\nid = \"c\"\ntext = \"In a separate attack, gunmen killed 14 civilians in Moura.\"\nsources = [{:?}]\n",
            s.url("/r")
        ),
    );
    let (_, doc) = p.check_json(&[]);
    let quotes = claim(&doc, "c")["sources"][0]["quotes"].as_array().unwrap().clone();
    assert!(quotes.is_empty(), "a teaser's figure is not the source's: {quotes:?}");
    s.set("/r", page("Floods in Gao"));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(claim(&doc, "c")["verdict"], "ok");
}

#[test]
fn a_selector_that_matches_nothing_is_said_plainly() {
    let s = Server::start();
    s.set("/r", Reply::article("R", TEXT));
    let p = Project::new();
    p.claims("f.toml", &factsheet("sel", &[("c", &[], &[q(&s.url("/r"))])]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    // The editor narrows the watched text with a selector that is wrong.
    p.claims(
        "f.toml",
        &factsheet("sel", &[("c", &[], &[format!("{{ url = {}, selector = \"#nothing\" }}", q(&s.url("/r")))])]),
    );
    for extra in [&["--offline"][..], &[][..]] {
        let (_, doc) = p.check_json(extra);
        let src = source(&doc, &s.url("/r"));
        assert_eq!(src["content"], "unknown", "{extra:?}: {src}");
        assert!(src["reason"].as_str().unwrap().contains("matches nothing"), "{extra:?}: {src}");
        assert_eq!(claim(&doc, "c")["verdict"], "unverified");
    }
    assert_eq!(p.run(&["status", "--factsheet", "nope"]).code, 2);
    assert_eq!(p.run(&["report", "--factsheet", "nope"]).code, 2);
    assert_eq!(p.run(&["status", "--factsheet", "sel"]).code, 0);
}
