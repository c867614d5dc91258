//! `errors.rs` of the generated crate: the error enums of operations whose
//! error statuses declare different bodies, one variant per declared error
//! status (its body typed, or none) and `Other` for the rest, with the one
//! line that has the runtime's `error_enum!` write its decoding. An enum
//! the same as an earlier operation's is an alias of it, so it is compiled
//! once; the module is not behind a group's feature for that reason.

use super::{At, Emitter, doc, doc1, ident, inner_doc, shown};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl Emitter<'_> {
    /// The operation's error type: its enum, its one declared shape, or
    /// any JSON value.
    pub(super) fn error_ty(&self, op: &Operation) -> TokenStream {
        match (&op.error_enum, &op.error) {
            (Some(e), _) => {
                let t = ident(&e.name);
                quote!(errors::#t)
            }
            (None, Some(t)) => self.ty(t, At::Elsewhere),
            (None, None) => quote!(serde_json::Value),
        }
    }

    /// The whole `errors.rs`.
    pub(super) fn errors(&self) -> TokenStream {
        let docs = inner_doc(&[
            "Error types of the operations whose error statuses declare different bodies: an enum by status,".to_owned(),
            "the `body` of [`ApiError`](crate::runtime::ApiError). Operations that declare the same statuses and".to_owned(),
            "bodies share one enum (the others' names are aliases of it).".to_owned(),
        ]);
        let items = self.api.groups.iter().flat_map(|g| {
            g.operations.iter().filter_map(move |op| op.error_enum.as_ref().map(|e| self.error_enum(e, &g.type_name, op)))
        });
        quote! {
            #docs

            use crate::runtime as rt;
            #[allow(unused_imports)]
            use crate::types;

            #(#items)*
        }
    }

    fn error_enum(&self, e: &ErrorEnum, group_type: &str, op: &Operation) -> TokenStream {
        let t = ident(&e.name);
        let whose = format!("`{group_type}::{}`", shown(&op.method_name));
        if let Some(first) = &e.same_as {
            let d = doc1(&format!("The error replies of {whose}, by status: the same as [`{first}`]."));
            let first = ident(first);
            return quote! {
                #d
                pub type #t = #first;
            };
        }
        let d = doc(&[
            format!("The error replies of {whose}, by status: each declared error status with its body typed."),
            String::new(),
            "It is the `body` of [`ApiError`](rt::ApiError) (always set) and of an [`EventError`](rt::EventError) \
             (the first declared shape the event's data fits)."
                .to_owned(),
        ]);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        for v in &e.variants {
            let name = ident(&super::operations::reply_variant(v.status));
            let (low, high) = super::operations::status_range(v.status);
            let (low, high) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
            let status = match v.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(d) => format!("{d}XX"),
                StatusMatch::Default => "default".to_owned(),
            };
            let text = crate::docs::clean(&v.description).join(" ");
            let vd = if text.is_empty() { doc1(&format!("`{status}`")) } else { doc1(&format!("`{status}`: {text}")) };
            match &v.ty {
                Some(ty) => {
                    let ty = self.ty(ty, At::Elsewhere);
                    variants.push(quote!(#vd #name(#ty)));
                    arms.push(quote!((#low, #high) => #name(#ty)));
                }
                None => {
                    variants.push(quote!(#vd #name));
                    arms.push(quote!((#low, #high) => #name));
                }
            }
        }
        let other = doc1("A status not declared here, or a body that does not decode as its status declares: the status and the bytes.");
        quote! {
            #d
            #[derive(Debug, Clone, PartialEq)]
            pub enum #t {
                #(#variants,)*
                #other
                Other(rt::OtherError),
            }

            rt::error_enum!(#t { #(#arms),* });
        }
    }
}
