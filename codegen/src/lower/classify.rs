//! Questions asked of schemas: is it object-like, weak, nullable, does it
//! need a name, what does it say about itself. Read-only by design: nothing
//! here lowers, allocates a type or reports a diagnostic, so the other
//! passes may ask as often and in whatever order they like without changing
//! the output.

use super::view::{Additional, SRef, View};
use super::{Lowerer, MAX_DEPTH};
use crate::docs;
use serde_json::Value;

impl<'a> Lowerer<'a, '_> {
    /// Alternatives of a `oneOf`/`anyOf`, without `null`-only ones.
    pub(super) fn alternatives(&self, v: &View<'a>) -> Vec<SRef<'a>> {
        let alts: Vec<SRef<'a>> = v
            .one_of
            .iter()
            .chain(v.any_of.iter())
            .copied()
            .filter(|a| !self.peek(*a).is_some_and(|s| View::of(s).is_null_only()))
            .collect();
        // A schema that says it is a list (or a string...) next to
        // alternatives that are all objects: no value is both, and the
        // stated `type` is what a server sends (Cloudflare's zone lockdown
        // `configurations`: `type: array`, `items: anyOf [ip, range]`, the
        // same `anyOf` repeated beside `items`).
        if v.typ.is_some_and(|t| t != "object") && !alts.is_empty() && alts.iter().all(|a| self.is_object_like(*a, 0)) {
            return Vec::new();
        }
        alts
    }

    /// `allOf` members that carry type information.
    pub(super) fn all_of_members(&self, v: &View<'a>) -> Vec<SRef<'a>> {
        v.all_of
            .iter()
            .copied()
            .filter(|m| !matches!(m, SRef::Item(s) if View::of(s).is_constraint_only()))
            .collect()
    }

    /// Whether a schema is an object with properties, or a composition of
    /// nothing but such objects.
    pub(super) fn is_object_like(&self, s: SRef<'a>, depth: usize) -> bool {
        let Some(schema) = self.peek(s) else { return false };
        let v = View::of(schema);
        if depth > MAX_DEPTH {
            return false;
        }
        if v.has_properties() {
            return true;
        }
        let members = self.all_of_members(&v);
        if !members.is_empty() {
            return members.iter().all(|m| self.is_object_like(*m, depth + 1));
        }
        let alts = self.alternatives(&v);
        if !alts.is_empty() {
            return alts.iter().all(|a| self.is_object_like(*a, depth + 1));
        }
        false
    }

    /// Whether a schema says nothing a decoder can use (free-form object,
    /// array of anything, `enum: [null]`, unions of those). In merges, a
    /// structured candidate wins over a weak one.
    pub(super) fn is_weak(&self, s: SRef<'a>, depth: usize) -> bool {
        let Some(schema) = self.peek(s) else { return true };
        if depth > MAX_DEPTH {
            return true;
        }
        let v = View::of(schema);
        if v.is_null_only() {
            return true;
        }
        if v.has_properties() || !v.enumeration.is_empty() {
            return false;
        }
        if !v.all_of.is_empty() {
            return self.all_of_members(&v).iter().all(|m| self.is_weak(*m, depth + 1));
        }
        // A union with an unstructured member admits almost anything.
        let alts = self.alternatives(&v);
        if !alts.is_empty() {
            return alts.iter().any(|a| self.is_weak(*a, depth + 1));
        }
        match v.typ {
            Some("object") | None => {
                !matches!(v.additional, Additional::Schema(_)) && v.items.is_none()
            }
            Some("array") => v.items.is_none_or(|i| self.is_weak(i, depth + 1)),
            _ => false,
        }
    }

    /// A structural identity used to tell whether two candidates agree.
    pub(super) fn identity(&self, s: SRef<'a>, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return "cycle".to_owned();
        }
        if let SRef::Ref(r) = s {
            if let Some(schema) = self.peek(s) {
                if self.needs_name(&View::of(schema)) {
                    return format!("ref:{r}");
                }
            }
        }
        let Some(schema) = self.peek(s) else { return "unresolved".to_owned() };
        let v = View::of(schema);
        let members = self.all_of_members(&v);
        if members.len() == 1 && !v.has_properties() {
            return self.identity(members[0], depth + 1);
        }
        let alts = self.alternatives(&v);
        if alts.len() == 1 && !v.has_properties() && members.is_empty() {
            return self.identity(alts[0], depth + 1);
        }
        if v.has_properties() || !members.is_empty() || !alts.is_empty() {
            return format!("inline:{:p}", schema);
        }
        match v.typ {
            Some("array") => format!(
                "array<{}>",
                v.items.map(|i| self.identity(i, depth + 1)).unwrap_or_default()
            ),
            Some("boolean") => "boolean".to_owned(),
            Some("string") if !v.enumeration.is_empty() => format!("inline:{:p}", schema),
            Some(t) => format!("{t}:{}", v.format.unwrap_or("")),
            None => "any".to_owned(),
        }
    }

    /// Whether a schema becomes a named type.
    pub(super) fn needs_name(&self, v: &View<'a>) -> bool {
        if v.is_null_only() {
            return false;
        }
        if v.has_properties() {
            return true;
        }
        let members = self.all_of_members(v);
        if !members.is_empty() {
            return members.len() > 1;
        }
        let alts = self.alternatives(v);
        if !alts.is_empty() {
            return alts.len() > 1;
        }
        v.enumeration.iter().any(Value::is_string)
    }

    /// Whether a value is `null` or may be.
    pub(super) fn is_nullable(&self, s: SRef<'a>, depth: usize) -> bool {
        let Some(schema) = self.peek(s) else { return false };
        let v = View::of(schema);
        if v.nullable || v.is_null_only() || v.enumeration.iter().any(Value::is_null) {
            return true;
        }
        if depth > MAX_DEPTH {
            return false;
        }
        let alts_all: Vec<SRef> = v.one_of.iter().chain(v.any_of.iter()).copied().collect();
        if alts_all.iter().any(|a| self.peek(*a).is_some_and(|s| View::of(s).is_null_only())) {
            return true;
        }
        let members = self.all_of_members(&v);
        if members.len() == 1 && !v.has_properties() {
            return self.is_nullable(members[0], depth + 1);
        }
        false
    }

    /// A schema's description (else its title), looking through an `allOf`
    /// of one member, the usual way to attach a `$ref` beside a keyword.
    pub(super) fn description_of(&self, s: SRef<'a>) -> Option<&'a str> {
        let schema = self.peek(s)?;
        let v = View::of(schema);
        if let Some(d) = v.description.or(v.title) {
            return Some(d);
        }
        let members = self.all_of_members(&v);
        if members.len() == 1 {
            return self.description_of(members[0]);
        }
        None
    }

    /// Docs of a union's alternatives, one bullet each.
    pub(super) fn alternative_docs(&self, s: SRef<'a>) -> Vec<String> {
        let Some(schema) = self.peek(s) else { return Vec::new() };
        let v = View::of(schema);
        let mut out: Vec<String> = Vec::new();
        for a in self.alternatives(&v) {
            if let Some(d) = self.description_of(a) {
                let mut lines = docs::clean(d).into_iter();
                if let Some(first) = lines.next() {
                    out.push(format!("- {first}"));
                    out.extend(lines.map(|l| format!("  {l}")));
                }
            }
        }
        if !out.is_empty() {
            out.insert(0, "One of:".to_owned());
            out.insert(1, String::new());
        }
        out
    }
}

/// The keyword that pointers into a schema's alternatives go through:
/// `oneOf` when there is one, else `anyOf`.
pub(super) fn alternatives_key(v: &View) -> &'static str {
    if v.one_of.is_empty() { "anyOf" } else { "oneOf" }
}
