//! Lowering: the only module that reads `openapiv3` documents. It resolves
//! every `$ref`, decides names, types and docs, and produces the
//! [`model`](crate::model) plus diagnostics.
//!
//! Two passes: the first assigns stable names (all component schemas, then
//! groups and methods in spec order); the second lowers each operation and,
//! on demand, the schemas it reaches. Only reachable schemas become types.

use crate::diagnostics::{Diagnostics, Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use crate::{Coverage, Options};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response as OaResponse, Schema, SecurityScheme as OaScheme, StatusCode,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use view::{Additional, SRef, View};

mod view;

/// How deep `$ref` chains and nested compositions may go before the
/// generator assumes a cycle.
const MAX_DEPTH: usize = 48;

/// Lowers a parsed document. Never panics; problems become diagnostics.
pub fn lower(spec: &OpenAPI, options: &Options, diags: &mut Diagnostics) -> (Api, Coverage) {
    let mut l = Lowerer::new(spec, diags);
    let security = l.security_schemes(options);
    let (default_security, default_security_optional) = match &spec.security {
        Some(reqs) => {
            let (alts, optional, _) = l.security_alternatives(reqs, &security, "#/security");
            (alts, optional)
        }
        None => (Vec::new(), true),
    };
    let base_url = l.base_url();
    let mut groups = l.operations(&security);
    l.dedupe();
    for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        op.paging = l.detect_paging(op);
    }
    l.mark_boxes();

    let title = spec.info.title.clone();
    let first_word = title.split_whitespace().next().unwrap_or("api");
    let env_prefix = options.env_prefix.clone().unwrap_or_else(|| names::screaming(first_word));
    let crate_name = options.crate_name.clone().unwrap_or_else(|| names::kebab(&title));
    let crate_version = options.crate_version.clone().unwrap_or_else(|| {
        let v = spec.info.version.trim();
        if is_semver(v) { v.to_owned() } else { "0.1.0".to_owned() }
    });
    let api = Api {
        crate_name,
        crate_version,
        title: title.clone(),
        docs: docs::join(&[Some(&title), spec.info.description.as_deref()]),
        base_url,
        request_id_header: options.request_id_header.as_ref().map(|h| h.to_ascii_lowercase()),
        base_url_env: options.env.get("base_url").cloned().unwrap_or_else(|| format!("{env_prefix}_BASE_URL")),
        types: l.types,
        security,
        default_security,
        default_security_optional,
        license: spec
            .info
            .license
            .as_ref()
            .map(|l| l.name.trim().to_owned())
            .filter(|n| !n.is_empty() && !n.contains(char::is_whitespace)),
        groups,
    };
    (api, l.coverage)
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Candidates for one property of a merged object.
struct Cand<'a> {
    schema: SRef<'a>,
    ptr: String,
}

/// Properties gathered from an object and its compositions.
#[derive(Default)]
struct Props<'a> {
    order: Vec<&'a str>,
    cands: HashMap<&'a str, Vec<Cand<'a>>>,
    required: BTreeSet<&'a str>,
}

impl<'a> Props<'a> {
    fn add(&mut self, name: &'a str, cand: Cand<'a>) {
        let entry = self.cands.entry(name).or_default();
        if entry.is_empty() {
            self.order.push(name);
        }
        entry.push(cand);
    }

    fn absorb(&mut self, other: Props<'a>) {
        let Props { order, mut cands, .. } = other;
        for name in order {
            for c in cands.remove(name).unwrap_or_default() {
                self.add(name, c);
            }
        }
    }
}

struct Lowerer<'a, 'd> {
    spec: &'a OpenAPI,
    diags: &'d mut Diagnostics,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Rust names reserved for every component schema, decided up front so
    /// they do not depend on which operation reaches them first.
    component_names: HashMap<&'a str, String>,
    /// Lowered component schemas.
    components: HashMap<String, Ty>,
    /// Components being lowered that have no name of their own (cycle guard).
    in_progress: HashSet<String>,
    /// Anonymous unions of primitives, shared by structure.
    unions: HashMap<Vec<Ty>, TypeId>,
    coverage: Coverage,
}

impl<'a, 'd> Lowerer<'a, 'd> {
    fn new(spec: &'a OpenAPI, diags: &'d mut Diagnostics) -> Self {
        let mut type_scope = Scope::for_types();
        let mut component_names = HashMap::new();
        if let Some(c) = &spec.components {
            let mut keys: Vec<&str> = c.schemas.keys().map(String::as_str).collect();
            keys.sort_unstable();
            for k in keys {
                component_names.insert(k, type_scope.unique(&names::camel(k)));
            }
        }
        Lowerer {
            spec,
            diags,
            types: Vec::new(),
            type_scope,
            component_names,
            components: HashMap::new(),
            in_progress: HashSet::new(),
            unions: HashMap::new(),
            coverage: Coverage::default(),
        }
    }

    // ----- references -------------------------------------------------------

    /// Splits `#/components/<section>/<name>` into the unescaped name.
    fn ref_name(&mut self, reference: &str, section: &str, ptr: &str, fatal: bool) -> Option<String> {
        let prefix = format!("#/components/{section}/");
        if let Some(rest) = reference.strip_prefix(&prefix) {
            if !rest.contains('/') {
                return Some(rest.replace("~1", "/").replace("~0", "~"));
            }
        }
        let (kind, msg) = if reference.starts_with('#') {
            (Kind::UnresolvedRef, format!("`$ref: {reference}` does not point into `#/components/{section}`"))
        } else {
            (Kind::ExternalRef, format!("`$ref: {reference}` points outside this document"))
        };
        if fatal {
            self.diags.error(kind, ptr, msg);
        } else {
            self.diags.warn(kind, ptr, format!("{msg}; using a JSON value"));
        }
        None
    }

    /// Follows `$ref`s to a schema. Returns the schema, its pointer, and the
    /// component name when it came from one.
    fn resolve(&mut self, s: SRef<'a>, ptr: &str) -> Option<(&'a Schema, String, Option<&'a str>)> {
        let mut current = s;
        let mut at = ptr.to_owned();
        let mut comp = None;
        for _ in 0..MAX_DEPTH {
            match current {
                SRef::Item(schema) => return Some((schema, at, comp)),
                SRef::Ref(r) => {
                    let name = self.ref_name(r, "schemas", &at, false)?;
                    let Some((key, target)) =
                        self.spec.components.as_ref().and_then(|c| c.schemas.get_key_value(&name))
                    else {
                        self.diags.warn(
                            Kind::UnresolvedRef,
                            &at,
                            format!("`$ref: {r}` points at nothing; using a JSON value"),
                        );
                        return None;
                    };
                    at = pointer("#/components/schemas", key);
                    comp = Some(key.as_str());
                    current = SRef::from(target);
                }
            }
        }
        self.diags.warn(Kind::UnresolvedRef, ptr, "`$ref` chain too deep (a cycle?); using a JSON value");
        None
    }

    /// Resolves without reporting (for questions asked of schemas already
    /// reported on when lowered).
    fn peek(&self, s: SRef<'a>) -> Option<&'a Schema> {
        let mut current = s;
        for _ in 0..MAX_DEPTH {
            match current {
                SRef::Item(schema) => return Some(schema),
                SRef::Ref(r) => {
                    let name = r.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
                    current = SRef::from(self.spec.components.as_ref()?.schemas.get(&name)?);
                }
            }
        }
        None
    }

    // ----- schema classification -------------------------------------------

    /// Alternatives of a `oneOf`/`anyOf`, without `null`-only ones.
    fn alternatives(&self, v: &View<'a>) -> Vec<SRef<'a>> {
        v.one_of
            .iter()
            .chain(v.any_of.iter())
            .copied()
            .filter(|a| !self.peek(*a).is_some_and(|s| View::of(s).is_null_only()))
            .collect()
    }

    /// `allOf` members that carry type information.
    fn all_of_members(&self, v: &View<'a>) -> Vec<SRef<'a>> {
        v.all_of
            .iter()
            .copied()
            .filter(|m| !matches!(m, SRef::Item(s) if View::of(s).is_constraint_only()))
            .collect()
    }

    fn is_object_like(&self, s: SRef<'a>, depth: usize) -> bool {
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
    fn is_weak(&self, s: SRef<'a>, depth: usize) -> bool {
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
    fn identity(&self, s: SRef<'a>, depth: usize) -> String {
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
    fn needs_name(&self, v: &View<'a>) -> bool {
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
    fn is_nullable(&self, s: SRef<'a>, depth: usize) -> bool {
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

    fn description_of(&self, s: SRef<'a>) -> Option<&'a str> {
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
    fn alternative_docs(&self, s: SRef<'a>) -> Vec<String> {
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

    // ----- types ------------------------------------------------------------

    fn alloc(&mut self, name: String, docs: Vec<String>) -> TypeId {
        self.types.push(TypeDef { name, docs, kind: TypeKind::Pending, component: false });
        TypeId(self.types.len() - 1)
    }

    fn alloc_hint(&mut self, hint: &str, docs: Vec<String>) -> TypeId {
        let name = self.type_scope.unique(hint);
        self.alloc(name, docs)
    }

    /// Lowers a schema reached at `ptr`; `hint` names the type if one is needed.
    fn lower(&mut self, s: SRef<'a>, ptr: &str, hint: &str) -> Ty {
        match s {
            SRef::Ref(r) => self.lower_ref(r, ptr),
            SRef::Item(schema) => self.lower_schema(schema, ptr, hint, None, 0),
        }
    }

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

    fn lower_schema(&mut self, schema: &'a Schema, ptr: &str, hint: &str, target: Option<TypeId>, depth: usize) -> Ty {
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
        let object_composition = v.has_properties()
            || members.len() > 1
            || (alts.len() > 1 && alts.iter().all(|a| self.is_object_like(*a, 0)));
        if object_composition && (!members.is_empty() || !alts.is_empty() || v.has_properties()) {
            let id = target.unwrap_or_else(|| {
                let docs = docs::join(&[v.title, v.description]);
                self.alloc_hint(hint, docs)
            });
            let name = self.types[id.0].name.clone();
            let props = self.collect(schema, ptr, 0);
            let fields = self.fields(props, &name);
            let all_optional = fields.iter().all(|f| !f.required || f.nullable);
            self.types[id.0].kind = TypeKind::Struct(Struct { fields, all_optional });
            return Ty::Named(id);
        }
        if members.len() == 1 {
            let member = members[0];
            return self.lower_member(member, &pointer(ptr, "allOf"), hint, target, depth);
        }
        if alts.len() == 1 {
            return self.lower_member(alts[0], &format!("{ptr}/{}", if v.one_of.is_empty() { "anyOf" } else { "oneOf" }), hint, target, depth);
        }
        if alts.len() > 1 {
            return self.lower_union(&v, alts, ptr, hint, target);
        }
        if !v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty() {
            // Compositions of constraints only, or of nulls only.
            return Ty::Json;
        }
        let non_null: Vec<&Value> = v.enumeration.iter().filter(|e| !e.is_null()).collect();
        if !non_null.is_empty() {
            if non_null.iter().all(|e| e.is_string()) {
                return self.lower_string_enum(&v, &non_null, hint, target);
            }
            if non_null.iter().all(|e| e.is_boolean()) {
                return Ty::Boolean;
            }
            if non_null.iter().all(|e| e.is_i64() || e.is_u64()) && v.typ != Some("number") {
                return Ty::Integer(int_width(v.format));
            }
            if non_null.iter().all(|e| e.is_number()) {
                return Ty::Number;
            }
            self.diags.warn(Kind::UntypedFallback, ptr, "enum mixes value types; using a JSON value");
            return Ty::Json;
        }
        match v.typ {
            Some("string") => match v.format {
                Some("date") => Ty::Date,
                Some("date-time") => Ty::DateTime,
                Some("uuid") => Ty::Uuid,
                _ => Ty::String,
            },
            Some("integer") => Ty::Integer(int_width(v.format)),
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => match v.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    Ty::Array(Box::new(self.lower(items, &pointer(ptr, "items"), &item_hint)))
                }
                None => Ty::Array(Box::new(Ty::Json)),
            },
            Some("object") | None => match v.additional {
                Additional::Schema(s) if !self.is_weak(s, 0) || matches!(s, SRef::Ref(_)) => {
                    let value_hint = format!("{hint}Value");
                    Ty::Map(Box::new(self.lower(s, &pointer(ptr, "additionalProperties"), &value_hint)))
                }
                _ if v.items.is_some() => {
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

    /// Gathers the properties of an object and of everything it composes.
    fn collect(&mut self, schema: &'a Schema, ptr: &str, depth: usize) -> Props<'a> {
        let v = View::of(schema);
        let mut props = Props::default();
        if depth > MAX_DEPTH {
            return props;
        }
        for (name, s) in &v.properties {
            props.add(name, Cand { schema: *s, ptr: pointer(&pointer(ptr, "properties"), name) });
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
                props.absorb(sub);
            }
        }
        let key = if v.one_of.is_empty() { "anyOf" } else { "oneOf" };
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
                props.absorb(sub);
            }
        }
        props.required.extend(common.unwrap_or_default());
        props
    }

    /// Picks one schema per property and lowers it into fields.
    fn fields(&mut self, props: Props<'a>, type_name: &str) -> Vec<Field> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let Props { order, mut cands, required } = props;
        for wire in order {
            let cands = cands.remove(wire).unwrap_or_default();
            let strong: Vec<usize> = (0..cands.len()).filter(|i| !self.is_weak(cands[*i].schema, 0)).collect();
            let pick = strong.first().copied().unwrap_or(0);
            if strong.len() > 1 && self.merged_enum_values(&cands, &strong).is_none() {
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
            let nullable = self.is_nullable(cands[pick].schema, 0)
                || cands.iter().any(|c| self.peek(c.schema).is_some_and(|s| View::of(s).is_null_only()));
            let doc = cands.iter().find_map(|c| self.description_of(c.schema));
            let hint = format!("{type_name}{}", names::camel(wire));
            let ty = match self.merged_enum_values(&cands, &strong) {
                // Branches that each allow a few strings (a record `type` of
                // `A` in one, `CNAME` in another) allow all of them.
                Some((first, values)) => {
                    let refs: Vec<&Value> = values.iter().collect();
                    self.lower_string_enum(&first, &refs, &hint, None)
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
            fields.push(Field {
                lenient,
                name: scope.unique(&names::snake(wire)),
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

    fn lower_string_enum(&mut self, v: &View<'a>, values: &[&Value], hint: &str, target: Option<TypeId>) -> Ty {
        let id = target.unwrap_or_else(|| {
            let docs = docs::join(&[v.title, v.description]);
            self.alloc_hint(hint, docs)
        });
        let mut scope = Scope::default();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for val in values {
            let wire = val.as_str().unwrap_or_default();
            if seen.insert(wire) {
                out.push(EnumValue { name: scope.unique(&names::camel(wire)), wire: wire.to_owned() });
            }
        }
        let other = scope.unique("Unknown");
        self.types[id.0].kind = TypeKind::Enum(StringEnum { values: out, other });
        Ty::Named(id)
    }

    fn lower_union(&mut self, v: &View<'a>, alts: Vec<SRef<'a>>, ptr: &str, hint: &str, target: Option<TypeId>) -> Ty {
        let key = if v.one_of.is_empty() { "anyOf" } else { "oneOf" };
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
                self.alloc_hint(&name, Vec::new())
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

    /// Merges inline types that are identical to an earlier type (large
    /// specs repeat the same envelope inline in every operation). A merged
    /// type becomes an alias of the first, so operation-level names stay
    /// meaningful while the compiler sees one definition; references inside
    /// types point at the first directly.
    fn dedupe(&mut self) {
        let n = self.types.len();
        let mut canon: Vec<usize> = (0..n).collect();
        loop {
            let mut changed = false;
            let mut seen: HashMap<String, usize> = HashMap::new();
            for i in 0..n {
                if canon[i] != i {
                    continue;
                }
                let key = match structural_key(&self.types[i].kind, &canon) {
                    Some(k) => k,
                    None => continue,
                };
                match seen.get(&key) {
                    Some(&first) if !self.types[i].component => {
                        canon[i] = first;
                        changed = true;
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(key, i);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let root = |mut i: usize| {
            while canon[i] != i {
                i = canon[i];
            }
            i
        };
        let rewrite = |ty: &mut Ty| rewrite_ty(ty, &|id| TypeId(root(id.0)));
        for i in 0..n {
            let r = root(i);
            if r != i {
                self.types[i].kind = TypeKind::Alias(Ty::Named(TypeId(r)));
                continue;
            }
            match &mut self.types[i].kind {
                TypeKind::Struct(st) => st.fields.iter_mut().for_each(|f| rewrite(&mut f.ty)),
                TypeKind::Union(vs) => {
                    vs.iter_mut().for_each(|v| rewrite(&mut v.ty));
                    // Variants that became the same type are one variant.
                    let mut kept: Vec<Ty> = Vec::new();
                    vs.retain(|v| {
                        let fresh = !kept.contains(&v.ty);
                        kept.push(v.ty.clone());
                        fresh
                    });
                }
                TypeKind::Alias(t) => rewrite(t),
                TypeKind::Enum(_) | TypeKind::Pending => {}
            }
        }
    }

    /// Page-number paging, recognised by its shape: an optional numeric
    /// `page` query parameter, and a reply object whose `result` is an
    /// array (with an optional `result_info` holding `total_pages`,
    /// `total_count`, `per_page`).
    fn detect_paging(&self, op: &Operation) -> Option<Paging> {
        if op.method != Method::Get || op.reply_enum.is_some() {
            return None;
        }
        let page = op.params.as_ref()?.members.iter().find_map(|m| match m {
            ParamMember::Single(p)
                if p.wire == "page"
                    && !p.required
                    && p.location == Location::Query
                    && matches!(p.ty, Ty::Integer(_) | Ty::Number) =>
            {
                Some(p)
            }
            _ => None,
        })?;
        let Payload::Json(reply) = &op.success else { return None };
        let fields = self.struct_fields(reply)?;
        let items = fields.iter().find(|f| f.wire == "result")?;
        let Ty::Array(item_ty) = self.unalias(items.ty.clone()) else { return None };
        let numeric = |f: &Field| matches!(self.unalias(f.ty.clone()), Ty::Integer(_) | Ty::Number);
        let info = fields.iter().find(|f| f.wire == "result_info").and_then(|info| {
            let inner = self.struct_fields(&info.ty)?;
            let pick = |wire: &str| {
                inner
                    .iter()
                    .find(|f| f.wire == wire && numeric(f) && !f.boxed)
                    .map(|f| InfoField {
                        name: f.name.clone(),
                        optional: !f.required || f.nullable,
                        integer: matches!(self.unalias(f.ty.clone()), Ty::Integer(_)),
                    })
            };
            Some(PagingInfo {
                field: info.name.clone(),
                optional: !info.required || info.nullable,
                total_pages: pick("total_pages"),
                total_count: pick("total_count"),
                per_page: pick("per_page"),
            })
        });
        Some(Paging {
            page_field: page.name.clone(),
            page_ty: page.ty.clone(),
            items_field: items.name.clone(),
            items_optional: !items.required || items.nullable,
            item_ty: *item_ty,
            info,
        })
    }

    /// Boxes struct fields that would make a type contain itself.
    fn mark_boxes(&mut self) {
        fn direct(ty: &Ty) -> Option<TypeId> {
            match ty {
                Ty::Named(id) => Some(*id),
                _ => None,
            }
        }
        let edges: Vec<Vec<TypeId>> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                TypeKind::Union(vs) => vs.iter().filter_map(|v| direct(&v.ty)).collect(),
                TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        let reaches = |from: TypeId, to: TypeId| -> bool {
            let mut stack = vec![from];
            let mut seen = HashSet::new();
            while let Some(t) = stack.pop() {
                if t == to {
                    return true;
                }
                if seen.insert(t) {
                    stack.extend(edges[t.0].iter().copied());
                }
            }
            false
        };
        let mut boxes = Vec::new();
        for (i, t) in self.types.iter().enumerate() {
            let tys: Vec<&Ty> = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(vs) => vs.iter().map(|v| &v.ty).collect(),
                _ => Vec::new(),
            };
            for (j, ty) in tys.into_iter().enumerate() {
                if direct(ty).is_some_and(|d| reaches(d, TypeId(i))) {
                    boxes.push((i, j));
                }
            }
        }
        for (i, j) in boxes {
            match &mut self.types[i].kind {
                TypeKind::Struct(s) => s.fields[j].boxed = true,
                TypeKind::Union(vs) => vs[j].boxed = true,
                _ => {}
            }
        }
    }

    // ----- security, servers -----------------------------------------------

    fn security_schemes(&mut self, options: &Options) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else { return Vec::new() };
        let title = &self.spec.info.title;
        let prefix = options
            .env_prefix
            .clone()
            .unwrap_or_else(|| names::screaming(title.split_whitespace().next().unwrap_or("api")));
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut out = Vec::new();
        let mut field_scope = Scope::default();
        let mut variant_scope = Scope::default();
        for key in keys {
            let ptr = pointer("#/components/securitySchemes", key);
            let scheme = match &components.security_schemes[key] {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.diags.warn(Kind::UnresolvedRef, &ptr, "security scheme given as `$ref` is skipped");
                    continue;
                }
            };
            let (kind, description) = match scheme {
                OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description)
                }
                OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description)
                }
                OaScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, description, .. } => {
                    (SchemeKind::Header(name.clone()), description)
                }
                OaScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, description, .. } => {
                    (SchemeKind::Query(name.clone()), description)
                }
                OaScheme::OAuth2 { description, .. } | OaScheme::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description)
                }
                _ => {
                    self.diags.warn(
                        Kind::UnsupportedParameter,
                        &ptr,
                        "security scheme kind is not supported (cookie API keys, custom HTTP schemes); skipped",
                    );
                    continue;
                }
            };
            let name = field_scope.unique(&names::snake(key));
            let env = options
                .env
                .get(key.as_str())
                .cloned()
                .unwrap_or_else(|| format!("{prefix}_{}", names::screaming(key)));
            let how = match &kind {
                SchemeKind::Bearer => "Sent as `Authorization: Bearer <value>`.".to_owned(),
                SchemeKind::Basic => "Sent as `Authorization: Basic <value>`.".to_owned(),
                SchemeKind::Header(h) => format!("Sent in the `{h}` header."),
                SchemeKind::Query(q) => format!("Sent as the `{q}` query parameter."),
            };
            let docs = docs::join(&[description.as_deref(), Some(&how), Some(&format!("Read from `{env}` by `from_env`."))]);
            out.push(SecurityScheme {
                wire: key.clone(),
                variant: variant_scope.unique(&names::camel(key)),
                name,
                env,
                kind,
                docs,
            });
        }
        out
    }

    /// Alternatives of a security requirement list, and whether one of them
    /// is "no credentials".
    fn security_alternatives(
        &mut self,
        reqs: &[openapiv3::SecurityRequirement],
        schemes: &[SecurityScheme],
        ptr: &str,
    ) -> (Vec<Vec<usize>>, bool, bool) {
        let mut alts = Vec::new();
        let mut optional = false;
        let mut failed = false;
        for (i, req) in reqs.iter().enumerate() {
            if req.is_empty() {
                optional = true;
                continue;
            }
            let mut alt = Vec::new();
            for name in req.keys() {
                match schemes.iter().position(|s| &s.wire == name) {
                    Some(idx) => alt.push(idx),
                    None => {
                        self.diags.error(
                            Kind::UnknownSecurityScheme,
                            pointer(ptr, &i.to_string()),
                            format!("security scheme `{name}` is not defined (or not supported)"),
                        );
                        failed = true;
                    }
                }
            }
            alt.sort_unstable();
            if !alt.is_empty() && !alts.contains(&alt) {
                alts.push(alt);
            }
        }
        (alts, optional, failed)
    }

    fn base_url(&mut self) -> Option<String> {
        let server = self.spec.servers.first()?;
        let mut url = server.url.clone();
        for (name, var) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('{') {
            self.diags.warn(
                Kind::BadServer,
                "#/servers/0/url",
                format!("`{url}` is not an absolute http(s) URL; the client needs a base URL at build time"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_owned())
    }

    // ----- operations ---------------------------------------------------------

    fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Group> {
        struct Named<'o> {
            path: &'o str,
            method: Method,
            op: &'o openapiv3::Operation,
            item: &'o openapiv3::PathItem,
            group: String,
            group_docs: Option<&'o str>,
            method_name: String,
        }
        let spec = self.spec;
        let mut named = Vec::new();
        let mut method_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        for (path, item) in &spec.paths.paths {
            let ptr = pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    self.diags.error(Kind::ExternalRef, &ptr, "path items given as `$ref` are not supported");
                    continue;
                }
            };
            let ops = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Options, &item.options),
                (Method::Head, &item.head),
                (Method::Patch, &item.patch),
                (Method::Trace, &item.trace),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                self.coverage.operations += 1;
                let group_raw = ext_name(&op.extensions, "x-fern-sdk-group-name")
                    .or_else(|| op.tags.first().cloned())
                    .unwrap_or_else(|| "general".to_owned());
                let group = names::snake(&group_raw).trim_start_matches('_').to_owned();
                let group = if group.is_empty() { "general".to_owned() } else { group };
                let group_docs = spec
                    .tags
                    .iter()
                    .find(|t| op.tags.first() == Some(&t.name))
                    .and_then(|t| t.description.as_deref());
                let method_raw = ext_name(&op.extensions, "x-fern-sdk-method-name").unwrap_or_else(|| {
                    let base = op
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
                    let snake = names::snake(&base);
                    match snake.strip_prefix(&format!("{group}_")) {
                        Some(rest) if !rest.is_empty() => rest.to_owned(),
                        _ => snake,
                    }
                });
                let scope = method_scopes.entry(group.clone()).or_default();
                let method_name = scope.unique(&names::snake(&method_raw));
                named.push(Named { path, method, op, item, group, group_docs, method_name });
            }
        }

        // Group handle types share the type namespace (they are re-exported).
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for n in &named {
            if !groups.contains_key(&n.group) {
                let type_name = self.type_scope.unique(&names::camel(&n.group));
                let docs = match n.group_docs {
                    Some(d) => docs::clean(d),
                    None => vec![format!("Operations of the `{}` group.", n.group)],
                };
                groups.insert(
                    n.group.clone(),
                    Group { name: n.group.clone(), type_name, docs, operations: Vec::new() },
                );
            }
        }
        for n in named {
            let group_type = groups[&n.group].type_name.clone();
            let ptr = pointer(&pointer("#/paths", n.path), &n.method.as_str().to_ascii_lowercase());
            let errors_before = self.diags.0.iter().filter(|d| d.severity == crate::Severity::Error).count();
            let warnings_before = self.diags.0.len() - errors_before;
            let op = self.operation(n.path, n.method, n.op, n.item, &ptr, &group_type, n.method_name, schemes);
            let errors_after = self.diags.0.iter().filter(|d| d.severity == crate::Severity::Error).count();
            let warnings_after = self.diags.0.len() - errors_after;
            match op {
                Some(op) if errors_after == errors_before => {
                    self.coverage.generated += 1;
                    if warnings_after > warnings_before {
                        self.coverage.with_warnings += 1;
                    }
                    groups.get_mut(&n.group).expect("inserted above").operations.push(op);
                }
                _ => self.coverage.skipped.push(ptr),
            }
        }
        let mut out: Vec<Group> = groups.into_values().filter(|g| !g.operations.is_empty()).collect();
        for g in &mut out {
            g.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &'a openapiv3::Operation,
        item: &'a openapiv3::PathItem,
        ptr: &str,
        group_type: &str,
        method_name: String,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let op_type = format!("{group_type}{}", names::camel(&method_name));

        // Parameters: path-level first, overridden by operation-level ones.
        let mut params: Vec<(&'a Parameter, String)> = Vec::new();
        let item_ptr = ptr.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        for (base, list) in [(pointer(&item_ptr, "parameters"), &item.parameters), (pointer(ptr, "parameters"), &op.parameters)] {
            for (i, p) in list.iter().enumerate() {
                let pptr = pointer(&base, &i.to_string());
                let (param, pptr) = self.resolve_parameter(p, &pptr)?;
                let data = param.parameter_data_ref();
                let loc = location_key(param);
                params.retain(|(q, _)| !(q.parameter_data_ref().name == data.name && location_key(q) == loc));
                params.push((param, pptr));
            }
        }

        // Boolean parameters that switch the reply's media type are not
        // user-settable: the media type's own method sets them.
        let mut media_selectors = Vec::new();
        params.retain(|(param, _)| {
            let data = param.parameter_data_ref();
            match data.extensions.get("x-sdk-selects-media-type").and_then(Value::as_str) {
                Some(media) if matches!(param, Parameter::Query { .. }) => {
                    media_selectors.push(MediaSelector { wire: data.name.clone(), media: media.to_owned() });
                    false
                }
                _ => true,
            }
        });
        let params_name = self.type_scope.unique(&format!("{op_type}Params"));
        let mut path_params = Vec::new();
        let mut singles: Vec<Param> = Vec::new();
        let mut failed = false;
        for (param, pptr) in &params {
            match self.parameter(param, pptr, &op_type) {
                Ok(ps) => {
                    for p in ps {
                        if p.location == Location::Path {
                            path_params.push(p);
                        } else {
                            singles.push(p);
                        }
                    }
                }
                Err(()) => failed = true,
            }
        }
        if failed {
            return None;
        }

        // Path template.
        let mut pieces = Vec::new();
        let mut ordered_path_params = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            if start > 0 {
                pieces.push(PathPiece::Literal(rest[..start].to_owned()));
            }
            let name = &rest[start + 1..start + len];
            match path_params.iter().position(|p: &Param| p.wire == name) {
                Some(i) => {
                    ordered_path_params.push(path_params.remove(i));
                    pieces.push(PathPiece::Param(ordered_path_params.len() - 1));
                }
                None => match ordered_path_params.iter().position(|p: &Param| p.wire == name) {
                    Some(i) => pieces.push(PathPiece::Param(i)),
                    None => {
                        self.diags.error(
                            Kind::PathTemplate,
                            ptr,
                            format!("path template names `{{{name}}}` but no path parameter `{name}` is declared"),
                        );
                        return None;
                    }
                },
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            pieces.push(PathPiece::Literal(rest.to_owned()));
        }
        // Path parameters not in the template cannot be sent; ignore them.
        let mut arg_scope = Scope::default();
        for reserved in ["self", "params", "body"] {
            arg_scope.reserve(reserved);
        }
        for p in &mut ordered_path_params {
            p.name = arg_scope.unique(&p.name);
        }

        let params_struct = if singles.is_empty() {
            None
        } else {
            Some(self.params_struct(params_name, singles, &op_type))
        };

        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.request_body(rb, &pointer(ptr, "requestBody"), &op_type)?),
        };

        let (responses, success, error, reply_enum) = self.responses(op, ptr, &op_type);
        let mut alt_media: Vec<String> = Vec::new();
        for (code, r) in &op.responses.responses {
            let is_2xx = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
                || matches!(code, StatusCode::Range(2));
            if let (true, ReferenceOr::Item(resp)) = (is_2xx, r) {
                if resp.content.keys().any(|m| is_json(m)) {
                    for m in resp.content.keys().filter(|m| !is_json(m)) {
                        if !alt_media.contains(m) {
                            alt_media.push(m.clone());
                        }
                    }
                }
            }
        }

        let (security, security_optional, failed) = match &op.security {
            Some(reqs) => self.security_alternatives(reqs, schemes, &pointer(ptr, "security")),
            None => match &self.spec.security {
                Some(reqs) => self.security_alternatives(reqs, schemes, "#/security"),
                None => (Vec::new(), true, false),
            },
        };
        if failed {
            return None;
        }

        let mut doc_lines = docs::join(&[op.summary.as_deref(), op.description.as_deref()]);
        if !doc_lines.is_empty() {
            doc_lines.push(String::new());
        }
        doc_lines.push(format!("`{} {}`", method.as_str(), path));
        if op.deprecated {
            doc_lines.push(String::new());
            doc_lines.push("Deprecated by the API.".to_owned());
        }

        Some(Operation {
            operation_id: op.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.as_str())),
            method_name,
            method,
            path: path.to_owned(),
            path_pieces: pieces,
            path_params: ordered_path_params,
            params: params_struct,
            body,
            responses,
            success,
            reply_enum,
            error,
            security,
            security_optional,
            alt_media,
            media_selectors,
            paging: None,
            docs: doc_lines,
        })
    }

    fn resolve_parameter(&mut self, p: &'a ReferenceOr<Parameter>, ptr: &str) -> Option<(&'a Parameter, String)> {
        let mut current = p;
        let mut at = ptr.to_owned();
        for _ in 0..MAX_DEPTH {
            match current {
                ReferenceOr::Item(param) => return Some((param, at)),
                ReferenceOr::Reference { reference } => {
                    let name = self.ref_name(reference, "parameters", &at, true)?;
                    let Some((key, next)) =
                        self.spec.components.as_ref().and_then(|c| c.parameters.get_key_value(&name))
                    else {
                        self.diags.error(Kind::UnresolvedRef, &at, format!("`$ref: {reference}` points at nothing"));
                        return None;
                    };
                    at = pointer("#/components/parameters", key);
                    current = next;
                }
            }
        }
        self.diags.error(Kind::UnresolvedRef, ptr, "`$ref` chain too deep (a cycle?)");
        None
    }

    fn parameter(&mut self, param: &'a Parameter, ptr: &str, op_type: &str) -> Result<Vec<Param>, ()> {
        let data = param.parameter_data_ref();
        let (location, explode) = match param {
            Parameter::Path { .. } => (Location::Path, false),
            Parameter::Query { style, .. } => {
                match style {
                    QueryStyle::Form => {}
                    other => {
                        self.diags.error(
                            Kind::UnsupportedParameter,
                            ptr,
                            format!("query parameter `{}` uses style `{other:?}`", data.name),
                        );
                        return Err(());
                    }
                }
                (Location::Query, data.explode.unwrap_or(true))
            }
            Parameter::Header { .. } => {
                // OpenAPI says these three are ignored when declared as parameters.
                let lower = data.name.to_ascii_lowercase();
                if ["accept", "content-type", "authorization"].contains(&lower.as_str()) {
                    self.diags.warn(
                        Kind::UnsupportedParameter,
                        ptr,
                        format!("header parameter `{}` is managed by the client (OpenAPI ignores it); not exposed", data.name),
                    );
                    return Ok(Vec::new());
                }
                (Location::Header, false)
            }
            Parameter::Cookie { .. } => {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    ptr,
                    format!("cookie parameter `{}` cannot be sent by this client", data.name),
                );
                return Err(());
            }
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => SRef::from(s),
            ParameterSchemaOrContent::Content(_) => {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    ptr,
                    format!("parameter `{}` is described by `content`, not `schema`", data.name),
                );
                return Err(());
            }
        };
        let sptr = pointer(ptr, "schema");
        let hint = format!("{op_type}{}", names::camel(&data.name));
        let lowered = self.lower(schema, &sptr, &hint);
        let mut ty = self.unalias(lowered);
        if let Ty::Array(inner) = &ty {
            if **inner == Ty::Json {
                // `items: {}`: each item is text on the wire.
                ty = Ty::Array(Box::new(Ty::String));
            }
        }
        if ty == Ty::Json {
            // A parameter is text on the wire whatever its schema says; with
            // no type given, its constraints tell numbers from strings.
            let v = self.peek(schema).map(View::of);
            let numeric = v.as_ref().is_some_and(|v| {
                v.minimum.is_some() || v.maximum.is_some() || v.default.is_some_and(Value::is_number)
            });
            let boolean = v.as_ref().is_some_and(|v| v.default.is_some_and(Value::is_boolean));
            ty = if numeric { Ty::Number } else if boolean { Ty::Boolean } else { Ty::String };
            let shown = match ty {
                Ty::Number => "number",
                Ty::Boolean => "boolean",
                _ => "string",
            };
            self.diags.warn(
                Kind::UntypedFallback,
                &sptr,
                format!("parameter `{}` has no type; it is taken as a {shown}", data.name),
            );
        }
        if location == Location::Query && explode {
            if let Some(fields) = self.struct_fields(&ty) {
                // `style: form, explode: true` sends each property as its own
                // query parameter.
                return self.expand_object_param(data, fields, &sptr);
            }
        }
        if !self.param_ty_ok(&ty, location == Location::Query) {
            self.diags.error(
                Kind::UnsupportedParameter,
                &sptr,
                format!("parameter `{}` has a structured schema that cannot go in a {location:?} string", data.name),
            );
            return Err(());
        }
        let (checks, default) = match self.peek(schema) {
            Some(s) => {
                let v = View::of(s);
                let checks = Checks {
                    minimum: v.minimum,
                    exclusive_minimum: v.exclusive_minimum,
                    maximum: v.maximum,
                    exclusive_maximum: v.exclusive_maximum,
                    min_length: v.min_length,
                    max_length: v.max_length,
                };
                let default = v.default.and_then(|d| self.check_default(d, &ty, &checks, &sptr));
                (checks, default)
            }
            None => (Checks::default(), None),
        };
        let mut doc = match data.description.as_deref().or_else(|| self.description_of(schema)) {
            Some(d) => docs::clean(d),
            None => self.alternative_docs(schema),
        };
        if let Some(d) = &default {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("The server's default: `{d}`."));
        }
        Ok(vec![Param {
            name: names::snake(&data.name),
            wire: data.name.clone(),
            ty,
            required: data.required || location == Location::Path,
            location,
            checks,
            explode,
            default,
            docs: doc,
        }])
    }

    fn struct_fields(&self, ty: &Ty) -> Option<Vec<Field>> {
        match self.unalias(ty.clone()) {
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    fn expand_object_param(
        &mut self,
        data: &openapiv3::ParameterData,
        fields: Vec<Field>,
        ptr: &str,
    ) -> Result<Vec<Param>, ()> {
        let mut out = Vec::new();
        for f in fields {
            let mut ty = self.unalias(f.ty.clone());
            ty = match ty {
                Ty::Json => Ty::String,
                Ty::Array(inner) if *inner == Ty::Json => Ty::Array(Box::new(Ty::String)),
                other => other,
            };
            if !self.param_ty_ok(&ty, true) {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    pointer(&pointer(ptr, "properties"), &f.wire),
                    format!("property `{}` of query object `{}` is structured", f.wire, data.name),
                );
                return Err(());
            }
            out.push(Param {
                name: names::snake(&f.wire),
                wire: f.wire.clone(),
                ty,
                required: data.required && f.required && !f.nullable,
                location: Location::Query,
                checks: Checks::default(),
                explode: true,
                default: None,
                docs: f.docs.clone(),
            });
        }
        Ok(out)
    }

    /// Sees through [`TypeKind::Alias`].
    fn unalias(&self, ty: Ty) -> Ty {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            match &ty {
                Ty::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(t) => ty = t.clone(),
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Types that have one obvious text form on the wire.
    fn param_ty_ok(&self, ty: &Ty, allow_array: bool) -> bool {
        match ty {
            Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Integer(_) | Ty::Number | Ty::Boolean => true,
            Ty::Array(inner) => allow_array && self.param_ty_ok(inner, false),
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Enum(_) => true,
                TypeKind::Union(vs) => vs.iter().all(|v| self.param_ty_ok(&v.ty, false)),
                TypeKind::Alias(t) => self.param_ty_ok(t, allow_array),
                _ => false,
            },
            Ty::Json | Ty::JsonObject | Ty::Map(_) => false,
        }
    }

    /// Returns the default as text when it conforms; warns otherwise.
    fn check_default(&mut self, d: &Value, ty: &Ty, checks: &Checks, ptr: &str) -> Option<String> {
        let ok = match (ty, d) {
            (Ty::Integer(_), Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            (Ty::Number, Value::Number(_)) => true,
            (Ty::Boolean, Value::Bool(_)) => true,
            (Ty::String | Ty::Uuid, Value::String(_)) => true,
            (Ty::Date, Value::String(s)) => is_full_date(s),
            (Ty::DateTime, Value::String(s)) => s.len() > 10 && is_full_date(&s[..10]),
            (Ty::Named(id), Value::String(s)) => match &self.types[id.0].kind {
                TypeKind::Enum(e) => e.values.iter().any(|v| &v.wire == s),
                _ => true,
            },
            (Ty::Array(_), Value::Array(_)) => true,
            _ => false,
        };
        let in_bounds = match d.as_f64() {
            Some(f) => checks.minimum.is_none_or(|m| f >= m) && checks.maximum.is_none_or(|m| f <= m),
            None => true,
        };
        if ok && in_bounds {
            Some(match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        } else {
            self.diags.warn(
                Kind::NonConformingDefault,
                pointer(ptr, "default"),
                format!("default `{d}` does not conform to the schema; it is left out of the docs"),
            );
            None
        }
    }

    fn params_struct(&mut self, name: String, singles: Vec<Param>, op_type: &str) -> ParamsStruct {
        // Dotted optional query parameters (`actor.email`) are grouped by
        // their first segment; the wire name stays whole.
        let mut scope = Scope::default();
        scope.reserve("new");
        let mut members: Vec<ParamMember> = Vec::new();
        let mut group_index: HashMap<String, usize> = HashMap::new();
        for mut p in singles {
            let dotted = (p.location == Location::Query && !p.required)
                .then(|| p.wire.split_once('.'))
                .flatten()
                .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !names::snake(a).starts_with('_'));
            match dotted {
                Some((prefix, rest)) => {
                    let prefix = prefix.to_owned();
                    let field = names::snake(rest);
                    match group_index.get(&prefix) {
                        Some(&i) => {
                            if let ParamMember::Group(g) = &mut members[i] {
                                let mut inner = Scope::default();
                                for q in &g.params {
                                    inner.reserve(&q.name);
                                }
                                p.name = inner.unique(&field);
                                g.params.push(p);
                            }
                        }
                        None => {
                            let type_name = self.type_scope.unique(&format!("{op_type}{}", names::camel(&prefix)));
                            p.name = field;
                            group_index.insert(prefix.clone(), members.len());
                            members.push(ParamMember::Group(ParamGroup {
                                name: scope.unique(&names::snake(&prefix)),
                                wire_prefix: prefix,
                                type_name,
                                params: vec![p],
                            }));
                        }
                    }
                }
                None => {
                    p.name = scope.unique(&p.name);
                    members.push(ParamMember::Single(p));
                }
            }
        }
        ParamsStruct { name, members }
    }

    fn request_body(&mut self, rb: &'a ReferenceOr<RequestBody>, ptr: &str, op_type: &str) -> Option<Body> {
        let (body, bptr) = match rb {
            ReferenceOr::Item(b) => (b, ptr.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = self.ref_name(reference, "requestBodies", ptr, true)?;
                let Some((key, b)) = self.spec.components.as_ref().and_then(|c| c.request_bodies.get_key_value(&name)) else {
                    self.diags.error(Kind::UnresolvedRef, ptr, format!("`$ref: {reference}` points at nothing"));
                    return None;
                };
                match b {
                    ReferenceOr::Item(b) => (b, pointer("#/components/requestBodies", key)),
                    ReferenceOr::Reference { .. } => {
                        self.diags.error(Kind::UnresolvedRef, ptr, "request body `$ref` to another `$ref`");
                        return None;
                    }
                }
            }
        };
        let docs = docs::join(&[body.description.as_deref()]);
        if let Some((media, content)) = body.content.iter().find(|(m, _)| is_json(m)) {
            let cptr = pointer(&pointer(&bptr, "content"), media);
            let ty = match &content.schema {
                Some(s) => self.lower(SRef::from(s), &pointer(&cptr, "schema"), &format!("{op_type}Body")),
                None => Ty::Json,
            };
            return Some(Body { kind: BodyKind::Json(ty), required: body.required, docs });
        }
        let Some((media, content)) = body
            .content
            .iter()
            .find(|(m, _)| m.starts_with("multipart/form-data"))
            .or_else(|| body.content.first())
        else {
            self.diags.error(Kind::UnsupportedRequestBody, pointer(&bptr, "content"), "request body declares no media type");
            return None;
        };
        let cptr = pointer(&pointer(&bptr, "content"), media);
        let kind = if media.starts_with("multipart/form-data") {
            let mut parts = Vec::new();
            if let Some(schema) = content.schema.as_ref().and_then(|s| self.peek(SRef::from(s))) {
                let props = self.collect(schema, &pointer(&cptr, "schema"), 0);
                for name in &props.order {
                    let summary = props.cands[name]
                        .iter()
                        .find_map(|c| self.description_of(c.schema))
                        .and_then(|d| docs::clean(d).into_iter().next())
                        .unwrap_or_default();
                    parts.push(Part { name: (*name).to_owned(), required: props.required.contains(name), summary });
                }
            }
            self.diags.warn(
                Kind::UnsupportedRequestBody,
                &cptr,
                "multipart body: the caller builds the form (its parts are listed in the docs)",
            );
            BodyKind::Multipart(parts)
        } else {
            self.diags.warn(Kind::UnsupportedRequestBody, &cptr, format!("`{media}` body: sent as the caller's bytes"));
            BodyKind::Raw(media.clone())
        };
        Some(Body { kind, required: body.required, docs })
    }

    fn response_payload(&mut self, r: &'a ReferenceOr<OaResponse>, ptr: &str, hint: &str) -> Option<Payload> {
        let (resp, rptr) = match r {
            ReferenceOr::Item(resp) => (resp, ptr.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = self.ref_name(reference, "responses", ptr, false)?;
                let Some((key, ReferenceOr::Item(resp))) =
                    self.spec.components.as_ref().and_then(|c| c.responses.get_key_value(&name))
                else {
                    self.diags.warn(Kind::UnresolvedRef, ptr, format!("`$ref: {reference}` points at nothing; body kept as JSON"));
                    return Some(Payload::Json(Ty::Json));
                };
                (resp, pointer("#/components/responses", key))
            }
        };
        if resp.content.is_empty() {
            return Some(Payload::Empty);
        }
        match resp.content.iter().find(|(m, _)| is_json(m)) {
            Some((media, content)) => {
                let sptr = pointer(&pointer(&pointer(&rptr, "content"), media), "schema");
                Some(Payload::Json(match &content.schema {
                    Some(s) => self.lower(SRef::from(s), &sptr, hint),
                    None => Ty::Json,
                }))
            }
            None => {
                let found: Vec<&str> = resp.content.keys().map(String::as_str).collect();
                self.diags.warn(
                    Kind::UnsupportedResponse,
                    pointer(&rptr, "content"),
                    format!("response media types {found:?} are not JSON; the body is returned as bytes"),
                );
                Some(Payload::Bytes)
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        ptr: &str,
        op_type: &str,
    ) -> (Vec<Response>, Payload, Option<Ty>, Option<String>) {
        let rptr = pointer(ptr, "responses");
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<OaResponse>, String)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let (m, key) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(d) => (StatusMatch::Range(*d), format!("{d}XX")),
            };
            entries.push((m, r, pointer(&rptr, &key)));
        }
        let has_success = entries.iter().any(|(m, _, _)| is_success(*m));
        // Exact codes before ranges before `default`, as the spec ranks them.
        entries.sort_by_key(|(m, _, _)| match m {
            StatusMatch::Code(c) => (0, *c),
            StatusMatch::Range(d) => (1, *d),
            StatusMatch::Default => (2, 0),
        });
        if let Some(d) = &op.responses.default {
            entries.push((StatusMatch::Default, d, pointer(&rptr, "default")));
        }
        let mut responses = Vec::new();
        let mut success: Option<(Payload, String)> = None;
        let mut several = false;
        let mut error: Option<(Ty, String)> = None;
        for (m, r, eptr) in entries {
            let outcome = match m {
                StatusMatch::Default if !has_success => Outcome::Success,
                m if is_success(m) => Outcome::Success,
                _ => Outcome::Failure,
            };
            let hint = match outcome {
                Outcome::Success => format!("{op_type}Response"),
                Outcome::Failure => format!("{op_type}Error"),
            };
            // Reuse the already-lowered type for later entries with the
            // same schema instead of minting a second name.
            let payload = self.response_payload(r, &eptr, &hint).unwrap_or(Payload::Json(Ty::Json));
            let description = match r {
                ReferenceOr::Item(resp) => resp.description.clone(),
                ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or_default().to_owned(),
            };
            responses.push(Response { status: m, outcome, payload: payload.clone(), description });
            match outcome {
                Outcome::Success => match &success {
                    None => success = Some((payload, eptr)),
                    Some((first, _)) if *first != payload => several = true,
                    _ => {}
                },
                Outcome::Failure => {
                    if let Payload::Json(ty) = payload {
                        match &error {
                            None => error = Some((ty, eptr)),
                            Some((first, at)) if *first != ty && ty != Ty::Json => {
                                self.diags.warn(
                                    Kind::SeveralErrorShapes,
                                    &eptr,
                                    format!("this error response differs from the one at {at}, which is used"),
                                );
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        let reply_enum = several.then(|| self.type_scope.unique(&format!("{op_type}Reply")));
        (responses, success.map(|(p, _)| p).unwrap_or(Payload::Empty), error.map(|(t, _)| t), reply_enum)
    }
}

/// A text key equal for structurally identical types (references compared
/// through `canon`); `None` for kinds never merged.
fn structural_key(kind: &TypeKind, canon: &[usize]) -> Option<String> {
    use std::fmt::Write as _;
    fn ty_key(ty: &Ty, canon: &[usize], out: &mut String) {
        match ty {
            Ty::Named(id) => {
                let mut i = id.0;
                while canon[i] != i {
                    i = canon[i];
                }
                let _ = write!(out, "#{i}");
            }
            Ty::Array(t) => {
                out.push('[');
                ty_key(t, canon, out);
                out.push(']');
            }
            Ty::Map(t) => {
                out.push('{');
                ty_key(t, canon, out);
                out.push('}');
            }
            other => {
                let _ = write!(out, "{other:?}");
            }
        }
    }
    let mut out = String::new();
    match kind {
        TypeKind::Struct(s) => {
            out.push('S');
            for f in &s.fields {
                let _ = write!(out, "|{}:{}:{}:{}:", f.wire, f.name, f.required, f.nullable);
                ty_key(&f.ty, canon, &mut out);
                let _ = write!(out, ":{:?}", f.docs);
            }
        }
        TypeKind::Enum(e) => {
            out.push('E');
            for v in &e.values {
                let _ = write!(out, "|{}={}", v.name, v.wire);
            }
            let _ = write!(out, "|{}", e.other);
        }
        TypeKind::Union(vs) => {
            out.push('U');
            for v in vs {
                let _ = write!(out, "|{}:{:?}:", v.name, v.docs);
                ty_key(&v.ty, canon, &mut out);
            }
        }
        TypeKind::Alias(_) | TypeKind::Pending => return None,
    }
    Some(out)
}

fn rewrite_ty(ty: &mut Ty, f: &dyn Fn(TypeId) -> TypeId) {
    match ty {
        Ty::Named(id) => *id = f(*id),
        Ty::Array(t) | Ty::Map(t) => rewrite_ty(t, f),
        _ => {}
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

fn is_success(m: StatusMatch) -> bool {
    match m {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(d) => d == 2,
        StatusMatch::Default => false,
    }
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

fn location_key(p: &Parameter) -> u8 {
    match p {
        Parameter::Query { .. } => 0,
        Parameter::Header { .. } => 1,
        Parameter::Path { .. } => 2,
        Parameter::Cookie { .. } => 3,
    }
}

fn int_width(format: Option<&str>) -> IntWidth {
    match format {
        Some("int32") => IntWidth::I32,
        _ => IntWidth::I64,
    }
}

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

fn is_full_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Reads an `x-` naming hint that may be a string or a list of strings.
fn ext_name(ext: &indexmap::IndexMap<String, Value>, key: &str) -> Option<String> {
    match ext.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("_"))
        }
        _ => None,
    }
}
