//! Parameters, in the model: where each goes, its style, the checks sent
//! with it, and the structs that carry an operation's query and header
//! parameters.

use super::Ty;

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
