//! Responses: the status table, the success payload (a per-status reply
//! enum when successes differ; a stream of items for a sequential media
//! type), and the error type the client decodes failures into: the one
//! declared shape, or an enum by status when the error statuses declare
//! different bodies.

use super::Lowerer;
use super::streams::framing_of;
use super::view::SRef;
use crate::diagnostics::{Kind, pointer};
use crate::model::*;
use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

impl<'a> Lowerer<'a, '_> {
    /// What one response carries. JSON is preferred when offered, then a
    /// sequential media type (a stream of typed items); a response whose
    /// `$ref` cannot be followed is kept as untyped JSON.
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
            None if resp.content.keys().any(|m| framing_of(m).is_some()) => {
                let (media, content) = resp.content.iter().find(|(m, _)| framing_of(m).is_some()).expect("checked");
                let cptr = pointer(&pointer(&rptr, "content"), media);
                match self.stream_payload(media, content, &cptr, hint) {
                    Some(stream) => Payload::Stream(stream),
                    None => Payload::Bytes,
                }
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
    /// enum named when later successes differ); the error type (the one
    /// JSON shape failures declare, or an enum by status when they declare
    /// several).
    pub(super) fn responses(&mut self, op: &'a openapiv3::Operation, ptr: &str, op_type: &str) -> Replies {
        let entries = response_entries(op, ptr);
        let has_success = entries.iter().any(|(m, _, _)| is_success(*m));
        // With no 2XX declared, a declared redirect is what the operation
        // answers (Twilio's `FetchDeactivation` declares only a 307 whose
        // body says where to go): it is the success, not an error.
        let has_redirect = !has_success && entries.iter().any(|(m, _, _)| is_redirect(*m));
        let outcome_of = |m: StatusMatch| outcome(m, has_success, has_redirect);
        // When the error statuses declare several schemas, the enum by
        // status takes `<Op>Error`; inline error schemas say their status.
        let several_errors = self.error_schemas(&entries, outcome_of) > 1;
        let mut responses = Vec::new();
        let mut success: Option<(Payload, String)> = None;
        let mut several = false;
        let mut shapes: Vec<Ty> = Vec::new();
        let (mut successes, mut failures) = (0, 0);
        for (m, r, eptr) in entries {
            let outcome = outcome_of(m);
            // The first of each outcome is `<Op>Response` / `<Op>Error`;
            // later ones say their status (`<Op>Response202`), so that
            // inline schemas of one operation never meet.
            let (kind, seen) = match outcome {
                Outcome::Success => ("Response", &mut successes),
                Outcome::Failure => ("Error", &mut failures),
            };
            let plain = *seen == 0 && !(outcome == Outcome::Failure && several_errors);
            let hint = if plain { format!("{op_type}{kind}") } else { format!("{op_type}{kind}{}", status_text(m)) };
            *seen += 1;
            let payload = self.response_payload(r, &eptr, &hint);
            let description = match self.resolve_response(r, &eptr) {
                Some((resp, _)) => resp.description.clone(),
                None => String::new(),
            };
            responses.push(Response { status: m, outcome, payload: payload.clone(), description });
            match outcome {
                Outcome::Success => match &success {
                    None => success = Some((payload, eptr)),
                    Some((first, _)) if *first != payload => several = true,
                    _ => {}
                },
                // An untyped shape fits any other: it does not count.
                Outcome::Failure => match payload {
                    Payload::Json(ty) if ty != Ty::Json && !shapes.contains(&ty) => shapes.push(ty),
                    _ => {}
                },
            }
        }
        let reply_enum = several.then(|| self.claim_type(&format!("{op_type}Reply"), "reply enum", ptr));
        let error_enum = (shapes.len() > 1).then(|| self.error_enum(&responses, ptr, op_type));
        let error = shapes.into_iter().next().or_else(|| {
            responses.iter().find_map(|r| match (&r.outcome, &r.payload) {
                (Outcome::Failure, Payload::Json(ty)) => Some(ty.clone()),
                _ => None,
            })
        });
        Replies { responses, success: success.map(|(p, _)| p).unwrap_or(Payload::Empty), error, error_enum, reply_enum }
    }

    /// How many different JSON schemas the error statuses declare (each
    /// `$ref` target once, each inline schema on its own), before any is
    /// lowered.
    fn error_schemas(
        &mut self,
        entries: &[(StatusMatch, &'a ReferenceOr<OaResponse>, String)],
        outcome_of: impl Fn(StatusMatch) -> Outcome,
    ) -> usize {
        let mut seen: Vec<String> = Vec::new();
        for (m, r, eptr) in entries {
            let failure = outcome_of(*m) == Outcome::Failure;
            let Some((resp, rptr)) = (if failure { self.resolve_response(r, eptr) } else { None }) else { continue };
            let Some((media, content)) = resp.content.iter().find(|(m, _)| is_json(m)) else { continue };
            let key = match &content.schema {
                Some(ReferenceOr::Reference { reference }) => reference.clone(),
                Some(ReferenceOr::Item(_)) => pointer(&pointer(&rptr, "content"), media),
                None => continue,
            };
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
        seen.len()
    }

    /// The error enum of an operation whose error statuses declare
    /// different bodies: one variant per declared error status, named
    /// `<Op>Error` (`<Op>Errors` when a schema took that name).
    fn error_enum(&mut self, responses: &[Response], ptr: &str, op_type: &str) -> ErrorEnum {
        let base = format!("{op_type}Error");
        let fallback = format!("{op_type}Errors");
        let claim = self.type_scope.claim(&base, std::slice::from_ref(&fallback), &format!("the error enum of {ptr}"));
        let name = if claim.name == base || claim.name == fallback {
            claim.name
        } else {
            super::naming::report(self.diags, ptr, &format!("the error enum `{base}`"), claim)
        };
        let variants = responses
            .iter()
            .filter(|r| r.outcome == Outcome::Failure)
            .map(|r| ErrorVariant {
                status: r.status,
                ty: match &r.payload {
                    Payload::Json(ty) => Some(ty.clone()),
                    _ => None,
                },
                description: r.description.clone(),
            })
            .collect();
        ErrorEnum { name, variants, same_as: None }
    }

    /// After dedupe: an error enum the same as an earlier operation's (in
    /// group and method order) becomes an alias of it, so a description
    /// that declares the same error statuses everywhere compiles one enum.
    pub(super) fn share_error_enums(&self, groups: &mut [Group]) {
        let mut first: Vec<(Vec<ShapeKey>, String)> = Vec::new();
        for e in groups.iter_mut().flat_map(|g| g.operations.iter_mut()).filter_map(|op| op.error_enum.as_mut()) {
            let key: Vec<ShapeKey> = e
                .variants
                .iter()
                .map(|v| (v.status, v.ty.clone().map(|t| self.unalias(t)), v.description.clone()))
                .collect();
            match first.iter().find(|(k, _)| *k == key) {
                Some((_, name)) => e.same_as = Some(name.clone()),
                None => first.push((key, e.name.clone())),
            }
        }
    }
}

/// One variant of an error enum, as enums are compared: status, body type
/// (aliases followed), description.
type ShapeKey = (StatusMatch, Option<Ty>, String);

/// What an operation's responses lower to.
pub(super) struct Replies {
    /// The status table, in match order.
    pub responses: Vec<Response>,
    /// The success payload (the first success response's).
    pub success: Payload,
    /// The first declared error shape.
    pub error: Option<Ty>,
    /// The enum by status, when the error statuses declare several shapes.
    pub error_enum: Option<ErrorEnum>,
    /// The reply enum's name, when the success statuses differ.
    pub reply_enum: Option<String>,
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

/// Whether a declared status is the operation's success: a 2XX; with
/// none, a redirect (3XX) when one is declared, else `default`.
fn outcome(m: StatusMatch, has_success: bool, has_redirect: bool) -> Outcome {
    match m {
        StatusMatch::Default if !has_success && !has_redirect => Outcome::Success,
        m if is_success(m) => Outcome::Success,
        m if has_redirect && is_redirect(m) => Outcome::Success,
        _ => Outcome::Failure,
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
