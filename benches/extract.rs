//! Segmentation plus extraction throughput on a few MB of French news text, built here from
//! varied sentences (titles, bylines, headings, bullets, prose with figures, dates, speakers
//! and hedges). Run: `cargo bench --bench extract`; throughput is reported in bytes/s.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use factsite::extract::{self, Gazetteer};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::segment;
use std::hint::black_box;

// The allocator of the `factsite` binary, so that the bench measures what a build runs: with
// the system allocator, a fifth of the time went to its bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SENTENCES: &[&str] = &[
    "Le gouvernement a annoncé mardi un plan de 2,5 milliards d’euros pour la rénovation des écoles.",
    "Selon le ministère de l’Intérieur, près de 12 400 personnes ont manifesté à Lyon samedi dernier.",
    "La ministre Claire Vautrin a indiqué que les travaux débuteraient au printemps 2026.",
    "Plus de 300 entreprises auraient déjà déposé un dossier, d’après la chambre de commerce.",
    "Le barrage pourrait céder si les pluies continuent, estiment les ingénieurs de la préfecture.",
    "En 2023, la région comptait environ 1,2 million d’habitants, soit 3,5 % de plus qu’en 2013.",
    "« Nous ne reculerons pas », a déclaré le maire, Jean-Paul Ferrand, devant le conseil municipal.",
    "Des dizaines de milliers de colis sont bloqués dans les entrepôts depuis le mois dernier.",
    "Ferrand a ensuite précisé que la ville financerait jusqu’à 40 % du projet.",
    "Les syndicats affirment que 8 000 postes seront supprimés d’ici la fin de l’année 2027.",
    "Il semble que le navire ZR-40 ait quitté le port de Brest il y a plus de deux semaines.",
    "La Commission européenne a infligé une amende de 450 millions d’euros au groupe, selon Reuters.",
    "Le taux de chômage a baissé au second semestre 2024, selon l’Insee, pour atteindre 7,1 %.",
    "Berlin et Paris ont signé l’accord le 14 mars 2022 à Bruxelles, en présence du président.",
    "Les experts jugent probable une hausse des prix de l’énergie à l’automne prochain.",
    "Près de 900 hectares de forêt ont brûlé dans le Var, a rapporté la préfecture jeudi.",
    "Cette décision, prise en juin dernier, serait contestée devant le Conseil d’État.",
    "Le réseau ferroviaire transporte quelque 5 millions de voyageurs par jour en Île-de-France.",
    "D’après l’OMS, au moins 14 pays ont signalé des cas depuis le début de l’été.",
    "Le groupe a vendu 1.250 véhicules électriques en janvier, un record selon son directeur.",
];

const HEADINGS: &[&str] =
    &["Une rentrée sous tension", "Les chiffres du ministère", "Et maintenant ?", "Réactions à l’étranger"];
const TITLES: &[&str] = &[
    "La ville lance un vaste plan de rénovation des écoles",
    "Inondations : le barrage sous surveillance renforcée",
    "Chômage : une baisse confirmée au second semestre",
];

/// About `target` bytes of articles.
fn corpus(target: usize) -> String {
    let mut out = String::with_capacity(target + 4096);
    let mut k = 0usize;
    while out.len() < target {
        out.push_str(TITLES[k % TITLES.len()]);
        out.push_str("\n\nLe Courrier du Matin - ");
        out.push_str(&format!("{} juin 2025 {:02}:{:02}\n\n", 1 + k % 28, 8 + k % 12, k % 60));
        for p in 0..6 {
            if p % 3 == 2 {
                out.push_str(HEADINGS[(k + p) % HEADINGS.len()]);
                out.push('\n');
            }
            if p == 4 {
                for b in 0..3 {
                    out.push_str("- ");
                    out.push_str(SENTENCES[(k * 7 + b) % SENTENCES.len()]);
                    out.push('\n');
                }
            }
            for s in 0..5 {
                out.push_str(SENTENCES[(k * 3 + p * 5 + s) % SENTENCES.len()]);
                out.push(' ');
            }
            out.push_str("\n\n");
        }
        out.push_str("Partager\n\n");
        k += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let lang = Language::load("fr").unwrap();
    let gazetteer = Gazetteer::new(lang.entities.clone());
    let text = corpus(4 << 20);
    let source = Source::from_text("bench.txt", &text);
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("segment+extract 4 MB French", |b| {
        b.iter(|| {
            let seg = segment::segment(black_box(&source), &lang);
            let claims = extract::extract(&source, &seg, &lang, &gazetteer);
            black_box(claims.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
