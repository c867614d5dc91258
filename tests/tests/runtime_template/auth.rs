//! Credentials of every kind against servers on 127.0.0.1: OAuth2 client
//! credentials (the exact token request, one fetch for many concurrent
//! calls, the scopes each operation needs, refresh before expiry, one
//! refresh and one retry after a 401, typed token endpoint errors, Basic
//! or body client authentication), token sources, OpenID Connect
//! discovery, HTTP Basic with a non-ASCII password, API keys in a cookie,
//! custom HTTP schemes, and secrets kept out of `Debug`, errors and logs.
//! Mutual TLS is `mtls`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::runtime::{
    ApiSpec, BasicAuth, BuildError, ClientAuth, ClientBuilder, Error, ErrorKind, OAuth2, Operation, Request,
    RequestOptions, RetryPolicy, SchemeKind, SchemeSpec, Security, Style, Token, TokenError, TokenRequest,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "RT_BASE_URL",
    schemes: &[
        // Relative: resolved against the base URL, so the test server serves it.
        SchemeSpec { name: "partner", kind: SchemeKind::OAuth2 { token_url: Some("/oauth/token") }, env: &[] },
        SchemeSpec { name: "basic", kind: SchemeKind::Basic, env: &[] },
        SchemeSpec { name: "session", kind: SchemeKind::Cookie("sid"), env: &[] },
        SchemeSpec { name: "signature", kind: SchemeKind::Http("Signature"), env: &[] },
        SchemeSpec { name: "oidc", kind: SchemeKind::OpenIdConnect { url: "/.well-known/openid-configuration" }, env: &[] },
        SchemeSpec { name: "user", kind: SchemeKind::OAuth2 { token_url: None }, env: &[] },
    ],
    required: &[],
    accepted: "",
    request_id_header: None,
    custom: &Operation::CUSTOM,
};

const fn op(id: &'static str, path: &'static str, security: &'static Security) -> Operation {
    Operation { id, method: "GET", path, security, responses: &[(200, 200, true)], ..Operation::DEFAULT }
}

static READ: Operation = op("read", "/reports", &Security { alternatives: &[&[(0, &["reports:read"])]], anonymous: false, accepted: "partner" });
static WRITE: Operation = op(
    "write",
    "/reports/new",
    &Security { alternatives: &[&[(0, &["reports:read", "reports:write"])]], anonymous: false, accepted: "partner" },
);
static BASIC: Operation = op("basic", "/basic", &Security { alternatives: &[&[(1, &[])]], anonymous: false, accepted: "basic" });
static COOKIE: Operation = op("cookie", "/cookie", &Security { alternatives: &[&[(2, &[])]], anonymous: false, accepted: "session" });
static SIGNED: Operation = op("signed", "/signed", &Security { alternatives: &[&[(3, &[])]], anonymous: false, accepted: "signature" });
static OIDC: Operation = op("oidc", "/oidc", &Security { alternatives: &[&[(4, &["openid"])]], anonymous: false, accepted: "oidc" });
static OIDC_EMAIL: Operation =
    op("oidc-email", "/oidc", &Security { alternatives: &[&[(4, &["email", "openid"])]], anonymous: false, accepted: "oidc" });
static USER: Operation = op("user", "/user", &Security { alternatives: &[&[(5, &["profile"])]], anonymous: false, accepted: "user" });

fn client(uri: &str) -> ClientBuilder {
    ClientBuilder::for_api(&API).base_url(uri).retry_policy(RetryPolicy::none())
}

async fn call(c: &crate::runtime::Client, op: &'static Operation) -> Result<(), Error> {
    crate::runtime::empty::<serde_json::Value>(c, Request::new(op), &RequestOptions::default()).await
}

/// A token endpoint at `/oauth/token` that hands out `tok-1`, `tok-2`...
/// living `lifetime` seconds, each after `delay`; returns the count.
async fn token_endpoint(server: &MockServer, lifetime: u64, delay: Duration) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    let n = Arc::clone(&count);
    let reply = move |_: &wiremock::Request| {
        let n = n.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": lifetime, "scope": "ignored"}))
            .set_delay(delay)
    };
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(reply).mount(server).await;
    count
}

/// An API answering 200 to everything but `path`-less token requests.
async fn api_ok(server: &MockServer) {
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(server).await;
}

/// The requests the server got at `at`.
async fn requests_at(server: &MockServer, at: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == at).collect()
}

fn header<'a>(r: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).map(|v| v.to_str().unwrap())
}

fn form(r: &wiremock::Request) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

#[tokio::test]
async fn a_token_is_fetched_once_for_many_concurrent_calls() {
    let server = MockServer::start().await;
    let fetched = token_endpoint(&server, 3600, Duration::from_millis(200)).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("my client", "s3cr%t+/").into())).build().unwrap();
    let calls = (0..20).map(|_| {
        let c = c.clone();
        async move { call(&c, &READ).await }
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(fetched.load(Ordering::SeqCst), 1);
    let api = requests_at(&server, "/reports").await;
    assert_eq!(api.len(), 20);
    assert!(api.iter().all(|r| header(r, "authorization") == Some("Bearer tok-1")));

    // RFC 6749 §4.4.2: a form body with the grant and the scope; the client
    // authenticates with Basic, id and secret form-encoded first (§2.3.1).
    let token = &requests_at(&server, "/oauth/token").await[0];
    assert_eq!(form(token), "grant_type=client_credentials&scope=reports%3Aread");
    assert_eq!(header(token, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header(token, "accept"), Some("application/json"));
    assert_eq!(header(token, "authorization"), Some("Basic bXklMjBjbGllbnQ6czNjciUyNXQlMkIlMkY="));
}

#[tokio::test]
async fn each_operation_asks_for_the_scopes_it_needs_unless_scopes_are_set() {
    let server = MockServer::start().await;
    let fetched = token_endpoint(&server, 3600, Duration::ZERO).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    call(&c, &WRITE).await.unwrap();
    call(&c, &READ).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 2, "one token per set of scopes");
    let bodies: Vec<String> = requests_at(&server, "/oauth/token").await.iter().map(form).collect();
    assert_eq!(
        bodies,
        [
            "grant_type=client_credentials&scope=reports%3Aread",
            "grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite"
        ]
    );
    let api = server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path().starts_with("/reports"));
    let sent: Vec<_> = api.map(|r| header(&r, "authorization").unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-1"]);

    // Scopes set by the user: one token for every operation.
    let server = MockServer::start().await;
    let fetched = token_endpoint(&server, 3600, Duration::ZERO).await;
    api_ok(&server).await;
    let creds = OAuth2::client_credentials("id", "secret").scopes(["reports"]);
    let c = client(&server.uri()).credential(0, Some(creds.into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    call(&c, &WRITE).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 1);
    assert_eq!(form(&requests_at(&server, "/oauth/token").await[0]), "grant_type=client_credentials&scope=reports");
}

#[tokio::test]
async fn a_token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    // Lives 1 s: the next one is fetched from 0.5 s on.
    let fetched = token_endpoint(&server, 1, Duration::ZERO).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    call(&c, &READ).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(650)).await;
    call(&c, &READ).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 2, "refreshed before it expired");
    // Long expired: fetched again before the call.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    call(&c, &READ).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 3);
    let sent: Vec<_> = requests_at(&server, "/reports").await.iter().map(|r| header(r, "authorization").unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]);
}

#[tokio::test]
async fn while_one_call_refreshes_the_others_keep_the_valid_token() {
    let server = MockServer::start().await;
    // Lives 2 s, refreshed from 1 s on; each fetch takes 0.3 s.
    let fetched = token_endpoint(&server, 2, Duration::from_millis(300)).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let calls = (0..5).map(|_| call(&c, &READ));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
    let mut sent: Vec<_> = requests_at(&server, "/reports").await.iter().map(|r| header(r, "authorization").unwrap().to_owned()).collect();
    sent.sort();
    // The first call and four that did not wait; the one that refreshed.
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_fetches_one_new_token_and_retries_once() {
    let server = MockServer::start().await;
    let fetched = token_endpoint(&server, 3600, Duration::ZERO).await;
    // The first token is refused (revoked), the next one works.
    let reply = |r: &wiremock::Request| match header(r, "authorization") {
        Some("Bearer tok-1") => ResponseTemplate::new(401),
        _ => ResponseTemplate::new(200),
    };
    Mock::given(method("GET")).respond_with(reply).mount(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
    assert_eq!(requests_at(&server, "/reports").await.len(), 2);

    // An API that refuses every token: one refresh, one retry, then the 401.
    let server = MockServer::start().await;
    let fetched = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    let err = call(&c, &READ).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
    assert_eq!(requests_at(&server, "/reports").await.len(), 2);

    // A token given as is cannot be renewed: no retry.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::token("given").into())).build().unwrap();
    assert_eq!(call(&c, &READ).await.unwrap_err().status().map(|s| s.as_u16()), Some(401));
    let api = requests_at(&server, "/reports").await;
    assert_eq!((api.len(), header(&api[0], "authorization")), (1, Some("Bearer given")));
}

#[tokio::test]
async fn token_endpoint_errors_are_typed_and_shared_by_the_calls_that_waited() {
    let server = MockServer::start().await;
    let body = json!({"error": "invalid_scope", "error_description": "reports:read is not granted", "error_uri": "https://example.test/e"});
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "TOP-SECRET").into())).build().unwrap();
    let results = futures_util::future::join_all((0..5).map(|_| call(&c, &READ))).await;
    assert_eq!(requests_at(&server, "/oauth/token").await.len(), 1, "one fetch for the five calls");
    for result in results {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Token);
        let Error::Token { scheme, error } = &err else { panic!("{err:?}") };
        assert_eq!(*scheme, "partner");
        let TokenError::OAuth { status, error, error_description, error_uri } = &**error else { panic!("{error:?}") };
        assert_eq!(status.as_u16(), 400);
        assert_eq!(error, "invalid_scope");
        assert_eq!(error_description.as_deref(), Some("reports:read is not granted"));
        assert_eq!(error_uri.as_deref(), Some("https://example.test/e"));
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("invalid_scope") && !shown.contains("TOP-SECRET"), "{shown}");
    }
    // A failure is not cached: the next call asks again.
    call(&c, &READ).await.unwrap_err();
    assert_eq!(requests_at(&server, "/oauth/token").await.len(), 2);
    assert!(requests_at(&server, "/reports").await.is_empty(), "nothing sent without a token");
}

#[tokio::test]
async fn replies_that_are_not_tokens_are_typed_without_quoting_a_token() {
    for (status, body, expected) in [
        (200, r#"{"access_token": "LEAKED-TOKEN", "token_type": "mac"}"#, "token type \"mac\" is not supported"),
        (200, r#"{"token_type": "bearer"}"#, "no `access_token`"),
        (200, r#"access_token=LEAKED-TOKEN"#, "not a JSON object"),
        (502, "<html>bad gateway</html>", "not an OAuth2 error reply: <html>bad gateway</html>"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(status).set_body_string(body)).mount(&server).await;
        let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
        let err = call(&c, &READ).await.unwrap_err();
        let Error::Token { error, .. } = &err else { panic!("{err:?}") };
        assert!(matches!(&**error, TokenError::InvalidReply { status: s, .. } if s.as_u16() == status), "{error:?}");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains(expected) && !shown.contains("LEAKED-TOKEN"), "{shown}");
    }
}

#[tokio::test]
async fn client_authentication_falls_back_to_the_form_body_and_remembers() {
    let server = MockServer::start().await;
    // A server that accepts the id and secret only in the body.
    let reply = |r: &wiremock::Request| {
        if header(r, "authorization").is_some() {
            ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"}))
        } else {
            let n = form(r).matches("client_id=id&client_secret=secret").count();
            ResponseTemplate::new(if n == 1 { 200 } else { 400 }).set_body_json(json!({"access_token": "t", "token_type": "bearer"}))
        }
    };
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(reply).mount(&server).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(0, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &READ).await.unwrap();
    call(&c, &WRITE).await.unwrap();
    let tokens = requests_at(&server, "/oauth/token").await;
    let basic: Vec<bool> = tokens.iter().map(|r| header(r, "authorization").is_some()).collect();
    assert_eq!(basic, [true, false, false], "Basic once, then the body, remembered");
    assert_eq!(form(&tokens[2]), "grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite&client_id=id&client_secret=secret");

    // Told to use Basic only: the refusal is the answer.
    let creds = OAuth2::client_credentials("id", "secret").client_auth(ClientAuth::Basic);
    let c = client(&server.uri()).credential(0, Some(creds.into())).build().unwrap();
    let err = call(&c, &READ).await.unwrap_err();
    assert!(matches!(&err, Error::Token { error, .. } if matches!(&**error, TokenError::OAuth { error, .. } if error == "invalid_client")), "{err:?}");
}

#[tokio::test]
async fn a_token_source_is_asked_when_a_token_is_needed_or_refused() {
    let server = MockServer::start().await;
    let reply = |r: &wiremock::Request| match header(r, "authorization") {
        Some("Bearer mine-1") => ResponseTemplate::new(401),
        _ => ResponseTemplate::new(200),
    };
    Mock::given(method("GET")).respond_with(reply).mount(&server).await;
    // What the source was asked: the scopes, and whether the last was refused.
    type Asked = Vec<(Vec<String>, bool)>;
    let asked: Arc<Mutex<Asked>> = Arc::default();
    let log = Arc::clone(&asked);
    let source = move |request: TokenRequest| {
        let log = Arc::clone(&log);
        async move {
            let mut log = log.lock().unwrap();
            log.push((request.scopes.clone(), request.refused));
            Ok(Token::new(format!("mine-{}", log.len())))
        }
    };
    // A scheme with only browser flows: the application's own flow plugs in.
    let c = client(&server.uri()).credential(5, Some(OAuth2::source(source).into())).build().unwrap();
    call(&c, &USER).await.unwrap();
    call(&c, &USER).await.unwrap();
    assert_eq!(*asked.lock().unwrap(), [(vec!["profile".to_owned()], false), (vec!["profile".to_owned()], true)]);
    let sent: Vec<_> = requests_at(&server, "/user").await.iter().map(|r| header(r, "authorization").unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer mine-1", "Bearer mine-2", "Bearer mine-2"]);

    // Its failure is the call's.
    let failing = |_: TokenRequest| async { Err::<Token, _>(TokenError::other("the user closed the browser")) };
    let c = client(&server.uri()).credential(5, Some(OAuth2::source(failing).into())).build().unwrap();
    let err = call(&c, &USER).await.unwrap_err();
    assert!(err.to_string().contains("the user closed the browser"), "{err}");

    // Client credentials need a token URL the scheme does not declare.
    let err = client(&server.uri()).credential(5, Some(OAuth2::client_credentials("id", "s").into())).build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredential { scheme: "user", reason } if reason.contains("OAuth2::token_url")), "{err}");
    let creds = OAuth2::client_credentials("id", "s").token_url(format!("{}/oauth/token", server.uri()));
    let fetched = token_endpoint(&server, 60, Duration::ZERO).await;
    let c = client(&server.uri()).credential(5, Some(creds.into())).build().unwrap();
    call(&c, &USER).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn openid_connect_finds_the_token_endpoint_once() {
    let server = MockServer::start().await;
    let discovery = json!({"issuer": server.uri(), "token_endpoint": "/oauth/token"});
    Mock::given(method("GET"))
        .and(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(discovery))
        .mount(&server)
        .await;
    let fetched = token_endpoint(&server, 3600, Duration::ZERO).await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(4, Some(OAuth2::client_credentials("id", "secret").into())).build().unwrap();
    call(&c, &OIDC).await.unwrap();
    call(&c, &OIDC_EMAIL).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
    assert_eq!(requests_at(&server, "/.well-known/openid-configuration").await.len(), 1);
    let bodies: Vec<String> = requests_at(&server, "/oauth/token").await.iter().map(form).collect();
    assert_eq!(bodies, ["grant_type=client_credentials&scope=openid", "grant_type=client_credentials&scope=email+openid"]);
}

#[tokio::test]
async fn basic_credentials_are_encoded_as_utf8() {
    let server = MockServer::start().await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(1, Some(BasicAuth::new("Aladdin", "open sésame ✓").into())).build().unwrap();
    call(&c, &BASIC).await.unwrap();
    // base64("Aladdin:open sésame ✓") of its UTF-8 bytes (RFC 7617 §2.1).
    assert_eq!(header(&requests_at(&server, "/basic").await[0], "authorization"), Some("Basic QWxhZGRpbjpvcGVuIHPDqXNhbWUg4pyT"));
    let shown = format!("{c:?}");
    assert!(shown.contains("Aladdin") && !shown.contains("sésame"), "{shown}");

    let err = client(&server.uri()).credential(1, Some(BasicAuth::new("a:b", "p").into())).build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredential { scheme: "basic", reason } if reason.contains(':')), "{err}");
    let err = client(&server.uri()).credential(1, Some("already-encoded".into())).build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredential { scheme: "basic", .. }), "{err}");
}

#[tokio::test]
async fn an_api_key_cookie_joins_the_cookie_parameters() {
    let server = MockServer::start().await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(2, Some("k3y.v/1=".into())).build().unwrap();
    call(&c, &COOKIE).await.unwrap();
    let mut request = Request::new(&COOKIE);
    request.cookie("session", "s 1", Style::Form, true).unwrap();
    crate::runtime::empty::<serde_json::Value>(&c, request, &RequestOptions::default()).await.unwrap();
    let sent: Vec<_> = requests_at(&server, "/cookie").await.iter().map(|r| header(r, "cookie").unwrap().to_owned()).collect();
    // As given (servers compare keys byte for byte), in the one header.
    assert_eq!(sent, ["sid=k3y.v/1=", "session=s%201; sid=k3y.v/1="]);
    let err = client(&server.uri()).credential(2, Some("a key;".into())).build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredential { scheme: "session", .. }), "{err}");
}

#[tokio::test]
async fn a_custom_http_scheme_sends_its_name() {
    let server = MockServer::start().await;
    api_ok(&server).await;
    let c = client(&server.uri()).credential(3, Some("keyId=k,signature=abc".into())).build().unwrap();
    call(&c, &SIGNED).await.unwrap();
    assert_eq!(header(&requests_at(&server, "/signed").await[0], "authorization"), Some("Signature keyId=k,signature=abc"));
}

/// Collects what `tracing` writes, at every level.
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

#[tokio::test]
async fn tokens_and_secrets_stay_out_of_debug_and_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Tests on other threads may have registered the runtime's callsites
    // while no subscriber wanted them, and tracing caches that; ask again
    // now that this thread's subscriber wants everything.
    tracing::callsite::rebuild_interest_cache();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "TOKEN-VALUE", "expires_in": 60})))
        .mount(&server)
        .await;
    let reply = |r: &wiremock::Request| match header(r, "authorization") {
        Some("Bearer TOKEN-VALUE") => ResponseTemplate::new(200),
        _ => ResponseTemplate::new(403),
    };
    Mock::given(method("GET")).respond_with(reply).mount(&server).await;
    let c = client(&server.uri())
        .credential(0, Some(OAuth2::client_credentials("client-id", "SECRET-VALUE").into()))
        .credential(1, Some(BasicAuth::new("user", "PASSWORD-VALUE").into()))
        .build()
        .unwrap();
    call(&c, &READ).await.unwrap();
    let shown = format!("{c:?}");
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("token obtained"), "{logged}");
    for secret in ["TOKEN-VALUE", "SECRET-VALUE", "PASSWORD-VALUE"] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!logged.contains(secret), "{logged}");
    }
    assert!(!format!("{:?}", Token::new("TOKEN-VALUE")).contains("TOKEN-VALUE"));
}
