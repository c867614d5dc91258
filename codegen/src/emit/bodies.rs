//! Request bodies: the `body` argument of an operation's methods, the
//! lines of its request builder that encode it (one runtime call for JSON
//! and forms, one per part for multipart), and the struct of a multipart
//! body's parts (in the group module, beside the parameter structs).
//! Encoding itself is the runtime's.

use super::operations::Signature;
use super::{At, Emitter, doc, doc1, ident, shown};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// Adds the `body` argument and its line of docs.
    pub(super) fn body_argument(&self, b: &Body, sig: &mut Signature) {
        let Body { kind, required, example: _, docs } = b;
        let first = docs.first().cloned().unwrap_or_else(|| "the request body.".into());
        let optional = |t: TokenStream| if *required { t } else { quote!(Option<#t>) };
        let (t, line) = match kind {
            BodyKind::Json(ty) => {
                let t = self.ty(ty, At::Elsewhere);
                (optional(quote!(&#t)), format!("- `body`: {first}"))
            }
            BodyKind::Form(FormBody { ty, encoding: _ }) => {
                let t = self.ty(ty, At::Elsewhere);
                (optional(quote!(&#t)), format!("- `body`: sent as `application/x-www-form-urlencoded`. {first}"))
            }
            BodyKind::Multipart(m) => {
                let t = ident(&m.name);
                (optional(quote!(&#t)), format!("- `body`: the `multipart/form-data` parts ([`{}`]). {first}", m.name))
            }
            BodyKind::CallerForm => {
                (optional(quote!(reqwest::multipart::Form)), format!("- `body`: a `multipart/form-data` form. {first}"))
            }
            BodyKind::Raw(media) => {
                (optional(quote!(impl Into<reqwest::Body>)), format!("- `body`: bytes sent as `{media}`. {first}"))
            }
        };
        sig.args.push(quote!(body: #t));
        sig.names.push(ident("body"));
        sig.docs.push(line);
    }

    /// The request builder's lines that encode the body.
    pub(super) fn write_body(&self, b: &Body) -> TokenStream {
        let set = match &b.kind {
            BodyKind::Json(_) => quote!(request.json(body)?;),
            BodyKind::Form(FormBody { ty: _, encoding }) => {
                let entries = encoding.iter().map(|e| {
                    let PropertyEncoding { wire, style, explode } = e;
                    let style = ident(style.as_str());
                    quote!((#wire, rt::Style::#style, #explode))
                });
                quote!(request.form(body, &[#(#entries),*])?;)
            }
            BodyKind::Multipart(m) => {
                let parts = m.parts.iter().map(|p| {
                    let Part { name, wire, kind, required: _, content_type, docs: _ } = p;
                    let id = ident(name);
                    let ct = match content_type {
                        Some(c) => quote!(Some(#c)),
                        None => quote!(None),
                    };
                    match kind {
                        PartKind::Value(_) => quote!(request.part(#wire, &body.#id, #ct)?;),
                        PartKind::File | PartKind::Files => quote!(request.file_part(#wire, &body.#id, #ct);),
                    }
                });
                quote! {
                    request.form_data();
                    #(#parts)*
                }
            }
            BodyKind::CallerForm => quote!(request.multipart(body);),
            BodyKind::Raw(media) => quote!(request.raw(#media, body);),
        };
        if b.required { set } else { quote!(if let Some(body) = body { #set }) }
    }

    /// The struct of a multipart body's parts, with a constructor taking
    /// the required ones and a setter per part.
    pub(super) fn multipart_struct(&self, m: &MultipartBody, group_type: &str, op: &Operation) -> TokenStream {
        let MultipartBody { name, docs, parts } = m;
        let t = ident(name);
        let (mut fields, mut setters, mut ctor_args, mut ctor_inits) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for p in parts {
            let id = ident(&p.name);
            let ty = self.part_ty(&p.kind);
            let mut field_docs = p.docs.clone();
            if field_docs.is_empty() || shown(&p.name) != p.wire {
                if !field_docs.is_empty() {
                    field_docs.push(String::new());
                }
                field_docs.push(format!("Sent as the part `{}`.", p.wire.replace('`', "'")));
            }
            let fd = doc(&field_docs);
            let full = if p.required { ty } else { quote!(Option<#ty>) };
            fields.push(quote!(#fd pub #id: #full,));
            let (arg, store) = self.part_arg(&p.kind, &ident("value"));
            if p.required {
                let (_, ctor_store) = self.part_arg(&p.kind, &id);
                ctor_args.push(quote!(#id: #arg));
                ctor_inits.push(quote!(#id: #ctor_store,));
            } else {
                ctor_inits.push(quote!(#id: None,));
            }
            let store = if p.required { store } else { quote!(Some(#store)) };
            let sd = doc1(&p.docs.first().cloned().unwrap_or_else(|| format!("The part `{}`.", p.wire.replace('`', "'"))));
            setters.push(quote! {
                #sd
                pub fn #id(mut self, value: #arg) -> Self {
                    self.#id = #store;
                    self
                }
            });
        }
        let mut sdocs = vec![format!(
            "The `multipart/form-data` parts of [`{group_type}::{}`].",
            shown(&op.method_name)
        )];
        if !docs.is_empty() {
            sdocs.push(String::new());
            sdocs.extend(docs.iter().cloned());
        }
        let sd = doc(&sdocs);
        let (derive_default, ctor) =
            super::constructor(&ctor_args, &ctor_inits, "No part set.", "The required parts; everything else unset.");
        quote! {
            #sd
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #t {
                #(#fields)*
            }

            impl #t {
                #ctor
                #(#setters)*
            }
        }
    }

    /// A setter's argument type for a part, and how to store `var`.
    fn part_arg(&self, kind: &PartKind, var: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
        match kind {
            PartKind::Value(ty) => self.setter_arg(ty, var),
            PartKind::File => (quote!(impl Into<rt::File>), quote!(#var.into())),
            PartKind::Files => (quote!(Vec<rt::File>), quote!(#var)),
        }
    }

    fn part_ty(&self, kind: &PartKind) -> TokenStream {
        match kind {
            PartKind::Value(ty) => self.ty(ty, At::Elsewhere),
            PartKind::File => quote!(rt::File),
            PartKind::Files => quote!(Vec<rt::File>),
        }
    }
}
