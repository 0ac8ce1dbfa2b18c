//! The report's interface strings, from `lang/<code>/ui.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Interface strings by key.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(transparent)]
pub struct UiStrings {
    strings: BTreeMap<String, String>,
}

impl UiStrings {
    /// The string for `key`, or the key itself when the language lacks it.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// All strings, for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.strings
    }
}
