//! `claims.json`: present, valid JSON, and holding what the export contract
//! (`schema/report.schema.json`, embedded at compile time) requires: every required field, of
//! the declared type, at every level. The full JSON Schema is validated by the test suite; this
//! is the part a CI run needs to refuse a broken export without a schema engine in the binary.

use crate::diagnostic::Diagnostic;
use serde_json::Value;

const SCHEMA: &str = include_str!("../../schema/report.schema.json");

/// Check the text of `claims.json` (`None` when the file is missing).
pub fn check_claims_json(path: &str, text: Option<&str>) -> Vec<Diagnostic> {
    let Some(text) = text else {
        return vec![Diagnostic::error("missing-export", path, 1, "the site has no claims.json")
            .help("run `factsite build`; a custom template set must not remove the export")];
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Diagnostic::error(
                "invalid-export",
                path,
                e.line(),
                format!("claims.json is not valid JSON: {e}"),
            )
            .at_line(text, "here")
            .help("rebuild with `factsite build`; claims.json is generated, not edited")]
        }
    };
    let schema: Value = serde_json::from_str(SCHEMA).expect("the embedded schema is JSON");
    let mut problems = Vec::new();
    validate(&value, &schema, "", &mut problems);
    problems
        .into_iter()
        .take(20)
        .map(|p| {
            Diagnostic::error(
                "invalid-export",
                path,
                1,
                format!("claims.json does not follow the export contract: {p}"),
            )
            .help("rebuild with the same factsite version; tools that read claims.json rely on these fields")
        })
        .collect()
}

/// Required fields and types, recursively through `properties` and `items`.
fn validate(value: &Value, schema: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !kinds.is_empty() && !kinds.iter().any(|k| is_type(value, k)) {
            problems.push(format!("{} should be {}", pointer(at), kinds.join(" or ")));
            return;
        }
    }
    if let (Some(required), Some(obj)) = (schema.get("required").and_then(Value::as_array), value.as_object()) {
        for key in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(key) {
                problems.push(format!("{} lacks the required field {key:?}", pointer(at)));
            }
        }
    }
    if let (Some(props), Some(obj)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                validate(v, sub, &format!("{at}/{key}"), problems);
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(v, items, &format!("{at}/{i}"), problems);
        }
    }
}

fn is_type(value: &Value, kind: &str) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn pointer(at: &str) -> String {
    if at.is_empty() {
        "the document".into()
    } else {
        at.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_invalid_and_incomplete_exports_are_errors() {
        assert_eq!(check_claims_json("public/claims.json", None)[0].code, "missing-export");
        let bad = check_claims_json("public/claims.json", Some("{\n  \"claims\": [,]\n}"));
        assert_eq!((bad[0].code.as_str(), bad[0].line), ("invalid-export", 2));
        let partial = check_claims_json("public/claims.json", Some("{\"export_version\": 1, \"generator\": 3}"));
        let text: Vec<&str> = partial.iter().map(|d| d.message.as_str()).collect();
        assert!(text.iter().any(|m| m.contains("/generator should be string")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("lacks the required field \"claims\"")), "{text:?}");
    }
}
