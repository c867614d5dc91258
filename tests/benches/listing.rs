//! Listing 100 pages of 1,000 audit-log records through the generated
//! client's item stream from a server on 127.0.0.1, against the floor of
//! fetching the same 100 bodies as bytes with the same HTTP stack and no
//! decoding; sequentially and with 4 pages in flight.
//!
//! With `BENCH_MEMORY=1` it instead measures peak memory (RSS) of listing
//! the 100,000 items and of streaming a 50 MB CSV export, and prints it.

use cloudflare_api::futures_util::{StreamExt, TryStreamExt};
use cloudflare_api::{AuditLogsListParams, Client, RequestOptions, RetryPolicy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

/// Requests the bench servers answered.
static REQUESTS: AtomicUsize = AtomicUsize::new(0);
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAGES: usize = 100;
const PER_PAGE: usize = 1000;
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

static RT: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap());

/// Pre-generated bodies, so the server costs the same for every contender.
static BODIES: LazyLock<Arc<Vec<Vec<u8>>>> = LazyLock::new(|| {
    Arc::new((1..=PAGES).map(|p| tests::audit_log_page(p, PER_PAGE, Some(PAGES)).into_bytes()).collect())
});

static SERVER: LazyLock<String> = LazyLock::new(|| RT.block_on(serve(Source::Cached(BODIES.clone()))));

#[derive(Clone)]
enum Source {
    Cached(Arc<Vec<Vec<u8>>>),
    /// Made per request: the memory probe measures only the client.
    OnDemand,
    /// A CSV export of this many bytes, written as it goes.
    Csv(usize),
}

/// A minimal HTTP/1.1 keep-alive server on 127.0.0.1 that answers
/// `?page=N` with page N.
async fn serve(source: Source) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let source = source.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    REQUESTS.fetch_add(1, Ordering::Relaxed);
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end);
                    let page: usize = head
                        .split_whitespace()
                        .nth(1)
                        .and_then(|target| target.split_once('?'))
                        .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    let write = match &source {
                        Source::Cached(bodies) => respond(&mut sock, "application/json", &bodies[page - 1]).await,
                        Source::OnDemand => {
                            let body = tests::audit_log_page(page, PER_PAGE, Some(PAGES));
                            respond(&mut sock, "application/json", body.as_bytes()).await
                        }
                        Source::Csv(size) => csv(&mut sock, *size).await,
                    };
                    if write.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

async fn respond(sock: &mut tokio::net::TcpStream, ct: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {ct}\r\ncontent-length: {}\r\n\r\n", body.len());
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await
}

async fn csv(sock: &mut tokio::net::TcpStream, size: usize) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {size}\r\n\r\n");
    sock.write_all(head.as_bytes()).await?;
    let row = b"log-000000,change_setting,2024-01-02T03:04:05Z,alice@example.com,198.51.100.7\n";
    let chunk: Vec<u8> = row.iter().copied().cycle().take(64 * 1024).collect();
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        sock.write_all(&chunk[..n]).await?;
        sent += n;
    }
    Ok(())
}

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("t").retry_policy(RetryPolicy::none()).build().unwrap()
}

fn main() {
    if std::env::var_os("BENCH_MEMORY").is_some() {
        memory_probe();
        return;
    }
    LazyLock::force(&SERVER);
    divan::main();
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_bytes_sequential() -> usize {
    let http = reqwest_client();
    RT.block_on(async {
        let mut total = 0;
        for page in 1..=PAGES {
            let url = format!("{}/accounts/{ACCOUNT}/audit_logs?page={page}&per_page={PER_PAGE}", *SERVER);
            total += http.get(url).send().await.unwrap().bytes().await.unwrap().len();
        }
        total
    })
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn client_items_sequential() -> usize {
    list(RequestOptions::default())
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn client_items_prefetch_4() -> usize {
    list(RequestOptions::default().concurrency(4))
}

fn reqwest_client() -> cloudflare_api::reqwest::Client {
    cloudflare_api::reqwest::Client::builder().build().unwrap()
}

fn list(options: RequestOptions) -> usize {
    let c = client(&SERVER);
    RT.block_on(async {
        let n = c
            .audit_logs()
            .with_options(options)
            .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(PER_PAGE as u32))
            .try_fold(0usize, |n, _| async move { Ok(n + 1) })
            .await
            .unwrap();
        assert_eq!(n, PAGES * PER_PAGE);
        n
    })
}

fn memory_probe() {
    let (base, _) = tests::memory_kib();
    let requests_before = REQUESTS.load(Ordering::Relaxed);
    let uri = RT.block_on(serve(Source::OnDemand));
    let c = client(&uri);
    let mut pages_seen = 0usize;
    let items = RT.block_on(async {
        let mut stream = Box::pin(
            c.audit_logs().list_all(ACCOUNT, &AuditLogsListParams::new().per_page(PER_PAGE as u32)),
        );
        let mut n = 0usize;
        while let Some(item) = stream.next().await {
            item.unwrap();
            n += 1;
            if n % PER_PAGE == 0 {
                pages_seen += 1;
            }
        }
        n
    });
    let (_, peak) = tests::memory_kib();
    let requests = REQUESTS.load(Ordering::Relaxed) - requests_before;
    println!(
        "memory: listing {items} items over {pages_seen} pages: peak RSS {} MiB ({} MiB above start)",
        peak / 1024,
        peak.saturating_sub(base) / 1024
    );
    println!("requests: listing {items} items over {pages_seen} pages took {requests} requests");
    let requests_before = REQUESTS.load(Ordering::Relaxed);
    let prefetched = RT.block_on(async {
        c.audit_logs()
            .with_options(RequestOptions::default().concurrency(4))
            .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(PER_PAGE as u32))
            .try_fold(0usize, |n, _| async move { Ok(n + 1) })
            .await
            .unwrap()
    });
    println!(
        "requests: listing {prefetched} items with 4 pages in flight took {} requests",
        REQUESTS.load(Ordering::Relaxed) - requests_before
    );
    const CSV: usize = 50 * 1024 * 1024;
    let uri = RT.block_on(serve(Source::Csv(CSV)));
    let c = client(&uri);
    let (before, _) = tests::memory_kib();
    let total = RT.block_on(async {
        let export = c.audit_logs().list_csv(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
        let mut stream = Box::pin(export.into_stream());
        let mut total = 0usize;
        while let Some(chunk) = stream.next().await {
            total += chunk.unwrap().len();
        }
        total
    });
    let (_, peak2) = tests::memory_kib();
    println!(
        "memory: streaming a {} MiB CSV export: peak RSS {} MiB (RSS before {} MiB)",
        total >> 20,
        peak2 / 1024,
        before / 1024
    );
}
