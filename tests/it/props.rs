//! Property tests: no input makes the claims parser, the text-fragment
//! parser, the normaliser, the HTML depth cap, extraction or any importer
//! panic. Inputs are arbitrary text and, to reach past the first syntax
//! check, sequences of pieces of each format.

use citewatch::import::{self, Format, ImportOptions};
use proptest::prelude::*;
use std::path::Path;

/// `cases` runs per property, or `PROPTEST_CASES` when set (for long runs).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text made of `pieces` and arbitrary characters.
fn pieces(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
            1 => "[ -~]{0,6}",
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

const TOML: &[&str] = &[
    "[factsheet]\n",
    "[[claim]]\n",
    "id = \"a\"\n",
    "id = \"b-2\"\n",
    "title = \"T\"\n",
    "text = \"t\"\n",
    "published = 2022-09-01\n",
    "published = \"2022-13-40\"\n",
    "confidence = ",
    "nan",
    "1e999",
    "0.5",
    "99999999999999999999",
    "\n",
    "quotes = [\"401,850\"]\n",
    "sources = [",
    "\"https://a.org/x\"",
    "\"https://a.org/x#:~:text=a-,b,c,-d\"",
    "\"http://[::1]:99999/\"",
    "{ url = \"https://b.org/\", quote = \"q\", selector = \"div[\", ignore = \"(\" }",
    "{ url = \"https://c.org/\", archived = 3 }",
    ", ",
    "]\n",
    "\"",
    "'''",
    "=",
    "{",
    "}",
    "[",
    "]",
    "é",
    "\u{0}",
];

const FRAGMENT: &[&str] =
    &["text=", "&", ",", "-", "-,", ",-", "%", "%2C", "%2D", "%26", "%E2%80%99", "%C3", "%FF", "a", "é", ":~:", " "];

const HTML: &[&str] = &[
    "<html>",
    "<body>",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<table>",
    "<td>",
    "<tr>",
    "<li>",
    "<ul>",
    "<b>",
    "</b>",
    "<a href=\"https://x.org/a\">",
    "</a>",
    "<svg>",
    "<g/>",
    "</svg>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "<main>",
    "<article>",
    "<form>",
    "</form>",
    "<select>",
    "<option>",
    "<br>",
    "<img src=x>",
    "&amp;",
    "&#x",
    "&#1114112;",
    "<",
    ">",
    "\"",
    "'",
    "text",
    "401,850",
    "<meta charset=\"shift_jis\">",
    "<base href=\"//evil/\">",
    "<plaintext>",
    "<template>",
    "</body>",
    "</html>",
];

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "\n",
    "\n\n",
    "[link](https://x.org/a)",
    "[^1]",
    "[^1]: https://x.org/n\n",
    "* ",
    "1. ",
    "> ",
    "```\n",
    "|a|b|\n|-|-|\n",
    "<https://x.org/z>",
    "**",
    "_",
    "`",
    "![img](x.png)",
    "[ref]: https://x.org/r\n",
    "text",
    "401,850",
    "\\",
];

const PDF: &[&str] = &[
    "%PDF-1.4\n",
    "1 0 obj\n",
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 4 0 R >> >> >>",
    "endobj\n",
    "stream\n",
    "endstream\n",
    "/Filter /FlateDecode",
    "/Length 10",
    "BT (hi) Tj ET",
    "/X Do",
    "xref\n",
    "0 5\n",
    "0000000000 65535 f \n",
    "0000000009 00000 n \n",
    "trailer\n<< /Root 1 0 R /Size 5 >>\n",
    "startxref\n",
    "9\n",
    "%%EOF\n",
    "<<",
    ">>",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "/Annots [<< /Subtype /Link /A << /S /URI /URI (https://x.org/) >> >>]",
];

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_claims_parser_never_panics(text in prop_oneof![pieces(TOML, 80), any::<String>()]) {
        let _ = citewatch::claims::parse_str(Path::new("p.toml"), &text);
    }

    #[test]
    fn the_fragment_parser_never_panics(text in prop_oneof![pieces(FRAGMENT, 40), any::<String>()]) {
        let _ = citewatch::claims::parse_fragment(&text);
        let url = format!("https://a.org/p#:~:{text}");
        let _ = citewatch::claims::split_fragment(&url);
    }

    #[test]
    fn the_normaliser_never_panics_and_is_idempotent(text in any::<String>()) {
        let once = citewatch::text::normalize(&text);
        prop_assert_eq!(citewatch::text::normalize(&once), once);
    }

    #[test]
    fn the_depth_cap_never_panics_and_keeps_small_pages(html in pieces(HTML, 120)) {
        let c = citewatch::extract::depth::cap(&html);
        if c.dropped == 0 {
            prop_assert_eq!(&*c.html, html.as_str());
        }
        let _ = citewatch::extract::extract(html.as_bytes(), Some("text/html"), Some("main p"));
    }
}

fn import_as(format: Format, bytes: &[u8]) {
    let opts =
        ImportOptions { format: Some(format), id: None, title: None, base_url: Some("https://base.org/d/".into()) };
    let _ = import::import(Path::new("f"), bytes, &opts);
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn the_text_importer_never_panics(text in prop_oneof![pieces(MARKDOWN, 80), any::<String>()]) {
        import_as(Format::Text, text.as_bytes());
    }

    #[test]
    fn the_markdown_importer_never_panics(text in prop_oneof![pieces(MARKDOWN, 80), any::<String>()]) {
        import_as(Format::Markdown, text.as_bytes());
    }

    #[test]
    fn the_html_importer_never_panics(text in pieces(HTML, 120)) {
        import_as(Format::Html, text.as_bytes());
    }

    #[test]
    fn the_pdf_importer_never_panics(text in pieces(PDF, 60), junk in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(&junk);
        import_as(Format::Pdf, &bytes);
        let _ = citewatch::extract::extract(&bytes, Some("application/pdf"), None);
    }
}
