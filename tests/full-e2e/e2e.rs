//! End-to-end tests of operations from the crate generated from the whole
//! Cloudflare description, against a server on 127.0.0.1. Built and run by
//! `tests/tests/full_crate.rs` in a scratch crate that enables only the
//! groups used here.

use cloudflare_api::{Client, DnsRecordsDnsRecord, DnsRecordsForAZoneImportBody, ZoneGetParams};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_token("t0ken").build().unwrap()
}

/// The DNS operations declare only `api_email` + `api_key`.
fn key_client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_key("k3y").api_email("ops@example.com").build().unwrap()
}

fn envelope(result: serde_json::Value) -> serde_json::Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

#[tokio::test]
async fn another_paged_list_sends_its_filters_and_decodes_result_info() {
    let server = MockServer::start().await;
    // The spec's example zone, with every field it requires.
    let zone = json!({
        "id": ZONE, "name": "example.com", "status": "active", "development_mode": 7200,
        "owner": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Example Org", "type": "organization"},
        "account": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Example Account Name"},
        "meta": {"cdn_only": true, "custom_certificate_quota": 1, "dns_only": true, "foundation_dns": true,
                 "page_rule_quota": 100, "phishing_detected": false, "step": 2},
        "original_name_servers": ["ns1.originaldnshost.com"], "original_registrar": "GoDaddy",
        "original_dnshost": "NameCheap", "created_on": "2014-01-01T05:20:00.12345Z",
        "modified_on": "2014-01-01T05:20:00.12345Z", "activated_on": "2014-01-02T00:01:00.12345Z",
        "a_field_from_the_future": {"nested": true}
    });
    let mut body = envelope(json!([zone]));
    body["result_info"] = json!({"page": 2, "per_page": 5, "count": 1, "total_count": 6});
    Mock::given(method("GET"))
        .and(path("/zones"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let params = ZoneGetParams::new().name("example.com").page(2).per_page(5);
    let reply = client(&server).zone().get(&params).await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.query(), Some("name=example.com&page=2&per_page=5"));
    let info = reply.result_info.unwrap();
    assert_eq!((info.page, info.per_page, info.total_count), (Some(2.0), Some(5.0), Some(6.0)));
    let zones = reply.result.unwrap();
    assert_eq!(zones[0].name, "example.com");
}

#[tokio::test]
async fn a_json_body_is_posted_as_declared() {
    let server = MockServer::start().await;
    let record = json!({
        "id": "372e67954025e0ba6aaa6d586b9e0b59", "name": "www.example.com", "type": "CNAME",
        "content": "example.com", "proxied": true, "ttl": 3600, "locked": false, "proxiable": true,
        "zone_id": ZONE, "zone_name": "example.com",
        "created_on": "2014-01-01T05:20:00.12345Z", "modified_on": "2014-01-01T05:20:00.12345Z"
    });
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ZONE}/dns_records")))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(record)))
        .mount(&server)
        .await;
    // A record is one of many kinds, told apart by `type`.
    let body: DnsRecordsDnsRecord = serde_json::from_value(json!({
        "name": "www.example.com", "type": "CNAME", "content": "example.com", "proxied": true, "ttl": 3600
    }))
    .unwrap();
    let DnsRecordsDnsRecord::Cname(cname) = &body else { panic!("a CNAME record: {body:?}") };
    assert_eq!(cname.name, "www.example.com");
    let reply = key_client(&server).dns_records_for_a_zone().create(ZONE, &body).await.unwrap();
    let DnsRecordsDnsRecord::Cname(created) = &reply.result else { panic!("a CNAME record: {:?}", reply.result) };
    assert_eq!(created.id.as_deref(), Some("372e67954025e0ba6aaa6d586b9e0b59"));
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(req.headers.get("x-auth-key").unwrap(), "k3y");
    let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        sent,
        json!({"name": "www.example.com", "type": "CNAME", "content": "example.com", "proxied": true, "ttl": 3600})
    );
}

#[tokio::test]
async fn a_multipart_upload_sends_the_typed_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ZONE}/dns_records/import")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope(json!({"recs_added": 1, "total_records_parsed": 1}))),
        )
        .mount(&server)
        .await;
    let zone_file = "www.example.com. 300 IN A 192.0.2.1\n";
    // The spec types `file` as a string (no `format: binary`): a text part.
    let body = DnsRecordsForAZoneImportBody::new(zone_file).proxied("false");
    let reply = key_client(&server).dns_records_for_a_zone().import(ZONE, &body).await.unwrap();
    assert_eq!(reply.result.recs_added, Some(1.0));
    let req = &server.received_requests().await.unwrap()[0];
    let ct = req.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&req.body);
    assert!(body.contains(&format!("name=\"file\"\r\n\r\n{zone_file}\r\n")), "{body}");
    assert!(body.contains("name=\"proxied\"\r\n\r\nfalse\r\n"), "{body}");
}

#[tokio::test]
async fn several_success_shapes_are_told_apart_by_status() {
    use cloudflare_api::UrlScannerGetScanReply as Reply;
    let server = MockServer::start().await;
    let scan = "2ee568d0-bf70-4827-b922-b7088c0f056f";
    let running = json!({"success": true, "errors": [], "messages": [],
        "result": {"scan": {"task": {"uuid": scan, "url": "https://example.com", "status": "InProgress",
            "success": true, "errors": [], "effectiveUrl": "https://example.com", "timeElapsed": 3,
            "visibility": "Public", "location": "PT", "region": "enam", "time": "2023-05-03T17:05:04.843Z",
            "clientLocation": "PT", "clientType": "Site", "scannedFrom": {"colo": "MAD"}}}}});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(202).set_body_json(running))
        .mount(&server)
        .await;
    let scan_id = scan.parse().unwrap();
    // This operation's one security requirement names all three schemes.
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("t0ken")
        .api_key("k3y")
        .api_email("ops@example.com")
        .build()
        .unwrap();
    let reply = client.url_scanner().get_scan("acc", scan_id).await;
    match reply {
        Ok(Reply::Status202(body)) => assert!(body.success),
        other => panic!("expected the 202 shape, got {other:?}"),
    }
}
