//! The mock test's program (`cargo xtask mock-test`), written only when it
//! is asked for, as a crate of its own in `mock-test/` beside the client
//! (which it depends on, so the client is exactly what `codegen` writes):
//!
//! - `Cargo.toml`;
//! - `calls.json`: the synthesized arguments of every call, one entry per
//!   operation (`lower/samples` made them);
//! - `src/main.rs`: one function per operation that decodes each argument
//!   into the type the generated API takes and calls it through that API
//!   (the typed call, each extra media type with every argument, typed
//!   streams read to their end, the item stream of a paged operation with
//!   the required ones), the client with
//!   a credential for every scheme, and a table of the operations;
//! - `src/harness.rs`: what does not depend on the description
//!   (`codegen/templates/mock/harness.rs`).

use super::{At, Emitter, Unit, ident};
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::{Value, json};

/// How many files the mock test's crate has.
pub(super) const MOCK_FILES: usize = 5;

/// The harness, copied verbatim.
const HARNESS: &str = include_str!("../../templates/mock/harness.rs");

impl Emitter<'_> {
    /// File `i` (of [`MOCK_FILES`]) of the mock test's crate.
    pub(super) fn mock_file(&self, i: usize) -> Unit {
        match i {
            0 => Unit::Text { path: "mock-test/Cargo.toml".into(), contents: self.mock_cargo_toml() },
            1 => Unit::Text { path: "mock-test/calls.json".into(), contents: self.mock_calls() },
            2 => Unit::Text {
                path: "mock-test/src/harness.rs".into(),
                contents: format!("// {}\n{HARNESS}", crate::GENERATED_BY),
            },
            3 => Unit::Text { path: "mock-test/streams.json".into(), contents: self.mock_streams() },
            _ => Unit::Rust { path: "mock-test/src/main.rs".into(), tokens: self.mock_main() },
        }
    }

    fn mock_cargo_toml(&self) -> String {
        let api = self.api;
        let mut out = format!("# {}\n", crate::GENERATED_BY);
        out.push_str("[package]\nname = \"mock-test\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n");
        out.push_str("[dependencies]\n");
        out.push_str(&format!("sdk = {{ package = {:?}, path = \"..\" }}\n", api.crate_name));
        out.push_str("serde = \"1\"\n");
        out.push_str("tokio = { version = \"1\", features = [\"rt-multi-thread\"] }\n");
        if self.uses_uuid() {
            out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
        }
        out.push_str("\n# Its own workspace: it is built where it was written.\n[workspace]\n");
        out
    }

    /// The operations in the order of the program's table.
    fn mock_operations(&self) -> impl Iterator<Item = (&Group, &Operation)> {
        self.api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op)))
    }

    fn mock_calls(&self) -> String {
        let entries: Vec<Value> = self
            .mock_operations()
            .map(|(_, op)| {
                let calls: Vec<Value> = op
                    .samples
                    .iter()
                    .map(|c| {
                        let params: Vec<Value> =
                            c.params.iter().map(|(l, w, v)| json!([location_name(*l), w, v])).collect();
                        let mut call = json!({"fill": c.fill.label(), "path": c.path, "params": params});
                        if let Some(b) = &c.body {
                            call["body"] = b.clone();
                        }
                        call
                    })
                    .collect();
                json!({"id": op.operation_id, "calls": calls})
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
        text.push('\n');
        text
    }

    /// `streams.json`: for each sequential media type of a success reply,
    /// the body the mock server is to send (its items framed as the media
    /// type says, with the stream's end marker), by the pointer of the
    /// media type object.
    fn mock_streams(&self) -> String {
        let entries: Vec<Value> = self
            .mock_operations()
            .flat_map(|(_, op)| {
                op.stream_samples.iter().map(|sample| {
                    let main = match &op.success {
                        Payload::Stream(s) if s.media == sample.media => Some(s),
                        _ => None,
                    };
                    let stream = main.or_else(|| op.alt_streams.iter().find(|s| s.media == sample.media));
                    json!({"pointer": sample.pointer, "media": sample.media, "body": frame(sample, stream)})
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
        text.push('\n');
        text
    }

    fn mock_main(&self) -> TokenStream {
        let mut ids = Vec::new();
        let mut fns = Vec::new();
        let mut arms = Vec::new();
        for (i, (g, op)) in self.mock_operations().enumerate() {
            let name = Ident::new(&format!("op{i}"), proc_macro2::Span::call_site());
            let index = Literal::usize_unsuffixed(i);
            ids.push(op.operation_id.clone());
            fns.push(self.mock_operation(&name, g, op));
            arms.push(quote!(#index => Box::pin(#name(client, call)),));
        }
        // Prism checks that a credential is there, not what it is; a
        // client certificate it cannot see (plain HTTP), so none is set.
        let credentials = self.api.security.iter().filter_map(|s| {
            let setter = ident(&s.name);
            match s.kind {
                SchemeKind::Basic => Some(quote!(.#setter("user", "pass"))),
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect(_) => Some(quote!(.#setter("mock-token"))),
                SchemeKind::Bearer | SchemeKind::Http(_) => Some(quote!(.#setter("mock-token"))),
                SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_) => Some(quote!(.#setter("mock-key"))),
                SchemeKind::MutualTls => None,
            }
        });
        let title = format!(" The mock test of `{}`: every operation, called through its typed API.", self.api.crate_name);
        quote! {
            #![doc = #title]
            #![allow(unused_imports, unused_mut, clippy::all)]

            mod harness;

            use harness::{Call, Failure, Run, judge, judge_items, judge_listing, judge_stream, two_pages};
            use sdk::{chrono, serde_json, types};

            /// Operation ids, in the order of `calls.json`.
            static IDS: &[&str] = &[#(#ids),*];

            /// A client of the mock server at `url`, with a credential for
            /// every scheme and no retries.
            fn client(url: &str) -> sdk::client::Client {
                sdk::client::Client::builder()
                    .base_url(url)
                    .retry_policy(sdk::runtime::RetryPolicy::none())
                    #(#credentials)*
                    .build()
                    .expect("the mock test's client builds")
            }

            /// The call of operation `i`.
            fn run<'a>(i: usize, client: &'a sdk::client::Client, call: &'a Call) -> Run<'a> {
                match i {
                    #(#arms)*
                    _ => Box::pin(async { Ok(()) }),
                }
            }

            fn main() -> std::process::ExitCode {
                harness::main(IDS, client, run)
            }

            #(#fns)*
        }
    }

    /// One operation's function: its arguments decoded, then its calls.
    fn mock_operation(&self, name: &Ident, g: &Group, op: &Operation) -> TokenStream {
        let doc = format!("`{}`: `{} {}`.", op.operation_id, op.method.as_str(), op.path);
        let group = ident(&g.name);
        let mut lets = Vec::new();
        let mut args = Vec::new();
        for (i, p) in op.path_params.iter().enumerate() {
            let var = Ident::new(&format!("p{i}"), proc_macro2::Span::call_site());
            let t = self.ty(&p.ty, At::Elsewhere);
            let (i, wire) = (Literal::usize_unsuffixed(i), &p.wire);
            lets.push(quote!(let #var: #t = call.path(#i, #wire)?;));
            args.push(if self.path_arg(&p.ty).1 { quote!(&#var) } else { quote!(#var) });
        }
        if let Some(ps) = &op.params {
            lets.push(self.mock_params(ps));
            args.push(quote!(&params));
        }
        if let Some(b) = &op.body {
            let (decl, arg) = self.mock_body(b);
            lets.push(decl);
            args.push(arg);
        }
        let m = ident(&op.method_name);
        // A typed stream is read to its end, every item decoded.
        let typed = match (&op.reply_enum, &op.success) {
            (None, Payload::Stream(_)) => quote!(judge_items(call, "", client.#group().#m(#(#args),*).await).await?;),
            _ => quote!(judge(call, "", client.#group().#m(#(#args),*).await)?;),
        };
        let mut calls = vec![typed];
        for (media, variant) in op.alt_media.iter().zip(&op.variants.media) {
            let v = ident(variant);
            let judged = if op.alt_streams.iter().any(|s| s.media == *media) {
                quote!(judge_items(call, #media, client.#group().#v(#(#args),*).await).await?;)
            } else {
                quote!(judge_stream(call, #media, client.#group().#v(#(#args),*).await).await?;)
            };
            calls.push(quote! {
                if call.every() {
                    #judged
                }
            });
        }
        if let Some(all) = &op.variants.all {
            let v = ident(all);
            calls.push(quote! {
                if !call.every() {
                    judge_listing(call, client.#group().with_options(two_pages()).#v(#(#args),*)).await?;
                }
            });
        }
        quote! {
            #[doc = #doc]
            async fn #name(client: &sdk::client::Client, call: &Call) -> Result<(), Failure> {
                #(#lets)*
                #(#calls)*
                Ok(())
            }
        }
    }

    /// `let params = ..;`: the required parameters through `new`, the
    /// others through their setters, when the call sets them.
    fn mock_params(&self, ps: &ParamsStruct) -> TokenStream {
        let t = ident(&ps.name);
        let mut ctor = Vec::new();
        let mut sets = Vec::new();
        for m in &ps.members {
            match m {
                ParamMember::Single(p) if p.required => ctor.push(self.mock_param_value(p, true)),
                ParamMember::Single(p) => {
                    let setter = ident(&p.name);
                    let value = self.mock_param_value(p, false);
                    sets.push(quote!(if let Some(v) = #value { p = p.#setter(v); }));
                }
                ParamMember::Group(pg) => {
                    let (field, gt) = (ident(&pg.name), ident(&pg.type_name));
                    let inner = pg.params.iter().map(|p| {
                        let setter = ident(&p.name);
                        let value = self.mock_param_value(p, false);
                        quote!(if let Some(v) = #value { g = g.#setter(v); })
                    });
                    sets.push(quote! {
                        let mut g = sdk::#gt::new();
                        #(#inner)*
                        p = p.#field(g);
                    });
                }
            }
        }
        quote! {
            let params = {
                let mut p = sdk::#t::new(#(#ctor),*);
                #(#sets)*
                p
            };
        }
    }

    /// `call.req::<T>(..)?` or `call.opt::<T>(..)?` for one parameter.
    fn mock_param_value(&self, p: &Param, required: bool) -> TokenStream {
        let t = self.ty(&p.ty, At::Elsewhere);
        let (loc, wire) = (location_name(p.location), &p.wire);
        if required { quote!(call.req::<#t>(#loc, #wire)?) } else { quote!(call.opt::<#t>(#loc, #wire)?) }
    }

    /// The body's declaration and the argument that passes it.
    fn mock_body(&self, b: &Body) -> (TokenStream, TokenStream) {
        let required = b.required;
        match &b.kind {
            BodyKind::Json(ty) | BodyKind::Form(FormBody { ty, .. }) => {
                let t = self.ty(ty, At::Elsewhere);
                if required {
                    (quote!(let body: #t = call.req_body()?;), quote!(&body))
                } else {
                    (quote!(let body: Option<#t> = call.body()?;), quote!(body.as_ref()))
                }
            }
            BodyKind::Multipart(m) => {
                let t = ident(&m.name);
                let mut ctor = Vec::new();
                let mut sets = Vec::new();
                for part in &m.parts {
                    let wire = &part.wire;
                    let (req, opt) = match &part.kind {
                        PartKind::Value(ty) => {
                            let t = self.ty(ty, At::Elsewhere);
                            (quote!(call.req_part::<#t>(#wire)?), quote!(call.part::<#t>(#wire)?))
                        }
                        PartKind::File => (quote!(call.req_file(#wire)?), quote!(call.file(#wire)?)),
                        PartKind::Files => (quote!(call.req_files(#wire)?), quote!(call.files(#wire)?)),
                    };
                    if part.required {
                        ctor.push(req);
                    } else {
                        let setter = ident(&part.name);
                        sets.push(quote!(if let Some(v) = #opt { b = b.#setter(v); }));
                    }
                }
                let build = quote! {{
                    let mut b = sdk::#t::new(#(#ctor),*);
                    #(#sets)*
                    b
                }};
                if required {
                    (quote!(let body = #build;), quote!(&body))
                } else {
                    (quote!(let body = if call.has_body() { Some(#build) } else { None };), quote!(body.as_ref()))
                }
            }
            // The caller's form: a new (empty) one for each call, since a
            // form is used up by sending it.
            BodyKind::CallerForm => {
                if required {
                    (quote!(), quote!(sdk::reqwest::multipart::Form::new()))
                } else {
                    (quote!(), quote!(call.has_body().then(sdk::reqwest::multipart::Form::new)))
                }
            }
            BodyKind::Raw(_) => {
                if required {
                    (quote!(let body = call.req_bytes()?;), quote!(body.clone()))
                } else {
                    (quote!(let body = call.bytes()?;), quote!(body.clone()))
                }
            }
        }
    }
}

/// A stream's body: each item framed as its media type says (an SSE
/// event's `data`, a line, a record of a JSON text sequence), then the
/// first end marker the stream knows.
fn frame(sample: &StreamSample, stream: Option<&StreamPayload>) -> String {
    let framing = Framing::of(&sample.media).unwrap_or(Framing::Lines);
    let text = |v: &Value| match v {
        Value::String(s) if stream.is_some_and(|s| s.text) => s.clone(),
        other => other.to_string(),
    };
    let mut out = String::new();
    for item in &sample.items {
        match framing {
            Framing::Sse => out.push_str(&format!("data: {}\n\n", text(item))),
            Framing::Lines => out.push_str(&format!("{item}\n")),
            Framing::Seq => out.push_str(&format!("\u{1e}{item}\n")),
        }
    }
    if let (Framing::Sse, Some(end)) = (framing, stream.and_then(|s| s.end.first())) {
        out.push_str(&format!("data: {end}\n\n"));
    }
    out
}

/// A location as `calls.json` and the harness name it.
fn location_name(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}
