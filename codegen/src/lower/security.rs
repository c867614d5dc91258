//! Security schemes, requirement alternatives, and the base URL: the only
//! reader of `securitySchemes`, `security` and `servers`.

use super::Lowerer;
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use crate::Options;
use openapiv3::{ReferenceOr, SecurityScheme as OaScheme};

impl<'a> Lowerer<'a, '_> {
    /// The supported schemes, sorted by key; the others are skipped with a
    /// warning (an operation that needs one then fails on its requirement).
    pub(super) fn security_schemes(&mut self, options: &Options) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else { return Vec::new() };
        let prefix = super::env_prefix(self.spec, options);
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut out = Vec::new();
        // Each scheme's name is a field of `Credentials` and a setter on
        // `ClientBuilder`, beside the builder's own methods; a clash gets
        // `_credential` (`timeout_credential`).
        let mut field_scope = Scope::with_reserved(names::BUILDER_RESERVED);
        for key in keys {
            let ptr = pointer("#/components/securitySchemes", key);
            let scheme = match &components.security_schemes[key] {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.diags.warn(Kind::UnresolvedRef, &ptr, "security scheme given as `$ref` is skipped");
                    continue;
                }
            };
            let Some((kind, description)) = self.scheme_kind(scheme, &ptr) else { continue };
            let base = names::snake(key);
            let fallbacks = field_scope.beside_ours(&base, format!("{base}_credential"));
            let claim = field_scope.claim(&base, &fallbacks, &format!("the scheme `{key}`"));
            let name = super::naming::report(self.diags, &ptr, &format!("the credential name `{base}`"), claim);
            let env = options
                .env
                .get(key.as_str())
                .cloned()
                .unwrap_or_else(|| format!("{prefix}_{}", names::screaming(key)));
            let how = how_sent(&kind);
            let mut docs = docs::join(&[description.as_deref(), Some(&how), Some(&format!("Read from `{env}` by `from_env`."))]);
            // OpenAPI 3.2's `deprecated`, carried by the loader.
            if scheme_extensions(scheme).get("x-sdk-deprecated") == Some(&serde_json::Value::Bool(true)) {
                docs.push(String::new());
                docs.push("Deprecated by the API.".to_owned());
            }
            out.push(SecurityScheme {
                wire: key.clone(),
                name,
                env,
                kind,
                docs,
            });
        }
        out
    }

    /// How a scheme's credential travels, with the scheme's description;
    /// `None` (after a warning) for what the client cannot send. OAuth2 and
    /// OpenID Connect end in a bearer token, which is all the client sends.
    fn scheme_kind(&mut self, scheme: &'a OaScheme, ptr: &str) -> Option<(SchemeKind, &'a Option<String>)> {
        Some(match scheme {
            OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (SchemeKind::Bearer, description)
            }
            OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (SchemeKind::Basic, description)
            }
            OaScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, description, .. } => {
                (SchemeKind::Header(name.clone()), description)
            }
            OaScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, description, .. } => {
                (SchemeKind::Query(name.clone()), description)
            }
            OaScheme::OAuth2 { description, .. } | OaScheme::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
            _ => {
                self.diags.warn(
                    Kind::UnsupportedParameter,
                    ptr,
                    "security scheme kind is not supported (cookie API keys, custom HTTP schemes); skipped",
                );
                return None;
            }
        })
    }

    /// The document-wide requirement, which operations without their own
    /// inherit.
    pub(super) fn default_security(&mut self, schemes: &[SecurityScheme]) -> (Vec<Vec<usize>>, bool) {
        match &self.spec.security {
            Some(reqs) => {
                let (alts, optional, _) = self.security_alternatives(reqs, schemes, "#/security");
                (alts, optional)
            }
            None => (Vec::new(), true),
        }
    }

    /// An operation's requirement: its own, else the document's (checked
    /// again per operation, so an operation that inherits an unknown scheme
    /// is left out like one that names it).
    pub(super) fn operation_security(
        &mut self,
        op: &openapiv3::Operation,
        schemes: &[SecurityScheme],
        ptr: &str,
    ) -> (Vec<Vec<usize>>, bool, bool) {
        match &op.security {
            Some(reqs) => self.security_alternatives(reqs, schemes, &pointer(ptr, "security")),
            None => match &self.spec.security {
                Some(reqs) => self.security_alternatives(reqs, schemes, "#/security"),
                None => (Vec::new(), true, false),
            },
        }
    }

    /// Alternatives of a security requirement list, and whether one of them
    /// is "no credentials".
    fn security_alternatives(
        &mut self,
        reqs: &[openapiv3::SecurityRequirement],
        schemes: &[SecurityScheme],
        ptr: &str,
    ) -> (Vec<Vec<usize>>, bool, bool) {
        let mut alts = Vec::new();
        let mut optional = false;
        let mut failed = false;
        for (i, req) in reqs.iter().enumerate() {
            if req.is_empty() {
                optional = true;
                continue;
            }
            let mut alt = Vec::new();
            for name in req.keys() {
                match schemes.iter().position(|s| &s.wire == name) {
                    Some(idx) => alt.push(idx),
                    None => {
                        self.diags.error(
                            Kind::UnknownSecurityScheme,
                            pointer(ptr, &i.to_string()),
                            format!("security scheme `{name}` is not defined (or not supported)"),
                        );
                        failed = true;
                    }
                }
            }
            alt.sort_unstable();
            if !alt.is_empty() && !alts.contains(&alt) {
                alts.push(alt);
            }
        }
        (alts, optional, failed)
    }

    /// The first server's URL with its variables at their defaults, when
    /// that is an absolute http(s) URL; otherwise the client has no default
    /// and the caller must give one at build time.
    pub(super) fn base_url(&mut self) -> Option<String> {
        let server = self.spec.servers.first()?;
        let mut url = server.url.clone();
        for (name, var) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('{') {
            self.diags.warn(
                Kind::BadServer,
                "#/servers/0/url",
                format!("`{url}` is not an absolute http(s) URL; the client needs a base URL at build time"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_owned())
    }
}

/// The sentence in a scheme's docs that says where its credential goes.
fn how_sent(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer => "Sent as `Authorization: Bearer <value>`.".to_owned(),
        SchemeKind::Basic => "Sent as `Authorization: Basic <value>`.".to_owned(),
        SchemeKind::Header(h) => format!("Sent in the `{h}` header."),
        SchemeKind::Query(q) => format!("Sent as the `{q}` query parameter."),
    }
}

/// A scheme's `x-` extensions, whatever its kind.
fn scheme_extensions(scheme: &OaScheme) -> &indexmap::IndexMap<String, serde_json::Value> {
    match scheme {
        OaScheme::APIKey { extensions, .. }
        | OaScheme::HTTP { extensions, .. }
        | OaScheme::OAuth2 { extensions, .. }
        | OaScheme::OpenIDConnect { extensions, .. } => extensions,
    }
}
