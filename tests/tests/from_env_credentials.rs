//! `ClientBuilder::from_env` for credentials of several values, on the
//! runtime template: a username and a password, OAuth2 client credentials
//! (which win over an access token), an access token alone, and a client
//! certificate read from PEM text and from a file; one of a pair without
//! the other fails the build naming the missing variable. It changes the
//! process's environment, so it is the only test in its binary and sets the
//! variables before any other thread exists.

#[path = "../../codegen/templates/runtime/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod runtime;

use runtime::{ApiSpec, BuildError, ClientBuilder, Operation, Request, RequestOptions, RetryPolicy, SchemeKind, SchemeSpec, Security};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "RTE_BASE_URL",
    schemes: &[
        SchemeSpec { name: "basic", kind: SchemeKind::Basic, env: &["RTE_USERNAME", "RTE_PASSWORD"] },
        SchemeSpec {
            name: "partner",
            kind: SchemeKind::OAuth2 { token_url: Some("/oauth/token") },
            env: &["RTE_ACCESS_TOKEN", "RTE_CLIENT_ID", "RTE_CLIENT_SECRET"],
        },
        SchemeSpec { name: "user", kind: SchemeKind::OAuth2 { token_url: None }, env: &["RTE_USER_TOKEN"] },
        SchemeSpec { name: "cert", kind: SchemeKind::MutualTls, env: &["RTE_CLIENT_CERT", "RTE_CLIENT_KEY"] },
    ],
    required: &[],
    accepted: "",
    request_id_header: None,
    custom: &Operation::CUSTOM,
};

const fn op(id: &'static str, path: &'static str, security: &'static Security) -> Operation {
    Operation { id, method: "GET", path, security, responses: &[(200, 200, true)], ..Operation::DEFAULT }
}

static BASIC: Operation = op("basic", "/basic", &Security { alternatives: &[&[(0, &[])]], anonymous: false, accepted: "" });
static PARTNER: Operation = op("partner", "/partner", &Security { alternatives: &[&[(1, &[])]], anonymous: false, accepted: "" });
static USER: Operation = op("user", "/user", &Security { alternatives: &[&[(2, &[])]], anonymous: false, accepted: "" });

fn set(name: &str, value: &str) {
    // SAFETY: called only while this thread is the process's only one.
    unsafe { std::env::set_var(name, value) }
}

#[test]
fn from_env_reads_every_credential_of_a_scheme() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["client".to_owned()]).unwrap().self_signed(&key).unwrap();
    let cert_file = std::env::temp_dir().join(format!("rte-client-cert-{}.pem", std::process::id()));
    std::fs::write(&cert_file, cert.pem()).unwrap();
    set("RTE_BASE_URL", &base);
    set("RTE_USERNAME", "Aladdin");
    set("RTE_PASSWORD", "open sésame");
    set("RTE_ACCESS_TOKEN", "not-used");
    set("RTE_CLIENT_ID", "id");
    set("RTE_CLIENT_SECRET", "hush-hush");
    set("RTE_USER_TOKEN", "u-tok");
    set("RTE_CLIENT_CERT", cert_file.to_str().unwrap());
    set("RTE_CLIENT_KEY", &key.serialize_pem());

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let server = MockServer::builder().listener(listener).start().await;
        let token = serde_json::json!({"access_token": "fetched", "token_type": "Bearer"});
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(token)).mount(&server).await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
        let c = ClientBuilder::for_api(&API).retry_policy(RetryPolicy::none()).from_env().build().unwrap();
        for op in [&BASIC, &PARTNER, &USER] {
            runtime::empty::<serde_json::Value>(&c, Request::new(op), &RequestOptions::default()).await.unwrap();
        }
        let got = server.received_requests().await.unwrap();
        let auth = |p: &str| got.iter().find(|r| r.url.path() == p).unwrap().headers.get("authorization").unwrap().to_str().unwrap().to_owned();
        assert_eq!(auth("/basic"), "Basic QWxhZGRpbjpvcGVuIHPDqXNhbWU=");
        // Client credentials win over the access token beside them.
        assert_eq!(auth("/oauth/token"), "Basic aWQ6aHVzaC1odXNo");
        assert_eq!(auth("/partner"), "Bearer fetched");
        assert_eq!(auth("/user"), "Bearer u-tok");
        let shown = format!("{c:?}");
        assert!(shown.contains("\"cert\": ClientCert(<redacted>)") && !shown.contains("sésame") && !shown.contains("hush-hush"), "{shown}");
    });
    drop(rt);

    // SAFETY: the runtime and its threads are gone.
    unsafe { std::env::remove_var("RTE_PASSWORD") };
    let err = ClientBuilder::for_api(&API).from_env().build().unwrap_err();
    assert!(matches!(&err, BuildError::Environment { variable: "RTE_PASSWORD", message } if message.contains("RTE_USERNAME")), "{err}");
    set("RTE_PASSWORD", "p");
    set("RTE_CLIENT_CERT", "/no/such/file.pem");
    let err = ClientBuilder::for_api(&API).from_env().build().unwrap_err();
    assert!(matches!(&err, BuildError::Environment { variable: "RTE_CLIENT_CERT", .. }), "{err}");
    // What the builder was given wins over the environment, which is then not read.
    let given = runtime::ClientCert::from_pem_parts(cert.pem(), key.serialize_pem());
    ClientBuilder::for_api(&API).credential(3, Some(given.into())).from_env().build().unwrap();
    std::fs::remove_file(cert_file).unwrap();
}
