//! Streamed replies in a group module: the type a stream method returns
//! (`rt::EventStream<Item, Error>` or `rt::ItemStream<Item, Error>`), the
//! `rt::StreamSpec` it hands the runtime (media type, framing, end markers,
//! error events), the call, and the docs that say what asks for the
//! stream and what ends it.

use super::{At, Emitter};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// The stream's type, given the operation's error type.
    pub(super) fn stream_ty(&self, s: &StreamPayload, err: &TokenStream) -> TokenStream {
        let item = self.ty(&s.item, At::Elsewhere);
        match s.framing {
            Framing::Sse => quote!(rt::EventStream<#item, #err>),
            Framing::Lines | Framing::Seq => quote!(rt::ItemStream<#item, #err>),
        }
    }

    /// `&rt::StreamSpec::SSE`, or a literal saying what differs from it
    /// (a constant, promoted to `'static`).
    pub(super) fn stream_spec(&self, s: &StreamPayload) -> TokenStream {
        let (base, media, end, events): (TokenStream, &str, &[&str], &[&str]) = match s.framing {
            Framing::Sse => (quote!(rt::StreamSpec::SSE), "text/event-stream", &["[DONE]"], &["error"]),
            Framing::Lines => (quote!(rt::StreamSpec::LINES), "application/jsonl", &[], &[]),
            Framing::Seq => (quote!(rt::StreamSpec::SEQ), "application/json-seq", &[], &[]),
        };
        let mut fields = Vec::new();
        if s.media != media {
            let m = &s.media;
            fields.push(quote!(media: #m));
        }
        if s.text {
            fields.push(quote!(text: true));
        }
        if s.end != end {
            let end = &s.end;
            fields.push(quote!(end: &[#(#end),*]));
        }
        if s.error_events != events {
            let events = &s.error_events;
            fields.push(quote!(error_events: &[#(#events),*]));
        }
        if fields.is_empty() { quote!(&#base) } else { quote!(&rt::StreamSpec { #(#fields,)* ..#base }) }
    }

    /// The call that sends `request` and hands back the stream.
    pub(super) fn stream_call(&self, s: &StreamPayload) -> TokenStream {
        let spec = self.stream_spec(s);
        match s.framing {
            Framing::Sse => quote!(rt::event_stream(self.client, request, &self.options, #spec).await),
            Framing::Lines | Framing::Seq => quote!(rt::item_stream(self.client, request, &self.options, #spec).await),
        }
    }

    /// The stream of a reply enum's variant (already checked, not resumed).
    pub(super) fn stream_from_reply(&self, s: &StreamPayload) -> TokenStream {
        let spec = self.stream_spec(s);
        match s.framing {
            Framing::Sse => quote!(rt::EventStream::from_reply(reply, #spec)),
            Framing::Lines | Framing::Seq => quote!(rt::ItemStream::from_reply(reply, #spec)),
        }
    }

    /// What a stream method's docs say about its items and their end.
    pub(super) fn stream_docs(&self, op: &Operation, s: &StreamPayload) -> Vec<String> {
        let item = self.ty_text(&s.item);
        let mut docs = vec![match s.framing {
            Framing::Sse => format!(
                "The reply as server-sent events (`{}`): each event's `data` is decoded as {item}, \
                 with its `event`, `id` and `retry`; items arrive as the server sends them.",
                s.media
            ),
            Framing::Lines => {
                format!("The reply as JSON Lines (`{}`): each line is decoded as {item} as it arrives.", s.media)
            }
            Framing::Seq => {
                format!("The reply as a JSON text sequence (`{}`): each record is decoded as {item} as it arrives.", s.media)
            }
        }];
        for sel in op.body_selectors.iter().filter(|sel| sel.media == s.media) {
            docs.push(String::new());
            docs.push(format!("Sends `{}: true` in the body, which asks for this media type.", sel.wire));
        }
        let mut ends = vec!["when the body ends".to_owned()];
        match (s.framing, s.end.as_slice()) {
            (_, []) => {}
            (Framing::Sse, [one]) => ends.push(format!("at an event whose data is `{one}`")),
            (Framing::Sse, many) => ends.push(format!("at an event whose data is one of {}", backticked(many))),
            (_, many) => ends.push(format!("at a record {}", backticked(many))),
        }
        docs.push(String::new());
        docs.push(format!("The stream ends {}.", ends.join(" or ")));
        if !s.error_events.is_empty() {
            docs.push(format!(
                "An event of type {} is an [`Error::Event`](rt::Error::Event), its data decoded as the error type when it fits.",
                backticked(&s.error_events)
            ));
        }
        if s.framing == Framing::Sse && op.method == Method::Get {
            docs.push(
                "A connection that breaks after the server numbered its events (`id`) is resumed with \
                 `Last-Event-ID`, after the server's `retry` time, within the retry policy."
                    .to_owned(),
            );
        }
        docs.push(
            "The timeout bounds each wait (for the reply, then between chunks), not the whole stream; \
             dropping the stream closes the connection."
                .to_owned(),
        );
        docs
    }

    /// A type as docs show it: a named type linked, others in backticks.
    fn ty_text(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => format!("[`{0}`](types::{0})", self.api.types[id.0].name),
            Ty::Json => "a JSON value".to_owned(),
            Ty::String => "text".to_owned(),
            other => format!("`{}`", self.ty(other, At::Elsewhere).to_string().replace(' ', "")),
        }
    }
}

fn backticked(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    quoted.join(", ")
}
