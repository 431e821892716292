//! The network side of notifications: an HTTP POST (webhook, chat) or an
//! SMTP submission. Each attempt is bounded in time; errors come back in words.

use super::{message, Notice};
use crate::config::{expand_env, NotifyConfig, NotifyKind, SmtpTls};
use std::time::Duration;

/// Time allowed for one notification.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Sends one notification.
pub fn send(n: &NotifyConfig, notice: &Notice) -> Result<(), String> {
    match n.kind {
        NotifyKind::Webhook => {
            let body = serde_json::to_vec(notice).map_err(|e| format!("encoding the document: {e}"))?;
            post(n, body)
        }
        NotifyKind::Slack => {
            let body = serde_json::to_vec(&serde_json::json!({ "text": message::chat_text(notice) }))
                .map_err(|e| format!("encoding the message: {e}"))?;
            post(n, body)
        }
        NotifyKind::Email => mail(n, notice),
    }
}

fn target_url(n: &NotifyConfig) -> Result<String, String> {
    match (&n.url, &n.url_env) {
        (Some(u), _) => Ok(u.clone()),
        (None, Some(var)) => std::env::var(var)
            .map_err(|_| format!("the environment variable {var} (url-env) is not set"))
            .and_then(|u| match url::Url::parse(&u) {
                Ok(p) if matches!(p.scheme(), "http" | "https") => Ok(u),
                _ => Err(format!("the environment variable {var} does not hold an http(s) URL")),
            }),
        (None, None) => Err("no url".into()),
    }
}

fn post(n: &NotifyConfig, body: Vec<u8>) -> Result<(), String> {
    let url = target_url(n)?;
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in &n.headers {
        let value = expand_env(value).map_err(|e| format!("header {name}: {e}"))?;
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("\"{name}\" is not a valid header name"))?;
        let value = reqwest::header::HeaderValue::from_str(&value).map_err(|_| format!("header {name}: bad value"))?;
        headers.insert(name, value);
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .user_agent(crate::fetch::FetchConfig::default_user_agent())
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let resp = client
            .post(&url)
            .headers(headers)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        // A few words of the receiver's answer help; never the whole page.
        let text = resp.text().await.unwrap_or_default();
        let said: String = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect();
        Err(format!(
            "HTTP {}{}",
            status.as_u16(),
            if said.is_empty() { String::new() } else { format!(": {}", crate::report::sanitize(&said)) }
        ))
    })
}

/// A reqwest error in a few words ("could not connect: Connection refused"),
/// from its innermost cause, without the URL (it may hold a secret).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut inner = None;
    let mut cur = std::error::Error::source(e);
    while let Some(c) = cur {
        inner = Some(c.to_string());
        cur = c.source();
    }
    let inner = inner.unwrap_or_else(|| "unknown error".into());
    if e.is_connect() {
        format!("could not connect: {inner}")
    } else {
        format!("request failed: {inner}")
    }
}

fn mail(n: &NotifyConfig, notice: &Notice) -> Result<(), String> {
    use lettre::message::{Mailbox, MultiPart};
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::{Tls, TlsParameters};
    use lettre::{Message, SmtpTransport, Transport};

    let server = n.smtp.as_deref().ok_or("no smtp server")?;
    let (host, port) = match server.rsplit_once(':') {
        Some((h, p)) if p.parse::<u16>().is_ok() => (h.trim_matches(['[', ']']).to_string(), p.parse::<u16>().ok()),
        _ => (server.to_string(), None),
    };
    let from: Mailbox = n.from.as_deref().unwrap_or_default().parse().map_err(|e| format!("from: {e}"))?;
    let mut builder =
        Message::builder().from(from).subject(message::subject(n.subject.as_deref().unwrap_or("citewatch"), notice));
    for to in &n.to {
        builder = builder.to(to.parse::<Mailbox>().map_err(|e| format!("to \"{to}\": {e}"))?);
    }
    let mail = builder
        .multipart(MultiPart::alternative_plain_html(message::mail_text(notice), message::mail_html(notice)))
        .map_err(|e| format!("building the mail: {e}"))?;

    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = |host: &str| TlsParameters::new(host.to_string()).map_err(|e| format!("TLS set-up for {host}: {e}"));
    let (tls, default_port) = match n.tls {
        SmtpTls::Starttls => (Tls::Required(tls(&host)?), 587),
        SmtpTls::Tls => (Tls::Wrapper(tls(&host)?), 465),
        SmtpTls::None => (Tls::None, 25),
    };
    let mut transport = SmtpTransport::builder_dangerous(host.as_str())
        .port(port.unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(TIMEOUT));
    if let (Some(user), Some(var)) = (&n.user, &n.password_env) {
        let password =
            std::env::var(var).map_err(|_| format!("the environment variable {var} (password-env) is not set"))?;
        transport = transport.credentials(Credentials::new(user.clone(), password));
    }
    transport.build().send(&mail).map(|_| ()).map_err(|e| {
        let mut out = e.to_string();
        let mut cur = std::error::Error::source(&e);
        while let Some(c) = cur {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cur = c.source();
        }
        format!("SMTP {host}: {out}")
    })
}
