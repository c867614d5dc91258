//! Compositions: gathers an object's properties with those of its `allOf`
//! members and `oneOf`/`anyOf` alternatives, then picks one schema per
//! property. Specs routinely repeat a property across branches with
//! slightly different schemas, so merging never fails: a structured
//! candidate beats a weak one, differing string enums are united, and
//! otherwise the first wins with a warning.
//!
//! An `allOf` of primitives is one value that is all of them: the most
//! specific member type (a date or an enum over a plain string).
//!
//! Does not decide whether a schema is a struct (`schemas` does).

use super::Lowerer;
use super::classify::alternatives_key;
use super::MAX_DEPTH;
use super::view::{Additional, SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use openapiv3::Schema;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// A schema with no keywords (a stand-in where a reference is broken).
static EMPTY: std::sync::LazyLock<Schema> =
    std::sync::LazyLock::new(|| Schema { schema_data: Default::default(), schema_kind: openapiv3::SchemaKind::Any(Default::default()) });

/// Candidates for one property of a merged object.
pub(super) struct Cand<'a> {
    pub(super) schema: SRef<'a>,
    ptr: String,
    /// Given by a `oneOf`/`anyOf` alternative: a value meets this schema
    /// or another candidate's, not necessarily both (as with `allOf`).
    alt: bool,
}

/// Properties gathered from an object and its compositions.
#[derive(Default)]
pub(super) struct Props<'a> {
    pub(super) order: Vec<&'a str>,
    pub(super) cands: HashMap<&'a str, Vec<Cand<'a>>>,
    pub(super) required: BTreeSet<&'a str>,
}

impl<'a> Props<'a> {
    fn add(&mut self, name: &'a str, cand: Cand<'a>) {
        let entry = self.cands.entry(name).or_default();
        if entry.is_empty() {
            self.order.push(name);
        }
        entry.push(cand);
    }

    /// Takes `other`'s properties but not its `required`: which of those
    /// stay required depends on how `other` was composed (all of an
    /// `allOf` member's, only those every alternative shares), so the
    /// caller decides.
    fn absorb(&mut self, other: Props<'a>, alt: bool) {
        let Props { order, mut cands, .. } = other;
        for name in order {
            for mut c in cands.remove(name).unwrap_or_default() {
                c.alt |= alt;
                self.add(name, c);
            }
        }
    }
}

impl<'a> Lowerer<'a, '_> {
    /// Gathers the properties of an object and of everything it composes.
    pub(super) fn collect(&mut self, schema: &'a Schema, ptr: &str, depth: usize) -> Props<'a> {
        let v = View::of(schema);
        let mut props = Props::default();
        if depth > MAX_DEPTH {
            return props;
        }
        for (name, s) in &v.properties {
            props.add(name, Cand { schema: *s, ptr: pointer(&pointer(ptr, "properties"), name), alt: false });
        }
        props.required.extend(v.required.iter().copied());
        for (i, m) in v.all_of.iter().enumerate() {
            let mptr = pointer(&pointer(ptr, "allOf"), &i.to_string());
            if let SRef::Item(s) = m {
                if View::of(s).is_constraint_only() {
                    continue;
                }
            }
            if let Some((s, sptr, _)) = self.resolve(*m, &mptr) {
                let sub = self.collect(s, &sptr, depth + 1);
                props.required.extend(sub.required.iter().copied());
                props.absorb(sub, false);
            }
        }
        let key = alternatives_key(&v);
        let alts: Vec<(usize, SRef<'a>)> = v
            .one_of
            .iter()
            .chain(v.any_of.iter())
            .copied()
            .enumerate()
            .filter(|(_, a)| !self.peek(*a).is_some_and(|s| View::of(s).is_null_only()))
            .collect();
        let mut common: Option<BTreeSet<&'a str>> = None;
        for (i, a) in alts {
            let aptr = pointer(&pointer(ptr, key), &i.to_string());
            if let Some((s, sptr, _)) = self.resolve(a, &aptr) {
                let sub = self.collect(s, &sptr, depth + 1);
                common = Some(match common {
                    None => sub.required.clone(),
                    Some(c) => c.intersection(&sub.required).copied().collect(),
                });
                props.absorb(sub, true);
            }
        }
        props.required.extend(common.unwrap_or_default());
        props
    }

    /// Picks one schema per property and lowers it into fields.
    pub(super) fn fields(&mut self, props: Props<'a>, type_name: &str) -> Vec<Field> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let Props { order, mut cands, required } = props;
        for wire in order {
            let cands = cands.remove(wire).unwrap_or_default();
            let strong: Vec<usize> = (0..cands.len()).filter(|i| !self.is_weak(cands[*i].schema, 0)).collect();
            // With nothing structured, the weak ones are weighed the same way.
            let all: Vec<usize> = (0..cands.len()).collect();
            let (pick, narrowed) = self.narrowest(&cands, if strong.is_empty() { &all } else { &strong });
            // Alternatives that give the property different shapes (an
            // integer option's `max_value` an integer, a number option's a
            // number): the field holds any of them, as an untagged union.
            let mut shapes: Vec<SRef<'a>> = Vec::new();
            if strong.len() > 1 && !narrowed && self.merged_enum_values(&cands, &strong).is_none() && strong.iter().any(|i| cands[*i].alt) {
                let mut seen: Vec<String> = Vec::new();
                for i in &strong {
                    let id = self.identity(cands[*i].schema, 0);
                    if !seen.contains(&id) {
                        seen.push(id);
                        shapes.push(cands[*i].schema);
                    }
                }
            }
            if shapes.len() < 2 {
                shapes.clear();
            }
            // A branch that says only "an object" beside one that says
            // which (Discord's stage event `entity_metadata: {}` beside an
            // external event's `{location}` required): the field holds
            // either, the structured one tried first.
            if shapes.is_empty() && !narrowed && cands[pick].alt && self.is_object_like(cands[pick].schema, 0) {
                let free = (0..cands.len()).filter(|i| cands[*i].alt && !strong.contains(i)).find_map(|i| self.free_object(cands[i].schema, 0));
                shapes.extend(free.map(|free| [cands[pick].schema, free]).into_iter().flatten());
            }
            if strong.len() > 1 && !narrowed && shapes.is_empty() && self.merged_enum_values(&cands, &strong).is_none() {
                let first = self.identity(cands[pick].schema, 0);
                for i in &strong[1..] {
                    if self.identity(cands[*i].schema, 0) != first {
                        self.diags.warn(
                            Kind::ConflictingProperty,
                            &cands[*i].ptr,
                            format!("property `{wire}` has another schema at {}; the first is used", cands[pick].ptr),
                        );
                        break;
                    }
                }
            }
            // The chosen schema decides, except that a branch allowing only
            // `null` (a failure envelope's `result: null`) must still decode.
            // So must a value of a branch that allows `null` (a stage
            // event's `entity_metadata`), where the picked one does not.
            let nullable = self.is_nullable(cands[pick].schema, 0)
                || cands.iter().any(|c| self.peek(c.schema).is_some_and(|s| View::of(s).is_null_only()))
                || cands.iter().any(|c| c.alt && self.is_nullable(c.schema, 0));
            let doc = cands.iter().find_map(|c| self.description_of(c.schema));
            let hint = format!("{type_name}{}", names::camel(wire));
            let ty = match self.merged_enum_values(&cands, &strong) {
                _ if !shapes.is_empty() => {
                    let parent = View::of(self.peek(cands[pick].schema).unwrap_or(&EMPTY));
                    self.lower_union(&parent, shapes, &cands[pick].ptr, &hint, None)
                }
                // Branches that each allow a few strings (a record `type` of
                // `A` in one, `CNAME` in another) allow all of them.
                Some((first, values)) => {
                    let refs: Vec<&Value> = values.iter().collect();
                    self.lower_string_enum(&first, &refs, &cands[pick].ptr, &hint, None)
                }
                None => self.lower(cands[pick].schema, &cands[pick].ptr, &hint),
            };
            // `readOnly`/`writeOnly` properties travel one way only, so the
            // shared type cannot require them in both (a request body must
            // not need a server-assigned `id`).
            let one_way = cands.iter().any(|c| self.peek(c.schema).is_some_and(|s| View::of(s).one_way));
            let lenient = matches!(self.unalias(ty.clone()), Ty::Array(_))
                && cands.iter().enumerate().any(|(i, c)| {
                    !strong.contains(&i) && !self.peek(c.schema).is_some_and(|s| View::of(s).is_null_only())
                });
            // Properties that differ only in case or separators (`Name`,
            // `name`) meet here; the later one gets a number.
            let base = names::snake(wire);
            let claim = scope.claim(&base, &[], &format!("the property `{wire}`"));
            let name = super::naming::report(self.diags, &cands[pick].ptr, &format!("the field name `{base}`"), claim);
            let holds_null = self.holds_null(&ty);
            fields.push(Field {
                holds_null,
                lenient,
                name,
                wire: wire.to_owned(),
                ty,
                required: required.contains(wire) && !one_way,
                nullable,
                boxed: false,
                docs: doc.map(docs::clean).unwrap_or_default(),
            });
        }
        fields
    }

    /// The schema a candidate says is "any object" by (`{type: object}`,
    /// `{type: object, properties: {}}`, either beside `null` in a
    /// `oneOf`), if it says only that.
    fn free_object(&self, s: SRef<'a>, depth: usize) -> Option<SRef<'a>> {
        let v = View::of(self.peek(s)?);
        if depth > MAX_DEPTH || !v.all_of.is_empty() || !v.enumeration.is_empty() {
            return None;
        }
        let alts = self.alternatives(&v);
        if !alts.is_empty() {
            return match alts.as_slice() {
                [one] if !v.has_properties() => self.free_object(*one, depth + 1),
                _ => None,
            };
        }
        let free = v.typ == Some("object") && !v.has_properties() && v.items.is_none() && !matches!(v.additional, Additional::Schema(_));
        free.then_some(s)
    }

    /// Whether a value of `ty` can itself be `null`: any JSON value, or a
    /// union (through aliases) with a variant that can.
    pub(super) fn holds_null(&self, ty: &Ty) -> bool {
        let mut seen = Vec::new();
        let mut stack = vec![ty.clone()];
        while let Some(t) = stack.pop() {
            match t {
                Ty::Json | Ty::Nullable(_) => return true,
                Ty::Named(id) if !seen.contains(&id) => {
                    seen.push(id);
                    match &self.types[id.0].kind {
                        TypeKind::Union(u) if u.tag.is_none() => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
                        TypeKind::Alias(t) => stack.push(t.clone()),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// The candidate to lower: the first structured one, unless it is a
    /// union of several shapes and a later one is a single shape (an
    /// `allOf` member refining an envelope's `result: anyOf [list, string,
    /// object]` to a list): that one says more, and any value of it fits
    /// the union too (a branch does not: the value may be the other
    /// branch's). Returns whether it narrowed.
    fn narrowest(&self, cands: &[Cand<'a>], strong: &[usize]) -> (usize, bool) {
        let Some(&first) = strong.first() else { return (0, false) };
        let union = |i: usize| {
            self.peek(cands[i].schema)
                .is_some_and(|s| self.alternatives(&View::of(s)).len() > 1 && !self.is_object_like(cands[i].schema, 0))
        };
        if !union(first) {
            return (first, false);
        }
        // Only an `allOf` member narrows: a branch of a `oneOf`/`anyOf` is
        // one of several things the value may be, and a reply may meet
        // the wider one.
        match strong.iter().skip(1).rev().find(|i| !union(**i) && !cands[**i].alt) {
            Some(&narrower) => (narrower, true),
            None => (first, false),
        }
    }

    /// When every structured candidate is a string enum and they differ,
    /// the union of their values (in order).
    fn merged_enum_values(&self, cands: &[Cand<'a>], strong: &[usize]) -> Option<(View<'a>, Vec<Value>)> {
        if strong.len() < 2 {
            return None;
        }
        let mut values: Vec<Value> = Vec::new();
        let mut first = None;
        let mut distinct = false;
        for i in strong {
            let v = View::of(self.peek(cands[*i].schema)?);
            let strings: Vec<Value> = v.enumeration.iter().filter(|e| !e.is_null()).cloned().collect();
            if strings.is_empty() || !strings.iter().all(Value::is_string) {
                return None;
            }
            if first.is_some() && strings.iter().any(|e| !values.contains(e)) {
                distinct = true;
            }
            for e in strings {
                if !values.contains(&e) {
                    values.push(e);
                }
            }
            first.get_or_insert(v);
        }
        distinct.then(|| (first.expect("at least two"), values))
    }

    /// The type of an `allOf` whose members are all primitives (or lists
    /// or maps): the members' common type; a date, UUID or enum over a
    /// plain string, an integer over a number; else the first, with a
    /// warning.
    pub(super) fn lower_scalar_all_of(&mut self, members: &[SRef<'a>], ptr: &str, hint: &str, depth: usize) -> Ty {
        let mut tys: Vec<Ty> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mptr = pointer(&pointer(ptr, "allOf"), &i.to_string());
            let ty = match m {
                SRef::Item(s) => self.lower_schema(s, &mptr, hint, None, depth + 1),
                SRef::Ref(_) => self.lower(*m, &mptr, hint),
            };
            if ty != Ty::Json && !tys.contains(&ty) {
                tys.push(ty);
            }
        }
        let specific = |t: &Ty| match self.unalias(t.clone()) {
            Ty::Date | Ty::DateTime | Ty::Uuid => true,
            Ty::Named(id) => matches!(self.types[id.0].kind, TypeKind::Enum(_)),
            _ => false,
        };
        match tys.as_slice() {
            [] => Ty::Json,
            [one] => one.clone(),
            [a, b] if *a == Ty::String && specific(b) => b.clone(),
            [a, b] if *b == Ty::String && specific(a) => a.clone(),
            [Ty::Integer(w), Ty::Number] | [Ty::Number, Ty::Integer(w)] => Ty::Integer(*w),
            [first, ..] => {
                self.diags.warn(
                    Kind::ConflictingProperty,
                    pointer(ptr, "allOf"),
                    "`allOf` members have different types; the first is used",
                );
                first.clone()
            }
        }
    }
}
