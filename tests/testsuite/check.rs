//! `factsite check` on the sample: each outcome (anchored, moved, changed, orphaned, malformed,
//! broken link, broken export) and the exit codes (0 ok, 1 problems, 2 could not run); and
//! what CI publishes: the same bytes whatever the thread count, only changed files rewritten.

use crate::support::{factsite, TestProject};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Output;

const SOURCE: &str = "002-508add9b65c0fc47";
const SEED: &str = "seeds/002_508add9b65c0fc47.txt";

fn built() -> TestProject {
    let p = TestProject::sample();
    p.build();
    p
}

/// `factsite check --format json`: exit code and the report.
fn check_json(p: &TestProject) -> (i32, Value) {
    let out = p.run(&["check", "--format", "json"]);
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), report)
}

fn human(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout))
}

fn statuses(report: &Value, source: &str) -> BTreeMap<String, String> {
    report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"].as_str().unwrap().contains(source))
        .map(|c| (c["id"].as_str().unwrap().to_string(), c["status"].as_str().unwrap().to_string()))
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

/// A claim of the sample's third source, from the export.
fn claim(p: &TestProject, line: u64) -> Value {
    p.json("claims.json")["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == SOURCE && c["lines"][0] == line)
        .unwrap()
        .clone()
}

#[test]
fn a_fresh_build_checks_clean() {
    let p = built();
    let (code, report) = check_json(&p);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
    let claims = report["claims"].as_array().unwrap();
    assert!(claims.len() >= 30);
    assert!(claims.iter().all(|c| c["status"] == "anchored"));
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 error(s)"));
}

#[test]
fn a_moved_quote_is_a_warning_that_does_not_fail_the_check() {
    let p = built();
    p.write(SEED, &format!("Un chapeau ajouté en tête de l'article.\n\n{}", p.read(SEED)));
    let (code, report) = check_json(&p);
    assert_eq!(code, 0, "moved citations are updated by the next build: {report:#}");
    let st = statuses(&report, "002_508add9b65c0fc47");
    assert!(!st.is_empty() && st.values().all(|s| s == "moved"), "{st:?}");
    assert!(codes(&report).iter().all(|c| c == "citation-moved"));
    let out = p.run(&["check"]);
    let text = human(&out);
    assert!(text.contains("warning[citation-moved]") && text.contains(&format!("{SEED}:")), "{text}");
    // After a build the citations are anchored again.
    p.build();
    assert_eq!(check_json(&p).0, 0);
    assert!(statuses(&check_json(&p).1, "002_508add9b65c0fc47").values().all(|s| s == "anchored"));
}

#[test]
fn a_reworded_quote_is_changed_and_a_removed_one_orphaned_both_fail() {
    let p = built();
    let reworded = claim(&p, 5);
    let removed = claim(&p, 9);
    let quote = reworded["quote"].as_str().unwrap();
    // One word changed in the first quote; the second quote deleted outright.
    let word = quote.split_whitespace().find(|w| w.len() > 5).unwrap();
    let text = p.read(SEED).replacen(quote, &quote.replacen(word, "remplacé", 1), 1).replacen(
        removed["quote"].as_str().unwrap(),
        "",
        1,
    );
    p.write(SEED, &text);
    let (code, report) = check_json(&p);
    assert_eq!(code, 1);
    let st = statuses(&report, "002_508add9b65c0fc47");
    assert_eq!(st[reworded["id"].as_str().unwrap()], "changed", "{st:?}");
    assert_eq!(st[removed["id"].as_str().unwrap()], "orphaned", "{st:?}");
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = human(&out);
    assert!(text.contains("error[citation-changed]") && text.contains("error[citation-orphaned]"), "{text}");
    assert!(text.contains(&format!("{SEED}:5")), "the changed claim's source line: {text}");
    assert!(text.contains("help:"), "says what to do: {text}");
}

#[test]
fn an_orphans_review_survives_and_check_keeps_reporting_it() {
    let p = built();
    let c = claim(&p, 9);
    let id = c["id"].as_str().unwrap();
    let md = format!("content/sources/{SOURCE}.md");
    let text = p.read(&md);
    let at = text.find(&format!("id = \"{id}\"")).unwrap();
    let review = text[at..].find("[review]").unwrap() + at + "[review]".len();
    p.write(&md, &format!("{}\nverdict = \"faux\"\nrationale = \"Vérifié.\"{}", &text[..review], &text[review..]));
    p.write(SEED, &p.read(SEED).replacen(c["quote"].as_str().unwrap(), "Une tout autre phrase, sans rapport.", 1));
    p.build();
    assert!(p.read(&md).contains("rationale = \"Vérifié.\""), "the build keeps the orphan's review");
    let (code, report) = check_json(&p);
    assert_eq!(code, 1);
    assert_eq!(statuses(&report, "002_508add9b65c0fc47")[id], "orphaned");
    let d = report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "citation-orphaned").unwrap();
    assert_eq!(d["path"], md.as_str(), "points at the block that holds the review");
}

#[test]
fn a_malformed_annotation_is_reported_at_its_line() {
    let p = built();
    let md = format!("content/sources/{SOURCE}.md");
    let broken = p.read(&md).replacen("\n[review]\n", "\n[review]\nverdict = \n", 1);
    p.write(&md, &broken);
    let (code, report) = check_json(&p);
    assert_eq!(code, 1);
    let d = report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "malformed-annotation").unwrap();
    assert_eq!(d["path"], md.as_str());
    let line = d["line"].as_u64().unwrap() as usize;
    assert_eq!(broken.lines().nth(line - 1), Some("verdict = "));
    let text = human(&p.run(&["check"]));
    assert!(text.contains(&format!("{md}:{line}")), "{text}");
}

#[test]
fn broken_links_anchors_and_exports_are_reported() {
    let p = built();
    let index = p.read("public/index.html");
    let broken = index.replacen(
        "</body>",
        "<a href=\"nowhere.html\">x</a><a href=\"index.html#no-such-anchor\">y</a></body>",
        1,
    );
    p.write("public/index.html", &broken);
    let (code, report) = check_json(&p);
    assert_eq!(code, 1);
    let mut got = codes(&report);
    got.sort();
    assert_eq!(got, ["broken-anchor", "broken-link"]);
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "public/index.html");
    let line = d["line"].as_u64().unwrap() as usize;
    assert!(
        broken.lines().nth(line - 1).unwrap().contains("nowhere.html")
            || broken.lines().nth(line - 1).unwrap().contains("no-such-anchor")
    );

    p.write("public/index.html", &index);
    p.write("public/claims.json", "{\"export_version\": 1}");
    let (code, report) = check_json(&p);
    assert_eq!(code, 1);
    assert!(codes(&report).iter().all(|c| c == "invalid-export") && !codes(&report).is_empty(), "{report:#}");
}

#[test]
fn exit_codes_say_whether_the_check_could_run() {
    let nowhere = tempfile::tempdir().unwrap();
    let out = factsite(nowhere.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "no project: the check could not run");
    let p = TestProject::sample();
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "not built yet: a problem to fix");
    assert!(human(&out).contains("factsite build"));
}

#[test]
fn the_output_is_the_same_bytes_whatever_the_thread_count() {
    let build = |threads: &str| {
        let p = TestProject::sample();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_factsite"))
            .current_dir(p.root())
            .env("RAYON_NUM_THREADS", threads)
            .arg("build")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", human(&out));
        let t = p.snapshot();
        (p, t)
    };
    let (_a, one) = build("1");
    let (_b, four) = build("4");
    assert_eq!(one.keys().collect::<Vec<_>>(), four.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(bytes == &four[path], "{path} differs between 1 and 4 threads");
    }
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let p = built();
    let inodes = |p: &TestProject| -> BTreeMap<String, u64> {
        walkdir::WalkDir::new(p.path("public"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().display().to_string(), e.metadata().unwrap().ino()))
            .collect()
    };
    let before = inodes(&p);
    p.build();
    assert_eq!(before, inodes(&p), "nothing changed: every file is the same file");

    let c = claim(&p, 5);
    let md = format!("content/sources/{SOURCE}.md");
    let text = p.read(&md);
    let at = text.find(&format!("id = \"{}\"", c["id"].as_str().unwrap())).unwrap();
    let review = text[at..].find("[review]").unwrap() + at + "[review]".len();
    p.write(&md, &format!("{}\nverdict = \"faux\"{}", &text[..review], &text[review..]));
    p.build();
    let after = inodes(&p);
    let rewritten: Vec<&String> = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k).collect();
    let page = c["url"].as_str().unwrap().split('#').next().unwrap();
    let claim_page = p.path(&format!("public/{page}")).display().to_string();
    assert!(rewritten.contains(&&claim_page), "the page of the claim was rewritten: {rewritten:?}");
    assert!(rewritten.len() < before.len() / 2, "most files were left alone: {} of {}", rewritten.len(), before.len());
}
