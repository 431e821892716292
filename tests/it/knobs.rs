//! lychee's knobs through the loopback test web: `exclude`, `accept`,
//! headers and basic auth, and `[hosts."…"]` concurrency, interval and
//! User-Agent, asserted on what the servers saw.

use crate::support::*;
use std::time::Duration;

const TEXT: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons in Mali.";

fn config(p: &Project, text: &str) {
    std::fs::write(p.path().join("citewatch.toml"), text).unwrap();
}

#[test]
fn excluded_sources_are_never_fetched_nor_failing() {
    let s = Server::start();
    s.set("/ok", Reply::article("OCHA update", TEXT));
    s.set("/intranet/doc", Reply::status(500));
    s.set("/drafts/x", Reply::status(404));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "f",
            &[
                ("mixed", &["401,850"], &[q(&s.url("/ok")), q(&s.url("/intranet/doc"))]),
                ("only-excluded", &[], &[q(&format!("{}#:~:text=record", s.url("/drafts/x")))]),
                ("plain", &[], &[q(&s.url("/ok"))]),
            ],
        ),
    );
    config(&p, "exclude = ['/intranet/']\n");
    let (run, doc) = p.check_json(&["--retries", "0", "--exclude", r"/drafts/\w+$"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    assert_eq!(s.hits("/intranet/doc"), 0);
    assert_eq!(s.hits("/drafts/x"), 0);
    let excluded = doc["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 2, "{excluded:?}");
    assert_eq!(excluded[0]["url"], s.url("/intranet/doc"));
    assert_eq!(excluded[0]["claims"][0], "f/mixed");
    assert_eq!(excluded[0]["pattern"], "/intranet/");
    assert_eq!(excluded[1]["url"], s.url("/drafts/x"));
    assert_eq!(excluded[1]["claims"][0], "f/only-excluded");
    // Never among the sources, never counted.
    assert_eq!(doc["sources"].as_array().unwrap().len(), 1);
    assert_eq!(doc["summary"]["sources"]["error"], 0);
    let mixed = claim(&doc, "mixed");
    assert_eq!(mixed["verdict"], "ok");
    assert_eq!(mixed["sources"].as_array().unwrap().len(), 1);
    assert_eq!(claim(&doc, "only-excluded")["verdict"], "ok");
    assert_eq!(claim(&doc, "only-excluded")["reasons"].as_array().unwrap().len(), 0);
    let run = p.run(&["check", "--quiet", "--timeout", "5", "--exclude", r"/drafts/\w+$"]);
    assert!(run.stdout.contains("1 sources (1 ok), 2 excluded"), "{}", run.stdout);
    // A bad pattern is refused before anything is fetched.
    let run = p.run(&["check", "--quiet", "--exclude", "(unclosed"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("exclude pattern \"(unclosed\""), "{}", run.stderr);
    config(&p, "exclude = ['[z-a]']\n");
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("citewatch.toml: exclude pattern \"[z-a]\""), "{}", run.stderr);
}

#[test]
fn accepted_statuses_count_as_fine() {
    let s = Server::start();
    s.set("/members", Reply::new(403, "text/html", "<html><head><title>Members only</title></head><body><p>Sign in to read this report on displacement.</p></body></html>"));
    s.set("/teapot", Reply::new(418, "text/plain", "short and stout"));
    s.set("/ok", Reply::article("OCHA update", TEXT));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "f",
            &[
                ("members", &[], &[q(&s.url("/members"))]),
                ("teapot", &[], &[q(&s.url("/teapot"))]),
                ("ok", &[], &[q(&s.url("/ok"))]),
            ],
        ),
    );
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 0);
    assert_eq!(source(&doc, &s.url("/members"))["health"], "blocked");
    assert_eq!(claim(&doc, "members")["verdict"], "unverified");
    assert_eq!(source(&doc, &s.url("/teapot"))["health"], "error");

    config(&p, "accept = [\"200..=299\", 403, \"418\"]\n");
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let members = source(&doc, &s.url("/members"));
    assert_eq!(members["health"], "ok", "{members}");
    assert_eq!(members["http_status"], 403);
    assert!(members["reason"].as_str().unwrap().contains("counted as fine"));
    assert_eq!(claim(&doc, "members")["verdict"], "ok");
    assert_eq!(source(&doc, &s.url("/teapot"))["health"], "ok");
    assert_eq!(claim(&doc, "teapot")["verdict"], "ok");
    assert_eq!(source(&doc, &s.url("/ok"))["health"], "ok");

    // The flag wins over the file: 2xx only again.
    let (_, doc) = p.check_json(&["--retries", "0", "--accept", "200..300"]);
    assert_eq!(source(&doc, &s.url("/members"))["health"], "blocked");
    let run = p.run(&["check", "--quiet", "--accept", "200..=abc"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("\"abc\" is not an HTTP status code"), "{}", run.stderr);
}

#[test]
fn headers_and_basic_auth_go_to_their_hosts_only() {
    let a = Server::start_on("127.0.0.2");
    let b = Server::start_on("127.0.0.3");
    // The intranet answers 401 without the right credentials.
    a.on("/private", |req, _| {
        if req.headers.get("authorization").map(String::as_str) == Some("Basic Ym90Om9wZW4gc2VzYW1l") {
            Reply::article("Internal report", TEXT)
        } else {
            Reply::status(401)
        }
    });
    b.set("/public", Reply::article("Public report", TEXT));
    b.set("/jump", Reply::redirect(302, &a.url("/private")));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "f",
            &[("private", &["401,850"], &[q(&a.url("/private"))]), ("public", &["401,850"], &[q(&b.url("/public"))])],
        ),
    );
    config(
        &p,
        "headers = { \"X-Global\" = \"everyone\" }\n\
         [hosts.\"127.0.0.2\"]\n\
         user-agent = \"citewatch-intranet\"\n\
         headers = { Cookie = \"consent=yes; token=${INTRANET_TOKEN}\" }\n\
         basic-auth = { user = \"bot\", password-env = \"INTRANET_PASSWORD\" }\n",
    );
    let run = Run::from(
        p.command(&["check", "--format", "json", "--timeout", "5", "--quiet", "--header", "X-Run: nightly"])
            .env("INTRANET_PASSWORD", "open sesame")
            .env("INTRANET_TOKEN", "t0k")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let got = &a.requests("/private")[0];
    assert_eq!(got.headers["authorization"], "Basic Ym90Om9wZW4gc2VzYW1l");
    assert_eq!(got.headers["cookie"], "consent=yes; token=t0k");
    assert_eq!(got.headers["user-agent"], "citewatch-intranet");
    assert_eq!(got.headers["x-global"], "everyone");
    assert_eq!(got.headers["x-run"], "nightly");
    let other = &b.requests("/public")[0];
    assert_eq!(other.headers["x-global"], "everyone");
    assert_eq!(other.headers["x-run"], "nightly");
    assert!(!other.headers.contains_key("authorization"));
    assert!(!other.headers.contains_key("cookie"));
    assert!(other.headers["user-agent"].starts_with("citewatch/"), "{:?}", other.headers);

    // A missing secret is named, before anything is fetched.
    let before = a.hits("/private");
    let run = Run::from(p.command(&["check", "--quiet"]).env("INTRANET_TOKEN", "t0k").output().unwrap());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("[hosts.\"127.0.0.2\"] basic-auth: the environment variable INTRANET_PASSWORD is not set"),
        "{}",
        run.stderr
    );
    assert_eq!(a.hits("/private"), before);

    // --basic-auth as in lychee ("URL USER:PASSWORD"), and credentials
    // follow a redirect only to the host they are for.
    config(&p, "");
    p.claims("f.toml", &factsheet("f", &[("jump", &["401,850"], &[q(&b.url("/jump"))])]));
    let auth = format!("{} bot:open sesame", a.url("/"));
    let (run, doc) = p.check_json(&["--basic-auth", &auth]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(claim(&doc, "jump")["verdict"], "ok");
    assert!(!b.requests("/jump")[0].headers.contains_key("authorization"));
    assert_eq!(a.requests("/private").last().unwrap().headers["authorization"], "Basic Ym90Om9wZW4gc2VzYW1l");
}

#[test]
fn per_host_concurrency_and_interval() {
    let polite = Server::start_on("127.0.0.2");
    let spaced = Server::start_on("127.0.0.3");
    let busy = Server::start_on("127.0.0.4");
    let mut claims = Vec::new();
    for i in 0..4 {
        let path = format!("/r{i}");
        let body = format!("Report {i}. {TEXT}");
        polite.set(&path, Reply::article("Report", &body).delay(Duration::from_millis(300)));
        busy.set(&path, Reply::article("Report", &body).delay(Duration::from_millis(300)));
        spaced.set(&path, Reply::article("Report", &body));
        claims.push((format!("polite-{i}"), polite.url(&path)));
        claims.push((format!("busy-{i}"), busy.url(&path)));
        if i < 3 {
            claims.push((format!("spaced-{i}"), spaced.url(&path)));
        }
    }
    let sources: Vec<(String, Vec<String>)> = claims.iter().map(|(id, u)| (id.clone(), vec![q(u)])).collect();
    let spec: Vec<(&str, &[&str], &[String])> =
        sources.iter().map(|(id, s)| (id.as_str(), &[][..], s.as_slice())).collect();
    let p = Project::new();
    p.claims("f.toml", &factsheet("f", &spec));
    config(&p, "[hosts.\"127.0.0.2\"]\nconcurrency = 1\n\n[hosts.\"127.0.0.3\"]\ninterval = 0.5\nconcurrency = 3\n");
    let t0 = std::time::Instant::now();
    let (run, doc) = p.check_json(&["--per-host", "4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(doc["summary"]["claims"]["ok"], 11);
    // concurrency = 1: one request at a time, though --per-host allows 4.
    assert_eq!(polite.peak(), 1);
    // The host without a rule got more than one at once.
    assert!(busy.peak() >= 2, "peak {}", busy.peak());
    // interval = 0.5: the third request arrives two intervals at least after
    // the run began, and no two arrive close together (without the interval,
    // concurrency = 3 would send them at once).
    let mut at: Vec<_> = (0..3).map(|i| spaced.requests(&format!("/r{i}"))[0].at).collect();
    at.sort();
    assert!(at[2] - t0 >= Duration::from_millis(1000), "{:?}", at[2] - t0);
    for w in at.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_millis(250), "{:?}", w[1] - w[0]);
    }
    // Waiting for a host's turn is not part of a request's time-out: four
    // requests 1 s apart with a 2 s time-out all arrive.
    config(&p, "[hosts.\"127.0.0.3\"]\ninterval = 1.0\n");
    p.claims(
        "f.toml",
        &factsheet(
            "f",
            &(0..4)
                .map(|i| (format!("s{i}"), vec![q(&spaced.url(&format!("/r{i}")))]))
                .collect::<Vec<_>>()
                .iter()
                .map(|(id, s)| (id.as_str(), &[][..], s.as_slice()))
                .collect::<Vec<_>>(),
        ),
    );
    let run = p.run(&["check", "--quiet", "--format", "json", "--timeout", "2", "--retries", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["sources"]["ok"], 4, "{}", run.stdout);
    // Bad host settings are refused with the file and what to write.
    config(&p, "[hosts.\"https://example.org/\"]\nconcurrency = 1\n");
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("give a host name alone"), "{}", run.stderr);
    config(&p, "[hosts.\"example.org\"]\nconcurency = 1\n");
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("citewatch.toml:2:1: unknown field `concurency`"), "{}", run.stderr);
}
