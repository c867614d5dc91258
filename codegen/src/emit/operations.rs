//! One operation in its group's module: a static description for the
//! runtime (method, path template, security, declared replies), a request
//! builder that checks and encodes the arguments, and thin typed methods
//! (the call, its `_raw` variant, one per extra media type) that hand the
//! request to the runtime. Sending, retrying and reading the status are
//! the runtime's; only what the spec decides is written here.

use super::{At, Emitter, doc, doc1, ident, shown};
use crate::model::*;
use crate::names;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The pieces every variant of an operation's method shares.
pub(super) struct Signature {
    /// Parameters of the method (`account_id: &str, params: &P`).
    pub args: Vec<TokenStream>,
    /// The same names, to pass them on.
    pub names: Vec<Ident>,
    /// `# Arguments` lines for the typed method's docs.
    pub docs: Vec<String>,
}

impl Emitter<'_> {
    /// The static, the request builder and the methods of one operation:
    /// `(module items, handle methods)`.
    pub(super) fn operation(&self, op: &Operation, group: &str, group_type: &str) -> (TokenStream, TokenStream) {
        let sig = self.signature(op);
        let statik = self.operation_static(op);
        let builder = self.request_builder(op, &sig);
        let typed = self.typed_method(op, &sig, group);
        let raw = self.raw_method(op, &sig, group_type);
        let media = op.alt_media.iter().zip(&op.variants.media).map(|(m, name)| self.media_method(op, &sig, group_type, m, name));
        let paging = op.paging.as_ref().map(|p| self.paging_methods(op, p, &sig, group_type));
        (quote!(#statik #builder), quote!(#typed #raw #(#media)* #paging))
    }

    /// Arguments shared by every variant: path parameters, the parameters
    /// struct, the body.
    fn signature(&self, op: &Operation) -> Signature {
        let mut sig = Signature { args: Vec::new(), names: Vec::new(), docs: Vec::new() };
        for p in &op.path_params {
            let id = ident(&p.name);
            let (t, _) = self.path_arg(&p.ty);
            sig.args.push(quote!(#id: #t));
            sig.names.push(id);
            let first = p.docs.first().cloned().unwrap_or_default();
            sig.docs.push(format!("- `{}`: {}", shown(&p.name), first));
        }
        if let Some(ps) = &op.params {
            let t = ident(&ps.name);
            sig.args.push(quote!(params: &#t));
            sig.names.push(ident("params"));
            let what = super::params::what_params(ps).to_lowercase();
            sig.docs.push(format!("- `params`: {what} ([`{}`]).", ps.name));
        }
        if let Some(b) = &op.body {
            self.body_argument(b, &mut sig);
        }
        if !sig.docs.is_empty() {
            sig.docs.splice(0..0, [String::new(), "# Arguments".to_owned(), String::new()]);
        }
        sig
    }

    /// A path argument's type, and whether it is already a reference:
    /// `&str`, slices and named types are borrowed, small values copied.
    pub(super) fn path_arg(&self, ty: &Ty) -> (TokenStream, bool) {
        match ty {
            Ty::String => (quote!(&str), true),
            Ty::Array(inner) => {
                let t = self.ty(inner, At::Elsewhere);
                (quote!(&[#t]), true)
            }
            Ty::Named(_) | Ty::Map(_) | Ty::Json | Ty::JsonObject | Ty::Nullable(_) => {
                let t = self.ty(ty, At::Elsewhere);
                (quote!(&#t), true)
            }
            Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Integer(_) | Ty::Number | Ty::Boolean => {
                (self.ty(ty, At::Elsewhere), false)
            }
        }
    }

    /// `static <METHOD>: Operation`.
    fn operation_static(&self, op: &Operation) -> TokenStream {
        let name = static_name(op);
        let method = op.method.as_str();
        let (id, path) = (&op.operation_id, &op.path);
        let security = Literal::usize_unsuffixed(self.security_index(op));
        let responses = op.responses.iter().map(|r| {
            let (low, high) = status_range(r.status);
            let (low, high) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
            let success = r.outcome == Outcome::Success;
            quote!((#low, #high, #success))
        });
        // Only what differs from `Operation::DEFAULT` (JSON, no selectors).
        // A reply enum whose statuses include a stream asks for both.
        let streamed: Vec<&str> = op
            .responses
            .iter()
            .filter_map(|r| match (&r.outcome, &r.payload) {
                (Outcome::Success, Payload::Stream(s)) => Some(s.media.as_str()),
                _ => None,
            })
            .collect();
        let accept = match &op.success {
            Payload::Json(_) if streamed.is_empty() => quote!(),
            Payload::Json(_) => {
                let media = format!("application/json, {}", streamed.join(", "));
                quote!(accept: Some(#media),)
            }
            Payload::Stream(s) => {
                let media = &s.media;
                quote!(accept: Some(#media),)
            }
            _ => quote!(accept: None,),
        };
        let selectors = op.media_selectors.iter().map(|s| {
            let (wire, media) = (&s.wire, &s.media);
            quote!((#wire, #media))
        });
        let selectors = if op.media_selectors.is_empty() { quote!() } else { quote!(media_selectors: &[#(#selectors),*],) };
        let body_selectors = op.body_selectors.iter().map(|s| {
            let (wire, media) = (&s.wire, &s.media);
            quote!((#wire, #media))
        });
        let body_selectors =
            if op.body_selectors.is_empty() { quote!() } else { quote!(body_selectors: &[#(#body_selectors),*],) };
        quote! {
            static #name: rt::Operation = rt::Operation {
                id: #id,
                method: #method,
                path: #path,
                security: &crate::client::SECURITY[#security],
                responses: &[#(#responses),*],
                #accept
                #selectors
                #body_selectors
                ..rt::Operation::DEFAULT
            };
        }
    }

    /// `fn <method>_request(..) -> Result<Request, Refused>`: every argument
    /// checked and encoded.
    fn request_builder(&self, op: &Operation, sig: &Signature) -> TokenStream {
        let name = request_fn(op);
        let statik = static_name(op);
        let args = &sig.args;
        let mut lines = Vec::new();
        for p in &op.path_params {
            let (id, wire) = (ident(&p.name), &p.wire);
            let value = if self.path_arg(&p.ty).1 { quote!(#id) } else { quote!(&#id) };
            if let Some(checks) = self.checks(p) {
                lines.push(quote!(rt::check(#wire, #value, #checks)?;));
            }
            let (style, explode) = super::params::style_args(p);
            lines.push(quote!(request.path(#wire, #value, #style, #explode)?;));
        }
        if let Some(ps) = &op.params {
            lines.extend(self.write_params(ps));
        }
        if let Some(b) = &op.body {
            lines.push(self.write_body(b));
        }
        let d = doc1(&format!("Checks the arguments of `{}` and builds its request.", op.operation_id));
        let mutable = if lines.is_empty() { quote!() } else { quote!(mut) };
        quote! {
            #d
            fn #name(#(#args),*) -> Result<rt::Request, rt::Refused> {
                let #mutable request = rt::Request::new(&#statik);
                #(#lines)*
                Ok(request)
            }
        }
    }

    /// The typed call, with the operation's docs.
    fn typed_method(&self, op: &Operation, sig: &Signature, group: &str) -> TokenStream {
        let m = ident(&op.method_name);
        let (args, names) = (&sig.args, &sig.names);
        let builder = request_fn(op);
        let err = self.error_ty(op);
        let mut docs = op.docs.clone();
        if let Payload::Stream(s) = &op.success {
            docs.push(String::new());
            docs.extend(self.stream_docs(op, s));
        }
        for sel in &op.body_selectors {
            let variant = op.alt_media.iter().position(|m| *m == sel.media).map(|i| &op.variants.media[i]);
            docs.push(String::new());
            docs.push(match variant {
                Some(v) => format!(
                    "The body's `{0}` asks for the reply as `{1}`: this method sends `{0}: false` where it is set \
                     ([`{2}`](Self::{2}) streams).",
                    sel.wire,
                    sel.media,
                    shown(v)
                ),
                None => format!("The body's `{}` asks for the reply as `{}`: this method sends `false`.", sel.wire, sel.media),
            });
        }
        docs.extend(sig.docs.iter().cloned());
        if let Some(example) = self.operation_example(group, op) {
            docs.push(String::new());
            docs.extend(example);
        }
        let d = doc(&docs);
        let (ok, body) = match (&op.reply_enum, &op.success) {
            (Some(name), _) => {
                let t = ident(name);
                (quote!(#t), self.reply_enum_dispatch(op, name, &err))
            }
            (None, Payload::Empty) => (quote!(()), quote!(rt::empty(self.client, request, &self.options).await)),
            (None, Payload::Json(t)) => {
                let t = self.ty(t, At::Elsewhere);
                (t, quote!(rt::json(self.client, request, &self.options).await))
            }
            (None, Payload::Bytes) => {
                (quote!(rt::Bytes), quote!(rt::bytes(self.client, request, &self.options).await))
            }
            (None, Payload::Stream(s)) => (self.stream_ty(s, &err), self.stream_call(s)),
        };
        quote! {
            #d
            pub async fn #m(&self, #(#args),*) -> rt::Result<#ok, #err> {
                let request = #builder(#(#names),*)?;
                #body
            }
        }
    }

    /// The reply enum of an operation whose success replies differ: one
    /// arm per declared success status.
    fn reply_enum_dispatch(&self, op: &Operation, name: &str, err: &TokenStream) -> TokenStream {
        let t = ident(name);
        let arms = op.responses.iter().filter(|r| r.outcome == Outcome::Success).map(|r| {
            let v = ident(&reply_variant(r.status));
            let pat = match r.status {
                StatusMatch::Code(c) => {
                    let c = Literal::u16_unsuffixed(c);
                    quote!(#c)
                }
                // A guard, not a range pattern: exact codes inside the
                // range come first and clippy rejects overlapping ranges.
                StatusMatch::Range(d) => {
                    let d = Literal::u16_unsuffixed(d);
                    quote!(status if status / 100 == #d)
                }
                StatusMatch::Default => quote!(_),
            };
            let value = match &r.payload {
                Payload::Empty => quote!(#t::#v),
                Payload::Json(_) => quote!(#t::#v(reply.json().await?)),
                Payload::Bytes => quote!(#t::#v(reply.bytes().await?)),
                Payload::Stream(s) => {
                    let stream = self.stream_from_reply(s);
                    quote!(#t::#v(#stream))
                }
            };
            quote!(#pat => Ok(#value),)
        });
        let fallback = if op.responses.iter().any(|r| r.outcome == Outcome::Success && r.status == StatusMatch::Default) {
            quote!()
        } else {
            quote!(_ => Err(reply.unexpected().await),)
        };
        quote! {
            let reply = rt::execute::<#err>(self.client, request, &self.options).await?;
            match reply.status() {
                #(#arms)*
                #fallback
            }
        }
    }

    /// `<method>_raw`: the reply whatever its status, undecoded.
    fn raw_method(&self, op: &Operation, sig: &Signature, group_type: &str) -> TokenStream {
        let m = ident(&op.variants.raw);
        let (args, names) = (&sig.args, &sig.names);
        let builder = request_fn(op);
        let err = self.error_ty(op);
        let d = doc1(&format!(
            "[`{group_type}::{}`], handing back the raw reply whatever its status: status, headers, and the body as \
             bytes or as a stream (decompressed: the client asks for gzip, brotli, zstd or deflate and undoes it).",
            shown(&op.method_name)
        ));
        quote! {
            #d
            #[cfg(feature = "raw")]
            pub async fn #m(&self, #(#args),*) -> rt::Result<rt::ByteStream, #err> {
                rt::raw(self.client, #builder(#(#names),*)?, &self.options).await
            }
        }
    }

    /// `<method>_<subtype>`: asks for a non-JSON media type and streams it
    /// (typed items for a sequential media type, else bytes).
    fn media_method(&self, op: &Operation, sig: &Signature, group_type: &str, media: &str, name: &str) -> TokenStream {
        let m = ident(name);
        let (args, names) = (&sig.args, &sig.names);
        let builder = request_fn(op);
        let err = self.error_ty(op);
        if let Some(s) = op.alt_streams.iter().find(|s| s.media == media) {
            let mut docs = vec![format!("[`{group_type}::{}`] with the reply streamed.", shown(&op.method_name)), String::new()];
            docs.extend(self.stream_docs(op, s));
            let d = doc(&docs);
            let ok = self.stream_ty(s, &err);
            let call = self.stream_call(s);
            return quote! {
                #d
                pub async fn #m(&self, #(#args),*) -> rt::Result<#ok, #err> {
                    let mut request = #builder(#(#names),*)?;
                    request.select_media(#media);
                    #call
                }
            };
        }
        let mut docs = vec![format!(
            "[`{group_type}::{}`] with the reply as `{media}`: the body is handed back as a \
             [`ByteStream`](rt::ByteStream), never held whole in memory.",
            shown(&op.method_name)
        )];
        for sel in op.media_selectors.iter().filter(|s| s.media == media) {
            docs.push(String::new());
            docs.push(format!("Sends `{}=true`, which selects this media type.", sel.wire));
        }
        let d = doc(&docs);
        quote! {
            #d
            pub async fn #m(&self, #(#args),*) -> rt::Result<rt::ByteStream, #err> {
                let mut request = #builder(#(#names),*)?;
                request.select_media(#media);
                rt::stream(self.client, request, &self.options).await
            }
        }
    }

    /// The enum of an operation whose success responses differ in shape.
    pub(super) fn reply_enum(&self, name: &str, group_type: &str, op: &Operation) -> TokenStream {
        let t = ident(name);
        let d = doc1(&format!(
            "The successful replies of [`{group_type}::{}`], one variant per status.",
            shown(&op.method_name)
        ));
        let err = self.error_ty(op);
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
                Payload::Bytes => quote!(#vd #v(rt::Bytes)),
                Payload::Stream(s) => {
                    let ty = self.stream_ty(s, &err);
                    quote!(#vd #v(#ty))
                }
            }
        });
        // A stream is neither cloned nor compared.
        let streams = op.responses.iter().any(|r| r.outcome == Outcome::Success && matches!(r.payload, Payload::Stream(_)));
        let derives = if streams { quote!(Debug) } else { quote!(Debug, Clone, PartialEq) };
        quote! {
            #d
            #[derive(#derives)]
            pub enum #t {
                #(#variants,)*
            }
        }
    }
}

/// The operation's static: its method name in capitals (method names are
/// unique snake case in a group, so these are too).
fn static_name(op: &Operation) -> Ident {
    ident(&names::method_stem(&op.method_name).to_ascii_uppercase())
}

/// The operation's request builder (a free function: it cannot clash with
/// the handle's methods).
pub(super) fn request_fn(op: &Operation) -> Ident {
    ident(&names::request_builder(&op.method_name))
}

/// The statuses a status match covers, inclusive (`default`: all).
pub(super) fn status_range(status: StatusMatch) -> (u16, u16) {
    match status {
        StatusMatch::Code(c) => (c, c),
        StatusMatch::Range(d) => (d * 100, d * 100 + 99),
        StatusMatch::Default => (100, 599),
    }
}

/// Variant name of a status in a reply enum or an error enum.
pub(super) fn reply_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(d) => format!("Status{d}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}
