//! Claim extraction on the sample corpus (issue 3): what a careful reader finds in the five
//! seed articles: every figure with its value and bound, the dates, the speakers, the hedged
//! and the firm claims, and the lines that are not prose. The sample's names live here, in
//! the tests, never in `src/`.

use crate::support::{repo, TestProject};
use factsite::extract::{self, Bound, Extracted, Gazetteer};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::segment::{self, LineKind, Segmented};

struct Doc {
    text: String,
    seg: Segmented,
    claims: Vec<Extracted>,
}

fn doc(name: &str) -> Doc {
    let lang = Language::load("fr").unwrap();
    let gaz = Gazetteer::new(lang.entities.clone());
    let text = std::fs::read_to_string(repo().join("seeds").join(name)).unwrap();
    let src = Source::from_text(&format!("seeds/{name}"), &text);
    let seg = segment::segment(&src, &lang);
    let claims = extract::extract(&src, &seg, &lang, &gaz);
    Doc { text, seg, claims }
}

impl Doc {
    /// The one claim whose quote contains `words`.
    fn claim(&self, words: &str) -> &Extracted {
        let found: Vec<&Extracted> = self.claims.iter().filter(|c| c.span.slice(&self.text).contains(words)).collect();
        assert_eq!(found.len(), 1, "one claim should contain {words:?}, found {}", found.len());
        found[0]
    }

    fn kinds(&self, kind: LineKind) -> Vec<usize> {
        self.seg.lines.iter().filter(|l| l.kind == kind).map(|l| l.number).collect()
    }

    /// Every figure of the article, in order: (text, value, unit, bound).
    fn figures(&self) -> Vec<(String, Option<f64>, Option<String>, Bound)> {
        self.claims
            .iter()
            .flat_map(|c| c.quantities.iter().map(|q| (q.text.clone(), q.value, q.unit.clone(), q.bound)))
            .collect()
    }
}

fn fig(text: &str, value: Option<f64>, unit: &str, bound: Bound) -> (String, Option<f64>, Option<String>, Bound) {
    (text.to_string(), value, Some(unit.to_string()), bound)
}

fn speaker(c: &Extracted) -> (Option<&str>, Option<&str>) {
    match &c.attribution {
        Some(a) => (Some(a.text.as_str()), a.entity.as_deref()),
        None => (None, None),
    }
}

fn date_values(c: &Extracted) -> Vec<(&str, Option<&str>)> {
    c.dates.iter().map(|d| (d.text.as_str(), d.value.as_deref())).collect()
}

const SEEDS: [&str; 5] = [
    "000_e63c329ba4ad4ad0.txt",
    "001_4fefc9d52be29d23.txt",
    "002_508add9b65c0fc47.txt",
    "003_e22aff4781dc4c83.txt",
    "004_62b3f2f0d1464e37.txt",
];

#[test]
fn claims_are_exact_quotes_inside_one_content_line() {
    for name in SEEDS {
        let d = doc(name);
        assert!(!d.claims.is_empty(), "{name}");
        for c in &d.claims {
            let line = d
                .seg
                .lines
                .iter()
                .find(|l| l.span.contains(c.span))
                .unwrap_or_else(|| panic!("{name}: claim crosses lines"));
            assert!(line.kind.is_content(), "{name}: claim on a {:?} line", line.kind);
            let quote = c.span.slice(&d.text);
            assert_eq!(quote, quote.trim(), "{name}: untrimmed quote");
            assert!((0.0..=1.0).contains(&c.score));
        }
        let mut starts: Vec<usize> = d.claims.iter().map(|c| c.span.start).collect();
        starts.dedup();
        assert_eq!(starts.len(), d.claims.len(), "{name}: overlapping claims");
    }
}

#[test]
fn non_prose_lines_of_each_article() {
    let d = doc(SEEDS[0]);
    assert_eq!(d.kinds(LineKind::Title), [1]);
    assert_eq!(d.kinds(LineKind::Byline), [3]);
    assert_eq!(d.kinds(LineKind::Boilerplate), [7]);
    assert_eq!(d.kinds(LineKind::Prose), [5]);

    let d = doc(SEEDS[1]);
    assert_eq!(d.kinds(LineKind::Boilerplate), [1, 25, 27]);
    assert_eq!(d.kinds(LineKind::Title), [3]);
    assert_eq!(d.kinds(LineKind::Heading), [7, 10, 15, 22]);
    assert!(d.kinds(LineKind::Byline).is_empty());

    let d = doc(SEEDS[2]);
    assert_eq!(d.kinds(LineKind::Title), [1]);
    assert!(d.kinds(LineKind::Heading).is_empty());

    let d = doc(SEEDS[3]);
    assert_eq!(d.kinds(LineKind::Heading), [1, 7, 10, 15]);
    assert_eq!(d.kinds(LineKind::Bullet), [2, 3, 4]);
    assert!(d.kinds(LineKind::Title).is_empty());

    let d = doc(SEEDS[4]);
    assert_eq!(d.kinds(LineKind::Heading), [2, 4, 6]);
    assert_eq!(d.kinds(LineKind::Boilerplate), [8]);
    assert_eq!(d.kinds(LineKind::Prose), [1, 3, 5, 7]);
}

#[test]
fn the_byline_gives_outlet_and_publication_date() {
    let d = doc(SEEDS[0]);
    assert_eq!(d.seg.meta.outlet.as_deref(), Some("Chas Pravdy"));
    assert_eq!(d.seg.meta.published.map(|p| p.iso()).as_deref(), Some("2025-06-26T13:16"));
    assert!(d.seg.meta.title.as_deref().unwrap().starts_with("La Corée du Nord pourrait envoyer"));
    for name in &SEEDS[1..] {
        assert_eq!(doc(name).seg.meta.published, None, "{name} states no date");
    }
}

#[test]
fn every_figure_of_every_article() {
    assert!(doc(SEEDS[0]).figures().is_empty());
    assert_eq!(
        doc(SEEDS[1]).figures(),
        [
            fig("des dizaines de milliers de soldats", None, "soldats", Bound::Vague),
            fig("environ 11 000 soldats", Some(11000.0), "soldats", Bound::Approx),
            fig("3 000 autres", Some(3000.0), "soldats", Bound::Exact),
        ]
    );
    assert_eq!(
        doc(SEEDS[2]).figures(),
        [
            fig("environ 1.100 pertes", Some(1100.0), "pertes", Bound::Approx),
            fig("170 mm", Some(170.0), "mm", Bound::Exact),
            fig("plusieurs milliers de soldats", None, "soldats", Bound::Vague),
        ]
    );
    assert_eq!(
        doc(SEEDS[3]).figures(),
        [
            fig("Jusqu’à 30 000 soldats", Some(30000.0), "soldats", Bound::Upper),
            fig("des dizaines de milliers de conteneurs", None, "conteneurs", Bound::Vague),
            fig("jusqu’à 30 000 soldats", Some(30000.0), "soldats", Bound::Upper),
            fig("environ 4 000 soldats", Some(4000.0), "soldats", Bound::Approx),
            fig("des dizaines de milliers de conteneurs", None, "conteneurs", Bound::Vague),
        ]
    );
    assert_eq!(
        doc(SEEDS[4]).figures(),
        [
            fig("12 000 soldats", Some(12000.0), "soldats", Bound::Exact),
            fig("3 000 militaires", Some(3000.0), "militaires", Bound::Exact),
            fig("10 000 soldats", Some(10000.0), "soldats", Bound::Exact),
        ]
    );
}

#[test]
fn dates_resolve_against_the_byline_only() {
    let d = doc(SEEDS[0]);
    let c = d.claim("au second semestre 2023");
    assert_eq!(c.dates[0].text, "second semestre 2023");
    assert_eq!(c.dates[0].range, Some(["2023-07".to_string(), "2023-12".to_string()]));
    assert_eq!(date_values(d.claim("juin dernier")), [("juin dernier", Some("2024-06"))]);
    let summer = d.claim("remonte à l'été dernier");
    assert_eq!(date_values(summer), [("l'été dernier", Some("2024"))]);
    assert_eq!(summer.dates[0].range, Some(["2024-06".to_string(), "2024-08".to_string()]));
    assert_eq!(
        date_values(d.claim("est prévu pour juillet ou août")),
        [("juillet", Some("2025-07")), ("août", Some("2025-08"))]
    );

    let d = doc(SEEDS[1]);
    let c = d.claim("à l’automne 2024");
    assert_eq!(date_values(c), [("l’automne 2024", Some("2024")), ("au début de l’année 2025", Some("2025"))]);
    assert_eq!(c.dates[0].range, Some(["2024-09".to_string(), "2024-11".to_string()]));

    // No byline: relative dates stay unresolved, never read against today's date.
    assert_eq!(date_values(doc(SEEDS[2]).claim("signé en juin")), [("juin", None)]);
    let d = doc(SEEDS[3]);
    assert_eq!(date_values(d.claim("il y a plus d’un an")), [("il y a plus d’un an", None)]);
    assert_eq!(date_values(d.claim("Au début de l’année")), [("Au début de l’année", None)]);
    assert_eq!(date_values(d.claim("Ilyushin-76")), [("l’année dernière", None)]);
    let d = doc(SEEDS[4]);
    assert_eq!(date_values(d.claim("septembre 2023")), [("septembre 2023", Some("2023-09"))]);
    assert_eq!(date_values(d.claim("sonné l’alarme lundi")), [("lundi", None)]);
}

#[test]
fn speakers_are_named_and_resolved() {
    let d = doc(SEEDS[0]);
    assert_eq!(
        speaker(d.claim("Selon des journalistes internationaux")),
        (Some("des journalistes internationaux"), None)
    );
    assert_eq!(
        speaker(d.claim("a indiqué que les services")),
        (Some("Le député sud-coréen Lee Song-kwon"), Some("lee-song-kwon"))
    );
    // "selon lui": the person named just before.
    assert_eq!(speaker(d.claim("Selon lui")), (Some("lui"), Some("lee-song-kwon")));
    assert_eq!(speaker(d.claim("Selon certaines sources")).0, Some("certaines sources"));
    assert_eq!(speaker(d.claim("les experts soulignent")).0, Some("les experts"));
    // The outlet's own statements.
    assert_eq!(speaker(d.claim("Par ailleurs, la possibilité")), (None, None));

    let d = doc(SEEDS[1]);
    assert_eq!(speaker(d.claim("Les espions estiment")).0, Some("Les espions"));
    assert_eq!(
        speaker(d.claim("Le régime nord-coréen affirme")),
        (Some("Le régime nord-coréen"), Some("coree-du-nord"))
    );
    assert_eq!(
        speaker(d.claim("Plusieurs rapports de presse")).0,
        Some("Plusieurs rapports de presse, ainsi que les services de renseignement sud-coréens et américains")
    );

    let d = doc(SEEDS[2]);
    assert_eq!(speaker(d.claim("environ 1.100 pertes")), (Some("l’état-major sud-coréen"), Some("coree-du-sud")));
    assert_eq!(speaker(d.claim("Séoul indique")), (Some("Séoul"), Some("coree-du-sud")));
    assert_eq!(
        speaker(d.claim("selon des déclarations ukrainiennes")),
        (Some("des déclarations ukrainiennes"), Some("ukraine"))
    );
    assert_eq!(speaker(d.claim("Les services secrets sud-coréens")).0, Some("Les services secrets sud-coréens"));

    let d = doc(SEEDS[3]);
    assert_eq!(
        speaker(d.claim("cité par des responsables")).0,
        Some("des responsables des services de renseignement ukrainiens et des sources de sécurité occidentales")
    );
    assert_eq!(
        speaker(d.claim("Selon les évaluations")).0,
        Some("les évaluations des services de renseignement ukrainiens")
    );
    assert_eq!(
        speaker(d.claim("les renseignements militaires ukrainiens indiquent")).0,
        Some("les renseignements militaires ukrainiens")
    );
    assert_eq!(speaker(d.claim("médias d’État nord-coréens ont reconnu")).0, Some("les médias d’État nord-coréens"));

    let d = doc(SEEDS[4]);
    assert_eq!(
        speaker(d.claim("12 000 soldats")),
        (Some("Le président ukrainien Volodymyr Zelensky"), Some("volodymyr-zelensky"))
    );
    assert_eq!(speaker(d.claim("10 000 soldats")), (Some("Le Pentagone"), Some("pentagone")));
    assert_eq!(speaker(d.claim("3 000 militaires")).0, Some("Les services de renseignement ukrainiens"));
    assert_eq!(speaker(d.claim("Les données convergent")), (None, None));
}

#[test]
fn hedged_and_firm_claims() {
    let cues = |c: &Extracted| c.hedge_cues.clone();
    let d = doc(SEEDS[0]);
    assert_eq!(
        cues(d.claim("fournirait probablement")),
        ["Selon certaines sources", "fournirait", "probablement", "pourrait"]
    );
    assert_eq!(cues(d.claim("Des médias et des agences")), ["pourrait", "il est possible"]);
    assert!(!d.claim("a indiqué que les services").hedged);
    assert!(!d.claim("Des sources diplomatiques").hedged);

    let d = doc(SEEDS[1]);
    assert_eq!(cues(d.claim("Ces soldats occuperaient")), ["occuperaient"]);
    assert_eq!(cues(d.claim("auraient été mal préparés")), ["auraient"]);
    assert_eq!(cues(d.claim("Poutine aurait remercié")), ["aurait"]);
    assert!(!d.claim("a officiellement confirmé le déploiement").hedged);
    assert!(!d.claim("environ 11 000 soldats").hedged);

    let d = doc(SEEDS[2]);
    assert_eq!(cues(d.claim("environ 1.100 pertes")), ["auraient"]);
    assert_eq!(cues(d.claim("seraient engagées")), ["seraient"]);
    assert!(!d.claim("170 mm").hedged);

    let d = doc(SEEDS[3]);
    assert_eq!(cues(d.claim("Jusqu’à 30 000 soldats nord-coréens pourraient")), ["pourraient"]);
    assert_eq!(cues(d.claim("seront probablement déployées")), ["probablement"]);
    assert_eq!(
        cues(d.claim("jusqu’à 30 000 soldats supplémentaires")),
        ["Des rapports suggèrent", "pourrait", "renforcerait"]
    );
    assert_eq!(cues(d.claim("triplerait presque")), ["potentiel", "triplerait"]);
    assert_eq!(cues(d.claim("sont susceptibles")), ["susceptibles d’"]);
    assert_eq!(cues(d.claim("il semble que")), ["il semble que"]);
    assert_eq!(cues(d.claim("environ 4 000 soldats")), ["auraient"]);
    assert!(!d.claim("a également fourni à la Russie des dizaines").hedged);

    let d = doc(SEEDS[4]);
    for firm in ["12 000 soldats", "3 000 militaires", "10 000 soldats", "septembre 2023"] {
        assert!(!d.claim(firm).hedged, "{firm}");
    }
    assert_eq!(cues(d.claim("des généraux nord-coréens pourraient")), ["pourraient"]);
}

#[test]
fn entities_fold_aliases_and_find_names() {
    let ids = |c: &Extracted| c.entities.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    let d = doc(SEEDS[0]);
    // Capitals stand for their state.
    assert_eq!(ids(d.claim("Par ailleurs")), ["coree-du-nord", "russie"]);
    assert!(ids(d.claim("des militaires de la RPDC")).contains(&"coree-du-nord".to_string()));
    let d = doc(SEEDS[3]);
    let kinds = |c: &Extracted| c.entities.iter().map(|e| (e.id.clone(), e.kind.clone())).collect::<Vec<_>>();
    assert!(kinds(d.claim("Pantsir-S1")).contains(&("pantsir-s1".into(), "weapon".into())));
    assert!(kinds(d.claim("KN-23")).contains(&("kn-23".into(), "weapon".into())));
    let d = doc(SEEDS[4]);
    // A surname alone folds to the full name seen earlier.
    let z = d.claim("Zelensky anticipe");
    assert_eq!(z.entities[0].id, "volodymyr-zelensky");
    assert_eq!(z.entities[0].text, "Zelensky");
    assert!(ids(d.claim("Le Pentagone")).contains(&"pentagone".to_string()));
}

#[test]
fn titles_and_headings_are_never_claims_in_the_built_report() {
    let p = TestProject::sample();
    p.build();
    let report = p.json("claims.json");
    let sources = report["sources"].as_array().unwrap();
    let first = sources.iter().find(|s| s["path"].as_str().unwrap().ends_with(SEEDS[0])).unwrap();
    assert_eq!(first["published"], "2025-06-26T13:16");
    assert_eq!(first["outlet"], "Chas Pravdy");
    for s in sources {
        let non: Vec<u64> =
            s["non_content_lines"].as_array().unwrap().iter().map(|l| l["line"].as_u64().unwrap()).collect();
        for c in report["claims"].as_array().unwrap().iter().filter(|c| c["source"] == s["id"]) {
            let line = c["lines"][0].as_u64().unwrap();
            assert!(!non.contains(&line), "claim on non-content line {line}");
        }
    }
    let claims = report["claims"].as_array().unwrap();
    let selon_lui = claims.iter().find(|c| c["quote"].as_str().unwrap().starts_with("Selon lui")).unwrap();
    assert_eq!(selon_lui["attribution"]["entity"], "lee-song-kwon");
    assert_eq!(selon_lui["hedged"], false);
}
