//! Lowering: the only module that reads `openapiv3` documents. It resolves
//! every `$ref`, decides names, types and docs, and produces the
//! [`model`](crate::model) plus diagnostics.
//!
//! Two passes: the first assigns stable names (all component schemas, then
//! groups and methods in spec order); the second lowers each operation and,
//! on demand, the schemas it reaches. Only reachable schemas become types.
//! Then passes over the whole model: `dedupe`, `streams` (what asks for a
//! stream, from the lowered body), `paging`, `cycles`.
//!
//! This file holds the orchestration, the crate's identity and the
//! `Lowerer` state. The work is split into one `impl Lowerer` per concern:
//!
//! - `refs`: following `$ref`s (the only parser of reference text);
//! - `classify`: read-only questions asked of schemas;
//! - `schemas`: schemas to types, and the cache of component schemas;
//! - `compose`: merging the properties of `allOf`/`oneOf`/`anyOf`;
//! - `enums`: string enums and untagged unions;
//! - `naming`: groups, handles, methods and their variants, and who wins a
//!   clash between names;
//! - `operations`: walking `paths`, path templates;
//! - `params`, `bodies`, `responses`, `security`: the parts of an operation
//!   (`checks`: a parameter's bounds, merged over compositions);
//! - `streams`: sequential media types, their item types, and what asks
//!   for a stream and ends it;
//! - `dedupe`, `streams`, `paging`, `cycles`: the passes over the finished model;
//! - `view`: one flat view of the many shapes of an `openapiv3` schema.

use crate::diagnostics::Diagnostics;
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use crate::{Coverage, Options};
use openapiv3::OpenAPI;
use std::collections::{HashMap, HashSet};

mod bodies;
mod checks;
mod classify;
mod compose;
mod cycles;
mod dedupe;
mod enums;
mod naming;
mod operations;
mod paging;
mod params;
mod refs;
mod responses;
mod samples;
pub(crate) use samples::{pattern_example, unique};
mod schemas;
mod security;
mod streams;
mod view;

/// How deep `$ref` chains and nested compositions may go before the
/// generator assumes a cycle.
const MAX_DEPTH: usize = 48;

/// Lowers a parsed document. Never panics; problems become diagnostics.
pub fn lower(spec: &OpenAPI, options: &Options, diags: &mut Diagnostics) -> (Api, Coverage) {
    lower_with_samples(spec, options, diags, false)
}

/// [`lower`], and with `samples` also the arguments of the mock test's
/// calls of every operation ([`Operation::samples`], `samples.rs`).
pub fn lower_with_samples(spec: &OpenAPI, options: &Options, diags: &mut Diagnostics, samples: bool) -> (Api, Coverage) {
    let extra = operations::additional_operations(spec, diags);
    let mut l = Lowerer::new(spec, &extra, options, diags);
    if samples {
        l.samples = Some(samples::Patterns::default());
    }
    // Schemes first: requirements refer to them by index.
    let security = l.security_schemes(options);
    let (default_security, default_security_optional) = l.default_security(&security);
    let base_url = l.base_url();
    let mut groups = l.operations(&security);
    // Dedupe rewrites type references, so the passes that read them come
    // after it; boxing comes last because it must see the final graph.
    l.dedupe();
    l.share_error_enums(&mut groups);
    l.streams(&mut groups, &options.streams, options.source.as_deref());
    l.paging(&mut groups, &options.paging, options.source.as_deref());
    // Variant names last: `_pages` and `_all` exist only for paged operations.
    l.name_variants(&mut groups);
    l.rename_types();
    l.report_unused_renames(options.source.as_deref());
    l.mark_boxes();

    let title = spec.info.title.clone();
    let env_prefix = env_prefix(spec, options);
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
        base_url_env: options
            .env
            .get("base_url")
            .and_then(|n| n.one().map(str::to_owned))
            .unwrap_or_else(|| format!("{env_prefix}_BASE_URL")),
        env_prefix,
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

/// Prefix of the environment variables the generated client reads; shared
/// by the base URL and every security scheme so they read as one family.
fn env_prefix(spec: &OpenAPI, options: &Options) -> String {
    let first_word = spec.info.title.split_whitespace().next().unwrap_or("api");
    options.env_prefix.clone().unwrap_or_else(|| names::screaming(first_word))
}

/// Whether `info.version` can be the crate's version as is (Cargo only
/// takes semver; prose like `v4` or dates fall back to `0.1.0`).
fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// What lowering one document accumulates. The fields stay private to this
/// module; the files under it see them because they are its children.
struct Lowerer<'a, 'd> {
    spec: &'a OpenAPI,
    /// Operations 3.0 has no slot for (3.2's `QUERY` and others).
    extra: &'a [operations::Extra],
    diags: &'d mut Diagnostics,
    types: Vec<TypeDef>,
    /// One namespace for every type name (schemas, params structs, group
    /// handles, reply enums): they are all re-exported at the crate root.
    /// Component schemas claim first, so theirs are the plain names.
    type_scope: Scope,
    /// Rust names reserved for every component schema, decided up front so
    /// they do not depend on which operation reaches them first.
    component_names: HashMap<&'a str, String>,
    /// Lowered component schemas.
    components: HashMap<String, Ty>,
    /// Components being lowered that have no name of their own (cycle guard).
    in_progress: HashSet<String>,
    coverage: Coverage,
    /// Set when the mock test's arguments are asked for (with the
    /// patterns compiled so far).
    samples: Option<samples::Patterns>,
    /// The options' `rename:` entries, and which of them named something.
    renames: naming::Renames,
}

impl<'a, 'd> Lowerer<'a, 'd> {
    fn new(spec: &'a OpenAPI, extra: &'a [operations::Extra], options: &Options, diags: &'d mut Diagnostics) -> Self {
        let mut type_scope = Scope::for_types();
        let mut component_names = HashMap::new();
        let mut renames = naming::Renames::new(&options.rename);
        if let Some(c) = &spec.components {
            let mut keys: Vec<&str> = c.schemas.keys().map(String::as_str).collect();
            keys.sort_unstable();
            let bases = names::schema_type_names(&keys);
            for (k, base) in keys.into_iter().zip(bases) {
                let ptr = crate::diagnostics::pointer("#/components/schemas", k);
                let base = renames.schema(k, base);
                let claim = type_scope.claim(&base, &[], &format!("the schema {ptr}"));
                component_names.insert(k, naming::report(diags, &ptr, &format!("the type name `{base}`"), claim));
            }
        }
        Lowerer {
            spec,
            extra,
            diags,
            types: Vec::new(),
            type_scope,
            component_names,
            components: HashMap::new(),
            in_progress: HashSet::new(),
            coverage: Coverage::default(),
            samples: None,
            renames,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_semver;

    #[test]
    fn only_semver_versions_become_the_crate_version() {
        for (version, semver) in [
            ("1.2.3", true),
            ("4.0.0-beta.1", true),
            ("4.0.0+build.7", true),
            ("0.0.1", true),
            ("4", false),
            ("4.0", false),
            ("v4.0.0", false),
            ("1.2.x", false),
            ("1..3", false),
            ("2024-04-05", false),
            ("", false),
        ] {
            assert_eq!(is_semver(version), semver, "{version}");
        }
    }
}
