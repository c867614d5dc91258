//! Runtime support shared by every operation: the error type, secrets,
//! parameter formatting and checks, and reply decoding.
//!
//! This file is the same for every spec; the generator copies it verbatim.

use std::fmt;

pub use bytes::Bytes;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;

/// The error every operation returns. `E` is the operation's declared
/// error body (a JSON value when the spec declares none).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// A parameter was refused before anything was sent.
    InvalidParameter {
        /// Wire name of the parameter.
        name: &'static str,
        /// Why it was refused.
        message: String,
    },
    /// None of the credentials the operation accepts are configured.
    MissingCredentials {
        /// `operationId` of the call.
        operation: &'static str,
        /// The credential combinations the operation accepts.
        accepted: &'static str,
    },
    /// The request could not be sent or the reply not received
    /// (connection, timeout, TLS).
    Transport(reqwest::Error),
    /// The server replied with a non-success status.
    Api(ApiError<E>),
    /// A success reply did not match the declared type.
    Decode(DecodeError),
    /// A paged listing got the same page twice in a row (the server ignores
    /// the page parameter); listing stopped instead of looping forever.
    PagingStalled {
        /// The page number that repeated the previous page.
        page: u64,
    },
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Refused before sending: a parameter is invalid.
    InvalidParameter,
    /// Refused before sending: no accepted credentials.
    MissingCredentials,
    /// The connection failed or broke.
    Connection,
    /// The request took longer than its timeout.
    Timeout,
    /// A 4XX reply.
    ClientStatus,
    /// A 5XX (or other non-success) reply.
    ServerStatus,
    /// A reply that did not decode.
    Decode,
    /// A paged listing that did not advance.
    PagingStalled,
}

impl<E> Error<E> {
    /// The HTTP status, when the server replied.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidParameter { .. } => ErrorKind::InvalidParameter,
            Error::MissingCredentials { .. } => ErrorKind::MissingCredentials,
            Error::Transport(e) if e.is_timeout() => ErrorKind::Timeout,
            Error::Transport(_) => ErrorKind::Connection,
            Error::Api(e) if e.status.is_client_error() => ErrorKind::ClientStatus,
            Error::Api(_) => ErrorKind::ServerStatus,
            Error::Decode(_) => ErrorKind::Decode,
            Error::PagingStalled { .. } => ErrorKind::PagingStalled,
        }
    }

    /// Whether trying again later may succeed (the default retry policy
    /// already retried these as often as it was allowed to).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout() || e.is_connect() || e.is_request(),
            Error::Api(e) => retryable_status(e.status),
            _ => false,
        }
    }

    /// The server's id for the request, from the header the spec's options
    /// name (see `REQUEST_ID_HEADER`), when the server replied.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter { name, message } => {
                write!(f, "invalid parameter `{name}`: {message}")
            }
            Error::MissingCredentials { operation, accepted } => write!(
                f,
                "`{operation}` needs credentials ({accepted}) and none are configured"
            ),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Api(e) => write!(f, "{e}"),
            Error::Decode(e) => write!(f, "{e}"),
            Error::PagingStalled { page } => write!(
                f,
                "page {page} repeated the previous page; the server seems to ignore paging"
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Error::Transport(e)
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl<E> From<Refused> for Error<E> {
    fn from(r: Refused) -> Self {
        match r {
            Refused::Parameter { name, message } => Error::InvalidParameter { name, message },
            Refused::Credentials { operation, accepted } => {
                Error::MissingCredentials { operation, accepted }
            }
        }
    }
}

/// Why a request was refused before sending; converted into [`Error`].
#[derive(Debug)]
#[doc(hidden)]
pub enum Refused {
    /// See [`Error::InvalidParameter`].
    Parameter {
        /// Wire name.
        name: &'static str,
        /// Reason.
        message: String,
    },
    /// See [`Error::MissingCredentials`].
    Credentials {
        /// `operationId`.
        operation: &'static str,
        /// Accepted combinations.
        accepted: &'static str,
    },
}

/// A non-success reply.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The status.
    pub status: StatusCode,
    /// The reply headers.
    pub headers: HeaderMap,
    /// The body decoded as the declared error type, when it is one.
    pub body: Option<E>,
    /// The raw body, always kept.
    pub raw: Bytes,
}

impl<E> ApiError<E> {
    /// A short, printable excerpt of the raw body.
    pub fn excerpt(&self) -> String {
        excerpt(&self.raw)
    }

    /// The server's id for the request (see `REQUEST_ID_HEADER`).
    pub fn request_id(&self) -> Option<&str> {
        let name = crate::client::REQUEST_ID_HEADER?;
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API replied {}", self.status)?;
        if let Some(id) = self.request_id() {
            write!(f, " (request {id})")?;
        }
        write!(f, ": {}", self.excerpt())
    }
}

/// A reply body that did not match the declared type.
#[derive(Debug)]
pub struct DecodeError {
    /// The reply status.
    pub status: StatusCode,
    /// The reply's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// JSON path of the value that failed (`result[3].when`).
    pub path: String,
    /// What serde expected.
    pub message: String,
    /// The start of the body.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} reply at `{}`: {} (content type {}; body starts {:?})",
            self.status,
            self.path,
            self.message,
            self.content_type.as_deref().unwrap_or("none"),
            self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

const EXCERPT_CHARS: usize = 200;

fn excerpt(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
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

/// The text form of a value in a path, query or header parameter.
pub trait ParamValue {
    /// The value as it goes on the wire (before percent-encoding).
    fn to_param(&self) -> String;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for i32 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

/// Whole numbers are written without a fraction (`2`, never `2.0`).
impl ParamValue for f64 {
    fn to_param(&self) -> String {
        if self.fract() == 0.0 && self.abs() < 9_007_199_254_740_992.0 {
            format!("{self:.0}")
        } else {
            self.to_string()
        }
    }
}

/// RFC 3339 `full-date`: `2024-01-02`.
impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

/// RFC 3339 `date-time`: `2024-01-02T03:04:05Z`, or with the offset kept
/// (`+02:00`); fractional seconds only when present.
impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// Percent-encodes one path segment; `/` and everything outside the RFC 3986
/// unreserved set is escaped, so a value can never leave its segment.
#[doc(hidden)]
pub fn path_segment(name: &'static str, value: &str) -> Result<String, Refused> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    if value.is_empty() || value == "." || value == ".." {
        return Err(Refused::Parameter {
            name,
            message: format!("{value:?} cannot be a path segment"),
        });
    }
    Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string())
}

/// Refuses numbers outside the spec's bounds.
#[doc(hidden)]
pub fn check_range(
    name: &'static str,
    value: f64,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
) -> Result<(), Refused> {
    let refuse = |message: String| Err(Refused::Parameter { name, message });
    if !value.is_finite() {
        return refuse(format!("{value} is not a finite number"));
    }
    if let Some((m, exclusive)) = min {
        if value < m || (exclusive && value == m) {
            let op = if exclusive { "greater than" } else { "at least" };
            return refuse(format!("must be {op} {}, got {}", m.to_param(), value.to_param()));
        }
    }
    if let Some((m, exclusive)) = max {
        if value > m || (exclusive && value == m) {
            let op = if exclusive { "less than" } else { "at most" };
            return refuse(format!("must be {op} {}, got {}", m.to_param(), value.to_param()));
        }
    }
    Ok(())
}

/// Refuses strings outside the spec's length limits (in characters).
#[doc(hidden)]
pub fn check_length(
    name: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Refused> {
    let len = value.chars().count();
    if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
        return Err(Refused::Parameter {
            name,
            message: format!(
                "length {len} is outside {}..={}",
                min.unwrap_or(0),
                max.map(|m| m.to_string()).unwrap_or_default()
            ),
        });
    }
    Ok(())
}

/// Deserializes a string enum without allocating for known values.
#[doc(hidden)]
pub fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<T, Er> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(V(std::marker::PhantomData))
}

/// Decodes an optional list whose schema also allowed an unstructured value
/// (a free-form object, a string): a list decodes as usual, anything else
/// as `None`, so the reply still decodes. Lists are read without buffering.
#[doc(hidden)]
pub fn lenient_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list, or any other value (read as absent)")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(Some(out))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_unit<Er: serde::de::Error>(self) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_none<Er: serde::de::Error>(self) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<Er: serde::de::Error>(self, _: &str) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_bool<Er: serde::de::Error>(self, _: bool) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_i64<Er: serde::de::Error>(self, _: i64) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_u64<Er: serde::de::Error>(self, _: u64) -> Result<Self::Value, Er> {
            Ok(None)
        }
        fn visit_f64<Er: serde::de::Error>(self, _: f64) -> Result<Self::Value, Er> {
            Ok(None)
        }
    }
    deserializer.deserialize_any(V(std::marker::PhantomData))
}

/// Reads a JSON success body into `T`, naming the failing path on error.
#[doc(hidden)]
pub async fn decode_json<T: serde::de::DeserializeOwned>(
    resp: reqwest::Response,
) -> Result<T, DecodeError> {
    let status = resp.status();
    let content_type = content_type(resp.headers());
    let raw = resp.bytes().await.map_err(|e| DecodeError {
        status,
        content_type: content_type.clone(),
        path: String::new(),
        message: format!("reading the body failed: {e}"),
        excerpt: String::new(),
    })?;
    decode_bytes(status, content_type, &raw)
}

/// Decodes bytes already read.
#[doc(hidden)]
pub fn decode_bytes<T: serde::de::DeserializeOwned>(
    status: StatusCode,
    content_type: Option<String>,
    raw: &[u8],
) -> Result<T, DecodeError> {
    let fail = |path: String, message: String| DecodeError {
        status,
        content_type: content_type.clone(),
        path,
        message,
        excerpt: excerpt(raw),
    };
    // The fast path decodes directly; only a failure pays for a second pass
    // that tracks the JSON path to report.
    match serde_json::from_slice(raw) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(raw);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(fail(e.path().to_string(), e.inner().to_string())),
                Ok(_) => Err(fail(String::new(), plain.to_string())),
            }
        }
    }
}

/// Turns a non-success reply into [`Error::Api`], decoding the body as
/// `E` when `typed` and it fits.
#[doc(hidden)]
pub async fn api_error<E: serde::de::DeserializeOwned>(
    resp: reqwest::Response,
    typed: bool,
) -> Error<E> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let raw = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => return Error::Transport(e),
    };
    let body = if typed { serde_json::from_slice(&raw).ok() } else { None };
    Error::Api(ApiError { status, headers, body, raw })
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// When and how often a request is tried again.
///
/// Retried: connection errors, timeouts, and replies 408, 409, 429 and 5XX,
/// unless the reply says `x-should-retry: false` (`true` forces a retry).
/// The wait doubles from `initial_backoff` up to `max_backoff`, minus up to
/// 25 % jitter; a `retry-after-ms` or `retry-after` (seconds or HTTP date)
/// reply header replaces it, up to `max_retry_after`: a server that asks for
/// a longer wait gets its reply handed back instead.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The first wait (default 0.5 s).
    pub initial_backoff: std::time::Duration,
    /// The longest computed wait (default 8 s).
    pub max_backoff: std::time::Duration,
    /// The longest wait a server may ask for (default 60 s).
    pub max_retry_after: std::time::Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: std::time::Duration::from_millis(500),
            max_backoff: std::time::Duration::from_secs(8),
            max_retry_after: std::time::Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    fn backoff(&self, retry: u32) -> std::time::Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.min(16));
        let capped = exp.min(self.max_backoff);
        capped.mul_f64(1.0 - fastrand::f64() * 0.25)
    }
}

/// Settings for one call (or every call of a group handle), overriding the
/// client's. See the groups' `with_options`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// Timeout of each attempt.
    pub timeout: Option<std::time::Duration>,
    /// Retry policy.
    pub retry: Option<RetryPolicy>,
    /// The most pages a paged listing fetches.
    pub max_pages: Option<u64>,
    /// Pages a paged listing may fetch at once once it knows how many there
    /// are (default 1: one at a time).
    pub concurrency: Option<usize>,
}

impl RequestOptions {
    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Stops paged listings after this many pages.
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// Lets paged listings fetch up to `pages` pages at once.
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = Some(pages);
        self
    }
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long the server asks us to wait, if it says.
fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(std::time::Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = get("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| std::time::Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

/// What a reply asks for: `None` to hand it back, or how long to wait first.
fn retry_decision(
    response: &reqwest::Response,
    policy: &RetryPolicy,
    retry: u32,
) -> Option<std::time::Duration> {
    let should = response
        .headers()
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    let wanted = match should.as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => retryable_status(response.status()),
    };
    if !wanted {
        return None;
    }
    match retry_after(response.headers()) {
        Some(wait) if wait > policy.max_retry_after => None,
        Some(wait) => Some(wait),
        None => Some(policy.backoff(retry)),
    }
}

/// Sends a request with the retry policy, logging each attempt (method,
/// path template, status, attempt, elapsed; never headers or credentials).
/// Dropping the future cancels the request or the wait in progress.
#[doc(hidden)]
pub async fn send(
    request: reqwest::RequestBuilder,
    policy: &RetryPolicy,
    timeout: Option<std::time::Duration>,
    operation: &'static str,
    method: &'static str,
    template: &'static str,
) -> Result<reqwest::Response, reqwest::Error> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("request", operation, method, path = template);
    async move {
        let mut retry = 0u32;
        let mut pending = request;
        loop {
            let last = retry >= policy.max_retries;
            // Bodies that cannot be replayed (streams) get one attempt.
            let (attempt, keep) = match (last, pending.try_clone()) {
                (false, Some(copy)) => (copy, Some(pending)),
                _ => (pending, None),
            };
            let attempt = match timeout {
                Some(t) => attempt.timeout(t),
                None => attempt,
            };
            let started = std::time::Instant::now();
            let result = attempt.send().await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let wait = match &result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    tracing::debug!(status, attempt = retry + 1, elapsed_ms, "reply");
                    keep.as_ref().and_then(|_| retry_decision(response, policy, retry))
                }
                Err(e) => {
                    tracing::debug!(error = %e, attempt = retry + 1, elapsed_ms, "request failed");
                    let transient = e.is_timeout() || e.is_connect() || e.is_request();
                    (keep.is_some() && transient).then(|| policy.backoff(retry))
                }
            };
            match (wait, keep) {
                (Some(wait), Some(next)) => {
                    tracing::info!(attempt = retry + 1, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                    pending = next;
                }
                _ => return result,
            }
        }
    }
    .instrument(span)
    .await
}

/// Where a page stands, as far as its reply says.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PageInfo {
    /// Items on this page.
    pub items: usize,
    /// Identifies the page's content, to notice a page served twice.
    pub fingerprint: u64,
    /// `total_pages`, if the reply says.
    pub total_pages: Option<f64>,
    /// `total_count`, if the reply says.
    pub total_count: Option<f64>,
    /// The page size the server used, if the reply says.
    pub per_page: Option<f64>,
}

/// A fingerprint of a page's items (count, first and last), enough to
/// notice a server that ignores the page number.
#[doc(hidden)]
pub fn fingerprint<T: fmt::Debug>(items: &[T]) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    items.len().hash(&mut h);
    if let (Some(first), Some(last)) = (items.first(), items.last()) {
        format!("{first:?}").hash(&mut h);
        format!("{last:?}").hash(&mut h);
    }
    h.finish()
}

/// Streams the pages of a page-numbered listing, starting at `start`.
/// Dropping the stream cancels the requests in flight.
///
/// It stops after an empty page (which is not yielded); after the page that
/// `total_pages`, or `total_count` with `per_page`, says is the last (so no
/// extra request is made); after `max_pages` pages; or after an error, which
/// is yielded. A page with the same content as the one before (a server
/// ignoring the page number) ends the stream with [`Error::PagingStalled`]
/// instead of looping forever.
///
/// With `concurrency` above 1, once a reply says how many pages there are,
/// up to `concurrency` of the following pages are fetched at once; pages are
/// still yielded in order, and at most `concurrency` are held at a time.
pub fn paginate<R, E, F, Fut>(
    start: u64,
    max_pages: Option<u64>,
    concurrency: usize,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send
where
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(R, PageInfo), Error<E>>> + Send + 'static,
    R: Send + 'static,
    E: Send + 'static,
{
    use futures_util::StreamExt as _;
    type Ahead<R, E> = std::pin::Pin<
        Box<dyn futures_util::Stream<Item = (u64, Result<(R, PageInfo), Error<E>>)> + Send>,
    >;
    struct State<F, R, E> {
        fetch: Option<F>,
        ahead: Option<Ahead<R, E>>,
        page: u64,
        fetched: u64,
        max_pages: Option<u64>,
        concurrency: usize,
        previous: Option<u64>,
        done: bool,
    }
    let state = State {
        fetch: Some(fetch),
        ahead: None,
        page: start,
        fetched: 0,
        max_pages,
        concurrency,
        previous: None,
        done: false,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        if st.done || st.max_pages.is_some_and(|m| st.fetched >= m) {
            return None;
        }
        let (page, result) = match (&mut st.ahead, &mut st.fetch) {
            (Some(ahead), _) => ahead.next().await?,
            (None, Some(fetch)) => (st.page, fetch(st.page).await),
            (None, None) => return None,
        };
        let (reply, info) = match result {
            Ok(ok) => ok,
            Err(e) => {
                st.done = true;
                return Some((Err(e), st));
            }
        };
        st.fetched += 1;
        if info.items == 0 {
            return None;
        }
        if st.previous == Some(info.fingerprint) {
            st.done = true;
            tracing::warn!(page, "page repeats the previous one; stopping");
            return Some((Err(Error::PagingStalled { page }), st));
        }
        st.previous = Some(info.fingerprint);
        st.page = page + 1;
        let n = page as f64;
        let total_pages = info.total_pages.or_else(|| match (info.total_count, info.per_page) {
            (Some(c), Some(p)) if p > 0.0 => Some((c / p).ceil()),
            _ => None,
        });
        if total_pages.is_some_and(|t| n >= t) {
            st.done = true;
        } else if let (Some(total), true, None) = (total_pages, st.concurrency > 1, &st.ahead) {
            // The rest is known: fetch ahead, in order, a few at a time.
            let mut last = total as u64;
            if let Some(m) = st.max_pages {
                last = last.min(page + m.saturating_sub(st.fetched));
            }
            if let Some(mut fetch) = st.fetch.take() {
                let rest = futures_util::stream::iter(page + 1..=last)
                    .map(move |p| {
                        let fut = fetch(p);
                        async move { (p, fut.await) }
                    })
                    .buffered(st.concurrency);
                st.ahead = Some(Box::pin(rest));
            }
        }
        Some((Ok(reply), st))
    })
}

/// A reply body handed back as it arrives: read it whole with
/// [`ByteStream::bytes`], or chunk by chunk with [`ByteStream::into_stream`]
/// (memory stays bounded by the chunk size, whatever the body's size).
#[derive(Debug)]
pub struct ByteStream {
    response: reqwest::Response,
}

impl ByteStream {
    #[doc(hidden)]
    pub fn new(response: reqwest::Response) -> Self {
        ByteStream { response }
    }

    /// The reply status.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The reply headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Bytes, reqwest::Error>> + Send {
        self.response.bytes_stream()
    }
}
