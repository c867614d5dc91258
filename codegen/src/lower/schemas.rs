//! Schemas to types: decides whether a schema becomes a struct, an enum, a
//! union, an alias or a primitive, and caches component schemas so that
//! every `$ref` to one shares one type.
//!
//! Does not invent names: a component keeps the name reserved for it in
//! `Lowerer::new`, and an inline schema takes the hint its caller passes
//! (suffixed `Item` or `Value` for array items and map values). Merging
//! compositions is `compose`'s job; enums and unions are `enums`'s.

use super::view::{Additional, SRef, View};
use super::classify::alternatives_key;
use super::{Lowerer, MAX_DEPTH};
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

impl<'a> Lowerer<'a, '_> {
    fn alloc(&mut self, name: String, docs: Vec<String>) -> TypeId {
        self.types.push(TypeDef { name, docs, kind: TypeKind::Pending, component: false });
        TypeId(self.types.len() - 1)
    }

    /// Allocates a type for the inline schema at `ptr`, named after
    /// `hint`, made unique in the type namespace (a clash is reported:
    /// component schemas hold their names first, so they keep them).
    pub(super) fn alloc_hint(&mut self, hint: &str, docs: Vec<String>, ptr: &str) -> TypeId {
        let name = self.claim_type(hint, "type name", ptr);
        self.alloc(name, docs)
    }

    /// Lowers a schema reached at `ptr`; `hint` names the type if one is needed.
    pub(super) fn lower(&mut self, s: SRef<'a>, ptr: &str, hint: &str) -> Ty {
        match s {
            SRef::Ref(r) => self.lower_ref(r, ptr),
            SRef::Item(schema) => self.lower_schema(schema, ptr, hint, None, 0),
        }
    }

    /// Lowers a `$ref` to a component schema, once per component: later
    /// references share the result. A component that needs a name has its
    /// type allocated before its schema is lowered, so that a reference
    /// back to itself finds it (the cycle is boxed later); one that does
    /// not is guarded by `in_progress` instead.
    fn lower_ref(&mut self, r: &'a str, ptr: &str) -> Ty {
        let Some(name) = self.ref_name(r, "schemas", ptr, false) else { return Ty::Json };
        if let Some(ty) = self.components.get(&name) {
            return ty.clone();
        }
        let Some((key, schema)) = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(&name))
        else {
            self.diags.warn(Kind::UnresolvedRef, ptr, format!("`$ref: {r}` points at nothing; using a JSON value"));
            return Ty::Json;
        };
        let cptr = pointer("#/components/schemas", key);
        let rust_name = self.component_names.get(key.as_str()).cloned().unwrap_or_else(|| names::camel(key));
        let schema = match schema {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                // A component that is itself a `$ref`: an alias.
                if !self.in_progress.insert(name.clone()) {
                    self.diags.warn(Kind::UntypedFallback, &cptr, "component aliases itself; using a JSON value");
                    return Ty::Json;
                }
                let ty = self.lower_ref(reference, &cptr);
                self.in_progress.remove(&name);
                self.components.insert(name, ty.clone());
                return ty;
            }
        };
        let view = View::of(schema);
        if self.needs_name(&view) {
            let docs = docs::join(&[view.title, view.description]);
            let id = self.alloc(rust_name.clone(), docs);
            self.types[id.0].component = true;
            self.components.insert(name.clone(), Ty::Named(id));
            let ty = self.lower_schema(schema, &cptr, &rust_name, Some(id), 0);
            if ty != Ty::Named(id) {
                self.types[id.0].kind = TypeKind::Alias(ty.clone());
                self.components.insert(name, ty.clone());
            }
            ty
        } else {
            if !self.in_progress.insert(name.clone()) {
                self.diags.warn(
                    Kind::UntypedFallback,
                    &cptr,
                    "schema contains itself without an object in between; using a JSON value",
                );
                return Ty::Json;
            }
            let ty = self.lower_schema(schema, &cptr, &rust_name, None, 0);
            self.in_progress.remove(&name);
            self.components.insert(name, ty.clone());
            ty
        }
    }

    /// Lowers an inline schema, or a component's with `target` the type
    /// reserved for it. Compositions decide first, then `enum`, then `type`.
    pub(super) fn lower_schema(&mut self, schema: &'a Schema, ptr: &str, hint: &str, target: Option<TypeId>, depth: usize) -> Ty {
        let v = View::of(schema);
        if depth > MAX_DEPTH {
            self.diags.warn(Kind::UntypedFallback, ptr, "schema nests too deeply; using a JSON value");
            return Ty::Json;
        }
        if v.is_null_only() {
            return Ty::Json;
        }
        let members = self.all_of_members(&v);
        let alts = self.alternatives(&v);
        if members.len() > 1 && alts.is_empty() && !v.has_properties() && !members.iter().any(|m| self.is_object_like(*m, 0)) {
            // `allOf` of primitives (`[{$ref: identifier}, {type: string,
            // maxLength: 32}]`): one value that is all of them.
            return self.lower_scalar_all_of(&members, ptr, hint, depth);
        }
        // Objects that say which one they are by a property's value are a
        // tagged union.
        if alts.len() > 1 && members.is_empty() && !v.has_properties() {
            if let Some(ty) = self.lower_tagged(&v, &alts, ptr, hint, target) {
                return ty;
            }
        }
        // Other alternatives that are all objects become one struct with every
        // branch's fields (required only where every branch requires them),
        // not a union: a reply often fits several branches, and a union
        // would decode only the first.
        let object_composition = v.has_properties()
            || members.len() > 1
            || (alts.len() > 1 && alts.iter().all(|a| self.is_object_like(*a, 0)));
        if object_composition {
            return self.lower_object(schema, &v, ptr, hint, target);
        }
        if members.len() == 1 {
            let member = members[0];
            return self.lower_member(member, &pointer(ptr, "allOf"), hint, target, depth);
        }
        if alts.len() == 1 {
            return self.lower_member(alts[0], &pointer(ptr, alternatives_key(&v)), hint, target, depth);
        }
        if alts.len() > 1 {
            if let Some(ty) = self.lower_value_alternatives(&v, &alts, ptr, hint, target) {
                return ty;
            }
            return self.lower_union(&v, alts, ptr, hint, target);
        }
        if v.typ.is_none() && (!v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty()) {
            // Compositions of constraints only, or of nulls only; with a
            // stated `type`, that type is what the value is.
            return Ty::Json;
        }
        let non_null: Vec<&Value> = v.enumeration.iter().filter(|e| !e.is_null()).collect();
        if !non_null.is_empty() {
            return self.lower_enum(&v, &non_null, ptr, hint, target);
        }
        self.lower_typed(&v, ptr, hint)
    }

    /// An object, or a composition merged into one: a struct.
    fn lower_object(&mut self, schema: &'a Schema, v: &View<'a>, ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        let id = target.unwrap_or_else(|| {
            let docs = docs::join(&[v.title, v.description]);
            self.alloc_hint(hint, docs, ptr)
        });
        let name = self.types[id.0].name.clone();
        let props = self.collect(schema, ptr, 0);
        let fields = self.fields(props, &name);
        let all_optional = fields.iter().all(|f| !f.required || f.nullable);
        let extra = match self.additional_of(SRef::Item(schema), ptr, 0) {
            Extra::Closed => None,
            Extra::Open => Some(Ty::Json),
            Extra::Typed(s, sptr) => Some(self.lower(s, &sptr, &format!("{name}Value"))),
        }
        .map(|value| {
            // Ours yields to a property that has the name.
            let taken = |n: &str| fields.iter().any(|f| f.name == n);
            let name = ["additional_properties", "additional_properties_map"]
                .into_iter()
                .find(|n| !taken(n))
                .map(str::to_owned)
                .unwrap_or_else(|| (2..).map(|i| format!("additional_properties_{i}")).find(|n| !taken(n)).expect("unbounded"));
            ExtraField { name, value }
        });
        self.types[id.0].kind = TypeKind::Struct(Struct { fields, all_optional, extra });
        Ty::Named(id)
    }

    /// What an object's schema says of the properties it does not name:
    /// its own `additionalProperties`, else what its `allOf` members and
    /// alternatives agree on (all of them closed: closed; one of them
    /// typed: that type; else anything goes).
    fn additional_of(&self, s: SRef<'a>, ptr: &str, depth: usize) -> Extra<'a> {
        let Some(schema) = self.peek(s) else { return Extra::Open };
        // A `$ref` is a pointer into the (bundled) document.
        let ptr = match s {
            SRef::Ref(r) => r,
            SRef::Item(_) => ptr,
        };
        let v = View::of(schema);
        if v.has_additional {
            return match v.additional {
                Additional::None => Extra::Closed,
                Additional::Schema(a) if !self.is_weak(a, 0) || matches!(a, SRef::Ref(_)) => {
                    Extra::Typed(a, pointer(ptr, "additionalProperties"))
                }
                _ => Extra::Open,
            };
        }
        if depth > MAX_DEPTH {
            return Extra::Open;
        }
        let key = super::classify::alternatives_key(&v);
        let members = v.all_of.iter().enumerate().map(|(i, m)| (*m, pointer(&pointer(ptr, "allOf"), &i.to_string())));
        let alts = v.one_of.iter().chain(v.any_of.iter()).enumerate().map(|(i, m)| (*m, pointer(&pointer(ptr, key), &i.to_string())));
        let parts: Vec<(SRef<'a>, String)> = members.chain(alts).filter(|(m, _)| self.is_object_like(*m, 0)).collect();
        if parts.is_empty() {
            return Extra::Open;
        }
        let mut closed = true;
        for (p, pptr) in parts {
            match self.additional_of(p, &pptr, depth + 1) {
                Extra::Typed(a, at) => return Extra::Typed(a, at),
                Extra::Open => closed = false,
                Extra::Closed => {}
            }
        }
        if closed { Extra::Closed } else { Extra::Open }
    }

    /// A schema with an `enum`: only string enums become types; the others
    /// are their values' primitive type, since Rust enums cannot carry
    /// numbers or booleans as names.
    fn lower_enum(&mut self, v: &View<'a>, values: &[&Value], ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        if values.iter().all(|e| e.is_string()) {
            return self.lower_string_enum(v, values, ptr, hint, target);
        }
        if values.iter().all(|e| e.is_boolean()) {
            return Ty::Boolean;
        }
        if values.iter().all(|e| e.is_i64() || e.is_u64()) && v.typ != Some("number") {
            return Ty::Integer(int_width(v));
        }
        if values.iter().all(|e| e.is_number()) {
            return Ty::Number;
        }
        self.diags.warn(Kind::UntypedFallback, ptr, "enum mixes value types; using a JSON value");
        Ty::Json
    }

    /// A schema described by `type` (and `format`, `items`,
    /// `additionalProperties`) alone.
    fn lower_typed(&mut self, v: &View<'a>, ptr: &str, hint: &str) -> Ty {
        match v.typ {
            Some("string") => match v.format {
                Some("date") => Ty::Date,
                Some("date-time") => Ty::DateTime,
                Some("uuid") => Ty::Uuid,
                _ => Ty::String,
            },
            Some("integer") => Ty::Integer(int_width(v)),
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => match v.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    Ty::Array(Box::new(self.lower_element(items, &pointer(ptr, "items"), &item_hint)))
                }
                None => Ty::Array(Box::new(Ty::Json)),
            },
            Some("object") | None => match v.additional {
                Additional::Schema(s) if !self.is_weak(s, 0) || matches!(s, SRef::Ref(_)) => {
                    let value_hint = format!("{hint}Value");
                    Ty::Map(Box::new(self.lower_element(s, &pointer(ptr, "additionalProperties"), &value_hint)))
                }
                // `items` makes an untyped schema a list; next to
                // `type: object` it is a stray keyword (DigitalOcean's
                // `bgp_auth_key`), and the object is what comes.
                _ if v.items.is_some() && v.typ.is_none() => {
                    let items = v.items.expect("checked");
                    let item_hint = format!("{hint}Item");
                    Ty::Array(Box::new(self.lower(items, &pointer(ptr, "items"), &item_hint)))
                }
                _ if v.typ.is_some() => Ty::JsonObject,
                _ => Ty::Json,
            },
            Some(other) => {
                self.diags.warn(Kind::UntypedFallback, ptr, format!("unknown `type: {other}`; using a JSON value"));
                Ty::Json
            }
        }
    }

    /// A list item or map value: `Option<T>` where its schema allows
    /// `null` and `T` cannot hold it itself.
    fn lower_element(&mut self, s: SRef<'a>, ptr: &str, hint: &str) -> Ty {
        let ty = self.lower(s, ptr, hint);
        if self.is_nullable(s, 0) && !self.holds_null(&ty) { Ty::Nullable(Box::new(ty)) } else { ty }
    }

    fn lower_member(&mut self, member: SRef<'a>, ptr: &str, hint: &str, target: Option<TypeId>, depth: usize) -> Ty {
        match (member, target) {
            (SRef::Item(s), _) => self.lower_schema(s, &pointer(ptr, "0"), hint, target, depth + 1),
            (SRef::Ref(r), None) => self.lower_ref(r, ptr),
            (SRef::Ref(r), Some(_)) => {
                // A named component whose only content is a `$ref` to another
                // named type: reuse that type rather than copy it.
                self.lower_ref(r, ptr)
            }
        }
    }
}

/// What an object keeps of the properties its schema does not name.
enum Extra<'a> {
    /// Nothing: `additionalProperties: false`.
    Closed,
    /// Any value.
    Open,
    /// Values of this schema (found at this pointer).
    Typed(SRef<'a>, String),
}

/// An integer's Rust width: its `format`, else `i64`, unless the
/// schema's own values (bounds, `default`, `example`, `enum`) go past
/// `i64` (DigitalOcean's Kafka `flush_messages`: `default:
/// 9223372036854776000`): then `u64` when `minimum` rules out negative
/// numbers, else `i128`, so the type holds every value the description
/// says can come.
fn int_width(v: &View<'_>) -> IntWidth {
    match v.format {
        Some("int32") => IntWidth::I32,
        Some("int64") => IntWidth::I64,
        _ => {
            let values = v.enumeration.iter().chain(v.default).chain(v.example).filter_map(Value::as_number);
            let mut bounds = [v.minimum, v.maximum].into_iter().flatten();
            let beyond = |f: f64| f.abs() > i64::MAX as f64;
            let past = values.clone().any(|n| n.is_u64() && !n.is_i64() || n.as_f64().is_some_and(beyond)) || bounds.any(beyond);
            match v.minimum {
                _ if !past => IntWidth::I64,
                Some(m) if m >= 0.0 || (m > -1.0 && v.exclusive_minimum) => IntWidth::U64,
                _ => IntWidth::I128,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The `types.rs` the generator writes for `spec`.
    fn types_of(spec: &str) -> String {
        let out = crate::generate(spec, &crate::Options::default()).unwrap();
        out.files.into_iter().find(|f| f.path == "src/types.rs").unwrap().contents
    }

    #[test]
    fn type_object_wins_over_a_stray_items_keyword() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  key: {type: object, items: {type: string}}\n                  list: {items: {type: string}}\n";
        let types = &types_of(spec);
        assert!(types.contains("pub key: Option<serde_json::Map<String, serde_json::Value>>"), "{types}");
        assert!(types.contains("pub list: Option<Vec<String>>"), "{types}");
    }

    #[test]
    fn an_integer_whose_own_values_pass_i64_is_u64_or_i128() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  flush: {type: integer, default: 9223372036854776000}\n                  seen: {type: integer, minimum: 0, example: 18446744073709551615}\n                  plain: {type: integer, example: 7}\n                  signed: {type: integer, minimum: -1, maximum: 18446744073709551615}\n                  declared: {type: integer, format: int64, default: 9223372036854776000}\n";
        let types = &types_of(spec);
        // Nothing rules out negative numbers: i128 holds both sides.
        assert!(types.contains("pub flush: Option<i128>"), "{types}");
        assert!(types.contains("pub seen: Option<u64>"), "{types}");
        assert!(types.contains("pub plain: Option<i64>"), "{types}");
        assert!(types.contains("pub signed: Option<i128>"), "{types}");
        // A declared format is what the description says the type is.
        assert!(types.contains("pub declared: Option<i64>"), "{types}");
    }

    #[test]
    fn alternatives_that_give_a_property_different_shapes_keep_them_all() {
        // Discord's application command options: an integer option's
        // `max_value` is an integer, a number option's a number; the
        // options are told apart by an integer `type`, so they merge into
        // one struct, and its field must take either (it took the first).
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  option:\n                    oneOf:\n                      - {type: object, required: [kind], properties: {kind: {type: integer, enum: [4]}, max_value: {type: integer}}}\n                      - {type: object, required: [kind], properties: {kind: {type: integer, enum: [10]}, max_value: {type: number}}}\n";
        let types = &types_of(spec);
        assert!(!types.contains("pub max_value: Option<i64>"), "{types}");
        let field = types.lines().find(|l| l.contains("pub max_value:")).expect("a max_value field");
        let union = field.trim().trim_start_matches("pub max_value: Option<").trim_end_matches(">,");
        assert!(types.contains(&format!("pub enum {union}")), "{field}\n{types}");
        assert!(types.contains("(i64)") && types.contains("(f64)"), "{types}");
    }

    #[test]
    fn a_stated_list_type_wins_over_alternatives_that_are_all_objects() {
        // Cloudflare's zone lockdown `configurations`: `type: array` with
        // `items: anyOf [ip, range]`, and the same `anyOf` beside `items`.
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  configurations:\n                    type: array\n                    items: {$ref: '#/components/schemas/Ip'}\n                    anyOf: [{$ref: '#/components/schemas/Ip'}]\ncomponents:\n  schemas:\n    Ip: {properties: {target: {type: string}, value: {type: string}}}\n";
        let types = &types_of(spec);
        assert!(types.contains("pub configurations: Option<Vec<Ip>>"), "{types}");
    }

    #[test]
    fn a_branch_that_allows_more_than_a_sibling_keeps_its_shapes() {
        // Cloudflare's legacy envelopes: `oneOf [the common envelope, whose
        // `result` is an object or a string, {result: object}]`; a reply
        // whose `result` is a string meets the first branch.
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                oneOf:\n                  - type: object\n                    allOf:\n                      - {properties: {success: {type: boolean}}}\n                      - {properties: {result: {anyOf: [{type: object}, {type: string}], nullable: true}}}\n                  - {properties: {result: {type: object}}}\n";
        let types = &types_of(spec);
        let field = types.lines().find(|l| l.contains("pub result:")).expect("a result field");
        let union = field.trim().trim_start_matches("pub result: Option<").trim_start_matches("Option<").trim_end_matches(',').trim_end_matches('>');
        assert!(types.contains(&format!("pub enum {union}")), "{field}\n{types}");
        assert!(types.contains("String(String)") && types.contains("Map(serde_json::Map<String, serde_json::Value>)"), "{types}");
    }

    #[test]
    fn a_branch_that_allows_any_object_or_null_keeps_them_allowed() {
        // Discord's scheduled events, told apart by an integer
        // `entity_type`: an external event's `entity_metadata` requires a
        // `location`; a stage event's is `null` or an empty object.
        let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                oneOf:\n                  - {type: object, required: [entity_type, entity_metadata], properties: {entity_type: {type: integer, enum: [3]}, entity_metadata: {$ref: '#/components/schemas/External'}}}\n                  - {type: object, required: [entity_type, entity_metadata], properties: {entity_type: {type: integer, enum: [1]}, entity_metadata: {oneOf: [{type: 'null'}, {$ref: '#/components/schemas/Stage'}]}}}\ncomponents:\n  schemas:\n    External: {type: object, required: [location], properties: {location: {type: string}}}\n    Stage: {type: object, properties: {}}\n";
        let types = &types_of(spec);
        let field = types.lines().find(|l| l.contains("pub entity_metadata:")).expect("an entity_metadata field");
        let union = field.trim().trim_start_matches("pub entity_metadata: Option<").trim_end_matches(">,");
        assert!(field.contains("Option<"), "null is allowed: {field}");
        assert!(types.contains(&format!("pub enum {union}")), "{field}\n{types}");
        assert!(types.contains("(External)") && types.contains("(serde_json::Map<String, serde_json::Value>)"), "{types}");
    }
}
