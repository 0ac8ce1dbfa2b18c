//! Criterion benchmarks of the stages after extraction: writing and parsing annotated Markdown,
//! and rendering the report (templates compiled once, then every page). Segmentation and
//! extraction are measured in `benches/extract.rs`, cross-checking in `benches/crosscheck.rs`,
//! rebuilds in `benches/rebuild.rs`; the whole build in `scripts/bench-build.sh`.
//!
//! The corpus is generated in-process by `examples/gen_corpus.rs` (the same articles the
//! whole-build benchmark uses), written to a temporary project, and read with
//! `pipeline::load`, so every stage sees what a real build gives it.
//!
//! ```text
//! cargo bench --bench pipeline            # 200 articles
//! FACTSITE_BENCH_ARTICLES=1000 cargo bench --bench pipeline
//! ```

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use factsite::annotate;
use factsite::config::Project;
use factsite::lang::Language;
use factsite::pipeline::{self, Outputs};
use factsite::render;
use std::hint::black_box;
use std::time::Duration;

#[allow(dead_code, unused_imports)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

/// The generated project, read and processed once.
struct Fixture {
    lang: Language,
    outputs: Outputs,
    templates: Vec<(String, String)>,
}

fn fixture() -> Fixture {
    let count = std::env::var("FACTSITE_BENCH_ARTICLES").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().expect("temporary folder");
    gen_corpus::write_project(dir.path(), count, 1, None).expect("corpus written");
    let project = Project::open(dir.path()).expect("generated project opens");
    let lang = Language::load(&project.config.language).expect("language loads");
    let inputs = pipeline::load(project).expect("generated project loads");
    let outputs = pipeline::process(&inputs, &lang).expect("generated project builds");
    Fixture { lang, outputs, templates: inputs.templates }
}

fn stages(c: &mut Criterion) {
    let f = fixture();
    let report = &f.outputs.report;
    let docs = report.docs.len() as u64;

    let mut g = c.benchmark_group("annotate");
    g.sample_size(10).measurement_time(Duration::from_secs(5)).throughput(Throughput::Elements(docs));
    g.bench_function("write", |b| {
        b.iter(|| {
            for d in &report.docs {
                black_box(annotate::write(&d.record, &d.source, &d.seg));
            }
        })
    });
    let markdown: Vec<(String, String)> = f
        .outputs
        .content
        .iter()
        .map(|file| (file.path.clone(), String::from_utf8(file.bytes.clone()).expect("annotated Markdown is UTF-8")))
        .collect();
    let bytes: u64 = markdown.iter().map(|(_, t)| t.len() as u64).sum();
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for (path, text) in &markdown {
                black_box(annotate::parse(path, text).expect("written Markdown parses"));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("render");
    g.sample_size(10).measurement_time(Duration::from_secs(10)).throughput(Throughput::Elements(docs));
    g.bench_function("compile templates", |b| b.iter(|| black_box(render::compile(&f.templates).expect("templates"))));
    let tera = render::compile(&f.templates).expect("templates compile");
    g.bench_function("site", |b| {
        b.iter_batched(
            || (),
            |()| render::render(report, &f.lang, &tera).expect("site renders"),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("claims.json", |b| b.iter(|| black_box(render::claims_json(report))));
    g.bench_function("claims.csv", |b| b.iter(|| black_box(render::claims_csv(report, "https://example.org"))));
    // The three exports side by side, the search index with them, as a build makes them.
    g.bench_function("exports", |b| b.iter(|| black_box(render::render_exports(report, &f.lang))));
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
