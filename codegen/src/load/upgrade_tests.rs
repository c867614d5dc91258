//! 3.1 → 3.0 rewrite tests: one schema in, one schema out, per line.

use super::*;

/// Upgrades a 3.1 document holding `schema` as `components/schemas/S`;
/// returns the rewritten schema and the diagnostics (`pointer: message`).
fn up(schema: Value) -> (Value, Vec<String>) {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {"S": schema}}});
    let mut diags = Diagnostics::default();
    upgrade(&mut doc, &mut diags);
    let notes = diags.0.iter().map(|d| format!("{}: {}", d.pointer, d.message)).collect();
    (doc["components"]["schemas"]["S"].clone(), notes)
}

#[test]
fn schemas_are_rewritten_into_the_30_shape() {
    let cases = [
        (json!({"type": ["string", "null"], "maxLength": 3}), json!({"type": "string", "maxLength": 3, "nullable": true})),
        (json!({"type": ["integer"]}), json!({"type": "integer"})),
        (json!({"type": "null"}), json!({"enum": [null], "nullable": true})),
        (json!({"type": ["null"]}), json!({"enum": [null], "nullable": true})),
        (json!({"type": ["string", "integer"], "enum": [null], "minimum": 1}), json!({"enum": [null], "nullable": true})),
        (json!({"const": "a", "type": "string"}), json!({"type": "string", "enum": ["a"]})),
        (json!({"examples": [1, 2], "type": "integer"}), json!({"type": "integer", "example": 1})),
        (json!({"exclusiveMinimum": 0, "type": "number"}), json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})),
        (
            json!({"exclusiveMaximum": 10, "maximum": 5, "type": "number"}),
            json!({"maximum": 5, "type": "number"}),
        ),
        (json!({"minimum": 1, "exclusiveMinimum": true}), json!({"minimum": 1, "exclusiveMinimum": true})),
        (
            json!({"$ref": "#/components/schemas/T", "description": "The T."}),
            json!({"description": "The T.", "allOf": [{"$ref": "#/components/schemas/T"}]}),
        ),
        (json!({"$ref": "#/components/schemas/T"}), json!({"$ref": "#/components/schemas/T"})),
        (json!(true), json!({})),
        (json!(false), json!({"not": {}})),
        (
            json!({"type": "object", "properties": {"a": true, "b": {"const": 1}}, "additionalProperties": false}),
            json!({"type": "object", "properties": {"a": {}, "b": {"enum": [1]}}, "additionalProperties": false}),
        ),
        (json!({"type": "string", "contentEncoding": "binary"}), json!({"type": "string", "format": "binary"})),
        (json!({"type": "string", "contentEncoding": "base64"}), json!({"type": "string", "format": "byte"})),
        (json!({"contentMediaType": "image/png"}), json!({"type": "string", "format": "binary"})),
        (json!({"type": "string", "contentMediaType": "application/json"}), json!({"type": "string"})),
        (
            json!({"type": "integer", "format": "int64", "minimum": -9223372036854776000.0_f64, "maximum": 18446744073709552000.0_f64}),
            json!({"type": "integer", "format": "int64"}),
        ),
        (json!({"type": "integer", "minimum": 0.5, "maximum": 9.5}), json!({"type": "integer", "minimum": 1, "maximum": 9})),
        (json!({"type": "string", "maxLength": 10.0}), json!({"type": "string", "maxLength": 10})),
        (
            json!({"$defs": {"x": {}}, "$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": "c", "type": "object"}),
            json!({"type": "object"}),
        ),
        (
            json!({"type": "object", "patternProperties": {"^x": {"type": "integer"}}}),
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}),
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}),
        ),
        (
            json!({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}}),
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}}),
        ),
    ];
    for (input, expected) in cases {
        let (got, _) = up(input.clone());
        assert_eq!(got, expected, "\n   input: {input}");
    }
}

#[test]
fn several_types_split_into_one_branch_each() {
    let (got, notes) = up(json!({
        "title": "Mixed", "type": ["string", "integer", "array", "null"], "format": "date-time",
        "minLength": 1, "minimum": 0, "items": {"type": "string", "const": "x"}, "enum": ["a", 1, null, [2]]
    }));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        got,
        json!({
            "title": "Mixed",
            "nullable": true,
            "anyOf": [
                {"type": "string", "minLength": 1, "format": "date-time", "enum": ["a"]},
                {"type": "integer", "minimum": 0, "enum": [1]},
                {"type": "array", "items": {"type": "string", "enum": ["x"]}, "enum": [[2]]}
            ]
        })
    );
    // `integer` is folded into `number`; numeric formats go to it.
    let (got, _) = up(json!({"type": ["number", "integer", "boolean"], "format": "double", "oneOf": [{}]}));
    assert_eq!(
        got,
        json!({"oneOf": [{}], "allOf": [{"anyOf": [{"type": "number", "format": "double"}, {"type": "boolean"}]}]})
    );
}

#[test]
fn what_cannot_be_carried_is_dropped_with_a_warning_at_its_pointer() {
    let (got, notes) = up(json!({
        "type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {},
        "properties": {"n": {"$dynamicRef": "#meta", "unevaluatedProperties": false, "type": "integer", "multipleOf": 0.5}},
        "patternProperties": {"^a": {}}, "additionalProperties": true
    }));
    assert_eq!(got, json!({"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": true}));
    assert_eq!(
        notes,
        [
            "#/components/schemas/S/if: `if` has no OpenAPI 3.0 equivalent and is ignored",
            "#/components/schemas/S/then: `then` has no OpenAPI 3.0 equivalent and is ignored",
            "#/components/schemas/S/else: `else` has no OpenAPI 3.0 equivalent and is ignored",
            "#/components/schemas/S/patternProperties: `patternProperties` has no OpenAPI 3.0 equivalent and is ignored (`additionalProperties` is given)",
            "#/components/schemas/S/properties/n/$dynamicRef: `$dynamicRef` has no OpenAPI 3.0 equivalent and is ignored",
            "#/components/schemas/S/properties/n/unevaluatedProperties: `unevaluatedProperties` has no OpenAPI 3.0 equivalent and is ignored",
            "#/components/schemas/S/properties/n/multipleOf: `multipleOf` of an integer schema is not a 64-bit integer and is ignored",
        ]
    );
}

#[test]
fn the_document_becomes_30() {
    let mut doc = json!({
        "openapi": "3.1.1", "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
        "webhooks": {"newPet": {"post": {}}},
        "components": {"pathItems": {"P": {}}, "schemas": {"A": {"type": ["object", "null"]}}}
    });
    let mut diags = Diagnostics::default();
    assert!(is_31(&doc));
    upgrade(&mut doc, &mut diags);
    assert_eq!(
        doc,
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "components": {"schemas": {"A": {"type": "object", "nullable": true}}},
            "paths": {}
        })
    );
    assert_eq!(diags.0.len(), 1);
    assert_eq!((diags.0[0].kind, diags.0[0].pointer.as_str()), (Kind::NotCarried, "#/webhooks/newPet"));
    assert!(!is_31(&json!({"openapi": "3.0.3"})));
}

#[test]
fn schemas_everywhere_are_reached_but_data_is_not() {
    let mut doc = json!({
        "openapi": "3.1.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": ["string", "null"]}, "example": {"const": 1}}],
            "responses": {"200": {"description": "ok", "headers": {"x-h": {"schema": {"const": 2}}},
                "content": {"application/json": {"schema": {"items": {"const": 3}}, "examples": {"e": {"value": {"const": 4}}}}}}}
        }}}
    });
    upgrade(&mut doc, &mut Diagnostics::default());
    let get = &doc["paths"]["/a"]["get"];
    assert_eq!(get["parameters"][0]["schema"], json!({"type": "string", "nullable": true}));
    assert_eq!(get["parameters"][0]["example"], json!({"const": 1}));
    let ok = &get["responses"]["200"];
    assert_eq!(ok["headers"]["x-h"]["schema"], json!({"enum": [2]}));
    assert_eq!(ok["content"]["application/json"]["schema"]["items"], json!({"enum": [3]}));
    assert_eq!(ok["content"]["application/json"]["examples"]["e"]["value"], json!({"const": 4}));
}
