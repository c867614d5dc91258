//! `client.rs` of the generated crate: the API's description for the
//! runtime (base URL, schemes, environment variables), the typed
//! credentials and their builder setters, and one accessor per group.
//! The client itself (building, sending, retrying) is the runtime's.

use super::{Emitter, doc, doc1, feature_name, ident};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl Emitter<'_> {
    /// Security alternatives as indexes into the API's schemes (what a
    /// client needs at least one of).
    fn scheme_indexes(&self, alts: &[Vec<Requirement>]) -> TokenStream {
        let alts = alts.iter().map(|alt| {
            let idx = alt.iter().map(|r| Literal::usize_unsuffixed(r.scheme));
            quote!(&[#(#idx),*])
        });
        quote!(&[#(#alts),*])
    }

    /// Security alternatives as the runtime's `Security` has them: each
    /// scheme's index with the scopes the operation needs of it.
    fn scheme_alternatives(&self, alts: &[Vec<Requirement>]) -> TokenStream {
        let alts = alts.iter().map(|alt| {
            let needs = alt.iter().map(|r| {
                let i = Literal::usize_unsuffixed(r.scheme);
                let scopes = &r.scopes;
                quote!((#i, &[#(#scopes),*]))
            });
            quote!(&[#(#needs),*])
        });
        quote!(&[#(#alts),*])
    }

    /// Security alternatives in words (`api_token, or api_email + api_key`).
    pub(super) fn accepted_text(&self, alternatives: &[Vec<Requirement>]) -> String {
        alternatives
            .iter()
            .map(|alt| alt.iter().map(|r| self.api.security[r.scheme].name.clone()).collect::<Vec<_>>().join(" + "))
            .collect::<Vec<_>>()
            .join(", or ")
    }

    pub(super) fn client(&self) -> TokenStream {
        let api = self.api;
        let (default_base, default_base_expr) = match &api.base_url {
            Some(u) => (
                quote!(
                    /// The base URL from the spec's `servers`.
                    pub const DEFAULT_BASE_URL: &str = #u;
                ),
                quote!(Some(DEFAULT_BASE_URL)),
            ),
            None => (quote!(), quote!(None)),
        };
        let request_id = match &api.request_id_header {
            Some(h) => quote!(Some(#h)),
            None => quote!(None),
        };
        let base_env = &api.base_url_env;
        let schemes = api.security.iter().map(|s| {
            let SecurityScheme { wire, name: _, env, kind, docs: _ } = s;
            let kind = match kind {
                SchemeKind::Bearer => quote!(Bearer),
                SchemeKind::Basic => quote!(Basic),
                SchemeKind::Http(scheme) => quote!(Http(#scheme)),
                SchemeKind::Header(h) => {
                    let h = h.to_ascii_lowercase();
                    quote!(Header(#h))
                }
                SchemeKind::Query(q) => quote!(Query(#q)),
                SchemeKind::Cookie(c) => quote!(Cookie(#c)),
                SchemeKind::OAuth2 { token_url: Some(url) } => quote!(OAuth2 { token_url: Some(#url) }),
                SchemeKind::OAuth2 { token_url: None } => quote!(OAuth2 { token_url: None }),
                SchemeKind::OpenIdConnect(url) => quote!(OpenIdConnect { url: #url }),
                SchemeKind::MutualTls => quote!(MutualTls),
            };
            let env = env.iter().map(|e| &e.name);
            quote!(crate::runtime::SchemeSpec { name: #wire, kind: crate::runtime::SchemeKind::#kind, env: &[#(#env),*] },)
        });
        let require_creds = !api.default_security.is_empty() && !api.default_security_optional;
        let required = if require_creds { self.scheme_indexes(&api.default_security) } else { quote!(&[]) };
        let accepted = self.accepted_text(&api.default_security);
        let credentials = self.credentials();
        let setters = self.credential_setters();
        let accessors = self.group_accessors();
        let sets = self.security_sets.iter().map(|(alts, anonymous)| {
            let alternatives = self.scheme_alternatives(alts);
            let accepted = self.accepted_text(alts);
            quote!(crate::runtime::Security { alternatives: #alternatives, anonymous: #anonymous, accepted: #accepted },)
        });
        let n_sets = Literal::usize_unsuffixed(self.security_sets.len());
        let custom_security = {
            let alternatives = self.scheme_alternatives(&api.default_security);
            let anonymous = api.default_security.is_empty() || api.default_security_optional;
            quote!(crate::runtime::Security { alternatives: #alternatives, anonymous: #anonymous, accepted: #accepted })
        };
        let env_list: Vec<String> = std::iter::once(format!("`{base_env}`"))
            .chain(api.security.iter().flat_map(|s| s.env.iter().map(|e| format!("`{}`", e.name))))
            .collect();
        let from_env_doc = doc1(&format!("A client configured from the environment ({}).", env_list.join(", ")));
        quote! {
            //! The client: base URL, credentials and HTTP settings, shared by
            //! every operation group.

            pub use crate::runtime::{BuildError, Client, ClientBuilder, DEFAULT_TIMEOUT};

            #default_base

            /// The reply header that carries the server's id for a request.
            pub const REQUEST_ID_HEADER: Option<&str> = #request_id;

            #credentials

            static API: crate::runtime::ApiSpec = crate::runtime::ApiSpec {
                base_url: #default_base_expr,
                base_url_env: #base_env,
                schemes: &[#(#schemes)*],
                required: #required,
                accepted: #accepted,
                request_id_header: REQUEST_ID_HEADER,
                custom: &CUSTOM,
            };

            /// What a request to a path the description does not have is sent as
            /// ([`Client::request`]): the description's top-level security
            /// requirement.
            static CUSTOM: crate::runtime::Operation =
                crate::runtime::Operation { security: &#custom_security, ..crate::runtime::Operation::CUSTOM };

            /// The credentials each operation accepts (operations refer to these by index).
            pub(crate) static SECURITY: [crate::runtime::Security; #n_sets] = [#(#sets)*];

            impl Default for ClientBuilder {
                fn default() -> Self {
                    Self::new()
                }
            }

            impl ClientBuilder {
                /// A builder with nothing set.
                pub fn new() -> Self {
                    Self::for_api(&API)
                }

                #setters
            }

            impl Client {
                /// Starts building a client.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new()
                }

                #from_env_doc
                pub fn from_env() -> Result<Client, BuildError> {
                    ClientBuilder::new().from_env().build()
                }

                #(#accessors)*
            }
        }
    }

    /// The `Credentials` struct: one optional credential per scheme, typed
    /// by its kind.
    fn credentials(&self) -> TokenStream {
        let fields = self.api.security.iter().map(|s| {
            let name = ident(&s.name);
            let d = doc(&s.docs);
            let ty = credential_type(&s.kind);
            quote!(#d pub #name: Option<#ty>,)
        });
        quote! {
            /// The credentials the client may send. Each operation sends the
            /// first combination it accepts that is fully set. `Debug` never
            /// shows a secret.
            #[derive(Debug, Clone, Default, PartialEq, Eq)]
            #[non_exhaustive]
            pub struct Credentials {
                #(#fields)*
            }
        }
    }

    /// `credentials(..)` and one setter per scheme, taking what its kind
    /// needs (a secret, a username and a password, OAuth2 settings, a
    /// client certificate).
    fn credential_setters(&self) -> TokenStream {
        let security = &self.api.security;
        let names: Vec<_> = security.iter().map(|s| ident(&s.name)).collect();
        let idx: Vec<_> = (0..security.len()).map(Literal::usize_unsuffixed).collect();
        let setters = security.iter().zip(&names).zip(&idx).map(|((s, name), i)| {
            let (args, value, text) = match &s.kind {
                SchemeKind::Basic => (
                    quote!(username: impl Into<String>, password: impl Into<crate::runtime::Secret>),
                    quote!(Basic(crate::runtime::BasicAuth::new(username, password))),
                    format!("Sets the `{}` username and password.", s.wire),
                ),
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect(_) => (
                    quote!(value: impl Into<crate::runtime::OAuth2>),
                    quote!(OAuth2(value.into())),
                    format!(
                        "Sets the `{}` credentials: a token, client credentials or a token source (see [`OAuth2`](crate::runtime::OAuth2)).",
                        s.wire
                    ),
                ),
                SchemeKind::MutualTls => (
                    quote!(certificate: crate::runtime::ClientCert),
                    quote!(ClientCert(certificate)),
                    format!("Sets the `{}` client certificate.", s.wire),
                ),
                SchemeKind::Bearer | SchemeKind::Http(_) | SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_) => (
                    quote!(value: impl Into<crate::runtime::Secret>),
                    quote!(Secret(value.into())),
                    format!("Sets the `{}` credential.", s.wire),
                ),
            };
            let d = doc1(&text);
            quote! {
                #d
                pub fn #name(self, #args) -> Self {
                    self.credential(#i, Some(crate::runtime::Credential::#value))
                }
            }
        });
        let (binding, body) = if security.is_empty() {
            (quote!(_credentials), quote!(self))
        } else {
            (quote!(credentials), quote! {
                let Credentials { #(#names),* } = credentials;
                self #(.credential(#idx, #names.map(Into::into)))*
            })
        };
        quote! {
            /// Sets all credentials at once.
            pub fn credentials(self, #binding: Credentials) -> Self {
                #body
            }

            #(#setters)*
        }
    }

    fn group_accessors(&self) -> Vec<TokenStream> {
        self.api
            .groups
            .iter()
            .map(|g| {
                let m = ident(&g.name);
                let t = ident(&g.type_name);
                let d = doc(&g.docs);
                let f = feature_name(&g.name);
                quote! {
                    #d
                    #[cfg(feature = #f)]
                    pub fn #m(&self) -> crate::api::#m::#t<'_> {
                        crate::api::#m::#t { client: self, options: crate::runtime::RequestOptions::default() }
                    }
                }
            })
            .collect()
    }
}

/// The type a scheme's credential has in `Credentials` and its setter.
fn credential_type(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote!(crate::runtime::BasicAuth),
        SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect(_) => quote!(crate::runtime::OAuth2),
        SchemeKind::MutualTls => quote!(crate::runtime::ClientCert),
        SchemeKind::Bearer | SchemeKind::Http(_) | SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_) => {
            quote!(crate::runtime::Secret)
        }
    }
}
