//! Times the cross-check on the project `benches/rebuild.rs` writes (10,000 generated
//! dispatches by default), from scratch and, when `FACTSITE_CACHED` is set, after one edited
//! source with a kept cache (each run then checked against one from scratch, unless
//! `FACTSITE_UNCHECKED` is set, as for profiling the cached runs alone). The time is the
//! call's: the analysis is dropped after it, as `factsite serve` drops the old one on another
//! thread. For profiling:
//!
//! ```text
//! cargo build --release --example crosscheck_profile
//! FACTSITE_CACHED=1 target/release/examples/crosscheck_profile
//! FACTSITE_CACHED=1 FACTSITE_UNCHECKED=1 FACTSITE_RUNS=200 \
//!     perf record -g --call-graph dwarf target/release/examples/crosscheck_profile
//! ```

use factsite::config::Project;
use factsite::crosscheck;
use factsite::lang::Language;
use factsite::pipeline;
use rayon::prelude::*;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/common/dispatch.rs"]
mod dispatch;
use dispatch::article;

fn main() {
    // As `factsite serve` and `factsite build` do: freed memory kept for the next run.
    factsite::keep_freed_memory();
    let size: usize = std::env::var("FACTSITE_SOURCES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let runs: usize = std::env::var("FACTSITE_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let cached = std::env::var_os("FACTSITE_CACHED").is_some();
    // Cached runs are checked against runs from scratch, unless profiling them alone.
    let unchecked = std::env::var_os("FACTSITE_UNCHECKED").is_some();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("factsite.toml"), "title = \"Banc\"\nsources_dir = \"sources\"\n").unwrap();
    let src = tmp.path().join("sources");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..size {
        std::fs::write(src.join(format!("{i:05}.txt")), article(i, 0)).unwrap();
    }
    let project = Project::open(tmp.path()).unwrap();
    let lang = Language::load(&project.config.language).unwrap();
    let inputs = pipeline::load(project).unwrap();
    let gazetteer = pipeline::gazetteer(&inputs, &lang);
    let (mut docs, mentions): (Vec<_>, Vec<_>) = inputs
        .sources
        .par_iter()
        .map(|s| pipeline::process_source(s, inputs.previous.get(&s.path), &lang, &gazetteer))
        .map(|(d, m)| (std::sync::Arc::new(d), m))
        .unzip();
    let folds = crosscheck::entities::folds(&mentions);
    docs.iter_mut().for_each(|d| crosscheck::entities::apply(&folds, d));
    let claims: usize = docs.iter().map(|d| d.reported_claims().count()).sum();
    let taxonomy = inputs.taxonomy.as_ref();
    if std::env::var_os("FACTSITE_HASH").is_some() {
        use sha2::Digest;
        let a = crosscheck::crosscheck(&docs, taxonomy, &lang);
        let digest = sha2::Sha256::digest(format!("{a:?}").as_bytes());
        println!("{} findings, analysis {:x}", a.findings.len(), digest);
        return;
    }
    let mut times = Vec::new();
    if cached {
        let mut cache = crosscheck::CrosscheckCache::default();
        let _ = crosscheck::crosscheck_cached(&docs, taxonomy, &lang, &mut cache);
        let edited = size / 2;
        for edit in 1..=runs {
            std::fs::write(src.join(format!("{edited:05}.txt")), article(edited, edit)).unwrap();
            let source = factsite::read::Source::from_text(&inputs.sources[edited].path, &article(edited, edit));
            docs[edited] =
                pipeline::process_source(&source, inputs.previous.get(&source.path), &lang, &gazetteer).0.into();
            // As `factsite serve` does: every other document is the same one as before.
            cache.vouch((0..size).map(|d| d != edited).collect());
            let t = Instant::now();
            let analysis = std::hint::black_box(crosscheck::crosscheck_cached(&docs, taxonomy, &lang, &mut cache));
            times.push(t.elapsed());
            assert!(
                unchecked || analysis == crosscheck::crosscheck(&docs, taxonomy, &lang),
                "a cached run differs from a fresh one"
            );
        }
    } else {
        for _ in 0..runs {
            let t = Instant::now();
            let analysis = std::hint::black_box(crosscheck::crosscheck(&docs, taxonomy, &lang));
            times.push(t.elapsed());
            drop(analysis);
        }
    }
    times.sort();
    println!(
        "{size} sources, {claims} claims, {}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs",
        if cached { "cached, one source edited" } else { "from scratch" },
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3,
    );
}
