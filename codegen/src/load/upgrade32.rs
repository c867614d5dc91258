//! OpenAPI 3.2 on top of the 3.1 rewrite: what 3.2 adds that changes a
//! client, carried into the 3.0 shape `openapiv3` reads (which has no
//! `query` method, no `additionalOperations`, no `in: querystring`, no
//! `itemSchema`):
//!
//! - `itemSchema` (each item of a sequential media type) becomes
//!   `schema: {type: array, items: ...}`, which is what it means (the
//!   stream as an array of items) and what `lower` reads as a stream of
//!   those items. For `text/event-stream`, an item schema that describes
//!   the event (`data`, `event`, `id`, `retry` properties, as the 3.2
//!   specification shows) gives its `data` instead: its `contentSchema`
//!   when the data is JSON text, else the data's own (text) schema.
//! - `query` and `additionalOperations` move into the path item's
//!   `x-sdk-additional-operations` (method name to operation), which
//!   `lower` reads; they are moved after the schema rewrite, which walks
//!   them in place.
//! - `in: querystring` with `application/x-www-form-urlencoded` content is
//!   the exploded `form` object it means (each property a query pair);
//!   any other content keeps `x-sdk-querystring` for `lower` to refuse.
//! - `style: cookie` is sent as `form` (values percent-encoded), with a
//!   warning; `deprecated` security schemes keep `x-sdk-deprecated` for
//!   their docs.
//!
//! The rest of 3.2 is read or ignored by `openapiv3` without an error:
//! tags' `parent`, `kind` and `summary`, responses' `summary`,
//! `oauth2MetadataUrl`, the device authorization flow, `$self`, examples'
//! `dataValue`/`serializedValue`, servers' `name`.
//!
//! It must not read files; it looks up `#/components/schemas/*` in the
//! bundled document only to see what an event stream's item schema is.

use crate::diagnostics::{Diagnostics, Kind, pointer};
use serde_json::{Map, Value, json};

/// Whether `doc` declares OpenAPI 3.2.x.
pub(crate) fn is_32(doc: &Value) -> bool {
    doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.2"))
}

/// The 3.2 constructs that must be rewritten before the schema walk.
pub(crate) fn before(doc: &mut Value, diags: &mut Diagnostics) {
    let schemas = doc.pointer("/components/schemas").cloned().unwrap_or(Value::Null);
    let mut ctx = Ctx { schemas, envelopes: Vec::new() };
    let Value::Object(root) = doc else { return };
    root.shift_remove("$self");
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = pointer("#/paths", path);
            path_item(item, &at, &mut ctx, diags);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if let Some(Value::Object(params)) = components.get_mut("parameters") {
            for (name, p) in params.iter_mut() {
                parameter(p, &pointer("#/components/parameters", name), diags);
            }
        }
        for section in ["responses", "requestBodies"] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (name, entry) in entries.iter_mut() {
                    contents(entry, &pointer(&pointer("#/components", section), name), &mut ctx, diags);
                }
            }
        }
        // What an event's `contentSchema` says is now the stream's item
        // type: the component describing the event keeps a text `data`.
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for name in &ctx.envelopes {
                if let Some(Value::Object(data)) = schemas.get_mut(name).and_then(|s| s.pointer_mut("/properties/data")) {
                    data.shift_remove("contentSchema");
                }
            }
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            for scheme in schemes.values_mut().filter_map(Value::as_object_mut) {
                if scheme.shift_remove("deprecated") == Some(Value::Bool(true)) {
                    scheme.insert("x-sdk-deprecated".into(), Value::Bool(true));
                }
            }
        }
        // Every `$ref` to a media type was inlined by the bundler.
        components.shift_remove("mediaTypes");
    }
}

/// What the rewrite of media types needs: the component schemas (to see
/// what an item schema is), and the components it read as events.
struct Ctx {
    schemas: Value,
    envelopes: Vec<String>,
}

/// After the schema walk: the operations 3.0 has no slot for move into
/// `x-sdk-additional-operations`.
pub(crate) fn after(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        let mut extra = Map::new();
        if let Some(op) = item.shift_remove("query") {
            extra.insert("QUERY".into(), op);
        }
        if let Some(Value::Object(more)) = item.shift_remove("additionalOperations") {
            extra.extend(more);
        }
        if !extra.is_empty() {
            item.insert("x-sdk-additional-operations".into(), Value::Object(extra));
        }
    }
}

fn path_item(item: &mut Value, at: &str, ctx: &mut Ctx, diags: &mut Diagnostics) {
    let Value::Object(item) = item else { return };
    parameters(item, at, diags);
    let fixed = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];
    for method in fixed {
        if let Some(op) = item.get_mut(method) {
            operation(op, &pointer(at, method), ctx, diags);
        }
    }
    if let Some(Value::Object(more)) = item.get_mut("additionalOperations") {
        for (method, op) in more.iter_mut() {
            operation(op, &pointer(&pointer(at, "additionalOperations"), method), ctx, diags);
        }
    }
}

fn operation(op: &mut Value, at: &str, ctx: &mut Ctx, diags: &mut Diagnostics) {
    let Value::Object(map) = op else { return };
    parameters(map, at, diags);
    if let Some(body) = map.get_mut("requestBody") {
        contents(body, &pointer(at, "requestBody"), ctx, diags);
    }
    if let Some(Value::Object(responses)) = map.get_mut("responses") {
        for (code, r) in responses.iter_mut() {
            contents(r, &pointer(&pointer(at, "responses"), code), ctx, diags);
        }
    }
}

fn parameters(holder: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    if let Some(Value::Array(list)) = holder.get_mut("parameters") {
        for (i, p) in list.iter_mut().enumerate() {
            parameter(p, &pointer(&pointer(at, "parameters"), &i.to_string()), diags);
        }
    }
}

/// `in: querystring`, and `style: cookie`.
fn parameter(p: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Value::Object(p) = p else { return };
    if p.get("in").and_then(Value::as_str) == Some("cookie") && p.get("style").and_then(Value::as_str) == Some("cookie") {
        p.insert("style".into(), Value::String("form".into()));
        diags.warn(Kind::NotCarried, pointer(at, "style"), "`style: cookie` is sent as `form`: values are percent-encoded");
    }
    if p.get("in").and_then(Value::as_str) != Some("querystring") {
        return;
    }
    p.insert("in".into(), Value::String("query".into()));
    let content = p.get("content").and_then(Value::as_object);
    let form = content.and_then(|c| {
        c.iter().find(|(m, _)| m.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")))
    });
    match form.map(|(_, media)| media.get("schema").cloned().unwrap_or_else(|| json!({"type": "object"}))) {
        Some(schema) => {
            p.shift_remove("content");
            p.insert("style".into(), Value::String("form".into()));
            p.insert("explode".into(), Value::Bool(true));
            p.insert("schema".into(), schema);
        }
        None => {
            let media = content.and_then(|c| c.keys().next().cloned()).unwrap_or_default();
            p.insert("x-sdk-querystring".into(), Value::String(media));
        }
    }
}

/// The media types of a response, request body or parameter.
fn contents(holder: &mut Value, at: &str, ctx: &mut Ctx, diags: &mut Diagnostics) {
    let Some(Value::Object(content)) = holder.get_mut("content") else { return };
    for (media, m) in content.iter_mut() {
        let Value::Object(m) = m else { continue };
        let mat = pointer(&pointer(at, "content"), media);
        for key in ["itemEncoding", "prefixEncoding"] {
            if m.shift_remove(key).is_some() {
                diags.warn(Kind::NotCarried, pointer(&mat, key), format!("`{key}` (the parts of a multipart stream) is ignored"));
            }
        }
        let Some(item) = m.shift_remove("itemSchema") else { continue };
        let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let item = if essence == "text/event-stream" {
            event_data(&item, &ctx.schemas, &mut ctx.envelopes).unwrap_or(item)
        } else {
            item
        };
        m.insert("schema".into(), json!({"type": "array", "items": item}));
    }
}

/// The data of an event whose item schema describes the whole event
/// (properties among `data`, `event`, `id`, `retry`, with `data`), or of
/// each branch of a `oneOf`/`anyOf` of such events; the components read
/// as events go in `envelopes`.
fn event_data(item: &Value, schemas: &Value, envelopes: &mut Vec<String>) -> Option<Value> {
    let (item, component) = local(item, schemas);
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = item.get(key) {
            let data: Option<Vec<Value>> = branches.iter().map(|b| event_data(b, schemas, envelopes)).collect();
            return data.map(|d| json!({ key: d }));
        }
    }
    let props = item.get("properties")?.as_object()?;
    let envelope = props.keys().all(|k| matches!(k.as_str(), "data" | "event" | "id" | "retry"));
    let data = props.get("data").filter(|_| envelope)?;
    envelopes.extend(component);
    let (data, _) = local(data, schemas);
    let json_text = data.get("contentMediaType").and_then(Value::as_str).is_none_or(|m| m.to_ascii_lowercase().contains("json"));
    match data.get("contentSchema") {
        Some(schema) if json_text => Some(schema.clone()),
        _ => Some(data.clone()),
    }
}

/// A schema, or what a `#/components/schemas/*` reference names (and that
/// component's name).
fn local<'v>(schema: &'v Value, schemas: &'v Value) -> (&'v Value, Option<String>) {
    let mut current = schema;
    let mut component = None;
    for _ in 0..16 {
        let Some(r) = current.get("$ref").and_then(Value::as_str) else { break };
        let Some(name) = r.strip_prefix("#/components/schemas/") else { break };
        let name = name.replace("~1", "/").replace("~0", "~");
        match schemas.get(&name) {
            Some(target) => current = target,
            None => break,
        }
        component = Some(name);
    }
    (current, component)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_schemas_become_arrays_and_events_give_their_data() {
        let mut doc = json!({
            "openapi": "3.2.0",
            "paths": {"/e": {"get": {"responses": {"200": {"content": {
                "text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Event"}},
                "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Row"}},
            }}}}}},
            "components": {"schemas": {
                "Event": {"type": "object", "required": ["data"], "properties": {
                    "event": {"type": "string"},
                    "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"$ref": "#/components/schemas/Row"}},
                }},
                "Row": {"type": "object"},
            }},
        });
        let mut d = Diagnostics::default();
        before(&mut doc, &mut d);
        let content = &doc["paths"]["/e"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["text/event-stream"], json!({"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}));
        assert_eq!(content["application/jsonl"], json!({"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}));
        assert!(d.0.is_empty());
        // The event's component keeps its text `data`, without what moved.
        assert_eq!(doc["components"]["schemas"]["Event"]["properties"]["data"], json!({"type": "string", "contentMediaType": "application/json"}));
    }

    #[test]
    fn text_events_and_event_unions() {
        let text = json!({"properties": {"data": {"type": "string"}, "id": {"type": "string"}}});
        let mut seen = Vec::new();
        assert_eq!(event_data(&text, &Value::Null, &mut seen), Some(json!({"type": "string"})));
        let union = json!({"oneOf": [
            {"properties": {"event": {"const": "a"}, "data": {"contentMediaType": "application/json", "contentSchema": {"type": "integer"}}}},
            {"properties": {"event": {"const": "b"}, "data": {"contentSchema": {"type": "boolean"}}}},
        ]});
        assert_eq!(event_data(&union, &Value::Null, &mut seen), Some(json!({"oneOf": [{"type": "integer"}, {"type": "boolean"}]})));
        // Not an event envelope: the item schema is the data.
        assert_eq!(event_data(&json!({"properties": {"text": {"type": "string"}}}), &Value::Null, &mut seen), None);
    }

    #[test]
    fn querystring_parameters_and_extra_operations() {
        let mut doc = json!({
            "openapi": "3.2.0",
            "paths": {"/s": {
                "query": {"parameters": [
                    {"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}},
                    {"name": "j", "in": "querystring", "content": {"application/json": {"schema": {}}}},
                    {"name": "c", "in": "cookie", "style": "cookie", "schema": {"type": "string"}},
                ]},
                "additionalOperations": {"COPY": {"responses": {}}},
                "get": {"responses": {}},
            }},
        });
        let mut d = Diagnostics::default();
        before(&mut doc, &mut d);
        after(&mut doc);
        let item = &doc["paths"]["/s"];
        let params = &item["x-sdk-additional-operations"]["QUERY"]["parameters"];
        assert_eq!(params[0], json!({"name": "q", "in": "query", "style": "form", "explode": true, "schema": {"type": "object"}}));
        assert_eq!((params[1]["in"].as_str(), params[1]["x-sdk-querystring"].as_str()), (Some("query"), Some("application/json")));
        assert_eq!(params[2]["style"], "form");
        assert_eq!(item["x-sdk-additional-operations"]["COPY"], json!({"responses": {}}));
        assert!(item.get("query").is_none() && item.get("additionalOperations").is_none() && item.get("get").is_some());
        assert_eq!(d.0.len(), 1, "{d}");
    }
}
