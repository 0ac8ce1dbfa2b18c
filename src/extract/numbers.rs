//! Figures: digits with any thousands separator ("25 000", "2.300"), decimals ("3,5"),
//! multipliers ("1,2 million"), spelled-out numbers ("deux millions"), collectives ("une
//! centaine"), vague amounts ("des dizaines de milliers"); the bound from the words before
//! them and the unit or counted noun after them. Dates and times of day are not figures.

use super::rules::{role, ExtractRules};
use super::text::{Kind, Sent};
use super::{Bound, Quantity};

/// White space that separates groups of thousands: space, no-break, narrow no-break, thin.
fn thousands_gap(gap: &str) -> bool {
    matches!(gap, " " | "\u{a0}" | "\u{202f}" | "\u{2009}")
}

/// The value of a figure written with digits: a comma is a decimal separator, a dot separates
/// thousands when every group after it has three digits ("2.300"), else it is a decimal point.
pub(crate) fn parse_digits(s: &str) -> Option<f64> {
    if s.contains(',') {
        return s.replace('.', "").replace(',', ".").parse().ok();
    }
    if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        if groups[1..].iter().all(|g| g.len() == 3) && !groups[0].is_empty() && groups[0].len() <= 3 {
            return groups.concat().parse().ok();
        }
        return s.parse().ok();
    }
    s.parse().ok()
}

/// Every figure of a sentence, in order; tokens taken by dates (`used`) are skipped.
pub(crate) fn quantities(s: &Sent, rules: &ExtractRules, used: &mut [bool]) -> Vec<Quantity> {
    let lex = &rules.lex;
    let mut out: Vec<Quantity> = Vec::new();
    let n = s.len();
    let mut i = 0;
    while i < n {
        if used[i] {
            i += 1;
            continue;
        }
        let tok = s.toks[i];
        // Vague amount: "des dizaines de milliers de soldats".
        if let Some(end) = s.at(i, role::VAGUE) {
            let (unit, uend) = unit_after(s, rules, end, true, &out);
            out.push(Quantity { text: s.slice(i, uend).to_string(), value: None, unit, bound: Bound::Vague });
            mark(used, i, uend);
            i = uend;
            continue;
        }
        // Collective: "une centaine de", "deux milliers".
        if let Some(end) = s.at(i, role::COLLECTIVE) {
            let base = s.phrase(i).map(|(_, e)| e.value).unwrap_or(1.0);
            let (start, factor, vague) = match i.checked_sub(1) {
                Some(p) if s.is1(p, role::NUMBER) && !used[p] => {
                    (p, s.phrase(p).map(|(_, e)| e.value).unwrap_or(1.0), false)
                }
                Some(p) if s.toks[p].kind == Kind::Num && !used[p] => {
                    (p, parse_digits(s.word(p)).unwrap_or(1.0), false)
                }
                Some(p) if s.is1(p, role::REF_DET) => (p, 1.0, true),
                _ => (i, 1.0, false),
            };
            let (unit, uend) = unit_after(s, rules, end, true, &out);
            let (value, bound) = if vague { (None, Bound::Vague) } else { (Some(base * factor), Bound::Approx) };
            let (bstart, b) = bound_before(s, start);
            out.push(Quantity {
                text: s.slice(bstart, uend).to_string(),
                value,
                unit,
                bound: if vague { bound } else { b.unwrap_or(bound) },
            });
            mark(used, bstart, uend);
            i = uend;
            continue;
        }
        if tok.kind == Kind::Num {
            // Part of a code ("KN-23") or glued to a word.
            if i > 0 && !tok.space && (s.punct(i - 1, b'-') || s.toks[i - 1].kind == Kind::Word) {
                i += 1;
                continue;
            }
            // Time of day: "13:16", "13 h 16", "10 h".
            if is_time(s, i, lex) {
                i += 3;
                continue;
            }
            // Thousands groups.
            let mut end = i + 1;
            let simple = !s.word(i).contains(',');
            while simple
                && end < n
                && s.toks[end].kind == Kind::Num
                && s.word(end).len() == 3
                && s.word(end).bytes().all(|b| b.is_ascii_digit())
                && thousands_gap(&s.text[s.toks[end - 1].end..s.toks[end].start])
            {
                end += 1;
            }
            let parsed = if end == i + 1 {
                parse_digits(s.word(i))
            } else {
                parse_digits(&s.slice(i, end).replace(char::is_whitespace, ""))
            };
            let Some(mut value) = parsed else {
                i += 1;
                continue;
            };
            if let Some(mend) = s.at(end, role::MULTIPLIER) {
                if let Some((_, e)) = s.phrase(end) {
                    value *= e.value;
                }
                end = mend;
            }
            let (unit, uend) =
                unit_after(s, rules, end, end > i + 1 && s.at(end - 1, role::MULTIPLIER).is_some(), &out);
            push_figure(s, i, uend, value, unit, &mut out, used);
            i = uend;
            continue;
        }
        // Spelled-out numbers.
        if s.is1(i, role::NUMBER) {
            let (end, value) = spelled(s, i, rules);
            let multiplied = s.at(end - 1, role::MULTIPLIER).is_some();
            let article = end == i + 1 && s.is1(i, role::ARTICLE);
            let reference = i > 0 && s.is1(i - 1, role::REF_DET) && !multiplied;
            // A capitalised number word inside a name ("Cinq Étoiles") is not a figure.
            let named = tok.cap && i > 0;
            if article || reference || named || (end == i + 1 && s.is1(i, role::MULTIPLIER) && !tok.cap && value < 1e6)
            {
                i = end;
                continue;
            }
            let (unit, uend) = unit_after(s, rules, end, multiplied, &out);
            push_figure(s, i, uend, value, unit, &mut out, used);
            i = uend;
            continue;
        }
        i += 1;
    }
    out
}

/// Record the figure whose number starts at token `i` and whose unit ends before `end`, with the
/// bound words before it, and mark its tokens as used.
fn push_figure(
    s: &Sent,
    i: usize,
    end: usize,
    value: f64,
    unit: Option<String>,
    out: &mut Vec<Quantity>,
    used: &mut [bool],
) {
    let (start, bound) = bound_before(s, i);
    out.push(Quantity {
        text: s.slice(start, end).to_string(),
        value: Some(value),
        unit,
        bound: bound.unwrap_or(Bound::Exact),
    });
    mark(used, start, end);
}

fn mark(used: &mut [bool], a: usize, b: usize) {
    for u in &mut used[a..b] {
        *u = true;
    }
}

fn is_time(s: &Sent, i: usize, lex: &super::rules::Lexicon) -> bool {
    let n = s.len();
    if i + 2 < n && s.toks[i + 2].kind == Kind::Num {
        let sep = s.word(i + 1);
        return lex.time_separators.iter().any(|t| t.eq_ignore_ascii_case(sep));
    }
    false
}

/// A spelled-out number from token `i`: its end (exclusive) and value. Hyphens join parts.
fn spelled(s: &Sent, i: usize, rules: &ExtractRules) -> (usize, f64) {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut last = 0.0;
    let mut j = i;
    let mut end = i;
    while j < s.len() {
        let Some((e, entry)) = s.phrase(j).filter(|(e, en)| *e == j + 1 && en.is(role::NUMBER)) else { break };
        // "un"/"une" inside a number only after a hyphen ("vingt-et-un") or first.
        if j > i && s.is1(j, role::ARTICLE) && !s.punct(j - 1, b'-') {
            break;
        }
        let v = entry.value;
        if entry.is(role::MULTIPLIER) {
            let c = if current == 0.0 { 1.0 } else { current };
            if v >= 1e6 {
                total = (total + c) * v;
            } else {
                total += c * v;
            }
            current = 0.0;
        } else if v == 100.0 {
            current = if current == 0.0 { 100.0 } else { current * 100.0 };
        } else if s.word(j).eq_ignore_ascii_case(&rules.numbers.score_word) && last > 1.0 && last < 10.0 {
            current = current - last + last * v;
        } else {
            current += v;
        }
        last = v;
        end = e;
        j = e;
        // Continue across a glued hyphen or "et" between number words.
        if s.punct(j, b'-') && s.glued(j) && s.is1(j + 1, role::NUMBER) {
            j += 1;
        }
    }
    (end.max(i + 1), total + current)
}

/// The bound phrase right before token `i` ("environ", "jusqu'à"): its start and the bound.
fn bound_before(s: &Sent, i: usize) -> (usize, Option<Bound>) {
    match s.ending_at(i, role::BOUND) {
        Some((k, e)) => (k, e.bound),
        None => (i, None),
    }
}

/// The unit or counted noun after a figure ending at token `j`: "%", "mm", "soldats", "de
/// personnes" (after a multiplier, `link` allows "de"); "autres" takes the previous figure's
/// unit. Returns the unit and the end of the figure's text.
fn unit_after(s: &Sent, rules: &ExtractRules, j: usize, link: bool, previous: &[Quantity]) -> (Option<String>, usize) {
    let n = s.len();
    if j >= n {
        return (None, j);
    }
    let lex = &rules.lex;
    // A symbol, glued or after one space: "%", "mm", "km²".
    let rest = &s.text[s.toks[j].start..];
    for sym in &lex.symbols {
        if rest.len() >= sym.len() && rest.is_char_boundary(sym.len()) && rest[..sym.len()].eq_ignore_ascii_case(sym) {
            let after = rest[sym.len()..].chars().next();
            if after.is_none_or(|c| !c.is_alphanumeric() && c != '\'' && c != '’') {
                let end_byte = s.toks[j].start + sym.len();
                let mut k = j;
                while k < n && s.toks[k].end <= end_byte {
                    k += 1;
                }
                return (Some(rest[..sym.len()].to_string()), k);
            }
        }
    }
    if let Some(end) = s.at(j, role::PERCENT) {
        return (Some(s.slice(j, end).to_string()), end);
    }
    if let Some(end) = s.at(j, role::ANAPHORIC) {
        let unit = previous.iter().rev().find_map(|q| q.unit.clone());
        return (unit, end);
    }
    let mut k = j;
    if let Some(end) = s.at(k, role::LINK) {
        if !link {
            return (None, j);
        }
        k = end;
    }
    if k >= n || s.toks[k].kind != Kind::Word || s.toks[k].cap || s.toks[k].digit {
        return (None, j);
    }
    if let Some((end, e)) = s.phrase(k) {
        if e.is(role::NOT_UNIT) && !e.is(role::TIME_UNIT) || e.is(role::NUMBER) || e.is(role::BOUND) {
            return (None, j);
        }
        if e.is(role::TIME_UNIT) && end == k + 1 {
            return (Some(s.word(k).to_string()), k + 1);
        }
    }
    // A hyphenated noun stays whole ("main-d’œuvre", "lance-roquettes").
    let mut end = k + 1;
    while end + 1 < n && s.punct(end, b'-') && s.glued(end) && s.glued(end + 1) && s.toks[end + 1].kind == Kind::Word {
        end += 2;
    }
    (Some(s.slice(k, end).trim_end_matches(['\'', '’']).to_string()), end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::Scratch;
    use crate::lang::Language;

    fn q(sentence: &str) -> Vec<(String, Option<f64>, Option<String>, Bound)> {
        let lang = Language::load("fr").unwrap();
        let mut scratch = Scratch::default();
        let s = scratch.load(sentence, &lang.extract.lex);
        let mut used = vec![false; s.len()];
        quantities(&s, &lang.extract, &mut used).into_iter().map(|q| (q.text, q.value, q.unit, q.bound)).collect()
    }

    fn one(sentence: &str) -> (String, Option<f64>, Option<String>, Bound) {
        let all = q(sentence);
        assert_eq!(all.len(), 1, "{sentence}: {all:?}");
        all.into_iter().next().unwrap()
    }

    #[test]
    fn thousands_with_every_space() {
        for s in [
            "La ville compte 45 000 habitants.",
            "La ville compte 45\u{a0}000 habitants.",
            "La ville compte 45\u{202f}000 habitants.",
        ] {
            let (_, v, u, b) = one(s);
            assert_eq!((v, u.as_deref(), b), (Some(45000.0), Some("habitants"), Bound::Exact), "{s}");
        }
        assert_eq!(one("Le réseau a perdu 2.350 abonnés.").1, Some(2350.0));
        assert_eq!(one("Le budget atteint 1 250 000 euros.").1, Some(1_250_000.0));
    }

    #[test]
    fn decimals_percent_and_symbols() {
        let (t, v, u, _) = one("Le chômage a baissé de 3,5 % en un an.");
        assert_eq!((t.as_str(), v, u.as_deref()), ("3,5 %", Some(3.5), Some("%")));
        let (_, v, u, _) = one("Un obusier de 155 mm a été livré.");
        assert_eq!((v, u.as_deref()), (Some(155.0), Some("mm")));
        assert_eq!(one("Le taux atteint 12%.").2.as_deref(), Some("%"));
        assert_eq!(one("La hausse est de 4 pour cent.").2.as_deref(), Some("pour cent"));
    }

    #[test]
    fn bounds_from_the_words_before() {
        assert_eq!(one("Jusqu’à 8 000 manifestants sont attendus.").3, Bound::Upper);
        assert_eq!(one("Il y avait environ 600 personnes.").3, Bound::Approx);
        assert_eq!(one("Près de 900 maisons ont brûlé.").3, Bound::Approx);
        assert_eq!(one("Plus de 70 navires ont été saisis.").3, Bound::Lower);
        assert_eq!(one("Au moins 14 blessés ont été recensés.").3, Bound::Lower);
        assert_eq!(one("On compte au plus 20 candidats.").3, Bound::Upper);
        let (t, _, _, b) = one("Le port reçoit quelque 300 cargos par an.");
        assert_eq!((t.as_str(), b), ("quelque 300 cargos", Bound::Approx));
    }

    #[test]
    fn spelled_out_and_multipliers() {
        assert_eq!(one("Deux millions de réfugiés ont fui.").1, Some(2e6));
        let (_, v, u, _) = one("Le plan coûte 1,2 milliard d’euros.");
        assert_eq!((v, u.as_deref()), (Some(1.2e9), Some("euros")));
        assert_eq!(one("Il a reçu vingt-cinq lettres.").1, Some(25.0));
        assert_eq!(one("Elle a vécu quatre-vingt-dix ans.").1, Some(90.0));
        assert_eq!(one("La mairie a planté trois cents arbres.").1, Some(300.0));
        assert!(q("Les deux pays ont signé un accord.").is_empty());
        assert!(q("Un homme a été arrêté.").is_empty());
    }

    #[test]
    fn vague_and_collective_amounts() {
        let (t, v, u, b) = one("Des dizaines de milliers de manifestants ont défilé.");
        assert_eq!(
            (t.as_str(), v, u.as_deref(), b),
            ("Des dizaines de milliers de manifestants", None, Some("manifestants"), Bound::Vague)
        );
        assert_eq!(one("Plusieurs centaines de colis ont disparu.").3, Bound::Vague);
        let (_, v, _, b) = one("Une centaine de policiers étaient présents.");
        assert_eq!((v, b), (Some(100.0), Bound::Approx));
    }

    #[test]
    fn anaphoric_unit_and_codes_and_times() {
        let all = q("On a évacué 400 familles, puis 150 autres dans la nuit.");
        assert_eq!(all[1].2.as_deref(), Some("familles"));
        assert_eq!(all[1].0, "150 autres");
        assert!(q("Le drone ZR-40 a décollé à 13:45 du matin.").is_empty());
        assert!(q("Il est arrivé le 1er et reparti vers 9 h 30 ce matin.").is_empty());
    }
}
