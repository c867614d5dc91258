//! `errors.rs` of the generated crate: the error enums of operations whose
//! error statuses declare different bodies, one variant per declared error
//! status (its body typed, or none) and `Other` for the rest, with the one
//! line that has the runtime's `error_enum!` write its decoding. An enum
//! the same as an earlier operation's is an alias of it, so it is compiled
//! once; each exists with the features of the groups that use it (as the
//! types its variants hold do).

use super::{At, Emitter, doc, doc1, ident, inner_doc, shown};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

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
        // Each enum exists with the groups whose operations use it (itself
        // or by an alias), as the types its variants hold do.
        let mut users: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for (gi, g) in self.api.groups.iter().enumerate() {
            for e in g.operations.iter().filter_map(|op| op.error_enum.as_ref()) {
                users.entry(e.same_as.as_deref().unwrap_or(&e.name)).or_default().insert(gi);
            }
        }
        let items = self.api.groups.iter().enumerate().flat_map(|(gi, g)| {
            let users = &users;
            g.operations.iter().filter_map(move |op| {
                let e = op.error_enum.as_ref()?;
                let groups = match &e.same_as {
                    Some(_) => BTreeSet::from([gi]),
                    None => users[e.name.as_str()].clone(),
                };
                let cfg = self.cfg_for(&groups).unwrap_or_default();
                Some(self.error_enum(e, &g.type_name, op, &cfg))
            })
        });
        quote! {
            #docs

            // With only some groups' features on, some (or all) of these
            // are compiled out.
            #[allow(unused_imports)]
            use crate::runtime as rt;
            #[allow(unused_imports)]
            use crate::types;

            #(#items)*
        }
    }

    fn error_enum(&self, e: &ErrorEnum, group_type: &str, op: &Operation, cfg: &TokenStream) -> TokenStream {
        let t = ident(&e.name);
        let whose = format!("`{group_type}::{}`", shown(&op.method_name));
        if let Some(first) = &e.same_as {
            let d = doc1(&format!("The error replies of {whose}, by status: the same as [`{first}`]."));
            let first = ident(first);
            return quote! {
                #d
                #cfg
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
            #cfg
            #[derive(Debug, Clone, PartialEq)]
            pub enum #t {
                #(#variants,)*
                #other
                Other(rt::OtherError),
            }

            #cfg
            rt::error_enum!(#t { #(#arms),* });
        }
    }
}
