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
        self.check_near(pointer, value, None)
    }

    /// As [`SchemaCheck::check`], counting only the violations at, inside
    /// or around `near` (the path of a value in `value`, as keys and
    /// indexes): what can explain that a decoder refused that value. A
    /// violation elsewhere in the value does not.
    pub fn check_near(&self, pointer: &str, value: &Value, near: Option<&[String]>) -> Result<(), String> {
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
        let related = |e: &jsonschema::ValidationError| near.is_none_or(|near| explains(e, near));
        let errors: Vec<String> = validator
            .iter_errors(value)
            .filter(|e| related(e))
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
    /// When `value` breaks the schema at `pointer` only by meeting more
    /// than one branch of some `oneOf`s, where those are (in the schema
    /// and in the value); else `None` (it meets the schema, or breaks it
    /// otherwise, or the schema cannot be read).
    pub fn ambiguous(&self, pointer: &str, value: &Value) -> Option<String> {
        self.check(pointer, value).err()?;
        let cache = self.validators.borrow();
        let validator = cache.get(pointer)?.as_ref()?;
        let mut said = Vec::new();
        for e in validator.iter_errors(value) {
            if !matches!(e.kind(), jsonschema::error::ValidationErrorKind::OneOfMultipleValid { .. }) {
                return None;
            }
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "the top".to_owned() } else { at };
            said.push(format!("at {at}, more than one branch of the oneOf at {} accepts it", e.schema_path()));
        }
        (!said.is_empty()).then(|| said.join("; "))
    }

    /// The schemas the validator could not read, with why.
    pub fn unreadable(&self) -> Vec<(String, String)> {
        self.unreadable.borrow().clone()
    }
}

/// Whether a violation can explain that a decoder refused the value at
/// `near` (keys and indexes): it is at that value or inside it; or around
/// it, a value of another type than the schema's (all inside it is off the
/// description), a `oneOf` more than one branch of which holds, or a union
/// one of whose best-matching branches (those that fail deepest in the
/// value, as the branch a tag picks does while the others fail at their
/// tags) fails at, in or around the value. A required property missing
/// around it says nothing of it, nor does a union whose best branches
/// fail elsewhere.
fn explains(e: &jsonschema::ValidationError, near: &[String]) -> bool {
    use jsonschema::error::ValidationErrorKind as K;
    let depth = |e: &jsonschema::ValidationError| e.instance_path().to_string().matches('/').count();
    let at: Vec<String> = e.instance_path().to_string().split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    if !at.iter().zip(near).all(|(a, b)| a == b) {
        return false;
    }
    if at.len() >= near.len() {
        return true;
    }
    match e.kind() {
        K::Type { .. } | K::OneOfMultipleValid { .. } => true,
        K::AnyOf { context } | K::OneOfNotValid { context } => {
            let reach = |branch: &Vec<jsonschema::ValidationError>| branch.iter().map(depth).min().unwrap_or(usize::MAX);
            let best = context.iter().map(reach).max().unwrap_or_default();
            context.iter().filter(|b| reach(b) == best).any(|branch| branch.iter().any(|e| explains(e, near)))
        }
        _ => false,
    }
}

/// The description as the generated types read it where a schema says
/// nothing (`items: {}`, a property `{}`): such a schema beside a sibling
/// that structures the same value (a common envelope's `result: {items:
/// {}}` in one `anyOf` branch, a list of packages in the other) yields to
/// that sibling, so here it admits nothing and the sibling decides.
pub fn typed_reading(doc: &Value) -> Value {
    fn says_nothing(v: &Value) -> bool {
        const ANNOTATIONS: [&str; 8] = ["description", "title", "example", "examples", "default", "readOnly", "writeOnly", "deprecated"];
        v.as_bool() == Some(true) || v.as_object().is_some_and(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    }
    fn walk(v: &mut Value) {
        match v {
            Value::Object(o) => {
                if let Some(items) = o.get_mut("items").filter(|i| says_nothing(i)) {
                    *items = json!({"not": {}});
                }
                if let Some(Value::Object(props)) = o.get_mut("properties") {
                    for p in props.values_mut().filter(|p| says_nothing(p)) {
                        *p = json!({"not": {}});
                    }
                }
                o.values_mut().for_each(walk);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut doc = doc.clone();
    walk(&mut doc);
    doc
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
/// example is never validated against itself). The schema's keywords stay
/// where they are, so a pointer into it (`…/properties/enabled`) still
/// names them: `type` becomes `[type, "null"]`, `enum` gains null, and
/// the compositions, which would refuse null on their own, move into an
/// `anyOf` with null.
fn nullable_as_json_schema(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for v in map.values_mut() {
                nullable_as_json_schema(v);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                map.remove("nullable");
                if let Some(Value::String(t)) = map.get("type") {
                    let t = t.clone();
                    map.insert("type".into(), json!([t, "null"]));
                }
                // An enum lists its values: null is one of them now.
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
                let mut composed = serde_json::Map::new();
                for keyword in ["$ref", "allOf", "oneOf", "anyOf", "not"] {
                    if let Some(v) = map.remove(keyword) {
                        composed.insert(keyword.into(), v);
                    }
                }
                if !composed.is_empty() {
                    map.insert("anyOf".into(), json!([Value::Object(composed), {"type": "null"}]));
                }
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
        // A nullable object's properties keep their pointers.
        let nested_doc = json!({"openapi": "3.0.3", "components": {"schemas": {"M": {
            "type": "object", "nullable": true, "properties": {"on": {"type": "boolean"}},
            "allOf": [{"type": "object", "required": ["on"]}]
        }}}});
        let nested = SchemaCheck::new(&nested_doc).unwrap();
        assert!(nested.check("#/components/schemas/M/properties/on", &json!("x")).is_err());
        assert_eq!(nested.check("#/components/schemas/M", &Value::Null), Ok(()));
        assert!(nested.check("#/components/schemas/M", &json!({})).is_err(), "the allOf still holds an object");
        assert!(nested.unreadable().is_empty());
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

    #[test]
    fn only_a_violation_where_the_decoder_stopped_counts_near_it() {
        let check = SchemaCheck::new(&doc("3.0.3")).unwrap();
        let on = "#/components/schemas/Item";
        let value = json!({"id": "0b6f4b4e-2f3c-4a8e-9d6a-5f0e8b9c1d2e", "on": "false", "note": "n"});
        let at = |path: &[&str]| path.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // At the value, around it (the whole reply) and inside it: related.
        assert!(check.check_near(on, &value, Some(&at(&["on"]))).is_err());
        assert!(check.check_near(on, &value, Some(&at(&[]))).is_err());
        assert!(check.check_near(on, &value, Some(&at(&["on", "deeper"]))).is_err());
        // Elsewhere: the decoder's complaint about `note` is not explained,
        // nor by a property missing around it.
        assert_eq!(check.check_near(on, &value, Some(&at(&["note"]))), Ok(()));
        let no_id = json!({"note": 1});
        assert!(check.check_near(on, &no_id, Some(&at(&["note"]))).is_err(), "at the value itself");
        assert_eq!(check.check_near(on, &json!({"note": "n"}), Some(&at(&["note"]))), Ok(()), "a missing `id` is not about `note`");
    }

    #[test]
    fn a_value_that_only_meets_several_branches_of_a_one_of_is_ambiguous() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Config": {"oneOf": [
                {"type": "object", "properties": {"fight_mode": {"type": "boolean"}}},
                {"type": "object", "properties": {"auto_update": {"type": "boolean"}}}
            ]},
            "Body": {"type": "object", "required": ["config"], "properties": {"config": {"$ref": "#/components/schemas/Config"}}}
        }}});
        let check = SchemaCheck::new(&doc).unwrap();
        let body = "#/components/schemas/Body";
        let why = check.ambiguous(body, &json!({"config": {"fight_mode": true}})).expect("both open branches accept it");
        assert!(why.contains("at /config") && why.contains("oneOf"), "{why}");
        // A value that tells the branches apart, or breaks something else,
        // is not the description's fault.
        assert_eq!(check.ambiguous(body, &json!({"config": {"fight_mode": true, "auto_update": "no"}})), None);
        assert_eq!(check.ambiguous(body, &json!({"config": {"fight_mode": 1, "auto_update": 1}})), None);
        assert_eq!(check.ambiguous(body, &json!({})), None);
    }

    #[test]
    fn the_typed_reading_lets_a_structured_branch_decide_what_a_bare_one_leaves_open() {
        // Cloudflare's WAF packages: `anyOf [an envelope whose `result` is a
        // list of anything, {result: a list of packages}]`.
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Package": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "List": {"anyOf": [
                {"type": "object", "required": ["success"], "properties": {"success": {"type": "boolean"}, "result": {"type": "array", "items": {}}}},
                {"properties": {"result": {"type": "array", "items": {"$ref": "#/components/schemas/Package"}}}}
            ]}
        }}});
        let list = "#/components/schemas/List";
        let near = ["result".to_owned(), "0".to_owned()];
        let reply = json!({"success": true, "result": [null]});
        assert_eq!(SchemaCheck::new(&doc).unwrap().check_near(list, &reply, Some(&near)), Ok(()), "the description allows it");
        let typed = SchemaCheck::new(&typed_reading(&doc)).unwrap();
        let why = typed.check_near(list, &reply, Some(&near)).unwrap_err();
        assert!(why.contains("at the top"), "{why}");
        assert_eq!(typed.check_near(list, &json!({"success": true, "result": [{"id": "a"}]}), Some(&near)), Ok(()));
        // A union whose branches fail elsewhere says nothing of `result`.
        let elsewhere = json!({"success": "yes", "result": [{"id": "a"}], "x": 1});
        assert_eq!(typed.check_near(list, &elsewhere, Some(&near)), Ok(()));
    }

    #[test]
    fn around_a_value_the_branch_its_tag_picks_decides() {
        // Discord's interaction callback: `resource` is one of several
        // objects told apart by `type`; the mock's reply breaks the right
        // branch inside `message` and at another place.
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Channel": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Reply": {"type": "object", "properties": {"resource": {"oneOf": [
                {"type": "object", "required": ["type"], "properties": {"type": {"const": 1}, "channels": {"additionalProperties": {"$ref": "#/components/schemas/Channel"}}, "n": {"type": "integer"}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"const": 2}}}
            ]}}}
        }}});
        let check = SchemaCheck::new(&doc).unwrap();
        let reply = "#/components/schemas/Reply";
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let broken = json!({"resource": {"type": 1, "channels": {"b": {}}, "n": "x"}});
        assert!(check.check_near(reply, &broken, Some(&path(&["resource", "channels", "b"]))).is_err());
        // A value the right branch accepts is the decoder's to take.
        let fine = json!({"resource": {"type": 1, "channels": {"b": {"id": "1"}}, "n": "x"}});
        assert_eq!(check.check_near(reply, &fine, Some(&path(&["resource", "channels", "b"]))), Ok(()));
    }
}
