//! What keeps a value as it came when it is written back: the properties a
//! schema does not name (kept in a map beside the named ones), and numbers
//! that were whole (`2` stays `2`, not `2.0`, though it is an `f64`).
//! The generated types' `serde_struct!` calls these.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, MapAccess};
use serde::ser::SerializeMap;

/// A map of the properties an object's schema does not name: read from
/// the reply, written back after the named ones.
#[doc(hidden)]
pub trait Extra: Default {
    /// Reads the value of the property `key` into the map.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
    /// Writes them as entries of `map`.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl Extra for serde_json::Map<String, serde_json::Value> {
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.to_owned(), value);
        Ok(())
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter().try_for_each(|(k, v)| map.serialize_entry(k, v))
    }
}

impl<T: DeserializeOwned + serde::Serialize> Extra for BTreeMap<String, T> {
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.to_owned(), value);
        Ok(())
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter().try_for_each(|(k, v)| map.serialize_entry(k, v))
    }
}

/// [`Extra::write`] for a map of values that hold numbers.
#[doc(hidden)]
pub fn write_whole<T: WholeNumbers, M: SerializeMap>(extra: &BTreeMap<String, T>, map: &mut M) -> Result<(), M::Error> {
    extra.iter().try_for_each(|(k, v)| map.serialize_entry(k, &Numbers(v)))
}

/// Writes the value it holds, with whole `f64`s as integers.
#[doc(hidden)]
pub struct Numbers<'a, T: ?Sized>(pub &'a T);

impl<T: WholeNumbers + ?Sized> serde::Serialize for Numbers<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

/// A value made of `f64`s (in options, lists, boxes and maps), written
/// with the whole ones as integers: JSON does not tell `2` from `2.0`, but
/// readers of it do (the text, and `serde_json::Value`'s equality). The
/// generator uses it only where a field's type is made of numbers; the
/// generated types write their own numbers.
#[doc(hidden)]
pub trait WholeNumbers {
    /// Writes the value.
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl WholeNumbers for f64 {
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Within ±2^53 every integer is exact, so the integer is the value;
        // `-0.0` keeps its sign as a float.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if self.fract() == 0.0 && self.abs() <= EXACT && !(*self == 0.0 && self.is_sign_negative()) {
            serializer.serialize_i64(*self as i64)
        } else {
            serializer.serialize_f64(*self)
        }
    }
}

impl<T: WholeNumbers> WholeNumbers for Option<T> {
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&Numbers(v)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: WholeNumbers + ?Sized> WholeNumbers for Box<T> {
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).write(serializer)
    }
}

impl<T: WholeNumbers> WholeNumbers for Vec<T> {
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Numbers))
    }
}

impl<T: WholeNumbers> WholeNumbers for BTreeMap<String, T> {
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Numbers(v))))
    }
}

/// `#[serde(serialize_with)]` for a union variant that holds numbers.
#[doc(hidden)]
pub fn whole_numbers<T: WholeNumbers, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.write(serializer)
}

/// Writes a struct as a map, one call per field and no early return per
/// field (the first error is kept and returned at the end): the shape of
/// code that costs the compiler least in a crate of thousands of types.
#[doc(hidden)]
pub struct Writer<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    /// Starts a map.
    pub fn new<S: serde::Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Result<Self, M::Error> {
        Ok(Writer { map: serializer.serialize_map(None)?, error: None })
    }

    /// An entry that is always written.
    pub fn always<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(key, value).err();
        }
    }

    /// An entry written when it is `Some`.
    pub fn some<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.always(key, value);
        }
    }

    /// [`Writer::always`] for a value made of numbers.
    pub fn always_numbers<T: WholeNumbers + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.always(key, &Numbers(value));
    }

    /// [`Writer::some`] for a value made of numbers.
    pub fn some_numbers<T: WholeNumbers>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.always(key, &Numbers(value));
        }
    }

    /// The properties a schema does not name.
    pub fn extra<X: Extra>(&mut self, extra: &X) {
        if self.error.is_none() {
            self.error = extra.write(&mut self.map).err();
        }
    }

    /// [`Writer::extra`] for values made of numbers.
    pub fn extra_numbers<T: WholeNumbers>(&mut self, extra: &BTreeMap<String, T>) {
        if self.error.is_none() {
            self.error = write_whole(extra, &mut self.map).err();
        }
    }

    /// Ends the map, or hands back the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// Reads the value of a property into its slot.
#[doc(hidden)]
pub fn read<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// [`read`] for a property that may be `null` and may be absent, kept
/// apart (`Some(None)`: it was `null`).
#[doc(hidden)]
pub fn read_nullable<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<Option<T>>>,
) -> Result<(), A::Error> {
    *slot = Some(Some(map.next_value()?));
    Ok(())
}

/// [`read`] for a property whose type holds `null` itself: `null` is
/// read into it, not as absence.
#[doc(hidden)]
pub fn read_value<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
) -> Result<(), A::Error> {
    *slot = Some(Some(map.next_value()?));
    Ok(())
}

/// [`read`] for an optional list whose schema also allowed other values
/// (see [`LenientList`](super::LenientList)).
#[doc(hidden)]
pub fn read_lenient<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<Vec<T>>>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value::<super::LenientList<T>>()?.0);
    Ok(())
}
