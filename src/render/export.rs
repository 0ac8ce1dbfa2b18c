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
                "url": urls::claim(&c.id),
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
