//! Request bodies other than JSON: `application/x-www-form-urlencoded`
//! (a value's properties as query-style pairs, each encoded as the spec's
//! `encoding` object says) and `multipart/form-data` (parts built from
//! typed values and [`File`]s, assembled in memory so that a request can be
//! retried). Nothing here sends anything.

use super::node::Node;
use super::styles::{self, Style};
use super::Bytes;
use std::borrow::Cow;
use std::fmt;

/// A file sent as one part of a `multipart/form-data` body: its bytes, and
/// the file name and media type the part declares.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl File {
    /// A file with these contents; the part's name stands in for a file
    /// name, and the spec's media type (else `application/octet-stream`)
    /// for the content type, unless set.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        File { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// The file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type (`image/png`).
    pub fn content_type(mut self, media: impl Into<String>) -> Self {
        self.content_type = Some(media.into());
        self
    }

    /// The contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

/// Shows the size, not the contents.
impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        File::new(bytes)
    }
}

impl From<Bytes> for File {
    fn from(bytes: Bytes) -> Self {
        File::new(bytes)
    }
}

impl From<&'static [u8]> for File {
    fn from(bytes: &'static [u8]) -> Self {
        File::new(bytes)
    }
}

impl From<String> for File {
    fn from(text: String) -> Self {
        File::new(text)
    }
}

impl From<&'static str> for File {
    fn from(text: &'static str) -> Self {
        File::new(text)
    }
}

/// What a file field holds: one file, maybe none, or several (one part
/// each, all under the field's name).
pub trait FileParts {
    /// The files, in order.
    fn files(&self) -> Vec<&File>;
}

impl FileParts for File {
    fn files(&self) -> Vec<&File> {
        vec![self]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn files(&self) -> Vec<&File> {
        self.as_ref().map(FileParts::files).unwrap_or_default()
    }
}

impl FileParts for Vec<File> {
    fn files(&self) -> Vec<&File> {
        self.iter().collect()
    }
}

impl FileParts for [File] {
    fn files(&self) -> Vec<&File> {
        self.iter().collect()
    }
}

/// An `application/x-www-form-urlencoded` body: each property of the
/// object `node` as query-style pairs, by its entry in `encoding`
/// (`form`, exploded, when it has none). A structure under a property goes
/// in brackets (`a[b]=c`); an exploded list repeats its name (`a=1&a=2`).
pub(super) fn form_urlencoded(node: &Node, encoding: &[(&'static str, Style, bool)]) -> Result<String, String> {
    let Node::Object(props) = node else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, value) in props {
        let (style, explode) =
            encoding.iter().find(|(n, ..)| n == name).map_or((Style::Form, true), |&(_, s, e)| (s, e));
        styles::query_pairs(name, value, style, explode, false, &mut pairs)?;
    }
    let texts: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok(texts.join("&"))
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub(super) name: &'static str,
    pub(super) file_name: Option<String>,
    pub(super) content_type: Option<Cow<'static, str>>,
    pub(super) bytes: Bytes,
}

/// The parts a value makes: none for null; JSON when `content_type` is a
/// JSON type or the value is a structure (an object, a list of
/// structures); one text part per item of a list of scalars; else text.
pub(super) fn value_parts(name: &'static str, node: &Node, content_type: Option<&'static str>) -> Vec<Part> {
    let part = |bytes: Bytes, content_type: Option<&'static str>| Part {
        name,
        file_name: None,
        content_type: content_type.map(Cow::Borrowed),
        bytes,
    };
    let json = content_type.is_some_and(is_json);
    match node {
        Node::Null => Vec::new(),
        Node::List(items) if !json && !items.iter().any(Node::is_structured) => {
            items.iter().filter_map(Node::text).map(|t| part(Bytes::from(t), content_type)).collect()
        }
        structure if json || structure.is_structured() => {
            vec![part(Bytes::from(styles::json_text(node)), Some(content_type.unwrap_or("application/json")))]
        }
        scalar => scalar.text().map(|t| part(Bytes::from(t), content_type)).into_iter().collect(),
    }
}

/// The parts of a file field: the file's own name and media type, else the
/// part's name and `content_type` (the spec's), else `application/octet-stream`.
pub(super) fn file_parts(name: &'static str, files: Vec<&File>, content_type: Option<&'static str>) -> Vec<Part> {
    files
        .into_iter()
        .map(|f| Part {
            name,
            file_name: Some(f.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(match &f.content_type {
                Some(own) => Cow::Owned(own.clone()),
                None => Cow::Borrowed(content_type.unwrap_or("application/octet-stream")),
            }),
            bytes: f.bytes.clone(),
        })
        .collect()
}

/// The body and its `Content-Type` (with a fresh random boundary).
pub(super) fn multipart(parts: &[Part]) -> (String, Bytes) {
    let boundary = format!("{:032x}", fastrand::u128(..));
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.bytes.len() + 160).sum::<usize>() + 64);
    for p in parts {
        out.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(p.name)).as_bytes());
        if let Some(file_name) = &p.file_name {
            out.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = &p.content_type {
            // A caller's media type cannot add header lines.
            out.extend_from_slice(format!("Content-Type: {}\r\n", ct.replace(['\r', '\n'], "")).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&p.bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), Bytes::from(out))
}

/// A name inside a quoted `Content-Disposition` parameter: `"`, CR and LF
/// percent-encoded, as browsers do.
fn quoted(name: &str) -> Cow<'_, str> {
    if name.contains(['"', '\r', '\n']) {
        Cow::Owned(name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A"))
    } else {
        Cow::Borrowed(name)
    }
}

/// `application/json`, `application/problem+json`, with or without parameters.
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
