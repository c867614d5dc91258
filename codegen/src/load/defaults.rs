//! The spec's defaults that the `openapiv3` model loses, restored after
//! parsing so that `lower` reads what the document means.
//!
//! Today one: an `encoding` object's `explode` defaults to `true` when its
//! `style` is `form` (the default style), but `openapiv3` reads an absent
//! `explode` as `false`, so absent and `explode: false` look the same. The
//! JSON form of the document still tells them apart; this finds the
//! entries that leave it out and sets the default on the parsed model.
//!
//! Must not change anything the document states, read files or resolve refs.

use openapiv3::{OpenAPI, QueryStyle, ReferenceOr, RequestBody};
use serde_json::Value;

/// Where a request body sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Inline in an operation: path and lower-case method.
    Operation(String, String),
    /// Under `components.requestBodies`.
    Component(String),
}

/// An `encoding` entry (body, media type, property) that gives no `explode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoExplode {
    place: Place,
    media: String,
    property: String,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The encoding entries of `doc` (the JSON the model is parsed from) that
/// leave `explode` out.
pub(crate) fn missing_explode(doc: &Value) -> Vec<NoExplode> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(body) = item.get(method).and_then(|op| op.get("requestBody")) {
                    scan(body, &Place::Operation(path.clone(), method.to_owned()), &mut out);
                }
            }
        }
    }
    let bodies = doc.get("components").and_then(|c| c.get("requestBodies")).and_then(Value::as_object);
    for (name, body) in bodies.into_iter().flatten() {
        scan(body, &Place::Component(name.clone()), &mut out);
    }
    out
}

fn scan(body: &Value, place: &Place, out: &mut Vec<NoExplode>) {
    let Some(content) = body.get("content").and_then(Value::as_object) else { return };
    for (media, m) in content {
        let Some(encoding) = m.get("encoding").and_then(Value::as_object) else { continue };
        for (property, e) in encoding {
            if e.get("explode").is_none() {
                out.push(NoExplode { place: place.clone(), media: media.clone(), property: property.clone() });
            }
        }
    }
}

/// Sets the spec's default `explode` (true for `form`, false for the
/// other styles) on each entry of `missing`.
pub(crate) fn apply(spec: &mut OpenAPI, missing: &[NoExplode]) {
    for m in missing {
        let body = match &m.place {
            Place::Operation(path, method) => spec
                .paths
                .paths
                .get_mut(path)
                .and_then(|item| match item {
                    ReferenceOr::Item(item) => operation(item, method),
                    ReferenceOr::Reference { .. } => None,
                })
                .and_then(|op| op.request_body.as_mut()),
            Place::Component(name) => spec.components.as_mut().and_then(|c| c.request_bodies.get_mut(name)),
        };
        let Some(ReferenceOr::Item(body)) = body else { continue };
        set_default(body, &m.media, &m.property);
    }
}

fn set_default(body: &mut RequestBody, media: &str, property: &str) {
    if let Some(e) = body.content.get_mut(media).and_then(|m| m.encoding.get_mut(property)) {
        e.explode = matches!(e.style, None | Some(QueryStyle::Form));
    }
}

fn operation<'s>(item: &'s mut openapiv3::PathItem, method: &str) -> Option<&'s mut openapiv3::Operation> {
    match method {
        "get" => item.get.as_mut(),
        "put" => item.put.as_mut(),
        "post" => item.post.as_mut(),
        "delete" => item.delete.as_mut(),
        "options" => item.options.as_mut(),
        "head" => item.head.as_mut(),
        "patch" => item.patch.as_mut(),
        "trace" => item.trace.as_mut(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{apply, missing_explode};

    #[test]
    fn an_absent_explode_takes_the_default_of_its_style() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"encoding": {
                    "absent": {"contentType": "text/plain"},
                    "form": {"style": "form"},
                    "off": {"explode": false},
                    "pipes": {"style": "pipeDelimited"}
                }}}},
                "responses": {}
            }}},
            "components": {"requestBodies": {"B": {"content": {"application/x-www-form-urlencoded": {"encoding": {
                "c": {"style": "form"}
            }}}}}}
        });
        let missing = missing_explode(&doc);
        assert_eq!(missing.len(), 4);
        let mut spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        apply(&mut spec, &missing);
        let op = spec.paths.paths["/a"].as_item().unwrap().post.as_ref().unwrap();
        let body = op.request_body.as_ref().unwrap().as_item().unwrap();
        let enc = &body.content["application/x-www-form-urlencoded"].encoding;
        let explode: Vec<(&str, bool)> = enc.iter().map(|(k, e)| (k.as_str(), e.explode)).collect();
        assert_eq!(explode, [("absent", true), ("form", true), ("off", false), ("pipes", false)]);
        let component = spec.components.as_ref().unwrap().request_bodies["B"].as_item().unwrap();
        assert!(component.content["application/x-www-form-urlencoded"].encoding["c"].explode);
    }
}
