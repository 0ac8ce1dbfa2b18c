//! The whole pipeline on the sample corpus: the report exists, conforms to the export
//! contract, and every claim is cited exactly; editors' edits survive; `check` notices a
//! changed source.

use crate::support::{factsite, repo, sel, TestProject};
use scraper::Html;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn built_sample() -> TestProject {
    let p = TestProject::sample();
    p.build();
    p
}

fn claims(p: &TestProject) -> Vec<Value> {
    p.json("claims.json")["claims"].as_array().unwrap().clone()
}

#[test]
fn claims_json_conforms_to_the_export_schema() {
    let p = built_sample();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("schema/report.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let export = p.json("claims.json");
    let errors: Vec<String> =
        validator.iter_errors(&export).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "claims.json violates the schema:\n{}", errors.join("\n"));
    assert_eq!(export["sources"].as_array().unwrap().len(), 5);
    assert!(claims(&p).len() >= 30, "the sample holds dozens of claims, found {}", claims(&p).len());
}

#[test]
fn every_quote_is_the_source_text_at_its_span() {
    let p = built_sample();
    let export = p.json("claims.json");
    let mut texts = BTreeMap::new();
    for s in export["sources"].as_array().unwrap() {
        let text = String::from_utf8(std::fs::read(p.path(s["path"].as_str().unwrap())).unwrap()).unwrap();
        texts.insert(s["id"].as_str().unwrap().to_string(), text);
    }
    for c in claims(&p) {
        let text = &texts[c["source"].as_str().unwrap()];
        let (start, end) = (c["span"][0].as_u64().unwrap() as usize, c["span"][1].as_u64().unwrap() as usize);
        assert_eq!(&text[start..end], c["quote"].as_str().unwrap(), "claim {}", c["id"]);
        let line_of = |offset: usize| text[..offset].matches('\n').count() as u64 + 1;
        assert_eq!(c["lines"][0].as_u64().unwrap(), line_of(start), "first line of {}", c["id"]);
        assert_eq!(c["lines"][1].as_u64().unwrap(), line_of(end - 1), "last line of {}", c["id"]);
    }
}

#[test]
fn every_claim_has_its_details_and_its_citation_lands_on_the_quote() {
    let p = built_sample();
    let mut pages: BTreeMap<String, Html> = BTreeMap::new();
    for c in claims(&p) {
        let quote = c["quote"].as_str().unwrap();
        let details = p.fragment(c["url"].as_str().unwrap());
        let body: String = details.root_element().text().collect();
        assert!(body.contains(quote), "the details of {} show its quote", c["id"]);

        let (file, fragment) = c["cite_url"].as_str().unwrap().split_once('#').expect("cite_url has a fragment");
        let source_page = pages.entry(file.to_string()).or_insert_with(|| p.html(file));
        let target = source_page
            .select(&sel(&format!("[id='{fragment}']")))
            .next()
            .unwrap_or_else(|| panic!("no element #{fragment} in {file}"));
        let text: String = target.text().collect();
        assert!(text.contains(quote), "#{fragment} in {file} holds {text:?}, not the quote {quote:?}");

        // The citation sits on the claim's first line: the line element holds it.
        let line = source_page.select(&sel(&format!("#L{}", c["lines"][0]))).next().expect("line anchor");
        let line_text: String = line.text().collect();
        assert!(line_text.contains(quote));
    }
}

#[test]
fn every_source_line_is_an_anchor() {
    let p = built_sample();
    for s in p.json("claims.json")["sources"].as_array().unwrap() {
        let page = p.html(s["url"].as_str().unwrap());
        for n in 1..=s["line_count"].as_u64().unwrap() {
            assert!(page.select(&sel(&format!("#L{n}"))).next().is_some(), "{} has no #L{n}", s["url"]);
        }
    }
}

/// Lines of the sample that are not article prose, by source id: (line, allowed kinds).
fn expected_non_content() -> Vec<(&'static str, usize, &'static [&'static str])> {
    const TITLE: &[&str] = &["title"];
    const HEAD: &[&str] = &["heading"];
    const TITLE_OR_HEAD: &[&str] = &["title", "heading"];
    const BYLINE: &[&str] = &["byline"];
    const LEFTOVER: &[&str] = &["boilerplate"];
    vec![
        ("000-e63c329ba4ad4ad0", 1, TITLE),
        ("000-e63c329ba4ad4ad0", 3, BYLINE),
        ("000-e63c329ba4ad4ad0", 7, LEFTOVER),
        ("001-4fefc9d52be29d23", 1, LEFTOVER),
        ("001-4fefc9d52be29d23", 3, TITLE),
        ("001-4fefc9d52be29d23", 7, HEAD),
        ("001-4fefc9d52be29d23", 10, HEAD),
        ("001-4fefc9d52be29d23", 15, HEAD),
        ("001-4fefc9d52be29d23", 22, HEAD),
        ("001-4fefc9d52be29d23", 25, LEFTOVER),
        ("001-4fefc9d52be29d23", 27, LEFTOVER),
        ("002-508add9b65c0fc47", 1, TITLE),
        ("003-e22aff4781dc4c83", 1, TITLE_OR_HEAD),
        ("003-e22aff4781dc4c83", 7, HEAD),
        ("003-e22aff4781dc4c83", 10, HEAD),
        ("003-e22aff4781dc4c83", 15, HEAD),
        ("004-62b3f2f0d1464e37", 2, HEAD),
        ("004-62b3f2f0d1464e37", 4, HEAD),
        ("004-62b3f2f0d1464e37", 6, HEAD),
        ("004-62b3f2f0d1464e37", 8, LEFTOVER),
    ]
}

#[test]
fn titles_bylines_headings_and_leftovers_are_not_claims() {
    let p = built_sample();
    let export = p.json("claims.json");
    let mut listed: BTreeMap<(String, u64), String> = BTreeMap::new();
    for s in export["sources"].as_array().unwrap() {
        for l in s["non_content_lines"].as_array().unwrap() {
            listed.insert(
                (s["id"].as_str().unwrap().into(), l["line"].as_u64().unwrap()),
                l["kind"].as_str().unwrap().into(),
            );
        }
    }
    let claimed: BTreeSet<(String, u64)> = claims(&p)
        .iter()
        .flat_map(|c| {
            let src = c["source"].as_str().unwrap().to_string();
            (c["lines"][0].as_u64().unwrap()..=c["lines"][1].as_u64().unwrap()).map(move |l| (src.clone(), l))
        })
        .collect();
    for (source, line, kinds) in expected_non_content() {
        let key = (source.to_string(), line as u64);
        let kind = listed.get(&key).unwrap_or_else(|| panic!("{source} line {line} is not listed as non-content"));
        assert!(kinds.contains(&kind.as_str()), "{source} line {line} is {kind}, expected one of {kinds:?}");
        assert!(!claimed.contains(&key), "{source} line {line} ({kind}) holds a claim");
    }
    // Article prose is never listed: the first line of the last article is a paragraph, and
    // bullet items are prose.
    for key in [("004-62b3f2f0d1464e37", 1), ("003-e22aff4781dc4c83", 2), ("003-e22aff4781dc4c83", 3)] {
        assert!(!listed.contains_key(&(key.0.to_string(), key.1)), "{key:?} is prose");
    }
}

/// Put an editor's review into the claim block holding `id`.
fn review(markdown: &str, id: &str, review: &str) -> String {
    let at = markdown.find(&format!("id = \"{id}\"")).expect("claim block");
    let header = markdown[at..].find("[review]").unwrap() + at + "[review]".len();
    format!("{}\n{}{}", &markdown[..header], review.trim_end(), &markdown[header..])
}

#[test]
fn an_editors_topic_and_verdict_survive_rebuilds_and_show_in_the_claims_details() {
    let p = built_sample();
    let first = claims(&p).into_iter().find(|c| c["source"] == "002-508add9b65c0fc47").unwrap();
    let id = first["id"].as_str().unwrap().to_string();
    let path = "content/sources/002-508add9b65c0fc47.md";
    let edited = review(
        &p.read(path),
        &id,
        "verdict = \"trompeur\"\nrationale = \"Le chiffre *officiel* est différent.\"\ntopic = \"autre-sujet\"\n",
    );
    p.write(path, &edited);
    p.build();
    p.build();
    let md = p.read(path);
    assert!(md.contains("verdict = \"trompeur\""), "the verdict survives two builds");
    assert!(md.contains("topic = \"autre-sujet\""), "the topic survives two builds");

    let claim = claims(&p).into_iter().find(|c| c["id"] == id.as_str()).expect("the claim is still reported");
    assert_eq!(claim["verdict"]["label"], "trompeur");
    assert_eq!(claim["verdict"]["by"], "editor");
    assert_eq!(claim["topic"], "autre-sujet");
    let details = p.fragment(claim["url"].as_str().unwrap());
    let text: String = details.root_element().text().collect();
    assert!(text.contains("trompeur"), "the claim's details show the editor's verdict");
}

#[test]
fn a_review_survives_a_reingest_after_the_source_gains_a_paragraph() {
    let p = built_sample();
    let c = claims(&p).into_iter().find(|c| c["source"] == "002-508add9b65c0fc47" && c["lines"][0] == 5).unwrap();
    let id = c["id"].as_str().unwrap().to_string();
    let path = "content/sources/002-508add9b65c0fc47.md";
    p.write(path, &review(&p.read(path), &id, "verdict = \"exact\"\n"));

    let seed = "seeds/002_508add9b65c0fc47.txt";
    let text = p.read(seed);
    p.write(
        seed,
        &format!("Un paragraphe ajouté en tête, qui parle de 250 chars d'assaut livrés en mai 2024.\n\n{text}"),
    );
    p.build();

    let moved = claims(&p).into_iter().find(|c| c["id"] == id.as_str()).expect("same quote, same id");
    assert_eq!(moved["lines"][0], 7, "the claim moved two lines down");
    assert_eq!(moved["verdict"]["label"], "exact");
    assert!(p.read(path).contains("verdict = \"exact\""));
}

#[test]
fn a_reviewed_claim_whose_sentence_disappears_is_kept_as_an_orphan() {
    let p = built_sample();
    let c = claims(&p).into_iter().find(|c| c["source"] == "002-508add9b65c0fc47" && c["lines"][0] == 9).unwrap();
    let (id, quote) = (c["id"].as_str().unwrap().to_string(), c["quote"].as_str().unwrap().to_string());
    let path = "content/sources/002-508add9b65c0fc47.md";
    p.write(path, &review(&p.read(path), &id, "verdict = \"faux\"\nrationale = \"Vérifié auprès du ministère.\"\n"));
    let seed = "seeds/002_508add9b65c0fc47.txt";
    p.write(seed, &p.read(seed).replace(&quote, "Phrase réécrite."));
    let out = p.run(&["build"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&id), "the summary names the orphan");
    let md = p.read(path);
    assert!(md.contains(&id) && md.contains("Vérifié auprès du ministère."), "the review is kept");
    assert!(md.contains("anchoring = \"orphaned\""));
    assert!(claims(&p).iter().all(|c| c["id"] != id.as_str()), "an orphan is not cited");
}

#[test]
fn an_editor_can_reject_a_claim_and_add_one() {
    let p = built_sample();
    let all = claims(&p);
    let rejected =
        all.iter().find(|c| c["source"] == "004-62b3f2f0d1464e37").unwrap()["id"].as_str().unwrap().to_string();
    let path = "content/sources/004-62b3f2f0d1464e37.md";
    let md = review(&p.read(path), &rejected, "not_a_claim = true\n");
    let added = "Cette alliance militaire renforcée modifie profondément la donne du conflit ukrainien.";
    let md = format!(
        "{md}```claim\norigin = \"editor\"\nquote = \"{added}\"\n\n[review]\nverdict = \"invérifiable\"\n```\n"
    );
    p.write(path, &md);
    p.build();
    let all = claims(&p);
    assert!(all.iter().all(|c| c["id"] != rejected.as_str()), "the rejected sentence is not reported");
    let new = all.iter().find(|c| c["quote"] == added).expect("the editor's claim is reported");
    assert_eq!(new["verdict"]["label"], "invérifiable");
    assert_eq!(new["lines"][0], 7);
    p.build();
    assert_eq!(claims(&p).iter().filter(|c| c["quote"] == added).count(), 1, "added once, not duplicated by rebuilds");
    assert!(p.read(path).contains("not_a_claim = true"));
}

#[test]
fn check_passes_on_a_fresh_build_and_fails_naming_the_claim_when_a_source_changes() {
    let p = built_sample();
    let ok = p.run(&["check"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    let c = claims(&p).into_iter().find(|c| c["source"] == "000-e63c329ba4ad4ad0" && c["lines"][0] == 5).unwrap();
    let quote = c["quote"].as_str().unwrap();
    let seed = "seeds/000_e63c329ba4ad4ad0.txt";
    let changed = p.read(seed).replacen(quote, &quote.replace('e', "é"), 1);
    p.write(seed, &changed);
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(report.contains(c["id"].as_str().unwrap()), "check names the claim:\n{report}");
    assert!(report.contains("000_e63c329ba4ad4ad0.txt:5"), "check names the source line:\n{report}");
}

#[test]
fn rebuilding_changes_nothing() {
    let p = built_sample();
    let before = p.snapshot();
    p.build();
    assert_eq!(before, p.snapshot(), "a second build writes the same bytes");
}

#[test]
fn init_makes_a_project_that_builds_once_sources_are_added() {
    let p = TestProject::init();
    assert!(p.path("factsite.toml").is_file());
    p.write("sources/depeche.txt", "Une dépêche\n\nSelon le ministère, 1 200 personnes ont été évacuées lundi.\n");
    p.build();
    assert!(p.path("public/index.html").is_file());
    assert!(p.path("content/sources/depeche.md").is_file());
    let export = p.json("claims.json");
    assert_eq!(export["sources"][0]["path"], "sources/depeche.txt");
    assert!(!export["claims"].as_array().unwrap().is_empty());
}

#[test]
fn init_refuses_an_existing_project_and_build_explains_a_missing_one() {
    let p = TestProject::init();
    let again = p.run(&["init", "."]);
    assert!(!again.status.success());
    let empty = tempfile::tempdir().unwrap();
    let out = factsite(empty.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("factsite init"));
}

#[test]
fn a_malformed_annotation_fails_the_build_and_is_left_untouched() {
    let p = built_sample();
    let path = "content/sources/001-4fefc9d52be29d23.md";
    let broken = p.read(path).replacen("\n[review]\n", "\n[review]\nverdict = \n", 1);
    p.write(path, &broken);
    let before = p.read("public/index.html");
    let out = p.run(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/sources/001-4fefc9d52be29d23.md:"), "names the file and line: {err}");
    assert_eq!(p.read(path), broken, "the editor's file is not overwritten");
    assert_eq!(p.read("public/index.html"), before, "the previous output is kept");
}
