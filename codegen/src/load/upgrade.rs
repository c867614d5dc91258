//! OpenAPI 3.1 to the 3.0 shape `lower` reads: a bundled 3.1 document is
//! rewritten, schema by schema, into keywords the 3.0 model carries
//! (`type: [T, "null"]` → `type: T, nullable: true`, `const` → `enum`,
//! numeric `exclusiveMinimum` → `minimum` + flag, `$ref` with siblings →
//! `allOf`, ...). What has no 3.0 equivalent is dropped with a `not-carried`
//! warning at its pointer, never silently.
//!
//! Runs after bundling (refs are already `#/components/...`; `$defs` and
//! `components/pathItems` were reached through refs and hoisted or
//! inlined) and only on documents whose `openapi` is 3.1.x or 3.2.x (whose
//! own additions `upgrade32` carries first): a 3.0 document never comes
//! here. It must not read files or resolve refs.

use super::walk::{Pos, PointerBuf, for_each_child};
use crate::diagnostics::{Diagnostics, Kind, pointer};
use serde_json::{Map, Number, Value, json};

/// Whether `doc` declares OpenAPI 3.1.x.
pub(crate) fn is_31(doc: &Value) -> bool {
    doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"))
}

/// Rewrites a 3.1 document in place into the 3.0.3 shape.
pub(crate) fn upgrade(doc: &mut Value, diags: &mut Diagnostics) {
    let Value::Object(root) = doc else { return };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.shift_remove("jsonSchemaDialect");
    if let Some(Value::Object(hooks)) = root.shift_remove("webhooks") {
        for name in hooks.keys() {
            diags.warn(
                Kind::NotCarried,
                pointer("#/webhooks", name),
                format!("webhook `{name}` dropped: webhooks are requests the API sends, not part of a client"),
            );
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    // Every `$ref` to a path item was inlined by the bundler.
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.shift_remove("pathItems");
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            schemes.values_mut().for_each(mutual_tls);
        }
    }
    let mut at = PointerBuf("#".into());
    walk(doc, Pos::Document, &mut at, diags);
}

/// The extension a 3.1 `mutualTLS` security scheme is marked with, so that
/// `lower` knows it (3.0 has no such type).
pub(crate) const MUTUAL_TLS: &str = "x-sdk-mutual-tls";

/// A `mutualTLS` security scheme as an `http` scheme marked [`MUTUAL_TLS`].
fn mutual_tls(scheme: &mut Value) {
    let Value::Object(map) = scheme else { return };
    if map.get("type").and_then(Value::as_str) == Some("mutualTLS") {
        map.insert("type".into(), json!("http"));
        map.insert("scheme".into(), json!("mutualTLS"));
        map.insert(MUTUAL_TLS.into(), json!(true));
    }
}

fn walk(node: &mut Value, pos: Pos, at: &mut PointerBuf, diags: &mut Diagnostics) {
    if pos == Pos::Schema {
        schema(node, &at.0, diags);
    }
    for_each_child(pos, node, &mut |toks, child, cpos| {
        // `additionalProperties: false` is 3.0 too; only schema positions
        // where 3.0 wants an object turn booleans into schemas.
        if child.is_boolean() && matches!(toks, [super::walk::Tok::Key("additionalProperties")]) {
            return;
        }
        let len = at.push(toks);
        walk(child, cpos, at, diags);
        at.truncate(len);
    });
}

/// Keywords of one JSON type, moved to that type's branch when a `type`
/// array is split.
const STRING_KEYWORDS: [&str; 3] = ["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: [&str; 5] = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const OBJECT_KEYWORDS: [&str; 5] = ["properties", "required", "additionalProperties", "minProperties", "maxProperties"];
const ARRAY_KEYWORDS: [&str; 4] = ["items", "minItems", "maxItems", "uniqueItems"];
const NUMERIC_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// 2020-12 keywords with no 3.0 equivalent (the schema stays, minus them).
const NOT_CARRIED: [&str; 18] = [
    "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$anchor", "$id", "$vocabulary", "if",
    "then", "else", "dependentSchemas", "dependentRequired", "dependencies", "unevaluatedItems",
    "unevaluatedProperties", "contains", "propertyNames", "contentSchema",
];

/// One schema's own keywords (its subschemas are visited afterwards).
fn schema(node: &mut Value, at: &str, diags: &mut Diagnostics) {
    if let Value::Bool(b) = node {
        *node = if *b { json!({}) } else { json!({"not": {}}) };
        return;
    }
    let Value::Object(map) = node else { return };
    ref_siblings(map);
    if let Some(c) = map.shift_remove("const") {
        map.insert("enum".into(), Value::Array(vec![c]));
    }
    if let Some(examples) = map.shift_remove("examples") {
        if let Value::Array(mut list) = examples
            && !list.is_empty()
            && !map.contains_key("example")
        {
            map.insert("example".into(), list.swap_remove(0));
        }
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum", |new, old| new >= old);
    exclusive_bound(map, "exclusiveMaximum", "maximum", |new, old| new <= old);
    content_encoding(map);
    // Annotations and local definitions: nothing to carry (every `$ref`
    // into `$defs` was hoisted by the bundler).
    for key in ["$schema", "$comment", "$defs", "definitions", "minContains", "maxContains"] {
        map.shift_remove(key);
    }
    for key in NOT_CARRIED {
        if map.shift_remove(key).is_some() {
            diags.warn(Kind::NotCarried, pointer(at, key), format!("`{key}` has no OpenAPI 3.0 equivalent and is ignored"));
        }
    }
    pattern_properties(map, at, diags);
    prefix_items(map, at, diags);
    types(map);
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        integer_bounds(map, at, diags);
    }
    for key in ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] {
        count(map, key, at, diags);
    }
}

/// `{$ref, ...siblings}` → `{allOf: [{$ref}], ...siblings}` (3.0 ignores
/// siblings of `$ref`; 3.1 applies both). Annotations stay outside.
fn ref_siblings(map: &mut Map<String, Value>) {
    if map.len() < 2 || !map.contains_key("$ref") {
        return;
    }
    let reference = map.shift_remove("$ref").expect("checked");
    let mut all = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(more)) = map.shift_remove("allOf") {
        all.extend(more);
    }
    map.insert("allOf".into(), Value::Array(all));
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`
/// (unless an inclusive `minimum` is already stricter).
fn exclusive_bound(map: &mut Map<String, Value>, exclusive: &str, bound: &str, stricter: fn(f64, f64) -> bool) {
    let Some(Value::Number(n)) = map.get(exclusive).cloned() else { return };
    map.shift_remove(exclusive);
    let old = map.get(bound).and_then(Value::as_f64);
    let new = n.as_f64().unwrap_or(0.0);
    if old.is_none_or(|old| stricter(new, old)) {
        map.insert(bound.into(), Value::Number(n));
        map.insert(exclusive.into(), Value::Bool(true));
    }
}

/// `contentEncoding`/`contentMediaType` → 3.0 `format`: base64 is `byte`;
/// binary encodings, and a non-text media type without encoding, are
/// `binary` (how 3.1 describes file uploads).
fn content_encoding(map: &mut Map<String, Value>) {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if encoding.is_none() && media.is_none() || map.contains_key("format") {
        return;
    }
    let format = match encoding.as_ref().and_then(Value::as_str) {
        Some("base64" | "base64url") => "byte",
        Some(_) => "binary",
        None => match media.as_ref().and_then(Value::as_str) {
            Some(m) if !is_text(m) => "binary",
            _ => return,
        },
    };
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String("string".into()));
    }
    map.insert("format".into(), Value::String(format.into()));
}

fn is_text(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.starts_with("text/") || m.contains("json") || m.contains("xml") || m == "application/x-www-form-urlencoded"
}

/// `patternProperties` → `additionalProperties` (the values keep their
/// type; the key patterns, a validation the client never makes, are lost).
fn pattern_properties(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let Some(patterns) = map.shift_remove("patternProperties") else { return };
    let Value::Object(patterns) = patterns else { return };
    if patterns.is_empty() {
        return;
    }
    let msg = if map.contains_key("additionalProperties") {
        "`patternProperties` has no OpenAPI 3.0 equivalent and is ignored (`additionalProperties` is given)"
    } else {
        let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, s)| s).collect();
        let value = if schemas.len() == 1 { schemas.remove(0) } else { json!({ "anyOf": schemas }) };
        map.insert("additionalProperties".into(), value);
        "`patternProperties` read as `additionalProperties`: key patterns are not checked"
    };
    diags.warn(Kind::NotCarried, pointer(at, "patternProperties"), msg);
}

/// `prefixItems` → `items: {anyOf: [prefix schemas.., items]}`: each
/// element is one of the tuple's schemas, its position is not carried.
fn prefix_items(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    // The draft 2019 spelling: `items: [..]` with `additionalItems`.
    if map.get("items").is_some_and(Value::is_array) && !map.contains_key("prefixItems") {
        let tuple = map.shift_remove("items").expect("checked");
        map.insert("prefixItems".into(), tuple);
        if let Some(rest) = map.shift_remove("additionalItems") {
            map.insert("items".into(), rest);
        }
    }
    let Some(Value::Array(mut prefix)) = map.shift_remove("prefixItems") else { return };
    match map.shift_remove("items") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => prefix.push(json!({})),
        Some(rest) => prefix.push(rest),
    }
    let items = if prefix.len() == 1 { prefix.remove(0) } else { json!({ "anyOf": prefix }) };
    map.insert("items".into(), items);
    diags.warn(
        Kind::NotCarried,
        pointer(at, "prefixItems"),
        "tuple read as an array whose items are any of the `prefixItems` schemas: positions are not carried",
    );
}

/// `type` arrays and `type: "null"`.
fn types(map: &mut Map<String, Value>) {
    let names: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => {
            let mut names = Vec::new();
            for n in list.iter().filter_map(Value::as_str) {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_owned());
                }
            }
            names
        }
        Some(Value::String(s)) if s == "null" => vec!["null".into()],
        _ => return,
    };
    let nullable = names.iter().any(|n| n == "null");
    let mut real: Vec<String> = names.into_iter().filter(|n| n != "null").collect();
    // `integer` is a subset of `number`: one number branch takes both.
    if real.iter().any(|n| n == "number") {
        real.retain(|n| n != "integer");
    }
    match real.len() {
        0 => {
            map.shift_remove("type");
            map.insert("enum".into(), json!([null]));
        }
        1 => {
            map.insert("type".into(), Value::String(real.remove(0)));
        }
        _ => split(map, &real),
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// Several non-null types → `anyOf` with one branch per type, each taking
/// the keywords (and `enum` values, and `format`) that apply to it.
fn split(map: &mut Map<String, Value>, types: &[String]) {
    map.shift_remove("type");
    let values = match map.shift_remove("enum") {
        Some(Value::Array(v)) => Some(v),
        _ => None,
    };
    let format = map.shift_remove("format");
    let mut branches = Vec::new();
    for t in types {
        let mut branch = Map::new();
        branch.insert("type".into(), Value::String(t.clone()));
        let keywords: &[&str] = match t.as_str() {
            "string" => &STRING_KEYWORDS,
            "integer" | "number" => &NUMBER_KEYWORDS,
            "object" => &OBJECT_KEYWORDS,
            "array" => &ARRAY_KEYWORDS,
            _ => &[],
        };
        for k in keywords {
            if let Some(v) = map.get(*k) {
                branch.insert((*k).into(), v.clone());
            }
        }
        if let Some(Value::String(f)) = &format {
            let numeric = NUMERIC_FORMATS.contains(&f.as_str());
            if (numeric && matches!(t.as_str(), "integer" | "number")) || (!numeric && t == "string") {
                branch.insert("format".into(), Value::String(f.clone()));
            }
        }
        if let Some(values) = &values {
            let fits = |v: &Value| match t.as_str() {
                "string" => v.is_string(),
                "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "object" => v.is_object(),
                "array" => v.is_array(),
                _ => false,
            };
            let mine: Vec<Value> = values.iter().filter(|v| fits(v)).cloned().collect();
            if mine.is_empty() {
                continue; // the enum allows no value of this type
            }
            branch.insert("enum".into(), Value::Array(mine));
        }
        branches.push(Value::Object(branch));
    }
    for k in STRING_KEYWORDS.iter().chain(&NUMBER_KEYWORDS).chain(&OBJECT_KEYWORDS).chain(&ARRAY_KEYWORDS) {
        map.shift_remove(*k);
    }
    if branches.is_empty() {
        // The enum allows `null` alone.
        map.insert("enum".into(), json!([null]));
        map.insert("nullable".into(), Value::Bool(true));
        return;
    }
    if values.as_ref().is_some_and(|v| v.iter().any(Value::is_null)) {
        map.insert("nullable".into(), Value::Bool(true));
    }
    let any_of = Value::Array(branches);
    if map.contains_key("anyOf") || map.contains_key("oneOf") {
        // Keep both constraints: the type split joins them under allOf.
        let mut all = match map.shift_remove("allOf") {
            Some(Value::Array(v)) => v,
            _ => Vec::new(),
        };
        all.push(json!({ "anyOf": any_of }));
        map.insert("allOf".into(), Value::Array(all));
    } else {
        map.insert("anyOf".into(), any_of);
    }
}

/// Bounds of an integer schema must be 64-bit integers in the 3.0 model.
/// Tools that go through JavaScript doubles write `i64::MIN` as
/// `-9223372036854776000`, a number at the very edge of the type: a bound
/// at or beyond ±2^63 allows every value a 64-bit integer can hold, so it
/// is dropped (it means "no bound"). A fractional bound is rounded inward,
/// which allows the same integers.
fn integer_bounds(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    const EDGE: f64 = 9_223_372_036_854_775_808.0; // 2^63
    for (key, round) in [("minimum", f64::ceil as fn(f64) -> f64), ("maximum", f64::floor)] {
        let Some(Value::Number(n)) = map.get(key) else { continue };
        if n.is_i64() {
            continue;
        }
        let v = n.as_f64().unwrap_or(f64::NAN);
        let r = round(v);
        if r.is_finite() && r > -EDGE && r < EDGE {
            map.insert(key.into(), Value::Number(Number::from(r as i64)));
        } else {
            map.shift_remove(key);
        }
    }
    if let Some(Value::Number(n)) = map.get("multipleOf")
        && !n.is_i64()
    {
        map.shift_remove("multipleOf");
        diags.warn(
            Kind::NotCarried,
            pointer(at, "multipleOf"),
            "`multipleOf` of an integer schema is not a 64-bit integer and is ignored",
        );
    }
}

/// Lengths and counts must be non-negative integers in the 3.0 model.
fn count(map: &mut Map<String, Value>, key: &str, at: &str, diags: &mut Diagnostics) {
    let Some(v) = map.get(key) else { return };
    if v.is_u64() {
        return;
    }
    match v.as_f64() {
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => {
            map.insert(key.into(), Value::Number(Number::from(f as u64)));
        }
        _ => {
            map.shift_remove(key);
            diags.warn(Kind::NotCarried, pointer(at, key), format!("`{key}` is not a non-negative integer and is ignored"));
        }
    }
}

#[cfg(test)]
#[path = "upgrade_tests.rs"]
mod tests;
