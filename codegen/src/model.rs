//! The intermediate model: plain data (strings, ids, enums), no tokens and no
//! `openapiv3` types. `lower` builds it, `emit` reads it.
//!
//! Every named thing keeps its wire name beside its Rust name, so serde
//! renames and query keys come from that pair and are never re-derived.

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
    /// Reply header carrying the server's request id.
    pub request_id_header: Option<String>,
    /// All named types, in id order. Emitted sorted by name.
    pub types: Vec<TypeDef>,
    /// Security schemes, sorted by wire name.
    pub security: Vec<SecurityScheme>,
    /// Alternatives of the document-level security requirement.
    pub default_security: Vec<Vec<usize>>,
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
    /// A string enum; unknown values are kept in a catch-all variant.
    Enum(StringEnum),
    /// Alternatives tried in order (untagged).
    Union(Vec<UnionVariant>),
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
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
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
    /// Value on the wire.
    pub wire: String,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
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
}

/// A security scheme the client can hold a credential for.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Key in `components.securitySchemes`.
    pub wire: String,
    /// Rust name of the credential (snake_case).
    pub name: String,
    /// Rust name of the scheme's enum variant (UpperCamelCase).
    pub variant: String,
    /// Environment variable `from_env` reads it from.
    pub env: String,
    /// How it is sent.
    pub kind: SchemeKind,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// How a credential goes on the wire.
#[derive(Debug, Clone)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <value>` (value already encoded by the caller).
    Basic,
    /// A header carrying the value as is.
    Header(String),
    /// A query parameter carrying the value as is.
    Query(String),
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

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
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
    /// Type of an error reply body (`None`: kept as JSON).
    pub error: Option<Ty>,
    /// Security alternatives (indexes into [`Api::security`]); empty means none.
    pub security: Vec<Vec<usize>>,
    /// Whether an unauthenticated call is one of the alternatives.
    pub security_optional: bool,
    /// Non-JSON media types a success reply may also have (`text/csv`);
    /// each gets its own streaming method.
    pub alt_media: Vec<String>,
    /// Boolean parameters that switch the reply to another media type
    /// (`x-sdk-selects-media-type`); set only by that media type's method.
    pub media_selectors: Vec<MediaSelector>,
    /// How the operation pages, when it does.
    pub paging: Option<Paging>,
    /// Rustdoc lines.
    pub docs: Vec<String>,
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

/// A boolean parameter that selects a media type.
#[derive(Debug, Clone)]
pub struct MediaSelector {
    /// Query key.
    pub wire: String,
    /// The media type it selects.
    pub media: String,
}

/// How an operation pages: recognised from its parameters and reply, or
/// declared in the options. Everything is read from the lowered operation:
/// wire names for what goes on the request, field paths into the reply type
/// for what is read back.
#[derive(Debug, Clone)]
pub struct Paging {
    /// How the next page is asked for.
    pub scheme: PagingScheme,
    /// The query parameter that sets the page size (wire name), and the
    /// spec's default for it.
    pub size: Option<(String, Option<u64>)>,
    /// Where the items are in the reply (no steps: the reply is the list).
    pub items: FieldPath,
    /// The item type.
    pub item_ty: Ty,
    /// `total_pages`-like field.
    pub total_pages: Option<FieldPath>,
    /// The number of items in the whole listing.
    pub total_count: Option<FieldPath>,
    /// The page size the server used.
    pub per_page: Option<FieldPath>,
    /// What leads to the next page.
    pub next: Option<NextFrom>,
    /// `has_more`-like boolean field.
    pub has_more: Option<FieldPath>,
    /// Declared in the options rather than recognised.
    pub declared: bool,
}

/// How the next page is asked for (wire names of query parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingScheme {
    /// A page number; pages count from `first`.
    Page { param: String, first: u64 },
    /// The offset of the page's first item.
    Offset { param: String },
    /// A cursor or token the previous reply gave (see [`Paging::next`]).
    Cursor { param: String },
    /// A URL the previous reply gave (a field, or its `Link` header).
    NextUrl,
}

impl PagingScheme {
    /// Its name in reports and declarations.
    pub fn name(&self) -> &'static str {
        match self {
            PagingScheme::Page { .. } => "page",
            PagingScheme::Offset { .. } => "offset",
            PagingScheme::Cursor { .. } => "cursor",
            PagingScheme::NextUrl => "next_url",
        }
    }
}

/// Where the value that leads to the next page is.
#[derive(Debug, Clone)]
pub enum NextFrom {
    /// A field of the reply (a cursor, a token, a URL; `has_more` is then
    /// also whether it is there, when the scheme is page numbers).
    Field(FieldPath),
    /// A field of the last item (its id: `starting_after`, `after`).
    LastItem(FieldPath),
}

/// A path of fields from a value to one inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    /// Each field on the way, from the outside in.
    pub steps: Vec<FieldStep>,
    /// What the last one holds.
    pub leaf: Leaf,
}

/// One field on a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// Rust field name.
    pub name: String,
    /// Wire name (for reports).
    pub wire: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether it is boxed.
    pub boxed: bool,
}

/// What a field path ends at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Leaf {
    /// An integer.
    Integer,
    /// An `f64`.
    Number,
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list (the items).
    #[default]
    List,
}

impl FieldPath {
    /// The path as the spec writes it (`result_info.total_pages`).
    pub fn dotted(&self) -> String {
        self.steps.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>().join(".")
    }
}

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

/// A parameter sent in the path, query or a header.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Wire name (query key, header name, path template name).
    pub wire: String,
    /// Value type.
    pub ty: Ty,
    /// Required by the spec.
    pub required: bool,
    /// Where it goes.
    pub location: Location,
    /// Bounds and length limits checked before sending.
    pub checks: Checks,
    /// How the value is written.
    pub style: Style,
    /// `explode`: lists and objects as one pair per item or property
    /// (`true`) or as one value (`false`).
    pub explode: bool,
    /// The spec's `default`, shown in the docs (never sent by the client).
    pub default: Option<String>,
    /// The spec's `example` (the parameter's, else its schema's) as text,
    /// for the README's usage example.
    pub example: Option<String>,
    /// Rustdoc lines.
    pub docs: Vec<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter value becomes text: an OpenAPI `style`, or the JSON
/// text of a parameter described by `content: application/json`. The
/// runtime's `Style` has the same variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Query and cookie default.
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// Path and header default.
    Simple,
    Label,
    Matrix,
    /// `content: application/json`.
    Json,
}

impl Style {
    /// The variant's name, as the runtime spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Form => "Form",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::PipeDelimited => "PipeDelimited",
            Style::DeepObject => "DeepObject",
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::Json => "Json",
        }
    }
}

/// Constraints the client enforces before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// `minimum` (inclusive unless `exclusive_minimum`).
    pub minimum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `maximum` (inclusive unless `exclusive_maximum`).
    pub maximum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `minLength` in characters.
    pub min_length: Option<usize>,
    /// `maxLength` in characters.
    pub max_length: Option<usize>,
}

/// The struct that carries an operation's query, header and cookie parameters.
#[derive(Debug, Clone)]
pub struct ParamsStruct {
    /// Rust type name.
    pub name: String,
    /// Members: plain parameters and groups of dotted ones.
    pub members: Vec<ParamMember>,
}

impl ParamsStruct {
    /// Every parameter, grouped or not, in member order.
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.members.iter().flat_map(|m| match m {
            ParamMember::Single(p) => std::slice::from_ref(p),
            ParamMember::Group(g) => g.params.as_slice(),
        })
    }
}

/// A member of a parameters struct.
#[derive(Debug, Clone)]
pub enum ParamMember {
    /// One parameter.
    Single(Param),
    /// Parameters sharing a dotted prefix (`actor.email`, `actor.ip`).
    Group(ParamGroup),
}

/// Dotted parameters gathered under their common prefix.
#[derive(Debug, Clone)]
pub struct ParamGroup {
    /// Field name in the parent struct.
    pub name: String,
    /// The prefix on the wire (`actor`).
    pub wire_prefix: String,
    /// Rust type name of the group struct.
    pub type_name: String,
    /// The parameters, each with its full wire name.
    pub params: Vec<Param>,
}
