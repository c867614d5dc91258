//! `types.rs` of the generated crate: one Rust type per named schema, each
//! behind the cargo features of the groups that use it. Every type goes
//! both ways (`Serialize` and `Deserialize`, whatever direction the spec
//! uses it in), so a reply can be written back out as it came. Structs and
//! enums are written through the runtime's `serde_struct!`,
//! `string_enum!` and `int_enum!` macros, so their impls are one definition
//! instead of one copy per type.

use super::{At, Emitter, doc, doc1, feature_name, ident};
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

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
        Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => named(t, out),
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
                Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => has(t),
                _ => false,
            }
        }
        let in_types = self.api.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| has(&f.ty)),
            TypeKind::Union(u) => u.variants.iter().any(|v| has(&v.ty)),
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

    /// For each type, the groups whose operations reach it (through
    /// parameters, bodies or replies).
    fn reach(&self) -> Vec<BTreeSet<usize>> {
        let types = &self.api.types;
        let mut reach: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
        for (gi, g) in self.api.groups.iter().enumerate() {
            let mut stack = Vec::new();
            for op in &g.operations {
                for p in &op.path_params {
                    named(&p.ty, &mut stack);
                }
                for p in op.params.iter().flat_map(|ps| ps.all()) {
                    named(&p.ty, &mut stack);
                }
                for t in op.body.iter().flat_map(body_types) {
                    named(t, &mut stack);
                }
                for t in op.received_types() {
                    named(t, &mut stack);
                }
            }
            while let Some(id) = stack.pop() {
                if !reach[id.0].insert(gi) {
                    continue;
                }
                match &types[id.0].kind {
                    TypeKind::Struct(st) => {
                        st.fields.iter().for_each(|f| named(&f.ty, &mut stack));
                        st.extra.iter().for_each(|e| named(&e.value, &mut stack));
                    }
                    TypeKind::Union(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut stack)),
                    TypeKind::Alias(t) => named(t, &mut stack),
                    TypeKind::Enum(_) | TypeKind::Pending => {}
                }
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
        let items = order.iter().filter(|(i, _)| !reach[*i].is_empty()).map(|(i, t)| {
            let cfg = self.cfg_for(&reach[*i]).unwrap_or_default();
            self.typedef(t, &cfg)
        });
        quote! {
            //! Types of request and reply bodies and of parameters, from the
            //! spec's schemas. Each one reads and writes JSON both ways and
            //! loses nothing on the way: properties a schema does not name
            //! are kept in the struct's `additional_properties` map and
            //! written back, unknown enum values are kept as sent, absent and
            //! `null` stay apart where the schema allows both.
            #(#items)*
        }
    }

    /// A string or integer enum: the enum with its docs, and the impls
    /// every such enum has (text, serde, parameters) through the runtime's
    /// `string_enum!` or `int_enum!`.
    fn enumeration(&self, name: &Ident, d: &TokenStream, e: &EnumDef, cfg: &TokenStream) -> TokenStream {
        let EnumDef { integer, values, other } = e;
        let other = ident(other);
        let variants = values.iter().map(|v| {
            let id = ident(&v.name);
            let shown = format!("`{}`", v.wire.replace('`', "'"));
            let vd = if v.docs.is_empty() {
                doc1(&shown)
            } else {
                let mut lines = v.docs.clone();
                lines.extend([String::new(), shown]);
                doc(&lines)
            };
            quote!(#vd #id,)
        });
        let pairs = values.iter().map(|v| {
            let id = ident(&v.name);
            let lit = if *integer {
                Literal::i64_unsuffixed(v.wire.parse().unwrap_or_default())
            } else {
                Literal::string(&v.wire)
            };
            quote!(#id = #lit)
        });
        let (payload, derives, mac) = if *integer {
            (quote!(i64), quote!(Debug, Clone, Copy, PartialEq, Eq, Hash), quote!(int_enum))
        } else {
            (self.prelude("String", At::Types), quote!(Debug, Clone, PartialEq, Eq, Hash), quote!(string_enum))
        };
        quote! {
            #cfg
            #d
            #[derive(#derives)]
            pub enum #name {
                #(#variants)*
                /// A value this version of the client does not know; kept as sent.
                #other(#payload),
            }

            #cfg
            crate::runtime::#mac!(#name, #other { #(#pairs),* });
        }
    }

    /// A type and its impls, each behind `cfg` (the features that need it).
    fn typedef(&self, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
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
            TypeKind::Struct(s) => self.strukt(&name_id, &d, s, cfg),
            TypeKind::Enum(e) => self.enumeration(&name_id, &d, e, cfg),
            TypeKind::Union(u) => match &u.tag {
                None => self.union(&name_id, &d, &u.variants, cfg),
                Some(tag) => self.tagged(&name_id, &d, u, tag, cfg),
            },
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

    /// A struct, with both serde impls from the runtime's `serde_struct!`.
    fn strukt(&self, name: &Ident, d: &TokenStream, s: &Struct, cfg: &TokenStream) -> TokenStream {
        let Struct { fields, all_optional, extra } = s;
        let mut serde_fields = Vec::new();
        // The constructor's parameters (the required fields) and every
        // field's initial value.
        let (mut ctor_params, mut ctor_inits) = (Vec::new(), Vec::new());
        let (boxed_t, option_t) = (self.prelude("Box", At::Types), self.prelude("Option", At::Types));
        let fields: Vec<TokenStream> = fields
            .iter()
            .map(|f| {
                let Field { name, wire, ty, required, nullable: _, boxed, lenient, holds_null, docs } = f;
                let id = ident(name);
                let mut base = self.ty(ty, At::Types);
                if *boxed {
                    base = quote!(#boxed_t<#base>);
                }
                let presence = f.presence();
                let full = match presence {
                    Presence::Required => base,
                    Presence::Optional | Presence::RequiredNullable => quote!(#option_t<#base>),
                    Presence::Nullable => quote!(#option_t<#option_t<#base>>),
                };
                if *required {
                    ctor_params.push(quote!(#id: #full));
                    ctor_inits.push(quote!(#id));
                } else {
                    ctor_inits.push(quote!(#id: None));
                }
                let kind = match presence {
                    Presence::Required => "required",
                    Presence::RequiredNullable => "always",
                    Presence::Nullable => "nullable",
                    Presence::Optional if *lenient && !*boxed => "lenient",
                    Presence::Optional if *holds_null => "value",
                    Presence::Optional => "",
                };
                let kind = match (kind, has_numbers(ty)) {
                    ("", true) => "number".to_owned(),
                    (k, true) => format!("{k}_number"),
                    (k, false) => k.to_owned(),
                };
                let kind = (!kind.is_empty()).then(|| ident(&kind));
                // The property name is written only where the field name is not it.
                let rename = if super::shown(name) == *wire { quote!() } else { quote!(= #wire) };
                serde_fields.push(quote!(#id #rename #kind));
                let mut docs = if docs.is_empty() { vec![format!("`{wire}`.")] } else { docs.clone() };
                if presence == Presence::Nullable {
                    docs.extend([
                        String::new(),
                        format!("`None`: `{wire}` is not there; `Some(None)`: it is `null`."),
                    ]);
                }
                let fd = doc(&docs);
                quote! {
                    #fd
                    pub #id: #full,
                }
            })
            .collect();
        let (extra_field, extra_arg) = match extra {
            Some(ExtraField { name, value }) => {
                let id = ident(name);
                let map = match value {
                    Ty::Json => self.ty(&Ty::JsonObject, At::Types),
                    v => self.ty(&Ty::Map(Box::new(v.clone())), At::Types),
                };
                let kind = if has_numbers(value) { quote!(number) } else { quote!() };
                (
                    quote! {
                        /// The properties the schema does not name, as received; written back
                        /// after the others.
                        pub #id: #map,
                    },
                    quote!(, #id #kind),
                )
            }
            None => (quote!(), quote!()),
        };
        let default = if *all_optional { quote!(Default,) } else { quote!() };
        // With required fields there is no `Default`: a constructor takes
        // them, and the others can follow (`Point { label: .., ..Point::new(1, 2) }`),
        // so a property a later version adds breaks no caller.
        let ctor = if *all_optional {
            quote!()
        } else {
            if let Some(e) = extra {
                let id = ident(&e.name);
                ctor_inits.push(quote!(#id: ::std::default::Default::default()));
            }
            let many = if ctor_params.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
            quote! {
                #cfg
                impl #name {
                    /// A value with the required properties; the others absent.
                    #many
                    pub fn new(#(#ctor_params),*) -> Self {
                        Self { #(#ctor_inits),* }
                    }
                }
            }
        };
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name {
                #(#fields)*
                #extra_field
            }

            #cfg
            crate::runtime::serde_struct!(#name { #(#serde_fields),* } #extra_arg);
            #ctor
        }
    }

    fn union(&self, name: &Ident, d: &TokenStream, vs: &[UnionVariant], cfg: &TokenStream) -> TokenStream {
        let (boxed_t, from_t) = (self.prelude("Box", At::Types), self.prelude("From", At::Types));
        let variants = vs.iter().map(|v| {
            let UnionVariant { tag: _, name, ty, boxed, docs } = v;
            let id = ident(name);
            let mut t = self.ty(ty, At::Types);
            if *boxed {
                t = quote!(#boxed_t<#t>);
            }
            let docs = if docs.is_empty() { vec![format!("A `{name}`.")] } else { docs.clone() };
            let vd = doc(&docs);
            let whole = if has_numbers(ty) {
                quote!(#[serde(serialize_with = "crate::runtime::whole_numbers")])
            } else {
                quote!()
            };
            quote!(#vd #whole #id(#t),)
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
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
            #(#froms)*
        }
    }
}

impl Emitter<'_> {
    /// A union whose alternatives are told apart by a property's value,
    /// with a catch-all for tags this version does not know, through the
    /// runtime's `tagged_union!`.
    fn tagged(&self, name: &Ident, d: &TokenStream, u: &Union, tag: &Tag, cfg: &TokenStream) -> TokenStream {
        let (boxed_t, from_t) = (self.prelude("Box", At::Types), self.prelude("From", At::Types));
        let Tag { property, other } = tag;
        let other = ident(other);
        let mut variants = Vec::new();
        let mut pairs = Vec::new();
        let mut froms = Vec::new();
        for v in &u.variants {
            let UnionVariant { tag, name: vname, ty, boxed, docs } = v;
            let id = ident(vname);
            let t = self.ty(ty, At::Types);
            let full = if *boxed { quote!(#boxed_t<#t>) } else { t.clone() };
            let value = tag.clone().unwrap_or_default();
            let mut lines = if docs.is_empty() { Vec::new() } else { docs.clone() };
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("`{property}` is `{}`.", value.replace('`', "'")));
            let vd = doc(&lines);
            variants.push(quote!(#vd #id(#full),));
            pairs.push(quote!(#value => #id));
            // A type several tags share cannot say which one it is.
            if u.variants.iter().filter(|o| o.ty == *ty).count() > 1 {
                continue;
            }
            let wrap = if *boxed { quote!(#boxed_t::new(value)) } else { quote!(value) };
            froms.push(quote! {
                #cfg
                impl #from_t<#t> for #name {
                    fn from(value: #t) -> Self {
                        #name::#id(#wrap)
                    }
                }
            });
        }
        let other_doc = doc1(&format!("A value whose `{property}` this version of the client does not know; kept as sent."));
        quote! {
            #cfg
            #d
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
                #other_doc
                #other(serde_json::Value),
            }

            #cfg
            crate::runtime::tagged_union!(#name, #property, #other { #(#pairs),* });
            #(#froms)*
        }
    }
}

/// Whether a type is made of numbers (`f64`s, in lists and maps), which
/// are written back without a fraction when whole.
fn has_numbers(ty: &Ty) -> bool {
    match ty {
        Ty::Number => true,
        Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => has_numbers(t),
        _ => false,
    }
}
