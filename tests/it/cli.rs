//! The command line: exit codes, validation messages, the JSON shape.

use crate::support::*;

#[test]
fn validate_reports_file_line_column_and_exits_2() {
    let p = Project::new();
    let file = p.claims(
        "bad.toml",
        "[factsheet]\nid = \"bad\"\ntitle = \"Bad\"\n\n[[claim]]\nid = \"a\"\ntext = \"A\"\nsources = [\"https://ok.example/a\", \"notaurl\"]\ncolor = \"red\"\n",
    );
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 2);
    let shown = file.strip_prefix(p.path()).unwrap().display().to_string();
    assert!(run.stderr.contains(&format!("{shown}:8:36: \"notaurl\" is not an absolute URL")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{shown}:9:1: unknown key \"color\"")), "{}", run.stderr);
    // check refuses the same file before fetching or writing anything.
    let run = p.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(!p.cache().exists());
}

#[test]
fn duplicate_ids_across_files_and_missing_keys() {
    let p = Project::new();
    p.claims("a.toml", "[factsheet]\nid = \"same\"\ntitle = \"A\"\n");
    p.claims("b.toml", "[factsheet]\nid = \"same\"\ntitle = \"B\"\nextra = 1\n");
    p.claims(
        "c.toml",
        "[factsheet]\nid = \"c\"\ntitle = \"C\"\n[[claim]]\nid = \"x\"\nsources = [\"https://a.example/\"]\n",
    );
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("c.toml:4:1: claim \"x\" has no text"), "{}", run.stderr);
    // Reported even though b.toml has another error of its own.
    assert!(run.stderr.contains("b.toml:2:6: factsheet id \"same\" is already used by"), "{}", run.stderr);
    assert!(run.stderr.contains("b.toml:4:1: unknown key \"extra\""), "{}", run.stderr);
}

#[test]
fn good_files_validate_and_paths_are_global() {
    let p = Project::new();
    let f = p.claims("ok.toml", &factsheet("ok", &[("a", &[], &[q("https://a.example/x#:~:text=hello")])]));
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 factsheet(s), 1 claims, 1 distinct URLs"));
    let run = p.run(&["validate", "--claims", f.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    let run = p.run(&["--claims", f.to_str().unwrap(), "validate"]);
    assert_eq!(run.code, 0);
    let run = p.run(&["--claims", "nowhere", "validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nowhere: no such file or folder"), "{}", run.stderr);
    let run = p.run(&["check", "--concurrency", "0"]);
    assert_eq!(run.code, 2);
    let run = p.run(&["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn json_document_shape_and_exit_codes() {
    let s = Server::start();
    s.set("/ok", Reply::article("OK", "A page with 12 figures."));
    s.set("/gone", Reply::status(404));
    let p = Project::new();
    p.claims("f.toml", &factsheet("shape", &[("fine", &["12 figures"], &[q(&s.url("/ok"))])]));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0);
    assert_eq!(doc["schema"], 1);
    for k in ["started", "finished"] {
        let t = doc["run"][k].as_str().unwrap();
        assert!(t.len() == 20 && t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
    for k in ["ok", "changed", "unsupported", "broken", "unverified"] {
        assert!(doc["summary"]["claims"][k].is_u64(), "{k}");
    }
    for k in ["ok", "redirected", "broken", "blocked", "error"] {
        assert!(doc["summary"]["sources"][k].is_u64(), "{k}");
    }
    let c = &doc["claims"][0];
    assert_eq!(c["factsheet"], "shape");
    assert_eq!(c["id"], "fine");
    assert_eq!(c["reasons"], serde_json::json!([]));
    assert_eq!(
        c["sources"][0]["quotes"][0],
        serde_json::json!({"text": "12 figures", "found": true, "origin": "claim"})
    );
    let src = &doc["sources"][0];
    for k in [
        "url",
        "health",
        "http_status",
        "final_url",
        "content",
        "kind",
        "similarity",
        "error",
        "reason",
        "consecutive_failures",
        "claims",
    ] {
        assert!(src.get(k).is_some(), "source lacks {k}");
    }
    assert_eq!(src["claims"], serde_json::json!(["shape/fine"]));
    assert_eq!(src["kind"], "html");

    p.claims("f.toml", &factsheet("shape", &[("fine", &[], &[q(&s.url("/gone"))])]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 1);
    assert_eq!(p.run(&["check", "--quiet", "--fail-on", "never"]).code, 0);
    assert_eq!(p.run(&["check", "--quiet", "--fail-on", "broken"]).code, 1);
    let text = p.run(&["check", "--quiet"]);
    assert!(text.stdout.contains("BROKEN"), "{}", text.stdout);
    assert!(text.stdout.contains("HTTP 404"), "{}", text.stdout);
    assert!(text.stdout.trim_end().lines().last().unwrap().starts_with("1 claims (1 broken), 1 sources (1 broken)"));
}

#[test]
fn hostile_page_text_cannot_drive_the_terminal() {
    let s = Server::start();
    s.set(
        "/evil",
        Reply::html(
            "<html><head><title>Page not found | \u{1b}[2J\u{1b}]0;pwned\u{7}</title></head><body>x</body></html>",
        ),
    );
    let p = Project::new();
    p.claims("f.toml", &factsheet("evil", &[("c", &[], &[q(&s.url("/evil"))])]));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    assert!(run.stdout.contains("\\u{1b}"), "{}", run.stdout);
}

/// `extract` shows a saved page's watched text; `check` then judges an edit
/// outside it as no change and an edit inside it as a change.
#[test]
fn extract_shows_what_check_watches() {
    let p = Project::new();
    let page = |nav: &str, figure: &str| {
        format!(
            "<!doctype html><html><head><title>Report</title></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/a\">{nav}</a></nav>\
             <article><h1>Displacement in Mopti</h1>\
             <p>The ministry counted {figure} displaced people in the region by the end of the year.</p>\
             <p>Most of them had fled villages near the border, the report says, and few had returned.</p></article>\
             <footer>Contact us</footer></body></html>"
        )
    };
    let saved = p.path().join("page.html");
    std::fs::write(&saved, page("World", "401,850")).unwrap();
    let run = p.run(&["extract", "page.html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("counted 401,850 displaced"), "{}", run.stdout);
    assert!(!run.stdout.contains("World") && !run.stdout.contains("Contact us"), "{}", run.stdout);
    let run = p.run(&["extract", "page.html", "--full"]);
    assert!(run.stdout.contains("World") && run.stdout.contains("Contact us"), "{}", run.stdout);
    let run = p.run(&["extract", "page.html", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["kind"], "html");
    assert_eq!(doc["title"], "Report");
    assert!(doc["watched"].as_str().unwrap().contains("401,850"));
    let run = p.run(&["extract", "missing.html"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.html: cannot read"), "{}", run.stderr);

    let server = Server::start();
    server.set("/r", Reply::html(&page("World", "401,850")));
    p.claims("f.toml", &factsheet("f", &[("a", &[], &[q(&server.url("/r"))])]));
    let (run, _) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    server.set("/r", Reply::html(&page("Sport", "401,850")));
    let (run, json) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json["claims"][0]["verdict"], "ok", "{}", run.stdout);
    server.set("/r", Reply::html(&page("Sport", "350,000")));
    let (run, json) = p.check_json(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(json["claims"][0]["verdict"], "changed", "{}", run.stdout);
}
