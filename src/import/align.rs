//! Placing a page's links on its sentences.
//!
//! Links are known only per page, in reading order. Each link is scored
//! against each candidate sentence (or footnote) by the words of its URL
//! (host name parts, path slug words, dates, text-fragment words), and the
//! links are placed by a monotone alignment (link i goes to sentence s_i,
//! s_i non-decreasing) maximising the total score. The confidence of a
//! placement is the margin between the best alignment and the best one
//! that puts the link elsewhere, combined with how much of the URL's
//! evidence the chosen sentence carries.

use std::collections::HashSet;

use super::words::{self, is_stopword};

/// Path/host words that say nothing about the content.
const GENERIC: &[&str] = &[
    "www",
    "com",
    "org",
    "net",
    "gov",
    "int",
    "edu",
    "mil",
    "fr",
    "en",
    "es",
    "de",
    "uk",
    "io",
    "co",
    "info",
    "html",
    "htm",
    "php",
    "aspx",
    "asp",
    "pdf",
    "xsp",
    "nsf",
    "cfm",
    "jsp",
    "news",
    "article",
    "articles",
    "item",
    "items",
    "post",
    "posts",
    "publication",
    "publications",
    "pages",
    "page",
    "sites",
    "site",
    "default",
    "files",
    "file",
    "wp",
    "content",
    "uploads",
    "upload",
    "documents",
    "document",
    "docs",
    "index",
    "id",
    "view",
    "detail",
    "details",
    "resource",
    "resources",
    "library",
    "single",
    "story",
    "stories",
    "features",
    "feature",
    "analysis",
    "briefing",
    "room",
    "press",
    "releases",
    "release",
    "update",
    "spotlight",
    "item",
    "us",
    "en-us",
    "world",
    "country",
    "countries",
    "http",
    "https",
    "applic",
    "dyn",
    "clr",
    "status",
    "text",
    "docid",
    "node",
    "fileadmin",
    "lang",
    "aboutus",
    "about",
    "our",
    "work",
    "where",
    "we",
    "x",
    "s",
    "a",
    "p",
    "f",
    "amp",
];

use super::words::MONTHS;

#[derive(Debug, Clone)]
pub(crate) struct LinkFeat {
    /// (word, weight, from_host)
    pub words: Vec<(String, f64, bool)>,
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn useful(w: &str) -> bool {
    if w.len() < 2 || is_stopword(w) || GENERIC.contains(&w) {
        return false;
    }
    let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return w.len() >= 3 || w == "un" || w == "eu";
    }
    // years only; ids and hashes say nothing
    digits == w.len() && w.len() == 4 && (w.starts_with("19") || w.starts_with("20"))
}

impl LinkFeat {
    pub fn new(url: &str) -> LinkFeat {
        let mut words: Vec<(String, f64, bool)> = Vec::new();
        let add = |w: String, weight: f64, host: bool, words: &mut Vec<(String, f64, bool)>| {
            if !useful(&w) {
                return;
            }
            let weight = if w.chars().all(|c| c.is_ascii_digit()) { weight.min(0.5) } else { weight };
            if let Some(e) = words.iter_mut().find(|e| e.0 == w) {
                if e.1 < weight {
                    e.1 = weight;
                }
            } else {
                words.push((w, weight, host));
            }
        };
        let (host, path, query, fragment) = match url::Url::parse(url) {
            Ok(u) => (
                u.host_str().unwrap_or("").to_string(),
                u.path().to_string(),
                u.query().unwrap_or("").to_string(),
                u.fragment().unwrap_or("").to_string(),
            ),
            Err(_) => (String::new(), url.to_string(), String::new(), String::new()),
        };
        for part in host.split('.') {
            for t in words::tokens(part) {
                add(t, 1.2, true, &mut words);
            }
        }
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for (i, seg) in segs.iter().enumerate() {
            let dec = percent_decode(seg);
            let last = i + 1 == segs.len() || (i + 2 == segs.len() && segs[i + 1].len() < 12);
            // split camelCase in readable segments
            let mut spaced = String::new();
            let mut prev_lower = false;
            for c in dec.chars() {
                if c.is_uppercase() && prev_lower {
                    spaced.push(' ');
                }
                prev_lower = c.is_lowercase();
                spaced.push(c);
            }
            for t in words::tokens(&spaced) {
                add(t, if last { 1.3 } else { 1.0 }, false, &mut words);
            }
            // date paths: /2022/08/07/
            if dec.len() == 2 && dec.chars().all(|c| c.is_ascii_digit()) && i > 0 && segs[i - 1].len() == 4 {
                if let Ok(m) = dec.parse::<usize>() {
                    if (1..=12).contains(&m) {
                        add(MONTHS[m - 1].to_string(), 0.4, false, &mut words);
                    }
                }
            }
        }
        if let Some(pos) = fragment.find(":~:text=") {
            let txt = percent_decode(&fragment[pos + 8..]);
            for t in words::tokens(&txt) {
                add(t, 2.5, false, &mut words);
            }
        }
        for kv in query.split('&') {
            let v = kv.split('=').nth(1).unwrap_or("");
            let k = kv.split('=').next().unwrap_or("");
            if k.contains("clkid") || k.eq_ignore_ascii_case("lang") || k.eq_ignore_ascii_case("langid") {
                continue;
            }
            for t in words::tokens(&percent_decode(v)) {
                add(t, 0.5, false, &mut words);
            }
        }
        LinkFeat { words }
    }

    pub fn total(&self) -> f64 {
        self.words.iter().map(|w| w.1).sum()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct UnitFeat {
    pub tokens: HashSet<String>,
    /// adjacent tokens glued (n = 2..4): "al jazeera" -> "aljazeera"
    pub glued: HashSet<String>,
    pub acronyms: HashSet<String>,
    /// words of footnotes the sentence points to
    pub note_tokens: HashSet<String>,
    pub citable: bool,
    pub list: bool,
}

fn acronyms(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let folded = words::fold_ascii(text);
    let ws: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric() && c != '&').filter(|w| !w.is_empty()).collect();
    let mut i = 0;
    while i < ws.len() {
        let mut run = String::new();
        let mut j = i;
        while j < ws.len() {
            let w = ws[j];
            if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                run.push(w.chars().next().unwrap_or('x').to_ascii_lowercase());
            } else if matches!(w, "of" | "and" | "for" | "the" | "&" | "on" | "in") && !run.is_empty() {
            } else {
                break;
            }
            j += 1;
        }
        if run.len() >= 2 {
            // all prefixes of length >= 2 of the run, and suffixes
            for a in 0..run.len() {
                for b in a + 2..=run.len() {
                    out.insert(run[a..b].to_string());
                }
            }
        }
        i = j.max(i + 1);
    }
    out
}

impl UnitFeat {
    pub fn new(text: &str, notes: &str) -> UnitFeat {
        let raw = words::tokens(text);
        let tokens: HashSet<String> = raw.iter().filter(|t| !is_stopword(t)).cloned().collect();
        let mut glued = HashSet::new();
        for n in 2..=4 {
            for w in raw.windows(n) {
                glued.insert(w.concat());
            }
        }
        let note_tokens = words::tokens(notes).into_iter().filter(|t| !is_stopword(t)).collect();
        let lower = text.to_lowercase();
        let citable = text.chars().any(|c| c.is_ascii_digit())
            || text.contains('“')
            || text.contains('"')
            || ["report", "according", "said", "stated", "found", "documented"].iter().any(|w| lower.contains(w));
        UnitFeat { tokens, glued, acronyms: acronyms(text), note_tokens, citable, list: false }
    }

    /// How well one URL word is supported (0..1).
    fn support(&self, w: &str, host: bool) -> f64 {
        if self.tokens.contains(w) || self.glued.contains(w) {
            return 1.0;
        }
        if self.acronyms.contains(w) {
            return if host { 0.9 } else { 0.8 };
        }
        let mut best: f64 = 0.0;
        if self.note_tokens.contains(w) {
            best = 0.6;
        }
        if w.len() >= 5 && !w.chars().all(|c| c.is_ascii_digit()) {
            for t in &self.tokens {
                if t.len() < 4 {
                    continue;
                }
                let common = w.chars().zip(t.chars()).take_while(|(a, b)| a == b).count();
                let need = 5.max((w.len().min(t.len()) * 3).div_ceil(4));
                if common >= need {
                    best = best.max(0.7);
                }
                if host && t.len() >= 4 && w.contains(t.as_str()) {
                    best = best.max(0.6);
                }
            }
        }
        best
    }
}

/// Score matrix entry: evidence of link `l` in unit `u`, with `df` giving
/// how many units of the page support each link word.
fn evidence(l: &LinkFeat, u: &UnitFeat, df: &[f64]) -> (f64, f64) {
    let mut score = 0.0;
    let mut matched = 0.0;
    for (k, (w, weight, host)) in l.words.iter().enumerate() {
        let s = u.support(w, *host);
        if s > 0.0 {
            score += weight * s / df[k].max(1.0).sqrt();
            matched += weight * s;
        }
    }
    (score, matched)
}

/// Place links on units. Returns, for each link, (unit index, confidence).
pub(crate) fn align(links: &[LinkFeat], units: &[UnitFeat]) -> Vec<(usize, f64)> {
    let m = links.len();
    let k = units.len();
    if m == 0 {
        return Vec::new();
    }
    if k == 1 {
        return links.iter().map(|_| (0, 1.0)).collect();
    }
    // score[i][j]
    let mut score = vec![vec![0.0f64; k]; m];
    let mut frac = vec![vec![0.0f64; k]; m];
    for (i, l) in links.iter().enumerate() {
        let df: Vec<f64> = l
            .words
            .iter()
            .map(|(w, _, host)| units.iter().filter(|u| u.support(w, *host) >= 0.9).count() as f64)
            .collect();
        let total = l.total().max(1e-9);
        let expected = (i as f64 + 0.5) / m as f64;
        for (j, u) in units.iter().enumerate() {
            let (s, matched) = evidence(l, u, &df);
            let pos = (j as f64 + 0.5) / k as f64;
            let prior = -0.3 * (pos - expected).abs() + if u.citable { 0.15 } else { 0.0 };
            score[i][j] = s + prior;
            frac[i][j] = (matched / total).min(1.0);
        }
    }
    // staying on the unit of the previous link costs a little (a lot for
    // list items, which usually carry one link each)
    let stay: Vec<f64> = units.iter().map(|u| if u.list { 0.6 } else { 0.05 }).collect();
    // forward: f[i][j] best total of links 0..=i with link i at j
    let neg = f64::NEG_INFINITY;
    let mut f = vec![vec![neg; k]; m];
    f[0][..k].copy_from_slice(&score[0][..k]);
    for i in 1..m {
        let mut run = neg; // best f[i-1][j'] for j' < j
        for j in 0..k {
            let here = f[i - 1][j] - stay[j];
            f[i][j] = run.max(here) + score[i][j];
            run = run.max(f[i - 1][j]);
        }
    }
    // backward: b[i][j] best total of links i..m with link i at j
    let mut b = vec![vec![neg; k]; m];
    b[m - 1][..k].copy_from_slice(&score[m - 1][..k]);
    for i in (0..m - 1).rev() {
        let mut run = neg; // best b[i+1][j'] for j' > j
        for j in (0..k).rev() {
            let here = b[i + 1][j] - stay[j];
            b[i][j] = run.max(here) + score[i][j];
            run = run.max(b[i + 1][j]);
        }
    }
    // backtrack the best path
    let mut path = vec![0usize; m];
    let mut best_j = 0;
    for j in 0..k {
        if f[m - 1][j] > f[m - 1][best_j] + 1e-12 {
            best_j = j;
        }
    }
    path[m - 1] = best_j;
    for i in (0..m - 1).rev() {
        let t = path[i + 1];
        let val = |j: usize| f[i][j] - if j == t { stay[t] } else { 0.0 };
        let mut bj = 0;
        for j in 0..=t {
            if val(j) > val(bj) + 1e-12 {
                bj = j;
            }
        }
        path[i] = bj;
    }
    let best_total = f[m - 1][best_j];
    (0..m)
        .map(|i| {
            let j = path[i];
            let mut second = neg;
            for jj in 0..k {
                if jj != j {
                    second = second.max(f[i][jj] + b[i][jj] - score[i][jj]);
                }
            }
            let margin = if second == neg { 10.0 } else { (best_total - second).max(0.0) };
            let c_margin = 1.0 - (-margin / 0.8).exp();
            let conf = 0.6 * c_margin + 0.4 * frac[i][j];
            (j, conf.clamp(0.0, 1.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_words() {
        let l = LinkFeat::new("https://www.hrw.org/news/2022/03/15/mali-new-wave-executions-civilians");
        let ws: Vec<&str> = l.words.iter().map(|w| w.0.as_str()).collect();
        assert!(ws.contains(&"hrw"));
        assert!(ws.contains(&"executions"));
        assert!(ws.contains(&"2022"));
        assert!(!ws.contains(&"news"));
        let f = LinkFeat::new("https://x.org/a#:~:text=Sweden%20has%20decided%20to%20withdraw");
        assert!(f.words.iter().any(|w| w.0 == "sweden" && w.1 > 2.0));
    }

    #[test]
    fn monotone_alignment_follows_words() {
        let units = vec![
            UnitFeat::new("Human Rights Watch (HRW) reported executions of civilians.", ""),
            UnitFeat::new("Sweden withdrew its troops.", ""),
            UnitFeat::new("Al Jazeera reported that refugees fled to Mauritania.", ""),
        ];
        let links = vec![
            LinkFeat::new("https://www.hrw.org/news/2022/03/15/mali-new-wave-executions-civilians"),
            LinkFeat::new("https://turkishpress.com/sweden-to-withdraw-troops-from-mali/"),
            LinkFeat::new("https://www.aljazeera.com/features/2022/6/28/russias-wagner-mercenaries-in-mali-drive-refugees-to-mauritania"),
        ];
        let p = align(&links, &units);
        assert_eq!(p.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert!(p.iter().all(|x| x.1 > 0.5), "{p:?}");
    }
}
