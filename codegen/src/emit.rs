//! Emission: the model to token streams (the only user of `quote`), plus the
//! crate's `Cargo.toml` and README as text.
//!
//! Emitters destructure model structs exhaustively, so a new model field is a
//! compile error here until it is handled.

use crate::model::*;
use crate::names;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

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
    /// `src/api/mod.rs`.
    ApiMod,
    /// `src/runtime.rs`.
    Runtime,
    /// `src/api/<group>.rs`.
    Group(usize),
}

/// Every file of the crate, largest first.
pub fn jobs(api: &Api) -> Vec<Job> {
    let mut jobs = vec![Job::Types];
    jobs.extend((0..api.groups.len()).map(Job::Group));
    jobs.extend([Job::Client, Job::Lib, Job::ApiMod, Job::Runtime, Job::CargoToml, Job::Readme]);
    jobs
}

/// Emits one file.
pub fn run(api: &Api, job: Job) -> Unit {
    let e = Emitter { api };
    match job {
        Job::CargoToml => Unit::Text { path: "Cargo.toml".into(), contents: e.cargo_toml() },
        Job::Readme => Unit::Text { path: "README.md".into(), contents: e.readme() },
        Job::Lib => Unit::Rust { path: "src/lib.rs".into(), tokens: e.lib() },
        Job::Client => Unit::Rust { path: "src/client.rs".into(), tokens: e.client() },
        Job::Types => Unit::Rust { path: "src/types.rs".into(), tokens: e.types() },
        Job::ApiMod => Unit::Rust { path: "src/api/mod.rs".into(), tokens: e.api_mod() },
        Job::Runtime => Unit::Text {
            path: "src/runtime.rs".into(),
            contents: format!("// {}\n{}", crate::GENERATED_BY, include_str!("../templates/runtime.rs")),
        },
        Job::Group(i) => {
            let g = &api.groups[i];
            Unit::Rust { path: format!("src/api/{}.rs", module_file(&g.name)), tokens: e.group(g) }
        }
    }
}

/// A Rust identifier from a name made by `names` (keywords become raw).
fn ident(name: &str) -> Ident {
    let text = names::ident_text(name);
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&text, Span::call_site()),
    }
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

fn lines(text: &str) -> Vec<String> {
    vec![text.to_owned()]
}

/// Where a type is referred to from.
#[derive(Clone, Copy, PartialEq)]
enum At {
    /// Inside `types.rs`.
    Types,
    /// Anywhere else.
    Elsewhere,
}

struct Emitter<'a> {
    api: &'a Api,
}

impl Emitter<'_> {
    fn ty(&self, ty: &Ty, at: At) -> TokenStream {
        match ty {
            Ty::String => quote!(String),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Uuid => quote!(uuid::Uuid),
            Ty::Integer(IntWidth::I32) => quote!(i32),
            Ty::Integer(IntWidth::I64) => quote!(i64),
            Ty::Number => quote!(f64),
            Ty::Boolean => quote!(bool),
            Ty::Json => quote!(serde_json::Value),
            Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
            Ty::Array(inner) => {
                let inner = self.ty(inner, at);
                quote!(Vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(inner, at);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            Ty::Named(id) => {
                let name = ident(&self.api.types[id.0].name);
                match at {
                    At::Types => quote!(#name),
                    At::Elsewhere => quote!(crate::types::#name),
                }
            }
        }
    }

    fn uses_uuid(&self) -> bool {
        fn has(ty: &Ty) -> bool {
            match ty {
                Ty::Uuid => true,
                Ty::Array(t) | Ty::Map(t) => has(t),
                _ => false,
            }
        }
        let in_types = self.api.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| has(&f.ty)),
            TypeKind::Union(vs) => vs.iter().any(|v| has(&v.ty)),
            _ => false,
        });
        let in_ops = self.api.groups.iter().flat_map(|g| &g.operations).any(|op| {
            op.path_params.iter().any(|p| has(&p.ty))
                || op.params.as_ref().is_some_and(|ps| {
                    ps.members.iter().any(|m| match m {
                        ParamMember::Single(p) => has(&p.ty),
                        ParamMember::Group(g) => g.params.iter().any(|p| has(&p.ty)),
                    })
                })
                || op.body.as_ref().is_some_and(|b| matches!(&b.kind, BodyKind::Json(t) if has(t)))
                || matches!(&op.success, Payload::Json(t) if has(t))
                || op.error.as_ref().is_some_and(has)
        });
        in_types || in_ops
    }

    /// Whether values of `ty` have a text form for parameters.
    fn param_able(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Integer(_) | Ty::Number | Ty::Boolean => true,
            Ty::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Enum(_) => true,
                TypeKind::Union(vs) => vs.iter().all(|v| !v.boxed && self.param_able(&v.ty)),
                TypeKind::Alias(t) => self.param_able(t),
                _ => false,
            },
            _ => false,
        }
    }

    // ----- files ---------------------------------------------------------------

    fn cargo_toml(&self) -> String {
        let api = self.api;
        let mut out = format!("# {}\n", crate::GENERATED_BY);
        out.push_str("[package]\n");
        out.push_str(&format!("name = {}\n", toml_str(&api.crate_name)));
        out.push_str(&format!("version = {}\n", toml_str(&api.crate_version)));
        out.push_str("edition = \"2024\"\nrust-version = \"1.85\"\n");
        out.push_str(&format!("description = {}\n", toml_str(&format!("Typed async client for the {}.", api.title))));
        if let Some(l) = &api.license {
            out.push_str(&format!("license = {}\n", toml_str(l)));
        }
        out.push_str("readme = \"README.md\"\n\n[dependencies]\n");
        out.push_str("bytes = \"1\"\n");
        out.push_str("chrono = { version = \"0.4.38\", default-features = false, features = [\"std\", \"serde\"] }\n");
        out.push_str("percent-encoding = \"2\"\n");
        let multipart = self
            .api
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .any(|op| matches!(op.body.as_ref().map(|b| &b.kind), Some(BodyKind::Multipart(_))));
        let extra = if multipart { ", \"multipart\", \"stream\"" } else { ", \"stream\"" };
        out.push_str(&format!(
            "reqwest = {{ version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"http2\"{extra}] }}\n"
        ));
        out.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
        out.push_str("serde_json = \"1\"\n");
        out.push_str("serde_path_to_error = \"0.1\"\n");
        out.push_str("fastrand = \"2\"\n");
        out.push_str("futures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }\n");
        out.push_str("httpdate = \"1\"\n");
        out.push_str("tokio = { version = \"1\", default-features = false, features = [\"time\"] }\n");
        out.push_str("tracing = { version = \"0.1\", default-features = false, features = [\"std\", \"attributes\"] }\n");
        if self.uses_uuid() {
            out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
        }
        // One feature per operation group, so a dependent compiles only the
        // groups (and the types) it uses.
        out.push_str("\n[features]\ndefault = [\"full\", \"raw\"]\n");
        out.push_str("# `<operation>_raw` methods: the reply's status, headers and body, undecoded.\n");
        out.push_str("raw = []\n");
        let all: Vec<String> = api.groups.iter().map(|g| toml_str(&feature_name(&g.name))).collect();
        out.push_str(&format!("full = [{}]\n", all.join(", ")));
        for g in &api.groups {
            out.push_str(&format!("{} = []\n", feature_name(&g.name)));
        }
        out
    }

    fn readme(&self) -> String {
        let api = self.api;
        let krate = api.crate_name.replace('-', "_");
        let mut out = format!("<!-- {} -->\n# {}\n\n", crate::GENERATED_BY, api.crate_name);
        out.push_str(&format!(
            "Typed async Rust client for the {}, generated from its OpenAPI description.\n\n",
            api.title
        ));
        out.push_str("## Usage\n\n```rust,no_run\n");
        out.push_str(&format!("# async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {krate}::Client::from_env()?;\n"));
        if let Some(g) = api.groups.first() {
            if let Some(op) = g.operations.first() {
                let args: Vec<String> = op
                    .path_params
                    .iter()
                    .map(|p| if p.ty == Ty::String { format!("\"{}\"", p.wire) } else { "todo!()".into() })
                    .chain(op.params.as_ref().map(|ps| {
                        let all_optional = ps.members.iter().all(|m| match m {
                            ParamMember::Single(p) => !p.required,
                            ParamMember::Group(_) => true,
                        });
                        if all_optional { format!("&{krate}::{}::new()", ps.name) } else { "todo!()".into() }
                    }))
                    .chain(op.body.as_ref().map(|_| "todo!()".to_owned()))
                    .collect();
                out.push_str(&format!(
                    "let reply = client.{}().{}({}).await?;\nprintln!(\"{{reply:?}}\");\n",
                    names::ident_text(&g.name),
                    names::ident_text(&op.method_name),
                    args.join(", ")
                ));
            }
        }
        out.push_str("# Ok(())\n# }\n```\n\n");
        if !api.security.is_empty() || api.base_url.is_some() {
            out.push_str("`Client::from_env()` reads:\n\n");
            out.push_str(&format!("- `{}`: base URL", api.base_url_env));
            match &api.base_url {
                Some(u) => out.push_str(&format!(" (default `{u}`)\n")),
                None => out.push_str(" (required)\n"),
            }
            for s in &api.security {
                out.push_str(&format!("- `{}`: the `{}` credential\n", s.env, s.wire));
            }
            out.push('\n');
        }
        out.push_str("## Operations\n\n| call | HTTP |\n|---|---|\n");
        for g in &api.groups {
            for op in &g.operations {
                out.push_str(&format!(
                    "| `{}().{}()` | `{} {}` |\n",
                    names::ident_text(&g.name),
                    names::ident_text(&op.method_name),
                    op.method.as_str(),
                    op.path.replace('|', "\\|")
                ));
            }
        }
        out
    }

    fn lib(&self) -> TokenStream {
        let api = self.api;
        let mut crate_docs = api.docs.clone();
        crate_docs.push(String::new());
        crate_docs.push(format!(
            "Generated from the OpenAPI description (version `{}`); start with [`Client`].",
            api.crate_version
        ));
        let docs = inner_doc(&crate_docs);
        let use_types = if api.types.is_empty() { quote!() } else { quote!(pub use types::*;) };
        quote! {
            #docs
            #![warn(missing_docs)]

            pub mod api;
            pub mod client;
            pub mod runtime;
            pub mod types;

            pub use api::*;
            pub use client::{BuildError, Client, ClientBuilder, Credentials};
            pub use runtime::{ApiError, DecodeError, Error, ErrorKind, RequestOptions, RetryPolicy, Secret};
            #use_types

            pub use chrono;
            pub use futures_util;
            pub use reqwest;
            pub use serde_json;
        }
    }

    fn api_mod(&self) -> TokenStream {
        let mods = self.api.groups.iter().map(|g| {
            let m = ident(&g.name);
            let d = doc(&g.docs);
            let f = feature_name(&g.name);
            quote! {
                #d
                #[cfg(feature = #f)]
                pub mod #m;
                #[cfg(feature = #f)]
                pub use #m::*;
            }
        });
        quote! {
            //! One module per operation group; each holds the group's handle
            //! (returned by the matching [`Client`](crate::Client) method) and
            //! its parameter types.
            #(#mods)*
        }
    }

    // ----- client ------------------------------------------------------------

    fn accepted_text(&self, alternatives: &[Vec<usize>]) -> String {
        alternatives
            .iter()
            .map(|alt| alt.iter().map(|i| self.api.security[*i].name.clone()).collect::<Vec<_>>().join(" + "))
            .collect::<Vec<_>>()
            .join(", or ")
    }

    fn client(&self) -> TokenStream {
        let api = self.api;
        let cred_fields = api.security.iter().map(|s| {
            let name = ident(&s.name);
            let d = doc(&s.docs);
            quote!(#d pub #name: Option<crate::runtime::Secret>,)
        });
        let variants = api.security.iter().map(|s| {
            let v = ident(&s.variant);
            let d = doc(&lines(&format!("`{}`.", s.wire)));
            quote!(#d #v,)
        });
        let get_arms = api.security.iter().map(|s| {
            let v = ident(&s.variant);
            let name = ident(&s.name);
            quote!(Scheme::#v => self.#name.as_ref(),)
        });
        let apply_arms = api.security.iter().map(|s| {
            let v = ident(&s.variant);
            let wire = &s.wire;
            match &s.kind {
                SchemeKind::Bearer => quote!(Scheme::#v => Auth::header(#wire, "authorization", &format!("Bearer {}", secret.expose()))?,),
                SchemeKind::Basic => quote!(Scheme::#v => Auth::header(#wire, "authorization", &format!("Basic {}", secret.expose()))?,),
                SchemeKind::Header(h) => {
                    let h = h.to_ascii_lowercase();
                    quote!(Scheme::#v => Auth::header(#wire, #h, secret.expose())?,)
                }
                SchemeKind::Query(q) => quote!(Scheme::#v => Auth::Query(#q, secret.expose().to_owned()),),
            }
        });
        let setters = api.security.iter().map(|s| {
            let name = ident(&s.name);
            let d = doc(&lines(&format!("Sets the `{}` credential.", s.wire)));
            quote! {
                #d
                pub fn #name(mut self, value: impl Into<crate::runtime::Secret>) -> Self {
                    self.credentials.#name = Some(value.into());
                    self
                }
            }
        });
        let env_reads = api.security.iter().map(|s| {
            let name = ident(&s.name);
            let env = &s.env;
            quote! {
                if self.credentials.#name.is_none() {
                    self.credentials.#name = read_env(#env).map(crate::runtime::Secret::new);
                }
            }
        });
        let all_schemes = api.security.iter().map(|s| {
            let v = ident(&s.variant);
            quote!(Scheme::#v)
        });
        let base_env = &api.base_url_env;
        let (default_base, default_base_expr) = match &api.base_url {
            Some(u) => {
                let d = doc(&lines("The base URL from the spec's `servers`."));
                (quote!(#d pub const DEFAULT_BASE_URL: &str = #u;), quote!(Some(DEFAULT_BASE_URL.to_owned())))
            }
            None => (quote!(), quote!(None)),
        };
        let request_id = match &api.request_id_header {
            Some(h) => quote!(Some(#h)),
            None => quote!(None),
        };
        let default_alts = self.scheme_alternatives(&api.default_security);
        let default_accepted = self.accepted_text(&api.default_security);
        let require_creds = !api.default_security.is_empty() && !api.default_security_optional;
        let group_accessors = api.groups.iter().map(|g| {
            let m = ident(&g.name);
            let t = ident(&g.type_name);
            let d = doc(&g.docs);
            let f = feature_name(&g.name);
            quote! {
                #d
                #[cfg(feature = #f)]
                pub fn #m(&self) -> crate::api::#m::#t<'_> {
                    crate::api::#m::#t::new(self)
                }
            }
        });
        let env_list: Vec<String> = std::iter::once(format!("`{base_env}`"))
            .chain(api.security.iter().map(|s| format!("`{}`", s.env)))
            .collect();
        let from_env_doc = doc(&lines(&format!(
            "Fills what is not set yet from the environment: {}. Empty variables count as unset.",
            env_list.join(", ")
        )));
        let client_from_env_doc = doc(&lines(&format!(
            "A client configured from the environment ({}).",
            env_list.join(", ")
        )));
        let scheme_enum = if api.security.is_empty() {
            quote! {
                #[derive(Debug, Clone, Copy, PartialEq, Eq)]
                pub(crate) enum Scheme {}
                impl Credentials {
                    fn get(&self, scheme: Scheme) -> Option<&crate::runtime::Secret> {
                        match scheme {}
                    }
                }
                fn auth_for(scheme: Scheme, _secret: &crate::runtime::Secret) -> Result<Auth, BuildError> {
                    match scheme {}
                }
            }
        } else {
            quote! {
                /// The security schemes of the spec.
                #[derive(Debug, Clone, Copy, PartialEq, Eq)]
                pub(crate) enum Scheme { #(#variants)* }
                impl Credentials {
                    fn get(&self, scheme: Scheme) -> Option<&crate::runtime::Secret> {
                        match scheme { #(#get_arms)* }
                    }
                }
                fn auth_for(scheme: Scheme, secret: &crate::runtime::Secret) -> Result<Auth, BuildError> {
                    Ok(match scheme { #(#apply_arms)* })
                }
            }
        };
        let build_check = if require_creds {
            quote! {
                const REQUIRED: &[&[Scheme]] = #default_alts;
                if !REQUIRED.iter().any(|alt| alt.iter().all(|s| self.credentials.get(*s).is_some())) {
                    return Err(BuildError::MissingCredentials { accepted: #default_accepted });
                }
            }
        } else {
            quote!()
        };
        quote! {
            //! The client: base URL, credentials and HTTP settings, shared by
            //! every operation group.

            use std::sync::Arc;
            use std::time::Duration;

            #default_base

            /// How long a request may take before it fails, unless set otherwise.
            pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

            /// The reply header that carries the server's id for a request.
            pub const REQUEST_ID_HEADER: Option<&str> = #request_id;

            /// The credentials the client may send. Each operation sends the
            /// first combination it accepts that is fully set. `Debug` never
            /// shows the values.
            #[derive(Debug, Clone, Default, PartialEq, Eq)]
            #[non_exhaustive]
            pub struct Credentials {
                #(#cred_fields)*
            }

            #scheme_enum

            /// A prepared credential.
            #[derive(Clone)]
            enum Auth {
                Header(reqwest::header::HeaderName, reqwest::header::HeaderValue),
                #[allow(dead_code)]
                Query(&'static str, String),
            }

            impl Auth {
                #[allow(dead_code)]
                fn header(scheme: &'static str, name: &'static str, value: &str) -> Result<Auth, BuildError> {
                    let name = reqwest::header::HeaderName::from_static(name);
                    let mut value = reqwest::header::HeaderValue::from_str(value)
                        .map_err(|_| BuildError::InvalidCredential { scheme })?;
                    // Keeps the value out of HTTP/2 header tables and debug output.
                    value.set_sensitive(true);
                    Ok(Auth::Header(name, value))
                }
            }

            /// Why a client could not be built.
            #[derive(Debug)]
            #[non_exhaustive]
            pub enum BuildError {
                /// The spec has no default base URL and none was given.
                MissingBaseUrl,
                /// The base URL is not an absolute http(s) URL.
                InvalidBaseUrl {
                    /// The URL given.
                    url: String,
                },
                /// A credential contains characters that cannot go in a header.
                InvalidCredential {
                    /// The security scheme.
                    scheme: &'static str,
                },
                /// No complete set of credentials was given.
                MissingCredentials {
                    /// The combinations the API accepts.
                    accepted: &'static str,
                },
                /// The HTTP client could not be created.
                Http(reqwest::Error),
            }

            impl std::fmt::Display for BuildError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        BuildError::MissingBaseUrl => f.write_str("no base URL: set one with `ClientBuilder::base_url`"),
                        BuildError::InvalidBaseUrl { url } => write!(f, "base URL {url:?} is not an absolute http(s) URL"),
                        BuildError::InvalidCredential { scheme } => write!(f, "the `{scheme}` credential cannot be sent in a header"),
                        BuildError::MissingCredentials { accepted } => write!(f, "no credentials: the API accepts {accepted}"),
                        BuildError::Http(e) => write!(f, "could not create the HTTP client: {e}"),
                    }
                }
            }

            impl std::error::Error for BuildError {}

            /// Builds a [`Client`].
            #[derive(Debug, Default)]
            pub struct ClientBuilder {
                base_url: Option<String>,
                credentials: Credentials,
                timeout: Option<Duration>,
                retry: Option<crate::runtime::RetryPolicy>,
                http: Option<reqwest::Client>,
            }

            fn read_env(name: &str) -> Option<String> {
                std::env::var(name).ok().filter(|v| !v.trim().is_empty())
            }

            impl ClientBuilder {
                /// A builder with nothing set.
                pub fn new() -> Self {
                    Self::default()
                }

                /// Sets the base URL (scheme, host and path prefix).
                pub fn base_url(mut self, url: impl Into<String>) -> Self {
                    self.base_url = Some(url.into());
                    self
                }

                /// Sets all credentials at once.
                pub fn credentials(mut self, credentials: Credentials) -> Self {
                    self.credentials = credentials;
                    self
                }

                #(#setters)*

                /// Sets the timeout of each request (default [`DEFAULT_TIMEOUT`]).
                pub fn timeout(mut self, timeout: Duration) -> Self {
                    self.timeout = Some(timeout);
                    self
                }

                /// Sets the retry policy (default: [`RetryPolicy::default`](crate::RetryPolicy::default)).
                pub fn retry_policy(mut self, retry: crate::runtime::RetryPolicy) -> Self {
                    self.retry = Some(retry);
                    self
                }

                /// Sets how many times a failed request is retried (default 2).
                pub fn max_retries(mut self, max_retries: u32) -> Self {
                    let mut retry = self.retry.take().unwrap_or_default();
                    retry.max_retries = max_retries;
                    self.retry = Some(retry);
                    self
                }

                /// Uses a preconfigured `reqwest` client (its own timeout applies).
                pub fn http_client(mut self, client: reqwest::Client) -> Self {
                    self.http = Some(client);
                    self
                }

                #from_env_doc
                pub fn from_env(mut self) -> Self {
                    if self.base_url.is_none() {
                        self.base_url = read_env(#base_env);
                    }
                    #(#env_reads)*
                    self
                }

                /// Checks the settings and builds the client.
                pub fn build(self) -> Result<Client, BuildError> {
                    let base_url = match self.base_url.or(#default_base_expr) {
                        Some(u) => u.trim_end_matches('/').to_owned(),
                        None => return Err(BuildError::MissingBaseUrl),
                    };
                    match reqwest::Url::parse(&base_url) {
                        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.has_host() => {}
                        _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
                    }
                    #build_check
                    let mut auth = Vec::new();
                    for scheme in [#(#all_schemes),*] {
                        if let Some(secret) = self.credentials.get(scheme) {
                            auth.push((scheme, auth_for(scheme, secret)?));
                        }
                    }
                    let http = match self.http {
                        Some(http) => http,
                        None => reqwest::Client::builder()
                            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                            .build()
                            .map_err(BuildError::Http)?,
                    };
                    let retry = self.retry.unwrap_or_default();
                    Ok(Client { inner: Arc::new(Inner { http, base_url, credentials: self.credentials, auth, retry }) })
                }
            }

            struct Inner {
                http: reqwest::Client,
                base_url: String,
                credentials: Credentials,
                auth: Vec<(Scheme, Auth)>,
                retry: crate::runtime::RetryPolicy,
            }

            /// The API client. Cheap to clone; clones share connections.
            #[derive(Clone)]
            pub struct Client {
                inner: Arc<Inner>,
            }

            impl std::fmt::Debug for Client {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct("Client")
                        .field("base_url", &self.inner.base_url)
                        .field("credentials", &self.inner.credentials)
                        .field("retry", &self.inner.retry)
                        .finish_non_exhaustive()
                }
            }

            impl Client {
                /// Starts building a client.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new()
                }

                #client_from_env_doc
                pub fn from_env() -> Result<Client, BuildError> {
                    ClientBuilder::new().from_env().build()
                }

                /// The base URL requests go to.
                pub fn base_url(&self) -> &str {
                    &self.inner.base_url
                }

                #(#group_accessors)*

                /// Sends a prepared request with the retry policy and timeout
                /// of `options`, or the client's.
                #[allow(dead_code)]
                pub(crate) async fn send(
                    &self,
                    request: reqwest::RequestBuilder,
                    options: &crate::runtime::RequestOptions,
                    operation: &'static str,
                    method: &'static str,
                    template: &'static str,
                ) -> Result<reqwest::Response, reqwest::Error> {
                    let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
                    crate::runtime::send(request, policy, options.timeout, operation, method, template).await
                }

                /// Prepares a request: URL, query, headers and the first
                /// accepted set of credentials.
                // Unused when no operation group is enabled.
                #[allow(clippy::too_many_arguments, dead_code)]
                pub(crate) fn request(
                    &self,
                    method: reqwest::Method,
                    path: &str,
                    query: &[(&'static str, String)],
                    headers: &[(&'static str, String)],
                    security: &[&[Scheme]],
                    anonymous: bool,
                    operation: &'static str,
                    accepted: &'static str,
                ) -> Result<reqwest::RequestBuilder, crate::runtime::Refused> {
                    let chosen = security
                        .iter()
                        .find(|alt| alt.iter().all(|s| self.inner.credentials.get(*s).is_some()));
                    if chosen.is_none() && !anonymous && !security.is_empty() {
                        return Err(crate::runtime::Refused::Credentials { operation, accepted });
                    }
                    let mut url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, path)).map_err(|e| {
                        crate::runtime::Refused::Parameter { name: "path", message: e.to_string() }
                    })?;
                    let mut auth_headers = Vec::new();
                    {
                        let mut pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        for scheme in chosen.copied().unwrap_or_default() {
                            match self.inner.auth.iter().find(|(s, _)| s == scheme).map(|(_, a)| a) {
                                Some(Auth::Header(name, value)) => auth_headers.push((name.clone(), value.clone())),
                                Some(Auth::Query(name, value)) => pairs.push((name, value.as_str())),
                                None => {}
                            }
                        }
                        if !pairs.is_empty() {
                            url.query_pairs_mut().extend_pairs(pairs);
                        }
                    }
                    let mut request = self.inner.http.request(method, url);
                    for (name, value) in headers {
                        let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                            crate::runtime::Refused::Parameter { name, message: "not a valid header value".to_owned() }
                        })?;
                        request = request.header(*name, value);
                    }
                    for (name, value) in auth_headers {
                        request = request.header(name, value);
                    }
                    Ok(request)
                }
            }
        }
    }

    fn scheme_alternatives(&self, alts: &[Vec<usize>]) -> TokenStream {
        let alts = alts.iter().map(|alt| {
            let schemes = alt.iter().map(|i| {
                let v = ident(&self.api.security[*i].variant);
                quote!(crate::client::Scheme::#v)
            });
            quote!(&[#(#schemes),*])
        });
        quote!(&[#(#alts),*])
    }

    // ----- types ---------------------------------------------------------------

    /// For each type, the groups whose operations reach it, and whether it
    /// is sent (needs `Serialize`) or received (needs `Deserialize`).
    fn reach(&self) -> Vec<Reach> {
        let types = &self.api.types;
        let mut reach: Vec<Reach> = vec![Reach::default(); types.len()];
        fn named(ty: &Ty, out: &mut Vec<TypeId>) {
            match ty {
                Ty::Named(id) => out.push(*id),
                Ty::Array(t) | Ty::Map(t) => named(t, out),
                _ => {}
            }
        }
        // (type, sent, received)
        let mut visit = |roots: Vec<TypeId>, gi: usize, sent: bool, received: bool| {
            let mut stack = roots;
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                let r = &mut reach[id.0];
                r.groups.insert(gi);
                r.sent |= sent;
                r.received |= received;
                match &types[id.0].kind {
                    TypeKind::Struct(st) => st.fields.iter().for_each(|f| named(&f.ty, &mut stack)),
                    TypeKind::Union(vs) => vs.iter().for_each(|v| named(&v.ty, &mut stack)),
                    TypeKind::Alias(t) => named(t, &mut stack),
                    TypeKind::Enum(_) | TypeKind::Pending => {}
                }
            }
        };
        for (gi, g) in self.api.groups.iter().enumerate() {
            for op in &g.operations {
                let mut params = Vec::new();
                for p in &op.path_params {
                    named(&p.ty, &mut params);
                }
                for m in op.params.iter().flat_map(|ps| &ps.members) {
                    match m {
                        ParamMember::Single(p) => named(&p.ty, &mut params),
                        ParamMember::Group(grp) => grp.params.iter().for_each(|p| named(&p.ty, &mut params)),
                    }
                }
                visit(params, gi, false, false);
                let mut sent = Vec::new();
                if let Some(Body { kind: BodyKind::Json(t), .. }) = &op.body {
                    named(t, &mut sent);
                }
                visit(sent, gi, true, false);
                let mut received = Vec::new();
                if let Payload::Json(t) = &op.success {
                    named(t, &mut received);
                }
                for r in &op.responses {
                    if let Payload::Json(t) = &r.payload {
                        named(t, &mut received);
                    }
                }
                if let Some(t) = &op.error {
                    named(t, &mut received);
                }
                visit(received, gi, false, true);
            }
        }
        reach
    }

    /// `#[cfg(...)]` for code needed by some groups only; nothing when every
    /// group needs it.
    fn cfg_for(&self, groups: &BTreeSet<usize>) -> Option<TokenStream> {
        if groups.len() == self.api.groups.len() {
            return None;
        }
        let features = groups.iter().map(|g| feature_name(&self.api.groups[*g].name));
        Some(quote!(#[cfg(any(#(feature = #features),*))]))
    }

    fn types(&self) -> TokenStream {
        let reach = self.reach();
        let mut order: Vec<(usize, &TypeDef)> = self.api.types.iter().enumerate().collect();
        order.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        let items = order.iter().filter(|(i, _)| !reach[*i].groups.is_empty()).map(|(i, t)| {
            let cfg = self.cfg_for(&reach[*i].groups).unwrap_or_default();
            self.typedef(t, &reach[*i], &cfg)
        });
        let uuid = if self.uses_uuid() {
            quote! {
                impl crate::runtime::ParamValue for uuid::Uuid {
                    fn to_param(&self) -> String {
                        self.to_string()
                    }
                }
            }
        } else {
            quote!()
        };
        quote! {
            //! Types of request and reply bodies and of parameters, from the
            //! spec's schemas. Unknown fields in replies are ignored and
            //! unknown enum values are kept, so new API versions do not break
            //! decoding.
            #(#items)*
            #uuid
        }
    }

    /// A type and its impls, each behind `cfg` (the features that need it).
    fn typedef(&self, t: &TypeDef, reach: &Reach, cfg: &TokenStream) -> TokenStream {
        let TypeDef { name, docs, kind, component: _ } = t;
        let name_id = ident(name);
        let docs = if docs.is_empty() { vec![format!("The `{name}` schema.")] } else { docs.clone() };
        let d = doc(&docs);
        match kind {
            TypeKind::Pending => quote! {
                #cfg
                #d
                pub type #name_id = serde_json::Value;
            },
            TypeKind::Struct(s) => self.strukt(&name_id, &d, s, reach, cfg),
            TypeKind::Enum(e) => self.string_enum(&name_id, &d, e, cfg),
            TypeKind::Union(vs) => self.union(&name_id, &d, vs, reach, cfg),
            TypeKind::Alias(ty) => {
                let t = self.ty(ty, At::Types);
                quote! {
                    #cfg
                    #d
                    pub type #name_id = #t;
                }
            }
        }
    }

    fn strukt(&self, name: &Ident, d: &TokenStream, s: &Struct, reach: &Reach, cfg: &TokenStream) -> TokenStream {
        let Struct { fields, all_optional } = s;
        let fields = fields.iter().map(|f| {
            let Field { name, wire, ty, required, nullable, boxed, lenient, docs } = f;
            let id = ident(name);
            let mut base = self.ty(ty, At::Types);
            if *boxed {
                base = quote!(Box<#base>);
            }
            let optional = !required || *nullable;
            let full = if optional { quote!(Option<#base>) } else { base };
            let mut attrs = Vec::new();
            if names::ident_text(name).trim_start_matches("r#") != wire {
                attrs.push(quote!(rename = #wire));
            }
            if optional {
                attrs.push(quote!(default));
                if *lenient && !*boxed {
                    attrs.push(quote!(deserialize_with = "crate::runtime::lenient_list"));
                }
            }
            if !required {
                attrs.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            let serde = if attrs.is_empty() { quote!() } else { quote!(#[serde(#(#attrs),*)]) };
            let docs = if docs.is_empty() { vec![format!("`{wire}`.")] } else { docs.clone() };
            let fd = doc(&docs);
            quote! {
                #fd
                #serde
                pub #id: #full,
            }
        });
        let default = if *all_optional { quote!(Default,) } else { quote!() };
        let serde = reach.serde_derives();
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, #default #serde)]
            pub struct #name {
                #(#fields)*
            }
        }
    }

    fn string_enum(&self, name: &Ident, d: &TokenStream, e: &StringEnum, cfg: &TokenStream) -> TokenStream {
        let StringEnum { values, other } = e;
        let other = ident(other);
        let variants = values.iter().map(|v| {
            let id = ident(&v.name);
            let vd = doc(&lines(&format!("`{}`", v.wire.replace('`', "'"))));
            quote!(#vd #id,)
        });
        let as_str = values.iter().map(|v| {
            let id = ident(&v.name);
            let w = &v.wire;
            quote!(#name::#id => #w,)
        });
        let from = values.iter().map(|v| {
            let id = ident(&v.name);
            let w = &v.wire;
            quote!(#w => #name::#id,)
        });
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
                /// A value this version of the client does not know; kept as sent.
                #other(String),
            }

            #cfg
            impl #name {
                /// The value as it is on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str)*
                        #name::#other(value) => value,
                    }
                }
            }

            #cfg
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#from)*
                        other => #name::#other(other.to_owned()),
                    }
                }
            }

            #cfg
            impl std::str::FromStr for #name {
                type Err = std::convert::Infallible;
                fn from_str(value: &str) -> Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }

            #cfg
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::runtime::deserialize_str_enum(deserializer)
                }
            }

            #cfg
            impl crate::runtime::ParamValue for #name {
                fn to_param(&self) -> String {
                    self.as_str().to_owned()
                }
            }
        }
    }

    fn union(
        &self,
        name: &Ident,
        d: &TokenStream,
        vs: &[UnionVariant],
        reach: &Reach,
        cfg: &TokenStream,
    ) -> TokenStream {
        let variants = vs.iter().map(|v| {
            let UnionVariant { name, ty, boxed, docs } = v;
            let id = ident(name);
            let mut t = self.ty(ty, At::Types);
            if *boxed {
                t = quote!(Box<#t>);
            }
            let docs = if docs.is_empty() { vec![format!("A `{name}`.")] } else { docs.clone() };
            let vd = doc(&docs);
            quote!(#vd #id(#t),)
        });
        let mut froms = Vec::new();
        for v in vs {
            let id = ident(&v.name);
            let t = self.ty(&v.ty, At::Types);
            let wrap = if v.boxed { quote!(Box::new(value)) } else { quote!(value) };
            froms.push(quote! {
                #cfg
            impl From<#t> for #name {
                    fn from(value: #t) -> Self {
                        #name::#id(#wrap)
                    }
                }
            });
            if v.ty == Ty::String {
                froms.push(quote! {
                    #cfg
            impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#id(value.to_owned())
                        }
                    }
                });
            }
            if v.ty == Ty::DateTime && !vs.iter().any(|o| o.ty == Ty::Json) {
                froms.push(quote! {
                    #cfg
            impl From<chrono::DateTime<chrono::Utc>> for #name {
                        fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
                            #name::#id(value.fixed_offset())
                        }
                    }
                });
            }
        }
        let param = if vs.iter().all(|v| !v.boxed && self.param_able(&v.ty)) {
            let arms = vs.iter().map(|v| {
                let id = ident(&v.name);
                quote!(#name::#id(value) => crate::runtime::ParamValue::to_param(value),)
            });
            quote! {
                #cfg
            impl crate::runtime::ParamValue for #name {
                    fn to_param(&self) -> String {
                        match self { #(#arms)* }
                    }
                }
            }
        } else {
            quote!()
        };
        // Unions that are only parameters still get both: they are small and
        // users parse and print them.
        let serde = if reach.sent || reach.received { reach.serde_derives() } else { Reach::both() };
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, #serde)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
            #(#froms)*
            #param
        }
    }

    // ----- operations ------------------------------------------------------------

    fn group(&self, g: &Group) -> TokenStream {
        let Group { name: _, type_name, docs, operations } = g;
        let t = ident(type_name);
        let d = doc(docs);
        let md = inner_doc(docs);
        let methods = operations.iter().map(|op| {
            let main = self.operation(op, type_name, None, false);
            let raw = self.operation(op, type_name, None, true);
            let media = op.alt_media.iter().map(|m| self.operation(op, type_name, Some(m), false));
            let paging = op.paging.as_ref().map(|p| self.paging_methods(op, p, type_name));
            quote!(#main #raw #(#media)* #paging)
        });
        let params = operations.iter().filter_map(|op| op.params.as_ref().map(|p| self.params_struct(p, type_name, op)));
        let replies = operations.iter().filter_map(|op| op.reply_enum.as_ref().map(|n| self.reply_enum(n, type_name, op)));
        quote! {
            #md
            #[allow(unused_imports)]
            use crate::runtime::ParamValue;

            #d
            #[derive(Debug, Clone)]
            pub struct #t<'a> {
                client: &'a crate::Client,
                options: crate::runtime::RequestOptions,
            }

            impl<'a> #t<'a> {
                pub(crate) fn new(client: &'a crate::Client) -> Self {
                    Self { client, options: crate::runtime::RequestOptions::default() }
                }

                /// The same operations with other settings (timeout, retries)
                /// than the client's.
                pub fn with_options(mut self, options: crate::runtime::RequestOptions) -> Self {
                    self.options = options;
                    self
                }

                #(#methods)*
            }

            #(#params)*
            #(#replies)*
        }
    }

    /// `{method}_pages` and `{method}_all`: streams over every page and every
    /// item of a paged operation.
    fn paging_methods(&self, op: &Operation, paging: &Paging, group_type: &str) -> TokenStream {
        let Paging { page_field, page_ty, items_field, items_optional, item_ty, info } = paging;
        let method = ident(&op.method_name);
        let pages = ident(&format!("{}_pages", op.method_name));
        let all = ident(&format!("{}_all", op.method_name));
        let group = ident(group_type);
        let Some(ps) = &op.params else { return quote!() };
        let params_t = ident(&ps.name);
        let page = ident(page_field);
        let items = ident(items_field);
        let reply_t = match &op.success {
            Payload::Json(t) => self.ty(t, At::Elsewhere),
            _ => return quote!(),
        };
        let err_t = match &op.error {
            Some(t) => self.ty(t, At::Elsewhere),
            None => quote!(serde_json::Value),
        };
        let item_t = self.ty(item_ty, At::Elsewhere);
        let mut args = Vec::new();
        let mut owned = Vec::new();
        let mut call_args = Vec::new();
        for p in &op.path_params {
            let id = ident(&p.name);
            match &p.ty {
                Ty::String => {
                    args.push(quote!(#id: &str));
                    owned.push(quote!(let #id = #id.to_owned();));
                    call_args.push(quote!(&#id));
                }
                Ty::Named(_) => {
                    let t = self.ty(&p.ty, At::Elsewhere);
                    args.push(quote!(#id: &#t));
                    owned.push(quote!(let #id = #id.clone();));
                    call_args.push(quote!(&#id));
                }
                other => {
                    let t = self.ty(other, At::Elsewhere);
                    args.push(quote!(#id: #t));
                    call_args.push(quote!(#id.clone()));
                }
            }
        }
        let items_len = if *items_optional {
            quote!(reply.#items.as_ref().map_or(0, Vec::len))
        } else {
            quote!(reply.#items.len())
        };
        let items_ref = if *items_optional {
            quote!(reply.#items.as_deref().unwrap_or_default())
        } else {
            quote!(&reply.#items[..])
        };
        let items_take = if *items_optional {
            quote!(reply.#items.unwrap_or_default())
        } else {
            quote!(reply.#items)
        };
        let page_value = match page_ty {
            Ty::Integer(IntWidth::I32) => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
            Ty::Integer(IntWidth::I64) => quote!(i64::try_from(page).unwrap_or(i64::MAX)),
            _ => quote!(page as f64),
        };
        let start = match page_ty {
            Ty::Number => quote!(params.#page.filter(|p| *p >= 1.0).map_or(1, |p| p as u64)),
            _ => quote!(params.#page.and_then(|p| u64::try_from(p).ok()).filter(|p| *p >= 1).unwrap_or(1)),
        };
        let info = info.as_ref().filter(|i| i.total_pages.is_some() || i.total_count.is_some() || i.per_page.is_some());
        let info_expr = match info {
            None => quote!(crate::runtime::PageInfo { items: #items_len, fingerprint, ..Default::default() }),
            Some(PagingInfo { field, optional, total_pages, total_count, per_page }) => {
                let f = ident(field);
                let get = |x: &Option<InfoField>| match x {
                    None => quote!(None),
                    Some(InfoField { name, optional, integer }) => {
                        let n = ident(name);
                        let v = if *optional { quote!(i.#n) } else { quote!(Some(i.#n)) };
                        let v = if *integer { quote!(#v.map(|v| v as f64)) } else { v };
                        quote!(info.and_then(|i| #v))
                    }
                };
                let (tp, tc, pp) = (get(total_pages), get(total_count), get(per_page));
                let info_ref = if *optional { quote!(reply.#f.as_ref()) } else { quote!(Some(&reply.#f)) };
                quote! {{
                    let info = #info_ref;
                    crate::runtime::PageInfo {
                        items: #items_len,
                        fingerprint,
                        total_pages: #tp,
                        total_count: #tc,
                        per_page: #pp,
                    }
                }}
            }
        };
        let pages_doc = doc(&lines(&format!(
            "Every page of [`{group_type}::{}`], from `params.{}` (or the first) on; see \
             [`paginate`](crate::runtime::paginate) for when it stops.",
            names::ident_text(&op.method_name),
            names::ident_text(page_field)
        )));
        let all_doc = doc(&lines(&format!(
            "Every item of every page of [`{group_type}::{}`], in order.",
            names::ident_text(&op.method_name)
        )));
        let arg_names: Vec<TokenStream> = op.path_params.iter().map(|p| { let id = ident(&p.name); quote!(#id) }).collect();
        quote! {
            #pages_doc
            pub fn #pages(
                &self,
                #(#args,)*
                params: &#params_t,
            ) -> impl futures_util::Stream<Item = Result<#reply_t, crate::Error<#err_t>>> + Send + 'static {
                let client = self.client.clone();
                let options = self.options.clone();
                let params = params.clone();
                #(#owned)*
                let start = #start;
                let max_pages = options.max_pages;
                let concurrency = options.concurrency.unwrap_or(1);
                crate::runtime::paginate(start, max_pages, concurrency, move |page: u64| {
                    let client = client.clone();
                    let options = options.clone();
                    let mut params = params.clone();
                    #(let #arg_names = #arg_names.clone();)*
                    async move {
                        params.#page = Some(#page_value);
                        let reply = #group::new(&client).with_options(options).#method(#(#call_args,)* &params).await?;
                        let fingerprint = crate::runtime::fingerprint(#items_ref);
                        let info = #info_expr;
                        Ok((reply, info))
                    }
                })
            }

            #all_doc
            pub fn #all(
                &self,
                #(#args,)*
                params: &#params_t,
            ) -> impl futures_util::Stream<Item = Result<#item_t, crate::Error<#err_t>>> + Send + 'static {
                use futures_util::TryStreamExt as _;
                self.#pages(#(#arg_names,)* params)
                    .map_ok(|reply| futures_util::stream::iter(#items_take.into_iter().map(Ok)))
                    .try_flatten()
            }
        }
    }

    /// The enum of an operation whose success responses differ in shape.
    fn reply_enum(&self, name: &str, group_type: &str, op: &Operation) -> TokenStream {
        let t = ident(name);
        let d = doc(&lines(&format!(
            "The successful replies of [`{group_type}::{}`], one variant per status.",
            names::ident_text(&op.method_name)
        )));
        let variants = op.responses.iter().filter(|r| r.outcome == Outcome::Success).map(|r| {
            let v = ident(&reply_variant(r.status));
            let status = match r.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(d) => format!("{d}XX"),
                StatusMatch::Default => "default".to_owned(),
            };
            let mut docs = vec![format!("`{status}`")];
            if !r.description.is_empty() {
                docs[0] = format!("`{status}`: {}", crate::docs::clean(&r.description).join(" "));
            }
            let vd = doc(&docs);
            match &r.payload {
                Payload::Empty => quote!(#vd #v),
                Payload::Json(ty) => {
                    let ty = self.ty(ty, At::Elsewhere);
                    quote!(#vd #v(#ty))
                }
                Payload::Bytes => quote!(#vd #v(crate::runtime::Bytes)),
            }
        });
        quote! {
            #d
            #[derive(Debug, Clone, PartialEq)]
            pub enum #t {
                #(#variants,)*
            }
        }
    }

    /// Argument type of a setter or constructor, and how to store it.
    fn setter_arg(&self, ty: &Ty, var: &Ident) -> (TokenStream, TokenStream) {
        let t = self.ty(ty, At::Elsewhere);
        match ty {
            Ty::String | Ty::Named(_) | Ty::DateTime | Ty::Integer(IntWidth::I64) | Ty::Number => {
                (quote!(impl Into<#t>), quote!(#var.into()))
            }
            _ => (t, quote!(#var)),
        }
    }

    fn param_field(&self, p: &Param) -> (TokenStream, TokenStream) {
        let id = ident(&p.name);
        let t = self.ty(&p.ty, At::Elsewhere);
        let full = if p.required { t } else { quote!(Option<#t>) };
        let mut docs = if p.docs.is_empty() { vec![format!("`{}`.", p.wire)] } else { p.docs.clone() };
        docs.push(String::new());
        docs.push(format!("Sent as `{}`{}.", p.wire, if p.location == Location::Header { " (header)" } else { "" }));
        let d = doc(&docs);
        (quote!(#d pub #id: #full,), d)
    }

    fn setter(&self, p: &Param, d: &TokenStream) -> TokenStream {
        let id = ident(&p.name);
        let (arg, store) = self.setter_arg(&p.ty, &ident("value"));
        let store = if p.required { store } else { quote!(Some(#store)) };
        quote! {
            #d
            pub fn #id(mut self, value: #arg) -> Self {
                self.#id = #store;
                self
            }
        }
    }

    fn params_struct(&self, ps: &ParamsStruct, group_type: &str, op: &Operation) -> TokenStream {
        let ParamsStruct { name, members } = ps;
        let name_id = ident(name);
        let mut fields = Vec::new();
        let mut setters = Vec::new();
        let mut ctor_args = Vec::new();
        let mut ctor_inits = Vec::new();
        let mut groups = Vec::new();
        for m in members {
            match m {
                ParamMember::Single(p) => {
                    let (f, d) = self.param_field(p);
                    fields.push(f);
                    let id = ident(&p.name);
                    if p.required {
                        let (arg, store) = self.setter_arg(&p.ty, &id);
                        ctor_args.push(quote!(#id: #arg));
                        ctor_inits.push(quote!(#id: #store,));
                    } else {
                        ctor_inits.push(quote!(#id: None,));
                    }
                    setters.push(self.setter(p, &d));
                }
                ParamMember::Group(g) => {
                    let ParamGroup { name, wire_prefix, type_name, params } = g;
                    let id = ident(name);
                    let tid = ident(type_name);
                    let gd = doc(&lines(&format!("Parameters whose wire names start with `{wire_prefix}.`.")));
                    fields.push(quote!(#gd pub #id: #tid,));
                    ctor_inits.push(quote!(#id: #tid::default(),));
                    setters.push(quote! {
                        #gd
                        pub fn #id(mut self, value: #tid) -> Self {
                            self.#id = value;
                            self
                        }
                    });
                    let mut gfields = Vec::new();
                    let mut gsetters = Vec::new();
                    for p in params {
                        let (f, d) = self.param_field(p);
                        gfields.push(f);
                        gsetters.push(self.setter(p, &d));
                    }
                    let gdoc = doc(&lines(&format!(
                        "The `{wire_prefix}.*` parameters of [`{}`].",
                        ps.name
                    )));
                    groups.push(quote! {
                        #gdoc
                        #[derive(Debug, Clone, Default, PartialEq)]
                        pub struct #tid {
                            #(#gfields)*
                        }

                        impl #tid {
                            /// Nothing set.
                            pub fn new() -> Self {
                                Self::default()
                            }

                            #(#gsetters)*
                        }
                    });
                }
            }
        }
        let all_optional = ctor_args.is_empty();
        let derive_default = if all_optional { quote!(Default,) } else { quote!() };
        let sdoc = doc(&lines(&format!(
            "Query and header parameters of [`{group_type}::{}`].",
            names::ident_text(&op.method_name)
        )));
        let ctor = if all_optional {
            quote! {
                /// Nothing set; the server's defaults apply.
                pub fn new() -> Self {
                    Self::default()
                }
            }
        } else {
            quote! {
                /// The required parameters; everything else unset.
                pub fn new(#(#ctor_args),*) -> Self {
                    Self { #(#ctor_inits)* }
                }
            }
        };
        quote! {
            #sdoc
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #name_id {
                #(#fields)*
            }

            impl #name_id {
                #ctor
                #(#setters)*
            }

            #(#groups)*
        }
    }

    /// Code that checks one parameter value, when the spec bounds it.
    fn checks(&self, p: &Param, value: &TokenStream) -> TokenStream {
        let Checks { minimum, exclusive_minimum, maximum, exclusive_maximum, min_length, max_length } = &p.checks;
        let wire = &p.wire;
        let bound = |b: &Option<f64>, ex: bool| match b {
            Some(v) => {
                let lit = Literal::f64_unsuffixed(*v);
                quote!(Some((#lit, #ex)))
            }
            None => quote!(None),
        };
        let len = |l: &Option<usize>| match l {
            Some(v) => {
                let lit = Literal::usize_unsuffixed(*v);
                quote!(Some(#lit))
            }
            None => quote!(None),
        };
        match &p.ty {
            Ty::Integer(_) | Ty::Number if minimum.is_some() || maximum.is_some() => {
                let min = bound(minimum, *exclusive_minimum);
                let max = bound(maximum, *exclusive_maximum);
                let as_f64 = match &p.ty {
                    Ty::Integer(IntWidth::I32) => quote!(f64::from(*#value)),
                    Ty::Integer(IntWidth::I64) => quote!(*#value as f64),
                    _ => quote!(*#value),
                };
                quote!(crate::runtime::check_range(#wire, #as_f64, #min, #max)?;)
            }
            Ty::String if min_length.is_some() || max_length.is_some() => {
                let min = len(min_length);
                let max = len(max_length);
                quote!(crate::runtime::check_length(#wire, #value, #min, #max)?;)
            }
            _ => quote!(),
        }
    }

    /// Code that checks and sends one query or header parameter.
    fn send_param(&self, p: &Param, access: TokenStream) -> TokenStream {
        let wire = &p.wire;
        let list = match p.location {
            Location::Header => quote!(headers),
            _ => quote!(query),
        };
        let value = quote!(value);
        let checks = self.checks(p, &value);
        let push = match &p.ty {
            Ty::Array(_) if p.explode => quote! {
                for item in value {
                    #list.push((#wire, item.to_param()));
                }
            },
            Ty::Array(_) => quote! {
                #list.push((#wire, value.iter().map(|item| item.to_param()).collect::<Vec<_>>().join(",")));
            },
            _ => quote!(#list.push((#wire, value.to_param()));),
        };
        if p.required {
            quote! {
                {
                    let value = &#access;
                    #checks
                    #push
                }
            }
        } else {
            quote! {
                if let Some(value) = &#access {
                    #checks
                    #push
                }
            }
        }
    }

    /// An operation's method; with `media`, the variant that asks for that
    /// (non-JSON) media type and hands back the body as a stream.
    fn operation(&self, op: &Operation, group_type: &str, media: Option<&str>, raw: bool) -> TokenStream {
        let Operation {
            operation_id,
            method_name,
            method,
            path,
            path_pieces,
            path_params,
            params,
            body,
            responses,
            success,
            reply_enum,
            error,
            security,
            security_optional,
            alt_media: _,
            media_selectors,
            paging: _,
            docs,
        } = op;
        let m = match media {
            Some(media) => ident(&format!("{method_name}_{}", names::snake(media_subtype(media)))),
            None if raw => ident(&format!("{method_name}_raw")),
            None => ident(method_name),
        };

        // Arguments.
        let mut args = Vec::new();
        let mut args_names: Vec<String> = Vec::new();
        let mut arg_docs = Vec::new();
        for p in path_params {
            let id = ident(&p.name);
            let t = match &p.ty {
                Ty::String => quote!(&str),
                Ty::Named(_) => {
                    let t = self.ty(&p.ty, At::Elsewhere);
                    quote!(&#t)
                }
                other => self.ty(other, At::Elsewhere),
            };
            args.push(quote!(#id: #t));
            args_names.push(p.name.clone());
            let first = p.docs.first().cloned().unwrap_or_default();
            arg_docs.push(format!("- `{}`: {}", names::ident_text(&p.name), first));
        }
        if let Some(ps) = params {
            let t = ident(&ps.name);
            args.push(quote!(params: &#t));
            args_names.push("params".to_owned());
            arg_docs.push(format!("- `params`: query and header parameters ([`{}`]).", ps.name));
        }
        let mut part_docs = Vec::new();
        if let Some(b) = body {
            args_names.push("body".to_owned());
            let first = b.docs.first().cloned().unwrap_or_else(|| "the request body.".into());
            match &b.kind {
                BodyKind::Json(ty) => {
                    let t = self.ty(ty, At::Elsewhere);
                    if b.required {
                        args.push(quote!(body: &#t));
                    } else {
                        args.push(quote!(body: Option<&#t>));
                    }
                    arg_docs.push(format!("- `body`: {first}"));
                }
                BodyKind::Multipart(parts) => {
                    if b.required {
                        args.push(quote!(body: reqwest::multipart::Form));
                    } else {
                        args.push(quote!(body: Option<reqwest::multipart::Form>));
                    }
                    arg_docs.push(format!("- `body`: a `multipart/form-data` form. {first}"));
                    if !parts.is_empty() {
                        part_docs.push(String::new());
                        part_docs.push("# Form parts".into());
                        part_docs.push(String::new());
                        for p in parts {
                            let req = if p.required { " (required)" } else { "" };
                            part_docs.push(format!("- `{}`{req}: {}", p.name.replace('`', "'"), p.summary));
                        }
                    }
                }
                BodyKind::Raw(media) => {
                    if b.required {
                        args.push(quote!(body: impl Into<reqwest::Body>));
                    } else {
                        args.push(quote!(body: Option<impl Into<reqwest::Body>>));
                    }
                    arg_docs.push(format!("- `body`: bytes sent as `{media}`. {first}"));
                }
            }
        }
        let mut all_docs = match media {
            Some(media) => {
                let mut d = vec![format!(
                    "[`{group_type}::{}`] with the reply as `{media}`: the body is handed back as a \
                     [`ByteStream`](crate::runtime::ByteStream), never held whole in memory.",
                    names::ident_text(method_name)
                )];
                for sel in media_selectors.iter().filter(|s| s.media == media) {
                    d.push(String::new());
                    d.push(format!("Sends `{}=true`, which selects this media type.", sel.wire));
                }
                d.push(String::new());
                d.extend(docs.iter().cloned());
                d
            }
            None if raw => {
                let mut d = vec![
                    format!(
                        "[`{group_type}::{}`], handing back the raw reply whatever its status: \
                         status, headers, and the body as bytes or as a stream.",
                        names::ident_text(method_name)
                    ),
                    String::new(),
                ];
                d.extend(docs.iter().cloned());
                d
            }
            None => docs.clone(),
        };
        if !arg_docs.is_empty() {
            all_docs.push(String::new());
            all_docs.push("# Arguments".into());
            all_docs.push(String::new());
            all_docs.extend(arg_docs);
        }
        all_docs.extend(part_docs);
        let d = doc(&all_docs);

        // Path: every parameter is checked, then percent-encoded as one segment.
        let mut checks = Vec::new();
        for p in path_params {
            let id = ident(&p.name);
            let access = match &p.ty {
                Ty::String => quote!(#id),
                _ => quote!(&#id),
            };
            checks.push(self.checks(p, &access));
        }
        let mut pushes = Vec::new();
        let mut literal_only = String::new();
        for piece in path_pieces {
            match piece {
                PathPiece::Literal(l) => {
                    literal_only.push_str(l);
                    pushes.push(quote!(path.push_str(#l);));
                }
                PathPiece::Param(i) => {
                    let p = &path_params[*i];
                    let id = ident(&p.name);
                    let wire = &p.wire;
                    let text = match &p.ty {
                        Ty::String => quote!(#id),
                        _ => quote!(&#id.to_param()),
                    };
                    pushes.push(quote!(path.push_str(&crate::runtime::path_segment(#wire, #text)?);));
                }
            }
        }
        let dynamic_path = !path_params.is_empty();
        let path_expr = if dynamic_path {
            quote! {
                let mut path = String::new();
                #(#pushes)*
            }
        } else {
            quote!(let path = #literal_only;)
        };

        // Query and headers.
        let mut sends = Vec::new();
        let mut has_query = false;
        let mut has_headers = false;
        if let Some(ps) = params {
            for mem in &ps.members {
                match mem {
                    ParamMember::Single(p) => {
                        let id = ident(&p.name);
                        has_query |= p.location == Location::Query;
                        has_headers |= p.location == Location::Header;
                        sends.push(self.send_param(p, quote!(params.#id)));
                    }
                    ParamMember::Group(g) => {
                        let gid = ident(&g.name);
                        for p in &g.params {
                            let id = ident(&p.name);
                            has_query |= p.location == Location::Query;
                            has_headers |= p.location == Location::Header;
                            sends.push(self.send_param(p, quote!(params.#gid.#id)));
                        }
                    }
                }
            }
        }
        // The request is built once, in `prepare_<op>`, for every variant of
        // the call; `media` says which reply the variant asks for.
        let has_media = !op.alt_media.is_empty();
        for sel in media_selectors {
            let wire = &sel.wire;
            let sel_media = &sel.media;
            sends.push(quote! {
                if media == Some(#sel_media) {
                    query.push((#wire, "true".to_owned()));
                }
            });
            has_query = true;
        }
        match (has_media, matches!(success, Payload::Json(_))) {
            (true, true) => {
                sends.push(quote!(headers.push(("accept", media.unwrap_or("application/json").to_owned()));));
                has_headers = true;
            }
            (true, false) => {
                sends.push(quote! {
                    if let Some(media) = media {
                        headers.push(("accept", media.to_owned()));
                    }
                });
                has_headers = true;
            }
            (false, true) => {
                sends.push(quote!(headers.push(("accept", "application/json".to_owned()));));
                has_headers = true;
            }
            (false, false) => {}
        }
        let query_decl = if has_query {
            quote!(let mut query: Vec<(&'static str, String)> = Vec::new();)
        } else {
            quote!(let query: Vec<(&'static str, String)> = Vec::new();)
        };
        let headers_decl = if has_headers {
            quote!(let mut headers: Vec<(&'static str, String)> = Vec::new();)
        } else {
            quote!(let headers: Vec<(&'static str, String)> = Vec::new();)
        };

        let http_method = ident(method.as_str());
        let method_str = method.as_str();
        let alts = self.scheme_alternatives(security);
        let accepted = self.accepted_text(security);
        let path_ref = if dynamic_path { quote!(&path) } else { quote!(path) };

        let body_code = match body {
            None => quote!(),
            Some(b) => {
                let encode = match &b.kind {
                    BodyKind::Json(_) => quote! {
                        let encoded = serde_json::to_vec(body).map_err(|e| crate::runtime::Refused::Parameter {
                            name: "body",
                            message: e.to_string(),
                        })?;
                        request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(encoded);
                    },
                    BodyKind::Multipart(_) => quote! {
                        request = request.multipart(body);
                    },
                    BodyKind::Raw(media) => quote! {
                        request = request.header(reqwest::header::CONTENT_TYPE, #media).body(body);
                    },
                };
                if b.required {
                    encode
                } else {
                    quote! {
                        if let Some(body) = body {
                            #encode
                        }
                    }
                }
            }
        };
        let mutable = if body.is_some() { quote!(mut) } else { quote!() };

        // Replies.
        let decode = |p: &Payload| match p {
            Payload::Empty => quote!(()),
            Payload::Json(_) => quote!(crate::runtime::decode_json(response).await?),
            Payload::Bytes => quote!(response.bytes().await?),
        };
        let reply_enum = if media.is_some() { &None } else { reply_enum };
        // `ok_expr` decodes the one success shape; operations with a reply
        // enum build a variant per status instead and have none.
        let (ok_ty, ok_expr) = match (reply_enum, success) {
            _ if media.is_some() => (
                quote!(crate::runtime::ByteStream),
                Some(quote!(Ok(crate::runtime::ByteStream::new(response)))),
            ),
            (Some(name), _) => {
                let t = ident(name);
                (quote!(#t), None)
            }
            (None, Payload::Empty) => (quote!(()), Some(quote!(Ok(())))),
            (None, p @ Payload::Json(t)) => {
                let d = decode(p);
                (self.ty(t, At::Elsewhere), Some(quote!(Ok(#d))))
            }
            (None, Payload::Bytes) => (quote!(crate::runtime::Bytes), Some(quote!(Ok(response.bytes().await?)))),
        };
        let err_ty = match error {
            Some(t) => self.ty(t, At::Elsewhere),
            None => quote!(serde_json::Value),
        };
        let mut arms = Vec::new();
        let mut has_default = false;
        let mut has_2xx_range = false;
        for r in responses {
            let Response { status, outcome, payload, description: _ } = r;
            let pat = match status {
                StatusMatch::Code(c) => {
                    let c = Literal::u16_unsuffixed(*c);
                    quote!(#c)
                }
                StatusMatch::Range(d) => {
                    // A guard, not a range pattern: exact codes inside the
                    // range come first and clippy rejects overlapping ranges.
                    has_2xx_range |= *d == 2;
                    let d = Literal::u16_unsuffixed(*d);
                    quote!(status if status / 100 == #d)
                }
                StatusMatch::Default => {
                    has_default = true;
                    quote!(_)
                }
            };
            let expr = match (outcome, reply_enum) {
                (Outcome::Success, Some(name)) => {
                    let t = ident(name);
                    let v = ident(&reply_variant(*status));
                    if *payload == Payload::Empty {
                        quote!(Ok(#t::#v))
                    } else {
                        let d = decode(payload);
                        quote!(Ok(#t::#v(#d)))
                    }
                }
                (Outcome::Success, None) => ok_expr.clone().unwrap_or_default(),
                (Outcome::Failure, _) => quote!(Err(crate::runtime::api_error(response, true).await)),
            };
            arms.push(quote!(#pat => #expr,));
        }
        if !has_default {
            if let (false, Some(ok)) = (has_2xx_range, &ok_expr) {
                // Undeclared success codes are still successes.
                arms.push(quote!(status if status / 100 == 2 => #ok,));
            }
            arms.push(quote!(_ => Err(crate::runtime::api_error(response, false).await),));
        }

        let (cfg, ok_ty, reply) = if raw {
            (
                quote!(#[cfg(feature = "raw")]),
                quote!(crate::runtime::ByteStream),
                quote!(Ok(crate::runtime::ByteStream::new(response))),
            )
        } else {
            (quote!(), ok_ty, quote!(match response.status().as_u16() { #(#arms)* }))
        };
        let prepare = ident(&format!("prepare_{method_name}"));
        let arg_names: Vec<TokenStream> = args_names.iter().map(|n| {
            let id = ident(n);
            quote!(#id)
        }).collect();
        let (media_param, media_arg) = match (has_media, media) {
            (false, _) => (quote!(), quote!()),
            (true, Some(m)) => (quote!(media: Option<&'static str>), quote!(Some(#m))),
            (true, None) => (quote!(media: Option<&'static str>), quote!(None)),
        };
        let call = quote! {
            #d
            #cfg
            pub async fn #m(&self, #(#args),*) -> Result<#ok_ty, crate::Error<#err_ty>> {
                let request = self.#prepare(#(#arg_names,)* #media_arg)?;
                let response = self.client.send(request, &self.options, #operation_id, #method_str, #path).await?;
                #reply
            }
        };
        if raw || media.is_some() {
            return call;
        }
        let prepare_doc = doc(&lines(&format!(
            "Checks the arguments of [`{group_type}::{}`] and builds its request.",
            names::ident_text(method_name)
        )));
        quote! {
            #prepare_doc
            fn #prepare(&self, #(#args,)* #media_param) -> Result<reqwest::RequestBuilder, crate::runtime::Refused> {
                #(#checks)*
                #path_expr
                #query_decl
                #headers_decl
                #(#sends)*
                let #mutable request = self.client.request(
                    reqwest::Method::#http_method,
                    #path_ref,
                    &query,
                    &headers,
                    #alts,
                    #security_optional,
                    #operation_id,
                    #accepted,
                )?;
                #body_code
                Ok(request)
            }

            #call
        }
    }
}

/// Who needs a type.
#[derive(Debug, Clone, Default)]
struct Reach {
    /// Groups whose operations reach it.
    groups: BTreeSet<usize>,
    /// Part of a request body.
    sent: bool,
    /// Part of a reply.
    received: bool,
}

impl Reach {
    fn both() -> TokenStream {
        quote!(serde::Serialize, serde::Deserialize)
    }

    /// Only the directions the type travels: deriving both for every reply
    /// type would double the serde code of a large API.
    fn serde_derives(&self) -> TokenStream {
        match (self.sent, self.received) {
            (true, false) => quote!(serde::Serialize),
            (false, true) => quote!(serde::Deserialize),
            _ => Self::both(),
        }
    }
}

/// `csv` of `text/csv; charset=utf-8`.
fn media_subtype(media: &str) -> &str {
    let essence = media.split(';').next().unwrap_or(media).trim();
    let sub = essence.rsplit('/').next().unwrap_or(essence);
    sub.rsplit('+').next().unwrap_or(sub)
}

/// Variant name of a success status in a reply enum.
fn reply_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(d) => format!("Status{d}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// The cargo feature of a group.
fn feature_name(group: &str) -> String {
    names::kebab(group)
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
