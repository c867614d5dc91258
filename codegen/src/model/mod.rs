//! The intermediate model: plain data (strings, ids, enums), no tokens and no
//! `openapiv3` types. `lower` builds it, `emit` reads it.
//!
//! Every named thing keeps its wire name beside its Rust name, so serde
//! renames and query keys come from that pair and are never re-derived.
//!
//! This file holds the API, its types, groups and operations; `params`,
//! `bodies` (and replies) and `paging` hold the parts of an operation.

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// Crate name (kebab-case).
    pub crate_name: String,
    /// Crate version.
    pub crate_version: String,
    /// `info.title`.
    pub title: String,
    /// Crate-level docs (from `info.description`).
    pub docs: Vec<String>,
    /// Default base URL (from `servers[0]`), if any.
    pub base_url: Option<String>,
    /// Environment variable read for the base URL by `from_env`.
    pub base_url_env: String,
    /// The prefix of the environment variables made for it (`sdk.yaml`'s
    /// `env_prefix`, else made from the title).
    pub env_prefix: String,
    /// Reply header carrying the server's request id.
    pub request_id_header: Option<String>,
    /// All named types, in id order. Emitted sorted by name.
    pub types: Vec<TypeDef>,
    /// Security schemes, sorted by wire name.
    pub security: Vec<SecurityScheme>,
    /// Alternatives of the document-level security requirement.
    pub default_security: Vec<Vec<Requirement>>,
    /// Whether the document-level requirement also allows no credentials.
    pub default_security_optional: bool,
    /// `info.license.name`, when it is an SPDX-like identifier.
    pub license: Option<String>,
    /// Operation groups, sorted by name.
    pub groups: Vec<Group>,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name (UpperCamelCase, unique).
    pub name: String,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Named after a component schema (never merged into another type).
    pub component: bool,
}

/// The shapes a named type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// Placeholder while a recursive schema is being lowered.
    Pending,
    /// An object with known properties.
    Struct(Struct),
    /// A string or integer enum; unknown values are kept in a catch-all
    /// variant.
    Enum(EnumDef),
    /// Alternatives: tried in order (untagged), or told apart by a
    /// property's value (tagged).
    Union(Union),
    /// A component that turned out to be another type (a `oneOf` whose
    /// branches collapse into one); kept as a type alias so references made
    /// while lowering it stay valid.
    Alias(Ty),
}

/// An object with known properties.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// Whether every field is optional (so `Default` can be derived).
    pub all_optional: bool,
    /// The map that keeps the properties the schema does not name, unless
    /// it forbids them (`additionalProperties: false`).
    pub extra: Option<ExtraField>,
}

/// The field of a struct that keeps the properties its schema does not
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExtraField {
    /// Rust name (snake_case, unique in the struct).
    pub name: String,
    /// Type of each value: [`Ty::Json`] unless `additionalProperties`
    /// gives a schema.
    pub value: Ty,
}

/// How a field's presence is represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always there: `T`.
    Required,
    /// May be absent (or `null`, read as absent): `Option<T>`.
    Optional,
    /// Required but may be `null`: `Option<T>`, written as `null`.
    RequiredNullable,
    /// May be absent and may be `null`, and the two differ (a PATCH that
    /// clears a field): `Option<Option<T>>`.
    Nullable,
}

/// One property of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (snake_case, unique in the struct).
    pub name: String,
    /// Property name on the wire.
    pub wire: String,
    /// Type of the value.
    pub ty: Ty,
    /// Required by the schema (the field is then not wrapped in `Option`
    /// unless it is also nullable).
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Whether the value must be boxed (recursive types).
    pub boxed: bool,
    /// A list whose composition also allowed an unstructured value (`{}`):
    /// anything but a list decodes as absent instead of failing the reply.
    pub lenient: bool,
    /// The type itself holds `null` (any JSON value, or a union with such a
    /// variant): an optional field reads `null` into it (`Some(Value::Null)`)
    /// rather than as absence, so the two stay apart without a second
    /// `Option`.
    pub holds_null: bool,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

impl Field {
    /// How the field's presence is represented. A list read leniently
    /// (see [`Field::lenient`]), or a type that holds `null` itself (see
    /// [`Field::holds_null`]), is never tri-state.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if !self.lenient && !self.holds_null => Presence::Nullable,
            (false, _) => Presence::Optional,
        }
    }
}

/// A string or integer enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Whether the values are integers (else strings).
    pub integer: bool,
    /// Known values in spec order.
    pub values: Vec<EnumValue>,
    /// Name of the catch-all variant that keeps unknown values.
    pub other: String,
}

/// One known enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Rust variant name.
    pub name: String,
    /// Value on the wire (an integer's decimal digits).
    pub wire: String,
    /// Rustdoc lines (the value's `title`/`description`, when the schema
    /// gives them).
    pub docs: Vec<String>,
}

/// A union of alternatives.
#[derive(Debug, Clone)]
pub struct Union {
    /// The alternatives, in decoding order.
    pub variants: Vec<UnionVariant>,
    /// How a value says which alternative it is, when it does; else the
    /// first alternative that decodes wins.
    pub tag: Option<Tag>,
}

/// The property whose value names the alternative of a tagged union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Property name on the wire (the discriminator's `propertyName`).
    pub property: String,
    /// Name of the catch-all variant that keeps values with a tag this
    /// version of the client does not know.
    pub other: String,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The tag value that selects it (tagged unions only).
    pub tag: Option<String>,
    /// Rust variant name.
    pub name: String,
    /// Payload.
    pub ty: Ty,
    /// Whether the payload must be boxed (recursive types).
    pub boxed: bool,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `String` (also `format: email`, `hostname`, ...).
    String,
    /// `chrono::NaiveDate` (`format: date`, RFC 3339 full-date).
    Date,
    /// `chrono::DateTime<FixedOffset>` (`format: date-time`).
    DateTime,
    /// `uuid::Uuid`.
    Uuid,
    /// Integers: `i32` for `format: int32`, `i64` otherwise.
    Integer(IntWidth),
    /// `f64` in models.
    Number,
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: anything at all.
    Json,
    /// `serde_json::Map<String, Value>`: a free-form object.
    JsonObject,
    /// `Vec<T>`.
    Array(Box<Ty>),
    /// `BTreeMap<String, T>` (`additionalProperties`).
    Map(Box<Ty>),
    /// `Option<T>`: a list item or map value that may be `null`.
    Nullable(Box<Ty>),
    /// A generated type.
    Named(TypeId),
}

impl Ty {
    /// Whether this is a list.
    pub fn is_array(&self) -> bool {
        matches!(self, Ty::Array(_))
    }
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntWidth {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u64`: an integer without a format whose own values (bounds,
    /// `default`, `example`, `enum`) go past `i64`, with `minimum` at or
    /// above zero.
    U64,
    /// `i128`: the same without such a `minimum` (negative values stay
    /// allowed).
    I128,
}

/// A security scheme the client can hold a credential for.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Key in `components.securitySchemes`.
    pub wire: String,
    /// Rust name of the credential (snake_case).
    pub name: String,
    /// Environment variables `from_env` reads, one per credential, in the
    /// order the runtime's `SchemeKind` gives for the kind.
    pub env: Vec<EnvVar>,
    /// How it is sent.
    pub kind: SchemeKind,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// One environment variable of a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// What it holds, as `sdk.yaml` names it (`token`, `username`,
    /// `client_id`...).
    pub credential: &'static str,
    /// The variable.
    pub name: String,
}

/// How a credential goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64 of username:password>`.
    Basic,
    /// Another HTTP scheme (as the spec names it): `Authorization: <scheme> <token>`.
    Http(String),
    /// An API key in a header.
    Header(String),
    /// An API key in the query.
    Query(String),
    /// An API key in a cookie.
    Cookie(String),
    /// OAuth2: a bearer token supplied, from a token source, or fetched
    /// with client credentials from `token_url`.
    OAuth2 {
        /// The `clientCredentials` flow's `tokenUrl`, when declared.
        token_url: Option<String>,
    },
    /// OpenID Connect, with its discovery URL.
    OpenIdConnect(String),
    /// Mutual TLS: a client certificate.
    MutualTls,
}

/// One scheme of a security requirement alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Index into [`Api::security`].
    pub scheme: usize,
    /// The OAuth2 scopes the operation needs (empty for other kinds).
    pub scopes: Vec<String>,
}

/// Operations that share a group (SDK group name or tag).
#[derive(Debug, Clone)]
pub struct Group {
    /// Module and accessor name (snake_case).
    pub name: String,
    /// Name of the handle type (UpperCamelCase).
    pub type_name: String,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
}

/// HTTP methods: the eight of OpenAPI 3.0, `QUERY` and any other that an
/// OpenAPI 3.2 path item's `additionalOperations` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `QUERY` (OpenAPI 3.2's `query`): a safe request with a body.
    Query,
    /// Another method, as the description spells it (`COPY`).
    Other(String),
}

impl Method {
    /// Upper-case name (`GET`).
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(m) => m,
        }
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    /// Literal text, sent as is.
    Literal(String),
    /// Index into [`Operation::path_params`].
    Param(usize),
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` (or `METHOD path` when absent).
    pub operation_id: String,
    /// Rust method name (snake_case, unique in its group).
    pub method_name: String,
    /// The names of the method's variants, unique in the group beside
    /// every method name.
    pub variants: Variants,
    /// HTTP method.
    pub method: Method,
    /// The path template as written (`/accounts/{account_id}/audit_logs`).
    pub path: String,
    /// The template split into literals and parameters.
    pub path_pieces: Vec<PathPiece>,
    /// Path parameters, in template order (method arguments).
    pub path_params: Vec<Param>,
    /// The struct carrying query, header and cookie parameters, if any.
    pub params: Option<ParamsStruct>,
    /// Request body, if any.
    pub body: Option<Body>,
    /// Response handling, in match order.
    pub responses: Vec<Response>,
    /// What a successful reply carries (the first success response's).
    pub success: Payload,
    /// When success responses differ in shape: the name of the enum that
    /// carries one variant per success status; each [`Response`] then
    /// carries its own payload.
    pub reply_enum: Option<String>,
    /// Type of an error reply body (`None`: kept as JSON); the first
    /// declared shape when [`Operation::error_enum`] is set.
    pub error: Option<Ty>,
    /// When error statuses declare different bodies: the enum by status
    /// that is the operation's error type instead.
    pub error_enum: Option<ErrorEnum>,
    /// Security alternatives; empty means none.
    pub security: Vec<Vec<Requirement>>,
    /// Whether an unauthenticated call is one of the alternatives.
    pub security_optional: bool,
    /// Non-JSON media types a success reply may also have (`text/csv`);
    /// each gets its own streaming method.
    pub alt_media: Vec<String>,
    /// The entries of [`Operation::alt_media`] that are sequential media
    /// types, read as streams of typed items (the others are bytes).
    pub alt_streams: Vec<StreamPayload>,
    /// Boolean parameters that switch the reply to another media type
    /// (`x-sdk-selects-media-type`); set only by that media type's method.
    pub media_selectors: Vec<MediaSelector>,
    /// Boolean properties of the JSON body that switch the reply to
    /// another media type (`stream`, recognised or declared in the
    /// options); only that media type's method sends `true`.
    pub body_selectors: Vec<MediaSelector>,
    /// How the operation pages, when it does.
    pub paging: Option<Paging>,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// The arguments of each call the mock test makes (required ones
    /// only, then every one); empty unless the mock test was asked for.
    pub samples: Vec<CallSample>,
    /// The items a mock server streams for each sequential media type of
    /// a success reply (only for the mock test).
    pub stream_samples: Vec<StreamSample>,
}

impl Operation {
    /// Every type a reply of the operation is decoded into: the success
    /// payloads (JSON, and the items of streams), the error shape, and the
    /// error enum's variants.
    pub fn received_types(&self) -> impl Iterator<Item = &Ty> {
        fn payload(p: &Payload) -> Option<&Ty> {
            match p {
                Payload::Json(t) => Some(t),
                Payload::Stream(s) => Some(&s.item),
                Payload::Empty | Payload::Bytes => None,
            }
        }
        payload(&self.success)
            .into_iter()
            .chain(self.responses.iter().filter_map(|r| payload(&r.payload)))
            .chain(self.alt_streams.iter().map(|s| &s.item))
            .chain(self.error.iter())
            .chain(self.error_enum.iter().flat_map(|e| e.variants.iter().filter_map(|v| v.ty.as_ref())))
    }
}

/// The names of an operation's variant methods, decided in `lower` like
/// every other name (a derived name can meet another operation's own).
#[derive(Debug, Clone, Default)]
pub struct Variants {
    /// The reply undecoded (`list_raw`).
    pub raw: String,
    /// One per entry of [`Operation::alt_media`] (`list_csv`).
    pub media: Vec<String>,
    /// The page stream, when the operation pages (`list_pages`).
    pub pages: Option<String>,
    /// The item stream, when the operation pages (`list_all`).
    pub all: Option<String>,
}

/// A boolean parameter (or body property) that selects a media type.
#[derive(Debug, Clone)]
pub struct MediaSelector {
    /// Query key, or body property name.
    pub wire: String,
    /// The media type it selects.
    pub media: String,
}

mod bodies;
mod paging;
mod params;
mod samples;

pub use bodies::*;
pub use paging::*;
pub use params::*;
pub use samples::*;
