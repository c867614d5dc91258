//! Bundling: the root document and every file its `$ref`s reach, made into
//! one self-contained document in which every `$ref` is
//! `#/components/<section>/<name>` of that document (what `lower` follows).
//!
//! The walk knows what each node is ([`super::walk`]). A `$ref` where the
//! 3.0 model allows one (schema, response, parameter, request body, header,
//! example, link) keeps being a `$ref`: a target that is not already a
//! component of the root is hoisted into `components/<section>/<name>`,
//! processed in the context of ITS file, once per (file, pointer), so
//! repeats share one component and cycles end. Anywhere else (a whole path
//! item or operation, a tag description) the target is inlined.
//!
//! Refs inside `x-` extensions are left as they are: extensions are vendor
//! data the generator does not read (DigitalOcean's `x-codeSamples` alone
//! name hundreds of files), and reading files only to copy them would cost
//! time and could fail for nothing.
//!
//! This module never reads files (it asks [`Sources`]) and never judges a
//! schema: what a component means is `lower`'s business.

use super::map::SourceMap;
use super::sources::{Entry, Sources, Target, lookup, pointer_of, resolve};
use super::walk::{Pos, PointerBuf, for_each_child, for_each_child_ref, section_pos};
use crate::diagnostics::{Diagnostics, Kind, Severity};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// What bundling produced.
#[derive(Debug)]
pub(crate) struct Bundle<'s> {
    /// The self-contained document (the parsed root itself when nothing
    /// had to change).
    pub doc: Cow<'s, Value>,
    /// Errors about `$ref`s that could not be followed (file, pointer).
    pub diagnostics: Diagnostics,
    /// Bundled pointers of moved nodes back to where they came from.
    pub source_map: SourceMap,
    /// Files referenced but not in the sources.
    pub missing: BTreeSet<String>,
    /// Whether anything was rewritten (else `doc` is the root as parsed).
    pub changed: bool,
}

/// Bundles `sources` (whose root must parse; otherwise `doc` is null).
pub(crate) fn bundle(sources: &Sources) -> Bundle<'_> {
    let root = match sources.entry(sources.root()) {
        Some(Entry::Parsed(v)) => v,
        _ => &Value::Null,
    };
    let mut b = Bundler {
        sources,
        root: sources.root(),
        memo: HashMap::new(),
        taken: HashMap::new(),
        queue: VecDeque::new(),
        order: Vec::new(),
        done: HashMap::new(),
        aliases: HashSet::new(),
        inlining: Vec::new(),
        diags: Diagnostics::default(),
        map: SourceMap::default(),
        missing: BTreeSet::new(),
        changed: false,
    };
    if !needs_work(root, Pos::Document) {
        // Most single-file specs: no copy, no walk that writes.
        return Bundle { doc: Cow::Borrowed(root), diagnostics: b.diags, source_map: b.map, missing: b.missing, changed: false };
    }
    let mut doc = root.clone();
    b.reserve_root_names(&doc);
    b.register_root_aliases(&doc);
    let mut cur = Cursor { file: b.root.to_owned(), src: PointerBuf("#".into()), dst: PointerBuf("#".into()) };
    b.walk(&mut doc, Pos::Document, &mut cur);
    while let Some(job) = b.queue.pop_front() {
        b.run(job);
    }
    b.assemble(&mut doc);
    Bundle { doc: Cow::Owned(doc), diagnostics: b.diags, source_map: b.map, missing: b.missing, changed: b.changed }
}

/// Whether the root holds a `$ref` the bundler would act on: anything but
/// a ref to a root component of the section its position calls for.
fn needs_work(node: &Value, pos: Pos) -> bool {
    if let Some(Value::String(r)) = node.get("$ref") {
        if !is_local_component_ref(r, pos) {
            return true;
        }
        if !(pos == Pos::Schema && node.as_object().is_some_and(|m| m.len() > 1)) {
            return false;
        }
    }
    if pos == Pos::Discriminator {
        return node.get("mapping").and_then(Value::as_object).is_some_and(|m| {
            m.values()
                .filter_map(Value::as_str)
                .any(|v| (v.contains('#') || is_file_name(v)) && !is_local_component_ref(v, Pos::Schema))
        });
    }
    let mut found = false;
    for_each_child_ref(pos, node, &mut |child, p| found = found || needs_work(child, p));
    found
}

/// `#/components/<section>/<name>` where the section is the one a `$ref`
/// at `pos` stays in.
fn is_local_component_ref(reference: &str, pos: Pos) -> bool {
    pos.hoists()
        && pos.section().is_some_and(|section| {
            reference
                .strip_prefix("#/components/")
                .and_then(|r| r.strip_prefix(section))
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|name| !name.contains('/'))
        })
}

fn is_file_name(v: &str) -> bool {
    [".json", ".yaml", ".yml"].iter().any(|e| v.ends_with(e))
}

/// Where the walk stands: the file the node comes from, its pointer there,
/// and its pointer in the bundle.
struct Cursor {
    file: String,
    src: PointerBuf,
    dst: PointerBuf,
}

/// A target to copy into `components/<section>/<name>`.
struct Job {
    target: Target,
    pos: Pos,
    section: &'static str,
    name: String,
}

struct Bundler<'s> {
    sources: &'s Sources,
    root: &'s str,
    /// (file, pointer) → the bundled `$ref` that stands for it.
    memo: HashMap<Target, String>,
    /// Component names in use, per section.
    taken: HashMap<&'static str, HashSet<String>>,
    queue: VecDeque<Job>,
    /// Hoisted components in the order they were named.
    order: Vec<(&'static str, String)>,
    done: HashMap<(&'static str, String), Value>,
    /// Root components given as a `$ref` whose content is hoisted under
    /// their own name.
    aliases: HashSet<(&'static str, String)>,
    /// Targets being inlined (a target that includes itself is a cycle).
    inlining: Vec<Target>,
    diags: Diagnostics,
    map: SourceMap,
    missing: BTreeSet<String>,
    changed: bool,
}

const HOISTING_SECTIONS: [&str; 7] =
    ["schemas", "responses", "parameters", "requestBodies", "headers", "examples", "links"];

impl<'s> Bundler<'s> {
    fn file_label(&self, file: &str) -> Option<String> {
        (file != self.root).then(|| file.to_owned())
    }

    fn error(&mut self, kind: Kind, file: &str, pointer: &str, msg: String) {
        let file = self.file_label(file);
        self.diags.push_in(Severity::Error, kind, file.as_deref(), pointer, msg);
    }

    /// The root's own component names are never taken by hoisted ones.
    fn reserve_root_names(&mut self, doc: &Value) {
        for section in HOISTING_SECTIONS {
            let names = self.taken.entry(section).or_default();
            if let Some(Value::Object(entries)) = doc.pointer(&format!("/components/{section}")) {
                names.extend(entries.keys().cloned());
            }
        }
    }

    /// A root component that is only a `$ref` to something outside the
    /// root's components gives its name to what it points at, before any
    /// other use can name it (`components/schemas/Droplet: {$ref: droplet.yml}`
    /// bundles as `Droplet`, not as an alias of `droplet`).
    fn register_root_aliases(&mut self, doc: &Value) {
        for section in HOISTING_SECTIONS {
            let Some(Value::Object(entries)) = doc.pointer(&format!("/components/{section}")) else { continue };
            let pos = *section_pos(section).expect("known section");
            for (name, entry) in entries {
                let Some(reference) = entry.get("$ref").and_then(Value::as_str) else { continue };
                let Ok(target) = resolve(reference, self.root) else { continue };
                if self.is_root_component(&target, section) || self.memo.contains_key(&target) {
                    continue;
                }
                let at = (self.root.to_owned(), pointer_of(&["components".into(), section.into(), name.clone()]));
                let own = format!("#/components/{section}/{}", escape(name));
                if self.component(pos, target, reference, &at, Some(name.as_str())).as_deref() == Some(own.as_str()) {
                    self.aliases.insert((section, name.clone()));
                }
            }
        }
    }

    fn is_root_component(&self, t: &Target, section: &str) -> bool {
        t.file == self.root && t.tokens.len() == 3 && t.tokens[0] == "components" && t.tokens[1] == section
    }

    fn walk(&mut self, node: &mut Value, pos: Pos, cur: &mut Cursor) {
        if let Some(Value::String(reference)) = node.get("$ref") {
            let reference = reference.clone();
            self.handle_ref(node, pos, &reference, cur);
            // 3.1 schemas may have keywords beside `$ref`; walk them too.
            let has_siblings = pos == Pos::Schema && node.as_object().is_some_and(|m| m.len() > 1);
            if !has_siblings {
                return;
            }
        }
        if pos == Pos::Discriminator {
            self.discriminator(node, cur);
            return;
        }
        for_each_child(pos, node, &mut |toks, child, cpos| {
            let (s, d) = (cur.src.push(toks), cur.dst.push(toks));
            self.walk(child, cpos, cur);
            cur.src.truncate(s);
            cur.dst.truncate(d);
        });
    }

    fn handle_ref(&mut self, node: &mut Value, pos: Pos, reference: &str, cur: &mut Cursor) {
        let section = pos.section();
        // The common case, kept cheap: a root ref to a root component.
        if cur.file == self.root && is_local_component_ref(reference, pos) {
            return;
        }
        let at = (cur.file.clone(), cur.src.0.clone());
        let target = match resolve(reference, &cur.file) {
            Ok(t) => t,
            Err(why) => {
                let kind = if reference.starts_with('#') { Kind::UnresolvedRef } else { Kind::ExternalRef };
                self.error(kind, &at.0, &at.1, format!("`$ref: {reference}`: {why}"));
                return;
            }
        };
        match section {
            Some(_) if pos.hoists() => {
                if let Some(new) = self.component(pos, target, reference, &at, None) {
                    if new != reference {
                        self.changed = true;
                        node["$ref"] = Value::String(new);
                    }
                }
            }
            _ => self.inline(node, pos, target, reference, cur),
        }
    }

    /// The bundled `$ref` for `target` used at a `pos` position: the root
    /// component it already is, or a hoisted one (named `preferred` when the
    /// root gave it a name). Follows refs to refs; `None` when it cannot be
    /// resolved (reported at `at`).
    fn component(
        &mut self,
        pos: Pos,
        target: Target,
        reference: &str,
        at: &(String, String),
        preferred: Option<&str>,
    ) -> Option<String> {
        let section = pos.section()?;
        let mut key = target;
        let mut seen: Vec<Target> = Vec::new();
        let found = loop {
            if self.is_root_component(&key, section) {
                break Some(format!("#/components/{section}/{}", escape(&key.tokens[2])));
            }
            if let Some(r) = self.memo.get(&key) {
                break Some(r.clone());
            }
            let value = self.fetch(&key, reference, at)?;
            // A target that is only a `$ref` stands for what it points at.
            if let Some(Value::String(next)) = value.get("$ref")
                && value.as_object().is_some_and(|m| m.len() == 1)
            {
                if seen.contains(&key) {
                    let msg = format!("`$ref: {reference}` is a cycle of `$ref`s that never reaches a definition");
                    self.error(Kind::UnresolvedRef, &at.0, &at.1, msg);
                    return None;
                }
                let next_target = match resolve(next, &key.file) {
                    Ok(t) => t,
                    Err(why) => {
                        self.error(Kind::UnresolvedRef, &key.file.clone(), &key.pointer(), format!("`$ref: {next}`: {why}"));
                        return None;
                    }
                };
                seen.push(std::mem::replace(&mut key, next_target));
                continue;
            }
            let name = match preferred {
                Some(n) => n.to_owned(),
                None => self.name_for(section, &key),
            };
            let r = format!("#/components/{section}/{}", escape(&name));
            self.order.push((section, name.clone()));
            self.memo.insert(key.clone(), r.clone());
            self.queue.push_back(Job { target: key, pos, section, name });
            break Some(r);
        };
        if let Some(r) = &found {
            for k in seen {
                self.memo.insert(k, r.clone());
            }
        }
        found
    }

    /// The node at `key`, or an error at `at` naming the ref and the file.
    fn fetch(&mut self, key: &Target, reference: &str, at: &(String, String)) -> Option<&'s Value> {
        let sources = self.sources;
        let (kind, msg) = match sources.entry(&key.file) {
            Some(Entry::Parsed(v)) => match lookup(v, &key.tokens) {
                Some(node) => return Some(node),
                None if key.file == self.root => {
                    (Kind::UnresolvedRef, format!("`$ref: {reference}`: this document has nothing at `{}`", key.pointer()))
                }
                None => (
                    Kind::UnresolvedRef,
                    format!("`$ref: {reference}`: `{}` has nothing at `{}`", key.file, key.pointer()),
                ),
            },
            Some(Entry::Unparsable(e)) => {
                (Kind::Parse, format!("`$ref: {reference}`: `{}` is not JSON or YAML: {e}", key.file))
            }
            Some(Entry::Unreadable(e)) => {
                (Kind::MissingFile, format!("`$ref: {reference}`: `{}` cannot be read: {e}", key.file))
            }
            None => {
                self.missing.insert(key.file.clone());
                (Kind::MissingFile, format!("`$ref: {reference}`: `{}` was not provided", key.file))
            }
        };
        self.error(kind, &at.0, &at.1, msg);
        None
    }

    /// Replaces the `$ref` node by its target, walked in its own file.
    fn inline(&mut self, node: &mut Value, pos: Pos, target: Target, reference: &str, cur: &Cursor) {
        let at = (cur.file.clone(), cur.src.0.clone());
        if self.inlining.contains(&target) {
            let msg = format!("`$ref: {reference}` includes itself (a cycle where a `$ref` cannot stay)");
            self.error(Kind::UnresolvedRef, &at.0, &at.1, msg);
            return;
        }
        let Some(value) = self.fetch(&target, reference, &at) else { return };
        let mut content = value.clone();
        let mut inner = Cursor { file: target.file.clone(), src: PointerBuf(target.pointer()), dst: cur.dst.clone() };
        self.map.insert(&cur.dst.0, self.file_label(&target.file), &inner.src.0);
        self.inlining.push(target);
        self.walk(&mut content, pos, &mut inner);
        self.inlining.pop();
        self.changed = true;
        *node = content;
    }

    /// Rewrites `mapping` values that are refs (`other.yml#/Dog`); bare
    /// schema names stay. An entry that points at nothing in a file that
    /// is there is dropped with a warning, not an error: the alternatives
    /// still say which is which through their own `propertyName` values.
    fn discriminator(&mut self, node: &mut Value, cur: &mut Cursor) {
        let Some(Value::Object(mapping)) = node.get_mut("mapping") else { return };
        let mut dangling = Vec::new();
        for (key, value) in mapping.iter_mut() {
            let Value::String(reference) = value else { continue };
            let is_ref = reference.contains('#') || is_file_name(reference);
            if !is_ref {
                continue;
            }
            let reference = reference.clone();
            let s = cur.src.push(&[super::walk::Tok::Key("mapping"), super::walk::Tok::Key(key)]);
            let at = (cur.file.clone(), cur.src.0.clone());
            cur.src.truncate(s);
            let target = match resolve(&reference, &cur.file) {
                Ok(t) => t,
                Err(why) => {
                    self.error(Kind::UnresolvedRef, &at.0, &at.1, format!("`$ref: {reference}`: {why}"));
                    continue;
                }
            };
            if let Some(Entry::Parsed(file)) = self.sources.entry(&target.file)
                && lookup(file, &target.tokens).is_none()
            {
                let file = self.file_label(&at.0);
                self.diags.push_in(
                    Severity::Warning,
                    Kind::UnresolvedRef,
                    file.as_deref(),
                    &at.1,
                    format!(
                        "discriminator mapping `{key}: {reference}` points at nothing; the entry is dropped and \
                         the alternatives are told apart by the value each gives the property"
                    ),
                );
                dangling.push(key.clone());
                continue;
            }
            if let Some(new) = self.component(Pos::Schema, target, &reference, &at, None)
                && new != reference
            {
                self.changed = true;
                *value = Value::String(new);
            }
        }
        for key in dangling {
            self.changed = true;
            mapping.shift_remove(&key);
        }
    }

    fn run(&mut self, job: Job) {
        let Some(Entry::Parsed(file)) = self.sources.entry(&job.target.file) else { return };
        let Some(value) = lookup(file, &job.target.tokens) else { return };
        let mut content = value.clone();
        let dst = format!("#/components/{}/{}", job.section, escape(&job.name));
        let mut cur = Cursor { file: job.target.file.clone(), src: PointerBuf(job.target.pointer()), dst: PointerBuf(dst) };
        self.map.insert(&cur.dst.0, self.file_label(&job.target.file), &cur.src.0);
        self.walk(&mut content, job.pos, &mut cur);
        self.done.insert((job.section, job.name), content);
    }

    /// Puts hoisted components into the document: aliases in place, the
    /// others after the root's own, in the order they were named.
    fn assemble(&mut self, doc: &mut Value) {
        if self.order.is_empty() {
            return;
        }
        self.changed = true;
        let Value::Object(root) = doc else { return };
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let components = components.as_object_mut().expect("made an object");
        for (section, name) in std::mem::take(&mut self.order) {
            let Some(content) = self.done.remove(&(section, name.clone())) else { continue };
            let entries = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(entries) = entries {
                entries.insert(name, content);
            }
        }
    }

    /// A stable, readable name for a hoisted target, unique in its section.
    fn name_for(&mut self, section: &'static str, target: &Target) -> String {
        let stem = sanitize(file_stem(&target.file));
        let base = readable_name(&target.tokens).unwrap_or_else(|| stem.clone());
        let taken = self.taken.entry(section).or_default();
        let mut candidates = vec![base.clone()];
        if !target.tokens.is_empty() && stem != base {
            candidates.push(format!("{stem}_{base}"));
        }
        let name = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|c| !taken.contains(c))
            .expect("an unbounded supply of names");
        taken.insert(name.clone());
        name
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// `resources/droplets/droplet.yml` → `droplet`.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// Tokens that say where a node is, not what it is.
const STRUCTURAL: [&str; 22] = [
    "allOf", "anyOf", "oneOf", "not", "items", "prefixItems", "properties", "additionalProperties", "$defs",
    "definitions", "schema", "content", "parameters", "responses", "requestBody", "headers", "examples",
    "components", "schemas", "paths", "value", "default",
];

/// The last pointer token, with the ones before it while it says little
/// (`Tag/allOf/0` → `Tag_allOf_0`), at most four; `None` for no tokens.
fn readable_name(tokens: &[String]) -> Option<String> {
    let useful = match tokens {
        [c, _, rest @ ..] if c == "components" && !rest.is_empty() => rest,
        t => t,
    };
    let last = useful.len().checked_sub(1)?;
    let readable = |t: &str| !t.is_empty() && !t.chars().all(|c| c.is_ascii_digit()) && !t.contains('/') && !STRUCTURAL.contains(&t);
    let mut start = last;
    while start > 0 && !readable(&useful[start]) && last - start < 3 {
        start -= 1;
    }
    Some(sanitize(&useful[start..].join("_")))
}

/// Component names allow `[A-Za-z0-9._-]`; anything else becomes `_`.
fn sanitize(s: &str) -> String {
    let out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    if out.is_empty() { "_".into() } else { out }
}

#[cfg(test)]
#[path = "bundle_tests.rs"]
mod tests;
