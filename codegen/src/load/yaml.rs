//! YAML text to a JSON value, keeping integers that do not fit 64 bits.
//!
//! `serde_json::Value` refuses a YAML integer beyond `u64`
//! (DigitalOcean's MySQL `group_concat_max_len` has
//! `maximum: 18446744073709552000`, `u64::MAX` as printed by a
//! JavaScript double) with "JSON number out of range", failing the whole
//! file. JSON text with the same number parses (as a float); this reader
//! does the same for YAML. Everything else is what `serde_json::Value`'s
//! own deserializer produces. It must not interpret the document.

use serde::de::{self, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses one YAML document into a JSON value.
pub(crate) fn from_str(text: &str) -> Result<Value, String> {
    let de = serde_yaml::Deserializer::from_str(text);
    de.deserialize_any(ValueVisitor).map_err(|e| e.to_string())
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::Number(i.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::Number(u.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let value = access.next_value_seed(Seed)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// Like `serde_json`: a float that is not finite is `null`.
fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

struct Seed;

impl<'de> de::DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Map keys as strings (`200:` is the key `"200"`, as in JSON).
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_serde_json_value_and_keeps_big_integers() {
        let text = "a: 1\nb: -2\nc: 1.5\nd: [true, null, ~, 'x']\n200: {e: 18446744073709552000, f: -9223372036854776000}\n";
        assert_eq!(
            from_str(text).unwrap(),
            json!({"a": 1, "b": -2, "c": 1.5, "d": [true, null, null, "x"],
                   "200": {"e": 18446744073709552000.0, "f": -9223372036854776000.0}})
        );
        let plain = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {'200': {description: ok}}}}\nx: &a [1]\ny: *a\n";
        assert_eq!(from_str(plain).unwrap(), serde_yaml::from_str::<Value>(plain).unwrap());
    }
}
