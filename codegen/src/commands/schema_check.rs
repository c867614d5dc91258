//! Whether a JSON value meets a schema of an OpenAPI description, for
//! `cargo xtask mock-test`: which side broke a reply that did not decode
//! (the mock server's reply, when it does not meet the description's own
//! schema; else the generated client), and which examples of the
//! description do not meet the schema they illustrate (left out of the
//! mock server's copy as description defects).
//!
//! The description's schemas are read as JSON Schema by the `jsonschema`
//! crate: an OpenAPI 3.0 document as draft 4 (the dialect OpenAPI 3.0
//! extends) with `nullable: true` spelled as `anyOf [the schema, null]`, a
//! 3.1 document as draft 2020-12 (its own dialect). References stay
//! references into the bundled document; nothing is fetched. Formats are
//! checked, as Prism checks requests.

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::HashMap;

/// The base URI of the document in the validator's registry.
const BASE: &str = "urn:mock-test:description";

/// The description's schemas, ready to check values against.
pub struct SchemaCheck {
    registry: Registry<'static>,
    draft: Draft,
    /// Validators built so far, by the schema's JSON pointer.
    validators: RefCell<HashMap<String, Option<Validator>>>,
    /// The schemas the validator could not read, with why (reported, so a
    /// check that could not be made is never taken for a pass).
    unreadable: RefCell<Vec<(String, String)>>,
}

impl SchemaCheck {
    /// Reads `doc` (a bundled OpenAPI document).
    pub fn new(doc: &Value) -> Result<SchemaCheck, String> {
        let v31 = doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1") || v.starts_with("3.2"));
        let draft = if v31 { Draft::Draft202012 } else { Draft::Draft4 };
        let mut doc = doc.clone();
        if !v31 {
            nullable_as_json_schema(&mut doc);
        }
        let registry = Registry::new()
            .draft(draft)
            .add(BASE, doc)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the description as JSON Schema: {e}"))?;
        Ok(SchemaCheck { registry, draft, validators: RefCell::new(HashMap::new()), unreadable: RefCell::default() })
    }

    /// `Ok` when `value` meets the schema at `pointer` (`#/paths/...`),
    /// else the first violations, each with where in the value it is. A
    /// schema the validator cannot read says nothing (`Ok`), and is listed
    /// in [`SchemaCheck::unreadable`].
    pub fn check(&self, pointer: &str, value: &Value) -> Result<(), String> {
        let mut cache = self.validators.borrow_mut();
        let validator = cache.entry(pointer.to_owned()).or_insert_with(|| {
            let reference = json!({"$ref": format!("{BASE}{}", uri_fragment(pointer))});
            let built = jsonschema::options()
                .with_draft(self.draft)
                .with_registry(&self.registry)
                .should_validate_formats(true)
                // Formats OpenAPI names that draft 4 does not know, and a
                // generated type holds as more than a string.
                .with_format("uuid", is_uuid)
                .with_format("date", is_date)
                .build(&reference);
            built.map_err(|e| self.unreadable.borrow_mut().push((pointer.to_owned(), short(&e.to_string())))).ok()
        });
        let Some(validator) = validator else { return Ok(()) };
        let errors: Vec<String> = validator
            .iter_errors(value)
            .take(3)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "the top".to_owned() } else { at };
                format!("at {at}: {}", short(&e.to_string()))
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) }
    }
}

impl SchemaCheck {
    /// The schemas the validator could not read, with why.
    pub fn unreadable(&self) -> Vec<(String, String)> {
        self.unreadable.borrow().clone()
    }
}

/// A JSON pointer (`#/paths/~1pets~1{id}/get`) as a URI fragment: the
/// characters RFC 3986 does not allow there (braces, spaces, non-ASCII…)
/// percent-encoded, as RFC 6901 §6 says; the validator refuses the rest.
fn uri_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        let allowed = b.is_ascii_alphanumeric() || b"#-._~!$&'()*+,;=:@/?".contains(&b);
        if allowed {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 4122's text form (`8-4-4-4-12` hexadecimal digits).
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// RFC 3339's `full-date` (`2024-01-02`), a day the month has.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (s[0..4].parse().unwrap_or(0), s[5..7].parse().unwrap_or(0), s[8..10].parse().unwrap_or(0));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&d)
}

fn short(s: &str) -> String {
    if s.chars().count() <= 200 { s.to_owned() } else { format!("{}…", s.chars().take(200).collect::<String>()) }
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: the schema, or null.
/// Applied to every object that says it (data such as examples never
/// holds `nullable: true` next to a schema keyword that matters, and an
/// example is never validated against itself).
fn nullable_as_json_schema(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for v in map.values_mut() {
                nullable_as_json_schema(v);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.remove("nullable");
                // An enum lists its values: null is one of them now.
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_json_schema),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(version: &str) -> Value {
        json!({
            "openapi": version,
            "components": {"schemas": {
                "Envelope": {"allOf": [
                    {"type": "object", "properties": {"result": {"anyOf": [{"type": "object"}, {"type": "array", "items": {}}]}}},
                    {"properties": {"result": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}
                ]},
                "Item": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "note": {"type": "string", "nullable": true},
                    "on": {"type": "boolean", "example": "false"}
                }}
            }}
        })
    }

    #[test]
    fn a_value_is_held_to_every_member_of_an_allof() {
        let check = SchemaCheck::new(&doc("3.0.3")).unwrap();
        let at = "#/components/schemas/Envelope";
        let item = json!({"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "note": null});
        assert_eq!(check.check(at, &json!({"result": [item]})), Ok(()));
        // What json-schema-faker made of such an envelope for Cloudflare.
        let err = check.check(at, &json!({"result": {"id": "x"}})).unwrap_err();
        assert!(err.contains("at /result"), "{err}");
        let err = check.check(at, &json!({"result": [{"id": "not a uuid"}]})).unwrap_err();
        assert!(err.contains("at /result/0/id"), "{err}");
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2024-1-02"));
    }

    #[test]
    fn nullable_is_read_as_openapi_30_says_and_examples_are_held_to_their_schema() {
        let check = SchemaCheck::new(&doc("3.0.3")).unwrap();
        let on = "#/components/schemas/Item/properties/on";
        assert!(check.check(on, &json!("false")).is_err(), "a string is no boolean");
        assert_eq!(check.check(on, &json!(false)), Ok(()));
        assert_eq!(check.check("#/components/schemas/Item/properties/note", &Value::Null), Ok(()));
        // 3.1 has no `nullable`: null is not a string there.
        let check = SchemaCheck::new(&doc("3.1.0")).unwrap();
        assert!(check.check("#/components/schemas/Item/properties/note", &Value::Null).is_err());
    }

    #[test]
    fn a_discriminator_picks_the_branch_that_oneof_alone_cannot() {
        // DigitalOcean's `dropletActions_post_byTag` body, as it says it.
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "action": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["enable_backups", "snapshot"]}}},
            "snapshot": {"allOf": [{"$ref": "#/components/schemas/action"}, {"type": "object", "properties": {"name": {"type": "string"}}}]},
            "body": {"oneOf": [{"$ref": "#/components/schemas/action"}, {"$ref": "#/components/schemas/snapshot"}],
                "discriminator": {"propertyName": "type", "mapping": {
                    "enable_backups": "#/components/schemas/action", "snapshot": "#/components/schemas/snapshot"}}}
        }}});
        let check = SchemaCheck::new(&doc).unwrap();
        let sent = json!({"type": "enable_backups"});
        // The branch the discriminator maps `enable_backups` to holds it...
        let mapped = doc["components"]["schemas"]["body"]["discriminator"]["mapping"]["enable_backups"].as_str().unwrap();
        assert_eq!(check.check(mapped, &sent), Ok(()));
        // ...and so does the other one, so "exactly one" cannot hold for
        // any body the branches describe.
        assert_eq!(check.check("#/components/schemas/snapshot", &sent), Ok(()));
        assert!(check.check("#/components/schemas/body", &sent).unwrap_err().contains("more than one"));
        assert!(check.check("#/components/schemas/body", &json!({"type": "snapshot", "name": "n"})).is_err());
    }
}
