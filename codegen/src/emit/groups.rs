//! `api/<group>.rs` of the generated crate: the group's handle (what
//! `client.<group>()` returns), its operations' methods, and the parameter
//! structs, multipart part structs and reply enums they take and return
//! (error enums are in `errors.rs`).

use super::{Emitter, doc, ident, inner_doc};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    pub(super) fn group(&self, g: &Group) -> TokenStream {
        let Group { name, type_name, docs, operations } = g;
        let t = ident(type_name);
        let d = doc(docs);
        let md = inner_doc(docs);
        let (items, methods): (Vec<TokenStream>, Vec<TokenStream>) =
            operations.iter().map(|op| self.operation(op, name, type_name)).unzip();
        let params = operations.iter().filter_map(|op| op.params.as_ref().map(|p| self.params_struct(p, type_name, op)));
        let replies = operations.iter().filter_map(|op| op.reply_enum.as_ref().map(|n| self.reply_enum(n, type_name, op)));
        let errors = if operations.iter().any(|op| op.error_enum.is_some()) { quote!(use crate::errors;) } else { quote!() };
        let forms = operations.iter().filter_map(|op| match &op.body {
            Some(Body { kind: BodyKind::Multipart(m), .. }) => Some(self.multipart_struct(m, type_name, op)),
            _ => None,
        });
        quote! {
            #md

            // Short paths keep signatures on one line; neither name can
            // clash with an item here (types and handles are CamelCase,
            // request builders end in `_request`, statics are capitals),
            // and path parameters never take an item's name.
            use crate::runtime as rt;
            #[allow(unused_imports)]
            use crate::types;
            #errors

            // No constructor: `client.rs` builds it from the fields, so that
            // `with_options` is the only method an operation cannot be named.
            #d
            #[derive(Debug, Clone)]
            pub struct #t<'a> {
                pub(crate) client: &'a rt::Client,
                pub(crate) options: rt::RequestOptions,
            }

            impl #t<'_> {
                /// The same operations with other settings (timeout, retries,
                /// paging) than the client's.
                pub fn with_options(mut self, options: rt::RequestOptions) -> Self {
                    self.options = options;
                    self
                }

                #(#methods)*
            }

            #(#params)*
            #(#forms)*
            #(#replies)*
            #(#items)*
        }
    }
}
