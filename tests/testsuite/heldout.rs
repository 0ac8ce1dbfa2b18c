//! A held-out set (issue 3): French news sentences written for this test, never seen by the
//! rules' authors while tuning them on the sample, with the figures, dates, speakers and
//! hedges a careful reader finds in them. They sit in one article whose byline dates it
//! Tuesday 12 March 2024, so relative dates resolve against that day.

use factsite::extract::{self, Bound, Extracted, Gazetteer};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::segment;

type Figure = (&'static str, Option<f64>, Option<&'static str>, Bound);

struct Case {
    /// The sentence, alone on its line (a few sentences before it may give context).
    text: &'static str,
    figures: &'static [Figure],
    dates: &'static [(&'static str, Option<&'static str>)],
    speaker: Option<(&'static str, Option<&'static str>)>,
    cues: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        text: "Selon la préfecture, près de 3 200 pompiers ont été mobilisés mardi dans le Var.",
        figures: &[("près de 3 200 pompiers", Some(3200.0), Some("pompiers"), Bound::Approx)],
        dates: &[("mardi", Some("2024-03-12"))],
        speaker: Some(("la préfecture", None)),
        cues: &[],
    },
    Case {
        text: "Le ministre de l’Économie, Bruno Delmas, a affirmé que la croissance atteindrait 1,4 % en 2025.",
        figures: &[("1,4 %", Some(1.4), Some("%"), Bound::Exact)],
        dates: &[("2025", Some("2025"))],
        speaker: Some(("Le ministre de l’Économie, Bruno Delmas", Some("bruno-delmas"))),
        cues: &["atteindrait"],
    },
    Case {
        text: "D’après l’Insee, le chômage a reculé à 7,3 % au troisième trimestre 2023.",
        figures: &[("7,3 %", Some(7.3), Some("%"), Bound::Exact)],
        dates: &[("troisième trimestre 2023", Some("2023"))],
        speaker: Some(("l’Insee", Some("insee"))),
        cues: &[],
    },
    Case {
        text: "Jusqu’à 15 000 spectateurs sont attendus au stade samedi prochain, a indiqué le club.",
        figures: &[("Jusqu’à 15 000 spectateurs", Some(15000.0), Some("spectateurs"), Bound::Upper)],
        dates: &[("samedi prochain", Some("2024-03-16"))],
        speaker: Some(("le club", None)),
        cues: &[],
    },
    Case {
        text: "Des centaines de manifestants se seraient rassemblés devant l’ambassade de Russie hier soir.",
        figures: &[("Des centaines de manifestants", None, Some("manifestants"), Bound::Vague)],
        dates: &[("hier", Some("2024-03-11"))],
        speaker: None,
        cues: &["seraient"],
    },
    Case {
        text: "L’usine pourrait fermer au début de l’année prochaine, selon les syndicats.",
        figures: &[],
        dates: &[("au début de l’année prochaine", Some("2025"))],
        speaker: Some(("les syndicats", None)),
        cues: &["pourrait"],
    },
    Case {
        text: "Il y a trois ans, la commune comptait environ 2.500 habitants.",
        figures: &[("environ 2.500 habitants", Some(2500.0), Some("habitants"), Bound::Approx)],
        dates: &[("Il y a trois ans", Some("2021"))],
        speaker: None,
        cues: &[],
    },
    Case {
        text: "Le porte-parole de l’armée, le colonel Marc Tessier, estime que plus de 40 drones ont été abattus depuis janvier.",
        figures: &[("plus de 40 drones", Some(40.0), Some("drones"), Bound::Lower)],
        dates: &[("janvier", Some("2024-01"))],
        speaker: Some(("Le porte-parole de l’armée, le colonel Marc Tessier", Some("marc-tessier"))),
        cues: &[],
    },
    Case {
        text: "Cette hausse est probablement liée à la sécheresse de l’été dernier, d’après plusieurs agronomes.",
        figures: &[],
        dates: &[("l’été dernier", Some("2023"))],
        speaker: Some(("plusieurs agronomes", None)),
        cues: &["probablement"],
    },
    Case {
        text: "Deux millions de doses ont été livrées en octobre dernier à la Tunisie.",
        figures: &[("Deux millions de doses", Some(2e6), Some("doses"), Bound::Exact)],
        dates: &[("octobre dernier", Some("2023-10"))],
        speaker: None,
        cues: &[],
    },
    Case {
        text: "Le navire, qui transporterait 300 tonnes de céréales, a quitté Odessa le 3 février.",
        figures: &[("300 tonnes", Some(300.0), Some("tonnes"), Bound::Exact)],
        dates: &[("3 février", Some("2024-02-03"))],
        speaker: None,
        cues: &["transporterait"],
    },
    Case {
        text: "Il est possible que la réforme soit reportée à l’automne, a reconnu la ministre Sophie Marchal.",
        figures: &[],
        dates: &[("l’automne", Some("2024"))],
        speaker: Some(("la ministre Sophie Marchal", Some("sophie-marchal"))),
        cues: &["Il est possible"],
    },
    Case {
        text: "Les autorités sanitaires ont recensé 1 250 cas de rougeole en 2023, soit deux fois plus qu’en 2022.",
        figures: &[("1 250 cas", Some(1250.0), Some("cas"), Bound::Exact), ("deux", Some(2.0), None, Bound::Exact)],
        dates: &[("2023", Some("2023")), ("2022", Some("2022"))],
        speaker: Some(("Les autorités sanitaires", None)),
        cues: &[],
    },
    Case {
        text: "Il semble que le suspect ait quitté la France la semaine dernière.",
        figures: &[],
        dates: &[("la semaine dernière", Some("2024-W10"))],
        speaker: None,
        cues: &["Il semble que"],
    },
    Case {
        text: "Le constructeur a vendu 48 000 véhicules électriques l’an dernier, contre 31 000 en 2022.",
        figures: &[
            ("48 000 véhicules", Some(48000.0), Some("véhicules"), Bound::Exact),
            ("31 000", Some(31000.0), None, Bound::Exact),
        ],
        dates: &[("l’an dernier", Some("2023")), ("2022", Some("2022"))],
        speaker: None,
        cues: &[],
    },
    Case {
        text: "Le maire, Paul Girard, a pris la parole devant le conseil. Selon lui, la ville aurait perdu un quart de ses habitants depuis 1990.",
        figures: &[],
        dates: &[("1990", Some("1990"))],
        speaker: Some(("lui", Some("paul-girard"))),
        cues: &["aurait"],
    },
];

fn article() -> String {
    let mut text =
        String::from("Un article pour tenir les règles honnêtes\n\nLe Journal du Soir - mardi 12 mars 2024 18:05\n\n");
    for c in CASES {
        text.push_str(c.text);
        text.push_str("\n\n");
    }
    text
}

#[test]
fn held_out_sentences() {
    let lang = Language::load("fr").unwrap();
    let gaz = Gazetteer::new(lang.entities.clone());
    let text = article();
    let src = Source::from_text("heldout.txt", &text);
    let seg = segment::segment(&src, &lang);
    assert_eq!(seg.meta.outlet.as_deref(), Some("Le Journal du Soir"));
    assert_eq!(seg.meta.published.map(|p| p.iso()).as_deref(), Some("2024-03-12T18:05"));
    let claims = extract::extract(&src, &seg, &lang, &gaz);
    let mut failures = Vec::new();
    for case in CASES {
        // The case's claim: its last sentence.
        let last = case.text.rsplit(". ").next().unwrap();
        let Some(c) = claims.iter().find(|c| c.span.slice(&text) == last) else {
            failures.push(format!("not a claim: {last}"));
            continue;
        };
        let got = summary(c);
        let want = (
            case.figures.iter().map(|f| (f.0.to_string(), f.1, f.2.map(String::from), f.3)).collect::<Vec<_>>(),
            case.dates.iter().map(|d| (d.0.to_string(), d.1.map(String::from))).collect::<Vec<_>>(),
            case.speaker.map(|(t, e)| (t.to_string(), e.map(String::from))),
            case.cues.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
        if got != want {
            failures.push(format!("{last}\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} held-out cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

type Summary = (
    Vec<(String, Option<f64>, Option<String>, Bound)>,
    Vec<(String, Option<String>)>,
    Option<(String, Option<String>)>,
    Vec<String>,
);

fn summary(c: &Extracted) -> Summary {
    (
        c.quantities.iter().map(|q| (q.text.clone(), q.value, q.unit.clone(), q.bound)).collect(),
        c.dates.iter().map(|d| (d.text.clone(), d.value.clone())).collect(),
        c.attribution.as_ref().map(|a| (a.text.clone(), a.entity.clone())),
        c.hedge_cues.clone(),
    )
}
