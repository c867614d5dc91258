//! What an operation is ([`Operation`], one static per operation, written
//! by the generator) and a request being prepared for it ([`Request`]:
//! path values, query pairs, headers and cookies, body), each value
//! encoded by its style as it is added (`styles`, `bodies`). Sending is the
//! client's job; nothing here touches the network.

use super::bodies::{self, FileParts, Part};
use super::node::{Node, to_node};
use super::styles::{self, Style};
use super::{Bytes, Refused};

/// One operation of the spec, as the runtime needs it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Operation {
    /// `operationId` (or `METHOD path`).
    pub id: &'static str,
    /// HTTP method, as the description spells it (`GET`; OpenAPI 3.2 adds
    /// `QUERY` and others).
    pub method: &'static str,
    /// The path template as written (`/accounts/{account_id}/audit_logs`).
    pub path: &'static str,
    /// The credentials it accepts.
    pub security: &'static Security,
    /// Declared replies, in match order (codes, then ranges, then
    /// `default`): the statuses each covers (`(200, 200)`, `(400, 499)`,
    /// `(100, 599)`), and whether they are successes.
    pub responses: &'static [(u16, u16, bool)],
    /// The media type asked for by default (`application/json`), if any.
    pub accept: Option<&'static str>,
    /// Boolean query parameters that switch the reply to another media
    /// type (`export=true` for `text/csv`): `(parameter, media type)`.
    pub media_selectors: &'static [(&'static str, &'static str)],
    /// Boolean properties of the JSON body that switch the reply to
    /// another media type (`stream: true` for `text/event-stream`):
    /// `(property, media type)`. Only that media type's method sends
    /// `true`; the others send `false` where the caller set `true`.
    pub body_selectors: &'static [(&'static str, &'static str)],
}

impl Operation {
    /// What a request to a path the description does not have starts
    /// from: every 2XX a success, anything else an error whose body is
    /// decoded as JSON when it is; no credentials (the generated client
    /// gives it the description's top-level requirement).
    pub const CUSTOM: Operation = Operation {
        id: "custom",
        path: "(custom)",
        responses: &[(200, 299, true), (100, 599, false)],
        ..Operation::DEFAULT
    };

    /// The fields most operations share: JSON replies, no media selectors
    /// (`..Operation::DEFAULT` in a static).
    pub const DEFAULT: Operation = Operation {
        id: "",
        method: "GET",
        path: "",
        security: &Security { alternatives: &[], anonymous: true, accepted: "" },
        responses: &[],
        accept: Some("application/json"),
        media_selectors: &[],
        body_selectors: &[],
    };
}

/// The credentials an operation accepts (shared by the operations that
/// accept the same).
#[doc(hidden)]
#[derive(Debug)]
pub struct Security {
    /// Alternatives: the schemes each sends, as indexes into the API's
    /// schemes, with the OAuth2 scopes the operation needs of each; empty:
    /// none needed.
    pub alternatives: &'static [&'static [(usize, &'static [&'static str])]],
    /// Whether an unauthenticated call is one of the alternatives.
    pub anonymous: bool,
    /// The alternatives in words, for errors (`api_token, or api_email + api_key`).
    pub accepted: &'static str,
}

impl Operation {
    /// Whether a status is a success, read the way the spec ranks its
    /// replies: exact codes, then ranges, then `default`. An undeclared
    /// 2XX is still a success; any other undeclared status is a failure
    /// (whose body is still decoded as the operation's error type: see
    /// [`ErrorBody`](super::ErrorBody)).
    pub(super) fn is_success(&self, status: u16) -> bool {
        let declared = self.responses.iter().find(|(low, high, _)| (*low..=*high).contains(&status));
        match declared {
            Some((_, _, success)) => *success,
            None => status / 100 == 2,
        }
    }
}

/// A request body, encoded.
#[derive(Debug)]
pub(super) enum Body {
    /// Bytes with their content type.
    Bytes(&'static str, Bytes),
    /// `multipart/form-data` parts, assembled when sent.
    Parts(Vec<Part>),
    /// A `multipart/form-data` form built by the caller (sent once).
    Multipart(reqwest::multipart::Form),
    /// The caller's body (maybe a stream: sent once, never retried).
    Raw(&'static str, reqwest::Body),
}

/// A request being prepared for an [`Operation`]: every value checked and
/// encoded, nothing sent yet.
#[doc(hidden)]
#[derive(Debug)]
pub struct Request {
    pub(super) op: &'static Operation,
    path_values: Vec<(&'static str, String)>,
    /// Query pairs, already percent-encoded.
    query: Vec<(String, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) accept: Option<&'static str>,
    pub(super) body: Option<Body>,
    /// A URL to send to instead of the path and query (a next-page link).
    pub(super) url: Option<String>,
    /// What a request the description does not have says for itself.
    pub(super) custom: Option<Box<Custom>>,
}

/// The method, path and headers of a request to a path the description
/// does not have (see [`CustomRequest`](super::CustomRequest)).
#[derive(Debug, Clone)]
pub(super) struct Custom {
    /// The HTTP method.
    pub(super) method: String,
    /// The path, every value already in it and percent-encoded.
    pub(super) path: String,
    /// Headers with names the caller chose.
    pub(super) headers: Vec<(String, String)>,
}

/// Sets the body selectors of a JSON object: `true` for those of `media`;
/// the others, when the caller set them `true`, to `false` (a reply in
/// another media type than the method returns would not decode).
fn set_selectors(body: &mut serde_json::Value, selectors: &[(&'static str, &'static str)], media: Option<&str>) {
    let serde_json::Value::Object(map) = body else { return };
    for (property, selects) in selectors {
        if media == Some(*selects) {
            map.insert((*property).to_owned(), serde_json::Value::Bool(true));
        } else if let Some(value @ serde_json::Value::Bool(true)) = map.get_mut(*property) {
            *value = serde_json::Value::Bool(false);
        }
    }
}

/// A value as a [`Node`], or why the parameter `name` cannot be sent.
fn node_of<T: serde::Serialize + ?Sized>(name: &'static str, value: &T) -> Result<Node, Refused> {
    to_node(value).map_err(|e| Refused::parameter(name, e.to_string()))
}

impl Request {
    /// A request for `op`, asking for its default media type.
    pub fn new(op: &'static Operation) -> Self {
        Request {
            op,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            accept: op.accept,
            body: None,
            url: None,
            custom: None,
        }
    }

    /// Makes it a request to a path the description does not have.
    pub(super) fn set_custom(&mut self, custom: Custom) {
        self.custom = Some(Box::new(custom));
    }

    /// Adds query pairs already encoded.
    pub(super) fn push_query_pairs(&mut self, pairs: Vec<(String, String)>) {
        self.query.extend(pairs);
    }

    /// The HTTP method it is sent with.
    pub(super) fn method(&self) -> &str {
        match &self.custom {
            Some(c) => &c.method,
            None => self.op.method,
        }
    }

    /// Fills the path parameter `name` (`simple`, `label` or `matrix`),
    /// percent-encoded so that it stays in its segment; a value that
    /// sends nothing, or leaves an empty, `.` or `..` segment, is refused.
    pub fn path<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<&mut Self, Refused> {
        let node = node_of(name, value)?;
        let text = styles::path_text(name, &node, style, explode).map_err(|m| Refused::parameter(name, m))?;
        match text {
            Some(t) if !t.is_empty() && t != "." && t != ".." => {
                self.path_values.push((name, t));
                Ok(self)
            }
            other => Err(Refused::parameter(name, format!("{:?} cannot be a path segment", other.unwrap_or_default()))),
        }
    }

    /// Adds a query parameter in `style` (see [`Style`]); nothing when
    /// absent.
    pub fn query<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<&mut Self, Refused> {
        let node = node_of(name, value)?;
        styles::query_pairs(name, &node, style, explode, true, &mut self.query).map_err(|m| Refused::parameter(name, m))?;
        Ok(self)
    }

    /// Replaces every value of a query parameter (paging moves through pages with it).
    pub fn set_query(&mut self, name: &'static str, value: String) -> &mut Self {
        let key = styles::data(name).into_owned();
        self.query.retain(|(k, _)| *k != key);
        self.query.push((key, styles::data(&value).into_owned()));
        self
    }

    /// The (last) value of a query parameter, as it will be sent
    /// (percent-encoded).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        let key = styles::data(name);
        self.query.iter().rev().find(|(k, _)| *k == *key).map(|(_, v)| v.as_str())
    }

    /// Sends to `url` instead (a next-page link the server gave: absolute,
    /// or relative to the base URL). The client refuses one that leaves the
    /// base URL's origin, so credentials never go elsewhere.
    pub fn follow(&mut self, url: String) -> &mut Self {
        self.url = Some(url);
        self
    }

    /// The query string as it is sent, credentials aside (`a=1&b=x%20y`).
    pub fn query_string(&self) -> String {
        let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join("&")
    }

    /// Adds a header (`simple`, or JSON text); nothing when absent.
    pub fn header<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<&mut Self, Refused> {
        let node = node_of(name, value)?;
        if let Some(text) = styles::header_text(&node, style, explode).map_err(|m| Refused::parameter(name, m))? {
            self.headers.push((name, text));
        }
        Ok(self)
    }

    /// Adds a cookie parameter to the one `Cookie` header (`form`, or JSON
    /// text; several pairs are joined by `; `); nothing when absent.
    pub fn cookie<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<&mut Self, Refused> {
        let node = node_of(name, value)?;
        let pairs = styles::cookie_pairs(name, &node, style, explode).map_err(|m| Refused::parameter(name, m))?;
        if pairs.is_empty() {
            return Ok(self);
        }
        let pairs = pairs.join("; ");
        match self.headers.iter_mut().find(|(n, _)| *n == "cookie") {
            Some((_, line)) => {
                line.push_str("; ");
                line.push_str(&pairs);
            }
            None => self.headers.push(("cookie", pairs)),
        }
        Ok(self)
    }

    /// Sets a header the client manages (`last-event-id`), replacing any
    /// value it had.
    pub(super) fn set_header(&mut self, name: &'static str, value: String) -> &mut Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value));
        self
    }

    /// The value of a header set so far (the `Cookie` header is `cookie`).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Sends `body` as JSON (with the operation's body selectors off: see
    /// [`select_media`](Self::select_media)).
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<&mut Self, Refused> {
        let encoded = if self.op.body_selectors.is_empty() {
            serde_json::to_vec(body)
        } else {
            serde_json::to_value(body).and_then(|mut value| {
                set_selectors(&mut value, self.op.body_selectors, None);
                serde_json::to_vec(&value)
            })
        };
        let encoded = encoded.map_err(|e| Refused::parameter("body", e.to_string()))?;
        self.body = Some(Body::Bytes("application/json", Bytes::from(encoded)));
        Ok(self)
    }

    /// Sends `body`, an object, as `application/x-www-form-urlencoded`:
    /// each property encoded by its `(name, style, explode)` entry in
    /// `encoding` (the spec's `encoding` object), else `form`, exploded.
    pub fn form<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        encoding: &[(&'static str, Style, bool)],
    ) -> Result<&mut Self, Refused> {
        let node = node_of("body", body)?;
        let text = bodies::form_urlencoded(&node, encoding).map_err(|m| Refused::parameter("body", m))?;
        self.body = Some(Body::Bytes("application/x-www-form-urlencoded", Bytes::from(text)));
        Ok(self)
    }

    /// Starts a `multipart/form-data` body with no parts yet.
    pub fn form_data(&mut self) -> &mut Self {
        self.body = Some(Body::Parts(Vec::new()));
        self
    }

    /// Adds the parts of a value (see [`form_data`](Self::form_data)): text
    /// for a scalar, one text part per item of a list of scalars, JSON for
    /// a structure or when `content_type` is JSON; nothing when absent.
    pub fn part<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Result<&mut Self, Refused> {
        let node = node_of(name, value)?;
        self.parts().extend(bodies::value_parts(name, &node, content_type));
        Ok(self)
    }

    /// Adds one file part per file (see [`form_data`](Self::form_data));
    /// `content_type` is the spec's, used when a file has none of its own.
    pub fn file_part<F: FileParts + ?Sized>(
        &mut self,
        name: &'static str,
        files: &F,
        content_type: Option<&'static str>,
    ) -> &mut Self {
        let parts = bodies::file_parts(name, files.files(), content_type);
        self.parts().extend(parts);
        self
    }

    /// The parts of the multipart body, started if it was not.
    fn parts(&mut self) -> &mut Vec<Part> {
        if !matches!(self.body, Some(Body::Parts(_))) {
            self.body = Some(Body::Parts(Vec::new()));
        }
        match &mut self.body {
            Some(Body::Parts(parts)) => parts,
            _ => unreachable!("set above"),
        }
    }

    /// Sends a `multipart/form-data` form built by the caller.
    pub fn multipart(&mut self, form: reqwest::multipart::Form) -> &mut Self {
        self.body = Some(Body::Multipart(form));
        self
    }

    /// Sends the caller's bytes as `media`.
    pub fn raw(&mut self, media: &'static str, body: impl Into<reqwest::Body>) -> &mut Self {
        self.body = Some(Body::Raw(media, body.into()));
        self
    }

    /// The body as it is sent, with its content type, when it is bytes
    /// (JSON, a form, multipart parts with a fresh boundary); `None` for
    /// no body or the caller's stream or form.
    pub fn body_bytes(&self) -> Option<(String, Bytes)> {
        match self.body.as_ref()? {
            Body::Bytes(media, bytes) => Some(((*media).to_owned(), bytes.clone())),
            Body::Parts(parts) => Some(bodies::multipart(parts)),
            Body::Multipart(_) | Body::Raw(..) => None,
        }
    }

    /// Asks for `media` instead of the default, setting the query
    /// parameters and JSON body properties the spec says select it (to
    /// `true`).
    pub fn select_media(&mut self, media: &'static str) -> &mut Self {
        self.accept = Some(media);
        for (param, selects) in self.op.media_selectors {
            if *selects == media {
                self.query.push((styles::data(param).into_owned(), "true".to_owned()));
            }
        }
        if self.op.body_selectors.iter().any(|(_, m)| *m == media) {
            if let Some(Body::Bytes(content_type, bytes)) = &mut self.body {
                if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) {
                    set_selectors(&mut value, self.op.body_selectors, Some(media));
                    if let Ok(encoded) = serde_json::to_vec(&value) {
                        *bytes = Bytes::from(encoded);
                        *content_type = "application/json";
                    }
                }
            }
        }
        self
    }

    /// The path with every `{name}` filled; a name with no value is refused.
    pub fn render_path(&self) -> Result<String, Refused> {
        if let Some(c) = &self.custom {
            return Ok(c.path.clone());
        }
        let mut out = String::with_capacity(self.op.path.len() + 32);
        let mut rest = self.op.path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            out.push_str(&rest[..start]);
            let name = &rest[start + 1..start + len];
            match self.path_values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => return Err(Refused::parameter("path", format!("no value for `{{{name}}}`"))),
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// A copy for another page; `None` when the body is the caller's
    /// stream or form, which can be sent only once.
    pub fn try_clone(&self) -> Option<Request> {
        let body = match &self.body {
            None => None,
            Some(Body::Bytes(media, bytes)) => Some(Body::Bytes(media, bytes.clone())),
            Some(Body::Parts(parts)) => Some(Body::Parts(parts.clone())),
            Some(Body::Multipart(_) | Body::Raw(..)) => return None,
        };
        Some(Request {
            op: self.op,
            path_values: self.path_values.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            accept: self.accept,
            body,
            url: self.url.clone(),
            custom: self.custom.clone(),
        })
    }
}
