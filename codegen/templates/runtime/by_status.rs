//! Error bodies: how the body of an error reply (or the data of an error
//! event in a stream) becomes the operation's typed error, [`ErrorBody`].
//! One declared shape is decoded as itself, whatever the status (a gateway
//! 5XX that the description does not declare often carries the same
//! envelope as the declared 4XX). Operations whose error statuses declare
//! different bodies get an enum with one variant per declared status and
//! [`error_enum!`] writes its decoding: the variant of the status that
//! matches (exact codes, then ranges, then `default`), else
//! [`OtherError`] with the raw bytes.

use super::{Bytes, StatusCode};

/// The typed body of an error: how it is decoded from the raw bytes.
///
/// Every type that deserializes from JSON is one (decoded whatever the
/// status, `None` when the bytes do not fit); the per-operation enums of
/// operations whose error statuses declare different bodies implement it
/// by status.
pub trait ErrorBody: Sized {
    /// Decodes an error reply's body. `status` is the reply's, or `None`
    /// for the data of an error event inside a stream (an enum then takes
    /// the first declared shape the data fits).
    fn decode(status: Option<StatusCode>, raw: &Bytes) -> Option<Self>;
}

impl<T: serde::de::DeserializeOwned> ErrorBody for T {
    fn decode(_: Option<StatusCode>, raw: &Bytes) -> Option<Self> {
        serde_json::from_slice(raw).ok()
    }
}

/// An error body an operation's error enum does not type: a status the
/// description does not declare, or a body that does not decode as the
/// status's declared shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherError {
    /// The reply's status (`None` for an error event inside a stream).
    pub status: Option<StatusCode>,
    /// The body as it came.
    pub raw: Bytes,
}

impl OtherError {
    #[doc(hidden)]
    pub fn new(status: Option<StatusCode>, raw: &Bytes) -> Self {
        OtherError { status, raw: raw.clone() }
    }
}

/// Decodes `raw` as `T`, the shape declared for a status.
#[doc(hidden)]
pub fn decode_shape<T: serde::de::DeserializeOwned>(raw: &Bytes) -> Option<T> {
    serde_json::from_slice(raw).ok()
}

/// [`ErrorBody`] for an operation's error enum, from its declared
/// statuses in match order, each `(low, high) => Variant(Type)` (or a
/// unit `Variant` for a status declared without a body); the enum's
/// `Other(OtherError)` takes the rest.
// A spec whose operations all declare one error shape does not use it.
#[allow(unused_macros)]
macro_rules! error_enum {
    ($name:ident { $(($low:literal, $high:literal) => $variant:ident $(($ty:ty))?),* $(,)? }) => {
        impl $crate::runtime::ErrorBody for $name {
            fn decode(
                status: ::std::option::Option<$crate::runtime::StatusCode>,
                raw: &$crate::runtime::Bytes,
            ) -> ::std::option::Option<Self> {
                let other = || $name::Other($crate::runtime::OtherError::new(status, raw));
                let ::std::option::Option::Some(code) = status.map(|s| s.as_u16()) else {
                    // An error event: the first declared shape it fits.
                    $($(if let ::std::option::Option::Some(body) = $crate::runtime::decode_shape::<$ty>(raw) {
                        return ::std::option::Option::Some($name::$variant(body));
                    })?)*
                    return ::std::option::Option::Some(other());
                };
                $(if ($low..=$high).contains(&code) {
                    return ::std::option::Option::Some($crate::runtime::error_enum!(@arm $name, $variant, raw, other $(, $ty)?));
                })*
                ::std::option::Option::Some(other())
            }
        }
    };
    (@arm $name:ident, $variant:ident, $raw:ident, $other:ident, $ty:ty) => {
        match $crate::runtime::decode_shape::<$ty>($raw) {
            ::std::option::Option::Some(body) => $name::$variant(body),
            ::std::option::Option::None => $other(),
        }
    };
    (@arm $name:ident, $variant:ident, $raw:ident, $other:ident) => {
        $name::$variant
    };
}

#[allow(unused_imports)]
pub(crate) use error_enum;
