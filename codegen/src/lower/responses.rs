//! Responses: the status table, the success payload (a per-status reply
//! enum when successes differ), and the single error shape the client
//! decodes failures into.

use super::Lowerer;
use super::view::SRef;
use crate::diagnostics::{Kind, pointer};
use crate::model::*;
use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

impl<'a> Lowerer<'a, '_> {
    /// What one response carries. JSON is preferred when offered, because
    /// it is the only kind the client can type; a response whose `$ref`
    /// cannot be followed is kept as untyped JSON.
    fn response_payload(&mut self, r: &'a ReferenceOr<OaResponse>, ptr: &str, hint: &str) -> Payload {
        let Some((resp, rptr)) = self.resolve_response(r, ptr) else { return Payload::Json(Ty::Json) };
        if resp.content.is_empty() {
            return Payload::Empty;
        }
        match resp.content.iter().find(|(m, _)| is_json(m)) {
            Some((media, content)) => {
                let sptr = pointer(&pointer(&pointer(&rptr, "content"), media), "schema");
                Payload::Json(match &content.schema {
                    Some(s) => self.lower(SRef::from(s), &sptr, hint),
                    None => Ty::Json,
                })
            }
            None => {
                let found: Vec<&str> = resp.content.keys().map(String::as_str).collect();
                self.diags.warn(
                    Kind::UnsupportedResponse,
                    pointer(&rptr, "content"),
                    format!("response media types {found:?} are not JSON; the body is returned as bytes"),
                );
                Payload::Bytes
            }
        }
    }

    /// The status table; the success payload (the first, with a reply
    /// enum named when later successes differ); the error type (the first
    /// JSON failure: the client decodes every failure into one type).
    #[allow(clippy::type_complexity)]
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        ptr: &str,
        op_type: &str,
    ) -> (Vec<Response>, Payload, Option<Ty>, Option<String>) {
        let entries = response_entries(op, ptr);
        let has_success = entries.iter().any(|(m, _, _)| is_success(*m));
        // With no 2XX declared, a declared redirect is what the operation
        // answers (Twilio's `FetchDeactivation` declares only a 307 whose
        // body says where to go): it is the success, not an error.
        let has_redirect = !has_success && entries.iter().any(|(m, _, _)| is_redirect(*m));
        let mut responses = Vec::new();
        let mut success: Option<(Payload, String)> = None;
        let mut several = false;
        let mut error: Option<(Ty, String)> = None;
        let (mut successes, mut failures) = (0, 0);
        for (m, r, eptr) in entries {
            let outcome = match m {
                // With no success declared, `default` is the success.
                StatusMatch::Default if !has_success && !has_redirect => Outcome::Success,
                m if is_success(m) => Outcome::Success,
                m if has_redirect && is_redirect(m) => Outcome::Success,
                _ => Outcome::Failure,
            };
            // The first of each outcome is `<Op>Response` / `<Op>Error`;
            // later ones say their status (`<Op>Response202`), so that
            // inline schemas of one operation never meet.
            let (kind, seen) = match outcome {
                Outcome::Success => ("Response", &mut successes),
                Outcome::Failure => ("Error", &mut failures),
            };
            let hint = if *seen == 0 { format!("{op_type}{kind}") } else { format!("{op_type}{kind}{}", status_text(m)) };
            *seen += 1;
            let payload = self.response_payload(r, &eptr, &hint);
            let description = match r {
                ReferenceOr::Item(resp) => resp.description.clone(),
                ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or_default().to_owned(),
            };
            responses.push(Response { status: m, outcome, payload: payload.clone(), description });
            match outcome {
                Outcome::Success => match &success {
                    None => success = Some((payload, eptr)),
                    Some((first, _)) if *first != payload => several = true,
                    _ => {}
                },
                Outcome::Failure => {
                    if let Payload::Json(ty) = payload {
                        self.note_error_shape(&mut error, ty, eptr);
                    }
                }
            }
        }
        let reply_enum = several.then(|| self.claim_type(&format!("{op_type}Reply"), "reply enum", ptr));
        (responses, success.map(|(p, _)| p).unwrap_or(Payload::Empty), error.map(|(t, _)| t), reply_enum)
    }

    /// Keeps the first error shape; warns about a later one that differs
    /// (an untyped one does not count: it fits any shape).
    fn note_error_shape(&mut self, error: &mut Option<(Ty, String)>, ty: Ty, eptr: String) {
        match error {
            None => *error = Some((ty, eptr)),
            Some((first, at)) if *first != ty && ty != Ty::Json => {
                self.diags.warn(
                    Kind::SeveralErrorShapes,
                    &eptr,
                    format!("this error response differs from the one at {at}, which is used"),
                );
            }
            _ => {}
        }
    }
}

/// The responses with their status matches and pointers, in the order a
/// status is matched: exact codes, then ranges, then `default`.
fn response_entries<'a>(
    op: &'a openapiv3::Operation,
    ptr: &str,
) -> Vec<(StatusMatch, &'a ReferenceOr<OaResponse>, String)> {
    let rptr = pointer(ptr, "responses");
    let mut entries: Vec<(StatusMatch, &'a ReferenceOr<OaResponse>, String)> = Vec::new();
    for (code, r) in &op.responses.responses {
        let (m, key) = match code {
            StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
            StatusCode::Range(d) => (StatusMatch::Range(*d), format!("{d}XX")),
        };
        entries.push((m, r, pointer(&rptr, &key)));
    }
    entries.sort_by_key(|(m, _, _)| match m {
        StatusMatch::Code(c) => (0, *c),
        StatusMatch::Range(d) => (1, *d),
        StatusMatch::Default => (2, 0),
    });
    if let Some(d) = &op.responses.default {
        entries.push((StatusMatch::Default, d, pointer(&rptr, "default")));
    }
    entries
}

/// Non-JSON media types that a 2xx reply offers beside JSON (`text/csv`),
/// in spec order. Only beside JSON: a reply with no JSON at all is already
/// returned as bytes by the main method.
pub(super) fn alt_media(op: &openapiv3::Operation) -> Vec<String> {
    let mut alt_media: Vec<String> = Vec::new();
    for (code, r) in &op.responses.responses {
        let is_2xx = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
            || matches!(code, StatusCode::Range(2));
        if let (true, ReferenceOr::Item(resp)) = (is_2xx, r) {
            if resp.content.keys().any(|m| is_json(m)) {
                for m in resp.content.keys().filter(|m| !is_json(m)) {
                    if !alt_media.contains(m) {
                        alt_media.push(m.clone());
                    }
                }
            }
        }
    }
    alt_media
}

fn is_success(m: StatusMatch) -> bool {
    match m {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(d) => d == 2,
        StatusMatch::Default => false,
    }
}

fn is_redirect(m: StatusMatch) -> bool {
    match m {
        StatusMatch::Code(c) => (300..400).contains(&c),
        StatusMatch::Range(d) => d == 3,
        StatusMatch::Default => false,
    }
}

/// Whether a media type is decoded as JSON (`+json` types and wildcards
/// included).
pub(super) fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

/// A status as it is written in a type name (`404`, `4xx`, `Default`).
fn status_text(m: StatusMatch) -> String {
    match m {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(d) => format!("{d}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    /// The responses table an operation's static gets, as generated.
    fn table(responses: &str) -> String {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses: {responses}\n"
        );
        let out = crate::generate(&spec, &crate::Options::default()).unwrap();
        let group = out.files.iter().find(|f| f.path.starts_with("src/api/a")).unwrap();
        let line = group.contents.lines().find(|l| l.contains("responses: &[")).unwrap_or_default();
        line.trim().to_owned()
    }

    #[test]
    fn a_redirect_is_the_success_only_when_no_2xx_is_declared() {
        let body = "{description: r, content: {application/json: {schema: {type: object, properties: {to: {type: string}}}}}}";
        assert_eq!(table(&format!("{{'307': {body}, '404': {{description: n}}}}")), "responses: &[(307, 307, true), (404, 404, false)],");
        assert_eq!(table(&format!("{{'200': {body}, '307': {body}}}")), "responses: &[(200, 200, true), (307, 307, false)],");
        assert_eq!(table(&format!("{{'3XX': {body}, default: {{description: e}}}}")), "responses: &[(300, 399, true), (100, 599, false)],");
    }

    #[test]
    fn json_media_types() {
        for (media, json) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("application/problem+json", true),
            ("application/vnd.api+json;version=2", true),
            ("*/*", true),
            ("application/*", true),
            ("text/csv", false),
            ("application/x-ndjson", false),
            ("application/jsonl", false),
            ("multipart/form-data", false),
            ("", false),
        ] {
            assert_eq!(is_json(media), json, "{media}");
        }
    }
}
