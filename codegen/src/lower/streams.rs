//! Streamed replies: which media types are sequential (server-sent
//! events, JSON Lines, JSON text sequences), each stream's item type, and,
//! once every operation is lowered, what the description cannot say: the
//! boolean body property that asks for the stream (recognised, or
//! declared by a `streams:` rule of the options), its end markers and its
//! error events.
//!
//! The item type: a media type's schema describes one item (an event's
//! `data`, one line) unless it is an array, which describes the whole
//! stream: its `items` are the items. OpenAPI 3.2's `itemSchema` arrives
//! here as such an array (the loader's upgrade writes it so), and 3.0 and
//! 3.1 descriptions in practice give one event's schema.

use super::Lowerer;
use super::paging::glob;
use super::view::{SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::model::*;
use crate::options::StreamRule;
use crate::Severity;
use openapiv3::{MediaType, StatusCode};

/// The framing of a sequential media type, if it is one.
pub(super) fn framing_of(media: &str) -> Option<Framing> {
    Framing::of(media)
}

/// The end marker of SSE streams of JSON items: it cannot be JSON, so it
/// cannot be an item, and ends the stream wherever it is used.
const DONE: &str = "[DONE]";

impl<'a> Lowerer<'a, '_> {
    /// A sequential media type's stream, its item type lowered (`hint`
    /// names an inline item schema).
    pub(super) fn stream_payload(&mut self, media: &str, content: &'a MediaType, cptr: &str, hint: &str) -> Option<StreamPayload> {
        let framing = framing_of(media)?;
        let item = match &content.schema {
            None => Ty::Json,
            Some(s) => self.item_type(SRef::from(s), &pointer(cptr, "schema"), hint),
        };
        let text = framing == Framing::Sse && self.unalias(item.clone()) == Ty::String;
        Some(StreamPayload {
            media: media.to_owned(),
            framing,
            item,
            text,
            end: if framing == Framing::Sse && !text { vec![DONE.to_owned()] } else { Vec::new() },
            error_events: if framing == Framing::Sse { vec!["error".to_owned()] } else { Vec::new() },
        })
    }

    /// One item's type: the schema's, or its `items`' when it is an array
    /// (the whole stream).
    fn item_type(&mut self, s: SRef<'a>, sptr: &str, hint: &str) -> Ty {
        if let Some((schema, at, _)) = self.resolve(s, sptr) {
            let v = View::of(schema);
            if let (Some("array"), Some(items), true) = (v.typ, v.items, v.properties.is_empty()) {
                return self.lower(items, &pointer(&at, "items"), hint);
            }
        }
        self.lower(s, sptr, hint)
    }

    /// The streams of the non-JSON media types that a 2XX reply offers
    /// beside JSON (see [`alt_media`](super::responses::alt_media)), in
    /// the same order.
    pub(super) fn alt_streams(&mut self, op: &'a openapiv3::Operation, ptr: &str, op_type: &str) -> Vec<StreamPayload> {
        let mut out: Vec<StreamPayload> = Vec::new();
        for (code, r) in &op.responses.responses {
            let is_2xx = matches!(code, StatusCode::Code(c) if (200..300).contains(c)) || matches!(code, StatusCode::Range(2));
            let key = match code {
                StatusCode::Code(c) => c.to_string(),
                StatusCode::Range(d) => format!("{d}XX"),
            };
            let rptr = pointer(&pointer(ptr, "responses"), &key);
            let Some((resp, rptr)) = (if is_2xx { self.resolve_response(r, &rptr) } else { None }) else { continue };
            if !resp.content.keys().any(|m| super::responses::is_json(m)) {
                continue;
            }
            for (media, content) in &resp.content {
                if out.iter().any(|s| s.media == *media) {
                    continue;
                }
                let cptr = pointer(&pointer(&rptr, "content"), media);
                let hint = format!("{op_type}{}", if framing_of(media) == Some(Framing::Sse) { "Event" } else { "Item" });
                if let Some(stream) = self.stream_payload(media, content, &cptr, &hint) {
                    out.push(stream);
                }
            }
        }
        out
    }

    /// After every operation is lowered: each stream's body selector, end
    /// markers and error events, from the first `streams:` rule naming the
    /// operation (and the stream's media type), else recognised. A rule
    /// that matches nothing, or names a body property the operation does
    /// not have, is a `stream-declaration` warning in the options file.
    pub(super) fn streams(&mut self, groups: &mut [Group], rules: &[StreamRule], source: Option<&str>) {
        let mut used = vec![false; rules.len()];
        for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            let route = format!("{} {}", op.method.as_str(), op.path);
            let id = op.operation_id.clone();
            let names_op = |r: &StreamRule| r.operations.iter().any(|p| glob(p, &id) || glob(p, &route));
            let medias: Vec<String> = streams_of(op).map(|s| s.media.clone()).collect();
            for media in medias {
                let rule = rules.iter().position(|r| names_op(r) && r.media.as_deref().is_none_or(|m| m == media));
                if let Some(i) = rule {
                    used[i] = true;
                }
                let rule = rule.map(|i| (i, &rules[i]));
                if let Some((_, r)) = rule {
                    for s in streams_of_mut(op).filter(|s| s.media == media) {
                        if let Some(end) = &r.end {
                            s.end.clone_from(end);
                        }
                        if let Some(events) = &r.error_events {
                            s.error_events.clone_from(events);
                        }
                    }
                }
                // Only a stream offered beside JSON is asked for by a flag:
                // the JSON method must be able to leave it off.
                if op.alt_streams.iter().any(|s| s.media == media) {
                    self.body_selector(op, &media, rule, source);
                }
            }
        }
        for (i, rule) in rules.iter().enumerate().filter(|(i, _)| !used[*i]) {
            self.diags.push_in(
                Severity::Warning,
                Kind::StreamDeclaration,
                source,
                format!("#/streams/{i}/operations"),
                format!("no streamed reply of an operation matches {:?}", rule.operations),
            );
        }
    }

    /// The boolean body property that asks for `media`: the rule's, else
    /// the one top-level boolean property named `stream` (or `streaming`),
    /// else the one whose name and description both speak of streaming.
    fn body_selector(&mut self, op: &mut Operation, media: &str, rule: Option<(usize, &StreamRule)>, source: Option<&str>) {
        let fields = match &op.body {
            Some(Body { kind: BodyKind::Json(ty), .. }) => self.struct_fields(ty).unwrap_or_default(),
            _ => Vec::new(),
        };
        let boolean = |f: &&Field| self.unalias(f.ty.clone()) == Ty::Boolean;
        let chosen = match rule.and_then(|(i, r)| r.select.as_deref().map(|s| (i, s))) {
            Some((_, "")) => None,
            Some((i, wire)) => match fields.iter().filter(boolean).find(|f| f.wire == wire) {
                Some(f) => Some(f.wire.clone()),
                None => {
                    self.diags.push_in(
                        Severity::Warning,
                        Kind::StreamDeclaration,
                        source,
                        format!("#/streams/{i}/select"),
                        format!("`{}` has no boolean body property `{wire}`; nothing asks for its stream", op.operation_id),
                    );
                    None
                }
            },
            None => {
                let named = fields.iter().filter(boolean).find(|f| matches!(f.wire.as_str(), "stream" | "streaming"));
                let speaking = || {
                    let mut found = fields.iter().filter(boolean).filter(|f| {
                        let docs = f.docs.join(" ").to_ascii_lowercase();
                        f.wire.to_ascii_lowercase().contains("stream")
                            && (docs.contains("stream") || docs.contains("server-sent") || docs.contains(&media.to_ascii_lowercase()))
                    });
                    match (found.next(), found.next()) {
                        (Some(f), None) => Some(f),
                        _ => None,
                    }
                };
                named.or_else(speaking).map(|f| f.wire.clone())
            }
        };
        if let Some(wire) = chosen {
            op.body_selectors.push(MediaSelector { wire, media: media.to_owned() });
        }
    }
}

/// The streams of an operation: its success payload's, then its other
/// media types'.
fn streams_of(op: &Operation) -> impl Iterator<Item = &StreamPayload> {
    let main = match &op.success {
        Payload::Stream(s) => Some(s),
        _ => None,
    };
    main.into_iter().chain(&op.alt_streams)
}

fn streams_of_mut(op: &mut Operation) -> impl Iterator<Item = &mut StreamPayload> {
    let main = match &mut op.success {
        Payload::Stream(s) => Some(s),
        _ => None,
    };
    main.into_iter().chain(op.alt_streams.iter_mut())
}

#[cfg(test)]
mod tests {
    use super::{Framing, framing_of};

    #[test]
    fn sequential_media_types() {
        for (media, want) in [
            ("text/event-stream", Some(Framing::Sse)),
            ("text/event-stream; charset=utf-8", Some(Framing::Sse)),
            ("application/x-ndjson", Some(Framing::Lines)),
            ("application/jsonl", Some(Framing::Lines)),
            ("Application/JSONL", Some(Framing::Lines)),
            ("application/json-seq", Some(Framing::Seq)),
            ("application/json", None),
            ("text/csv", None),
            ("multipart/mixed", None),
        ] {
            assert_eq!(framing_of(media), want, "{media}");
        }
    }
}
