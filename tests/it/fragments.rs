//! Conformance of the quote matcher with the WICG Scroll-to-Text-Fragment
//! spec ("find a range from a text directive", its word-boundary and
//! block-boundary rules and its examples): pages and text directives with
//! what a browser finds, run through the real extraction and matcher, then
//! the same table through the binary against a loopback server.

use crate::support::*;
use citewatch::claims::parse_fragment;

/// The steps of the algorithm, one passage each.
const STEPS: &str = r#"<!doctype html><title>Steps</title><body>
<div>Not here: match suffix, match suffix3</div>
<p>The quick brown fox jumped over the lazy dog.
   a a b b b c</p>
<p>foo foo foo bar bar bar</p>
<p>search Two words ending in flatten</p>
<p>match suffix2
   prefix match suffix3 matchEnd suffix4 matchEnd suffix5</p>
<p>Lorem <br> <i> </i><div> &nbsp; </div>
  <div style="display: none">Not rendered</div><div style="visibility: hidden">Not visible</div>
  <iframe srcdoc="Inside a frame"></iframe><img src="a.png">
  &nbsp; &nbsp Ipsum Whitespace <br> <div>&nbsp;</div> <div hidden>Not rendered</div> Dipsum
<div>Text <div style="display:none">Not rendered</div> with display: none</div>
<div>Text <div style="visibility:hidden">Not visible</div> with visibility: hidden as block boundary</div>
<div>Text <span style="visibility:hidden">Not visible</span> with visibility: hidden as inline</div>
<div>Text <iframe srcdoc="Inside a frame"></iframe> with iframe</div>
<div>Text <img src="a.png"> with image</div>
<p>She caught it in one hand and a net. z<i>z</i>z</p>
<div><span>What <img src="broken.png"> had said</span></div>
<p>he's falling.</p>
<p>3.5</p>
<p><span>40</span><span>.</span><span>2</span></p>
<div><p>II</p><p>the cat</p></div>
<p>And I'm sure 't were a sin</p>
<p>This text appears at the end of the document</p>
</body>"#;

/// Context terms, ranges, encodings and visibility.
const NAV: &str = r#"<!doctype html><title>Navigation</title>
<style>
  .section { margin: 1000px 0px; }
  #styled-hidden { visibility: hidden; }
  #styled-none { display: none; }
  #generated::before { content: "search"; }
</style><body>
<span id="generated"></span>
<div id="element">Element</div>
<p id="text">This is a test page !$'()*+./:;=?@_~ &amp;,- &#x30cd;&#x30b3;<br>foo foo foo bar bar bar</p>
<p>More test page text</p>
<div><div><p>prefix</p><p>test page</p></div><div><p>suffix</p></div></div>
<p>this,is,test,page</p>
<p style="visibility: hidden">hidden text</p>
<p style="display: none">display none</p>
<p hidden>hidden attribute</p>
<p id="styled-hidden" class="section">styled hidden text</p>
<p id="styled-none" class="section">styled display none</p>
<p hidden="until-found">found when searched</p>
<div style="display:none"><p>inside display none</p></div>
<details><summary>More</summary><p>closed details text</p></details>
<div id="shadow-parent"><template shadowrootmode="open"><p id="shadow">shadow text</p><slot name="note">no note</slot><slot></slot></template><b slot="note">slotted note</b> light words</div>
<div><template shadowrootmode="closed"><p>closed shadow text</p></template><p>unslotted light text</p></div>
</body>"#;

/// The spec's own examples.
const EXAMPLES: &str = r#"<!doctype html><title>Examples</title><body>
<div>The<div> </div>quick brown fox</div>
<div>jumped over the lazy dog</div>
<section><div>A swift brown fox</div><div>jumped over the lazy cat</div></section>
<p>An impressive mountain range</p>
<p>An impressive mountain ranger</p>
<p>the color orange, the forest ranger</p>
<p>ウィキペディアへようこそ</p>
<p>Balance: 123,456 $</p>
<p>Café au lait, Ærøskøbing, STRASSE</p>
<p>Mali’s “army” — Alpha<br>Beta</p>
<p>Gamma</p><p>Delta</p>
<p>a total of 1,401,850 people</p>
<p>東京都の人口は約1400万人です。</p>
</body>"#;

/// Percent-encoding (the web-platform-tests' percent-encoding page).
const PERCENT: &str = r#"<!doctype html><title>Percent</title><body>
<p id="singlepercent">%</p>
<p id="doublepercent">%%</p>
<p id="percentf">%F</p>
<p id="doublepercentf">%%f</p>
<p id="checkmark">&#x2705;</p>
<p id="helloworld">Hello world</p>
</body>"#;

/// (page, fragment after `#`, found by a browser).
const CASES: &[(&str, &str, bool)] = &[
    // Find a range from a text directive, step by step.
    (STEPS, ":~:text=jumped", true),
    (STEPS, ":~:text=u-,mped", false),
    (STEPS, ":~:text=ju-,mped", true),
    (STEPS, ":~:text=null-,The%20quick", false),
    (STEPS, ":~:text=foo%20foo-,bar", true),
    (STEPS, ":~:text=a%20a-,b", true),
    (STEPS, ":~:text=quick%20brown-,brown%20fox", false),
    (STEPS, ":~:text=quick%20brown-,fox", true),
    (STEPS, ":~:text=Lorem-,Ipsum", true),
    (STEPS, ":~:text=end%20of%20the%20document-,test", false),
    (STEPS, ":~:text=fox-,jum,over", false),
    (STEPS, ":~:text=fox-,jum", false),
    (STEPS, ":~:text=fox-,jum,-ped", true),
    (STEPS, ":~:text=jum-,ped", true),
    (STEPS, ":~:text=jumped-,null", false),
    (STEPS, ":~:text=jumped-,null,lazy", false),
    (STEPS, ":~:text=brown-,jumped", false),
    (STEPS, ":~:text=foo-,bar", true),
    (STEPS, ":~:text=search-,Two,flatten", true),
    (STEPS, ":~:text=jum,over", false),
    (STEPS, ":~:text=jum", false),
    (STEPS, ":~:text=jum,-ped", true),
    (STEPS, ":~:text=umped", false),
    (STEPS, ":~:text=null", false),
    (STEPS, ":~:text=null,lazy", false),
    (STEPS, ":~:text=b%20b,-c", true),
    (STEPS, ":~:text=foo%20foo,-bar", true),
    (STEPS, ":~:text=brown,fox", true),
    (STEPS, ":~:text=brown,quick", false),
    (STEPS, ":~:text=quick,bro", false),
    (STEPS, ":~:text=quick,bro,-wn", true),
    (STEPS, ":~:text=quick,ro,-wn", false),
    (STEPS, ":~:text=bro,wn", false),
    (STEPS, ":~:text=quick,null", false),
    (STEPS, ":~:text=quick,jumped,-fox", false),
    (STEPS, ":~:text=The-,quick,brown", true),
    (STEPS, ":~:text=The-,quick,fox,-brown", false),
    (STEPS, ":~:text=Lorem-,Ipsum,Whitespace,-Dipsum", true),
    (STEPS, ":~:text=quick,-bro", false),
    (STEPS, ":~:text=qu,-ick", true),
    (STEPS, ":~:text=quick,-null", false),
    (STEPS, ":~:text=quick,-fox", false),
    (STEPS, ":~:text=match,-suffix2", true),
    (STEPS, ":~:text=prefix-,match,-suffix3", true),
    (STEPS, ":~:text=prefix-,match,matchEnd,-suffix5", true),
    (STEPS, ":~:text=Text%20with%20display:%20none", true),
    (STEPS, ":~:text=Text%20with%20visibility:%20hidden%20as%20block%20boundary", false),
    (STEPS, ":~:text=Text%20with%20visibility:%20hidden%20as%20inline", true),
    (STEPS, ":~:text=Text%20with%20iframe", true),
    (STEPS, ":~:text=Text%20with%20image", true),
    (STEPS, ":~:text=caught,and%20a", true),
    (STEPS, ":~:text=and%20a", true),
    (STEPS, ":~:text=z", false),
    (STEPS, ":~:text=what%20had", true),
    (STEPS, ":~:text=he%27s", true),
    (STEPS, ":~:text=he", false),
    (STEPS, ":~:text=%27t", true),
    (STEPS, ":~:text=5", false),
    (STEPS, ":~:text=3%2E", false),
    (STEPS, ":~:text=2", false),
    (STEPS, ":~:text=i-,the%20cat", false),
    (STEPS, ":~:text=Not%20rendered", false),
    (STEPS, ":~:text=Not%20visible", false),
    (STEPS, ":~:text=Inside%20a%20frame", false),
    // Context terms, ranges, encodings, element ids, visibility.
    (NAV, ":~:text=test", true),
    (NAV, ":~:text=this is a-,test", true),
    (NAV, ":~:text=test,-page", true),
    (NAV, ":~:text=this is a-,test,-page", true),
    (NAV, ":~:text=foo-,foo,-bar", true),
    (NAV, ":~:text=this,page", true),
    (NAV, ":~:text=this-,is,test", true),
    (NAV, ":~:text=this,test,-page", true),
    (NAV, ":~:text=this-,is,test,-page", true),
    (NAV, ":~:text=this,none", false),
    (NAV, ":~:text=none,page", false),
    (NAV, ":~:text=this-,is,page,-none", false),
    (NAV, ":~:text=none-,this,test,-page", false),
    (NAV, ":~:text=this%20is%20a%20test%20page", true),
    (NAV, ":~:text=test%20pag", false),
    (NAV, ":~:text=%26%2C%2D", true),
    (NAV, ":~:text=%E3%83%8D%E3%82%B3", true),
    (NAV, ":~:text=!$'()*+./:;=?@_~", true),
    (NAV, ":~:text=tes", false),
    (NAV, ":~:text=age", false),
    (NAV, ":~:text=test%20page&directive", true),
    // Several directives: the link highlights when any of them is found.
    (NAV, ":~:text=this&text=test,page", true),
    (NAV, ":~:text=tes&text=age", false),
    (NAV, ":~:text=none&text=test%20page", true),
    (NAV, ":~:text=test&directive&text=page", true),
    (NAV, "element:~:text=test", true),
    (NAV, "pagestate:~:text=test", true),
    (NAV, "element:~:text=nomatch", false),
    (NAV, ":~:text=more-,test%20page", true),
    (NAV, ":~:text=test%20page,-text", true),
    (NAV, ":~:text=more-,test%20page,-text", true),
    (NAV, ":~:text=prefix-,test%20page,-suffix", true),
    (NAV, ":~:text=hidden%20text", false),
    (NAV, ":~:text=display%20none", false),
    (NAV, ":~:text=hidden%20attribute", false),
    (NAV, ":~:text=styled%20hidden%20text", false),
    (NAV, ":~:text=styled%20display%20none", false),
    (NAV, ":~:text=inside%20display%20none", false),
    (NAV, ":~:text=found%20when%20searched", true),
    (NAV, ":~:text=closed%20details%20text", true),
    (NAV, ":~:text=%E3%83%8D%E3%82%B3%20foo", true),
    // Shadow DOM (declared in the markup): searched as the browser renders it,
    // the host's children where its slots are, not at all without a slot.
    (NAV, ":~:text=shadow%20text", true),
    (NAV, ":~:text=closed%20shadow%20text", true),
    (NAV, ":~:text=slotted%20note", true),
    (NAV, ":~:text=light%20words", true),
    (NAV, ":~:text=no%20note", false),
    (NAV, ":~:text=unslotted%20light%20text", false),
    // The spec's examples.
    (EXAMPLES, ":~:text=The%20quick,lazy%20dog", false),
    (EXAMPLES, ":~:text=A%20swift%20brown%20fox,lazy%20cat", true),
    (EXAMPLES, ":~:text=mountain%20range", true),
    (EXAMPLES, ":~:text=impressive-,mountain%20range,-ranger", false),
    (EXAMPLES, ":~:text=the%20color-,range", false),
    (EXAMPLES, ":~:text=forest-,range", false),
    (EXAMPLES, ":~:text=orange", true),
    (EXAMPLES, ":~:text=%E3%82%88%E3%81%86%E3%81%93%E3%81%9D", true),
    (EXAMPLES, ":~:text=Balance:-,123,$", false),
    (EXAMPLES, ":~:text=Balance:-,123%2C456,$", true),
    (EXAMPLES, ":~:text=cafe%20AU%20LAIT", true),
    (EXAMPLES, ":~:text=aeroskobing%2C-,strasse", true),
    (EXAMPLES, ":~:text=straße", true),
    (EXAMPLES, ":~:text=Mali's%20%22army%22", true),
    (EXAMPLES, ":~:text=Mali's%20%22army%22%20%2D%20alpha%20beta", true),
    (EXAMPLES, ":~:text=alpha%20beta,-gamma", true),
    (EXAMPLES, ":~:text=beta%20gamma", false),
    (EXAMPLES, ":~:text=gamma%20delta", false),
    (EXAMPLES, ":~:text=gamma,delta", true),
    (EXAMPLES, ":~:text=401%2C850", false),
    (EXAMPLES, ":~:text=1%2C401%2C850%20people", true),
    (EXAMPLES, ":~:text=%E6%9D%B1%E4%BA%AC%E9%83%BD%E3%81%AE%E4%BA%BA%E5%8F%A3", true),
    // Percent-encoding: "%25" is "%", limited to two digits; multibyte code points.
    (PERCENT, ":~:text=%25", true),
    (PERCENT, ":~:text=%25F", true),
    (PERCENT, ":~:text=%25%25F", true),
    (PERCENT, ":~:text=%E2%9C%85", true),
    (PERCENT, ":~:text=Hello%20world", true),
    (PERCENT, ":~:text=%25%25%25", false),
];

/// Whether a browser would highlight `fragment` on `page` (any of its text
/// directives found),
/// through the extraction and matcher `check` uses.
fn found(page: &str, fragment: &str) -> Result<bool, String> {
    let ex = citewatch::extract::extract(page.as_bytes(), Some("text/html; charset=utf-8"), None);
    let hay = citewatch::text::searchable(&ex.full, true);
    let directives = parse_fragment(fragment)?;
    assert!(!directives.is_empty(), "{fragment}: no text directive");
    Ok(directives.iter().any(|d| citewatch::text::find_fragment(&hay, &d.query()).is_some()))
}

#[test]
fn the_spec_table_through_extraction_and_matcher() {
    let mut wrong = Vec::new();
    for (page, fragment, expected) in CASES {
        match found(page, fragment) {
            Ok(f) if f == *expected => {}
            other => wrong.push(format!("{fragment}: expected {expected}, got {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{} of {} disagree:\n{}", wrong.len(), CASES.len(), wrong.join("\n"));
}

#[test]
fn the_spec_table_through_the_binary() {
    let s = Server::start();
    let pages = [("/steps", STEPS), ("/nav", NAV), ("/examples", EXAMPLES), ("/percent", PERCENT)];
    for (path, page) in pages {
        s.set(path, Reply::html(page));
    }
    let path_of = |page: &str| pages.iter().find(|(_, p)| *p == page).unwrap().0;
    let urls: Vec<String> = CASES.iter().map(|(page, frag, _)| format!("{}#{frag}", s.url(path_of(page)))).collect();
    let sources: Vec<[String; 1]> = urls.iter().map(|u| [q(u)]).collect();
    let ids: Vec<String> = (0..CASES.len()).map(|i| format!("c{i}")).collect();
    let claims: Vec<(&str, &[&str], &[String])> =
        ids.iter().zip(&sources).map(|(id, src)| (id.as_str(), &[][..], &src[..])).collect();
    let p = Project::new();
    p.claims("spec.toml", &factsheet("spec", &claims));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1, "some directives are not found: {}", run.stderr);
    for (path, _) in pages {
        assert_eq!(s.hits(path), 1, "one fetch per page");
    }
    let mut wrong = Vec::new();
    for (i, (_, frag, expected)) in CASES.iter().enumerate() {
        let c = claim(&doc, &ids[i]);
        let quotes = c["sources"][0]["quotes"].as_array().unwrap();
        let found = quotes.iter().any(|q| q["found"] == true);
        let verdict = if *expected { "ok" } else { "unsupported" };
        if found != *expected || c["verdict"] != verdict {
            wrong.push(format!("{frag}: expected {expected}, got {found} ({})", c["verdict"]));
        }
    }
    assert!(wrong.is_empty(), "{} of {} disagree:\n{}", wrong.len(), CASES.len(), wrong.join("\n"));
}

#[test]
fn plain_quotes_match_the_same_way() {
    let s = Server::start();
    s.set("/steps", Reply::html(STEPS));
    s.set("/examples", Reply::html(EXAMPLES));
    let p = Project::new();
    let (steps, examples) = (q(&s.url("/steps")), q(&s.url("/examples")));
    p.claims(
        "q.toml",
        &factsheet(
            "q",
            &[
                ("overlap", &["and a"], std::slice::from_ref(&steps)),
                ("apostrophe", &["he"], std::slice::from_ref(&steps)),
                ("decimal", &["3."], std::slice::from_ref(&steps)),
                ("hidden", &["Not visible"], std::slice::from_ref(&steps)),
                ("blocks", &["Gamma Delta"], std::slice::from_ref(&examples)),
                ("br", &["Mali's \"army\" - Alpha Beta"], std::slice::from_ref(&examples)),
                ("digits", &["401,850"], std::slice::from_ref(&examples)),
                ("cjk", &["東京都の人口"], std::slice::from_ref(&examples)),
            ],
        ),
    );
    let (_, doc) = p.check_json(&[]);
    let found = |id: &str| claim(&doc, id)["sources"][0]["quotes"][0]["found"].clone();
    assert_eq!(found("overlap"), true, "\"and a\" in \"one hand and a net\"");
    assert_eq!(found("apostrophe"), false);
    assert_eq!(found("decimal"), false);
    assert_eq!(found("hidden"), false);
    assert_eq!(found("blocks"), false, "<p>Gamma</p><p>Delta</p> is two blocks");
    assert_eq!(found("br"), true, "a <br> is not a block boundary");
    assert_eq!(found("digits"), false);
    assert_eq!(found("cjk"), true);
}

#[test]
fn fragments_on_other_types_are_checked_with_a_warning() {
    let s = Server::start();
    let text = "The army counted 401,850 displaced persons.";
    s.set("/data.json", Reply::new(200, "application/json", format!("{{\"note\": \"{text}\"}}")));
    s.set("/style.css", Reply::new(200, "text/css", format!("/* {text} */")));
    s.set("/notes.txt", Reply::new(200, "text/plain; charset=utf-8", text));
    s.set("/page", Reply::html(&format!("<p>{text}</p>")));
    s.set("/report.pdf", Reply::new(200, "application/pdf", pdf(&[text])));
    let p = Project::new();
    let frag = "#:~:text=counted-,401%2C850";
    let cite = |path: &str| [q(&format!("{}{frag}", s.url(path)))];
    let (json, css, txt, html, pdf_) =
        (cite("/data.json"), cite("/style.css"), cite("/notes.txt"), cite("/page"), cite("/report.pdf"));
    let raw_dash = [q(&format!("{}#:~:text=The%20army,401%2C850-displaced", s.url("/page")))];
    let wrong = [q(&format!("{}#:~:text=402%2C850", s.url("/data.json")))];
    p.claims(
        "t.toml",
        &factsheet(
            "t",
            &[
                ("json", &[], &json),
                ("css", &[], &css),
                ("txt", &[], &txt),
                ("html", &[], &html),
                ("pdf", &[], &pdf_),
                ("raw-dash", &[], &raw_dash),
                ("wrong", &[], &wrong),
            ],
        ),
    );
    let (_, doc) = p.check_json(&[]);
    let quote = |id: &str| claim(&doc, id)["sources"][0]["quotes"][0].clone();
    for id in ["json", "css", "pdf"] {
        let qr = quote(id);
        assert_eq!(qr["found"], true, "{id}: the words are still checked");
        let w = qr["warning"].as_str().unwrap_or_else(|| panic!("{id}: no warning in {qr}"));
        assert!(w.contains("HTML and plain-text pages only"), "{w}");
        let c = claim(&doc, id);
        assert_eq!(c["verdict"], "ok", "a warning is not a flag");
        let reasons = c["reasons"].to_string();
        assert!(reasons.contains("will not highlight for readers"), "{id}: {reasons}");
    }
    assert!(quote("json")["warning"].as_str().unwrap().contains("application/json"));
    for id in ["txt", "html"] {
        assert_eq!(quote(id)["found"], true);
        assert!(quote(id).get("warning").is_none(), "{id}: {}", quote(id));
        assert_eq!(claim(&doc, id)["reasons"], serde_json::json!([]));
    }
    // A raw '-' inside a term: browsers ignore the directive.
    let qr = quote("raw-dash");
    assert_eq!(qr["found"], false, "\"401,850-displaced\" is searched literally");
    assert!(qr["warning"].as_str().unwrap().contains("%2D"), "{qr}");
    assert_eq!(claim(&doc, "wrong")["verdict"], "unsupported");
}

#[test]
fn validate_refuses_directives_browsers_would_not_parse() {
    let p = Project::new();
    let file = p.claims(
        "bad.toml",
        "[factsheet]\nid = \"bad\"\ntitle = \"Bad\"\n\n[[claim]]\nid = \"a\"\ntext = \"A\"\n\
         sources = [\"https://ok.example/a#:~:text=foo-\"]\n\n[[claim]]\nid = \"b\"\ntext = \"B\"\n\
         sources = [\n  \"https://ok.example/b#:~:text=-foo\",\n  \"https://ok.example/c#:~:text=this,is,test,page\",\n]\n",
    );
    let run = p.run(&["validate"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let shown = file.strip_prefix(p.path()).unwrap().display().to_string();
    assert!(run.stderr.contains(&format!("{shown}:8:12: text fragment \"foo-\" is a prefix alone")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{shown}:14:3: text fragment \"-foo\" is a suffix alone")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{shown}:15:3: text fragment \"this,is,test,page\"")), "{}", run.stderr);
    let run = p.run(&["check"]);
    assert_eq!(run.code, 2);
}

/// On real pages (a sample of the shared corpus): each expected string of
/// the article, as a quote, is found exactly when one of its occurrences in
/// the searched text starts and ends on a word boundary of a full UAX #29
/// segmentation (a reference computed independently of the matcher). Most
/// are found; the rest are strings cut mid-word ("fter all"), possessives
/// ("Tuesday" in "Tuesday's"), words joined by the page ("erfahren.Während")
/// or text present only in scripts, which browsers do not find either.
#[test]
fn quotes_from_real_pages_match_as_segmentation_says() {
    use unicode_segmentation::UnicodeSegmentation;
    let dir = match std::env::var_os("CITEWATCH_REALWORLD") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/realworld"),
    };
    let Ok(list) = std::fs::read_to_string(dir.join("expectations.json")) else {
        eprintln!("skipped: no real-page corpus at {}", dir.display());
        return;
    };
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let (mut quotes, mut found, mut wrong) = (0, 0, Vec::new());
    // Every fourth page: parsing HTML is the cost of this test.
    for page in list.as_array().unwrap().iter().step_by(4) {
        let Ok(raw) = std::fs::read(dir.join("pages").join(page["file"].as_str().unwrap())) else { continue };
        let html = citewatch::extract::decode::decode(&raw, None, true);
        let hay = citewatch::text::searchable(&citewatch::extract::html::full_text(&html), true);
        let bounds: std::collections::HashSet<usize> =
            hay.split_word_bound_indices().map(|(i, _)| i).chain([hay.len()]).collect();
        for w in page["with"].as_array().into_iter().flatten().filter_map(|w| w.as_str()) {
            let q = citewatch::text::query(w);
            let reference = hay
                .char_indices()
                .any(|(i, _)| hay[i..].starts_with(&q) && bounds.contains(&i) && bounds.contains(&(i + q.len())));
            let got = citewatch::text::find(&hay, &q).is_some();
            quotes += 1;
            found += usize::from(got);
            if got != reference {
                wrong.push(format!("{}: {w:?} found {got}, segmentation says {reference}", page["file"]));
            }
        }
    }
    eprintln!("real pages: {found} of {quotes} expected strings found as quotes");
    assert!(quotes > 200, "{quotes} strings");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
