//! Rendering a hand-built report: comparisons, findings, related claims and an editor's
//! verdict, which the sample does not (yet) produce. The pages are parsed, never grepped.

use super::*;
use crate::annotate::{AnnotatedSource, ClaimRecord, FrontMatter};
use crate::config::Config;
use crate::crosscheck::{Analysis, Comparison, ComparisonRow, Finding, Related, RelatedClaims, Topic, Verdict};
use crate::extract::{Attribution, Bound, Entity, Quantity};
use crate::read::Source;
use crate::report::{Document, Report};
use scraper::{Html, Selector};
use std::sync::Arc;

const TEXT: &str = "Renforts annoncés à la frontière\n\
Le ministère affirme que 1 200 soldats sont arrivés mardi. Un témoin parle de « </script> » et de 800 hommes.\n\
\n\
Selon l'agence, jusqu'à 2 000 soldats pourraient suivre.\n";

fn claim(id: &str, quote: &str, value: f64, bound: Bound, hedged: bool) -> ClaimRecord {
    let start = TEXT.find(quote).unwrap();
    let line = TEXT[..start].matches('\n').count() + 1;
    // Through serde, so fields added to the record later take their defaults.
    serde_json::from_value(serde_json::json!({
        "id": id,
        "span": [start, start + quote.len()],
        "lines": [line, line],
        "quote": quote,
        "score": 0.8,
        "topic": "renforts",
        "hedged": hedged,
        "hedge_cues": if hedged { vec!["pourraient"] } else { vec![] },
        "attribution": Attribution { text: "le ministère".into(), entity: None },
        "quantities": [Quantity { text: format!("{value} soldats"), value: Some(value), unit: Some("soldats".into()), bound }],
        "entities": ["ministere"],
    }))
    .unwrap()
}

fn report() -> Report {
    let source = Source::from_text("sources/depeche.txt", TEXT);
    let lang = Language::load("fr").unwrap();
    let seg = crate::segment::segment(&source, &lang);
    let a =
        claim("depeche-a", "Le ministère affirme que 1 200 soldats sont arrivés mardi.", 1200.0, Bound::Exact, false);
    let mut b = claim("depeche-b", "Un témoin parle de « </script> » et de 800 hommes.", 800.0, Bound::Exact, false);
    b.review.verdict = Some("trompeur".into());
    b.review.rationale = Some("Le chiffre **ne tient pas** <script>alert(1)</script>.".into());
    b.review.evidence = vec!["https://exemple.org/preuve".into(), "javascript:alert(1)".into()];
    let c = claim("depeche-c", "Selon l'agence, jusqu'à 2 000 soldats pourraient suivre.", 2000.0, Bound::Upper, true);
    let row = |c: &ClaimRecord| ComparisonRow {
        claim: c.id.to_string(),
        source: source.id.clone(),
        text: c.quantities[0].text.clone(),
        value: c.quantities[0].value,
        bound: c.quantities[0].bound,
        attribution: c.attribution.as_ref().map(|a| a.text.clone()),
        date: Some("2025-01-07".into()),
        hedged: c.hedged,
    };
    let analysis = Analysis {
        topics: vec![Topic {
            id: "renforts".into(),
            label: "Renforts".into(),
            claims: vec![a.id.clone(), b.id.clone(), c.id.clone()].into(),
        }],
        comparisons: vec![Comparison::from_rows(
            "cmp-soldats".into(),
            "renforts".into(),
            "soldats".into(),
            vec![row(&a), row(&b), row(&c)],
        )],
        findings: vec![Finding {
            id: "ecart-soldats".into(),
            kind: "discrepancy".into(),
            claims: vec![a.id.clone(), b.id.clone()].into(),
            summary: "Les effectifs annoncés varient de 800 à 1 200.".into(),
            title: None,
        }],
        verdicts: [a.id.clone(), b.id.clone(), c.id.clone()]
            .into_iter()
            .map(|id| {
                (
                    id,
                    Verdict {
                        label: "disputed".into(),
                        rationale: "Les chiffres divergent.".into(),
                        by: crate::crosscheck::VerdictBy::Auto,
                    },
                )
            })
            .collect(),
        related: RelatedClaims::from_lists([(
            a.id.as_str(),
            vec![Related { claim: b.id.as_str(), relation: crate::crosscheck::Relation::Conflicts }],
        )]),
        claim_topics: None,
    };
    let record = AnnotatedSource {
        meta: FrontMatter {
            source: source.path.clone(),
            sha256: source.sha256.clone(),
            encoding: source.encoding.clone(),
            title: Some("Renforts annoncés à la frontière".into()),
            outlet: Some("La Dépêche test".into()),
            published: Some("2025-01-08".into()),
            language: "fr".into(),
        },
        claims: vec![a, b, c],
    };
    Report {
        config: Config { base_url: "https://exemple.org/rapport/".into(), ..Config::default() },
        generator: "factsite test".into(),
        docs: vec![Document { source: source.into(), seg: seg.into(), record }.into()],
        entities: vec![Entity {
            id: "ministere".into(),
            label: "Ministère".into(),
            kind: "organisation".into(),
            aliases: vec![],
        }],
        analysis: analysis.into(),
        skipped: vec![],
        methodology: Some("# Méthode\n\nNous lisons.\n\n```rust\nfn main() {}\n```\n".into()),
    }
}

fn site(report: &Report) -> BTreeMap<String, Vec<u8>> {
    let lang = Language::load("fr").unwrap();
    let tera = compile(&[]).unwrap();
    render(report, &lang, &tera).unwrap().into_iter().map(|f| (f.path, f.bytes)).collect()
}

use std::collections::BTreeMap;

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Html {
    Html::parse_document(std::str::from_utf8(&files[path]).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn topic_page_has_the_comparison_table_and_chart() {
    let files = site(&report());
    let doc = page(&files, &urls::topic("renforts"));
    let rows: Vec<_> = doc.select(&sel("#cmp-soldats table tbody tr")).collect();
    assert_eq!(rows.len(), 3);
    let last: Vec<String> = rows[2].select(&sel("th, td")).map(|c| c.text().collect()).collect();
    assert_eq!(last[1], "≤ 2\u{202f}000", "bound sign and value, grouped the French way: {last:?}");
    assert_eq!(last[6], "oui", "hedged: {last:?}");
    let svg = doc.select(&sel("#cmp-soldats svg[role=img]")).next().expect("an inline SVG chart");
    assert_eq!(svg.select(&sel("rect")).count(), 3);
    let desc: String = svg.select(&sel("desc")).next().unwrap().text().collect();
    assert!(desc.contains("1\u{202f}200"), "text alternative: {desc}");
}

#[test]
fn a_claims_details_show_both_verdicts_sanitised_rationale_and_relations() {
    let files = site(&report());
    let doc = page(&files, &urls::source("depeche"));
    let b = doc.select(&sel(&format!("article#{}", urls::claim_anchor("depeche-b")))).next().expect("b's details");
    let rationale: String = b.select(&sel(".rationale")).next().unwrap().inner_html();
    assert!(rationale.contains("<strong>ne tient pas</strong>") && !rationale.contains("script"), "{rationale}");
    assert!(b.select(&sel(".auto-verdict")).next().is_some(), "the automatic verdict is shown when it differs");
    let evidence: Vec<_> = b.select(&sel("ul.evidence a")).map(|a| a.value().attr("href").unwrap()).collect();
    assert_eq!(evidence, ["https://exemple.org/preuve"], "only web links are linked");
    let a = doc.select(&sel(&format!("article#{}", urls::claim_anchor("depeche-a")))).next().expect("a's details");
    let related: Vec<_> = a.select(&sel(".related a")).map(|l| l.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(related, [format!("../{}", urls::claim("depeche", "depeche-b"))]);
    let findings = page(&files, urls::FINDINGS);
    assert!(findings.select(&sel("article#ecart-soldats")).next().is_some());
}

#[test]
fn claim_reviews_are_one_escaped_json_ld_array_per_source_page() {
    let files = site(&report());
    let html = std::str::from_utf8(&files[&urls::source("depeche")]).unwrap();
    let doc = Html::parse_document(html);
    let scripts: Vec<_> = doc.select(&sel("script[type=\"application/ld+json\"]")).collect();
    assert_eq!(scripts.len(), 1);
    let all: serde_json::Value = serde_json::from_str(&scripts[0].text().collect::<String>()).unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(3), "one ClaimReview per claim");
    let json =
        all.as_array().unwrap().iter().find(|r| r["url"].as_str().unwrap().ends_with("claim-depeche-b")).unwrap();
    assert_eq!(json["@type"], "ClaimReview");
    assert!(json["claimReviewed"].as_str().unwrap().chars().count() < 75);
    assert_eq!(json["url"], "https://exemple.org/rapport/sources/depeche.html#claim-depeche-b");
    assert_eq!(json["reviewRating"]["alternateName"], "trompeur");
    assert_eq!(json["reviewRating"]["ratingValue"], 3, "third of five on the default scale, best first");
    assert_eq!(json["itemReviewed"]["@type"], "Claim");
    assert_eq!(json["itemReviewed"]["appearance"]["datePublished"], "2025-01-08");
    assert_eq!(json["datePublished"], "2025-01-08");
    assert_eq!(json["author"]["name"], "factsite");
    // The quote holds "</script>": the script element must not end early.
    assert!(!scripts[0].inner_html().contains("</script"));
}

#[test]
fn source_page_marks_each_claim_with_its_quote_and_labels_non_prose() {
    let r = report();
    let files = site(&r);
    let doc = page(&files, &urls::source("depeche"));
    for (_, c) in r.claims() {
        let target = urls::cite("depeche", &c.id);
        let id = target.split('#').nth(1).unwrap();
        let el = doc.select(&sel(&format!("[id=\"{id}\"]"))).next().unwrap_or_else(|| panic!("no #{id}"));
        assert!(el.text().collect::<String>().contains(&*c.quote));
    }
    assert!(doc.select(&sel("li#L1 .kind")).next().is_some(), "the title line says it is a title");
    assert!(doc.select(&sel("li#L4")).next().is_some());
}

#[test]
fn csv_has_a_header_and_one_row_per_claim() {
    let files = site(&report());
    let mut reader = csv::Reader::from_reader(&files[urls::CLAIMS_CSV][..]);
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let r = report();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| site(&r));
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap().install(|| site(&r));
    assert_eq!(one, four);
    assert!(one.contains_key(urls::METHODOLOGY) && one.contains_key(urls::FEED) && one.contains_key(urls::SITEMAP));
}

#[test]
fn every_interface_string_a_template_uses_exists_in_every_language() {
    let pattern = regex::Regex::new(r"\bui\.([a-z_]+)").unwrap();
    let used: std::collections::BTreeSet<&str> = templates::DEFAULTS
        .iter()
        .flat_map(|(_, text)| pattern.captures_iter(text).map(|c| c.get(1).unwrap().as_str()))
        .collect();
    assert!(used.len() > 20);
    let mut keys = Vec::new();
    for code in crate::lang::AVAILABLE {
        let lang = Language::load(code).unwrap();
        for key in &used {
            assert!(lang.ui.all().contains_key(*key), "lang/{code}/ui.toml lacks `{key}`");
        }
        keys.push(lang.ui.all().keys().cloned().collect::<Vec<_>>());
    }
    assert!(keys.windows(2).all(|w| w[0] == w[1]), "every language has the same interface keys");
}

#[test]
fn long_topic_and_entity_lists_are_spread_over_numbered_pages() {
    let mut report = report();
    let template = report.docs[0].record.claims[0].clone();
    for i in 0..250 {
        let mut c = template.clone();
        c.id = format!("depeche-x{i:03}").into();
        let topic = &mut Arc::make_mut(&mut report.analysis).topics[0];
        topic.claims = topic.claims.iter().cloned().chain([c.id.clone()]).collect();
        std::sync::Arc::make_mut(&mut report.docs[0]).record.claims.push(c);
    }
    let total = report.analysis.topics[0].claims.len();
    let files = site(&report);
    for first in [urls::topic("renforts"), urls::entity("ministere")] {
        let base = first.trim_end_matches(".html");
        let paths = [first.clone(), format!("{base}/2.html"), format!("{base}/3.html")];
        assert!(!files.contains_key(&format!("{base}/4.html")), "{total} claims fill three pages");
        let mut listed = std::collections::BTreeSet::new();
        for path in &paths {
            let doc = page(&files, path);
            let cards: Vec<String> = doc
                .select(&sel(".claim-card .card-link a"))
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            assert!(cards.len() <= views::CLAIMS_PER_PAGE, "{path}: {} claims", cards.len());
            listed.extend(cards);
            // Every pager link leads to one of the pages, and the current one is marked.
            for a in doc.select(&sel("nav.pager a")) {
                let href = a.value().attr("href").unwrap();
                let (target, _) = crate::check::resolve(path, href).unwrap();
                assert!(paths.contains(&target), "{path}: pager link {href} leads to {target}");
            }
            let current: Vec<_> = doc.select(&sel("nav.pager a[aria-current=page]")).collect();
            assert_eq!(current.len(), 1, "{path}");
        }
        assert_eq!(listed.len(), total, "{first}: every claim listed once over the pages");
    }
}

#[test]
fn a_long_list_s_pager_links_the_ends_and_the_pages_around_this_one() {
    let numbers = |k: usize, count: usize| {
        let p = views::Pager::new(k, count, |i| format!("p{i}")).unwrap();
        assert_eq!(p.previous, (k > 0).then(|| format!("p{}", k - 1)));
        assert_eq!(p.next, (k + 1 < count).then(|| format!("p{}", k + 1)));
        assert!(p.pages.iter().all(|l| l.url == format!("p{}", l.number - 1) && l.current == (l.number == k + 1)));
        p.pages.iter().map(|l| (l.number, l.after_gap)).collect::<Vec<_>>()
    };
    assert!(views::Pager::new(0, 1, |i| i.to_string()).is_none(), "one page, no pager");
    assert_eq!(numbers(0, 3), [(1, false), (2, false), (3, false)]);
    assert_eq!(numbers(0, 600), [(1, false), (2, false), (3, false), (600, true)]);
    assert_eq!(
        numbers(299, 600),
        [(1, false), (298, true), (299, false), (300, false), (301, false), (302, false), (600, true)]
    );
    assert_eq!(numbers(599, 600), [(1, false), (598, true), (599, false), (600, false)]);
    assert_eq!(numbers(3, 7), (1..=7).map(|n| (n, false)).collect::<Vec<_>>(), "every page linked from the middle");
    assert_eq!(numbers(4, 9), (1..=9).map(|n| (n, false)).collect::<Vec<_>>(), "a gap of one page shows it");
    assert_eq!(numbers(5, 10)[..2], [(1, false), (4, true)]);
    // However long the list, a page links a handful of others.
    for count in [2, 10, 1000, 100_000] {
        for k in [0, 1, count / 2, count - 1] {
            assert!(numbers(k, count).len() <= 5 + 2 * views::PAGER_AROUND, "{k} of {count}");
        }
    }
}

#[test]
fn a_finding_links_its_first_claims_and_counts_the_rest() {
    let mut report = report();
    let template = report.docs[0].record.claims[0].clone();
    for i in 0..20 {
        let mut c = template.clone();
        c.id = format!("depeche-y{i:02}").into();
        let finding = &mut Arc::make_mut(&mut report.analysis).findings[0];
        finding.claims = finding.claims.iter().cloned().chain([c.id.clone()]).collect();
        std::sync::Arc::make_mut(&mut report.docs[0]).record.claims.push(c);
    }
    let files = site(&report);
    let doc = page(&files, urls::FINDINGS);
    let finding = doc.select(&sel("article#ecart-soldats")).next().unwrap();
    assert_eq!(finding.select(&sel("li a")).count(), views::CLAIMS_PER_FINDING);
    let more: String = finding.select(&sel(".more")).next().expect("the rest is counted").text().collect();
    assert!(more.contains(&(22 - views::CLAIMS_PER_FINDING).to_string()), "{more}");
}

/// The test report with `n` more findings like its first, `constat-000`...
fn with_findings(n: usize) -> Report {
    let mut report = report();
    let first = report.analysis.findings[0].clone();
    for i in 0..n {
        Arc::make_mut(&mut report.analysis).findings.push(Finding { id: format!("constat-{i:03}"), ..first.clone() });
    }
    report
}

#[test]
fn findings_and_comparisons_stay_bounded_and_every_finding_url_lands_on_it() {
    let mut report = with_findings(250);
    let row = report.analysis.comparisons[0].rows[0].clone();
    let mut rows: Vec<ComparisonRow> =
        (0..100).map(|i| ComparisonRow { value: Some(1000.0 + ((i * 37) % 100) as f64), ..row.clone() }).collect();
    // The extremes come late: they are shown all the same.
    rows[99].value = Some(900.0);
    rows[70].value = Some(2000.0);
    Arc::make_mut(&mut report.analysis).comparisons[0] =
        Comparison::from_rows("cmp-soldats".into(), "renforts".into(), "soldats".into(), rows);
    let files = site(&report);
    let export: serde_json::Value = serde_json::from_slice(&files[urls::CLAIMS_JSON]).unwrap();
    for f in export["findings"].as_array().unwrap() {
        let (file, id) = f["url"].as_str().unwrap().split_once('#').unwrap();
        let doc = page(&files, file);
        assert!(doc.select(&sel(&format!("article[id='{id}']"))).next().is_some(), "{id} is not on {file}");
        assert!(doc.select(&sel("article.finding")).count() <= urls::FINDINGS_MAX);
    }
    let topic = page(&files, &urls::topic("renforts"));
    let cells: Vec<String> =
        topic.select(&sel("#cmp-soldats tbody tr td:nth-of-type(1)")).map(|c| c.text().collect()).collect();
    assert_eq!(cells.len(), crate::crosscheck::COMPARISON_ROWS);
    assert!(cells.contains(&"900".to_string()) && cells.contains(&"2\u{202f}000".to_string()), "{cells:?}");
    assert!(topic.select(&sel("#cmp-soldats .more")).next().is_some(), "the rest is counted");
}

#[test]
fn a_finding_added_renders_its_own_findings_page_again_not_those_after_it() {
    let before = with_findings(600);
    let first = before.analysis.findings[0].clone();
    let mut next = before.clone();
    let added =
        Finding { id: "constat-nouveau".into(), claims: vec![arcstr::ArcStr::from("depeche-c")].into(), ..first };
    Arc::make_mut(&mut next.analysis).findings.insert(1, added);
    let again = pages_rendered_again(&before, &next);
    let findings: Vec<&str> = again.iter().map(String::as_str).filter(|p| p.starts_with("findings")).collect();
    // Counted at every hundred findings, every page after the first would hold others.
    assert!(site(&next).keys().filter(|p| p.starts_with("findings")).count() > 4);
    assert_eq!(findings, [urls::FINDINGS]);
}

#[test]
fn a_claim_shows_its_findings_title_and_its_page_changes_with_the_title_not_the_summary() {
    let mut before = report();
    Arc::make_mut(&mut before.analysis).findings[0].title = Some("Les effectifs ne concordent pas.".into());
    let source = page(&site(&before), &urls::source("depeche"));
    let shown: Vec<String> = source.select(&sel("li.finding a")).map(|a| a.text().collect()).collect();
    assert_eq!(shown.len(), 2, "both claims of the finding show it");
    assert!(shown.iter().all(|s| s.ends_with("Les effectifs ne concordent pas.")), "{shown:?}");
    let findings = page(&site(&before), urls::FINDINGS);
    let text: String = findings.select(&sel("article.finding")).flat_map(|a| a.text()).collect();
    assert!(text.contains("varient de 800 à 1 200"), "the findings page gives the sentence: {text}");
    // A figure joins: the sentence changes, the title does not.
    let mut next = before.clone();
    Arc::make_mut(&mut next.analysis).findings[0].summary = "Les effectifs annoncés varient de 800 à 1 500.".into();
    let again = pages_rendered_again(&before, &next);
    assert!(again.contains(&urls::FINDINGS.to_string()), "{again:?}");
    assert!(!again.contains(&urls::source("depeche")), "{again:?}");
    // The title changes.
    let mut retitled = before.clone();
    Arc::make_mut(&mut retitled.analysis).findings[0].title = Some("Autre titre.".into());
    assert!(pages_rendered_again(&before, &retitled).contains(&urls::source("depeche")));
}

#[test]
fn claims_json_is_laid_out_as_serde_json_prints_the_whole_tree() {
    // The export is joined from pieces made in parallel: re-printing it whole gives its bytes.
    let mut r = report();
    for _ in 0..2 {
        let out = claims_json(&r);
        let tree: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            String::from_utf8(serde_json::to_vec_pretty(&tree).unwrap()).unwrap(),
            String::from_utf8(out).unwrap()
        );
        // And with empty lists.
        r.docs.clear();
        r.analysis = Analysis::default().into();
        r.entities.clear();
    }
}

/// The files `render_changed` renders again from `previous` to `next`, by path.
fn rendered_again(previous: &Report, next: &Report) -> BTreeMap<String, Vec<u8>> {
    let lang = Language::load("fr").unwrap();
    let tera = compile(&[]).unwrap();
    // What the render of `previous` indexed, shared with `next`'s where it holds, as in serve;
    // and the same indexes completed, as serve has them once the exports are written: both
    // render the same files again.
    let last = render_changed(None, previous, &lang, &tera, false, &|_| Ok(())).unwrap().indexes;
    let completed = super::complete_indexes(previous, &lang, &last);
    let again = |indexes: &super::Indexes| {
        let files = std::sync::Mutex::new(BTreeMap::new());
        render_changed(Some((previous, indexes)), next, &lang, &tera, false, &|f: OutputFile| {
            files.lock().unwrap().insert(f.path, f.bytes);
            Ok(())
        })
        .unwrap();
        files.into_inner().unwrap()
    };
    let files = again(&completed);
    assert!(files == again(&last), "the completed indexes render other files again");
    files
}

/// The pages `render_changed` renders again from `previous` to `next`, having checked that
/// they include every file (but the exports, made later) that differs between the two sites,
/// and that each is the one a full render of `next` makes.
fn pages_rendered_again(previous: &Report, next: &Report) -> Vec<String> {
    let again = rendered_again(previous, next);
    let before = site(previous);
    let after = site(next);
    let exports = [urls::CLAIMS_JSON, urls::CLAIMS_CSV, urls::SEARCH_INDEX];
    for (path, bytes) in &after {
        if before.get(path) != Some(bytes) && !exports.contains(&path.as_str()) {
            assert!(again.contains_key(path), "{path} differs but is not rendered again: {:?}", again.keys());
        }
    }
    for (path, bytes) in &again {
        assert!(after.get(path) == Some(bytes), "{path} rendered again is not the full render's");
    }
    again.into_keys().filter(|p| p.ends_with(".html")).collect()
}

#[test]
fn an_unchanged_report_renders_no_page_again() {
    let r = report();
    assert_eq!(pages_rendered_again(&r, &r), Vec::<String>::new());
}

#[test]
fn the_pages_that_sum_up_the_report_are_rendered_again_when_what_they_show_changes() {
    let before = report();
    let summaries = ["index.html", "entities/index.html", "search.html", "404.html", "methodology.html"];
    let summed_up = |next: &Report| -> Vec<&str> {
        let again = pages_rendered_again(&before, next);
        summaries.into_iter().filter(|p| again.iter().any(|a| a == p)).collect()
    };
    // An automatic verdict's rationale: not counted anywhere.
    let mut next = before.clone();
    Arc::make_mut(&mut next.analysis).verdicts.get_mut("depeche-a").unwrap().rationale = "Autre chose.".into();
    assert_eq!(summed_up(&next), Vec::<&str>::new());
    // An automatic verdict's label: the home page counts claims by verdict.
    let mut next = before.clone();
    Arc::make_mut(&mut next.analysis).verdicts.get_mut("depeche-a").unwrap().label = "corroborated".into();
    assert_eq!(summed_up(&next), ["index.html"]);
    // A claim fewer: counted on the home and search pages, and, as it names an entity, on the
    // entities page.
    let mut next = before.clone();
    let mut doc = (*next.docs[0]).clone();
    doc.record.claims.pop();
    next.docs[0] = doc.into();
    assert_eq!(summed_up(&next), ["index.html", "entities/index.html", "search.html"]);
    // An entity renamed: listed on the entities page.
    let mut next = before.clone();
    next.entities[0].label = "Ministère des Armées".into();
    assert_eq!(summed_up(&next), ["entities/index.html"]);
    // The settings: every page.
    let mut next = before.clone();
    next.methodology = Some("# Méthode\n\nNous relisons.\n".into());
    assert_eq!(summed_up(&next), summaries);
}

#[test]
fn a_claims_related_claims_beyond_those_shown_render_its_source_again_only_by_their_number() {
    use crate::crosscheck::Relation;
    type List<'a> = Vec<(&'a str, Relation)>;
    let mut before = report();
    let with = |list: &[(&str, Relation)]| {
        let list = list.iter().map(|&(claim, relation)| Related { claim, relation }).collect();
        RelatedClaims::from_lists([("depeche-a", list)])
    };
    let many: List = ["depeche-b", "depeche-c"]
        .into_iter()
        .cycle()
        .take(views::RELATED_SHOWN + 2)
        .map(|claim| (claim, Relation::Corroborates))
        .collect();
    Arc::make_mut(&mut before.analysis).related = with(&many);
    let source = urls::source("depeche");
    let edited = |edit: &dyn Fn(&mut List)| {
        let mut next = before.clone();
        let mut list = many.clone();
        edit(&mut list);
        Arc::make_mut(&mut next.analysis).related = with(&list);
        pages_rendered_again(&before, &next).contains(&source)
    };
    assert!(!edited(&|r| r.last_mut().unwrap().1 = Relation::Conflicts), "not shown");
    assert!(edited(&|r| r[0].1 = Relation::Conflicts), "shown");
    assert!(edited(&|r| r.push(("depeche-b", Relation::Corroborates))), "one more is counted");
}

#[test]
fn the_feed_holds_the_latest_claims_newest_first_in_report_order_within_a_date() {
    // More documents than the feed has entries, on a few dates (some none); claims in some of
    // them, then in few enough that the newest documents do not fill the feed.
    for with_claims in [|i: usize| i % 7 != 0, |i: usize| i % 7 == 0] {
        let mut r = report();
        let first = (*r.docs[0]).clone();
        r.docs = (0..feed::FEED_ENTRIES + 50)
            .map(|i| {
                let mut doc = first.clone();
                let mut source = (*doc.source).clone();
                source.id = format!("depeche-{i:03}");
                doc.source = source.into();
                let dates = [None, Some("2025-01-07"), Some("2025-01-09T08:30"), Some("2025-01-08")];
                doc.record.meta.published = dates[i % 4].map(String::from);
                if !with_claims(i) {
                    doc.record.claims.clear();
                }
                for c in &mut doc.record.claims {
                    c.id = format!("{}-{i:03}", c.id).into();
                }
                doc.into()
            })
            .collect();
        // Every claim sorted: newest first, in report order within a date.
        let report_date = r.docs.iter().filter_map(|d| d.record.meta.published.as_deref()).max();
        let date = |d: &Document| d.record.meta.published.as_deref().or(report_date).unwrap_or_default().to_string();
        let mut all: Vec<(String, usize, String)> =
            r.claims().enumerate().map(|(i, (d, c))| (date(d), i, urls::claim(&d.source.id, &c.id))).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let want: Vec<String> = all
            .into_iter()
            .take(feed::FEED_ENTRIES)
            .map(|(_, _, url)| urls::absolute(&r.config.base_url, &url))
            .collect();
        let atom = String::from_utf8(site(&r)[urls::FEED].clone()).unwrap();
        let xml = roxmltree::Document::parse(&atom).unwrap();
        let entry_id =
            |e: roxmltree::Node| e.children().find(|n| n.has_tag_name("id")).unwrap().text().unwrap().to_string();
        let got: Vec<String> = xml.descendants().filter(|n| n.has_tag_name("entry")).map(entry_id).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn the_home_page_is_rendered_again_for_a_source_it_does_not_list_only_when_that_changes_a_count() {
    // More sources than the home page lists, the last one edited.
    let mut before = report();
    let first = (*before.docs[0]).clone();
    before.docs = (0..=views::HOME_SOURCES)
        .map(|i| {
            let mut doc = first.clone();
            let mut source = (*doc.source).clone();
            source.id = format!("depeche-{i:03}");
            source.path = format!("sources/depeche-{i:03}.txt");
            doc.source = source.into();
            doc.into()
        })
        .collect();
    let last = before.docs.len() - 1;
    let edited = |edit: &dyn Fn(&mut Document)| {
        let mut next = before.clone();
        let mut doc = (*next.docs[last]).clone();
        edit(&mut doc);
        next.docs[last] = doc.into();
        pages_rendered_again(&before, &next).contains(&urls::HOME.to_string())
    };
    assert!(!edited(&|d| d.record.meta.title = Some("Autre titre".into())));
    assert!(edited(&|d| d.record.meta.outlet = Some("Autre journal".into())));
    assert!(edited(&|d| d.record.meta.published = Some("2025-02-01".into())));
    assert!(edited(&|d| d.record.claims[0].review.verdict = Some("faux".into())));
}

/// A claim edited in a source renders again the pages that link to it, not those that link to
/// the other claims of its source only.
#[test]
fn a_claim_edited_renders_the_pages_that_link_to_it_not_to_its_neighbours() {
    let mut before = report();
    // Another source, whose claim is related to the third claim of the first.
    let source = Source::from_text("sources/autre.txt", TEXT);
    let seg = crate::segment::segment(&source, &Language::load("fr").unwrap());
    let mut record = before.docs[0].record.clone();
    record.meta.source = source.path.clone();
    let other =
        claim("autre-a", "Le ministère affirme que 1 200 soldats sont arrivés mardi.", 1200.0, Bound::Exact, false);
    record.claims = vec![other];
    before.docs.push(Document { source: source.into(), seg: seg.into(), record }.into());
    let related = vec![Related { claim: "depeche-c", relation: crate::crosscheck::Relation::Corroborates }];
    Arc::make_mut(&mut before.analysis).related = RelatedClaims::from_lists([("autre-a", related)]);
    let other_page = urls::source("autre");
    let edited = |claim: usize| {
        let mut next = before.clone();
        let mut doc = (*next.docs[0]).clone();
        doc.record.claims[claim].hedge_cues = vec!["selon".into()];
        next.docs[0] = doc.into();
        let again = pages_rendered_again(&before, &next);
        assert!(again.contains(&urls::source("depeche")), "{again:?}");
        again.contains(&other_page)
    };
    assert!(!edited(0), "a neighbour of the claim it links to");
    assert!(edited(2), "the claim it links to");
}

#[test]
fn a_changed_verdict_renders_its_source_and_the_lists_that_show_its_card() {
    let before = report();
    let mut after = before.clone();
    let id = after.docs[0].record.claims[0].id.clone();
    Arc::make_mut(&mut after.analysis).verdicts.insert(id, Verdict::editor("faux", "Vérifié."));
    let again = rendered_again(&before, &after);
    for page in ["sources/depeche.html", "topics/renforts.html", "entities/ministere.html"] {
        assert!(again.contains_key(page), "{page} not rendered again: {:?}", again.keys());
    }
    // The findings page shows no verdict: it is not rendered again.
    assert!(!again.contains_key(urls::FINDINGS), "{:?}", again.keys());
    // The home page counts the claims by verdict.
    assert!(again.contains_key(urls::HOME), "{:?}", again.keys());
}

/// The next report shares the last render's index of the claims while they keep their ids and
/// places (an editor's verdict), its automatic labels while the analysis is the same too, and
/// its entities' mentions while the claims name the same entities.
#[test]
fn a_render_shares_the_last_ones_indexes_while_they_hold() {
    let before = report();
    let lang = Language::load("fr").unwrap();
    let tera = compile(&[]).unwrap();
    let last = render_changed(None, &before, &lang, &tera, false, &|_| Ok(())).unwrap().indexes;
    let shares = |next: &Report| {
        fn same<T>(a: &Option<Arc<T>>, b: &Option<Arc<T>>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
        }
        let now = super::Indexes::shared(Some((&before, &last)), next);
        (same(&now.claims, &last.claims), same(&now.labels, &last.labels), same(&now.mentions, &last.mentions))
    };
    assert!(last.labels.is_some(), "the home page's tally made the labels");
    let edited = |edit: &dyn Fn(&mut Document)| {
        let mut next = before.clone();
        let mut doc = (*next.docs[0]).clone();
        edit(&mut doc);
        next.docs[0] = doc.into();
        next
    };
    assert_eq!(shares(&edited(&|d| d.record.claims[0].review.verdict = Some("faux".into()))), (true, true, true));
    assert_eq!(shares(&edited(&|d| d.record.claims[1].span.start += 1)), (true, true, true));
    assert_eq!(shares(&edited(&|d| d.record.claims[1].entities.push("armee".into()))), (true, true, false));
    assert_eq!(shares(&edited(&|d| d.record.claims[1].id = "depeche-x".into())), (false, false, false));
    assert_eq!(shares(&edited(&|d| d.record.claims.truncate(2))), (false, false, false));
    let mut next = before.clone();
    Arc::make_mut(&mut next.analysis).verdicts.get_mut("depeche-a").unwrap().label = "corroborated".into();
    assert_eq!(shares(&next), (true, false, true));
}

/// The findings of each claim by number are those that name it, in their order, a finding
/// that names a claim twice coming twice; an id no claim has is left out.
#[test]
fn each_claims_findings_by_number_are_those_that_name_it_in_order() {
    use super::index::{ClaimFindings, ClaimIndex};
    let mut report = report();
    let first = report.analysis.findings[0].clone();
    let name = |ids: &[&str]| -> Arc<[arcstr::ArcStr]> { ids.iter().map(|&id| arcstr::ArcStr::from(id)).collect() };
    let findings = &mut Arc::make_mut(&mut report.analysis).findings;
    findings.push(Finding { id: "f1".into(), claims: name(&["depeche-c", "depeche-c", "ailleurs"]), ..first.clone() });
    findings.push(Finding { id: "f2".into(), claims: name(&["depeche-b"]), ..first.clone() });
    findings.push(Finding { id: "f3".into(), claims: name(&["depeche-c", "depeche-a"]), ..first });
    let index = ClaimIndex::new(&report);
    let by_claim = ClaimFindings::new(&report, &index).unwrap();
    let mut named = 0;
    for (n, (_, c)) in report.claims().enumerate() {
        let naive: Vec<u32> = report
            .analysis
            .findings
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.claims.iter().filter(|id| **id == c.id).map(move |_| i as u32))
            .collect();
        assert_eq!(by_claim.of(n as u32), naive, "{}", c.id);
        named += naive.len();
    }
    assert!(named >= 6, "the claims are named: {named}");
    assert_eq!(by_claim.of(99), &[] as &[u32]);
}

#[test]
fn labels_are_looked_up_with_dashes_as_underscores_however_long() {
    let report = report();
    let lang = Language::load("fr").unwrap();
    let ctx = views::Ctx::with(&report, &lang, &super::Indexes::default());
    assert_eq!(ctx.verdict_label("single-source"), "source unique");
    assert_eq!(ctx.verdict_label("corroborated"), "corroboré");
    // A label the language does not name is shown as it is, short or long.
    assert_eq!(ctx.verdict_label("à-vérifier"), "à-vérifier");
    let long = format!("{}-{}", "très-".repeat(20), "long");
    assert_eq!(ctx.verdict_label(&long), long);
}

#[test]
fn a_claims_topic_told_by_its_number_is_its_topic_told_by_its_id() {
    // Two topics, so that a claim's number must pick the right one.
    let mut by_id = report();
    let analysis = Arc::make_mut(&mut by_id.analysis);
    let ids: Vec<arcstr::ArcStr> = by_id.docs[0].record.claims.iter().map(|c| c.id.clone()).collect();
    analysis.topics[0].claims = vec![ids[0].clone(), ids[2].clone()].into();
    analysis.topics.push(Topic { id: "temoins".into(), label: "Témoins".into(), claims: vec![ids[1].clone()].into() });
    let mut by_number = by_id.clone();
    Arc::make_mut(&mut by_number.analysis).claim_topics = Some(vec![0, 1, 0].into());
    let (one, other) = (site(&by_id), site(&by_number));
    assert_eq!(one, other);
    // Each claim's details link its own topic.
    let source = page(&one, &urls::source(&by_id.docs[0].source.id));
    let topics: Vec<String> = source
        .select(&sel("dd a[href*='topics/']"))
        .map(|a| a.value().attr("href").unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(topics, ["renforts.html", "temoins.html", "renforts.html"]);
    // Numbers that do not fit the report's claims are not used.
    let mut misfit = by_id.clone();
    Arc::make_mut(&mut misfit.analysis).claim_topics = Some(vec![1, 0].into());
    assert_eq!(site(&misfit), one);
}
