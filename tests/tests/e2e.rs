//! End-to-end tests of the generated client (`generated/`) against a real
//! HTTP server on 127.0.0.1: the exact requests it sends and how it decodes
//! what comes back.

use cloudflare_api::chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use cloudflare_api::{
    AuditLogActorType, AuditLogsListAction, AuditLogsListActor, AuditLogsListDirection,
    AuditLogsListParams, AuditLogsListZone, BuildError, Client, Error,
};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// The seed document's example reply, as the API sends it.
fn success_body() -> serde_json::Value {
    json!({
        "errors": [],
        "messages": [],
        "result": [{
            "id": "d5b0f326-1232-4452-8858-1089bd7168ef",
            "action": {"result": true, "type": "change_setting"},
            "actor": {
                "id": "f6b5de0326bb5182b8a4840ee01ec774",
                "email": "michelle@example.com",
                "ip": "198.41.129.166",
                "type": "user"
            },
            "interface": "API",
            "metadata": {"name": "security_level", "type": "firewall", "value": "high", "zone_name": "example.com"},
            "newValue": "low",
            "oldValue": "high",
            "owner": {"id": "023e105f4ecef8ad9ca31a8372d0c353"},
            "resource": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "type": "zone"},
            "when": "2017-04-26T17:31:07Z"
        }],
        "success": true
    })
}

/// A server that answers every request with `reply`.
async fn server(reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(reply).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("test-token")
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request was sent");
    requests.remove(0)
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(success_body())
}

#[tokio::test]
async fn every_parameter_goes_on_the_wire_with_its_spec_name() {
    let server = server(ok()).await;
    let since = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let before = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let params = AuditLogsListParams::new()
        .id("f174be97-19b1-40d6-954d-70cd5fbd52db")
        .action(AuditLogsListAction::new().r#type("add"))
        .actor(AuditLogsListActor::new().ip("17.168.228.0/24").email("alice@example.com"))
        .since(since)
        .before(before)
        .zone(AuditLogsListZone::new().name("example.com"))
        .direction(AuditLogsListDirection::Asc)
        .per_page(50)
        .page(2)
        .hide_user_logs(true);
    client(&server).audit_logs().list(ACCOUNT, &params).await.expect("call succeeds");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), format!("/client/v4/accounts/{ACCOUNT}/audit_logs"));
    assert_eq!(
        req.url.query(),
        Some(
            "id=f174be97-19b1-40d6-954d-70cd5fbd52db&action.type=add\
             &actor.ip=17.168.228.0%2F24&actor.email=alice%40example.com&since=2024-01-02\
             &before=2024-01-02T03%3A04%3A05Z&zone.name=example.com&direction=asc\
             &per_page=50&page=2&hide_user_logs=true"
        )
    );
    assert_eq!(req.headers.get("authorization").unwrap(), "Bearer test-token");
    let ua = req.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(ua.starts_with("cloudflare-api/"), "{ua}");
}

#[tokio::test]
async fn date_times_keep_their_offset_and_fraction() {
    let server = server(ok()).await;
    let offset = FixedOffset::east_opt(2 * 3600).unwrap();
    let since = offset.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let before = Utc.with_ymd_and_hms(2024, 6, 30, 23, 59, 59).unwrap()
        + cloudflare_api::chrono::Duration::milliseconds(250);
    let params = AuditLogsListParams::new().since(since).before(before);
    client(&server).audit_logs().list(ACCOUNT, &params).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        req.url.query(),
        Some("since=2024-01-02T03%3A04%3A05%2B02%3A00&before=2024-06-30T23%3A59%3A59.250Z")
    );
}

#[tokio::test]
async fn no_parameters_means_no_query_string() {
    let server = server(ok()).await;
    client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.query(), None);
}

#[tokio::test]
async fn whole_numbers_are_sent_without_a_fraction() {
    let server = server(ok()).await;
    let params = AuditLogsListParams::new().page(2.0).per_page(1000u16);
    client(&server).audit_logs().list(ACCOUNT, &params).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.query(), Some("per_page=1000&page=2"));
}

#[tokio::test]
async fn the_account_id_stays_one_path_segment() {
    let server = server(ok()).await;
    client(&server).audit_logs().list("a/b?c#d", &AuditLogsListParams::new()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/client/v4/accounts/a%2Fb%3Fc%23d/audit_logs");
    assert_eq!(req.url.query(), None);
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() {
    let server = server(ok()).await;
    let c = client(&server);
    for bad in ["", ".", ".."] {
        let err = c.audit_logs().list(bad, &AuditLogsListParams::new()).await.unwrap_err();
        match err {
            Error::InvalidParameter { name, .. } => assert_eq!(name, "account_id"),
            other => panic!("{bad:?}: expected InvalidParameter, got {other:?}"),
        }
    }
    let too_long = "x".repeat(33);
    let err = c.audit_logs().list(&too_long, &AuditLogsListParams::new()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { name: "account_id", .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn out_of_range_numbers_are_refused_before_sending() {
    let server = server(ok()).await;
    let c = client(&server);
    let cases = [
        (AuditLogsListParams::new().per_page(0), "per_page", "must be at least 1, got 0"),
        (AuditLogsListParams::new().per_page(1001), "per_page", "must be at most 1000, got 1001"),
        (AuditLogsListParams::new().page(0), "page", "must be at least 1, got 0"),
        (AuditLogsListParams::new().page(f64::NAN), "page", "NaN is not a finite number"),
    ];
    for (params, want_name, want_msg) in cases {
        match c.audit_logs().list(ACCOUNT, &params).await.unwrap_err() {
            Error::InvalidParameter { name, message } => {
                assert_eq!(name, want_name);
                assert_eq!(message, want_msg);
            }
            other => panic!("expected InvalidParameter, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn api_key_and_email_are_sent_as_their_headers() {
    let server = server(ok()).await;
    let c = Client::builder()
        .base_url(server.uri())
        .api_key("the-key")
        .api_email("ops@example.com")
        .build()
        .unwrap();
    c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("x-auth-key").unwrap(), "the-key");
    assert_eq!(req.headers.get("x-auth-email").unwrap(), "ops@example.com");
    assert!(req.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_user_service_key_alone_is_not_accepted_by_this_operation() {
    let server = server(ok()).await;
    let c = Client::builder().base_url(server.uri()).user_service_key("usk").build().unwrap();
    let err = c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    assert!(
        matches!(err, Error::MissingCredentials { operation: "audit-logs-get-account-audit-logs", .. }),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn building_without_credentials_fails() {
    let err = Client::builder().base_url("http://127.0.0.1:9").build().unwrap_err();
    assert!(matches!(err, BuildError::MissingCredentials { .. }), "{err:?}");
    let err = Client::builder().base_url("not a url").api_token("t").build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    let err = Client::builder().api_token("bad\ntoken").build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidCredential { scheme: "api_token", .. }), "{err:?}");
    assert!(!err.to_string().contains("bad"), "{err}");
}

#[test]
fn debug_output_never_shows_a_secret() {
    let c = Client::builder().api_token("s3cr3t-token").api_key("s3cr3t-key").api_email("e@x").build().unwrap();
    let shown = format!("{c:?} {c:#?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("https://api.cloudflare.com/client/v4"), "{shown}");
}

#[tokio::test]
async fn a_realistic_reply_decodes_into_typed_models() {
    let server = server(ok()).await;
    let reply = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    assert_eq!(reply.success, Some(true));
    assert_eq!(reply.errors, Some(vec![]));
    let logs = reply.result.expect("result present");
    assert_eq!(logs.len(), 1);
    let log = &logs[0];
    assert_eq!(log.id.as_deref(), Some("d5b0f326-1232-4452-8858-1089bd7168ef"));
    assert_eq!(log.new_value.as_deref(), Some("low"));
    assert_eq!(log.old_value.as_deref(), Some("high"));
    let actor = log.actor.as_ref().unwrap();
    assert_eq!(actor.r#type, Some(AuditLogActorType::User));
    assert_eq!(actor.email.as_deref(), Some("michelle@example.com"));
    assert_eq!(log.action.as_ref().unwrap().result, Some(true));
    assert_eq!(log.when, Some(Utc.with_ymd_and_hms(2017, 4, 26, 17, 31, 7).unwrap().fixed_offset()));
    assert_eq!(log.metadata.as_ref().unwrap()["zone_name"], "example.com");
}

#[tokio::test]
async fn unknown_fields_enum_values_and_large_codes_decode() {
    let mut body = success_body();
    body["result"][0]["actor"]["type"] = json!("robot");
    body["result"][0]["brand_new_field"] = json!({"nested": [1, 2, 3]});
    body["result_info"] = json!({"page": 1, "per_page": 25, "count": 1, "total_count": 1});
    body["messages"] = json!([
        {"code": 81057, "message": "record exists", "documentation_url": "https://x", "source": {"pointer": "/a"}},
        {"code": 9_007_199_254_740_993_i64, "message": "big"}
    ]);
    let server = server(ResponseTemplate::new(200).set_body_json(body)).await;
    let reply = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    let actor_type = reply.result.unwrap()[0].actor.as_ref().unwrap().r#type.clone().unwrap();
    assert_eq!(actor_type, AuditLogActorType::Unknown("robot".into()));
    assert_eq!(actor_type.as_str(), "robot");
    let messages = reply.messages.unwrap();
    assert_eq!(messages[0].code, 81057);
    assert_eq!(messages[1].code, 9_007_199_254_740_993);
}

#[tokio::test]
async fn a_403_becomes_a_typed_api_error() {
    let body = json!({
        "success": false,
        "errors": [{"code": 10000, "message": "Authentication error"}],
        "messages": [],
        "result": null
    });
    let server = server(ResponseTemplate::new(403).set_body_json(body)).await;
    let err = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    let Error::Api(api) = err else { panic!("expected Error::Api") };
    let body = api.body.as_ref().expect("failure body decodes");
    assert!(!body.success);
    // One branch of the failure envelope lets `errors` be `null`.
    let errors = body.errors.as_deref().expect("errors sent");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, 10000);
    assert_eq!(errors[0].message, "Authentication error");
    assert!(body.messages.is_empty());
    assert_eq!(body.result, None);
    assert!(api.excerpt().contains("Authentication error"));
}

#[tokio::test]
async fn an_html_error_page_is_kept_raw() {
    let page = "<html><body>502 Bad Gateway</body></html>";
    let server = server(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    let err = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    let Error::Api(api) = err else { panic!("expected Error::Api") };
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.body.is_none());
    assert_eq!(&api.raw[..], page.as_bytes());
    assert_eq!(api.headers.get("content-type").unwrap(), "text/html");
}

#[tokio::test]
async fn a_bad_success_body_names_the_path_and_shows_an_excerpt() {
    let mut body = success_body();
    body["result"][0]["when"] = json!("yesterday");
    let server = server(ResponseTemplate::new(200).set_body_json(body.clone())).await;
    let err = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    let Error::Decode(d) = err else { panic!("expected Error::Decode") };
    assert_eq!(d.path, "result[0].when");
    assert!(d.excerpt().starts_with("{\"errors\":[]"), "{}", d.excerpt());
    assert_eq!(d.content_type.as_deref(), Some("application/json"));
    // Nothing the server sent is lost: the whole body is in the error.
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&d.body).unwrap(), body);

    let truncated = r#"{"errors":[],"messages":[],"result":[{"id":"a""#;
    let server = self::server(ResponseTemplate::new(200).set_body_raw(truncated, "application/json")).await;
    let err = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    let Error::Decode(d) = err else { panic!("expected Error::Decode") };
    assert!(d.message.contains("EOF"), "{}", d.message);
    assert_eq!(d.excerpt(), truncated);
    assert_eq!(&d.body[..], truncated.as_bytes());
    assert!(d.to_string().contains("could not decode the 200 OK reply"), "{d}");
}

#[test]
fn dates_round_trip_through_serde() {
    use cloudflare_api::AuditLogsListSince;
    let date: AuditLogsListSince = serde_json::from_str("\"2024-01-02\"").unwrap();
    assert_eq!(date, AuditLogsListSince::Date(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()));
    let dt: AuditLogsListSince = serde_json::from_str("\"2024-01-02T03:04:05+02:00\"").unwrap();
    assert!(matches!(dt, AuditLogsListSince::DateTime(_)));
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-01-02\"");
    assert_eq!(serde_json::to_string(&dt).unwrap(), "\"2024-01-02T03:04:05+02:00\"");
    assert!(serde_json::from_str::<AuditLogsListSince>("\"not a date\"").is_err());
}

#[tokio::test]
async fn a_reply_matching_only_the_loose_branch_still_decodes() {
    // The spec's first envelope branch allows `errors` to be any object;
    // Prism sends `{}` there. The list-typed field reads it as absent.
    let mut body = success_body();
    body["errors"] = json!({});
    body["messages"] = json!("not a list");
    let server = server(ResponseTemplate::new(200).set_body_json(body)).await;
    let reply = client(&server).audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    assert_eq!(reply.errors, None);
    assert_eq!(reply.messages, None);
    assert_eq!(reply.result.unwrap().len(), 1);
}

#[tokio::test]
async fn the_raw_call_hands_back_status_headers_and_body() {
    let body = json!({"success": false, "messages": [], "result": null,
        "errors": [{"code": 10000, "message": "Authentication error",
                    "documentation_url": "https://developers.cloudflare.com/api", "source": {"pointer": "/account_id"}}]});
    let server = server(ResponseTemplate::new(403).insert_header("cf-ray", "abc-LHR").set_body_json(body.clone())).await;
    let c = client(&server);
    let raw = c.audit_logs().list_raw(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    assert_eq!(raw.status().as_u16(), 403);
    assert_eq!(raw.headers().get("cf-ray").unwrap(), "abc-LHR");
    let bytes = raw.bytes().await.unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(), body);

    // The typed call reads the same reply into the error type, with the
    // fields the overlay adds to messages.
    let Error::Api(api) = c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err() else {
        panic!("expected Error::Api")
    };
    let first = &api.body.as_ref().unwrap().errors.as_deref().expect("errors sent")[0];
    assert_eq!(first.documentation_url.as_deref(), Some("https://developers.cloudflare.com/api"));
    assert_eq!(first.source.as_ref().unwrap().pointer.as_deref(), Some("/account_id"));
    assert_eq!(api.request_id(), Some("abc-LHR"));
}
