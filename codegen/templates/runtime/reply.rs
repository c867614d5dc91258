//! Replies: reading a success body (JSON into the declared type, naming the
//! path that failed; bytes; a stream), turning an error status into
//! [`Error::Api`], and the serde helpers generated types use to stay
//! forward compatible.

use std::fmt;

use super::error::{ApiError, DecodeError};
use super::{Bytes, Error, ErrorBody, HeaderMap, StatusCode};

/// A reply whose status the operation declares a success.
#[doc(hidden)]
#[derive(Debug)]
pub struct Reply {
    response: reqwest::Response,
    request_id_header: Option<&'static str>,
}

impl Reply {
    #[doc(hidden)]
    pub fn new(response: reqwest::Response, request_id_header: Option<&'static str>) -> Self {
        Reply { response, request_id_header }
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// A reply header, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// Decodes the JSON body into `T`; a large body is decoded on tokio's
    /// blocking pool, so pages in flight decode in parallel, on every core,
    /// while the async threads go on moving bytes.
    pub async fn json<T: serde::de::DeserializeOwned + Send + 'static>(self) -> Result<T, DecodeError> {
        let status = self.response.status();
        let content_type = content_type(self.response.headers());
        let raw = self.response.bytes().await.map_err(|e| DecodeError {
            status,
            content_type: content_type.clone(),
            path: String::new(),
            message: format!("reading the body failed: {e}"),
            body: Bytes::new(),
        })?;
        if raw.len() < OFF_THREAD {
            return decode_bytes(status, content_type, &raw);
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return decode_bytes(status, content_type, &raw);
        };
        match runtime.spawn_blocking(move || decode_bytes(status, content_type, &raw)).await {
            Ok(decoded) => decoded,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(DecodeError {
                status,
                content_type: None,
                path: String::new(),
                message: format!("decoding was cancelled: {e}"),
                body: Bytes::new(),
            }),
        }
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await
    }

    /// The body as it arrives.
    pub fn into_stream(self) -> ByteStream {
        ByteStream::new(self.response)
    }

    /// A status the operation did not expect here, as an untyped [`Error::Api`].
    pub async fn unexpected<E: ErrorBody>(self) -> Error<E> {
        self.into_error(false).await
    }

    /// Turns the reply into [`Error::Api`], decoding the body as `E` when
    /// `typed` (see [`ErrorBody`]).
    pub(super) async fn into_error<E: ErrorBody>(self, typed: bool) -> Error<E> {
        let request_id_header = self.request_id_header;
        let status = self.response.status();
        let headers = self.response.headers().clone();
        let raw = match self.response.bytes().await {
            Ok(b) => b,
            Err(e) => return Error::Transport(e),
        };
        let body = if typed { E::decode(Some(status), &raw) } else { None };
        Error::Api(ApiError { status, headers, body, raw, request_id_header })
    }

    /// The response itself, to read as a stream.
    pub(super) fn into_response(self) -> reqwest::Response {
        self.response
    }
}

/// Bodies from this size on are decoded off the async threads: below it,
/// handing the work to another thread costs more than it saves.
const OFF_THREAD: usize = 32 * 1024;

/// Decodes bytes already read.
#[doc(hidden)]
pub fn decode_bytes<T: serde::de::DeserializeOwned>(
    status: StatusCode,
    content_type: Option<String>,
    raw: &[u8],
) -> Result<T, DecodeError> {
    let fail = |path: String, message: String| DecodeError {
        status,
        content_type: content_type.clone(),
        path,
        message,
        // A failure is the rare path: only it pays for the copy.
        body: Bytes::copy_from_slice(raw),
    };
    // The fast path decodes directly; only a failure pays for a second pass
    // that tracks the JSON path to report.
    match serde_json::from_slice(raw) {
        Ok(value) => Ok(value),
        Err(plain) => {
            // An empty body is no content: a type that takes `null` (an
            // `Option`, a `serde_json::Value`, `()`) takes it as that.
            if raw.iter().all(u8::is_ascii_whitespace) {
                if let Ok(value) = serde_json::from_slice(b"null") {
                    return Ok(value);
                }
            }
            let mut de = serde_json::Deserializer::from_slice(raw);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(fail(e.path().to_string(), e.inner().to_string())),
                Ok(_) => Err(fail(String::new(), plain.to_string())),
            }
        }
    }
}

pub(super) fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Deserializes a string enum without allocating for known values.
#[doc(hidden)]
pub fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<T, Er> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(V(std::marker::PhantomData))
}

/// An optional list whose schema also allowed an unstructured value (a
/// free-form object, a string): a list decodes as usual, anything else as
/// `None`, so the reply still decodes. Lists are read without buffering.
#[doc(hidden)]
#[derive(Debug)]
pub struct LenientList<T>(pub Option<Vec<T>>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for LenientList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Option<Vec<T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list, or any other value (read as absent)")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(Some(out))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_unit<Er: serde::de::Error>(self) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_none<Er: serde::de::Error>(self) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_str<Er: serde::de::Error>(self, _: &str) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_bool<Er: serde::de::Error>(self, _: bool) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_i64<Er: serde::de::Error>(self, _: i64) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_u64<Er: serde::de::Error>(self, _: u64) -> Result<Self::Value, Er> {
                Ok(None)
            }
            fn visit_f64<Er: serde::de::Error>(self, _: f64) -> Result<Self::Value, Er> {
                Ok(None)
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData)).map(LenientList)
    }
}

/// An object key, borrowed from the input when it can be.
#[doc(hidden)]
#[derive(Debug)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<Er: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, Er> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<Key<'de>, Er> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<Er: serde::de::Error>(self, v: String) -> Result<Key<'de>, Er> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A reply body handed back as it arrives: read it whole with
/// [`ByteStream::bytes`], or chunk by chunk with [`ByteStream::into_stream`]
/// (memory stays bounded by the chunk size, whatever the body's size).
///
/// The bytes are the body as the API meant it: the client asks for
/// compressed replies (gzip, brotli, zstd, deflate) and decompresses them as
/// they stream, so `content-encoding` (and the compressed length) are gone
/// from [`ByteStream::headers`]. A client built on a caller's own
/// `reqwest::Client` follows that client's settings instead.
#[derive(Debug)]
pub struct ByteStream {
    response: reqwest::Response,
}

impl ByteStream {
    #[doc(hidden)]
    pub fn new(response: reqwest::Response) -> Self {
        ByteStream { response }
    }

    /// The reply status.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The reply headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Bytes, reqwest::Error>> + Send {
        self.response.bytes_stream()
    }
}
