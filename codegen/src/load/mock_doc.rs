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

use super::walk::{PointerBuf, Pos, for_each_child};
use super::{Sources, bundle};
use crate::diagnostics::Diagnostics;
use crate::overlay::{self, Overlay};
use serde_json::Value;

/// The bundled document with the overlays applied, and one note per
/// example or extension left out.
pub fn mock_document(sources: &Sources, overlays: &[Overlay]) -> Result<(Value, Vec<String>), Diagnostics> {
    let bundled = bundle::bundle(sources);
    if bundled.diagnostics.has_errors() {
        return Err(bundled.diagnostics);
    }
    let mut doc = bundled.doc.into_owned();
    overlay::apply(&mut doc, overlays)?;
    let mut notes = Vec::new();
    let mut at = PointerBuf(String::from("#"));
    strip(Pos::Document, &mut doc, &mut at, &mut notes);
    Ok((doc, notes))
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
        let (doc, notes) = mock_document(&Sources::new("openapi.json", text.to_owned()), &[]).unwrap();
        let op = &doc["paths"]["/a"]["get"];
        assert!(op.get("x-codeSamples").is_none());
        assert_eq!(op["x-kept"]["a"], 1);
        let media = &op["responses"]["200"]["content"]["application/json"];
        assert!(media.get("example").is_none());
        assert_eq!(media["schema"]["$ref"], "#/components/schemas/A", "real references stay");
        assert!(doc["components"]["schemas"]["A"].get("example").is_none());
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].starts_with("#/paths/~1a/get/x-codeSamples"), "{notes:?}");
    }
}
