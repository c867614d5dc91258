//! Security schemes, requirement alternatives (with the OAuth2 scopes each
//! operation needs), the environment variables credentials are read from,
//! and the base URL: the only reader of `securitySchemes`, `security` and
//! `servers`.
//!
//! Every kind of scheme is served: HTTP bearer, basic and other schemes
//! (a token with the scheme's name), API keys in a header, the query or a
//! cookie, OAuth2 and OpenID Connect (a token supplied, fetched with client
//! credentials, or from a token source) and mutual TLS (which the loader
//! carries from 3.1 as an `http` scheme marked `x-sdk-mutual-tls`).

use super::Lowerer;
use crate::Options;
use crate::load::MUTUAL_TLS;
use crate::diagnostics::{Kind, Severity, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use crate::options::EnvNames;
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as OaScheme};

/// HTTP authentication schemes of the IANA registry that answer a
/// challenge: the client cannot compute their value, only send one given.
const CHALLENGE_SCHEMES: &[&str] = &["digest", "hoba", "mutual", "negotiate", "ntlm", "scram-sha-1", "scram-sha-256"];

/// Words of a scheme's key that say only that it is a credential, dropped
/// from the environment variables made from it (`bearer_auth` reads
/// `<PREFIX>_TOKEN`, `inference_bearer_auth` `<PREFIX>_INFERENCE_TOKEN`).
const GENERIC_WORDS: &[&str] = &[
    "ACCESS", "AUTH", "AUTHENTICATION", "AUTHORIZATION", "AUTHORISATION", "BASIC", "BEARER", "CERT", "CERTIFICATE",
    "CONNECT", "CREDENTIAL", "CREDENTIALS", "HTTP", "HTTPS", "JWT", "MTLS", "MUTUAL", "OAUTH", "OAUTH2", "OIDC",
    "OPENID", "SCHEME", "SECURITY", "TLS", "TOKEN",
];

/// What a scheme holds, in the order the runtime reads its variables:
/// the name `sdk.yaml` gives each credential, and the last words of its
/// variable. An API key's variable is named after the whole key.
fn credentials(kind: &SchemeKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        SchemeKind::Bearer | SchemeKind::Http(_) => &[("token", "TOKEN")],
        SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_) => &[("key", "")],
        SchemeKind::Basic => &[("username", "USERNAME"), ("password", "PASSWORD")],
        SchemeKind::OAuth2 { token_url: None } => &[("access_token", "ACCESS_TOKEN")],
        SchemeKind::OAuth2 { token_url: Some(_) } | SchemeKind::OpenIdConnect(_) => {
            &[("access_token", "ACCESS_TOKEN"), ("client_id", "CLIENT_ID"), ("client_secret", "CLIENT_SECRET")]
        }
        SchemeKind::MutualTls => &[("client_cert", "CLIENT_CERT"), ("client_key", "CLIENT_KEY")],
    }
}

/// The credential a single variable in `sdk.yaml` names, for kinds where
/// that is unambiguous.
fn single(kind: &SchemeKind) -> Option<&'static str> {
    match kind {
        SchemeKind::Basic | SchemeKind::MutualTls => None,
        _ => Some(credentials(kind)[0].0),
    }
}

/// What lowering learnt about a scheme besides its kind: its description
/// and a sentence on its flows or discovery.
struct Read<'a> {
    kind: SchemeKind,
    description: Option<&'a str>,
    about: Option<String>,
}

impl<'a> Lowerer<'a, '_> {
    /// The schemes, sorted by key; a scheme the client cannot send (given
    /// by `$ref`, or an API key whose name no header can have) is skipped
    /// with a diagnostic (an operation that needs one then fails on its
    /// requirement).
    pub(super) fn security_schemes(&mut self, options: &Options) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else {
            self.unknown_env_keys(options, &[]);
            return Vec::new();
        };
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut read = Vec::new();
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
            let Some(r) = self.scheme_kind(scheme, &ptr) else { continue };
            let base = names::scheme(key);
            let fallbacks = field_scope.beside_ours(&base, format!("{base}_credential"));
            let claim = field_scope.claim(&base, &fallbacks, &format!("the scheme `{key}`"));
            let name = super::naming::report(self.diags, &ptr, &format!("the credential name `{base}`"), claim);
            // OpenAPI 3.2's `deprecated`, carried by the loader.
            let deprecated = scheme_extensions(scheme).get("x-sdk-deprecated") == Some(&serde_json::Value::Bool(true));
            read.push((
                SecurityScheme { wire: key.clone(), name, env: Vec::new(), kind: r.kind, docs: Vec::new() },
                r.description,
                r.about,
                deprecated,
            ));
        }
        let mut out: Vec<SecurityScheme> = read.iter().map(|(s, _, _, _)| s.clone()).collect();
        self.env_vars(&mut out, options);
        for (s, (_, description, about, deprecated)) in out.iter_mut().zip(&read) {
            s.docs = scheme_docs(s, *description, about.as_deref());
            if *deprecated {
                s.docs.push(String::new());
                s.docs.push("Deprecated by the API.".to_owned());
            }
        }
        out
    }

    /// How a scheme's credential travels; `None` (after a diagnostic) for
    /// what the client cannot send.
    fn scheme_kind(&mut self, scheme: &'a OaScheme, ptr: &str) -> Option<Read<'a>> {
        let token_name = |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let (kind, description, about) = match scheme {
            OaScheme::HTTP { extensions, description, .. } if extensions.get(MUTUAL_TLS).is_some() => {
                (SchemeKind::MutualTls, description, None)
            }
            OaScheme::HTTP { scheme, description, .. } => {
                let lower = scheme.trim().to_ascii_lowercase();
                let kind = match lower.as_str() {
                    "bearer" => SchemeKind::Bearer,
                    "basic" => SchemeKind::Basic,
                    _ if !token_name(scheme.trim()) => {
                        self.diags.warn(Kind::SecurityScheme, ptr, format!("HTTP scheme {scheme:?} is not an authentication scheme name; skipped"));
                        return None;
                    }
                    _ => {
                        if CHALLENGE_SCHEMES.contains(&lower.as_str()) {
                            self.diags.warn(
                                Kind::SecurityScheme,
                                ptr,
                                format!("HTTP scheme `{scheme}` answers a server challenge, which the client does not compute: it sends the value it is given as `Authorization: {scheme} <value>`"),
                            );
                        }
                        SchemeKind::Http(scheme.trim().to_owned())
                    }
                };
                (kind, description, None)
            }
            OaScheme::APIKey { location, name, description, .. } => {
                // Query names are percent-encoded; header and cookie names
                // must be RFC 9110 tokens as they are.
                let (named, place) = match location {
                    APIKeyLocation::Query => (!name.is_empty(), "query parameter"),
                    APIKeyLocation::Header => (token_name(name), "header"),
                    APIKeyLocation::Cookie => (token_name(name), "cookie"),
                };
                if !named {
                    self.diags.warn(Kind::SecurityScheme, ptr, format!("API key name {name:?} cannot be a {place} name; skipped"));
                    return None;
                }
                let kind = match location {
                    APIKeyLocation::Header => SchemeKind::Header(name.clone()),
                    APIKeyLocation::Query => SchemeKind::Query(name.clone()),
                    APIKeyLocation::Cookie => SchemeKind::Cookie(name.clone()),
                };
                (kind, description, None)
            }
            OaScheme::OAuth2 { flows, description, .. } => {
                let mut named = Vec::new();
                if let Some(f) = &flows.client_credentials {
                    named.push(format!("`clientCredentials` (token URL `{}`)", f.token_url));
                }
                if let Some(f) = &flows.authorization_code {
                    named.push(format!("`authorizationCode` (authorization URL `{}`, token URL `{}`)", f.authorization_url, f.token_url));
                }
                if let Some(f) = &flows.implicit {
                    named.push(format!("`implicit` (authorization URL `{}`)", f.authorization_url));
                }
                if let Some(f) = &flows.password {
                    named.push(format!("`password` (token URL `{}`)", f.token_url));
                }
                let about = (!named.is_empty()).then(|| format!("OAuth2 flows: {}.", named.join(", ")));
                let token_url = flows.client_credentials.as_ref().map(|f| f.token_url.clone());
                (SchemeKind::OAuth2 { token_url }, description, about)
            }
            OaScheme::OpenIDConnect { open_id_connect_url, description, .. } => {
                let about = format!("OpenID Connect discovery: `{open_id_connect_url}`.");
                (SchemeKind::OpenIdConnect(open_id_connect_url.clone()), description, Some(about))
            }
        };
        Some(Read { kind, description: description.as_deref(), about })
    }

    /// Each scheme's environment variables: the options' names where they
    /// give them, else `<PREFIX>_<what the key says>_<credential>` (an API
    /// key: `<PREFIX>_<KEY>`). Names two credentials would share are made
    /// from the whole key instead; what still clashes is reported.
    fn env_vars(&mut self, schemes: &mut [SecurityScheme], options: &Options) {
        let prefix = super::env_prefix(self.spec, options);
        let prefix_words: Vec<String> = prefix.split('_').map(str::to_owned).collect();
        let source = options.source.as_deref();
        // (scheme, credential, name made from what the key means, from the whole key)
        let mut made: Vec<(usize, &'static str, String, String)> = Vec::new();
        for (i, s) in schemes.iter().enumerate() {
            let words = names::env_words(&s.wire);
            let whole = if words.is_empty() { names::screaming(&s.wire) } else { words.join("_") };
            // Words the variables end with anyway go too (`client_cert`
            // reads `<PREFIX>_CLIENT_CERT`, not `<PREFIX>_CLIENT_CLIENT_CERT`).
            let ends: Vec<&str> = credentials(&s.kind).iter().flat_map(|(_, suffix)| suffix.split('_')).collect();
            let mut meaning: Vec<&str> =
                words.iter().map(String::as_str).filter(|w| !GENERIC_WORDS.contains(w) && !ends.contains(w)).collect();
            if meaning.starts_with(&prefix_words.iter().map(String::as_str).collect::<Vec<_>>()) {
                meaning.drain(..prefix_words.len());
            }
            for (credential, suffix) in credentials(&s.kind) {
                let join = |parts: &[&str]| parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("_");
                let (by_meaning, by_key) = if suffix.is_empty() {
                    let n = join(&[&prefix, &whole]);
                    (n.clone(), n)
                } else {
                    (join(&[&prefix, &meaning.join("_"), suffix]), join(&[&prefix, &whole, suffix]))
                };
                made.push((i, credential, by_meaning, by_key));
            }
        }
        let mut chosen: Vec<String> = made.iter().map(|(_, _, m, _)| m.clone()).collect();
        for (j, (_, _, m, k)) in made.iter().enumerate() {
            if made.iter().filter(|(_, _, other, _)| other == m).count() > 1 {
                chosen[j] = k.clone();
            }
        }
        // The options' names win.
        for (j, (i, credential, _, _)) in made.iter().enumerate() {
            let s = &schemes[*i];
            let given = match options.env.get(&s.wire) {
                Some(EnvNames::One(name)) if single(&s.kind) == Some(*credential) => Some(name.clone()),
                Some(EnvNames::Each(map)) => map.get(*credential).cloned(),
                _ => None,
            };
            if let Some(name) = given {
                chosen[j] = name;
            }
        }
        for (key, names) in &options.env {
            let Some(s) = schemes.iter().find(|s| &s.wire == key) else { continue };
            let at = pointer("#/env", key);
            let takes: Vec<&str> = credentials(&s.kind).iter().map(|(c, _)| *c).collect();
            match names {
                EnvNames::One(_) if single(&s.kind).is_none() => self.diags.push_in(
                    Severity::Warning,
                    Kind::EnvVariable,
                    source,
                    at,
                    format!("the `{key}` scheme has several credentials ({}): name each variable; the defaults are used", takes.join(", ")),
                ),
                EnvNames::Each(map) => {
                    for credential in map.keys().filter(|c| !takes.contains(&c.as_str())) {
                        let hint = crate::suggest::did_you_mean(credential, takes.iter().copied());
                        self.diags.push_in(
                            Severity::Warning,
                            Kind::EnvVariable,
                            source,
                            pointer(&at, credential),
                            format!("the `{key}` scheme has no credential `{credential}` (it has {}); ignored{hint}", takes.join(", ")),
                        );
                    }
                }
                EnvNames::One(_) => {}
            }
        }
        self.unknown_env_keys(options, schemes);
        for (j, (i, credential, _, _)) in made.iter().enumerate() {
            if let Some(k) = (0..j).find(|k| chosen[*k] == chosen[j]) {
                let (other, other_credential) = (made[k].0, made[k].1);
                self.diags.warn(
                    Kind::EnvVariable,
                    pointer("#/components/securitySchemes", &schemes[*i].wire),
                    format!(
                        "`{}` is read for both `{}` {} and `{}` {}",
                        chosen[j], schemes[other].wire, other_credential, schemes[*i].wire, credential
                    ),
                );
            }
        }
        for ((i, credential, _, _), name) in made.iter().zip(chosen) {
            schemes[*i].env.push(EnvVar { credential, name });
        }
    }

    /// Keys under `env:` that name no scheme (nor `base_url`).
    fn unknown_env_keys(&mut self, options: &Options, schemes: &[SecurityScheme]) {
        for (key, names) in &options.env {
            let problem = match (key.as_str(), names) {
                ("base_url", EnvNames::One(_)) => continue,
                ("base_url", EnvNames::Each(_)) => "`base_url` takes one variable".to_owned(),
                _ if schemes.iter().any(|s| &s.wire == key) => continue,
                _ => format!(
                    "`{key}` is not a security scheme of the spec; ignored{}",
                    crate::suggest::did_you_mean(key, schemes.iter().map(|s| s.wire.as_str()).chain(["base_url"]))
                ),
            };
            self.diags.push_in(Severity::Warning, Kind::EnvVariable, options.source.as_deref(), pointer("#/env", key), problem);
        }
    }

    /// The document-wide requirement, which operations without their own
    /// inherit.
    pub(super) fn default_security(&mut self, schemes: &[SecurityScheme]) -> (Vec<Vec<Requirement>>, bool) {
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
    ) -> (Vec<Vec<Requirement>>, bool, bool) {
        match &op.security {
            Some(reqs) => self.security_alternatives(reqs, schemes, &pointer(ptr, "security")),
            None => match &self.spec.security {
                Some(reqs) => self.security_alternatives(reqs, schemes, "#/security"),
                None => (Vec::new(), true, false),
            },
        }
    }

    /// Alternatives of a security requirement list, and whether one of them
    /// is "no credentials". Scopes are kept for OAuth2 and OpenID Connect,
    /// whose tokens are asked for with them; for other kinds they are
    /// role names the client has nothing to do with.
    fn security_alternatives(
        &mut self,
        reqs: &[openapiv3::SecurityRequirement],
        schemes: &[SecurityScheme],
        ptr: &str,
    ) -> (Vec<Vec<Requirement>>, bool, bool) {
        let mut alts = Vec::new();
        let mut optional = false;
        let mut failed = false;
        for (i, req) in reqs.iter().enumerate() {
            if req.is_empty() {
                optional = true;
                continue;
            }
            let mut alt = Vec::new();
            for (name, scopes) in req {
                match schemes.iter().position(|s| &s.wire == name) {
                    Some(scheme) => {
                        let mut scopes = match schemes[scheme].kind {
                            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect(_) => scopes.clone(),
                            _ => Vec::new(),
                        };
                        scopes.sort();
                        scopes.dedup();
                        alt.push(Requirement { scheme, scopes });
                    }
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
            alt.sort_unstable_by_key(|r| r.scheme);
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

/// A scheme's docs: the spec's description, how the credential is sent,
/// and where `from_env` reads it.
fn scheme_docs(s: &SecurityScheme, description: Option<&str>, about: Option<&str>) -> Vec<String> {
    let mut out = docs::join(&[description, about]);
    if !out.is_empty() {
        out.push(String::new());
    }
    let var = |c: &str| s.env.iter().find(|e| e.credential == c).map(|e| format!("`{}`", e.name)).unwrap_or_default();
    let oauth2 = "[`OAuth2`](crate::runtime::OAuth2)";
    let source = "your own [`TokenSource`](crate::runtime::TokenSource)";
    let (how, env) = match &s.kind {
        SchemeKind::Bearer => ("Sent as `Authorization: Bearer <token>`.".to_owned(), format!("Read from {} by `from_env`.", var("token"))),
        SchemeKind::Basic => (
            "A username and a password, sent as `Authorization: Basic` (RFC 7617, UTF-8).".to_owned(),
            format!("Read from {} and {} by `from_env`.", var("username"), var("password")),
        ),
        SchemeKind::Http(scheme) => (format!("Sent as `Authorization: {scheme} <token>`."), format!("Read from {} by `from_env`.", var("token"))),
        SchemeKind::Header(h) => (format!("Sent in the `{h}` header, as given."), format!("Read from {} by `from_env`.", var("key"))),
        SchemeKind::Query(q) => (format!("Sent as the `{q}` query parameter."), format!("Read from {} by `from_env`.", var("key"))),
        SchemeKind::Cookie(c) => (format!("Sent as the `{c}` cookie, as given."), format!("Read from {} by `from_env`.", var("key"))),
        SchemeKind::OAuth2 { token_url: Some(url) } => (
            format!(
                "{oauth2}: a bearer token fetched with client credentials from `{url}` (asking for the scopes each \
                 operation needs, refreshed before it expires), a token you supply, or tokens from {source}."
            ),
            format!(
                "Read by `from_env` from {} and {} (client credentials), else {} (a token).",
                var("client_id"),
                var("client_secret"),
                var("access_token")
            ),
        ),
        SchemeKind::OAuth2 { token_url: None } => (
            format!(
                "{oauth2}: a bearer token you supply, or tokens from {source} (where an application runs its own \
                 authorization flow)."
            ),
            format!("Read from {} by `from_env`.", var("access_token")),
        ),
        SchemeKind::OpenIdConnect(_) => (
            format!(
                "{oauth2}: a bearer token you supply, tokens from {source}, or fetched with client credentials from \
                 the token endpoint the discovery document names."
            ),
            format!(
                "Read by `from_env` from {} and {} (client credentials), else {} (a token).",
                var("client_id"),
                var("client_secret"),
                var("access_token")
            ),
        ),
        SchemeKind::MutualTls => (
            "Mutual TLS: a client certificate and its private key ([`ClientCert`](crate::runtime::ClientCert)), \
             presented on every connection."
                .to_owned(),
            format!("Read from {} and {} (PEM text, or the path of a PEM file) by `from_env`.", var("client_cert"), var("client_key")),
        ),
    };
    out.push(how);
    out.push(String::new());
    out.push(env);
    out
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
