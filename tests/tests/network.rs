//! How the generated client uses a real link, against servers on 127.0.0.1:
//! it asks for compressed replies and decodes them (JSON and the CSV
//! export), keeps several pages in flight by default but never more than
//! allowed, and a server's request to slow down pauses every request of the
//! client, not only the one that got it.

#[path = "../benches/support/server.rs"]
mod server;

use cloudflare_api::futures_util::TryStreamExt;
use cloudflare_api::runtime::DEFAULT_CONCURRENCY;
use cloudflare_api::{AuditLogsListParams, Client, RequestOptions, RetryPolicy};
use server::{Pages, Profile, Source, serve};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("t").retry_policy(RetryPolicy::none()).build().unwrap()
}

fn pages(n: usize, per_page: usize) -> Vec<Vec<u8>> {
    (1..=n).map(|p| tests::audit_log_page(p, per_page, Some(n)).into_bytes()).collect()
}

#[tokio::test]
async fn compressed_replies_are_asked_for_and_decoded() {
    let server = serve(Source::Pages(Arc::new(Pages::with_gzip(pages(3, 50)))), Profile::LOOPBACK).await;
    let items: Vec<_> = client(&server.url)
        .audit_logs()
        .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(50))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 150);
    assert_eq!(server.stats.requests(), 3);
    assert_eq!(server.stats.gzip_replies(), 3, "every page came gzipped and decoded");
    let asked = server.stats.last_accept_encoding().unwrap_or_default();
    for coding in ["gzip", "br", "zstd", "deflate"] {
        assert!(asked.contains(coding), "accept-encoding: {asked:?}");
    }
}

/// Answers with `body` gzipped, as a server that offers gzip would.
fn gzipped(content_type: &str, body: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-encoding", "gzip")
        .set_body_raw(server::gzip(body), content_type)
}

#[tokio::test]
async fn the_csv_export_and_raw_replies_come_decoded() {
    let csv: Vec<u8> = b"id,action\nlog-1,add\n".iter().copied().cycle().take(200_000).collect();
    let mock = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param("export", "true"))
        .respond_with(gzipped("text/csv", &csv))
        .mount(&mock)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(gzipped("application/json", br#"{"success":true,"errors":[],"messages":[],"result":[]}"#))
        .mount(&mock)
        .await;
    let c = client(&mock.uri());
    let export = c.audit_logs().list_csv(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    let streamed: Vec<u8> = export.into_stream().map_ok(|b| b.to_vec()).try_concat().await.unwrap();
    assert_eq!(streamed, csv, "streamed and decompressed as it arrives");
    let raw = c.audit_logs().list_raw(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    assert!(raw.headers().get("content-encoding").is_none(), "decoded, so the coding header is gone");
    assert_eq!(raw.bytes().await.unwrap(), br#"{"success":true,"errors":[],"messages":[],"result":[]}"#[..]);
    let requests = mock.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.headers.get("accept-encoding").is_some()));
}

#[tokio::test]
async fn listing_keeps_pages_in_flight_by_default_within_the_bound() {
    // A think time long enough that pages overlap whenever the client lets them.
    let profile = Profile { think: Duration::from_millis(40), bandwidth: None };
    let server = serve(Source::Pages(Arc::new(Pages::identity(pages(12, 5)))), profile).await;
    let list = |options: RequestOptions| {
        let c = client(&server.url);
        async move {
            c.audit_logs()
                .with_options(options)
                .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(5))
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
        }
    };
    let items = list(RequestOptions::default()).await;
    let ids: Vec<_> = items.iter().map(|l| l.id.clone().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((ids.len(), sorted.len()), (60, 60), "every item once");
    assert_eq!(ids, tests_ids(60), "in order");
    assert_eq!(server.stats.requests(), 12, "nothing past the last page");
    assert_eq!(server.stats.max_in_flight(), DEFAULT_CONCURRENCY, "the default window, full once the total is known");

    server.stats.reset();
    list(RequestOptions::default().concurrency(1)).await;
    assert_eq!((server.stats.requests(), server.stats.max_in_flight()), (12, 1));
    server.stats.reset();
    list(RequestOptions::default().concurrency(2)).await;
    assert_eq!((server.stats.requests(), server.stats.max_in_flight()), (12, 2));
}

/// The ids `tests::audit_log_page` gives the first `n` records, in order.
fn tests_ids(n: usize) -> Vec<String> {
    let page: serde_json::Value = serde_json::from_str(&tests::audit_log_page(1, n, None)).unwrap();
    page["result"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

/// Answers 429 with `retry-after-ms` the first time `/slow` is asked, and
/// records when each request arrived.
#[derive(Clone, Default)]
struct Throttling(Arc<Mutex<Vec<(String, Instant)>>>);

impl Respond for Throttling {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut seen = self.0.lock().unwrap();
        let path = req.url.path().to_owned();
        let first_slow = path.ends_with("/slow/audit_logs") && !seen.iter().any(|(p, _)| *p == path);
        seen.push((path, Instant::now()));
        if first_slow {
            ResponseTemplate::new(429).insert_header("retry-after-ms", "500")
        } else {
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true, "errors": [], "messages": [], "result": []}))
        }
    }
}

#[tokio::test]
async fn a_429_pauses_every_request_of_the_client() {
    let log = Throttling::default();
    let mock = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET")).respond_with(log.clone()).mount(&mock).await;
    let c = Client::builder().base_url(mock.uri()).api_token("t").build().unwrap();
    let slow = {
        let c = c.clone();
        tokio::spawn(async move { c.audit_logs().list("slow", &AuditLogsListParams::new()).await })
    };
    // Another call, made while the first waits out its 429.
    tokio::time::sleep(Duration::from_millis(100)).await;
    c.audit_logs().list("other", &AuditLogsListParams::new()).await.unwrap();
    slow.await.unwrap().unwrap();
    let seen = log.0.lock().unwrap().clone();
    let at = |suffix: &str| seen.iter().filter(|(p, _)| p.contains(suffix)).map(|(_, t)| *t).collect::<Vec<_>>();
    let (slow_at, other_at) = (at("/slow/"), at("/other/"));
    assert_eq!((slow_at.len(), other_at.len()), (2, 1), "{seen:?}");
    let paused = other_at[0].duration_since(slow_at[0]);
    assert!(paused >= Duration::from_millis(450), "the other call went out {paused:?} after the 429, inside its pause");
}
