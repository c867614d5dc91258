//! `types.rs` of the generated crate: one Rust type per named schema, each
//! behind the cargo features of the groups that use it, deriving serde only
//! in the directions it travels. String enums are written through the
//! runtime's `string_enum!` macro, so their many small impls are one
//! definition instead of one copy per enum.

use super::{At, Emitter, doc, doc1, feature_name, ident};
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// Who needs a type.
#[derive(Debug, Clone, Default)]
struct Reach {
    /// Groups whose operations reach it.
    groups: BTreeSet<usize>,
    /// Part of a request body.
    sent: bool,
    /// Part of a reply.
    received: bool,
    /// Part of a parameter (written through `Serialize`).
    param: bool,
}

impl Reach {
    /// Whether it needs `Serialize` and `Deserialize`: only the directions
    /// it travels (deriving both for every reply type would double the
    /// serde code of a large API), both for a type that travels neither
    /// way or only in parameters (users parse and print those).
    fn directions(&self) -> (bool, bool) {
        let ser = self.sent || self.param || !self.received;
        let de = self.received || !self.sent;
        (ser, de)
    }

    fn serde_derives(&self) -> TokenStream {
        match self.directions() {
            (true, false) => quote!(serde::Serialize),
            (false, true) => quote!(serde::Deserialize),
            _ => quote!(serde::Serialize, serde::Deserialize),
        }
    }
}

/// The types a request body sends.
fn body_types(body: &Body) -> Vec<&Ty> {
    match &body.kind {
        BodyKind::Json(t) => vec![t],
        BodyKind::Form(f) => vec![&f.ty],
        BodyKind::Multipart(m) => m
            .parts
            .iter()
            .filter_map(|p| match &p.kind {
                PartKind::Value(t) => Some(t),
                PartKind::File | PartKind::Files => None,
            })
            .collect(),
        BodyKind::CallerForm | BodyKind::Raw(_) => Vec::new(),
    }
}

/// Collects the named types `ty` refers to directly.
fn named(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Array(t) | Ty::Map(t) => named(t, out),
        _ => {}
    }
}

impl Emitter<'_> {
    /// Whether any type or operation uses `uuid::Uuid` (the crate then
    /// depends on `uuid`).
    pub(super) fn uses_uuid(&self) -> bool {
        fn has(ty: &Ty) -> bool {
            match ty {
                Ty::Uuid => true,
                Ty::Array(t) | Ty::Map(t) => has(t),
                _ => false,
            }
        }
        let in_types = self.api.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| has(&f.ty)),
            TypeKind::Union(vs) => vs.iter().any(|v| has(&v.ty)),
            _ => false,
        });
        let in_ops = self.api.groups.iter().flat_map(|g| &g.operations).any(|op| {
            op.path_params.iter().any(|p| has(&p.ty))
                || op.params.as_ref().is_some_and(|ps| ps.all().any(|p| has(&p.ty)))
                || op.body.iter().flat_map(body_types).any(has)
                || op.received_types().any(has)
        });
        in_types || in_ops
    }

    /// For each type, the groups whose operations reach it, and whether it
    /// is sent (needs `Serialize`) or received (needs `Deserialize`).
    fn reach(&self) -> Vec<Reach> {
        let types = &self.api.types;
        let mut reach: Vec<Reach> = vec![Reach::default(); types.len()];
        // (type, sent, received, param)
        let mut visit = |roots: Vec<TypeId>, gi: usize, sent: bool, received: bool, param: bool| {
            let mut stack = roots;
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                let r = &mut reach[id.0];
                r.groups.insert(gi);
                r.sent |= sent;
                r.received |= received;
                r.param |= param;
                match &types[id.0].kind {
                    TypeKind::Struct(st) => st.fields.iter().for_each(|f| named(&f.ty, &mut stack)),
                    TypeKind::Union(vs) => vs.iter().for_each(|v| named(&v.ty, &mut stack)),
                    TypeKind::Alias(t) => named(t, &mut stack),
                    TypeKind::Enum(_) | TypeKind::Pending => {}
                }
            }
        };
        for (gi, g) in self.api.groups.iter().enumerate() {
            for op in &g.operations {
                let mut params = Vec::new();
                for p in &op.path_params {
                    named(&p.ty, &mut params);
                }
                for p in op.params.iter().flat_map(|ps| ps.all()) {
                    named(&p.ty, &mut params);
                }
                visit(params, gi, false, false, true);
                let mut sent = Vec::new();
                for t in op.body.iter().flat_map(body_types) {
                    named(t, &mut sent);
                }
                visit(sent, gi, true, false, false);
                let mut received = Vec::new();
                for t in op.received_types() {
                    named(t, &mut received);
                }
                visit(received, gi, false, true, false);
            }
        }
        reach
    }

    /// `#[cfg(...)]` for code needed by some groups only; nothing when every
    /// group needs it.
    pub(super) fn cfg_for(&self, groups: &BTreeSet<usize>) -> Option<TokenStream> {
        if groups.len() == self.api.groups.len() {
            return None;
        }
        let features: Vec<String> = groups.iter().map(|g| feature_name(&self.api.groups[*g].name)).collect();
        Some(match features.as_slice() {
            // clippy's `non_minimal_cfg` rejects `any` of one.
            [one] => quote!(#[cfg(feature = #one)]),
            _ => quote!(#[cfg(any(#(feature = #features),*))]),
        })
    }

    pub(super) fn types(&self) -> TokenStream {
        let reach = self.reach();
        let mut order: Vec<(usize, &TypeDef)> = self.api.types.iter().enumerate().collect();
        order.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        let items = order.iter().filter(|(i, _)| !reach[*i].groups.is_empty()).map(|(i, t)| {
            let cfg = self.cfg_for(&reach[*i].groups).unwrap_or_default();
            self.typedef(t, &reach[*i], &cfg)
        });
        quote! {
            //! Types of request and reply bodies and of parameters, from the
            //! spec's schemas. Unknown fields in replies are ignored and
            //! unknown enum values are kept, so new API versions do not break
            //! decoding.
            #(#items)*
        }
    }

    /// A string enum: the enum with its docs, and the impls every string
    /// enum has (text, serde, parameters) through the runtime's
    /// `string_enum!`.
    fn string_enum(&self, name: &Ident, d: &TokenStream, e: &StringEnum, cfg: &TokenStream) -> TokenStream {
        let StringEnum { values, other } = e;
        let other = ident(other);
        let string = self.prelude("String", At::Types);
        let variants = values.iter().map(|v| {
            let id = ident(&v.name);
            let vd = doc1(&format!("`{}`", v.wire.replace('`', "'")));
            quote!(#vd #id,)
        });
        let pairs = values.iter().map(|v| {
            let id = ident(&v.name);
            let lit = Literal::string(&v.wire);
            quote!(#id = #lit)
        });
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
                /// A value this version of the client does not know; kept as sent.
                #other(#string),
            }

            #cfg
            crate::runtime::string_enum!(#name, #other { #(#pairs),* });
        }
    }

    /// A type and its impls, each behind `cfg` (the features that need it).
    fn typedef(&self, t: &TypeDef, reach: &Reach, cfg: &TokenStream) -> TokenStream {
        let TypeDef { name, docs, kind, component: _ } = t;
        let name_id = ident(name);
        let docs = if docs.is_empty() { vec![format!("The `{name}` schema.")] } else { docs.clone() };
        let d = doc(&docs);
        match kind {
            TypeKind::Pending => quote! {
                #cfg
                #d
                pub type #name_id = serde_json::Value;
            },
            TypeKind::Struct(s) => self.strukt(&name_id, &d, s, reach, cfg),
            TypeKind::Enum(e) => self.string_enum(&name_id, &d, e, cfg),
            TypeKind::Union(vs) => self.union(&name_id, &d, vs, reach, cfg),
            TypeKind::Alias(ty) => {
                let t = self.ty(ty, At::Types);
                quote! {
                    #cfg
                    #d
                    pub type #name_id = #t;
                }
            }
        }
    }

    /// A struct: `Serialize` derived when it is sent, `Deserialize` through
    /// the runtime's `deserialize_struct!` when it is received.
    fn strukt(&self, name: &Ident, d: &TokenStream, s: &Struct, reach: &Reach, cfg: &TokenStream) -> TokenStream {
        let Struct { fields, all_optional } = s;
        let (ser, de) = reach.directions();
        let mut de_fields = Vec::new();
        let (boxed_t, option_t) = (self.prelude("Box", At::Types), self.prelude("Option", At::Types));
        // serde reads this path in `types.rs`, where `Option` may be a schema.
        let is_none = if self.shadowed.contains("Option") { "::std::option::Option::is_none" } else { "Option::is_none" };
        let fields: Vec<TokenStream> = fields
            .iter()
            .map(|f| {
                let Field { name, wire, ty, required, nullable, boxed, lenient, docs } = f;
                let id = ident(name);
                let mut base = self.ty(ty, At::Types);
                if *boxed {
                    base = quote!(#boxed_t<#base>);
                }
                let optional = !required || *nullable;
                let full = if optional { quote!(#option_t<#base>) } else { base };
                let kind = match (optional, *lenient && !*boxed) {
                    (false, _) => quote!(required),
                    (true, true) => quote!(lenient),
                    (true, false) => quote!(),
                };
                // The property name is written only where the field name is not it.
                let rename = if super::shown(name) == *wire { quote!() } else { quote!(= #wire) };
                de_fields.push(quote!(#id #rename #kind));
                let mut attrs = Vec::new();
                if super::module_file(name) != *wire {
                    attrs.push(quote!(rename = #wire));
                }
                if !required {
                    attrs.push(quote!(skip_serializing_if = #is_none));
                }
                let serde = if attrs.is_empty() || !ser { quote!() } else { quote!(#[serde(#(#attrs),*)]) };
                let docs = if docs.is_empty() { vec![format!("`{wire}`.")] } else { docs.clone() };
                let fd = doc(&docs);
                quote! {
                    #fd
                    #serde
                    pub #id: #full,
                }
            })
            .collect();
        let default = if *all_optional { quote!(Default,) } else { quote!() };
        let serialize = if ser { quote!(serde::Serialize,) } else { quote!() };
        let deserialize = if de {
            quote! {
                #cfg
                crate::runtime::deserialize_struct!(#name { #(#de_fields),* });
            }
        } else {
            quote!()
        };
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, #default #serialize)]
            pub struct #name {
                #(#fields)*
            }

            #deserialize
        }
    }

    fn union(
        &self,
        name: &Ident,
        d: &TokenStream,
        vs: &[UnionVariant],
        reach: &Reach,
        cfg: &TokenStream,
    ) -> TokenStream {
        let (boxed_t, from_t) = (self.prelude("Box", At::Types), self.prelude("From", At::Types));
        let variants = vs.iter().map(|v| {
            let UnionVariant { name, ty, boxed, docs } = v;
            let id = ident(name);
            let mut t = self.ty(ty, At::Types);
            if *boxed {
                t = quote!(#boxed_t<#t>);
            }
            let docs = if docs.is_empty() { vec![format!("A `{name}`.")] } else { docs.clone() };
            let vd = doc(&docs);
            quote!(#vd #id(#t),)
        });
        let mut froms = Vec::new();
        for v in vs {
            let id = ident(&v.name);
            let t = self.ty(&v.ty, At::Types);
            let wrap = if v.boxed { quote!(#boxed_t::new(value)) } else { quote!(value) };
            froms.push(quote! {
                #cfg
            impl #from_t<#t> for #name {
                    fn from(value: #t) -> Self {
                        #name::#id(#wrap)
                    }
                }
            });
            if v.ty == Ty::String {
                froms.push(quote! {
                    #cfg
            impl #from_t<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#id(value.to_owned())
                        }
                    }
                });
            }
            if v.ty == Ty::DateTime && !vs.iter().any(|o| o.ty == Ty::Json) {
                froms.push(quote! {
                    #cfg
            impl #from_t<chrono::DateTime<chrono::Utc>> for #name {
                        fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
                            #name::#id(value.fixed_offset())
                        }
                    }
                });
            }
        }
        let serde = reach.serde_derives();
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, #serde)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
            #(#froms)*
        }
    }
}
