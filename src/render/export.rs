//! `claims.json`: the machine-readable twin of the report, per `schema/report.schema.json`.

use super::urls;
use crate::report::Report;
use serde_json::{json, Value};

/// The export document.
pub fn claims_json(report: &Report) -> Value {
    let topic_of = report.analysis.topic_of();
    let sources: Vec<Value> = report
        .docs
        .iter()
        .map(|d| {
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
        })
        .collect();
    let claims: Vec<Value> = report
        .claims()
        .map(|(d, c)| {
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
        })
        .collect();
    let topics: Vec<Value> = report
        .analysis
        .topics
        .iter()
        .map(|t| json!({"id": t.id, "label": t.label, "claims": t.claims, "url": urls::topic(&t.id)}))
        .collect();
    let findings: Vec<Value> = report
        .analysis
        .findings
        .iter()
        .map(|f| json!({"id": f.id, "kind": f.kind, "claims": f.claims, "summary": f.summary, "url": urls::finding(&f.id)}))
        .collect();
    json!({
        "export_version": 1,
        "generator": report.generator,
        "sources": sources,
        "claims": claims,
        "topics": topics,
        "entities": report.entities,
        "findings": findings,
    })
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
            v.label,
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
