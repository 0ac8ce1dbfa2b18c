//! Topics: the editor's taxonomy when the project has one (keywords stemmed at load, the words
//! around a claim's figures weighing more than the rest of the sentence), else automatic
//! grouping: TF-IDF vectors over content stems, counted nouns and entities, seeded by the
//! terms that cover most claims, refined by a few nearest-centroid passes, and labelled by
//! their heaviest words. Both are deterministic and linear in the number of claims.

use super::claims::{Claim, Reader};
use super::Topic;
use crate::lang::Language;
use crate::read::slugify;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One topic of an editor's taxonomy.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    /// Stable id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Words whose stems place a claim in this topic.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words that place a claim here only next to a figure: counted nouns that are also
    /// common adjectives ("2 500 militaires", not "la coopération militaire").
    #[serde(default)]
    pub figure_keywords: Vec<String>,
}

/// The editor's taxonomy, from `content/topics.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Topics, in display order.
    #[serde(rename = "topic")]
    pub topics: Vec<TopicDef>,
}

/// How much more a keyword counts next to a figure than elsewhere in the sentence: the
/// counted thing says what a figure is about ("1 100 pertes" in a sentence about troops).
const FIGURE_WEIGHT: usize = 3;
/// Weight of a counted noun's class and of an entity in automatic grouping.
const MEASURE_WEIGHT: f64 = 2.0;
const ENTITY_WEIGHT: f64 = 0.5;
/// Nearest-centroid passes of automatic grouping.
const PASSES: usize = 4;
/// Below this similarity to every centroid a claim goes to the catch-all topic.
const MIN_SIMILARITY: f64 = 0.05;

/// The id of the catch-all topic.
pub const OTHER: &str = "other";

/// Topics, and the index in them of each claim's topic.
pub fn group(
    claims: &[Claim],
    taxonomy: Option<&Taxonomy>,
    lang: &Language,
    reader: &Reader,
) -> (Vec<Topic>, Vec<usize>) {
    let (mut topics, auto): (Vec<Topic>, Vec<Option<usize>>) = match taxonomy.filter(|t| !t.topics.is_empty()) {
        Some(t) => (t.topics.iter().map(|d| topic(&d.id, &d.label)).collect(), by_keywords(claims, t, reader)),
        None => {
            let ignored: BTreeSet<String> =
                lang.crosscheck.topic_ignored.iter().map(|w| super::rules::stem(reader.stemmer(), w)).collect();
            automatic(claims, &entity_words(claims, lang, reader), &ignored)
        }
    };
    let mut of = Vec::with_capacity(claims.len());
    for (c, auto) in claims.iter().zip(auto) {
        // An editor's topic wins, even one the taxonomy does not list.
        let t = match c.record.review.topic.as_deref() {
            Some(id) => find_or_add(&mut topics, id, id),
            None => match auto {
                Some(t) => t,
                None => find_or_add(&mut topics, OTHER, lang.ui.get("topic_other")),
            },
        };
        topics[t].claims.push(c.record.id.clone());
        of.push(t);
    }
    // Drop empty topics, keeping indices right.
    let keep: Vec<bool> = topics.iter().map(|t| !t.claims.is_empty()).collect();
    let mut new_index = vec![usize::MAX; topics.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_index[i] = n;
            n += 1;
        }
    }
    topics.retain(|t| !t.claims.is_empty());
    (topics, of.into_iter().map(|t| new_index[t]).collect())
}

fn topic(id: &str, label: &str) -> Topic {
    Topic { id: id.to_string(), label: label.to_string(), claims: Vec::new() }
}

fn find_or_add(topics: &mut Vec<Topic>, id: &str, label: &str) -> usize {
    topics.iter().position(|t| t.id == id).unwrap_or_else(|| {
        topics.push(topic(id, label));
        topics.len() - 1
    })
}

/// The taxonomy topic of each claim: most keyword matches, those near a figure counting more;
/// ties go to the topic listed first.
fn by_keywords(claims: &[Claim], taxonomy: &Taxonomy, reader: &Reader) -> Vec<Option<usize>> {
    let stems = |words: &[String]| -> Vec<Vec<String>> {
        words
            .iter()
            .map(|k| reader.content_words(&super::rules::normalize(k)).into_iter().map(|(_, _, s)| s).collect())
            .filter(|k: &Vec<String>| !k.is_empty())
            .collect()
    };
    // Per topic: its keywords and its figure keywords, each a list of stems.
    type Lexicon = Vec<Vec<String>>;
    let lexicons: Vec<(Lexicon, Lexicon)> =
        taxonomy.topics.iter().map(|d| (stems(&d.keywords), stems(&d.figure_keywords))).collect();
    claims
        .iter()
        .map(|c| {
            let context: BTreeSet<&str> = c.figures.iter().flat_map(|f| f.context.iter().map(String::as_str)).collect();
            let near = |k: &Vec<String>| k.iter().all(|s| context.contains(s.as_str()));
            let scores = lexicons.iter().map(|(keywords, figure_keywords)| {
                let anywhere: usize = keywords
                    .iter()
                    .map(|k| {
                        usize::from(k.iter().all(|s| c.stems.binary_search(s).is_ok()))
                            + FIGURE_WEIGHT * usize::from(near(k))
                    })
                    .sum();
                anywhere + figure_keywords.iter().map(|k| FIGURE_WEIGHT * usize::from(near(k))).sum::<usize>()
            });
            let (best, score) = scores.enumerate().fold((0, 0), |acc, (i, s)| if s > acc.1 { (i, s) } else { acc });
            (score > 0).then_some(best)
        })
        .collect()
}

type Vector = BTreeMap<String, f64>;

/// Automatic topics for a corpus without taxonomy.
fn automatic(
    claims: &[Claim],
    entity_words: &[String],
    ignored: &BTreeSet<String>,
) -> (Vec<Topic>, Vec<Option<usize>>) {
    let n = claims.len();
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    // Term weights per claim: content stems, the class of counted nouns, entities.
    let raw: Vec<Vector> = claims
        .iter()
        .map(|c| {
            let mut v = Vector::new();
            for s in c.stems.iter().filter(|s| !ignored.contains(*s)) {
                // Words naming an entity ("Allemagne", "germano-polonais") weigh like entities: in a
                // corpus about two countries they are everywhere and name no subject.
                if names_entity(s, entity_words) {
                    *v.entry(format!("@{s}")).or_default() += ENTITY_WEIGHT;
                } else {
                    *v.entry(s.clone()).or_default() += 1.0;
                }
            }
            for f in &c.figures {
                *v.entry(format!("#{}", f.measure)).or_default() += MEASURE_WEIGHT;
            }
            for e in &c.record.entities {
                *v.entry(format!("@{e}")).or_default() += ENTITY_WEIGHT;
            }
            v
        })
        .collect();
    let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in raw.iter().enumerate() {
        for t in v.keys() {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }
    let df: BTreeMap<&str, usize> = postings.iter().map(|(t, p)| (*t, p.len())).collect();
    let idf = |t: &str| ((1.0 + n as f64) / (1.0 + df[t] as f64)).ln() + 1.0;
    let vectors: Vec<Vector> = raw
        .iter()
        .map(|v| {
            let mut w: Vector = v.iter().map(|(t, x)| (t.clone(), x * idf(t))).collect();
            normalize(&mut w);
            w
        })
        .collect();

    // Seeds: terms shared by several claims but not by most, covering most claims, each
    // mostly covering claims no earlier seed covers.
    let k = ((n as f64 / 3.0).sqrt().round() as usize).clamp(2, 12);
    let max_df = (n / 3).max(2);
    let mut candidates: Vec<(&str, usize)> =
        df.iter().filter(|(t, d)| **d >= 2 && **d <= max_df && !t.starts_with('@')).map(|(t, d)| (*t, *d)).collect();
    candidates.sort_by(|a, b| {
        let sa = a.1 as f64 * idf(a.0);
        let sb = b.1 as f64 * idf(b.0);
        sb.total_cmp(&sa).then(a.0.cmp(b.0))
    });
    let mut covered = vec![false; n];
    let mut centroids: Vec<Vector> = Vec::new();
    for (term, d) in candidates {
        if centroids.len() == k {
            break;
        }
        let members = &postings[term];
        let new = members.iter().filter(|&&i| !covered[i]).count();
        if new * 2 < d {
            continue;
        }
        for &i in members {
            covered[i] = true;
        }
        centroids.push(centroid(&vectors, members));
    }
    let mut assign: Vec<Option<usize>> = vec![None; n];
    for _ in 0..PASSES {
        assign = vectors
            .iter()
            .map(|v| {
                let mut best: Option<(usize, f64)> = None;
                for (i, c) in centroids.iter().enumerate() {
                    let s = dot(v, c);
                    if s >= MIN_SIMILARITY && best.is_none_or(|(_, b)| s > b) {
                        best = Some((i, s));
                    }
                }
                best.map(|(i, _)| i)
            })
            .collect();
        let next: Vec<Vector> = (0..centroids.len())
            .map(|k| {
                let members: Vec<usize> = (0..n).filter(|&i| assign[i] == Some(k)).collect();
                if members.is_empty() {
                    centroids[k].clone()
                } else {
                    centroid(&vectors, &members)
                }
            })
            .collect();
        if next == centroids {
            break;
        }
        centroids = next;
    }

    // Labels: the two heaviest words of each centroid among its members, as written.
    let mut topics: Vec<Topic> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut index = vec![None; centroids.len()];
    let mut order: Vec<usize> = (0..centroids.len()).collect();
    let size = |k: usize| assign.iter().filter(|a| **a == Some(k)).count();
    order.sort_by_key(|&k| (std::cmp::Reverse(size(k)), k));
    for k in order {
        if size(k) == 0 {
            continue;
        }
        let members: Vec<usize> = (0..n).filter(|&i| assign[i] == Some(k)).collect();
        let label = label(&centroids[k], &members, claims);
        let base = slugify(&label);
        let mut id = base.clone();
        let mut suffix = 2;
        while id == OTHER || !ids.insert(id.clone()) {
            id = format!("{base}-{suffix}");
            suffix += 1;
        }
        index[k] = Some(topics.len());
        topics.push(topic(&id, &label));
    }
    (topics, assign.into_iter().map(|a| a.and_then(|k| index[k])).collect())
}

/// Stems of the words that name entities, without accents: the language's entity names and
/// aliases, and the words of the ids of the entities the claims mention.
fn entity_words(claims: &[Claim], lang: &Language, reader: &Reader) -> Vec<String> {
    let mut names: Vec<String> =
        lang.entities.iter().flat_map(|e| std::iter::once(&e.label).chain(&e.aliases)).cloned().collect();
    names.extend(claims.iter().flat_map(|c| c.record.entities.iter().map(|id| id.replace('-', " "))));
    let mut out: Vec<String> = names
        .iter()
        .flat_map(|n| {
            let n = super::rules::normalize(n);
            reader.content_words(&n).into_iter().map(|(_, _, s)| fold(&s)).collect::<Vec<_>>()
        })
        .filter(|s| s.chars().count() >= 3)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// True when a stem is, or begins like, a word naming an entity ("allemand" and "Allemagne").
fn names_entity(stem: &str, entity_words: &[String]) -> bool {
    let folded = fold(stem);
    entity_words.iter().any(|e| {
        let common = folded.chars().zip(e.chars()).take_while(|(a, b)| a == b).count();
        folded == *e || common >= e.chars().count().saturating_sub(1).clamp(4, 5)
    })
}

/// A word without its accents, to compare adjectives with names.
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(|c| {
            let plain = match c {
                'à' | 'â' | 'ä' | 'á' => "a",
                'é' | 'è' | 'ê' | 'ë' => "e",
                'î' | 'ï' | 'í' => "i",
                'ô' | 'ö' | 'ó' => "o",
                'ù' | 'û' | 'ü' | 'ú' => "u",
                'ç' => "c",
                'œ' => "oe",
                _ => "",
            };
            if plain.is_empty() {
                vec![c]
            } else {
                plain.chars().collect()
            }
        })
        .collect()
}

fn normalize(v: &mut Vector) {
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|x| *x /= norm);
    }
}

fn centroid(vectors: &[Vector], members: &[usize]) -> Vector {
    let mut c = Vector::new();
    for &i in members {
        for (t, x) in &vectors[i] {
            *c.entry(t.clone()).or_default() += x;
        }
    }
    normalize(&mut c);
    c
}

fn dot(a: &Vector, b: &Vector) -> f64 {
    a.iter().filter_map(|(t, x)| b.get(t).map(|y| x * y)).sum()
}

/// A readable label: the heaviest words of the centroid that most members use, each in the
/// form the sources write most often.
fn label(centroid: &Vector, members: &[usize], claims: &[Claim]) -> String {
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let mut forms: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for &i in members {
        for s in &claims[i].stems {
            *used.entry(s.as_str()).or_default() += 1;
        }
        for (s, w) in &claims[i].surface {
            *forms.entry(s.as_str()).or_default().entry(w.as_str()).or_default() += 1;
        }
        for f in &claims[i].figures {
            *forms.entry(f.measure.as_str()).or_default().entry(f.unit.as_str()).or_default() += 1;
        }
    }
    let mut terms: Vec<(&str, f64)> = centroid
        .iter()
        .filter(|(t, _)| !t.starts_with('@'))
        .map(|(t, x)| (t.trim_start_matches('#'), x * used.get(t.trim_start_matches('#')).copied().unwrap_or(1) as f64))
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let mut words: Vec<String> = Vec::new();
    for (t, _) in terms {
        let Some(form) = forms.get(t).and_then(|f| f.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))) else {
            continue;
        };
        let form = form.0.to_string();
        if !words.contains(&form) {
            words.push(form);
        }
        if words.len() == 2 {
            break;
        }
    }
    let mut label = words.join(", ");
    if let Some(first) = label.chars().next() {
        label = first.to_uppercase().chain(label.chars().skip(1)).collect();
    }
    label
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, Q};
    use super::*;

    fn lang() -> Language {
        Language::load("fr").unwrap()
    }

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            r#"
            [[topic]]
            id = "effectifs"
            label = "Effectifs"
            keywords = ["soldats", "troupes", "déploiement"]
            figure_keywords = ["militaires"]
            [[topic]]
            id = "pertes"
            label = "Pertes"
            keywords = ["pertes", "tués", "blessés", "morts"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn words_near_a_figure_decide_its_topic() {
        let lang = lang();
        let docs = vec![
            doc("a", None, &[(
                "Le pays va envoyer de nouvelles troupes après avoir dépêché des soldats, et aurait subi environ 900 pertes, morts et blessés.",
                &[Q("environ 900 pertes", 900.0, "pertes", "approx")],
            )]),
            doc("b", None, &[
                ("Environ 2 500 soldats auraient été tués ou blessés.", &[Q("environ 2 500 soldats", 2500.0, "soldats", "approx")]),
                ("Près de 7 000 soldats ont été déployés sur le front.", &[Q("7 000 soldats", 7000.0, "soldats", "exact")]),
                ("Le ministre a visité une usine de matériel militaire.", &[]),
                ("On compte 300 militaires sur place.", &[Q("300 militaires", 300.0, "militaires", "exact")]),
            ]),
        ];
        let reader = Reader::new(&lang);
        let claims = reader.read(&docs);
        let (topics, of) = group(&claims, Some(&taxonomy()), &lang, &reader);
        let ids: Vec<&str> = of.iter().map(|&t| topics[t].id.as_str()).collect();
        assert_eq!(ids, ["pertes", "pertes", "effectifs", "other", "effectifs"]);
        assert_eq!(topics.last().unwrap().label, lang.ui.get("topic_other"));
    }

    #[test]
    fn an_editors_topic_wins() {
        let lang = lang();
        let mut docs = vec![doc("a", None, &[("Environ 2 500 soldats ont été tués.", &[])])];
        docs[0].record.claims[0].review.topic = Some("a-part".into());
        let reader = Reader::new(&lang);
        let claims = reader.read(&docs);
        let (topics, of) = group(&claims, Some(&taxonomy()), &lang, &reader);
        assert_eq!(topics[of[0]].id, "a-part");
        assert_eq!(topics.len(), 1);
    }

    #[test]
    fn automatic_topics_group_claims_about_the_same_thing() {
        let lang = lang();
        let sentences: Vec<(&str, &[Q])> = vec![
            ("Le barrage du fleuve a cédé après les pluies.", &[]),
            ("Les pluies ont fait céder le barrage en amont du fleuve.", &[]),
            ("Le barrage avait été inspecté avant les pluies.", &[]),
            ("Le vaccin contre la grippe est disponible en pharmacie.", &[]),
            ("La campagne de vaccin contre la grippe commence lundi.", &[]),
            ("Le vaccin de la grippe est gratuit pour les aînés.", &[]),
        ];
        let docs = vec![doc("a", None, &sentences[..3]), doc("b", None, &sentences[3..])];
        let reader = Reader::new(&lang);
        let claims = reader.read(&docs);
        let (topics, of) = group(&claims, None, &lang, &reader);
        assert_eq!(topics.len(), 2, "{topics:?}");
        assert!(of[0] == of[1] && of[1] == of[2]);
        assert!(of[3] == of[4] && of[4] == of[5]);
        assert_ne!(of[0], of[3]);
        let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("arrage")), "{labels:?}");
        assert!(labels.iter().any(|l| l.contains("accin") || l.contains("rippe")), "{labels:?}");
        // Deterministic.
        assert_eq!(group(&claims, None, &lang, &reader), (topics, of));
    }
}
