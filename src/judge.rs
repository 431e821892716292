//! Stage 5: judge. Pure rules that turn what was fetched into each source's
//! health and each claim's verdict with its reasons in plain words.

use crate::claims::Claim;
use crate::extract::{Extracted, Kind};
use crate::fetch::Failure;
use crate::model::{Content, Health, Verdict};
use crate::report::model::{Hop, QuoteReport};
use crate::text::normalize;

/// What the fetch said about one URL, for the health rules.
pub struct HttpFacts<'a> {
    /// The URL asked for first.
    pub original: &'a url::Url,
    /// Final status, when a response came.
    pub status: Option<u16>,
    /// Why no response came.
    pub failure: Option<&'a Failure>,
    /// Redirect hops.
    pub hops: &'a [Hop],
    /// The last URL asked for.
    pub final_url: &'a str,
    /// The server marked the response as a bot challenge.
    pub mitigated: bool,
    /// Attempts made.
    pub attempts: u32,
    /// The text of a 2xx body.
    pub extracted: Option<&'a Extracted>,
    /// The statuses counted as fine (`accept`); `None`: 2xx.
    pub accept: Option<&'a crate::statuses::StatusSet>,
}

/// A title or heading segment that *is* a "not found" message (not one that
/// merely mentions the words, as headlines do: "Russia says Wagner 'does not
/// exist' in Mali"), in the languages of the sources seen so far. Matched on
/// normalised text, the whole segment.
fn not_found_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?x)^(?:
              (?:error\ |erreur\ |fehler\ |http\ )?404(?:\ error|\ not\ found|\ page\ not\ found|\ page)?
            | (?:(?:oops|whoops|sorry|uh\ oh)[!.,]*\ )?(?:(?:the|this|that)\ )?(?:page|file|document|article|resource|content|url)?
              (?:\ you\ (?:requested|are\ looking\ for|were\ looking\ for|tried\ to\ access))?
              \ ?(?:(?:could\ not|couldn't|cannot|can't|can\ not)\ be\ found
                  |(?:was\ |is\ |has\ been\ )?(?:not\ found|removed|deleted|no\ longer\ available|unavailable))
            | (?:(?:oops|whoops|sorry)[!.,]*\ )?(?:the\ |this\ )?(?:page|file|document|article)(?:\ you\ (?:requested|are\ looking\ for))?\ (?:does\ not|doesn't|no\ longer)\ exists?
            | (?:(?:oops|whoops|sorry)[!.,]*\ )?we\ (?:can't|cannot|could\ not|couldn't)\ find\ (?:that|this|the)\ page
            | (?:desole[!.,]*\ )?(?:la\ |cette\ )?page\ (?:demandee\ )?(?:est\ )?(?:introuvable|non\ trouvee|inexistante|n'existe\ (?:pas|plus))
            | (?:erreur\ )?page\ introuvable
            | (?:lo\ sentimos[!.,]*\ )?(?:la\ )?pagina\ (?:no\ encontrada|no\ existe|no\ se\ (?:ha\ )?encontrado)
            | (?:die\ )?seite\ (?:wurde\ )?nicht\ gefunden
            | pagina\ non\ trovata | pagina\ nao\ encontrada
            | (?:this\ |the\ )?domain(?:\ name)?\ (?:\S+\ )?(?:is|may\ be)\ for\ sale
            | \S+\ is\ for\ sale
            )[.!]*$",
        )
        .expect("not-found pattern")
    })
}

/// The title or heading of a short page that is a "not found" message.
fn looks_not_found(e: &Extracted) -> Option<String> {
    // Real "not found" pages say little; an article of some length is not one.
    if e.main.len() > 2500 {
        return None;
    }
    for t in [e.title.as_deref(), e.h1.as_deref()].into_iter().flatten() {
        let n = normalize(t);
        let says = n
            .split(['|', '–', '—', ':', '»', '·'])
            .flat_map(|seg| seg.split(" - "))
            .map(|seg| seg.trim().trim_end_matches(['.', '!']).trim())
            .any(|seg| !seg.is_empty() && not_found_re().is_match(seg));
        if says {
            return Some(t.chars().take(80).collect());
        }
    }
    None
}

/// Language codes that stand for a site's home page in a path ("/fr/").
const LANGS: &[&str] = &[
    "en", "fr", "es", "de", "it", "pt", "ar", "ru", "zh", "ja", "ko", "nl", "pl", "tr", "sv", "no", "da", "fi", "el",
    "he", "hi", "id", "ms", "th", "vi", "uk", "cs", "ro", "hu", "bg", "fa", "sw", "ha", "bm", "wo", "am",
];

fn is_home(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return true;
    }
    let lower = p.to_ascii_lowercase();
    let segs: Vec<&str> = lower.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        [one] => {
            matches!(*one, "index.html" | "index.htm" | "index.php" | "home" | "default.aspx" | "accueil")
                || LANGS.contains(one)
                || (one.len() == 5 && one.as_bytes()[2] == b'-' && LANGS.contains(&&one[..2]))
        }
        [lang, idx] if LANGS.contains(lang) => matches!(*idx, "index.html" | "home" | "accueil"),
        _ => false,
    }
}

/// The health of a source and the reason in words.
pub fn health(f: &HttpFacts<'_>) -> (Health, Option<String>) {
    if let Some(fail) = f.failure {
        return match fail {
            Failure::NoSuchHost(_) => (Health::Broken, Some(fail.describe())),
            _ => (Health::Error, Some(fail.describe())),
        };
    }
    let Some(status) = f.status else {
        return (Health::Error, Some("no response".into()));
    };
    let challenge = f.mitigated || f.extracted.is_some_and(|e| e.challenge);
    if let Some(accept) = f.accept.filter(|_| status != 304) {
        let success = (200..300).contains(&status);
        if accept.contains(status) && !success {
            return (Health::Ok, Some(format!("HTTP {status}, counted as fine (accept)")));
        }
        if !accept.contains(status) && success {
            return (Health::Error, Some(format!("HTTP {status}, not among the accepted statuses (accept)")));
        }
    }
    match status {
        200..=299 | 304 => {
            if challenge {
                return (Health::Blocked, Some(format!("HTTP {status}: a bot challenge page instead of the content")));
            }
            let final_url = url::Url::parse(f.final_url).ok();
            if let Some(fu) = &final_url {
                if !f.hops.is_empty() && is_home(fu.path()) && !is_home(f.original.path()) {
                    return (Health::Broken, Some("soft-404: redirected to the home page".into()));
                }
                let fp = fu.path().to_ascii_lowercase();
                let op = f.original.path().to_ascii_lowercase();
                let error_path = |p: &str| {
                    p.contains("/404") || p.contains("notfound") || p.contains("not-found") || p.contains("error404")
                };
                if !f.hops.is_empty() && error_path(&fp) && !error_path(&op) {
                    return (Health::Broken, Some(format!("soft-404: redirected to an error page ({})", fu.path())));
                }
            }
            if let Some(fu) = &final_url {
                let login = |p: &str| {
                    let p = p.to_ascii_lowercase();
                    ["/login", "/signin", "/sign-in", "/sign_in", "/logon", "/auth/", "/sso/", "/account/login"]
                        .iter()
                        .any(|w| p.contains(w))
                };
                if !f.hops.is_empty() && login(fu.path()) && !login(f.original.path()) {
                    return (Health::Blocked, Some(format!("redirected to a login page ({})", fu.path())));
                }
            }
            if let Some(title) = f.extracted.and_then(looks_not_found) {
                return (Health::Broken, Some(format!("soft-404: HTTP {status} but the page says \"{title}\"")));
            }
            let permanent = f.hops.iter().any(|h| matches!(h.status, 301 | 308));
            if permanent && f.final_url != f.original.as_str() {
                return (Health::Redirected, Some(format!("moved permanently to {}", f.final_url)));
            }
            (Health::Ok, None)
        }
        404 | 410 => (Health::Broken, Some(format!("HTTP {status}"))),
        401 | 403 if challenge => (Health::Blocked, Some(format!("HTTP {status}: bot challenge"))),
        401 | 403 => (Health::Blocked, Some(format!("HTTP {status}: access refused"))),
        429 => (
            Health::Blocked,
            Some(format!("HTTP 429: rate-limited ({} attempt{})", f.attempts, if f.attempts == 1 { "" } else { "s" })),
        ),
        451 => (Health::Blocked, Some("HTTP 451: unavailable for legal reasons".into())),
        500..=599 if challenge => (Health::Blocked, Some(format!("HTTP {status}: bot challenge"))),
        _ => (Health::Error, Some(format!("HTTP {status}"))),
    }
}

/// One source of a claim as judged.
#[derive(Debug, Clone)]
pub struct SourceView {
    /// As cited.
    pub url: String,
    /// Health this run.
    pub health: Health,
    /// Content state this run.
    pub content: Content,
    /// Similarity to the baseline when changed.
    pub similarity: Option<f64>,
    /// The health reason.
    pub reason: Option<String>,
    /// RFC 3339 date the current failure began.
    pub failing_since: Option<String>,
    /// Quotes checked in this source.
    pub quotes: Vec<QuoteReport>,
    /// "failing 2/3" while a failure is not yet confirmed.
    pub unconfirmed: Option<String>,
}

/// Checks the quotes of one cite of `claim` against a source's full text as
/// folded by `text::searchable` (`None` when the source could not be read).
pub fn check_quotes(claim: &Claim, cite: &crate::claims::Cite, hay: Option<&str>) -> Vec<QuoteReport> {
    let plain = |text: &str, origin: &str| {
        let found = hay.map(|h| crate::text::find(h, &crate::text::query(text)).is_some());
        QuoteReport {
            text: text.to_string(),
            found,
            origin: origin.into(),
            near: hay.filter(|_| found == Some(false)).and_then(|h| near_figure(h, text)),
            ..QuoteReport::default()
        }
    };
    let mut out: Vec<QuoteReport> = claim.quotes.iter().map(|q| plain(q, "claim")).collect();
    out.extend(cite.quotes.iter().map(|q| plain(q, "source")));
    out.extend(cite.fragments.iter().map(|f| QuoteReport {
        text: f.display(),
        found: hay.map(|h| crate::text::find_fragment(h, &f.query()).is_some()),
        origin: "fragment".into(),
        warning: f.unapplied.clone(),
        ..QuoteReport::default()
    }));
    out
}

/// Where a quote with figures is not found in `hay` (folded by
/// `text::searchable`): the first words of `hay` that differ from it in its
/// figures alone ("more than 5,000 incidents" for "more than 6,000
/// incidents"), on word boundaries and within one block; `None` when the
/// quote has no figure or no such words are there.
pub fn near_figure(hay: &str, quote: &str) -> Option<String> {
    static NUM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    const ANY_NUMBER: &str = r"\d+(?:[.,' ]\d+)*";
    let num = NUM.get_or_init(|| regex::Regex::new(ANY_NUMBER).expect("number pattern"));
    let q = crate::text::query(quote);
    if !num.is_match(&q) {
        return None;
    }
    let mut pattern = String::new();
    let mut last = 0;
    for m in num.find_iter(&q) {
        pattern.push_str(&regex::escape(&q[last..m.start()]));
        pattern.push_str(ANY_NUMBER);
        last = m.end();
    }
    pattern.push_str(&regex::escape(&q[last..]));
    let re = regex::RegexBuilder::new(&pattern).size_limit(1 << 20).build().ok()?;
    let near = re
        .find_iter(hay)
        .find(|m| {
            crate::text::is_word_boundary(hay, m.start())
                && crate::text::is_word_boundary(hay, m.end())
                && m.as_str() != q
        })
        .map(|m| m.as_str().to_string());
    near
}

/// Why browsers will not apply a text fragment to a source read as `kind`
/// with this Content-Type: the spec applies text directives to `text/html`
/// and `text/plain` documents only (a body without a Content-Type is taken
/// as browsers sniff it).
pub fn fragments_unapplied(kind: Kind, content_type: Option<&str>) -> Option<String> {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty());
    let essence = match (essence, kind) {
        (Some(e), _) => e,
        (None, Kind::Html) => "text/html".into(),
        (None, Kind::Text) => "text/plain".into(),
        (None, Kind::Pdf) => "application/pdf".into(),
        (None, Kind::Other) => "an unknown type".into(),
    };
    (!matches!(essence.as_str(), "text/html" | "text/plain")).then(|| {
        format!("the source is {essence}; browsers highlight text fragments in HTML and plain-text pages only")
    })
}

/// Marks the text fragments of `quotes` with `warning` (see `fragments_unapplied`).
pub fn warn_fragments(quotes: &mut [Vec<QuoteReport>], warning: Option<&str>) {
    let Some(w) = warning else { return };
    for q in quotes.iter_mut().flatten().filter(|q| q.origin == "fragment" && q.warning.is_none()) {
        q.warning = Some(w.to_string());
    }
}

/// The tracked figures of `claim` in one source: those of its text that the
/// source's normalised baseline carries (and no quote already covers),
/// looked for in the current text (`None` when unread).
pub fn track_figures(claim: &Claim, baseline: &str, hay: Option<&str>, quotes: &[QuoteReport]) -> Vec<QuoteReport> {
    let covered: Vec<String> = quotes.iter().map(|q| normalize(&q.text)).collect();
    crate::figures::tracked(&claim.text, baseline)
        .into_iter()
        .filter(|f| !covered.iter().any(|c| c.contains(f.as_str())))
        .map(|f| {
            let found = hay.map(|h| crate::text::find(h, &f).is_some());
            let now = match (found, hay) {
                (Some(false), Some(h)) => crate::figures::replacement(baseline, h, &f),
                _ => None,
            };
            QuoteReport {
                text: as_written(&claim.text, &f),
                found,
                origin: "tracked".into(),
                tracked: true,
                now,
                near: None,
                in_baseline: Some(true),
                warning: None,
            }
        })
        .collect()
}

/// The figure as the claim writes it ("December 2021", not "december 2021"),
/// or the normalised form when it cannot be found back.
fn as_written(text: &str, normalised: &str) -> String {
    let pattern = format!("(?i){}", regex::escape(normalised).replace(' ', r"\s+"));
    regex::Regex::new(&pattern)
        .ok()
        .and_then(|re| re.find(text).map(|m| m.as_str().to_string()))
        .unwrap_or_else(|| normalised.to_string())
}

fn percent(sim: f64) -> String {
    format!("{:.0}%", (sim * 100.0).floor())
}

/// A claim's verdict and reasons, from its sources as judged.
pub fn verdict(claim: &Claim, sources: &[SourceView]) -> (Verdict, Vec<String>) {
    let mut found: Vec<(Verdict, String)> = Vec::new();
    for s in sources {
        match s.health {
            Health::Broken => {
                let mut r = s.reason.clone().unwrap_or_else(|| "broken".into());
                if let Some(label) = &s.unconfirmed {
                    r.push_str(&format!(" ({label})"));
                } else if let Some(since) = &s.failing_since {
                    r.push_str(&format!(" (first seen failing {})", &since[..since.len().min(10)]));
                }
                found.push((Verdict::Broken, format!("{r}: {}", s.url)));
            }
            Health::Blocked | Health::Error => {
                let mut r = s.reason.clone().unwrap_or_else(|| s.health.as_str().into());
                if let Some(label) = &s.unconfirmed {
                    r.push_str(&format!(" ({label})"));
                }
                found.push((Verdict::Unverified, format!("could not check {}: {r}", s.url)));
            }
            Health::Ok | Health::Redirected => {
                if s.content == Content::Unknown {
                    let r = s.reason.clone().unwrap_or_else(|| "not read".into());
                    found.push((Verdict::Unverified, format!("could not read {}: {r}", s.url)));
                }
            }
        }
        if s.content == Content::Changed {
            let sim = s.similarity.map(|x| format!(" ({} similar to baseline)", percent(x))).unwrap_or_default();
            found.push((Verdict::Changed, format!("content changed{sim}: {}", s.url)));
        }
        for q in s.quotes.iter().filter(|q| q.origin == "fragment") {
            if let Some(w) = &q.warning {
                let r = format!("text fragment \"{}\" will not highlight for readers ({w}): {}", q.text, s.url);
                found.push((Verdict::Ok, r));
            }
        }
        // A link's text directives work as a browser follows them: the link
        // highlights when any of them is on the page, so one that is not is
        // said, not flagged, while another still highlights.
        let highlights =
            s.quotes.iter().find(|q| q.origin == "fragment" && q.found == Some(true)).map(|q| q.text.as_str());
        for q in s.quotes.iter().filter(|q| q.origin != "claim") {
            if let (Some(other), "fragment", Some(false)) = (highlights, q.origin.as_str(), q.found) {
                let r = format!(
                    "text fragment \"{}\" is not on the page; the link still highlights \"{other}\": {}",
                    q.text, s.url
                );
                found.push((Verdict::Ok, r));
                continue;
            }
            if q.found == Some(false) {
                let was_there = q.in_baseline.unwrap_or(s.content != Content::New);
                let gone = if was_there { "no longer found" } else { "not found" };
                let reason = match (&q.now, q.tracked) {
                    (Some(now), _) => format!("source now says {now} where it said {}: {}", q.text, s.url),
                    (None, true) => format!("figure \"{}\" {gone} in {}", q.text, s.url),
                    (None, false) => {
                        let near = q.near.as_deref().map(|n| format!("; the source says \"{n}\"")).unwrap_or_default();
                        format!("quote \"{}\" {gone} in {}{near}", q.text, s.url)
                    }
                };
                found.push((Verdict::Unsupported, reason));
            }
        }
    }
    for q in &claim.quotes {
        let results: Vec<Option<bool>> = sources
            .iter()
            .flat_map(|s| s.quotes.iter().filter(|r| r.origin == "claim" && &r.text == q).map(|r| r.found))
            .collect();
        if results.contains(&Some(true)) {
            continue;
        }
        if results.contains(&None) {
            found.push((Verdict::Unverified, format!("quote \"{q}\" could not be checked: a source was not read")));
        } else {
            let baseline: Vec<Option<bool>> = sources
                .iter()
                .flat_map(|s| s.quotes.iter().filter(|r| r.origin == "claim" && &r.text == q).map(|r| r.in_baseline))
                .collect();
            let was_there = if baseline.iter().all(Option::is_none) {
                !sources.iter().all(|s| s.content == Content::New)
            } else {
                baseline.contains(&Some(true))
            };
            let gone = if was_there { "no longer found in any source" } else { "not found in any source" };
            // The words a source has with other figures, if any.
            let near = sources.iter().find_map(|s| {
                s.quotes.iter().find(|r| r.origin == "claim" && &r.text == q).and_then(|r| r.near.as_deref()).map(|n| {
                    let who = if sources.len() == 1 { "the source".to_string() } else { s.url.clone() };
                    format!("; {who} says \"{n}\"")
                })
            });
            found.push((Verdict::Unsupported, format!("quote \"{q}\" {gone}{}", near.unwrap_or_default())));
        }
    }
    let verdict = found.iter().map(|(v, _)| *v).max().unwrap_or(Verdict::Ok);
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    (verdict, found.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_quote_differs_in_its_figures_alone() {
        let hay = crate::text::searchable("Officials counted 15,000 people.\nMore than 5,000 incidents were recorded since 1840.\nIt rose 12% in 2021.", true);
        assert_eq!(near_figure(&hay, "more than 6,000 incidents").as_deref(), Some("more than 5,000 incidents"));
        assert_eq!(near_figure(&hay, "It rose 14% in 2020").as_deref(), Some("it rose 12% in 2021"));
        // A number is whole: "5,000 people" is not inside "15,000 people".
        assert_eq!(near_figure(&hay, "counted 5,000 people").as_deref(), Some("counted 15,000 people"));
        assert_eq!(
            near_figure(&hay, "officials counted 5,000 people.").as_deref(),
            Some("officials counted 15,000 people.")
        );
        assert_eq!(near_figure(&hay, "no figure here"), None);
        assert_eq!(near_figure(&hay, "people. More than 5 incidents"), None, "not across blocks");
        assert_eq!(near_figure(&hay, "more than 5,000 incidents"), None, "found as is: nothing near");
    }

    fn page(title: &str, main: &str) -> Extracted {
        Extracted {
            kind: Kind::Html,
            title: Some(title.into()),
            h1: None,
            main: main.into(),
            full: main.into(),
            failure: None,
            challenge: false,
        }
    }

    fn facts<'a>(
        orig: &'a url::Url,
        status: u16,
        hops: &'a [Hop],
        fin: &'a str,
        e: Option<&'a Extracted>,
    ) -> HttpFacts<'a> {
        HttpFacts {
            original: orig,
            status: Some(status),
            failure: None,
            hops,
            final_url: fin,
            mitigated: false,
            attempts: 1,
            extracted: e,
            accept: None,
        }
    }

    #[test]
    fn accepted_statuses_count_as_fine() {
        let orig = url::Url::parse("https://x.org/a").unwrap();
        let set = crate::statuses::StatusSet::parse("200..=299, 403").unwrap();
        let mut f = facts(&orig, 403, &[], "https://x.org/a", None);
        assert_eq!(health(&f).0, Health::Blocked);
        f.accept = Some(&set);
        let (h, reason) = health(&f);
        assert_eq!(h, Health::Ok);
        assert!(reason.unwrap().contains("accept"));
        f.status = Some(404);
        assert_eq!(health(&f).0, Health::Broken);
        let only = crate::statuses::StatusSet::parse("200").unwrap();
        f.accept = Some(&only);
        f.status = Some(204);
        assert_eq!(health(&f).0, Health::Error);
        f.status = Some(200);
        assert_eq!(health(&f).0, Health::Ok);
    }

    #[test]
    fn health_classes() {
        let u: url::Url = "https://ex.org/report/mali-2021".parse().unwrap();
        let ok = page("Mali report", "A long text.");
        assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&ok))).0, Health::Ok);
        assert_eq!(health(&facts(&u, 404, &[], u.as_str(), None)).0, Health::Broken);
        assert_eq!(health(&facts(&u, 410, &[], u.as_str(), None)).0, Health::Broken);
        assert_eq!(health(&facts(&u, 403, &[], u.as_str(), None)).0, Health::Blocked);
        assert_eq!(health(&facts(&u, 429, &[], u.as_str(), None)).0, Health::Blocked);
        assert_eq!(health(&facts(&u, 503, &[], u.as_str(), None)).0, Health::Error);
        let hops = [Hop { url: u.to_string(), status: 301 }];
        let (h, r) = health(&facts(&u, 200, &hops, "https://ex.org/new/mali-2021", Some(&ok)));
        assert_eq!(h, Health::Redirected);
        assert!(r.unwrap().contains("moved permanently"));
        let temp = [Hop { url: u.to_string(), status: 302 }];
        assert_eq!(health(&facts(&u, 200, &temp, "https://ex.org/new/mali-2021", Some(&ok))).0, Health::Ok);
        let (h, r) = health(&facts(&u, 200, &hops, "https://ex.org/", Some(&ok)));
        assert_eq!(h, Health::Broken);
        assert_eq!(r.unwrap(), "soft-404: redirected to the home page");
        assert_eq!(health(&facts(&u, 200, &hops, "https://ex.org/fr/", Some(&ok))).0, Health::Broken);
        let login = [Hop { url: u.to_string(), status: 302 }];
        let (h, r) = health(&facts(&u, 200, &login, "https://ex.org/account/login?next=/report", Some(&ok)));
        assert_eq!(h, Health::Blocked, "{r:?}");
        let gone = page("Oops", "x");
        let mut gone = gone;
        gone.h1 = Some("Sorry, the page you are looking for does not exist.".into());
        assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&gone))).0, Health::Broken);
        for headline in [
            "Au Mali, l'État n'existe plus dans le centre du pays – RFI",
            "Russia says Wagner 'does not exist' in Mali",
            "Mali : l'otage français toujours introuvable",
            "Dozens of civilians not found after the attack",
        ] {
            let real = page(headline, "A short article.");
            assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&real))).0, Health::Ok, "{headline}");
        }
        for title in [
            "404",
            "Error 404 - Example News",
            "Page not found | UN News",
            "Oops! That page can’t be found.",
            "Seite nicht gefunden",
            "Página no encontrada – El País",
        ] {
            let nf = page(title, "Sorry.");
            assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&nf))).0, Health::Broken, "{title}");
        }
        let short = [Hop { url: u.to_string(), status: 301 }];
        assert_eq!(health(&facts(&u, 200, &short, "https://ex.org/ok", Some(&ok))).0, Health::Redirected);
        let nf = page("Page introuvable | Ministère", "Désolé.");
        assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&nf))).0, Health::Broken);
        let mut ch = page("Just a moment...", "");
        ch.challenge = true;
        assert_eq!(health(&facts(&u, 403, &[], u.as_str(), Some(&ch))).0, Health::Blocked);
        assert_eq!(health(&facts(&u, 200, &[], u.as_str(), Some(&ch))).0, Health::Blocked);
        let f = Failure::NoSuchHost("ex.org".into());
        let mut x = facts(&u, 0, &[], u.as_str(), None);
        x.status = None;
        x.failure = Some(&f);
        assert_eq!(health(&x).0, Health::Broken);
        let f = Failure::Timeout(std::time::Duration::from_secs(20));
        x.failure = Some(&f);
        assert_eq!(health(&x), (Health::Error, Some("timed out after 20 s".into())));
    }

    fn claim(quotes: &[&str]) -> Claim {
        Claim {
            id: "c".into(),
            text: "t".into(),
            where_: None,
            quotes: quotes.iter().map(|s| s.to_string()).collect(),
            sources: vec![],
            confidence: None,
            line: 1,
        }
    }

    fn src(health: Health, content: Content, quotes: Vec<QuoteReport>) -> SourceView {
        SourceView {
            unconfirmed: None,
            url: "https://a.org/x".into(),
            health,
            content,
            similarity: Some(0.82),
            reason: None,
            failing_since: None,
            quotes,
        }
    }

    fn q(text: &str, found: Option<bool>, origin: &str) -> QuoteReport {
        QuoteReport { text: text.into(), found, origin: origin.into(), ..QuoteReport::default() }
    }

    #[test]
    fn figures_are_shown_as_written() {
        assert_eq!(as_written("In December  2021, 401,850 people", "december 2021"), "December  2021");
        assert_eq!(as_written("En février 2022", "fevrier 2022"), "fevrier 2022");
    }

    #[test]
    fn verdicts_worst_first() {
        let c = claim(&["401,850"]);
        let ok = src(Health::Ok, Content::Unchanged, vec![q("401,850", Some(true), "claim")]);
        assert_eq!(verdict(&c, std::slice::from_ref(&ok)).0, Verdict::Ok);
        // Found in one source is enough for a claim quote.
        let miss = src(Health::Ok, Content::Unchanged, vec![q("401,850", Some(false), "claim")]);
        assert_eq!(verdict(&c, &[ok.clone(), miss.clone()]).0, Verdict::Ok);
        let (v, r) = verdict(&c, std::slice::from_ref(&miss));
        assert_eq!(v, Verdict::Unsupported);
        assert_eq!(r, vec!["quote \"401,850\" no longer found in any source"]);
        // Missing where it was read, unknown where it was not: unverified.
        let down = src(Health::Error, Content::Unknown, vec![q("401,850", None, "claim")]);
        assert_eq!(verdict(&c, &[miss.clone(), down.clone()]).0, Verdict::Unverified);
        let changed = src(Health::Ok, Content::Changed, vec![q("401,850", Some(true), "claim")]);
        let (v, r) = verdict(&c, &[changed]);
        assert_eq!(v, Verdict::Changed);
        assert!(r[0].starts_with("content changed (82% similar to baseline)"));
        let mut gone = src(Health::Broken, Content::Unknown, vec![q("401,850", None, "claim")]);
        gone.reason = Some("HTTP 404".into());
        gone.failing_since = Some("2026-11-20T01:00:00Z".into());
        let (v, r) = verdict(&c, &[gone, ok]);
        assert_eq!(v, Verdict::Broken);
        assert!(r[0].starts_with("HTTP 404 (first seen failing 2026-11-20)"), "{r:?}");
        let frag = src(Health::Ok, Content::New, vec![q("35 people", Some(false), "fragment")]);
        let (v, r) = verdict(&claim(&[]), &[frag]);
        assert_eq!(v, Verdict::Unsupported);
        assert!(r[0].contains("\"35 people\" not found"));
        // Several directives: the link works while any of them highlights.
        let two = src(
            Health::Ok,
            Content::New,
            vec![q("none", Some(false), "fragment"), q("test page", Some(true), "fragment")],
        );
        let (v, r) = verdict(&claim(&[]), &[two]);
        assert_eq!(v, Verdict::Ok);
        assert!(r[0].contains("\"none\" is not on the page; the link still highlights \"test page\""), "{r:?}");
        let neither =
            src(Health::Ok, Content::New, vec![q("tes", Some(false), "fragment"), q("age", Some(false), "fragment")]);
        assert_eq!(verdict(&claim(&[]), &[neither]).0, Verdict::Unsupported);
        // A source's own quote is required whatever the fragments do.
        let quoted = src(
            Health::Ok,
            Content::New,
            vec![q("test page", Some(true), "fragment"), q("401,850", Some(false), "source")],
        );
        assert_eq!(verdict(&claim(&[]), &[quoted]).0, Verdict::Unsupported);
    }

    #[test]
    fn text_fragments_apply_to_html_and_plain_text_only() {
        assert_eq!(fragments_unapplied(Kind::Html, Some("text/html; charset=utf-8")), None);
        assert_eq!(fragments_unapplied(Kind::Text, Some("Text/Plain")), None);
        assert_eq!(fragments_unapplied(Kind::Html, None), None, "sniffed as browsers do");
        assert_eq!(fragments_unapplied(Kind::Text, None), None);
        for (kind, ct) in [
            (Kind::Text, Some("application/json")),
            (Kind::Text, Some("text/css")),
            (Kind::Text, Some("text/javascript")),
            (Kind::Text, Some("application/xml")),
            (Kind::Html, Some("application/xhtml+xml")),
            (Kind::Pdf, Some("application/pdf")),
            (Kind::Pdf, None),
        ] {
            let w = fragments_unapplied(kind, ct).unwrap_or_else(|| panic!("{ct:?}"));
            assert!(w.contains("HTML and plain-text pages only"), "{w}");
        }
        let mut quotes = vec![vec![q("a", Some(true), "fragment"), q("b", Some(true), "claim")]];
        warn_fragments(&mut quotes, Some("the source is text/css"));
        assert!(quotes[0][0].warning.is_some() && quotes[0][1].warning.is_none());
        let mut warned = src(Health::Ok, Content::Unchanged, quotes.remove(0));
        let (v, r) = verdict(&claim(&[]), std::slice::from_ref(&warned));
        assert_eq!(v, Verdict::Ok);
        assert_eq!(
            r,
            vec!["text fragment \"a\" will not highlight for readers (the source is text/css): https://a.org/x"]
        );
        warned.quotes[0].found = Some(false);
        let (v, r) = verdict(&claim(&[]), &[warned]);
        assert_eq!(v, Verdict::Unsupported);
        assert!(r[0].contains("no longer found") && r[1].contains("will not highlight"), "worst first: {r:?}");
    }
}
