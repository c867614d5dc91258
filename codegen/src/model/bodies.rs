//! Request bodies and replies, in the model: payloads (streams of items
//! among them), body encodings (JSON, form, multipart parts), declared
//! responses, and the error enum of an operation whose error statuses
//! declare different bodies.

use super::{Style, Ty};

/// What a successful reply carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Nothing worth decoding.
    Empty,
    /// JSON decoded into a type.
    Json(Ty),
    /// A non-JSON body, handed back as bytes.
    Bytes,
    /// A sequential media type (server-sent events, JSON Lines, JSON text
    /// sequences), read as a stream of typed items.
    Stream(StreamPayload),
}

/// A reply read as a stream of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamPayload {
    /// The media type asked for (`text/event-stream`).
    pub media: String,
    /// How the body is cut into items.
    pub framing: Framing,
    /// Each item's type (an event's `data`).
    pub item: Ty,
    /// Items are text (an SSE `data` of a string schema), not JSON.
    pub text: bool,
    /// Data payloads or records that end the stream (`[DONE]`).
    pub end: Vec<String>,
    /// SSE event types whose data is an error (`error`).
    pub error_events: Vec<String>,
}

/// How a sequential body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`.
    Sse,
    /// JSON Lines (`application/jsonl`, `application/x-ndjson`).
    Lines,
    /// JSON text sequences (`application/json-seq`).
    Seq,
}

impl Framing {
    /// The framing of a sequential media type, if it is one.
    pub fn of(media: &str) -> Option<Framing> {
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        Some(match essence.as_str() {
            "text/event-stream" => Framing::Sse,
            "application/jsonl" | "application/x-ndjson" | "application/ndjson" | "application/x-jsonlines"
            | "application/jsonlines" | "application/json-lines" => Framing::Lines,
            "application/json-seq" => Framing::Seq,
            _ => return None,
        })
    }
}

/// The error type of an operation whose error statuses declare different
/// bodies: one variant per declared error status (or range, or
/// `default`), in match order, and a catch-all the runtime adds.
#[derive(Debug, Clone)]
pub struct ErrorEnum {
    /// Rust type name (in the crate's `errors` module).
    pub name: String,
    /// The declared error statuses, in match order.
    pub variants: Vec<ErrorVariant>,
    /// The enum of an earlier operation that is the same (same statuses,
    /// bodies and descriptions): this one is an alias of it.
    pub same_as: Option<String>,
}

/// One declared error status of an [`ErrorEnum`].
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// Which statuses.
    pub status: StatusMatch,
    /// The body's type; `None` for a status declared without a JSON body.
    pub ty: Option<Ty>,
    /// The response's description, for docs.
    pub description: String,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// How the body is encoded.
    pub kind: BodyKind,
    /// Whether it must be sent.
    pub required: bool,
    /// An example of a JSON body the description gives (the media type's
    /// `example`, its first `examples` entry, else its schema's), for the
    /// method's docs.
    pub example: Option<serde_json::Value>,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone)]
pub enum BodyKind {
    /// JSON of a type.
    Json(Ty),
    /// `application/x-www-form-urlencoded` of an object type.
    Form(FormBody),
    /// `multipart/form-data` whose parts the spec describes: a struct of
    /// the group module, one field per part.
    Multipart(MultipartBody),
    /// `multipart/form-data` with no described parts: the caller's form.
    CallerForm,
    /// Any other media type, sent as the caller's bytes.
    Raw(String),
}

/// An `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone)]
pub struct FormBody {
    /// The body's type (a struct or a map).
    pub ty: Ty,
    /// Properties the spec's `encoding` object sends otherwise than the
    /// default (`form`, exploded), by wire name.
    pub encoding: Vec<PropertyEncoding>,
}

/// How one property of a form body is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyEncoding {
    /// Property name on the wire.
    pub wire: String,
    /// Its style (`Json` for a JSON `contentType`).
    pub style: Style,
    /// `explode`.
    pub explode: bool,
}

/// A `multipart/form-data` body: the struct the caller fills, one field
/// per part.
#[derive(Debug, Clone)]
pub struct MultipartBody {
    /// Rust type name of the struct (in the group module).
    pub name: String,
    /// Rustdoc lines (the schema's title and description).
    pub docs: Vec<String>,
    /// The parts, in spec order.
    pub parts: Vec<Part>,
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    /// Rust field name (snake_case, unique in the struct).
    pub name: String,
    /// Part name on the wire.
    pub wire: String,
    /// What the part carries.
    pub kind: PartKind,
    /// Required by the schema.
    pub required: bool,
    /// The spec's `encoding.contentType`, when it names one media type.
    pub content_type: Option<String>,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// What a multipart part carries.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A value: text for a scalar, JSON for a structure (or when the
    /// content type is JSON).
    Value(Ty),
    /// A file (`format: binary`): bytes, file name and media type.
    File,
    /// A list of files, one part each.
    Files,
}

/// How one status (or status range) is handled.
#[derive(Debug, Clone)]
pub struct Response {
    /// Which statuses.
    pub status: StatusMatch,
    /// Success (decoded into [`Operation::success`]) or failure (into [`Operation::error`]).
    pub outcome: Outcome,
    /// This response's own success payload.
    pub payload: Payload,
    /// Its description, for docs.
    pub description: String,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// `1XX` .. `5XX`: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

/// What a reply with a matching status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Decode the success type.
    Success,
    /// Decode the error type and fail.
    Failure,
}
