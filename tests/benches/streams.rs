//! Reading a 50 MB streamed reply, in memory (no network), as 16 KiB
//! chunks the way a connection delivers them: the floor scans the same
//! bytes for line ends (`memchr`), then the runtime's framer alone, then
//! what a generated stream method does (frame, and decode each event's
//! `data` into a typed chunk) for server-sent events and for JSON Lines.
//! Each row also reports bytes and items per second.

use cloudflare_api::runtime::{self, Bytes, EventStream, Framed, Framer, Framing, ItemStream, StreamSpec};
use divan::counter::{BytesCount, ItemsCount};
use futures_util::StreamExt;
use std::sync::LazyLock;

const TARGET: usize = 50 * 1000 * 1000;
const CHUNK: usize = 16 * 1024;

/// One event's data, as a chat-completion chunk of a large LLM API.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Chunk {
    id: String,
    object: String,
    created: i64,
    model: String,
    choices: Vec<Choice>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Choice {
    index: i64,
    delta: Delta,
    finish_reason: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Delta {
    content: Option<String>,
}

fn data(n: usize) -> String {
    let words = ["The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".\n", " Ünïcödé", " 🦀"];
    format!(
        r#"{{"id":"chatcmpl-{:08x}","object":"chat.completion.chunk","created":{},"model":"llama-3.3-70b-instruct","choices":[{{"index":0,"delta":{{"content":"{}"}},"finish_reason":null}}]}}"#,
        n / 500,
        1_700_000_000 + n / 50,
        words[n % words.len()].replace('\n', "\\n")
    )
}

/// A body and how many items it holds.
struct Body {
    chunks: Vec<Bytes>,
    items: usize,
    len: usize,
}

fn build(item: impl Fn(usize) -> String) -> Body {
    let mut text = String::with_capacity(TARGET + 1024);
    let mut items = 0;
    while text.len() < TARGET {
        text.push_str(&item(items));
        items += 1;
    }
    let all = Bytes::from(text);
    let chunks = (0..all.len()).step_by(CHUNK).map(|at| all.slice(at..(at + CHUNK).min(all.len()))).collect();
    Body { chunks, items, len: all.len() }
}

/// Server-sent events as an LLM API sends them: `data:` lines, an `id`
/// now and then, a comment as keep-alive.
static SSE: LazyLock<Body> = LazyLock::new(|| {
    build(|n| match n % 100 {
        0 => format!("id: {n}\ndata: {}\n\n", data(n)),
        50 => format!(": keep-alive\ndata: {}\n\n", data(n)),
        _ => format!("data: {}\n\n", data(n)),
    })
});

static LINES: LazyLock<Body> = LazyLock::new(|| build(|n| format!("{}\n", data(n))));

fn main() {
    let (sse, lines) = (&*SSE, &*LINES);
    println!(
        "bytes: stream bench: SSE {:.1} MB in {} events, JSON Lines {:.1} MB in {} lines, {} KiB chunks",
        sse.len as f64 / 1e6,
        sse.items,
        lines.len as f64 / 1e6,
        lines.items,
        CHUNK / 1024
    );
    divan::main();
}

#[divan::bench(sample_count = 10, counters = [BytesCount::new(SSE.len), ItemsCount::new(SSE.items)])]
fn sse_floor_line_ends() -> usize {
    SSE.chunks.iter().map(|c| memchr::memchr_iter(b'\n', c).count()).sum()
}

#[divan::bench(sample_count = 10, counters = [BytesCount::new(SSE.len), ItemsCount::new(SSE.items)])]
fn sse_framing_only() -> usize {
    let mut framer = Framer::new(Framing::Sse);
    let mut n = 0;
    for chunk in &SSE.chunks {
        framer.push(chunk.clone());
        while framer.advance() == Framed::Item {
            n += framer.event().data.len();
        }
    }
    n
}

fn reply(body: &'static Body, content_type: &str) -> runtime::Reply {
    let stream = futures_util::stream::iter(body.chunks.iter().cloned().map(Ok::<_, std::io::Error>));
    let response = http::Response::builder()
        .header("content-type", content_type)
        .body(reqwest::Body::wrap_stream(stream))
        .unwrap();
    runtime::Reply::new(reqwest::Response::from(response), None)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[divan::bench(sample_count = 10, counters = [BytesCount::new(SSE.len), ItemsCount::new(SSE.items)])]
fn sse_typed_events(bencher: divan::Bencher) {
    let rt = runtime();
    bencher.bench_local(|| {
        rt.block_on(async {
            let mut events: EventStream<Chunk> = EventStream::from_reply(reply(&SSE, "text/event-stream"), &StreamSpec::SSE);
            let mut n = 0;
            while let Some(event) = events.next().await {
                n += event.unwrap().data.choices.len();
            }
            assert_eq!(n, SSE.items);
        })
    });
}

#[divan::bench(sample_count = 10, counters = [BytesCount::new(LINES.len), ItemsCount::new(LINES.items)])]
fn jsonl_floor_line_ends() -> usize {
    LINES.chunks.iter().map(|c| memchr::memchr_iter(b'\n', c).count()).sum()
}

#[divan::bench(sample_count = 10, counters = [BytesCount::new(LINES.len), ItemsCount::new(LINES.items)])]
fn jsonl_typed_items(bencher: divan::Bencher) {
    let rt = runtime();
    bencher.bench_local(|| {
        rt.block_on(async {
            let mut items: ItemStream<Chunk> = ItemStream::from_reply(reply(&LINES, "application/x-ndjson"), &StreamSpec::LINES);
            let mut n = 0;
            while let Some(item) = items.next().await {
                n += item.unwrap().choices.len();
            }
            assert_eq!(n, LINES.items);
        })
    });
}

/// The lines of the JSON Lines body, found ahead of time.
static SPLIT: LazyLock<Vec<Bytes>> = LazyLock::new(|| {
    let whole = Bytes::from(LINES.chunks.iter().flat_map(|c| c.iter().copied()).collect::<Vec<u8>>());
    let mut out = Vec::with_capacity(LINES.items);
    let mut at = 0;
    for end in memchr::memchr_iter(b'\n', &whole) {
        out.push(whole.slice(at..end));
        at = end + 1;
    }
    out
});

#[divan::bench(sample_count = 10, counters = [BytesCount::new(LINES.len), ItemsCount::new(LINES.items)])]
fn jsonl_decode_only(bencher: divan::Bencher) {
    // What decoding alone costs: the lines already found, one
    // `serde_json::from_slice` each.
    let lines = &*SPLIT;
    bencher.bench_local(|| {
        let mut n = 0;
        for line in lines {
            let chunk: Chunk = serde_json::from_slice(line).unwrap();
            n += chunk.choices.len();
        }
        n
    });
}
