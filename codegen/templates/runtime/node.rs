//! Any value as a [`Node`]: serde's data model reduced to what parameter
//! styles and form bodies tell apart (nothing, a scalar, a list, an object
//! with its properties in order), read through the value's `Serialize`
//! impl. Generated types, `chrono` and `uuid` values, maps and unions all
//! arrive here the same way, so every style encodes any of them.
//!
//! This is not a JSON value: objects keep their serialization order (so
//! `R=100&G=200&B=150` comes out as the struct declares it, whatever
//! `serde_json` features the crate is built with), and whole floats stay
//! `2`, not `2.0`. Nothing here knows about styles (`styles` does).

use serde::ser::{self, Serialize};
use std::fmt;

/// A value as parameters and form bodies see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `None`, `()`, JSON `null`: sends nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A whole number above `i64::MAX`.
    UInt(u64),
    /// A number with a fraction (whole values are written without one).
    Float(f64),
    /// Text (dates, UUIDs and enum values arrive as text).
    Text(String),
    /// A sequence.
    List(Vec<Node>),
    /// An object or map, in serialization order.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The text of a scalar; `None` for `Null`, lists and objects.
    pub fn text(&self) -> Option<String> {
        Some(match self {
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::UInt(u) => u.to_string(),
            Node::Float(f) => number_text(*f),
            Node::Text(t) => t.clone(),
            Node::Null | Node::List(_) | Node::Object(_) => return None,
        })
    }

    /// Whether this is a list or an object.
    pub fn is_structured(&self) -> bool {
        matches!(self, Node::List(_) | Node::Object(_))
    }
}

/// Whole numbers are written without a fraction (`2`, never `2.0`).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// Reads `value` through its `Serialize` impl.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, NodeError> {
    value.serialize(NodeSerializer)
}

/// Why a value has no [`Node`] (a map key that is not a scalar, or a
/// `Serialize` impl that failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeError(pub String);

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NodeError {}

impl ser::Error for NodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NodeError(msg.to_string())
    }
}

/// Writes a node back as JSON (for `content: application/json` and JSON
/// parts), keeping the order of object properties.
impl Serialize for Node {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(i) => s.serialize_i64(*i),
            Node::UInt(u) => s.serialize_u64(*u),
            Node::Float(f) => s.serialize_f64(*f),
            Node::Text(t) => s.serialize_str(t),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(props) => {
                let mut map = s.serialize_map(Some(props.len()))?;
                for (k, v) in props {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct NodeSerializer;

/// A list or an object being built; enum variants wrap it in a one-property
/// object named after the variant, as serde's externally tagged form does.
struct Builder {
    variant: Option<&'static str>,
    items: Vec<Node>,
    props: Vec<(String, Node)>,
    key: Option<String>,
}

impl Builder {
    fn new(variant: Option<&'static str>) -> Self {
        Builder { variant, items: Vec::new(), props: Vec::new(), key: None }
    }

    fn wrap(variant: Option<&'static str>, node: Node) -> Node {
        match variant {
            Some(v) => Node::Object(vec![(v.to_owned(), node)]),
            None => node,
        }
    }

    fn list(self) -> Result<Node, NodeError> {
        Ok(Builder::wrap(self.variant, Node::List(self.items)))
    }

    fn object(self) -> Result<Node, NodeError> {
        Ok(Builder::wrap(self.variant, Node::Object(self.props)))
    }
}

macro_rules! int {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<Node, NodeError> {
            Ok(Node::Int(v.into()))
        }
    )*};
}

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = NodeError;
    type SerializeSeq = Builder;
    type SerializeTuple = Builder;
    type SerializeTupleStruct = Builder;
    type SerializeTupleVariant = Builder;
    type SerializeMap = Builder;
    type SerializeStruct = Builder;
    type SerializeStructVariant = Builder;

    int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
         serialize_u8: u8, serialize_u16: u16, serialize_u32: u32);

    fn serialize_bool(self, v: bool) -> Result<Node, NodeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, NodeError> {
        Ok(i64::try_from(v).map_or(Node::UInt(v), Node::Int))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, NodeError> {
        Ok(i64::try_from(v).map_or_else(|_| Node::Text(v.to_string()), Node::Int))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, NodeError> {
        Ok(i64::try_from(v).map_or_else(|_| Node::Text(v.to_string()), Node::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, NodeError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, NodeError> {
        if v.is_finite() { Ok(Node::Float(v)) } else { Err(NodeError(format!("{v} is not a finite number"))) }
    }
    fn serialize_char(self, v: char) -> Result<Node, NodeError> {
        Ok(Node::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, NodeError> {
        Ok(Node::Text(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, NodeError> {
        Ok(Node::List(v.iter().map(|b| Node::Int((*b).into())).collect()))
    }
    fn serialize_none(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Node, NodeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Node, NodeError> {
        Ok(Node::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<Node, NodeError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Node, NodeError> {
        Ok(Builder::wrap(Some(variant), v.serialize(self)?))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Builder, NodeError> {
        Ok(Builder::new(None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Builder, NodeError> {
        Ok(Builder::new(None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Builder, NodeError> {
        Ok(Builder::new(None))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Builder, NodeError> {
        Ok(Builder::new(Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Builder, NodeError> {
        Ok(Builder::new(None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Builder, NodeError> {
        Ok(Builder::new(None))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Builder, NodeError> {
        Ok(Builder::new(Some(variant)))
    }
}

impl ser::SerializeSeq for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        self.items.push(v.serialize(NodeSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        self.list()
    }
}

impl ser::SerializeTuple for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        self.list()
    }
}

impl ser::SerializeTupleStruct for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        self.list()
    }
}

impl ser::SerializeTupleVariant for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        self.list()
    }
}

impl ser::SerializeMap for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), NodeError> {
        let key = k.serialize(NodeSerializer)?;
        match key.text() {
            Some(text) => self.key = Some(text),
            None => return Err(NodeError("a map key must be a string or a number".to_owned())),
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        let key = self.key.take().ok_or_else(|| NodeError("a map value came without its key".to_owned()))?;
        self.props.push((key, v.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        self.object()
    }
}

impl ser::SerializeStruct for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), NodeError> {
        self.props.push((key.to_owned(), v.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        self.object()
    }
}

impl ser::SerializeStructVariant for Builder {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), NodeError> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        self.object()
    }
}
