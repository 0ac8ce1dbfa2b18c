//! The rendered report of the sample: the ClaimReview of every claim page, the citation
//! targets, the CSV, the sitemap and the language of every page.

use crate::support::{sel, TestProject};
use scraper::Html;
use serde_json::Value;

/// A cold build of the sample.
fn sample() -> TestProject {
    let p = TestProject::sample();
    p.build();
    p
}

fn claims(p: &TestProject) -> Vec<Value> {
    p.json("claims.json")["claims"].as_array().unwrap().clone()
}

fn base_url(p: &TestProject) -> String {
    let config: toml::Value = toml::from_str(&p.read("factsite.toml")).unwrap();
    config["base_url"].as_str().unwrap().trim_end_matches('/').to_string()
}

#[test]
fn every_claim_has_one_claim_review_with_the_required_properties_on_its_page() {
    let p = &sample();
    let base = base_url(p);
    let claims = claims(p);
    assert!(!claims.is_empty());
    for c in &claims {
        let url = c["url"].as_str().unwrap();
        let doc = p.html(url.split('#').next().unwrap());
        let scripts: Vec<_> = doc.select(&sel("script[type=\"application/ld+json\"]")).collect();
        assert_eq!(scripts.len(), 1, "{url}: one JSON-LD block");
        let text: String = scripts[0].text().collect();
        let all: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}\n{text}"));
        let reviews = all.as_array().unwrap_or_else(|| panic!("{url}: a JSON-LD array"));
        let mine: Vec<&Value> = reviews.iter().filter(|r| r["url"] == format!("{base}/{url}").as_str()).collect();
        assert_eq!(mine.len(), 1, "{url}: one ClaimReview for the claim, at its absolute URL");
        let review = mine[0];
        assert_eq!(review["@context"], "https://schema.org", "{url}");
        assert_eq!(review["@type"], "ClaimReview", "{url}");
        let reviewed = review["claimReviewed"].as_str().unwrap();
        assert!(!reviewed.is_empty() && reviewed.chars().count() < 75, "{url}: claimReviewed {reviewed:?}");
        assert_eq!(review["url"], format!("{base}/{url}"), "{url}: absolute URL on the site's domain");
        let rating = &review["reviewRating"];
        assert_eq!(rating["@type"], "Rating", "{url}");
        assert!(rating["alternateName"].as_str().is_some_and(|s| !s.is_empty()), "{url}: alternateName");
        let item = &review["itemReviewed"];
        assert_eq!(item["@type"], "Claim", "{url}");
        let appearance = item["appearance"]["url"].as_str().unwrap();
        assert!(
            appearance.starts_with(&base) && appearance.ends_with(c["cite_url"].as_str().unwrap()),
            "{url}: {appearance}"
        );
        assert!(review["author"]["name"].as_str().is_some_and(|s| !s.is_empty()), "{url}: author");
        if p.json("claims.json")["sources"].as_array().unwrap().iter().any(|s| s["published"].is_string()) {
            assert!(review["datePublished"].is_string(), "{url}: datePublished");
        }
    }
}

#[test]
fn every_citation_target_contains_its_quote() {
    let p = &sample();
    for c in claims(p) {
        let cite = c["cite_url"].as_str().unwrap();
        let (page, fragment) = cite.split_once('#').unwrap();
        let doc = p.html(page);
        let el = doc
            .select(&sel(&format!("[id=\"{fragment}\"]")))
            .next()
            .unwrap_or_else(|| panic!("{cite}: no element with that id"));
        let text: String = el.text().collect();
        assert!(text.contains(c["quote"].as_str().unwrap()), "{cite}: {text:?} lacks the quote");
    }
}

#[test]
fn csv_has_one_row_per_claim_and_no_live_formula() {
    let p = &sample();
    let csv_text = p.read("public/claims.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let claims = claims(p);
    assert_eq!(rows.len(), claims.len());
    for (row, claim) in rows.iter().zip(&claims) {
        assert_eq!(&row[0], claim["id"].as_str().unwrap());
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "unguarded cell {cell:?}");
        }
    }
}

#[test]
fn every_page_has_a_language_and_the_sitemap_lists_them_absolutely() {
    let p = &sample();
    let base = base_url(p);
    let sitemap = p.read("public/sitemap.xml");
    let locs: Vec<String> = Html::parse_document(&sitemap).select(&sel("loc")).map(|l| l.text().collect()).collect();
    for s in p.json("claims.json")["sources"].as_array().unwrap() {
        let url = format!("{base}/{}", s["url"].as_str().unwrap());
        assert!(locs.contains(&url), "the sitemap lists the page of every source: {url}");
    }
    for loc in &locs {
        let rel = loc.strip_prefix(&format!("{base}/")).unwrap_or_else(|| panic!("{loc} is not under {base}"));
        let doc = p.html(rel);
        let lang = doc.select(&sel("html")).next().unwrap().value().attr("lang");
        assert_eq!(lang, Some("fr"), "{rel}");
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{rel}: one h1");
    }
    assert_eq!(p.html("404.html").select(&sel("html[lang=fr]")).count(), 1);
}

#[test]
fn the_search_index_holds_every_claim_with_a_working_link() {
    let p = &sample();
    let doc = p.html("search.html");
    let status = doc.select(&sel("#search-status")).next().expect("a status line");
    assert_eq!(status.value().attr("data-index"), Some("search.json"), "the page says where its index is");
    let index = p.json("search.json");
    let docs = index["docs"].as_array().unwrap();
    let claims = claims(p);
    assert_eq!(docs.len(), claims.len(), "one entry per claim");
    for (d, c) in docs.iter().zip(&claims) {
        assert_eq!(d["url"], c["url"], "in claim order, linking the claim's details");
        assert_eq!(d["quote"], c["quote"]);
        let stems = d["stems"].as_array().unwrap();
        assert!(!stems.is_empty(), "{}: no stem", c["id"]);
    }
    let terms = index["terms"].as_object().unwrap();
    assert!(!terms.is_empty());
    // Every stem a claim is indexed under is the stem of some word of the table.
    let known: std::collections::BTreeSet<&str> = terms.values().filter_map(|v| v.as_str()).collect();
    assert!(docs.iter().flat_map(|d| d["stems"].as_array().unwrap()).all(|s| known.contains(s.as_str().unwrap())));
}

#[test]
fn methodology_is_rendered_from_content() {
    let p = &sample();
    let doc = p.html("methodology.html");
    assert!(doc.select(&sel("main .prose h3")).count() >= 3, "the methodology's sections, under the page's headings");
    assert!(doc.select(&sel("main pre.code span[class^=\"hl-\"]")).next().is_some(), "code highlighted with classes");
}
