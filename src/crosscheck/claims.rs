//! What the cross-check reads of each reported claim, computed once: its content stems, its
//! figures with their measure class, interval and nearby cues, its origin (who the claim
//! rests on) and its source's publication date.

use super::rules::{contains_phrase, find_cue, normalize, stem, words, CrosscheckRules};
use crate::annotate::ClaimRecord;
use crate::extract::Bound;
use crate::lang::Language;
use crate::report::Document;
use chrono::NaiveDate;

/// Relative margin of a figure stated as exact (rounding in the source).
const EXACT_MARGIN: f64 = 0.05;
/// Relative margin of a figure stated as approximate ("environ").
const APPROX_MARGIN: f64 = 0.2;
/// Words before and after a figure read as its context.
const WINDOW_BEFORE: usize = 4;
const WINDOW_AFTER: usize = 6;

/// One figure of a claim, ready to compare.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Index in the claim's quantities.
    pub index: usize,
    /// The measure class (or the counted noun's stem when no class lists it).
    pub measure: String,
    /// The counted noun as written.
    pub unit: String,
    /// Lowest and highest amount compatible with the figure and its bound; `None` when vague.
    pub interval: Option<(f64, f64)>,
    /// True when stated as exact or approximate (a point that can corroborate another).
    pub point: bool,
    /// "2 500 autres": added to another figure, not a total.
    pub increment: bool,
    /// Said of something still to come.
    pub prospective: bool,
    /// Stems of the words around the figure.
    pub context: Vec<String>,
}

/// A reported claim as the cross-check sees it.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    /// Index of its document.
    pub doc: usize,
    /// The record.
    pub record: &'a ClaimRecord,
    /// Its source's id.
    pub source: &'a str,
    /// The source as named for a reader: its outlet, else its id.
    pub source_name: String,
    /// The quote, normalised (lowercase, straight apostrophes).
    pub text: String,
    /// Content stems (no stopwords, no numbers), sorted and unique.
    pub stems: Vec<String>,
    /// Pairs of consecutive content stems ("défens mutuel"), sorted and unique: phrases say
    /// more than words about whether two claims state the same thing.
    pub phrases: Vec<String>,
    /// Surface words by stem, for labels.
    pub surface: Vec<(String, String)>,
    /// Its source's publication date.
    pub published: Option<NaiveDate>,
    /// Who the claim rests on: an entity, a named speaker, or the outlet itself.
    pub origin: String,
    /// The origin as named for a reader.
    pub origin_label: String,
    /// Figures with a counted noun.
    pub figures: Vec<Figure>,
}

/// Reads claims with one language's stemmer and stopwords.
pub struct Reader<'l> {
    stemmer: rust_stemmers::Stemmer,
    stopwords: std::collections::BTreeSet<String>,
    rules: &'l CrosscheckRules,
}

impl<'l> Reader<'l> {
    /// A reader for `lang`.
    pub fn new(lang: &'l Language) -> Reader<'l> {
        Reader {
            stemmer: rust_stemmers::Stemmer::create(lang.stemmer),
            stopwords: lang.stopwords.iter().map(|w| normalize(w)).collect(),
            rules: &lang.crosscheck,
        }
    }

    /// The stemmer.
    pub fn stemmer(&self) -> &rust_stemmers::Stemmer {
        &self.stemmer
    }

    /// Content words of a normalised text: (offset, word, stem), stopwords and numbers left out.
    pub fn content_words<'t>(&self, text: &'t str) -> Vec<(usize, &'t str, String)> {
        words(text)
            .into_iter()
            .filter(|(_, w)| w.chars().count() > 1 && !w.chars().all(|c| c.is_ascii_digit()))
            .filter(|(_, w)| !self.stopwords.contains(*w))
            .map(|(i, w)| (i, w, stem(&self.stemmer, w)))
            .collect()
    }

    /// Every reported claim of `docs`, in source then text order.
    pub fn read<'a>(&self, docs: &'a [Document]) -> Vec<Claim<'a>> {
        let mut out = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            let published = published(doc);
            let source_name = source_name(doc);
            for record in doc.reported_claims() {
                out.push(self.claim(d, doc, record, published, &source_name));
            }
        }
        out
    }

    fn claim<'a>(
        &self,
        d: usize,
        doc: &'a Document,
        record: &'a ClaimRecord,
        published: Option<NaiveDate>,
        source_name: &str,
    ) -> Claim<'a> {
        let text = normalize(&record.quote);
        let content = self.content_words(&text);
        let mut stems: Vec<String> = content.iter().map(|(_, _, s)| s.clone()).collect();
        stems.sort();
        stems.dedup();
        let mut phrases: Vec<String> = content.windows(2).map(|w| format!("{} {}", w[0].2, w[1].2)).collect();
        phrases.sort();
        phrases.dedup();
        let mut surface: Vec<(String, String)> = content.iter().map(|(_, w, s)| (s.clone(), w.to_string())).collect();
        surface.sort();
        surface.dedup();
        let figures = record.quantities.iter().enumerate().filter_map(|(i, q)| self.figure(i, q, &text)).collect();
        let (origin, origin_label) = self.origin(record, &doc.source.id, source_name);
        Claim {
            doc: d,
            record,
            source: &doc.source.id,
            source_name: source_name.to_string(),
            text,
            stems,
            phrases,
            surface,
            published,
            origin,
            origin_label,
            figures,
        }
    }

    fn figure(&self, index: usize, q: &crate::extract::Quantity, text: &str) -> Option<Figure> {
        let unit = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty())?;
        let unit_norm = normalize(unit);
        let unit_stem = words(&unit_norm).first().map(|(_, w)| stem(&self.stemmer, w))?;
        let measure = self.rules.measure_class(&unit_stem).map(str::to_string).unwrap_or(unit_stem);
        // The figure's context: a few words either side of where it is written.
        let qt = normalize(&q.text);
        let all = words(text);
        let (start, end) = match text.find(&qt) {
            Some(s) => (s, s + qt.len()),
            None => (0, text.len()),
        };
        let first = all.iter().position(|(i, _)| *i >= start).unwrap_or(all.len());
        let last = all.iter().rposition(|(i, w)| i + w.len() <= end).map_or(first, |p| p + 1);
        let lo = first.saturating_sub(WINDOW_BEFORE);
        let hi = (last + WINDOW_AFTER).min(all.len());
        let window_text = match (all.get(lo), all.get(hi.max(1) - 1)) {
            (Some((a, _)), Some((b, w))) if a <= b => &text[*a..b + w.len()],
            _ => "",
        };
        let context = all[lo..hi].iter().map(|(_, w)| stem(&self.stemmer, w)).collect();
        let interval = q.value.filter(|v| v.is_finite()).and_then(|v| match q.bound {
            Bound::Exact => Some((v * (1.0 - EXACT_MARGIN), v * (1.0 + EXACT_MARGIN))),
            Bound::Approx => Some((v * (1.0 - APPROX_MARGIN), v * (1.0 + APPROX_MARGIN))),
            Bound::Upper => Some((0.0, v)),
            Bound::Lower => Some((v, f64::INFINITY)),
            Bound::Vague => None,
        });
        Some(Figure {
            index,
            measure,
            unit: unit.to_string(),
            point: interval.is_some() && matches!(q.bound, Bound::Exact | Bound::Approx),
            interval,
            increment: find_cue(window_text, &self.rules.increment_cues).is_some()
                || find_cue(&qt, &self.rules.increment_cues).is_some(),
            prospective: find_cue(window_text, &self.rules.prospective_cues).is_some(),
            context,
        })
    }

    /// The origin key and label: the attribution's entity, else its content words unless they
    /// are only generic ("selon des rapports"), else the source itself.
    fn origin(&self, record: &ClaimRecord, source_id: &str, source_name: &str) -> (String, String) {
        if let Some(a) = &record.attribution {
            if let Some(e) = &a.entity {
                return (format!("entity:{e}"), a.text.clone());
            }
            let norm = normalize(&a.text);
            let mut stems: Vec<String> = self
                .content_words(&norm)
                .into_iter()
                .filter(|(_, w, _)| !self.rules.generic_speakers.iter().any(|g| g == w))
                .map(|(_, _, s)| s)
                .collect();
            stems.sort();
            stems.dedup();
            if !stems.is_empty() {
                return (format!("speaker:{}", stems.join(" ")), a.text.clone());
            }
        }
        (format!("source:{source_id}"), source_name.to_string())
    }
}

/// The publication date of a document: its byline's, else its record's front matter.
pub fn published(doc: &Document) -> Option<NaiveDate> {
    doc.seg.meta.published.map(|p| p.date).or_else(|| {
        let iso = doc.record.meta.published.as_deref()?;
        NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()
    })
}

/// True when a claim's text holds one of `cues`.
pub fn has_cue(text: &str, cues: &[String]) -> bool {
    cues.iter().any(|c| contains_phrase(text, c))
}

/// How findings name a source for a reader: its outlet, else its title in quotes (shortened),
/// else its file name. Two sources of one outlet are told apart by their claims' links.
fn source_name(doc: &Document) -> String {
    if let Some(outlet) = &doc.record.meta.outlet {
        return outlet.clone();
    }
    if let Some(title) = &doc.record.meta.title {
        const MAX: usize = 60;
        let short: String = title.chars().take(MAX).collect();
        let ellipsis = if title.chars().count() > MAX { "…" } else { "" };
        return format!("« {}{ellipsis} »", short.trim_end());
    }
    doc.source.path.rsplit('/').next().unwrap_or(&doc.source.path).to_string()
}
