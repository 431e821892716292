//! An editor's next step for every flag, in `check`'s text, `status`, the
//! JSON and the reports.

use crate::support::*;

const TEXT: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons \
in Mali, up from 326,000 a year before. Attackers killed 35 people near Moura in March 2022, \
according to local officials who spoke to reporters on condition of anonymity.";

fn project(s: &Server) -> Project {
    s.set("/gone", Reply::status(404));
    s.set("/moved", Reply::redirect(301, "/new-home"));
    s.set("/new-home", Reply::article("New home", TEXT));
    s.set("/story", Reply::article("Moura", TEXT));
    s.set("/figures", Reply::article("Figures", TEXT));
    s.set("/forbidden", Reply::status(403));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "steps",
            &[
                ("gone", &[], &[q(&s.url("/gone"))]),
                ("moved", &[], &[q(&s.url("/moved"))]),
                ("story", &[], &[q(&s.url("/story"))]),
                ("figure", &["401,850"], &[q(&s.url("/figures"))]),
                ("forbidden", &[], &[q(&s.url("/forbidden"))]),
            ],
        ),
    );
    p
}

#[test]
fn check_text_says_what_to_do_for_every_flag() {
    let s = Server::start();
    let p = project(&s);
    let first = p.run(&["check", "--retries", "0", "--timeout", "5", "--quiet"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    s.set("/story", Reply::article("Moura", &TEXT.replace("35 people", "53 people")));
    s.set("/figures", Reply::article("Figures", &TEXT.replace("401,850", "350,000")));
    let run = p.run(&["check", "--retries", "0", "--timeout", "5", "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    let gone = s.url("/gone");
    assert!(out.contains(&format!("next: replace the URL or cite an archived copy: {gone}")), "{out}");
    assert!(
        out.contains("next: `citewatch diff steps/story`, then `citewatch accept steps/story` or edit the claim"),
        "{out}"
    );
    assert!(out.contains("next: the source no longer says \"401,850\""), "{out}");
    assert!(out.contains("edit the claim or find a new source"), "{out}");
    assert!(out.contains("next: retry; blocked sources may need a browser"), "{out}");
    // The permanent move works, so its claim is not flagged, but the text says it.
    assert!(out.contains(&format!("301 {}", s.url("/moved"))), "{out}");
    assert!(out.contains(&format!("next: update the citation to {}", s.url("/new-home"))), "{out}");
    assert!(out.contains("cited by steps/moved"), "{out}");
    // The summary line stays last.
    assert!(out.trim_end().lines().last().unwrap().starts_with("5 claims ("), "{out}");

    // status says the same, from the store.
    let status = p.run(&["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("next: `citewatch diff steps/story`"), "{}", status.stdout);
    assert!(status.stdout.contains(&format!("next: update the citation to {}", s.url("/new-home"))));

    // JSON: an added `next` list per claim.
    let json = p.run(&["report", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let next = |id: &str| claim(&doc, id)["next"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        next("moved")[0],
        format!("update the citation to {} (moved permanently from {})", s.url("/new-home"), s.url("/moved"))
    );
    assert!(next("gone")[0].as_str().unwrap().starts_with("replace the URL"));
    assert_eq!(next("forbidden")[0], "retry; blocked sources may need a browser");

    // Every report format carries the steps.
    for (format, needle) in [
        ("md", "citewatch diff steps/story"),
        ("csv", "replace the URL or cite an archived copy"),
        ("junit", "Next: retry; blocked sources may need a browser"),
        ("html", "<b>Next:</b> replace the URL or cite an archived copy"),
        (
            "html",
            "<b>Next:</b> <code>citewatch diff steps/story</code>, then <code>citewatch accept steps/story</code>",
        ),
    ] {
        let r = p.run(&["report", "--format", format, "-o", "out"]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        let text = std::fs::read_to_string(p.path().join("out")).unwrap();
        assert!(text.contains(needle), "{format} lacks {needle}");
    }
}
