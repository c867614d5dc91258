//! Request bodies and replies, in the model: payloads, body encodings
//! (JSON, form, multipart parts) and declared responses.

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
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// How the body is encoded.
    pub kind: BodyKind,
    /// Whether it must be sent.
    pub required: bool,
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
