//! The client generated from `tests/fixtures/paging.yaml` (with the
//! declarations of `tests/paging-e2e/sdk.yaml`) against a server on
//! 127.0.0.1: every paging scheme with the exact requests it sends, where
//! it stops, an empty first page, a server that repeats itself, and a
//! stream dropped early. Copied into a scratch crate and run by
//! `tests/tests/paging_e2e.rs`.

use paging_fixture::futures_util::{StreamExt, TryStreamExt};
use paging_fixture::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

type Handler = dyn Fn(&Request) -> ResponseTemplate + Send + Sync;

/// Answers with `handler` and records each request's path and query.
#[derive(Clone)]
struct Server(Arc<Mutex<Vec<String>>>, Arc<Handler>);

impl Respond for Server {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let target = match req.url.query() {
            Some(q) => format!("{}?{q}", req.url.path()),
            None => req.url.path().to_owned(),
        };
        self.0.lock().unwrap().push(target);
        (self.1)(req)
    }
}

async fn serve(handler: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static) -> (Client, Server) {
    let mock = MockServer::start().await;
    let server = Server(Arc::default(), Arc::new(handler));
    Mock::given(method("GET")).respond_with(server.clone()).mount(&mock).await;
    let client = Client::builder().base_url(mock.uri()).build().unwrap();
    // The mock server stops when dropped; keep it for the test's life.
    std::mem::forget(mock);
    (client, server)
}

impl Server {
    fn seen(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
    fn seen_sorted(&self) -> Vec<String> {
        let mut seen = self.seen();
        seen.sort();
        seen
    }
}

fn q(req: &Request, name: &str) -> Option<String> {
    req.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn things(ids: impl IntoIterator<Item = u64>) -> Value {
    ids.into_iter().map(|i| json!({"id": format!("t{i}")})).collect()
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn ids(items: &[types::Thing]) -> Vec<String> {
    items.iter().map(|t| t.id.clone()).collect()
}

fn one_at_a_time() -> RequestOptions {
    RequestOptions::default().concurrency(1)
}

#[tokio::test]
async fn page_numbers_stop_at_the_total_and_carry_the_filters() {
    let (c, s) = serve(|req| {
        let page: u64 = q(req, "page").unwrap().parse().unwrap();
        ok(json!({"data": things([page * 2 - 1, page * 2]), "meta": {"total_pages": 3}}))
    })
    .await;
    let params = ThingsListNumberedParams::new().per_page(2).q("x y");
    let items: Vec<_> = c.things().list_numbered_all(&params).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2", "t3", "t4", "t5", "t6"]);
    assert_eq!(
        s.seen_sorted(),
        ["/numbered?per_page=2&q=x%20y&page=1", "/numbered?per_page=2&q=x%20y&page=2", "/numbered?per_page=2&q=x%20y&page=3"]
    );
}

#[tokio::test]
async fn a_link_header_ends_a_bare_list() {
    let (c, s) = serve(|req| {
        let page: u64 = q(req, "page").unwrap().parse().unwrap();
        let mut link = String::from("</linked?page=3>; rel=\"last\"");
        if page < 3 {
            link = format!("</linked?page={}>; rel=\"next\", {link}", page + 1);
        }
        ok(things([page])).insert_header("link", link.as_str())
    })
    .await;
    let items: Vec<_> = c.things().list_linked_all(&ThingsListLinkedParams::new()).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2", "t3"]);
    assert_eq!(s.seen_sorted(), ["/linked?page=1", "/linked?page=2", "/linked?page=3"]);
}

#[tokio::test]
async fn pages_from_zero_end_where_the_next_link_does() {
    let (c, s) = serve(|req| {
        let page: u64 = q(req, "pageNumber").unwrap().parse().unwrap();
        let links = if page < 2 { json!({"next": format!("https://x/from-zero?pageNumber={}", page + 1)}) } else { json!({}) };
        ok(json!({"items": things([page]), "links": links}))
    })
    .await;
    let items: Vec<_> = c
        .things()
        .with_options(one_at_a_time())
        .list_from_zero_all(&ThingsListFromZeroParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["t0", "t1", "t2"]);
    assert_eq!(s.seen(), ["/from-zero?pageNumber=0", "/from-zero?pageNumber=1", "/from-zero?pageNumber=2"], "no request past the last");
}

#[tokio::test]
async fn offsets_step_by_the_page_size_to_the_total() {
    let (c, s) = serve(|req| {
        let offset: u64 = q(req, "offset").unwrap().parse().unwrap();
        ok(json!({"results": things(offset..(offset + 2).min(5)), "total": 5}))
    })
    .await;
    let items: Vec<_> = c.things().list_offsets_all(&ThingsListOffsetsParams::new().limit(2)).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t0", "t1", "t2", "t3", "t4"]);
    assert_eq!(s.seen_sorted(), ["/offsets?limit=2&offset=0", "/offsets?limit=2&offset=2", "/offsets?limit=2&offset=4"]);
}

#[tokio::test]
async fn cursors_go_back_as_given_until_there_is_none() {
    let (c, s) = serve(|req| match q(req, "cursor").as_deref() {
        None => ok(json!({"result": things([1]), "result_info": {"cursor": "abc"}})),
        Some("abc") => ok(json!({"result": things([2]), "result_info": {"cursor": "d=f"}})),
        Some("d=f") => ok(json!({"result": things([3]), "result_info": {}})),
        other => panic!("{other:?}"),
    })
    .await;
    let items: Vec<_> = c.things().list_cursors_all(&ThingsListCursorsParams::new().limit(1)).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2", "t3"]);
    assert_eq!(s.seen(), ["/cursors?limit=1", "/cursors?limit=1&cursor=abc", "/cursors?limit=1&cursor=d%3Df"]);
}

#[tokio::test]
async fn next_page_urls_are_followed_with_their_own_query() {
    let (c, s) = serve(|req| match q(req, "PageToken").as_deref() {
        None => ok(json!({"things": things([1]), "meta": {"next_page_url": "/tokens?PageSize=1&Page=1&PageToken=PT2"}})),
        Some("PT2") => ok(json!({"things": things([2]), "meta": {"next_page_url": null}})),
        other => panic!("{other:?}"),
    })
    .await;
    let items: Vec<_> = c.things().list_tokens_all(&ThingsListTokensParams::new().page_size(1)).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2"]);
    assert_eq!(s.seen(), ["/tokens?PageSize=1", "/tokens?PageSize=1&Page=1&PageToken=PT2"]);
}

#[tokio::test]
async fn the_last_items_id_leads_on_while_has_more_says_so() {
    let (c, s) = serve(|req| match q(req, "starting_after").as_deref() {
        None => ok(json!({"data": things([1, 2]), "has_more": true})),
        Some("t2") => ok(json!({"data": things([3]), "has_more": false})),
        other => panic!("{other:?}"),
    })
    .await;
    let items: Vec<_> = c.things().list_objects_all(&ThingsListObjectsParams::new().limit(2)).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2", "t3"]);
    assert_eq!(s.seen(), ["/objects?limit=2", "/objects?limit=2&starting_after=t2"]);
}

#[tokio::test]
async fn a_declared_scheme_pages_until_an_empty_page() {
    let (c, s) = serve(|req| match q(req, "after").as_deref() {
        None => ok(things([1, 2])),
        Some("t2") => ok(things([3])),
        Some("t3") => ok(json!([])),
        other => panic!("{other:?}"),
    })
    .await;
    let items: Vec<_> = c.things().list_messages_all(&ThingsListMessagesParams::new()).try_collect().await.unwrap();
    assert_eq!(ids(&items), ["t1", "t2", "t3"]);
    assert_eq!(s.seen(), ["/messages", "/messages?after=t2", "/messages?after=t3"]);
}

#[tokio::test]
async fn an_empty_first_page_is_an_empty_listing() {
    let (c, s) = serve(|_| ok(json!({"data": [], "meta": {"total_pages": 0}}))).await;
    let items: Vec<_> = c.things().list_numbered_all(&ThingsListNumberedParams::new()).try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(s.seen(), ["/numbered?page=1"], "page numbers are always sent, the first one too");
    let (c, s) = serve(|_| ok(json!({"result": [], "result_info": {"cursor": "more"}}))).await;
    let items: Vec<_> = c.things().list_cursors_all(&ThingsListCursorsParams::new()).try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(s.seen(), ["/cursors"]);
}

#[tokio::test]
async fn a_server_that_repeats_itself_ends_with_an_error() {
    // Ignores the page number: page 2 is page 1 again.
    let (c, s) = serve(|_| ok(json!({"data": things([1, 2])}))).await;
    let got: Vec<_> = c.things().with_options(one_at_a_time()).list_numbered_pages(&ThingsListNumberedParams::new()).collect().await;
    assert_eq!(got.len(), 2);
    assert!(matches!(got[1], Err(Error::PagingStalled { page: 2 })), "{:?}", got[1]);
    assert_eq!(s.seen(), ["/numbered?page=1", "/numbered?page=2"]);
    // Ignores the cursor.
    let (c, _) = serve(|_| ok(json!({"result": things([1]), "result_info": {"cursor": "same"}}))).await;
    let got: Vec<_> = c.things().list_cursors_pages(&ThingsListCursorsParams::new()).collect().await;
    assert!(matches!(got.last(), Some(Err(Error::PagingStalled { .. }))), "{got:?}");
}

#[tokio::test]
async fn dropping_the_stream_stops_the_requests() {
    let (c, s) = serve(|req| {
        let after = q(req, "after").map_or(0, |a| a.trim_start_matches('t').parse::<u64>().unwrap());
        ok(things([after + 1, after + 2]))
    })
    .await;
    let mut items = Box::pin(c.things().list_messages_all(&ThingsListMessagesParams::new()));
    assert_eq!(items.next().await.unwrap().unwrap().id, "t1");
    assert_eq!(items.next().await.unwrap().unwrap().id, "t2");
    drop(items);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(s.seen(), ["/messages"], "one page asked for, nothing after the drop");
}
