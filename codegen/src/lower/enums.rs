//! String enums and untagged unions.
//!
//! Both stay open to the future: an enum gets an `Unknown` catch-all, and
//! union variants are ordered so that untagged decoding, which takes the
//! first variant that fits, tries the most specific shape first.

use super::Lowerer;
use super::classify::alternatives_key;
use super::view::{SRef, View};
use crate::diagnostics::pointer;
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use serde_json::Value;
use std::collections::HashSet;

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
        let id = target.unwrap_or_else(|| {
            let docs = docs::join(&[v.title, v.description]);
            self.alloc_hint(hint, docs, ptr)
        });
        let mut scope = Scope::default();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for val in values {
            let wire = val.as_str().unwrap_or_default();
            if seen.insert(wire) {
                out.push(EnumValue { name: scope.unique(&names::camel(wire)), wire: wire.to_owned(), docs: Vec::new() });
            }
        }
        let other = scope.unique("Unknown");
        self.types[id.0].kind = TypeKind::Enum(EnumDef { integer: false, values: out, other });
        Ty::Named(id)
    }

    /// An untagged union of the alternatives' types (identical ones
    /// merged). A union of unnamed types, with no component name of its
    /// own, is anonymous: it is named after its variants
    /// (`StringOrInteger`) and shared by every place with the same
    /// variants, so its docs describe shapes, not any one use.
    pub(super) fn lower_union(&mut self, v: &View<'a>, alts: Vec<SRef<'a>>, ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        let key = alternatives_key(v);
        let mut tys: Vec<(Ty, Vec<String>)> = Vec::new();
        for (i, a) in alts.iter().enumerate() {
            let aptr = pointer(&pointer(ptr, key), &i.to_string());
            let ty = self.lower(*a, &aptr, &format!("{hint}Variant{}", i + 1));
            let doc = self.description_of(*a).map(docs::clean).unwrap_or_default();
            if !tys.iter().any(|(t, _)| *t == ty) {
                tys.push((ty, doc));
            }
        }
        // Untagged decoding takes the first variant that fits, so the most
        // specific shapes go first (a date before a plain string).
        tys.sort_by_key(|(t, _)| rank(t));
        if tys.len() == 1 {
            return tys.remove(0).0;
        }
        let key_tys: Vec<Ty> = tys.iter().map(|(t, _)| t.clone()).collect();
        let anonymous = target.is_none() && key_tys.iter().all(|t| !matches!(t, Ty::Named(_)));
        if anonymous {
            if let Some(id) = self.unions.get(&key_tys) {
                return Ty::Named(*id);
            }
        }
        let labels: Vec<String> = key_tys.iter().map(|t| self.label(t)).collect();
        let id = match target {
            Some(id) => id,
            None => {
                let name = if anonymous { labels.join("Or") } else { hint.to_owned() };
                self.alloc_hint(&name, Vec::new(), ptr)
            }
        };
        if anonymous {
            self.unions.insert(key_tys, id);
        } else if self.types[id.0].docs.is_empty() {
            self.types[id.0].docs = docs::join(&[v.title, v.description]);
        }
        let mut scope = Scope::default();
        let order: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
        let variants = tys
            .into_iter()
            .zip(labels)
            .map(|((ty, docs), label)| {
                // A shared anonymous union must not carry the prose of the
                // first place that used it.
                let docs = if anonymous { vec![shape_doc(&ty)] } else { docs };
                UnionVariant { name: scope.unique(&label), ty, boxed: false, docs }
            })
            .collect();
        if self.types[id.0].docs.is_empty() {
            self.types[id.0].docs =
                vec![format!("One of {}; decoding tries them in this order.", order.join(", "))];
        }
        self.types[id.0].kind = TypeKind::Union(variants);
        Ty::Named(id)
    }

    /// A short name for a type, used for union variants.
    fn label(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::Date => "Date".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Uuid => "Uuid".into(),
            Ty::Integer(_) => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::Boolean => "Boolean".into(),
            Ty::Json => "Value".into(),
            Ty::JsonObject => "Object".into(),
            Ty::Array(inner) => format!("{}List", self.label(inner)),
            Ty::Map(inner) => format!("{}Map", self.label(inner)),
            Ty::Named(id) => self.types[id.0].name.clone(),
        }
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
        Ty::Named(_) => 6,
        Ty::Array(_) => 7,
        Ty::Map(_) => 8,
        Ty::String => 9,
        Ty::JsonObject => 10,
        Ty::Json => 11,
    }
}
