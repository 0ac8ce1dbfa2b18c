//! Named entities: the gazetteer of known entities with their aliases (language data plus the
//! project's own list), matched in one pass; and the proper nouns the gazetteer does not know
//! (people, weapon systems, organisations), found from capitalisation and folded within a
//! document ("Martin Dupont ... Dupont a dit").

use super::rules::{role, ExtractRules};
use super::text::{Kind, Sent};
use crate::read::slugify;
use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, PatternID, StartKind};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// An entity of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (a slug).
    pub id: String,
    /// Display name.
    pub label: String,
    /// country, person, organisation, place, weapon...
    pub kind: String,
    /// Other names that refer to it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A mention of an entity in a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    /// The entity's id.
    pub id: String,
    /// The words of the source.
    pub text: String,
    /// The entity's display name (the gazetteer's label, or the name as found).
    pub label: String,
    /// country, person, organisation, place, weapon...
    pub kind: String,
}

/// The known entities and their aliases.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Every known entity.
    pub entities: Vec<Entity>,
    /// Every name, case-sensitive, longest first, searched anchored at each position: a DFA
    /// walked here, byte by byte, which costs far less than a search call per position.
    dfa: Option<DFA>,
    /// The one-byte names, the two-byte ones (`first << 8 | second`) and the first three
    /// bytes of the longer ones (hashed to 16 bits): a position where none of them starts is
    /// skipped without walking the automaton.
    single: Vec<bool>,
    pairs: Vec<bool>,
    triples: Vec<u64>,
    /// Per first byte, bit `n` set when a name holding a non-alphanumeric character (a space,
    /// a hyphen) starts with `n` letters or digits: the only names that, found inside a word,
    /// can run over the next word start.
    crossing: Vec<u64>,
    /// The entity of each automaton pattern.
    owner: Vec<usize>,
}

/// The shape of an entities file (`lang/<code>/entities.toml`, `content/entities.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitiesFile {
    /// The entities.
    #[serde(default, rename = "entity")]
    pub entities: Vec<Entity>,
}

/// The first three bytes of a name, hashed to 16 bits.
#[inline]
fn triple(a: u8, b: u8, c: u8) -> usize {
    let x = (a as u32) << 16 | (b as u32) << 8 | c as u32;
    (x.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// A name without a leading lower-case article ("la Banque mondiale" → "Banque mondiale",
/// "l'OMS" → "OMS"), so that "La Banque mondiale" at a sentence start matches too. Any
/// language: a leading all-lower-case word before a capitalised rest is taken for an article.
fn bare(name: &str) -> &str {
    let split = name.char_indices().find(|&(_, c)| c == ' ' || c == '\'' || c == '’');
    if let Some((k, c)) = split {
        let head = &name[..k];
        let rest = &name[k + c.len_utf8()..];
        if !head.is_empty()
            && head.chars().all(char::is_lowercase)
            && head.chars().count() <= 3
            && rest.chars().next().is_some_and(char::is_uppercase)
        {
            return rest;
        }
    }
    name
}

impl Gazetteer {
    /// A gazetteer of these entities. A name given to two entities goes to the later one, so
    /// that a project's own list overrides the language's.
    pub fn new(entities: Vec<Entity>) -> Gazetteer {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (k, e) in entities.iter().enumerate() {
            for name in std::iter::once(&e.label).chain(&e.aliases) {
                let b = bare(name.trim());
                if b.is_empty() {
                    continue;
                }
                by_name.insert(b.to_string(), k);
                if b.contains('\'') {
                    by_name.insert(b.replace('\'', "’"), k);
                }
                if b.contains('’') {
                    by_name.insert(b.replace('’', "'"), k);
                }
            }
        }
        let mut names: Vec<(String, usize)> = by_name.into_iter().collect();
        names.sort();
        let dfa = DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(names.iter().map(|(n, _)| n.as_str()))
            .ok();
        let mut pairs = vec![false; 1 << 16];
        let mut single = vec![false; 256];
        let mut triples = vec![0u64; 1 << 10];
        let mut crossing = vec![0u64; 256];
        for (n, _) in &names {
            let nb = n.as_bytes();
            let b = nb[0] as usize;
            match nb {
                [_] => single[b] = true,
                [_, c] => pairs[b << 8 | *c as usize] = true,
                [a, c, d, ..] => {
                    let h = triple(*a, *c, *d);
                    triples[h / 64] |= 1 << (h % 64);
                }
                [] => {}
            }
            let head = super::text::head(n).len();
            if head < n.len() && head < 64 {
                crossing[b] |= 1 << head;
            }
        }
        Gazetteer { entities, dfa, single, pairs, triples, crossing, owner: names.iter().map(|(_, k)| *k).collect() }
    }

    /// True when a name may start at byte `p` (a necessary condition, from its first bytes).
    #[inline]
    fn may_start(&self, bytes: &[u8], p: usize) -> bool {
        let b = bytes[p];
        if self.single[b as usize] {
            return true;
        }
        let Some(&c) = bytes.get(p + 1) else { return false };
        if self.pairs[(b as usize) << 8 | c as usize] {
            return true;
        }
        // A hash may collide; a name never starts inside a character, though.
        let continuation = (0x80..0xC0).contains(&b);
        !continuation
            && bytes.get(p + 2).is_some_and(|&d| {
                let h = triple(b, c, d);
                self.triples[h / 64] & (1 << (h % 64)) != 0
            })
    }

    /// The longest name starting exactly at byte `p`: its end and pattern, as an anchored
    /// leftmost-longest search from `p` finds it.
    #[inline]
    fn longest_at(dfa: &DFA, bytes: &[u8], p: usize) -> Option<(usize, PatternID)> {
        let mut sid = dfa.start_state(Anchored::Yes).ok()?;
        let mut found = None;
        if dfa.is_match(sid) {
            found = Some((p, dfa.match_pattern(sid, 0)));
        }
        for (k, &b) in bytes[p..].iter().enumerate() {
            let at = p + k;
            sid = dfa.next_state(Anchored::Yes, sid, b);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    let pid = dfa.match_pattern(sid, 0);
                    // A match state may carry a match that starts after `p`: not ours.
                    if at + 1 - dfa.pattern_len(pid) == p {
                        found = Some((at + 1, pid));
                    }
                }
            }
        }
        found
    }

    /// Known names in a text: byte range and entity index, in order, on word boundaries.
    pub(crate) fn spans(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(dfa) = &self.dfa else { return Vec::new() };
        let mut out = Vec::new();
        // Leftmost-longest, non-overlapping: the longest name at the first position that has
        // one, then on after it. Only bytes that start a name are tried, and inside a word
        // (where a name is never kept) only where a name could run over the word's end.
        let bytes = text.as_bytes();
        let mut p = 0;
        let mut run_end = 0;
        while p < bytes.len() {
            if !self.may_start(bytes, p) {
                p += 1;
                continue;
            }
            let b = bytes[p] as usize;
            let inside = p > 0 && text[..p].chars().next_back().is_some_and(super::text::alnum);
            if inside {
                if p >= run_end {
                    run_end = p + super::text::head(&text[p..]).len();
                }
                let rest = run_end - p;
                if rest >= 64 || self.crossing[b] & (1 << rest) == 0 {
                    p += 1;
                    continue;
                }
            }
            let Some((end, pattern)) = Gazetteer::longest_at(dfa, bytes, p) else {
                p += 1;
                continue;
            };
            let start = p;
            p = end;
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(super::text::alnum) || after.is_some_and(super::text::alnum) {
                continue;
            }
            out.push((start, end, self.owner[pattern.as_usize()]));
        }
        out
    }

    /// Mentions of known entities in a text, in order.
    pub fn find(&self, text: &str) -> Vec<EntityRef> {
        self.spans(text)
            .into_iter()
            .map(|(a, b, k)| {
                let e = &self.entities[k];
                EntityRef {
                    id: e.id.clone(),
                    text: text[a..b].to_string(),
                    label: e.label.clone(),
                    kind: e.kind.clone(),
                }
            })
            .collect()
    }
}

/// What a document has named so far: people (for "Dupont" after "Martin Dupont", and "selon
/// lui").
#[derive(Debug, Default, Clone)]
pub(crate) struct DocContext {
    /// (last word of the name, id, label), in order of appearance.
    persons: Vec<(String, String, String)>,
    /// The last person named.
    pub last_person: Option<(String, String)>,
}

impl DocContext {
    fn note_person(&mut self, id: &str, label: &str) {
        let last = label.rsplit([' ', '\u{a0}']).next().unwrap_or(label).to_string();
        if !self.persons.iter().any(|(_, i, _)| i == id) {
            self.persons.push((last, id.to_string(), label.to_string()));
        }
        self.last_person = Some((id.to_string(), label.to_string()));
    }

    fn surname(&self, word: &str) -> Option<(String, String)> {
        self.persons.iter().rev().find(|(s, _, _)| s == word).map(|(_, id, label)| (id.clone(), label.clone()))
    }
}

/// A mention found in a sentence, with its token range (for the speaker's entity).
#[derive(Debug, Clone)]
pub(crate) struct Mention<'a> {
    pub start: usize,
    pub end: usize,
    pub entity: Found<'a>,
}

/// An entity as found in a sentence, borrowing the gazetteer's and the sentence's strings: an
/// [`EntityRef`] is only built for the sentences that become claims.
#[derive(Debug, Clone)]
pub(crate) struct Found<'a> {
    pub id: Cow<'a, str>,
    pub text: &'a str,
    pub label: Cow<'a, str>,
    pub kind: &'a str,
}

impl Found<'_> {
    /// The owned mention of a claim.
    pub fn to_ref(&self) -> EntityRef {
        EntityRef {
            id: self.id.to_string(),
            text: self.text.to_string(),
            label: self.label.to_string(),
            kind: self.kind.to_string(),
        }
    }
}

/// Known and discovered entities of a sentence, in order; updates the document's context.
pub(crate) fn mentions<'a>(
    s: &Sent<'a>,
    gaz: &'a Gazetteer,
    _rules: &ExtractRules,
    ctx: &mut DocContext,
) -> Vec<Mention<'a>> {
    let mut out: Vec<Mention> = Vec::new();
    let n = s.len();
    // Known names, mapped to tokens.
    let mut covered = vec![false; n];
    let mut t = 0;
    for (a, b, k) in gaz.spans(s.text) {
        while t < n && s.toks[t].start < a {
            t += 1;
        }
        let start = t;
        let mut end = t;
        while end < n && s.toks[end].start < b {
            covered[end] = true;
            end += 1;
        }
        let e = &gaz.entities[k];
        if e.kind == "person" {
            ctx.note_person(&e.id, &e.label);
        }
        out.push(Mention {
            start,
            end,
            entity: Found {
                id: Cow::Borrowed(&e.id),
                text: &s.text[a..b],
                label: Cow::Borrowed(&e.label),
                kind: &e.kind,
            },
        });
    }
    let first_word = s.toks.iter().position(|t| t.kind == Kind::Word).unwrap_or(0);
    let mut i = 0;
    while i < n {
        if covered[i] || !name_start(s, i) {
            i += 1;
            continue;
        }
        // Skip words that open a sentence or a group without being names ("Le", "Des").
        if s.is1(i, role::FUNCTION) && (s.toks[i].cap || i == first_word) {
            i += 1;
            continue;
        }
        // Grow the name: capitalised words, hyphen-glued parts, particles between names.
        let mut end = i + 1;
        let mut words = 1;
        loop {
            if end + 1 < n
                && s.punct(end, b'-')
                && s.glued(end)
                && s.glued(end + 1)
                && s.toks[end + 1].kind != Kind::Punct
            {
                end += 2;
                continue;
            }
            if end < n && !covered[end] && s.toks[end].space && name_start(s, end) && !s.is1(end, role::FUNCTION) {
                end += 1;
                words += 1;
                continue;
            }
            if end + 1 < n
                && s.is1(end, role::PARTICLE)
                && !s.toks[end].cap
                && name_start(s, end + 1)
                && !covered[end + 1]
            {
                end += 2;
                words += 1;
                continue;
            }
            break;
        }
        let text = s.slice(i, end);
        let has_digit = (i..end).any(|k| s.toks[k].digit || s.toks[k].kind == Kind::Num);
        let acronym = text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let single = words == 1 && !has_digit;
        if single && s.is1(i, role::COMMON_NOUN) {
            i = end;
            continue;
        }
        let known = if single { ctx.surname(text) } else { None };
        if single && i == first_word && known.is_none() && !acronym {
            i = end;
            continue;
        }
        let entity = if let Some((id, label)) = known {
            ctx.last_person = Some((id.clone(), label.clone()));
            Found { id: Cow::Owned(id), text, label: Cow::Owned(label), kind: "person" }
        } else {
            let kind = if has_digit {
                "weapon"
            } else if acronym {
                "organisation"
            } else if titled(s, i, role::PERSON_TITLE) || words >= 2 {
                "person"
            } else if titled(s, i, role::PLACE_NOUN) {
                "place"
            } else {
                "other"
            };
            let id = slugify(text);
            if kind == "person" {
                ctx.note_person(&id, text);
            }
            Found { id: Cow::Owned(id), text, label: Cow::Borrowed(text), kind }
        };
        out.push(Mention { start: i, end, entity });
        i = end;
    }
    out.sort_by_key(|m| m.start);
    out
}

/// A token that may open or continue a name: capitalised, or a code with digits.
fn name_start(s: &Sent, i: usize) -> bool {
    let t = s.toks[i];
    t.kind == Kind::Word && t.cap && !s.word(i).ends_with(['\'', '’'])
}

/// True when a word playing `r` ("député", "région") stands up to three words before `i`,
/// with no punctuation between.
fn titled(s: &Sent, i: usize, r: u64) -> bool {
    let mut k = i;
    let mut seen = 0;
    while k > 0 && seen < 6 {
        k -= 1;
        if s.toks[k].kind == Kind::Punct && !s.punct(k, b'-') {
            return false;
        }
        // "le ministre de l’Économie": a title names the person right after it (adjectives
        // aside), not what follows "de".
        if r == role::PERSON_TITLE && (s.is1(k, role::LINK) || s.is1(k, role::FUNCTION)) {
            return false;
        }
        if s.phrase(k).is_some_and(|(e, en)| e <= i && en.is(r)) {
            return true;
        }
        seen += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::Scratch;
    use crate::lang::Language;

    fn found(sentences: &[&str]) -> Vec<Vec<(String, String, String)>> {
        let lang = Language::load("fr").unwrap();
        let gaz = Gazetteer::new(lang.entities.clone());
        let mut ctx = DocContext::default();
        let mut scratch = Scratch::default();
        sentences
            .iter()
            .map(|t| {
                let s = scratch.load(t, &lang.extract.lex);
                mentions(&s, &gaz, &lang.extract, &mut ctx)
                    .into_iter()
                    .map(|m| (m.entity.id.to_string(), m.entity.text.to_string(), m.entity.kind.to_string()))
                    .collect()
            })
            .collect()
    }

    fn ids(v: &[(String, String, String)]) -> Vec<&str> {
        v.iter().map(|x| x.0.as_str()).collect()
    }

    #[test]
    fn aliases_fold_to_one_entity() {
        let r = found(&["Brasília et Ottawa ont répondu à Tokyo, puis Buenos Aires a réagi."]);
        assert_eq!(ids(&r[0]), ["bresil", "canada", "japon", "argentine"]);
        let r = found(&["Le Fonds monétaire international et l’OMS se sont opposés."]);
        assert_eq!(ids(&r[0]), ["fmi", "oms"]);
    }

    #[test]
    fn discovered_names_and_surnames() {
        let r = found(&[
            "La ministre Anne-Claire Morel a visité la région de Tarvenne avec le drone ZR-40.",
            "Morel a ensuite rencontré la société KVX.",
        ]);
        assert_eq!(ids(&r[0]), ["anne-claire-morel", "tarvenne", "zr-40"]);
        assert_eq!(r[0][1].2, "place");
        assert_eq!(r[0][2].2, "weapon");
        assert_eq!(ids(&r[1]), ["anne-claire-morel", "kvx"]);
        assert_eq!(r[1][0].1, "Morel");
        assert_eq!(r[1][1].2, "organisation");
    }

    #[test]
    fn sentence_openers_are_not_names() {
        let r = found(&["Cette décision surprend. Plusieurs élus protestent."]);
        assert!(r[0].is_empty(), "{:?}", r[0]);
    }
}
