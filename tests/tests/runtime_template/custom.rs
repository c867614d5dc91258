//! Requests to paths the description does not have: the client's base
//! URL, credentials (the top-level requirement), retries and errors, and
//! values encoded as the generated operations encode theirs.

use super::runtime::{self, ApiSpec, ClientBuilder, Error, Operation, RetryPolicy, SchemeKind, SchemeSpec, Security};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

static CUSTOM: Operation = Operation {
    security: &Security { alternatives: &[&[(0, &[])]], anonymous: false, accepted: "token" },
    ..Operation::CUSTOM
};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "CUSTOM_BASE_URL",
    schemes: &[SchemeSpec { name: "token", env: &["CUSTOM_TOKEN"], kind: SchemeKind::Bearer }],
    required: &[],
    accepted: "token",
    request_id_header: None,
    custom: &CUSTOM,
};

fn client(uri: &str) -> runtime::Client {
    let quick = RetryPolicy { initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(2), ..RetryPolicy::default() };
    ClientBuilder::for_api(&API)
        .base_url(format!("{uri}/v2"))
        .credential(0, Some("t0k".into()))
        .retry_policy(quick)
        .build()
        .unwrap()
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Thing {
    name: String,
}

#[tokio::test]
async fn a_custom_request_is_sent_like_an_operation() {
    let server = MockServer::start().await;
    // The first attempt meets a 503 and is retried, as any operation's.
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/v2/things/a%2Fb/parts"))
        .and(query_param("tag", "x y"))
        .and(header("authorization", "Bearer t0k"))
        .and(header("x-beta", "on"))
        .and(body_json(json!({"size": 2})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "made"})))
        .mount(&server)
        .await;
    let got: Thing = client(&server.uri())
        .request("POST", "things/{id}/parts")
        .path("id", "a/b")
        .query("tag", &["x y"])
        .query("absent", &None::<i64>)
        .header("x-beta", "on")
        .json(&json!({"size": 2}))
        .send_json()
        .await
        .unwrap();
    assert_eq!(got, Thing { name: "made".into() });
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.query(), Some("tag=x%20y"));
}

#[tokio::test]
async fn error_replies_are_typed_errors_and_raw_replies_are_whatever_came() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"errors": [{"code": 7}]})))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c.request("GET", "/gone").send_json::<Thing>().await.unwrap_err();
    let Error::Api(api) = err else { panic!("an API error: {err:?}") };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body, Some(json!({"errors": [{"code": 7}]})));

    let raw = c.request("GET", "/gone").send_raw().await.unwrap();
    assert_eq!(raw.status().as_u16(), 404);
    assert_eq!(&raw.bytes().await.unwrap()[..], br#"{"errors":[{"code":7}]}"#);
}

#[tokio::test]
async fn what_cannot_be_sent_is_refused_before_anything_goes() {
    let server = MockServer::start().await;
    let c = client(&server.uri());
    let err = c.request("GET", "/things/{id}").send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter { name: "path", message } if message.contains("`{id}`")), "{err:?}");
    let err = c.request("GET", "/things/{id}").path("id", "..").send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter { name: "path", .. }), "{err:?}");
    let err = c.request("NOT A METHOD", "/x").send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter { name: "method", .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());

    // Without its credentials, the client does not send at all.
    let bare = ClientBuilder::for_api(&API).base_url(server.uri()).build().unwrap();
    let err = bare.request("GET", "/x").send().await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
}
