//! Real descriptions beyond Cloudflare (`../shared/specs/corpus/`, read in
//! place) load into one `openapiv3` document with no error from loading:
//! DigitalOcean, split over some 1,500 files reached by `$ref`, and Discord,
//! OpenAPI 3.1. What lowering then makes of them is not checked here.

use serde_json::Value;
use std::path::PathBuf;

fn corpus(rel: &str) -> PathBuf {
    xtask::workspace_root().join("../shared/specs/corpus").join(rel)
}

fn load(rel: &str) -> (codegen::load::Sources, codegen::load::Loaded) {
    let path = corpus(rel);
    let sources = xtask::read_sources(&path)
        .unwrap_or_else(|e| panic!("{e} (the shared specs sit beside the repository)"));
    let loaded = codegen::load::load_sources(&sources, &[]).unwrap_or_else(|d| panic!("{}: {d}", path.display()));
    assert!(!loaded.diagnostics.has_errors(), "{}: loading reported errors:\n{}", path.display(), loaded.diagnostics);
    (sources, loaded)
}

fn operations(spec: &openapiv3::OpenAPI) -> usize {
    spec.paths.paths.values().filter_map(|p| p.as_item()).map(|p| p.iter().count()).sum()
}

/// Keys whose values are data, where a `$ref` key is not a reference
/// (DigitalOcean writes `example: {$ref: examples.yml#/..}`; by the spec
/// that is an example object with a `$ref` field, and it stays one).
const DATA: [&str; 4] = ["example", "default", "enum", "value"];

/// Every `$ref` outside extensions and data, with its pointer.
fn refs(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    if let Value::String(r) = v {
                        out.push((at.to_owned(), r.clone()));
                    }
                } else if !k.starts_with("x-") && !DATA.contains(&k.as_str()) {
                    refs(v, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
                }
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| refs(v, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// Every `$ref` is `#/components/<section>/<name>` and that component exists.
fn assert_self_contained(spec: &openapiv3::OpenAPI) {
    let doc = serde_json::to_value(spec).unwrap();
    let mut found = Vec::new();
    refs(&doc, "#", &mut found);
    assert!(!found.is_empty());
    for (at, r) in found {
        let rest = r.strip_prefix("#/components/").unwrap_or_else(|| panic!("{at}: `$ref: {r}` is not a component"));
        assert_eq!(rest.matches('/').count(), 1, "{at}: `$ref: {r}`");
        assert!(doc.pointer(&r[1..]).is_some(), "{at}: `$ref: {r}` points at nothing");
    }
}

#[test]
fn digitalocean_bundles_into_one_self_contained_document() {
    let (sources, loaded) = load("digitalocean/specification/DigitalOcean-public.v2.yaml");
    assert!(sources.len() > 1_000, "{} files", sources.len());
    assert!(loaded.diagnostics.0.is_empty(), "{}", loaded.diagnostics);
    assert_eq!(operations(&loaded.spec), 659);
    assert_self_contained(&loaded.spec);
    let components = loaded.spec.components.as_ref().unwrap();
    assert!(components.schemas.contains_key("droplet"), "file stems name hoisted schemas");
    assert!(components.parameters.contains_key("per_page"), "fragments name hoisted parameters");
    // Tag descriptions pulled from files are inlined.
    let intro = &loaded.spec.tags[0];
    assert!(intro.description.as_deref().unwrap_or("").contains("DigitalOcean API"), "{intro:?}");
    // A problem found later in a hoisted schema is located in its file.
    assert_eq!(
        loaded.source_map.locate("#/components/schemas/droplet/properties/id"),
        Some((Some("resources/droplets/models/droplet.yml"), "#/properties/id".to_owned()))
    );
}

#[test]
fn discord_31_is_rewritten_into_the_30_shape() {
    let (_, loaded) = load("discord-2026-07-18.json");
    assert_eq!(loaded.spec.openapi, "3.0.3");
    assert_eq!(operations(&loaded.spec), 242);
    assert_self_contained(&loaded.spec);
    // 3.1 `type: [T, "null"]` became a nullable T.
    let doc = serde_json::to_value(&loaded.spec).unwrap();
    let mut nullable = 0;
    let mut stack = vec![&doc];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                assert!(!map.get("type").is_some_and(Value::is_array), "a `type` array is left: {node}");
                nullable += usize::from(map.get("nullable") == Some(&Value::Bool(true)));
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    assert!(nullable > 500, "{nullable} nullable schemas");
}
