//! Bundler tests: small descriptions split over files, as text, and what
//! the bundle makes of them.

use super::*;
use serde_json::json;

/// Bundles `files` (the first is the root), all of them provided.
fn bundle_of(files: &[(&str, &str)]) -> Bundle<'static> {
    let mut sources = Sources::new(files[0].0, files[0].1);
    for (path, text) in &files[1..] {
        sources.add(path, *text);
    }
    let b = bundle(&sources);
    let doc = Cow::Owned(b.doc.into_owned());
    Bundle { doc, diagnostics: b.diagnostics, source_map: b.source_map, missing: b.missing, changed: b.changed }
}

fn at<'a>(b: &'a Bundle, pointer: &str) -> &'a Value {
    b.doc.pointer(pointer).unwrap_or_else(|| panic!("nothing at {pointer} in {:#}", b.doc))
}

fn messages(b: &Bundle) -> Vec<String> {
    b.diagnostics.0.iter().map(|d| format!("{}{}: {}", d.file.as_deref().unwrap_or(""), d.pointer, d.message)).collect()
}

const OP: &str = "responses: {'200': {description: ok, content: {application/json: {schema: {$ref: 'models/droplet.yml'}}}}}";

#[test]
fn external_refs_are_hoisted_under_readable_names() {
    let b = bundle_of(&[
        (
            "openapi.yaml",
            "openapi: 3.0.3\npaths:\n  /d:\n    get:\n      parameters: [{$ref: 'shared/parameters.yml#/per_page'}]\n      responses: {'200': {$ref: 'responses/one.yml'}}\n",
        ),
        ("shared/parameters.yml", "per_page: {name: per_page, in: query, schema: {type: integer}}\n"),
        ("responses/one.yml", "description: one\ncontent: {application/json: {schema: {$ref: '../models/droplet.yml'}}}\n"),
        ("models/droplet.yml", "type: object\nproperties: {id: {type: integer}}\n"),
    ]);
    assert!(b.diagnostics.0.is_empty(), "{:?}", messages(&b));
    assert_eq!(at(&b, "/paths/~1d/get/parameters/0"), &json!({"$ref": "#/components/parameters/per_page"}));
    assert_eq!(at(&b, "/paths/~1d/get/responses/200"), &json!({"$ref": "#/components/responses/one"}));
    assert_eq!(
        at(&b, "/components/responses/one/content/application~1json/schema"),
        &json!({"$ref": "#/components/schemas/droplet"})
    );
    assert_eq!(at(&b, "/components/schemas/droplet/properties/id"), &json!({"type": "integer"}));
    assert_eq!(at(&b, "/components/parameters/per_page/name"), &json!("per_page"));
    assert!(b.changed && b.missing.is_empty());
    // Diagnostics found later in hoisted nodes point at their files.
    assert_eq!(
        b.source_map.locate("#/components/schemas/droplet/properties/id"),
        Some((Some("models/droplet.yml"), "#/properties/id".into()))
    );
    assert_eq!(
        b.source_map.locate("#/components/parameters/per_page/schema"),
        Some((Some("shared/parameters.yml"), "#/per_page/schema".into()))
    );
}

#[test]
fn whole_operations_and_descriptions_are_inlined_in_their_own_context() {
    let b = bundle_of(&[
        (
            "root.yaml",
            "openapi: 3.0.0\ntags: [{name: t, description: {$ref: 'text.yml#/intro'}}]\npaths:\n  /d: {get: {$ref: 'resources/list.yml'}}\n",
        ),
        ("text.yml", "intro: Hello.\n"),
        ("resources/list.yml", &format!("operationId: list\nx-codeSamples: [{{$ref: 'samples/go.yml'}}]\n{OP}\n")),
        ("resources/models/droplet.yml", "type: string\n"),
    ]);
    assert!(b.diagnostics.0.is_empty(), "{:?}", messages(&b));
    assert_eq!(at(&b, "/tags/0/description"), &json!("Hello."));
    assert_eq!(at(&b, "/paths/~1d/get/operationId"), &json!("list"));
    assert_eq!(
        at(&b, "/paths/~1d/get/responses/200/content/application~1json/schema"),
        &json!({"$ref": "#/components/schemas/droplet"})
    );
    assert_eq!(at(&b, "/components/schemas/droplet"), &json!({"type": "string"}));
    // Extensions keep their refs, and their files are never asked for.
    assert_eq!(at(&b, "/paths/~1d/get/x-codeSamples/0"), &json!({"$ref": "samples/go.yml"}));
    assert!(b.missing.is_empty(), "{:?}", b.missing);
    assert_eq!(
        b.source_map.locate("#/paths/~1d/get/responses/200"),
        Some((Some("resources/list.yml"), "#/responses/200".into()))
    );
}

#[test]
fn repeats_share_one_component_and_cross_file_cycles_end() {
    let b = bundle_of(&[
        (
            "openapi.yaml",
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Tree: {$ref: 'tree.json'}\n    Other: {type: object, properties: {t: {$ref: 'tree.json'}, l: {$ref: 'leaf.yaml'}}}\n",
        ),
        ("tree.json", r#"{"type": "object", "properties": {"leaves": {"type": "array", "items": {"$ref": "leaf.yaml"}}}}"#),
        ("leaf.yaml", "type: object\nproperties: {parent: {$ref: 'tree.json'}, self: {$ref: '#'}}\n"),
    ]);
    assert!(b.diagnostics.0.is_empty(), "{:?}", messages(&b));
    // The root named `tree.json` `Tree`: that name is used everywhere.
    assert_eq!(at(&b, "/components/schemas/Tree/properties/leaves/items"), &json!({"$ref": "#/components/schemas/leaf"}));
    assert_eq!(at(&b, "/components/schemas/Other/properties/t"), &json!({"$ref": "#/components/schemas/Tree"}));
    assert_eq!(at(&b, "/components/schemas/Other/properties/l"), &json!({"$ref": "#/components/schemas/leaf"}));
    assert_eq!(at(&b, "/components/schemas/leaf/properties/parent"), &json!({"$ref": "#/components/schemas/Tree"}));
    assert_eq!(at(&b, "/components/schemas/leaf/properties/self"), &json!({"$ref": "#/components/schemas/leaf"}));
    let names: Vec<&String> = b.doc["components"]["schemas"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["Tree", "Other", "leaf"]);
}

#[test]
fn refs_into_the_middle_of_definitions_are_hoisted() {
    let b = bundle_of(&[(
        "openapi.yaml",
        r#"
openapi: 3.0.3
paths:
  /t:
    put:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Tag/allOf/0'}}}}
      responses:
        '409': {description: conflict, content: {application/json: {$ref: '#/components/responses/Conflict/content/application~1json'}}}
        '410': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/Tag/properties/a~1b'}}}}
components:
  schemas:
    Tag: {allOf: [{type: object, properties: {name: {type: string}}}], properties: {a/b: {type: integer}}}
    A: {$defs: {x: {type: boolean}}, properties: {x: {$ref: '#/components/schemas/A/$defs/x'}}}
  responses:
    Conflict: {description: c, content: {application/json: {schema: {type: string}}}}
"#,
    )]);
    assert!(b.diagnostics.0.is_empty(), "{:?}", messages(&b));
    let put = "/paths/~1t/put";
    assert_eq!(
        at(&b, &format!("{put}/requestBody/content/application~1json/schema")),
        &json!({"$ref": "#/components/schemas/Tag_allOf_0"})
    );
    assert_eq!(at(&b, "/components/schemas/Tag_allOf_0/properties/name"), &json!({"type": "string"}));
    // A media type is no component: inlined.
    assert_eq!(at(&b, &format!("{put}/responses/409/content/application~1json")), &json!({"schema": {"type": "string"}}));
    assert_eq!(
        at(&b, &format!("{put}/responses/410/content/application~1json/schema")),
        &json!({"$ref": "#/components/schemas/Tag_properties_a_b"})
    );
    assert_eq!(at(&b, "/components/schemas/A/properties/x"), &json!({"$ref": "#/components/schemas/x"}));
    assert_eq!(
        b.source_map.locate("#/components/schemas/Tag_allOf_0/type"),
        Some((None, "#/components/schemas/Tag/allOf/0/type".into()))
    );
}

#[test]
fn names_never_take_the_roots_and_stay_the_same_each_run() {
    let files: &[(&str, &str)] = &[
        (
            "openapi.yaml",
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters: [{$ref: 'a/params.yml#/per_page'}, {$ref: 'b/params.yml#/per_page'}, {$ref: 'b/other.yml#/per_page'}]\n      responses: {'204': {description: none}}\ncomponents:\n  parameters:\n    per_page: {name: p, in: query, schema: {type: string}}\n",
        ),
        ("a/params.yml", "per_page: {name: a, in: query, schema: {type: string}}\n"),
        ("b/params.yml", "per_page: {name: b, in: query, schema: {type: string}}\n"),
        ("b/other.yml", "per_page: {name: c, in: query, schema: {type: string}}\n"),
    ];
    let b = bundle_of(files);
    let refs: Vec<&Value> = (0..3).map(|i| &at(&b, &format!("/paths/~1a/get/parameters/{i}"))["$ref"]).collect();
    assert_eq!(
        refs,
        [
            "#/components/parameters/params_per_page",
            "#/components/parameters/per_page_2",
            "#/components/parameters/other_per_page",
        ]
    );
    assert_eq!(at(&b, "/components/parameters/per_page/name"), &json!("p"));
    assert_eq!(bundle_of(files).doc, b.doc);
}

#[test]
fn chains_of_refs_collapse_and_maps_given_as_refs_are_inlined() {
    let b = bundle_of(&[
        (
            "openapi.yaml",
            "openapi: 3.0.3\npaths:\n  /a: {$ref: 'paths.yml#/a'}\n",
        ),
        (
            "paths.yml",
            "a:\n  post:\n    requestBody: {content: {application/json: {schema: {properties: {$ref: 'attrs.yml#/ids'}, discriminator: {propertyName: k, mapping: {x: 'alias.yml', y: Local}}}}}}\n    responses: {'204': {description: none}}\n",
        ),
        ("attrs.yml", "ids: {ids: {type: array, items: {$ref: 'alias.yml'}}}\n"),
        ("alias.yml", "$ref: 'real.yml#/Real'\n"),
        ("real.yml", "Real: {type: integer}\n"),
    ]);
    assert!(b.diagnostics.0.is_empty(), "{:?}", messages(&b));
    let schema = at(&b, "/paths/~1a/post/requestBody/content/application~1json/schema");
    assert_eq!(schema["properties"]["ids"]["items"], json!({"$ref": "#/components/schemas/Real"}));
    assert_eq!(schema["discriminator"]["mapping"], json!({"x": "#/components/schemas/Real", "y": "Local"}));
    assert_eq!(at(&b, "/components/schemas/Real"), &json!({"type": "integer"}));
    assert_eq!(b.doc["components"]["schemas"].as_object().unwrap().len(), 1);
}

#[test]
fn refs_that_cannot_be_followed_are_errors_where_they_stand() {
    let mut sources = Sources::new(
        "openapi.yaml",
        "openapi: 3.0.3\npaths:\n  /a: {$ref: 'ops/a.yml'}\n  /b:\n    get:\n      responses: {'200': {$ref: '#/components/responses/Nope/content'}}\n",
    );
    sources.add("ops/a.yml", "get:\n  parameters: [{$ref: 'gone.yml#/p'}, {$ref: 'p.yml#/missing'}, {$ref: 'bad.yml'}, {$ref: 'p.yml#/loop'}]\n  responses: {'204': {description: none}}\n");
    sources.add("ops/p.yml", "loop: {$ref: '#/loop2'}\nloop2: {$ref: '#/loop'}\n");
    sources.add("ops/bad.yml", "{ not yaml");
    assert_eq!(sources.missing(), ["ops/gone.yml"]);
    sources.add_unreadable("ops/gone.yml", "No such file or directory (os error 2)");
    assert!(sources.missing().is_empty());
    let b = bundle(&sources);
    let got = messages(&b);
    let expected = [
        "ops/a.yml#/get/parameters/0: `$ref: gone.yml#/p`: `ops/gone.yml` cannot be read: No such file or directory (os error 2)",
        "ops/a.yml#/get/parameters/1: `$ref: p.yml#/missing`: `ops/p.yml` has nothing at `#/missing`",
        "ops/a.yml#/get/parameters/2: `$ref: bad.yml`: `ops/bad.yml` is not JSON or YAML",
        "ops/a.yml#/get/parameters/3: `$ref: p.yml#/loop` is a cycle of `$ref`s that never reaches a definition",
        "#/paths/~1b/get/responses/200: `$ref: #/components/responses/Nope/content`: this document has nothing at `#/components/responses/Nope/content`",
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(g.starts_with(e), "{g}\n  does not start with\n{e}");
    }
    let kinds: Vec<Kind> = b.diagnostics.0.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [Kind::MissingFile, Kind::UnresolvedRef, Kind::Parse, Kind::UnresolvedRef, Kind::UnresolvedRef]);
    // The refs stay, so `lower` reports what they cost.
    assert_eq!(at(&b, "/paths/~1a/get/parameters/0"), &json!({"$ref": "gone.yml#/p"}));
}

#[test]
fn a_single_file_without_foreign_refs_is_left_as_it_is() {
    let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/R'}}\ncomponents:\n  responses:\n    R: {description: r, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}\n  schemas:\n    U: {oneOf: [{$ref: '#/components/schemas/A'}], discriminator: {propertyName: k, mapping: {a: '#/components/schemas/A'}}}\n";
    let sources = Sources::new("openapi.yaml", text);
    let b = bundle(&sources);
    assert!(!b.changed);
    assert!(matches!(b.doc, Cow::Borrowed(_)), "not even copied");
    assert!(b.diagnostics.0.is_empty());
    assert_eq!(*b.doc, crate::load::parse_value(text).unwrap());
}

#[test]
fn a_discriminator_mapping_into_nothing_is_a_warning_and_the_entry_goes() {
    let b = bundle_of(&[
        (
            "openapi.yaml",
            "openapi: 3.0.3\npaths:\n  /a: {$ref: 'paths.yml#/a'}\n",
        ),
        (
            "paths.yml",
            "a:\n  post:\n    requestBody: {content: {application/json: {schema: {oneOf: [{$ref: 'models.yml#/Cat'}, {$ref: 'models.yml#/Dog'}], discriminator: {propertyName: kind, mapping: {cat: 'models.yml#/Cat', dog: 'models.yml#/Doggo'}}}}}}\n    responses: {'204': {description: none}}\n",
        ),
        (
            "models.yml",
            "Cat: {properties: {kind: {enum: [cat]}, lives: {type: integer}}}\nDog: {properties: {kind: {enum: [dog]}, good: {type: boolean}}}\n",
        ),
    ]);
    assert!(!b.diagnostics.has_errors(), "{:?}", messages(&b));
    let found = messages(&b);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("paths.yml#/a/post/requestBody/content/application~1json/schema/discriminator/mapping/dog:")
            && found[0].contains("points at nothing"),
        "{found:?}"
    );
    let schema = at(&b, "/paths/~1a/post/requestBody/content/application~1json/schema");
    assert_eq!(schema["discriminator"]["mapping"], json!({"cat": "#/components/schemas/Cat"}));
}
