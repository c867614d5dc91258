//! Macros the generated types use for code that is the same for every
//! type of a kind: written once here instead of once per type.

// The expansions name std items by full path: a spec may call its own
// types `Result`, `String` or `From`, and those names win in `types.rs`.
// Items they declare inside a function start with `__`, which no
// generated type name does (a schema may be called `Visitor`).

/// The impls of a string enum whose unknown values are kept (the enum
/// itself is written out, with its docs): `as_str`, `From<&str>`,
/// `FromStr`, `Display`, and serde both ways (parameters are written
/// through `Serialize`).
// A spec without string enums does not use it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident, $other:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_str_enum(deserializer)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use string_enum;

/// The impls of an integer enum whose unknown values are kept (the enum
/// itself is written out, with its docs): `value`, `From<i64>`,
/// `Display`, and serde both ways, as the integer.
#[allow(unused_macros)]
macro_rules! int_enum {
    ($name:ident, $other:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it is on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => *value,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use int_enum;

/// Serde both ways for a union whose alternatives are told apart by the
/// value of one property (an OpenAPI `discriminator`): the value is read
/// whole, its tag picks the alternative, and a tag this version does not
/// know keeps the whole value in the catch-all variant. Each alternative
/// writes itself, tag included.
#[allow(unused_macros)]
macro_rules! tagged_union {
    ($name:ident, $property:literal, $other:ident { $($tag:literal => $variant:ident),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get($property).and_then(::serde_json::Value::as_str) {
                    $(::std::option::Option::Some($tag) => ::serde_json::from_value(value).map($name::$variant).map_err(|e| {
                        <D::Error as ::serde::de::Error>::custom(::std::format_args!(
                            "{} (the alternative whose `{}` is `{}`)", e, $property, $tag
                        ))
                    }),)*
                    _ => ::std::result::Result::Ok($name::$other(value)),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $($name::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                    $name::$other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use tagged_union;

/// `Serialize` and `Deserialize` for a struct, from one list of its
/// fields with how each travels:
///
/// - `name` alone is an `Option` read from the property `name` (absent or
///   `null` is `None`) and written only when it is `Some`;
/// - `name = "wire"` uses another property name;
/// - `required`: absence is an error, and it is always written;
/// - `always`: an `Option` (a required property that may be `null`) that
///   is always written, `None` as `null`;
/// - `lenient`: an optional list that takes anything but a list as `None`;
/// - `nullable`: an `Option<Option<T>>` that tells a property that is not
///   there (`None`) from one that is `null` (`Some(None)`), both ways;
/// - `value`: an `Option<T>` whose `T` holds `null` itself (any JSON
///   value): `null` is read into it (`Some(Value::Null)`), not as absence;
/// - `number` (also `required_number`, `always_number`, `lenient_number`,
///   `nullable_number`): holds `f64`s, which are written without a
///   fraction when they are whole (`2`, not `2.0`), as they came.
///
/// A trailing `, extra` names the field (a map) that keeps the properties
/// the schema does not name: read into it, and written back after the
/// others (`, extra number` when its values are made of numbers). Without
/// it, such properties are skipped.
///
/// It does what the serde derives would for these structs with far less
/// code (no sequence form, no field enum), which is most of what a large
/// API costs to compile. Field types are inferred from the struct.
#[allow(unused_macros)]
macro_rules! serde_struct {
    ($name:ident { $($field:ident $(= $wire:literal)? $($kind:ident)?),* $(,)? } $(, $extra:ident $($xkind:ident)?)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $extra = ::std::default::Default::default();)?
                        while let ::std::option::Option::Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                            // One `?` for every field, not one each.
                            match key.as_str() {
                                $($crate::runtime::serde_struct!(@wire $field $($wire)?) => {
                                    $crate::runtime::serde_struct!(@read $($kind)?)(&mut map, &mut $field)
                                })*
                                _ => $crate::runtime::serde_struct!(@unknown map key $($extra)?),
                            }?;
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::runtime::serde_struct!(
                                @finish $field $crate::runtime::serde_struct!(@wire $field $($wire)?), A, $($kind)?
                            ),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                // The length is left open: counting the fields that are
                // there costs more to compile than any format gains from it.
                let mut map = $crate::runtime::Writer::new(serializer)?;
                $($crate::runtime::serde_struct!(@write $($kind)?)(
                    &mut map, $crate::runtime::serde_struct!(@wire $field $($wire)?), &self.$field
                );)*
                $($crate::runtime::serde_struct!(@extra $($xkind)?)(&mut map, &self.$extra);)?
                map.end()
            }
        }
    };
    (@wire $field:ident $wire:literal) => { $wire };
    (@wire $field:ident) => { stringify!($field) };
    (@read lenient) => { $crate::runtime::read_lenient };
    (@read lenient_number) => { $crate::runtime::read_lenient };
    (@read nullable) => { $crate::runtime::read_nullable };
    (@read value) => { $crate::runtime::read_value };
    (@read nullable_number) => { $crate::runtime::read_nullable };
    (@read $($kind:ident)?) => { $crate::runtime::read };
    (@unknown $map:ident $key:ident $extra:ident) => {
        $crate::runtime::Extra::read(&mut $extra, $key.as_str(), &mut $map)
    };
    (@unknown $map:ident $key:ident) => {
        $map.next_value::<::serde::de::IgnoredAny>().map(drop)
    };
    (@finish $field:ident $wire:expr, $a:ident, required) => {
        $field.ok_or_else(|| <$a::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish $field:ident $wire:expr, $a:ident, required_number) => {
        $field.ok_or_else(|| <$a::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish $field:ident $wire:expr, $a:ident, $($kind:ident)?) => { $field.unwrap_or_default() };
    (@write required) => { $crate::runtime::Writer::always };
    (@write always) => { $crate::runtime::Writer::always };
    (@write required_number) => { $crate::runtime::Writer::always_numbers };
    (@write always_number) => { $crate::runtime::Writer::always_numbers };
    (@write number) => { $crate::runtime::Writer::some_numbers };
    (@write lenient_number) => { $crate::runtime::Writer::some_numbers };
    (@write nullable_number) => { $crate::runtime::Writer::some_numbers };
    (@write $($kind:ident)?) => { $crate::runtime::Writer::some };
    (@extra number) => { $crate::runtime::Writer::extra_numbers };
    (@extra) => { $crate::runtime::Writer::extra };
}

#[allow(unused_imports)]
pub(crate) use serde_struct;
