//! `client.rs` of the generated crate: the API's description for the
//! runtime (base URL, schemes, environment variables), the typed
//! credentials and their builder setters, and one accessor per group.
//! The client itself (building, sending, retrying) is the runtime's.

use super::{Emitter, doc, doc1, feature_name, ident};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl Emitter<'_> {
    /// Security alternatives as indexes into the API's schemes.
    pub(super) fn scheme_alternatives(&self, alts: &[Vec<usize>]) -> TokenStream {
        let alts = alts.iter().map(|alt| {
            let idx = alt.iter().map(|i| Literal::usize_unsuffixed(*i));
            quote!(&[#(#idx),*])
        });
        quote!(&[#(#alts),*])
    }

    /// Security alternatives in words (`api_token, or api_email + api_key`).
    pub(super) fn accepted_text(&self, alternatives: &[Vec<usize>]) -> String {
        alternatives
            .iter()
            .map(|alt| alt.iter().map(|i| self.api.security[*i].name.clone()).collect::<Vec<_>>().join(" + "))
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
                SchemeKind::Header(h) => {
                    let h = h.to_ascii_lowercase();
                    quote!(Header(#h))
                }
                SchemeKind::Query(q) => quote!(Query(#q)),
            };
            quote!(crate::runtime::SchemeSpec { name: #wire, env: #env, kind: crate::runtime::SchemeKind::#kind },)
        });
        let require_creds = !api.default_security.is_empty() && !api.default_security_optional;
        let required = if require_creds { self.scheme_alternatives(&api.default_security) } else { quote!(&[]) };
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
        let env_list: Vec<String> = std::iter::once(format!("`{base_env}`"))
            .chain(api.security.iter().map(|s| format!("`{}`", s.env)))
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
            };

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

    /// The `Credentials` struct: one optional secret per scheme.
    fn credentials(&self) -> TokenStream {
        let fields = self.api.security.iter().map(|s| {
            let name = ident(&s.name);
            let d = doc(&s.docs);
            quote!(#d pub #name: Option<crate::runtime::Secret>,)
        });
        quote! {
            /// The credentials the client may send. Each operation sends the
            /// first combination it accepts that is fully set. `Debug` never
            /// shows the values.
            #[derive(Debug, Clone, Default, PartialEq, Eq)]
            #[non_exhaustive]
            pub struct Credentials {
                #(#fields)*
            }
        }
    }

    /// `credentials(..)` and one setter per scheme.
    fn credential_setters(&self) -> TokenStream {
        let security = &self.api.security;
        let names: Vec<_> = security.iter().map(|s| ident(&s.name)).collect();
        let idx: Vec<_> = (0..security.len()).map(Literal::usize_unsuffixed).collect();
        let setters = security.iter().zip(&names).zip(&idx).map(|((s, name), i)| {
            let d = doc1(&format!("Sets the `{}` credential.", s.wire));
            quote! {
                #d
                pub fn #name(self, value: impl Into<crate::runtime::Secret>) -> Self {
                    self.credential(#i, Some(value.into()))
                }
            }
        });
        let (binding, body) = if security.is_empty() {
            (quote!(_credentials), quote!(self))
        } else {
            (quote!(credentials), quote! {
                let Credentials { #(#names),* } = credentials;
                self #(.credential(#idx, #names))*
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
