//! Turn raw bytes into UTF-8 text, saying which encoding they were in.

/// Why a file could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes look like a binary file (PDF, image, archive).
    #[error("is not a text file ({0}); convert it to plain text first")]
    Binary(String),
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
    /// The text, as UTF-8.
    pub text: String,
    /// The encoding's name.
    pub encoding: String,
}

/// Decode bytes: UTF-8 (with or without BOM) first, else detect the encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(kind) = binary_kind(bytes) {
        return Err(DecodeError::Binary(kind.into()));
    }
    let (bytes, encoding) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, "UTF-8 (BOM)"),
        _ => (bytes, "UTF-8"),
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), encoding: encoding.into() }),
        Err(_) => Ok(Decoded { text: String::from_utf8_lossy(bytes).into_owned(), encoding: "UTF-8 (lossy)".into() }),
    }
}

fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"\x7FELF", "executable"),
    ];
    MAGIC.iter().find(|(m, _)| bytes.starts_with(m)).map(|(_, k)| *k)
}
