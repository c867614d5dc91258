//! Emission: the model to token streams (the only user of `quote`), plus the
//! crate's `Cargo.toml` and README as text. One job per output file, so
//! files are emitted and formatted in parallel.
//!
//! Emitters destructure model structs exhaustively, so a new model field is a
//! compile error here until it is handled. Nothing here decides a name: names
//! come from the model (made by `names` during lowering); this module only
//! derives the two that cannot clash by construction: a method's request
//! builder (`<method>_request`, a free function) and its static (the
//! method's name in capitals).
//!
//! Names of ours that a spec name could shadow are written by path where
//! that can happen: the runtime's items always (`crate::runtime::Client`),
//! prelude names in `types.rs` only when a schema takes one (see
//! [`Emitter::prelude`]).
//!
//! Files: `crate_files` (Cargo.toml, lib.rs, api/mod.rs, the runtime),
//! `readme` (README.md and its usage example), `client` (the API description and typed credential setters),
//! `types` (schemas), `groups` (one module per operation group), `operations`
//! (one operation: its description, request builder and methods), `params`
//! (parameter structs), `bodies` (request bodies, multipart part structs),
//! `paging` (page and item streams), `streams` (streamed replies),
//! `errors` (error types, enums by status); `mock` (the mock test's
//! program, only when asked for).

mod bodies;
mod client;
mod crate_files;
mod errors;
mod groups;
mod mock;
mod operations;
mod paging;
mod params;
mod readme;
mod streams;
mod types;

use crate::model::*;
use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// Prelude names `types.rs` writes, which a schema of that name would
/// shadow there.
const PRELUDE: &[&str] = &["Box", "From", "Option", "String", "Vec"];

/// What the crate root re-exports from `client` and `runtime`, unless a
/// type of the spec has the name (the spec's name wins there; ours stays
/// reachable by its module).
const ROOT_REEXPORTS: &[(&str, &str)] = &[
    ("BuildError", "client"),
    ("Client", "client"),
    ("ClientBuilder", "client"),
    ("Credentials", "client"),
    ("ApiError", "runtime"),
    ("DecodeError", "runtime"),
    ("Error", "runtime"),
    ("ErrorKind", "runtime"),
    ("RequestOptions", "runtime"),
    ("RetryPolicy", "runtime"),
    ("Secret", "runtime"),
];

/// Whether a scheme of some kind needs a runtime item.
type Needs = fn(&SchemeKind) -> bool;

/// What the crate root also re-exports from `runtime` when a scheme of
/// the API takes it (same rule for names the spec has).
const CREDENTIAL_REEXPORTS: &[(&str, Needs)] = &[
    ("BasicAuth", |k| matches!(k, SchemeKind::Basic)),
    ("ClientAuth", oauth),
    ("ClientCert", |k| matches!(k, SchemeKind::MutualTls)),
    ("OAuth2", oauth),
    ("Token", oauth),
    ("TokenError", oauth),
    ("TokenRequest", oauth),
    ("TokenSource", oauth),
];

/// Whether a scheme's tokens come from OAuth2 settings.
fn oauth(kind: &SchemeKind) -> bool {
    matches!(kind, SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect(_))
}

/// One output unit before formatting.
pub enum Unit {
    /// Rust source, formatted by `render`.
    Rust { path: String, tokens: TokenStream },
    /// Any other file, already final.
    Text { path: String, contents: String },
}

/// One file to emit; jobs are independent, so they can run in parallel.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    /// `Cargo.toml`.
    CargoToml,
    /// `README.md`.
    Readme,
    /// `src/lib.rs`.
    Lib,
    /// `src/client.rs`.
    Client,
    /// `src/types.rs`.
    Types,
    /// `src/errors.rs` (only when an operation has an error enum).
    Errors,
    /// `src/api/mod.rs`.
    ApiMod,
    /// `src/runtime/<file>`, copied from the template.
    Runtime(usize),
    /// `src/api/<group>.rs`.
    Group(usize),
    /// A file of the mock test's crate (`mock-test/`).
    Mock(usize),
}

/// Every file of the crate, largest first; with `mock`, also the mock
/// test's crate.
pub fn jobs(api: &Api, mock: bool) -> Vec<Job> {
    let mut jobs = vec![Job::Types];
    if mock {
        jobs.extend((0..mock::MOCK_FILES).rev().map(Job::Mock));
    }
    if has_error_enums(api) {
        jobs.push(Job::Errors);
    }
    jobs.extend((0..api.groups.len()).map(Job::Group));
    jobs.extend([Job::Client, Job::Lib, Job::ApiMod, Job::CargoToml, Job::Readme]);
    jobs.extend((0..crate_files::RUNTIME.len()).map(Job::Runtime));
    jobs
}

/// Emits one file.
pub fn run(api: &Api, job: Job) -> Unit {
    let e = Emitter::new(api);
    match job {
        Job::CargoToml => Unit::Text { path: "Cargo.toml".into(), contents: e.cargo_toml() },
        Job::Readme => Unit::Text { path: "README.md".into(), contents: e.readme() },
        Job::Lib => Unit::Rust { path: "src/lib.rs".into(), tokens: e.lib() },
        Job::Client => Unit::Rust { path: "src/client.rs".into(), tokens: e.client() },
        Job::Types => Unit::Rust { path: "src/types.rs".into(), tokens: e.types() },
        Job::Errors => Unit::Rust { path: "src/errors.rs".into(), tokens: e.errors() },
        Job::ApiMod => Unit::Rust { path: "src/api/mod.rs".into(), tokens: e.api_mod() },
        Job::Runtime(i) => crate_files::runtime_file(i),
        Job::Mock(i) => e.mock_file(i),
        Job::Group(i) => {
            let g = &api.groups[i];
            Unit::Rust { path: format!("src/api/{}.rs", module_file(&g.name)), tokens: e.group(g) }
        }
    }
}

/// Whether an operation's error type is an enum by status (`errors.rs`).
fn has_error_enums(api: &Api) -> bool {
    api.groups.iter().flat_map(|g| &g.operations).any(|op| op.error_enum.is_some())
}

/// A Rust identifier from a name made by `names` (keywords become raw).
fn ident(name: &str) -> Ident {
    let text = names::ident_text(name);
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&text, Span::call_site()),
    }
}

/// A name as it is written in source, for docs (`r#type`).
fn shown(name: &str) -> String {
    names::ident_text(name)
}

fn module_file(name: &str) -> String {
    names::ident_text(name).trim_start_matches("r#").to_owned()
}

/// `#[doc = "..."]` per line, so prettyplease prints `///` lines.
fn doc(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Inner `#![doc = "..."]` per line.
fn inner_doc(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #text])
    });
    quote!(#(#attrs)*)
}

/// A one-line doc.
fn doc1(text: &str) -> TokenStream {
    doc(&[text.to_owned()])
}

/// The `Default` derive and `new` of a struct built with setters (a
/// parameters struct, a multipart body): `new()` when nothing is required,
/// else `new` taking the required values. `nothing` and `required` are the
/// two docs.
fn constructor(args: &[TokenStream], inits: &[TokenStream], nothing: &str, required: &str) -> (TokenStream, TokenStream) {
    if args.is_empty() {
        let d = doc1(nothing);
        (quote!(Default,), quote! {
            #d
            pub fn new() -> Self {
                Self::default()
            }
        })
    } else {
        let d = doc1(required);
        (quote!(), quote! {
            #d
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
        })
    }
}

/// The cargo feature of a group.
fn feature_name(group: &str) -> String {
    names::kebab(group)
}

/// Where a type is referred to from.
#[derive(Clone, Copy, PartialEq)]
enum At {
    /// Inside `types.rs`.
    Types,
    /// In a group module, which imports `crate::types`.
    Elsewhere,
}

struct Emitter<'a> {
    api: &'a Api,
    /// The distinct security requirements of the operations (alternatives,
    /// and whether none is also fine), in order of first use; each becomes
    /// one shared static in `client.rs`.
    security_sets: Vec<(&'a [Vec<Requirement>], bool)>,
    /// Every type name the crate root gets from `types` and `api` (schemas,
    /// handles, parameter structs, reply enums).
    root_types: BTreeSet<&'a str>,
    /// The [`PRELUDE`] names a schema takes in `types.rs`.
    shadowed: BTreeSet<&'static str>,
}

impl<'a> Emitter<'a> {
    fn new(api: &'a Api) -> Self {
        let mut security_sets: Vec<(&[Vec<Requirement>], bool)> = Vec::new();
        for op in api.groups.iter().flat_map(|g| &g.operations) {
            let set = (op.security.as_slice(), op.security_optional);
            if !security_sets.contains(&set) {
                security_sets.push(set);
            }
        }
        let mut root_types: BTreeSet<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        for g in &api.groups {
            root_types.insert(&g.type_name);
            for op in &g.operations {
                root_types.extend(op.reply_enum.as_deref());
                if let Some(ps) = &op.params {
                    root_types.insert(&ps.name);
                    root_types.extend(ps.members.iter().filter_map(|m| match m {
                        ParamMember::Group(pg) => Some(pg.type_name.as_str()),
                        ParamMember::Single(_) => None,
                    }));
                }
            }
        }
        let shadowed = PRELUDE.iter().copied().filter(|n| api.types.iter().any(|t| t.name == *n)).collect();
        Emitter { api, security_sets, root_types, shadowed }
    }

    /// A prelude name (`Option`) as written at `at`: by full path
    /// (`::std::option::Option`) in `types.rs` when a schema there has the
    /// name, else plain. Only where a clash exists, so the usual crate
    /// reads as hand-written code; group modules never need it (their own
    /// items are all longer names, and the schemas are `types::X` there).
    fn prelude(&self, name: &str, at: At) -> TokenStream {
        let plain = Ident::new(name, Span::call_site());
        if at != At::Types || !self.shadowed.contains(name) {
            return quote!(#plain);
        }
        match name {
            "Box" => quote!(::std::boxed::Box),
            "From" => quote!(::std::convert::From),
            "Option" => quote!(::std::option::Option),
            "String" => quote!(::std::string::String),
            "Vec" => quote!(::std::vec::Vec),
            _ => quote!(#plain),
        }
    }

    /// What the crate root re-exports unless the spec takes the name:
    /// `(name, module)`.
    fn root_reexports(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        let credentials = CREDENTIAL_REEXPORTS
            .iter()
            .filter(|(_, needed)| self.api.security.iter().any(|s| needed(&s.kind)))
            .map(|(n, _)| (*n, "runtime"));
        let mut all: Vec<_> = ROOT_REEXPORTS.iter().copied().chain(credentials).collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// The runtime's items the crate root does not re-export because the
    /// spec has a type of that name: `(name, module)`.
    fn shadowed_reexports(&self) -> Vec<(&'static str, &'static str)> {
        self.root_reexports().filter(|(n, _)| self.root_types.contains(n)).collect()
    }

    /// Index of an operation's security requirement in `security_sets`.
    fn security_index(&self, op: &Operation) -> usize {
        let set = (op.security.as_slice(), op.security_optional);
        self.security_sets.iter().position(|s| *s == set).unwrap_or_default()
    }
}

impl Emitter<'_> {
    fn ty(&self, ty: &Ty, at: At) -> TokenStream {
        let string = self.prelude("String", at);
        match ty {
            Ty::String => string,
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Uuid => quote!(uuid::Uuid),
            Ty::Integer(IntWidth::I32) => quote!(i32),
            Ty::Integer(IntWidth::I64) => quote!(i64),
            Ty::Integer(IntWidth::U64) => quote!(u64),
            Ty::Integer(IntWidth::I128) => quote!(i128),
            Ty::Number => quote!(f64),
            Ty::Boolean => quote!(bool),
            Ty::Json => quote!(serde_json::Value),
            Ty::JsonObject => quote!(serde_json::Map<#string, serde_json::Value>),
            Ty::Array(inner) => {
                let inner = self.ty(inner, at);
                let vec = self.prelude("Vec", at);
                quote!(#vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(inner, at);
                quote!(std::collections::BTreeMap<#string, #inner>)
            }
            Ty::Nullable(inner) => {
                let inner = self.ty(inner, at);
                let option = self.prelude("Option", at);
                quote!(#option<#inner>)
            }
            Ty::Named(id) => {
                let name = ident(&self.api.types[id.0].name);
                match at {
                    At::Types => quote!(#name),
                    At::Elsewhere => quote!(types::#name),
                }
            }
        }
    }
}
