//! A decoded source document: the one owned value every later stage points into with spans.

use super::decode::{decode, DecodeError};
use crate::config::Limits;
use crate::span::LineIndex;
use arcstr::ArcStr;
use sha2::{Digest, Sha256};

/// One source document, decoded to UTF-8, with its lines indexed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Stable id, a slug of the file name (`^[a-z0-9][a-z0-9._-]*$`).
    pub id: String,
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    /// sha256 of the raw bytes, lowercase hex.
    pub sha256: String,
    /// The encoding the bytes were decoded from (e.g. `UTF-8`, `windows-1252`).
    pub encoding: String,
    /// The decoded text; every span of this source points into it, and a claim's quote is a
    /// piece of it ([`arcstr::Substr`]).
    pub text: ArcStr,
    /// Where its lines start and end.
    pub lines: LineIndex,
}

impl Source {
    /// Decode raw bytes read from `path` (relative to the project root).
    pub fn from_bytes(path: &str, bytes: &[u8], limits: &Limits) -> Result<Source, DecodeError> {
        if bytes.len() as u64 > limits.max_source_bytes {
            return Err(DecodeError::TooLarge { size: bytes.len() as u64, max: limits.max_source_bytes });
        }
        let decoded = decode(bytes)?;
        // (A span is counted in 32 bits: a text decoded to 4 GiB or more is no article.)
        if decoded.text.len() > u32::MAX as usize {
            return Err(DecodeError::TooLarge { size: decoded.text.len() as u64, max: u32::MAX as u64 });
        }
        if let Some(len) = longest_line(&decoded.text) {
            if len as u64 > limits.max_line_bytes {
                return Err(DecodeError::LineTooLong { len: len as u64, max: limits.max_line_bytes });
            }
        }
        Ok(Source::new(path, &hex_sha256(bytes), decoded.encoding, decoded.text))
    }

    /// A source from already decoded text (tests, benchmarks).
    pub fn from_text(path: &str, text: &str) -> Source {
        Source::new(path, &hex_sha256(text.as_bytes()), "UTF-8".into(), text.to_string())
    }

    fn new(path: &str, sha256: &str, encoding: String, text: String) -> Source {
        let lines = LineIndex::new(&text);
        Source {
            id: slugify(file_stem(path)),
            path: path.to_string(),
            sha256: sha256.to_string(),
            encoding,
            text: ArcStr::from(text),
            lines,
        }
    }
}

fn longest_line(text: &str) -> Option<usize> {
    text.split(['\n', '\r']).map(str::len).max()
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(stem, _)| stem).filter(|s| !s.is_empty()).unwrap_or(name)
}

/// Lowercase hex sha256 of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex_prefix(bytes, 64)
}

/// The first `digits` (at most 64) lowercase hex digits of the sha256 of bytes: claim ids and
/// quote hashes need 8 or 16, and no more is formatted.
pub fn hex_prefix(bytes: &[u8], digits: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let digits = digits.min(64);
    let mut out = String::with_capacity(digits);
    for k in 0..digits {
        let b = digest[k / 2];
        let nibble = if k % 2 == 0 { b >> 4 } else { b & 0xf };
        out.push(HEX[nibble as usize] as char);
    }
    out
}

/// A URL- and file-system-safe id: lowercase ASCII letters, digits, `.`, `-`; accents folded;
/// never empty, never starting with a dot or dash, no `..`, never a Windows device name
/// (`con`, `nul`, `com1`... get `-file` appended), at most 85 bytes.
pub fn slugify(name: &str) -> String {
    // Every character pushed is ASCII, so byte lengths below are character counts.
    let mut out = String::with_capacity(name.len());
    let mut push = |c: char| {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '.' {
            // `a..b` is harmless as one path component, but a slug never needs it.
            if !out.ends_with('.') {
                out.push(c);
            }
        } else if !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in name.chars() {
        match fold_accent(c) {
            Some(folded) => folded.chars().for_each(&mut push),
            None => push(c),
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    let mut slug = trimmed[..trimmed.len().min(80)].trim_end_matches(['-', '.']).to_string();
    if slug.is_empty() {
        slug = format!("s{}", hex_prefix(name.as_bytes(), 8));
    }
    if is_reserved_on_windows(&slug) {
        slug.push_str("-file");
    }
    slug
}

/// Windows refuses these names for a file, whatever the extension (`con.md`, `nul.html`), and
/// a site is often checked out or previewed there.
fn is_reserved_on_windows(slug: &str) -> bool {
    let base = slug.split('.').next().unwrap_or(slug);
    matches!(base, "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit())
}

/// The ASCII letters an accented Latin letter folds to, `None` for any other character.
fn fold_accent(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    let folded: &str = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' | 'ý' => "y",
        'ñ' | 'Ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => return None,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("017_9f2c4d1a7b3e5c60"), "017-9f2c4d1a7b3e5c60");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Été à Valbrune"), "ete-a-valbrune");
        assert!(slugify("....").starts_with('s'));
        assert!(slugify(&"x".repeat(500)).len() <= 80);
    }

    #[test]
    fn slugs_are_never_windows_device_names() {
        for (name, slug) in [
            ("CON", "con-file"),
            ("nul", "nul-file"),
            ("Aux.tar", "aux.tar-file"),
            ("com1", "com1-file"),
            ("LPT9", "lpt9-file"),
            ("console", "console"),
            ("com10", "com10"),
            ("prn-x", "prn-x"),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
    }

    #[test]
    fn slugs_match_the_id_pattern() {
        let ok = |s: &str| {
            let b = s.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && s.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
                && !s.contains("..")
        };
        for name in [
            "..\\..\\windows\\system32",
            "/etc/passwd",
            "a..b",
            ".hidden",
            "-rf",
            "\u{202e}gnp.exe",
            "日本語",
            "<script>alert(1)</script>",
            "  ",
            "Ⅻ ﬁ Ǆ",
            "a\0b\nc",
        ] {
            let slug = slugify(name);
            assert!(ok(&slug), "{name:?} -> {slug:?}");
        }
    }

    #[test]
    fn id_from_path() {
        let s = Source::from_text("seeds/001_ab.txt", "Bonjour.");
        assert_eq!(s.id, "001-ab");
        assert_eq!(s.sha256.len(), 64);
    }

    #[test]
    fn hex_digests() {
        // sha256("abc"), FIPS 180-2 appendix B.1.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(hex_sha256(b"abc"), abc);
        assert_eq!(hex_prefix(b"abc", 8), &abc[..8]);
        assert_eq!(hex_prefix(b"abc", 16), &abc[..16]);
        assert_eq!(hex_prefix(b"abc", 99), abc);
    }
}
