//! Parameter styles: a value (as a [`Node`]) written the way OpenAPI's
//! `style` and `explode` say, in a path segment, a query string, a header
//! or a cookie. The rules are RFC 6570's, as the OpenAPI serialization
//! table gives them; where the table says nothing (structures nested in
//! other structures), the de-facto bracket convention of form-encoded APIs
//! applies: `a[b][c]=d` for objects, `a[b][]=x` for lists of scalars and
//! `a[b][0][c]=d` for lists of structures.
//!
//! Data is percent-encoded (everything outside RFC 3986's unreserved set)
//! and delimiters are not, so a `,` in a value never reads as a separator.
//! Nothing here sends anything or knows which operation a value is for.

use super::node::Node;
use std::borrow::Cow;

/// How a parameter value becomes text: an OpenAPI `style` (with `explode`
/// passed beside it), or the JSON text of a parameter described by
/// `content: application/json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `color=blue`; lists `color=blue&color=black` (explode) or
    /// `color=blue,black`; objects `R=100&G=200` (explode) or
    /// `color=R,100,G,200`. Query and cookie.
    Form,
    /// Lists `color=blue%20black`.
    SpaceDelimited,
    /// Lists `color=blue|black`.
    PipeDelimited,
    /// Objects `color[R]=100&color[G]=200`, nested as `a[b][c]=d`.
    DeepObject,
    /// `blue`, `blue,black`, `R,100,G,200` (`R=100,G=200` exploded). Path and header.
    Simple,
    /// `.blue`, `.blue,black` (`.blue.black` exploded). Path.
    Label,
    /// `;color=blue`, `;color=blue,black` (`;color=blue;color=black` exploded). Path.
    Matrix,
    /// The value's JSON text (`content: application/json`).
    Json,
}

/// Characters left as they are: RFC 3986's unreserved set.
const DATA: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes data, so that it never reads as a delimiter.
pub(super) fn data(text: &str) -> Cow<'_, str> {
    percent_encoding::utf8_percent_encode(text, DATA).into()
}

/// The JSON text of a value (its properties in order).
pub(super) fn json_text(node: &Node) -> String {
    // A `Node` holds only finite numbers and string keys, which JSON takes.
    serde_json::to_string(node).unwrap_or_default()
}

/// Query pairs, keys and values already percent-encoded. `flatten`: an
/// exploded `form` object sends each property as its own pair (the spec's
/// rule for a parameter); otherwise, as for a property of a form body, it
/// goes in brackets under its name.
pub(super) fn query_pairs(
    name: &str,
    node: &Node,
    style: Style,
    explode: bool,
    flatten: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let key = data(name).into_owned();
    match style {
        Style::Json => {
            if *node != Node::Null {
                out.push((key, data(&json_text(node)).into_owned()));
            }
            Ok(())
        }
        Style::DeepObject => {
            brackets(key, node, out);
            Ok(())
        }
        Style::SpaceDelimited if !explode => push_joined(key, node, "%20", out),
        Style::PipeDelimited if !explode => push_joined(key, node, "|", out),
        _ => form(key, node, explode, flatten, out),
    }
}

/// `style: form`.
fn form(key: String, node: &Node, explode: bool, flatten: bool, out: &mut Vec<(String, String)>) -> Result<(), String> {
    match node {
        Node::List(items) if explode => {
            if items.iter().any(Node::is_structured) {
                brackets(key, node, out);
            } else {
                out.extend(items.iter().filter_map(Node::text).map(|t| (key.clone(), data(&t).into_owned())));
            }
            Ok(())
        }
        Node::Object(props) if explode && flatten => {
            for (k, v) in props {
                form(data(k).into_owned(), v, true, false, out)?;
            }
            Ok(())
        }
        Node::Object(_) if explode => {
            brackets(key, node, out);
            Ok(())
        }
        _ => push_joined(key, node, ",", out),
    }
}

/// One pair whose value is a scalar, or the items of a list (the names and
/// values of an object) joined by `separator`; nothing for null or empty.
fn push_joined(key: String, node: &Node, separator: &str, out: &mut Vec<(String, String)>) -> Result<(), String> {
    if let Some(texts) = flat_texts(node)? {
        if !texts.is_empty() {
            let encoded: Vec<Cow<'_, str>> = texts.iter().map(|t| data(t)).collect();
            out.push((key, encoded.join(separator)));
        }
    }
    Ok(())
}

/// The bracket convention: `prefix=x`, `prefix[k]=..`, `prefix[]=x` for a
/// list of scalars, `prefix[0][k]=..` for a list of structures.
fn brackets(prefix: String, node: &Node, out: &mut Vec<(String, String)>) {
    match node {
        Node::Null => {}
        Node::List(items) if items.iter().any(Node::is_structured) => {
            for (i, item) in items.iter().enumerate() {
                brackets(format!("{prefix}[{i}]"), item, out);
            }
        }
        Node::List(items) => {
            let key = format!("{prefix}[]");
            out.extend(items.iter().filter_map(Node::text).map(|t| (key.clone(), data(&t).into_owned())));
        }
        Node::Object(props) => {
            for (k, v) in props {
                brackets(format!("{prefix}[{}]", data(k)), v, out);
            }
        }
        scalar => out.extend(scalar.text().map(|t| (prefix, data(&t).into_owned()))),
    }
}

/// The texts of a scalar (one), a list of scalars, or an object of scalars
/// (name, value, name, value); `None` for null. Structures nested deeper
/// have no flat form.
fn flat_texts(node: &Node) -> Result<Option<Vec<String>>, String> {
    let nested = || "a structure nested in a list or an object cannot be sent in this style".to_owned();
    Ok(Some(match node {
        Node::Null => return Ok(None),
        Node::List(items) => {
            if items.iter().any(Node::is_structured) {
                return Err(nested());
            }
            items.iter().filter_map(Node::text).collect()
        }
        Node::Object(props) => {
            let mut texts = Vec::new();
            for (k, v) in props {
                if v.is_structured() {
                    return Err(nested());
                }
                if let Some(t) = v.text() {
                    texts.extend([k.clone(), t]);
                }
            }
            texts
        }
        scalar => scalar.text().into_iter().collect(),
    }))
}

/// The object's properties as `name=value` texts (escaped by `esc`), null
/// properties left out; `None` when it is not an object of scalars.
fn exploded_props(node: &Node, esc: fn(&str) -> Cow<'_, str>) -> Result<Option<Vec<String>>, String> {
    let Node::Object(props) = node else { return Ok(None) };
    let mut out = Vec::new();
    for (k, v) in props {
        if v.is_structured() {
            return Err("a structure nested in an object cannot be sent in this style".to_owned());
        }
        if let Some(t) = v.text() {
            out.push(format!("{}={}", esc(k), esc(&t)));
        }
    }
    Ok(Some(out))
}

/// `simple`, `label` and `matrix`: one text, data escaped by `esc`; `None`
/// when there is nothing to send (null, an empty list or object).
fn expand(name: &str, node: &Node, style: Style, explode: bool, esc: fn(&str) -> Cow<'_, str>) -> Result<Option<String>, String> {
    if style == Style::Json {
        return Ok((*node != Node::Null).then(|| esc(&json_text(node)).into_owned()));
    }
    let name = esc(name);
    let is_scalar = !node.is_structured();
    if explode {
        if let Some(props) = exploded_props(node, esc)? {
            if props.is_empty() {
                return Ok(None);
            }
            return Ok(Some(match style {
                Style::Label => format!(".{}", props.join(".")),
                Style::Matrix => format!(";{}", props.join(";")),
                _ => props.join(","),
            }));
        }
    }
    let Some(texts) = flat_texts(node)? else { return Ok(None) };
    if texts.is_empty() && !is_scalar {
        return Ok(None);
    }
    let texts: Vec<Cow<'_, str>> = texts.iter().map(|t| esc(t)).collect();
    Ok(Some(match style {
        Style::Label if explode => format!(".{}", texts.join(".")),
        Style::Label => format!(".{}", texts.join(",")),
        Style::Matrix if explode => texts.iter().map(|t| matrix_pair(&name, t)).collect(),
        Style::Matrix => matrix_pair(&name, &texts.join(",")),
        _ => texts.join(","),
    }))
}

/// `;name=value`, or `;name` for an empty value (RFC 6570).
fn matrix_pair(name: &str, value: &str) -> String {
    if value.is_empty() { format!(";{name}") } else { format!(";{name}={value}") }
}

/// A path parameter's text, percent-encoded so that it stays in its
/// segment; `None` when the value sends nothing.
pub(super) fn path_text(name: &str, node: &Node, style: Style, explode: bool) -> Result<Option<String>, String> {
    expand(name, node, style, explode, data)
}

/// A header parameter's value (`simple`, or JSON text with non-ASCII
/// characters escaped so that it is a valid header value).
pub(super) fn header_text(node: &Node, style: Style, explode: bool) -> Result<Option<String>, String> {
    if style == Style::Json {
        return Ok((*node != Node::Null).then(|| ascii_json(&json_text(node))));
    }
    expand("", node, Style::Simple, explode, verbatim)
}

/// Header values are not percent-encoded.
fn verbatim(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// A cookie parameter's `name=value` pairs (`form`, percent-encoded, as in
/// a query: an exploded list or object is one pair per item or property).
pub(super) fn cookie_pairs(name: &str, node: &Node, style: Style, explode: bool) -> Result<Vec<String>, String> {
    let mut pairs = Vec::new();
    let style = if style == Style::Json { Style::Json } else { Style::Form };
    query_pairs(name, node, style, explode, true, &mut pairs)?;
    Ok(pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect())
}

/// JSON text with every non-ASCII character written as `\uXXXX`. Outside
/// strings JSON is ASCII, so only string contents change, and stay equal.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}
