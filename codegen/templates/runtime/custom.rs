//! Requests to paths the description does not have (new, beta, or simply
//! missing from it), sent the way every generated operation is: the
//! client's base URL, its credentials (as the description's top-level
//! security requirement asks), retries, timeouts, compression and errors.
//!
//! ```rust,ignore
//! let thing: serde_json::Value = client
//!     .request("GET", "/accounts/{account_id}/beta/things")
//!     .path("account_id", "023e105f4ecef8ad9ca31a8372d0c353")
//!     .query("per_page", &50)
//!     .send_json()
//!     .await?;
//! ```

use std::fmt;

use super::client::Client;
use super::reply::ByteStream;
use super::request::{Custom, Request};
use super::retry::RequestOptions;
use super::styles::{self, Style};
use super::{Error, Refused};

/// A request to any path of the API, built step by step; nothing is sent
/// until one of the `send` methods. Values are encoded as the generated
/// operations encode theirs (`form` query pairs, percent-encoded path
/// segments, JSON bodies); the first value that cannot be sent is the
/// error of the `send`.
///
/// Error replies are [`Error::Api`] with the body decoded as JSON when it
/// is JSON.
pub struct CustomRequest<'c> {
    client: &'c Client,
    method: String,
    template: String,
    values: Vec<(String, String)>,
    request: Request,
    headers: Vec<(String, String)>,
    options: RequestOptions,
    error: Option<Refused>,
}

impl fmt::Debug for CustomRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials the caller adds by hand.
        f.debug_struct("CustomRequest").field("method", &self.method).field("path", &self.template).finish_non_exhaustive()
    }
}

impl Client {
    /// A request to a path the description does not have, with this
    /// client's base URL, credentials, retries, timeouts and errors:
    /// `method` is an HTTP method (`"GET"`, `"POST"`, `"QUERY"`...), `path`
    /// is relative to the base URL and may hold `{name}` placeholders for
    /// [`CustomRequest::path`].
    pub fn request(&self, method: &str, path: &str) -> CustomRequest<'_> {
        CustomRequest {
            client: self,
            method: method.to_owned(),
            template: path.to_owned(),
            values: Vec::new(),
            request: Request::new(super::client::custom_operation(self)),
            headers: Vec::new(),
            options: RequestOptions::default(),
            error: None,
        }
    }
}

impl<'c> CustomRequest<'c> {
    fn keep(&mut self, result: Result<(), Refused>) {
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(e);
        }
    }

    /// Fills the placeholder `{name}` of the path with `value`,
    /// percent-encoded so that it stays in its segment.
    pub fn path(mut self, name: &str, value: &(impl serde::Serialize + ?Sized)) -> Self {
        let text = super::node::to_node(value).map_err(|e| e.to_string()).and_then(|node| {
            styles::path_text("path", &node, Style::Simple, false).map(Option::unwrap_or_default)
        });
        let result = match text {
            Ok(t) if !t.is_empty() && t != "." && t != ".." => {
                self.values.push((name.to_owned(), t));
                Ok(())
            }
            Ok(t) => Err(Refused::parameter("path", format!("`{name}`: {t:?} cannot be a path segment"))),
            Err(m) => Err(Refused::parameter("path", format!("`{name}`: {m}"))),
        };
        self.keep(result);
        self
    }

    /// Adds a query parameter (`form`, exploded: a list repeats the name,
    /// an object sends its properties; nothing for `None`).
    pub fn query(mut self, name: &str, value: &(impl serde::Serialize + ?Sized)) -> Self {
        let mut pairs = Vec::new();
        let result = super::node::to_node(value)
            .map_err(|e| e.to_string())
            .and_then(|node| styles::query_pairs(name, &node, Style::Form, true, true, &mut pairs))
            .map_err(|m| Refused::parameter("query", format!("`{name}`: {m}")));
        self.request.push_query_pairs(pairs);
        self.keep(result);
        self
    }

    /// Adds a header, sent as given (a value that no header can carry is
    /// refused when the request is sent).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &(impl serde::Serialize + ?Sized)) -> Self {
        let result = self.request.json(body).map(drop);
        self.keep(result);
        self
    }

    /// Sends the caller's bytes as `media`.
    pub fn body(mut self, media: &'static str, body: impl Into<reqwest::Body>) -> Self {
        self.request.raw(media, body);
        self
    }

    /// Asks for `media` (`Accept`) instead of `application/json`.
    pub fn accept(mut self, media: &'static str) -> Self {
        self.request.select_media(media);
        self
    }

    /// Other settings (timeout, retries) than the client's, for this call.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The request, ready for the client, or the first value that could
    /// not be sent.
    fn finish(mut self) -> Result<(&'c Client, Request, RequestOptions), Refused> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut path = String::with_capacity(self.template.len() + 16);
        let mut rest = self.template.as_str();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            path.push_str(&rest[..start]);
            let name = &rest[start + 1..start + len];
            match self.values.iter().find(|(n, _)| n == name) {
                Some((_, value)) => path.push_str(value),
                None => return Err(Refused::parameter("path", format!("no value for `{{{name}}}`"))),
            }
            rest = &rest[start + len + 1..];
        }
        path.push_str(rest);
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        self.request.set_custom(Custom { method: self.method, path, headers: self.headers });
        Ok((self.client, self.request, self.options))
    }

    /// Sends it and decodes a success reply's JSON body into `T` (any
    /// `Deserialize` type: a generated one, your own, or
    /// `serde_json::Value`).
    pub async fn send_json<T: serde::de::DeserializeOwned + Send + 'static>(self) -> super::Result<T> {
        let (client, request, options) = self.finish()?;
        super::call::json(client, request, &options).await
    }

    /// Sends it, for a success reply whose body does not matter.
    pub async fn send(self) -> super::Result<()> {
        let (client, request, options) = self.finish()?;
        super::call::empty(client, request, &options).await
    }

    /// Sends it and hands back the reply whatever its status: status,
    /// headers, and the body as bytes or as a stream.
    pub async fn send_raw(self) -> Result<ByteStream, Error> {
        let (client, request, options) = self.finish()?;
        super::call::raw(client, request, &options).await
    }
}
