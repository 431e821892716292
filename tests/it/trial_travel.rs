//! The travel test on a web of its own: pages with dates and view counters in
//! their chrome, a soft-404, a figure in millions. A fresh clone holding only
//! `claims/` (with its lock) gives every verdict and every reason, similarity
//! figures included, exactly as the machine with the whole cache does.

use crate::support::*;

fn valley_page(title: &str, paras: &[&str], stamp: &str) -> Reply {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    Reply::html(&format!(
        "<html><head><title>{title}</title></head><body><header><nav><a href=\"/\">Home</a> \
         <a href=\"/news\">News</a></nav><div class=\"meta\">{stamp}</div></header><main><article>\
         <h1>{title}</h1>{body}</article></main><footer>© 2024 Valley Herald</footer></body></html>"
    ))
}

const POP: [&str; 3] = [
    "The regional census counted 1.2 million residents in the valley in 2023.",
    "Growth was strongest in the river towns, officials said.",
    "The next census is planned for 2033 and will be fully digital.",
];
const TOLLS: [&str; 3] = [
    "The minister said the new bridge would open before winter.",
    "She promised \"no tolls for local drivers\" during the first year.",
    "Construction began in the spring after a long delay.",
];
const SCHOOLS: [&str; 2] = [
    "The school board approved a budget of 48 million for next year.",
    "Teachers will receive a raise of three percent.",
];
const HARBOUR: [&str; 2] =
    ["The harbour plan foresees 300 new berths by 2030.", "Fishermen welcomed the plan at a public meeting."];
const AIRPORT: [&str; 2] = ["The airport handled 2.1 million passengers last year.", "Cargo volumes fell slightly."];

fn serve(s: &Server) {
    s.set("/pop", valley_page("Census results", &POP, "Updated 3 March 2024 · 1,204 views"));
    s.set("/quote", valley_page("Minister interview", &TOLLS, "Updated 3 March 2024 · 88 views"));
    s.set("/furn", valley_page("School budget", &SCHOOLS, "Updated 3 March 2024 · 310 views"));
    s.set("/dead", valley_page("Old report", &["The 2019 report found that 40 percent of roads needed repair."], ""));
    s.set("/soft", valley_page("Harbour plan", &HARBOUR, ""));
    s.set("/acc", valley_page("Airport traffic", &AIRPORT, ""));
}

fn rot(s: &Server) {
    let pop: Vec<String> = POP.iter().map(|p| p.replace("1.2 million", "1.4 million")).collect();
    let pop: Vec<&str> = pop.iter().map(String::as_str).collect();
    s.set("/pop", valley_page("Census results", &pop, "Updated 3 March 2024 · 1,204 views"));
    let tolls = [TOLLS[0], "She declined to comment on toll charges.", TOLLS[2]];
    s.set("/quote", valley_page("Minister interview", &tolls, "Updated 3 March 2024 · 88 views"));
    s.set("/furn", valley_page("School budget", &SCHOOLS, "Updated 9 April 2024 · 3,877 views"));
    s.set("/dead", Reply::status(404));
    s.set(
        "/soft",
        valley_page(
            "Page not found",
            &["Sorry, the page you are looking for could not be found.", "Return to the home page."],
            "",
        ),
    );
}

#[test]
fn a_fresh_clone_gives_the_same_verdicts_reasons_and_figures() {
    let s = Server::start();
    serve(&s);
    let a = Project::new();
    let c = |id: &str, text: &str, quotes: &[&str], path: &str| {
        (id.to_string(), text.to_string(), quotes.iter().map(|q| q.to_string()).collect::<Vec<_>>(), s.url(path))
    };
    let claims = [
        c("population", "The valley has 1.2 million residents, according to the 2023 census.", &[], "/pop"),
        c("tolls", "The minister promised no tolls for local drivers.", &["no tolls for local drivers"], "/quote"),
        c("schools", "The school board approved a budget of 48 million.", &[], "/furn"),
        c("roads", "40 percent of roads needed repair in 2019.", &[], "/dead"),
        c("harbour", "The harbour plan foresees 300 new berths.", &[], "/soft"),
        c("airport", "The airport handled about two million passengers.", &[], "/acc"),
    ];
    let mut file = String::from("# reviewed by the desk\n[factsheet]\nid = \"valley\"\ntitle = \"Valley facts\"\n");
    for (id, text, quotes, url) in &claims {
        file += &format!("\n[[claim]]\nid = {id:?}\ntext = {text:?}\nquotes = {quotes:?}\nsources = [{url:?}]\n");
    }
    a.claims("valley.toml", &file);
    let first = a.run(&["check", "--quiet"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("6 sources: first baselines taken"), "{}", first.stdout);
    let lock = || std::fs::read_to_string(a.path().join("claims/valley.lock")).unwrap();
    let lock1 = lock();
    assert_eq!(a.run(&["check", "--quiet"]).code, 0);
    assert_eq!(lock(), lock1, "an unchanged web leaves the lock byte-identical");

    s.set(
        "/acc",
        valley_page("Airport traffic", &["The airport handled 2.3 million passengers last year.", AIRPORT[1]], ""),
    );
    assert_eq!(a.run(&["check", "--quiet"]).code, 1);
    assert_eq!(a.run(&["accept", "valley/airport"]).code, 0);

    let b = Project::new();
    std::fs::create_dir_all(b.path().join("claims")).unwrap();
    for f in ["valley.toml", "valley.lock"] {
        std::fs::copy(a.path().join("claims").join(f), b.path().join("claims").join(f)).unwrap();
    }
    rot(&s);
    let (_, doc_a) = a.check_json(&["--retries", "0"]);
    let (run_b, doc_b) = b.check_json(&["--retries", "0"]);
    assert_eq!(run_b.code, 1, "{}", run_b.stderr);
    let verdicts = |doc: &serde_json::Value| {
        let mut v: Vec<(String, String, Vec<String>)> = doc["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let reasons = c["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string());
                (c["id"].as_str().unwrap().to_string(), c["verdict"].as_str().unwrap().to_string(), reasons.collect())
            })
            .collect();
        v.sort();
        v
    };
    let (va, vb) = (verdicts(&doc_a), verdicts(&doc_b));
    assert_eq!(va, vb, "every verdict and reason, word for word");
    let by = |id: &str| va.iter().find(|c| c.0 == id).unwrap().clone();
    assert_eq!(by("population").1, "unsupported");
    assert!(by("population").2.iter().any(|r| r.contains("now says 1.4 million where it said 1.2 million")), "{va:?}");
    assert!(by("tolls").2.iter().any(|r| r.contains("no longer found")), "{va:?}");
    assert_eq!(by("schools").1, "ok", "a new date and counter are furniture: {va:?}");
    assert_eq!(by("roads").1, "broken");
    assert_eq!(by("harbour").1, "broken", "soft-404: {va:?}");
    assert_eq!(by("airport").1, "ok", "the accept made in the first folder holds");
    for url in ["/pop", "/quote"] {
        let sim = |d: &serde_json::Value| source(d, &s.url(url))["similarity"].as_f64();
        assert_eq!(sim(&doc_a), sim(&doc_b), "{url}: the same similarity figure");
    }

    // `diff` gives the figure `check` gave.
    let pct = |d: &serde_json::Value| (source(d, &s.url("/pop"))["similarity"].as_f64().unwrap() * 100.0).floor();
    let diff = a.run(&["diff", "valley/population"]);
    assert!(diff.stdout.contains(&format!("({}% similar)", pct(&doc_a))), "{}", diff.stdout);

    // A second check of the same web moves no lock.
    let (la, lb) = (lock(), std::fs::read_to_string(b.path().join("claims/valley.lock")).unwrap());
    a.check_json(&["--retries", "0"]);
    b.check_json(&["--retries", "0"]);
    assert_eq!(lock(), la);
    assert_eq!(std::fs::read_to_string(b.path().join("claims/valley.lock")).unwrap(), lb);
}
