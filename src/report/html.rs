//! HTML: one self-contained page (inline CSS, inline JS, inline SVG charts;
//! no external request of any kind) that opens from disk and prints cleanly.
//!
//! Safety: every string from a fetched page or a claims file goes through
//! [`esc`]; only `http:`/`https:` URLs become links ([`is_http`]); the page
//! carries a Content-Security-Policy that forbids every load and allows only
//! the one inline script, by its SHA-256 hash, so even a escaping mistake
//! could not run a script.
//!
//! Scale: the table rows are the data. The script keeps them in an array,
//! filters by toggling `hidden` (writes only, no layout reads), debounces the
//! search box (150 ms), caches each row's lower-cased text on first search,
//! and sorts by moving the rows into one fragment appended once.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;

use super::model::{ClaimReport, RunReport, SourceReport};
use super::{factsheet_ids, missing_quotes, percent, DiffLine, ReportExtras, RunPoint, SourceIndex};
use crate::model::{Content, Health, Verdict};

/// Rows a table shows at first; "Show more" adds as many again. Laying out
/// a 10,000-row table takes seconds, a 200-row one under ~100 ms.
pub const PAGE: usize = 200;

/// Writes the HTML report of `doc` to `out`.
pub fn render(doc: &RunReport, extras: &ReportExtras, out: &mut dyn io::Write) -> io::Result<()> {
    let mut s = String::with_capacity(64 * 1024 + doc.claims.len() * 700 + doc.sources.len() * 900);
    let index = SourceIndex::new(&doc.sources);
    head(&mut s, doc);
    header(&mut s, doc, extras);
    charts(&mut s, doc, extras, &index);
    claims_table(&mut s, doc, extras, &index);
    sources_table(&mut s, doc, extras);
    excluded_list(&mut s, doc);
    s.push_str("<footer>Made by citewatch");
    if !extras.generated.is_empty() {
        s.push_str(" on ");
        time(&mut s, Some(&extras.generated));
    }
    s.push_str(". Self-contained: this file loads nothing from the network.</footer>\n</main>\n<script>");
    s.push_str(SCRIPT);
    s.push_str("</script>\n</body>\n</html>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}

/// Appends `text` escaped for HTML text and double- or single-quoted attributes.
pub fn esc(s: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            0 => "\u{FFFD}",
            _ => continue,
        };
        s.push_str(&text[last..i]);
        s.push_str(rep);
        last = i + 1;
    }
    s.push_str(&text[last..]);
}

/// Whether `url` may become a link: it starts with `http://` or `https://`
/// (any case), with nothing before the scheme.
pub fn is_http(url: &str) -> bool {
    let b = url.as_bytes();
    (b.len() > 7 && b[..7].eq_ignore_ascii_case(b"http://"))
        || (b.len() > 8 && b[..8].eq_ignore_ascii_case(b"https://"))
}

/// A URL as a link when it is http(s), else as text.
fn link(s: &mut String, url: &str) {
    if is_http(url) {
        s.push_str("<a class=\"u\" href=\"");
        esc(s, url);
        s.push_str("\">");
        esc(s, url);
        s.push_str("</a>");
    } else {
        s.push_str("<span class=\"u\">");
        esc(s, url);
        s.push_str("</span>");
    }
}

/// An archived copy: a link labelled with its host (the full URL on hover),
/// or the text of a URL that is not http(s).
fn archived_link(s: &mut String, url: &str) {
    if !is_http(url) {
        link(s, url);
        return;
    }
    let rest = &url[url.find("://").map_or(0, |i| i + 3)..];
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    s.push_str("<a class=\"u\" href=\"");
    esc(s, url);
    s.push_str("\" title=\"");
    esc(s, url);
    s.push_str("\">");
    esc(s, host);
    s.push_str("</a>");
}

/// An RFC 3339 time shown as `YYYY-MM-DD HH:MM` (UTC), full value on hover.
fn time(s: &mut String, t: Option<&str>) {
    match t {
        None => s.push_str("<span class=\"mu\">—</span>"),
        Some(t) => {
            let b = t.as_bytes();
            if b.len() >= 16 && b[10] == b'T' && t.is_char_boundary(16) {
                esc(s, &t[..10]);
                s.push(' ');
                esc(s, &t[11..16]);
            } else {
                esc(s, t);
            }
        }
    }
}

/// A `<td>` holding a time, sorted by its raw value, empty last.
fn time_cell(s: &mut String, t: Option<&str>) {
    s.push_str("<td class=\"t\" data-s=\"");
    if let Some(t) = t {
        esc(s, t);
    }
    s.push_str("\">");
    time(s, t);
    s.push_str("</td>");
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Ok => 0,
        Verdict::Unverified => 1,
        Verdict::Changed => 2,
        Verdict::Unsupported => 3,
        Verdict::Broken => 4,
    }
}

fn health_rank(h: Health) -> u8 {
    match h {
        Health::Ok => 0,
        Health::Redirected => 1,
        Health::Error => 2,
        Health::Blocked => 3,
        Health::Broken => 4,
    }
}

fn verdict_counts(doc: &RunReport) -> [(Verdict, usize); 5] {
    let c = &doc.summary.claims;
    [
        (Verdict::Broken, c.broken),
        (Verdict::Unsupported, c.unsupported),
        (Verdict::Changed, c.changed),
        (Verdict::Unverified, c.unverified),
        (Verdict::Ok, c.ok),
    ]
}

fn health_counts(doc: &RunReport) -> [(Health, usize); 5] {
    let c = &doc.summary.sources;
    [
        (Health::Ok, c.ok),
        (Health::Redirected, c.redirected),
        (Health::Broken, c.broken),
        (Health::Blocked, c.blocked),
        (Health::Error, c.error),
    ]
}

fn head(s: &mut String, doc: &RunReport) {
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        s,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'\">",
        script_hash()
    );
    s.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"citewatch\">\n");
    let _ = write!(s, "<title>citewatch report · run {}", doc.run.id);
    if !doc.run.started.is_empty() {
        s.push_str(" · ");
        esc(s, doc.run.started.get(..10).unwrap_or(&doc.run.started));
    }
    s.push_str("</title>\n<style>");
    s.push_str(STYLE);
    s.push_str("</style>\n</head>\n<body>\n<main>\n");
}

fn header(s: &mut String, doc: &RunReport, extras: &ReportExtras) {
    let flagged = doc.claims.iter().filter(|c| c.verdict.flagged()).count();
    s.push_str("<header class=\"top\">\n<div class=\"brand\"><span class=\"logo\" aria-hidden=\"true\"></span>citewatch</div>\n<h1>");
    if doc.claims.is_empty() {
        s.push_str("No claims checked");
    } else if flagged == 0 {
        let _ = write!(s, "All {} claims check out", doc.claims.len());
    } else {
        let _ = write!(
            s,
            "{flagged} of {} claim{} need{} attention",
            doc.claims.len(),
            if doc.claims.len() == 1 { "" } else { "s" },
            if flagged == 1 { "s" } else { "" }
        );
    }
    s.push_str("</h1>\n<p class=\"meta\">");
    let _ = write!(s, "Run {} · started ", doc.run.id);
    time(s, Some(&doc.run.started));
    s.push_str(" · finished ");
    time(s, Some(&doc.run.finished));
    s.push_str(" UTC");
    if doc.run.offline {
        s.push_str(" · <b>offline</b>: judged from the cache");
    }
    if !extras.generated.is_empty() {
        s.push_str(" · report made ");
        time(s, Some(&extras.generated));
    }
    s.push_str("</p>\n");
    if !doc.factsheets.is_empty() {
        s.push_str("<ul class=\"sheets\">");
        for f in &doc.factsheets {
            s.push_str("<li><code>");
            esc(s, &f.id);
            s.push_str("</code> ");
            esc(s, &f.title);
            s.push_str("</li>");
        }
        s.push_str("</ul>\n");
    }
    // One-line totals.
    let _ = write!(s, "<p class=\"totals\"><b>{} claims</b>", doc.claims.len());
    for (v, n) in verdict_counts(doc) {
        let _ = write!(s, " <span class=\"tot\"><i class=\"sw k-{v}\"></i>{n} {v}</span>");
    }
    let _ = write!(s, " <span class=\"sep\"></span><b>{} sources</b>", doc.sources.len());
    for (h, n) in health_counts(doc) {
        let _ = write!(s, " <span class=\"tot\"><i class=\"sw k-{h}\"></i>{n} {h}</span>");
    }
    let changed = doc.sources.iter().filter(|x| x.content == Content::Changed).count();
    let _ = write!(s, " <span class=\"tot\"><i class=\"sw k-changed\"></i>{changed} changed</span>");
    s.push_str("</p>\n</header>\n");
}

/// Horizontal stacked bars: one row per label, one segment per category.
fn stacked_bars(s: &mut String, title: &str, rows: &[(&str, Vec<usize>)], names: &[&str]) {
    const LABEL: f64 = 128.0;
    const BAR: f64 = 360.0;
    const ROW: f64 = 30.0;
    let max = rows.iter().map(|(_, v)| v.iter().sum::<usize>()).max().unwrap_or(0);
    let height = (rows.len().max(1) as f64) * ROW + 6.0;
    let _ = write!(s, "<svg class=\"chart\" viewBox=\"0 0 540 {height}\" role=\"img\" aria-label=\"");
    esc(s, title);
    s.push_str("\">");
    if rows.is_empty() || max == 0 {
        s.push_str("<text x=\"0\" y=\"20\" class=\"mu\">Nothing to show</text></svg>");
        return;
    }
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = i as f64 * ROW + 6.0;
        let total: usize = values.iter().sum();
        let shown: String = if label.chars().count() > 18 {
            label.chars().take(17).chain(['…']).collect()
        } else {
            label.to_string()
        };
        let _ = write!(s, "<text x=\"0\" y=\"{}\" class=\"lbl\"><title>", y + 13.0);
        esc(s, label);
        s.push_str("</title>");
        esc(s, &shown);
        s.push_str("</text>");
        let _ = write!(s, "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"18\" rx=\"3\" class=\"track\"/>");
        let mut x = LABEL;
        for (n, name) in values.iter().zip(names) {
            if *n == 0 {
                continue;
            }
            let w = BAR * (*n as f64) / (max as f64);
            let _ = write!(s, "<rect x=\"{x:.2}\" y=\"{y}\" width=\"{w:.2}\" height=\"18\" class=\"k-{name}\"><title>");
            esc(s, label);
            let _ = write!(s, ": {n} {name}</title></rect>");
            if w >= 9.0 * (n.to_string().len() as f64) + 6.0 {
                let _ =
                    write!(s, "<text x=\"{:.2}\" y=\"{}\" class=\"seg t-{name}\">{n}</text>", x + w / 2.0, y + 13.0);
            }
            x += w;
        }
        let _ = write!(s, "<text x=\"{:.2}\" y=\"{}\" class=\"tt\">{total}</text>", x + 6.0, y + 13.0);
    }
    s.push_str("</svg>");
}

fn legend(s: &mut String, items: &[(&str, usize)]) {
    s.push_str("<div class=\"legend\">");
    for (name, n) in items {
        let _ = write!(s, "<span><i class=\"sw k-{name}\"></i>{name} <b>{n}</b></span>");
    }
    s.push_str("</div>");
}

fn charts(s: &mut String, doc: &RunReport, extras: &ReportExtras, index: &SourceIndex<'_>) {
    let ids = factsheet_ids(doc);
    s.push_str("<section class=\"cards\">\n");
    // Claims by verdict, per factsheet.
    let vnames: Vec<&str> = Verdict::WORST_FIRST.iter().map(|v| v.as_str()).collect();
    let rows: Vec<(&str, Vec<usize>)> = ids
        .iter()
        .map(|id| {
            let v = Verdict::WORST_FIRST
                .iter()
                .map(|v| doc.claims.iter().filter(|c| c.factsheet == *id && c.verdict == *v).count())
                .collect();
            (*id, v)
        })
        .collect();
    s.push_str("<div class=\"card\"><h3>Claims by verdict</h3>");
    stacked_bars(s, "Claims by verdict per factsheet", &rows, &vnames);
    let items: Vec<(&str, usize)> = verdict_counts(doc).iter().map(|(v, n)| (v.as_str(), *n)).collect();
    legend(s, &items);
    s.push_str("</div>\n");

    // Sources by health, per factsheet (a source counts once per factsheet citing it).
    let hnames: Vec<&str> = Health::ALL.iter().map(|h| h.as_str()).collect();
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for c in &doc.claims {
        let fi = ids.iter().position(|id| *id == c.factsheet).unwrap_or(0);
        for cs in &c.sources {
            if let Some(si) = index.position(&cs.url) {
                pairs.insert((fi, si));
            }
        }
    }
    let mut counts = vec![[0usize; 5]; ids.len()];
    for (fi, si) in pairs {
        let h = doc.sources[si].health;
        let hi = Health::ALL.iter().position(|x| *x == h).unwrap_or(0);
        counts[fi][hi] += 1;
    }
    let rows: Vec<(&str, Vec<usize>)> = ids.iter().zip(&counts).map(|(id, c)| (*id, c.to_vec())).collect();
    s.push_str("<div class=\"card\"><h3>Sources by health</h3>");
    stacked_bars(s, "Sources by health per factsheet", &rows, &hnames);
    let items: Vec<(&str, usize)> = health_counts(doc).iter().map(|(h, n)| (h.as_str(), *n)).collect();
    legend(s, &items);
    s.push_str("</div>\n");

    s.push_str("<div class=\"card\"><h3>Broken and changed sources over time</h3>");
    history(s, &extras.history);
    s.push_str("</div>\n</section>\n");
}

fn history(s: &mut String, runs: &[RunPoint]) {
    if runs.is_empty() {
        s.push_str("<p class=\"empty\">No stored runs yet: the chart fills in as runs are stored.</p>");
        return;
    }
    const W: f64 = 540.0;
    const H: f64 = 170.0;
    const L: f64 = 34.0;
    const R: f64 = 14.0;
    const T: f64 = 10.0;
    const B: f64 = 140.0;
    let max = runs.iter().map(|r| r.sources_broken.max(r.sources_changed)).max().unwrap_or(0).max(1);
    let n = runs.len();
    let x = |i: usize| {
        if n == 1 {
            (L + W - R) / 2.0
        } else {
            L + (W - R - L) * (i as f64) / ((n - 1) as f64)
        }
    };
    let y = |v: usize| B - (B - T) * (v as f64) / (max as f64);
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"Broken and changed sources per run\">"
    );
    // grid and y labels: 0, mid, max
    let mut ticks = vec![0, max];
    if max >= 2 {
        ticks.insert(1, max / 2);
    }
    for t in ticks {
        let yy = y(t);
        let _ = write!(
            s,
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" class=\"ax\" text-anchor=\"end\">{t}</text>",
            W - R,
            L - 6.0,
            yy + 4.0
        );
    }
    for (field, name) in [(0, "broken"), (1, "changed")] {
        let val = |r: &RunPoint| {
            if field == 0 {
                r.sources_broken
            } else {
                r.sources_changed
            }
        };
        if n > 1 {
            s.push_str("<polyline class=\"ln s-");
            s.push_str(name);
            s.push_str("\" points=\"");
            for (i, r) in runs.iter().enumerate() {
                let _ = write!(s, "{:.1},{:.1} ", x(i), y(val(r)));
            }
            s.push_str("\"/>");
        }
        if n <= 60 {
            for (i, r) in runs.iter().enumerate() {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" class=\"k-{name}\"><title>Run {}",
                    x(i),
                    y(val(r)),
                    r.id
                );
                if !r.started.is_empty() {
                    s.push_str(", ");
                    esc(s, r.started.get(..10).unwrap_or(&r.started));
                }
                let _ = write!(
                    s,
                    ": {} broken, {} changed sources, {} claims flagged</title></circle>",
                    r.sources_broken, r.sources_changed, r.claims_flagged
                );
            }
        }
    }
    // x labels: first and last run
    let label = |s: &mut String, i: usize, anchor: &str| {
        let r = &runs[i];
        let _ =
            write!(s, "<text x=\"{:.1}\" y=\"{}\" class=\"ax\" text-anchor=\"{anchor}\">run {}", x(i), B + 18.0, r.id);
        if let Some(d) = r.started.get(..10) {
            s.push_str(" · ");
            esc(s, d);
        }
        s.push_str("</text>");
    };
    if n == 1 {
        label(s, 0, "middle");
    } else {
        label(s, 0, "start");
        label(s, n - 1, "end");
    }
    s.push_str("</svg>");
    let last = &runs[n - 1];
    legend(s, &[("broken", last.sources_broken), ("changed", last.sources_changed)]);
    if n == 1 {
        s.push_str("<p class=\"note\">One run stored so far.</p>");
    } else {
        let _ = write!(s, "<p class=\"note\">{n} runs; latest values shown.</p>");
    }
}

fn chips(s: &mut String, table: &str, items: &[(&str, usize)]) {
    for (name, n) in items {
        let _ = write!(
            s,
            "<label class=\"chip\"><input type=\"checkbox\" data-chip=\"{table}\" value=\"{name}\" checked><i class=\"sw k-{name}\"></i>{name} <b>{n}</b></label>"
        );
    }
}

fn th(s: &mut String, label: &str, kind: &str, class: &str) {
    let _ = write!(
        s,
        "<th class=\"{class}\" data-type=\"{kind}\" aria-sort=\"none\"><button type=\"button\">{label}</button></th>"
    );
}

fn claims_table(s: &mut String, doc: &RunReport, extras: &ReportExtras, index: &SourceIndex<'_>) {
    let _ = write!(
        s,
        "<section id=\"claims\">\n<h2>Claims <span class=\"mu\">{}</span></h2>\n<div class=\"toolbar\"><input type=\"search\" id=\"claims-q\" placeholder=\"Filter claims…\" aria-label=\"Filter claims\" autocomplete=\"off\">",
        doc.claims.len()
    );
    let items: Vec<(&str, usize)> = verdict_counts(doc).iter().map(|(v, n)| (v.as_str(), *n)).collect();
    chips(s, "claims", &items);
    count(s, "claims", doc.claims.len());
    let _ = write!(s, "<table id=\"claims-table\" class=\"data\" data-page=\"{PAGE}\"><thead><tr>");
    th(s, "Verdict", "num", "c-v");
    th(s, "Claim", "text", "c-id");
    th(s, "Text and reasons", "text", "c-tx");
    th(s, "Where", "text", "c-w");
    th(s, "Sources", "num", "c-s");
    s.push_str("</tr></thead>\n<tbody>\n");
    // flagged first, worst first; stable, so file order within a verdict
    let mut order: Vec<&ClaimReport> = doc.claims.iter().collect();
    order.sort_by_key(|c| std::cmp::Reverse(verdict_rank(c.verdict)));
    let mut ids: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for (i, c) in doc.claims.iter().enumerate() {
        ids.entry((c.factsheet.as_str(), c.id.as_str())).or_insert(i);
    }
    for (row, c) in order.into_iter().enumerate() {
        let i = ids[&(c.factsheet.as_str(), c.id.as_str())];
        let v = c.verdict.as_str();
        let hidden = if row < PAGE { "" } else { " hidden" };
        let _ = write!(
            s,
            "<tr id=\"c{i}\" data-f=\"{v}\"{hidden}><td data-s=\"{}\"><span class=\"badge k-{v}\">{v}</span></td><td class=\"id\"><span class=\"fs\">",
            verdict_rank(c.verdict)
        );
        esc(s, &c.factsheet);
        s.push_str("/</span>");
        esc(s, &c.id);
        s.push_str("</td><td class=\"tx\">");
        esc(s, &c.text);
        if !c.reasons.is_empty() {
            s.push_str("<ul class=\"why\">");
            for r in &c.reasons {
                s.push_str("<li>");
                esc(s, r);
                s.push_str("</li>");
            }
            s.push_str("</ul>");
        }
        if !c.next.is_empty() {
            s.push_str("<ul class=\"next\">");
            for n in &c.next {
                s.push_str("<li><b>Next:</b> ");
                step(s, n);
                s.push_str("</li>");
            }
            s.push_str("</ul>");
        }
        s.push_str("</td><td class=\"w\">");
        if let Some(w) = &c.where_ {
            esc(s, w);
        }
        let _ = write!(s, "</td><td class=\"src\" data-s=\"{}\">", c.sources.len());
        for cs in &c.sources {
            let h = cs.health.as_str();
            s.push_str("<div class=\"cs\">");
            match index.position(&cs.url) {
                Some(si) => {
                    let _ = write!(s, "<a class=\"badge sm k-{h}\" href=\"#s{si}\" title=\"See this source\">{h}</a>");
                }
                None => {
                    let _ = write!(s, "<span class=\"badge sm k-{h}\">{h}</span>");
                }
            }
            if cs.content == Content::Changed {
                s.push_str("<span class=\"badge sm k-changed\">changed</span>");
            }
            s.push(' ');
            link(s, &cs.url);
            for q in missing_quotes(cs) {
                s.push_str("<div class=\"miss\"><span>Quote not found:</span> <q>");
                esc(s, q);
                s.push_str("</q></div>");
            }
            s.push_str("</div>");
        }
        s.push_str("</td></tr>\n");
        diff_row(s, i, c, extras, index, hidden);
    }
    s.push_str("</tbody></table>\n");
    more(s, "claims", doc.claims.len());
    s.push_str("</section>\n");
}

/// The diffs of a claim's changed sources, full width in a row right under
/// the claim's row (the table's script keeps the two together), each linked
/// to its source's row.
fn diff_row(s: &mut String, i: usize, c: &ClaimReport, extras: &ReportExtras, index: &SourceIndex<'_>, hidden: &str) {
    let mut shown: Vec<&str> = Vec::new();
    let changed: Vec<(&str, usize, &Vec<DiffLine>)> = c
        .sources
        .iter()
        .filter(|cs| cs.content == Content::Changed)
        .filter_map(|cs| {
            let si = index.position(&cs.url)?;
            let key = crate::report::strip_fragment(&cs.url);
            let lines = extras.excerpts.get(key).filter(|l| !l.is_empty())?;
            Some((key, si, lines))
        })
        .filter(|(key, _, _)| {
            let first = !shown.contains(key);
            shown.push(key);
            first
        })
        .collect();
    if changed.is_empty() {
        return;
    }
    let v = c.verdict.as_str();
    let _ = write!(s, "<tr class=\"dr\" id=\"c{i}-diff\" data-f=\"{v}\"{hidden}><td colspan=\"5\">");
    for (key, si, lines) in changed {
        let _ = write!(
            s,
            "<details class=\"diff\" open><summary>What changed ({} line{}) in <a href=\"#s{si}\" title=\"See this source\">",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        );
        esc(s, key);
        s.push_str("</a></summary><pre>");
        for l in lines {
            let class = match l.tag {
                '-' => "del",
                '+' => "add",
                _ => "ctx",
            };
            let _ = write!(s, "<span class=\"{class}\"><i>{}</i> ", l.tag);
            for (changed, piece) in l.pieces() {
                match (changed, l.tag) {
                    (true, '-') => {
                        s.push_str("<del>");
                        esc(s, piece);
                        s.push_str("</del>");
                    }
                    (true, '+') => {
                        s.push_str("<ins>");
                        esc(s, piece);
                        s.push_str("</ins>");
                    }
                    _ => esc(s, piece),
                }
            }
            s.push_str("</span>");
        }
        s.push_str("</pre></details>");
    }
    s.push_str("</td></tr>\n");
}

/// A next step, its `commands` as code.
fn step(s: &mut String, text: &str) {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        esc(s, text);
        return;
    }
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 {
            s.push_str("<code>");
            esc(s, p);
            s.push_str("</code>");
        } else {
            esc(s, p);
        }
    }
}

/// The "n shown" line of a table's toolbar, which ends the toolbar.
fn count(s: &mut String, table: &str, n: usize) {
    let _ = write!(s, "<span class=\"count\" id=\"{table}-count\">");
    if n > PAGE {
        let _ = write!(s, "first {PAGE} of {n} shown");
    } else {
        let _ = write!(s, "{n} shown");
    }
    s.push_str("</span></div>\n");
}

/// The "Show more" buttons under a table; visible when rows are held back.
fn more(s: &mut String, table: &str, n: usize) {
    let _ = writeln!(
        s,
        "<div class=\"more\" id=\"{table}-more\"{}><button type=\"button\" data-more=\"{table}\">Show {PAGE} more</button><button type=\"button\" data-all=\"{table}\">Show all</button><span class=\"mu sm\">Showing every row of a very long table can take a few seconds.</span></div>",
        if n > PAGE { "" } else { " hidden" }
    );
}

fn sources_table(s: &mut String, doc: &RunReport, extras: &ReportExtras) {
    let _ = write!(
        s,
        "<section id=\"sources\">\n<h2>Sources <span class=\"mu\">{}</span></h2>\n<div class=\"toolbar\"><input type=\"search\" id=\"sources-q\" placeholder=\"Filter sources…\" aria-label=\"Filter sources\" autocomplete=\"off\">",
        doc.sources.len()
    );
    let items: Vec<(&str, usize)> = health_counts(doc).iter().map(|(h, n)| (h.as_str(), *n)).collect();
    chips(s, "sources", &items);
    count(s, "sources", doc.sources.len());
    let _ = write!(s, "<table id=\"sources-table\" class=\"data\" data-page=\"{PAGE}\"><thead><tr>");
    th(s, "URL", "text", "s-u");
    th(s, "Final URL", "text", "s-f");
    th(s, "HTTP", "num", "num");
    th(s, "Health", "num", "s-h");
    th(s, "Content", "text", "s-c");
    th(s, "Similarity", "num", "num");
    th(s, "First seen", "text", "t");
    th(s, "Last good", "text", "t");
    th(s, "Failing since", "text", "t");
    th(s, "Cited by", "num", "s-by");
    th(s, "Archived", "text", "s-a");
    s.push_str("</tr></thead>\n<tbody>\n");
    let claim_pos: std::collections::HashMap<String, usize> =
        doc.claims.iter().enumerate().map(|(i, c)| (format!("{}/{}", c.factsheet, c.id), i)).collect();
    for (i, src) in doc.sources.iter().enumerate() {
        source_row(s, i, src, extras, &claim_pos);
    }
    s.push_str("</tbody></table>\n");
    more(s, "sources", doc.sources.len());
    s.push_str("</section>\n");
}

/// Sources left out by `exclude`: never fetched, listed with their claims.
fn excluded_list(s: &mut String, doc: &RunReport) {
    if doc.excluded.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<section id=\"excluded\">\n<h2>Excluded <span class=\"mu\">{}</span></h2>\n<p class=\"mu\">Never fetched nor judged: they match an <code>exclude</code> pattern.</p>\n<ul>\n",
        doc.excluded.len()
    );
    for e in &doc.excluded {
        s.push_str("<li>");
        link(s, &e.url);
        s.push_str(" <span class=\"mu\">cited by ");
        esc(s, &e.claims.join(", "));
        s.push_str("; pattern <code>");
        esc(s, &e.pattern);
        s.push_str("</code></span></li>\n");
    }
    s.push_str("</ul>\n</section>\n");
}

fn source_row(
    s: &mut String,
    i: usize,
    src: &SourceReport,
    extras: &ReportExtras,
    claim_pos: &std::collections::HashMap<String, usize>,
) {
    let h = src.health.as_str();
    let hidden = if i < PAGE { "" } else { " hidden" };
    let _ = write!(s, "<tr id=\"s{i}\" data-f=\"{h}\"{hidden}><td class=\"url\">");
    link(s, &src.url);
    if let Some(t) = src.title.as_deref().filter(|t| !t.is_empty()) {
        s.push_str("<div class=\"ttl\">");
        esc(s, t);
        s.push_str("</div>");
    }
    if extras.excerpts.get(&src.url).is_some_and(|l| !l.is_empty()) {
        // The diff itself sits under the first claim citing the source.
        if let Some((id, p)) = src.claims.iter().find_map(|id| claim_pos.get(id).map(|p| (id, p))) {
            let _ = write!(s, "<div class=\"sm\"><a class=\"to-diff\" href=\"#c{p}-diff\">What changed: under ");
            esc(s, id);
            s.push_str("</a></div>");
        }
    }
    s.push_str("</td><td class=\"url\">");
    if let Some(f) = &src.final_url {
        link(s, f);
        let hops = src.redirects.len().saturating_sub(1);
        if hops > 0 {
            let _ = write!(s, "<div class=\"mu sm\">after {hops} redirect{}</div>", if hops == 1 { "" } else { "s" });
        }
    }
    s.push_str("</td><td class=\"num\">");
    if let Some(code) = src.http_status {
        let _ = write!(s, "{code}");
    }
    let _ = write!(s, "</td><td data-s=\"{}\"><span class=\"badge k-{h}\">{h}</span>", health_rank(src.health));
    let reason = src.reason.as_deref().filter(|r| !r.is_empty());
    if let Some(r) = reason {
        s.push_str("<div class=\"why\">");
        esc(s, r);
        s.push_str("</div>");
    }
    if let Some(e) = src.error.as_deref().filter(|e| !e.is_empty() && Some(*e) != reason) {
        s.push_str("<div class=\"err\">");
        esc(s, e);
        s.push_str("</div>");
    }
    if src.consecutive_failures > 1 {
        let _ = write!(s, "<div class=\"mu sm\">{} failures in a row</div>", src.consecutive_failures);
    }
    let c = src.content.as_str();
    let _ = write!(s, "</td><td><span class=\"ct ct-{c}\">{c}</span>");
    if let Some(k) = &src.kind {
        s.push_str(" <span class=\"mu sm\">");
        esc(s, k);
        s.push_str("</span>");
    }
    s.push_str("</td>");
    match src.similarity {
        Some(x) => {
            let _ = write!(s, "<td class=\"num\" data-s=\"{x}\">{}</td>", percent(x));
        }
        None => s.push_str("<td class=\"num\" data-s=\"\"></td>"),
    }
    time_cell(s, src.first_seen.as_deref());
    time_cell(s, src.last_good.as_deref());
    time_cell(s, src.failing_since.as_deref());
    let _ = write!(s, "<td class=\"by\" data-s=\"{}\">", src.claims.len());
    for id in &src.claims {
        match claim_pos.get(id) {
            Some(p) => {
                let _ = write!(s, "<a href=\"#c{p}\">");
                esc(s, id);
                s.push_str("</a>");
            }
            None => {
                s.push_str("<span>");
                esc(s, id);
                s.push_str("</span>");
            }
        }
    }
    s.push_str("</td><td class=\"arch\">");
    if let Some(a) = &src.archived {
        archived_link(s, a);
    }
    if let Some(found) = &src.archive {
        archive_found(s, found, src.archived.as_deref());
    }
    s.push_str("</td></tr>\n");
}

/// The archived copy found (or read) for a source: a link unless it is the
/// one already shown, its capture date, and whether it holds the quotes.
fn archive_found(s: &mut String, a: &super::model::ArchiveReport, cited: Option<&str>) {
    if cited != Some(a.url.as_str()) {
        if cited.is_some() {
            s.push(' ');
        }
        archived_link(s, &a.url);
    }
    if let Some(t) = &a.timestamp {
        s.push_str(" <span class=\"arch-date\">");
        esc(s, &t[..10.min(t.len())]);
        s.push_str("</span>");
    }
    let held = match a.quotes_found {
        Some(true) => " <span class=\"arch-quotes\">holds the quotes</span>",
        Some(false) => " <span class=\"arch-quotes miss\">does not hold the quotes</span>",
        None => "",
    };
    s.push_str(held);
}

/// The base64 SHA-256 of [`SCRIPT`], for the Content-Security-Policy.
pub fn script_hash() -> String {
    base64(&sha256(SCRIPT.as_bytes()))
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-256 (FIPS 180-4), enough for hashing one script.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (t, word) in block.chunks(4).enumerate() {
            w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[t]).wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

const STYLE: &str = r#"
:root{--fg:#1f2328;--mu:#59636e;--line:#d8dee4;--soft:#f6f8fa;--acc:#0969da;
--broken:#cf222e;--unsupported:#e16f24;--changed:#d4a72c;--unverified:#8c959f;--ok:#2da44e;
--redirected:#218bff;--blocked:#8250df;--error:#bc4c00}
*{box-sizing:border-box}
html{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif;color:var(--fg);background:#fff;-webkit-text-size-adjust:100%}
body{margin:0}
main{max-width:1680px;margin:0 auto;padding:20px 24px 48px}
a{color:var(--acc);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.id{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.mu{color:var(--mu)}.sm{font-size:12px}
header.top{padding:4px 0 18px;border-bottom:1px solid var(--line)}
.brand{display:flex;align-items:center;gap:8px;font-weight:600;color:var(--mu);font-size:13px;letter-spacing:.02em}
.logo{width:14px;height:14px;border-radius:3px;background:linear-gradient(135deg,#0969da,#2da44e)}
h1{font-size:24px;line-height:1.25;margin:6px 0 4px;font-weight:600}
h2{font-size:18px;margin:36px 0 10px;font-weight:600}h2 .mu{font-weight:400;font-size:15px;margin-left:4px}
.meta{margin:0 0 10px;color:var(--mu)}
.sheets{list-style:none;margin:0 0 12px;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px}
.sheets code{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-right:4px}
.totals{margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px}
.totals .sep{width:1px;height:16px;background:var(--line);margin:0 4px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px;background:var(--c)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:16px;margin-top:20px}
.card{border:1px solid var(--line);border-radius:8px;padding:14px 16px 12px;background:#fff}
.card h3{margin:0 0 10px;font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--mu)}
.chart{width:100%;height:auto;display:block;max-width:640px}
.chart text{font-size:12px;fill:var(--fg)}
.chart .lbl{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.chart .track{fill:var(--soft)}
.chart .seg{fill:#fff;font-size:12px;font-weight:600;text-anchor:middle}
.chart .t-changed,.chart .t-unverified{fill:#1f2328}
.chart .tt{fill:var(--mu);font-size:12px}
.chart .ax{fill:var(--mu);font-size:12px}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .ln{fill:none;stroke-width:2;stroke-linejoin:round}
.chart .s-broken{stroke:var(--broken)}.chart .s-changed{stroke:var(--changed)}
.chart circle{stroke:#fff;stroke-width:1.5}
.chart rect[class^="k-"],.chart circle[class^="k-"]{fill:var(--c)}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin-top:8px;font-size:12px;color:var(--mu)}
.legend b{color:var(--fg);font-weight:600;margin-left:2px}
.empty,.note{color:var(--mu);font-size:12px;margin:6px 0 0}
.k-ok{--c:var(--ok)}.k-unverified{--c:var(--unverified)}.k-changed{--c:var(--changed)}.k-unsupported{--c:var(--unsupported)}
.k-broken{--c:var(--broken)}.k-redirected{--c:var(--redirected)}.k-blocked{--c:var(--blocked)}.k-error{--c:var(--error)}
.badge{display:inline-block;padding:0 8px;border-radius:999px;font-size:12px;font-weight:600;line-height:20px;white-space:nowrap;border:1px solid;text-decoration:none!important}
.badge.sm{font-size:11px;line-height:16px;padding:0 6px;margin-right:2px}
.badge.k-broken{color:#a40e26;background:#ffebe9;border-color:#ffcecb}
.badge.k-unsupported{color:#953800;background:#fff1e5;border-color:#ffd8b5}
.badge.k-changed{color:#7d4e00;background:#fff8c5;border-color:#eed888}
.badge.k-unverified{color:#424a53;background:#eaeef2;border-color:#d0d7de}
.badge.k-ok{color:#116329;background:#dafbe1;border-color:#aceebb}
.badge.k-redirected{color:#0550ae;background:#ddf4ff;border-color:#b6e3ff}
.badge.k-blocked{color:#6639ba;background:#fbefff;border-color:#e8d2ff}
.badge.k-error{color:#953800;background:#fff1e5;border-color:#ffd8b5}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:0 0 10px}
.toolbar input[type=search]{font:inherit;padding:5px 10px;border:1px solid #d0d7de;border-radius:6px;min-width:280px;background:#fff}
.toolbar input[type=search]:focus{outline:2px solid var(--acc);outline-offset:-1px;border-color:var(--acc)}
.chip{display:inline-flex;align-items:center;padding:2px 10px 2px 8px;border:1px solid #d0d7de;border-radius:999px;font-size:12px;cursor:pointer;user-select:none;background:#fff}
.chip input{margin:0 6px 0 0;accent-color:#57606a}
.chip b{margin-left:5px;font-weight:600;color:var(--mu)}
.chip:has(input:not(:checked)){color:var(--mu);background:var(--soft);text-decoration:line-through}
.count{margin-left:auto;color:var(--mu);font-size:12px}
table.data{width:100%;border-collapse:separate;border-spacing:0;font-size:13px}
table.data th,table.data td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.data thead th{position:sticky;top:0;z-index:2;background:var(--soft);border-top:1px solid var(--line);border-bottom:1px solid #d0d7de;white-space:nowrap;font-size:12px;font-weight:600;color:#424a53}
table.data th button{all:unset;cursor:pointer;display:inline-block}
table.data th button::after{content:"↕";margin-left:5px;color:#afb8c1;font-size:11px}
table.data th[aria-sort=ascending] button::after{content:"▲";color:var(--fg)}
table.data th[aria-sort=descending] button::after{content:"▼";color:var(--fg)}
table.data th button:focus-visible{outline:2px solid var(--acc);border-radius:2px}
table.data tbody tr:hover{background:#f6f8fa80}
table.data tbody tr:target{background:#fff8c5}
.num{text-align:right!important;font-variant-numeric:tabular-nums;white-space:nowrap}
.t{color:#424a53;font-variant-numeric:tabular-nums;min-width:84px}
td.id{min-width:150px;max-width:230px;overflow-wrap:anywhere}.id .fs{color:var(--mu)}
td.tx{min-width:280px;max-width:520px}
td.w{color:#424a53;min-width:80px}
.why{margin:4px 0 0;padding:0 0 0 16px;color:var(--mu);font-size:12px}
.next{margin:4px 0 0;padding:0 0 0 16px;font-size:12px;color:#0b4f8a}
.next code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;background:var(--soft);padding:0 3px;border-radius:3px;color:var(--fg)}
div.why{padding:0;margin-top:3px;max-width:200px}
.err{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;color:var(--mu);margin-top:2px}
td.src{min-width:260px;max-width:380px}
.cs{margin:1px 0 3px;overflow-wrap:anywhere}
.u{overflow-wrap:anywhere;word-break:break-word}
span.u{color:#424a53}
td.url{min-width:150px;max-width:260px;overflow-wrap:anywhere}
td.arch{max-width:140px;overflow-wrap:anywhere}
.ttl{color:var(--mu);font-size:12px;margin-top:2px}
.miss{margin:3px 0 2px;padding:2px 8px;border-left:3px solid var(--unsupported);background:#fff8f2;font-size:12px}
.miss span{color:#953800;font-weight:600}
.ct-changed{color:#7d4e00;font-weight:600}.ct-unknown{color:var(--mu)}.ct-new{color:#0550ae}
td.by{min-width:170px}
td.by a,td.by span{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;overflow-wrap:anywhere}
.more{display:flex;align-items:center;gap:8px;margin:10px 0 0}.more[hidden]{display:none}
.more button{font:inherit;font-size:12px;padding:4px 12px;border:1px solid #d0d7de;border-radius:6px;background:var(--soft);cursor:pointer}
.more button:hover{background:#eaeef2}
tr.dr>td{padding:0 8px 10px;border-bottom:1px solid var(--line)}
table.data tr:has(+ tr.dr)>td{border-bottom:0}
tr.dr details.diff{margin-top:0}
details.diff summary a{color:inherit}
details.diff del{background:#ffc1c0;color:#82071e;text-decoration:line-through;border-radius:2px}
details.diff ins{background:#abf2bc;color:#044f1e;text-decoration:none;border-radius:2px}
details.diff pre i{font-style:normal;color:var(--mu);user-select:none}
details.diff pre .del i{color:#cf222e}details.diff pre .add i{color:#1a7f37}
a.to-diff{color:#7d4e00;font-weight:600}
details.diff{margin-top:6px}
details.diff summary{cursor:pointer;color:#7d4e00;font-size:12px;font-weight:600}
details.diff pre{margin:6px 0 2px;padding:6px 0;background:#fff;border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;line-height:1.45}
details.diff pre span{display:block;padding:0 8px}
details.diff pre .del,details.diff pre .add{color:var(--fg)}details.diff pre .ctx{color:var(--mu)}
footer{margin-top:40px;padding-top:12px;border-top:1px solid var(--line);color:var(--mu);font-size:12px}
@media (max-width:800px){main{padding:12px}.toolbar input[type=search]{min-width:0;width:100%}}
@media print{
main{max-width:none;padding:0}
.toolbar,.more,table.data th button::after{display:none!important}
table.data thead th{position:static}
table.data tbody tr[hidden]{display:table-row!important}
table.data tr{break-inside:avoid}
.card{break-inside:avoid}
details>*{display:block}
details::details-content{content-visibility:visible;display:contents}
a{color:inherit}
html{font-size:11px}
}
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var D = document;
  function Table(name) {
    var t = D.getElementById(name + "-table"), self = this;
    this.t = t;
    this.tb = t.tBodies[0];
    this.items = [];
    var rows = this.tb.rows;
    for (var i = 0; i < rows.length; i++) {
      // A diff row belongs to the claim row above it: shown, hidden and moved with it.
      if (rows[i].classList.contains("dr") && this.items.length) {
        this.items[this.items.length - 1].d = rows[i];
        continue;
      }
      this.items.push({ r: rows[i], d: null, f: rows[i].getAttribute("data-f"), t: null, k: [], i: this.items.length });
    }
    this.q = D.getElementById(name + "-q");
    this.chips = Array.prototype.slice.call(D.querySelectorAll('input[data-chip="' + name + '"]'));
    this.count = D.getElementById(name + "-count");
    this.col = -1;
    this.dir = 1;
    this.timer = 0;
    this.page = parseInt(t.getAttribute("data-page"), 10) || 500;
    this.limit = this.page;
    this.more = D.getElementById(name + "-more");
    if (this.more) {
      this.more.querySelector("[data-more]").addEventListener("click", function () { self.limit += self.page; self.apply(true); });
      this.more.querySelector("[data-all]").addEventListener("click", function () { self.limit = Infinity; self.apply(true); });
    }
    if (this.q) {
      this.q.addEventListener("input", function () {
        clearTimeout(self.timer);
        self.timer = setTimeout(function () { self.apply(); }, 150);
      });
    }
    this.chips.forEach(function (c) { c.addEventListener("change", function () { self.apply(); }); });
    this.ths = Array.prototype.slice.call(t.tHead.rows[0].cells);
    this.ths.forEach(function (th, col) {
      var b = th.querySelector("button");
      if (b) b.addEventListener("click", function () { self.sort(col); });
    });
  }
  // Shows the rows that match, the first `limit` of them; `keep` keeps the
  // limit (paging), otherwise it starts again at one page.
  Table.prototype.apply = function (keep) {
    if (!keep) this.limit = this.page;
    var q = this.q ? this.q.value.trim().toLowerCase() : "";
    var terms = q ? q.split(/\s+/) : [];
    var on = {};
    this.chips.forEach(function (c) { on[c.value] = c.checked; });
    var items = this.items, n = 0, nt = terms.length, limit = this.limit;
    for (var i = 0; i < items.length; i++) {
      var it = items[i], show = on[it.f] !== false;
      if (show && nt) {
        if (it.t === null) it.t = it.r.textContent.toLowerCase();
        for (var j = 0; j < nt && show; j++) show = it.t.indexOf(terms[j]) !== -1;
      }
      if (show) show = ++n <= limit;
      if (it.r.hidden === show) it.r.hidden = !show;
      if (it.d && it.d.hidden === show) it.d.hidden = !show;
    }
    var shown = Math.min(n, limit), all = items.length;
    if (this.count) {
      this.count.textContent = (shown < n ? "first " + shown + " of " + n + " matching" : n === all ? n + "" : n + " of " + all) + " shown";
    }
    if (this.more) this.more.hidden = shown >= n;
    return n;
  };
  Table.prototype.sort = function (col) {
    var th = this.ths[col], num = th.getAttribute("data-type") === "num";
    var dir = this.col === col ? -this.dir : (num ? -1 : 1);
    this.col = col;
    this.dir = dir;
    var items = this.items, i, it;
    for (i = 0; i < items.length; i++) {
      it = items[i];
      if (it.k[col] === undefined) {
        var c = it.r.cells[col], s = c.getAttribute("data-s");
        if (s === null) s = c.textContent.trim();
        it.k[col] = num ? (s === "" ? NaN : parseFloat(s)) : s.toLowerCase();
      }
    }
    var coll = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    items.sort(function (a, b) {
      var x = a.k[col], y = b.k[col], r;
      if (num) {
        var xn = x !== x, yn = y !== y;
        r = (xn || yn) ? (xn - yn) : (x - y) * dir;
      } else {
        r = x === y ? 0 : x === "" ? 1 : y === "" ? -1 : coll.compare(x, y) * dir;
      }
      return r || a.i - b.i;
    });
    // Detach the body, fill a new one off-document, show the first page of
    // the new order, attach it: one insertion, one layout.
    var nb = D.createElement("tbody");
    this.t.removeChild(this.tb);
    for (i = 0; i < items.length; i++) {
      nb.appendChild(items[i].r);
      if (items[i].d) nb.appendChild(items[i].d);
    }
    this.tb = nb;
    this.apply(true);
    this.t.appendChild(nb);
    this.ths.forEach(function (h, j) {
      h.setAttribute("aria-sort", j === col ? (dir > 0 ? "ascending" : "descending") : "none");
    });
  };
  var tables = {};
  ["claims", "sources"].forEach(function (n) {
    if (D.getElementById(n + "-table")) tables[n] = new Table(n);
  });
  // Outside links open in a new tab, without a referrer or an opener.
  D.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.u") : null;
    if (a) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(D.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      d.setAttribute("data-printed", "");
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(D.querySelectorAll("details[data-printed]"), function (d) {
      d.open = false;
      d.removeAttribute("data-printed");
    });
  });
  window.citewatch = {
    tables: tables,
    apply: function (n) { return tables[n].apply(); },
    sort: function (n, col) { tables[n].sort(col); }
  };
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{sample_report, HOSTILE_CLAIM, HOSTILE_TITLE};

    fn rendered() -> String {
        crate::report::fixture::sample_rendered(crate::report::Format::Html)
    }

    #[test]
    fn sha256_known_answers() {
        let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(hex(sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(sha256(long)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn hostile_strings_are_text() {
        let html = rendered();
        assert!(!html.contains(HOSTILE_TITLE));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains(HOSTILE_CLAIM));
        assert!(!html.contains("<img"));
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains("Climate &amp; energy factsheet 2026 &lt;draft&gt;"));
    }

    #[test]
    fn only_http_urls_are_links() {
        let html = rendered();
        assert!(!html.contains("href=\"javascript:"));
        assert!(html.contains("<span class=\"u\">javascript:alert(2)</span>"));
        assert!(html.contains("<span class=\"u\">javascript:window.__xss=1</span>"));
        assert!(html.contains("href=\"https://stats.example.gov/table?y=2025&amp;m=all\""));
        assert!(is_http("HTTPS://x.org"));
        assert!(!is_http(" https://x.org"));
        assert!(!is_http("javascript:alert(1)//https://"));
        assert!(!is_http("https://"));
    }

    #[test]
    fn self_contained_with_csp() {
        let html = rendered();
        assert!(html.contains(&format!("script-src 'sha256-{}'", script_hash())));
        for bad in ["src=\"http", "href=\"//", "@import", "url(", "<link"] {
            assert!(!html.contains(bad), "{bad}");
        }
        assert!(!html.contains(" style=\""), "no inline styles per row");
    }

    #[test]
    fn tables_and_charts() {
        let (doc, _) = sample_report();
        let html = rendered();
        let claims = html.split("<table id=\"claims-table\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(claims.matches("<tr id=\"c").count(), doc.claims.len());
        let sources = html.split("<table id=\"sources-table\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(sources.matches("<tr id=\"s").count(), doc.sources.len());
        assert_eq!(html.matches("<svg").count(), 3);
        // The diff sits in a full-width row right after its claim's row, linked to its source.
        let row = claims.split("<tr class=\"dr\"").nth(1).expect("a diff row").split("</tr>").next().unwrap();
        assert!(
            row.contains(
                "<td colspan=\"5\"><details class=\"diff\" open><summary>What changed (4 lines) in <a href=\"#s5\""
            ),
            "{row}"
        );
        let before = claims.split("<tr class=\"dr\"").next().unwrap();
        assert!(before.rsplit("<tr id=").next().unwrap().contains("renewables-share"));
        // Changed words marked, hostile text escaped, lines not coloured whole.
        assert!(row.contains(
            "<span class=\"del\"><i>-</i> Renewables <del>31%</del> <del>&lt;b&gt;provisional&lt;/b&gt;</del></span>"
        ), "{row}");
        assert!(
            row.contains(
                "<span class=\"add\"><i>+</i> Renewables <ins>29%</ins> <ins>(revised) &amp; final</ins></span>"
            ),
            "{row}"
        );
        assert!(!sources.contains("<details"), "no diff squeezed into the sources table");
        assert!(
            sources.contains(
                "<a class=\"to-diff\" href=\"#c3-diff\">What changed: under climate-2026/renewables-share</a>"
            ),
            "{sources}"
        );
        assert!(html.contains("Quote not found:</span> <q>emissions were halved</q>"));
        assert!(html.contains(">87.3%</td>"));
        // flagged first
        let first = claims.find("data-f=\"broken\"").unwrap();
        let ok = claims.find("data-f=\"ok\"").unwrap();
        assert!(first < ok);
    }

    #[test]
    fn excluded_sources_are_listed_escaped() {
        let (mut doc, extras) = sample_report();
        assert!(!rendered().contains("id=\"excluded\""));
        doc.excluded.push(crate::report::model::ExcludedSource {
            url: "https://intranet.example.org/<x>".into(),
            claims: vec!["f/a".into(), "f/b".into()],
            pattern: "^https://intranet\\.".into(),
        });
        let mut out = Vec::new();
        render(&doc, &extras, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        let part = html.split("<section id=\"excluded\">").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(part.contains("Excluded <span class=\"mu\">1</span>"));
        assert!(part.contains("https://intranet.example.org/&lt;x&gt;"));
        assert!(part.contains("cited by f/a, f/b; pattern <code>^https://intranet\\.</code>"));
    }

    #[test]
    fn history_with_zero_and_one_run() {
        let (doc, mut extras) = sample_report();
        extras.history.clear();
        let mut out = Vec::new();
        render(&doc, &extras, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("No stored runs yet"));
        extras.history = vec![RunPoint { id: 1, started: "2026-01-01T00:00:00Z".into(), ..Default::default() }];
        let mut out = Vec::new();
        render(&doc, &extras, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("One run stored so far."));
        for svg in html.split("<svg").skip(1) {
            let svg = svg.split("</svg>").next().unwrap();
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }
}
