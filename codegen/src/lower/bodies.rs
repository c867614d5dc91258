//! Request bodies: a JSON body is typed; a multipart body lists its parts
//! in the docs and the caller builds the form; any other media type is sent
//! as the caller's bytes.

use super::Lowerer;
use super::view::SRef;
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use super::responses::is_json;
use openapiv3::{MediaType, ReferenceOr, RequestBody};

impl<'a> Lowerer<'a, '_> {
    /// The body an operation sends. JSON wins when offered (it is the only
    /// kind the client can type); then multipart; then the first media
    /// type, as bytes.
    pub(super) fn request_body(&mut self, rb: &'a ReferenceOr<RequestBody>, ptr: &str, op_type: &str) -> Option<Body> {
        let (body, bptr) = self.resolve_request_body(rb, ptr)?;
        let docs = docs::join(&[body.description.as_deref()]);
        if let Some((media, content)) = body.content.iter().find(|(m, _)| is_json(m)) {
            let cptr = pointer(&pointer(&bptr, "content"), media);
            let ty = match &content.schema {
                Some(s) => self.lower(SRef::from(s), &pointer(&cptr, "schema"), &format!("{op_type}Body")),
                None => Ty::Json,
            };
            return Some(Body { kind: BodyKind::Json(ty), required: body.required, docs });
        }
        let Some((media, content)) = body
            .content
            .iter()
            .find(|(m, _)| m.starts_with("multipart/form-data"))
            .or_else(|| body.content.first())
        else {
            self.diags.error(Kind::UnsupportedRequestBody, pointer(&bptr, "content"), "request body declares no media type");
            return None;
        };
        let cptr = pointer(&pointer(&bptr, "content"), media);
        let kind = if media.starts_with("multipart/form-data") {
            let parts = self.multipart_parts(content, &cptr);
            self.diags.warn(
                Kind::UnsupportedRequestBody,
                &cptr,
                "multipart body: the caller builds the form (its parts are listed in the docs)",
            );
            BodyKind::Multipart(parts)
        } else {
            self.diags.warn(Kind::UnsupportedRequestBody, &cptr, format!("`{media}` body: sent as the caller's bytes"));
            BodyKind::Raw(media.clone())
        };
        Some(Body { kind, required: body.required, docs })
    }

    /// The form's parts, for the docs: the properties of the part schema
    /// (compositions merged), each with the first line of its description.
    fn multipart_parts(&mut self, content: &'a MediaType, cptr: &str) -> Vec<Part> {
        let mut parts = Vec::new();
        if let Some(schema) = content.schema.as_ref().and_then(|s| self.peek(SRef::from(s))) {
            let props = self.collect(schema, &pointer(cptr, "schema"), 0);
            for name in &props.order {
                let summary = props.cands[name]
                    .iter()
                    .find_map(|c| self.description_of(c.schema))
                    .and_then(|d| docs::clean(d).into_iter().next())
                    .unwrap_or_default();
                parts.push(Part { name: (*name).to_owned(), required: props.required.contains(name), summary });
            }
        }
        parts
    }
}
