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
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API replied {}: {}", self.status, self.excerpt())
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
    let mut de = serde_json::Deserializer::from_slice(raw);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| fail(e.path().to_string(), e.inner().to_string()))?;
    de.end().map_err(|e| fail(String::new(), e.to_string()))?;
    Ok(value)
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
