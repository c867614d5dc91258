//! Paged listing and CSV export of the generated client, against servers on
//! 127.0.0.1: where listing stops (and how many requests that takes) and
//! that filters reach every page. (That a large export streams in bounded
//! memory is `memory.rs`, in a process of its own.)

use cloudflare_api::futures_util::{StreamExt, TryStreamExt};
use cloudflare_api::{AuditLogsListActor, AuditLogsListParams, Client, Error, RequestOptions};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("t").build().unwrap()
}

fn log(id: usize) -> serde_json::Value {
    json!({"id": format!("log-{id}"), "action": {"type": "change_setting", "result": true},
           "when": "2024-01-02T03:04:05Z"})
}

/// Serves `total` logs `per_page` at a time, by the `page` query parameter,
/// with or without `result_info`.
struct Pages {
    total: usize,
    per_page: usize,
    info: bool,
}

impl Respond for Pages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page: usize = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(1);
        let from = (page - 1) * self.per_page;
        let items: Vec<_> = (from..(from + self.per_page).min(self.total)).map(log).collect();
        let mut body = json!({"success": true, "errors": [], "messages": [], "result": items});
        if self.info {
            let pages = self.total.div_ceil(self.per_page);
            body["result_info"] = json!({"page": page, "per_page": self.per_page, "count": body["result"].as_array().unwrap().len(),
                                          "total_count": self.total, "total_pages": pages});
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn serve(pages: Pages) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(pages).mount(&server).await;
    server
}

async fn pages_requested(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v.into_owned()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn total_pages_ends_the_listing_without_an_extra_request() {
    let server = serve(Pages { total: 7, per_page: 3, info: true }).await;
    let items: Vec<_> = client(&server.uri())
        .audit_logs()
        .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(3))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|l| l.id.clone().unwrap()).collect();
    assert_eq!(ids, (0..7).map(|i| format!("log-{i}")).collect::<Vec<_>>());
    assert_eq!(pages_requested(&server).await, ["1", "2", "3"]);
}

#[tokio::test]
async fn without_result_info_an_empty_page_ends_the_listing() {
    let server = serve(Pages { total: 4, per_page: 2, info: false }).await;
    let items: Vec<_> = client(&server.uri())
        .audit_logs()
        .with_options(RequestOptions::default().concurrency(1))
        .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(pages_requested(&server).await, ["1", "2", "3"]);
}

#[tokio::test]
async fn without_a_total_the_default_fetches_ahead_at_a_bounded_cost() {
    // Ten full pages, then an empty one: the window grows 1, 2, 4 pages, and
    // what it costs over one-at-a-time is the pages in flight past the end.
    let server = serve(Pages { total: 20, per_page: 2, info: false }).await;
    let items: Vec<_> = client(&server.uri())
        .audit_logs()
        .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|l| l.id.clone().unwrap()).collect();
    assert_eq!(ids, (0..20).map(|i| format!("log-{i}")).collect::<Vec<_>>(), "in order, nothing twice");
    let mut pages: Vec<u32> = pages_requested(&server).await.iter().map(|p| p.parse().unwrap()).collect();
    pages.sort_unstable();
    let extra = pages.len() - 11;
    assert_eq!(pages[..11], (1..=11).collect::<Vec<_>>()[..], "every page up to the empty one, once");
    assert!(extra < cloudflare_api::runtime::DEFAULT_CONCURRENCY, "{extra} requests past the end: {pages:?}");

    // The window grows only after two full pages: a one-page listing costs
    // what one at a time does (the page and the empty one after it).
    let server = serve(Pages { total: 1, per_page: 2, info: false }).await;
    client(&server.uri()).audit_logs().list_all(ACCOUNT, &AuditLogsListParams::new().per_page(2)).try_collect::<Vec<_>>().await.unwrap();
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn filters_and_page_size_reach_every_page() {
    let server = serve(Pages { total: 5, per_page: 2, info: true }).await;
    let params = AuditLogsListParams::new()
        .per_page(2)
        .actor(AuditLogsListActor::new().email("a@example.com"))
        .page(2);
    let pages: Vec<_> = client(&server.uri()).audit_logs().list_pages(ACCOUNT, &params).try_collect().await.unwrap();
    assert_eq!(pages.len(), 2, "pages 2 and 3");
    let queries: Vec<_> = server.received_requests().await.unwrap().iter().map(|r| r.url.query().unwrap().to_owned()).collect();
    assert_eq!(queries, ["actor.email=a%40example.com&per_page=2&page=2", "actor.email=a%40example.com&per_page=2&page=3"]);
    assert_eq!(pages[1].result_info.as_ref().unwrap().total_pages, Some(3.0));
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_stops_with_an_error() {
    let server = MockServer::start().await;
    let body = json!({"success": true, "errors": [], "messages": [], "result": [log(1), log(2)]});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let results: Vec<_> = client(&server.uri())
        .audit_logs()
        .with_options(RequestOptions::default().concurrency(1))
        .list_pages(ACCOUNT, &AuditLogsListParams::new())
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(Error::PagingStalled { page: 2 })), "{:?}", results[1]);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn a_page_limit_stops_early() {
    let server = serve(Pages { total: 100, per_page: 10, info: true }).await;
    let items: Vec<_> = client(&server.uri())
        .audit_logs()
        .with_options(RequestOptions::default().max_pages(2))
        .list_all(ACCOUNT, &AuditLogsListParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"success": false, "errors": [], "messages": [], "result": null})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(Pages { total: 10, per_page: 2, info: false }).mount(&server).await;
    let results: Vec<_> = client(&server.uri()).audit_logs().list_all(ACCOUNT, &AuditLogsListParams::new()).collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert_eq!(results[2].as_ref().unwrap_err().status().unwrap().as_u16(), 403);
}

#[tokio::test]
async fn dropping_the_stream_cancels_the_request_in_flight() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let mut stream = Box::pin(c.audit_logs().list_pages(ACCOUNT, &AuditLogsListParams::new()));
    let next = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(next.is_err(), "still waiting for the slow page");
    drop(stream);
    // The request was sent and abandoned; nothing else is.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_json_call_never_asks_for_csv_and_the_csv_call_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("export", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id,when\nlog-1,2024-01-02T03:04:05Z\n", "text/csv"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "errors": [], "messages": [], "result": []})))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new().per_page(5)).await.unwrap();
    let csv = c.audit_logs().list_csv(ACCOUNT, &AuditLogsListParams::new().per_page(5)).await.unwrap();
    assert_eq!(csv.content_type(), Some("text/csv"));
    assert_eq!(&csv.bytes().await.unwrap()[..], b"id,when\nlog-1,2024-01-02T03:04:05Z\n");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].url.query(), Some("per_page=5"));
    assert_eq!(reqs[0].headers.get("accept").unwrap(), "application/json");
    assert_eq!(reqs[1].url.query(), Some("per_page=5&export=true"));
    assert_eq!(reqs[1].headers.get("accept").unwrap(), "text/csv");
}

#[tokio::test]
async fn pages_fetched_ahead_are_yielded_in_order() {
    let server = MockServer::start().await;
    // Later pages answer sooner, so out-of-order completion is certain.
    Mock::given(method("GET")).respond_with(DelayedPages(Pages { total: 10, per_page: 2, info: true })).mount(&server).await;
    let items: Vec<_> = client(&server.uri())
        .audit_logs()
        .with_options(RequestOptions::default().concurrency(4))
        .list_all(ACCOUNT, &AuditLogsListParams::new().per_page(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|l| l.id.clone().unwrap()).collect();
    assert_eq!(ids, (0..10).map(|i| format!("log-{i}")).collect::<Vec<_>>());
    let mut pages = pages_requested(&server).await;
    pages.sort();
    assert_eq!(pages, ["1", "2", "3", "4", "5"], "no extra request past total_pages");
    // How many are in flight at once is `network.rs`'s to check.
}

/// [`Pages`], each page slower than the next (page 1: 250 ms, page 5: 50 ms).
struct DelayedPages(Pages);

impl Respond for DelayedPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page: u64 = req.url.query_pairs().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().unwrap());
        self.0.respond(req).set_delay(Duration::from_millis(300u64.saturating_sub(page * 50)))
    }
}
