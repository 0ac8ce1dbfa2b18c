//! One sentence, tokenised once, with the lexicon's phrases found once: every rule of the
//! extractor reads this view instead of scanning the text again.

use super::rules::{Entry, Lexicon};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (maybe with digits: "S1", "1er"), an elided word keeps its apostrophe ("l’").
    Word,
    /// Digits, maybe with an inner "." or "," ("2.300", "3,5").
    Num,
    /// Any other single character.
    Punct,
}

/// A token: byte offsets relative to the sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Holds a digit.
    pub digit: bool,
    /// White space before it (or the sentence start).
    pub space: bool,
}

/// No lexicon phrase starts at this token.
const NONE: u32 = u32::MAX;

/// The lexicon's phrases by their leading run of letters and digits (ASCII lowercase): for
/// each run, the patterns starting with it, longest first. A run of up to 8 bytes (nearly
/// every word) is looked up as one integer, with no string hashing or comparison.
#[derive(Debug, Default)]
pub(crate) struct Heads {
    short: rustc_hash::FxHashMap<u64, (u32, u32)>,
    long: rustc_hash::FxHashMap<String, (u32, u32)>,
    /// The pattern lists, one after the other, each pattern with its length in bytes (read
    /// before the pattern itself, which most candidates never need); the maps hold (start,
    /// end) into it.
    lists: Vec<(u32, u32)>,
}

impl Heads {
    /// The table of these lists of patterns.
    pub fn new(by_head: impl IntoIterator<Item = (String, Vec<u32>)>, patterns: &[String]) -> Heads {
        let mut heads = Heads::default();
        for (head, list) in by_head {
            let range = (heads.lists.len() as u32, (heads.lists.len() + list.len()) as u32);
            heads.lists.extend(list.into_iter().map(|p| (p, patterns[p as usize].len() as u32)));
            match Heads::pack(head.as_bytes()) {
                Some(key) => heads.short.insert(key, range),
                None => heads.long.insert(head, range),
            };
        }
        heads
    }

    /// A run of up to 8 bytes as an integer. A run holds no NUL byte, so the zero padding
    /// keeps runs of different lengths apart.
    #[inline]
    fn pack(run: &[u8]) -> Option<u64> {
        if run.len() > 8 {
            return None;
        }
        let mut b = [0u8; 8];
        b[..run.len()].copy_from_slice(run);
        Some(u64::from_le_bytes(b))
    }

    /// The patterns (and their lengths, longest first) starting with the run of `len` bytes at
    /// the start of `padded`, which holds at least 8 bytes: a short run is read as one integer
    /// and masked, without a copy.
    #[inline]
    fn get_padded(&self, padded: &[u8], len: usize) -> Option<&[(u32, u32)]> {
        let range = if len <= 8 {
            let word = u64::from_le_bytes(padded[..8].try_into().expect("8 bytes"));
            let key = if len == 8 { word } else { word & ((1u64 << (8 * len)) - 1) };
            self.short.get(&key)
        } else {
            std::str::from_utf8(&padded[..len]).ok().and_then(|run| self.long.get(run))
        };
        range.map(|&(a, b)| &self.lists[a as usize..b as usize])
    }

    /// True when there is no phrase.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

/// Reused buffers, so that a sentence costs no allocation once warm.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    toks: Vec<Tok>,
    /// Per token: (end token, exclusive; pattern) of the phrase starting there.
    lex: Vec<(u32, u32)>,
    /// Per token: taken by a date or a figure.
    pub used: Vec<bool>,
    /// The sentence in ASCII lower case.
    key: String,
    /// Per byte: the token ending there.
    ends: Vec<u32>,
}

/// A tokenised sentence.
pub(crate) struct Sent<'a> {
    /// The sentence text.
    pub text: &'a str,
    pub toks: &'a [Tok],
    lex: &'a [(u32, u32)],
    entries: &'a [Entry],
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for the characters of Latin
/// scripts and their punctuation (the general lookup costs a tenth of the extraction time on
/// French text, where "é" and "’" are everywhere).
#[inline]
pub(crate) fn alnum(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        // Latin-1 punctuation and symbols, but ª, µ, º and the superscripts and fractions.
        0x80..=0xBF => matches!(c as u32, 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC | 0xBD | 0xBE),
        // Latin-1 letters and Latin Extended-A: all letters but × and ÷.
        0xC0..=0x17F => c != '×' && c != '÷',
        // General Punctuation holds no letter or digit.
        0x2000..=0x206F => false,
        _ => c.is_alphanumeric(),
    }
}

/// The leading run of letters and digits of `text`.
pub(crate) fn head(text: &str) -> &str {
    let b = text.as_bytes();
    let mut k = 0;
    while k < b.len() {
        if b[k] < 0x80 {
            if !b[k].is_ascii_alphanumeric() {
                break;
            }
            k += 1;
        } else {
            match text[k..].chars().next() {
                Some(c) if alnum(c) => k += c.len_utf8(),
                _ => break,
            }
        }
    }
    &text[..k]
}

/// Tokenise `text` into `out`.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let mut i = 0;
    let mut space = true;
    while i < b.len() {
        let c = if b[i] < 0x80 { b[i] as char } else { text[i..].chars().next().unwrap_or(' ') };
        let cl = c.len_utf8();
        if c.is_whitespace() {
            space = true;
            i += cl;
            continue;
        }
        if alnum(c) {
            let start = i;
            let cap = c.is_uppercase();
            let mut all_digits = true;
            let mut digit = false;
            let mut j = i;
            loop {
                while j < b.len() {
                    let x = b[j];
                    if x < 0x80 {
                        if x.is_ascii_digit() {
                            digit = true;
                        } else if x.is_ascii_alphabetic() {
                            all_digits = false;
                        } else {
                            break;
                        }
                        j += 1;
                        continue;
                    }
                    let d = text[j..].chars().next().unwrap_or(' ');
                    if !alnum(d) {
                        break;
                    }
                    all_digits = false;
                    j += d.len_utf8();
                }
                // "2.300", "3,5": one number.
                if all_digits && j + 1 < b.len() && (b[j] == b'.' || b[j] == b',') && b[j + 1].is_ascii_digit() {
                    j += 1;
                    continue;
                }
                break;
            }
            // An elided word keeps its apostrophe: "l’", "qu’", "jusqu’".
            if !all_digits && j < b.len() {
                let apo = if b[j] == b'\'' {
                    1
                } else if text[j..].starts_with('’') {
                    '’'.len_utf8()
                } else {
                    0
                };
                if apo > 0 && text[j + apo..].chars().next().is_some_and(char::is_alphabetic) {
                    j += apo;
                }
            }
            out.push(Tok { start, end: j, kind: if all_digits { Kind::Num } else { Kind::Word }, cap, digit, space });
            i = j;
        } else {
            out.push(Tok { start: i, end: i + cl, kind: Kind::Punct, cap: false, digit: false, space });
            i += cl;
        }
        space = false;
    }
}

impl Scratch {
    /// Tokenise a sentence and find the lexicon's phrases in it.
    pub fn load<'a>(&'a mut self, text: &'a str, lex: &'a Lexicon) -> Sent<'a> {
        tokenize(text, &mut self.toks);
        self.lex.clear();
        self.lex.resize(self.toks.len(), (NONE, NONE));
        self.used.clear();
        self.used.resize(self.toks.len(), false);
        if !lex.heads.is_empty() {
            // Byte offset → token ending there, so that each candidate phrase is checked for a
            // word boundary at its end in constant time.
            self.ends.clear();
            self.ends.resize(text.len() + 1, NONE);
            for (k, t) in self.toks.iter().enumerate() {
                self.ends[t.end] = k as u32;
            }
            // The phrases are lower case (but a capitalised non-ASCII first letter): matching
            // them ASCII-case-insensitively is comparing them with the ASCII-lowercased text.
            self.key.clear();
            self.key.push_str(text);
            self.key.make_ascii_lowercase();
            // Eight NUL bytes after the text, so that a word's first 8 bytes can always be read.
            self.key.push_str("\0\0\0\0\0\0\0\0");
            let padded = self.key.as_bytes();
            let lower = &self.key[..text.len()];
            for (k, t) in self.toks.iter().enumerate() {
                if t.kind != Kind::Word {
                    continue;
                }
                let word = &lower[t.start..t.end];
                // A word without digits is its run plus maybe an elision's apostrophe; one with
                // digits may hold a "." or "," ("2.3e"), and its run is found the long way.
                let run = if t.digit {
                    head(word)
                } else if let Some(w) = word.strip_suffix('\'') {
                    w
                } else {
                    word.strip_suffix('’').unwrap_or(word)
                };
                let Some(candidates) = lex.heads.get_padded(&padded[t.start..], run.len()) else { continue };
                // Longest first: the first one that ends on a token end and matches wins. Each
                // starts with the run, so only what follows it is compared.
                let from = t.start + run.len();
                for &(p, len) in candidates {
                    let end = t.start + len as usize;
                    if end > lower.len() {
                        continue;
                    }
                    let j = self.ends[end];
                    if j == NONE
                        || (j as usize) < k
                        || lower.as_bytes()[from..end] != lex.patterns[p as usize].as_bytes()[run.len()..]
                    {
                        continue;
                    }
                    self.lex[k] = (j + 1, p);
                    break;
                }
            }
        }
        Sent { text, toks: &self.toks, lex: &self.lex, entries: &lex.entries }
    }
}

impl<'a> Sent<'a> {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.text[t.start..t.end]
    }

    /// The text from token `i` to token `j` (exclusive).
    pub fn slice(&self, i: usize, j: usize) -> &'a str {
        if i >= j {
            return "";
        }
        &self.text[self.toks[i].start..self.toks[j - 1].end]
    }

    /// The phrase starting at token `i`: its end token (exclusive) and entry.
    pub fn phrase(&self, i: usize) -> Option<(usize, &'a Entry)> {
        let (end, pat) = *self.lex.get(i)?;
        (end != NONE).then(|| (end as usize, &self.entries[pat as usize]))
    }

    /// The end of the phrase starting at `i` when it plays role `r`.
    pub fn at(&self, i: usize, r: u64) -> Option<usize> {
        self.phrase(i).filter(|(_, e)| e.is(r)).map(|(end, _)| end)
    }

    /// True when token `i` alone is a phrase playing role `r`.
    pub fn is1(&self, i: usize, r: u64) -> bool {
        self.phrase(i).is_some_and(|(end, e)| end == i + 1 && e.is(r))
    }

    /// The start of a phrase playing role `r` that ends right before token `i`.
    pub fn ending_at(&self, i: usize, r: u64) -> Option<(usize, &'a Entry)> {
        (i.saturating_sub(6)..i)
            .find_map(|k| self.phrase(k).filter(|(end, e)| *end == i && e.is(r)).map(|(_, e)| (k, e)))
    }

    /// True when token `i` is the punctuation `c`.
    pub fn punct(&self, i: usize, c: u8) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Punct && self.text.as_bytes()[self.toks[i].start] == c
    }

    /// True when token `i` is punctuation among `set`.
    pub fn punct_in(&self, i: usize, set: &[char]) -> bool {
        i < self.toks.len()
            && self.toks[i].kind == Kind::Punct
            && self.word(i).chars().next().is_some_and(|c| set.contains(&c))
    }

    /// True when token `i` is glued to the one before (no white space).
    pub fn glued(&self, i: usize) -> bool {
        i < self.toks.len() && !self.toks[i].space
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(s, &mut t);
        t.iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn fast_alphanumeric_agrees_with_unicode() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(alnum(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
        }
        assert_eq!(head("État-major"), "État");
        assert_eq!(head("l’armée"), "l");
    }

    #[test]
    fn tokens_keep_numbers_elisions_and_hyphens() {
        assert_eq!(words("l’armée a perdu 2.300 hommes"), ["l’", "armée", "a", "perdu", "2.300", "hommes"]);
        assert_eq!(words("3,5 % du PIB."), ["3,5", "%", "du", "PIB", "."]);
        assert_eq!(words("le missile XT-9"), ["le", "missile", "XT", "-", "9"]);
        assert_eq!(words("jusqu'à 40 000"), ["jusqu'", "à", "40", "000"]);
    }
}
