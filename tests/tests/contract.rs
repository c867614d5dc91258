//! Contract test: every request shape the generated client can send is
//! accepted by Stoplight Prism, a mock server that validates requests
//! against `spec/` (with its overlays), and what Prism answers from the
//! spec decodes.
//!
//! Prism comes from npm; when `target/prism` does not have it yet, the test
//! installs it there (`npm install @stoplight/prism-cli@5`).

use cloudflare_api::chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use cloudflare_api::futures_util::{StreamExt, TryStreamExt};
use cloudflare_api::{
    AuditLogsListAction, AuditLogsListActor, AuditLogsListDirection, AuditLogsListParams, AuditLogsListZone,
    Client, Error, RetryPolicy,
};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn prism_bin(root: &Path) -> PathBuf {
    let dir = root.join("target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg("@stoplight/prism-cli@5")
            .status()
            .expect("npm runs (Node.js is needed for the contract test)");
        assert!(status.success(), "npm could not install Prism");
    }
    bin
}

/// The spec with its overlays applied, as the client was generated from it.
fn merged_spec(root: &Path) -> PathBuf {
    let spec = root.join("spec/openapi.yaml");
    let mut value = codegen::load::parse_value(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let overlays = xtask::load_overlays(&spec, None).unwrap();
    codegen::overlay::apply(&mut value, &overlays).unwrap();
    let out = root.join("target/contract/openapi.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    out
}

struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_prism(root: &Path) -> (Prism, String) {
    let bin = prism_bin(root);
    let spec = merged_spec(root);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(&spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("prism starts");
    let prism = Prism(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "Prism did not start listening");
        std::thread::sleep(Duration::from_millis(100));
    }
    (prism, format!("http://127.0.0.1:{port}"))
}

/// Every kind of value each parameter can take.
fn every_request_shape() -> Vec<AuditLogsListParams> {
    let date = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let utc = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let offset = FixedOffset::west_opt(5 * 3600).unwrap().with_ymd_and_hms(2024, 6, 30, 23, 59, 59).unwrap();
    let p = AuditLogsListParams::new;
    vec![
        p(),
        p().id("f174be97-19b1-40d6-954d-70cd5fbd52db"),
        p().action(AuditLogsListAction::new().r#type("add")),
        p().actor(AuditLogsListActor::new().ip("17.168.228.63").email("alice@example.com")),
        p().actor(AuditLogsListActor::new().ip("17.168.228.0/24")),
        p().since(date).before(utc),
        p().since(offset).before(date),
        p().zone(AuditLogsListZone::new().name("example.com")),
        p().direction(AuditLogsListDirection::Asc),
        p().direction(AuditLogsListDirection::Desc),
        p().per_page(1).page(1),
        p().per_page(1000).page(50),
        p().hide_user_logs(true),
        p().hide_user_logs(false),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_accepts_every_request_the_client_sends() {
    let root = xtask::workspace_root();
    let (_prism, uri) = start_prism(&root);
    let token = Client::builder().base_url(&uri).api_token("t0ken").retry_policy(RetryPolicy::none()).build().unwrap();
    let key = Client::builder()
        .base_url(&uri)
        .api_key("k3y")
        .api_email("ops@example.com")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for client in [&token, &key] {
        for params in every_request_shape() {
            match client.audit_logs().list(ACCOUNT, &params).await {
                Ok(reply) => assert!(reply.result.is_some(), "{params:?}"),
                Err(Error::Api(e)) => panic!("Prism refused {params:?}: {} {}", e.status, e.excerpt()),
                Err(other) => panic!("{params:?}: {other}"),
            }
            let csv = client.audit_logs().list_csv(ACCOUNT, &params).await;
            match csv {
                Ok(body) => assert_eq!(body.status().as_u16(), 200),
                Err(Error::Api(e)) => panic!("Prism refused the CSV call {params:?}: {} {}", e.status, e.excerpt()),
                Err(other) => panic!("{params:?}: {other}"),
            }
        }
    }
    // Prism answers every page with the same example, so the listing ends
    // with `PagingStalled` after page 2; both requests must be accepted.
    let results: Vec<_> = token
        .audit_logs()
        .list_pages(ACCOUNT, &AuditLogsListParams::new().per_page(5))
        .into_stream()
        .collect()
        .await;
    assert!(results[0].is_ok(), "{:?}", results[0]);
    for r in &results {
        assert!(!matches!(r, Err(Error::Api(_))), "{r:?}");
    }

    // The server does validate: a request the client would refuse to send,
    // sent by hand, is refused.
    let url = format!("{uri}/accounts/{ACCOUNT}/audit_logs?per_page=0");
    let resp = cloudflare_api::reqwest::Client::new().get(url).bearer_auth("t").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 422, "per_page=0 violates minimum: 1");
    let url = format!("{uri}/accounts/{ACCOUNT}/audit_logs");
    let resp = cloudflare_api::reqwest::Client::new().get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401, "no credentials");
}
