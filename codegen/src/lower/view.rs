//! A flat, uniform view of an `openapiv3` schema.
//!
//! `openapiv3` spreads one JSON Schema object over several Rust shapes
//! (`Type::String`, `AnySchema`, `OneOf`, ...) depending on which keywords
//! happen to be present. Lowering wants to ask the same questions of all of
//! them ("does it have properties? a format? an enum?"), so this module
//! answers them once. Only `lower` uses it.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema or a `$ref`, whichever container it came from.
#[derive(Clone, Copy)]
pub enum SRef<'a> {
    /// `$ref` text.
    Ref(&'a str),
    /// An inline schema.
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

/// `additionalProperties`.
#[derive(Clone, Copy)]
pub enum Additional<'a> {
    /// Absent, `true` or `{}`.
    Any,
    /// `false`.
    None,
    /// A schema for the values.
    Schema(SRef<'a>),
}

/// Every keyword lowering looks at, whatever shape `openapiv3` chose.
pub struct View<'a> {
    pub typ: Option<&'a str>,
    pub format: Option<&'a str>,
    pub nullable: bool,
    /// `readOnly` or `writeOnly`: present in one direction only.
    pub one_way: bool,
    pub description: Option<&'a str>,
    pub title: Option<&'a str>,
    pub default: Option<&'a Value>,
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a str, SRef<'a>)>,
    pub required: Vec<&'a str>,
    pub additional: Additional<'a>,
    /// Whether `additionalProperties` was given at all.
    pub has_additional: bool,
    pub items: Option<SRef<'a>>,
    pub one_of: Vec<SRef<'a>>,
    pub any_of: Vec<SRef<'a>>,
    pub all_of: Vec<SRef<'a>>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
}

fn format_str<T>(f: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => Some(known(i)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn additional(a: &Option<AdditionalProperties>) -> (Additional<'_>, bool) {
    match a {
        None => (Additional::Any, false),
        Some(AdditionalProperties::Any(true)) => (Additional::Any, true),
        Some(AdditionalProperties::Any(false)) => (Additional::None, true),
        Some(AdditionalProperties::Schema(s)) => (Additional::Schema(SRef::from(&**s)), true),
    }
}

impl<'a> View<'a> {
    /// Flattens one schema.
    pub fn of(schema: &'a Schema) -> Self {
        let data = &schema.schema_data;
        let mut v = View {
            typ: None,
            format: None,
            nullable: data.nullable,
            one_way: data.read_only || data.write_only,
            description: data.description.as_deref(),
            title: data.title.as_deref(),
            default: data.default.as_ref(),
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: Additional::Any,
            has_additional: false,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            min_length: None,
            max_length: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.typ = Some("string");
                v.format = format_str(&s.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
                v.min_length = s.min_length;
                v.max_length = s.max_length;
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.typ = Some("number");
                v.format = format_str(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)).unwrap_or(Value::Null))
                    .collect();
                v.minimum = n.minimum;
                v.maximum = n.maximum;
                v.exclusive_minimum = n.exclusive_minimum;
                v.exclusive_maximum = n.exclusive_maximum;
            }
            SchemaKind::Type(Type::Integer(n)) => {
                v.typ = Some("integer");
                v.format = format_str(&n.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map(|i| Value::Number(i.into())).unwrap_or(Value::Null))
                    .collect();
                v.minimum = n.minimum.map(|m| m as f64);
                v.maximum = n.maximum.map(|m| m as f64);
                v.exclusive_minimum = n.exclusive_minimum;
                v.exclusive_maximum = n.exclusive_maximum;
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.typ = Some("boolean");
                v.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::Bool).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.typ = Some("object");
                v.properties = o.properties.iter().map(|(k, s)| (k.as_str(), SRef::from(s))).collect();
                v.required = o.required.iter().map(String::as_str).collect();
                (v.additional, v.has_additional) = additional(&o.additional_properties);
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.typ = Some("array");
                v.items = a.items.as_ref().map(SRef::from);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(SRef::from).collect(),
            SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(SRef::from).collect(),
            SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(SRef::from).collect(),
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.as_deref();
                v.enumeration = a.enumeration.clone();
                v.properties = a.properties.iter().map(|(k, s)| (k.as_str(), SRef::from(s))).collect();
                v.required = a.required.iter().map(String::as_str).collect();
                (v.additional, v.has_additional) = additional(&a.additional_properties);
                v.items = a.items.as_ref().map(SRef::from);
                v.one_of = a.one_of.iter().map(SRef::from).collect();
                v.any_of = a.any_of.iter().map(SRef::from).collect();
                v.all_of = a.all_of.iter().map(SRef::from).collect();
                v.minimum = a.minimum;
                v.maximum = a.maximum;
                v.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
                v.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
                v.min_length = a.min_length;
                v.max_length = a.max_length;
            }
        }
        v
    }

    /// `enum: [null]` (alone): the only value is null.
    pub fn is_null_only(&self) -> bool {
        !self.enumeration.is_empty() && self.enumeration.iter().all(Value::is_null)
    }

    /// Has object structure of its own.
    pub fn has_properties(&self) -> bool {
        !self.properties.is_empty()
    }

    /// Carries no structure and no type: an empty schema.
    pub fn is_empty_schema(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_empty()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.enumeration.is_empty()
            && !matches!(self.additional, Additional::Schema(_))
    }

    /// Only constraints or annotations (e.g. `minLength` next to an `allOf`),
    /// no type information.
    pub fn is_constraint_only(&self) -> bool {
        self.is_empty_schema() && self.format.is_none()
    }
}
