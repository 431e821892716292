//! Notifications after a stored run (`[[notify]]` in `citewatch.toml`): a
//! JSON webhook, a Slack-style incoming webhook (Slack, Mattermost,
//! Rocket.Chat) or an e-mail through SMTP. What they carry is what changed
//! since the receiver was last told (at first, since the previous run): the
//! claims newly flagged and those resolved. A
//! notification that fails is reported and never fails the run, which is
//! stored before any is sent.
//!
//! [`changes`] and the renderings in [`message`] are pure; the network is in
//! [`send`].

pub mod message;
mod send;

use crate::config::{NotifyConfig, NotifyOn};
use crate::model::Verdict;
use crate::report::model::{ClaimReport, Notification, RunDocument, RunInfo, Summary};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// The document a webhook receives (schema 1).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notice {
    /// Always 1 for this layout.
    pub schema: u32,
    /// The run it tells about.
    pub run: RunInfo,
    /// Claims flagged in this run that were not flagged so (or at all) in the previous one.
    pub new: Vec<NoticeClaim>,
    /// Claims flagged in the previous run that are ok now.
    pub resolved: Vec<NoticeClaim>,
    /// The run's counts of claims by verdict and sources by health.
    pub summary: Summary,
    /// Claims flagged in this run, new or not.
    pub flagged: usize,
}

/// One claim in a notification.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NoticeClaim {
    /// `FACTSHEET/CLAIM`.
    pub claim: String,
    pub factsheet: String,
    pub id: String,
    /// The claim's text.
    pub text: String,
    /// Its verdict in this run (as counted with `--confirm`).
    pub verdict: Verdict,
    /// Its verdict in the previous run that judged it; `null` when new to the store.
    pub previous: Option<Verdict>,
    /// Why, in plain words (empty when resolved).
    pub reasons: Vec<String>,
    /// The URLs it cites, as cited.
    pub urls: Vec<String>,
    /// Page or section.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
}

/// The verdict a claim counts as: failures not yet confirmed by `--confirm`
/// runs in a row do not notify.
fn counted(c: &ClaimReport) -> Verdict {
    c.counts_as.unwrap_or(c.verdict)
}

fn entry(c: &ClaimReport, previous: Option<Verdict>) -> NoticeClaim {
    NoticeClaim {
        claim: format!("{}/{}", c.factsheet, c.id),
        factsheet: c.factsheet.clone(),
        id: c.id.clone(),
        text: c.text.clone(),
        verdict: counted(c),
        previous,
        reasons: if counted(c).flagged() { c.reasons.clone() } else { Vec::new() },
        urls: c.sources.iter().map(|s| s.url.clone()).collect(),
        where_: c.where_.clone(),
    }
}

/// What changed since the previous state of each claim. New: flagged now,
/// and ok (or unknown) before, or flagged otherwise before — except a claim
/// that merely could not be checked this time (`unverified` after another
/// flag), which is no news. Resolved: ok now, flagged before.
pub fn changes(previous: &HashMap<(String, String), ClaimReport>, report: &impl RunDocument) -> Notice {
    let mut new = Vec::new();
    let mut resolved = Vec::new();
    let mut flagged = 0;
    for c in report.claims() {
        let now = counted(&c);
        if now.flagged() {
            flagged += 1;
        }
        let before = previous.get(&(c.factsheet.clone(), c.id.clone())).map(counted);
        match before {
            Some(b) if b == now => {}
            Some(b) if b.flagged() && now == Verdict::Unverified => {}
            Some(b) if b.flagged() && !now.flagged() => resolved.push(entry(&c, Some(b))),
            _ if now.flagged() => new.push(entry(&c, before)),
            _ => {}
        }
    }
    Notice { schema: 1, run: report.run().clone(), new, resolved, summary: report.summary().clone(), flagged }
}

/// Who a receiver is, for the store: a digest of its kind and address (not
/// of its secrets' values), so editing `on` or `subject` keeps its history.
pub fn receiver_key(n: &NotifyConfig) -> String {
    let address = format!(
        "{:?}\n{}\n{}\n{}\n{}",
        n.kind,
        n.url.as_deref().unwrap_or(""),
        n.url_env.as_deref().unwrap_or(""),
        n.smtp.as_deref().unwrap_or(""),
        n.to.join(",")
    );
    crate::extract::sha256(address.as_bytes())
}

/// Sends each configured notification for a finished, stored run of the
/// store in `cache`. Each receiver hears what changed since it was last
/// told: news it missed while down reaches it with the next run. Never
/// fails: each failure is in its notification's status.
pub fn after_run(entries: &[NotifyConfig], cache: &Path, report: &impl RunDocument) -> Vec<Notification> {
    if entries.is_empty() {
        return Vec::new();
    }
    let wanted: Vec<(String, String)> = report.claim_keys();
    let store = crate::store::Store::open_existing(cache);
    // The state each baseline run left, computed once per baseline.
    let mut states: HashMap<i64, HashMap<(String, String), ClaimReport>> = HashMap::new();
    let run = report.run().id;
    entries
        .iter()
        .map(|n| {
            let kind = match n.kind {
                crate::config::NotifyKind::Webhook => "webhook",
                crate::config::NotifyKind::Slack => "slack",
                crate::config::NotifyKind::Email => "email",
            };
            let mut d = Notification { kind: kind.into(), target: n.label(), status: "sent".into(), error: None };
            let key = receiver_key(n);
            let notice = store.as_ref().map_err(|e| e.to_string()).and_then(|st| {
                // Measured from the last run this receiver was told of, else the previous run.
                let base = st.told_up_to(&key, run).map_err(|e| e.to_string())?.map_or(run, |r| r + 1);
                let state = match states.entry(base) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(st.previous_claims(base, &wanted).map_err(|e| e.to_string())?)
                    }
                };
                Ok(changes(state, report))
            });
            match notice {
                Err(e) => {
                    d.status = "failed".into();
                    d.error = Some(format!("reading the previous state: {e}"));
                }
                Ok(notice) if n.on == NotifyOn::New && notice.new.is_empty() && notice.resolved.is_empty() => {
                    d.status = "skipped".into();
                }
                Ok(notice) => {
                    if let Err(e) = send::send(n, &notice) {
                        d.status = "failed".into();
                        d.error = Some(e);
                    }
                }
            }
            if let Ok(st) = &store {
                if let Err(e) = st.record_notification(&key, run, &d.status, d.error.as_deref()) {
                    d.error.get_or_insert(format!("recording the notification: {e}"));
                }
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Content, Health};
    use crate::report::model::{ClaimSourceReport, RunReport};

    fn claim(id: &str, verdict: Verdict) -> ClaimReport {
        ClaimReport {
            factsheet: "f".into(),
            id: id.into(),
            verdict,
            reasons: if verdict.flagged() { vec![format!("{} reason", verdict.as_str())] } else { Vec::new() },
            sources: vec![ClaimSourceReport {
                url: format!("https://x.org/{id}"),
                health: Health::Ok,
                content: Content::Unchanged,
                quotes: Vec::new(),
                archived: None,
                via: "live".into(),
            }],
            text: format!("Claim {id}."),
            where_: None,
            confirmed: true,
            counts_as: None,
            next: Vec::new(),
        }
    }

    fn report(claims: Vec<ClaimReport>) -> RunReport {
        RunReport {
            schema: 1,
            run: RunInfo { started: "s".into(), finished: "f".into(), id: 2, offline: false },
            summary: Summary::default(),
            claims,
            sources: Vec::new(),
            factsheets: Vec::new(),
            excluded: Vec::new(),
            notifications: Vec::new(),
        }
    }

    #[test]
    fn new_and_resolved_against_the_previous_state() {
        let prev: HashMap<(String, String), ClaimReport> = [
            claim("same-broken", Verdict::Broken),
            claim("fixed", Verdict::Changed),
            claim("worse", Verdict::Changed),
            claim("blip", Verdict::Broken),
            claim("went-bad", Verdict::Ok),
        ]
        .into_iter()
        .map(|c| (("f".to_string(), c.id.clone()), c))
        .collect();
        let mut unconfirmed = claim("unconfirmed", Verdict::Broken);
        unconfirmed.counts_as = Some(Verdict::Unverified);
        unconfirmed.confirmed = false;
        let now = report(vec![
            claim("same-broken", Verdict::Broken),
            claim("fixed", Verdict::Ok),
            claim("worse", Verdict::Broken),
            claim("blip", Verdict::Unverified),
            claim("went-bad", Verdict::Unsupported),
            claim("first-seen", Verdict::Broken),
            claim("first-ok", Verdict::Ok),
            unconfirmed,
        ]);
        let n = changes(&prev, &now);
        let ids: Vec<&str> = n.new.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["worse", "went-bad", "first-seen", "unconfirmed"]);
        assert_eq!(n.new[0].previous, Some(Verdict::Changed));
        assert_eq!(n.new[2].previous, None);
        assert_eq!(n.new[3].verdict, Verdict::Unverified);
        assert_eq!(n.new[1].reasons, ["unsupported reason"]);
        assert_eq!(n.new[1].urls, ["https://x.org/went-bad"]);
        assert_eq!(n.resolved.len(), 1);
        assert_eq!(n.resolved[0].claim, "f/fixed");
        assert_eq!(n.resolved[0].previous, Some(Verdict::Changed));
        assert_eq!(n.flagged, 6);
        // An unchanged run is no news.
        let again: HashMap<_, _> =
            now.claims.iter().map(|c| ((c.factsheet.clone(), c.id.clone()), c.clone())).collect();
        let n = changes(&again, &now);
        assert!(n.new.is_empty() && n.resolved.is_empty());
    }
}
