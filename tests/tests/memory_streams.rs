//! Peak memory while reading 50 MiB of server-sent events through the
//! runtime's typed stream: it holds one event (and one chunk) at a time.
//! Alone in its test binary, so the process's peak resident size is this
//! test's (`cargo test` runs one binary at a time).

use cloudflare_api::futures_util::StreamExt;
use cloudflare_api::runtime::{self, EventStream, Operation, Request, RequestOptions, Security, StreamSpec};

static WATCH: Operation = Operation {
    id: "watch",
    method: "GET",
    path: "/events",
    security: &Security { alternatives: &[], anonymous: true, accepted: "" },
    responses: &[(200, 200, true)],
    accept: Some("text/event-stream"),
    ..Operation::DEFAULT
};

#[derive(serde::Deserialize)]
struct Chunk {
    n: u64,
    #[allow(dead_code)]
    text: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_event_stream_is_read_in_bounded_memory() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const SIZE: usize = 50 * 1024 * 1024;
    // A server that writes the events as it goes, so only the client's
    // memory is measured.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let events = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = sock.read(&mut buf).await;
        sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n").await.unwrap();
        let (mut sent, mut n) = (0usize, 0u64);
        let mut chunk = Vec::with_capacity(64 * 1024);
        while sent < SIZE {
            chunk.clear();
            while chunk.len() < 60 * 1024 {
                chunk.extend_from_slice(format!("id: {n}\ndata: {{\"n\":{n},\"text\":\"{}\"}}\n\n", "lorem ipsum ".repeat(12)).as_bytes());
                n += 1;
            }
            sock.write_all(&chunk).await.unwrap();
            sent += chunk.len();
        }
        n
    });
    let (rss_before, _) = tests::memory_kib();
    let client = cloudflare_api::Client::builder().base_url(format!("http://{addr}")).api_token("t").build().unwrap();
    let mut request = Request::new(&WATCH);
    request.select_media("text/event-stream");
    let mut stream: EventStream<Chunk> =
        runtime::event_stream(&client, request, &RequestOptions::default(), &StreamSpec::SSE).await.unwrap();
    let mut read = 0u64;
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        assert_eq!(event.data.n, read);
        read += 1;
    }
    let (_, peak) = tests::memory_kib();
    assert_eq!(read, events.await.unwrap());
    let growth_mib = peak.saturating_sub(rss_before) / 1024;
    eprintln!("read {read} events ({} MiB); peak memory grew by {growth_mib} MiB", SIZE >> 20);
    assert!(growth_mib < 16, "peak memory grew by {growth_mib} MiB while reading 50 MiB of events");
}
