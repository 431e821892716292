//! What a notification says, for people: the Slack-style message and the
//! e-mail's subject, plain text and HTML. Pure. Reasons can carry text from
//! fetched pages (titles, figures): it is escaped for each medium.

use super::{Notice, NoticeClaim};
use crate::report::html::{esc, is_http};
use crate::report::sanitize;

/// Most claims listed in one chat message; the rest are counted.
const CHAT_ITEMS: usize = 30;
/// Most claims listed in one mail.
const MAIL_ITEMS: usize = 500;

/// "2 claims newly flagged, 1 resolved".
pub fn headline(n: &Notice) -> String {
    let plural = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    match (n.new.len(), n.resolved.len()) {
        (0, 0) => format!("nothing new; {} flagged", plural(n.flagged, "claim", "claims")),
        (k, 0) => format!("{} newly flagged", plural(k, "claim", "claims")),
        (0, r) => format!("{} resolved", plural(r, "claim", "claims")),
        (k, r) => format!("{} newly flagged, {r} resolved", plural(k, "claim", "claims")),
    }
}

fn totals(n: &Notice) -> String {
    let c = &n.summary.claims;
    format!(
        "run {} finished {}: {} ok, {} changed, {} unsupported, {} broken, {} unverified",
        n.run.id, n.run.finished, c.ok, c.changed, c.unsupported, c.broken, c.unverified
    )
}

fn was(c: &NoticeClaim) -> String {
    match c.previous {
        Some(p) => format!(" (was {})", p.as_str()),
        None => String::new(),
    }
}

/// Escapes text for Slack's message format (`&`, `<`, `>`), which keeps page
/// text from forming links or `<!channel>` mentions; a zero-width space after
/// each `@` keeps Mattermost and Rocket.Chat from reading `@all` as one.
fn slack_esc(text: &str) -> String {
    sanitize(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('@', "@\u{200B}")
}

/// The text of a Slack, Mattermost or Rocket.Chat incoming-webhook message.
pub fn chat_text(n: &Notice) -> String {
    let mut s = format!("*citewatch: {}*\n{}\n", headline(n), slack_esc(&totals(n)));
    let mut list = |title: &str, items: &[NoticeClaim]| {
        if items.is_empty() {
            return;
        }
        s.push_str(&format!("\n*{title}*\n"));
        for c in items.iter().take(CHAT_ITEMS) {
            s.push_str(&format!(
                "• *{}* `{}`{}: {}\n",
                c.verdict.as_str(),
                slack_esc(&c.claim),
                was(c),
                slack_esc(&short(&c.text, 200))
            ));
            for r in c.reasons.iter().take(3) {
                s.push_str(&format!("    {}\n", slack_esc(&short(r, 300))));
            }
        }
        if items.len() > CHAT_ITEMS {
            s.push_str(&format!("…and {} more (see `citewatch status`)\n", items.len() - CHAT_ITEMS));
        }
    };
    list("Newly flagged", &n.new);
    list("Resolved", &n.resolved);
    s
}

fn short(text: &str, max: usize) -> String {
    let t = text.trim();
    if t.chars().count() <= max {
        return t.to_string();
    }
    let mut out: String = t.chars().take(max).collect();
    out.push('…');
    out
}

/// The mail's subject.
pub fn subject(prefix: &str, n: &Notice) -> String {
    format!("{prefix}: {} (run {})", headline(n), n.run.id)
}

/// The mail's plain text.
pub fn mail_text(n: &Notice) -> String {
    let mut s = format!("citewatch: {}\n{}\n", headline(n), totals(n));
    for (title, items) in [("Newly flagged", &n.new), ("Resolved", &n.resolved)] {
        if items.is_empty() {
            continue;
        }
        s.push_str(&format!("\n{title}\n{}\n", "=".repeat(title.len())));
        for c in items.iter().take(MAIL_ITEMS) {
            s.push_str(&format!(
                "\n{} {}{}\n  {}\n",
                c.verdict.as_str(),
                sanitize(&c.claim),
                was(c),
                sanitize(&c.text)
            ));
            if let Some(w) = &c.where_ {
                s.push_str(&format!("  where: {}\n", sanitize(w)));
            }
            for r in &c.reasons {
                s.push_str(&format!("  - {}\n", sanitize(r)));
            }
            for u in &c.urls {
                s.push_str(&format!("  {}\n", sanitize(u)));
            }
        }
        if items.len() > MAIL_ITEMS {
            s.push_str(&format!("\n…and {} more: see `citewatch status`\n", items.len() - MAIL_ITEMS));
        }
    }
    s.push_str("\nSee what changed with `citewatch diff FACTSHEET/CLAIM`, the full report with `citewatch report`.\n");
    s
}

/// The mail's HTML: every text escaped, only http(s) URLs made links.
pub fn mail_html(n: &Notice) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">\n<h2>citewatch: ",
    );
    esc(&mut s, &headline(n));
    s.push_str("</h2>\n<p>");
    esc(&mut s, &totals(n));
    s.push_str("</p>\n");
    for (title, items) in [("Newly flagged", &n.new), ("Resolved", &n.resolved)] {
        if items.is_empty() {
            continue;
        }
        s.push_str("<h3>");
        esc(&mut s, title);
        s.push_str("</h3>\n<ul>\n");
        for c in items.iter().take(MAIL_ITEMS) {
            s.push_str("<li><b>");
            esc(&mut s, c.verdict.as_str());
            s.push_str("</b> <code>");
            esc(&mut s, &c.claim);
            s.push_str("</code>");
            esc(&mut s, &was(c));
            s.push_str("<br>");
            esc(&mut s, &c.text);
            if !c.reasons.is_empty() {
                s.push_str("<ul>");
                for r in &c.reasons {
                    s.push_str("<li>");
                    esc(&mut s, r);
                    s.push_str("</li>");
                }
                s.push_str("</ul>");
            }
            for u in &c.urls {
                s.push_str("<br>");
                if is_http(u) {
                    s.push_str("<a href=\"");
                    esc(&mut s, u);
                    s.push_str("\">");
                    esc(&mut s, u);
                    s.push_str("</a>");
                } else {
                    esc(&mut s, u);
                }
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n");
        if items.len() > MAIL_ITEMS {
            s.push_str("<p>…and ");
            esc(&mut s, &(items.len() - MAIL_ITEMS).to_string());
            s.push_str(" more: see <code>citewatch status</code></p>\n");
        }
    }
    s.push_str("<p>See what changed with <code>citewatch diff FACTSHEET/CLAIM</code>, the full report with <code>citewatch report</code>.</p>\n</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Verdict;
    use crate::report::model::{RunInfo, Summary};

    fn notice() -> Notice {
        Notice {
            schema: 1,
            run: RunInfo { started: "s".into(), finished: "2026-12-02T10:00:00Z".into(), id: 7, offline: false },
            new: vec![NoticeClaim {
                claim: "f/a".into(),
                factsheet: "f".into(),
                id: "a".into(),
                text: "Prices rose <b>5%</b> & more.".into(),
                verdict: Verdict::Broken,
                previous: Some(Verdict::Ok),
                reasons: vec![
                    "soft-404: HTTP 200 but the page says \"<script>alert(1)</script> <!channel> @all\"".into()
                ],
                urls: vec!["https://x.org/a?b=1&c=2".into(), "javascript:alert(1)".into()],
                where_: None,
            }],
            resolved: Vec::new(),
            summary: Summary::default(),
            flagged: 1,
        }
    }

    #[test]
    fn page_text_is_escaped_in_each_medium() {
        let n = notice();
        let html = mail_html(&n);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<a href=\"https://x.org/a?b=1&amp;c=2\">"));
        assert!(!html.contains("href=\"javascript:"));
        assert!(html.contains("Prices rose &lt;b&gt;5%&lt;/b&gt; &amp; more."));
        let chat = chat_text(&n);
        assert!(!chat.contains("<!channel>") && chat.contains("&lt;!channel&gt;"), "{chat}");
        assert!(!chat.contains("@all") && chat.contains("@\u{200B}all"), "{chat}");
        assert!(chat.starts_with("*citewatch: 1 claim newly flagged*"));
        assert!(chat.contains("• *broken* `f/a` (was ok)"));
        let text = mail_text(&n);
        assert!(text.contains("broken f/a (was ok)") && text.contains("  https://x.org/a?b=1&c=2"));
        assert_eq!(subject("citewatch", &n), "citewatch: 1 claim newly flagged (run 7)");
    }
}
