//! Dates: absolute ("14 mars 2024", "septembre 2023", "l'automne 2024", "second semestre
//! 2023", "au début de l'année 2025") and relative ("juin dernier", "l'été dernier", "l'année
//! dernière", "il y a plus d'un an", "lundi", "hier"), resolved against the publication date
//! when the source states one, and left unresolved (`value: None`) when it does not: never
//! against today's date.

use super::numbers::parse_digits;
use super::rules::{role, ExtractRules};
use super::text::{Kind, Sent};
use super::DateMention;
use chrono::{Datelike, Duration, NaiveDate};

/// Which part of a period the text names.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Whole,
    Begin,
    Middle,
    End,
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// `2024-03-14`: what chrono's `%Y-%m-%d` gives, without parsing a format string for each
/// date (chrono writes a year past 9999 or before 0 with a sign).
fn iso(d: NaiveDate) -> String {
    if (0..=9999).contains(&d.year()) {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// The months of a part of a period running from month `a` of year `y` for `len` months.
fn part_range(y: i32, a: u32, len: u32, part: Part) -> [String; 2] {
    let month = |k: u32| {
        let idx = (a - 1) + k;
        (y + (idx / 12) as i32, idx % 12 + 1)
    };
    let (from, to) = match part {
        Part::Whole => (0, len - 1),
        Part::Begin => (0, (len / 3).max(1) - 1),
        Part::Middle => (len / 3, (len - len / 3).max(len / 3 + 1) - 1),
        Part::End => (len - (len / 3).max(1), len - 1),
    };
    let (y1, m1) = month(from);
    let (y2, m2) = month(to);
    [ym(y1, m1), ym(y2, m2)]
}

fn months_len(a: u32, b: u32) -> u32 {
    if b >= a {
        b - a + 1
    } else {
        b + 13 - a
    }
}

/// A plausible four-digit year at token `i`.
fn year_at(s: &Sent, i: usize, rules: &ExtractRules) -> Option<i32> {
    if i >= s.len() || s.toks[i].kind != Kind::Num {
        return None;
    }
    let w = s.word(i);
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    let [lo, hi] = rules.dates.years;
    (lo..=hi).contains(&y).then_some(y)
}

/// A day of the month at token `i` ("26", "1er").
fn day_at(s: &Sent, i: usize, rules: &ExtractRules) -> Option<u32> {
    if i >= s.len() {
        return None;
    }
    let w = s.word(i);
    let n = w.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 2 {
        return None;
    }
    let suffix = &w[n..];
    if !suffix.is_empty() && !rules.lex.ordinal_suffixes.iter().any(|o| o.eq_ignore_ascii_case(suffix)) {
        return None;
    }
    let d: u32 = w[..n].parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// Every date of a sentence, in order; the tokens they cover are marked in `used`.
pub(crate) fn dates(
    s: &Sent,
    rules: &ExtractRules,
    published: Option<NaiveDate>,
    used: &mut [bool],
) -> Vec<DateMention> {
    let mut out = Vec::new();
    let n = s.len();
    let mut i = 0;
    while i < n {
        if used[i] {
            i += 1;
            continue;
        }
        if let Some((start, end, value, range)) = date_at(s, i, rules, published) {
            out.push(DateMention { text: s.slice(start, end).to_string(), value, range });
            for u in &mut used[start..end] {
                *u = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

type Found = (usize, usize, Option<String>, Option<[String; 2]>);

/// Relative direction after a period word at token `j`: -1 "dernier", +1 "prochain".
fn direction(s: &Sent, j: usize) -> Option<(i32, usize)> {
    if let Some(e) = s.at(j, role::LAST) {
        return Some((-1, e));
    }
    s.at(j, role::NEXT).map(|e| (1, e))
}

fn date_at(s: &Sent, i: usize, rules: &ExtractRules, published: Option<NaiveDate>) -> Option<Found> {
    let n = s.len();
    // Most tokens open no date: no digit, and no phrase starts there that can begin one (every
    // form below starts with a digit or with a phrase playing one of these roles at `i`).
    const OPENS: u64 = role::BEGIN
        | role::MIDDLE
        | role::END
        | role::SEASON_DET
        | role::THIS
        | role::WEEKDAY
        | role::MONTH
        | role::SEASON
        | role::PERIOD
        | role::YEAR_WORD
        | role::MONTH_WORD
        | role::WEEK_WORD
        | role::DEICTIC
        | role::AGO;
    if !s.word(i).as_bytes()[0].is_ascii_digit() && s.phrase(i).is_none_or(|(_, e)| e.roles & OPENS == 0) {
        return None;
    }
    let pub_year = published.map(|p| p.year());
    // Part-of-period opener ("au début de", "à la fin de", "mi-").
    let (part, after_part) = if let Some(e) = s.at(i, role::BEGIN) {
        (Part::Begin, e)
    } else if let Some(e) = s.at(i, role::MIDDLE) {
        (Part::Middle, e)
    } else if let Some(e) = s.at(i, role::END) {
        (Part::End, e)
    } else {
        (Part::Whole, i)
    };
    let mut j = after_part;
    // An article or a demonstrative before the period word ("l'", "cet", "cette").
    let det_end = s.at(j, role::SEASON_DET).or_else(|| s.at(j, role::THIS));
    let this = s.at(j, role::THIS).is_some();
    if let Some(e) = det_end {
        if e < n
            && (s.is1(e, role::SEASON)
                || s.at(e, role::YEAR_WORD).is_some()
                || s.at(e, role::MONTH_WORD).is_some()
                || s.at(e, role::WEEK_WORD).is_some())
        {
            j = e;
        }
    }
    let has_det = j > after_part;

    // Numeric date: 26/06/2025.
    if part == Part::Whole && s.toks[i].kind == Kind::Num && i + 4 < n && s.punct(i + 1, b'/') && s.punct(i + 3, b'/') {
        if let (Some(d), Ok(m), Some(y)) = (day_at(s, i, rules), s.word(i + 2).parse::<u32>(), year_at(s, i + 4, rules))
        {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some((i, i + 5, Some(iso(date)), None));
            }
        }
    }

    // Weekday, maybe before a day number: "lundi", "lundi 3 mars".
    let (wd, jd) = match s.phrase(j).filter(|(e, en)| *e == j + 1 && en.is(role::WEEKDAY)) {
        Some((e, en)) => (Some(en.ordinal), e),
        None => (None, j),
    };
    // Day and month: "26 juin [2025]".
    if jd < n {
        if let Some(d) = day_at(s, jd, rules) {
            if let Some((me, en)) = s.phrase(jd + 1).filter(|(_, en)| en.is(role::MONTH)) {
                let m = en.ordinal;
                if let Some(y) = year_at(s, me, rules) {
                    let v = NaiveDate::from_ymd_opt(y, m, d).map(iso);
                    return Some((i, me + 1, v, None));
                }
                let v = published.and_then(|p| {
                    let this_year = NaiveDate::from_ymd_opt(p.year(), m, d)?;
                    // A day and month with no year: the last such day up to a week after
                    // publication (news announce what comes in the days ahead).
                    let dt = if this_year > p + Duration::days(7) {
                        NaiveDate::from_ymd_opt(p.year() - 1, m, d)?
                    } else {
                        this_year
                    };
                    Some(iso(dt))
                });
                return Some((i, me, v, None));
            }
        }
    }
    if let Some(w) = wd {
        // A weekday alone: the last one on or before publication, or the next one.
        let (dir, end) = direction(s, jd).unwrap_or((0, jd));
        let v = published.map(|p| {
            let cur = p.weekday().number_from_monday();
            let dt = if dir > 0 {
                p + Duration::days(((w + 7 - cur - 1) % 7 + 1) as i64)
            } else {
                p - Duration::days(((cur + 7 - w) % 7) as i64)
            };
            iso(dt)
        });
        return Some((i, end, v, None));
    }

    // Month: "septembre 2023", "juin dernier", "en juillet", "mi-juin".
    if let Some((me, en)) = s.phrase(j).filter(|(_, en)| en.is(role::MONTH)) {
        let m = en.ordinal;
        if let Some(y) = year_at(s, me, rules) {
            return Some((i, me + 1, Some(ym(y, m)), None));
        }
        if let Some((dir, end)) = direction(s, me) {
            let v = published.map(|p| {
                let pm = p.month();
                let y = if dir < 0 {
                    if m < pm {
                        p.year()
                    } else {
                        p.year() - 1
                    }
                } else if m > pm {
                    p.year()
                } else {
                    p.year() + 1
                };
                ym(y, m)
            });
            return Some((i, end, v, None));
        }
        let v = pub_year.map(|y| ym(y, m));
        return Some((i, me, v, None));
    }

    // Season: "l'automne 2024", "l'été dernier", "au début de l'automne".
    if let Some((se, en)) = s.phrase(j).filter(|(e, en)| *e == j + 1 && en.is(role::SEASON)) {
        if !has_det && part == Part::Whole && !(j > 0 && s.is1(j - 1, role::SEASON_DET)) {
            return None;
        }
        let [a, b] = en.months;
        let len = months_len(a, b);
        let (year, end) = if let Some(y) = year_at(s, se, rules) {
            (Some(y), se + 1)
        } else if let Some((dir, end)) = direction(s, se) {
            let y = published.map(|p| {
                let inside = in_months(p.month(), a, b);
                let base = if a > b && p.month() <= b { p.year() - 1 } else { p.year() };
                let started = inside || p.month() > b && a <= b;
                if dir < 0 {
                    if started && !inside {
                        base
                    } else {
                        base - 1
                    }
                } else if started {
                    base + 1
                } else {
                    base
                }
            });
            (y, end)
        } else {
            (pub_year, se)
        };
        let range = year.map(|y| part_range(y, a, len, part));
        return Some((i, end, year.map(|y| y.to_string()), range));
    }

    // A named part of a year: "second semestre 2023".
    if let Some((pe, en)) = s.phrase(j).filter(|(_, en)| en.is(role::PERIOD)) {
        let [a, b] = en.months;
        let (year, end) = if let Some(y) = year_at(s, pe, rules) {
            (Some(y), pe + 1)
        } else if let Some((dir, end)) = direction(s, pe) {
            (pub_year.map(|y| y + dir), end)
        } else {
            (pub_year, pe)
        };
        let range = year.map(|y| part_range(y, a, months_len(a, b), part));
        return Some((i, end, year.map(|y| y.to_string()), range));
    }

    // Year words: "l'année 2025", "l'année dernière", "cette année", "au début de l'année".
    if let Some(ye) = s.at(j, role::YEAR_WORD) {
        if has_det || part != Part::Whole {
            let (year, end) = if let Some(y) = year_at(s, ye, rules) {
                (Some(y), ye + 1)
            } else if let Some((dir, end)) = direction(s, ye) {
                (pub_year.map(|y| y + dir), end)
            } else if has_det || part != Part::Whole {
                (pub_year, ye)
            } else {
                return None;
            };
            let range = (part != Part::Whole).then(|| year.map(|y| part_range(y, 1, 12, part))).flatten();
            return Some((i, end, year.map(|y| y.to_string()), range));
        }
    }
    // "le mois dernier", "la semaine prochaine".
    if let Some(me) = s.at(j, role::MONTH_WORD) {
        if let Some((dir, end)) = direction(s, me).or_else(|| this.then_some((0, me))) {
            let v = published.map(|p| {
                let idx = p.year() * 12 + p.month() as i32 - 1 + dir;
                ym(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
            });
            return Some((i, end, v, None));
        }
    }
    if let Some(we) = s.at(j, role::WEEK_WORD) {
        if let Some((dir, end)) = direction(s, we).or_else(|| this.then_some((0, we))) {
            let v = published.map(|p| {
                let d = p + Duration::days(7 * dir as i64);
                let w = d.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            });
            return Some((i, end, v, None));
        }
    }
    if part != Part::Whole {
        return None;
    }
    // "hier", "aujourd'hui".
    if let Some((de, en)) = s.phrase(i).filter(|(_, en)| en.is(role::DEICTIC)) {
        let v = published.map(|p| iso(p + Duration::days(en.value as i64)));
        return Some((i, de, v, None));
    }
    // "il y a [plus d'] un an".
    if let Some(ae) = s.at(i, role::AGO) {
        let mut k = ae;
        if let Some(e) = s.at(k, role::AGO_BOUND) {
            k = e;
        }
        let amount = if s.toks.get(k).is_some_and(|t| t.kind == Kind::Num) {
            parse_digits(s.word(k))
        } else {
            s.phrase(k).filter(|(e, en)| *e == k + 1 && en.is(role::NUMBER)).map(|(_, en)| en.value)
        };
        if let Some(amount) = amount {
            if let Some((ue, en)) = s.phrase(k + 1).filter(|(_, en)| en.is(role::DURATION)) {
                let days = en.ordinal;
                let v = published.and_then(|p| {
                    if days >= 365 {
                        Some((p.year() - amount as i32).to_string())
                    } else if days >= 28 {
                        let idx = p.year() * 12 + p.month() as i32 - 1 - amount as i32;
                        Some(ym(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32))
                    } else {
                        p.checked_sub_signed(Duration::days((amount * days as f64) as i64)).map(iso)
                    }
                });
                return Some((i, ue, v, None));
            }
        }
        return None;
    }
    // A year alone: "en 2023", "depuis 2014" (not "2000 soldats").
    if let Some(y) = year_at(s, i, rules) {
        let grouped = i + 1 < n && s.toks[i + 1].kind == Kind::Num && s.word(i + 1).len() == 3;
        let counted = i + 1 < n
            && s.toks[i + 1].kind == Kind::Word
            && !s.toks[i + 1].cap
            && s.phrase(i + 1).is_none_or(|(_, e)| !e.is(role::NOT_UNIT) && !e.is(role::LAST | role::NEXT));
        // Glued to a word or a hyphen: part of a code ("XT-2024").
        let glued_code = i > 0 && !s.toks[i].space && (s.toks[i - 1].kind != Kind::Punct || s.punct(i - 1, b'-'));
        if !grouped && !counted && !glued_code {
            return Some((i, i + 1, Some(y.to_string()), None));
        }
    }
    None
}

fn in_months(m: u32, a: u32, b: u32) -> bool {
    if a <= b {
        (a..=b).contains(&m)
    } else {
        m >= a || m <= b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::Scratch;
    use crate::lang::Language;

    fn d(sentence: &str, published: Option<&str>) -> Vec<(String, Option<String>, Option<[String; 2]>)> {
        let lang = Language::load("fr").unwrap();
        let mut scratch = Scratch::default();
        let s = scratch.load(sentence, &lang.extract.lex);
        let mut used = vec![false; s.len()];
        let p = published.map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").unwrap());
        dates(&s, &lang.extract, p, &mut used).into_iter().map(|m| (m.text, m.value, m.range)).collect()
    }

    fn v(sentence: &str, published: Option<&str>) -> Vec<Option<String>> {
        d(sentence, published).into_iter().map(|x| x.1).collect()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(v("Le sommet s’est tenu le 14 mars 2022 à Rome.", None), [some("2022-03-14")]);
        assert_eq!(v("Les élections ont eu lieu en novembre 2020.", None), [some("2020-11")]);
        assert_eq!(v("La loi date de 1905.", None), [some("1905")]);
        assert_eq!(v("Le contrat a été signé le 03/02/2021.", None), [some("2021-02-03")]);
        let all = d("Les travaux reprendront à l’automne 2026.", None);
        assert_eq!(all[0].0, "l’automne 2026");
        assert_eq!(all[0].2, Some(["2026-09".to_string(), "2026-11".to_string()]));
        let all = d("La production a chuté au premier semestre 2019.", None);
        assert_eq!(all[0].2, Some(["2019-01".to_string(), "2019-06".to_string()]));
        let all = d("Le chantier commencera au début de l’année 2027.", None);
        assert_eq!(all[0].0, "au début de l’année 2027");
        assert_eq!(all[0].1, some("2027"));
    }

    #[test]
    fn relative_dates_resolve_against_publication_only() {
        let p = Some("2024-03-20");
        assert_eq!(v("Le port a rouvert en octobre dernier.", p), [some("2023-10")]);
        assert_eq!(v("Le port a rouvert en octobre dernier.", None), [None]);
        assert_eq!(v("La grève a commencé l’été dernier.", p), [some("2023")]);
        assert_eq!(v("Le chiffre a doublé l’année dernière.", p), [some("2023")]);
        assert_eq!(v("Le traité a été signé il y a plus de deux ans.", p), [some("2022")]);
        assert_eq!(v("Le ministre a parlé mardi devant les députés.", p), [some("2024-03-19")]);
        assert_eq!(v("Le ministre a parlé hier.", p), [some("2024-03-19")]);
        assert_eq!(v("Le vote aura lieu en juin.", p), [some("2024-06")]);
        assert_eq!(v("Le vote aura lieu en juin.", None), [None]);
    }

    #[test]
    fn iso_dates_as_chrono_writes_them() {
        for (y, m, d) in
            [(2024, 3, 14), (99, 1, 2), (0, 12, 31), (9999, 6, 30), (10000, 1, 1), (-1, 5, 5), (-44, 3, 15)]
        {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string(), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn not_dates() {
        assert!(d("Il y a 2000 soldats.", None).is_empty());
        let all = d("Cet été a été chaud et le festival a été annulé.", Some("2024-08-02"));
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].0, "Cet été");
        assert!(v("Le missile XT-2024 a été testé.", None).is_empty());
    }
}
