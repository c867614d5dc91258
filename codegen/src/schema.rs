//! The JSON Schema of `sdk.yaml`, derived from [`Options`](crate::Options)
//! with `schemars` (so it cannot drift from what the generator reads), and
//! the README's reference of every key, rendered from that schema (so the
//! doc comments in `options.rs` are the one place a key is described).
//!
//! Draft 7, the newest the YAML language server reads (its `#
//! yaml-language-server: $schema=` comment is how editors find it).

use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The schema as a JSON value.
pub fn schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().for_deserialize().into_generator();
    let mut schema = generator.into_root_schema_for::<crate::Options>().to_value();
    add_markdown(&mut schema);
    schema
}

/// Copies each `description` to `markdownDescription`, the keyword VS
/// Code's JSON and YAML support render as Markdown (the descriptions hold
/// code spans and YAML examples); other editors ignore it.
fn add_markdown(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(d) = map.get("description").filter(|d| d.is_string()).cloned() {
                map.insert("markdownDescription".to_owned(), d);
            }
            map.values_mut().for_each(add_markdown);
        }
        Value::Array(items) => items.iter_mut().for_each(add_markdown),
        _ => {}
    }
}

/// The schema as the text of `sdk.schema.json` (pretty, ending in a
/// newline).
pub fn json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// The reference of every key, as Markdown: one `###` heading per
/// top-level key with its description (what it does, its default, an
/// example), then a table of the keys inside it, when it is an object or a
/// list of objects.
pub fn reference() -> String {
    let schema = schema();
    let empty = Map::new();
    let definitions = schema.get("definitions").and_then(Value::as_object).unwrap_or(&empty);
    let mut out = String::new();
    for (key, prop) in properties(&schema) {
        let _ = writeln!(out, "### `{key}`\n");
        if let Some(d) = description(prop) {
            let _ = writeln!(out, "{d}\n");
        }
        let Some(inner) = object_of(prop, definitions) else { continue };
        let props = properties(inner);
        if props.is_empty() {
            continue;
        }
        let required: Vec<&str> =
            inner.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let what = if is_list(prop, definitions) { "Each entry's keys" } else { "Its keys" };
        let _ = writeln!(out, "{what}:\n\n| key | required | what it is |\n|---|---|---|");
        for (k, p) in props {
            let mark = if required.contains(&k.as_str()) { "yes" } else { "no" };
            let d = description(p).unwrap_or_default().replace('\n', " ").replace('|', "\\|");
            let _ = writeln!(out, "| `{k}` | {mark} | {d} |");
        }
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

/// A schema's properties, in declaration order.
fn properties(schema: &Value) -> Vec<(&String, &Value)> {
    schema.get("properties").and_then(Value::as_object).map(|m| m.iter().collect()).unwrap_or_default()
}

/// The description, with the title in front when schemars split one off.
fn description(schema: &Value) -> Option<String> {
    let get = |k: &str| schema.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match (get("title"), get("description")) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (t, d) => t.or(d).map(str::to_owned),
    }
}

/// `#/definitions/X` → X's schema.
fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> &'a Value {
    let target = schema
        .get("$ref")
        .or_else(|| schema.get("allOf").and_then(|a| a.get(0)).and_then(|s| s.get("$ref")))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
        .and_then(|name| definitions.get(name));
    target.unwrap_or(schema)
}

fn is_list(schema: &Value, definitions: &Map<String, Value>) -> bool {
    resolve(schema, definitions).get("items").is_some()
}

/// The object a property holds, or holds a list of.
fn object_of<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> Option<&'a Value> {
    let s = resolve(schema, definitions);
    let s = match s.get("items") {
        Some(items) => resolve(items, definitions),
        None => s,
    };
    s.get("properties").is_some().then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key `Options` reads is in the schema, unknown keys are refused
    /// by it as by the parser, and every key has a description.
    #[test]
    fn the_schema_covers_every_key() {
        let s = schema();
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(s["additionalProperties"], false);
        let keys: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
        for key in ["crate_name", "crate_version", "env_prefix", "env", "request_id_header", "paging", "rename"] {
            assert!(keys.iter().any(|k| *k == key), "{key} missing from {keys:?}");
        }
        assert!(!keys.iter().any(|k| *k == "source" || *k == "generated_by"), "{keys:?}");
        for (key, prop) in properties(&s) {
            let d = description(prop).unwrap_or_default();
            assert!(d.contains("Default:"), "`{key}` says no default: {d}");
            assert!(d.contains("```yaml"), "`{key}` has no example: {d}");
        }
        let rule = &s["definitions"]["PagingRule"];
        assert_eq!(rule["additionalProperties"], false);
        assert_eq!(rule["required"], serde_json::json!(["operations", "scheme"]));
        assert_eq!(rule["properties"]["scheme"]["enum"], serde_json::json!(["page", "offset", "cursor", "next_url", "none"]));
    }

    #[test]
    fn the_reference_has_a_heading_per_key_and_a_table_per_object() {
        let r = reference();
        for key in ["crate_name", "env", "paging", "rename"] {
            assert!(r.contains(&format!("### `{key}`\n")), "{r}");
        }
        assert!(r.contains("| `operations` | yes |"), "{r}");
        assert!(r.contains("| `types` | no |"), "{r}");
    }
}
