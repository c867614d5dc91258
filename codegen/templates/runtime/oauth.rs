//! OAuth2 and OpenID Connect tokens: the settings a user gives
//! ([`OAuth2`]: a token, client credentials, or their own
//! [`TokenSource`]), the client credentials grant of RFC 6749 §4.4 against
//! the scheme's token URL, and the cache every call takes its token from.
//!
//! The cache keeps one token per set of scopes. However many calls need a
//! token at once, one fetch runs and the others wait for it (a fetch that
//! fails hands its error to the calls that waited for it). A token is
//! refreshed shortly before its `expires_in` runs out: the first call to
//! notice fetches the next one while the others keep using the current
//! one. When the API answers 401, the token that call used is dropped and
//! the client retries the call once with a new one (see `client::send`).
//! Tokens never appear in `Debug` output, logs or errors.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::StatusCode;
use super::auth::{Secret, sensitive};
use super::request::Operation;
use super::retry::{Deadline, Gate, RetryPolicy, SendError};

/// How long before a token expires the client fetches the next one (at
/// most half of the token's lifetime).
pub const REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// How long a failed early refresh waits before the next try, while the
/// current token is still valid.
const EARLY_RETRY: Duration = Duration::from_secs(1);

/// OAuth2 (or OpenID Connect) credentials: a token you already have,
/// client credentials the client exchanges for tokens, or a
/// [`TokenSource`] of your own (an authorization-code flow, a token
/// broker). `Debug` never shows a secret.
///
/// ```rust,ignore
/// // Tokens fetched from the scheme's token URL, refreshed before they expire.
/// let creds = OAuth2::client_credentials("my-client", "my-secret");
/// // One token with these scopes for every call (instead of each
/// // operation's own scopes).
/// let creds = OAuth2::client_credentials("my-client", "my-secret").scopes(["read", "write"]);
/// // A token from your own code, asked for when one is needed or refused.
/// let creds = OAuth2::source(|request: TokenRequest| async move {
///     Ok(Token::new(my_app::access_token(&request.scopes).await?))
/// });
/// ```
#[derive(Clone)]
pub struct OAuth2 {
    grant: Grant,
    scopes: Option<Vec<String>>,
    token_url: Option<String>,
    client_auth: ClientAuth,
}

#[derive(Clone)]
enum Grant {
    Token(Secret),
    ClientCredentials { client_id: String, client_secret: Secret },
    Source(Arc<dyn TokenSource>),
}

impl OAuth2 {
    /// A token you already have, sent as `Authorization: Bearer <token>`
    /// as it is (nothing refreshes it).
    pub fn token(token: impl Into<Secret>) -> Self {
        OAuth2::with(Grant::Token(token.into()))
    }

    /// Client credentials (RFC 6749 §4.4): the client fetches tokens from
    /// the scheme's token URL (the `clientCredentials` flow's; OpenID
    /// Connect: the discovery document's `token_endpoint`), asking for the
    /// scopes each operation needs, and refreshes them before they expire.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        OAuth2::with(Grant::ClientCredentials { client_id: client_id.into(), client_secret: client_secret.into() })
    }

    /// Tokens from your own code: `source` is asked for one when a call
    /// needs a token and none is cached (or the cached one expired, or the
    /// API refused it). What it returns is cached like a fetched token.
    pub fn source(source: impl TokenSource) -> Self {
        OAuth2::with(Grant::Source(Arc::new(source)))
    }

    fn with(grant: Grant) -> Self {
        OAuth2 { grant, scopes: None, token_url: None, client_auth: ClientAuth::default() }
    }

    /// Asks for these scopes for every call (one token for all), instead
    /// of the scopes each operation's security requirement names.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Fetches client-credentials tokens from `url` (absolute, or relative
    /// to the base URL) instead of the URL the spec gives.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// How the client authenticates to the token endpoint (default
    /// [`ClientAuth::Auto`]).
    pub fn client_auth(mut self, how: ClientAuth) -> Self {
        self.client_auth = how;
        self
    }

    /// The token to send as is, when that is what was given.
    pub(super) fn fixed_token(&self) -> Option<&Secret> {
        match &self.grant {
            Grant::Token(t) => Some(t),
            _ => None,
        }
    }
}

impl PartialEq for OAuth2 {
    fn eq(&self, other: &Self) -> bool {
        let grants = match (&self.grant, &other.grant) {
            (Grant::Token(a), Grant::Token(b)) => a == b,
            (
                Grant::ClientCredentials { client_id: a, client_secret: s },
                Grant::ClientCredentials { client_id: b, client_secret: t },
            ) => a == b && s == t,
            (Grant::Source(a), Grant::Source(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        grants && self.scopes == other.scopes && self.token_url == other.token_url && self.client_auth == other.client_auth
    }
}

impl Eq for OAuth2 {}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("OAuth2");
        match &self.grant {
            Grant::Token(t) => s.field("token", t),
            Grant::ClientCredentials { client_id, client_secret } => {
                s.field("client_id", client_id).field("client_secret", client_secret)
            }
            Grant::Source(_) => s.field("source", &format_args!("<token source>")),
        };
        s.field("scopes", &self.scopes).field("token_url", &self.token_url).finish()
    }
}

impl From<Secret> for OAuth2 {
    fn from(token: Secret) -> Self {
        OAuth2::token(token)
    }
}

impl From<&str> for OAuth2 {
    fn from(token: &str) -> Self {
        OAuth2::token(token)
    }
}

impl From<String> for OAuth2 {
    fn from(token: String) -> Self {
        OAuth2::token(token)
    }
}

/// How a client authenticates to the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// HTTP Basic first (every server must accept it); if the server
    /// answers `invalid_client`, the id and secret in the form body, and
    /// from then on whichever worked.
    #[default]
    Auto,
    /// HTTP Basic (`client_secret_basic`).
    Basic,
    /// `client_id` and `client_secret` in the form body (`client_secret_post`).
    Body,
}

/// What a [`TokenSource`] is asked for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenRequest {
    /// The security scheme (its key in the spec).
    pub scheme: &'static str,
    /// The scopes the call needs (or the ones set with
    /// [`OAuth2::scopes`]), sorted; empty when it names none.
    pub scopes: Vec<String>,
    /// Whether the API refused the last token this source gave for these
    /// scopes (a 401): a cached token of yours is no good either.
    pub refused: bool,
}

/// A token, and how long it lives when the issuer says.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    secret: Secret,
    expires_in: Option<Duration>,
}

impl Token {
    /// An access token, sent as `Authorization: Bearer <token>`, kept
    /// until the API refuses it unless [`expires_in`](Self::expires_in) says.
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Token { secret: access_token.into(), expires_in: None }
    }

    /// How long the token lives from now; the client asks for the next one
    /// shortly before (see [`REFRESH_AHEAD`]).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The access token.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// How long it lives, when known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_in
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token").field("secret", &self.secret).field("expires_in", &self.expires_in).finish()
    }
}

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// Where tokens come from, when you get them yourself: an
/// authorization-code flow, a refresh token, a token broker. The client
/// calls it only when a call needs a token it does not have (none yet, the
/// last one expired, or the API refused it), one call at a time per set of
/// scopes, and caches what it returns.
///
/// A closure `|request: TokenRequest| async move { ... }` is one; or
/// implement it:
///
/// ```rust,ignore
/// struct Broker(my_app::Broker);
///
/// impl TokenSource for Broker {
///     fn token(&self, request: TokenRequest) -> TokenFuture<'_> {
///         Box::pin(async move {
///             let t = self.0.fetch(&request.scopes, request.refused).await.map_err(TokenError::other)?;
///             Ok(Token::new(t.value).expires_in(t.lifetime))
///         })
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// A token for `request`.
    fn token(&self, request: TokenRequest) -> TokenFuture<'_>;
}

impl<F, Fut> TokenSource for F
where
    F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, TokenError>> + Send + 'static,
{
    fn token(&self, request: TokenRequest) -> TokenFuture<'_> {
        Box::pin(self(request))
    }
}

/// Why no token could be had. Never carries a token or a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint answered with an OAuth2 error (RFC 6749 §5.2).
    OAuth {
        /// The reply's status.
        status: StatusCode,
        /// The error code (`invalid_client`, `invalid_scope`, ...).
        error: String,
        /// The server's explanation, if it gave one.
        error_description: Option<String>,
        /// A page about the error, if the server gave one.
        error_uri: Option<String>,
    },
    /// The token endpoint (or the OpenID Connect discovery document)
    /// answered something else than what the protocol says.
    InvalidReply {
        /// The reply's status.
        status: StatusCode,
        /// What was wrong (with an excerpt of an error reply's body; never
        /// the body of a success, which may hold a token).
        message: String,
    },
    /// The token endpoint could not be reached.
    Transport(reqwest::Error),
    /// A [`TokenSource`] of yours failed.
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl TokenError {
    /// A failure of your [`TokenSource`].
    pub fn other(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TokenError::Other(error.into())
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::OAuth { status, error, error_description, .. } => {
                write!(f, "the token endpoint replied {status}: {error}")?;
                match error_description {
                    Some(d) => write!(f, " ({d})"),
                    None => Ok(()),
                }
            }
            TokenError::InvalidReply { status, message } => write!(f, "the token endpoint replied {status}: {message}"),
            TokenError::Transport(e) => write!(f, "could not reach the token endpoint: {e}"),
            TokenError::Other(e) => write!(f, "the token source failed: {e}"),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Transport(e) => Some(e),
            TokenError::Other(e) => Some(&**e),
            _ => None,
        }
    }
}

/// Locks a mutex whose data stays consistent even if a holder panicked.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The tokens of one scheme, by scopes.
pub(super) struct Tokens {
    /// The scheme's key, for errors.
    pub(super) scheme: &'static str,
    source: Arc<dyn TokenSource>,
    /// Scopes set by the user, which replace each operation's.
    scopes: Option<Vec<String>>,
    slots: Mutex<HashMap<Vec<String>, Arc<Slot>>>,
    ids: AtomicU64,
}

/// The token of one set of scopes.
#[derive(Default)]
struct Slot {
    current: Mutex<Option<Held>>,
    /// Held by the one call fetching; the others wait on it.
    flight: futures_util::lock::Mutex<()>,
    /// Fetches finished, and the error of the last one if it failed.
    outcome: Mutex<(u64, Option<Arc<TokenError>>)>,
    /// The API refused the last token; the next fetch says so.
    refused: AtomicBool,
}

#[derive(Clone)]
struct Held {
    id: u64,
    value: reqwest::header::HeaderValue,
    /// From then on, the next call fetches the next token.
    refresh_at: Option<Instant>,
    expires_at: Option<Instant>,
}

impl Held {
    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|t| now < t)
    }

    fn valid(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|t| now < t)
    }
}

/// The token a call sent, to hand back if the API refuses it.
pub(super) struct Lease {
    /// The `Authorization` value.
    pub(super) value: reqwest::header::HeaderValue,
    slot: Arc<Slot>,
    id: u64,
}

impl Tokens {
    pub(super) fn new(scheme: &'static str, source: Arc<dyn TokenSource>, scopes: Option<Vec<String>>) -> Self {
        Tokens { scheme, source, scopes, slots: Mutex::default(), ids: AtomicU64::new(0) }
    }

    /// The `Authorization` value for a call that needs `required` scopes.
    pub(super) async fn get(&self, required: &[&str]) -> Result<Lease, Arc<TokenError>> {
        let mut scopes: Vec<String> = match &self.scopes {
            Some(s) => s.clone(),
            None => required.iter().map(|s| (*s).to_owned()).collect(),
        };
        scopes.sort();
        scopes.dedup();
        let slot = Arc::clone(lock(&self.slots).entry(scopes.clone()).or_default());
        let lease = |h: Held, slot: &Arc<Slot>| Lease { value: h.value, slot: Arc::clone(slot), id: h.id };
        let now = Instant::now();
        let held = lock(&slot.current).clone();
        match held {
            Some(h) if h.fresh(now) => return Ok(lease(h, &slot)),
            Some(h) if h.valid(now) => {
                // Time to refresh, and the token still works: the first
                // call to notice fetches, the others go on with this one.
                if let Some(_flight) = slot.flight.try_lock() {
                    match self.fetch(&slot, scopes).await {
                        Ok(next) => return Ok(lease(next, &slot)),
                        Err(e) => {
                            tracing::debug!(scheme = self.scheme, error = %e, "early token refresh failed; the current token is still valid");
                            if let Some(h) = lock(&slot.current).as_mut().filter(|c| c.id == h.id) {
                                h.refresh_at = Some(now + EARLY_RETRY);
                            }
                        }
                    }
                }
                return Ok(lease(h, &slot));
            }
            _ => {}
        }
        let seen = lock(&slot.outcome).0;
        let _flight = slot.flight.lock().await;
        // Another call may have fetched (or failed to) while this one waited.
        if let Some(h) = lock(&slot.current).clone().filter(|h| h.valid(Instant::now())) {
            return Ok(lease(h, &slot));
        }
        if let (done, Some(e)) = &*lock(&slot.outcome) {
            if *done != seen {
                return Err(Arc::clone(e));
            }
        }
        let next = self.fetch(&slot, scopes).await?;
        Ok(lease(next, &slot))
    }

    /// Fetches a token into `slot`; the caller holds its flight lock.
    async fn fetch(&self, slot: &Slot, scopes: Vec<String>) -> Result<Held, Arc<TokenError>> {
        let refused = slot.refused.swap(false, Ordering::AcqRel);
        let started = Instant::now();
        let result = self.source.token(TokenRequest { scheme: self.scheme, scopes, refused }).await;
        let result = result.and_then(|token| {
            let value = sensitive(&format!("Bearer {}", token.secret.expose())).ok_or_else(|| {
                TokenError::other("the access token contains characters a header cannot carry")
            })?;
            let (refresh_at, expires_at) = match token.expires_in {
                Some(life) => (Some(started + life - (life / 2).min(REFRESH_AHEAD)), Some(started + life)),
                None => (None, None),
            };
            let id = self.ids.fetch_add(1, Ordering::Relaxed);
            Ok(Held { id, value, refresh_at, expires_at })
        });
        let mut outcome = lock(&slot.outcome);
        outcome.0 += 1;
        match result {
            Ok(held) => {
                tracing::debug!(scheme = self.scheme, expires_in_s = ?held.expires_at.map(|t| (t - started).as_secs()), "token obtained");
                *lock(&slot.current) = Some(held.clone());
                outcome.1 = None;
                Ok(held)
            }
            Err(e) => {
                tracing::debug!(scheme = self.scheme, error = %e, "token fetch failed");
                if refused {
                    slot.refused.store(true, Ordering::Release);
                }
                let e = Arc::new(e);
                outcome.1 = Some(Arc::clone(&e));
                Err(e)
            }
        }
    }

    /// The API refused the token `lease` carried: drop it (unless another
    /// call already replaced it), so the next call fetches a new one.
    pub(super) fn refused(&self, lease: &Lease) {
        let mut current = lock(&lease.slot.current);
        if current.as_ref().is_some_and(|h| h.id == lease.id) {
            *current = None;
            lease.slot.refused.store(true, Ordering::Release);
        }
    }
}

/// What the runtime's own source needs besides the credentials.
pub(super) struct Exchange {
    /// The client's HTTP client (timeouts, TLS settings).
    pub(super) http: reqwest::Client,
    /// The client's retry policy.
    pub(super) retry: RetryPolicy,
    /// Where tokens come from.
    pub(super) endpoint: Endpoint,
}

/// Where the token endpoint is.
pub(super) enum Endpoint {
    /// This URL.
    Token(reqwest::Url),
    /// The `token_endpoint` of this OpenID Connect discovery document.
    Discover(reqwest::Url, Mutex<Option<reqwest::Url>>),
}

/// Which client authentication worked (`Auto`): not yet known, Basic, body.
const UNKNOWN: u8 = 0;
const BASIC: u8 = 1;
const BODY: u8 = 2;

/// The client credentials grant, as a token source.
struct ClientCredentials {
    exchange: Exchange,
    client_id: String,
    client_secret: Secret,
    how: ClientAuth,
    works: AtomicU8,
    /// Pauses the token endpoint asked for (its own, not the API's).
    gate: Gate,
}

/// The token endpoint, as the retry loop names it in logs.
static TOKEN_ENDPOINT: Operation = Operation {
    id: "oauth2-token",
    method: "POST",
    path: "tokenUrl",
    ..Operation::DEFAULT
};

/// The OpenID Connect discovery document, as the retry loop names it.
static DISCOVERY: Operation = Operation { id: "openid-configuration", path: "openIdConnectUrl", ..Operation::DEFAULT };

/// What the client sends tokens from, for `oauth`; `None` for a token
/// given as is (the caller sends it like any fixed header).
pub(super) fn tokens(scheme: &'static str, oauth: &OAuth2, exchange: impl FnOnce() -> Result<Exchange, String>) -> Result<Option<Tokens>, String> {
    let source: Arc<dyn TokenSource> = match &oauth.grant {
        Grant::Token(_) => return Ok(None),
        Grant::Source(s) => Arc::clone(s),
        Grant::ClientCredentials { client_id, client_secret } => Arc::new(ClientCredentials {
            exchange: exchange()?,
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            how: oauth.client_auth,
            works: AtomicU8::new(UNKNOWN),
            gate: Gate::default(),
        }),
    };
    Ok(Some(Tokens::new(scheme, source, oauth.scopes.clone())))
}

/// The token URL `oauth` was given, if any.
pub(super) fn given_token_url(oauth: &OAuth2) -> Option<&str> {
    oauth.token_url.as_deref()
}

/// Whether `oauth` fetches tokens itself (and so needs a token URL).
pub(super) fn exchanges(oauth: &OAuth2) -> bool {
    matches!(oauth.grant, Grant::ClientCredentials { .. })
}

impl TokenSource for ClientCredentials {
    fn token(&self, request: TokenRequest) -> TokenFuture<'_> {
        Box::pin(async move {
            let url = self.endpoint().await?;
            let first = match (self.how, self.works.load(Ordering::Acquire)) {
                (ClientAuth::Body, _) | (ClientAuth::Auto, BODY) => ClientAuth::Body,
                _ => ClientAuth::Basic,
            };
            let result = self.exchange(&url, &request.scopes, first).await;
            let refused_client = match &result {
                Err(TokenError::OAuth { error, .. }) => error == "invalid_client",
                Err(TokenError::InvalidReply { status, .. }) => *status == StatusCode::UNAUTHORIZED,
                _ => false,
            };
            let untested = self.how == ClientAuth::Auto && self.works.load(Ordering::Acquire) == UNKNOWN;
            let (result, used) = if refused_client && untested {
                tracing::debug!(scheme = request.scheme, "the token endpoint refused Basic client authentication; trying the form body");
                (self.exchange(&url, &request.scopes, ClientAuth::Body).await, BODY)
            } else {
                (result, if first == ClientAuth::Body { BODY } else { BASIC })
            };
            if result.is_ok() && self.how == ClientAuth::Auto {
                self.works.store(used, Ordering::Release);
            }
            result
        })
    }
}

impl ClientCredentials {
    /// The token endpoint, discovered once for OpenID Connect.
    async fn endpoint(&self) -> Result<reqwest::Url, TokenError> {
        let (document, found) = match &self.exchange.endpoint {
            Endpoint::Token(url) => return Ok(url.clone()),
            Endpoint::Discover(document, found) => (document, found),
        };
        if let Some(url) = lock(found).clone() {
            return Ok(url);
        }
        let request = self.exchange.http.get(document.clone()).header(reqwest::header::ACCEPT, "application/json");
        let reply = super::retry::send(request, &self.exchange.retry, Deadline::Total(None), &DISCOVERY, DISCOVERY.method, &self.gate).await.map_err(transport)?;
        let status = reply.status();
        let body = reply.bytes().await.map_err(TokenError::Transport)?;
        let invalid = |message: String| TokenError::InvalidReply { status, message };
        if !status.is_success() {
            return Err(invalid(format!("the OpenID Connect discovery document could not be read: {}", super::error::excerpt(&body))));
        }
        let doc: serde_json::Value = serde_json::from_slice(&body).map_err(|e| invalid(format!("the OpenID Connect discovery document is not JSON: {e}")))?;
        let endpoint = doc.get("token_endpoint").and_then(serde_json::Value::as_str);
        let url = endpoint
            .and_then(|e| document.join(e).ok())
            .ok_or_else(|| invalid("the OpenID Connect discovery document has no `token_endpoint` URL".into()))?;
        *lock(found) = Some(url.clone());
        Ok(url)
    }

    /// One token request (RFC 6749 §4.4.2), authenticating as `how`.
    async fn exchange(&self, url: &reqwest::Url, scopes: &[String], how: ClientAuth) -> Result<Token, TokenError> {
        let scope = scopes.join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let mut request = self.exchange.http.post(url.clone()).header(reqwest::header::ACCEPT, "application/json");
        if how == ClientAuth::Body {
            form.push(("client_id", &self.client_id));
            form.push(("client_secret", self.client_secret.expose()));
        } else {
            // §2.3.1: each form-encoded before the Basic encoding.
            let value = super::auth::basic(form_encode(&self.client_id).as_bytes(), form_encode(self.client_secret.expose()).as_bytes());
            let value = sensitive(&format!("Basic {value}")).ok_or_else(|| TokenError::other("the client id cannot go in a header"))?;
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        let request = request.form(&form);
        let reply = super::retry::send(request, &self.exchange.retry, Deadline::Total(None), &TOKEN_ENDPOINT, TOKEN_ENDPOINT.method, &self.gate).await.map_err(transport)?;
        let status = reply.status();
        let body = reply.bytes().await.map_err(TokenError::Transport)?;
        read_token(status, &body)
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    const FORM: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'*');
    percent_encoding::utf8_percent_encode(value, FORM).to_string()
}

/// A token endpoint's reply (RFC 6749 §5.1, §5.2) as a token or an error.
/// A success body is never quoted: it may hold a token.
fn read_token(status: StatusCode, body: &[u8]) -> Result<Token, TokenError> {
    use serde_json::Value;
    let invalid = |message: String| TokenError::InvalidReply { status, message };
    let excerpt = || format!("not an OAuth2 error reply: {}", super::error::excerpt(body));
    let map = match serde_json::from_slice::<serde_json::Map<String, Value>>(body) {
        Ok(map) => map,
        Err(_) if status.is_success() => return Err(invalid("the reply is not a JSON object".into())),
        Err(_) => return Err(invalid(excerpt())),
    };
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    // Some servers answer 200 with an error object.
    if let Some(error) = text("error") {
        return Err(TokenError::OAuth { status, error, error_description: text("error_description"), error_uri: text("error_uri") });
    }
    if !status.is_success() {
        return Err(invalid(excerpt()));
    }
    let Some(token) = text("access_token") else {
        return Err(invalid("the reply has no `access_token`".into()));
    };
    match map.get("token_type") {
        None => {}
        Some(Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
        Some(other) => return Err(invalid(format!("token type {other} is not supported (only Bearer)"))),
    }
    // A number, or (some servers) a string of one; anything else is as
    // if absent: the token is kept until the API refuses it.
    let seconds = match map.get("expires_in") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let token = Token::new(token);
    Ok(match seconds.filter(|s| s.is_finite() && *s >= 0.0) {
        Some(s) => token.expires_in(Duration::from_secs_f64(s.min(1e9))),
        None => token,
    })
}

/// An attempt's failure as a token endpoint's: with a whole-exchange
/// deadline only the HTTP client fails.
fn transport(e: SendError) -> TokenError {
    match e {
        SendError::Http(e) => TokenError::Transport(e),
        SendError::Stalled(waited) => TokenError::Other(format!("no reply within {waited:?}").into()),
    }
}
