//! Criterion benchmark of the cross-check (topics, comparisons, findings, verdicts) at 1, 10,
//! 100 and 1,000 times the size of the sample project: five hand-built documents of about a dozen
//! claims each (figures with counted nouns and bounds, dates, attributions, hedges, opposite
//! statements), replicated with varied figures, sources and publication dates. Built as
//! values, so only the cross-check is measured: from scratch, and (`-cached`) after one
//! document's figure changed, with the cache of the previous run.
//!
//! ```text
//! cargo bench --bench crosscheck
//! cargo bench --bench crosscheck -- cached      # the cached cases only
//! ```
//!
//! `-cached` medians (2 cores, load average about 2.5; the analysis dropped outside the
//! timing), 1x / 10x / 100x / 1000x: taxonomy 1.2 / 2.5 / 10.0 / 129 ms, automatic
//! 1.1 / 2.8 / 9.9 / 119 ms.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use factsite::annotate::{AnnotatedSource, ClaimRecord, FrontMatter};
use factsite::crosscheck::{self, CrosscheckCache, Taxonomy};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::report::Document;
use factsite::segment::Segmented;
use serde_json::json;
use std::hint::black_box;

/// A claim: quote (with `{n}` for its figure), figure value, counted noun, bound, speaker,
/// date (ISO).
type Spec = (&'static str, f64, &'static str, &'static str, Option<&'static str>, Option<&'static str>);

/// Five documents written for the benchmark, shaped like the sample's news articles.
const DOCS: &[&[Spec]] = &[
    &[
        (
            "Le pays pourrait envoyer {n} soldats supplémentaires au second semestre 2021.",
            2000.0,
            "soldats",
            "upper",
            None,
            Some("2021"),
        ),
        (
            "Selon le renseignement voisin, environ {n} soldats ont été déployés au printemps.",
            9000.0,
            "soldats",
            "approx",
            Some("le renseignement voisin"),
            None,
        ),
        ("Aucune confirmation officielle n'a été donnée sur l'envoi des renforts.", 0.0, "", "", None, None),
        (
            "L'accord signé en juin dernier prévoit une défense mutuelle entre les deux capitales.",
            0.0,
            "",
            "",
            None,
            Some("2024-06"),
        ),
        ("Le pays fournirait probablement des conseils techniques sur les satellites.", 0.0, "", "", None, None),
        ("La communauté internationale s'inquiète d'une escalade dans la région.", 0.0, "", "", None, None),
        (
            "Des rapports suggèrent que {n} obus ont été livrés par navire.",
            50000.0,
            "obus",
            "approx",
            Some("des rapports"),
            None,
        ),
        ("Les experts soulignent un risque de course aux armements.", 0.0, "", "", Some("les experts"), None),
    ],
    &[
        ("Le pays a officiellement confirmé l'envoi de renforts sur le front.", 0.0, "", "", None, None),
        (
            "Environ {n} soldats ont été déployés dans un premier temps.",
            11000.0,
            "soldats",
            "approx",
            Some("les espions"),
            Some("2024-10"),
        ),
        (
            "Puis {n} autres soldats ont été envoyés au début de l'année.",
            3000.0,
            "soldats",
            "exact",
            None,
            Some("2025-01"),
        ),
        ("Les troupes auraient été gravement blessées lors des premiers combats.", 0.0, "", "", None, None),
        (
            "Les organisations de défense des droits de l'homme dénoncent des conditions de vie déplorables.",
            0.0,
            "",
            "",
            None,
            None,
        ),
        ("Les alliés ont critiqué l'action du pays et parlent d'escalade.", 0.0, "", "", None, None),
        ("Le commerce d'armes entre les deux nations s'est intensifié.", 0.0, "", "", None, None),
    ],
    &[
        (
            "L'état-major voisin indique que les forces auraient subi environ {n} pertes.",
            1100.0,
            "pertes",
            "approx",
            Some("l'état-major voisin"),
            None,
        ),
        ("Le pays fournit des canons de {n} mm et des lance-roquettes multiples.", 170.0, "mm", "exact", None, None),
        (
            "La présence de plusieurs milliers de soldats a été signalée, mais le gouvernement continue de nier.",
            0.0,
            "soldats",
            "vague",
            None,
            None,
        ),
        ("Un traité de défense mutuelle signé en juin est entré en vigueur.", 0.0, "", "", None, Some("2024-06")),
        (
            "Les services secrets voisins estiment que la modernisation de l'arsenal est en cours.",
            0.0,
            "",
            "",
            Some("les services secrets voisins"),
            None,
        ),
        ("Le voisin maintient sa politique de ne pas fournir d'armes aux pays en guerre.", 0.0, "", "", None, None),
    ],
    &[
        ("Jusqu'à {n} soldats pourraient être envoyés dans les mois à venir.", 30000.0, "soldats", "upper", None, None),
        (
            "Le pays a également fourni des dizaines de milliers de conteneurs d'obus.",
            0.0,
            "conteneurs",
            "vague",
            None,
            None,
        ),
        (
            "Environ {n} soldats auraient été tués ou blessés dans la région.",
            4000.0,
            "soldats",
            "approx",
            Some("les estimations"),
            None,
        ),
        ("Des images satellite montrent {n} avions de transport sur l'aéroport.", 6.0, "avions", "exact", None, None),
        (
            "Le renseignement militaire indique que des systèmes de défense aérienne ont été fournis.",
            0.0,
            "",
            "",
            Some("le renseignement militaire"),
            None,
        ),
        ("La signature du traité de défense mutuelle remonte à plus d'un an.", 0.0, "", "", None, None),
        (
            "Les médias d'État ont reconnu avoir déployé des troupes et confirmé les pertes.",
            0.0,
            "",
            "",
            Some("les médias d'État"),
            None,
        ),
        (
            "Les experts avertissent qu'une telle augmentation des effectifs serait dangereuse.",
            0.0,
            "",
            "",
            Some("les experts"),
            None,
        ),
    ],
    &[
        (
            "Le président a annoncé l'arrivée prochaine de {n} soldats pour des entraînements.",
            12000.0,
            "soldats",
            "exact",
            Some("le président"),
            None,
        ),
        (
            "Le renseignement voisin a recensé {n} militaires présents sur le territoire.",
            3000.0,
            "militaires",
            "exact",
            Some("le renseignement voisin"),
            None,
        ),
        (
            "Le ministère avance le chiffre de {n} soldats actuellement à l'entraînement.",
            10000.0,
            "soldats",
            "exact",
            Some("le ministère"),
            None,
        ),
        ("Une visite du dirigeant a eu lieu en septembre 2023.", 0.0, "", "", None, Some("2023-09")),
        ("Des généraux pourraient bientôt inspecter la ligne de front.", 0.0, "", "", None, None),
        ("Les voisins observent avec appréhension ce rapprochement militaire.", 0.0, "", "", None, None),
    ],
];

const TAXONOMY: &str = r#"
[[topic]]
id = "effectifs"
label = "Troupes envoyées"
keywords = ["soldats", "troupes", "militaires", "effectifs", "déploiement", "renforts"]
[[topic]]
id = "pertes"
label = "Pertes"
keywords = ["pertes", "tués", "blessés"]
[[topic]]
id = "armes"
label = "Armes fournies"
keywords = ["armes", "obus", "canons", "conteneurs", "avions"]
[[topic]]
id = "traite"
label = "Traité"
keywords = ["traité", "accord", "défense mutuelle"]
[[topic]]
id = "reactions"
label = "Réactions"
keywords = ["escalade", "inquiète", "alliés", "appréhension"]
"#;

/// `copies` replicas of the five documents; replica `r` shifts every figure by a few percent
/// to a few times, and its publication dates by whole months.
fn corpus(copies: usize) -> Vec<Document> {
    let mut docs = Vec::new();
    for r in 0..copies {
        for (d, specs) in DOCS.iter().enumerate() {
            let id = format!("r{r:03}-d{d}");
            let factor = 1.0 + ((r * 7 + d * 3) % 23) as f64 * 0.15;
            let claims: Vec<ClaimRecord> = specs
                .iter()
                .enumerate()
                .map(|(n, (quote, value, unit, bound, speaker, date))| {
                    let v = (value * factor).round();
                    let figure = v.to_string();
                    let quote = quote.replace("{n}", &figure);
                    let quantities = if unit.is_empty() {
                        json!([])
                    } else {
                        let vague = *bound == "vague";
                        json!([{ "text": format!("{} {unit}", if vague { "des milliers de".into() } else { figure.clone() }),
                                 "value": if vague { None } else { Some(v) }, "unit": unit, "bound": bound }])
                    };
                    let hedged = ["pourrait", "pourraient", "aurait", "auraient", "probablement"]
                        .iter()
                        .any(|h| quote.split(' ').any(|w| w == *h));
                    serde_json::from_value(json!({
                        "id": format!("{id}-{n}"),
                        "quote": quote,
                        "hedged": hedged,
                        "quantities": quantities,
                        "dates": date.map(|d| json!([{ "text": d, "value": d }])).unwrap_or(json!([])),
                        "attribution": speaker.map(|s| json!({ "text": s, "entity": null })),
                    }))
                    .expect("claim record")
                })
                .collect();
            let text: String = claims.iter().map(|c| format!("{}\n", c.quote)).collect();
            let source = Source::from_text(&format!("sources/{id}.txt"), &text);
            let month = 1 + (r + d) % 12;
            let meta = FrontMatter {
                source: source.path.clone(),
                published: Some(format!("{}-{month:02}-15", 2024 + r % 2)),
                language: "fr".into(),
                ..FrontMatter::default()
            };
            docs.push(Document {
                source: source.into(),
                seg: Segmented::default().into(),
                record: AnnotatedSource { meta, claims },
            });
        }
    }
    docs
}

/// `docs` with the first figure of the middle document raised by `by`, in its quote too: the
/// edit `factsite serve` sees when one source changes.
fn edited(docs: &[Document], by: f64) -> Vec<Document> {
    let mut docs = docs.to_vec();
    let middle = docs.len() / 2;
    let claim = docs[middle]
        .record
        .claims
        .iter_mut()
        .find(|c| c.quantities.first().is_some_and(|q| q.value.is_some()))
        .expect("a document with a figure");
    let q = &mut claim.quantities[0];
    let (old, new) = (q.value.unwrap_or_default(), q.value.unwrap_or_default() + by);
    claim.quote = claim.quote.replacen(&old.to_string(), &new.to_string(), 1).into();
    q.text = q.text.replacen(&old.to_string(), &new.to_string(), 1);
    q.value = Some(new);
    docs
}

fn bench(c: &mut Criterion) {
    let lang = Language::load("fr").expect("French loads");
    let taxonomy: Taxonomy = toml::from_str(TAXONOMY).expect("taxonomy parses");
    let mut group = c.benchmark_group("crosscheck");
    group.sample_size(10);
    for copies in [1, 10, 100, 1000] {
        let docs = corpus(copies);
        let claims: usize = docs.iter().map(|d| d.record.claims.len()).sum();
        group.throughput(Throughput::Elements(claims as u64));
        for (mode, taxonomy) in [("taxonomy", Some(&taxonomy)), ("automatic", None)] {
            group.bench_with_input(BenchmarkId::new(mode, format!("{copies}x/{claims}")), &docs, |b, docs| {
                b.iter(|| black_box(crosscheck::crosscheck(docs, taxonomy, &lang)))
            });
            // What a rebuild after one edited source costs with the cache of the previous run:
            // each iteration edits the same document one way, then the other.
            let variants = [edited(&docs, 1.0), edited(&docs, 2.0)];
            let mut cache = CrosscheckCache::default();
            crosscheck::crosscheck_cached(&variants[0], taxonomy, &lang, &mut cache);
            let mut turn = 0;
            // The analysis is dropped outside the timing, as `factsite serve` drops the old one
            // on another thread.
            group.bench_function(BenchmarkId::new(format!("{mode}-cached"), format!("{copies}x/{claims}")), |b| {
                b.iter_with_large_drop(|| {
                    turn += 1;
                    black_box(crosscheck::crosscheck_cached(&variants[turn % 2], taxonomy, &lang, &mut cache))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
