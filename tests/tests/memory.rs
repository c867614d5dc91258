//! Peak memory while streaming a large CSV export through the generated
//! client. Alone in its test binary, so the process's peak resident size
//! is this test's (`cargo test` runs one binary at a time).

use cloudflare_api::futures_util::StreamExt;
use cloudflare_api::{AuditLogsListParams, Client};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("t").build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_export_streams_in_bounded_memory() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const SIZE: usize = 50 * 1024 * 1024;
    // A server that writes the CSV as it goes, so only the client's
    // memory is measured.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = sock.read(&mut buf).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {SIZE}\r\n\r\n");
        sock.write_all(head.as_bytes()).await.unwrap();
        let row = b"log-000000,change_setting,2024-01-02T03:04:05Z,alice@example.com,198.51.100.7\n";
        let mut chunk = Vec::with_capacity(64 * 1024);
        while chunk.len() + row.len() <= 64 * 1024 {
            chunk.extend_from_slice(row);
        }
        let mut sent = 0;
        while sent < SIZE {
            let n = chunk.len().min(SIZE - sent);
            sock.write_all(&chunk[..n]).await.unwrap();
            sent += n;
        }
    });
    let (rss_before, _) = tests::memory_kib();
    let c = client(&format!("http://{addr}"));
    let export = c.audit_logs().list_csv(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    let mut stream = Box::pin(export.into_stream());
    let mut total = 0usize;
    let mut lines = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        total += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let (_, peak) = tests::memory_kib();
    assert_eq!(total, SIZE);
    assert!(lines > 600_000, "{lines}");
    let growth_mib = peak.saturating_sub(rss_before) / 1024;
    eprintln!("streamed {} MiB; peak memory grew by {growth_mib} MiB", SIZE >> 20);
    assert!(growth_mib < 16, "peak memory grew by {growth_mib} MiB while streaming 50 MiB");
}

