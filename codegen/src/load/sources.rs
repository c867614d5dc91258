//! The files of a description: the root document and every file its `$ref`s
//! reach, as text the caller read, keyed by `/`-separated paths relative to
//! the root's folder. Also the small grammar of `$ref` values (relative
//! paths, fragments, RFC 6901 pointers with percent-encoding).
//!
//! This module never touches the filesystem: the caller (the xtask, a test)
//! asks [`Sources::missing`] which files the bundle still needs, reads them,
//! adds them, and asks again until nothing is missing.

use serde_json::Value;
use std::collections::BTreeMap;

/// A description split over files, held in memory.
///
/// ```
/// use codegen::load::Sources;
/// let mut sources = Sources::new("openapi.yaml", "openapi: 3.0.3\npaths:\n  /a: {$ref: 'paths/a.yaml'}\n");
/// assert_eq!(sources.missing(), ["paths/a.yaml"]);
/// sources.add("paths/a.yaml", "get: {responses: {'204': {description: done}}}");
/// assert!(sources.missing().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Sources {
    root: String,
    root_text: String,
    files: BTreeMap<String, Entry>,
}

/// One file: its parsed value, or why there is none.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// Parsed JSON or YAML.
    Parsed(Value),
    /// Read, but not JSON or YAML (the parser's message).
    Unparsable(String),
    /// The caller could not read it (its reason).
    Unreadable(String),
}

impl Sources {
    /// The root document: its path (a file name, or a path relative to the
    /// folder the other paths are relative to) and its text.
    pub fn new(root_path: &str, text: impl Into<String>) -> Self {
        let root = normalize(root_path);
        let root_text = text.into();
        let entry = parse(&root_text);
        let mut files = BTreeMap::new();
        files.insert(root.clone(), entry);
        Sources { root, root_text, files }
    }

    /// Adds a file the bundle needs (`path` as [`Sources::missing`] gave it,
    /// or any spelling of it: it is normalised).
    pub fn add(&mut self, path: &str, text: impl Into<String>) {
        let text = text.into();
        self.files.insert(normalize(path), parse(&text));
    }

    /// Records that a needed file could not be read; each `$ref` to it then
    /// becomes an error diagnostic carrying `reason`.
    pub fn add_unreadable(&mut self, path: &str, reason: impl Into<String>) {
        self.files.insert(normalize(path), Entry::Unreadable(reason.into()));
    }

    /// Files (normalised paths, sorted) that `$ref`s reachable from the root
    /// name and that were neither added nor reported unreadable. Refs inside
    /// `x-` extensions do not count (the generator does not read them).
    pub fn missing(&self) -> Vec<String> {
        // Only a `$ref` with a path names a file: without one anywhere in
        // the files held, nothing is missing (and a big single-file spec
        // is not bundled just to learn that).
        let names_a_file = self.files.values().any(|e| matches!(e, Entry::Parsed(v) if names_a_file(v, false)));
        if !self.root_parses() || !names_a_file {
            return Vec::new();
        }
        super::bundle::bundle(self).missing.into_iter().collect()
    }

    /// The root document's path.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The root document's text.
    pub fn root_text(&self) -> &str {
        &self.root_text
    }

    /// The paths of the files held that were read (the root first, then
    /// the others sorted), relative to the root's folder; a path that
    /// leaves it starts with `../`.
    pub fn paths(&self) -> Vec<&str> {
        let others = self.files.iter().filter(|(p, e)| **p != self.root && !matches!(e, Entry::Unreadable(_)));
        std::iter::once(self.root.as_str()).chain(others.map(|(p, _)| p.as_str())).collect()
    }

    /// How many files are held (the root included, unreadable ones too).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Always false: the root is always there.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether the root is JSON or YAML.
    pub(crate) fn root_parses(&self) -> bool {
        matches!(self.files.get(&self.root), Some(Entry::Parsed(_)))
    }

    pub(crate) fn entry(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
    }
}

fn parse(text: &str) -> Entry {
    match super::parse_value(text) {
        Ok(v) => Entry::Parsed(v),
        Err(d) => Entry::Unparsable(d.0.first().map(|d| d.message.clone()).unwrap_or_default()),
    }
}

/// Whether any `$ref` (or discriminator `mapping` value) under `node`
/// could name another file: anything not starting with `#`.
fn names_a_file(node: &Value, in_mapping: bool) -> bool {
    match node {
        Value::Object(map) => map.iter().any(|(k, v)| match v {
            Value::String(s) if k == "$ref" || in_mapping => !s.starts_with('#'),
            v => names_a_file(v, k == "mapping"),
        }),
        Value::Array(items) => items.iter().any(|v| names_a_file(v, false)),
        _ => false,
    }
}

/// Normalises a `/`-separated relative path: drops `.` and empty segments,
/// folds `dir/..` (`a/b/../c.yml` → `a/c.yml`); leading `..` stay.
pub(crate) fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// `rel` resolved against the folder of `file`, normalised.
pub(crate) fn join(file: &str, rel: &str) -> String {
    match file.rsplit_once('/') {
        Some((dir, _)) => normalize(&format!("{dir}/{rel}")),
        None => normalize(rel),
    }
}

/// Where a `$ref` points: a file and the pointer tokens inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Target {
    /// Normalised path of the file.
    pub file: String,
    /// Unescaped RFC 6901 tokens (empty: the whole file).
    pub tokens: Vec<String>,
}

impl Target {
    /// The pointer as written in diagnostics and bundled refs: `#/a/b~1c`.
    pub fn pointer(&self) -> String {
        pointer_of(&self.tokens)
    }
}

/// `#` followed by each token escaped per RFC 6901.
pub(crate) fn pointer_of(tokens: &[String]) -> String {
    tokens.iter().fold(String::from("#"), |p, t| crate::diagnostics::pointer(&p, t))
}

/// Resolves `reference` found in `holder` (a file path). A ref without a
/// path is in the same file; without a fragment, the whole file.
pub(crate) fn resolve(reference: &str, holder: &str) -> Result<Target, String> {
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (reference, None),
    };
    let file = if path.is_empty() {
        holder.to_owned()
    } else if has_scheme(path) {
        return Err("remote references are not fetched; download the file and refer to it by a relative path".into());
    } else if path.starts_with('/') {
        return Err("absolute paths are not supported; use a path relative to the file holding the `$ref`".into());
    } else {
        join(holder, &percent_decode(path))
    };
    let tokens = match fragment {
        None | Some("") => Vec::new(),
        Some(f) => {
            let f = percent_decode(f);
            let Some(rest) = f.strip_prefix('/') else {
                return Err(format!("`#{f}` is not a JSON pointer (anchors are not supported)"));
            };
            rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
        }
    };
    Ok(Target { file, tokens })
}

/// `scheme:` at the start (`https:`, `file:`, `urn:`; also `C:`).
fn has_scheme(path: &str) -> bool {
    let Some((scheme, _)) = path.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%XX` escapes (URI fragments and paths); malformed ones stay.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The node at `tokens` in `value` (array elements by index).
pub(crate) fn lookup<'v>(value: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(value, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(items) => t.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise() {
        for (input, expected) in [
            ("a/b/../c.yml", "a/c.yml"),
            ("./a.yml", "a.yml"),
            ("a//b/./c.yml", "a/b/c.yml"),
            ("../x.yml", "../x.yml"),
            ("a/../../x.yml", "../x.yml"),
            ("a\\b.yml", "a/b.yml"),
        ] {
            assert_eq!(normalize(input), expected, "{input}");
        }
    }

    #[test]
    fn refs_resolve_relative_to_their_file() {
        let t = |r: &str, holder: &str| resolve(r, holder).map(|t| (t.file, t.tokens));
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(t("#/components/schemas/A", "root.yaml"), Ok(("root.yaml".into(), s(&["components", "schemas", "A"]))));
        assert_eq!(t("droplets_list.yml", "resources/droplets/x.yml"), Ok(("resources/droplets/droplets_list.yml".into(), vec![])));
        assert_eq!(
            t("../../shared/parameters.yml#/per_page", "resources/droplets/x.yml"),
            Ok(("shared/parameters.yml".into(), s(&["per_page"])))
        );
        assert_eq!(
            t("#/components/responses/Conflict/content/application~1json", "r.yaml"),
            Ok(("r.yaml".into(), s(&["components", "responses", "Conflict", "content", "application/json"])))
        );
        assert_eq!(t("#/a~0b/%7Bid%7D", "r.yaml"), Ok(("r.yaml".into(), s(&["a~b", "{id}"]))));
        assert_eq!(t("my%20file.yml#", "r.yaml"), Ok(("my file.yml".into(), vec![])));
        assert!(t("https://example.com/x.yml", "r.yaml").unwrap_err().contains("remote"));
        assert!(t("#anchor", "r.yaml").unwrap_err().contains("anchors"));
    }

    #[test]
    fn lookup_walks_objects_and_arrays() {
        let v = serde_json::json!({"a": [{"b": 1}]});
        assert_eq!(lookup(&v, &["a".into(), "0".into(), "b".into()]), Some(&serde_json::json!(1)));
        assert_eq!(lookup(&v, &["a".into(), "1".into()]), None);
        assert_eq!(pointer_of(&["a/b".into(), "c~".into()]), "#/a~1b/c~0");
    }
}
