//! Mutual TLS against a TLS server on 127.0.0.1 that asks for a client
//! certificate: a certificate authority, the server's certificate and the
//! client's are made in the test (rcgen); the server (rustls) accepts only
//! clients whose certificate the authority issued, and records the one it
//! got.

use std::sync::{Arc, Mutex};

use crate::runtime::{ApiSpec, BuildError, ClientBuilder, ClientCert, Error, Operation, Request, RequestOptions, RetryPolicy, SchemeKind, SchemeSpec, Security};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "RT_BASE_URL",
    schemes: &[SchemeSpec { name: "client_cert", kind: SchemeKind::MutualTls, env: &[] }],
    required: &[],
    accepted: "",
    request_id_header: None,
    custom: &Operation::CUSTOM,
};

static MACHINES: Operation = Operation {
    id: "machines",
    method: "GET",
    path: "/machines",
    security: &Security { alternatives: &[&[(0, &[])]], anonymous: false, accepted: "client_cert" },
    responses: &[(200, 200, true)],
    ..Operation::DEFAULT
};

/// A certificate and its key.
struct Issued {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn issue(name: &str, sans: Vec<String>, usage: Option<ExtendedKeyUsagePurpose>, ca: Option<&Issued>) -> Issued {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(sans).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = match (usage, ca) {
        (Some(usage), Some(ca)) => {
            params.extended_key_usages = vec![usage];
            params.signed_by(&key, &ca.cert, &ca.key).unwrap()
        }
        _ => {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.self_signed(&key).unwrap()
        }
    };
    Issued { cert, key }
}

/// Each connection's client certificate (DER), or why its handshake failed.
type Handshakes = Vec<Result<Vec<u8>, String>>;

/// A TLS server that asks for a client certificate issued by `ca`, answers
/// 200 to one request per connection, and records the certificate each
/// client presented (or the handshake's failure).
async fn server(ca: &Issued, cert: &Issued) -> (String, Arc<Mutex<Handshakes>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert.der().clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider)).build().unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let seen: Arc<Mutex<Handshakes>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = match acceptor.accept(tcp).await {
                Ok(tls) => tls,
                Err(e) => {
                    log.lock().unwrap().push(Err(e.to_string()));
                    continue;
                }
            };
            let presented = tls.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c: &CertificateDer| c.to_vec());
            log.lock().unwrap().push(Ok(presented.unwrap_or_default()));
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            let _ = tls.shutdown().await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_client_certificate_is_presented_to_a_server_that_asks() {
    let ca = issue("test authority", Vec::new(), None, None);
    let server_cert = issue("server", vec!["127.0.0.1".into()], Some(ExtendedKeyUsagePurpose::ServerAuth), Some(&ca));
    let client_cert = issue("client", Vec::new(), Some(ExtendedKeyUsagePurpose::ClientAuth), Some(&ca));
    let (url, seen) = server(&ca, &server_cert).await;
    let root = reqwest::Certificate::from_pem(ca.cert.pem().as_bytes()).unwrap();
    let builder = || ClientBuilder::for_api(&API).base_url(&url).retry_policy(RetryPolicy::none()).add_root_certificate(root.clone());

    let identity = ClientCert::from_pem_parts(client_cert.cert.pem(), client_cert.key.serialize_pem());
    let c = builder().credential(0, Some(identity.clone().into())).build().unwrap();
    crate::runtime::empty::<serde_json::Value>(&c, Request::new(&MACHINES), &RequestOptions::default()).await.unwrap();
    assert_eq!(seen.lock().unwrap().as_slice(), [Ok(client_cert.cert.der().to_vec())]);
    assert!(!format!("{c:?} {identity:?}").contains("PRIVATE KEY"));

    // A certificate the server's authority did not issue: the handshake fails.
    let stranger_ca = issue("another authority", Vec::new(), None, None);
    let stranger = issue("stranger", Vec::new(), Some(ExtendedKeyUsagePurpose::ClientAuth), Some(&stranger_ca));
    let other = ClientCert::from_pem(format!("{}{}", stranger.cert.pem(), stranger.key.serialize_pem()));
    let c = builder().credential(0, Some(other.into())).build().unwrap();
    let err = crate::runtime::empty::<serde_json::Value>(&c, Request::new(&MACHINES), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(matches!(seen.lock().unwrap().last(), Some(Err(_))));

    // Without one, the operation is refused before anything is sent.
    let c = builder().build().unwrap();
    let err = crate::runtime::empty::<serde_json::Value>(&c, Request::new(&MACHINES), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials { operation: "machines", .. }), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 2);

    // What cannot be a certificate, or cannot be added, fails the build.
    let err = builder().credential(0, Some(ClientCert::from_pem("not pem").into())).build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredential { scheme: "client_cert", .. }), "{err}");
    let own = reqwest::Client::new();
    let err = ClientBuilder::for_api(&API).base_url(&url).http_client(own).credential(0, Some(identity.into())).build().unwrap_err();
    assert!(matches!(err, BuildError::HttpClientSettings { setting: "a client certificate" }), "{err}");
}
