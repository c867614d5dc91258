//! The client: base URL, credentials, HTTP settings and retry policy, and
//! the one path every call takes (credentials chosen, request sent with
//! retries, status read against the operation's declared replies).
//!
//! What differs per API (its schemes, environment variables, base URL)
//! arrives as one [`ApiSpec`] static written by the generator; the
//! generated `client.rs` adds the typed credential setters and the group
//! accessors.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::request::{Body, Request};
use super::retry::{Deadline, Gate, RequestOptions, RetryPolicy, SendError};
use super::{Error, Refused};

/// How long a request may take before it fails, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What the client needs to know about an API.
#[doc(hidden)]
#[derive(Debug)]
pub struct ApiSpec {
    /// The base URL from the spec's `servers`, if it gives one.
    pub base_url: Option<&'static str>,
    /// Environment variable `from_env` reads the base URL from.
    pub base_url_env: &'static str,
    /// The security schemes, in the order operations refer to them.
    pub schemes: &'static [SchemeSpec],
    /// Alternatives of the document-level security requirement, when a
    /// client without any of them would be useless (checked by `build`).
    pub required: &'static [&'static [usize]],
    /// `required` in words.
    pub accepted: &'static str,
    /// Reply header that carries the server's request id.
    pub request_id_header: Option<&'static str>,
}

/// A security scheme.
#[doc(hidden)]
#[derive(Debug)]
pub struct SchemeSpec {
    /// Its key in `components.securitySchemes`.
    pub name: &'static str,
    /// Environment variable `from_env` reads it from.
    pub env: &'static str,
    /// How it is sent.
    pub kind: SchemeKind,
}

/// How a credential goes on the wire.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum SchemeKind {
    /// `Authorization: Bearer <value>`.
    Bearer,
    /// `Authorization: Basic <value>` (value already encoded by the caller).
    Basic,
    /// A header carrying the value as is (lower-case name).
    Header(&'static str),
    /// A query parameter carrying the value as is.
    Query(&'static str),
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

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The spec has no default base URL and none was given.
    MissingBaseUrl,
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl {
        /// The URL given.
        url: String,
    },
    /// A credential contains characters that cannot go in a header.
    InvalidCredential {
        /// The security scheme.
        scheme: &'static str,
    },
    /// No complete set of credentials was given.
    MissingCredentials {
        /// The combinations the API accepts.
        accepted: &'static str,
    },
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no base URL: set one with `ClientBuilder::base_url`"),
            BuildError::InvalidBaseUrl { url } => write!(f, "base URL {url:?} is not an absolute http(s) URL"),
            BuildError::InvalidCredential { scheme } => write!(f, "the `{scheme}` credential cannot be sent in a header"),
            BuildError::MissingCredentials { accepted } => write!(f, "no credentials: the API accepts {accepted}"),
            BuildError::Http(e) => write!(f, "could not create the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// A prepared credential.
#[derive(Clone)]
enum Auth {
    Header(reqwest::header::HeaderName, reqwest::header::HeaderValue),
    Query(&'static str, String),
}

impl Auth {
    fn new(scheme: &SchemeSpec, secret: &Secret) -> Result<Auth, BuildError> {
        let header = |name: &'static str, value: &str| {
            let name = reqwest::header::HeaderName::from_static(name);
            let mut value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| BuildError::InvalidCredential { scheme: scheme.name })?;
            // Keeps the value out of HTTP/2 header tables and debug output.
            value.set_sensitive(true);
            Ok(Auth::Header(name, value))
        };
        match scheme.kind {
            SchemeKind::Bearer => header("authorization", &format!("Bearer {}", secret.expose())),
            SchemeKind::Basic => header("authorization", &format!("Basic {}", secret.expose())),
            SchemeKind::Header(name) => header(name, secret.expose()),
            SchemeKind::Query(name) => Ok(Auth::Query(name, secret.expose().to_owned())),
        }
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    api: &'static ApiSpec,
    base_url: Option<String>,
    secrets: Vec<Option<Secret>>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &Credentials(self.api, &self.secrets))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Which credentials are set, by scheme name (values redacted).
struct Credentials<'a>(&'static ApiSpec, &'a [Option<Secret>]);

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = self.0.schemes.iter().zip(self.1).filter(|(_, s)| s.is_some());
        f.debug_map().entries(set.map(|(scheme, secret)| (scheme.name, secret))).finish()
    }
}

fn read_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl ClientBuilder {
    /// A builder for `api` with nothing set.
    #[doc(hidden)]
    pub fn for_api(api: &'static ApiSpec) -> Self {
        ClientBuilder {
            api,
            base_url: None,
            secrets: vec![None; api.schemes.len()],
            timeout: None,
            retry: None,
            http: None,
        }
    }

    /// Sets the credential of scheme `index`.
    #[doc(hidden)]
    pub fn credential(mut self, index: usize, value: Option<Secret>) -> Self {
        if let Some(slot) = self.secrets.get_mut(index) {
            *slot = value;
        }
        self
    }

    /// Sets the base URL (scheme, host and path prefix).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the timeout of each request (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets how many times a failed request is retried (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        let mut retry = self.retry.take().unwrap_or_default();
        retry.max_retries = max_retries;
        self.retry = Some(retry);
        self
    }

    /// Uses a preconfigured `reqwest` client (its own timeout applies).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Fills what is not set yet from the environment: the base URL and
    /// each credential from the variables the client's docs list. Empty
    /// variables count as unset.
    // A builder step named for where the values come from (public API).
    #[allow(clippy::wrong_self_convention)]
    pub fn from_env(mut self) -> Self {
        if self.base_url.is_none() {
            self.base_url = read_env(self.api.base_url_env);
        }
        for (scheme, slot) in self.api.schemes.iter().zip(self.secrets.iter_mut()) {
            if slot.is_none() {
                *slot = read_env(scheme.env).map(Secret::new);
            }
        }
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let api = self.api;
        let base_url = match self.base_url.or(api.base_url.map(str::to_owned)) {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => return Err(BuildError::MissingBaseUrl),
        };
        match reqwest::Url::parse(&base_url) {
            Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.has_host() => {}
            _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
        }
        let complete = |alt: &&[usize]| alt.iter().all(|i| self.secrets.get(*i).is_some_and(Option::is_some));
        if !api.required.is_empty() && !api.required.iter().any(complete) {
            return Err(BuildError::MissingCredentials { accepted: api.accepted });
        }
        let auth = api
            .schemes
            .iter()
            .zip(&self.secrets)
            .map(|(scheme, secret)| secret.as_ref().map(|s| Auth::new(scheme, s)).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(timeout)
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(BuildError::Http)?,
        };
        let retry = self.retry.unwrap_or_default();
        let gate = Gate::default();
        Ok(Client { inner: Arc::new(Inner { api, http, base_url, secrets: self.secrets, auth, retry, gate, timeout }) })
    }
}

struct Inner {
    api: &'static ApiSpec,
    http: reqwest::Client,
    base_url: String,
    secrets: Vec<Option<Secret>>,
    auth: Vec<Option<Auth>>,
    retry: RetryPolicy,
    /// Pauses the server asked for, shared by every request of this client.
    gate: Gate,
    /// The timeout set on the builder (or the default): a streamed reply's
    /// bound on each wait.
    timeout: Duration,
}

/// The API client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &Credentials(self.inner.api, &self.inner.secrets))
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

// What every call does with a client. Free functions, not methods: the
// generated crate adds one accessor method per operation group to `Client`,
// and none of those may meet a name of ours.

/// The reply header that carries the server's request id.
pub(super) fn request_id_header(client: &Client) -> Option<&'static str> {
    client.inner.api.request_id_header
}

/// Sends a request with the retry policy and timeout of `options`, or
/// the client's.
pub(super) async fn send<E>(client: &Client, request: Request, options: &RequestOptions) -> Result<reqwest::Response, Error<E>> {
    send_with(client, request, options, Deadline::Total(options.timeout)).await
}

/// [`send`] for a reply read as a stream: the timeout (the call's, else the
/// client's) bounds each wait, for the reply and then for every chunk, not
/// the whole exchange, which lasts as long as the server streams.
pub(super) async fn send_streaming<E>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
) -> Result<reqwest::Response, Error<E>> {
    send_with(client, request, options, Deadline::EachWait(wait_limit(client, options))).await
}

/// What bounds each wait of a streamed reply.
pub(super) fn wait_limit(client: &Client, options: &RequestOptions) -> Duration {
    options.timeout.unwrap_or(client.inner.timeout)
}

/// The retry policy of a call: the call's, else the client's.
pub(super) fn retry_policy<'a>(client: &'a Client, options: &'a RequestOptions) -> &'a RetryPolicy {
    options.retry.as_ref().unwrap_or(&client.inner.retry)
}

async fn send_with<E>(client: &Client, request: Request, options: &RequestOptions, deadline: Deadline) -> Result<reqwest::Response, Error<E>> {
    let op = request.op;
    let prepared = prepare(client, request)?;
    let policy = retry_policy(client, options);
    match super::retry::send(prepared, policy, deadline, op, &client.inner.gate).await {
        Ok(response) => Ok(response),
        Err(SendError::Http(e)) => Err(Error::Transport(e)),
        Err(SendError::Stalled(waited)) => Err(Error::Stalled { waited }),
    }
}

/// URL, query, headers, body and the first accepted set of credentials.
fn prepare(client: &Client, request: Request) -> Result<reqwest::RequestBuilder, Refused> {
    let op = request.op;
    let secrets = &client.inner.secrets;
    let security = op.security;
    let complete = |alt: &&&[usize]| alt.iter().all(|i| secrets.get(*i).is_some_and(Option::is_some));
    let chosen = security.alternatives.iter().find(complete);
    if chosen.is_none() && !security.anonymous && !security.alternatives.is_empty() {
        return Err(Refused::Credentials { operation: op.id, accepted: security.accepted });
    }
    let mut url = match &request.url {
        Some(link) => follow_url(&client.inner.base_url, link)?,
        None => {
            let path = request.render_path()?;
            reqwest::Url::parse(&format!("{}{}", client.inner.base_url, path))
                .map_err(|e| Refused::parameter("path", e.to_string()))?
        }
    };
    let auth: Vec<&Auth> = chosen.copied().unwrap_or_default().iter().filter_map(|i| client.inner.auth[*i].as_ref()).collect();
    // Pairs arrive percent-encoded, delimiters left as their style wrote
    // them (`a=1,2`, `f[k]=v`); `set_query` keeps them so.
    // A followed link carries its own query.
    let mut query = match &request.url {
        Some(_) => url.query().unwrap_or_default().to_owned(),
        None => request.query_string(),
    };
    for a in &auth {
        if let Auth::Query(name, value) = a {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("{}={}", super::styles::data(name), super::styles::data(value)));
        }
    }
    if !query.is_empty() {
        url.set_query(Some(&query));
    }
    let method = reqwest::Method::from_bytes(op.method.as_bytes())
        .map_err(|_| Refused::parameter("method", format!("`{}` is not an HTTP method", op.method)))?;
    let mut builder = client.inner.http.request(method, url);
    for (name, value) in &request.headers {
        let value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|_| Refused::parameter(name, "not a valid header value"))?;
        builder = builder.header(*name, value);
    }
    if let Some(accept) = request.accept {
        builder = builder.header(reqwest::header::ACCEPT, accept);
    }
    for a in auth {
        if let Auth::Header(name, value) = a {
            builder = builder.header(name.clone(), value.clone());
        }
    }
    builder = match request.body {
        None => builder,
        Some(Body::Bytes(media, bytes)) => builder.header(reqwest::header::CONTENT_TYPE, media).body(bytes),
        Some(Body::Parts(parts)) => {
            let (media, bytes) = super::bodies::multipart(&parts);
            builder.header(reqwest::header::CONTENT_TYPE, media).body(bytes)
        }
        Some(Body::Multipart(form)) => builder.multipart(form),
        Some(Body::Raw(media, body)) => builder.header(reqwest::header::CONTENT_TYPE, media).body(body),
    };
    Ok(builder)
}

/// A next-page link as a URL: absolute, or relative to the base URL, and
/// on the base URL's origin (scheme, host, port); credentials must not go
/// anywhere else.
fn follow_url(base: &str, link: &str) -> Result<reqwest::Url, Refused> {
    let base = reqwest::Url::parse(&format!("{base}/")).map_err(|e| Refused::parameter("next", e.to_string()))?;
    let url = base.join(link).map_err(|e| Refused::parameter("next", format!("{link:?} is not a URL: {e}")))?;
    if url.origin() != base.origin() {
        return Err(Refused::parameter("next", format!("the next page's link {link:?} leaves {}", base.origin().ascii_serialization())));
    }
    Ok(url)
}
