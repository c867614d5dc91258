//! Listing 100 pages of 1,000 audit-log records through the generated
//! client's item stream, against the floor of fetching the same 100 bodies
//! as bytes with the same HTTP stack and no decoding; one page at a time,
//! with the default options, and with 4 pages in flight. Two servers, both
//! in process on 127.0.0.1:
//!
//! - loopback (the top-level rows): as fast as the machine goes, identity
//!   bodies only;
//! - `wide_area`: a modelled real link (see [`WIDE_AREA`]): think time per
//!   request, one bandwidth limit for all connections, gzip on offer. Its
//!   physical floor is computed, not measured, and printed first as
//!   `floor:` lines, with the byte totals as `bytes:` lines; how many
//!   requests the default options had in flight is printed last.
//!
//! With `BENCH_MEMORY=1` it instead measures peak memory (RSS) of listing
//! the 100,000 items and of streaming a 50 MB CSV export, and prints it.

#[path = "support/server.rs"]
mod server;

use cloudflare_api::futures_util::{self, StreamExt, TryStreamExt};
use cloudflare_api::{AuditLogsListParams, Client, RequestOptions, RetryPolicy};
use server::{Pages, Profile, Server, Source, serve};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// Pages listed, and records per page.
const PAGES: usize = 100;
const PER_PAGE: usize = 1000;
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// The wide-area profile: 100 ms of server time per request before the
/// reply starts, and a 200 Mbit/s link shared by all connections.
const WIDE_AREA: Profile = Profile { think: Duration::from_millis(100), bandwidth: Some(200e6 / 8.0) };

static RT: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap());

fn bodies() -> Vec<Vec<u8>> {
    (1..=PAGES).map(|p| tests::audit_log_page(p, PER_PAGE, Some(PAGES)).into_bytes()).collect()
}

/// Loopback: pre-generated bodies, so the server costs the same for every
/// contender; identity only, as before the wide-area profile.
static SERVER: LazyLock<Server> =
    LazyLock::new(|| RT.block_on(serve(Source::Pages(Arc::new(Pages::identity(bodies()))), Profile::LOOPBACK)));

/// The same bodies, and a gzip copy of each, behind the wide-area link.
static WIDE_PAGES: LazyLock<Arc<Pages>> = LazyLock::new(|| Arc::new(Pages::with_gzip(bodies())));
static WIDE: LazyLock<Server> = LazyLock::new(|| RT.block_on(serve(Source::Pages(WIDE_PAGES.clone()), WIDE_AREA)));

/// The `Accept-Encoding` the client sends with default settings (`None`:
/// none), found by asking the loopback server; the bytes-only floors send
/// the same, so they get the same bytes as the client.
static CLIENT_ACCEPT_ENCODING: LazyLock<Option<String>> = LazyLock::new(|| {
    let c = client(&SERVER.url);
    RT.block_on(c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new().per_page(1).page(1))).unwrap();
    SERVER.stats.last_accept_encoding()
});

/// The most requests `wide_area::client_default` had in flight (0: not run).
static DEFAULT_PEAK: AtomicUsize = AtomicUsize::new(0);

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("t").retry_policy(RetryPolicy::none()).build().unwrap()
}

fn main() {
    if std::env::var_os("BENCH_MEMORY").is_some() {
        memory_probe();
        return;
    }
    LazyLock::force(&SERVER);
    wide_area::report_floor();
    divan::main();
    let peak = DEFAULT_PEAK.load(Ordering::SeqCst);
    if peak > 0 {
        println!("in flight: wide_area / client_default: at most {peak} at once");
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_bytes_sequential() -> usize {
    fetch_bytes(&SERVER, reqwest_client(), 1)
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_bytes_concurrent_4() -> usize {
    fetch_bytes(&SERVER, reqwest_client(), 4)
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn client_items_sequential() -> usize {
    list(&SERVER, RequestOptions::default().concurrency(1))
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn client_items_default() -> usize {
    list(&SERVER, RequestOptions::default())
}

/// Over the modelled link: a sequential run takes over 10 s, hence the few
/// samples.
mod wide_area {
    use super::*;

    /// Prints the byte totals and the physical floor: every request's think
    /// time, `concurrency` at a time, plus the gzipped bytes through the link.
    pub fn report_floor() {
        let pages = &*WIDE_PAGES;
        let (identity, gzip) = (pages.identity_bytes() as f64, pages.gzip_bytes() as f64);
        println!(
            "bytes: {PAGES} pages: identity {:.1} MB, gzip {:.1} MB ({:.1}x smaller)",
            identity / 1e6,
            gzip / 1e6,
            identity / gzip
        );
        let receives = match &*CLIENT_ACCEPT_ENCODING {
            Some(value) if server::accepts_gzip(Some(value)) => format!("gzip (Accept-Encoding: {value})"),
            Some(value) => format!("identity (Accept-Encoding: {value})"),
            None => "identity (no Accept-Encoding)".to_owned(),
        };
        println!("bytes: what the client receives by default: {receives}");
        let bandwidth = WIDE_AREA.bandwidth.unwrap();
        for concurrency in [1, 4] {
            let think = WIDE_AREA.think.as_secs_f64() * PAGES as f64 / concurrency as f64;
            let transfer = gzip / bandwidth;
            let (ms, mb, mbit) = (WIDE_AREA.think.as_millis(), gzip / 1e6, bandwidth * 8.0 / 1e6);
            println!(
                "floor: wide_area, {concurrency} in flight: {:.2} s ({PAGES} x {ms} ms / {concurrency} + {mb:.1} MB gzip at {mbit} Mbit/s)",
                think + transfer
            );
        }
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn client_sequential() -> usize {
        let (n, peak) = measured(|| list(&WIDE, RequestOptions::default().concurrency(1)));
        assert_eq!(peak, 1);
        n
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn client_default() -> usize {
        let (n, peak) = measured(|| list(&WIDE, RequestOptions::default()));
        DEFAULT_PEAK.fetch_max(peak, Ordering::SeqCst);
        n
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn client_concurrent_4() -> usize {
        let (n, peak) = measured(|| list(&WIDE, RequestOptions::default().concurrency(4)));
        assert!(peak <= 4, "{peak} requests in flight");
        n
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn floor_bytes_sequential() -> usize {
        let (n, peak) = measured(|| fetch_bytes(&WIDE, floor_client(), 1));
        assert_eq!(peak, 1);
        n
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn floor_bytes_concurrent_4() -> usize {
        let (n, peak) = measured(|| fetch_bytes(&WIDE, floor_client(), 4));
        assert_eq!(peak, 4);
        n
    }

    /// Runs `f` against [`WIDE`]; checks it made one request per page, and
    /// returns the most requests it had in flight.
    fn measured(f: impl FnOnce() -> usize) -> (usize, usize) {
        WIDE.stats.reset();
        let n = f();
        assert_eq!(WIDE.stats.requests(), PAGES);
        (n, WIDE.stats.max_in_flight())
    }

    /// reqwest with the client's `Accept-Encoding` and no decompression:
    /// the bytes as the link delivers them.
    fn floor_client() -> cloudflare_api::reqwest::Client {
        let mut headers = cloudflare_api::reqwest::header::HeaderMap::new();
        if let Some(value) = &*CLIENT_ACCEPT_ENCODING {
            headers.insert("accept-encoding", value.parse().unwrap());
        }
        cloudflare_api::reqwest::Client::builder()
            .no_gzip()
            .no_brotli()
            .no_zstd()
            .no_deflate()
            .default_headers(headers)
            .build()
            .unwrap()
    }
}

fn reqwest_client() -> cloudflare_api::reqwest::Client {
    cloudflare_api::reqwest::Client::builder().build().unwrap()
}

/// Fetches the 100 pages as bytes, `concurrency` at a time; returns the
/// bytes received.
fn fetch_bytes(server: &Server, http: cloudflare_api::reqwest::Client, concurrency: usize) -> usize {
    RT.block_on(async {
        futures_util::stream::iter(1..=PAGES)
            .map(|page| {
                let url = format!("{}/accounts/{ACCOUNT}/audit_logs?page={page}&per_page={PER_PAGE}", server.url);
                let request = http.get(url).send();
                async move { request.await.unwrap().bytes().await.unwrap().len() }
            })
            .buffer_unordered(concurrency)
            .fold(0, |total, n| async move { total + n })
            .await
    })
}

fn list(server: &Server, options: RequestOptions) -> usize {
    let c = client(&server.url);
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
    let make = |page: usize| tests::audit_log_page(page, PER_PAGE, Some(PAGES)).into_bytes();
    let server = RT.block_on(serve(Source::OnDemand(Arc::new(make)), Profile::LOOPBACK));
    let c = client(&server.url);
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
    let requests = server.stats.requests();
    println!(
        "memory: listing {items} items over {pages_seen} pages: peak RSS {} MiB ({} MiB above start)",
        peak / 1024,
        peak.saturating_sub(base) / 1024
    );
    println!("requests: listing {items} items over {pages_seen} pages took {requests} requests");
    server.stats.reset();
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
        server.stats.requests()
    );
    server.stats.reset();
    let sequential = RT.block_on(async {
        c.audit_logs()
            .with_options(RequestOptions::default().concurrency(1))
            .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(PER_PAGE as u32))
            .try_fold(0usize, |n, _| async move { Ok(n + 1) })
            .await
            .unwrap()
    });
    println!(
        "requests: listing {sequential} items one page at a time took {} requests",
        server.stats.requests()
    );
    const CSV: usize = 50 * 1024 * 1024;
    let server = RT.block_on(serve(Source::Csv(CSV), Profile::LOOPBACK));
    let c = client(&server.url);
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
