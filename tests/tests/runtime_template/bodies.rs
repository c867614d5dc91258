//! Form and multipart bodies: the exact bytes a typed value becomes, per
//! property encoding, and the parts (text, JSON, files) of a multipart
//! body; then both on the wire to a server on 127.0.0.1, retried.

use crate::runtime::{File, Refused, Request, RequestOptions, RetryPolicy, Style};
use serde::Serialize;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Serialize)]
struct Meta {
    k: Option<Vec<i64>>,
    z: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Message {
    to: String,
    tags: Vec<String>,
    ids: Vec<i64>,
    meta: Meta,
    #[serde(skip_serializing_if = "Option::is_none")]
    absent: Option<String>,
    pipes: Vec<String>,
    json: Meta,
    filter: Meta,
}

fn message() -> Message {
    Message {
        to: "+1 555 & co".into(),
        tags: vec!["a".into(), "b,c".into()],
        ids: vec![1, 2],
        meta: Meta { k: Some(vec![3, 4]), z: None },
        absent: None,
        pipes: vec!["x".into(), "y".into()],
        json: Meta { k: None, z: Some(5) },
        filter: Meta { k: None, z: Some(6) },
    }
}

fn form(body: &impl Serialize, encoding: &[(&'static str, Style, bool)]) -> Result<(String, String), Refused> {
    let mut request = Request::new(&crate::LIST);
    request.form(body, encoding)?;
    let (media, bytes) = request.body_bytes().unwrap();
    Ok((media, String::from_utf8(bytes.to_vec()).unwrap()))
}

#[test]
fn form_bodies_encode_each_property_as_its_encoding_says() {
    let encoding = [
        ("Ids", Style::Form, false),
        ("Pipes", Style::PipeDelimited, false),
        ("Json", Style::Json, false),
        ("Filter", Style::DeepObject, true),
    ];
    let (media, text) = form(&message(), &encoding).unwrap();
    assert_eq!(media, "application/x-www-form-urlencoded");
    assert_eq!(
        text,
        "To=%2B1%20555%20%26%20co&Tags=a&Tags=b%2Cc&Ids=1,2&Meta[k][]=3&Meta[k][]=4&Pipes=x|y\
         &Json=%7B%22k%22%3Anull%2C%22z%22%3A5%7D&Filter[z]=6"
    );
    // With no encoding object: form, exploded.
    let (_, text) = form(&serde_json::json!({"a": [1, 2], "b": {"c": true}}), &[]).unwrap();
    assert_eq!(text, "a=1&a=2&b[c]=true");
    // A map is an object; anything else is not a form.
    let map: std::collections::BTreeMap<&str, &str> = [("x", "1")].into();
    assert_eq!(form(&map, &[]).unwrap().1, "x=1");
    assert!(matches!(form(&vec![1], &[]), Err(Refused::Parameter { name: "body", .. })));
}

#[derive(Serialize)]
struct Settings {
    name: String,
    n: i64,
}

/// The parts of a multipart body, split at its boundary.
fn parts(request: &Request) -> Vec<String> {
    let (media, bytes) = request.body_bytes().unwrap();
    let boundary = media.strip_prefix("multipart/form-data; boundary=").unwrap().to_owned();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let body = text.strip_suffix(&format!("--{boundary}--\r\n")).expect("closing delimiter");
    body.split(&format!("--{boundary}\r\n")).skip(1).map(str::to_owned).collect()
}

fn multipart() -> Request {
    let mut request = Request::new(&crate::LIST);
    let files = vec![File::new(b"a".to_vec()).file_name("a.txt"), File::new("b").content_type("text/plain")];
    request
        .form_data()
        .file_part("doc", &File::new(&b"%PDF"[..]).file_name("q\"x.pdf"), Some("application/pdf"))
        .file_part("more", &files, None)
        .file_part("none", &None::<File>, None);
    request
        .part("note", "hi there", None)
        .and_then(|r| r.part("tags", &["x", "y"], None))
        .and_then(|r| r.part("settings", &Settings { name: "n".into(), n: 2 }, None))
        .and_then(|r| r.part("raw", "{\"a\":1}", Some("application/json")))
        .and_then(|r| r.part("absent", &None::<i64>, None))
        .unwrap();
    request
}

#[test]
fn multipart_bodies_send_text_json_and_file_parts() {
    let got = parts(&multipart());
    let want = [
        "Content-Disposition: form-data; name=\"doc\"; filename=\"q%22x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n",
        "Content-Disposition: form-data; name=\"more\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\na\r\n",
        "Content-Disposition: form-data; name=\"more\"; filename=\"more\"\r\nContent-Type: text/plain\r\n\r\nb\r\n",
        "Content-Disposition: form-data; name=\"note\"\r\n\r\nhi there\r\n",
        "Content-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n",
        "Content-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n",
        "Content-Disposition: form-data; name=\"settings\"\r\nContent-Type: application/json\r\n\r\n{\"name\":\"n\",\"n\":2}\r\n",
        "Content-Disposition: form-data; name=\"raw\"\r\nContent-Type: application/json\r\n\r\n\"{\\\"a\\\":1}\"\r\n",
    ];
    assert_eq!(got, want);
    // A body whose parts are all absent is still a (empty) form.
    let mut empty = Request::new(&crate::LIST);
    empty.form_data();
    assert!(parts(&empty).is_empty());
    // Files show their size, not their bytes.
    assert_eq!(format!("{:?}", File::new(vec![0u8; 3])), "File { len: 3, file_name: None, content_type: None }");
}

#[tokio::test]
async fn form_and_multipart_bodies_go_on_the_wire_and_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let policy = RetryPolicy { max_retries: 1, initial_backoff: std::time::Duration::from_millis(1), ..RetryPolicy::default() };
    let client = crate::client(&server.uri()).retry_policy(policy).build().unwrap();
    let options = RequestOptions::default();
    crate::runtime::empty::<serde_json::Value>(&client, multipart(), &options).await.unwrap();
    let mut request = Request::new(&crate::LIST);
    request.form(&serde_json::json!({"a": "b c"}), &[]).unwrap();
    crate::runtime::empty::<serde_json::Value>(&client, request, &options).await.unwrap();

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3, "the multipart body was sent again after the 503");
    assert_eq!(reqs[0].body, reqs[1].body);
    let media = reqs[1].headers.get("content-type").unwrap().to_str().unwrap();
    assert!(media.starts_with("multipart/form-data; boundary="), "{media}");
    assert!(String::from_utf8_lossy(&reqs[1].body).contains("name=\"settings\""));
    assert_eq!(reqs[2].headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert_eq!(reqs[2].body, b"a=b%20c");
}
