//! The report's interface strings, from `lang/<code>/ui.toml`.

use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Interface strings by key.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(from = "BTreeMap<String, String>")]
pub struct UiStrings {
    strings: BTreeMap<String, String>,
    /// The same, hashed: pages look labels up millions of times.
    hashed: FxHashMap<String, String>,
}

impl From<BTreeMap<String, String>> for UiStrings {
    fn from(strings: BTreeMap<String, String>) -> UiStrings {
        let hashed = strings.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        UiStrings { strings, hashed }
    }
}

impl UiStrings {
    /// The string for `key`, or the key itself when the language lacks it.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.hashed.get(key).map(String::as_str).unwrap_or(key)
    }

    /// All strings, in key order, for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// All strings, to look up.
    pub fn hashed(&self) -> &FxHashMap<String, String> {
        &self.hashed
    }
}
