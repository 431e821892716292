//! Command-line conventions: one TARGET for the review commands, `runs`,
//! completions and man page, `--verbose`, Ctrl-C/SIGTERM, `report` on a
//! terminal, config-relative paths, help texts, error messages.

use crate::support::*;
use std::time::{Duration, Instant};

const TEXT: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons in Mali.";

fn checked() -> (Server, Project) {
    let s = Server::start();
    s.set("/a", Reply::article("A", TEXT));
    s.set("/b", Reply::article("B", TEXT));
    s.set("/c", Reply::article("C", TEXT));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet("fs", &[("one", &[], &[q(&s.url("/a")), q(&s.url("/b"))]), ("two", &[], &[q(&s.url("/c"))])]),
    );
    let run = p.run(&["check", "--quiet", "--timeout", "5"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    (s, p)
}

#[test]
fn history_and_status_take_every_target() {
    let (s, p) = checked();
    // A URL: one timeline, and its JSON is one object.
    let run = p.run(&["history", &s.url("/a")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(&s.url("/a")), "{}", run.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&p.run(&["history", &s.url("/a"), "--format", "json"]).stdout).unwrap();
    assert_eq!(json["url"], s.url("/a"));
    // A claim: the timelines of its two sources.
    let run = p.run(&["history", "fs/one"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&s.url("/a")) && run.stdout.contains(&s.url("/b")), "{}", run.stdout);
    assert!(!run.stdout.contains(&s.url("/c")), "{}", run.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&p.run(&["history", "fs/one", "--format", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    // A factsheet: all three.
    let run = p.run(&["history", "fs"]);
    assert_eq!(run.stdout.matches("  run 1 ").count(), 3, "{}", run.stdout);
    // status narrows to the target.
    let run = p.run(&["status", "fs/two"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(" two") && !run.stdout.contains(" one"), "{}", run.stdout);
    let doc: serde_json::Value =
        serde_json::from_str(&p.run(&["status", &s.url("/b"), "--format", "json"]).stdout).unwrap();
    let ids: Vec<&str> = doc["claims"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["one"]);
    assert_eq!(doc["sources"].as_array().unwrap().len(), 1);
    // Unknown targets are errors that say where to look.
    let run = p.run(&["history", "fs/nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("see `citewatch status`"), "{}", run.stderr);
    // An unknown factsheet is named against the known ones.
    let run = p.run(&["status", "--factsheet", "nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no factsheet \"nope\" in the store; known: fs"), "{}", run.stderr);
}

#[test]
fn runs_lists_the_stored_runs() {
    let (_s, p) = checked();
    assert_eq!(p.run(&["check", "--quiet", "--offline"]).code, 0);
    let run = p.run(&["runs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("run 2") && lines[0].contains("finished") && lines[0].contains("offline"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("run 1") && lines[1].contains("3 source(s) fetched, 0 claim(s) flagged"),
        "{}",
        lines[1]
    );
    let json: serde_json::Value = serde_json::from_str(&p.run(&["runs", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[1]["id"], 1);
    assert_eq!(json[1]["status"], "finished");
}

#[test]
fn completions_and_man_pages_come_from_the_command_line() {
    let p = Project::new();
    let run = p.run(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("citewatch") && run.stdout.contains("history") && run.stdout.contains("--fail-on"));
    let run = p.run(&["completions", "zsh"]);
    assert!(run.stdout.contains("#compdef citewatch"), "{}", run.stdout);
    let run = p.run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH citewatch 1"), "{}", &run.stdout[..200.min(run.stdout.len())]);
    let run = p.run(&["man", "--dir", "man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(p.path().join("man/citewatch-check.1")).unwrap();
    assert!(page.contains("fail\\-on"), "{page}");
    // A broken citewatch.toml does not stop them.
    std::fs::write(p.path().join("citewatch.toml"), "nonsense = [").unwrap();
    assert_eq!(p.run(&["completions", "fish"]).code, 0);
}

#[test]
fn verbose_says_what_is_fetched_retried_and_skipped() {
    let s = Server::start();
    s.set("/ok", Reply::article("A", TEXT));
    s.seq("/flaky", vec![Reply::status(503), Reply::article("B", TEXT)]);
    let p = Project::new();
    p.claims("f.toml", &factsheet("fs", &[("one", &[], &[q(&s.url("/ok")), q(&s.url("/flaky"))])]));
    let run = p.run(&["check", "-v", "--timeout", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("checking 2 distinct URL(s)"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("fetched {}: HTTP 200", s.url("/ok"))), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("fetched {}: HTTP 200, retried 1 time(s)", s.url("/flaky"))),
        "{}",
        run.stderr
    );
    let run = p.run(&["check", "--offline", "--verbose"]);
    assert!(run.stderr.contains(&format!("skipped {}: offline", s.url("/ok"))), "{}", run.stderr);
    let run = p.run(&["check", "-v", "--offline", "--exclude", "/flaky"]);
    assert!(run.stderr.contains(&format!("skipped {}: excluded by \"/flaky\"", s.url("/flaky"))), "{}", run.stderr);
    // Without -v, nothing of it.
    let run = p.run(&["check", "--offline"]);
    assert!(!run.stderr.contains("skipped"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn sigterm_keeps_the_stored_work_and_marks_the_run_interrupted() {
    stop_a_check_with("-TERM");
}

#[cfg(unix)]
#[test]
fn ctrl_c_keeps_the_stored_work_and_marks_the_run_interrupted() {
    stop_a_check_with("-INT");
}

#[cfg(unix)]
fn stop_a_check_with(signal: &str) {
    let s = Server::start();
    let mut claims = Vec::new();
    for i in 0..6 {
        let path = format!("/slow{i}");
        // The first source answers at once, the others only after a long wait.
        let delay = if i == 0 { Duration::ZERO } else { Duration::from_secs(30) };
        s.set(&path, Reply::article("Slow", TEXT).delay(delay));
        claims.push((format!("c{i}"), s.url(&path)));
    }
    let p = Project::new();
    let specs: Vec<(String, Vec<String>)> = claims.iter().map(|(id, u)| (id.clone(), vec![q(u)])).collect();
    let refs: Vec<(&str, &[&str], &[String])> = specs.iter().map(|(id, u)| (id.as_str(), &[][..], &u[..])).collect();
    p.claims("f.toml", &factsheet("fs", &refs));
    let child =
        p.command(&["check", "--timeout", "60", "--quiet"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // Wait until the quick source is stored.
    let start = Instant::now();
    loop {
        let stored = p.cache().join("citewatch.db").exists()
            && p.db().query_row("SELECT COUNT(*) FROM fetches", [], |r| r.get::<_, i64>(0)).unwrap_or(0) >= 1;
        if stored {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "the first source was never stored");
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: run 1 stopped after 1 of 6 sources"), "{stderr}");
    assert!(stderr.contains("what it fetched is stored"), "{stderr}");
    let runs = p.run(&["runs"]);
    assert!(runs.stdout.starts_with("run 1") && runs.stdout.contains("interrupted"), "{}", runs.stdout);
    let history = p.run(&["history", &s.url("/slow0")]);
    assert!(history.stdout.contains("(run interrupted)"), "{}", history.stdout);
}

#[test]
fn report_refuses_to_pour_html_into_a_terminal() {
    let (_s, p) = checked();
    // `script` gives the command a terminal as stdout.
    let bin = env!("CARGO_BIN_EXE_citewatch");
    let Ok(out) = std::process::Command::new("script")
        .current_dir(p.path())
        .args(["-qec", &format!("{bin} report"), "/dev/null"])
        .output()
    else {
        eprintln!("no `script` command; skipping");
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("pass -o FILE"), "{shown}");
    assert!(!shown.contains("<html"), "{shown}");
    // Piped, it writes the page; markdown goes to a terminal fine.
    let run = p.run(&["report"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("<!DOCTYPE html>"), "{}", &run.stdout[..60]);
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let s = Server::start();
    s.set("/a", Reply::article("A", TEXT));
    let p = Project::new();
    let sub = p.path().join("site");
    std::fs::create_dir_all(sub.join("facts")).unwrap();
    std::fs::write(sub.join("facts/f.toml"), factsheet("fs", &[("one", &[], &[q(&s.url("/a"))])])).unwrap();
    std::fs::write(sub.join("citewatch.toml"), "claims = [\"facts\"]\ncache = \"store\"\n").unwrap();
    let run = p.run(&["--config", "site/citewatch.toml", "check", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(sub.join("store/citewatch.db").exists());
    assert!(!p.cache().exists());
}

#[test]
fn every_help_describes_its_own_command() {
    let p = Project::new();
    let history = p.run(&["history", "--help"]).stdout;
    assert!(!history.contains("Flagged claims with reasons"), "{history}");
    assert!(history.contains("timeline") && history.contains("TARGET"), "{history}");
    let status = p.run(&["status", "--help"]).stdout;
    assert!(!status.contains("Flagged claims with reasons"), "{status}");
    assert!(status.contains("Every claim"), "{status}");
    let check = p.run(&["check", "--help"]).stdout;
    assert!(check.contains("Flagged claims with reasons"), "{check}");
    for cmd in ["runs", "completions", "man", "diff", "accept", "report", "import", "validate"] {
        let run = p.run(&[cmd, "--help"]);
        assert_eq!(run.code, 0, "{cmd}");
    }
    assert!(p.run(&["--help"]).stdout.contains("--verbose"));
}

#[test]
fn status_on_an_empty_store_says_so() {
    let p = Project::new();
    let run = p.run(&["status", "--factsheet", "nope"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("known: \n") && !run.stderr.trim_end().ends_with("known:"), "{}", run.stderr);
}
