//! The crate around the code: `Cargo.toml`, `lib.rs`, `api/mod.rs`, and the
//! runtime copied from `codegen/templates/runtime/` (the README is
//! `readme`'s).
//! Nothing here depends on a single operation or type beyond listing them.

use super::{Emitter, doc, feature_name, ident, inner_doc};
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime's files, copied verbatim into `src/runtime/`.
pub(super) const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../templates/runtime/mod.rs")),
    ("auth.rs", include_str!("../../templates/runtime/auth.rs")),
    ("bodies.rs", include_str!("../../templates/runtime/bodies.rs")),
    ("by_status.rs", include_str!("../../templates/runtime/by_status.rs")),
    ("call.rs", include_str!("../../templates/runtime/call.rs")),
    ("client.rs", include_str!("../../templates/runtime/client.rs")),
    ("custom.rs", include_str!("../../templates/runtime/custom.rs")),
    ("error.rs", include_str!("../../templates/runtime/error.rs")),
    ("framing.rs", include_str!("../../templates/runtime/framing.rs")),
    ("macros.rs", include_str!("../../templates/runtime/macros.rs")),
    ("node.rs", include_str!("../../templates/runtime/node.rs")),
    ("oauth.rs", include_str!("../../templates/runtime/oauth.rs")),
    ("paging.rs", include_str!("../../templates/runtime/paging.rs")),
    ("params.rs", include_str!("../../templates/runtime/params.rs")),
    ("reply.rs", include_str!("../../templates/runtime/reply.rs")),
    ("request.rs", include_str!("../../templates/runtime/request.rs")),
    ("retry.rs", include_str!("../../templates/runtime/retry.rs")),
    ("sequence.rs", include_str!("../../templates/runtime/sequence.rs")),
    ("streams.rs", include_str!("../../templates/runtime/streams.rs")),
    ("styles.rs", include_str!("../../templates/runtime/styles.rs")),
    ("values.rs", include_str!("../../templates/runtime/values.rs")),
    ("window.rs", include_str!("../../templates/runtime/window.rs")),
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
        // base64: Basic credentials (reqwest depends on it already).
        out.push_str("base64 = \"0.22\"\n");
        out.push_str("bytes = \"1\"\n");
        out.push_str("chrono = { version = \"0.4.38\", default-features = false, features = [\"std\", \"serde\"] }\n");
        out.push_str("percent-encoding = \"2\"\n");
        out.push_str(
            "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"http2\", \"multipart\", \"stream\", \"gzip\", \"brotli\", \"zstd\", \"deflate\"] }\n",
        );
        out.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
        out.push_str("serde_json = \"1\"\n");
        out.push_str("serde_path_to_error = \"0.1\"\n");
        out.push_str("fastrand = \"2\"\n");
        out.push_str("futures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }\n");
        out.push_str("httpdate = \"1\"\n");
        // Line ends in streamed replies; serde_json depends on it already.
        out.push_str("memchr = \"2\"\n");
        out.push_str("tokio = { version = \"1\", default-features = false, features = [\"time\", \"rt\"] }\n");
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

    pub(super) fn lib(&self) -> TokenStream {
        let api = self.api;
        // The README is the crate's docs: its examples are doctests.
        let mut crate_docs = Vec::new();
        // The spec's names win at the crate root: a runtime item whose name
        // a spec type takes is not re-exported (the glob below brings the
        // spec's) and stays reachable through its module.
        let shadowed = self.shadowed_reexports();
        if !shadowed.is_empty() {
            let theirs: Vec<String> = shadowed.iter().map(|(n, _)| format!("`{n}`")).collect();
            let ours: Vec<String> = shadowed.iter().map(|(n, m)| format!("[`{m}::{n}`]")).collect();
            let text = if shadowed.len() == 1 {
                format!("The API has a type named {}: at the crate root that name is the API's; the client's own is {}.", theirs[0], ours[0])
            } else {
                format!(
                    "The API has types named {}: at the crate root those names are the API's; the client's own are {}.",
                    theirs.join(", "),
                    ours.join(", ")
                )
            };
            crate_docs.push(text);
        }
        let docs = inner_doc(&crate_docs);
        let reexport = |module: &str| {
            let items = self
                .root_reexports()
                .filter(|(n, m)| *m == module && !shadowed.iter().any(|(s, _)| s == n))
                .map(|(n, _)| ident(n));
            let module = ident(module);
            quote!(pub use #module::{#(#items),*};)
        };
        let (from_client, from_runtime) = (reexport("client"), reexport("runtime"));
        let use_types = if api.types.is_empty() { quote!() } else { quote!(pub use types::*;) };
        let (errors_mod, use_errors) = if super::has_error_enums(api) {
            // Empty when the features of the groups that use them are off.
            (quote!(pub mod errors;), quote!(#[allow(unused_imports)] pub use errors::*;))
        } else {
            (quote!(), quote!())
        };
        quote! {
            #![doc = include_str!("../README.md")]
            #docs
            #![warn(missing_docs)]

            pub mod api;
            pub mod client;
            #errors_mod
            pub mod runtime;
            pub mod types;

            pub use api::*;
            #from_client
            #from_runtime
            #use_types
            #use_errors

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
            //! (returned by the matching [`Client`](crate::client::Client) method) and
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
