//! The document a mock server is given (`cargo xtask mock-test`): the one
//! the generator read, bundled into one file with the overlays applied, in
//! the spec's own OpenAPI version.
//!
//! A mock server resolves every `$ref` key it finds, data included, and
//! refuses to start on one it cannot follow, where OpenAPI says a `$ref` in
//! an example or an extension is not a reference. So in this document only,
//! an example whose value holds a `$ref` key is left out (the server then
//! makes one from the schema), and so is an extension (`x-...`) that holds
//! one (DigitalOcean's code samples point at files); each is named in the
//! notes returned.
//!
//! It also lists where the document holds examples a mock server sends
//! as (part of) a reply, each with the schema it illustrates: a schema's
//! `example` and `default`, and a response media type's `example` and `examples`, so
//! that the mock test can leave out those that do not meet their own
//! schema.

use super::walk::{PointerBuf, Pos, for_each_child};
use super::{Sources, bundle};
use crate::diagnostics::Diagnostics;
use crate::overlay::{self, Overlay};
use serde_json::Value;

/// An example (or a default) in the mock server's document and the schema
/// it illustrates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleSite {
    /// JSON pointer (`#/...`) of the example's value.
    pub example: String,
    /// JSON pointer of the schema.
    pub schema: String,
    /// JSON pointer of what to leave out to drop the example (the
    /// `example` key, or the entry of `examples` that gives or names it).
    pub remove: String,
}

/// The bundled document with the overlays applied, one note per example
/// or extension left out, and the examples a reply may be made of.
pub fn mock_document(sources: &Sources, overlays: &[Overlay]) -> Result<(Value, Vec<String>, Vec<ExampleSite>), Diagnostics> {
    let bundled = bundle::bundle(sources);
    if bundled.diagnostics.has_errors() {
        return Err(bundled.diagnostics);
    }
    let mut doc = bundled.doc.into_owned();
    overlay::apply(&mut doc, overlays)?;
    let mut notes = Vec::new();
    let mut at = PointerBuf(String::from("#"));
    strip(Pos::Document, &mut doc, &mut at, &mut notes);
    let patterned = pattern_examples(Pos::Document, &mut doc);
    if patterned > 0 {
        notes.push(format!(
            "{patterned} strings with a `pattern` and no example are given one that matches it in the mock server's copy \
             (a mock answers `string` for them, which no pattern of an identifier allows, and a client sends back what it read)"
        ));
    }
    let typed = implied_types(Pos::Document, &mut doc);
    if typed > 0 {
        notes.push(format!(
            "{typed} schemas leave `type` out where their keywords imply one (`properties` an object, `items` a list): \
             the generated types read them so, and the mock server's copy says it"
        ));
    }
    let mut sites = Vec::new();
    let mut at = PointerBuf(String::from("#"));
    examples(Pos::Document, &mut doc, &mut at, &mut sites);
    Ok((doc, notes, sites))
}

/// Gives each string schema under `node` with a `pattern` and no value
/// to send (`example`, `default`, `enum`, `const`) an example the pattern
/// matches; returns how many.
fn pattern_examples(pos: Pos, node: &mut Value) -> usize {
    let mut n = 0;
    if let (Pos::Schema, Value::Object(map)) = (pos, &mut *node) {
        let string = map.get("type").is_none_or(|t| t == "string");
        let valued = ["example", "examples", "default", "enum", "const", "$ref"].iter().any(|k| map.contains_key(*k));
        if let (true, false, Some(Value::String(pattern))) = (string, valued, map.get("pattern")) {
            let len = |k: &str| map.get(k).and_then(Value::as_u64).map(|n| n as usize);
            let (min, max) = (len("minLength").unwrap_or(0), len("maxLength").unwrap_or(usize::MAX));
            if let Some(example) = crate::lower::pattern_example(pattern, min, max) {
                map.insert("example".into(), Value::String(example));
                n += 1;
            }
        }
    }
    for_each_child(pos, node, &mut |_, child, p| n += pattern_examples(p, child));
    n
}

/// Gives each schema under `node` that leaves `type` out the one type its
/// keywords imply, when they imply exactly one; returns how many. JSON
/// Schema lets any value meet `{properties: ...}` (the keyword applies to
/// objects only), so a mock server answers `null` or a string for it,
/// which no real server of the API does and the generated struct refuses.
fn implied_types(pos: Pos, node: &mut Value) -> usize {
    let mut n = 0;
    if let (Pos::Schema, Value::Object(map)) = (pos, &mut *node) {
        let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
        let object = has(&["properties", "required", "additionalProperties", "minProperties", "maxProperties"]);
        let array = has(&["items", "minItems", "maxItems", "uniqueItems"]);
        if !has(&["type", "$ref", "enum", "const"]) && object != array {
            map.insert("type".into(), Value::String(if object { "object" } else { "array" }.into()));
            n += 1;
        }
    }
    for_each_child(pos, node, &mut |_, child, p| n += implied_types(p, child));
    n
}

/// Collects, under `node`, the examples a reply may be made of.
fn examples(pos: Pos, node: &mut Value, at: &mut PointerBuf, sites: &mut Vec<ExampleSite>) {
    if let Value::Object(map) = &*node {
        match pos {
            // A schema's `default` is sent too: where a generated reply
            // leaves a property out, Prism fills in its default.
            Pos::Schema => {
                for key in ["example", "default"].into_iter().filter(|k| map.contains_key(*k)) {
                    let example = format!("{}/{key}", at.0);
                    sites.push(ExampleSite { example: example.clone(), schema: at.0.clone(), remove: example });
                }
            }
            // A mock server answers from a reply's examples only.
            Pos::MediaType if map.contains_key("schema") && at.0.contains("/responses/") => {
                let schema = format!("{}/schema", at.0);
                if map.contains_key("example") {
                    let example = format!("{}/example", at.0);
                    sites.push(ExampleSite { example: example.clone(), schema: schema.clone(), remove: example });
                }
                for (name, e) in map.get("examples").and_then(Value::as_object).into_iter().flatten() {
                    let entry = format!("{}/examples/{}", at.0, name.replace('~', "~0").replace('/', "~1"));
                    let example = match e.get("$ref").and_then(Value::as_str) {
                        Some(r) if r.starts_with("#/") => format!("{r}/value"),
                        Some(_) => continue,
                        None => format!("{entry}/value"),
                    };
                    sites.push(ExampleSite { example, schema: schema.clone(), remove: entry });
                }
            }
            _ => {}
        }
    }
    for_each_child(pos, node, &mut |toks, child, p| {
        let len = at.push(toks);
        examples(p, child, at, sites);
        at.truncate(len);
    });
}

/// Leaves out, under `node`, the data a mock server would read as a
/// reference.
fn strip(pos: Pos, node: &mut Value, at: &mut PointerBuf, notes: &mut Vec<String>) {
    if let Value::Object(map) = node {
        if !matches!(pos, Pos::Entries(_)) {
            let mut dropped = Vec::new();
            map.retain(|key, value| {
                let data = key.starts_with("x-")
                    || (key == "example" && matches!(pos, Pos::Schema | Pos::MediaType | Pos::Parameter | Pos::Header))
                    || (key == "examples" && pos == Pos::Schema)
                    || (key == "value" && pos == Pos::Example);
                let keep = !data || !has_ref_key(value);
                if !keep {
                    dropped.push(key.clone());
                }
                keep
            });
            for key in dropped {
                notes.push(format!("{}/{key}: left out for the mock server (it holds a `$ref` key that is data)", at.0));
            }
        }
    }
    for_each_child(pos, node, &mut |toks, child, p| {
        let len = at.push(toks);
        strip(p, child, at, notes);
        at.truncate(len);
    });
}

/// Whether a value holds an object with a `$ref` key, at any depth.
fn has_ref_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$ref") || map.values().any(has_ref_key),
        Value::Array(items) => items.iter().any(has_ref_key),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_that_looks_like_a_reference_is_left_out() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "x-codeSamples": [{"$ref": "examples/curl.yml"}], "x-kept": {"a": 1},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}, "example": {"$ref": "data"}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "example": {"b": {"$ref": "x"}}}}}}"##;
        let (doc, notes, sites) = mock_document(&Sources::new("openapi.json", text.to_owned()), &[]).unwrap();
        let op = &doc["paths"]["/a"]["get"];
        assert!(op.get("x-codeSamples").is_none());
        assert_eq!(op["x-kept"]["a"], 1);
        let media = &op["responses"]["200"]["content"]["application/json"];
        assert!(media.get("example").is_none());
        assert_eq!(media["schema"]["$ref"], "#/components/schemas/A", "real references stay");
        assert!(doc["components"]["schemas"]["A"].get("example").is_none());
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].starts_with("#/paths/~1a/get/x-codeSamples"), "{notes:?}");
        assert!(sites.is_empty(), "the examples left out are not listed: {sites:?}");
    }

    #[test]
    fn the_examples_a_reply_may_be_made_of_are_listed_with_their_schema() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}, "example": {"in": 1}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}, "example": {"b": true},
                "examples": {"one": {"value": {"b": false}}, "two": {"$ref": "#/components/examples/Two"}}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "boolean", "example": "false"}}}},
                "examples": {"Two": {"value": {"b": true}}}}}"##;
        let (_, _, sites) = mock_document(&Sources::new("openapi.json", text.to_owned()), &[]).unwrap();
        let pairs: Vec<(&str, &str)> = sites.iter().map(|s| (s.example.as_str(), s.schema.as_str())).collect();
        let media = "#/paths/~1a/post/responses/200/content/application~1json";
        assert!(pairs.contains(&(&format!("{media}/example"), &format!("{media}/schema"))), "{pairs:?}");
        assert!(pairs.contains(&(&format!("{media}/examples/one/value"), &format!("{media}/schema"))), "{pairs:?}");
        assert!(pairs.contains(&("#/components/examples/Two/value", &format!("{media}/schema"))), "{pairs:?}");
        let b = "#/components/schemas/A/properties/b";
        assert!(pairs.contains(&(&format!("{b}/example"), b)), "{pairs:?}");
        assert!(!pairs.iter().any(|(e, _)| e.contains("requestBody")), "a request's example is no reply: {pairs:?}");
    }
}
