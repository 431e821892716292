//! `[[notify]]`: each kind against a real receiver on 127.0.0.1 (the test
//! HTTP server, and a small SMTP server below): sent once when a claim is
//! newly flagged, not again by an unchanged run, and a receiver that is down
//! never fails the run.

use crate::support::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const TEXT: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons in Mali.";

/// A project citing /report (fine) and /other, with `config` as citewatch.toml.
fn project(s: &Server, config: &str) -> Project {
    s.set("/report", Reply::article("OCHA update", TEXT));
    s.set("/other", Reply::article("Other report", "Attackers killed 35 people in Moura, officials said."));
    let p = Project::new();
    p.claims(
        "mali.toml",
        &factsheet("mali", &[("idps", &["401,850"], &[q(&s.url("/report"))]), ("moura", &[], &[q(&s.url("/other"))])]),
    );
    std::fs::write(p.path().join("citewatch.toml"), config).unwrap();
    p
}

fn posts(s: &Server, path: &str) -> Vec<serde_json::Value> {
    s.requests(path)
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| {
            assert_eq!(r.headers.get("content-type").map(String::as_str), Some("application/json"));
            serde_json::from_slice(&r.body).expect("a JSON body")
        })
        .collect()
}

#[test]
fn webhook_sent_once_when_a_claim_is_newly_flagged() {
    let web = Server::start();
    let hook = Server::start_on("127.0.0.2");
    hook.set("/hook", Reply::new(204, "text/plain", ""));
    hook.set("/every", Reply::new(200, "application/json", "{\"ok\":true}"));
    let config = format!(
        "[[notify]]\nkind = \"webhook\"\nurl = \"{}\"\nheaders = {{ Authorization = \"Bearer ${{HOOK_TOKEN}}\" }}\n\n[[notify]]\nkind = \"webhook\"\nurl = \"{}\"\non = \"always\"\n",
        hook.url("/hook"),
        hook.url("/every")
    );
    let p = project(&web, &config);
    let check = |p: &Project| {
        let mut c = p.command(&["check", "--format", "json", "--timeout", "5", "--quiet", "--retries", "0"]);
        c.env("HOOK_TOKEN", "s3cret");
        let run = Run::from(c.output().unwrap());
        let doc: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        (run, doc)
    };

    // First run: all fine, nothing flagged: nothing to tell (on = "new").
    let (run, doc) = check(&p);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(posts(&hook, "/hook").len(), 0);
    assert_eq!(doc["notifications"][0]["status"], "skipped");
    assert_eq!(doc["notifications"][1]["status"], "sent");

    // The report vanishes: one POST naming the claim, the reason and the URL.
    web.set("/report", Reply::status(404));
    let (run, doc) = check(&p);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(doc["notifications"][0]["status"], "sent", "{}", run.stderr);
    let got = posts(&hook, "/hook");
    assert_eq!(got.len(), 1);
    let n = &got[0];
    assert_eq!(n["schema"], 1);
    assert_eq!(n["run"]["id"], doc["run"]["id"]);
    assert_eq!(n["new"].as_array().unwrap().len(), 1, "{n}");
    let new = &n["new"][0];
    assert_eq!(new["claim"], "mali/idps");
    assert_eq!(new["verdict"], "broken");
    assert_eq!(new["previous"], "ok");
    assert!(new["reasons"][0].as_str().unwrap().contains("HTTP 404"), "{new}");
    assert_eq!(new["urls"][0], web.url("/report"));
    assert_eq!(n["resolved"].as_array().unwrap().len(), 0);
    assert_eq!(n["summary"]["claims"]["broken"], 1);
    assert_eq!(n["flagged"], 1);
    let req = &hook.requests("/hook")[0];
    assert_eq!(req.headers.get("authorization").map(String::as_str), Some("Bearer s3cret"));

    // The same again: no news, no POST.
    let (run, doc) = check(&p);
    assert_eq!(run.code, 1);
    assert_eq!(posts(&hook, "/hook").len(), 1);
    assert_eq!(doc["notifications"][0]["status"], "skipped");

    // Back: one POST with the claim resolved.
    web.set("/report", Reply::article("OCHA update", TEXT));
    let (run, _) = check(&p);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = posts(&hook, "/hook");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["new"].as_array().unwrap().len(), 0);
    assert_eq!(got[1]["resolved"][0]["claim"], "mali/idps");
    assert_eq!(got[1]["resolved"][0]["previous"], "broken");
    assert_eq!(got[1]["resolved"][0]["verdict"], "ok");
    // on = "always": one POST per run.
    assert_eq!(posts(&hook, "/every").len(), 4);
}

#[test]
fn slack_message_sent_once_and_readable() {
    let web = Server::start();
    let chat = Server::start_on("127.0.0.2");
    chat.set("/services/T000/B000/XXXX", Reply::new(200, "text/plain", "ok"));
    let config = "[[notify]]\nkind = \"slack\"\nurl-env = \"SLACK_WEBHOOK_URL\"\n";
    let p = project(&web, config);
    let hook_url = chat.url("/services/T000/B000/XXXX");
    let check = |p: &Project| {
        let mut c = p.command(&["check", "--timeout", "5", "--quiet", "--retries", "0"]);
        c.env("SLACK_WEBHOOK_URL", &hook_url);
        Run::from(c.output().unwrap())
    };
    assert_eq!(check(&p).code, 0);
    assert_eq!(posts(&chat, "/services/T000/B000/XXXX").len(), 0);
    // A soft-404 whose page title tries to mention everyone.
    web.set("/other", Reply::article("Page not found | <!channel>", "Sorry, we could not find that page."));
    let run = check(&p);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got = posts(&chat, "/services/T000/B000/XXXX");
    assert_eq!(got.len(), 1, "{}", run.stderr);
    let text = got[0]["text"].as_str().unwrap();
    assert!(text.starts_with("*citewatch: 1 claim newly flagged*"), "{text}");
    assert!(text.contains("• *broken* `mali/moura` (was ok)"), "{text}");
    assert!(text.contains("soft-404"), "{text}");
    assert!(!text.contains("<!channel>") && text.contains("&lt;!channel&gt;"), "{text}");
    assert!(text.contains(&web.url("/other")), "{text}");
    assert_eq!(check(&p).code, 1);
    assert_eq!(posts(&chat, "/services/T000/B000/XXXX").len(), 1);
}

/// One mail as the SMTP server received it.
#[derive(Debug, Clone, Default)]
struct Mail {
    auth: Option<String>,
    from: String,
    to: Vec<String>,
    data: String,
}

/// A small SMTP server on 127.0.0.1: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT. It offers no STARTTLS.
struct SmtpServer {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    sessions: Arc<Mutex<usize>>,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let sessions: Arc<Mutex<usize>> = Arc::default();
        let (m, n) = (mails.clone(), sessions.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                *n.lock().unwrap() += 1;
                let m = m.clone();
                std::thread::spawn(move || {
                    let _ = smtp_session(stream, &m);
                });
            }
        });
        SmtpServer { port, mails, sessions }
    }
    fn sessions(&self) -> usize {
        *self.sessions.lock().unwrap()
    }
    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

fn smtp_session(stream: TcpStream, mails: &Mutex<Vec<Mail>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let mut line = String::new();
    let mut mail = Mail::default();
    let mut auth = None;
    out.write_all(b"220 localhost test ESMTP\r\n")?;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            out.write_all(b"250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if upper.starts_with("AUTH PLAIN") {
            auth = Some(cmd["AUTH PLAIN".len()..].trim().to_string());
            out.write_all(b"235 2.7.0 accepted\r\n")?;
        } else if upper.starts_with("AUTH LOGIN") {
            out.write_all(b"334 VXNlcm5hbWU6\r\n")?;
            let mut user = String::new();
            input.read_line(&mut user)?;
            out.write_all(b"334 UGFzc3dvcmQ6\r\n")?;
            let mut pass = String::new();
            input.read_line(&mut pass)?;
            auth = Some(format!("LOGIN {} {}", user.trim(), pass.trim()));
            out.write_all(b"235 2.7.0 accepted\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            mail = Mail { auth: auth.clone(), from: address(&cmd[10..]), ..Mail::default() };
            out.write_all(b"250 2.1.0 ok\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(address(&cmd[8..]));
            out.write_all(b"250 2.1.5 ok\r\n")?;
        } else if upper == "DATA" {
            out.write_all(b"354 end with .\r\n")?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if input.read_line(&mut l)? == 0 {
                    return Ok(());
                }
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').filter(|_| l.starts_with("..")).unwrap_or(&l));
            }
            mail.data = data;
            mails.lock().unwrap().push(std::mem::take(&mut mail));
            out.write_all(b"250 2.0.0 queued\r\n")?;
        } else if upper == "QUIT" {
            out.write_all(b"221 2.0.0 bye\r\n")?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            out.write_all(b"250 2.0.0 ok\r\n")?;
        } else {
            out.write_all(b"502 5.5.2 not implemented\r\n")?;
        }
    }
}

/// `<a@b>` of `<a@b> BODY=8BITMIME`.
fn address(arg: &str) -> String {
    let arg = arg.trim();
    arg[..arg.find('>').map_or(arg.len(), |i| i + 1)].to_string()
}

/// The decoded text of one MIME part (`text/plain` or `text/html`) of a mail.
fn part(data: &str, content_type: &str) -> String {
    let at =
        data.find(&format!("Content-Type: {content_type}")).unwrap_or_else(|| panic!("no {content_type}:\n{data}"));
    let rest = &data[at..];
    let body_at = rest.find("\r\n\r\n").unwrap() + 4;
    let head = &rest[..body_at];
    let body = &rest[body_at..];
    let body = &body[..body.find("\r\n--").unwrap_or(body.len())];
    if head.contains("quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let mut out = Vec::new();
        let b = joined.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap()
    } else if head.contains("base64") {
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        String::from_utf8(base64_decode(&clean)).unwrap()
    } else {
        body.to_string()
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| acc | (val(c) as u32) << (18 - 6 * i));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

#[test]
fn email_sent_once_through_smtp_with_escaped_html() {
    let web = Server::start();
    let smtp = SmtpServer::start();
    let config = format!(
        "[[notify]]\nkind = \"email\"\nsmtp = \"127.0.0.1:{}\"\ntls = \"none\"\nuser = \"citewatch\"\npassword-env = \"SMTP_PASSWORD\"\nfrom = \"citewatch <citewatch@example.org>\"\nto = [\"desk@example.org\", \"editor@example.org\"]\nsubject = \"[mali] citewatch\"\n",
        smtp.port
    );
    let p = project(&web, &config);
    let check = |p: &Project| {
        let mut c = p.command(&["check", "--format", "json", "--timeout", "5", "--quiet", "--retries", "0"]);
        c.env("SMTP_PASSWORD", "pa55");
        let run = Run::from(c.output().unwrap());
        let doc: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        (run, doc)
    };
    let (run, _) = check(&p);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(smtp.mails().len(), 0);
    web.set(
        "/other",
        Reply::article("Page not found | <script>alert(1)</script>", "Sorry, we could not find that page."),
    );
    let (run, doc) = check(&p);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(doc["notifications"][0]["status"], "sent", "{}", run.stderr);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    // AUTH PLAIN of "\0citewatch\0pa55".
    let auth = m.auth.as_deref().unwrap();
    let decoded = if let Some(l) = auth.strip_prefix("LOGIN ") {
        l.split(' ').map(|p| String::from_utf8(base64_decode(p)).unwrap()).collect::<Vec<_>>().join("\0")
    } else {
        String::from_utf8(base64_decode(auth)).unwrap().trim_start_matches('\0').to_string()
    };
    assert_eq!(decoded, "citewatch\0pa55");
    assert_eq!(m.from, "<citewatch@example.org>");
    assert_eq!(m.to, ["<desk@example.org>", "<editor@example.org>"]);
    assert!(m.data.contains("Subject: [mali] citewatch: 1 claim newly flagged (run 2)"), "{}", m.data);
    assert!(m.data.contains("multipart/alternative"));
    let text = part(&m.data, "text/plain");
    assert!(text.contains("broken mali/moura (was ok)"), "{text}");
    assert!(text.contains(&web.url("/other")), "{text}");
    let html = part(&m.data, "text/html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(html.contains(&format!("<a href=\"{}\">", web.url("/other"))), "{html}");
    // Unchanged: no second mail.
    let (run, _) = check(&p);
    assert_eq!(run.code, 1);
    assert_eq!(smtp.mails().len(), 1);
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn receivers_that_are_down_never_fail_the_run() {
    let web = Server::start();
    let hook = Server::start_on("127.0.0.2");
    hook.set("/broken-hook", Reply::new(500, "text/plain", "internal trouble"));
    let plain_smtp = SmtpServer::start();
    let config = format!(
        "[[notify]]\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{}/hook\"\non = \"always\"\n\n\
         [[notify]]\nkind = \"slack\"\nurl = \"{}\"\non = \"always\"\n\n\
         [[notify]]\nkind = \"email\"\nsmtp = \"127.0.0.1:{}\"\ntls = \"none\"\nfrom = \"c@example.org\"\nto = [\"d@example.org\"]\non = \"always\"\n\n\
         [[notify]]\nkind = \"email\"\nsmtp = \"127.0.0.1:{}\"\nuser = \"u\"\npassword-env = \"SMTP_PW\"\nfrom = \"c@example.org\"\nto = [\"d@example.org\"]\non = \"always\"\n",
        closed_port(),
        hook.url("/broken-hook"),
        closed_port(),
        plain_smtp.port
    );
    let p = project(&web, &config);
    web.set("/report", Reply::status(404));
    let mut c = p.command(&["check", "--format", "json", "--timeout", "5", "--quiet", "--retries", "0"]);
    c.env("SMTP_PW", "never-sent");
    let run = Run::from(c.output().unwrap());
    // The exit status is the verdicts', the JSON is whole, the run is stored.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(claim(&doc, "idps")["verdict"], "broken");
    let n = doc["notifications"].as_array().unwrap();
    assert_eq!(n.len(), 4);
    for (i, d) in n.iter().enumerate() {
        assert_eq!(d["status"], "failed", "entry {i}: {d}");
    }
    assert!(n[1]["error"].as_str().unwrap().contains("HTTP 500: internal trouble"), "{}", n[1]);
    // STARTTLS is required by default: a server without it gets no password.
    assert!(n[3]["error"].as_str().unwrap().to_lowercase().contains("tls"), "{}", n[3]);
    assert_eq!(plain_smtp.sessions(), 1);
    assert!(plain_smtp.mails().is_empty());
    assert_eq!(run.stderr.matches("warning: notification").count(), 4, "{}", run.stderr);
    assert!(!run.stderr.contains("never-sent"));
    let status = p.run(&["status", "--format", "json"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    let stored: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(claim(&stored, "idps")["verdict"], "broken");
}

#[test]
fn bad_notify_entries_are_refused_with_the_file_and_the_fix() {
    let web = Server::start();
    let p = project(&web, "[[notify]]\nkind = \"email\"\nsmtp = \"mail.example.org:587\"\nfrom = \"c@example.org\"\n");
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("citewatch.toml: [[notify]] entry 1 (email): needs to = [\"desk@example.org\"]"),
        "{}",
        run.stderr
    );
    std::fs::write(p.path().join("citewatch.toml"), "[[notify]]\nkind = \"pager\"\nurl = \"https://x.org/\"\n")
        .unwrap();
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("citewatch.toml:2:8"), "{}", run.stderr);
    assert_eq!(web.hits("/report"), 0);
}

#[test]
fn a_run_of_another_factsheet_does_not_make_old_flags_new() {
    let web = Server::start();
    let hook = Server::start_on("127.0.0.2");
    hook.set("/hook", Reply::new(200, "text/plain", "ok"));
    let p = project(&web, &format!("[[notify]]\nkind = \"webhook\"\nurl = \"{}\"\n", hook.url("/hook")));
    web.set("/third", Reply::article("Third", "Prices rose by 4.2 percent in 2023."));
    p.claims("other.toml", &factsheet("other", &[("prices", &[], &[q(&web.url("/third"))])]));
    web.set("/report", Reply::status(410));
    let run = p.run(&["check", "--quiet", "--timeout", "5", "--retries", "0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(posts(&hook, "/hook").len(), 1);
    assert_eq!(posts(&hook, "/hook")[0]["new"][0]["claim"], "mali/idps");
    // Only the other factsheet: nothing about mali.
    let other = p.path().join("claims/other.toml");
    let run = p.run(&["check", "--quiet", "--timeout", "5", "--claims", other.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(posts(&hook, "/hook").len(), 1);
    // Mali again, still broken: its state two runs back says so, no news.
    let mali = p.path().join("claims/mali.toml");
    let run = p.run(&["check", "--quiet", "--timeout", "5", "--retries", "0", "--claims", mali.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(posts(&hook, "/hook").len(), 1);
}

#[test]
fn news_a_receiver_missed_reaches_it_with_the_next_run() {
    let web = Server::start();
    let hook = Server::start_on("127.0.0.2");
    hook.set("/hook", Reply::new(503, "text/plain", "restarting"));
    let p = project(&web, &format!("[[notify]]\nkind = \"webhook\"\nurl = \"{}\"\n", hook.url("/hook")));
    let check = |p: &Project| {
        let run = p.run(&["check", "--format", "json", "--quiet", "--timeout", "5", "--retries", "0"]);
        let doc: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        (run, doc)
    };
    assert_eq!(check(&p).0.code, 0);
    // The claim breaks while the receiver is down: the POST fails.
    web.set("/report", Reply::status(404));
    let (run, doc) = check(&p);
    assert_eq!(run.code, 1);
    assert_eq!(doc["notifications"][0]["status"], "failed");
    assert_eq!(hook.requests("/hook").len(), 1);
    // Receiver back, nothing changed since: it still hears of the claim.
    hook.set("/hook", Reply::new(200, "text/plain", "ok"));
    let (run, doc) = check(&p);
    assert_eq!(run.code, 1);
    assert_eq!(doc["notifications"][0]["status"], "sent", "{}", run.stderr);
    let got = posts(&hook, "/hook");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["new"][0]["claim"], "mali/idps");
    assert_eq!(got[1]["new"][0]["previous"], "ok");
    assert_eq!(got[1]["run"]["id"], 3);
    // And then no more.
    let (_, doc) = check(&p);
    assert_eq!(doc["notifications"][0]["status"], "skipped");
    assert_eq!(hook.requests("/hook").len(), 2);
}
