//! A simulated web of 140 real-looking sources on four loopback hosts, checked
//! twice: every source health and claim verdict must come out as defined.

use crate::support::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    Same,
    Noise,
    Changed,
    FigureChanged,
    NotFound,
    Gone,
    Moved,
    HomeRedirect,
    Soft404,
    Forbidden,
    Challenge,
    ServerError,
    Pdf,
    PdfFigureChanged,
    FrenchLegacy,
    Fragment,
}

const CASES: &[(Case, usize, &str, &str)] = &[
    // case, how many, expected health, expected verdict (after the second run)
    (Case::Same, 30, "ok", "ok"),
    (Case::Noise, 15, "ok", "ok"),
    (Case::Changed, 10, "ok", "changed"),
    (Case::FigureChanged, 10, "ok", "unsupported"),
    (Case::NotFound, 10, "broken", "broken"),
    (Case::Gone, 5, "broken", "broken"),
    (Case::Moved, 10, "redirected", "ok"),
    (Case::HomeRedirect, 5, "broken", "broken"),
    (Case::Soft404, 5, "broken", "broken"),
    (Case::Forbidden, 5, "blocked", "unverified"),
    (Case::Challenge, 5, "blocked", "unverified"),
    (Case::ServerError, 5, "error", "unverified"),
    (Case::Pdf, 5, "ok", "ok"),
    (Case::PdfFigureChanged, 5, "ok", "unsupported"),
    (Case::FrenchLegacy, 5, "ok", "ok"),
    (Case::Fragment, 10, "ok", "ok"),
];

fn story(i: usize, figure: &str) -> String {
    format!(
        "Report {i} on the Sahel. In region {i}, humanitarian agencies counted displaced families over the year.\n\n\
         <table><tr><th>Region</th><th>Displaced</th></tr><tr><td>Mopti {i}</td><td>{figure}</td></tr></table>\n\n\
         Officials said militants killed 35 people in village {i}."
    )
}

fn first_reply(case: Case, i: usize) -> Reply {
    match case {
        Case::Pdf | Case::PdfFigureChanged => Reply::new(
            200,
            "application/pdf",
            pdf(&[&format!("Annual report {i}"), &format!("Displaced: {}", 1000 + i)]),
        ),
        Case::FrenchLegacy => {
            let body = format!(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>Rapport {i}</title></head>\
                 <body><div class=\"menu\">Accueil</div><div class=\"contenu\"><p>Les personnes d\u{e9}plac\u{e9}es internes sont {i}000 \u{e0} Mopti.</p></div></body></html>"
            );
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&body);
            Reply::new(200, "text/html", bytes.into_owned())
        }
        _ => Reply::article(&format!("Sahel report {i}"), &story(i, &format!("{},{:03}", 100 + i, i))),
    }
}

fn second_reply(case: Case, i: usize, home: &str) -> Reply {
    let title = format!("Sahel report {i}");
    let figure = format!("{},{:03}", 100 + i, i);
    match case {
        Case::Same | Case::Fragment | Case::FrenchLegacy | Case::Pdf => first_reply(case, i),
        Case::Noise => Reply::html(
            &page(&title, &story(i, &figure))
                .replace("Another story", "Today's most read: floods")
                .replace("© 2022", "© 2026")
                .replace("{\"ts\": 1}", "{\"ts\": 2}")
                .replace("<p>", "<p class=\"x\">  "),
        ),
        Case::Changed => Reply::article(
            &title,
            &(story(i, &figure) + "\n\nThis article was updated with new comments from officials."),
        ),
        Case::FigureChanged => Reply::article(&title, &story(i, "350,000")),
        Case::NotFound => Reply::status(404),
        Case::Gone => Reply::status(410),
        Case::Moved => Reply::redirect(301, &format!("/archive/2022/report-{i}")),
        Case::HomeRedirect => Reply::redirect(302, home),
        Case::Soft404 => Reply::article("Page introuvable", "Désolé, cette page n'existe pas."),
        Case::Forbidden => Reply::status(403),
        Case::Challenge => {
            Reply::new(503, "text/html", "<html><head><title>Just a moment...</title></head><body></body></html>")
                .header("cf-mitigated", "challenge")
        }
        Case::ServerError => Reply::status(500),
        Case::PdfFigureChanged => Reply::new(
            200,
            "application/pdf",
            pdf(&[&format!("Annual report {i}"), &format!("Displaced: {}", 9000 + i)]),
        ),
    }
}

fn quote(case: Case, i: usize) -> String {
    match case {
        Case::Pdf | Case::PdfFigureChanged => format!("Displaced: {}", 1000 + i),
        Case::FrenchLegacy => format!("déplacées internes sont {i}000"),
        Case::Fragment => String::new(),
        _ => format!("{},{:03}", 100 + i, i),
    }
}

#[test]
fn simulated_web_of_140_sources() {
    let hosts: Vec<Server> = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
        .iter()
        .map(|ip| if std::net::TcpListener::bind((*ip, 0)).is_ok() { Server::start_on(ip) } else { Server::start() })
        .collect();
    let mut items = Vec::new();
    let mut n = 0;
    for &(case, count, health, verdict) in CASES {
        for _ in 0..count {
            let server = &hosts[n % hosts.len()];
            let slug = format!("/news/2022/{:?}-mali-report-{n}", case).to_lowercase();
            server.set(&slug, first_reply(case, n));
            server.set("/", Reply::article("Home", "Welcome."));
            server.set(&format!("/archive/2022/report-{n}"), first_reply(case, n));
            let mut url = server.url(&slug);
            if case == Case::Fragment {
                url.push_str(&format!("#:~:text=militants%20killed-,35%20people,-in%20village%20{n}"));
            }
            items.push((case, n, slug, url, health, verdict));
            n += 1;
        }
    }
    assert_eq!(items.len(), 140);
    let mut toml = String::from("[factsheet]\nid = \"sim\"\ntitle = \"Simulated web\"\n");
    for (case, i, _, url, _, _) in &items {
        let qt = quote(*case, *i);
        let quotes = if qt.is_empty() { String::new() } else { format!("quotes = [{qt:?}]\n") };
        toml.push_str(&format!("\n[[claim]]\nid = \"c{i}\"\ntext = \"Claim {i}.\"\n{quotes}sources = [{url:?}]\n"));
    }
    let p = Project::new();
    p.claims("sim.toml", &toml);

    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 0, "first run: everything is new and fine: {}", run.stdout);
    assert_eq!(doc["summary"]["claims"]["ok"], 140, "{}", doc["summary"]);

    for (case, i, slug, _, _, _) in &items {
        let server = &hosts[i % hosts.len()];
        server.set(slug, second_reply(*case, *i, &server.url("/")));
    }
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1);
    let mut wrong = Vec::new();
    for (case, i, _, url, health, verdict) in &items {
        let key = url.split('#').next().unwrap();
        let src = source(&doc, key);
        let c = claim(&doc, &format!("c{i}"));
        if src["health"] != *health || c["verdict"] != *verdict {
            wrong.push(format!("{case:?} {i}: {} / {} ({})", src["health"], c["verdict"], c["reasons"]));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
    assert_eq!(doc["summary"]["claims"]["broken"], 25);
    assert_eq!(doc["summary"]["sources"]["redirected"], 10);
}
