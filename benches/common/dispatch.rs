//! The generated French news dispatch of `benches/rebuild.rs` and
//! `examples/crosscheck_profile.rs` (included by both with `#[path]`): made up from a small
//! table of words and figures that vary with the dispatch's number.

const PLACES: &[&str] =
    &["Valmont", "Saint-Arlac", "Brévine", "Lorsac", "Montaigu-sur-Velle", "Cerdanne", "Haut-Lisor"];
const BODIES: &[&str] =
    &["le ministère de l'Intérieur", "la préfecture", "l'agence régionale de santé", "la mairie", "les pompiers"];
const THINGS: &[(&str, &str)] = &[
    ("personnes", "ont été évacuées"),
    ("logements", "seraient privés d'électricité"),
    ("hectares", "ont brûlé"),
    ("élèves", "ont été accueillis dans des gymnases"),
    ("véhicules", "ont été endommagés"),
];
const MONTHS: &[&str] = &["janvier", "mars", "mai", "juillet", "septembre", "novembre"];

/// One generated dispatch: a title, a byline with a date, three paragraphs of claims; `edit`
/// changes its first figure.
pub fn article(i: usize, edit: usize) -> String {
    let place = PLACES[i % PLACES.len()];
    let body = BODIES[(i / 7) % BODIES.len()];
    let (noun, verb) = THINGS[(i / 3) % THINGS.len()];
    let month = MONTHS[i % MONTHS.len()];
    let n = 100 + (i * 37) % 9000 + edit;
    format!(
        "Intempéries à {place} : le bilan s'alourdit (dépêche {i})\n\n\
         Par la rédaction, le 12 {month} 2024\n\n\
         Selon {body}, {n} {noun} {verb} à {place} depuis lundi.\n\n\
         Le maire a indiqué que {} habitants seraient encore sans eau potable, et que les écoles resteraient fermées jusqu'au {} {month}.\n\n\
         D'après un rapport publié en {month} 2023, la commune avait déjà connu des crues comparables, avec près de {} sinistrés.\n",
        n / 3 + 12,
        (i % 27) + 1,
        n * 2 + 5
    )
}
