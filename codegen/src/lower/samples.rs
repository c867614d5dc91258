//! Argument values for the mock test (`cargo xtask mock-test`): for each
//! operation, the JSON value of every argument of two calls (the required
//! arguments only, then every argument), synthesized from the description.
//!
//! A value is, in order of preference: an example the description gives
//! (the parameter's or media type's `example`/`examples`, the schema's
//! `example`, a property's value in its parent's example), the `default`,
//! the first `enum` (or `const`) value, a value of the `format`, a string
//! the `pattern` matches, a number within the bounds (and a multiple of
//! `multipleOf`), else a value of the right type. An example or default is
//! taken only when it meets the schema (`fits`, a small validator of the
//! keywords a request is checked against), since real descriptions carry
//! examples that do not; `oneOf` picks a branch whose value matches that
//! branch alone. Objects are built property by property, so the required
//! call carries only required properties, and `readOnly` ones never go in
//! a request; an optional property whose value does not meet its schema
//! (no value can meet some) is left out rather than sent. Nothing here
//! decides types: the program `emit/mock` writes decodes each value into
//! the generated type, so a value the schema allows and the type refuses
//! is a failure the test reports.

use super::Lowerer;
use super::view::{Additional, SRef, View};
use crate::model::*;
use openapiv3::{
    Discriminator, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind, StatusCode, Type,
};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::HashMap;

/// Past this depth, optional properties and list items are left out.
const DEEP: usize = 6;
/// Past this depth, nothing more is built (a required cycle).
const MAX: usize = 24;

/// Compiled `pattern`s (ECMA-262 patterns, read as Rust regexes; `None`
/// when one does not compile), shared by every operation.
#[derive(Default)]
pub(super) struct Patterns(RefCell<HashMap<String, Option<regex::Regex>>>);

impl Patterns {
    fn matches(&self, pattern: &str, s: &str) -> bool {
        let mut cache = self.0.borrow_mut();
        let re = cache.entry(pattern.to_owned()).or_insert_with(|| regex::Regex::new(pattern).ok());
        re.as_ref().is_none_or(|re| re.is_match(s))
    }
}

/// The keywords [`View`] does not carry, read from the schema itself.
struct Extra<'a> {
    example: Option<&'a Value>,
    pattern: Option<&'a str>,
    multiple_of: Option<f64>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: bool,
    discriminator: Option<&'a Discriminator>,
}

fn extra(schema: &Schema) -> Extra<'_> {
    let data = &schema.schema_data;
    let mut x = Extra {
        example: data.example.as_ref(),
        pattern: None,
        multiple_of: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        discriminator: data.discriminator.as_ref(),
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => x.pattern = s.pattern.as_deref(),
        SchemaKind::Type(Type::Number(n)) => x.multiple_of = n.multiple_of,
        SchemaKind::Type(Type::Integer(n)) => x.multiple_of = n.multiple_of.map(|m| m as f64),
        SchemaKind::Type(Type::Array(a)) => {
            (x.min_items, x.max_items, x.unique_items) = (a.min_items, a.max_items, a.unique_items);
        }
        SchemaKind::Any(a) => {
            x.pattern = a.pattern.as_deref();
            x.multiple_of = a.multiple_of;
            (x.min_items, x.max_items, x.unique_items) = (a.min_items, a.max_items, a.unique_items.unwrap_or(false));
        }
        _ => {}
    }
    x
}

impl<'a> Lowerer<'a, '_> {
    /// The arguments of the mock test's two calls of an operation: its
    /// declared parameters (as `declared_params` returned them) and body,
    /// mapped onto the lowered path parameters, parameters struct and body.
    /// Empty unless the mock test was asked for.
    pub(super) fn call_samples(
        &self,
        declared: &[(&'a Parameter, String)],
        request_body: Option<&'a ReferenceOr<RequestBody>>,
        path_params: &[Param],
        params: Option<&ParamsStruct>,
        body: Option<&Body>,
    ) -> Vec<CallSample> {
        let Some(patterns) = &self.samples else { return Vec::new() };
        let s = Synth { l: self, patterns, reply: false };
        [Fill::Required, Fill::Every]
            .into_iter()
            .map(|fill| {
                let values: Vec<(Location, &str, Value)> =
                    declared.iter().map(|(p, _)| (location(p), p.parameter_data_ref().name.as_str(), s.param(p, fill))).collect();
                let find = |loc: Location, wire: &str| -> Option<Value> {
                    values.iter().find(|(l, w, _)| *l == loc && *w == wire).map(|(_, _, v)| v.clone()).or_else(|| {
                        // A property of an exploded query object, sent as a
                        // parameter of its own.
                        values
                            .iter()
                            .filter(|(l, _, _)| *l == Location::Query && loc == Location::Query)
                            .find_map(|(_, _, v)| v.get(wire).cloned())
                    })
                };
                let path = path_params.iter().map(|p| find(p.location, &p.wire).unwrap_or_else(|| json!("string"))).collect();
                let params = params
                    .into_iter()
                    .flat_map(ParamsStruct::all)
                    .filter(|p| fill == Fill::Every || p.required)
                    .filter_map(|p| find(p.location, &p.wire).map(|v| (p.location, p.wire.clone(), v)))
                    .collect();
                // An optional body the generator could make no valid value
                // of (a `oneOf` whose branches overlap) is left out, as an
                // optional property is.
                let body = body.filter(|b| fill == Fill::Every || b.required).and_then(|b| match request_body {
                    None => Some(json!({})),
                    Some(rb) => match s.body(rb, b, fill) {
                        (_, false) if !b.required => None,
                        (value, _) => Some(value),
                    },
                });
                CallSample { fill, path, params, body }
            })
            .collect()
    }
}

impl<'a> Lowerer<'a, '_> {
    /// The items a mock server streams for each sequential media type
    /// (server-sent events, JSON Lines, JSON text sequences) of the
    /// operation's 2XX replies: two items of the item schema (its `items`
    /// when it is an array, which describes the whole stream), the media
    /// type's example first. Empty unless the mock test was asked for.
    pub(super) fn stream_samples(&mut self, op: &'a openapiv3::Operation, ptr: &str) -> Vec<StreamSample> {
        if self.samples.is_none() {
            return Vec::new();
        }
        let mut found: Vec<(String, String, &'a openapiv3::MediaType)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let is_2xx = matches!(code, StatusCode::Code(c) if (200..300).contains(c)) || matches!(code, StatusCode::Range(2));
            let key = match code {
                StatusCode::Code(c) => c.to_string(),
                StatusCode::Range(d) => format!("{d}XX"),
            };
            let rptr = crate::diagnostics::pointer(&crate::diagnostics::pointer(ptr, "responses"), &key);
            let Some((resp, rptr)) = (if is_2xx { self.resolve_response(r, &rptr) } else { None }) else { continue };
            for (media, content) in &resp.content {
                if Framing::of(media).is_some() {
                    let at = crate::diagnostics::pointer(&crate::diagnostics::pointer(&rptr, "content"), media);
                    found.push((at, media.clone(), content));
                }
            }
        }
        let Some(patterns) = &self.samples else { return Vec::new() };
        let s = Synth { l: self, patterns, reply: true };
        found
            .into_iter()
            .map(|(pointer, media, content)| {
                let item_schema = content.schema.as_ref().map(SRef::from).map(|sr| match s.peek(sr).map(View::of) {
                    Some(v) if v.typ == Some("array") && v.properties.is_empty() => v.items.unwrap_or(sr),
                    _ => sr,
                });
                let hint = content.example.as_ref().filter(|e| !e.is_string());
                let items = (0..2)
                    .map(|_| match item_schema {
                        Some(sr) => s.value(sr, Fill::Every, hint, 0),
                        None => json!({}),
                    })
                    .collect();
                StreamSample { pointer, media, items }
            })
            .collect()
    }
}

fn location(p: &Parameter) -> Location {
    match p {
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Path { .. } => Location::Path,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}

/// The synthesizer: reads schemas through the lowerer's silent `$ref`
/// resolution.
struct Synth<'l, 'a, 'd> {
    l: &'l Lowerer<'a, 'd>,
    patterns: &'l Patterns,
    /// Values of a reply (`writeOnly` properties left out), not of a
    /// request (`readOnly` ones left out).
    reply: bool,
}

impl<'a> Synth<'_, 'a, '_> {
    fn peek(&self, s: SRef<'a>) -> Option<&'a Schema> {
        self.l.peek(s)
    }

    /// An `examples` entry's value, through a `$ref` to `components/examples`.
    fn example_value(&self, e: &'a ReferenceOr<openapiv3::Example>) -> Option<&'a Value> {
        match e {
            ReferenceOr::Item(e) => e.value.as_ref(),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/examples/")?.replace("~1", "/").replace("~0", "~");
                match self.l.spec.components.as_ref()?.examples.get(&name)? {
                    ReferenceOr::Item(e) => e.value.as_ref(),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    /// One declared parameter's value.
    fn param(&self, p: &'a Parameter, fill: Fill) -> Value {
        let data = p.parameter_data_ref();
        let mut hints: Vec<&Value> = data.example.iter().collect();
        hints.extend(data.examples.values().filter_map(|e| self.example_value(e)));
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => Some(SRef::from(s)),
            ParameterSchemaOrContent::Content(c) => c.first().and_then(|(_, m)| {
                hints.extend(m.example.iter());
                hints.extend(m.examples.values().filter_map(|e| self.example_value(e)));
                m.schema.as_ref().map(SRef::from)
            }),
        };
        match schema {
            Some(s) => {
                let hint = hints.iter().copied().find(|h| self.fits(h, s, 0)).or(hints.first().copied());
                self.value(s, fill, hint, 0)
            }
            None => hints.first().map_or(json!("string"), |h| (*h).clone()),
        }
    }

    /// The body's value, in the media type the client sends, and whether
    /// it meets the body's schema.
    fn body(&self, rb: &'a ReferenceOr<RequestBody>, model: &Body, fill: Fill) -> (Value, bool) {
        let body = match rb {
            ReferenceOr::Item(b) => Some(b),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/requestBodies/")
                .map(|n| n.replace("~1", "/").replace("~0", "~"))
                .and_then(|n| self.l.spec.components.as_ref()?.request_bodies.get(&n))
                .and_then(|b| b.as_item()),
        };
        let Some((_, media)) = body.and_then(|b| super::bodies::chosen_media(&b.content)) else {
            return (json!({}), true);
        };
        let mut hints: Vec<&Value> = media.example.iter().collect();
        hints.extend(media.examples.values().filter_map(|e| self.example_value(e)));
        let (value, fits) = match &media.schema {
            Some(s) => {
                let s = SRef::from(s);
                let hint = hints.iter().copied().find(|h| self.fits(h, s, 0)).or(hints.first().copied());
                let value = self.value(s, fill, hint, 0);
                let fits = self.fits(&value, s, 0);
                (value, fits)
            }
            None => (hints.first().map_or(Value::Null, |h| (*h).clone()), true),
        };
        let value = match (&model.kind, value) {
            (BodyKind::Raw(_), Value::Null) => json!("file contents"),
            (BodyKind::Raw(_), Value::String(s)) => Value::String(s),
            (BodyKind::Raw(_), other) => Value::String(other.to_string()),
            // A body whose media type has no schema (Cloudflare's
            // `application/json: {}`): an empty object, not `null`.
            (_, Value::Null) => json!({}),
            (_, v) => v,
        };
        (value, fits)
    }

    /// A value for schema `s`: see the module docs for the order.
    fn value(&self, s: SRef<'a>, fill: Fill, hint: Option<&Value>, depth: usize) -> Value {
        self.value_with(s, fill, hint, depth, &[])
    }

    /// [`Synth::value`], with properties that another member of an
    /// enclosing `allOf` requires (`required` often stands apart from the
    /// `properties` it names).
    fn value_with(&self, s: SRef<'a>, fill: Fill, hint: Option<&Value>, depth: usize, force: &[&'a str]) -> Value {
        let Some(schema) = self.peek(s) else { return hint.cloned().unwrap_or(json!("string")) };
        let v = View::of(schema);
        let x = extra(schema);
        // JSON Schema lets `type` go unsaid; the keywords that apply to one
        // type alone say which (`required` to objects, `pattern` to strings).
        let object = v.typ == Some("object") || v.has_properties() || (v.typ.is_none() && v.implied_type() == Some("object"));
        if depth >= MAX {
            return if object { json!({}) } else if v.typ == Some("array") { json!([]) } else { json!("string") };
        }
        // A schema's own `enum` (or `const`) says which values it takes,
        // whatever its `allOf` adds (`enum: [3]` beside `allOf: [the enum
        // of every entity type]`).
        if !v.enumeration.is_empty() {
            let listed = [hint, x.example, v.default].into_iter().flatten().chain(v.enumeration.iter().filter(|e| !e.is_null()));
            if let Some(value) = listed.into_iter().find(|c| self.fits(c, s, depth)) {
                return value.clone();
            }
        }
        if !v.all_of.is_empty() {
            return self.all_of(s, &v, fill, hint, depth, force);
        }
        let branches: &[SRef<'a>] = if v.one_of.is_empty() { &v.any_of } else { &v.one_of };
        // Alternatives the generated types leave out (see `Lowerer::alternatives`).
        let branches = if self.l.alternatives(&v).is_empty() { &[] } else { branches };
        if !branches.is_empty() {
            return self.branch(s, &v, &x, branches, fill, hint, depth, force);
        }
        if !object {
            for candidate in [hint, x.example, v.default].into_iter().flatten() {
                if self.fits(candidate, s, depth) {
                    return candidate.clone();
                }
            }
        }
        if let Some(e) = v.enumeration.iter().find(|e| !e.is_null()) {
            return e.clone();
        }
        match v.typ {
            _ if object => self.object(&v, fill, hint.or(x.example), depth, force),
            Some("string") => self.string(&v, &x),
            Some("integer") => number(&v, &x, true),
            Some("number") => number(&v, &x, false),
            Some("boolean") => v.default.filter(|d| d.is_boolean()).cloned().unwrap_or(json!(true)),
            Some("array") => self.array(&v, &x, fill, hint.or(x.example), depth),
            _ if v.items.is_some() => self.array(&v, &x, fill, hint.or(x.example), depth),
            _ if matches!(v.additional, Additional::Schema(_)) => self.object(&v, fill, hint, depth, force),
            _ if v.minimum.is_some() || v.maximum.is_some() => number(&v, &x, false),
            _ if x.pattern.is_some() || v.min_length.is_some() || v.max_length.is_some() || v.format.is_some() => self.string(&v, &x),
            _ => json!("string"),
        }
    }

    /// `allOf`: the members' values merged (objects), or the first value
    /// every member accepts.
    fn all_of(&self, s: SRef<'a>, v: &View<'a>, fill: Fill, hint: Option<&Value>, depth: usize, force: &[&'a str]) -> Value {
        if let Some(h) = hint.filter(|h| !h.is_object() && self.fits(h, s, depth)) {
            return h.clone();
        }
        // What any member requires, every member's properties must carry.
        let mut required: Vec<&'a str> = force.to_vec();
        required.extend(v.required.iter().copied());
        let mut described: Vec<&'a str> = v.properties.iter().map(|(n, _)| *n).collect();
        for m in &v.all_of {
            if let Some(m) = self.peek(*m) {
                let m = View::of(m);
                required.extend(m.required);
                described.extend(m.properties.iter().map(|(n, _)| *n));
            }
        }
        // A member that says nothing of the value's shape (`{default: true}`,
        // a description) has no value of its own to offer.
        let shaped: Vec<SRef<'a>> = v.all_of.iter().copied().filter(|m| self.peek(*m).is_none_or(|m| !says_nothing(m))).collect();
        let members = if shaped.is_empty() { v.all_of.clone() } else { shaped };
        let mut values: Vec<Value> = members.iter().map(|m| self.value_with(*m, fill, hint, depth + 1, &required)).collect();
        if v.has_properties() {
            values.push(self.object(v, fill, hint, depth, &required));
        }
        if values.iter().all(Value::is_object) {
            // A property two members describe must meet both (an
            // `origin` here, an `origin` with a `password` there): their
            // objects merge, the first value wins elsewhere.
            let mut out = Value::Object(Map::new());
            for value in &values {
                merge(&mut out, value.clone());
            }
            // Where members give a property different values (a base's
            // `id` example, a member's `enum` for it), the value every
            // member accepts wins.
            if !self.fits(&out, s, depth) {
                self.reconcile(&mut out, &values, &members, depth);
            }
            let Value::Object(mut out) = out else { unreachable!("merged into an object") };
            // What an enclosing composition requires is its to fill; what a
            // member describes and left out (`readOnly` in a request) stays out.
            let own: Vec<&str> = required.iter().copied().filter(|r| !force.contains(r) && !described.contains(r)).collect();
            self.undescribed(&mut out, &own, hint.and_then(Value::as_object));
            return Value::Object(out);
        }
        let first = values.iter().find(|x| !x.is_object()).cloned().unwrap_or(json!("string"));
        values.into_iter().find(|x| self.fits(x, s, depth)).unwrap_or(first)
    }

    /// For each property of `out` that `values` (one per member of an
    /// `allOf`) disagree on, the members' candidate the most members accept.
    fn reconcile(&self, out: &mut Value, values: &[Value], members: &[SRef<'a>], depth: usize) {
        let Value::Object(map) = out else { return };
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let candidates = unique(values.iter().filter_map(|v| v.get(&key)).cloned());
            if candidates.len() < 2 {
                continue;
            }
            // How many members accept the object with it (a member's
            // `oneOf` may be what pins the property: `strategy: {enum:
            // [percentage]}` in its only branch), then how many members'
            // schemas of the property accept it (a member that does not
            // describe it accepts anything).
            let score = |c: &Value| {
                let mut with = map.clone();
                with.insert(key.clone(), c.clone());
                let with = Value::Object(with);
                let whole = members.iter().filter(|m| self.fits(&with, **m, depth + 1)).count();
                let own = members
                    .iter()
                    .filter(|m| {
                        let own = self.peek(**m).and_then(|m| View::of(m).properties.iter().find(|(n, _)| *n == key).map(|(_, p)| *p));
                        own.is_none_or(|p| self.fits(c, p, depth + 1))
                    })
                    .count();
                (whole, own)
            };
            let best = candidates.iter().enumerate().max_by_key(|(i, c)| (score(c), usize::MAX - i)).map(|(_, c)| c.clone());
            if let Some(best) = best {
                map.insert(key, best);
            }
        }
    }

    /// `oneOf`/`anyOf`: the first branch whose value the whole schema
    /// accepts (for `oneOf`, that branch alone matches), with the
    /// discriminator property set to the branch's name.
    #[allow(clippy::too_many_arguments)]
    fn branch(
        &self,
        s: SRef<'a>,
        v: &View<'a>,
        x: &Extra<'a>,
        branches: &[SRef<'a>],
        fill: Fill,
        hint: Option<&Value>,
        depth: usize,
        force: &[&'a str],
    ) -> Value {
        if let Some(h) = [hint, x.example].into_iter().flatten().find(|h| self.fits(h, s, depth)) {
            if !h.is_object() || fill == Fill::Every {
                return h.clone();
            }
        }
        let mut required: Vec<&'a str> = force.to_vec();
        required.extend(v.required.iter().copied());
        let own = v.has_properties().then(|| self.object(v, fill, hint, depth, &required));
        let mut first = None;
        for b in branches {
            if self.peek(*b).is_some_and(|b| View::of(b).is_null_only()) {
                continue;
            }
            let make = |fill: Fill| {
                let mut value = self.value_with(*b, fill, hint, depth + 1, &required);
                if let (Some(d), SRef::Ref(r), Value::Object(m)) = (x.discriminator, b, &mut value) {
                    let key = d
                        .mapping
                        .iter()
                        .find(|(_, target)| target.as_str() == *r)
                        .map(|(k, _)| k.clone())
                        .unwrap_or_else(|| r.rsplit('/').next().unwrap_or_default().to_owned());
                    m.insert(d.property_name.clone(), Value::String(key));
                }
                if let (Some(Value::Object(own)), Value::Object(m)) = (&own, &mut value) {
                    for (k, v) in own {
                        m.entry(k.clone()).or_insert(v.clone());
                    }
                }
                // What the composition requires and this branch does not
                // describe, a sibling branch may (an `allOf` requiring
                // `preset` and `dimensions` of a `oneOf` that has each in
                // one branch): its schema gives the value, not a string.
                if let Value::Object(m) = &mut value {
                    for name in &required {
                        if m.contains_key(*name) {
                            continue;
                        }
                        let described = branches
                            .iter()
                            .filter_map(|o| self.peek(*o))
                            .find_map(|o| View::of(o).properties.iter().find(|(n, _)| n == name).map(|(_, p)| *p));
                        if let Some(p) = described {
                            let sample = hint.and_then(|h| h.get(*name));
                            m.insert((*name).to_owned(), self.value(p, fill, sample, depth + 2));
                        }
                    }
                }
                value
            };
            let value = make(fill);
            if self.fits(&value, s, depth) {
                return value;
            }
            // The required properties alone may not tell the branches
            // apart (`{}` meets every branch whose properties are all
            // optional); the branch's optional ones may.
            if fill == Fill::Required {
                let every = make(Fill::Every);
                if self.fits(&every, s, depth) {
                    return every;
                }
            }
            first.get_or_insert(value);
        }
        first.or(own).unwrap_or(json!("string"))
    }

    /// An object: its properties (required ones only for the required
    /// call, none `readOnly`), values from the parent's example first; a
    /// map gets one entry in the full call.
    fn object(&self, v: &View<'a>, fill: Fill, hint: Option<&Value>, depth: usize, force: &[&'a str]) -> Value {
        let hint = hint.and_then(Value::as_object);
        let mut out = Map::new();
        for (name, p) in &v.properties {
            let required = v.required.contains(name) || force.contains(name);
            if self.peek(*p).is_some_and(|p| if self.reply { p.schema_data.write_only } else { p.schema_data.read_only }) {
                continue;
            }
            if !required && (fill == Fill::Required || depth >= DEEP) {
                continue;
            }
            let value = self.value(*p, fill, hint.and_then(|h| h.get(*name)), depth + 1);
            // An optional property none of whose values the generator can
            // make (a `oneOf` of two plain strings: every string meets
            // both) stays out; a required one goes in, to fail as it must.
            if !required && !self.fits(&value, *p, depth + 1) {
                continue;
            }
            out.insert((*name).to_owned(), value);
        }
        if v.properties.is_empty() && fill == Fill::Every && depth < DEEP {
            if let Additional::Schema(a) = v.additional {
                let (key, sample) = hint.and_then(|h| h.iter().next()).map_or(("key", None), |(k, v)| (k.as_str(), Some(v)));
                let value = self.value(a, fill, sample, depth + 1);
                if self.fits(&value, a, depth + 1) {
                    out.insert(key.to_owned(), value);
                }
            }
        }
        // A member of a composition leaves what it requires but does not
        // describe to the composition, whose other members may describe it.
        // (One it describes and left out, `readOnly` in a request, stays out.)
        if force.is_empty() {
            let required: Vec<&str> = v.required.iter().copied().filter(|r| !v.properties.iter().any(|(n, _)| n == r)).collect();
            match v.additional {
                Additional::Schema(a) => {
                    for name in &required {
                        if !out.contains_key(*name) {
                            let sample = hint.and_then(|h| h.get(*name));
                            out.insert((*name).to_owned(), self.value(a, fill, sample, depth + 1));
                        }
                    }
                }
                Additional::Any => self.undescribed(&mut out, &required, hint),
                Additional::None => {}
            }
        }
        Value::Object(out)
    }

    /// Sets each `required` property no schema describes (JSON Schema lets
    /// `required` name any property): its value in the example, else a
    /// string.
    fn undescribed(&self, out: &mut Map<String, Value>, required: &[&str], hint: Option<&Map<String, Value>>) {
        for name in required {
            if !out.contains_key(*name) {
                let value = hint.and_then(|h| h.get(*name)).cloned().unwrap_or(json!("string"));
                out.insert((*name).to_owned(), value);
            }
        }
    }

    /// A list: as many items as `minItems` asks, at least one; two in the
    /// full call (so the separator or the repeated key is on the wire)
    /// when `maxItems` allows; none past [`DEEP`] when none is needed.
    fn array(&self, v: &View<'a>, x: &Extra<'a>, fill: Fill, hint: Option<&Value>, depth: usize) -> Value {
        let min = x.min_items.unwrap_or(0);
        if depth >= DEEP && min == 0 {
            return json!([]);
        }
        let want = if fill == Fill::Every { 2 } else { 1 };
        let n = min.max(want).min(x.max_items.unwrap_or(usize::MAX));
        let hints = hint.and_then(Value::as_array);
        let mut items: Vec<Value> = Vec::with_capacity(n);
        for i in 0..n {
            let h = hints.and_then(|h| h.get(i).or(h.first()));
            let mut item = match v.items {
                Some(items) => self.value(items, fill, h, depth + 1),
                None => h.cloned().unwrap_or(json!("string")),
            };
            if x.unique_items && items.contains(&item) {
                // Another value the item schema accepts (a snowflake's
                // pattern refuses `01`, an integer stays an integer).
                let variants = match &item {
                    Value::String(s) => vec![json!(format!("{s}{i}")), json!(format!("{i}{s}")), json!(i.to_string())],
                    Value::Number(n) if n.is_i64() => vec![json!(n.as_i64().unwrap_or(0) + i as i64)],
                    Value::Number(n) => vec![json!(n.as_f64().unwrap_or(0.0) + i as f64)],
                    _ => vec![],
                };
                let fits = |c: &Value| !items.contains(c) && v.items.is_none_or(|s| self.fits(c, s, depth + 1));
                match variants.into_iter().find(fits) {
                    Some(other) => item = other,
                    // An item that cannot be told apart from one already
                    // there is left out, when `minItems` lets the list be shorter.
                    None if items.len() >= min => break,
                    None => {}
                }
            }
            items.push(item);
        }
        Value::Array(items)
    }

    /// A string of the schema's format, matching its pattern, of a length
    /// within its bounds.
    fn string(&self, v: &View<'a>, x: &Extra<'a>) -> Value {
        let (min, max) = (v.min_length.unwrap_or(0), v.max_length.unwrap_or(usize::MAX));
        let fits = |s: &str| {
            let n = s.chars().count();
            n >= min && n <= max && x.pattern.is_none_or(|p| self.patterns.matches(p, s))
        };
        if let Some(s) = v.format.and_then(format_value) {
            if fits(s) {
                return json!(s);
            }
        }
        if let Some(p) = x.pattern {
            if let Some(s) = pattern_value(p, min, max, |s| fits(s)) {
                return json!(s);
            }
        }
        let mut s = String::from("string");
        while s.chars().count() < min {
            s.push('x');
        }
        if s.chars().count() > max {
            s = "s".repeat(max.max(min));
        }
        json!(s)
    }

    /// Whether `value` meets schema `s`: type, `nullable`, `enum`, bounds,
    /// lengths, `pattern`, the common formats, required and extra
    /// properties, items, and the compositions (`oneOf`: exactly one).
    fn fits(&self, value: &Value, s: SRef<'a>, depth: usize) -> bool {
        if depth > MAX {
            return true;
        }
        let Some(schema) = self.peek(s) else { return true };
        let v = View::of(schema);
        let x = extra(schema);
        if value.is_null() {
            return v.nullable
                || v.enumeration.iter().any(Value::is_null)
                || v.one_of.iter().chain(&v.any_of).any(|b| self.fits(value, *b, depth + 1))
                || v.is_empty_schema();
        }
        if !v.enumeration.is_empty() && !v.enumeration.iter().any(|e| same(e, value)) {
            return false;
        }
        let ok = match v.typ.or(v.implied_type()) {
            Some("string") => value.as_str().is_some_and(|s| self.string_fits(s, &v, &x)),
            // A whole number beyond 64 bits is no integer a client can hold.
            Some("integer") => {
                value.is_i64() && value.as_f64().is_some_and(|n| number_fits(n, &v, &x))
            }
            Some("number") => value.as_f64().is_some_and(|n| number_fits(n, &v, &x)),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.as_array().is_some_and(|a| self.array_fits(a, &v, &x, depth)),
            Some("object") => value.as_object().is_some_and(|o| self.object_fits(o, &v, depth)),
            _ => match value {
                Value::Object(o) => self.object_fits(o, &v, depth),
                Value::Array(a) => self.array_fits(a, &v, &x, depth),
                Value::String(s) => self.string_fits(s, &v, &x),
                Value::Number(n) => n.as_f64().is_some_and(|n| number_fits(n, &v, &x)),
                _ => true,
            },
        };
        // Alternatives the generated types leave out do not count here.
        let branches = !self.l.alternatives(&v).is_empty();
        ok && v.all_of.iter().all(|m| self.fits(value, *m, depth + 1))
            && (!branches || v.any_of.is_empty() || v.any_of.iter().any(|m| self.fits(value, *m, depth + 1)))
            && (!branches || v.one_of.is_empty() || v.one_of.iter().filter(|m| self.fits(value, **m, depth + 1)).count() == 1)
    }

    fn string_fits(&self, s: &str, v: &View<'a>, x: &Extra<'a>) -> bool {
        let n = s.chars().count();
        v.min_length.is_none_or(|m| n >= m)
            && v.max_length.is_none_or(|m| n <= m)
            && x.pattern.is_none_or(|p| self.patterns.matches(p, s))
            && v.format.is_none_or(|f| format_fits(f, s))
    }

    fn array_fits(&self, a: &[Value], v: &View<'a>, x: &Extra<'a>, depth: usize) -> bool {
        x.min_items.is_none_or(|m| a.len() >= m)
            && x.max_items.is_none_or(|m| a.len() <= m)
            && (!x.unique_items || a.iter().enumerate().all(|(i, item)| !a[..i].contains(item)))
            && v.items.is_none_or(|items| a.iter().all(|item| self.fits(item, items, depth + 1)))
    }

    fn object_fits(&self, o: &Map<String, Value>, v: &View<'a>, depth: usize) -> bool {
        v.required.iter().all(|r| o.contains_key(*r))
            && o.iter().all(|(k, value)| match v.properties.iter().find(|(name, _)| name == k) {
                Some((_, p)) => self.fits(value, *p, depth + 1),
                None => match v.additional {
                    Additional::None => !v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty(),
                    Additional::Schema(a) => self.fits(value, a, depth + 1),
                    Additional::Any => true,
                },
            })
    }
}

/// Two JSON values are the same, numbers compared by value (`1` and `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn number_fits(n: f64, v: &View<'_>, x: &Extra<'_>) -> bool {
    v.minimum.is_none_or(|m| if v.exclusive_minimum { n > m } else { n >= m })
        && v.maximum.is_none_or(|m| if v.exclusive_maximum { n < m } else { n <= m })
        && x.multiple_of.is_none_or(|m| m == 0.0 || (n / m).fract().abs() < 1e-9)
}

/// A number within the bounds, 1 when it may be, a multiple of
/// `multipleOf` when one is asked for.
fn number(v: &View<'_>, x: &Extra<'_>, integer: bool) -> Value {
    if let Some(d) = v.default.filter(|d| d.as_f64().is_some_and(|n| number_fits(n, v, x) && (!integer || n.fract() == 0.0))) {
        return d.clone();
    }
    // The open side of an exclusive bound moves by one (integers), or by
    // half the room there is (numbers).
    let room = match (v.minimum, v.maximum) {
        (Some(l), Some(h)) => ((h - l) / 2.0).min(1.0),
        _ => 1.0,
    };
    let step = if integer { 1.0 } else { room };
    let lo = v.minimum.map(|m| if v.exclusive_minimum { m + step } else { m });
    let hi = v.maximum.map(|m| if v.exclusive_maximum { m - step } else { m });
    let lo = lo.map(|l| if integer { l.ceil() } else { l });
    let hi = hi.map(|h| if integer { h.floor() } else { h });
    let mut n: f64 = 1.0;
    if let Some(l) = lo.filter(|l| n < *l) {
        n = l;
    }
    if let Some(h) = hi.filter(|h| n > *h) {
        n = h;
    }
    if let Some(m) = x.multiple_of.filter(|m| *m > 0.0) {
        if (n / m).fract() != 0.0 {
            n = (n / m).ceil() * m;
            if hi.is_some_and(|h| n > h) {
                n -= m;
            }
        }
    }
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// A value of a string format, when the format is one Prism checks (or a
/// file's content).
fn format_value(format: &str) -> Option<&'static str> {
    Some(match format {
        "date" => "2024-01-02",
        "date-time" => "2024-01-02T03:04:05Z",
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" => "https://example.com/",
        "uri-reference" | "iri-reference" => "/example",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "ZmlsZSBjb250ZW50cw==",
        "binary" => "file contents",
        "password" => "secret",
        _ => return None,
    })
}

/// Whether a string is of a format (the formats JSON Schema validators
/// check; any other format is free text).
fn format_fits(format: &str, s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let date = |t: &str| {
        let p: Vec<&str> = t.split('-').collect();
        p.len() == 3 && p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2 && p.iter().all(|x| digits(x))
            && (1..=12).contains(&p[1].parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&p[2].parse::<u32>().unwrap_or(0))
    };
    let time = |t: &str| {
        let t = t.trim_end_matches(['Z', 'z']);
        let t = t.rsplit_once(['+', '-']).map_or(t, |(a, _)| a);
        let t = t.split_once('.').map_or(t, |(a, f)| if digits(f) { a } else { "" });
        let p: Vec<&str> = t.split(':').collect();
        p.len() == 3 && p.iter().all(|x| x.len() == 2 && digits(x))
    };
    match format {
        "date" => date(s),
        "date-time" => s.split_once(['T', 't', ' ']).is_some_and(|(d, t)| date(d) && time(t)),
        "time" => time(s),
        "uuid" => {
            let p: Vec<&str> = s.split('-').collect();
            p.iter().map(|x| x.len()).eq([8, 4, 4, 4, 12]) && p.iter().all(|x| x.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => s.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !s.contains(char::is_whitespace)),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "uri" | "url" => {
            s.split_once(':').is_some_and(|(scheme, _)| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            }) && !s.contains(char::is_whitespace)
        }
        "hostname" => {
            !s.is_empty()
                && s.len() <= 253
                && s.split('.').all(|l| {
                    !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-')
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
        "byte" => s.len() % 4 == 0 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
        _ => true,
    }
}

/// A string `pattern` (an ECMA-262 regular expression) matches, within
/// the lengths given, if one can be made.
pub(crate) fn pattern_example(pattern: &str, min: usize, max: usize) -> Option<String> {
    let re = regex::Regex::new(pattern).ok()?;
    pattern_value(pattern, min, max, |s| {
        let n = s.chars().count();
        n >= min && n <= max && re.is_match(s)
    })
}

/// A string `pattern` matches, as short as its repetitions allow and
/// stretched (each open repetition repeated more) until `ok` accepts it.
fn pattern_value(pattern: &str, min: usize, max: usize, ok: impl Fn(&str) -> bool) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let limit = min.max(1).min(max).min(256);
    (0..=limit).find_map(|stretch| {
        let mut s = String::new();
        write_match(&hir, stretch, &mut s);
        ok(&s).then_some(s)
    })
}

/// Writes a string that `hir` matches: the first branch of each
/// alternation, a plain character of each class, each repetition its
/// minimum plus `stretch` (within its maximum).
fn write_match(hir: &regex_syntax::hir::Hir, stretch: usize, out: &mut String) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let plain = ('a'..='z').chain('0'..='9').chain('A'..='Z').chain(['-', '_', '.']);
            let found = plain.clone().find(|ch| c.ranges().iter().any(|r| (r.start()..=r.end()).contains(ch)));
            if let Some(ch) = found.or_else(|| c.ranges().first().map(|r| r.start())) {
                out.push(ch);
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let plain = (b'a'..=b'z').chain(b'0'..=b'9').chain(b'A'..=b'Z');
            let found = plain.clone().find(|b| c.ranges().iter().any(|r| (r.start()..=r.end()).contains(b)));
            if let Some(b) = found.or_else(|| c.ranges().first().map(|r| r.start())) {
                out.push(char::from(b));
            }
        }
        HirKind::Repetition(r) => {
            let extra = r.max.map_or(stretch, |m| (m - r.min) as usize).min(stretch);
            for _ in 0..(r.min as usize + extra) {
                write_match(&r.sub, stretch, out);
            }
        }
        HirKind::Capture(c) => write_match(&c.sub, stretch, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| write_match(p, stretch, out)),
        HirKind::Alternation(alts) => {
            if let Some(first) = alts.first() {
                write_match(first, stretch, out);
            }
        }
    }
}

/// A schema that gives no type and no keyword that implies one.
fn says_nothing(schema: &Schema) -> bool {
    let v = View::of(schema);
    let x = extra(schema);
    v.is_constraint_only() && v.required.is_empty() && x.pattern.is_none() && v.min_length.is_none() && v.max_length.is_none()
        && v.minimum.is_none() && v.maximum.is_none() && x.min_items.is_none()
}

/// The distinct items, in the order first seen (values that are not
/// `Ord` or `Hash`, such as JSON).
pub(crate) fn unique<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Merges `b` into `a`: objects key by key (recursively), `a`'s value kept
/// where both have one that is not an object.
fn merge(a: &mut Value, b: Value) {
    if let (Value::Object(a), Value::Object(b)) = (a, b) {
        for (k, v) in b {
            match a.get_mut(&k) {
                Some(old) => merge(old, v),
                None => {
                    a.insert(k, v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_get_a_matching_string() {
        for (pattern, min, max) in [
            ("^MG[0-9a-fA-F]{32}$", 0, usize::MAX),
            ("^[0-9]+$", 0, usize::MAX),
            ("^([a-zA-Z0-9][\\-a-zA-Z0-9]*\\.)+[\\-a-zA-Z0-9]{2,20}$", 0, usize::MAX),
            ("queued|initialize|clone_repo", 0, usize::MAX),
            ("^(?:[0-9a-f]{32})?$", 0, usize::MAX),
            ("^[a-z0-9][a-z0-9-]*[a-z0-9]", 0, usize::MAX),
            ("^[a-z]+$", 5, 10),
            ("^(https?://)?(([-a-zA-Z0-9*]*\\.)+[-a-zA-Z0-9]{2,20})(:(8080|8443|443|80))?(/[\\S]+)?$", 0, usize::MAX),
        ] {
            let re = regex::Regex::new(pattern).unwrap();
            let ok = |s: &str| re.is_match(s) && (min..=max).contains(&s.chars().count());
            let s = pattern_value(pattern, min, max, ok).unwrap_or_else(|| panic!("{pattern}"));
            assert!(ok(&s), "{pattern}: {s}");
        }
    }

    #[test]
    fn formats_are_told_apart() {
        for (format, good, bad) in [
            ("date", "2024-01-02", "2024-1-2"),
            ("date-time", "2024-01-02T03:04:05.123+02:00", "2024-01-02"),
            ("uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64"),
            ("email", "a@example.com", "a example.com"),
            ("ipv4", "192.0.2.1", "192.0.2"),
            ("uri", "https://example.com/x", "example.com"),
            ("hostname", "a-b.example.com", "-a.example.com"),
        ] {
            assert!(format_fits(format, good), "{format}: {good}");
            assert!(!format_fits(format, bad), "{format}: {bad}");
            if let Some(v) = format_value(format) {
                assert!(format_fits(format, v), "{format}: {v}");
            }
        }
    }
}

