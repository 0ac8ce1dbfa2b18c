//! Attribution: who the source says makes a claim. "selon X", "d'après X", "cité par X"; "X a
//! indiqué que", "X affirme", "X estime"; ", rapporte X" (the verb before its speaker); "X :
//! « ... »"; "X ..., annonçant"; "selon lui" resolved to the person named just before.
//!
//! The attribution's text is the words naming the speaker, without the preposition or verb
//! that introduces it ("selon les services de renseignement" → "les services de
//! renseignement").

use super::entity::{DocContext, Mention};
use super::rules::{role, ExtractRules};
use super::text::{Kind, Sent};
use super::Attribution;

/// Punctuation that ends a speaker's name.
const STOP: &[char] = &[',', '.', ';', ':', '!', '?', '«', '»', '"', '“', '”', '(', ')', '–', '—'];

/// The speaker of a sentence, if the sentence names one.
pub(crate) fn attribution(
    s: &Sent,
    _rules: &ExtractRules,
    mentions: &[Mention],
    ctx: &DocContext,
) -> Option<Attribution> {
    let n = s.len();
    let mut i = 0;
    while i < n {
        // "selon X".
        if let Some((end, e)) = s.phrase(i).filter(|(_, e)| e.is(role::PREP)) {
            let from = if e.prep_len > 0 {
                let cut = s.toks[i].start + e.prep_len;
                (i..end).find(|&k| s.toks[k].start >= cut).unwrap_or(end)
            } else {
                end
            };
            let to = speaker_end(s, from, 14);
            if to > from {
                return Some(make(s, from, to, mentions, ctx));
            }
            i = end;
            continue;
        }
        if let Some(vend) = verb_at(s, i) {
            if let Some(a) = around_verb(s, i, vend, mentions, ctx) {
                return Some(a);
            }
            i = vend;
            continue;
        }
        // "X : « ... »".
        if s.punct(i, b':') && i + 1 < n && s.punct_in(i + 1, &['«', '"', '“']) {
            if let Some((a, b)) = subject_before(s, i) {
                return Some(make(s, a, b, mentions, ctx));
            }
        }
        i += 1;
    }
    // "X a sonné l'alarme lundi, annonçant ...": the sentence's subject speaks.
    let participle = (0..n).find(|&k| s.at(k, role::PARTICIPLE).is_some() && k > 0 && s.punct(k - 1, b','))?;
    let aux = (0..participle).find(|&k| s.is1(k, role::AUXILIARY))?;
    let (a, b) = subject_before(s, aux)?;
    Some(make(s, a, b, mentions, ctx))
}

/// A reporting verb at token `i`: its end. A bare past participle counts after an auxiliary
/// and at most one other word ("ont déjà recensé").
fn verb_at(s: &Sent, i: usize) -> Option<usize> {
    if let Some(end) = s.at(i, role::VERB) {
        if s.at(i, role::PARTICIPLE).is_none() {
            return Some(end);
        }
    }
    let end = s.at(i, role::PAST_PARTICIPLE)?;
    let aux = (i.saturating_sub(2)..i).find(|&k| s.is1(k, role::AUXILIARY))?;
    // Passive ("a été signalé") names no speaker.
    if (aux + 1..i).any(|k| s.word(k).chars().next().is_some_and(|c| c.is_uppercase())) {
        return None;
    }
    let _ = aux;
    Some(end)
}

/// The speaker around a reporting verb from `v` to `vend`: after it when it follows a comma
/// or a closing quote (", rapporte X"), else its subject before it.
fn around_verb(s: &Sent, v: usize, vend: usize, mentions: &[Mention], ctx: &DocContext) -> Option<Attribution> {
    // The verb's start: back over an auxiliary and one adverb for a bare participle.
    let mut vstart = v;
    if s.at(v, role::VERB).is_none() {
        vstart = (v.saturating_sub(2)..v).find(|&k| s.is1(k, role::AUXILIARY)).unwrap_or(v);
    }
    // "X, de son côté, avance": the comma closes an aside, the subject is before it.
    let aside_before = vstart > 0 && s.punct(vstart - 1, b',') && {
        let from = (0..vstart - 1).rev().find(|&k| s.punct(k, b',')).map_or(0, |k| k + 1);
        s.at(from, role::ADVERBIAL) == Some(vstart - 1)
    };
    let inverted = vstart > 0 && s.punct_in(vstart - 1, &[',', '»', '"', '”']) && !aside_before;
    if inverted {
        let opener = vend < s.len() && (s.toks[vend].cap || s.at(vend, role::SPEAKER_DET).is_some());
        let to = speaker_end(s, vend, 10);
        if opener && to > vend && s.at(vend, role::RELATIVE).is_none() {
            return Some(make(s, vend, to, mentions, ctx));
        }
    }
    let (a, b) = subject_before(s, vstart)?;
    // Without "que" or a quotation after the verb, the subject must be someone who can speak.
    let reported = s.at(vend, role::RELATIVE).is_some() || s.punct_in(vend, &[':', '«', '"', '“']);
    if !reported {
        let speaker = mentions.iter().any(|m| m.start >= a && m.end <= b)
            || (a..b).any(|k| {
                s.is1(k, role::SPEAKER_NOUN) || s.at(k, role::PERSON_TITLE).is_some() || s.is1(k, role::PRONOUN)
            });
        if !speaker {
            return None;
        }
    }
    Some(make(s, a, b, mentions, ctx))
}

/// The end of a speaker's name starting at `from`: at punctuation, a stop word after the
/// first word, a reporting verb, or `max` tokens.
fn speaker_end(s: &Sent, from: usize, max: usize) -> usize {
    let mut k = from;
    while k < s.len() && k - from < max {
        if s.punct_in(k, STOP) {
            break;
        }
        // "X et des Y": two speakers joined, the name goes on.
        let joined = k + 1 < s.len() && (s.toks[k + 1].cap || s.at(k + 1, role::SPEAKER_DET).is_some());
        let stop = s.is1(k, role::SPEAKER_STOP) && !(s.at(k, role::CONJUNCTION).is_some() && joined);
        if k > from && (stop || s.at(k, role::RELATIVE).is_some() || s.at(k, role::VERB).is_some()) {
            break;
        }
        k += 1;
    }
    k
}

/// The subject before token `v`: from the sentence's start, with introductory phrases and
/// adverbials set off by commas dropped.
fn subject_before(s: &Sent, v: usize) -> Option<(usize, usize)> {
    // A relative pronoun or a quote between: the verb has another subject. Phrases are read
    // whole, so that "ainsi que" is no relative pronoun.
    let mut k = 0;
    while k < v {
        if s.punct_in(k, &['«', '»', ';', ':', '(', ')']) {
            return None;
        }
        match s.phrase(k) {
            Some((end, e)) => {
                if e.is(role::RELATIVE) && end == k + 1 {
                    return None;
                }
                k = end;
            }
            None => k += 1,
        }
    }
    // Comma-separated groups.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for k in 0..v {
        if s.punct(k, b',') {
            groups.push((a, k));
            a = k + 1;
        }
    }
    groups.push((a, v));
    let adverbial = |&(a, b): &(usize, usize)| a >= b || s.at(a, role::ADVERBIAL) == Some(b);
    let intro = |&(a, b): &(usize, usize)| {
        a < b && (s.at(a, role::INTRO).is_some() || s.at(a, role::BEGIN | role::END | role::MIDDLE).is_some())
    };
    while groups.first().is_some_and(|g| adverbial(g) || intro(g)) {
        groups.remove(0);
    }
    while groups.last().is_some_and(adverbial) {
        groups.pop();
    }
    // The verb belongs to a subordinate clause ("lorsque X a confirmé").
    if groups.last().is_some_and(intro) {
        return None;
    }
    let (&(a, _), &(_, b)) = (groups.first()?, groups.last()?);
    if b <= a || b - a > 20 {
        return None;
    }
    // A subject that ends with a conjunction joins two verbs ("X convergent et révèlent").
    if s.is1(b - 1, role::SPEAKER_STOP) || s.toks[a].kind != Kind::Word {
        return None;
    }
    // "Cela", "Ceci": no one speaks.
    if b == a + 1 && s.is1(a, role::FUNCTION) && !s.is1(a, role::PRONOUN) {
        return None;
    }
    if (a..b).any(|k| s.at(k, role::VERB).is_some() || s.is1(k, role::AUXILIARY)) {
        return None;
    }
    Some((a, b))
}

/// The attribution for tokens `a..b`: its text, and the entity it names (a pronoun: the last
/// person named).
fn make(s: &Sent, a: usize, b: usize, mentions: &[Mention], ctx: &DocContext) -> Attribution {
    let text = s.slice(a, b).to_string();
    let pronoun = s.at(a, role::PRONOUN) == Some(b);
    let entity = if pronoun {
        mentions
            .iter()
            .rev()
            .find(|m| m.end <= a && m.entity.kind == "person")
            .map(|m| m.entity.id.to_string())
            .or_else(|| ctx.last_person.as_ref().map(|(id, _)| id.clone()))
    } else {
        let inside: Vec<&Mention> = mentions.iter().filter(|m| m.start >= a && m.end <= b).collect();
        inside
            .iter()
            .find(|m| matches!(m.entity.kind, "person" | "organisation"))
            .or_else(|| inside.first())
            .map(|m| m.entity.id.to_string())
    };
    Attribution { text, entity }
}
