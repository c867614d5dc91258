//! `Client::from_env` of the generated client. It changes the process's
//! environment, so it is the only test in its binary and sets the variables
//! before any other thread (the async runtime's, the server's) exists.

use cloudflare_api::{AuditLogsListParams, BuildError, Client};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

#[test]
fn from_env_reads_credentials_and_base_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/v4/", listener.local_addr().unwrap());
    // SAFETY: no other thread exists yet in this process (this binary holds
    // only this test, and the runtime is built below).
    unsafe {
        std::env::set_var("CLOUDFLARE_BASE_URL", &base);
        // Empty counts as unset: the key + email pair is the complete one.
        std::env::set_var("CLOUDFLARE_API_TOKEN", " ");
        std::env::set_var("CLOUDFLARE_API_KEY", "env-key");
        std::env::set_var("CLOUDFLARE_EMAIL", "ops@example.com");
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let server = MockServer::builder().listener(listener).start().await;
        let body = serde_json::json!({"success": true, "errors": [], "messages": [], "result": []});
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;

        let c = Client::from_env().unwrap();
        assert_eq!(c.base_url(), base.trim_end_matches('/'));
        c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
        let req = &server.received_requests().await.unwrap()[0];
        assert_eq!(req.url.path(), format!("/v4/accounts/{ACCOUNT}/audit_logs"));
        assert_eq!(req.headers.get("x-auth-key").unwrap(), "env-key");
        assert_eq!(req.headers.get("x-auth-email").unwrap(), "ops@example.com");
        assert!(req.headers.get("authorization").is_none());

        // What the builder was given wins over the environment.
        let c = Client::builder().api_token("given").from_env().build().unwrap();
        c.audit_logs().list(ACCOUNT, &AuditLogsListParams::new()).await.unwrap();
        let req = &server.received_requests().await.unwrap()[1];
        assert_eq!(req.headers.get("authorization").unwrap(), "Bearer given");
    });
    drop(rt);
    // SAFETY: the runtime and its threads are gone.
    unsafe {
        std::env::remove_var("CLOUDFLARE_API_KEY");
    }
    assert!(matches!(Client::from_env(), Err(BuildError::MissingCredentials { .. })));
}
