//! `<method>_pages` and `<method>_all` of paged operations: the runtime does
//! the paging; what is written here is how to read a reply's position
//! (items, totals) and how to take its items out.

use super::operations::{Signature, request_fn};
use super::{At, Emitter, doc1, ident, shown};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// The page and item streams of a page-numbered operation.
    pub(super) fn paging_methods(&self, op: &Operation, paging: &Paging, sig: &Signature, group_type: &str) -> TokenStream {
        let Paging { page_field, page_ty, items_field, items_optional, item_ty, info } = paging;
        let Payload::Json(reply) = &op.success else { return quote!() };
        let (Some(pages), Some(all)) = (&op.variants.pages, &op.variants.all) else { return quote!() };
        let reply_t = self.ty(reply, At::Elsewhere);
        let err_t = self.error_ty(op);
        let item_t = self.ty(item_ty, At::Elsewhere);
        let (args, names) = (&sig.args, &sig.names);
        let builder = request_fn(op);
        let (pages, all) = (ident(pages), ident(all));
        let page = ident(page_field);
        let items = ident(items_field);
        let start = match page_ty {
            Ty::Number => quote!(params.#page.filter(|p| *p >= 1.0).map_or(1, |p| p as u64)),
            _ => quote!(params.#page.and_then(|p| u64::try_from(p).ok()).filter(|p| *p >= 1).unwrap_or(1)),
        };
        let (items_ref, items_take) = if *items_optional {
            (quote!(reply.#items.as_deref().unwrap_or_default()), quote!(reply.#items.unwrap_or_default()))
        } else {
            (quote!(reply.#items.as_slice()), quote!(reply.#items))
        };
        let info = self.page_info(info.as_ref(), &items_ref);
        let method = shown(&op.method_name);
        let pages_doc = doc1(&format!(
            "Every page of [`{group_type}::{method}`], from `params.{}` (or the first) on; see \
             [`paginate`](rt::paginate) for when it stops.",
            shown(page_field)
        ));
        let all_doc = doc1(&format!("Every item of every page of [`{group_type}::{method}`], in order."));
        let wire = op.params.as_ref().and_then(|ps| ps.all().find(|p| &p.name == page_field)).map(|p| p.wire.clone());
        let wire = wire.unwrap_or_else(|| page_field.clone());
        quote! {
            #pages_doc
            pub fn #pages(&self, #(#args),*) -> impl futures_util::Stream<Item = rt::Result<#reply_t, #err_t>> + Send + 'static {
                let start = #start;
                let info: fn(&#reply_t) -> rt::PageInfo = |reply| #info;
                rt::page_numbers(self.client, &self.options, #builder(#(#names),*), #wire, start, info)
            }

            #all_doc
            pub fn #all(&self, #(#args),*) -> impl futures_util::Stream<Item = rt::Result<#item_t, #err_t>> + Send + 'static {
                rt::items(self.#pages(#(#names),*), |reply: #reply_t| #items_take)
            }
        }
    }

    /// A `PageInfo` expression read from `reply`.
    fn page_info(&self, info: Option<&PagingInfo>, items_ref: &TokenStream) -> TokenStream {
        let base = quote! {
            items: #items_ref.len(),
            fingerprint: rt::fingerprint(#items_ref),
        };
        let info = info.filter(|i| i.total_pages.is_some() || i.total_count.is_some() || i.per_page.is_some());
        let Some(PagingInfo { field, optional, total_pages, total_count, per_page }) = info else {
            return quote!(rt::PageInfo { #base ..Default::default() });
        };
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
            rt::PageInfo { #base total_pages: #tp, total_count: #tc, per_page: #pp }
        }}
    }
}
