//! PDF to text (pdf-extract), bounded. A PDF is checked before its text is
//! read: the page content it inflates to (form XObjects counted each time a
//! page draws them) must stay under the cap, and no form XObject may draw
//! itself; the text written is capped too. The reading itself runs in a child
//! process with memory and CPU limits when the binary allows it
//! ([`crate::sandbox`]), so that no file can crash or exhaust the run; else in
//! process, under `catch_unwind`.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

static CAP: AtomicU64 = AtomicU64::new(20 * 1024 * 1024);

/// Sets the cap on what a PDF may inflate to and on its text (`--max-body`).
pub fn set_cap(bytes: u64) {
    CAP.store(bytes.max(1024 * 1024), Ordering::Relaxed);
}

/// The cap on what a PDF may inflate to, and on its text.
pub fn cap() -> u64 {
    CAP.load(Ordering::Relaxed)
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Extracts the text of a PDF, or says why it could not.
pub fn extract(raw: &[u8]) -> Result<String, String> {
    let text =
        match crate::sandbox::run(crate::sandbox::Job::PdfText, raw, cap()) {
            Some(r) => {
                let bytes = r.map_err(|e| {
                    if e.starts_with("cannot read the PDF") {
                        e
                    } else {
                        format!("cannot read the PDF: {e}")
                    }
                })?;
                String::from_utf8_lossy(&bytes).into_owned()
            }
            None => text_in_process(raw, cap())?,
        };
    Ok(super::html::tidy(&dehyphenate(&text)))
}

/// The raw text of a PDF, read in this process (the sandbox's job).
pub fn text_in_process(raw: &[u8], cap: u64) -> Result<String, String> {
    let pages = pages_in_process(raw, cap)?;
    Ok(pages.concat())
}

/// The raw text of each page of a PDF, read in this process.
pub fn pages_in_process(raw: &[u8], cap: u64) -> Result<Vec<String>, String> {
    let quiet = QuietPanics::new();
    let r = catch_unwind(AssertUnwindSafe(|| {
        let doc = load(raw, cap)?;
        pages_of(&doc, cap)
    }));
    drop(quiet);
    match r {
        Ok(r) => r,
        Err(_) => Err("cannot read the PDF: the PDF reader failed on this file".into()),
    }
}

/// Silences the panic message of the PDF reader while it runs (a damaged
/// file is an error of that source, not noise on the terminal).
struct QuietPanics;

impl QuietPanics {
    fn new() -> QuietPanics {
        // Other threads' panics still print: only this thread's are muted.
        QUIET.with(|q| q.set(true));
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let prev = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(|q| q.get()) {
                    prev(info);
                }
            }));
        });
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Loads, decrypts (empty password) and checks a PDF.
pub(crate) fn load(raw: &[u8], cap: u64) -> Result<Document, String> {
    let mut doc = Document::load_mem(raw).map_err(|e| format!("cannot read the PDF: {e}"))?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| format!("cannot read the PDF: encrypted ({e})"))?;
    }
    preflight(&doc, cap)?;
    Ok(doc)
}

/// A `std::io::Write` that refuses to grow past a cap.
struct Capped {
    buf: Vec<u8>,
    cap: u64,
}

impl std::io::Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() as u64 + b.len() as u64 > self.cap {
            return Err(std::io::Error::other("text over the cap"));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn pages_of(doc: &Document, cap: u64) -> Result<Vec<String>, String> {
    let n = doc.get_pages().len() as u32;
    let mut pages = Vec::with_capacity(n as usize);
    let mut total = 0u64;
    for page in 1..=n {
        let mut out = Capped { buf: Vec::new(), cap: cap.saturating_sub(total) };
        let r = {
            let w: &mut dyn std::io::Write = &mut out;
            let mut dev = pdf_extract::PlainTextOutput::new(w);
            pdf_extract::output_doc_page(doc, &mut dev, page)
        };
        if let Err(e) = r {
            if e.to_string().contains("over the cap") {
                return Err(format!("cannot read the PDF: its text is larger than the {} MiB cap", mib(cap)));
            }
            // As pdf-extract reads by pages: the pages before a damaged one.
            if page == 1 {
                return Err(format!("cannot read the PDF: {e}"));
            }
            break;
        }
        total += out.buf.len() as u64;
        pages.push(String::from_utf8_lossy(&out.buf).into_owned());
    }
    Ok(pages)
}

/// Bytes a stream decodes to, reading at most `limit + 1` of them. A stream
/// that does not decode counts its raw size (the reader then uses the raw
/// bytes).
fn decoded_len(s: &Stream, limit: u64) -> u64 {
    match s.filters() {
        Err(_) => s.content.len() as u64,
        Ok(f) if f.is_empty() => s.content.len() as u64,
        Ok(f) if f == [b"FlateDecode".as_slice()] => {
            let mut z = flate2::read::ZlibDecoder::new(s.content.as_slice()).take(limit.saturating_add(1));
            match std::io::copy(&mut z, &mut std::io::sink()) {
                Ok(n) => n,
                Err(_) => s.content.len() as u64,
            }
        }
        // Rarer filters: decoded for real (the child's memory limit holds).
        Ok(_) => s.decompressed_content().map_or(s.content.len() as u64, |c| c.len() as u64),
    }
}

fn content_of(s: &Stream) -> Vec<u8> {
    match s.filters() {
        Ok(f) if !f.is_empty() => s.decompressed_content().unwrap_or_else(|_| s.content.clone()),
        _ => s.content.clone(),
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        _ => Some(o),
    }
}

/// Names drawn with `Do` in a content stream.
fn drawn(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(ops) = lopdf::content::Content::decode(content) else { return Vec::new() };
    ops.operations
        .into_iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec))
        .collect()
}

struct Budget<'a> {
    doc: &'a Document,
    cap: u64,
    /// Expanded size of each form already measured.
    sizes: HashMap<ObjectId, u64>,
    /// Forms being measured (a form found again here draws itself).
    path: Vec<ObjectId>,
}

impl Budget<'_> {
    fn over(&self) -> String {
        format!("cannot read the PDF: its page content inflates to more than the {} MiB cap", mib(self.cap))
    }

    /// The bytes drawing `content` with `resources` makes the reader go through.
    fn expand(&mut self, content: &[u8], resources: Option<&Dictionary>, depth: usize) -> Result<u64, String> {
        let mut total = content.len() as u64;
        let names = drawn(content);
        if names.is_empty() {
            return Ok(total);
        }
        let doc = self.doc;
        let xobjects =
            resources.and_then(|r| r.get(b"XObject").ok()).and_then(|x| deref(doc, x)).and_then(|x| x.as_dict().ok());
        for name in names {
            let Some(Object::Reference(id)) = xobjects.and_then(|x| x.get(&name).ok()) else { continue };
            let id = *id;
            let Ok(Object::Stream(s)) = doc.get_object(id) else { continue };
            let size = match self.sizes.get(&id) {
                Some(n) => *n,
                None => {
                    if self.path.contains(&id) || depth > 64 {
                        return Err(
                            "cannot read the PDF: a form XObject draws itself (a drawing loop); the file is broken or hostile"
                                .into(),
                        );
                    }
                    let own = decoded_len(s, self.cap);
                    if own > self.cap {
                        return Err(self.over());
                    }
                    let inner = content_of(s);
                    let res = s.dict.get(b"Resources").ok().and_then(|r| deref(doc, r)).and_then(|r| r.as_dict().ok());
                    self.path.push(id);
                    let n = self.expand(&inner, res.or(resources), depth + 1);
                    self.path.pop();
                    let n = n?;
                    self.sizes.insert(id, n);
                    n
                }
            };
            total = total.saturating_add(size);
            if total > self.cap {
                return Err(self.over());
            }
        }
        Ok(total)
    }
}

/// Refuses a PDF whose pages would make the reader inflate more than `cap`
/// bytes (form XObjects counted each time they are drawn) or draw in a loop.
pub(crate) fn preflight(doc: &Document, cap: u64) -> Result<(), String> {
    let mut budget = Budget { doc, cap, sizes: HashMap::new(), path: Vec::new() };
    let mut total = 0u64;
    for (_, page) in doc.get_pages() {
        let mut content = Vec::new();
        for id in doc.get_page_contents(page) {
            if let Ok(Object::Stream(s)) = doc.get_object(id) {
                if decoded_len(s, cap).saturating_add(content.len() as u64) > cap {
                    return Err(budget.over());
                }
                content.extend_from_slice(&content_of(s));
            }
        }
        let resources = page_resources(doc, page);
        total = total.saturating_add(budget.expand(&content, resources, 0)?);
        if total > cap {
            return Err(budget.over());
        }
    }
    Ok(())
}

/// A page's resources, inherited from its ancestors when it has none.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let (own, inherited) = doc.get_page_resources(page).ok()?;
    own.or_else(|| inherited.into_iter().find_map(|id| doc.get_dictionary(id).ok()))
}

/// Rejoins words hyphenated across line breaks ("Depart-\nment").
fn dehyphenate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        let joins = trimmed.ends_with('-')
            && trimmed[..trimmed.len() - 1].chars().next_back().is_some_and(char::is_alphabetic)
            && lines.peek().and_then(|n| n.trim_start().chars().next()).is_some_and(char::is_lowercase);
        if joins {
            out.push_str(&trimmed[..trimmed.len() - 1]);
            if let Some(next) = lines.next() {
                out.push_str(next.trim_start());
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn rejoins_hyphenation() {
        assert_eq!(
            super::dehyphenate("the State Depart-\nment said\nNew-\nYork"),
            "the State Department said\nNew-\nYork\n"
        );
    }

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(super::extract(b"%PDF-1.4 garbage \x00\x01").is_err());
        assert!(super::extract(b"").is_err());
    }

    /// A one-page PDF: `page` is the page's content stream, `extra` more
    /// objects from number 5 on, `xobjects` the page's XObject resources.
    pub(crate) fn build(page: &[u8], page_filter: &str, extra: &[Vec<u8>], xobjects: &str) -> Vec<u8> {
        let mut objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject << {xobjects} >> >> >>"
            )
            .into_bytes(),
        ];
        let mut s = format!("<< /Length {} {page_filter} >>\nstream\n", page.len()).into_bytes();
        s.extend_from_slice(page);
        s.extend_from_slice(b"\nendstream");
        objs.push(s);
        objs.extend(extra.iter().cloned());
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).as_bytes(),
        );
        out
    }

    pub(crate) fn form(content: &[u8], resources: &str) -> Vec<u8> {
        let mut s = format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {resources} >> /Length {} >>\nstream\n",
            content.len()
        )
        .into_bytes();
        s.extend_from_slice(content);
        s.extend_from_slice(b"\nendstream");
        s
    }

    #[test]
    fn reads_a_plain_page() {
        let pdf = build(b"BT /F1 12 Tf 72 700 Td (Hello bounded world) Tj ET", "", &[], "");
        let t = text_in_process(&pdf, cap()).unwrap();
        assert!(t.contains("Hello bounded world"), "{t:?}");
    }

    #[test]
    fn a_form_that_draws_itself_is_refused() {
        let f = form(b"/X1 Do", "/XObject << /X1 5 0 R >>");
        let pdf = build(b"/X1 Do", "", &[f], "/X1 5 0 R");
        let e = text_in_process(&pdf, cap()).unwrap_err();
        assert!(e.contains("draws itself"), "{e}");
    }

    #[test]
    fn forms_drawn_many_times_over_count_against_the_cap() {
        // Each level draws the next ten times: 10^6 draws of a small text.
        let mut extra = Vec::new();
        for k in 0..6 {
            let body = if k == 5 { b"BT /F1 12 Tf (lots of words here) Tj ET".to_vec() } else { b"/N Do ".repeat(10) };
            extra.push(form(&body, &format!("/XObject << /N {} 0 R >>", 6 + k)));
        }
        let pdf = build(b"/N Do", "", &extra, "/N 5 0 R");
        let e = text_in_process(&pdf, 1024 * 1024).unwrap_err();
        assert!(e.contains("inflates to more than the 1 MiB cap"), "{e}");
    }

    #[test]
    fn a_deflate_bomb_is_refused_before_it_is_inflated() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..64 {
            z.write_all(&chunk).unwrap();
        }
        let bomb = z.finish().unwrap();
        let pdf = build(&bomb, "/Filter /FlateDecode", &[], "");
        assert!(pdf.len() < 200_000);
        let e = text_in_process(&pdf, 20 * 1024 * 1024).unwrap_err();
        assert!(e.contains("inflates to more than the 20 MiB cap"), "{e}");
    }
}
