//! The rebuild `factsite serve` does after one edited source, in projects of growing size.
//!
//! For each size, the bench writes a project of generated French news dispatches (made up
//! here, from a small table of words and figures that vary with the source's number), runs one
//! full build through `pipeline::Session::start`, then edits one source (a figure changes,
//! which changes its claim) N times and times what serve does for each edit: classify the
//! changed path, rebuild, publish the changed files (the time until the browser can reload),
//! then the exports that serve brings up to date afterwards; then, as an editor does, sets the
//! verdict of a claim of that source in its annotated file, N times; then adds a line without
//! a claim to the source, N times; then a claim without a figure, reworded N times. It prints the medians and the slowest rebuilds. Before each
//! edit, what the previous step wrote is flushed to the disk (`sync`, not timed): an editor's
//! save comes seconds after the last rebuild, not while the kernel writes back the hundreds of
//! megabytes of the full build or of the exports.
//!
//! ```text
//! cargo bench --bench rebuild                               # 10 to 10,000 sources
//! FACTSITE_REBUILD_SOURCES=100,1000 cargo bench --bench rebuild
//! FACTSITE_REBUILD_PROJECT=/dev/shm/factsite-bench/n10000-s1/factsite cargo bench --bench rebuild
//! ```
//!
//! With `FACTSITE_REBUILD_PROJECT`, the bench times the same edits on a copy of that project
//! (a corpus of `examples/gen_corpus`, or a newsroom's own) instead of the generated dispatches,
//! which hold three claims each where a real article holds dozens: the source edited is the
//! middle one, and each edit rewrites a sentence with a figure at its end.

use factsite::config::Project;
use factsite::lang::Language;
use factsite::pipeline::{self, BuildError, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// Edits per size: the median of 11 holds still on a machine whose speed drifts by 20 % from one
// second to the next.
const EDITS: usize = 11;

// The allocator of the `factsite` binary: serve's rebuilds allocate a lot, and the system
// allocator is markedly slower at it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/dispatch.rs"]
mod dispatch;
use dispatch::article;

/// Copy the project at `from` (its configuration, sources and content, not its output) into
/// `dir`: the source at the middle of its sources folder, and how many there are.
fn copy_project(from: &Path, dir: &Path) -> (PathBuf, usize) {
    let project = Project::open(from).expect("FACTSITE_REBUILD_PROJECT is a factsite project");
    let output = project.output_dir();
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().starts_with(&output) {
            continue;
        }
        let to = dir.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let sources = dir.join(project.sources_dir().strip_prefix(&project.root).unwrap());
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&sources)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    (files[files.len() / 2].clone(), files.len())
}

/// The edited source's text for edit `k`: as it was, plus a sentence whose figure changes.
fn edited_text(original: &str, k: usize) -> String {
    format!("{original}\nSelon la préfecture, {} personnes ont été évacuées mardi.\n", 1_000 + 37 * k)
}

fn write_project(dir: &Path, sources: usize) -> PathBuf {
    std::fs::write(
        dir.join("factsite.toml"),
        "title = \"Banc d'essai\"\nsources_dir = \"sources\"\nbase_url = \"http://127.0.0.1:1111\"\n",
    )
    .unwrap();
    let src = dir.join("sources");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..sources {
        std::fs::write(src.join(format!("{i:05}.txt")), article(i, 0)).unwrap();
    }
    src.join(format!("{:05}.txt", sources / 2))
}

/// Flush what was written to the disk, so that the kernel's write-back does not run during
/// the next timed step (where `sync` is missing, the step is timed as it comes).
fn settle() {
    let _ = std::process::Command::new("sync").status();
}

/// What serve does after `path` changed: classify it (one changed source or annotated file),
/// rebuild, publish the changed pages. Its time and the number of site files it rewrote.
fn rebuild(session: &mut Session, path: &Path) -> (Duration, usize) {
    let started = Instant::now();
    let change = session.classify(&[path.to_path_buf()]);
    assert_eq!(change.sources.len(), 1, "one source changed");
    let written = session
        .rebuild(&change, || -> Result<Project, BuildError> { unreachable!("one edited file is not a full rebuild") })
        .expect("rebuild");
    let time = started.elapsed();
    assert!(written.site.changed > 0, "the edit changes pages");
    (time, written.site.changed)
}

fn main() {
    // As `factsite serve` does.
    factsite::keep_freed_memory();
    let sizes: Vec<usize> = std::env::var("FACTSITE_REBUILD_SOURCES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1_000, 10_000]);
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then one tiny run.
    let sizes = if std::env::args().any(|a| a == "--bench") { sizes } else { vec![5] };
    let project = std::env::var_os("FACTSITE_REBUILD_PROJECT").map(PathBuf::from);
    let runs: Vec<Option<usize>> = if project.is_some() { vec![None] } else { sizes.into_iter().map(Some).collect() };
    for run in runs {
        let tmp = tempfile::tempdir().unwrap();
        let (edited, size) = match (run, &project) {
            (Some(size), _) => (write_project(tmp.path(), size), size),
            (None, Some(from)) => copy_project(from, tmp.path()),
            (None, None) => unreachable!("a size or a project"),
        };
        let original = std::fs::read_to_string(&edited).unwrap();
        let generated = run.is_some();
        let started = Instant::now();
        let (mut session, summary) = Session::start(Project::open(tmp.path()).unwrap()).expect("full build");
        let full = started.elapsed();
        settle();
        let mut times: Vec<Duration> = Vec::new();
        let mut rewritten = Vec::new();
        let mut exports: Vec<Duration> = Vec::new();
        for edit in 1..=EDITS {
            let text = if generated { article(size / 2, edit) } else { edited_text(&original, edit) };
            std::fs::write(&edited, text).unwrap();
            let (time, changed) = rebuild(&mut session, &edited);
            times.push(time);
            rewritten.push(changed);
            // What serve does next, once the browser is reloading: the exports.
            let started = Instant::now();
            let written = session.publish_exports().expect("exports");
            exports.push(started.elapsed());
            assert!(written.changed > 0, "the edit changes the exports");
            settle();
        }
        times.sort();
        exports.sort();
        // The editor's loop: a verdict set in the edited source's annotated file, then changed.
        let id = factsite::read::slugify(&edited.file_stem().unwrap().to_string_lossy());
        let annotated = tmp.path().join("content/sources").join(format!("{id}.md"));
        let base = std::fs::read_to_string(&annotated).unwrap();
        let block = base.find("```claim").expect("a claim block");
        let review = base[block..].find("\n[review]").expect("its review") + block + "\n[review]".len();
        let mut verdicts: Vec<Duration> = Vec::new();
        for edit in 1..=EDITS {
            let label = if edit % 2 == 1 { "faux" } else { "trompeur" };
            std::fs::write(&annotated, format!("{}\nverdict = \"{label}\"{}", &base[..review], &base[review..]))
                .unwrap();
            verdicts.push(rebuild(&mut session, &annotated).0);
            session.publish_exports().expect("exports");
            settle();
        }
        verdicts.sort();
        // A line without a claim added to the edited source (its claims move, and say the same).
        let text = std::fs::read_to_string(&edited).unwrap();
        let mut lines: Vec<Duration> = Vec::new();
        for edit in 1..=EDITS {
            std::fs::write(&edited, format!("{text}\nLire aussi : notre dossier n° {edit}.\n")).unwrap();
            lines.push(rebuild(&mut session, &edited).0);
            session.publish_exports().expect("exports");
            settle();
        }
        lines.sort();
        // A claim without a figure added to the edited source, then reworded: an editor's
        // usual fix, which changes one claim's id and the few claims that name it.
        let mut worded: Vec<Duration> = Vec::new();
        let mut worded_rewritten = Vec::new();
        for edit in 1..=EDITS {
            let sentence = format!("Selon la préfecture, la route départementale {edit} a été rouverte mardi.");
            std::fs::write(&edited, format!("{text}\n{sentence}\n")).unwrap();
            let (time, changed) = rebuild(&mut session, &edited);
            worded.push(time);
            worded_rewritten.push(changed);
            session.publish_exports().expect("exports");
            settle();
        }
        worded.sort();
        // The part of the rebuild that is the edited source's alone: its per-source stages.
        let project = Project::open(tmp.path()).unwrap();
        let lang = Language::load(&project.config.language).unwrap();
        let inputs = pipeline::load(project).unwrap();
        let gazetteer = pipeline::gazetteer(&inputs, &lang);
        let source = inputs.sources.iter().find(|s| edited.ends_with(&s.path)).expect("the edited source");
        let started = Instant::now();
        for _ in 0..EDITS {
            std::hint::black_box(pipeline::process_source(
                source,
                inputs.previous.get(&source.path),
                &lang,
                &gazetteer,
            ));
        }
        let own = started.elapsed() / EDITS as u32;
        println!(
            "{size} sources ({} claims): rebuild after one edited source: median {:.1} ms, slowest {:.1} ms over {EDITS} edits; \
             then the exports: median {:.1} ms; after a verdict edited: median {:.1} ms, slowest {:.1} ms; \
             after a line without a claim added: median {:.1} ms; \
             after a claim without a figure added or reworded: median {:.1} ms, site files rewritten {:?}; \
             of which the edited source's own stages {:.2} ms; site files rewritten per edit {:?} of {}; full build {:.2} s",
            summary.claims,
            times[EDITS / 2].as_secs_f64() * 1e3,
            times[EDITS - 1].as_secs_f64() * 1e3,
            exports[EDITS / 2].as_secs_f64() * 1e3,
            verdicts[EDITS / 2].as_secs_f64() * 1e3,
            verdicts[EDITS - 1].as_secs_f64() * 1e3,
            lines[EDITS / 2].as_secs_f64() * 1e3,
            worded[EDITS / 2].as_secs_f64() * 1e3,
            worded_rewritten,
            own.as_secs_f64() * 1e3,
            rewritten,
            summary.site.changed + summary.site.unchanged,
            full.as_secs_f64()
        );
    }
}
