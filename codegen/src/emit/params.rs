//! Parameter structs (`<Group><Method>Params`): the query, header and
//! cookie parameters of one operation as fields with setters, dotted names
//! grouped under their prefix; and the lines that check each parameter and
//! put it on a [`Request`](crate) in the operation's request builder, one
//! line each, naming its style (the runtime does the encoding).

use super::{At, Emitter, doc, doc1, ident, shown};
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

impl Emitter<'_> {
    /// Argument type of a setter or constructor, and how to store it.
    pub(super) fn setter_arg(&self, ty: &Ty, var: &Ident) -> (TokenStream, TokenStream) {
        let t = self.ty(ty, At::Elsewhere);
        match ty {
            Ty::String | Ty::Named(_) | Ty::DateTime | Ty::Integer(IntWidth::I64 | IntWidth::U64 | IntWidth::I128) | Ty::Number => {
                (quote!(impl Into<#t>), quote!(#var.into()))
            }
            _ => (t, quote!(#var)),
        }
    }

    fn param_field(&self, p: &Param) -> TokenStream {
        let id = ident(&p.name);
        let t = self.ty(&p.ty, At::Elsewhere);
        let full = if p.required { t } else { quote!(Option<#t>) };
        let mut docs = p.docs.clone();
        // Where it goes, when the field name does not already say it.
        if docs.is_empty() || shown(&p.name) != p.wire || matches!(p.location, Location::Header | Location::Cookie) {
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(sent_as(p));
        }
        let d = doc(&docs);
        quote!(#d pub #id: #full,)
    }

    /// A setter; its doc is the field's first line, not a second copy of
    /// the field's docs.
    fn setter(&self, p: &Param) -> TokenStream {
        let id = ident(&p.name);
        let (arg, store) = self.setter_arg(&p.ty, &ident("value"));
        let store = if p.required { store } else { quote!(Some(#store)) };
        let first = p.docs.first().cloned().unwrap_or_else(|| sent_as(p));
        let d = doc1(&first);
        quote! {
            #d
            pub fn #id(mut self, value: #arg) -> Self {
                self.#id = #store;
                self
            }
        }
    }

    pub(super) fn params_struct(&self, ps: &ParamsStruct, group_type: &str, op: &Operation) -> TokenStream {
        let ParamsStruct { name, members } = ps;
        let name_id = ident(name);
        let (mut fields, mut setters, mut ctor_args, mut ctor_inits, mut groups) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for m in members {
            match m {
                ParamMember::Single(p) => {
                    fields.push(self.param_field(p));
                    let id = ident(&p.name);
                    if p.required {
                        let (arg, store) = self.setter_arg(&p.ty, &id);
                        ctor_args.push(quote!(#id: #arg));
                        ctor_inits.push(quote!(#id: #store,));
                    } else {
                        ctor_inits.push(quote!(#id: None,));
                    }
                    setters.push(self.setter(p));
                }
                ParamMember::Group(g) => {
                    let id = ident(&g.name);
                    let tid = ident(&g.type_name);
                    let gd = doc1(&format!("Parameters whose wire names start with `{}.`.", g.wire_prefix));
                    fields.push(quote!(#gd pub #id: #tid,));
                    ctor_inits.push(quote!(#id: #tid::default(),));
                    setters.push(quote! {
                        #gd
                        pub fn #id(mut self, value: #tid) -> Self {
                            self.#id = value;
                            self
                        }
                    });
                    groups.push(self.param_group(ps, g));
                }
            }
        }
        let sdoc = doc1(&format!("{} of [`{group_type}::{}`].", what_params(ps), shown(&op.method_name)));
        let (derive_default, ctor) = super::constructor(
            &ctor_args,
            &ctor_inits,
            "Nothing set; the server's defaults apply.",
            "The required parameters; everything else unset.",
        );
        quote! {
            #sdoc
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #name_id {
                #(#fields)*
            }

            impl #name_id {
                #ctor
                #(#setters)*
            }

            #(#groups)*
        }
    }

    /// The struct of the parameters sharing a dotted prefix.
    fn param_group(&self, ps: &ParamsStruct, g: &ParamGroup) -> TokenStream {
        let ParamGroup { name: _, wire_prefix, type_name, params } = g;
        let tid = ident(type_name);
        let gfields = params.iter().map(|p| self.param_field(p));
        let gsetters = params.iter().map(|p| self.setter(p));
        let gdoc = doc1(&format!("The `{wire_prefix}.*` parameters of [`{}`].", ps.name));
        quote! {
            #gdoc
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct #tid {
                #(#gfields)*
            }

            impl #tid {
                /// Nothing set.
                pub fn new() -> Self {
                    Self::default()
                }

                #(#gsetters)*
            }
        }
    }

    /// The lines of a request builder that check each query, header and cookie
    /// parameter and put it on `request`.
    pub(super) fn write_params(&self, ps: &ParamsStruct) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for m in &ps.members {
            match m {
                ParamMember::Single(p) => {
                    let id = ident(&p.name);
                    out.extend(self.write_param(p, quote!(params.#id)));
                }
                ParamMember::Group(g) => {
                    let gid = ident(&g.name);
                    for p in &g.params {
                        let id = ident(&p.name);
                        out.extend(self.write_param(p, quote!(params.#gid.#id)));
                    }
                }
            }
        }
        out
    }

    /// Checks one parameter (when the spec bounds it) and adds it.
    fn write_param(&self, p: &Param, access: TokenStream) -> Vec<TokenStream> {
        let wire = &p.wire;
        let mut out = Vec::new();
        if let Some(checks) = self.checks(p) {
            out.push(quote!(rt::check(#wire, &#access, #checks)?;));
        }
        let method = ident(match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        });
        let (style, explode) = style_args(p);
        out.push(quote!(request.#method(#wire, &#access, #style, #explode)?;));
        out
    }

    /// The runtime `Checks` of a parameter, when the spec bounds it.
    pub(super) fn checks(&self, p: &Param) -> Option<TokenStream> {
        let Checks { minimum, exclusive_minimum, maximum, exclusive_maximum, min_length, max_length } = &p.checks;
        let scalar = match &p.ty {
            Ty::Array(inner) => &**inner,
            other => other,
        };
        let mut calls = Vec::new();
        let bound = |v: f64| Literal::f64_unsuffixed(v);
        let count = |n: usize| Literal::usize_unsuffixed(n);
        match scalar {
            Ty::Integer(_) | Ty::Number => {
                if let Some(v) = minimum {
                    let v = bound(*v);
                    calls.push(if *exclusive_minimum { quote!(min_exclusive(#v)) } else { quote!(min(#v)) });
                }
                if let Some(v) = maximum {
                    let v = bound(*v);
                    calls.push(if *exclusive_maximum { quote!(max_exclusive(#v)) } else { quote!(max(#v)) });
                }
            }
            Ty::String => {
                if let Some(n) = min_length {
                    let n = count(*n);
                    calls.push(quote!(min_length(#n)));
                }
                if let Some(n) = max_length {
                    let n = count(*n);
                    calls.push(quote!(max_length(#n)));
                }
            }
            _ => {}
        }
        (!calls.is_empty()).then(|| quote!(rt::Checks::NONE #(.#calls)*))
    }
}

/// What a params struct holds, for docs: query and header parameters,
/// and cookies when there are some.
pub(super) fn what_params(ps: &ParamsStruct) -> &'static str {
    if ps.all().any(|p| p.location == Location::Cookie) {
        "Query, header and cookie parameters"
    } else {
        "Query and header parameters"
    }
}

/// The style and explode arguments of a runtime call.
pub(super) fn style_args(p: &Param) -> (TokenStream, bool) {
    let style = ident(p.style.as_str());
    (quote!(rt::Style::#style), p.explode)
}

/// Where a parameter goes, for docs.
fn sent_as(p: &Param) -> String {
    let place = match p.location {
        Location::Header => " (header)",
        Location::Cookie => " (cookie)",
        Location::Path | Location::Query => "",
    };
    format!("Sent as `{}`{place}.", p.wire)
}
