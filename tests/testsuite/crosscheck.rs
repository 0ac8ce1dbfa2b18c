//! Cross-checking on the sample corpus (issue 4): topics, comparable figures, findings,
//! entities, automatic verdicts, and an editor's verdict kept across rebuilds and re-ingests.

use crate::support::TestProject;
use serde_json::Value;
use std::collections::BTreeSet;

/// Quotes with their non-breaking spaces made plain, so tests can name figures simply.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ").replace('’', "'")
}

/// The claims whose quote contains `text`.
fn claims_with<'a>(json: &'a Value, text: &str) -> Vec<&'a Value> {
    let found: Vec<&Value> = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| plain(c["quote"].as_str().unwrap()).contains(text))
        .collect();
    assert!(!found.is_empty(), "no claim quotes {text:?}");
    found
}

fn id(c: &Value) -> &str {
    c["id"].as_str().unwrap()
}

fn topic(c: &Value) -> &str {
    c["topic"].as_str().unwrap()
}

fn findings<'a>(json: &'a Value, kind: &str) -> Vec<&'a Value> {
    json["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

fn linked(f: &Value) -> BTreeSet<&str> {
    f["claims"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()
}

#[test]
fn every_troop_count_shares_one_topic_and_casualties_another_with_a_discrepancy() {
    let p = TestProject::sample();
    p.build();
    let json = p.json("claims.json");

    let troop_counts = [
        "11 000 soldats",
        "12 000 soldats",
        "10 000 soldats",
        "30 000 soldats",
        "3 000 militaires",
        "dizaines de milliers de soldats",
        "plusieurs milliers de soldats",
    ];
    let troops: BTreeSet<&str> = troop_counts.iter().flat_map(|t| claims_with(&json, t)).map(topic).collect();
    assert_eq!(troops.len(), 1, "troop counts spread over {troops:?}");

    let low = claims_with(&json, "1.100 pertes");
    let high = claims_with(&json, "4 000 soldats");
    let casualties: BTreeSet<&str> = low.iter().chain(&high).map(|c| topic(c)).collect();
    assert_eq!(casualties.len(), 1, "casualty figures spread over {casualties:?}");
    assert_ne!(casualties, troops, "casualties and troop counts are different topics");

    let discrepancy = findings(&json, "discrepancy")
        .into_iter()
        .find(|f| linked(f).contains(id(low[0])) && linked(f).contains(id(high[0])))
        .expect("a discrepancy finding links 1.100 and 4 000");
    let summary = plain(discrepancy["summary"].as_str().unwrap());
    assert!(summary.contains("1 100") && summary.contains("4 000"), "the spread: {summary}");
    for c in low.iter().chain(&high) {
        assert_eq!(c["verdict"]["label"], "disputed", "{}", c["quote"]);
        assert_eq!(c["verdict"]["by"], "auto");
    }
}

#[test]
fn a_period_announced_as_upcoming_after_it_ended_is_an_anachronism() {
    let p = TestProject::sample();
    p.build();
    let json = p.json("claims.json");
    let claim = claims_with(&json, "second semestre 2023")[0];
    let source = json["sources"].as_array().unwrap().iter().find(|s| s["id"] == claim["source"]).unwrap();
    assert_eq!(source["published"].as_str().map(|d| &d[..10]), Some("2025-06-26"));
    let finding = findings(&json, "anachronism")
        .into_iter()
        .find(|f| linked(f).contains(id(claim)))
        .expect("an anachronism finding on « second semestre 2023 »");
    assert!(finding["summary"].as_str().unwrap().contains("second semestre 2023"));
}

#[test]
fn official_confirmation_and_its_denial_conflict() {
    let p = TestProject::sample();
    p.build();
    let json = p.json("claims.json");
    let confirmed = id(claims_with(&json, "a officiellement confirmé le déploiement")[0]);
    let conflict = findings(&json, "conflict").into_iter().find(|f| linked(f).contains(confirmed));
    assert!(conflict.is_some(), "no conflict finding on the official confirmation");
}

#[test]
fn the_names_of_one_country_are_one_entity() {
    let p = TestProject::sample();
    p.build();
    let json = p.json("claims.json");
    for name in ["Pyongyang", "RPDC", "la Corée du Nord"] {
        for c in claims_with(&json, name) {
            let ids: Vec<&str> = c["entities"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
            assert!(ids.contains(&"coree-du-nord"), "{name}: {ids:?} in {}", c["quote"]);
        }
    }
    let holders: Vec<&str> = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let names: Vec<&str> = std::iter::once(&e["label"])
                .chain(e["aliases"].as_array().unwrap())
                .map(|n| n.as_str().unwrap())
                .collect();
            names.contains(&"Pyongyang") || names.contains(&"RPDC") || names.contains(&"Corée du Nord")
        })
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(holders, ["coree-du-nord"]);
}

#[test]
fn automatic_verdicts_have_a_machine_label_and_name_their_claims() {
    let p = TestProject::sample();
    p.build();
    let json = p.json("claims.json");
    let claims = json["claims"].as_array().unwrap();
    let ids: BTreeSet<&str> = claims.iter().map(id).collect();
    let labels = ["corroborated", "disputed", "single-source", "unconfirmed", "inconsistent"];
    for c in claims {
        let v = &c["verdict"];
        assert_eq!(v["by"], "auto");
        let label = v["label"].as_str().unwrap();
        assert!(labels.contains(&label), "{label}");
        let rationale = v["rationale"].as_str().unwrap();
        assert!(!rationale.is_empty());
        if label == "disputed" || label == "corroborated" {
            assert!(ids.iter().any(|other| rationale.contains(other)), "{label} without a claim: {rationale}");
        }
        if c["hedged"] == true && label == "single-source" {
            panic!("a hedged claim that nothing else supports is unconfirmed: {}", c["quote"]);
        }
    }
    for f in json["findings"].as_array().unwrap() {
        assert!(linked(f).iter().all(|c| ids.contains(c)), "{f}");
    }
}

#[test]
fn without_a_taxonomy_topics_are_found_automatically() {
    let p = TestProject::sample();
    std::fs::remove_file(p.path("content/topics.toml")).unwrap();
    p.build();
    let json = p.json("claims.json");
    let topics = json["topics"].as_array().unwrap();
    assert!(topics.len() >= 4, "{} topics", topics.len());
    let labels: BTreeSet<&str> = topics.iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), topics.len(), "labels are distinct: {labels:?}");
    assert!(labels.iter().all(|l| !l.is_empty()));
    // No topic swallows the corpus.
    let claims = json["claims"].as_array().unwrap().len();
    assert!(topics.iter().all(|t| t["claims"].as_array().unwrap().len() * 2 < claims), "{topics:?}");
    // The casualty figures, whose sentences share their counted words, land together.
    let low = claims_with(&json, "1.100 pertes");
    let high = claims_with(&json, "4 000 soldats");
    assert_eq!(topic(low[0]), topic(high[0]));
    // Same input, same topics.
    let again = p.build().json("claims.json");
    assert_eq!(again["topics"], json["topics"]);
}

/// Give the claim quoting `text` an editor's verdict in its annotated Markdown file.
fn write_verdict(p: &TestProject, text: &str, verdict: &str, rationale: &str) {
    for entry in std::fs::read_dir(p.path("content/sources")).unwrap() {
        let path = entry.unwrap().path();
        let md = std::fs::read_to_string(&path).unwrap();
        let Some(at) = md.match_indices("\nquote = ").map(|(i, _)| i).find(|&i| {
            let line = md[i + 1..].lines().next().unwrap_or_default();
            plain(line).contains(text)
        }) else {
            continue;
        };
        let review = at + md[at..].find("[review]\n").expect("a [review] table") + "[review]\n".len();
        let edited = format!("{}verdict = {verdict:?}\nrationale = {rationale:?}\n{}", &md[..review], &md[review..]);
        std::fs::write(&path, edited).unwrap();
        return;
    }
    panic!("no annotated claim quotes {text:?}");
}

#[test]
fn an_editors_verdict_survives_rebuilds_and_a_reingest() {
    let p = TestProject::sample();
    p.build();
    write_verdict(&p, "1.100 pertes", "trompeur", "Le bilan de l'état-major ne compte que les pertes confirmées.");
    let check = |p: &TestProject| {
        let json = p.json("claims.json");
        let claim = claims_with(&json, "1.100 pertes")[0];
        assert_eq!(claim["verdict"]["label"], "trompeur");
        assert_eq!(claim["verdict"]["by"], "editor");
        assert!(claim["verdict"]["rationale"].as_str().unwrap().contains("pertes confirmées"));
        // The other figure keeps its automatic verdict.
        assert_eq!(claims_with(&json, "4 000 soldats")[0]["verdict"]["by"], "auto");
    };
    p.build();
    check(&p);
    p.build();
    check(&p);
    // The source gains a paragraph: re-ingested, the claim and its review stay.
    let seed = std::fs::read_dir(p.path("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| plain(&std::fs::read_to_string(path).unwrap()).contains("1.100 pertes"))
        .unwrap();
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str("\n\nUn paragraphe ajouté après coup : la rédaction précise ses sources.\n");
    std::fs::write(&seed, text).unwrap();
    p.build();
    check(&p);
}
