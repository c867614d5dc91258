//! The runtime: everything a generated client does that does not depend on
//! the spec. Building and sending requests from a per-operation
//! description, retries, reading replies by status, errors (typed by
//! status), paging and streams (bytes, server-sent events, JSON Lines)
//! live here, as ordinary tested Rust; the generated modules hold
//! only what the spec decides (types, parameter structs, one description
//! per operation, thin typed methods).
//!
//! This folder is the same for every spec; the generator copies it
//! verbatim. It refers to nothing outside itself (its macros expect to be
//! mounted as `crate::runtime`), so it can be compiled and tested on its own.

mod auth;
mod bodies;
mod by_status;
mod call;
mod client;
mod custom;
mod error;
mod framing;
mod macros;
mod node;
mod oauth;
mod paging;
mod params;
mod reply;
mod request;
mod retry;
mod sequence;
mod streams;
mod styles;
mod values;
mod window;

/// What every operation returns: its reply `T`, or an [`Error`] whose
/// [`Error::Api`] carries the operation's declared error body `E`.
pub type Result<T, E = serde_json::Value> = std::result::Result<T, Error<E>>;

pub use bytes::Bytes;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;

pub use by_status::{ErrorBody, OtherError, decode_shape};
#[allow(unused_imports)] // see `by_status`
pub(crate) use by_status::error_enum;
pub use call::{bytes, empty, execute, json, raw, stream};
pub use auth::{BasicAuth, ClientCert, Credential, SchemeKind, SchemeSpec, Secret};
pub use client::{ApiSpec, BuildError, Client, ClientBuilder, DEFAULT_TIMEOUT};
pub use custom::CustomRequest;
pub use oauth::{ClientAuth, OAuth2, REFRESH_AHEAD, Token, TokenError, TokenFuture, TokenRequest, TokenSource};
pub use error::{ApiError, DecodeError, Error, ErrorKind, EventError, Refused};
pub use framing::{EventParts, Framed, Framer, Framing};
#[allow(unused_imports)] // see `macros`
pub(crate) use macros::{int_enum, serde_struct, string_enum, tagged_union};
pub use bodies::{File, FileParts};
pub use paging::{PageInfo, Paging, Scheme, fingerprint, items, pages, text};
pub use params::{Checked, Checks, check};
pub use reply::{ByteStream, Key, LenientList, Reply, decode_bytes, deserialize_str_enum};
pub use request::{Operation, Request, Security};
pub use retry::{DEFAULT_CONCURRENCY, RequestOptions, RetryPolicy};
pub use streams::{Event, EventStream, ItemStream, StreamSpec, event_stream, item_stream};
pub use styles::Style;
pub use values::{Extra, Numbers, WholeNumbers, Writer, read, read_lenient, read_nullable, read_value, whole_numbers, write_whole};
pub use window::paginate;
