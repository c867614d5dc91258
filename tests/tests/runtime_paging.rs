//! The runtime template's paging (`codegen/templates/runtime/paging.rs`,
//! `window.rs`, `sequence.rs`), on its own: every scheme against a server on
//! 127.0.0.1, with the exact requests asserted: the last page (no extra
//! request where the reply can tell), an empty first page, a server that
//! repeats itself, a page limit, a dropped stream, and the filters of the
//! first call on every page.

#[path = "../../codegen/templates/runtime/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod runtime;

use futures_util::{StreamExt, TryStreamExt};
use runtime::{
    ApiSpec, Client, ClientBuilder, Error, Operation, PageInfo, Paging, Request, RequestOptions, RetryPolicy, Scheme,
    Security, Style,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "RT_BASE_URL",
    schemes: &[],
    required: &[],
    accepted: "",
    request_id_header: None,
    custom: &Operation::CUSTOM,
};

static LIST: Operation = Operation {
    id: "list",
    method: "GET",
    path: "/items",
    security: &Security { alternatives: &[], anonymous: true, accepted: "" },
    responses: &[(200, 299, true)],
    ..Operation::DEFAULT
};

fn client(uri: &str) -> Client {
    ClientBuilder::for_api(&API).base_url(uri).retry_policy(RetryPolicy::none()).build().unwrap()
}

/// A reply page: `items`, and whatever the scheme reads.
#[derive(Debug, serde::Deserialize)]
struct Page {
    items: Vec<u64>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    total: Option<u64>,
}

fn info(p: &Page) -> PageInfo {
    PageInfo {
        items: p.items.len(),
        fingerprint: runtime::fingerprint(&p.items),
        total_count: p.total.map(|t| t as f64),
        next: p.next.clone(),
        has_more: p.has_more,
        ..Default::default()
    }
}

/// A server that answers with `respond(query)` and records every query.
#[derive(Clone)]
struct Recorded {
    queries: Arc<Mutex<Vec<String>>>,
    respond: Arc<dyn Fn(&wiremock::Request) -> ResponseTemplate + Send + Sync>,
}

impl Respond for Recorded {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let target = match req.url.query() {
            Some(q) => format!("{}?{q}", req.url.path()),
            None => req.url.path().to_owned(),
        };
        self.queries.lock().unwrap().push(target);
        (self.respond)(req)
    }
}

async fn serve(respond: impl Fn(&wiremock::Request) -> ResponseTemplate + Send + Sync + 'static) -> (MockServer, Recorded) {
    let server = MockServer::start().await;
    let recorded = Recorded { queries: Arc::default(), respond: Arc::new(respond) };
    Mock::given(method("GET")).respond_with(recorded.clone()).mount(&server).await;
    (server, recorded)
}

fn query(req: &wiremock::Request, name: &str) -> Option<String> {
    req.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn page(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn first(filter: &str) -> Request {
    let mut request = Request::new(&LIST);
    request.query("filter", filter, Style::Form, true).unwrap();
    request
}

async fn list(c: &Client, options: RequestOptions, request: Request, scheme: Scheme) -> Result<Vec<u64>, Error> {
    let paging = Paging::<Page> { scheme, size: None, info };
    let pages = runtime::pages::<Page, Value>(c, &options, Ok(request), paging);
    runtime::items(pages, |p: Page| p.items).try_collect().await
}

fn seen(r: &Recorded) -> Vec<String> {
    r.queries.lock().unwrap().clone()
}

#[tokio::test]
async fn cursors_are_sent_back_until_the_reply_gives_none() {
    let (server, rec) = serve(|req| match query(req, "cursor").as_deref() {
        None => page(json!({"items": [1, 2], "next": "c2"})),
        Some("c2") => page(json!({"items": [3, 4], "next": "c3"})),
        Some("c3") => page(json!({"items": [5], "next": null})),
        other => panic!("unexpected cursor {other:?}"),
    })
    .await;
    let c = client(&server.uri());
    let items = list(&c, RequestOptions::default(), first("a b"), Scheme::Cursor { param: "cursor" }).await.unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(seen(&rec), ["/items?filter=a%20b", "/items?filter=a%20b&cursor=c2", "/items?filter=a%20b&cursor=c3"]);
}

#[tokio::test]
async fn has_more_false_ends_a_listing_without_an_extra_request() {
    // Stripe's shape: the last item's id as `starting_after`, `has_more`.
    let (server, rec) = serve(|req| match query(req, "starting_after").as_deref() {
        None => page(json!({"items": [1, 2], "has_more": true, "next": "2"})),
        Some("2") => page(json!({"items": [3], "has_more": false, "next": "3"})),
        other => panic!("unexpected {other:?}"),
    })
    .await;
    let c = client(&server.uri());
    let items = list(&c, RequestOptions::default(), first("x"), Scheme::Cursor { param: "starting_after" }).await.unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(seen(&rec), ["/items?filter=x", "/items?filter=x&starting_after=2"]);
}

#[tokio::test]
async fn next_urls_are_followed_on_the_same_origin_only() {
    let (server, rec) = serve(|req| match query(req, "PageToken").as_deref() {
        None => page(json!({"items": [1], "next": "/items?PageSize=1&PageToken=t2"})),
        Some("t2") => page(json!({"items": [2], "next": "http://example.com/items?PageToken=t3"})),
        other => panic!("unexpected {other:?}"),
    })
    .await;
    let c = client(&server.uri());
    let pages = runtime::pages::<Page, Value>(
        &c,
        &RequestOptions::default(),
        Ok(first("x")),
        Paging { scheme: Scheme::NextUrl, size: None, info },
    );
    let got: Vec<_> = pages.collect().await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[1].as_ref().unwrap().items, [2]);
    // The third link leaves the server: refused before anything is sent.
    assert!(matches!(&got[2], Err(Error::InvalidParameter { name: "next", message }) if message.contains("example.com")), "{:?}", got[2]);
    assert_eq!(seen(&rec), ["/items?filter=x", "/items?PageSize=1&PageToken=t2"], "a followed link carries its own query");
}

#[tokio::test]
async fn a_link_header_gives_the_next_page_and_the_last() {
    // GitHub's shape: page numbers, a bare list, `Link` with next and last.
    let (server, rec) = serve(|req| {
        let n: u64 = query(req, "page").unwrap().parse().unwrap();
        let link = |p: u64, rel: &str| format!("<http://127.0.0.1/items?page={p}>; rel=\"{rel}\"");
        let mut links = vec![link(3, "last")];
        if n < 3 {
            links.insert(0, link(n + 1, "next"));
        }
        page(json!({"items": [n * 10, n * 10 + 1]})).insert_header("link", links.join(", ").as_str())
    })
    .await;
    let c = client(&server.uri());
    let mut request = first("x");
    request.query("page", &1u64, Style::Form, true).unwrap();
    let items = list(&c, RequestOptions::default(), request, Scheme::Page { param: "page", first: 1 }).await.unwrap();
    assert_eq!(items, [10, 11, 20, 21, 30, 31]);
    let mut queries = seen(&rec);
    queries.sort();
    assert_eq!(queries, ["/items?filter=x&page=1", "/items?filter=x&page=2", "/items?filter=x&page=3"]);
}

#[tokio::test]
async fn link_headers_are_read_as_rfc_8288_writes_them() {
    // Unquoted and several-valued `rel`, commas inside the target, other
    // relations around: only `next` leads on; no `next` is the last page.
    let (server, rec) = serve(|req| {
        let header = match query(req, "c").as_deref() {
            None => r#"</items?c=2&x=1,2>;rel=next, <https://a/x>; rel="prev first""#,
            Some("2") => r#"<https://a/x>; rel="first", </items?c=3>; rel="last next""#,
            _ => r#"<https://a/x>; rel="first""#,
        };
        page(json!({"items": [query(req, "c").map_or(1, |c| c.parse::<u64>().unwrap())]})).insert_header("link", header)
    })
    .await;
    let c = client(&server.uri());
    let items = list(&c, RequestOptions::default(), first("x"), Scheme::NextUrl).await.unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(seen(&rec), ["/items?filter=x", "/items?c=2&x=1,2", "/items?c=3"]);
}

#[tokio::test]
async fn offsets_step_by_the_page_size_and_stop_at_the_total() {
    let (server, rec) = serve(|req| {
        let offset: u64 = query(req, "offset").unwrap().parse().unwrap();
        let items: Vec<u64> = (offset..(offset + 4).min(10)).collect();
        page(json!({"items": items, "total": 10}))
    })
    .await;
    let c = client(&server.uri());
    let mut request = first("x");
    request.query("offset", &2u64, Style::Form, true).unwrap();
    let items = list(&c, RequestOptions::default(), request, Scheme::Offset { param: "offset" }).await.unwrap();
    assert_eq!(items, (2..10).collect::<Vec<_>>());
    let mut queries = seen(&rec);
    queries.sort();
    assert_eq!(queries, ["/items?filter=x&offset=2", "/items?filter=x&offset=6"], "from 2, by 4, up to the total of 10");
}

#[tokio::test]
async fn an_empty_first_page_is_an_empty_listing() {
    for scheme in [Scheme::Cursor { param: "c" }, Scheme::NextUrl, Scheme::Page { param: "page", first: 1 }, Scheme::Offset { param: "o" }] {
        let (server, rec) = serve(|_| page(json!({"items": [], "next": "more"}))).await;
        let c = client(&server.uri());
        let items = list(&c, RequestOptions::default(), first("x"), scheme).await.unwrap();
        assert!(items.is_empty(), "{scheme:?}");
        assert_eq!(seen(&rec).len(), 1, "{scheme:?}: one request");
    }
}

#[tokio::test]
async fn a_server_that_repeats_itself_is_noticed() {
    // The same cursor back: the next page would be this one again.
    let (server, rec) = serve(|req| match query(req, "c").as_deref() {
        None => page(json!({"items": [1], "next": "same"})),
        _ => page(json!({"items": [2], "next": "same"})),
    })
    .await;
    let c = client(&server.uri());
    let got: Vec<_> = runtime::pages::<Page, Value>(
        &c,
        &RequestOptions::default(),
        Ok(first("x")),
        Paging { scheme: Scheme::Cursor { param: "c" }, size: None, info },
    )
    .collect()
    .await;
    assert_eq!(got.len(), 3, "two pages, then the error");
    assert!(matches!(got[2], Err(Error::PagingStalled { page: 2 })), "{:?}", got[2]);
    assert_eq!(seen(&rec).len(), 2);

    // The same page for a new cursor (a server ignoring it).
    let (server, _) = serve(|_| page(json!({"items": [7, 8], "next": rand_token().to_string()}))).await;
    let c = client(&server.uri());
    let err = list(&c, RequestOptions::default(), first("x"), Scheme::Cursor { param: "c" }).await.unwrap_err();
    assert!(matches!(err, Error::PagingStalled { page: 2 }), "{err:?}");
}

fn rand_token() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

#[tokio::test]
async fn max_pages_and_dropping_the_stream_stop_the_requests() {
    let (server, rec) = serve(|req| {
        let n: u64 = query(req, "c").map_or(0, |c| c.parse().unwrap());
        page(json!({"items": [n], "next": (n + 1).to_string()}))
    })
    .await;
    let c = client(&server.uri());
    let items = list(&c, RequestOptions::default().max_pages(3), first("x"), Scheme::Cursor { param: "c" }).await.unwrap();
    assert_eq!(items, [0, 1, 2]);
    assert_eq!(seen(&rec).len(), 3, "no request past the limit");

    let mut pages = runtime::pages::<Page, Value>(
        &c,
        &RequestOptions::default(),
        Ok(first("x")),
        Paging { scheme: Scheme::Cursor { param: "c" }, size: None, info },
    );
    pages.next().await.unwrap().unwrap();
    drop(pages);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(seen(&rec).len(), 4, "nothing is sent once the stream is dropped");
}

#[tokio::test]
async fn a_refused_first_request_ends_the_stream_with_that_error() {
    let c = client("http://127.0.0.1:9");
    let refused = Err(runtime::Refused::Parameter { name: "n", message: "bad".into() });
    let paging = Paging::<Page> { scheme: Scheme::Page { param: "page", first: 1 }, size: None, info };
    let err = runtime::pages::<Page, Value>(&c, &RequestOptions::default(), refused, paging)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { name: "n", .. }));
}
