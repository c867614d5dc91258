//! A flat, uniform view of an `openapiv3` schema.
//!
//! `openapiv3` spreads one JSON Schema object over several Rust shapes
//! (`Type::String`, `AnySchema`, `OneOf`, ...) depending on which keywords
//! happen to be present. Lowering wants to ask the same questions of all of
//! them ("does it have properties? a format? an enum?"), so this module
//! answers them once. Only `lower` uses it.
//!
//! It sees one schema at a time and never follows a `$ref` (that needs the
//! document: `refs` does it).

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerType, NumberType, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringType, Type, VariantOrUnknownOrEmpty,
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
    /// `example` (data, read only to size a number's type).
    pub example: Option<&'a Value>,
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
    /// `discriminator`: the property that names the alternative, and its
    /// values mapped to `$ref`s.
    pub discriminator: Option<&'a openapiv3::Discriminator>,
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
        let mut v = View::annotations(&schema.schema_data);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => v.string(s),
            SchemaKind::Type(Type::Number(n)) => v.number(n),
            SchemaKind::Type(Type::Integer(n)) => v.integer(n),
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
            SchemaKind::Any(a) => v.any(a),
        }
        v
    }

    /// The keywords every shape shares; the rest start empty.
    fn annotations(data: &'a SchemaData) -> Self {
        View {
            typ: None,
            format: None,
            nullable: data.nullable,
            one_way: data.read_only || data.write_only,
            description: data.description.as_deref(),
            title: data.title.as_deref(),
            default: data.default.as_ref(),
            example: data.example.as_ref(),
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
            discriminator: data.discriminator.as_ref(),
        }
    }

    fn string(&mut self, s: &'a StringType) {
        self.typ = Some("string");
        self.format = format_str(&s.format, |f| match f {
            openapiv3::StringFormat::Date => "date",
            openapiv3::StringFormat::DateTime => "date-time",
            openapiv3::StringFormat::Password => "password",
            openapiv3::StringFormat::Byte => "byte",
            openapiv3::StringFormat::Binary => "binary",
        });
        self.enumeration = s
            .enumeration
            .iter()
            .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
            .collect();
        self.min_length = s.min_length;
        self.max_length = s.max_length;
    }

    fn number(&mut self, n: &'a NumberType) {
        self.typ = Some("number");
        self.format = format_str(&n.format, |f| match f {
            openapiv3::NumberFormat::Float => "float",
            openapiv3::NumberFormat::Double => "double",
        });
        self.enumeration = n
            .enumeration
            .iter()
            .map(|e| e.and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)).unwrap_or(Value::Null))
            .collect();
        self.minimum = n.minimum;
        self.maximum = n.maximum;
        self.exclusive_minimum = n.exclusive_minimum;
        self.exclusive_maximum = n.exclusive_maximum;
    }

    fn integer(&mut self, n: &'a IntegerType) {
        self.typ = Some("integer");
        self.format = format_str(&n.format, |f| match f {
            openapiv3::IntegerFormat::Int32 => "int32",
            openapiv3::IntegerFormat::Int64 => "int64",
        });
        self.enumeration = n
            .enumeration
            .iter()
            .map(|e| e.map(|i| Value::Number(i.into())).unwrap_or(Value::Null))
            .collect();
        self.minimum = n.minimum.map(|m| m as f64);
        self.maximum = n.maximum.map(|m| m as f64);
        self.exclusive_minimum = n.exclusive_minimum;
        self.exclusive_maximum = n.exclusive_maximum;
    }

    /// A schema `openapiv3` could not file under one type: every keyword
    /// may be present at once.
    fn any(&mut self, a: &'a AnySchema) {
        self.typ = a.typ.as_deref();
        self.format = a.format.as_deref();
        self.enumeration = a.enumeration.clone();
        self.properties = a.properties.iter().map(|(k, s)| (k.as_str(), SRef::from(s))).collect();
        self.required = a.required.iter().map(String::as_str).collect();
        (self.additional, self.has_additional) = additional(&a.additional_properties);
        self.items = a.items.as_ref().map(SRef::from);
        self.one_of = a.one_of.iter().map(SRef::from).collect();
        self.any_of = a.any_of.iter().map(SRef::from).collect();
        self.all_of = a.all_of.iter().map(SRef::from).collect();
        self.minimum = a.minimum;
        self.maximum = a.maximum;
        self.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
        self.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
        self.min_length = a.min_length;
        self.max_length = a.max_length;
    }

    /// `enum: [null]` (alone): the only value is null.
    pub fn is_null_only(&self) -> bool {
        !self.enumeration.is_empty() && self.enumeration.iter().all(Value::is_null)
    }

    /// The one type the schema's keywords imply when it leaves `type` out
    /// (JSON Schema's keywords each apply to one type: `properties`,
    /// `required` and `additionalProperties` to objects, `items` to lists),
    /// which is how the generated types read it.
    pub fn implied_type(&self) -> Option<&'static str> {
        if self.has_properties() || !self.required.is_empty() || self.has_additional {
            Some("object")
        } else if self.items.is_some() {
            Some("array")
        } else {
            None
        }
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
