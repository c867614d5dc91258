//! The crate around the code: `Cargo.toml`, the README, `lib.rs`,
//! `api/mod.rs`, and the runtime copied from `codegen/templates/runtime/`.
//! Nothing here depends on a single operation or type beyond listing them.

use super::{Emitter, doc, feature_name, ident, inner_doc, shown};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime's files, copied verbatim into `src/runtime/`.
pub(super) const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../templates/runtime/mod.rs")),
    ("bodies.rs", include_str!("../../templates/runtime/bodies.rs")),
    ("call.rs", include_str!("../../templates/runtime/call.rs")),
    ("client.rs", include_str!("../../templates/runtime/client.rs")),
    ("error.rs", include_str!("../../templates/runtime/error.rs")),
    ("macros.rs", include_str!("../../templates/runtime/macros.rs")),
    ("node.rs", include_str!("../../templates/runtime/node.rs")),
    ("paging.rs", include_str!("../../templates/runtime/paging.rs")),
    ("params.rs", include_str!("../../templates/runtime/params.rs")),
    ("reply.rs", include_str!("../../templates/runtime/reply.rs")),
    ("request.rs", include_str!("../../templates/runtime/request.rs")),
    ("retry.rs", include_str!("../../templates/runtime/retry.rs")),
    ("styles.rs", include_str!("../../templates/runtime/styles.rs")),
];

/// One runtime file, with the generated-file header.
pub(super) fn runtime_file(i: usize) -> super::Unit {
    let (name, text) = RUNTIME[i];
    super::Unit::Text { path: format!("src/runtime/{name}"), contents: format!("// {}\n{text}", crate::GENERATED_BY) }
}

impl Emitter<'_> {
    pub(super) fn cargo_toml(&self) -> String {
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
        out.push_str(
            "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"http2\", \"multipart\", \"stream\"] }\n",
        );
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

    pub(super) fn readme(&self) -> String {
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
                    shown(&g.name),
                    shown(&op.method_name),
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
                    shown(&g.name),
                    shown(&op.method_name),
                    op.method.as_str(),
                    op.path.replace('|', "\\|")
                ));
            }
        }
        out
    }

    pub(super) fn lib(&self) -> TokenStream {
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

    pub(super) fn api_mod(&self) -> TokenStream {
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
