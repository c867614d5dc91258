//! The generated client's runtime against servers on 127.0.0.1 with faults
//! injected: retries and their waits, timeouts, connection resets, request
//! ids, and logs that never show a credential.

use cloudflare_api::{AuditLogsListParams, Client, Error, ErrorKind, RequestOptions, RetryPolicy};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn ok_body() -> serde_json::Value {
    json!({"success": true, "errors": [], "messages": [], "result": []})
}

/// Short waits so the tests stay fast; the defaults are checked separately.
fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn client(uri: &str) -> Client {
    Client::builder().base_url(uri).api_token("SECRET-TOKEN-123").retry_policy(fast()).build().unwrap()
}

/// Replies with `first` once, then 200.
async fn server_failing_once(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body()))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn list(client: &Client) -> Result<(), Error<cloudflare_api::AuditLogsListError>> {
    client.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.map(|_| ())
}

#[test]
fn default_policy_matches_the_documented_one() {
    let p = RetryPolicy::default();
    assert_eq!(p.max_retries, 2);
    assert_eq!(p.initial_backoff, Duration::from_millis(500));
    assert_eq!(p.max_backoff, Duration::from_secs(8));
    assert_eq!(p.max_retry_after, Duration::from_secs(60));
}

#[tokio::test]
async fn a_503_then_success_is_retried() {
    let server = server_failing_once(ResponseTemplate::new(503)).await;
    list(&client(&server.uri())).await.unwrap();
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = server_failing_once(ResponseTemplate::new(429).insert_header("retry-after-ms", "300")).await;
    let started = Instant::now();
    list(&client(&server.uri())).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = server_failing_once(ResponseTemplate::new(429).insert_header("retry-after", "1")).await;
    let started = Instant::now();
    list(&client(&server.uri())).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let when = std::time::SystemTime::now() + Duration::from_secs(2);
    let date = httpdate_fmt(when);
    let server = server_failing_once(ResponseTemplate::new(429).insert_header("retry-after", date.as_str())).await;
    let started = Instant::now();
    list(&client(&server.uri())).await.unwrap();
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(count(&server).await, 2);
}

fn httpdate_fmt(t: std::time::SystemTime) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to keep the test independent
    // of the parser under test.
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let dt = cloudflare_api::chrono::DateTime::from_timestamp(secs, 0).unwrap();
    dt.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_hands_the_reply_back_at_once() {
    let server = server_failing_once(ResponseTemplate::new(429).insert_header("retry-after", "120")).await;
    let started = Instant::now();
    let err = list(&client(&server.uri())).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.status().unwrap().as_u16(), 429);
    assert_eq!(err.kind(), ErrorKind::ClientStatus);
    assert!(err.is_retryable());
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn retries_stop_after_the_policy_allows() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let err = list(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerStatus);
    assert_eq!(count(&server).await, 3, "one attempt and two retries");

    let none = Client::builder()
        .base_url(server.uri())
        .api_token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    list(&none).await.unwrap_err();
    assert_eq!(count(&server).await, 4);
}

#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let server = server_failing_once(ResponseTemplate::new(503).insert_header("x-should-retry", "false")).await;
    let err = list(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(count(&server).await, 1);

    let server = server_failing_once(ResponseTemplate::new(400).insert_header("x-should-retry", "true")).await;
    list(&client(&server.uri())).await.unwrap();
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = server_failing_once(ResponseTemplate::new(403)).await;
    let err = list(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 403);
    assert!(!err.is_retryable());
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_reply_slower_than_the_timeout_fails_as_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body()).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let options = RequestOptions::default().timeout(Duration::from_millis(200)).retry(RetryPolicy::none());
    let started = Instant::now();
    let err = c.audit_logs().with_options(options).list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_timeout_is_retried_with_the_client_policy() {
    let server = server_failing_once(
        ResponseTemplate::new(200).set_body_json(ok_body()).set_delay(Duration::from_secs(3)),
    )
    .await;
    let c = client(&server.uri());
    let options = RequestOptions::default().timeout(Duration::from_millis(300));
    c.audit_logs().with_options(options).list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
    assert_eq!(count(&server).await, 2);
}

/// A server that resets the first connection, then answers properly.
async fn resetting_server() -> (String, Arc<Mutex<usize>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(0usize));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        for _ in 0..10 {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let n = {
                let mut s = seen2.lock().unwrap();
                *s += 1;
                *s
            };
            if n == 1 {
                // Closing with the request still unread makes the kernel
                // answer with a reset.
                tokio::time::sleep(Duration::from_millis(50)).await;
                drop(sock);
                continue;
            }
            let mut buf = vec![0u8; 8192];
            let _ = sock.read(&mut buf).await;
            let body = ok_body().to_string();
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(reply.as_bytes()).await;
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_connection_reset_is_retried() {
    let (uri, seen) = resetting_server().await;
    list(&client(&uri)).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), 2);
}

#[tokio::test]
async fn errors_carry_the_request_id() {
    let server = MockServer::start().await;
    let body = json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}],
                      "messages": [], "result": null});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).insert_header("cf-ray", "8a1b2c3d4e5f-LHR").set_body_json(body))
        .mount(&server)
        .await;
    let err = list(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.request_id(), Some("8a1b2c3d4e5f-LHR"));
    assert!(err.to_string().contains("(request 8a1b2c3d4e5f-LHR)"), "{err}");
}

/// Collects everything the client logs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn logs_describe_requests_and_never_show_credentials() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server_failing_once(ResponseTemplate::new(503)).await;
    let c = Client::builder()
        .base_url(server.uri())
        .api_token("SECRET-TOKEN-123")
        .api_key("SECRET-KEY-456")
        .api_email("ops@example.com")
        .retry_policy(fast())
        .build()
        .unwrap();
    list(&c).await.unwrap();
    tracing::debug!(client = ?c, "client");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("path=\"/accounts/{account_id}/audit_logs\""), "{logs}");
    assert!(logs.contains("status=503"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    for secret in ["SECRET-TOKEN-123", "SECRET-KEY-456", "Bearer"] {
        assert!(!logs.contains(secret), "`{secret}` leaked into the logs:\n{logs}");
    }
}
