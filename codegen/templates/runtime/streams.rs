//! Typed streams of a sequential reply: Server-Sent Events
//! ([`EventStream`], each event's `data` decoded into the item type, with
//! its `event`, `id` and `retry`) and JSON Lines or JSON text sequences
//! ([`ItemStream`], one item per record). Items are decoded as they
//! arrive, so the first reaches the caller while the server is still
//! sending; memory stays bounded by one event (see `framing`).
//!
//! What ends a stream: the end of the body; a data payload or record the
//! operation declares an end marker (for SSE with JSON items, `[DONE]`,
//! which cannot be JSON and so cannot be an item); an error the server
//! sends as a status when reconnecting. An event whose type the stream
//! declares an error (`error` by default) is yielded as [`Error::Event`],
//! its data decoded as the operation's error type when it fits.
//!
//! Reconnection, for `GET` streams only (never a method that may not be
//! repeated): when the connection breaks or goes quiet after the server
//! has numbered its events with `id`, the request is sent again with
//! `Last-Event-ID` after the server's `retry` time (else the retry
//! policy's backoff), at most `max_retries` times in a row without an
//! event in between, and never after waiting longer than
//! `max_retry_after`; a `204` reply ends the stream (as WHATWG's
//! `EventSource` does). A body that ends cleanly ends the stream: an API
//! stream that is over is not resumed.
//!
//! Timeouts: the whole exchange has no deadline; the call's timeout (else
//! the client's) bounds each wait, for the reply and then for every chunk
//! ([`Error::Stalled`]). Dropping the stream closes the connection.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use super::client::{self, Client};
use super::error::{ApiError, DecodeError, EventError};
use super::framing::{Framed, Framer, Framing};
use super::request::Request;
use super::retry::RequestOptions;
use super::{Bytes, Error, ErrorBody, StatusCode};

/// How an operation's stream is read: written by the generator for each
/// streaming method.
#[doc(hidden)]
#[derive(Debug)]
pub struct StreamSpec {
    /// The media type asked for (`text/event-stream`).
    pub media: &'static str,
    /// How the body is cut into items.
    pub framing: Framing,
    /// Items are text (an SSE `data` read as a string), not JSON.
    pub text: bool,
    /// Data payloads (SSE) or records that end the stream cleanly.
    pub end: &'static [&'static str],
    /// SSE event types whose data is an error.
    pub error_events: &'static [&'static str],
}

impl StreamSpec {
    /// Server-sent events of JSON items: `[DONE]` ends them, `error`
    /// events are errors.
    pub const SSE: StreamSpec =
        StreamSpec { media: "text/event-stream", framing: Framing::Sse, text: false, end: &["[DONE]"], error_events: &["error"] };
    /// JSON Lines.
    pub const LINES: StreamSpec =
        StreamSpec { media: "application/jsonl", framing: Framing::Lines, text: false, end: &[], error_events: &[] };
    /// JSON text sequences.
    pub const SEQ: StreamSpec =
        StreamSpec { media: "application/json-seq", framing: Framing::Seq, text: false, end: &[], error_events: &[] };
}

/// One server-sent event: its `data` decoded, and its other fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's data (its `data` lines, joined by line feeds), decoded.
    pub data: T,
    /// The `event` field; `None` when the server gave none (a `message`
    /// event, in WHATWG's words: see [`Event::kind`]).
    pub event: Option<String>,
    /// The stream's last event ID (the `id` of this event or of an
    /// earlier one: it persists until the server sets another); a `GET`
    /// stream that breaks resumes from it.
    pub id: Option<String>,
    /// A `retry` field in this event: how long the server asks clients to
    /// wait before reconnecting.
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// The event type: the `event` field, else `message`.
    pub fn kind(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

type Body = Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;
type Reconnecting = Pin<Box<dyn Future<Output = Result<Option<reqwest::Response>, Error<()>>> + Send>>;

/// What the connection produced.
enum Step {
    /// An item (event or record) is in the framer.
    Item,
    /// An error event is in the framer.
    ErrorEvent,
    /// The stream is over.
    End,
    /// It failed (typed when it becomes the caller's error).
    Failed(Error<()>),
}

/// What a `GET` stream needs to resume.
struct Resume {
    client: Client,
    options: RequestOptions,
    request: Request,
    /// Reconnections in a row without an event in between.
    failures: u32,
}

/// One streamed reply, read and, for `GET`, resumed: everything that does
/// not depend on the item and error types.
struct Core {
    spec: &'static StreamSpec,
    status: StatusCode,
    content_type: Option<String>,
    body: Option<Body>,
    framer: Framer,
    /// The bound on each wait for a chunk, and its timer.
    idle: (Duration, Pin<Box<tokio::time::Sleep>>),
    resume: Option<Resume>,
    reconnecting: Option<Reconnecting>,
    done: bool,
}

impl Core {
    fn new(response: reqwest::Response, spec: &'static StreamSpec, wait: Duration, resume: Option<Resume>) -> Self {
        let status = response.status();
        let content_type = super::reply::content_type(response.headers());
        Core {
            spec,
            status,
            content_type,
            body: Some(Box::pin(response.bytes_stream())),
            framer: Framer::new(spec.framing),
            idle: (wait, Box::pin(tokio::time::sleep(wait))),
            resume,
            reconnecting: None,
            done: false,
        }
    }

    /// A reply already checked (a variant of a reply enum): not resumed.
    fn from_reply(reply: super::Reply, spec: &'static StreamSpec) -> Self {
        Core::new(reply.into_response(), spec, super::DEFAULT_TIMEOUT, None)
    }

    fn debug(&self, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(name).field("media", &self.spec.media).field("status", &self.status).finish_non_exhaustive()
    }

    fn reset_idle(&mut self) {
        let (wait, timer) = &mut self.idle;
        timer.as_mut().reset(tokio::time::Instant::now() + *wait);
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Step> {
        loop {
            if self.done {
                return Poll::Ready(Step::End);
            }
            if let Some(reconnecting) = self.reconnecting.as_mut() {
                let result = ready!(reconnecting.as_mut().poll(cx));
                self.reconnecting = None;
                match result {
                    Ok(Some(response)) => {
                        self.status = response.status();
                        self.content_type = super::reply::content_type(response.headers());
                        self.body = Some(Box::pin(response.bytes_stream()));
                        self.reset_idle();
                    }
                    Ok(None) => return Poll::Ready(self.end()),
                    Err(e) if transient(&e) && self.reconnect() => {}
                    Err(e) => {
                        self.done = true;
                        return Poll::Ready(Step::Failed(e));
                    }
                }
                continue;
            }
            if self.framer.advance() == Framed::Item {
                if let Some(resume) = &mut self.resume {
                    resume.failures = 0;
                }
                return Poll::Ready(self.classify());
            }
            let Some(body) = self.body.as_mut() else { return Poll::Ready(self.end()) };
            match body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    self.reset_idle();
                    self.framer.push(chunk);
                }
                Poll::Ready(None) => {
                    self.body = None;
                    self.framer.finish();
                }
                Poll::Ready(Some(Err(e))) => {
                    self.body = None;
                    if !self.reconnect() {
                        self.done = true;
                        return Poll::Ready(Step::Failed(Error::Transport(e)));
                    }
                }
                Poll::Pending => {
                    ready!(self.idle.1.as_mut().poll(cx));
                    self.body = None;
                    if !self.reconnect() {
                        self.done = true;
                        return Poll::Ready(Step::Failed(Error::Stalled { waited: self.idle.0 }));
                    }
                }
            }
        }
    }

    /// The stream is over: the connection goes.
    fn end(&mut self) -> Step {
        self.done = true;
        self.body = None;
        Step::End
    }

    /// What the item in the framer is: an end marker, an error event, or
    /// an item.
    fn classify(&mut self) -> Step {
        let spec = self.spec;
        let (data, error_event) = match spec.framing {
            Framing::Sse => {
                let event = self.framer.event();
                (event.data, spec.error_events.contains(&event.event.unwrap_or("message")))
            }
            Framing::Lines | Framing::Seq => (self.framer.record(), false),
        };
        if spec.end.iter().any(|m| m.as_bytes() == data) {
            tracing::debug!(media = spec.media, "end marker");
            return self.end();
        }
        if error_event { Step::ErrorEvent } else { Step::Item }
    }

    /// Starts reconnecting, when this stream may: a `GET` whose events are
    /// numbered, with retries left and a wait the policy allows.
    fn reconnect(&mut self) -> bool {
        let Some(resume) = self.resume.as_mut() else { return false };
        let Some(id) = self.framer.last_event_id() else { return false };
        let policy = client::retry_policy(&resume.client, &resume.options);
        if resume.failures >= policy.max_retries {
            return false;
        }
        let wait = match self.framer.reconnection_ms() {
            Some(ms) if Duration::from_millis(ms) > policy.max_retry_after => return false,
            Some(ms) => Duration::from_millis(ms),
            None => policy.backoff(resume.failures),
        };
        let Some(mut request) = resume.request.try_clone() else { return false };
        request.set_header("last-event-id", id.to_owned());
        resume.failures += 1;
        tracing::info!(attempt = resume.failures, wait_ms = wait.as_millis() as u64, "stream broke; resuming");
        let (client, options, spec) = (resume.client.clone(), resume.options.clone(), self.spec);
        self.framer.restart();
        self.reconnecting = Some(Box::pin(async move {
            tokio::time::sleep(wait).await;
            let op = request.op;
            let response = client::send_streaming::<()>(&client, request, &options).await?;
            if response.status() == StatusCode::NO_CONTENT {
                return Ok(None);
            }
            let reply = super::call::checked::<()>(&client, op, response).await?;
            expect(reply.into_response(), spec).await.map(Some)
        }));
        true
    }

    /// Decodes an item's bytes.
    fn decode<T: serde::de::DeserializeOwned>(&self, data: &[u8]) -> Result<T, DecodeError> {
        let fail = |message: String| DecodeError {
            status: self.status,
            content_type: self.content_type.clone(),
            path: String::new(),
            message,
            body: Bytes::copy_from_slice(data),
        };
        if self.spec.text {
            let text = String::from_utf8_lossy(data);
            let de = serde::de::value::StrDeserializer::<serde_json::Error>::new(&text);
            return T::deserialize(de).map_err(|e| fail(e.to_string()));
        }
        match serde_json::from_slice(data) {
            Ok(item) => Ok(item),
            // Text is UTF-8 with replacement (WHATWG): only bytes that are
            // not pay for the copy.
            Err(_) if std::str::from_utf8(data).is_err() => {
                let text = String::from_utf8_lossy(data);
                super::reply::decode_bytes(self.status, self.content_type.clone(), text.as_bytes())
            }
            Err(_) => super::reply::decode_bytes(self.status, self.content_type.clone(), data),
        }
    }

    /// The error event in the framer, as the caller's error.
    fn error_event<E: ErrorBody>(&self) -> Error<E> {
        let event = self.framer.event();
        Error::Event(EventError {
            event: event.event.unwrap_or("message").to_owned(),
            id: event.id.map(str::to_owned),
            data: String::from_utf8_lossy(event.data).into_owned(),
            body: E::decode(None, &Bytes::copy_from_slice(event.data)),
        })
    }
}

/// Whether a failed reconnection may be tried again.
fn transient(e: &Error<()>) -> bool {
    match e {
        Error::Transport(e) => e.is_timeout() || e.is_connect() || e.is_request() || e.is_body(),
        Error::Stalled { .. } => true,
        _ => false,
    }
}

/// The reply, unless it says it is not the stream asked for: a JSON body
/// where a stream was asked for (a server that ignored the request to
/// stream) is an error that shows it, not an empty stream.
async fn expect(response: reqwest::Response, spec: &'static StreamSpec) -> Result<reqwest::Response, Error<()>> {
    let Some(content_type) = super::reply::content_type(response.headers()) else { return Ok(response) };
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let json = essence == "application/json" || essence.ends_with("+json");
    if spec.framing.accepts(&essence) || !json {
        return Ok(response);
    }
    let status = response.status();
    let raw = response.bytes().await.unwrap_or_default();
    Err(Error::Decode(DecodeError {
        status,
        content_type: Some(content_type.clone()),
        path: String::new(),
        message: format!("asked for a `{}` stream, the server replied `{content_type}`", spec.media),
        body: raw,
    }))
}

/// The caller's error for one of the stream's own.
fn retype<E: ErrorBody>(e: Error<()>) -> Error<E> {
    match e {
        Error::Api(a) => Error::Api(ApiError {
            body: E::decode(Some(a.status), &a.raw),
            status: a.status,
            headers: a.headers,
            raw: a.raw,
            request_id_header: a.request_id_header,
        }),
        Error::Event(ev) => Error::Event(EventError { event: ev.event, id: ev.id, data: ev.data, body: None }),
        Error::InvalidParameter { name, message } => Error::InvalidParameter { name, message },
        Error::MissingCredentials { operation, accepted } => Error::MissingCredentials { operation, accepted },
        Error::Transport(e) => Error::Transport(e),
        Error::Decode(e) => Error::Decode(e),
        Error::PagingStalled { page } => Error::PagingStalled { page },
        Error::Stalled { waited } => Error::Stalled { waited },
        Error::Token { scheme, error } => Error::Token { scheme, error },
    }
}

/// Sends `request` (asking for `spec.media`) and reads the status; a
/// success is the stream.
async fn open<E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
    spec: &'static StreamSpec,
) -> Result<Core, Error<E>> {
    let op = request.op;
    let resume = if op.method == "GET" {
        request.try_clone().map(|request| Resume { client: client.clone(), options: options.clone(), request, failures: 0 })
    } else {
        None
    };
    let response = client::send_streaming(client, request, options).await?;
    let reply = super::call::checked::<E>(client, op, response).await?;
    let response = expect(reply.into_response(), spec).await.map_err(retype)?;
    Ok(Core::new(response, spec, client::wait_limit(client, options), resume))
}

/// Sends `request` and hands back its reply as server-sent events.
#[doc(hidden)]
pub async fn event_stream<T, E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
    spec: &'static StreamSpec,
) -> Result<EventStream<T, E>, Error<E>> {
    Ok(EventStream { core: Box::new(open(client, request, options, spec).await?), types: PhantomData })
}

/// Sends `request` and hands back its reply as a stream of JSON items.
#[doc(hidden)]
pub async fn item_stream<T, E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
    spec: &'static StreamSpec,
) -> Result<ItemStream<T, E>, Error<E>> {
    Ok(ItemStream { core: Box::new(open(client, request, options, spec).await?), types: PhantomData })
}

/// A reply of server-sent events (`text/event-stream`), as a stream of
/// [`Event`]s whose data is decoded as `T`; errors are the operation's
/// ([`Error<E>`]).
///
/// It ends with the body, or at an end marker (for JSON items, a `data` of
/// `[DONE]`). An error event is an [`Error::Event`] and an event whose data
/// does not decode an [`Error::Decode`]; the stream goes on after both. A
/// `GET` stream whose events carry an `id` is resumed with `Last-Event-ID`
/// when its connection breaks, within the retry policy. The timeout bounds
/// each wait for the next chunk ([`Error::Stalled`]), not the whole stream.
/// Dropping it closes the connection.
pub struct EventStream<T, E = serde_json::Value> {
    /// Boxed: a stream moves as one pointer (and fits in a reply enum).
    core: Box<Core>,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> EventStream<T, E> {
    /// A stream of a reply already checked (a variant of a reply enum);
    /// it does not resume.
    #[doc(hidden)]
    pub fn from_reply(reply: super::Reply, spec: &'static StreamSpec) -> Self {
        EventStream { core: Box::new(Core::from_reply(reply, spec)), types: PhantomData }
    }

    /// The reply status.
    pub fn status(&self) -> StatusCode {
        self.core.status
    }

    /// The stream's last event ID, to resume from elsewhere.
    pub fn last_event_id(&self) -> Option<&str> {
        self.core.framer.last_event_id()
    }
}

impl<T, E> std::fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.core.debug("EventStream", f)
    }
}

impl<T: serde::de::DeserializeOwned, E: ErrorBody> futures_util::Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let core = &mut self.get_mut().core;
        Poll::Ready(match ready!(core.poll_step(cx)) {
            Step::End => None,
            Step::Failed(e) => Some(Err(retype(e))),
            Step::ErrorEvent => Some(Err(core.error_event())),
            Step::Item => {
                let event = core.framer.event();
                Some(match core.decode(event.data) {
                    Ok(data) => Ok(Event {
                        data,
                        event: event.event.map(str::to_owned),
                        id: event.id.map(str::to_owned),
                        retry: event.retry.map(Duration::from_millis),
                    }),
                    Err(e) => Err(Error::Decode(e)),
                })
            }
        })
    }
}

/// A reply of JSON Lines (`application/jsonl`, `application/x-ndjson`) or
/// JSON text sequences (`application/json-seq`), as a stream of items
/// decoded as `T`; errors are the operation's ([`Error<E>`]). A record
/// that does not decode is an [`Error::Decode`] and the stream goes on.
/// Dropping it closes the connection.
pub struct ItemStream<T, E = serde_json::Value> {
    core: Box<Core>,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> ItemStream<T, E> {
    /// A stream of a reply already checked (a variant of a reply enum).
    #[doc(hidden)]
    pub fn from_reply(reply: super::Reply, spec: &'static StreamSpec) -> Self {
        ItemStream { core: Box::new(Core::from_reply(reply, spec)), types: PhantomData }
    }

    /// The reply status.
    pub fn status(&self) -> StatusCode {
        self.core.status
    }
}

impl<T, E> std::fmt::Debug for ItemStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.core.debug("ItemStream", f)
    }
}

impl<T: serde::de::DeserializeOwned, E: ErrorBody> futures_util::Stream for ItemStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let core = &mut self.get_mut().core;
        Poll::Ready(match ready!(core.poll_step(cx)) {
            Step::End => None,
            Step::Failed(e) => Some(Err(retype(e))),
            Step::ErrorEvent => Some(Err(core.error_event())),
            Step::Item => Some(core.decode(core.framer.record()).map_err(Error::Decode)),
        })
    }
}
