//! Hedging: the conditional mood of any verb, read from its ending (rules and exceptions are
//! data), and cue phrases ("probablement", "susceptible de", "il semble que").

use super::rules::{role, ExtractRules};
use super::text::{Kind, Sent};

/// True when `word` (any case) is a conditional by the rules' endings, stems and exceptions.
pub(crate) fn is_conditional(word: &str, rules: &ExtractRules) -> bool {
    let lex = &rules.lex;
    // Cheap test first: most words end in no conditional ending, whatever their case.
    let b = word.as_bytes();
    let Some(&last) = b.last() else { return false };
    if lex.ending_last[last as usize / 64] & (1 << (last % 64)) == 0 {
        return false;
    }
    if !lex.endings.iter().any(|e| b.len() > e.len() && b[b.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())) {
        return false;
    }
    let lower;
    let w = if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() && word.chars().any(char::is_uppercase)
    {
        lower = word.to_lowercase();
        lower.as_str()
    } else {
        word
    };
    let Some(ending) = lex.endings.iter().find(|e| w.len() > e.len() && w.ends_with(e.as_str())) else {
        return false;
    };
    if let Some(&yes) = lex.conditional_exceptions.get(w) {
        return yes;
    }
    let stem = &w[..w.len() - ending.len()];
    lex.stems.iter().find(|(s, _)| stem.ends_with(s.as_str())).is_some_and(|(_, yes)| *yes)
}

/// The hedge cues of a sentence: (start, end) token ranges, in order.
pub(crate) fn hedges(s: &Sent, rules: &ExtractRules, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut i = 0;
    let first_word = s.toks.iter().position(|t| t.kind == Kind::Word);
    while i < s.len() {
        if let Some(end) = s.at(i, role::HEDGE) {
            out.push((i, end));
            i = end;
            continue;
        }
        let t = s.toks[i];
        // A capitalised word inside a sentence is a name, not a verb.
        if t.kind == Kind::Word && (!t.cap || Some(i) == first_word) && is_conditional(s.word(i), rules) {
            out.push((i, i + 1));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::Scratch;
    use crate::lang::Language;

    fn cues(sentence: &str) -> Vec<String> {
        let lang = Language::load("fr").unwrap();
        let mut scratch = Scratch::default();
        let s = scratch.load(sentence, &lang.extract.lex);
        let mut out = Vec::new();
        hedges(&s, &lang.extract, &mut out);
        out.iter().map(|&(a, b)| s.slice(a, b).to_string()).collect()
    }

    #[test]
    fn conditional_of_any_verb() {
        let lang = Language::load("fr").unwrap();
        let r = &lang.extract;
        for w in [
            "aurait",
            "auraient",
            "pourrait",
            "seraient",
            "occuperaient",
            "triplerait",
            "déclarerait",
            "prendrait",
            "viendraient",
            "devrait",
            "mettrait",
            "connaîtrait",
            "finirait",
            "dirait",
            "croirait",
            "vaincrait",
            "ouvrirait",
            "saurions",
            "feriez",
            "enverrait",
            "Serait",
            "suivrait",
            "plairait",
        ] {
            assert!(is_conditional(w, r), "{w} is a conditional");
        }
        for w in [
            "déclarait",
            "montrait",
            "entraient",
            "assurait",
            "ignorait",
            "opérait",
            "tirait",
            "ouvrait",
            "portrait",
            "retrait",
            "attrait",
            "mais",
            "frais",
            "courait",
            "livrait",
            "encadraient",
            "déclarions",
            "sera",
            "restaurait",
        ] {
            assert!(!is_conditional(w, r), "{w} is not a conditional");
        }
    }

    #[test]
    fn cue_phrases_are_kept_whole() {
        assert_eq!(cues("Le barrage cédera probablement avant l’hiver."), ["probablement"]);
        assert_eq!(cues("Il semble que le navire ait coulé."), ["Il semble que"]);
        assert_eq!(cues("Ces usines sont susceptibles d’être fermées."), ["susceptibles d’"]);
        assert_eq!(cues("Des rapports suggèrent que l’usine a fermé."), ["Des rapports suggèrent"]);
        assert_eq!(cues("Le préfet démissionnerait dès lundi."), ["démissionnerait"]);
        assert!(cues("Le préfet a démissionné lundi et il livrait des journaux.").is_empty());
        assert!(cues("Il déclarait que le port restait ouvert.").is_empty());
    }
}
