//! `claims.json`: the machine-readable twin of the report, per `schema/report.schema.json`.

use super::urls;
use crate::annotate::ClaimRecord;
use crate::report::Document;
use crate::report::Report;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

/// A sequence serialised from an iterator made on demand: the export streams its items, one
/// small JSON value at a time, instead of building the whole document as a tree (at archive
/// scale, hundreds of thousands of claims).
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// `claims.json`, pretty-printed, its keys in alphabetical order.
pub fn claims_json(report: &Report) -> Vec<u8> {
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
    let claim = |(d, c): (&Document, &ClaimRecord)| {
        let verdict = report.verdict(c);
        json!({
            "id": c.id,
            "source": d.source.id,
            "quote": c.quote,
            "lines": c.lines,
            "span": c.span,
            "topic": topic_of.get(c.id.as_str()).copied().unwrap_or("other"),
            "hedged": c.hedged,
            "hedge_cues": c.hedge_cues,
            "attribution": c.attribution,
            "quantities": c.quantities,
            "dates": c.dates,
            "entities": c.entities,
            "verdict": verdict,
            "score": c.score,
            "url": urls::claim(&d.source.id, &c.id),
            "cite_url": urls::cite(&d.source.id, &c.id),
        })
    };
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::pretty(&mut out);
    let mut m = ser.serialize_map(Some(7)).expect("writing to memory");
    // serde_json's maps are sorted: the same order here keeps the bytes of a tree's output.
    m.serialize_entry("claims", &Seq(|| report.claims().map(claim))).expect("writing to memory");
    m.serialize_entry("entities", &report.entities).expect("writing to memory");
    m.serialize_entry("export_version", &1).expect("writing to memory");
    m.serialize_entry(
        "findings",
        &Seq(|| {
            report.analysis.findings.iter().enumerate().map(|(i, f)| {
                json!({"id": f.id, "kind": f.kind, "claims": f.claims, "summary": f.summary, "url": urls::finding(i, &f.id)})
            })
        }),
    )
    .expect("writing to memory");
    m.serialize_entry("generator", &report.generator).expect("writing to memory");
    m.serialize_entry("sources", &Seq(|| report.docs.iter().map(source))).expect("writing to memory");
    m.serialize_entry(
        "topics",
        &Seq(|| {
            report
                .analysis
                .topics
                .iter()
                .map(|t| json!({"id": t.id, "label": t.label, "claims": t.claims, "url": urls::topic(&t.id)}))
        }),
    )
    .expect("writing to memory");
    m.end().expect("writing to memory");
    out
}

/// `claims.csv`: one row per claim, for spreadsheets. Cells that a spreadsheet would run as
/// a formula are defused (see [`super::escape::csv_cell`]).
pub fn claims_csv(report: &Report, base_url: &str) -> Vec<u8> {
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
    for (d, c) in report.claims() {
        let v = report.verdict(c);
        let row = [
            c.id.clone(),
            d.source.id.clone(),
            c.lines[0].to_string(),
            c.quote.clone(),
            topic_of.get(c.id.as_str()).copied().unwrap_or("other").to_string(),
            v.label.clone(),
            match v.by {
                crate::crosscheck::VerdictBy::Auto => "auto".into(),
                crate::crosscheck::VerdictBy::Editor => "editor".into(),
            },
            c.hedged.to_string(),
            c.hedge_cues.join("; "),
            c.attribution.as_ref().map(|a| a.text.clone()).unwrap_or_default(),
            c.quantities.iter().map(|q| q.text.as_str()).collect::<Vec<_>>().join("; "),
            c.dates.iter().map(|d| d.value.as_deref().unwrap_or(&d.text)).collect::<Vec<_>>().join("; "),
            c.entities.join("; "),
            urls::absolute(base_url, &urls::claim(&d.source.id, &c.id)),
            urls::absolute(base_url, &urls::cite(&d.source.id, &c.id)),
        ];
        w.write_record(row.iter().map(|cell| super::escape::csv_cell(cell).into_owned())).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}
