//! Baselines in git: `claims/NAME.lock` travels with the claims, and a check
//! on a fresh clone with an empty cache judges as the machine that holds the
//! whole history does.

use crate::support::*;

const FIG: &str = "Mali humanitarian update, September 2021.\n\nOCHA reported a record high of 401,850 internally displaced persons in the country.\n\nAid agencies asked for more funding for the coming season.";
const QUOTE: &str = "Attackers struck the market of Moura on Sunday.\n\nThe army denied any role in the killings, officials said on Monday.\n\nA commission of inquiry was announced.";
const LONG: &str = "The mission reported on its mandate in the north of the country.\n\nPatrols were carried out around Gao and Timbuktu during the quarter.\n\nThe mission counted new attacks against its convoys on the main roads.\n\nThe report lists the contributing countries and their troops.";
const NOISE: &str = "A long interview with the regional governor about the security situation.\n\n6677 views\n\nThe governor spoke of new roads and schools in the region.";
const SAME: &str = "The constitution of 1992 remains the reference text of the republic.\n\nIts article 25 sets out the separation of powers.";
const ACC: &str =
    "Before: the budget of the ministry was 120 billion francs.\n\nThe ministry presented the plan to parliament.";

fn claims_file(s: &Server) -> String {
    let claim = |id: &str, text: &str, quotes: &[&str], path: &str| {
        let q: Vec<String> = quotes.iter().map(|q| format!("{q:?}")).collect();
        format!(
            "\n[[claim]]\nid = \"{id}\"\ntext = {text:?}\nquotes = [{}]\nsources = [{:?}]\n",
            q.join(", "),
            s.url(path)
        )
    };
    let mut f = String::from("[factsheet]\nid = \"mali\"\ntitle = \"Mali\"\n");
    f += &claim("idps", "OCHA reported 401,850 internally displaced persons in Mali.", &[], "/fig");
    f += &claim("denial", "The army denied any role, officials said.", &["denied any role"], "/quote");
    f += &claim("mission", "The mission reported attacks against its convoys.", &[], "/long");
    f += &claim("governor", "The governor spoke of new roads.", &[], "/noise");
    f += &claim("constitution", "The constitution dates from 1992.", &[], "/same");
    f += &claim("gone", "A page that will vanish.", &[], "/gone");
    f += &claim("budget", "The budget of the ministry was 120 billion francs.", &[], "/acc");
    f
}

fn serve(s: &Server) {
    s.set("/fig", Reply::article("Update", FIG));
    s.set("/quote", Reply::article("Moura", QUOTE));
    s.set("/long", Reply::article("Mission", LONG));
    s.set("/noise", Reply::article("Interview", NOISE));
    s.set("/same", Reply::article("Constitution", SAME));
    s.set("/gone", Reply::article("Gone", "A page that will vanish from the web soon enough."));
    s.set("/acc", Reply::article("Budget", ACC));
}

fn rot(s: &Server) {
    s.set("/fig", Reply::article("Update", &FIG.replace("401,850", "350,000")));
    s.set("/quote", Reply::article("Moura", &QUOTE.replace("denied any role in", "spoke about")));
    s.set("/long", Reply::article("Mission", &LONG.replace("Gao and Timbuktu", "Menaka and Kidal")));
    s.set("/noise", Reply::article("Interview", &NOISE.replace("6677 views", "7012 views")));
    s.set("/gone", Reply::status(404));
}

fn lock_text(p: &Project) -> String {
    std::fs::read_to_string(p.path().join("claims/f.lock")).expect("the check writes claims/f.lock")
}

/// Verdicts and reasons, similarity percentages blanked, by claim id.
fn verdicts(doc: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    let re = regex::Regex::new(r"\(\d+% similar").unwrap();
    let mut v: Vec<(String, String, Vec<String>)> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let reasons = c["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| re.replace_all(r.as_str().unwrap(), "(N% similar").into_owned())
                .map(|r| r.split(" (first seen failing").next().unwrap().to_string())
                .collect();
            (c["id"].as_str().unwrap().to_string(), c["verdict"].as_str().unwrap().to_string(), reasons)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn baselines_and_accepts_travel_with_the_claims() {
    let s = Server::start();
    serve(&s);
    let a = Project::new();
    a.claims("f.toml", &claims_file(&s));
    let first = a.run(&["check", "--quiet"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("7 sources: first baselines taken"), "{}", first.stdout);
    assert!(first.stdout.contains("wrote claims/f.lock"), "{}", first.stdout);
    // Re-judging offline takes no baseline and says none.
    let offline = a.run(&["check", "--quiet", "--offline"]);
    assert_eq!(offline.code, 0, "{}{}", offline.stdout, offline.stderr);
    assert!(!offline.stdout.contains("first baselines"), "{}", offline.stdout);
    let lock1 = lock_text(&a);
    assert_eq!(lock1.matches("[[source]]").count(), 7);
    assert!(lock1.contains("401,850"), "the passage holding the tracked figure: {lock1}");
    assert!(lock1.contains("denied any role"), "the passage holding the quote");
    assert!(lock1.len() < 7 * 1200, "small: {} bytes", lock1.len());

    // An unchanged web leaves the lock byte for byte as it was.
    let again = a.run(&["check", "--quiet"]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert!(!again.stdout.contains("first baselines"), "{}", again.stdout);
    assert_eq!(lock_text(&a), lock1);

    // The budget page changes and is accepted in the first folder.
    s.set("/acc", Reply::article("Budget", &ACC.replace("120 billion", "135 billion")));
    assert_eq!(a.run(&["check", "--quiet"]).code, 1);
    let acc = a.run(&["accept", "mali/budget", "--note", "budget revised in the 2022 law"]);
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert!(acc.stdout.contains("wrote claims/f.lock"), "{}", acc.stdout);
    let lock2 = lock_text(&a);
    assert_ne!(lock2, lock1);
    assert!(lock2.contains("note = \"budget revised in the 2022 law\""), "{lock2}");

    // A fresh clone: the claims folder only, an empty cache.
    let b = Project::new();
    for f in ["f.toml", "f.lock"] {
        std::fs::create_dir_all(b.path().join("claims")).unwrap();
        std::fs::copy(a.path().join("claims").join(f), b.path().join("claims").join(f)).unwrap();
    }
    rot(&s);
    let (run_a, doc_a) = a.check_json(&[]);
    let (run_b, doc_b) = b.check_json(&[]);
    assert_eq!(run_a.code, 1);
    assert_eq!(run_b.code, 1, "{}", run_b.stderr);
    let (va, vb) = (verdicts(&doc_a), verdicts(&doc_b));
    assert_eq!(va, vb, "the fresh clone judges as the full cache does");
    // What that judgement is.
    let by_id = |id: &str| va.iter().find(|c| c.0 == id).unwrap().clone();
    assert_eq!(by_id("idps").1, "unsupported");
    assert!(by_id("idps").2.iter().any(|r| r.contains("source now says 350,000 where it said 401,850")), "{va:?}");
    assert!(by_id("denial").2.iter().any(|r| r.contains("quote \"denied any role\" no longer found")), "{va:?}");
    assert_eq!(by_id("mission").1, "changed");
    assert_eq!(by_id("governor").1, "ok", "a counter is noise");
    assert_eq!(by_id("constitution").1, "ok");
    assert_eq!(by_id("gone").1, "broken");
    assert_eq!(by_id("budget").1, "ok", "the accept made in the first folder holds in the second");
    let sim = |doc: &serde_json::Value| source(doc, &s.url("/long"))["similarity"].as_f64().unwrap();
    let (sa, sb) = (sim(&doc_a), sim(&doc_b));
    assert!(sb > 0.5 && sb < 1.0 && (sa - sb).abs() < 0.2, "similarity {sa} (full cache) vs {sb} (lock)");

    // diff on the clone: the baseline is the lock's; its passages, still there or gone.
    let diff = b.run(&["diff", "mali/idps"]);
    assert!(diff.stdout.contains("judged against the baseline accepted"), "{}", diff.stdout);
    assert!(diff.stdout.contains("401,850 internally displaced persons in the country.\": GONE"), "{}", diff.stdout);

    // The lock wins over the fresh store, run after run, and its text stays put.
    let lock_b = lock_text(&b);
    let (_, doc_b2) = b.check_json(&[]);
    assert_eq!(verdicts(&doc_b2), vb);
    assert_eq!(lock_text(&b), lock_b, "a check does not move accepted baselines");

    // An accept on the clone moves its lock; the next check is judged against it.
    let acc = b.run(&["accept", "mali/mission", "--note", "patrol areas updated"]);
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert!(acc.stdout.contains("1 source(s) accepted"), "{}", acc.stdout);
    let (_, doc_b3) = b.check_json(&[]);
    assert_eq!(claim(&doc_b3, "mission")["verdict"], "ok");
    assert_eq!(source(&doc_b3, &s.url("/long"))["content"], "unchanged");
    assert_ne!(lock_text(&b), lock_b);

    // Undone on the clone: the lock is back as it came from the first folder.
    let undo = b.run(&["accept", "--undo"]);
    assert!(undo.stdout.contains("back on its previous baseline"), "{}", undo.stdout);
    assert_eq!(lock_text(&b), lock_b, "the undo restores the entry byte for byte");
    let (_, doc_b4) = b.check_json(&[]);
    assert_eq!(claim(&doc_b4, "mission")["verdict"], "changed");
    // And in the first folder, an undo of the budget accept restores its first baseline.
    let undo = a.run(&["accept", "--undo", "mali/budget"]);
    assert!(undo.stdout.contains("back on its previous baseline"), "{}", undo.stdout);
    let lock_a = lock_text(&a);
    assert!(!lock_a.contains("budget revised in the 2022 law"), "{lock_a}");
}

#[test]
fn a_nightly_job_can_fail_when_nothing_could_be_checked() {
    // Nothing listens on these ports: every fetch fails.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/report", dead.local_addr().unwrap());
    drop(dead);
    let p = Project::new();
    p.claims("f.toml", &factsheet("mali", &[("a", &[], &[q(&url)]), ("b", &[], &[q(&format!("{url}2"))])]));
    let run = p.run(&["check", "--quiet", "--retries", "0", "--timeout", "5"]);
    assert_eq!(run.code, 0, "unverified alone does not fail by default: {}", run.stdout);
    assert!(run.stdout.contains("NOT ONE OF THE 2 SOURCES COULD BE FETCHED"), "{}", run.stdout);
    assert!(!run.stdout.contains("first baselines"), "nothing was read: {}", run.stdout);
    assert!(!p.path().join("claims/f.lock").exists(), "no baseline, no lock");
    assert!(run.stdout.contains("Use --fail-on unverified to fail such runs"), "{}", run.stdout);
    let run = p.run(&["check", "--quiet", "--retries", "0", "--timeout", "5", "--fail-on", "unverified"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("This run fails (--fail-on unverified)"),
        "no hint to pass what was passed: {}",
        run.stdout
    );
    std::fs::write(p.path().join("citewatch.toml"), "[check]\nfail-on = \"unverified\"\n").unwrap();
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0", "--timeout", "5"]).code, 1);
}

#[test]
fn accept_and_diff_tell_the_truth_on_dead_sources() {
    let s = Server::start();
    s.set("/dead", Reply::article("Moura", QUOTE));
    s.set("/soft", Reply::article("Update", FIG));
    s.set("/moved", Reply::article("Mission", LONG));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "mali",
            &[
                ("denial", &["denied any role"], &[q(&s.url("/dead"))]),
                ("idps", &[], &[q(&s.url("/soft"))]),
                ("mission", &[], &[q(&s.url("/moved"))]),
            ],
        ),
    );
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    s.set("/dead", Reply::status(404));
    s.set("/soft", Reply::article("Page not found", "Sorry, this page does not exist."));
    s.set("/moved", Reply::article("Mission", &LONG.replace("Gao and Timbuktu", "Menaka and Kidal")));
    assert_eq!(p.run(&["check", "--quiet"]).code, 1);

    let acc = p.run(&["accept", "mali/denial"]);
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert!(!acc.stdout.contains("accepted: "), "{}", acc.stdout);
    assert!(acc.stdout.contains("nothing to accept: "), "{}", acc.stdout);
    assert!(acc.stdout.contains("is broken since "), "{}", acc.stdout);
    assert!(acc.stdout.contains("(HTTP 404)"), "{}", acc.stdout);
    assert!(acc.stdout.contains("Fix its URL") && acc.stdout.contains("archived"), "{}", acc.stdout);

    let diff = p.run(&["diff", "mali/denial"]);
    assert_eq!(diff.code, 0);
    assert!(!diff.stdout.contains("no change"), "{}", diff.stdout);
    assert!(diff.stdout.contains("broken since "), "{}", diff.stdout);
    assert!(diff.stdout.contains("the last good text"), "{}", diff.stdout);
    assert!(diff.stdout.contains("The army denied any role in the killings"), "{}", diff.stdout);
    assert!(diff.stdout.contains("\"denied any role\": in the last good text"), "{}", diff.stdout);
    let diff = p.run(&["diff", "mali/idps"]);
    assert!(diff.stdout.contains("broken since ") && diff.stdout.contains("soft-404"), "{}", diff.stdout);
    assert!(diff.stdout.contains("401,850 internally displaced"), "{}", diff.stdout);

    let all = p.run(&["accept", "--all", "--note", "nightly review"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.stdout.matches("nothing to accept: ").count(), 2, "{}", all.stdout);
    assert!(all.stdout.contains("accepted: ") && all.stdout.contains("/moved"), "{}", all.stdout);
    assert!(all.stdout.contains("moved 1 flagged source(s)"), "{}", all.stdout);
    assert!(all.stdout.contains("2 broken source(s) left as they are"), "{}", all.stdout);
}

#[test]
fn a_teammates_accept_arriving_through_git_wins_over_the_store() {
    let s = Server::start();
    serve(&s);
    let a = Project::new();
    a.claims("f.toml", &claims_file(&s));
    assert_eq!(a.run(&["check", "--quiet"]).code, 0);
    // A teammate clones the claims and the lock, and checks too.
    let b = Project::new();
    std::fs::create_dir_all(b.path().join("claims")).unwrap();
    for f in ["f.toml", "f.lock"] {
        std::fs::copy(a.path().join("claims").join(f), b.path().join("claims").join(f)).unwrap();
    }
    assert_eq!(b.run(&["check", "--quiet"]).code, 0);
    s.set("/long", Reply::article("Mission", &LONG.replace("Gao and Timbuktu", "Menaka and Kidal")));
    assert_eq!(a.run(&["check", "--quiet"]).code, 1);
    assert_eq!(b.run(&["check", "--quiet"]).code, 1);
    // The teammate accepts and pushes the lock; the first folder pulls it.
    assert_eq!(b.run(&["accept", "mali/mission", "--note", "areas updated"]).code, 0);
    std::fs::copy(b.path().join("claims/f.lock"), a.path().join("claims/f.lock")).unwrap();
    let (run, doc) = a.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(claim(&doc, "mission")["verdict"], "ok");
    assert_eq!(source(&doc, &s.url("/long"))["content"], "unchanged");
    // The store follows the lock: diff sees the accepted text as the baseline.
    let diff = a.run(&["diff", "mali/mission"]);
    assert!(diff.stdout.contains("no change since the baseline"), "{}", diff.stdout);
    assert_eq!(
        std::fs::read_to_string(a.path().join("claims/f.lock")).unwrap(),
        std::fs::read_to_string(b.path().join("claims/f.lock")).unwrap(),
        "the pulled lock is left as it is"
    );
}

#[test]
fn first_baselines_made_while_fetching_equal_those_rebuilt_from_the_store() {
    // A cold check makes each new source's lock entry from the texts it has
    // just extracted. Rebuilt from the store alone (kept entries dropped, the
    // lock deleted, an offline check), the lock file is the same, byte for byte.
    let s = Server::start();
    serve(&s);
    let a = Project::new();
    a.claims("f.toml", &claims_file(&s));
    let first = a.run(&["check", "--quiet"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let made = lock_text(&a);
    assert_eq!(made.matches("[[source]]").count(), 7);
    let kept: i64 = a.db().query_row("SELECT COUNT(*) FROM lock_entries", [], |r| r.get(0)).unwrap();
    assert!(kept >= 7, "{kept} lock entries kept while fetching");
    a.db().execute("DELETE FROM lock_entries", []).unwrap();
    std::fs::remove_file(a.path().join("claims/f.lock")).unwrap();
    let offline = a.run(&["check", "--quiet", "--offline"]);
    assert_eq!(offline.code, 0, "{}{}", offline.stdout, offline.stderr);
    assert_eq!(lock_text(&a), made);
}

#[test]
fn a_lock_left_as_it_was_is_still_rebuilt_when_anything_it_comes_from_moves() {
    // A check where nothing moved leaves the lock files unread by the end of
    // the run; each thing they are made from still brings them up to date.
    let s = Server::start();
    serve(&s);
    let a = Project::new();
    a.claims("f.toml", &claims_file(&s));
    assert_eq!(a.run(&["check", "--quiet"]).code, 0);
    let made = lock_text(&a);
    let quiet = a.run(&["check", "--quiet"]);
    assert_eq!(quiet.code, 0, "{}{}", quiet.stdout, quiet.stderr);
    assert!(!quiet.stdout.contains("wrote claims/f.lock"), "{}", quiet.stdout);
    assert_eq!(lock_text(&a), made);

    // A hand-edited lock (an entry cut out) is put right by the next check.
    let start = made.find("[[source]]").unwrap();
    let second = start + 10 + made[start + 10..].find("[[source]]").unwrap();
    let cut = format!("{}{}", &made[..start], &made[second..]);
    std::fs::write(a.path().join("claims/f.lock"), &cut).unwrap();
    let fixed = a.run(&["check", "--quiet"]);
    assert!(fixed.stdout.contains("wrote claims/f.lock"), "{}{}", fixed.stdout, fixed.stderr);
    assert_eq!(lock_text(&a), made, "the entry cut out is back, byte for byte");

    // An older lock checked out from git over the current one: the same.
    std::fs::write(a.path().join("claims/f.lock"), &cut).unwrap();
    assert_eq!(a.run(&["check", "--quiet", "--offline"]).code, 0);
    assert_eq!(lock_text(&a), made);

    // A new quote in the claims file: its passage joins the lock.
    let edited = claims_file(&s).replacen("quotes = []", "quotes = [\"record high of 401,850\"]", 1);
    assert_ne!(edited, claims_file(&s));
    a.claims("f.toml", &edited);
    let requoted = a.run(&["check", "--quiet"]);
    assert_eq!(requoted.code, 0, "{}{}", requoted.stdout, requoted.stderr);
    let quoted = lock_text(&a);
    assert_ne!(quoted, made);
    assert!(quoted.contains("record high of 401,850"), "{quoted}");

    // A baseline taken in the store with the claims and the lock as they
    // were: a source down at first comes up; its entry joins the lock.
    let b = Project::new();
    b.claims("f.toml", &claims_file(&s));
    s.set("/gone", Reply::status(404));
    assert_eq!(b.run(&["check", "--quiet"]).code, 1);
    assert_eq!(b.run(&["check", "--quiet"]).code, 1);
    assert_eq!(lock_text(&b).matches("[[source]]").count(), 6);
    s.set("/gone", Reply::article("Gone", "A page that will vanish from the web soon enough."));
    let up = b.run(&["check", "--quiet"]);
    assert_eq!(up.code, 0, "{}{}", up.stdout, up.stderr);
    let text = lock_text(&b);
    assert_eq!(text.matches("[[source]]").count(), 7, "{text}");
    assert!(text.contains(&s.url("/gone")), "{text}");
}

/// A lock too large to hold (several hundred sources) is read from its file
/// source by source: a fresh clone judges against it as the full cache does,
/// and a run that moved nothing leaves it byte for byte as it was.
#[test]
fn a_large_lock_on_a_fresh_clone_judges_every_source_against_its_entry() {
    const N: usize = 400;
    let s = Server::start();
    let text = |i: usize, figure: &str| {
        format!(
            "District report {i}, September 2021.\n\nOCHA reported {figure} internally displaced persons in district {i} \
             of the region.\n\nAid agencies asked for more funding for the coming season in district {i}."
        )
    };
    let mut f = String::from("[factsheet]\nid = \"big\"\ntitle = \"Districts\"\n");
    for i in 0..N {
        s.set(&format!("/d/{i}"), Reply::article(&format!("District {i}"), &text(i, "401,850")));
        f += &format!(
            "\n[[claim]]\nid = \"d{i}\"\ntext = \"OCHA reported 401,850 internally displaced persons in district {i}.\"\n\
             quotes = [\"internally displaced persons in district {i}\"]\nsources = [{:?}]\n",
            s.url(&format!("/d/{i}"))
        );
    }
    let a = Project::new();
    a.claims("f.toml", &f);
    let first = a.run(&["check", "--quiet"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let lock1 = lock_text(&a);
    assert_eq!(lock1.matches("[[source]]").count(), N);
    assert!(lock1.len() > 256 * 1024, "the lock must be one too large to hold: {} bytes", lock1.len());
    // Nothing moved: the lock stays as it was.
    assert_eq!(a.run(&["check", "--quiet"]).code, 0);
    assert_eq!(lock_text(&a), lock1);
    // Found to read a table at a time, the file is remembered, and the next
    // run reads it without parsing it first.
    let known: i64 = a.db().query_row("SELECT count(*) FROM lock_files", [], |r| r.get(0)).unwrap();
    assert_eq!(known, 1);
    assert_eq!(a.run(&["check", "--quiet"]).code, 0);
    assert_eq!(lock_text(&a), lock1);

    // A fresh clone, the web unchanged but for two districts.
    let b = Project::new();
    b.claims("f.toml", &f);
    std::fs::copy(a.path().join("claims/f.lock"), b.path().join("claims/f.lock")).unwrap();
    s.set("/d/7", Reply::article("District 7", &text(7, "350,000")));
    s.set("/d/300", Reply::article("District 300", &text(300, "401,850").replace("Aid agencies", "Donors")));
    let (run_a, doc_a) = a.check_json(&[]);
    let (run_b, doc_b) = b.check_json(&[]);
    assert_eq!(run_b.code, 1, "{}", run_b.stderr);
    assert_eq!(run_a.code, 1, "{}", run_a.stderr);
    let (va, vb) = (verdicts(&doc_a), verdicts(&doc_b));
    assert_eq!(va, vb, "the fresh clone judges as the full cache does");
    let flagged: Vec<(&str, &str)> = vb.iter().filter(|c| c.1 != "ok").map(|c| (c.0.as_str(), c.1.as_str())).collect();
    assert_eq!(flagged, vec![("d300", "changed"), ("d7", "unsupported")], "{vb:?}");
    assert!(
        vb.iter().find(|c| c.0 == "d7").unwrap().2.iter().any(|r| r.contains("350,000 where it said 401,850")),
        "{vb:?}"
    );
    // The clone took no baseline of its own: the lock's entries held.
    assert_eq!(lock_text(&b), lock1, "the lock is the clone's baseline, unchanged");
    assert!(!run_b.stdout.contains("first baselines"), "{}", run_b.stdout);
}
