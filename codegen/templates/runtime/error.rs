//! The errors every operation returns: refused before sending, transport,
//! a non-success reply, a reply that does not decode, a listing that
//! stalls, a stream that goes quiet or reports an error event. Nothing
//! here knows the spec; the operation's declared error body is the type
//! parameter `E` (see [`ErrorBody`](super::ErrorBody)).

use std::fmt;
use std::sync::Arc;

use super::{Bytes, HeaderMap, StatusCode, TokenError};

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
    /// No OAuth2 token could be had for the call: the token endpoint
    /// refused (its `error` and `error_description`), answered nonsense or
    /// could not be reached, or your token source failed. Calls that
    /// waited for the same fetch share its error.
    Token {
        /// The security scheme.
        scheme: &'static str,
        /// Why.
        error: Arc<TokenError>,
    },
    /// The request could not be sent or the reply not received
    /// (connection, timeout, TLS).
    Transport(reqwest::Error),
    /// The server replied with a non-success status.
    Api(ApiError<E>),
    /// A stream reported an error in its own terms: an event whose type
    /// the operation's stream declares an error (`error` unless the options
    /// file says otherwise).
    Event(EventError<E>),
    /// No reply arrived within the timeout, or a streamed reply sent
    /// nothing for that long (a stream has no deadline as a whole, only
    /// between chunks).
    Stalled {
        /// How long the client waited.
        waited: std::time::Duration,
    },
    /// A success reply did not match the declared type.
    Decode(DecodeError),
    /// A paged listing got the same page twice in a row (the server ignores
    /// the paging parameter); listing stopped instead of looping forever.
    PagingStalled {
        /// The number of the page (counting from 1) that repeated the one before.
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
    /// No OAuth2 token could be had.
    Token,
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
    /// An error event inside a stream.
    ErrorEvent,
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
            Error::Token { .. } => ErrorKind::Token,
            Error::Transport(e) if e.is_timeout() => ErrorKind::Timeout,
            Error::Stalled { .. } => ErrorKind::Timeout,
            Error::Event(_) => ErrorKind::ErrorEvent,
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
            Error::Api(e) => super::retry::retryable_status(e.status),
            Error::Token { error, .. } => match &**error {
                TokenError::Transport(e) => e.is_timeout() || e.is_connect() || e.is_request(),
                TokenError::OAuth { status, .. } | TokenError::InvalidReply { status, .. } => {
                    super::retry::retryable_status(*status)
                }
                _ => false,
            },
            Error::Stalled { .. } => true,
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
            Error::Token { scheme, error } => write!(f, "no token for `{scheme}`: {error}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Api(e) => write!(f, "{e}"),
            Error::Event(e) => write!(f, "{e}"),
            Error::Stalled { waited } => write!(f, "nothing arrived from the server in {} ms", waited.as_millis()),
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
            Error::Token { error, .. } => Some(&**error),
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl Refused {
    pub(super) fn parameter(name: &'static str, message: impl Into<String>) -> Self {
        Refused::Parameter { name, message: message.into() }
    }
}

/// A non-success reply.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The status.
    pub status: StatusCode,
    /// The reply headers.
    pub headers: HeaderMap,
    /// The body decoded as the declared error type, when it is one (an
    /// operation whose error statuses declare different bodies has an enum
    /// by status here, always set).
    pub body: Option<E>,
    /// The raw body, always kept.
    pub raw: Bytes,
    /// The reply header that carries the server's request id.
    pub(super) request_id_header: Option<&'static str>,
}

impl<E> ApiError<E> {
    /// A short, printable excerpt of the raw body.
    pub fn excerpt(&self) -> String {
        excerpt(&self.raw)
    }

    /// The server's id for the request (see `REQUEST_ID_HEADER`).
    pub fn request_id(&self) -> Option<&str> {
        let name = self.request_id_header?;
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

/// An error event inside a stream: its type, id and data, and the data
/// decoded as the operation's error type when it fits.
#[derive(Debug)]
pub struct EventError<E> {
    /// The event type (`error`).
    pub event: String,
    /// The stream's last event ID, if it has one.
    pub id: Option<String>,
    /// The event's data, as text.
    pub data: String,
    /// The data decoded as the operation's error type, when it fits.
    pub body: Option<E>,
}

impl<E: fmt::Debug> fmt::Display for EventError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the stream sent a `{}` event: {}", self.event, excerpt(self.data.as_bytes()))
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
    /// The whole body (decompressed), so what the server sent is never
    /// lost: decode it another way, or keep it for a bug report.
    pub body: Bytes,
}

impl DecodeError {
    /// The start of the body, lossily as text.
    pub fn excerpt(&self) -> String {
        excerpt(&self.body)
    }
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
            self.excerpt()
        )
    }
}

impl std::error::Error for DecodeError {}

const EXCERPT_CHARS: usize = 200;

/// The start of a body, lossily as text, for error messages.
pub(super) fn excerpt(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}
