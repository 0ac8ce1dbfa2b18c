//! `claims.json`: the machine-readable twin of the report, per `schema/report.schema.json`.

use super::urls;
use crate::annotate::ClaimRecord;
use crate::report::Document;
use crate::report::Report;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::io::{self, Write};

/// `value` pretty-printed as serde_json prints it `depth` levels deep in a document: every
/// line after the first indented by two spaces a level.
fn pretty_at(value: &impl Serialize, depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    pretty_into(&mut out, value, depth);
    out
}

/// [`pretty_at`], written at the end of `out`.
fn pretty_into(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    let formatter = PrettyAt { level: depth, has_value: false };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter)).expect("serialising to memory");
}

/// serde_json's `PrettyFormatter` (two spaces a level), its levels counted from a depth
/// instead of from zero: the value's layout where it sits in the document, without printing
/// it alone and indenting each line again.
struct PrettyAt {
    level: usize,
    has_value: bool,
}

impl PrettyAt {
    fn line<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut n = 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// How many sources' items are made in parallel before they are written out: enough to keep
/// every core busy, few enough that memory holds a batch, never the whole export.
const BATCH: usize = 256;

/// Write a pretty-printed JSON array `depth` levels deep, its elements made from `groups` in
/// parallel, a batch at a time (each group gives zero or more elements, in order), and written
/// in order: the bytes serde_json gives for the same array, without holding it, or even the
/// whole text, in memory.
fn write_pretty_array<'g, G: Sync, V: Serialize>(
    out: &mut dyn Write,
    groups: &'g [G],
    depth: usize,
    items: impl Fn(&'g G) -> Vec<V> + Sync,
) -> io::Result<()> {
    let mut first = true;
    for batch in groups.chunks(BATCH) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|g| {
                let mut chunk = Vec::new();
                let head = PrettyAt { level: depth + 1, has_value: false };
                for (i, v) in items(g).iter().enumerate() {
                    if i > 0 {
                        chunk.extend_from_slice(b",\n");
                    }
                    head.indent(&mut chunk).expect("writing to memory");
                    pretty_into(&mut chunk, v, depth + 1);
                }
                chunk
            })
            .collect();
        for chunk in chunks.iter().filter(|c| !c.is_empty()) {
            out.write_all(if first { b"[\n" } else { b",\n" })?;
            out.write_all(chunk)?;
            first = false;
        }
    }
    if first {
        return out.write_all(b"[]");
    }
    out.write_all(b"\n")?;
    out.write_all("  ".repeat(depth).as_bytes())?;
    out.write_all(b"]")
}

/// `claims.json`, pretty-printed, its keys in alphabetical order.
pub fn claims_json(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    let pages = urls::FindingPages::new(report.analysis.findings.iter().map(|f| f.id.as_str()));
    write_claims_json(report, &pages, &mut out).expect("writing to memory");
    out
}

/// Write `claims.json` to `out`. Each source's claims, and each list, are serialised in
/// parallel a batch at a time and written in order: the bytes of serde_json's printing of the
/// whole document as one tree, which at archive scale (hundreds of thousands of claims) would
/// be slow and large. `pages` are the report's findings pages, where the findings' URLs lead.
pub fn write_claims_json(report: &Report, pages: &urls::FindingPages, out: &mut dyn Write) -> io::Result<()> {
    let topic_of = report.analysis.topic_of();
    let source = |d: &Document| {
        let non_content: Vec<Value> = d
            .seg
            .lines
            .iter()
            .filter(|l| !l.kind.is_content())
            .map(|l| json!({"line": l.number, "kind": l.kind.as_str()}))
            .collect();
        json!({
            "id": d.source.id,
            "path": d.source.path,
            "sha256": d.source.sha256,
            "encoding": d.source.encoding,
            "title": d.record.meta.title,
            "outlet": d.record.meta.outlet,
            "published": d.record.meta.published,
            "language": d.record.meta.language,
            "line_count": d.source.lines.len(),
            "non_content_lines": non_content,
            "url": urls::source(&d.source.id),
        })
    };
    let findings: Vec<(usize, &crate::crosscheck::Finding)> = report.analysis.findings.iter().enumerate().collect();
    // serde_json's maps are sorted: the same order here keeps the bytes of a tree's output.
    out.write_all(b"{\n  \"claims\": ")?;
    write_pretty_array(out, &report.docs, 1, |d| {
        d.reported_claims().map(|c| ClaimEntry::new(report, &topic_of, d, c)).collect()
    })?;
    out.write_all(b",\n  \"entities\": ")?;
    out.write_all(&pretty_at(&serde_json::to_value(&report.entities).expect("serialising to memory"), 1))?;
    out.write_all(b",\n  \"export_version\": 1,\n  \"findings\": ")?;
    write_pretty_array(out, &findings, 1, |&(i, f)| {
        vec![
            json!({"id": f.id, "kind": f.kind, "claims": f.claims, "summary": f.summary, "url": pages.finding(i, &f.id)}),
        ]
    })?;
    out.write_all(b",\n  \"generator\": ")?;
    out.write_all(&pretty_at(&report.generator, 1))?;
    out.write_all(b",\n  \"sources\": ")?;
    write_pretty_array(out, &report.docs, 1, |d| vec![source(d)])?;
    out.write_all(b",\n  \"topics\": ")?;
    write_pretty_array(out, &report.analysis.topics, 1, |t| {
        vec![json!({"id": t.id, "label": t.label, "claims": t.claims, "url": urls::topic(&t.id)})]
    })?;
    out.write_all(b"\n}")
}

/// One claim of `claims.json`, its keys (and those of the objects in it) in alphabetical
/// order, as serde_json writes a map: the bytes of the claim as a `serde_json::Value`, without
/// copying the claim into one (a few hundred thousand claims at archive scale).
#[derive(Serialize)]
struct ClaimEntry<'a> {
    attribution: Option<AttributionEntry<'a>>,
    cite_url: String,
    dates: Vec<DateEntry<'a>>,
    entities: &'a [String],
    hedge_cues: &'a [String],
    hedged: bool,
    id: &'a str,
    lines: [usize; 2],
    quantities: Vec<QuantityEntry<'a>>,
    quote: &'a str,
    /// As a `Value` holds an `f32`: widened to `f64`.
    score: f64,
    source: &'a str,
    span: crate::span::Span,
    topic: &'a str,
    url: String,
    verdict: VerdictEntry<'a>,
}

impl<'a> ClaimEntry<'a> {
    fn new(
        report: &'a Report,
        topic_of: &rustc_hash::FxHashMap<&str, &'a str>,
        d: &'a Document,
        c: &'a ClaimRecord,
    ) -> ClaimEntry<'a> {
        ClaimEntry {
            attribution: c
                .attribution
                .as_ref()
                .map(|a| AttributionEntry { entity: a.entity.as_deref(), text: &a.text }),
            cite_url: urls::cite(&d.source.id, &c.id),
            dates: c
                .dates
                .iter()
                .map(|m| DateEntry { range: m.range.as_ref(), text: &m.text, value: m.value.as_deref() })
                .collect(),
            entities: &c.entities,
            hedge_cues: &c.hedge_cues,
            hedged: c.hedged,
            id: &c.id,
            lines: c.lines,
            quantities: c
                .quantities
                .iter()
                .map(|q| QuantityEntry { bound: q.bound, text: &q.text, unit: q.unit.as_deref(), value: q.value })
                .collect(),
            quote: &c.quote,
            score: f64::from(c.score),
            source: &d.source.id,
            span: c.span,
            topic: topic_of.get(c.id.as_str()).copied().unwrap_or("other"),
            url: urls::claim(&d.source.id, &c.id),
            verdict: VerdictEntry(report.verdict(c)),
        }
    }
}

#[derive(Serialize)]
struct AttributionEntry<'a> {
    entity: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct DateEntry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<&'a [String; 2]>,
    text: &'a str,
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct QuantityEntry<'a> {
    bound: crate::extract::Bound,
    text: &'a str,
    unit: Option<&'a str>,
    value: Option<f64>,
}

/// A verdict's keys in alphabetical order.
struct VerdictEntry<'a>(Cow<'a, crate::crosscheck::Verdict>);

impl Serialize for VerdictEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("Verdict", 3)?;
        v.serialize_field("by", &self.0.by)?;
        v.serialize_field("label", &self.0.label)?;
        v.serialize_field("rationale", &self.0.rationale)?;
        v.end()
    }
}

/// `claims.csv`: one row per claim, for spreadsheets. Cells that a spreadsheet would run as
/// a formula are defused (see `escape::csv_cell`).
pub fn claims_csv(report: &Report, base_url: &str) -> Vec<u8> {
    let mut out = Vec::new();
    write_claims_csv(report, base_url, &mut out).expect("writing to memory");
    out
}

/// Write `claims.csv` to `out`, each source's rows made in parallel, a batch at a time.
pub fn write_claims_csv(report: &Report, base_url: &str, out: &mut dyn Write) -> io::Result<()> {
    let topic_of = report.analysis.topic_of();
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "source",
        "line",
        "quote",
        "topic",
        "verdict",
        "verdict_by",
        "hedged",
        "hedge_cues",
        "attribution",
        "figures",
        "dates",
        "entities",
        "url",
        "cite_url",
    ];
    w.write_record(header).expect("writing to memory");
    out.write_all(&w.into_inner().expect("writing to memory"))?;
    for batch in report.docs.chunks(BATCH) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|d| {
                let mut w = csv::Writer::from_writer(Vec::new());
                for c in d.reported_claims() {
                    let v = report.verdict_label(c);
                    let by = if c.review.verdict.is_some() { "editor" } else { "auto" };
                    let join = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join("; ");
                    let row: [Cow<str>; 15] = [
                        c.id.as_str().into(),
                        d.source.id.as_str().into(),
                        c.lines[0].to_string().into(),
                        c.quote.as_str().into(),
                        topic_of.get(c.id.as_str()).copied().unwrap_or("other").into(),
                        v.into(),
                        by.into(),
                        if c.hedged { "true" } else { "false" }.into(),
                        c.hedge_cues.join("; ").into(),
                        c.attribution.as_ref().map_or("", |a| a.text.as_str()).into(),
                        join(&mut c.quantities.iter().map(|q| q.text.as_str())).into(),
                        join(&mut c.dates.iter().map(|d| d.value.as_deref().unwrap_or(&d.text))).into(),
                        c.entities.join("; ").into(),
                        urls::absolute(base_url, &urls::claim(&d.source.id, &c.id)).into(),
                        urls::absolute(base_url, &urls::cite(&d.source.id, &c.id)).into(),
                    ];
                    for cell in &row {
                        w.write_field(super::escape::csv_cell(cell).as_bytes()).expect("writing to memory");
                    }
                    w.write_record(None::<&[u8]>).expect("writing to memory");
                }
                w.into_inner().expect("writing to memory")
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_printed_at_a_depth_is_serde_jsons_printing_indented() {
        let values = [
            json!({"a": [1, {"b": [], "c": {}}, [[]]], "d": "x\ny", "e": {"f": null}}),
            json!([]),
            json!({}),
            json!("seul"),
            json!([[1, 2], {"g": [{"h": 3.5}]}]),
        ];
        for v in &values {
            let flat = String::from_utf8(serde_json::to_vec_pretty(v).unwrap()).unwrap();
            for depth in 0..40 {
                // Every line after the first indented by two spaces a level (a string holds
                // no raw newline: `"x\ny"` is printed escaped).
                let want = flat.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                assert_eq!(String::from_utf8(pretty_at(v, depth)).unwrap(), want, "{v} at {depth}");
            }
        }
    }
}
