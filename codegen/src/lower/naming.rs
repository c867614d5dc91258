//! Naming the API surface before anything is lowered: each operation's
//! group (module, accessor, cargo feature, handle type) and method; and,
//! once paging is known, the names of each method's variants (`_raw`,
//! `_<media>`, `_pages`, `_all`).
//!
//! The rules for one name are in `names`; this file decides who wins when
//! two want the same one: the spec's names over ours, then the first in
//! document order, and every clash that remains is a `name-clash` warning
//! naming both parties. It must not lower schemas or parameters.

use super::Lowerer;
use super::operations::operation_pointer;
use crate::diagnostics::{Diagnostics, Kind, pointer};
use crate::model::*;
use crate::names::{self, Claim, Scope};
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// The options' `rename:` entries, remembering which ones named something
/// (the others are reported once lowering is done).
pub(super) struct Renames {
    entries: crate::options::Renames,
    used: std::collections::BTreeSet<(&'static str, String)>,
    /// Every key an entry could have used, by section (for "did you mean").
    keys: std::collections::BTreeSet<(&'static str, String)>,
}

impl Renames {
    pub(super) fn new(entries: &crate::options::Renames) -> Self {
        Renames { entries: entries.clone(), used: Default::default(), keys: Default::default() }
    }

    /// The type name of the component schema `key`, whose name would be
    /// `base`: renamed when an entry names the key or that name.
    pub(super) fn schema(&mut self, key: &str, base: String) -> String {
        match self.find("types", &[key, &base]) {
            Some(to) => names::camel(&to),
            None => base,
        }
    }

    /// The group of operations tagged `tag` (or without one), whose name
    /// would be `base`.
    fn group(&mut self, tag: Option<&str>, base: String) -> String {
        let keys: Vec<&str> = tag.into_iter().chain([base.as_str()]).collect();
        match self.find("groups", &keys) {
            Some(to) => names::snake(&to),
            None => base,
        }
    }

    /// The method of an operation, by its id or its `METHOD /path`.
    fn method(&mut self, id: Option<&str>, route: &str) -> Option<String> {
        let keys: Vec<&str> = id.into_iter().chain([route]).collect();
        self.find("methods", &keys).map(|to| names::snake(&to))
    }

    /// The first entry of `section` keyed by one of `keys`.
    fn find(&mut self, section: &'static str, keys: &[&str]) -> Option<String> {
        if !self.entries.types.is_empty() || !self.entries.groups.is_empty() || !self.entries.methods.is_empty() {
            self.keys.extend(keys.iter().map(|k| (section, (*k).to_owned())));
        }
        let map = match section {
            "types" => &self.entries.types,
            "groups" => &self.entries.groups,
            _ => &self.entries.methods,
        };
        let (key, to) = keys.iter().find_map(|k| map.get_key_value(*k))?;
        self.used.insert((section, key.clone()));
        Some(to.clone())
    }
}

impl Lowerer<'_, '_> {
    /// Type renames keyed by a name the generator chose for a type that is
    /// not a component schema's (a body, a params struct, an inline
    /// object), once every name is final. The types named after it
    /// (`MessagesItemSource` after `MessagesItem`) follow it.
    pub(super) fn rename_types(&mut self) {
        let pending: Vec<(String, String)> = self
            .renames
            .entries
            .types
            .iter()
            .filter(|(k, _)| !self.renames.used.contains(&("types", (*k).clone())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (from, to) in pending {
            let to = names::camel(&to);
            let derived = |name: &str| name.strip_prefix(from.as_str()).filter(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())).map(str::to_owned);
            let targets: Vec<(usize, String)> = self
                .types
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.component)
                .filter_map(|(i, t)| derived(&t.name).map(|rest| (i, rest)))
                .collect();
            if targets.is_empty() {
                continue;
            }
            self.renames.used.insert(("types", from.clone()));
            for (i, rest) in targets {
                let base = format!("{to}{rest}");
                let claim = self.type_scope.claim(&base, &[], &format!("the type renamed from `{}`", self.types[i].name));
                self.types[i].name = report(self.diags, "#/rename/types", &format!("the type name `{base}`"), claim);
            }
        }
    }

    /// Every `rename:` entry that named nothing, as a warning in the
    /// options file.
    pub(super) fn report_unused_renames(&mut self, source: Option<&str>) {
        let r = &self.renames;
        let sections = [("types", &r.entries.types), ("groups", &r.entries.groups), ("methods", &r.entries.methods)];
        let mut unused = Vec::new();
        for (section, map) in sections {
            for key in map.keys() {
                if !r.used.contains(&(section, key.clone())) {
                    unused.push((section, key.clone()));
                }
            }
        }
        for (section, key) in unused {
            let candidates = r.keys.iter().filter(|(s, _)| *s == section).map(|(_, k)| k.as_str());
            let types = self.types.iter().filter(|_| section == "types").map(|t| t.name.as_str());
            let hint = crate::suggest::did_you_mean(&key, candidates.chain(types));
            self.diags.push_in(
                crate::Severity::Warning,
                Kind::Rename,
                source,
                pointer(&format!("#/rename/{section}"), &key),
                format!("`{key}` names no {} of this description; nothing is renamed{hint}", &section[..section.len() - 1]),
            );
        }
    }
}

/// An operation whose group and method names are decided, waiting to be
/// lowered.
pub(super) struct Named<'a> {
    pub path: &'a str,
    pub method: Method,
    pub op: &'a openapiv3::Operation,
    pub item: &'a PathItem,
    /// Its JSON pointer (`#/paths/~1pets/get`).
    pub ptr: String,
    /// The group's name (module, accessor, feature).
    pub group: String,
    /// What the types of this group's operations start with (`Pets` in
    /// `PetsListParams`): the group's own words, never a suffixed name.
    pub type_prefix: String,
    pub group_docs: Option<&'a str>,
    pub method_name: String,
}

/// How an operation's method name was found.
enum Wanted {
    /// An SDK naming extension: used as it is.
    Explicit(String),
    /// From the operation id or the route: the short name, and the full
    /// one used when two operations of the group want the same short one.
    Derived { short: String, full: String },
}

impl<'a> Lowerer<'a, '_> {
    /// First pass: the group and the method name of every operation, in
    /// document order (so a name never depends on which operations fail
    /// later).
    pub(super) fn name_operations(&mut self) -> Vec<Named<'a>> {
        let spec = self.spec;
        let mut named = Vec::new();
        let mut wanted = Vec::new();
        let mut groups = GroupNames::new();
        let skip = tag_words_to_skip(spec);
        for (path, item) in &spec.paths.paths {
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    let ptr = pointer("#/paths", path);
                    self.diags.error(Kind::ExternalRef, &ptr, "path items given as `$ref` are not supported");
                    continue;
                }
            };
            let standard = methods_of(item).into_iter().filter_map(|(m, op)| op.as_ref().map(|op| (m, op)));
            let extra = self.extra.iter().filter(|e| e.path == *path).map(|e| (e.method.clone(), &e.op));
            for (method, op) in standard.chain(extra) {
                self.coverage.operations += 1;
                let ptr = operation_pointer(path, &method);
                let (base, group_docs) = group_of(spec, op, path, skip);
                let base = self.renames.group(op.tags.first().map(String::as_str), base);
                let (group, type_prefix) = groups.name(&base, &ptr, self.diags);
                let route = format!("{} {path}", method.as_str());
                let wanted_name = match self.renames.method(op.operation_id.as_deref(), &route) {
                    Some(name) => Wanted::Explicit(name),
                    None => wanted_method(op, &method, path, item, &base),
                };
                wanted.push(wanted_name);
                named.push(Named { path, method, op, item, ptr, group, type_prefix, group_docs, method_name: String::new() });
            }
        }
        self.claim_methods(&mut named, wanted);
        named
    }

    /// Method names, group by group, in document order. A short name two
    /// operations of the group want (or one of the handle's) gives way to
    /// the full one for both, so neither depends on the other's position.
    fn claim_methods(&mut self, named: &mut [Named<'a>], wanted: Vec<Wanted>) {
        let mut shorts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (n, w) in named.iter().zip(&wanted) {
            if let Wanted::Derived { short, .. } = w {
                *shorts.entry((n.group.as_str(), short.as_str())).or_default() += 1;
            }
        }
        let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
        let mut chosen = Vec::with_capacity(named.len());
        for (n, w) in named.iter().zip(&wanted) {
            let scope = scopes.entry(n.group.clone()).or_insert_with(|| Scope::with_reserved(names::HANDLE_RESERVED));
            let holder = format!("the operation {}", n.ptr);
            let (base, mut fallbacks) = match w {
                Wanted::Explicit(name) => (name.clone(), Vec::new()),
                Wanted::Derived { short, full } => {
                    let shared = shorts.get(&(n.group.as_str(), short.as_str())).is_some_and(|c| *c > 1);
                    let reserved = names::HANDLE_RESERVED.iter().any(|(r, _)| r == short);
                    if shared || reserved { (full.clone(), Vec::new()) } else { (short.clone(), vec![full.clone()]) }
                }
            };
            fallbacks.extend(scope.beside_ours(&base, format!("{base}_")));
            let claim = scope.claim(&base, &fallbacks, &holder);
            chosen.push(report(self.diags, &n.ptr, &format!("the method name `{base}`"), claim));
        }
        for (n, name) in named.iter_mut().zip(chosen) {
            n.method_name = name;
        }
    }

    /// One handle type per group, named in order of first appearance:
    /// `<Group>Api`. They take names from the type namespace (after every
    /// component schema, so `Pets` stays the schema's) because they are
    /// re-exported beside the types.
    pub(super) fn group_handles(&mut self, named: &[Named<'a>]) -> BTreeMap<String, Group> {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for n in named {
            if groups.contains_key(&n.group) {
                continue;
            }
            let base = if n.type_prefix.ends_with("Api") { n.type_prefix.clone() } else { format!("{}Api", n.type_prefix) };
            let claim = self.type_scope.claim(&base, &[], &format!("the handle of the group `{}`", n.group));
            let type_name = report(self.diags, &n.ptr, &format!("the handle type `{base}`"), claim);
            let docs = match n.group_docs {
                Some(d) => crate::docs::clean(d),
                None => vec![format!("Operations of the `{}` group.", n.group)],
            };
            groups.insert(n.group.clone(), Group { name: n.group.clone(), type_name, docs, operations: Vec::new() });
        }
        groups
    }

    /// A type name for one operation (`<Prefix><Method><suffix>`, like
    /// `PetsListParams`), claimed in the type namespace; a clash (with a
    /// schema of that name) is reported at the operation.
    pub(super) fn claim_type(&mut self, base: &str, what: &str, ptr: &str) -> String {
        let claim = self.type_scope.claim(base, &[], &format!("the {what} of {ptr}"));
        report(self.diags, ptr, &format!("the {what} `{base}`"), claim)
    }

    /// Once paging is known: the names of every method's variants, claimed
    /// after every operation's own name (the spec's names win: `render`
    /// beside an operation `render_raw` has its raw variant named
    /// `render_raw_reply`). Groups' operations must be sorted already.
    pub(super) fn name_variants(&mut self, groups: &mut [Group]) {
        for g in groups {
            let mut scope = Scope::with_reserved(names::HANDLE_RESERVED);
            for op in &g.operations {
                scope.reserve_for(&op.method_name, &format!("the method of {}", op_pointer(op)));
            }
            for op in &mut g.operations {
                let ptr = op_pointer(op);
                let m = names::method_stem(&op.method_name).to_owned();
                let mut claim = |suffix: &str, fallback: &str, what: &str| {
                    let base = format!("{m}_{suffix}");
                    let c = scope.claim(&base, &[format!("{m}_{fallback}")], &format!("the {what} of {ptr}"));
                    report(self.diags, &ptr, &format!("the {what} `{base}`"), c)
                };
                let raw = claim("raw", "raw_reply", "raw variant");
                let media = op
                    .alt_media
                    .iter()
                    .map(|media| {
                        let sub = names::media_suffix(media);
                        claim(&sub, &format!("as_{sub}"), "media-type variant")
                    })
                    .collect();
                let (pages, all) = match op.paging {
                    Some(_) => (Some(claim("pages", "page_stream", "page stream")), Some(claim("all", "items", "item stream"))),
                    None => (None, None),
                };
                op.variants = Variants { raw, media, pages, all };
            }
        }
    }
}

/// Group names in document order: a keyword or a name of ours (a method
/// of `Client`, a cargo feature of the crate) gets `_api`.
struct GroupNames {
    scope: Scope,
    /// Base name to `(name, type prefix)`.
    decided: BTreeMap<String, (String, String)>,
}

impl GroupNames {
    fn new() -> Self {
        GroupNames { scope: Scope::with_reserved(names::CLIENT_RESERVED), decided: BTreeMap::new() }
    }

    fn name(&mut self, base: &str, ptr: &str, diags: &mut Diagnostics) -> (String, String) {
        if let Some(d) = self.decided.get(base) {
            return d.clone();
        }
        let suffixed = format!("{base}_api");
        let wanted = if names::is_keyword(base) { suffixed.clone() } else { base.to_owned() };
        let claim = self.scope.claim(&wanted, &[suffixed], &format!("the group of {ptr}"));
        let name = report(diags, ptr, &format!("the group name `{wanted}`"), claim);
        let decided = (name, names::camel(base));
        self.decided.insert(base.to_owned(), decided.clone());
        decided
    }
}

/// Reports a clash `claim` resolved, naming both parties (`subject` says
/// what asked for which name: "the method name `list`"), and returns the
/// name handed out.
pub(super) fn report(diags: &mut Diagnostics, ptr: &str, subject: &str, claim: Claim) -> String {
    if let Some(holder) = claim.taken_by.filter(|h| !h.is_empty()) {
        diags.warn(Kind::NameClash, ptr, format!("{subject} is taken by {holder}; this one is `{}`", claim.name));
    }
    claim.name
}

/// The JSON pointer of a lowered operation.
fn op_pointer(op: &Operation) -> String {
    operation_pointer(&op.path, &op.method)
}

/// The eight operation slots of a path item, in a fixed order.
fn methods_of(item: &PathItem) -> [(Method, &Option<openapiv3::Operation>); 8] {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
}

/// The leading words every operation's first tag shares, which group names
/// leave out.
fn tag_words_to_skip(spec: &OpenAPI) -> usize {
    let tags: Vec<&str> = spec
        .paths
        .paths
        .values()
        .filter_map(|item| match item {
            ReferenceOr::Item(i) => Some(i),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|item| methods_of(item).into_iter().filter_map(|(_, op)| op.as_ref()))
        .filter_map(|op| op.tags.first().map(String::as_str))
        .collect();
    names::shared_tag_words(&tags)
}

/// An operation's group before clashes (an SDK naming extension, else its
/// first tag without the words every tag starts with, else the first
/// telling segment of its path, else `general`) and the docs of its tag.
fn group_of<'s>(spec: &'s OpenAPI, op: &openapiv3::Operation, path: &str, skip: usize) -> (String, Option<&'s str>) {
    let group = ext_name(&op.extensions, "x-fern-sdk-group-name")
        .or_else(|| ext_name(&op.extensions, "x-speakeasy-group"))
        .and_then(|g| names::group_name(&g))
        .or_else(|| op.tags.first().and_then(|t| names::tag_group_name(t, skip)))
        .or_else(|| names::group_from_path(path))
        .unwrap_or_else(|| "general".to_owned());
    let group_docs = spec
        .tags
        .iter()
        .find(|t| op.tags.first() == Some(&t.name))
        .and_then(|t| t.description.as_deref());
    (group, group_docs)
}

/// The method name an operation asks for: an SDK naming extension, else
/// from its id, else from its HTTP method and path.
fn wanted_method(op: &openapiv3::Operation, method: &Method, path: &str, item: &PathItem, group: &str) -> Wanted {
    let explicit = ext_name(&op.extensions, "x-fern-sdk-method-name")
        .or_else(|| ext_name(&op.extensions, "x-speakeasy-name-override"))
        .and_then(|m| names::explicit_method(&m));
    if let Some(name) = explicit {
        return Wanted::Explicit(name);
    }
    if let Some((short, full)) = op.operation_id.as_deref().and_then(|id| names::method_from_id(id, group)) {
        return Wanted::Derived { short, full };
    }
    let (short, full) = names::method_from_route(method.as_str(), path, group, item.patch.is_some());
    Wanted::Derived { short, full }
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
