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

/// `Deserialize` for a struct whose fields are listed with how each is
/// read: `name` alone is an `Option` read from the property `name` (absent
/// or `null` is `None`); `name = "wire"` reads it from another property
/// name; a trailing `required` makes absence an error, `lenient` reads an
/// optional list that takes anything but a list as `None`. Unknown
/// properties are skipped.
///
/// It does what `#[derive(Deserialize)]` would for these structs with far
/// less code (no sequence form, no field enum), which is most of what a
/// large API costs to compile. Field types are inferred from the struct.
#[allow(unused_macros)]
macro_rules! deserialize_struct {
    ($name:ident { $($field:ident $(= $wire:literal)? $($kind:ident)?),* $(,)? }) => {
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
                        $(let mut $field = None;)*
                        while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $($crate::runtime::deserialize_struct!(@wire $field $($wire)?) => {
                                    $field = Some($crate::runtime::deserialize_struct!(@value $($kind)? map));
                                })*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::deserialize_struct!(
                                @finish $field $crate::runtime::deserialize_struct!(@wire $field $($wire)?), A, $($kind)?
                            ),)*
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@wire $field:ident $wire:literal) => { $wire };
    (@wire $field:ident) => { stringify!($field) };
    (@value lenient $map:ident) => { $map.next_value::<$crate::runtime::LenientList<_>>()?.0 };
    (@value required $map:ident) => { $map.next_value()? };
    (@value $map:ident) => { $map.next_value()? };
    (@finish $field:ident $wire:expr, $a:ident, required) => {
        $field.ok_or_else(|| <$a::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish $field:ident $wire:expr, $a:ident, $($kind:ident)?) => { $field.unwrap_or_default() };
}

#[allow(unused_imports)]
pub(crate) use deserialize_struct;
