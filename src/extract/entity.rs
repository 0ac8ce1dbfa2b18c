//! Named entities: the gazetteer of known entities with their aliases (language data plus the
//! project's own list), and the mentions found in a claim.

use serde::{Deserialize, Serialize};

/// An entity of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (a slug).
    pub id: String,
    /// Display name.
    pub label: String,
    /// country, person, organisation, place, weapon...
    pub kind: String,
    /// Other names that refer to it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A mention of an entity in a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    /// The entity's id.
    pub id: String,
    /// The words of the source.
    pub text: String,
    /// The entity's display name (the gazetteer's label, or the name as found).
    pub label: String,
    /// country, person, organisation, place, weapon...
    pub kind: String,
}

/// The known entities and their aliases.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Every known entity.
    pub entities: Vec<Entity>,
}

/// The shape of an entities file (`lang/<code>/entities.toml`, `content/entities.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitiesFile {
    /// The entities.
    #[serde(default, rename = "entity")]
    pub entities: Vec<Entity>,
}

impl Gazetteer {
    /// A gazetteer of these entities.
    pub fn new(entities: Vec<Entity>) -> Gazetteer {
        Gazetteer { entities }
    }

    /// Mentions of known entities in a text, in order.
    pub fn find(&self, text: &str) -> Vec<EntityRef> {
        let mut out = Vec::new();
        for e in &self.entities {
            for name in std::iter::once(&e.label).chain(&e.aliases) {
                if text.contains(name.as_str()) {
                    out.push(EntityRef {
                        id: e.id.clone(),
                        text: name.clone(),
                        label: e.label.clone(),
                        kind: e.kind.clone(),
                    });
                    break;
                }
            }
        }
        out
    }
}
