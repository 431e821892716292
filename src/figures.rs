//! Tracked figures: the numbers, percentages, sums of money, dates and counts
//! of a claim's text that its source's baseline carries are watched like
//! quotes. Pure functions over normalised text (see `text::normalize`).

use crate::text::{find, normalize};
use regex::Regex;
use std::sync::OnceLock;

const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre";

fn figure_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?x)
            (?P<month>\b(?:{MONTHS})\.?\s+(?:\d{{1,2}},?\s+)?)?
            (?P<cur>[$€£]\s?|\b(?:us\$|usd|eur|cfa)\s?)?
            (?P<num>\b\d{{1,3}}(?:[,\ ]\d{{3}})+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\b)
            (?P<pct>\s?%|\s(?:percent|per\ cent|pour\ cent))?
            (?P<scale>\s(?:million|billion|thousand|trillion|milliards?|millions?))?
            (?P<word>\s[a-z][a-z'-]+)?"
        ))
        .expect("figure pattern")
    })
}

const STOP: &[&str] = &[
    "and", "or", "the", "of", "in", "to", "a", "an", "for", "on", "at", "by", "with", "from", "as", "is", "was",
    "were", "are", "to", "than", "since", "per", "et", "de", "du", "des", "la", "le", "les", "en", "au", "aux",
];

/// Candidate figures of a claim's text, normalised, each as a list of forms
/// from the most specific ("14 civilians") to the least ("14").
pub fn candidates(claim_text: &str) -> Vec<Vec<String>> {
    let text = normalize(claim_text);
    let mut out: Vec<Vec<String>> = Vec::new();
    for c in figure_re().captures_iter(&text) {
        let num = &c["num"];
        let digits = num.chars().filter(char::is_ascii_digit).count();
        // 1000 to 2099 written bare: a year ("since 1840", "in 2021").
        let is_year = !num.contains([',', '.', ' ']) && digits == 4 && (num.starts_with('1') || num.starts_with("20"));
        let month = c.name("month").map(|m| m.as_str()).unwrap_or("");
        let cur = c.name("cur").map(|m| m.as_str()).unwrap_or("");
        let pct = c.name("pct").map(|m| m.as_str()).unwrap_or("");
        let scale = c.name("scale").map(|m| m.as_str()).unwrap_or("");
        let word = c.name("word").map(|m| m.as_str().trim()).filter(|w| !STOP.contains(w));
        let core = format!("{cur}{num}{pct}{scale}");
        let mut forms = Vec::new();
        if !month.is_empty() {
            forms.push(format!("{month}{num}").trim().to_string());
        }
        if is_year && month.is_empty() {
            // A bare year is too common (copyright lines) to watch.
            continue;
        }
        // A specific figure ("401,850", "12%", "$16.56 million") is tracked as
        // such; a small count only with its noun ("14 civilians").
        let specific = !cur.is_empty() || !pct.is_empty() || !scale.is_empty() || digits >= 3 || num.contains('.');
        if specific && !is_year {
            // "12%" and "12 %" (French typography, a narrow space) are one figure.
            let spaced = match pct {
                "%" => Some(format!("{cur}{num} %{scale}")),
                " %" => Some(format!("{cur}{num}%{scale}")),
                _ => None,
            };
            forms.push(core);
            forms.extend(spaced);
        } else if let Some(w) = word {
            if cur.is_empty() && pct.is_empty() {
                forms.push(format!("{core} {w}"));
            }
        }
        if !forms.is_empty() && !out.contains(&forms) {
            out.push(forms);
        }
    }
    out
}

/// The figures of `claim_text` found in a source's normalised baseline text,
/// each in its most specific form found there.
pub fn tracked(claim_text: &str, baseline: &str) -> Vec<String> {
    let mut out = Vec::new();
    for forms in candidates(claim_text) {
        if let Some(f) = forms.into_iter().find(|f| find(baseline, f).is_some()) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

fn number_at(s: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:[$€£]\s?)?\d+(?:[,. ]\d+)*(?:\s?%|\s(?:percent|million|billion|thousand))?").expect("number")
    });
    re.find(s).map(|m| m.as_str().trim().to_string())
}

fn last_number_before(s: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?:[$€£]\s?)?\d+(?:[,.]\d+)*(?:\s?%)?\s*$").expect("number"));
    re.find(s).map(|m| m.as_str().trim().to_string())
}

/// Where a tracked figure is gone: the figure that now stands in the same
/// context (the words before it, or after it, in the baseline).
pub fn replacement(baseline: &str, current: &str, figure: &str) -> Option<String> {
    let (s, e) = find(baseline, figure)?;
    // The words after the figure's number ("people" in "35 people") stay with it.
    let tail = number_at(figure).map(|n| figure[n.len()..].to_string()).unwrap_or_default();
    let with_tail = |n: String, rest: &str| {
        if !tail.is_empty() && rest.starts_with(tail.as_str()) {
            format!("{n}{tail}")
        } else {
            n
        }
    };
    let before: Vec<&str> = baseline[..s].split_whitespace().rev().take(4).collect();
    if before.len() >= 2 {
        let ctx: String = before.into_iter().rev().collect::<Vec<_>>().join(" ");
        if let Some((_, ce)) = find(current, &ctx) {
            let rest = current[ce..].trim_start();
            if let Some(n) = number_at(rest) {
                let n = with_tail(n.clone(), &rest[n.len()..]);
                if n != figure {
                    return Some(n);
                }
            }
        }
    }
    let after: Vec<&str> = baseline[e..].split_whitespace().take(4).collect();
    if after.len() >= 2 {
        let ctx = after.join(" ");
        if let Some((cs, _)) = find(current, &ctx) {
            if let Some(n) = last_number_before(&current[..cs]) {
                if n != figure {
                    return Some(n);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_figures_of_a_claim() {
        let c = candidates("In September 2021, OCHA reported a record high of 401,850 internally displaced persons; attackers killed 14 civilians, 12% more, costing $16.56 million © 2022.");
        let flat: Vec<String> = c.iter().map(|f| f.join("|")).collect();
        assert!(flat.contains(&"september 2021".to_string()), "{flat:?}");
        assert!(flat.contains(&"401,850".to_string()), "{flat:?}");
        assert!(flat.contains(&"14 civilians".to_string()), "{flat:?}");
        assert!(flat.contains(&"12%|12 %".to_string()), "{flat:?}");
        assert!(flat.contains(&"$16.56 million".to_string()), "{flat:?}");
        assert!(!flat.iter().any(|f| f == "2022"), "{flat:?}");
    }

    #[test]
    fn older_years_are_years_and_spaced_percentages_are_the_same_figure() {
        let c = candidates("Records since 1840 show 12% more floods, and 1,401,850 people moved.");
        assert!(!c.iter().flatten().any(|f| f.contains("1840")), "{c:?}");
        assert_eq!(
            tracked("Floods rose 12% last year.", &normalize("Les crues ont augmenté de 12\u{202f}% l'an dernier.")),
            vec!["12 %"]
        );
        assert_eq!(tracked("Floods rose 12 % last year.", &normalize("Floods rose 12% last year.")), vec!["12%"]);
        assert!(candidates("A 2150 km road").iter().flatten().any(|f| f == "2150"), "not a year");
    }

    #[test]
    fn tracks_only_what_the_baseline_carries() {
        let base = normalize("OCHA counted 401,850 displaced persons. 14 civilians were killed.");
        let t =
            tracked("OCHA reported 401,850 internally displaced persons and 14 civilians killed, 5% of them.", &base);
        assert_eq!(t, vec!["401,850", "14 civilians"]);
    }

    #[test]
    fn names_the_figure_that_replaced_one() {
        let base = normalize("In September, OCHA counted 401,850 displaced persons in Mali.");
        let cur = normalize("In September, OCHA counted 350,000 displaced persons in Mali.");
        assert_eq!(replacement(&base, &cur, "401,850").as_deref(), Some("350,000"));
        let base = normalize("401,850 displaced persons were counted by OCHA.");
        let cur = normalize("Now 350,000 displaced persons were counted by OCHA.");
        assert_eq!(replacement(&base, &cur, "401,850").as_deref(), Some("350,000"));
        assert_eq!(replacement(&base, &normalize("Nothing here."), "401,850"), None);
        let base = normalize("Attackers killed 35 people in Moura.");
        let cur = normalize("Attackers killed 53 people in Moura.");
        assert_eq!(replacement(&base, &cur, "35 people").as_deref(), Some("53 people"));
    }
}
