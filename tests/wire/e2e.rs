//! The client generated from `tests/wire/openapi.yaml`, against a server on
//! 127.0.0.1: the exact requests it sends for parameters in several styles,
//! a form body, a multipart body with a file, and a completion streamed as
//! server-sent events (its errors typed by status). Built and run by
//! `tests/tests/wire.rs` in a scratch crate.

use serde_json::json;
use wire_client::runtime::File;
use wire_client::futures_util::TryStreamExt;
use wire_client::{
    Client, CompletionsCreateBody, CompletionsCreateError, Error, Filter, FilterOwner, FilterStatus, ItemsGetParams,
    MessagesCreateBody, Point, UploadsUploadBody,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(status).set_body_json(&body)).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 1);
    reqs.remove(0)
}

#[tokio::test]
async fn parameters_go_on_the_wire_in_their_styles() {
    let server = server(200, json!({"ok": true})).await;
    let filter = Filter {
        status: Some(FilterStatus::Open),
        owner: Some(FilterOwner { name: Some("a b".into()), teams: Some(vec!["x".into(), "y".into()]), ..Default::default() }),
        ..Default::default()
    };
    let params = ItemsGetParams::new()
        .filter(filter)
        .ids(vec![1, 2, 3])
        .kinds(vec!["k1".into(), "k2".into()])
        .tag(vec!["t1".to_owned(), "t,2".to_owned()])
        .search(Point::new(1, -2))
        .x_point(Point::new(3, 4))
        .session("s=1")
        .prefs(vec!["dark".into(), "wide".into()]);
    let tags = ["x".to_owned(), "y z".to_owned()];
    let reply = client(&server).items().get("a/b", &tags, &Point::new(5, 6), &params).await.unwrap();
    assert_eq!(reply.ok, Some(true));

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/items/a%2Fb/.x,y%20z/;x=5;y=6");
    assert_eq!(
        req.url.query(),
        Some(
            "filter[status]=open&filter[owner][name]=a%20b&filter[owner][teams][]=x&filter[owner][teams][]=y\
             &ids=1,2,3&kinds=k1|k2&tag=t1&tag=t%2C2&search=%7B%22x%22%3A1%2C%22y%22%3A-2%7D"
        )
    );
    assert_eq!(req.headers.get("x-point").unwrap(), "x=3,y=4");
    assert_eq!(req.headers.get("cookie").unwrap(), "session=s%3D1; prefs=dark,wide");
}

#[tokio::test]
async fn a_form_body_is_encoded_as_its_encoding_object_says() {
    let server = server(201, json!(null)).await;
    let body = MessagesCreateBody {
        media_url: Some(vec!["https://e.x/1.png".into(), "https://e.x/2.png".into()]),
        labels: Some(vec!["a".into(), "b".into()]),
        attributes: Some(Point::new(1, 2)),
        meta: Some(Filter { status: Some(FilterStatus::Closed), ..Default::default() }),
        ..MessagesCreateBody::new("+1 555".into(), "Hi & bye".into())
    };
    client(&server).messages().create(&body).await.unwrap();

    let req = only_request(&server).await;
    assert_eq!(req.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        "To=%2B1%20555&Body=Hi%20%26%20bye&MediaUrl=https%3A%2F%2Fe.x%2F1.png&MediaUrl=https%3A%2F%2Fe.x%2F2.png\
         &Labels=a,b&Attributes=%7B%22x%22%3A1%2C%22y%22%3A2%7D&Meta[status]=closed"
    );
}

#[tokio::test]
async fn a_multipart_body_sends_its_file_and_its_other_parts() {
    let server = server(201, json!(null)).await;
    let body = UploadsUploadBody::new(File::new(&b"%PDF-1.7 \x00\xff"[..]).file_name("report.pdf"))
        .note("first draft")
        .settings(Point::new(1, 2))
        .tags(vec!["a".into(), "b".into()]);
    client(&server).uploads().upload(&body).await.unwrap();

    let req = only_request(&server).await;
    let media = req.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    let boundary = media.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    let mut expected = Vec::new();
    for (head, content) in [
        ("name=\"file\"; filename=\"report.pdf\"\r\nContent-Type: application/pdf", &b"%PDF-1.7 \x00\xff"[..]),
        ("name=\"note\"", b"first draft"),
        ("name=\"settings\"\r\nContent-Type: application/json", br#"{"x":1,"y":2}"#),
        ("name=\"tags\"", b"a"),
        ("name=\"tags\"", b"b"),
    ] {
        expected.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; {head}\r\n\r\n").as_bytes());
        expected.extend_from_slice(content);
        expected.extend_from_slice(b"\r\n");
    }
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(String::from_utf8_lossy(&req.body), String::from_utf8_lossy(&expected));
    assert_eq!(req.body, expected);
}

#[tokio::test]
async fn a_completion_streams_when_its_stream_method_asks() {
    let server = MockServer::start().await;
    let events = "data: {\"text\":\"Hel\"}\n\ndata: {\"text\":\"lo\"}\n\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .mount(&server)
        .await;
    let body = CompletionsCreateBody::new("Hi".into());
    let chunks: Vec<_> = client(&server).completions().create_stream(&body).await.unwrap().try_collect().await.unwrap();
    let text: String = chunks.iter().map(|e| e.data.text.as_str()).collect();
    assert_eq!(text, "Hello");

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/completions");
    assert_eq!(req.headers.get("accept").unwrap(), "text/event-stream");
    assert_eq!(req.headers.get("content-type").unwrap(), "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent, json!({"prompt": "Hi", "stream": true}));
}

#[tokio::test]
async fn the_json_method_never_asks_for_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"text": "Hello"})))
        .mount(&server)
        .await;
    let body = CompletionsCreateBody { stream: Some(true), ..CompletionsCreateBody::new("Hi".into()) };
    let reply = client(&server).completions().create(&body).await.unwrap();
    assert_eq!(reply.text, "Hello");
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("accept").unwrap(), "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent, json!({"prompt": "Hi", "stream": false}));
}

#[tokio::test]
async fn error_statuses_decode_into_their_own_shapes() {
    for (status, body) in [(400, json!({"message": "no prompt"})), (429, json!({"retry_after": 3})), (503, json!({"down": true}))] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(status).set_body_json(&body)).mount(&server).await;
        let client = Client::builder().base_url(server.uri()).max_retries(0).build().unwrap();
        let err = client.completions().create(&CompletionsCreateBody::new("Hi".into())).await.unwrap_err();
        let Error::Api(api) = err else { panic!("{status}: {err:?}") };
        match (status, api.body) {
            (400, Some(CompletionsCreateError::Status400(b))) => assert_eq!(b.message, "no prompt"),
            (429, Some(CompletionsCreateError::Status429(b))) => assert_eq!(b.retry_after, 3),
            (503, Some(CompletionsCreateError::Other(o))) => {
                assert_eq!(o.status.map(|s| s.as_u16()), Some(503));
                assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.raw).unwrap(), body);
            }
            (status, body) => panic!("{status}: {body:?}"),
        }
    }
}
