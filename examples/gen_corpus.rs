//! A synthetic corpus of French news articles, for benchmarks at newsroom-archive scale.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --count N --seed S --out DIR [--hugo DIR]
//! ```
//!
//! Writes a factsite project in `DIR` (`factsite.toml` and `sources/*.txt`) holding `N`
//! articles, and with `--hugo` the same articles as a minimal Hugo site (config, one list and
//! one single-page layout, `content/articles/*.md`; no taxonomies, feeds or sitemap), so that
//! both tools are measured on the same text.
//!
//! Every article is a title line, a byline with outlet and date ("Le Quotidien du Soir - 12 mars
//! 2024 08:30"), then 10 to 25 paragraphs of about 550 words in all, composed from the
//! templates and word lists below: figures written the French way ("30 000", "1.100", "3,5 %",
//! "plusieurs milliers", bounded by "environ", "jusqu'à", "plus de"), absolute and relative
//! dates, invented people, places and institutions, quotations in « » with their speakers,
//! attributions ("selon ...", "a indiqué ...") and sentences in the conditional. Articles are
//! grouped around shared events, several outlets reporting the same one with figures that
//! sometimes disagree, so cross-checking has real work to do.
//!
//! Output is a pure function of the seed: article `i` draws from its own generator seeded by
//! `(seed, i)`, so the same seed and count give the same bytes on every machine. Only the
//! standard library is used (a splitmix64 generator is enough for text).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// splitmix64: tiny, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next() >> 11) % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists. Every name, place, outlet and institution is invented.

const OUTLETS: &[&str] = &[
    "Le Quotidien du Soir",
    "La Gazette de Valmont",
    "L'Écho des Plaines",
    "Le Courrier de Brisac",
    "Radio Cap Horizon",
    "Le Veilleur",
    "Info Mistral",
    "La Dépêche de Sorelle",
    "Le Journal des Deux Rives",
    "Hebdo Littoral",
    "La Voix du Causse",
    "Le Petit Observateur",
];

const PLACES: &[&str] = &[
    "Valmont",
    "Brisac",
    "Sorelle",
    "Castelbrune",
    "Montreval",
    "Arlanges",
    "Vézinac",
    "Kerdavel",
    "Saint-Aubrin",
    "Ploumarec",
    "Lachaume",
    "Ferrandière",
    "Port-Ségur",
    "Belcastel-le-Haut",
    "Orvillers",
    "Marsagne",
    "Trébouzac",
    "Neuvicq-sur-Lère",
    "Aubrac-Saint-Fiel",
    "Locmaven",
];

const REGIONS: &[&str] = &[
    "la région des Hautes-Landelles",
    "le département de la Sorgue",
    "la vallée de la Lère",
    "le littoral de la Côte d'Ambre",
    "le plateau du Causse-Vert",
    "la métropole de Valmont",
];

const COUNTRIES: &[&str] = &["la Borélie", "l'Ostravie", "la République de Tarsane", "la Mérovie"];

/// (first name, feminine)
const FIRST: &[(&str, bool)] = &[
    ("Hélène", true),
    ("Marc", false),
    ("Sofia", true),
    ("Julien", false),
    ("Agathe", true),
    ("Bastien", false),
    ("Nadia", true),
    ("Olivier", false),
    ("Claire", true),
    ("Yanis", false),
    ("Margaux", true),
    ("Thibault", false),
    ("Inès", true),
    ("Rémi", false),
    ("Louise", true),
    ("Gaspard", false),
    ("Élise", true),
    ("Karim", false),
    ("Anouk", true),
    ("Mathis", false),
    ("Capucine", true),
    ("Loïc", false),
    ("Salomé", true),
    ("Armand", false),
];

const LAST: &[&str] = &[
    "Darcourt",
    "Villenave",
    "Bertolan",
    "Malvoisin",
    "Ortegal",
    "Brunelet",
    "Castagnède",
    "Fauvelle",
    "Lemarquis",
    "Roussillat",
    "Tessandier",
    "Aubriot",
    "Kervadec",
    "Monteil-Sarrazin",
    "Pradelles",
    "Quénard",
    "Salvetat",
    "Vidalenc",
    "Belhomme",
    "Corbière-Nadal",
    "Estradère",
    "Guillemard",
    "Hautecoeur",
    "Lagarrigue",
];

/// (masculine, feminine) roles, placed after a name.
const ROLES: &[(&str, &str)] = &[
    ("maire de {L}", "maire de {L}"),
    ("adjoint au maire de {L}", "adjointe au maire de {L}"),
    ("préfet de région", "préfète de région"),
    ("porte-parole de la préfecture", "porte-parole de la préfecture"),
    ("président du conseil départemental", "présidente du conseil départemental"),
    ("député de la circonscription", "députée de la circonscription"),
    ("directeur de l'agence régionale", "directrice de l'agence régionale"),
    ("secrétaire général du syndicat local", "secrétaire générale du syndicat local"),
    ("chercheur à l'université de {L}", "chercheuse à l'université de {L}"),
    ("économiste à l'Institut des études régionales", "économiste à l'Institut des études régionales"),
    ("représentant des riverains", "représentante des riverains"),
    ("conseiller municipal d'opposition", "conseillère municipale d'opposition"),
];

const INSTITUTIONS: &[&str] = &[
    "la préfecture",
    "le conseil départemental",
    "la mairie de {L}",
    "l'Institut des études régionales",
    "l'Observatoire régional des prix",
    "la Cour régionale des comptes",
    "le ministère de l'Aménagement de {C}",
    "l'Agence nationale de la statistique de {C}",
    "le syndicat intercommunal de {L}",
    "la chambre de commerce de {L}",
    "l'inspection générale",
    "le tribunal administratif de {L}",
];

const ANONYMOUS: &[&str] = &[
    "des sources proches du dossier",
    "plusieurs élus de l'opposition",
    "un rapport interne consulté par notre rédaction",
    "des documents budgétaires",
    "les services de l'État",
    "des habitants interrogés sur place",
    "un responsable qui a requis l'anonymat",
    "les chiffres officiels",
];

const VERBS_AFTER: &[&str] = &[
    "a indiqué",
    "a déclaré",
    "a affirmé",
    "a assuré",
    "a précisé",
    "a souligné",
    "a expliqué",
    "a rappelé",
    "a reconnu",
    "estime",
    "affirme",
    "explique",
];

const MONTHS: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const WEEKDAYS: &[&str] = &["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// A subject of coverage: what is counted and who acts on it.
struct Theme {
    /// Noun phrases used in titles and sentences ("la rénovation des logements sociaux").
    subjects: &'static [&'static str],
    /// Countable things, plural, with their gender (true: feminine).
    items: &'static [(&'static str, bool)],
    /// Infinitive phrases: what an institution plans to do.
    actions: &'static [&'static str],
    /// Things that happened, in the passé composé, subject included.
    events: &'static [&'static str],
}

const THEMES: &[Theme] = &[
    Theme {
        subjects: &["la rénovation des logements sociaux", "la crise du logement", "le plan de relogement"],
        items: &[("logements", false), ("familles", true), ("locataires", false), ("demandes en attente", true)],
        actions: &[
            "relancer le chantier",
            "geler les loyers",
            "reloger les familles concernées",
            "réviser le calendrier",
        ],
        events: &[
            "le chantier a été suspendu",
            "les premiers immeubles ont été livrés",
            "le bailleur a revu son budget",
        ],
    },
    Theme {
        subjects: &["la fermeture des urgences de nuit", "l'hôpital intercommunal", "la pénurie de médecins"],
        items: &[("lits", false), ("patients", false), ("infirmières", true), ("postes vacants", false)],
        actions: &[
            "rouvrir le service",
            "recruter des médecins",
            "transférer les patients",
            "financer une nouvelle aile",
        ],
        events: &["le service a fermé ses portes", "une grève a été déclenchée", "l'agence a publié son bilan"],
    },
    Theme {
        subjects: &["la nouvelle ligne de tramway", "le réseau de bus", "la rocade nord"],
        items: &[
            ("voyageurs", false),
            ("kilomètres de voies", false),
            ("rames", true),
            ("places de stationnement", true),
        ],
        actions: &["prolonger la ligne", "baisser le prix du ticket", "accélérer les travaux", "revoir le tracé"],
        events: &["la mise en service a été reportée", "les travaux ont pris du retard", "le marché a été attribué"],
    },
    Theme {
        subjects: &["la qualité de l'eau", "la sécheresse", "la pollution de la Lère"],
        items: &[("foyers", false), ("hectares", false), ("tonnes de déchets", true), ("analyses", true)],
        actions: &["restreindre l'arrosage", "construire une station d'épuration", "indemniser les agriculteurs"],
        events: &[
            "un arrêté de restriction a été pris",
            "des traces de pesticides ont été détectées",
            "la rivière a débordé",
        ],
    },
    Theme {
        subjects: &["la carte scolaire", "la fermeture de classes", "la rénovation des collèges"],
        items: &[("élèves", false), ("classes", true), ("enseignants", false), ("postes", false)],
        actions: &["maintenir les classes", "ouvrir un nouveau collège", "recruter des remplaçants"],
        events: &[
            "trois écoles ont été occupées par des parents",
            "le rectorat a publié la carte",
            "le budget a été voté",
        ],
    },
    Theme {
        subjects: &["la fermeture de l'usine", "le plan social", "l'emploi dans la vallée"],
        items: &[("emplois", false), ("salariés", false), ("entreprises", true), ("contrats", false)],
        actions: &["trouver un repreneur", "financer la reconversion", "maintenir l'activité sur le site"],
        events: &[
            "la direction a annoncé la fermeture",
            "les salariés ont bloqué le site",
            "un repreneur s'est manifesté",
        ],
    },
];

const QUOTES: &[&str] = &[
    "Nous ne laisserons pas la situation se dégrader",
    "Les chiffres parlent d'eux-mêmes : {N} en {Y}",
    "Il n'y a aucune raison de s'inquiéter à ce stade",
    "Nous avons tenu nos engagements, et nous continuerons",
    "Personne ne peut sérieusement contester ces données",
    "C'est une décision prise dans l'urgence, sans concertation",
    "Nous attendons des réponses précises {F}",
    "On nous promet {N}, mais on ne voit rien venir",
    "Le coût réel dépasserait {M}",
    "La hausse atteint {P}, c'est du jamais vu",
    "Nous devons {A}, il n'y a pas d'autre solution",
    "Ce dossier traîne depuis des années",
];

/// Sentence templates. Placeholders: `{N}` a quantity with its noun (`{n}` without a bound
/// such as "environ"), `{e}` the agreement of the
/// last `{N}` ("e" when feminine), `{M}` a sum of money, `{P}` a percentage, `{V}` a vague
/// amount, `{D}` an absolute date, `{T}` a relative date in the past, `{F}` one in the future,
/// `{Y}` a past year, `{Y+}` a coming year, `{W}` any date,
/// `{Who}` a named person, `{WhoR}` a named person with role, `{I}` an institution, `{Sel}` an
/// attribution ("selon ..."), `{Q}` a quotation, `{Verb}` an attribution verb, `{S}` the
/// subject, `{A}` an action, `{E}` an event, `{L}` a place, `{R}` a region, `{C}` a country.
const FACTS: &[&str] = &[
    "{Sel}, {N} ont été recensé{e}s à {L} {W}.",
    "{I} dénombre {N} dans {R}, contre {N} un an plus tôt.",
    "Au total, {N} seraient concerné{e}s par {S}, {Sel}.",
    "Le budget consacré à {S} s'élève à {M}, {Sel}.",
    "{W}, {E}, et {N} ont dû être pris{e}s en charge.",
    "Les dépenses ont progressé de {P} depuis {Y}, d'après les comptes publiés par {I}.",
    "{V} de personnes se sont rassemblées devant la mairie {T}.",
    "Dans {R}, {N} attendent toujours une solution.",
    "Le montant total pourrait atteindre {M} d'ici {Y+}.",
    "{I} a annoncé {T} vouloir {A} avant le {D}.",
    "Le taux de satisfaction a reculé de {P} en un an, {Sel}.",
    "{Sel}, le coût du projet aurait doublé pour atteindre {M}.",
];

const QUOTED: &[&str] = &[
    "« {Q} », {Verb} {WhoR}.",
    "« {Q} », {Verb} {Who} {T}.",
    "{WhoR}, {Verb} : « {Q} ».",
    "Interrogé{f} par notre rédaction, {Who} {Verb} que « {q} ».",
    "« {Q} », résume {Who}, qui suit le dossier depuis {Y}.",
    "Pour {WhoR}, « {q} ».",
];

const HEDGED: &[&str] = &[
    "Les travaux pourraient reprendre {F}, {Sel}.",
    "Près de {n} seraient menacé{e}s si rien n'est fait.",
    "{I} envisagerait de {A} {F}.",
    "Le calendrier serait probablement revu, selon {Anon}.",
    "Il est possible que {N} soient concerné{e}s dès le {D}.",
    "Cette décision aurait été prise {T}, sans consultation préalable, selon {Anon}.",
    "Le chiffre réel serait plus proche de {n}, estime {Who}.",
];

const CONTEXT: &[&str] = &[
    "Le dossier empoisonne la vie politique locale depuis {Y}.",
    "{T}, {E}.",
    "La question avait déjà été soulevée lors du conseil municipal du {D}.",
    "{Who} a rappelé que {E} {T}.",
    "Une réunion publique est prévue le {D} à {L}.",
    "Ce n'est pas la première fois que {S} fait débat à {L}.",
    "À {L}, les habitants disent ne plus savoir qui croire.",
    "L'opposition réclame une commission d'enquête sur {S}.",
];

const TITLES: &[&str] = &[
    "{L} : le débat sur {S} relancé",
    "{N} concerné{e}s à {L}, selon {I}",
    "À {L}, {S} divise les élus",
    "{L} : {I} promet {N} d'ici {Y+}",
    "Pourquoi {S} inquiète les habitants de {L}",
    "{S} : les chiffres contestés de {L}",
    "{L} : ce que l'on sait sur {S}",
];

const BOILERPLATE: &[&str] = &["Partager", "Lire aussi : nos autres articles sur la région", "Laisser un commentaire"];

// ---------------------------------------------------------------------------------------------
// Figures and dates, written the French way.

/// Thousands separated the ways French newsrooms write them: "30 000", "30 000" (no-break
/// space), "1.100", or "4500" without separator.
fn thousands(n: u64, style: usize) -> String {
    let digits = n.to_string();
    if n < 1000 || style == 3 && n < 10_000 {
        return digits;
    }
    let sep = match style {
        0 | 3 => " ",
        1 => "\u{a0}",
        _ => ".",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A round-ish figure of the magnitude a news story gives.
fn figure(rng: &mut Rng, base: u64) -> u64 {
    let spread = rng.range(70, 130);
    let n = base * spread / 100;
    let unit = if n >= 10_000 {
        1000
    } else if n >= 1000 {
        100
    } else {
        10
    };
    (n / unit).max(1) * unit
}

struct Ctx<'a> {
    rng: Rng,
    theme: &'a Theme,
    event: &'a Event,
    place: &'static str,
    region: &'static str,
    country: &'static str,
    year: u64,
    month: usize,
    cast: Vec<Person>,
    feminine: bool,
}

struct Person {
    name: String,
    role: String,
    feminine: bool,
}

/// What several articles report on: the same figure, place and date.
struct Event {
    theme: usize,
    place: &'static str,
    base: u64,
    year: u64,
    month: usize,
    day: u64,
}

fn event(seed: u64, k: usize) -> Event {
    let mut rng = Rng::new(seed, 2, k as u64);
    let base = *rng.pick(&[350, 1200, 4500, 12_000, 30_000, 85_000]);
    Event {
        theme: rng.below(THEMES.len()),
        place: PLACES[rng.below(PLACES.len())],
        base,
        year: rng.range(2021, 2025),
        month: rng.below(12),
        day: rng.range(1, 28),
    }
}

impl Ctx<'_> {
    fn quantity(&mut self, bounded: bool) -> String {
        let (noun, fem) = *self.rng.pick(self.theme.items);
        self.feminine = fem;
        // Most articles give the event's figure; some disagree.
        let n = if self.rng.chance(60) { self.event.base } else { figure(&mut self.rng, self.event.base) };
        let style = self.rng.below(5);
        let bound =
            *self.rng.pick(&["", "", "", "environ ", "près de ", "plus de ", "jusqu'à ", "au moins ", "moins de "]);
        let bound = if bounded { bound } else { "" };
        if bounded && self.rng.chance(8) {
            return format!("{} de {noun}", self.vague());
        }
        format!("{bound}{} {noun}", thousands(n, style))
    }

    fn vague(&mut self) -> String {
        self.rng
            .pick(&[
                "plusieurs milliers",
                "des dizaines de milliers",
                "quelques centaines",
                "plusieurs centaines",
                "une vingtaine",
                "des centaines",
            ])
            .to_string()
    }

    fn money(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("{} millions d'euros", self.rng.range(2, 480)),
            1 => format!("{},{} milliards d'euros", self.rng.range(1, 9), self.rng.range(1, 9)),
            _ => format!("{} euros", thousands(self.rng.range(20, 990) * 1000, self.rng.below(5))),
        }
    }

    fn percent(&mut self) -> String {
        let whole = self.rng.range(1, 45);
        let space = if self.rng.chance(50) { " " } else { "\u{a0}" };
        match self.rng.below(3) {
            0 => format!("{whole},{}{space}%", self.rng.range(1, 9)),
            1 => format!("{whole}{space}%"),
            _ => format!("{whole} pour cent"),
        }
    }

    fn date(&mut self) -> String {
        let day = self.rng.range(1, 28);
        let day = if day == 1 { "1er".to_string() } else { day.to_string() };
        let month = MONTHS[self.rng.below(12)];
        let year = self.year - self.rng.range(0, 1);
        match self.rng.below(3) {
            0 => format!("{day} {month} {year}"),
            1 => format!("{day} {month}"),
            _ => format!("{} {} {}", self.event.day, MONTHS[self.event.month], self.event.year),
        }
    }

    fn relative(&mut self) -> String {
        match self.rng.below(8) {
            0 => "hier".into(),
            1 => "la semaine dernière".into(),
            2 => "le mois dernier".into(),
            3 => format!("en {} dernier", MONTHS[(self.month + 11) % 12]),
            4 => "l'année dernière".into(),
            5 => format!("{} dernier", self.rng.pick(WEEKDAYS)),
            6 => format!("il y a {} mois", self.rng.pick(&["deux", "trois", "six"])),
            _ => "avant-hier".into(),
        }
    }

    fn future(&mut self) -> String {
        match self.rng.below(6) {
            0 => "d'ici la fin de l'année".into(),
            1 => "l'an prochain".into(),
            2 => "dans les prochaines semaines".into(),
            3 => format!("en {} prochain", MONTHS[(self.month + 2) % 12]),
            4 => format!("ce {}", self.rng.pick(WEEKDAYS)),
            _ => "avant l'été".into(),
        }
    }

    fn any_date(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("le {}", self.date()),
            1 => format!("en {} {}", MONTHS[self.rng.below(12)], self.year - self.rng.range(0, 2)),
            _ => self.relative(),
        }
    }

    fn institution(&mut self) -> String {
        let i = *self.rng.pick(INSTITUTIONS);
        self.places(i)
    }

    fn places(&mut self, text: &str) -> String {
        text.replace("{L}", self.place).replace("{R}", self.region).replace("{C}", self.country)
    }

    fn person(&mut self) -> usize {
        self.rng.below(self.cast.len())
    }

    fn selon(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("selon {}", self.institution()),
            1 => {
                let p = self.person();
                format!("selon {}", self.cast[p].name)
            }
            2 => format!("selon {}", self.rng.pick(ANONYMOUS)),
            _ => format!("d'après les chiffres communiqués par {}", self.institution()),
        }
    }

    /// Fill a template; each placeholder draws a fresh value.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() * 2);
        let mut rest = template;
        // The speaker of a sentence, once chosen ("Interrogée ... Hélène Darcourt").
        let mut speaker = None;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("closed placeholder");
            let key = &rest[open + 1..close];
            let value = match key {
                "N" => self.quantity(true),
                "n" => self.quantity(false),
                "e" => if self.feminine { "e" } else { "" }.to_string(),
                "f" => {
                    let p = *speaker.get_or_insert_with(|| self.person());
                    if self.cast[p].feminine { "e" } else { "" }.to_string()
                }
                "M" => self.money(),
                "P" => self.percent(),
                "V" => {
                    let v = self.vague();
                    v[..1].to_uppercase() + &v[1..]
                }
                "D" => self.date(),
                "T" => self.relative(),
                "F" => self.future(),
                "W" => self.any_date(),
                "Y" => (self.year - self.rng.range(1, 4)).to_string(),
                "Y+" => (self.year + self.rng.range(0, 2)).to_string(),
                "Who" => {
                    let p = *speaker.get_or_insert_with(|| self.person());
                    self.cast[p].name.clone()
                }
                "WhoR" => {
                    let p = *speaker.get_or_insert_with(|| self.person());
                    format!("{}, {}", self.cast[p].name, self.cast[p].role)
                }
                "I" => self.institution(),
                "Sel" => self.selon(),
                "Anon" => self.rng.pick(ANONYMOUS).to_string(),
                "Q" | "q" => {
                    let q = *self.rng.pick(QUOTES);
                    let q = self.fill(q);
                    if key == "q" {
                        lower_first(&q)
                    } else {
                        q
                    }
                }
                "Verb" => self.rng.pick(VERBS_AFTER).to_string(),
                "S" => self.rng.pick(self.theme.subjects).to_string(),
                "A" => self.rng.pick(self.theme.actions).to_string(),
                "E" => self.rng.pick(self.theme.events).to_string(),
                "L" => self.place.to_string(),
                "R" => self.region.to_string(),
                "C" => self.country.to_string(),
                other => panic!("unknown placeholder {{{other}}}"),
            };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        upper_first(&elide(&out))
    }

    fn sentence(&mut self, lede: bool) -> String {
        let kind = if lede { 0 } else { self.rng.below(100) };
        let list = match kind {
            0..=34 => FACTS,
            35..=59 => QUOTED,
            60..=79 => HEDGED,
            _ => CONTEXT,
        };
        let t = *self.rng.pick(list);
        self.fill(t)
    }
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some('«') => s.to_string(),
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// French elision: "de ouvrir" → "d'ouvrir", "que « il" → "qu'« il".
fn elide(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(['d', 'q']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let word_start = out.is_empty() || out.ends_with(' ');
        let (word, short) = if rest.starts_with("de ") {
            ("de ", "d'")
        } else if rest.starts_with("que ") {
            ("que ", "qu'")
        } else {
            ("", "")
        };
        if !word.is_empty() && word_start {
            let after = &rest[word.len()..];
            let (quote, next) = match after.strip_prefix("« ") {
                Some(inner) => ("« ", inner),
                None => ("", after),
            };
            if next.starts_with(|c: char| "aeiouéèêâîôAEIOUÉÈÊÂÎÔ".contains(c)) {
                out.push_str(short);
                out.push_str(quote);
                rest = next;
                continue;
            }
        }
        let c = rest.chars().next().expect("found above");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One generated article.
struct Article {
    /// File stem shared by both sites.
    stem: String,
    title: String,
    outlet: &'static str,
    year: u64,
    month: usize,
    day: u64,
    hour: u64,
    minute: u64,
    paragraphs: Vec<String>,
    /// A web-page leftover line and the paragraph it follows, in some articles.
    boilerplate: Option<(usize, &'static str)>,
}

fn article(seed: u64, i: usize, events: &[Event]) -> Article {
    let mut rng = Rng::new(seed, 1, i as u64);
    let event = &events[rng.below(events.len())];
    let theme = &THEMES[event.theme];
    let outlet = *rng.pick(OUTLETS);
    // Published on the event's day or within the next four weeks.
    let mut day = event.day + rng.range(0, 27);
    let mut month = event.month;
    let mut year = event.year;
    if day > 28 {
        day -= 28;
        month += 1;
        if month == 12 {
            month = 0;
            year += 1;
        }
    }
    let (hour, minute) = (rng.range(6, 22), rng.range(0, 59));
    let region = *rng.pick(REGIONS);
    let country = *rng.pick(COUNTRIES);
    let mut cast = Vec::new();
    for _ in 0..rng.range(2, 4) {
        let (first, feminine) = *rng.pick(FIRST);
        let last = *rng.pick(LAST);
        let (m, f) = *rng.pick(ROLES);
        let role = if feminine { f } else { m };
        cast.push(Person {
            name: format!("{first} {last}"),
            role: role.replace("{L}", event.place).replace("{R}", region),
            feminine,
        });
    }
    let mut ctx = Ctx { rng, theme, event, place: event.place, region, country, year, month, cast, feminine: false };
    let t = *ctx.rng.pick(TITLES);
    let title = ctx.fill(t);

    let count = ctx.rng.range(10, 25) as usize;
    let target = ctx.rng.range(520, 580) as usize;
    let mut paragraphs = Vec::with_capacity(count);
    let mut words = 0;
    for p in 0..count {
        let quota = (target.saturating_sub(words)) / (count - p);
        let mut para = String::new();
        let mut para_words = 0;
        while para_words == 0 || para_words + 8 < quota {
            let s = ctx.sentence(p == 0 && para.is_empty());
            para_words += s.split_whitespace().count();
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&s);
        }
        words += para_words;
        paragraphs.push(para);
    }
    let boilerplate = if ctx.rng.chance(30) { Some((ctx.rng.below(count), *ctx.rng.pick(BOILERPLATE))) } else { None };
    let stem = format!("{i:06}-{}", slug(&title, 48));
    Article { stem, title, outlet, year, month, day, hour, minute, paragraphs, boilerplate }
}

/// ASCII file-name slug of a title.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let folded = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if folded == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(folded);
        if out.len() >= max {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

impl Article {
    fn byline(&self) -> String {
        format!(
            "{} - {} {} {} {:02}:{:02}",
            self.outlet, self.day, MONTHS[self.month], self.year, self.hour, self.minute
        )
    }

    /// The article as a plain-text source: title, byline, paragraphs, blank lines between.
    fn text(&self) -> String {
        let mut out = String::with_capacity(4096);
        let _ = write!(out, "{}\n\n{}\n\n", self.title, self.byline());
        for (i, p) in self.paragraphs.iter().enumerate() {
            out.push_str(p);
            out.push_str("\n\n");
            if let Some((after, line)) = self.boilerplate {
                if after == i {
                    out.push_str(line);
                    out.push_str("\n\n");
                }
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// The article as Hugo content: TOML front matter, then the paragraphs as Markdown.
    fn markdown(&self) -> String {
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            "+++\ntitle = \"{}\"\ndate = {}-{:02}-{:02}T{:02}:{:02}:00+01:00\noutlet = \"{}\"\n+++\n\n",
            toml_escape(&self.title),
            self.year,
            self.month + 1,
            self.day,
            self.hour,
            self.minute,
            toml_escape(self.outlet)
        );
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

const FACTSITE_TOML: &str = r#"# A synthetic corpus written by examples/gen_corpus.rs, for benchmarks.
title = "Corpus synthétique"
description = "Des articles de presse générés pour mesurer factsite à l'échelle d'une archive."
base_url = "http://127.0.0.1:1111"
language = "fr"
sources_dir = "sources"
content_dir = "content"
templates_dir = "templates"
output_dir = "public"
"#;

const HUGO_TOML: &str = r#"baseURL = "http://127.0.0.1:1313/"
languageCode = "fr"
title = "Corpus synthétique"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
"#;

const HUGO_LIST: &str = r#"<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.outlet }}, {{ .Date.Format "2006-01-02" }})</li>
{{ end }}</ul>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Params.outlet }}, {{ .Date.Format "2006-01-02 15:04" }}</p>
{{ .Content }}
</article>
</body>
</html>
"#;

struct Options {
    count: usize,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let (mut count, mut seed, mut out, mut hugo) = (None, 1u64, None, None);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--count" => count = Some(value()?.parse::<usize>().map_err(|e| format!("--count: {e}"))?),
            "--seed" => seed = value()?.parse::<u64>().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Options { count: count.ok_or("--count is required")?, seed, out: out.ok_or("--out is required")?, hugo })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn mkdir(path: &Path) -> Result<(), String> {
    std::fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Write a factsite project of `count` articles in `out` (and the same articles as a Hugo site
/// in `hugo`); returns the bytes of source text written. Public so that benchmarks can
/// include this file (`#[path]`) and generate their corpus in-process.
pub fn write_project(out: &Path, count: usize, seed: u64, hugo: Option<&Path>) -> Result<usize, String> {
    let sources = out.join("sources");
    mkdir(&sources)?;
    write(&out.join("factsite.toml"), FACTSITE_TOML)?;
    let articles_dir = hugo.map(|h| h.join("content").join("articles"));
    if let Some(h) = hugo {
        mkdir(articles_dir.as_ref().expect("set with hugo"))?;
        mkdir(&h.join("layouts").join("_default"))?;
        write(&h.join("hugo.toml"), HUGO_TOML)?;
        write(&h.join("layouts/_default/list.html"), HUGO_LIST)?;
        write(&h.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    }
    // About eight articles per event: enough overlap for cross-checking at every size.
    let events: Vec<Event> = (0..count.div_ceil(8).max(1)).map(|k| event(seed, k)).collect();
    let mut bytes = 0usize;
    for i in 0..count {
        let a = article(seed, i, &events);
        let text = a.text();
        bytes += text.len();
        write(&sources.join(format!("{}.txt", a.stem)), &text)?;
        if let Some(dir) = &articles_dir {
            write(&dir.join(format!("{}.md", a.stem)), &a.markdown())?;
        }
    }
    Ok(bytes)
}

fn run(o: &Options) -> Result<(), String> {
    let bytes = write_project(&o.out, o.count, o.seed, o.hugo.as_deref())?;
    eprintln!("wrote {} articles ({:.1} MB of text) to {}", o.count, bytes as f64 / 1e6, o.out.display());
    Ok(())
}

fn main() -> ExitCode {
    let usage = "usage: gen_corpus --count N [--seed S] --out DIR [--hugo DIR]";
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_corpus: {e}");
            }
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_the_french_way() {
        assert_eq!(thousands(30_000, 0), "30 000");
        assert_eq!(thousands(1_100, 2), "1.100");
        assert_eq!(thousands(4_500, 3), "4500");
        assert_eq!(thousands(1_234_567, 1), "1\u{a0}234\u{a0}567");
        assert_eq!(thousands(950, 0), "950");
    }

    #[test]
    fn same_seed_same_article() {
        let events: Vec<Event> = (0..4).map(|k| event(7, k)).collect();
        assert_eq!(article(7, 3, &events).text(), article(7, 3, &events).text());
        assert_ne!(article(7, 3, &events).text(), article(8, 3, &events).text());
    }

    #[test]
    fn articles_have_the_requested_shape() {
        let events: Vec<Event> = (0..16).map(|k| event(1, k)).collect();
        for i in 0..50 {
            let a = article(1, i, &events);
            assert!((10..=25).contains(&a.paragraphs.len()));
            let words: usize = a.paragraphs.iter().map(|p| p.split_whitespace().count()).sum();
            assert!((450..=700).contains(&words), "article {i}: {words} words");
            assert!(!a.text().contains('{'), "article {i} has an unfilled placeholder");
        }
    }
}
