//! Stage 2, **segment**: split a source into lines and sentences with exact byte spans, and
//! say which lines are not article prose (title, byline, headings, web-page leftovers).

mod rules;

pub use rules::SegmentRules;

use crate::lang::Language;
use crate::read::Source;
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// What a line of a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// Nothing but white space.
    Blank,
    /// The article's title.
    Title,
    /// Outlet and/or date line.
    Byline,
    /// A section heading.
    Heading,
    /// Web-page leftovers: mode switches, banners, "Laisser un commentaire", a lone "Source".
    Boilerplate,
    /// A bullet item (prose).
    Bullet,
    /// Article prose.
    Prose,
}

impl LineKind {
    /// True for lines whose sentences can hold claims.
    pub fn is_content(self) -> bool {
        matches!(self, LineKind::Prose | LineKind::Bullet)
    }

    /// The export's name for a non-content kind (`report.schema.json`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Blank => "blank",
            LineKind::Title => "title",
            LineKind::Byline => "byline",
            LineKind::Heading => "heading",
            LineKind::Boilerplate => "boilerplate",
            LineKind::Bullet => "bullet",
            LineKind::Prose => "prose",
        }
    }
}

/// One line of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Content span, without the line terminator.
    pub span: Span,
    /// What the line is.
    pub kind: LineKind,
}

/// One sentence (or clause) inside a content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its span, trimmed of surrounding white space; never crosses a line break.
    pub span: Span,
    /// 1-based line it lies on.
    pub line: usize,
}

/// A publication date stated by the source's byline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The day.
    pub date: chrono::NaiveDate,
    /// The time of day, when given.
    pub time: Option<chrono::NaiveTime>,
}

impl Published {
    /// ISO 8601: `2024-03-14` or `2024-03-14T08:30`.
    pub fn iso(&self) -> String {
        match self.time {
            Some(t) => format!("{}T{}", self.date.format("%Y-%m-%d"), t.format("%H:%M")),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// What the text says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// The title line's text.
    pub title: Option<String>,
    /// The outlet named in the byline.
    pub outlet: Option<String>,
    /// The publication date in the byline.
    pub published: Option<Published>,
}

/// A segmented source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Every line, in order.
    pub lines: Vec<Line>,
    /// Every sentence of the content lines, in order.
    pub sentences: Vec<Sentence>,
    /// Title, outlet, date.
    pub meta: DocMeta,
}

/// Segment a source with the rules of `lang`.
pub fn segment(source: &Source, lang: &Language) -> Segmented {
    let text = &*source.text;
    let rules = &lang.segment;
    let spans: Vec<(usize, Span)> = source.lines.iter().collect();
    let mut lines = Vec::with_capacity(spans.len());
    let mut sentences = Vec::new();
    let mut meta = DocMeta::default();
    let mut seen_content = false;
    let mut seen_byline = false;
    for (idx, &(number, span)) in spans.iter().enumerate() {
        let line = span.slice(text);
        let t = line.trim();
        let kind = if t.is_empty() {
            LineKind::Blank
        } else if rules.is_boilerplate(t) {
            LineKind::Boilerplate
        } else if let Some(b) = (!seen_byline).then(|| byline(t, rules, lang)).flatten() {
            seen_byline = true;
            meta.outlet = b.outlet;
            meta.published = Some(b.published);
            LineKind::Byline
        } else if bullet_len(t, rules).is_some() {
            LineKind::Bullet
        } else {
            let end = last_char(t);
            let terminal = matches!(end, Some('.' | '!' | '…' | ':' | ';' | ','));
            let question = end == Some('?');
            // Counted only for lines that may be headings.
            let words = if terminal { usize::MAX } else { t.split_whitespace().count() };
            if !terminal
                && !question
                && !seen_content
                && t.len() <= rules.title_max_chars
                && title_follows(text, &spans, idx, rules, lang)
            {
                meta.title = Some(t.to_string());
                LineKind::Title
            } else if (!terminal && words <= rules.heading_max_words)
                || (question
                    && words <= rules.heading_max_words
                    && split_sentences(t, rules).len() == 1
                    && next_is_text(text, &spans, idx))
            {
                LineKind::Heading
            } else {
                LineKind::Prose
            }
        };
        if matches!(kind, LineKind::Title | LineKind::Heading | LineKind::Prose | LineKind::Bullet) {
            seen_content = true;
        }
        if kind.is_content() {
            let lead = line.len() - line.trim_start().len();
            let skip = if kind == LineKind::Bullet { bullet_len(t, rules).unwrap_or(0) } else { 0 };
            let body_start = lead + skip;
            let body = &line[body_start..];
            for (a, b) in split_sentences(body, rules) {
                for (c, d) in split_clauses(&body[a..b], rules) {
                    sentences.push(Sentence {
                        span: Span::new(span.start + body_start + a + c, span.start + body_start + a + d),
                        line: number,
                    });
                }
            }
        }
        lines.push(Line { number, span, kind });
    }
    Segmented { lines, sentences, meta }
}

/// The last meaningful character of a line, past closing quotes and brackets.
fn last_char(t: &str) -> Option<char> {
    t.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '”' | '"' | '’' | ')' | ']' | '*'))
        .chars()
        .next_back()
}

/// True when the line after `idx` is blank, a byline, or missing: what follows a title.
fn title_follows(text: &str, spans: &[(usize, Span)], idx: usize, rules: &SegmentRules, lang: &Language) -> bool {
    match spans.get(idx + 1) {
        None => true,
        Some((_, s)) => {
            let t = s.slice(text).trim();
            t.is_empty() || byline(t, rules, lang).is_some()
        }
    }
}

/// True when the next line holds text.
fn next_is_text(text: &str, spans: &[(usize, Span)], idx: usize) -> bool {
    spans.get(idx + 1).is_some_and(|(_, s)| !s.slice(text).trim().is_empty())
}

/// The bytes of a bullet marker and the spaces after it.
fn bullet_len(t: &str, rules: &SegmentRules) -> Option<usize> {
    for m in &rules.bullets {
        if let Some(rest) = t.strip_prefix(m.as_str()) {
            if rest.starts_with([' ', '\u{a0}', '\t']) && !rest.trim().is_empty() {
                return Some(t.len() - rest.trim_start().len());
            }
        }
    }
    // "1. ", "2) "
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits)
        && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
        && t.as_bytes().get(digits + 1) == Some(&b' ')
    {
        let rest = &t[digits + 2..];
        if rest.chars().next().is_some_and(char::is_uppercase) {
            return Some(t.len() - rest.trim_start().len());
        }
    }
    None
}

/// What a byline says.
struct Byline {
    outlet: Option<String>,
    published: Published,
}

/// Read a byline: "Agence X - 14 mars 2024 08:30", "Publié le 3 mars 2024 à 9h05", "Par
/// Jeanne Roy, 12/05/2023".
fn byline(t: &str, rules: &SegmentRules, lang: &Language) -> Option<Byline> {
    if t.len() > rules.byline_max_chars || matches!(last_char(t), Some('.' | '!' | '?' | ';' | ':')) {
        return None;
    }
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w.trim_end_matches([',', ';'])))
        .collect();
    let mut found = None;
    for k in 0..words.len() {
        let (at, w) = words[k];
        // "26/06/2025"
        let parts: Vec<&str> = w.split(['/', '.']).collect();
        if parts.len() == 3
            && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts[2].len() == 4
        {
            if let (Ok(d), Ok(m), Ok(y)) = (parts[0].parse(), parts[1].parse(), parts[2].parse()) {
                if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m, d) {
                    found = Some((at, k + 1, date));
                    break;
                }
            }
        }
        let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 2 || k + 2 >= words.len() {
            continue;
        }
        let (Some(m), Ok(y)) = (lang.extract.month(words[k + 1].1), words[k + 2].1.parse::<i32>()) else { continue };
        let Ok(d) = digits.parse::<u32>() else { continue };
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m, d) {
            found = Some((at, k + 3, date));
            break;
        }
    }
    let (at, next, date) = found?;
    // The time after the date: "13:16", "13h16", "à 9 h 05".
    let mut k = next;
    while k < words.len() && rules.time_prefixes.iter().any(|p| p.eq_ignore_ascii_case(words[k].1)) {
        k += 1;
    }
    let mut time = None;
    if k < words.len() {
        let w = words[k].1;
        let joined = if k + 2 < words.len() && words[k + 1].1.eq_ignore_ascii_case("h") {
            format!("{w}:{}", words[k + 2].1)
        } else {
            w.replace(['h', 'H'], ":")
        };
        let mut it = joined.split(':');
        if let (Some(h), Some(mi)) = (it.next(), it.next()) {
            if let (Ok(h), Ok(mi)) = (h.parse::<u32>(), mi.parse::<u32>()) {
                time = chrono::NaiveTime::from_hms_opt(h, mi, 0);
            }
        }
    }
    // The outlet: what comes before the date, without separators, a weekday or "Publié le".
    let mut before = t[..at].trim_end();
    loop {
        let trimmed = before
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | '·' | '•' | ','));
        let lower = trimmed.to_lowercase();
        let mut cut = None;
        if let Some(last) = lower.rsplit(' ').next() {
            if lang.extract.dates.weekdays.contains_key(last) {
                cut = Some(trimmed.len() - last.len());
            }
        }
        for p in &rules.date_prefixes {
            let p = p.trim();
            if lower == p || lower.ends_with(&format!(" {p}")) {
                cut = Some(trimmed.len() - p.len());
            }
        }
        match cut {
            Some(c) if c < before.len() => before = trimmed[..c].trim_end(),
            _ => {
                before = trimmed;
                break;
            }
        }
    }
    let mut outlet = before;
    for p in &rules.byline_prefixes {
        if outlet.len() >= p.len() && outlet.is_char_boundary(p.len()) && outlet[..p.len()].eq_ignore_ascii_case(p) {
            outlet = outlet[p.len()..].trim_start();
        }
    }
    if outlet.split_whitespace().count() > 8 {
        return None;
    }
    Some(Byline { outlet: (!outlet.is_empty()).then(|| outlet.to_string()), published: Published { date, time } })
}

/// Characters that may close a sentence after its final punctuation.
fn is_closer(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '»' | '”' | '"' | '’' | ')' | ']')
}

/// Split one line's text into trimmed sentence spans (relative to it).
pub(crate) fn split_sentences(line: &str, rules: &SegmentRules) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Guillemets count only when they pair up on the line.
    // One byte pass: « » are C2 AB / C2 BB, “ ” are E2 80 9C / E2 80 9D.
    let (mut opens, mut closes, mut quotes) = (0usize, 0usize, 0usize);
    let b = line.as_bytes();
    for k in 0..b.len() {
        match b[k] {
            b'"' => quotes += 1,
            0xAB if k > 0 && b[k - 1] == 0xC2 => opens += 1,
            0xBB if k > 0 && b[k - 1] == 0xC2 => closes += 1,
            0x9C if k > 1 && b[k - 1] == 0x80 && b[k - 2] == 0xE2 => opens += 1,
            0x9D if k > 1 && b[k - 1] == 0x80 && b[k - 2] == 0xE2 => closes += 1,
            _ => {}
        }
    }
    let paired = opens == closes;
    let straight = quotes % 2 == 0;
    let mut depth = 0usize;
    let mut in_straight = false;
    let mut start = 0;
    // Only the bytes that can start a character of interest are decoded: . ! ? " and the
    // lead bytes of « » (C2) and “ ” … (E2). A continuation byte is never one of them.
    let mut i = 0;
    while i < b.len() {
        if !matches!(b[i], b'.' | b'!' | b'?' | b'"' | 0xC2 | 0xE2) {
            i += 1;
            continue;
        }
        let Some(c) = line[i..].chars().next() else { break };
        match c {
            '«' | '“' if paired => depth += 1,
            '»' | '”' if paired => {
                depth = depth.saturating_sub(1);
                // "« Il viendra. » Puis": the quote ends the sentence.
                if depth == 0 {
                    let before = line[..i].trim_end_matches(|c: char| c.is_whitespace());
                    if before.ends_with(['.', '!', '?', '…']) {
                        let end = i + c.len_utf8();
                        if starts_sentence(&line[end..]) {
                            push_trimmed(line, start, end, &mut out);
                            start = end;
                        }
                    }
                }
            }
            '"' if straight => in_straight = !in_straight,
            '.' | '!' | '?' | '…' if depth == 0 && !in_straight => {
                let mut end = i + c.len_utf8();
                while let Some(d) = line[end..].chars().next() {
                    if is_closer(d) && !(d == '»' || d == '”') {
                        end += d.len_utf8();
                        if d == '"' && straight {
                            in_straight = !in_straight;
                        }
                    } else {
                        break;
                    }
                }
                // The closers taken are not looked at again.
                let at = i;
                i = end;
                let rest = &line[end..];
                if rest.is_empty() {
                    continue;
                }
                let word = word_before(line, at);
                let spaced = rest.starts_with(char::is_whitespace);
                let split = if c == '.' && end == at + 1 {
                    let initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
                    if initial || rules.is_abbreviation(word) {
                        false
                    } else if spaced {
                        starts_sentence(rest)
                    } else {
                        // "combats.Le lendemain": a missing space still ends a sentence.
                        let mut cs = rest.chars();
                        let lowered = word.chars().count() >= 2 && word.chars().all(char::is_lowercase);
                        lowered
                            && cs.next().is_some_and(char::is_uppercase)
                            && cs.next().is_some_and(char::is_lowercase)
                    }
                } else {
                    spaced && starts_sentence(rest)
                };
                if split {
                    push_trimmed(line, start, end, &mut out);
                    start = end;
                }
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    push_trimmed(line, start, line.len(), &mut out);
    out
}

/// The word right before byte `i` (letters, digits, inner dots and hyphens).
fn word_before(line: &str, i: usize) -> &str {
    let head = &line[..i];
    let from = head
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '«' | '"' | '\'' | '’'))
        .map(|k| k + head[k..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    &head[from..]
}

/// True when `rest` (after a sentence's final punctuation) opens a new sentence: white space,
/// then a capital, a digit, an opening quote or a dash.
fn starts_sentence(rest: &str) -> bool {
    let t = rest.trim_start();
    if t.len() == rest.len() {
        return false;
    }
    t.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '«' | '“' | '"' | '(' | '–' | '—' | '-' | '¿' | '¡')
    })
}

/// Split a sentence at clause breaks (";", ", mais ") when both parts are long enough.
fn split_clauses(sentence: &str, rules: &SegmentRules) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let words = |s: &str| s.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    loop {
        let rest = &sentence[start..];
        let mut best: Option<(usize, usize)> = None;
        if let Some(ac) = &rules.breaks {
            for m in ac.find_overlapping_iter(rest) {
                let b = &rules.clause_breaks[m.pattern().as_usize()];
                let at = m.start();
                let head = &rest[..at];
                let inside = head.matches(['«', '“']).count() > head.matches(['»', '”']).count();
                let conjunction = b.trim_start_matches([',', ';', ' ']).chars().any(char::is_alphabetic);
                let excepted = conjunction && {
                    let lower = head.to_lowercase();
                    rules.clause_break_exceptions.iter().any(|e| lower.contains(e.as_str()))
                };
                if !inside && !excepted && words(head) >= rules.clause_min_words {
                    // The next clause starts after the separator's punctuation.
                    let skip = b.len() - b.trim_start_matches([',', ';', ' ']).len();
                    let next = at + skip;
                    if words(&rest[next..]) >= rules.clause_min_words {
                        best = Some((at, next));
                        break;
                    }
                }
            }
        }
        match best {
            Some((at, next)) => {
                push_trimmed(sentence, start, start + at, &mut out);
                start += next;
            }
            None => {
                push_trimmed(sentence, start, sentence.len(), &mut out);
                return out;
            }
        }
    }
}

fn push_trimmed(line: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang() -> Language {
        Language::load("fr").unwrap()
    }

    fn sentences(line: &str) -> Vec<String> {
        let l = lang();
        split_sentences(line, &l.segment)
            .into_iter()
            .flat_map(|(a, b)| {
                split_clauses(&line[a..b], &l.segment).into_iter().map(move |(c, d)| line[a + c..a + d].to_string())
            })
            .collect()
    }

    #[test]
    fn abbreviations_numbers_and_hyphens_do_not_split() {
        assert_eq!(
            sentences("M. Martin est arrivé. Mme Durand aussi."),
            ["M. Martin est arrivé.", "Mme Durand aussi."]
        );
        assert_eq!(
            sentences("Le Dr Léger consulte en janv. et en fév. chaque année."),
            ["Le Dr Léger consulte en janv. et en fév. chaque année."]
        );
        assert_eq!(
            sentences("On dénombre 2.400 cas, soit 3,5 % de plus. Le préfet s’inquiète."),
            ["On dénombre 2.400 cas, soit 3,5 % de plus.", "Le préfet s’inquiète."]
        );
        assert_eq!(
            sentences("Des pommes, des poires, etc. Le marché ferme."),
            ["Des pommes, des poires, etc.", "Le marché ferme."]
        );
        assert_eq!(
            sentences("Les relations franco-italo-suisses, p. ex. au col, sont bonnes."),
            ["Les relations franco-italo-suisses, p. ex. au col, sont bonnes."]
        );
        assert_eq!(sentences("Le général J. Arnaud commande."), ["Le général J. Arnaud commande."]);
    }

    #[test]
    fn quotes_and_missing_spaces() {
        assert_eq!(
            sentences("Il a dit : « Nous partirons. Nous reviendrons. » Le soir, il est parti."),
            ["Il a dit : « Nous partirons. Nous reviendrons. »", "Le soir, il est parti."]
        );
        assert_eq!(
            sentences("Selon elle, « la ville est calme ». Le maire confirme."),
            ["Selon elle, « la ville est calme ».", "Le maire confirme."]
        );
        assert_eq!(
            sentences("La nuit a été calme.Le lendemain, la grève a repris."),
            ["La nuit a été calme.", "Le lendemain, la grève a repris."]
        );
        assert_eq!(sentences("Vraiment ? Oui ! Bien sûr."), ["Vraiment ?", "Oui !", "Bien sûr."]);
    }

    #[test]
    fn clauses_split_only_when_both_are_long() {
        assert_eq!(
            sentences(
                "Le port de Brest a fermé ses quais mardi soir ; la mairie de Quimper a rouvert les écoles jeudi."
            ),
            ["Le port de Brest a fermé ses quais mardi soir", "la mairie de Quimper a rouvert les écoles jeudi."]
        );
        assert_eq!(sentences("Il pleut ; on reste."), ["Il pleut ; on reste."]);
    }

    fn seg(text: &str) -> Segmented {
        segment(&Source::from_text("t.txt", text), &lang())
    }

    fn kinds(text: &str) -> Vec<LineKind> {
        seg(text).lines.iter().map(|l| l.kind).collect()
    }

    #[test]
    fn title_byline_headings_boilerplate_bullets() {
        use LineKind::*;
        let text = "Mode sombre\n\nLa ville de Lorient rénove son port\n\nOuest Matin - 3 mars 2024 09:45\n\nLa mairie a voté le budget. Il atteint 4 millions d’euros.\nLes travaux\n- Première phase en avril.\n- Seconde phase en juin.\nEt ensuite ?\nLe chantier durera deux ans.\nPartager\nSources";
        assert_eq!(
            kinds(text),
            [
                Boilerplate,
                Blank,
                Title,
                Blank,
                Byline,
                Blank,
                Prose,
                Heading,
                Bullet,
                Bullet,
                Heading,
                Prose,
                Boilerplate,
                Boilerplate
            ]
        );
        let s = seg(text);
        assert_eq!(s.meta.title.as_deref(), Some("La ville de Lorient rénove son port"));
        assert_eq!(s.meta.outlet.as_deref(), Some("Ouest Matin"));
        assert_eq!(s.meta.published.unwrap().iso(), "2024-03-03T09:45");
        let quotes: Vec<&str> = s.sentences.iter().map(|x| x.span.slice(text)).collect();
        assert_eq!(quotes[2], "Première phase en avril.");
    }

    #[test]
    fn byline_forms() {
        let l = lang();
        let b = byline("Publié le 12 janvier 2023 à 8h30", &l.segment, &l).unwrap();
        assert_eq!((b.outlet, b.published.iso()), (None, "2023-01-12T08:30".to_string()));
        let b = byline("Par Jeanne Roy | La Gazette, 05/11/2022", &l.segment, &l).unwrap();
        assert_eq!(b.published.iso(), "2022-11-05");
        assert!(byline("Le 12 janvier 2023, la mairie a voté le budget de la ville pour l’année.", &l.segment, &l)
            .is_none());
    }

    #[test]
    fn sentences_never_cross_lines_and_spans_are_exact() {
        let text = "Premier paragraphe ici. Deuxième phrase.\r\nTroisième ligne de texte.";
        let s = seg(text);
        let quotes: Vec<&str> = s.sentences.iter().map(|x| x.span.slice(text)).collect();
        assert_eq!(quotes, ["Premier paragraphe ici.", "Deuxième phrase.", "Troisième ligne de texte."]);
        assert_eq!(s.sentences[2].line, 2);
    }
}
