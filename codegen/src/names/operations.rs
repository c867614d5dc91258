//! Names of the API surface: a group (module, accessor, cargo feature) from
//! a tag or a path, and a method from an operation id without what its group
//! already says, or from the HTTP method and the path.
//!
//! Pure functions from strings to snake-case names. They never fail and
//! never return an empty or digit-leading name; which of two equal names
//! wins is `lower`'s business (with a [`Scope`](super::Scope)). Must not
//! read the document model: callers pass the strings.

use super::{is_keyword, spell_leading_number, words};

/// Verbs that start method names (`list_pets`, `GetCustomersCustomer`):
/// the group's words right after one are dropped (`list`, `get_customer`),
/// and a path ending in one names an action (`POST /runs/{id}/cancel`).
const VERBS: &[&str] = &[
    "accept", "activate", "add", "apply", "approve", "archive", "assign", "attach", "block", "bulk", "cancel",
    "check", "clear", "clone", "close", "confirm", "copy", "count", "create", "deactivate", "delete", "deploy",
    "describe", "detach", "disable", "download", "edit", "enable", "execute", "export", "fetch", "find", "follow",
    "generate", "get", "import", "insert", "install", "invite", "list", "lock", "merge", "modify", "move", "patch",
    "pause", "post", "preview", "publish", "purge", "put", "query", "read", "refresh", "register", "reject",
    "remove", "rename", "render", "reopen", "replace", "rerun", "reset", "restart", "restore", "resume", "retrieve",
    "revoke", "rotate", "run", "search", "send", "set", "show", "start", "stop", "submit", "sync", "test",
    "toggle", "trigger", "unarchive", "unassign", "unblock", "uninstall", "unlock", "update", "upload", "upsert",
    "validate", "verify",
];

/// Words right after a verb that say nothing (`get_an_access_group` in
/// "Access Groups" is `get`). Not possessives: `list_my_connections` is
/// not `list_connections`.
const ARTICLES: &[&str] = &["a", "an", "the"];

/// A group's name from an SDK extension, a tag or a path segment: snake
/// case, a leading number spelled out (`1-Click Applications` is
/// `one_click_applications`). `None` when the text has no letter or digit.
/// The result may be a keyword or a name of ours; `lower` then adds `_api`.
pub fn group_name(raw: &str) -> Option<String> {
    tag_group_name(raw, 0)
}

/// [`group_name`] of a tag without its first `skip` words (the ones every
/// tag of the description starts with; see
/// [`shared_tag_words`](super::shared_tag_words)).
pub fn tag_group_name(raw: &str, skip: usize) -> Option<String> {
    let mut w: Vec<String> = words(raw).into_iter().skip(skip).collect();
    spell_leading_number(&mut w);
    (!w.is_empty()).then(|| w.join("_"))
}

/// The group of an operation that has no tag: the first path segment that
/// is neither a parameter nor a version or API prefix (`/v1/customers/{id}`
/// is `customers`).
pub fn group_from_path(path: &str) -> Option<String> {
    path.split('/').filter(|s| !s.is_empty() && !is_param(s) && !is_prefix(s)).find_map(group_name)
}

/// A method name given by an SDK naming extension: the extension's words,
/// as they are (it is the spec author's choice), but never a keyword.
pub fn explicit_method(raw: &str) -> Option<String> {
    let mut w = words(raw);
    spell_leading_number(&mut w);
    (!w.is_empty()).then(|| not_keyword(w.join("_")))
}

/// A keyword with a trailing `_` (`type_`): a method is called often and
/// linked from docs, where `r#type` reads badly and rustdoc cannot link it.
fn not_keyword(name: String) -> String {
    if is_keyword(&name) { format!("{name}_") } else { name }
}

/// A method name from an operation id: `(short, full)`, where `short`
/// drops what the group already says and `full` is every word of the id.
/// The caller uses `full` when two operations of a group would share a
/// `short` name. `None` when the id has no word.
///
/// The group's words, compared without case, separators or a plural `s`,
/// are dropped
/// 1. in front, as often as they repeat (`actions/cancel-workflow-run` in
///    `actions`), or the longest run of them that starts or ends the group
///    (`workers-ai-post-run` in "Workers AI Text Generation",
///    `registry_get_options` in "Container Registry");
/// 2. right after a leading verb (`GetCustomersCustomer` in "Customers" is
///    `get_customer`, `showPetById` in "pets" is `show_by_id`), with an
///    article there, which goes even alone (`create-a-destination-address`
///    is `create_destination_address`).
///
/// When what is left is nothing, a keyword or starts with a digit, `short`
/// is `full`. A keyword (an id `type`) gets a trailing `_`.
pub fn method_from_id(id: &str, group: &str) -> Option<(String, String)> {
    let mut full = words(id);
    if full.is_empty() {
        return None;
    }
    spell_leading_number(&mut full);
    let short = strip_group(&full, &words(group));
    let usable = !short.is_empty() && !short[0].starts_with(|c: char| c.is_ascii_digit()) && !is_keyword(&short.join("_"));
    let full = not_keyword(full.join("_"));
    let short = if usable { short.join("_") } else { full.clone() };
    Some((short, full))
}

/// A method name from the HTTP method and path, for an operation without
/// an id: `(short, full)` as for [`method_from_id`]. `short` is a verb,
/// then the last literal segment of the path unless it names the group
/// (singular when one item is meant); `full` is the HTTP method and every
/// literal segment (`get_pets_photos`).
///
/// - `GET` of a collection is `list`, of an item (the path ends in a
///   parameter) `get`; `POST` is `create` (`update` on an item); `PATCH`
///   is `update`, `PUT` too (`replace` when the path also has a `PATCH`);
///   `DELETE` is `delete`: `GET /pets` is `list`, `GET /pets/{id}/photos`
///   `list_photos`, `POST /pets/{id}/photos` `create_photo`.
/// - A path that ends in a verb is that action, with the segment before
///   it: `POST /runs/{id}/cancel` is `cancel`, `POST /zones/{id}/dns_records/import`
///   `import_dns_records`.
pub fn method_from_route(method: &str, path: &str, group: &str, path_has_patch: bool) -> (String, String) {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let full = std::iter::once(method.to_ascii_lowercase())
        .chain(segments.iter().filter(|s| !is_param(s) && !is_prefix(s)).flat_map(|s| words(s)))
        .collect();
    (short_route_name(method, &segments, &words(group), path_has_patch), finish(full))
}

fn short_route_name(method: &str, segments: &[&str], g: &[String], path_has_patch: bool) -> String {
    let on_item = segments.last().is_some_and(|s| is_param(s));
    let names_group = |w: &[String]| group_run(w, g) == Some(w.len());
    let mut resource: Vec<String> = segments.iter().rev().find(|s| !is_param(s)).map(|s| words(s)).unwrap_or_default();
    if names_group(&resource) {
        resource.clear();
    }
    if !on_item && resource.first().is_some_and(|w| VERBS.contains(&w.as_str())) {
        // An action: its verb, then what it acts on when the path says.
        let mut name = resource;
        if let [.., before, _] = segments {
            let before_words = words(before);
            if !is_param(before) && !names_group(&before_words) {
                name.extend(before_words);
            }
        }
        return finish(name);
    }
    let verb = match (method.to_ascii_uppercase().as_str(), on_item) {
        ("GET", false) => "list",
        ("GET", true) => "get",
        ("POST", false) => "create",
        ("POST", true) | ("PATCH", _) => "update",
        ("PUT", _) if path_has_patch => "replace",
        ("PUT", _) => "update",
        ("DELETE", _) => "delete",
        (other, _) => return finish(std::iter::once(other.to_ascii_lowercase()).chain(resource).collect()),
    };
    if let Some(last) = resource.last_mut() {
        if on_item || verb == "create" {
            *last = singular(last);
        }
    }
    finish(std::iter::once(verb.to_owned()).chain(resource).collect())
}

/// Words to a name (the first word is never empty here, but a leading
/// number is still spelled, as everywhere).
fn finish(mut w: Vec<String>) -> String {
    spell_leading_number(&mut w);
    w.join("_")
}

/// The words left once what the group says is dropped (see
/// [`method_from_id`]); may be empty.
fn strip_group(w: &[String], g: &[String]) -> Vec<String> {
    let mut w = w.to_vec();
    if g.is_empty() {
        return w;
    }
    while let Some(n) = group_run(&w, g) {
        if n >= w.len() {
            break;
        }
        w.drain(..n);
    }
    if w.len() > 1 && VERBS.contains(&w[0].as_str()) {
        let article = w.len() > 2 && ARTICLES.contains(&w[1].as_str());
        let start = if article { 2 } else { 1 };
        let n = group_run(&w[start..], g).unwrap_or(0);
        w.drain(1..start + n);
    }
    w
}

/// How many leading words of `w` spell the group, or the longest run of
/// its words that starts or ends it; `None` when none does.
fn group_run(w: &[String], g: &[String]) -> Option<usize> {
    let mut runs: Vec<&[String]> = vec![g];
    for k in (1..g.len()).rev() {
        runs.push(&g[..k]);
        runs.push(&g[g.len() - k..]);
    }
    runs.iter().filter(|r| !r.is_empty()).find_map(|r| spells(w, r))
}

/// How many leading words of `w` spell `run` when both are written without
/// separators (`urlscanner` spells "URL Scanner"), a plural `s` aside.
fn spells(w: &[String], run: &[String]) -> Option<usize> {
    let target = run.concat();
    let mut acc = String::new();
    for (i, word) in w.iter().enumerate() {
        acc.push_str(word);
        if same_noun(&acc, &target) {
            return Some(i + 1);
        }
        if acc.len() > target.len() + 2 {
            break;
        }
    }
    None
}

/// Equal, or equal once both are singular (`pets` and `pet`, `policies`
/// and `policy`).
fn same_noun(a: &str, b: &str) -> bool {
    a == b || singular(a) == singular(b)
}

/// A plural noun's singular, by spelling only (`policies` → `policy`,
/// `boxes` → `box`, `photos` → `photo`; `status`, `address` stay).
fn singular(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{stem}y");
    }
    for es in ["sses", "shes", "ches", "xes", "zes"] {
        if w.ends_with(es) {
            return w[..w.len() - 2].to_owned();
        }
    }
    let keep = w.len() < 3 || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is");
    match w.strip_suffix('s') {
        Some(stem) if !keep => stem.to_owned(),
        _ => w.to_owned(),
    }
}

/// `{name}`.
fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// A path prefix that says nothing about the resource: `api`, `rest`, a
/// version (`v1`, `v2beta1`, `1.0`; not `2fa`).
fn is_prefix(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    if s == "api" || s == "rest" {
        return true;
    }
    let version = s.strip_prefix('v').unwrap_or(&s);
    let tail = version.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let tail = ["alpha", "beta", "rc"].iter().find_map(|t| tail.strip_prefix(t)).unwrap_or(tail);
    version.starts_with(|c: char| c.is_ascii_digit()) && tail.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
#[path = "operations_tests.rs"]
mod tests;
