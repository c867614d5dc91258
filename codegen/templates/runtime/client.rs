//! The client: base URL, credentials, HTTP settings and retry policy, and
//! the one path every call takes (credentials chosen, tokens fetched,
//! request sent with retries, once more with a new token after a 401).
//!
//! What differs per API (its schemes, environment variables, base URL)
//! arrives as one [`ApiSpec`] static written by the generator; the
//! generated `client.rs` adds the typed credential setters and the group
//! accessors. What each kind of credential is lives in `auth`, tokens in
//! `oauth`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{Auth, Credential, SchemeKind, SchemeSpec};
use super::oauth::{Endpoint, Exchange, Lease, Tokens};
use super::request::{Body, Operation, Request};
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
    /// What a request to a path the description does not have is sent
    /// as (the description's top-level security requirement).
    pub custom: &'static Operation,
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
    /// A credential cannot be used for its scheme (a value a header cannot
    /// carry, a client certificate that does not parse, client credentials
    /// without a token URL...).
    InvalidCredential {
        /// The security scheme.
        scheme: &'static str,
        /// Why (never the credential itself).
        reason: String,
    },
    /// No complete set of credentials was given.
    MissingCredentials {
        /// The combinations the API accepts.
        accepted: &'static str,
    },
    /// An environment variable `from_env` read is unusable, or one of a
    /// pair is set without the other.
    Environment {
        /// The variable.
        variable: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A setting that needs the client's own HTTP client (a client
    /// certificate, a root certificate) was given with
    /// [`ClientBuilder::http_client`]; configure that client with it instead.
    HttpClientSettings {
        /// The setting.
        setting: &'static str,
    },
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no base URL: set one with `ClientBuilder::base_url`"),
            BuildError::InvalidBaseUrl { url } => write!(f, "base URL {url:?} is not an absolute http(s) URL"),
            BuildError::InvalidCredential { scheme, reason } => write!(f, "the `{scheme}` credential cannot be used: {reason}"),
            BuildError::MissingCredentials { accepted } => write!(f, "no credentials: the API accepts {accepted}"),
            BuildError::Environment { variable, message } => write!(f, "`{variable}` {message}"),
            BuildError::HttpClientSettings { setting } => {
                write!(f, "{setting} cannot be added to a client given with `http_client`; configure that client with it")
            }
            BuildError::Http(e) => write!(f, "could not create the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds a [`Client`].
pub struct ClientBuilder {
    api: &'static ApiSpec,
    base_url: Option<String>,
    credentials: Vec<Option<Credential>>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    roots: Vec<reqwest::Certificate>,
    /// The first problem `from_env` met, reported by `build`.
    env_problem: Option<super::auth::EnvProblem>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &Credentials(self.api, &self.credentials))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Which credentials are set, by scheme name (secrets redacted).
struct Credentials<'a>(&'static ApiSpec, &'a [Option<Credential>]);

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = self.0.schemes.iter().zip(self.1).filter_map(|(scheme, c)| Some((scheme.name, c.as_ref()?)));
        f.debug_map().entries(set).finish()
    }
}

impl ClientBuilder {
    /// A builder for `api` with nothing set.
    #[doc(hidden)]
    pub fn for_api(api: &'static ApiSpec) -> Self {
        ClientBuilder {
            api,
            base_url: None,
            credentials: vec![None; api.schemes.len()],
            timeout: None,
            retry: None,
            http: None,
            roots: Vec::new(),
            env_problem: None,
        }
    }

    /// Sets the credential of scheme `index`.
    #[doc(hidden)]
    pub fn credential(mut self, index: usize, value: Option<Credential>) -> Self {
        if let Some(slot) = self.credentials.get_mut(index) {
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

    /// Also trusts servers whose certificate `certificate` issued (a
    /// private certificate authority), besides the usual roots.
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.roots.push(certificate);
        self
    }

    /// Uses a preconfigured `reqwest` client (its own timeout applies, and
    /// its own TLS settings: a client certificate must be set on it, and a
    /// scheme that needs one counts as set).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Fills what is not set yet from the environment: the base URL and
    /// each credential from the variables the client's docs list. Empty
    /// variables count as unset; a credential of two values (a username
    /// and a password, a client id and secret, a certificate and its key)
    /// needs both, and `build` fails naming the one missing.
    // A builder step named for where the values come from (public API).
    #[allow(clippy::wrong_self_convention)]
    pub fn from_env(mut self) -> Self {
        if self.base_url.is_none() {
            self.base_url = super::auth::read_env(self.api.base_url_env);
        }
        for (scheme, slot) in self.api.schemes.iter().zip(self.credentials.iter_mut()) {
            if slot.is_none() {
                match super::auth::from_env(scheme) {
                    Ok(found) => *slot = found,
                    Err(problem) => {
                        self.env_problem.get_or_insert(problem);
                    }
                }
            }
        }
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let api = self.api;
        let base_url = match self.base_url.clone().or(api.base_url.map(str::to_owned)) {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => return Err(BuildError::MissingBaseUrl),
        };
        let base = match reqwest::Url::parse(&format!("{base_url}/")) {
            Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.has_host() => u,
            _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
        };
        if let Some(p) = &self.env_problem {
            return Err(BuildError::Environment { variable: p.variable, message: p.message.clone() });
        }
        // A preconfigured HTTP client carries its own certificate, if any.
        let own_http = self.http.is_some();
        let set = |i: usize| {
            self.credentials.get(i).is_some_and(Option::is_some)
                || (own_http && api.schemes.get(i).is_some_and(|s| matches!(s.kind, SchemeKind::MutualTls)))
        };
        if !api.required.is_empty() && !api.required.iter().any(|alt| alt.iter().all(|i| set(*i))) {
            return Err(BuildError::MissingCredentials { accepted: api.accepted });
        }
        let http = self.http_client_for(&self.credentials)?;
        let retry = self.retry.clone().unwrap_or_default();
        let mut auth = Vec::with_capacity(api.schemes.len());
        for (scheme, credential) in api.schemes.iter().zip(&self.credentials) {
            let unfit = |reason: String| BuildError::InvalidCredential { scheme: scheme.name, reason };
            auth.push(match (credential, scheme.kind) {
                (None, SchemeKind::MutualTls) if own_http => Some(Auth::Tls),
                (None, _) => None,
                (Some(Credential::ClientCert(_)), SchemeKind::MutualTls) => Some(Auth::Tls),
                (Some(c @ Credential::OAuth2(oauth)), SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. }) => {
                    let exchange = || {
                        let endpoint = token_endpoint(scheme, oauth, &base)?;
                        Ok(Exchange { http: http.clone(), retry: retry.clone(), endpoint })
                    };
                    match super::oauth::tokens(scheme.name, oauth, exchange).map_err(unfit)? {
                        Some(tokens) => Some(Auth::Tokens(Arc::new(tokens))),
                        None => Some(Auth::fixed(scheme.kind, c).map_err(unfit)?),
                    }
                }
                (Some(c), kind) => Some(Auth::fixed(kind, c).map_err(unfit)?),
            });
        }
        let gate = Gate::default();
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        Ok(Client { inner: Arc::new(Inner { api, http, base_url, credentials: self.credentials, auth, retry, gate, timeout }) })
    }

    /// The HTTP client: the one given, or one with the timeout, the root
    /// certificates and the client certificate, if any.
    fn http_client_for(&self, credentials: &[Option<Credential>]) -> Result<reqwest::Client, BuildError> {
        let mut identity = None;
        for (scheme, credential) in self.api.schemes.iter().zip(credentials) {
            if let (Some(Credential::ClientCert(cert)), SchemeKind::MutualTls) = (credential, scheme.kind) {
                let unfit = |reason: String| BuildError::InvalidCredential { scheme: scheme.name, reason };
                if identity.is_some() {
                    return Err(unfit("a connection presents one client certificate, and another scheme has one".into()));
                }
                identity = Some(cert.identity().map_err(|e| unfit(format!("not a PEM certificate chain and private key: {e}")))?);
            }
        }
        if let Some(http) = &self.http {
            return match (identity.is_some(), self.roots.is_empty()) {
                (true, _) => Err(BuildError::HttpClientSettings { setting: "a client certificate" }),
                (_, false) => Err(BuildError::HttpClientSettings { setting: "a root certificate" }),
                _ => Ok(http.clone()),
            };
        }
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
        for root in &self.roots {
            builder = builder.add_root_certificate(root.clone());
        }
        if let Some(identity) = identity {
            builder = builder.identity(identity);
        }
        builder.build().map_err(BuildError::Http)
    }
}

/// Where client credentials are exchanged for tokens: the URL the user
/// gave, else the flow's, else OpenID Connect discovery; relative URLs
/// resolve against the base URL (OpenAPI 3.1 "Relative References").
fn token_endpoint(scheme: &SchemeSpec, oauth: &super::oauth::OAuth2, base: &reqwest::Url) -> Result<Endpoint, String> {
    let resolve = |url: &str| match base.join(url) {
        Ok(u) if u.scheme() == "https" || u.scheme() == "http" => Ok(u),
        _ => Err(format!("{url:?} is not an http(s) URL")),
    };
    if let Some(url) = super::oauth::given_token_url(oauth) {
        return Ok(Endpoint::Token(resolve(url)?));
    }
    match scheme.kind {
        SchemeKind::OAuth2 { token_url: Some(url) } => Ok(Endpoint::Token(resolve(url)?)),
        SchemeKind::OpenIdConnect { url } => Ok(Endpoint::Discover(resolve(url)?, Default::default())),
        _ if super::oauth::exchanges(oauth) => {
            Err("the scheme declares no clientCredentials flow to fetch tokens from; give its token URL with `OAuth2::token_url`".into())
        }
        _ => Err("the scheme takes no OAuth2 settings".into()),
    }
}

struct Inner {
    api: &'static ApiSpec,
    http: reqwest::Client,
    base_url: String,
    /// What was given, for `Debug` (secrets redacted).
    credentials: Vec<Option<Credential>>,
    /// The same, prepared for sending.
    auth: Vec<Option<Auth>>,
    retry: RetryPolicy,
    /// Pauses the server asked for, shared by every request of this client.
    gate: Gate,
    /// The timeout set on the builder (or the default): a streamed reply's
    /// bound on each wait.
    timeout: Duration,
}

/// The API client. Cheap to clone; clones share connections and tokens.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &Credentials(self.inner.api, &self.inner.credentials))
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

/// The schemes a call sends (with the scopes it needs): the first
/// alternative of its requirement that is fully set; none when it needs
/// none or also allows none.
type Chosen = &'static [(usize, &'static [&'static str])];

/// What requests to paths the description does not have are sent as.
pub(super) fn custom_operation(client: &Client) -> &'static Operation {
    client.inner.api.custom
}

/// Sends a request with the retry policy and timeout of `options`, or
/// the client's. Tokens the call needs are fetched first; when the API
/// answers 401 to a fetched token, the call gets a new one and is sent
/// once more (only once: a second 401 is the reply).
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
    let method = request.method().to_owned();
    let chosen = choose(client, &request)?;
    // Arguments are checked before any token is fetched for them.
    let prepared = prepare(client, request, chosen)?;
    let held = leases(client, chosen).await?;
    let policy = retry_policy(client, options);
    // Bodies that cannot be replayed (streams) get no second try.
    let replay = if held.is_empty() { None } else { prepared.try_clone() };
    let attempt = |builder| super::retry::send(builder, policy, deadline, op, &method, &client.inner.gate);
    let response = attempt(with_tokens(prepared, &held)).await.map_err(sent)?;
    let Some(replay) = replay.filter(|_| response.status() == reqwest::StatusCode::UNAUTHORIZED) else {
        return Ok(response);
    };
    tracing::debug!(operation = op.id, "the API refused the token; retrying once with a new one");
    for (tokens, lease) in &held {
        tokens.refused(lease);
    }
    let held = leases(client, chosen).await?;
    attempt(with_tokens(replay, &held)).await.map_err(sent)
}

/// Why the last attempt failed, as the call's error.
fn sent<E>(e: SendError) -> Error<E> {
    match e {
        SendError::Http(e) => Error::Transport(e),
        SendError::Stalled(waited) => Error::Stalled { waited },
    }
}

/// The first alternative of the operation's requirement whose every
/// scheme is set.
fn choose(client: &Client, request: &Request) -> Result<Chosen, Refused> {
    let auth = &client.inner.auth;
    let security = request.op.security;
    let complete = |alt: &&Chosen| alt.iter().all(|(i, _)| auth.get(*i).is_some_and(Option::is_some));
    match security.alternatives.iter().find(complete) {
        Some(alt) => Ok(alt),
        None if security.anonymous || security.alternatives.is_empty() => Ok(&[]),
        None => Err(Refused::Credentials { operation: request.op.id, accepted: security.accepted }),
    }
}

/// A token for each scheme of `chosen` whose tokens are fetched.
async fn leases<E>(client: &Client, chosen: Chosen) -> Result<Vec<(Arc<Tokens>, Lease)>, Error<E>> {
    let mut out = Vec::new();
    for (i, scopes) in chosen {
        if let Some(Auth::Tokens(tokens)) = &client.inner.auth[*i] {
            let lease = tokens.get(scopes).await.map_err(|error| Error::Token { scheme: tokens.scheme, error })?;
            out.push((Arc::clone(tokens), lease));
        }
    }
    Ok(out)
}

fn with_tokens(mut builder: reqwest::RequestBuilder, leases: &[(Arc<Tokens>, Lease)]) -> reqwest::RequestBuilder {
    for (_, lease) in leases {
        builder = builder.header(reqwest::header::AUTHORIZATION, lease.value.clone());
    }
    builder
}

/// URL, query, headers, body and the fixed credentials of `chosen`
/// (fetched tokens are added by the caller).
fn prepare(client: &Client, request: Request, chosen: Chosen) -> Result<reqwest::RequestBuilder, Refused> {
    let mut url = match &request.url {
        Some(link) => follow_url(&client.inner.base_url, link)?,
        None => {
            let path = request.render_path()?;
            reqwest::Url::parse(&format!("{}{}", client.inner.base_url, path))
                .map_err(|e| Refused::parameter("path", e.to_string()))?
        }
    };
    let auth: Vec<&Auth> = chosen.iter().filter_map(|(i, _)| client.inner.auth[*i].as_ref()).collect();
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
    let method = reqwest::Method::from_bytes(request.method().as_bytes())
        .map_err(|_| Refused::parameter("method", format!("`{}` is not an HTTP method", request.method())))?;
    let mut headers = request.headers;
    // Every cookie in the one `Cookie` header (RFC 6265 §5.4).
    for a in &auth {
        if let Auth::Cookie(pair) = a {
            match headers.iter_mut().find(|(n, _)| *n == "cookie") {
                Some((_, line)) => {
                    line.push_str("; ");
                    line.push_str(pair);
                }
                None => headers.push(("cookie", pair.clone())),
            }
        }
    }
    let mut builder = client.inner.http.request(method, url);
    for (name, value) in request.custom.iter().flat_map(|c| &c.headers) {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Refused::parameter("header", format!("`{name}` is not a header name")))?;
        let value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|_| Refused::parameter("header", format!("`{name}`: not a valid header value")))?;
        builder = builder.header(name, value);
    }
    for (name, value) in &headers {
        let mut value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|_| Refused::parameter(name, "not a valid header value"))?;
        if *name == "cookie" && auth.iter().any(|a| matches!(a, Auth::Cookie(_))) {
            value.set_sensitive(true);
        }
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
