//! Sequential replies: the framer on the WHATWG event-stream cases, JSON
//! Lines and JSON text sequences, with chunk boundaries at every byte
//! offset; then typed streams against a scripted server on 127.0.0.1
//! (first item before the server finishes, resuming with
//! `Last-Event-ID`, end markers, error events, stalls, a JSON reply where
//! a stream was asked for, dropping the stream).

use crate::runtime::{self, Error, Framed, Framer, Framing, Operation, Request, RequestOptions, RetryPolicy, StreamSpec};
use crate::stream_server::{self, Act, Reply};
use futures_util::{StreamExt, TryStreamExt};
use std::time::{Duration, Instant};

/// `(event, data, id, retry)` as the framer dispatched them.
type Seen = (Option<String>, String, Option<String>, Option<u64>);

fn drain(framer: &mut Framer, out: &mut Vec<Seen>) {
    while framer.advance() == Framed::Item {
        let e = framer.event();
        out.push((e.event.map(str::to_owned), String::from_utf8_lossy(e.data).into_owned(), e.id.map(str::to_owned), e.retry));
    }
}

fn sse(chunks: &[&[u8]]) -> Vec<Seen> {
    let mut framer = Framer::new(Framing::Sse);
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(runtime::Bytes::copy_from_slice(chunk));
        drain(&mut framer, &mut out);
    }
    framer.finish();
    drain(&mut framer, &mut out);
    out
}

fn ev(event: Option<&str>, data: &str, id: Option<&str>, retry: Option<u64>) -> Seen {
    (event.map(str::to_owned), data.to_owned(), id.map(str::to_owned), retry)
}

#[test]
fn event_streams_are_read_as_whatwg_says() {
    let cases: &[(&str, &[u8], Vec<Seen>)] = &[
        ("multi-line data", b"data: YHOO\ndata: +2\ndata: 10\n\n", vec![ev(None, "YHOO\n+2\n10", None, None)]),
        (
            "comments, ids and one leading space",
            b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
            vec![ev(None, "first event", Some("1"), None), ev(None, "second event", None, None), ev(None, " third event", None, None)],
        ),
        (
            "empty data lines; an unfinished event is dropped",
            b"data\n\ndata\ndata\n\ndata:",
            vec![ev(None, "", None, None), ev(None, "\n", None, None)],
        ),
        ("with or without the space", b"data:test\n\ndata: test\n\n", vec![ev(None, "test", None, None), ev(None, "test", None, None)]),
        ("event types", b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\n", vec![
            ev(Some("add"), "73857293", None, None),
            ev(Some("remove"), "2153", None, None),
        ]),
        ("the type does not outlive its event", b"event: a\ndata: 1\n\ndata: 2\n\n", vec![
            ev(Some("a"), "1", None, None),
            ev(None, "2", None, None),
        ]),
        ("an event with no data dispatches nothing", b"event: a\n\nid: 7\n\ndata: x\n\n", vec![ev(None, "x", Some("7"), None)]),
        ("retry: digits only", b"retry: 1500\ndata: a\n\nretry: 15a\ndata: b\n\nretry:\ndata: c\n\n", vec![
            ev(None, "a", None, Some(1500)),
            ev(None, "b", None, None),
            ev(None, "c", None, None),
        ]),
        ("an id holding NUL is ignored", b"id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n", vec![
            ev(None, "a", Some("1"), None),
            ev(None, "b", Some("1"), None),
        ]),
        ("the id persists; an empty one clears it", b"id: 5\ndata: a\n\ndata: b\n\nid:\ndata: c\n\n", vec![
            ev(None, "a", Some("5"), None),
            ev(None, "b", Some("5"), None),
            ev(None, "c", None, None),
        ]),
        ("unknown fields and lines without a colon", b"foo: bar\ndata\nid 3\ndata: x\n\n", vec![ev(None, "\nx", None, None)]),
        ("CR and CRLF end lines", b"data: a\rdata: b\r\rdata: c\r\n\r\n", vec![ev(None, "a\nb", None, None), ev(None, "c", None, None)]),
        ("a CRLF is one line end", b"data: a\r\ndata: b\r\n\r\n", vec![ev(None, "a\nb", None, None)]),
        ("one BOM at the start is skipped", b"\xEF\xBB\xBFdata: x\n\n", vec![ev(None, "x", None, None)]),
        ("a second BOM is part of the field name", b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n", vec![ev(None, "y", None, None)]),
        ("invalid UTF-8 is kept for the decoder", b"data: \xFFok\n\n", vec![ev(None, "\u{FFFD}ok", None, None)]),
        ("an event ended by the body alone is dropped", b"data: a\n\ndata: b\n", vec![ev(None, "a", None, None)]),
    ];
    for (what, text, want) in cases {
        assert_eq!(&sse(&[text]), want, "{what}");
    }
}

/// Every event feature at once: a BOM, CRLF / CR / LF, multi-byte
/// characters (two, three and four bytes), comments, multi-line data, ids,
/// retry, event types.
const SAMPLE: &[u8] = "\u{FEFF}: hello\r\nretry: 250\r\nevent: delta\r\nid: α-1\r\ndata: {\"text\":\"héllo\"}\r\n\r\ndata: line one\rdata: line “two” 😀\r\r:comment\nid: 2\ndata: {\"text\":\"€\"}\n\ndata: [DONE]\n\n".as_bytes();

#[test]
fn chunk_boundaries_anywhere_change_nothing() {
    let whole = sse(&[SAMPLE]);
    assert_eq!(whole, vec![
        ev(Some("delta"), r#"{"text":"héllo"}"#, Some("α-1"), Some(250)),
        ev(None, "line one\nline “two” 😀", Some("α-1"), None),
        ev(None, r#"{"text":"€"}"#, Some("2"), None),
        ev(None, "[DONE]", Some("2"), None),
    ]);
    for i in 0..=SAMPLE.len() {
        assert_eq!(sse(&[&SAMPLE[..i], &SAMPLE[i..]]), whole, "split at {i}");
        for j in i..=SAMPLE.len() {
            assert_eq!(sse(&[&SAMPLE[..i], &SAMPLE[i..j], &SAMPLE[j..]]), whole, "split at {i} and {j}");
        }
    }
    let bytes: Vec<&[u8]> = SAMPLE.chunks(1).collect();
    assert_eq!(sse(&bytes), whole, "byte by byte");
}

fn records(framing: Framing, chunks: &[&[u8]]) -> Vec<String> {
    let mut framer = Framer::new(framing);
    let mut out = Vec::new();
    let mut drain = |framer: &mut Framer| {
        while framer.advance() == Framed::Item {
            out.push(String::from_utf8_lossy(framer.record()).into_owned());
        }
    };
    for chunk in chunks {
        framer.push(runtime::Bytes::copy_from_slice(chunk));
        drain(&mut framer);
    }
    framer.finish();
    drain(&mut framer);
    out
}

#[test]
fn json_lines_and_sequences_split_anywhere() {
    let lines = "{\"a\":\"é\"}\r\n\n  \n[1,2]\n\"last, without a newline\"".as_bytes();
    let want = vec![r#"{"a":"é"}"#.to_owned(), "[1,2]".to_owned(), r#""last, without a newline""#.to_owned()];
    let seq = "\u{1e}{\"a\":\"é\"}\n\u{1e}\n\u{1e}[1,2]\n\u{1e}\"last, without a newline\"".as_bytes();
    for (framing, text) in [(Framing::Lines, lines), (Framing::Seq, seq)] {
        assert_eq!(records(framing, &[text]), want, "{framing:?}");
        for i in 0..=text.len() {
            assert_eq!(records(framing, &[&text[..i], &text[i..]]), want, "{framing:?} split at {i}");
        }
    }
    assert_eq!(records(Framing::Lines, &[b"\xEF\xBB", b"\xBF1\n2\n"]), ["1", "2"], "a BOM split over chunks");
}

// The client's side.

static EVENTS: Operation = Operation {
    id: "watch",
    method: "GET",
    path: "/events",
    security: &runtime::Security { alternatives: &[], anonymous: true, accepted: "" },
    responses: &[(200, 200, true), (400, 599, false)],
    accept: Some("application/json"),
    media_selectors: &[],
    body_selectors: &[],
};

static POSTED: Operation = Operation { id: "generate", method: "POST", path: "/generate", ..EVENTS };

static SSE: StreamSpec =
    StreamSpec { media: "text/event-stream", framing: Framing::Sse, text: false, end: &["[DONE]"], error_events: &["error"] };
static JSONL: StreamSpec =
    StreamSpec { media: "application/x-ndjson", framing: Framing::Lines, text: false, end: &[], error_events: &[] };

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Chunk {
    n: i64,
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Problem {
    message: String,
}

fn client(uri: &str) -> runtime::Client {
    crate::client(uri).retry_policy(RetryPolicy { initial_backoff: Duration::from_millis(10), ..RetryPolicy::default() }).build().unwrap()
}

fn request(op: &'static Operation, spec: &StreamSpec) -> Request {
    let mut request = Request::new(op);
    request.select_media(spec.media);
    request
}

fn data(n: i64) -> Act {
    Act::Send(format!("data: {{\"n\":{n}}}\n\n").into_bytes())
}

#[tokio::test]
async fn the_first_event_arrives_before_the_server_finishes() {
    let server = stream_server::start(vec![Reply::new("text/event-stream", vec![data(1), Act::Await, data(2)])]).await;
    let c = client(&server.uri);
    let mut events = runtime::event_stream::<Chunk, Problem>(&c, request(&EVENTS, &SSE), &RequestOptions::default(), &SSE)
        .await
        .unwrap();
    // The server sends the second event only once the first was read.
    let first = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("the first event, alone").unwrap().unwrap();
    assert_eq!((first.kind(), &first.data), ("message", &Chunk { n: 1 }));
    server.go();
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 2 });
    assert!(events.next().await.is_none());
    let head = &server.requests()[0];
    assert_eq!(head.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn chunks_of_one_byte_give_the_same_events() {
    let acts = SAMPLE.iter().flat_map(|b| [Act::Send(vec![*b]), Act::Pause(Duration::from_micros(200))]).collect();
    let server = stream_server::start(vec![Reply::new("text/event-stream; charset=utf-8", acts)]).await;
    let c = client(&server.uri);
    let spec: &'static StreamSpec = Box::leak(Box::new(StreamSpec { text: true, end: &[], ..SSE }));
    let events: Vec<runtime::Event<String>> =
        runtime::event_stream::<String, Problem>(&c, request(&EVENTS, spec), &RequestOptions::default(), spec)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
    let got: Vec<Seen> = events
        .into_iter()
        .map(|e| (e.event, e.data, e.id, e.retry.map(|r| r.as_millis() as u64)))
        .collect();
    assert_eq!(got, sse(&[SAMPLE]));
}

#[tokio::test]
async fn a_dropped_get_stream_resumes_with_last_event_id() {
    let first = vec![
        Act::Send(b"retry: 30\nid: 1\ndata: {\"n\":1}\n\n".to_vec()),
        Act::Send(b"id: 2\ndata: {\"n\":2}\n\ndata: {\"n\":".to_vec()),
        Act::Break,
    ];
    let second = vec![Act::Send(b"id: 3\ndata: {\"n\":3}\n\n".to_vec())];
    let server =
        stream_server::start(vec![Reply::new("text/event-stream", first), Reply::new("text/event-stream", second)]).await;
    let c = client(&server.uri);
    let started = Instant::now();
    let events: Vec<runtime::Event<Chunk>> =
        runtime::event_stream::<Chunk, Problem>(&c, request(&EVENTS, &SSE), &RequestOptions::default(), &SSE)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
    let got: Vec<(i64, Option<String>)> = events.into_iter().map(|e| (e.data.n, e.id)).collect();
    // The half event of the broken connection is not delivered.
    assert_eq!(got, [(1, Some("1".into())), (2, Some("2".into())), (3, Some("3".into()))]);
    assert!(started.elapsed() >= Duration::from_millis(30), "waited the server's retry");
    let heads = server.requests();
    assert_eq!(heads.len(), 2);
    assert_eq!((heads[0].header("last-event-id"), heads[1].header("last-event-id")), (None, Some("2")));
    assert_eq!(heads[1].header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn a_post_stream_or_one_without_ids_is_not_resumed() {
    for (op, body) in [(&POSTED, "id: 1\ndata: {\"n\":1}\n\n"), (&EVENTS, "data: {\"n\":1}\n\n")] {
        let acts = vec![Act::Send(body.as_bytes().to_vec()), Act::Break];
        let server = stream_server::start(vec![Reply::new("text/event-stream", acts)]).await;
        let c = client(&server.uri);
        let mut events =
            runtime::event_stream::<Chunk, Problem>(&c, request(op, &SSE), &RequestOptions::default(), &SSE).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 });
        let err = events.next().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert!(events.next().await.is_none());
        assert_eq!(server.requests().len(), 1, "{}", op.method);
    }
}

#[tokio::test]
async fn resuming_gives_up_after_the_policys_retries() {
    let broken = Reply::new("text/event-stream", vec![Act::Send(b"id: 1\ndata: {\"n\":1}\n\n".to_vec()), Act::Break]);
    let refused = Reply { status: 503, content_type: "application/json", acts: vec![Act::Send(br#"{"message":"down"}"#.to_vec())] };
    let server = stream_server::start(vec![broken, refused]).await;
    let c = client(&server.uri);
    let options = RequestOptions::default().retry(RetryPolicy { max_retries: 1, initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() });
    let mut events = runtime::event_stream::<Chunk, Problem>(&c, request(&EVENTS, &SSE), &options, &SSE).await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 });
    // The resumed request meets a 503 (retried once by the policy): a typed error, and the end.
    let err = events.next().await.unwrap().unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), api.body.as_ref().map(|p| p.message.as_str())), (503, Some("down")));
    assert!(events.next().await.is_none());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn the_end_marker_ends_the_stream_and_the_connection() {
    let acts = vec![data(1), Act::Send(b"data: [DONE]\n\n".to_vec()), Act::Forever(b": still here\n".to_vec(), Duration::from_millis(5))];
    let server = stream_server::start(vec![Reply::new("text/event-stream", acts)]).await;
    let c = client(&server.uri);
    let got: Vec<runtime::Event<Chunk>> =
        runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &RequestOptions::default(), &SSE)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
    assert_eq!(got.len(), 1);
    wait_until_gone(&server).await;
}

async fn wait_until_gone(server: &stream_server::Server) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.client_gone.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the server still writes to a client that is done");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let server = stream_server::start(vec![Reply::new("text/event-stream", vec![Act::Forever(b"data: {\"n\":0}\n\n".to_vec(), Duration::from_millis(2))])]).await;
    let c = client(&server.uri);
    let mut events =
        runtime::event_stream::<Chunk, Problem>(&c, request(&EVENTS, &SSE), &RequestOptions::default(), &SSE).await.unwrap();
    for _ in 0..3 {
        events.next().await.unwrap().unwrap();
    }
    drop(events);
    wait_until_gone(&server).await;
}

#[tokio::test]
async fn error_events_are_typed_errors_and_bad_items_do_not_end_the_stream() {
    let acts = vec![
        data(1),
        Act::Send(b"data: {\"n\":\"one\"}\n\n".to_vec()),
        Act::Send(b"event: error\ndata: {\"message\":\"overloaded\"}\n\n".to_vec()),
        data(2),
    ];
    let server = stream_server::start(vec![Reply::new("text/event-stream", acts)]).await;
    let c = client(&server.uri);
    let got: Vec<_> = runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &RequestOptions::default(), &SSE)
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].as_ref().unwrap().data, Chunk { n: 1 });
    let Err(Error::Decode(bad)) = &got[1] else { panic!("{:?}", got[1]) };
    assert_eq!((bad.path.as_str(), bad.excerpt().as_str()), ("n", r#"{"n":"one"}"#));
    let Err(Error::Event(e)) = &got[2] else { panic!("{:?}", got[2]) };
    assert_eq!((e.event.as_str(), e.body.as_ref().map(|p| p.message.as_str())), ("error", Some("overloaded")));
    assert_eq!(got[2].as_ref().unwrap_err().kind(), runtime::ErrorKind::ErrorEvent);
    assert_eq!(got[3].as_ref().unwrap().data, Chunk { n: 2 });
}

#[tokio::test]
async fn json_lines_stream_typed_items() {
    let acts = vec![
        Act::Send(b"{\"n\":1}\n{\"n\"".to_vec()),
        Act::Send(b":2}\r\n\n{\"n\":true}\n".to_vec()),
        Act::Send(b"{\"n\":3}".to_vec()),
    ];
    let server = stream_server::start(vec![Reply::new("application/x-ndjson", acts)]).await;
    let c = client(&server.uri);
    let got: Vec<_> =
        runtime::item_stream::<Chunk, Problem>(&c, request(&POSTED, &JSONL), &RequestOptions::default(), &JSONL).await.unwrap().collect().await;
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].as_ref().unwrap(), &Chunk { n: 1 });
    assert_eq!(got[1].as_ref().unwrap(), &Chunk { n: 2 });
    assert!(matches!(&got[2], Err(Error::Decode(d)) if d.path == "n"), "{:?}", got[2]);
    assert_eq!(got[3].as_ref().unwrap(), &Chunk { n: 3 });
    assert_eq!(server.requests()[0].header("accept"), Some("application/x-ndjson"));
}

#[tokio::test]
async fn a_json_reply_where_a_stream_was_asked_for_is_an_error() {
    let server = stream_server::start(vec![Reply::new("application/json", vec![Act::Send(br#"{"n":1}"#.to_vec())])]).await;
    let c = client(&server.uri);
    let err = runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &RequestOptions::default(), &SSE).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert!(d.message.contains("asked for a `text/event-stream` stream"), "{}", d.message);
    assert_eq!(d.excerpt(), r#"{"n":1}"#);
}

#[tokio::test]
async fn an_error_status_is_typed_before_any_event() {
    let reply = Reply { status: 429, content_type: "application/json", acts: vec![Act::Send(br#"{"message":"slow down"}"#.to_vec())] };
    let server = stream_server::start(vec![reply]).await;
    let c = client(&server.uri);
    let options = RequestOptions::default().retry(RetryPolicy::none());
    let err = runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &options, &SSE).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.body.as_ref().unwrap().message, "slow down");
}

#[tokio::test]
async fn the_timeout_bounds_each_wait_not_the_whole_stream() {
    // Six events 60 ms apart outlast a 150 ms timeout; none of the waits does.
    let mut acts = Vec::new();
    for n in 0..6 {
        acts.extend([data(n), Act::Pause(Duration::from_millis(60))]);
    }
    let server = stream_server::start(vec![Reply::new("text/event-stream", acts)]).await;
    let c = client(&server.uri);
    let options = RequestOptions::default().timeout(Duration::from_millis(150));
    let got: Vec<runtime::Event<Chunk>> =
        runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &options, &SSE).await.unwrap().try_collect().await.unwrap();
    assert_eq!(got.len(), 6);

    // A stream that goes quiet longer than that fails.
    let server = stream_server::start(vec![Reply::new("text/event-stream", vec![data(1), Act::Pause(Duration::from_secs(3))])]).await;
    let c = client(&server.uri);
    let mut events = runtime::event_stream::<Chunk, Problem>(&c, request(&POSTED, &SSE), &options, &SSE).await.unwrap();
    events.next().await.unwrap().unwrap();
    let started = Instant::now();
    let err = events.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Stalled { waited } if waited == Duration::from_millis(150)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.kind(), runtime::ErrorKind::Timeout);
}

static GENERATE: Operation = Operation {
    id: "generate",
    method: "POST",
    path: "/generate",
    body_selectors: &[("stream", "text/event-stream")],
    ..EVENTS
};

#[tokio::test]
async fn the_stream_method_sets_the_body_flag_and_the_json_method_cannot() {
    let body = serde_json::json!({"prompt": "hi", "stream": true, "n": 2});
    let mut plain = Request::new(&GENERATE);
    plain.json(&body).unwrap();
    // (Key order is serde_json's, which a feature elsewhere may change.)
    let sent = |r: &Request| serde_json::from_slice::<serde_json::Value>(&r.body_bytes().unwrap().1).unwrap();
    assert_eq!(sent(&plain), serde_json::json!({"prompt": "hi", "stream": false, "n": 2}));
    let unset = serde_json::json!({"prompt": "hi"});
    plain.json(&unset).unwrap();
    assert_eq!(sent(&plain), serde_json::json!({"prompt": "hi"}), "absent stays absent");

    let server = stream_server::start(vec![Reply::new("text/event-stream", vec![data(1)])]).await;
    let c = client(&server.uri);
    let mut request = Request::new(&GENERATE);
    request.json(&unset).unwrap();
    request.select_media("text/event-stream");
    let got: Vec<runtime::Event<Chunk>> =
        runtime::event_stream::<Chunk, Problem>(&c, request, &RequestOptions::default(), &SSE).await.unwrap().try_collect().await.unwrap();
    assert_eq!(got.len(), 1);
    let head = &server.requests()[0];
    assert_eq!((head.method.as_str(), head.target.as_str()), ("POST", "/generate"));
    assert_eq!(String::from_utf8_lossy(&head.body), r#"{"prompt":"hi","stream":true}"#);
    assert_eq!((head.header("accept"), head.header("content-type")), (Some("text/event-stream"), Some("application/json")));
}

#[tokio::test]
async fn the_first_line_arrives_before_the_server_finishes() {
    let acts = vec![Act::Send(b"{\"n\":1}\n{\"n\"".to_vec()), Act::Await, Act::Send(b":2}\n".to_vec())];
    let server = stream_server::start(vec![Reply::new("application/jsonl", acts)]).await;
    let c = client(&server.uri);
    let mut items =
        runtime::item_stream::<Chunk, Problem>(&c, request(&POSTED, &JSONL), &RequestOptions::default(), &JSONL).await.unwrap();
    // The half line stays in the framer; the whole one is out already.
    let first = tokio::time::timeout(Duration::from_secs(5), items.next()).await.expect("the first line, alone").unwrap();
    assert_eq!(first.unwrap(), Chunk { n: 1 });
    server.go();
    assert_eq!(items.next().await.unwrap().unwrap(), Chunk { n: 2 });
    assert!(items.next().await.is_none());
}
