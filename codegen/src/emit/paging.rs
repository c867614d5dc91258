//! `<method>_pages` and `<method>_all` of paged operations. The runtime does
//! the paging (`rt::pages`); what is written here is the operation's scheme
//! and how to read a reply's position (items, totals, what leads on) and
//! take its items out, as field accesses along the model's field paths.

use super::operations::{Signature, request_fn};
use super::{At, Emitter, doc1, ident, shown};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl Emitter<'_> {
    /// The page and item streams of a paged operation.
    pub(super) fn paging_methods(&self, op: &Operation, paging: &Paging, sig: &Signature, group_type: &str) -> TokenStream {
        let Payload::Json(reply) = &op.success else { return quote!() };
        let (Some(pages), Some(all)) = (&op.variants.pages, &op.variants.all) else { return quote!() };
        let reply_t = self.ty(reply, At::Elsewhere);
        let err_t = self.error_ty(op);
        let item_t = self.ty(&paging.item_ty, At::Elsewhere);
        let (args, names) = (&sig.args, &sig.names);
        let builder = request_fn(op);
        let (pages, all) = (ident(pages), ident(all));
        let scheme = scheme(&paging.scheme);
        let size = match &paging.size {
            Some((wire, default)) => {
                let default = match default {
                    Some(d) => {
                        let d = Literal::u64_unsuffixed(*d);
                        quote!(Some(#d))
                    }
                    None => quote!(None),
                };
                quote!(Some((#wire, #default)))
            }
            None => quote!(None),
        };
        let info = page_info(paging);
        let take = take_items(&paging.items);
        let method = shown(&op.method_name);
        let how = describe(paging);
        let pages_doc = doc1(&format!(
            "Every page of [`{group_type}::{method}`], from the one the arguments ask for on; {how}. See \
             [`pages`](crate::runtime::pages) for when it stops and what goes ahead."
        ));
        let all_doc = doc1(&format!("Every item of every page of [`{group_type}::{method}`], in order."));
        quote! {
            #pages_doc
            pub fn #pages(&self, #(#args),*) -> impl futures_util::Stream<Item = rt::Result<#reply_t, #err_t>> + Send + 'static {
                let paging = rt::Paging::<#reply_t> { scheme: #scheme, size: #size, info: |reply| #info };
                rt::pages(self.client, &self.options, #builder(#(#names),*), paging)
            }

            #all_doc
            pub fn #all(&self, #(#args),*) -> impl futures_util::Stream<Item = rt::Result<#item_t, #err_t>> + Send + 'static {
                rt::items(self.#pages(#(#names),*), |reply: #reply_t| #take)
            }
        }
    }
}

fn scheme(s: &PagingScheme) -> TokenStream {
    match s {
        PagingScheme::Page { param, first } => {
            let first = Literal::u64_unsuffixed(*first);
            quote!(rt::Scheme::Page { param: #param, first: #first })
        }
        PagingScheme::Offset { param } => quote!(rt::Scheme::Offset { param: #param }),
        PagingScheme::Cursor { param } => quote!(rt::Scheme::Cursor { param: #param }),
        PagingScheme::NextUrl => quote!(rt::Scheme::NextUrl),
    }
}

/// The scheme in words, for docs.
fn describe(paging: &Paging) -> String {
    let how = match &paging.scheme {
        PagingScheme::Page { param, .. } => format!("pages are numbered by `{param}`"),
        PagingScheme::Offset { param } => format!("pages are offsets in `{param}`"),
        PagingScheme::Cursor { param } => {
            let from = match &paging.next {
                Some(NextFrom::LastItem(p)) => format!("the last item's `{}`", p.dotted()),
                Some(NextFrom::Field(p)) => format!("the reply's `{}`", p.dotted()),
                None => "the reply".to_owned(),
            };
            format!("each page is asked for with `{param}` set to {from}")
        }
        PagingScheme::NextUrl => match &paging.next {
            Some(NextFrom::Field(p)) => format!("each page is the URL the reply gives in `{}`", p.dotted()),
            _ => "each page is the URL the reply's `Link` header gives".to_owned(),
        },
    };
    let whence = if paging.declared { "as the options declare" } else { "as recognised from the spec" };
    format!("{how} ({whence})")
}

/// `Option<&T>` of the value at `path` inside `root` (a reference).
fn reach(root: TokenStream, path: &FieldPath) -> TokenStream {
    let mut steps = path.steps.iter();
    let Some(first) = steps.next() else { return quote!(Some(#root)) };
    let start = if first.optional { field_ref(&root, first) } else {
        let name = ident(&first.name);
        quote!(Some(&#root.#name))
    };
    follow(start, steps)
}

/// `Option<&T>` of an optional field of `owner` (a reference).
fn field_ref(owner: &TokenStream, step: &FieldStep) -> TokenStream {
    let name = ident(&step.name);
    if step.double { quote!(#owner.#name.as_ref().and_then(Option::as_ref)) } else { quote!(#owner.#name.as_ref()) }
}

/// `Option<&T>` of the value `steps` lead to from `start` (an `Option<&_>`).
fn follow<'a>(start: TokenStream, steps: impl Iterator<Item = &'a FieldStep>) -> TokenStream {
    steps.fold(start, |expr, step| {
        let name = ident(&step.name);
        if step.optional {
            let at = field_ref(&quote!(v), step);
            quote!(#expr.and_then(|v| #at))
        } else {
            quote!(#expr.map(|v| &v.#name))
        }
    })
}

/// The value at `path` as the `PageInfo` field needs it.
fn read(root: TokenStream, path: &FieldPath) -> TokenStream {
    let at = reach(root, path);
    match path.leaf {
        Leaf::Integer => quote!(#at.map(|v| *v as f64)),
        Leaf::Number | Leaf::Boolean => quote!(#at.copied()),
        Leaf::String => quote!(#at.map(rt::text)),
        Leaf::List => quote!(#at.map(Vec::len)),
    }
}

/// The items of `reply` as a slice (`&[T]`, empty when absent).
fn slice(path: &FieldPath) -> TokenStream {
    let Some((last, before)) = path.steps.split_last() else { return quote!(reply.as_slice()) };
    let name = ident(&last.name);
    let deref = |owner: TokenStream| match last.double {
        true => quote!(#owner.#name.as_ref().and_then(Option::as_deref)),
        false => quote!(#owner.#name.as_deref()),
    };
    if before.is_empty() {
        return match last.optional {
            true => {
                let at = deref(quote!(reply));
                quote!(#at.unwrap_or_default())
            }
            false => quote!(reply.#name.as_slice()),
        };
    }
    let outer = reach(quote!(reply), &FieldPath { steps: before.to_vec(), leaf: Leaf::List });
    match last.optional {
        true => {
            let at = deref(quote!(v));
            quote!(#outer.and_then(|v| #at).unwrap_or_default())
        }
        false => quote!(#outer.map(|v| v.#name.as_slice()).unwrap_or_default()),
    }
}

/// The `PageInfo` of `reply`.
fn page_info(paging: &Paging) -> TokenStream {
    let items = slice(&paging.items);
    let opt = |p: &Option<FieldPath>| match p {
        Some(p) => read(quote!(reply), p),
        None => quote!(None),
    };
    let (total_pages, total_count, per_page) = (opt(&paging.total_pages), opt(&paging.total_count), opt(&paging.per_page));
    let next = match &paging.next {
        // What leads on goes back as a query value: in its parameter form.
        Some(NextFrom::Field(p)) => {
            let at = reach(quote!(reply), p);
            quote!(#at.map(rt::text))
        }
        Some(NextFrom::LastItem(p)) => {
            let at = follow(quote!(items.last()), p.steps.iter());
            quote!(#at.map(rt::text))
        }
        None => quote!(None),
    };
    // Page numbers: a next link that is there or not says whether more follow.
    let has_more = match (&paging.has_more, &paging.scheme, &paging.next) {
        (Some(p), _, _) => read(quote!(reply), p),
        (None, PagingScheme::Page { .. }, Some(NextFrom::Field(_))) => quote!(Some(next.is_some())),
        _ => quote!(None),
    };
    quote! {{
        let items = #items;
        let next = #next;
        rt::PageInfo {
            items: items.len(),
            fingerprint: rt::fingerprint(items),
            total_pages: #total_pages,
            total_count: #total_count,
            per_page: #per_page,
            has_more: #has_more,
            next,
        }
    }}
}

/// The items moved out of an owned `reply`.
fn take_items(path: &FieldPath) -> TokenStream {
    let mut steps = path.steps.iter();
    let Some(first) = steps.next() else { return quote!(reply) };
    let owned = |owner: TokenStream, step: &FieldStep| {
        let name = ident(&step.name);
        if step.double { quote!(#owner.#name.flatten()) } else { quote!(#owner.#name) }
    };
    let (mut expr, mut optional) = (owned(quote!(reply), first), first.optional);
    for step in steps {
        let field = owned(quote!(v), step);
        expr = match (optional, step.optional) {
            (false, _) => owned(expr, step),
            (true, true) => quote!(#expr.and_then(|v| #field)),
            (true, false) => quote!(#expr.map(|v| #field)),
        };
        optional |= step.optional;
    }
    if optional { quote!(#expr.unwrap_or_default()) } else { expr }
}
