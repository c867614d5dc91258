//! What each node of an OpenAPI document is, by where it stands: the one
//! place that knows that `paths/*` are path items, `content/*` media types,
//! `properties/*` schemas (and, in 3.2, `query` and `additionalOperations/*`
//! operations, `itemSchema` a schema, `components/mediaTypes/*` media
//! types), and that `example`, `enum` or `default` hold data (never walked:
//! a `$ref` key in an example is data, not a reference).
//!
//! The bundler and the 3.1 rewrite both walk documents with
//! [`for_each_child`]; neither decides on its own what a node is. This
//! module only describes structure: it must not rewrite anything.

use serde_json::Value;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Pos {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Responses,
    Response,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
    /// A schema's `discriminator` (its `mapping` values are refs as strings).
    Discriminator,
    /// Structure the generator does not model (`info`, `tags`, `servers`,
    /// descriptions...): walked generically, a `$ref` found there is inlined.
    Free,
    /// A map of names to nodes of a kind (`properties`, `content`,
    /// `components/schemas`). A node of its own because real descriptions
    /// give whole maps as a `$ref` (`properties: {$ref: attributes.yml#/x}`).
    Entries(&'static Pos),
}

impl Pos {
    /// The `components` section a `$ref` at this position points into.
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Pos::Schema => "schemas",
            Pos::Response => "responses",
            Pos::Parameter => "parameters",
            Pos::RequestBody => "requestBodies",
            Pos::Header => "headers",
            Pos::Example => "examples",
            Pos::Link => "links",
            Pos::SecurityScheme => "securitySchemes",
            Pos::Callback => "callbacks",
            Pos::PathItem => "pathItems",
            Pos::MediaType => "mediaTypes",
            _ => return None,
        })
    }

    /// Whether a `$ref` here stays a `$ref` (to a component) in the 3.0
    /// model the generator reads. Path items (3.0 has no
    /// `components/pathItems`), callbacks (an operation's callbacks cannot
    /// be refs there) and security schemes (only ever defined in
    /// `components`, by name) are inlined instead.
    pub(crate) fn hoists(self) -> bool {
        matches!(
            self,
            Pos::Schema
                | Pos::Response
                | Pos::Parameter
                | Pos::RequestBody
                | Pos::Header
                | Pos::Example
                | Pos::Link
        )
    }
}

/// The position of a component section's entries.
pub(crate) fn section_pos(section: &str) -> Option<&'static Pos> {
    Some(match section {
        "schemas" => &Pos::Schema,
        "responses" => &Pos::Response,
        "parameters" => &Pos::Parameter,
        "requestBodies" => &Pos::RequestBody,
        "headers" => &Pos::Header,
        "examples" => &Pos::Example,
        "links" => &Pos::Link,
        "securitySchemes" => &Pos::SecurityScheme,
        "callbacks" => &Pos::Callback,
        "pathItems" => &Pos::PathItem,
        "mediaTypes" => &Pos::MediaType,
        _ => return None,
    })
}

/// One step of a pointer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tok<'a> {
    Key(&'a str),
    Index(usize),
}

/// How a key's value relates to its parent.
enum Shape {
    /// The value is a node of this kind.
    One(Pos),
    /// The value maps names to nodes of this kind.
    Map(&'static Pos),
    /// The value lists nodes of this kind.
    List(Pos),
    /// Data, or nothing that can hold a `$ref`.
    Skip,
}

fn shape(pos: Pos, key: &str) -> Shape {
    use Pos::*;
    use Shape::*;
    match (pos, key) {
        (Document, "paths") => One(Paths),
        (Document, "components") => One(Components),
        // Webhooks are not part of a client: left as they are (the 3.1
        // rewrite drops them with a warning), so no file is read for them.
        (Document, "webhooks" | "openapi" | "jsonSchemaDialect") => Skip,
        (Document, _) => One(Free),
        (Components, section) => section_pos(section).map_or(Skip, Map),
        (Paths, _) => One(PathItem),
        (Callback, _) => One(PathItem),
        (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" | "query") => One(Operation),
        (PathItem, "additionalOperations") => Map(&Operation),
        (PathItem | Operation, "parameters") => List(Parameter),
        (PathItem, "$ref") => Skip,
        (PathItem, _) => One(Free),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => One(Responses),
        (Operation, "callbacks") => Map(&Callback),
        (Operation, _) => One(Free),
        (Responses, _) => One(Response),
        (Response, "headers") | (Encoding, "headers") => Map(&Header),
        (Response | RequestBody | Parameter | Header, "content") => Map(&MediaType),
        (Response, "links") => Map(&Link),
        (Parameter | Header | MediaType, "schema") => One(Schema),
        (MediaType, "itemSchema") => One(Schema),
        (MediaType, "itemEncoding") => One(Encoding),
        (MediaType, "prefixEncoding") => List(Encoding),
        (Parameter | Header | MediaType, "examples") => Map(&Example),
        (MediaType, "encoding") => Map(&Encoding),
        (Schema, "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas") => Map(&Schema),
        (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(Schema),
        (
            Schema,
            "items" | "additionalProperties" | "not" | "if" | "then" | "else" | "contains" | "propertyNames"
            | "unevaluatedItems" | "unevaluatedProperties" | "additionalItems" | "contentSchema",
        ) => One(Schema),
        (Schema, "discriminator") => One(Discriminator),
        (Schema, _) => Skip,
        (Free, _) => One(Free),
        (_, "description") => One(Free),
        _ => Skip,
    }
}

/// Calls `f` on every child of `node` (a node of kind `pos`) that can hold
/// or be a `$ref`, with the pointer steps from `node` to it and its kind.
/// Keys starting with `x-` on the node itself (extensions) are skipped;
/// names inside maps (a property or header called `x-id`) are not.
pub(crate) fn for_each_child(pos: Pos, node: &mut Value, f: &mut impl FnMut(&[Tok<'_>], &mut Value, Pos)) {
    if let (Pos::Entries(p), Value::Object(entries)) = (pos, &mut *node) {
        for (name, v) in entries.iter_mut() {
            f(&[Tok::Key(name)], v, *p);
        }
        return;
    }
    let map = match node {
        Value::Object(map) => map,
        Value::Array(items) if pos == Pos::Free => {
            for (i, item) in items.iter_mut().enumerate() {
                f(&[Tok::Index(i)], item, Pos::Free);
            }
            return;
        }
        _ => return,
    };
    for (key, child) in map.iter_mut() {
        if key.starts_with("x-") {
            continue;
        }
        match shape(pos, key) {
            Shape::Skip => {}
            // A pre-2020 tuple (`items: [..]`) is a list of schemas.
            Shape::One(Pos::Schema) if key == "items" && child.is_array() => each(key, child, Pos::Schema, f),
            Shape::One(p) => f(&[Tok::Key(key)], child, p),
            Shape::Map(p) => f(&[Tok::Key(key)], child, Pos::Entries(p)),
            Shape::List(p) => each(key, child, p, f),
        }
    }
}

/// [`for_each_child`] for reading: the same children, without pointers.
pub(crate) fn for_each_child_ref<'v>(pos: Pos, node: &'v Value, f: &mut impl FnMut(&'v Value, Pos)) {
    let map = match (pos, node) {
        (Pos::Entries(p), Value::Object(entries)) => return entries.values().for_each(|v| f(v, *p)),
        (_, Value::Object(map)) => map,
        (Pos::Free, Value::Array(items)) => return items.iter().for_each(|v| f(v, Pos::Free)),
        _ => return,
    };
    for (key, child) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
        match (shape(pos, key), child) {
            (Shape::One(Pos::Schema), Value::Array(items)) if key == "items" => items.iter().for_each(|v| f(v, Pos::Schema)),
            (Shape::One(p), _) => f(child, p),
            (Shape::Map(p), _) => f(child, Pos::Entries(p)),
            (Shape::List(p), Value::Array(items)) => items.iter().for_each(|v| f(v, p)),
            (Shape::List(_) | Shape::Skip, _) => {}
        }
    }
}

fn each(key: &str, child: &mut Value, p: Pos, f: &mut impl FnMut(&[Tok<'_>], &mut Value, Pos)) {
    if let Value::Array(items) = child {
        for (i, v) in items.iter_mut().enumerate() {
            f(&[Tok::Key(key), Tok::Index(i)], v, p);
        }
    }
}

/// A JSON pointer grown and shrunk while walking (one buffer, no
/// allocation per node).
#[derive(Debug, Clone)]
pub(crate) struct PointerBuf(pub String);

impl PointerBuf {
    /// Appends `toks`; returns the length to [`PointerBuf::truncate`] back to.
    pub(crate) fn push(&mut self, toks: &[Tok<'_>]) -> usize {
        let len = self.0.len();
        for t in toks {
            self.0.push('/');
            match t {
                Tok::Key(k) if !k.contains(['~', '/']) => self.0.push_str(k),
                Tok::Key(k) => {
                    for c in k.chars() {
                        match c {
                            '~' => self.0.push_str("~0"),
                            '/' => self.0.push_str("~1"),
                            c => self.0.push(c),
                        }
                    }
                }
                Tok::Index(i) => {
                    use std::fmt::Write as _;
                    let _ = write!(self.0, "{i}");
                }
            }
        }
        len
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Children, and the entries of maps (one level further).
    fn children(pos: Pos, mut node: Value) -> Vec<(String, Pos)> {
        let mut out = Vec::new();
        let mut buf = PointerBuf(String::from("#"));
        for_each_child(pos, &mut node, &mut |toks, child, p| {
            let len = buf.push(toks);
            if let Pos::Entries(_) = p {
                for_each_child(p, child, &mut |toks, _, p| {
                    let len = buf.push(toks);
                    out.push((buf.0.clone(), p));
                    buf.truncate(len);
                });
            } else {
                out.push((buf.0.clone(), p));
            }
            buf.truncate(len);
        });
        out
    }

    #[test]
    fn positions_follow_the_structure() {
        let op = json!({
            "parameters": [{"name": "a"}], "requestBody": {}, "responses": {"200": {}},
            "callbacks": {"cb": {}}, "tags": ["t"], "x-codeSamples": [{"$ref": "x.yml"}]
        });
        assert_eq!(
            children(Pos::Operation, op),
            [
                ("#/parameters/0".into(), Pos::Parameter),
                ("#/requestBody".into(), Pos::RequestBody),
                ("#/responses".into(), Pos::Responses),
                ("#/callbacks/cb".into(), Pos::Callback),
                ("#/tags".into(), Pos::Free),
            ]
        );
        let schema = json!({
            "properties": {"x-id": {}, "a/b": true}, "items": [{}, {}], "example": {"$ref": "data"},
            "enum": [1], "not": {}, "x-ext": {}, "discriminator": {}
        });
        assert_eq!(
            children(Pos::Schema, schema),
            [
                ("#/properties/x-id".into(), Pos::Schema),
                ("#/properties/a~1b".into(), Pos::Schema),
                ("#/items/0".into(), Pos::Schema),
                ("#/items/1".into(), Pos::Schema),
                ("#/not".into(), Pos::Schema),
                ("#/discriminator".into(), Pos::Discriminator),
            ]
        );
        let media = json!({"schema": {}, "example": {}, "examples": {"e": {}}, "encoding": {"f": {}}});
        assert_eq!(
            children(Pos::MediaType, media),
            [
                ("#/schema".into(), Pos::Schema),
                ("#/examples/e".into(), Pos::Example),
                ("#/encoding/f".into(), Pos::Encoding),
            ]
        );
        // OpenAPI 3.2: `query`, `additionalOperations`, `itemSchema`,
        // `components/mediaTypes`.
        let item = json!({"query": {}, "additionalOperations": {"COPY": {}}, "summary": "s"});
        assert_eq!(
            children(Pos::PathItem, item),
            [
                ("#/query".into(), Pos::Operation),
                ("#/additionalOperations/COPY".into(), Pos::Operation),
                ("#/summary".into(), Pos::Free),
            ]
        );
        let media = json!({"itemSchema": {}, "itemEncoding": {}, "prefixEncoding": [{}]});
        assert_eq!(
            children(Pos::MediaType, media),
            [
                ("#/itemSchema".into(), Pos::Schema),
                ("#/itemEncoding".into(), Pos::Encoding),
                ("#/prefixEncoding/0".into(), Pos::Encoding),
            ]
        );
        assert_eq!(children(Pos::Components, json!({"mediaTypes": {"m": {}}})), [("#/mediaTypes/m".into(), Pos::MediaType)]);
        let doc = json!({"openapi": "3.1.0", "info": {}, "webhooks": {}, "paths": {}, "components": {"schemas": {}}});
        assert_eq!(
            children(Pos::Document, doc),
            [
                ("#/info".into(), Pos::Free),
                ("#/paths".into(), Pos::Paths),
                ("#/components".into(), Pos::Components),
            ]
        );
        assert_eq!(
            children(Pos::Components, json!({"pathItems": {"p": {}}, "securitySchemes": {"s": {}}, "x-y": {}})),
            [("#/pathItems/p".into(), Pos::PathItem), ("#/securitySchemes/s".into(), Pos::SecurityScheme)]
        );
    }
}
