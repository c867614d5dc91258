//! Credentials: what a client can hold for a security scheme (a secret, a
//! username and password, OAuth2 settings, a client certificate), how each
//! kind of scheme puts it on the wire, and the environment variables each
//! is read from. Tokens that are fetched and refreshed are `oauth`'s.
//!
//! Every value here keeps its secret out of `Debug`; header values are
//! marked sensitive so HTTP/2 header tables and debug output skip them.

use std::fmt;
use std::sync::Arc;

use super::oauth::{OAuth2, Tokens};

/// A security scheme, as the generator writes it.
#[doc(hidden)]
#[derive(Debug)]
pub struct SchemeSpec {
    /// Its key in `components.securitySchemes`.
    pub name: &'static str,
    /// How its credential is sent.
    pub kind: SchemeKind,
    /// The environment variables `from_env` reads, one per credential, in
    /// the order [`SchemeKind`] gives for the kind.
    pub env: &'static [&'static str],
}

/// How a credential goes on the wire (and what `SchemeSpec::env` holds).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`. Env: the token.
    Bearer,
    /// `Authorization: Basic <base64 of username:password>` (RFC 7617,
    /// UTF-8). Env: the username, the password.
    Basic,
    /// Another HTTP scheme: `Authorization: <scheme> <token>`, the scheme
    /// as the spec names it. Env: the token.
    Http(&'static str),
    /// An API key in a header (lower-case name). Env: the key.
    Header(&'static str),
    /// An API key in the query. Env: the key.
    Query(&'static str),
    /// An API key in a cookie. Env: the key.
    Cookie(&'static str),
    /// OAuth2: a bearer token supplied, fetched with client credentials
    /// from `token_url` (the `clientCredentials` flow's, when the spec
    /// declares one; relative to the base URL), or from a token source.
    /// Env: the access token, then (with a `token_url`) the client id and
    /// the client secret.
    OAuth2 {
        /// The `clientCredentials` flow's `tokenUrl`.
        token_url: Option<&'static str>,
    },
    /// OpenID Connect: a bearer token as for OAuth2; client credentials
    /// find the token endpoint in the discovery document at `url`. Env:
    /// the access token, the client id, the client secret.
    OpenIdConnect {
        /// The `openIdConnectUrl` (relative to the base URL).
        url: &'static str,
    },
    /// Mutual TLS: a client certificate presented on every connection.
    /// Env: the certificate (chain), the private key, each PEM text or the
    /// path of a PEM file.
    MutualTls,
}

/// A credential. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

/// A username and a password for HTTP Basic authentication, encoded by the
/// client (RFC 7617, UTF-8). The password never shows in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    username: String,
    password: Secret,
}

impl BasicAuth {
    /// A username and its password.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        BasicAuth { username: username.into(), password: password.into() }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password.
    pub fn password(&self) -> &Secret {
        &self.password
    }

    /// The `Authorization` value, or why the pair cannot be sent: RFC 7617
    /// forbids a colon in the username and control characters in either.
    fn header_value(&self) -> Result<String, &'static str> {
        if self.username.contains(':') {
            return Err("a Basic username cannot contain `:`");
        }
        if self.username.chars().chain(self.password.expose().chars()).any(char::is_control) {
            return Err("a Basic username or password cannot contain control characters");
        }
        Ok(format!("Basic {}", basic(self.username.as_bytes(), self.password.expose().as_bytes())))
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth").field("username", &self.username).field("password", &self.password).finish()
    }
}

/// The base64 of `user:password`, as Basic authentication sends it.
pub(super) fn basic(user: &[u8], password: &[u8]) -> String {
    use base64::Engine as _;
    let mut pair = Vec::with_capacity(user.len() + password.len() + 1);
    pair.extend_from_slice(user);
    pair.push(b':');
    pair.extend_from_slice(password);
    base64::engine::general_purpose::STANDARD.encode(pair)
}

/// A client certificate (chain) and its private key, PEM-encoded, for
/// mutual TLS. Never shown in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCert {
    pem: Vec<u8>,
}

impl ClientCert {
    /// The certificate chain and the private key in one PEM text (PKCS#8,
    /// PKCS#1 or SEC1 key).
    pub fn from_pem(pem: impl Into<Vec<u8>>) -> Self {
        ClientCert { pem: pem.into() }
    }

    /// The certificate chain and the private key as two PEM texts.
    pub fn from_pem_parts(certificate: impl AsRef<[u8]>, private_key: impl AsRef<[u8]>) -> Self {
        let mut pem = certificate.as_ref().to_vec();
        if !pem.ends_with(b"\n") {
            pem.push(b'\n');
        }
        pem.extend_from_slice(private_key.as_ref());
        ClientCert { pem }
    }

    /// The identity reqwest presents, or why the PEM text is not one.
    pub(super) fn identity(&self) -> Result<reqwest::Identity, String> {
        reqwest::Identity::from_pem(&self.pem).map_err(|e| e.to_string())
    }
}

impl fmt::Debug for ClientCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientCert(<redacted>)")
    }
}

/// What a client holds for one scheme (the typed setters build these).
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A token or key sent as is.
    Secret(Secret),
    /// A username and a password.
    Basic(BasicAuth),
    /// OAuth2 or OpenID Connect settings.
    OAuth2(OAuth2),
    /// A client certificate.
    ClientCert(ClientCert),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Secret(s) => s.fmt(f),
            Credential::Basic(b) => b.fmt(f),
            Credential::OAuth2(o) => o.fmt(f),
            Credential::ClientCert(c) => c.fmt(f),
        }
    }
}

impl From<Secret> for Credential {
    fn from(s: Secret) -> Self {
        Credential::Secret(s)
    }
}

impl From<&str> for Credential {
    fn from(s: &str) -> Self {
        Credential::Secret(s.into())
    }
}

impl From<String> for Credential {
    fn from(s: String) -> Self {
        Credential::Secret(s.into())
    }
}

impl From<BasicAuth> for Credential {
    fn from(b: BasicAuth) -> Self {
        Credential::Basic(b)
    }
}

impl From<OAuth2> for Credential {
    fn from(o: OAuth2) -> Self {
        Credential::OAuth2(o)
    }
}

impl From<ClientCert> for Credential {
    fn from(c: ClientCert) -> Self {
        Credential::ClientCert(c)
    }
}

/// A credential prepared for sending.
#[derive(Clone)]
pub(super) enum Auth {
    /// A header, the same on every request.
    Header(reqwest::header::HeaderName, reqwest::header::HeaderValue),
    /// A query pair (name and value, not yet encoded).
    Query(&'static str, String),
    /// A `name=value` cookie pair.
    Cookie(String),
    /// A bearer token fetched when needed and refreshed.
    Tokens(Arc<Tokens>),
    /// A client certificate, presented by the connection itself.
    Tls,
}

/// A header credential, marked sensitive.
pub(super) fn sensitive(value: &str) -> Option<reqwest::header::HeaderValue> {
    let mut value = reqwest::header::HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Why a credential cannot be used for its scheme.
pub(super) type Unfit = String;

impl Auth {
    /// A static credential prepared for `kind` (tokens and certificates
    /// are prepared by the client, which owns their connections).
    pub(super) fn fixed(kind: SchemeKind, credential: &Credential) -> Result<Auth, Unfit> {
        let header = |name: &'static str, value: &str| {
            let value = sensitive(value).ok_or("it contains characters a header cannot carry")?;
            Ok::<_, Unfit>(Auth::Header(reqwest::header::HeaderName::from_static(name), value))
        };
        let secret = match credential {
            Credential::Secret(s) => s.expose(),
            Credential::Basic(b) if matches!(kind, SchemeKind::Basic) => return header("authorization", &b.header_value()?),
            Credential::OAuth2(o) => match (kind, o.fixed_token()) {
                (SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }, Some(token)) => token.expose(),
                _ => return Err("the scheme takes no OAuth2 settings".into()),
            },
            Credential::Basic(_) => return Err("the scheme takes no username and password".into()),
            Credential::ClientCert(_) => return Err("the scheme takes no client certificate".into()),
        };
        match kind {
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => {
                header("authorization", &format!("Bearer {secret}"))
            }
            SchemeKind::Http(scheme) => header("authorization", &format!("{scheme} {secret}")),
            SchemeKind::Header(name) => header(name, secret),
            SchemeKind::Query(name) => Ok(Auth::Query(name, secret.to_owned())),
            SchemeKind::Cookie(name) => {
                // RFC 6265 `cookie-octet`s only: sent as given, never
                // re-encoded, since servers compare keys byte for byte.
                let octet = |b: u8| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
                if !secret.bytes().all(octet) {
                    return Err("it contains characters a cookie cannot carry (space, `\"`, `,`, `;`, `\\`, non-ASCII)".into());
                }
                Ok(Auth::Cookie(format!("{name}={secret}")))
            }
            SchemeKind::Basic => Err("the scheme takes a username and a password".into()),
            SchemeKind::MutualTls => Err("the scheme takes a client certificate".into()),
        }
    }
}

/// Why reading credentials from the environment failed.
#[derive(Debug)]
pub(super) struct EnvProblem {
    /// The variable at fault.
    pub(super) variable: &'static str,
    /// What is wrong with it.
    pub(super) message: String,
}

/// A variable's value; empty counts as unset.
pub(super) fn read_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The credential of `scheme` its environment variables hold, if they are
/// set; a credential made of several values needs all of them.
pub(super) fn from_env(scheme: &SchemeSpec) -> Result<Option<Credential>, EnvProblem> {
    let var = |i: usize| scheme.env.get(i).and_then(|name| Some((*name, read_env(name)?)));
    let missing = |set: &'static str, i: usize| EnvProblem {
        variable: scheme.env.get(i).copied().unwrap_or(set),
        message: format!("is not set, but `{set}` is: the `{}` scheme needs both", scheme.name),
    };
    let pair = |a, b| match (var(a), var(b)) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        (Some((set, _)), None) => Err(missing(set, b)),
        (None, Some((set, _))) => Err(missing(set, a)),
    };
    Ok(match scheme.kind {
        SchemeKind::Basic => pair(0, 1)?.map(|((_, user), (_, password))| BasicAuth::new(user, password).into()),
        SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => match pair(1, 2)? {
            Some(((_, id), (_, secret))) => Some(OAuth2::client_credentials(id, secret).into()),
            None => var(0).map(|(_, token)| OAuth2::token(token).into()),
        },
        SchemeKind::MutualTls => match pair(0, 1)? {
            Some(((cert_var, cert), (key_var, key))) => Some(ClientCert::from_pem_parts(pem(cert_var, cert)?, pem(key_var, key)?).into()),
            None => None,
        },
        _ => var(0).map(|(_, value)| Secret::new(value).into()),
    })
}

/// PEM text given in a variable, or read from the file it names.
fn pem(variable: &'static str, value: String) -> Result<Vec<u8>, EnvProblem> {
    if value.trim_start().starts_with("-----BEGIN") {
        return Ok(value.into_bytes());
    }
    std::fs::read(value.trim()).map_err(|e| EnvProblem {
        variable,
        message: format!("holds neither PEM text nor the path of a readable file ({e})"),
    })
}
