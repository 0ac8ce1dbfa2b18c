//! `claims.json`: the machine-readable twin of the report, per `schema/report.schema.json`.

use super::urls;
use crate::annotate::ClaimRecord;
use crate::report::Document;
use crate::report::Report;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{self, Write};

/// `value` pretty-printed as serde_json prints it `depth` levels deep in a document: every
/// line after the first indented by two spaces a level (a JSON string holds no raw newline,
/// so every newline of the text is a line break of the layout).
fn pretty_at(value: &impl Serialize, depth: usize) -> Vec<u8> {
    let flat = serde_json::to_vec_pretty(value).expect("serialising to memory");
    if depth == 0 {
        return flat;
    }
    let indent = "  ".repeat(depth);
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    for (i, line) in flat.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent.as_bytes());
        }
        out.extend_from_slice(line);
    }
    out
}

/// How many sources' items are made in parallel before they are written out: enough to keep
/// every core busy, few enough that memory holds a batch, never the whole export.
const BATCH: usize = 256;

/// Write a pretty-printed JSON array `depth` levels deep, its elements made from `groups` in
/// parallel, a batch at a time (each group gives zero or more elements, in order), and written
/// in order: the bytes serde_json gives for the same array, without holding it, or even the
/// whole text, in memory.
fn write_pretty_array<G: Sync, V: Serialize>(
    out: &mut dyn Write,
    groups: &[G],
    depth: usize,
    items: impl Fn(&G) -> Vec<V> + Sync,
) -> io::Result<()> {
    let mut first = true;
    for batch in groups.chunks(BATCH) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|g| {
                let mut chunk = Vec::new();
                for (i, v) in items(g).iter().enumerate() {
                    if i > 0 {
                        chunk.extend_from_slice(b",\n");
                    }
                    chunk.extend_from_slice("  ".repeat(depth + 1).as_bytes());
                    chunk.extend(pretty_at(v, depth + 1));
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
    write_claims_json(report, &mut out).expect("writing to memory");
    out
}

/// Write `claims.json` to `out`. Each source's claims, and each list, are serialised in
/// parallel a batch at a time and written in order: the bytes of serde_json's printing of the
/// whole document as one tree, which at archive scale (hundreds of thousands of claims) would
/// be slow and large.
pub fn write_claims_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
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
    let claim = |d: &Document, c: &ClaimRecord| {
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
    let findings: Vec<(usize, &crate::crosscheck::Finding)> = report.analysis.findings.iter().enumerate().collect();
    // serde_json's maps are sorted: the same order here keeps the bytes of a tree's output.
    out.write_all(b"{\n  \"claims\": ")?;
    write_pretty_array(out, &report.docs, 1, |d| d.reported_claims().map(|c| claim(d, c)).collect())?;
    out.write_all(b",\n  \"entities\": ")?;
    out.write_all(&pretty_at(&serde_json::to_value(&report.entities).expect("serialising to memory"), 1))?;
    out.write_all(b",\n  \"export_version\": 1,\n  \"findings\": ")?;
    write_pretty_array(out, &findings, 1, |&(i, f)| {
        vec![
            json!({"id": f.id, "kind": f.kind, "claims": f.claims, "summary": f.summary, "url": urls::finding(i, &f.id)}),
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

/// `claims.csv`: one row per claim, for spreadsheets. Cells that a spreadsheet would run as
/// a formula are defused (see [`super::escape::csv_cell`]).
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
                    w.write_record(row.iter().map(|cell| super::escape::csv_cell(cell).into_owned()))
                        .expect("writing to memory");
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
