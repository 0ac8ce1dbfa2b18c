//! The values that flow from the middle of the pipeline to its end: one [`Document`] per
//! source, and the whole [`Report`] that the render stage turns into a site.

use crate::annotate::{AnnotatedSource, ClaimRecord};
use crate::config::Config;
use crate::crosscheck::{Analysis, Verdict};
use crate::extract::Entity;
use crate::read::{Skipped, Source};
use crate::segment::Segmented;
use std::sync::Arc;

/// One source after reading, segmenting, extracting and annotating.
#[derive(Debug, Clone)]
pub struct Document {
    /// The decoded source (shared: the analysis never changes it, and `factsite serve` keeps
    /// each one across rebuilds instead of copying it).
    pub source: Arc<Source>,
    /// Its lines and sentences (shared, like the source).
    pub seg: Arc<Segmented>,
    /// Its annotated record (claims with reviews).
    pub record: AnnotatedSource,
}

impl Document {
    /// The claims that belong in the report.
    pub fn reported_claims(&self) -> impl Iterator<Item = &ClaimRecord> {
        self.record.claims.iter().filter(|c| c.is_reported())
    }

    /// Whether `other` is this document again, unchanged: the same source bytes at the same
    /// path under the same id, and the same record. (Its lines and sentences follow from the
    /// text.)
    pub fn same_as(&self, other: &Document) -> bool {
        self.source.id == other.source.id
            && self.source.sha256 == other.source.sha256
            && self.source.path == other.source.path
            && self.source.encoding == other.source.encoding
            && self.record == other.record
    }
}

/// Whether `after` is the document `before` unchanged: the same one (shared) or an equal one.
pub fn unchanged(before: &Arc<Document>, after: &Arc<Document>) -> bool {
    Arc::ptr_eq(before, after) || before.same_as(after)
}

/// Whether two lists of documents hold the same sources at the same places (a rebuild's case,
/// unless a source came or went): each pair is then one document, or two versions of one.
pub fn same_places(before: &[Arc<Document>], after: &[Arc<Document>]) -> bool {
    before.len() == after.len()
        && before.iter().zip(after).all(|(b, a)| Arc::ptr_eq(b, a) || b.source.id == a.source.id)
}

/// Everything the render stage needs.
#[derive(Debug, Clone)]
pub struct Report {
    /// The project configuration.
    pub config: Config,
    /// `factsite <version>`.
    pub generator: String,
    /// One document per source, in path order (shared: a rebuild reuses the documents it did
    /// not change).
    pub docs: Vec<Arc<Document>>,
    /// Every entity mentioned, in id order.
    pub entities: Vec<Entity>,
    /// Topics, comparisons, findings and automatic verdicts (shared: a rebuild after an edit
    /// the cross-check does not read keeps the last report's).
    pub analysis: Arc<Analysis>,
    /// Files under the sources folder that were not read.
    pub skipped: Vec<Skipped>,
    /// The project's methodology page (`content/methodology.md`), when it has one.
    pub methodology: Option<String>,
}

impl Report {
    /// The verdict a claim shows: the editor's when there is one, else the automatic one.
    pub fn verdict(&self, claim: &ClaimRecord) -> std::borrow::Cow<'_, Verdict> {
        use std::borrow::Cow;
        if let Some(label) = &claim.review.verdict {
            return Cow::Owned(Verdict::editor(label, claim.review.rationale.as_deref().unwrap_or_default()));
        }
        self.analysis.verdicts.get(claim.id.as_str()).map_or_else(|| Cow::Owned(Verdict::unchecked()), Cow::Borrowed)
    }

    /// The label of the verdict a claim shows (see [`Report::verdict`]), without making the
    /// verdict.
    pub fn verdict_label<'r>(&'r self, claim: &'r ClaimRecord) -> &'r str {
        match &claim.review.verdict {
            Some(label) => label,
            None => self.analysis.verdicts.get(claim.id.as_str()).map_or("unchecked", |v| &*v.label),
        }
    }

    /// Every reported claim with its document, in source then text order.
    pub fn claims(&self) -> impl Iterator<Item = (&Document, &ClaimRecord)> {
        self.docs.iter().flat_map(|d| d.reported_claims().map(move |c| (&**d, c)))
    }
}

/// The keys of two sequences sorted by key whose values differ (are not the `same`), or that
/// only one holds, in key order: how two reports' tables are compared, entry by entry.
pub fn differing_keys<K: Ord + Copy, V>(
    a: impl IntoIterator<Item = (K, V)>,
    b: impl IntoIterator<Item = (K, V)>,
    same: impl Fn(&V, &V) -> bool,
) -> Vec<K> {
    use std::cmp::Ordering;
    let mut out = Vec::new();
    let (mut x, mut y) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        // The side behind gives its key; on one key, both are compared.
        let order = match (x.peek(), y.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
        };
        match order {
            Ordering::Less => out.extend(x.next().map(|(k, _)| k)),
            Ordering::Greater => out.extend(y.next().map(|(k, _)| k)),
            Ordering::Equal => {
                if let (Some((k, va)), Some((_, vb))) = (x.next(), y.next()) {
                    if !same(&va, &vb) {
                        out.push(k);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn differing_keys_are_those_of_one_side_or_of_other_values() {
        let a = [("a", 1), ("b", 2), ("d", 4)];
        let b = [("b", 2), ("c", 3), ("d", 5), ("e", 6)];
        assert_eq!(super::differing_keys(a, b, |x, y| x == y), ["a", "c", "d", "e"]);
        assert!(super::differing_keys(a, a, |x, y| x == y).is_empty());
    }
}
