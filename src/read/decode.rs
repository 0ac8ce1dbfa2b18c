//! Turn raw bytes into UTF-8 text, saying which encoding they were in.
//!
//! The order of the checks is the order of certainty: a known binary signature first (a PDF
//! renamed `.txt` is still a PDF), then a byte order mark, then the NUL-byte pattern of
//! BOM-less UTF-16, then strict UTF-8, and only then a statistical guess (`chardetng`) among
//! the legacy encodings, decoded by `encoding_rs`. Whatever the way in, text that is mostly
//! control characters is not an article and is refused as binary.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Why a file could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes look like a binary file (PDF, image, archive).
    #[error("is not a text file ({0}); convert it to plain text first")]
    Binary(String),
    /// The bytes claim or look like an encoding but are malformed in it.
    #[error("cannot be decoded as {0}: the file is damaged or not text; re-save it as UTF-8")]
    Undecodable(String),
    /// The file is larger than the configured limit.
    #[error(
        "is {size} bytes, over the limit of {max} (raise `limits.max_source_bytes` in factsite.toml or split the file)"
    )]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// One line is longer than the configured limit.
    #[error("has a line of {len} bytes, over the limit of {max} (raise `limits.max_line_bytes` in factsite.toml)")]
    LineTooLong {
        /// The line's length.
        len: u64,
        /// The limit.
        max: u64,
    },
}

/// Decoded text and the name of the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, as UTF-8, without byte order mark.
    pub text: String,
    /// The encoding's WHATWG name (`UTF-8`, `UTF-16LE`, `windows-1252`...), followed by
    /// ` (BOM)` when the file started with a byte order mark.
    pub encoding: String,
}

/// How much of the file the UTF-16 and binary sniffing looks at: enough for a verdict, and
/// it keeps the cost flat on large files.
const SNIFF: usize = 8192;

/// Decode bytes: BOM first, then UTF-8, else detect the encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(DecodeError::Binary(kind.into()));
    }
    let decoded = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => strict(UTF_8, rest, "UTF-8 (BOM)")?,
        [0xFF, 0xFE, rest @ ..] => strict(UTF_16LE, rest, "UTF-16LE (BOM)")?,
        [0xFE, 0xFF, rest @ ..] => strict(UTF_16BE, rest, "UTF-16BE (BOM)")?,
        _ => match utf16_without_bom(bytes) {
            Some(enc) => strict(enc, bytes, enc.name())?,
            None if bytes.contains(&0) => return Err(DecodeError::Binary("contains NUL bytes".into())),
            None => match std::str::from_utf8(bytes) {
                Ok(text) => Decoded { text: text.to_string(), encoding: "UTF-8".into() },
                Err(_) => legacy(bytes)?,
            },
        },
    };
    let mut decoded = decoded;
    // A file re-saved with a BOM already in its text starts with a second one (U+FEFF): it
    // is no content, and would otherwise be quoted and counted as part of the first line.
    if let Some(rest) = decoded.text.strip_prefix('\u{feff}') {
        decoded.text = rest.trim_start_matches('\u{feff}').to_string();
    }
    if mostly_control(&decoded.text) {
        return Err(DecodeError::Binary("mostly control characters".into()));
    }
    Ok(decoded)
}

/// Decode `bytes` (BOM already removed) with `enc`, refusing malformed input rather than
/// filling the text with replacement characters an editor would then quote.
fn strict(enc: &'static Encoding, bytes: &[u8], label: &str) -> Result<Decoded, DecodeError> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if !text.contains('\0') => Ok(Decoded { text: text.into_owned(), encoding: label.into() }),
        Some(_) => Err(DecodeError::Binary("contains NUL characters".into())),
        None => Err(DecodeError::Undecodable(label.into())),
    }
}

/// Not UTF-8: guess the legacy encoding (Windows-1252 for Western European text; Latin-1
/// files decode the same way, as the WHATWG standard maps ISO-8859-1 onto it).
fn legacy(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, false);
    strict(enc, bytes, enc.name())
}

/// BOM-less UTF-16 is recognisable when one byte of every pair is NUL far more often than the
/// other: Latin text has a zero high byte. Returns the byte order, or `None`.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 || bytes.len() % 2 != 0 {
        return None;
    }
    let zeros = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let dominant = |many: usize, few: usize| many * 10 >= pairs * 3 && few * 20 <= pairs;
    if dominant(odd, even) {
        Some(UTF_16LE)
    } else if dominant(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// More than one character in ten a control character (tabs, form feeds and line breaks
/// excepted): an article never looks like that, a binary decoded as Windows-1252 does.
fn mostly_control(text: &str) -> bool {
    let (mut total, mut control) = (0usize, 0usize);
    for c in text.chars().take(SNIFF) {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0b' | '\x0c') {
            control += 1;
        }
    }
    control * 10 > total
}

fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"II*\0", "TIFF image"),
        (b"MM\0*", "TIFF image"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "old Office document"),
        (b"{\\rtf", "RTF document"),
        (b"\x1F\x8B", "gzip archive"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"Rar!\x1A\x07", "RAR archive"),
        (b"\x7FELF", "executable"),
        (b"MZ\x90\0", "executable"),
        (b"\0asm", "WebAssembly"),
        (b"SQLite format 3\0", "SQLite database"),
        (b"\xFF\xFE\0\0", "UTF-32 text, which is not supported: re-save it as UTF-8"),
        (b"\0\0\xFE\xFF", "UTF-32 text, which is not supported: re-save it as UTF-8"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    match bytes.get(..12) {
        Some([_, _, _, _, b'f', b't', b'y', b'p', ..]) => Some("video or HEIF image"),
        Some([b'R', b'I', b'F', b'F', _, _, _, _, ..]) => Some("RIFF media file (WebP, WAV, AVI)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big_endian { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for unit in text.encode_utf16() {
            out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    const TEXT: &str = "L'été dernier, 42 % des élèves ont réussi l'examen.\r\nLe ministère l'a confirmé.\r";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(TEXT.as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (TEXT, "UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(TEXT.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (TEXT, "UTF-8 (BOM)"));
        // Found by fuzzing: a BOM doubled by a re-save is not text.
        assert_eq!(decode(b"\xFF\xFE\xFF\xFE").unwrap().text, "");
        assert_eq!(decode("\u{feff}\u{feff}Bonjour".as_bytes()).unwrap().text, "Bonjour");
    }

    #[test]
    fn utf16_both_orders_with_and_without_bom() {
        for (be, bom, name) in [
            (false, true, "UTF-16LE (BOM)"),
            (true, true, "UTF-16BE (BOM)"),
            (false, false, "UTF-16LE"),
            (true, false, "UTF-16BE"),
        ] {
            let d = decode(&utf16(TEXT, be, bom)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!((d.text.as_str(), d.encoding.as_str()), (TEXT, name));
        }
    }

    #[test]
    fn windows_1252_and_latin1_are_detected() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("« L’œuvre coûte 30 € », a déclaré le maire. Été, hôpital, fenêtre.");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "« L’œuvre coûte 30 € », a déclaré le maire. Été, hôpital, fenêtre.");
        // Latin-1 bytes for the same letters are the same bytes.
        let latin1: Vec<u8> = "Déjà vu à Noël, près de l'école élémentaire.".chars().map(|c| c as u32 as u8).collect();
        let d = decode(&latin1).unwrap();
        assert_eq!(d.text, "Déjà vu à Noël, près de l'école élémentaire.");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn malformed_utf16_is_refused_not_replaced() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16("Bonjour", false, false));
        bytes.extend([0x00, 0xD8, 0x41, 0x00]); // a lone high surrogate
        assert_eq!(decode(&bytes), Err(DecodeError::Undecodable("UTF-16LE (BOM)".into())));
    }

    #[test]
    fn binaries_are_refused() {
        for (bytes, kind) in [
            (&b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"[..], "PDF"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
            (b"PK\x03\x04\x14\0\x06\0", "ZIP archive or office document"),
            (b"Bonjour\0le monde\0\0\x01\x02", "contains NUL bytes"),
            (b"\x01\x02\x03\x04\x05\x06\x07\x08abc", "mostly control characters"),
        ] {
            assert_eq!(decode(bytes), Err(DecodeError::Binary(kind.into())), "{kind}");
        }
    }

    #[test]
    fn empty_and_plain_ascii_are_utf8() {
        assert_eq!(decode(b"").unwrap().encoding, "UTF-8");
        assert_eq!(decode(b"\n").unwrap().text, "\n");
        assert_eq!(decode(b"a\tb\x0cc").unwrap().encoding, "UTF-8");
    }
}
