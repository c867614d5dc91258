//! Enums, tagged unions and untagged unions.
//!
//! All stay open to the future: an enum gets an `Unknown` catch-all, a
//! tagged union an `Other` that keeps a value whose tag it does not know,
//! and untagged variants are ordered so that decoding, which takes the
//! first variant that fits, tries the most specific shape first.
//!
//! Objects that say which alternative they are (a `discriminator`, or in a
//! `oneOf` a property each alternative gives its own `const`) are a tagged
//! union, variants named by their tags.
//!
//! What a person would write decides the shape: alternatives that are each
//! one value (3.1's `oneOf` of `{const, title}`) are an enum whose variants
//! are named by their titles, and "one of these strings, or any string" is
//! one open string enum, not a union of two. A union's variants are named
//! by what the schema says of each alternative, in this order: the
//! `$ref`'s type name, the discriminator value that selects it, its
//! `title`, its `const`, then its type (`String`, `Integer`, `StringList`,
//! `Object`...); `VariantN` only where nothing names it.

use super::Lowerer;
use super::classify::alternatives_key;
use super::view::{SRef, View};
use crate::diagnostics::pointer;
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use serde_json::Value;
use std::collections::HashSet;

/// One value of an enum being built, with what the schema says of it.
struct Member<'v> {
    value: &'v Value,
    title: Option<&'v str>,
    docs: Vec<String>,
}

impl<'a> Lowerer<'a, '_> {
    /// A string enum of `values` (duplicates dropped, names made unique
    /// after case conversion), plus a catch-all for values the spec does
    /// not list yet.
    pub(super) fn lower_string_enum(
        &mut self,
        v: &View<'a>,
        values: &[&Value],
        ptr: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> Ty {
        let members: Vec<Member> = values.iter().map(|value| Member { value, title: None, docs: Vec::new() }).collect();
        self.enum_type(v, &members, false, ptr, hint, target)
    }

    /// The enum type of `members`, named by their titles where they have
    /// them, else by their values.
    fn enum_type(&mut self, v: &View<'a>, members: &[Member], integer: bool, ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        let id = target.unwrap_or_else(|| {
            let docs = docs::join(&[v.title, v.description]);
            self.alloc_hint(hint, docs, ptr)
        });
        let mut scope = Scope::default();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for m in members {
            let wire = match m.value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if seen.insert(wire.clone()) {
                let name = names::camel(m.title.unwrap_or(&wire));
                out.push(EnumValue { name: scope.unique(&name), wire, docs: m.docs.clone() });
            }
        }
        let other = scope.unique("Unknown");
        self.types[id.0].kind = TypeKind::Enum(EnumDef { integer, values: out, other });
        Ty::Named(id)
    }

    /// Alternatives that are values, not shapes: each one a `const` (or a
    /// one-value `enum`) of the same type, or strings listed beside "any
    /// string" (the known values of an open set). `None` when they are not.
    pub(super) fn lower_value_alternatives(
        &mut self,
        v: &View<'a>,
        alts: &[SRef<'a>],
        ptr: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> Option<Ty> {
        let views: Vec<View<'a>> = alts.iter().map(|a| self.peek(*a).map(View::of)).collect::<Option<_>>()?;
        let single = |w: &View<'a>| {
            let values: Vec<&Value> = w.enumeration.iter().filter(|e| !e.is_null()).collect();
            (values.len() == 1).then(|| values[0].clone())
        };
        let consts: Option<Vec<Value>> = views.iter().map(single).collect();
        if let Some(values) = consts {
            let strings = values.iter().all(Value::is_string);
            let integers = values.iter().all(|e| e.is_i64());
            // Integer values need names: without titles they stay numbers.
            let titled = views.iter().all(|w| w.title.is_some());
            if strings || (integers && titled) {
                let members: Vec<Member> = values
                    .iter()
                    .zip(&views)
                    .map(|(value, w)| Member {
                        value,
                        title: w.title,
                        docs: w.description.map(docs::clean).unwrap_or_default(),
                    })
                    .collect();
                let ty = self.enum_type(v, &members, integers && !strings, ptr, hint, target);
                return Some(ty);
            }
            return None;
        }
        // "Any string" beside string enums: one open enum of the listed values.
        let free = |w: &View<'a>| w.typ == Some("string") && w.enumeration.is_empty() && w.format.is_none();
        let listed = |w: &View<'a>| !w.enumeration.is_empty() && w.enumeration.iter().all(|e| e.is_string() || e.is_null());
        if views.iter().any(free) && views.iter().any(listed) && views.iter().all(|w| free(w) || listed(w)) {
            let mut members = Vec::new();
            for w in views.iter().filter(|w| listed(w)) {
                let one = w.enumeration.iter().filter(|e| e.is_string()).count() == 1;
                for value in w.enumeration.iter().filter(|e| e.is_string()) {
                    members.push(Member {
                        value,
                        title: if one { w.title } else { None },
                        docs: if one { w.description.map(docs::clean).unwrap_or_default() } else { Vec::new() },
                    });
                }
            }
            return Some(self.enum_type(v, &members, false, ptr, hint, target));
        }
        None
    }

    /// An untagged union of the alternatives' types (identical ones
    /// merged), named `hint` (for the property or schema that holds it);
    /// structural twins elsewhere are merged later by `dedupe`.
    pub(super) fn lower_union(&mut self, v: &View<'a>, alts: Vec<SRef<'a>>, ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        let key = alternatives_key(v);
        let mut tys: Vec<(Ty, String, Vec<String>)> = Vec::new();
        let mut labels = Scope::default();
        for (i, a) in alts.iter().enumerate() {
            let aptr = pointer(&pointer(ptr, key), &i.to_string());
            let label = self.variant_label(v, *a).unwrap_or_else(|| format!("Variant{}", i + 1));
            // Two variants of the same shape (two lists) name what they
            // hold apart, not by a number the later one gets on a clash.
            let label = labels.unique(&label);
            let ty = self.lower(*a, &aptr, &format!("{hint}{label}"));
            let doc = self.description_of(*a).map(docs::clean).unwrap_or_default();
            if !tys.iter().any(|(t, _, _)| *t == ty) {
                tys.push((ty, label, doc));
            }
        }
        // Untagged decoding takes the first variant that fits, so the most
        // specific shapes go first (a date before a plain string).
        tys.sort_by_key(|(t, _, _)| rank(t));
        if tys.len() == 1 {
            return tys.remove(0).0;
        }
        let id = target.unwrap_or_else(|| self.alloc_hint(hint, docs::join(&[v.title, v.description]), ptr));
        let mut scope = Scope::default();
        let order: Vec<String> = tys.iter().map(|(_, l, _)| format!("`{l}`")).collect();
        let variants = tys
            .into_iter()
            .map(|(ty, label, docs)| {
                let docs = if docs.is_empty() && !matches!(ty, Ty::Named(_)) { vec![shape_doc(&ty)] } else { docs };
                UnionVariant { tag: None, name: scope.unique(&label), ty, boxed: false, docs }
            })
            .collect();
        if self.types[id.0].docs.is_empty() {
            self.types[id.0].docs = vec![format!("One of {}; decoding tries them in this order.", order.join(", "))];
        }
        self.types[id.0].kind = TypeKind::Union(Union { variants, tag: None });
        Ty::Named(id)
    }

    /// Alternatives that are objects told apart by one property's value: a
    /// `discriminator` (its mapping, else each alternative's own `const`
    /// for the property, else a `$ref`'s schema name, as the specification
    /// says), or, for a `oneOf` without one, a property every alternative
    /// gives a different `const`. A tagged union whose variants are named
    /// by their tags; `None` when the values do not say which is which
    /// (the alternatives are then merged into one struct).
    pub(super) fn lower_tagged(
        &mut self,
        v: &View<'a>,
        alts: &[SRef<'a>],
        ptr: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> Option<Ty> {
        if !alts.iter().all(|a| self.is_object_like(*a, 0)) {
            return None;
        }
        let property = match v.discriminator {
            Some(d) => d.property_name.clone(),
            None if !v.one_of.is_empty() && v.any_of.is_empty() => self.implicit_tag(alts)?,
            None => return None,
        };
        let mut tags: Vec<String> = Vec::new();
        for a in alts {
            let mapped = v.discriminator.and_then(|d| {
                let SRef::Ref(r) = a else { return None };
                d.mapping
                    .iter()
                    .find(|(_, to)| *to == r || format!("#/components/schemas/{to}") == *r)
                    .map(|(k, _)| k.clone())
            });
            let implicit = || match a {
                SRef::Ref(r) if v.discriminator.is_some() => r.rsplit('/').next().map(str::to_owned),
                _ => None,
            };
            let tag = mapped.or_else(|| self.tag_value(*a, &property)).or_else(implicit)?;
            if tags.contains(&tag) {
                return None;
            }
            tags.push(tag);
        }
        let id = target.unwrap_or_else(|| self.alloc_hint(hint, docs::join(&[v.title, v.description]), ptr));
        let key = alternatives_key(v);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (i, (a, tag)) in alts.iter().zip(tags).enumerate() {
            let label = names::camel(&tag);
            let aptr = pointer(&pointer(ptr, key), &i.to_string());
            let ty = self.lower(*a, &aptr, &format!("{hint}{label}"));
            let docs = self.description_of(*a).map(docs::clean).unwrap_or_default();
            variants.push(UnionVariant { tag: Some(tag), name: scope.unique(&label), ty, boxed: false, docs });
        }
        let other = scope.unique("Other");
        if self.types[id.0].docs.is_empty() {
            self.types[id.0].docs = vec![format!("One of several objects, told apart by `{property}`.")];
        }
        self.types[id.0].kind = TypeKind::Union(Union { variants, tag: Some(Tag { property, other }) });
        Some(Ty::Named(id))
    }

    /// The property every alternative gives a different `const`, in the
    /// first alternative's order.
    fn implicit_tag(&self, alts: &[SRef<'a>]) -> Option<String> {
        let first = View::of(self.peek(alts[0])?);
        let mut candidates: Vec<&str> = first.properties.iter().map(|(n, _)| *n).collect();
        for m in self.all_of_members(&first) {
            if let Some(s) = self.peek(m) {
                candidates.extend(View::of(s).properties.iter().map(|(n, _)| *n));
            }
        }
        candidates.into_iter().find(|p| {
            let values: Vec<Option<String>> = alts.iter().map(|a| self.tag_value(*a, p)).collect();
            let mut seen = HashSet::new();
            values.iter().all(|v| v.as_ref().is_some_and(|v| seen.insert(v.clone())))
        })
        .map(str::to_owned)
    }

    /// What names an alternative of a union, from what the schema says of
    /// it (see the module docs for the order).
    fn variant_label(&self, parent: &View<'a>, alt: SRef<'a>) -> Option<String> {
        if let SRef::Ref(r) = alt {
            let key = r.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
            return Some(self.component_names.get(key.as_str()).cloned().unwrap_or_else(|| names::camel(&key)));
        }
        let w = View::of(self.peek(alt)?);
        if let Some(value) = parent.discriminator.and_then(|d| self.tag_value(alt, &d.property_name)) {
            return Some(names::camel(&value));
        }
        // A title, its own or that of the members it is made of (`allOf:
        // [{$ref: Base}, {title: "Before position", ...}]`).
        let title = w.title.or_else(|| {
            w.all_of.iter().rev().find_map(|m| match m {
                SRef::Item(s) => View::of(s).title,
                SRef::Ref(_) => None,
            })
        });
        if let Some(t) = title {
            return Some(names::camel(t));
        }
        let values: Vec<&Value> = w.enumeration.iter().filter(|e| !e.is_null()).collect();
        if let [one] = values.as_slice() {
            return Some(names::camel(&match one {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }));
        }
        self.type_label(alt, 0)
    }

    /// The value an alternative gives its discriminating property: a
    /// `const` (a one-value `enum`), directly or through `allOf`.
    pub(super) fn tag_value(&self, alt: SRef<'a>, property: &str) -> Option<String> {
        let w = View::of(self.peek(alt)?);
        let own = w.properties.iter().find(|(n, _)| *n == property).and_then(|(_, s)| {
            let p = View::of(self.peek(*s)?);
            let values: Vec<&Value> = p.enumeration.iter().filter(|e| !e.is_null()).collect();
            match values.as_slice() {
                [Value::String(s)] => Some(s.clone()),
                _ => None,
            }
        });
        own.or_else(|| self.all_of_members(&w).into_iter().find_map(|m| self.tag_value(m, property)))
    }

    /// A name for an alternative from its type alone.
    fn type_label(&self, s: SRef<'a>, depth: usize) -> Option<String> {
        if let SRef::Ref(r) = s {
            let key = r.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
            return Some(self.component_names.get(key.as_str()).cloned().unwrap_or_else(|| names::camel(&key)));
        }
        let w = View::of(self.peek(s)?);
        if depth > 4 {
            return None;
        }
        if w.is_empty_schema() && w.format.is_none() {
            return Some("Value".to_owned());
        }
        Some(match w.typ? {
            "string" => match w.format {
                Some("date") => "Date",
                Some("date-time") => "DateTime",
                Some("uuid") => "Uuid",
                _ => "String",
            }
            .to_owned(),
            "integer" => "Integer".to_owned(),
            "number" => "Number".to_owned(),
            "boolean" => "Boolean".to_owned(),
            "array" => format!("{}List", w.items.and_then(|i| self.type_label(i, depth + 1)).unwrap_or_default()),
            "object" if w.has_properties() => "Object".to_owned(),
            "object" => "Map".to_owned(),
            _ => return None,
        })
    }
}

/// Generic prose for a value of a primitive type.
fn shape_doc(ty: &Ty) -> String {
    match ty {
        Ty::Date => "A calendar date, sent as an RFC 3339 `full-date` (`2024-01-02`).".into(),
        Ty::DateTime => {
            "An instant with its UTC offset, sent as an RFC 3339 `date-time` (`2024-01-02T03:04:05Z`).".into()
        }
        Ty::Uuid => "A UUID.".into(),
        Ty::Integer(_) => "An integer.".into(),
        Ty::Number => "A number.".into(),
        Ty::Boolean => "A boolean.".into(),
        Ty::String => "A string.".into(),
        Ty::Array(_) => "A list.".into(),
        Ty::Map(_) | Ty::JsonObject => "An object.".into(),
        Ty::Json | Ty::Named(_) => "Any JSON value.".into(),
        Ty::Nullable(inner) => format!("{}, or `null`.", shape_doc(inner).trim_end_matches('.')),
    }
}

/// Decoding order of union variants: specific shapes before the ones
/// that would also accept them (a date is also a string; anything is JSON).
fn rank(t: &Ty) -> u8 {
    match t {
        Ty::Date => 0,
        Ty::DateTime => 1,
        Ty::Uuid => 2,
        Ty::Integer(_) => 3,
        Ty::Number => 4,
        Ty::Boolean => 5,
        Ty::Named(_) | Ty::Nullable(_) => 6,
        Ty::Array(_) => 7,
        Ty::Map(_) => 8,
        Ty::String => 9,
        Ty::JsonObject => 10,
        Ty::Json => 11,
    }
}
