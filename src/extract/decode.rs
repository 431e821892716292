//! Bytes to text: BOM, then the Content-Type charset, then a `<meta charset>`
//! in the first kilobyte, then UTF-8 if valid, then a guess (chardetng), so
//! legacy pages (windows-1252 French, Shift_JIS) read right.

use encoding_rs::Encoding;

/// The `charset` parameter of a Content-Type value.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes())
        } else {
            None
        }
    })
}

/// A `<meta charset=...>` or `<meta http-equiv content="...; charset=...">` in the first 1024 bytes.
fn meta_charset(raw: &[u8]) -> Option<&'static Encoding> {
    let head = &raw[..raw.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map(|e| start + e).unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset=") {
            let value: Vec<u8> = tag[c + 8..]
                .iter()
                .copied()
                .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .collect();
            if let Some(enc) = Encoding::for_label(&value) {
                // A page that says UTF-16 in ASCII-compatible bytes is really UTF-8.
                return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    enc
                });
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes `raw` to text; `html` enables the `<meta charset>` scan.
pub fn decode(raw: &[u8], content_type: Option<&str>, html: bool) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(raw) {
        return enc.decode_without_bom_handling(&raw[bom_len..]).0.into_owned();
    }
    // A `<meta charset>` naming a legacy encoding on bytes that are valid
    // UTF-8 with non-ASCII text is a page saved or converted as UTF-8 since
    // (legacy multi-byte text is practically never valid UTF-8).
    let utf8 = || !raw.is_ascii() && std::str::from_utf8(raw).is_ok();
    let enc = content_type
        .and_then(header_charset)
        .or_else(|| if html { meta_charset(raw).map(|e| if utf8() { encoding_rs::UTF_8 } else { e }) } else { None })
        .unwrap_or_else(|| {
            if std::str::from_utf8(raw).is_ok() {
                encoding_rs::UTF_8
            } else {
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                det.feed(raw, true);
                det.guess(None, chardetng::Utf8Detection::Allow)
            }
        });
    enc.decode_without_bom_handling(raw).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_right_encoding() {
        let latin1 = b"<html><head><meta charset=\"windows-1252\"></head><body>D\xe9plac\xe9s</body></html>";
        assert!(decode(latin1, Some("text/html"), true).contains("Déplacés"));
        assert!(decode(b"caf\xe9", Some("text/plain; charset=ISO-8859-1"), false).contains("café"));
        assert!(decode("\u{feff}é".as_bytes(), None, false).starts_with('é'));
        // No label at all: a French windows-1252 text is guessed.
        let guess = decode(
            b"Les personnes d\xe9plac\xe9es internes sont \xe0 la fronti\xe8re du pays, d\xe9j\xe0.",
            None,
            false,
        );
        assert!(guess.contains("déplacées"), "{guess}");
        let meta = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>\xe9t\xe9</p>";
        assert!(decode(meta, None, true).contains("été"));
        // The meta tag of a page since saved as UTF-8 no longer holds.
        let saved = "<meta charset=\"gb2312\"><p>谷歌在2014年收购的人工智能公司</p>";
        assert!(decode(saved.as_bytes(), None, true).contains("谷歌在2014年"));
        let saved = "<meta charset=\"windows-1252\"><p>Déplacés</p>";
        assert!(decode(saved.as_bytes(), Some("text/html"), true).contains("Déplacés"));
        // What the server says still holds.
        assert!(decode("é".as_bytes(), Some("text/html; charset=windows-1252"), true).contains("Ã©"));
    }
}
