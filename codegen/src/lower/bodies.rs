//! Request bodies: which media type an operation sends, and its type.
//! JSON and `application/x-www-form-urlencoded` bodies are typed by their
//! schema (a form's properties encoded as its `encoding` object says); a
//! `multipart/form-data` body whose schema names its parts becomes a
//! struct with one field per part (`format: binary` ones are files); a
//! multipart body with no described parts is the caller's form, and any
//! other media type the caller's bytes.
//!
//! Those last two are typed exactly as far as the spec describes them, so
//! they draw no diagnostic; only what the spec describes and the client
//! cannot type (a form that is not an object) does.
//!
//! Names nothing but the multipart struct (the parts' own types are named
//! by `compose`), and encodes nothing: the runtime does.

use super::Lowerer;
use super::compose::Props;
use super::responses::is_json;
use super::view::{SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use indexmap::IndexMap;
use openapiv3::{Encoding, MediaType, QueryStyle, ReferenceOr, RequestBody};
use std::collections::HashMap;

impl<'a> Lowerer<'a, '_> {
    /// The body an operation sends, in the media type [`chosen_media`]
    /// picks among those it declares.
    pub(super) fn request_body(&mut self, rb: &'a ReferenceOr<RequestBody>, ptr: &str, op_type: &str) -> Option<Body> {
        let (body, bptr) = self.resolve_request_body(rb, ptr)?;
        let docs = docs::join(&[body.description.as_deref()]);
        let Some((media, content)) = chosen_media(&body.content) else {
            self.diags.error(Kind::UnsupportedRequestBody, pointer(&bptr, "content"), "request body declares no media type");
            return None;
        };
        let cptr = pointer(&pointer(&bptr, "content"), media);
        let kind = match media_kind(media) {
            MediaKind::Json => BodyKind::Json(match &content.schema {
                Some(s) => self.lower(SRef::from(s), &pointer(&cptr, "schema"), &format!("{op_type}Body")),
                None => Ty::Json,
            }),
            MediaKind::Form => self.form_body(media, content, &cptr, op_type)?,
            MediaKind::Multipart => self.multipart_body(content, &cptr, op_type),
            MediaKind::Other => BodyKind::Raw(media.clone()),
        };
        let example = match &kind {
            BodyKind::Json(_) => self.media_example(content),
            _ => None,
        };
        Some(Body { kind, required: body.required, example, docs })
    }

    /// The example a media type gives of its content: its own `example`,
    /// else its first `examples` entry with a value, else its schema's.
    fn media_example(&self, content: &'a MediaType) -> Option<serde_json::Value> {
        let from_examples = || {
            content.examples.values().find_map(|e| match e {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/examples/")?;
                    match self.spec.components.as_ref()?.examples.get(name)? {
                        ReferenceOr::Item(e) => e.value.clone(),
                        ReferenceOr::Reference { .. } => None,
                    }
                }
            })
        };
        let from_schema = || {
            let schema = content.schema.as_ref().and_then(|s| self.peek(SRef::from(s)))?;
            schema.schema_data.example.clone()
        };
        content.example.clone().or_else(from_examples).or_else(from_schema)
    }

    /// A form body: its schema's type (an object; with no schema, any
    /// object) and the properties its `encoding` object sends otherwise
    /// than the default. `None` after an error for a property that its
    /// encoding cannot write.
    fn form_body(&mut self, media: &str, content: &'a MediaType, cptr: &str, op_type: &str) -> Option<BodyKind> {
        let ty = match &content.schema {
            Some(s) => self.lower(SRef::from(s), &pointer(cptr, "schema"), &format!("{op_type}Body")),
            None => Ty::JsonObject,
        };
        let ty = match self.unalias(ty.clone()) {
            Ty::Json => Ty::JsonObject,
            Ty::JsonObject | Ty::Map(_) => ty,
            Ty::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct(_)) => ty,
            _ => {
                self.diags.warn(
                    Kind::UnsupportedRequestBody,
                    pointer(cptr, "schema"),
                    format!("a `{media}` body is an object's properties, and this schema is not an object; it is sent as the caller's bytes"),
                );
                return Some(BodyKind::Raw(media.to_owned()));
            }
        };
        let fields = self.struct_fields(&ty).unwrap_or_default();
        let mut encoding = Vec::new();
        let mut failed = false;
        for (wire, e) in &content.encoding {
            let (style, explode) = property_style(e);
            let prop_ty = fields.iter().find(|f| &f.wire == wire).map(|f| f.ty.clone());
            if prop_ty.is_some_and(|t| !self.style_fits(&t, style, explode)) {
                let message = format!(
                    "property `{wire}` can hold structures nested in lists or objects, which its encoding's style cannot write"
                );
                self.diags.error(Kind::UnsupportedRequestBody, pointer(&pointer(cptr, "encoding"), wire), message);
                failed = true;
            }
            if (style, explode) != (Style::Form, true) {
                encoding.push(PropertyEncoding { wire: wire.clone(), style, explode });
            }
        }
        (!failed).then_some(BodyKind::Form(FormBody { ty, encoding }))
    }

    /// A multipart body: a struct of its parts when its schema has
    /// properties, else the caller's form.
    fn multipart_body(&mut self, content: &'a MediaType, cptr: &str, op_type: &str) -> BodyKind {
        let sptr = pointer(cptr, "schema");
        let Some((schema, sptr, _)) = content.schema.as_ref().and_then(|s| self.resolve(SRef::from(s), &sptr)) else {
            return BodyKind::CallerForm;
        };
        let props = self.collect(schema, &sptr, 0);
        if props.order.is_empty() {
            return BodyKind::CallerForm;
        }
        let files = self.file_properties(&props);
        let v = View::of(schema);
        let docs = docs::join(&[v.title, v.description]);
        let name = self.type_scope.unique(&format!("{op_type}Body"));
        let parts = self
            .fields(props, &name)
            .into_iter()
            .map(|f| Part {
                kind: files.get(f.wire.as_str()).cloned().unwrap_or(PartKind::Value(f.ty)),
                content_type: single_media(&content.encoding, &f.wire),
                required: f.required && !f.nullable,
                name: f.name,
                wire: f.wire,
                docs: f.docs,
            })
            .collect();
        BodyKind::Multipart(MultipartBody { name, docs, parts })
    }

    /// The properties that are files (`type: string, format: binary`, the
    /// shape the loader also gives 3.1's `contentMediaType`) or lists of
    /// files, by wire name: any candidate of a property that is one makes
    /// it one.
    fn file_properties(&self, props: &Props<'a>) -> HashMap<&'a str, PartKind> {
        let mut out = HashMap::new();
        for name in &props.order {
            for c in &props.cands[name] {
                let Some(v) = self.peek(c.schema).map(View::of) else { continue };
                let kind = if self.is_binary(&v, 0) {
                    PartKind::File
                } else if v.items.and_then(|i| self.peek(i)).is_some_and(|i| self.is_binary(&View::of(i), 0)) {
                    PartKind::Files
                } else {
                    continue;
                };
                out.insert(*name, kind);
                break;
            }
        }
        out
    }

    /// `type: string, format: binary`, seen through an `allOf` of one.
    fn is_binary(&self, v: &View<'a>, depth: usize) -> bool {
        if v.format == Some("binary") && matches!(v.typ, Some("string") | None) {
            return true;
        }
        match self.all_of_members(v).as_slice() {
            [one] if depth < super::MAX_DEPTH => self.peek(*one).is_some_and(|s| self.is_binary(&View::of(s), depth + 1)),
            _ => false,
        }
    }
}

/// How a body of a media type is encoded.
#[derive(Debug, PartialEq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Other,
}

fn media_kind(media: &str) -> MediaKind {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if is_json(&essence) {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else {
        MediaKind::Other
    }
}

/// The media type the client sends when a body offers several: JSON (the
/// only one every API reads the same), else a form, else multipart, else
/// the first declared; the first of a kind in spec order.
pub(super) fn chosen_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    [MediaKind::Json, MediaKind::Form, MediaKind::Multipart]
        .iter()
        .find_map(|kind| content.iter().find(|(m, _)| media_kind(m) == *kind))
        .or_else(|| content.first())
}

/// The style of a form property's encoding: its `style` and `explode`
/// (which the loader fills with the spec's default when absent), or JSON
/// text when only a JSON `contentType` is given.
fn property_style(e: &Encoding) -> (Style, bool) {
    match e.style {
        None if e.content_type.as_deref().is_some_and(is_json) => (Style::Json, false),
        None | Some(QueryStyle::Form) => (Style::Form, e.explode),
        Some(QueryStyle::SpaceDelimited) => (Style::SpaceDelimited, e.explode),
        Some(QueryStyle::PipeDelimited) => (Style::PipeDelimited, e.explode),
        Some(QueryStyle::DeepObject) => (Style::DeepObject, true),
    }
}

/// A part's `encoding.contentType` when it names one media type (not a
/// list, not a wildcard such as `image/*`).
fn single_media(encoding: &IndexMap<String, Encoding>, wire: &str) -> Option<String> {
    let ct = encoding.get(wire)?.content_type.as_deref()?.trim();
    (!ct.is_empty() && !ct.contains([',', '*'])).then(|| ct.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{MediaKind, chosen_media, media_kind};
    use indexmap::IndexMap;
    use openapiv3::MediaType;

    #[test]
    fn json_wins_then_forms_then_multipart_then_the_first() {
        let cases: &[(&[&str], &str)] = &[
            (&["multipart/form-data", "application/x-www-form-urlencoded", "application/json"], "application/json"),
            (&["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"], "application/x-www-form-urlencoded"),
            (&["application/javascript", "multipart/form-data; charset=utf-8"], "multipart/form-data; charset=utf-8"),
            (&["application/octet-stream", "text/plain"], "application/octet-stream"),
            (&["application/vnd.api+json", "application/json"], "application/vnd.api+json"),
        ];
        for (offered, want) in cases {
            let content: IndexMap<String, MediaType> =
                offered.iter().map(|m| ((*m).to_owned(), MediaType::default())).collect();
            assert_eq!(chosen_media(&content).map(|(m, _)| m.as_str()), Some(*want), "{offered:?}");
        }
        assert!(chosen_media(&IndexMap::new()).is_none());
        assert_eq!(media_kind("Application/X-WWW-Form-Urlencoded; charset=utf-8"), MediaKind::Form);
    }
}
