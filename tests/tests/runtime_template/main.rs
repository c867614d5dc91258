//! The runtime template (`codegen/templates/runtime/`), compiled and tested
//! on its own, as ordinary Rust: what a generated crate would declare for a
//! small API is written here by hand (an `ApiSpec`, a few `Operation`s), and
//! the runtime's request building, checks, credentials and status dispatch
//! are exercised against a server on 127.0.0.1 (paging: `runtime_paging.rs`).
//! Parameter styles and non-JSON bodies are table-tested in `styles` and
//! `bodies`; credentials of every kind are `auth` and `mtls`.

#[path = "../../../codegen/templates/runtime/mod.rs"]
#[allow(dead_code, unused_imports, unused_macros)]
mod runtime;

mod auth;
mod bodies;
mod custom;
mod mtls;
mod by_status;
mod stream_server;
mod streams;
mod styles;

use runtime::{
    ApiSpec, Checks, ClientBuilder, Error, Operation, Refused, Request, RequestOptions, RetryPolicy,
    SchemeKind, SchemeSpec, Security, Style,
};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static API: ApiSpec = ApiSpec {
    base_url: None,
    base_url_env: "RT_BASE_URL",
    schemes: &[
        SchemeSpec { name: "token", env: &["RT_TOKEN"], kind: SchemeKind::Bearer },
        SchemeSpec { name: "key", env: &["RT_KEY"], kind: SchemeKind::Header("x-key") },
        SchemeSpec { name: "user", env: &["RT_USER"], kind: SchemeKind::Header("x-user") },
        SchemeSpec { name: "query_key", env: &["RT_QUERY_KEY"], kind: SchemeKind::Query("api_key") },
    ],
    required: &[],
    accepted: "",
    request_id_header: Some("x-request-id"),
    custom: &Operation::CUSTOM,
};

static GET_THING: Operation = Operation {
    id: "get-thing",
    method: "GET",
    path: "/things/{id}/parts/{part}",
    security: &Security { alternatives: &[&[(0, &[])], &[(1, &[]), (2, &[])]], anonymous: false, accepted: "token, or key + user" },
    responses: &[(200, 200, true), (400, 499, false)],
    accept: Some("application/json"),
    media_selectors: &[("export", "text/csv")],
    body_selectors: &[],
};

static LIST: Operation = Operation {
    id: "list",
    method: "GET",
    path: "/things",
    security: &Security { alternatives: &[&[(3, &[])]], anonymous: true, accepted: "query_key" },
    responses: &[(200, 200, true), (100, 599, false)],
    accept: Some("application/json"),
    media_selectors: &[],
    body_selectors: &[],
};

fn client(uri: &str) -> ClientBuilder {
    ClientBuilder::for_api(&API).base_url(uri).retry_policy(RetryPolicy::none())
}

async fn server(reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(reply).mount(&server).await;
    server
}

fn thing(id: &str) -> Result<Request, Refused> {
    let mut request = Request::new(&GET_THING);
    request.path("id", id, Style::Simple, false)?.path("part", &7i64, Style::Simple, false)?;
    Ok(request)
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Thing {
    name: String,
}

#[tokio::test]
async fn a_request_goes_on_the_wire_as_described() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!({"name": "a"}))).await;
    let c = client(&server.uri()).credential(0, Some("t0k".into())).build().unwrap();
    let mut request = thing("a/b c").unwrap();
    request
        .query("tag", &vec!["x".to_owned(), "y z".to_owned()], Style::Form, true)
        .and_then(|r| r.query("missing", &None::<i64>, Style::Form, true))
        .and_then(|r| r.query("per_page", &2.0f64, Style::Form, true))
        .and_then(|r| r.query("ids", &vec![1i64, 2, 3], Style::Form, false))
        .and_then(|r| r.query("none", &Vec::<i64>::new(), Style::Form, false))
        .and_then(|r| r.query("filter", &serde_json::json!({"a": "x,y"}), Style::DeepObject, true))
        .and_then(|r| r.query("p", &["a", "b"], Style::PipeDelimited, false))
        .and_then(|r| r.header("x-trace", &vec!["a".to_owned(), "b".to_owned()], Style::Simple, false))
        .and_then(|r| r.cookie("session", "s 1", Style::Form, true))
        .unwrap();
    let got: Thing = runtime::json::<_, serde_json::Value>(&c, request, &RequestOptions::default()).await.unwrap();
    assert_eq!(got, Thing { name: "a".into() });
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.path(), "/things/a%2Fb%20c/parts/7");
    // Data is percent-encoded; the delimiters a style adds are not.
    assert_eq!(req.url.query(), Some("tag=x&tag=y%20z&per_page=2&ids=1,2,3&filter[a]=x%2Cy&p=a|b"));
    assert_eq!(req.headers.get("x-trace").unwrap(), "a,b");
    assert_eq!(req.headers.get("cookie").unwrap(), "session=s%201");
    assert_eq!(req.headers.get("accept").unwrap(), "application/json");
    assert_eq!(req.headers.get("authorization").unwrap(), "Bearer t0k");
}

#[tokio::test]
async fn credentials_the_operation_accepts_are_chosen_in_order() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!({"name": "a"}))).await;
    // Only the second alternative is complete: key + user.
    let c = client(&server.uri()).credential(1, Some("k".into())).credential(2, Some("u".into())).build().unwrap();
    runtime::empty::<serde_json::Value>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.headers.get("x-key").unwrap(), "k");
    assert_eq!(req.headers.get("x-user").unwrap(), "u");
    assert!(req.headers.get("authorization").is_none());

    // Half of an alternative is not enough, and nothing is sent.
    let c = client(&server.uri()).credential(1, Some("k".into())).build().unwrap();
    let err = runtime::empty::<serde_json::Value>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials { operation: "get-thing", accepted: "token, or key + user" }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // An operation that also allows no credentials goes without; with its
    // scheme set, the key goes in the query.
    runtime::empty::<serde_json::Value>(&c, Request::new(&LIST), &RequestOptions::default()).await.unwrap();
    let c = client(&server.uri()).credential(3, Some("q s".into())).build().unwrap();
    runtime::empty::<serde_json::Value>(&c, Request::new(&LIST), &RequestOptions::default()).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[1].url.query(), None);
    assert_eq!(reqs[2].url.query(), Some("api_key=q%20s"));
}

#[tokio::test]
async fn a_client_that_requires_credentials_refuses_to_build_without() {
    static STRICT: ApiSpec = ApiSpec {
        base_url: Some("https://api.example.com/v1/"),
        base_url_env: "RT_BASE_URL",
        schemes: API.schemes,
        required: &[&[0], &[1, 2]],
        accepted: "token, or key + user",
        request_id_header: None,
        custom: &Operation::CUSTOM,
    };
    let err = ClientBuilder::for_api(&STRICT).credential(1, Some("k".into())).build().unwrap_err();
    assert!(matches!(err, runtime::BuildError::MissingCredentials { accepted: "token, or key + user" }));
    let c = ClientBuilder::for_api(&STRICT).credential(0, Some("secret-value".into())).build().unwrap();
    assert_eq!(c.base_url(), "https://api.example.com/v1");
    let shown = format!("{c:?}");
    assert!(shown.contains("token") && !shown.contains("secret-value"), "{shown}");
    let err = ClientBuilder::for_api(&STRICT).base_url("ftp://x").credential(0, Some("t".into())).build().unwrap_err();
    assert!(matches!(err, runtime::BuildError::InvalidBaseUrl { .. }));
    let err = ClientBuilder::for_api(&API).build().unwrap_err();
    assert!(matches!(err, runtime::BuildError::MissingBaseUrl));
}

#[tokio::test]
async fn statuses_are_read_against_the_declared_replies() {
    // A declared 4XX: the body is decoded as the error type.
    let s404 = server(
        ResponseTemplate::new(404).insert_header("x-request-id", "r-1").set_body_json(json!({"name": "gone"})),
    )
    .await;
    let c = client(&s404.uri()).credential(0, Some("t".into())).build().unwrap();
    let err = runtime::json::<Thing, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.body, Some(Thing { name: "gone".into() }));
    assert_eq!(err.request_id(), Some("r-1"));

    // An undeclared 5XX (a gateway's) whose body has the declared shape is
    // decoded as it; one that does not fit keeps only its bytes.
    let s503 = server(ResponseTemplate::new(503).set_body_json(json!({"name": "busy"}))).await;
    let c = client(&s503.uri()).credential(0, Some("t".into())).build().unwrap();
    let err = runtime::json::<Thing, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), api.body.as_ref()), (503, Some(&Thing { name: "busy".into() })));
    let s502 = server(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>")).await;
    let c = client(&s502.uri()).credential(0, Some("t".into())).build().unwrap();
    let err = runtime::json::<Thing, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), api.body.is_none(), api.excerpt()), (502, true, "<html>Bad gateway</html>".to_owned()));

    // An undeclared 2XX is still a success; `raw` hands back any status.
    let s203 = server(ResponseTemplate::new(203).set_body_json(json!({"name": "b"}))).await;
    let c = client(&s203.uri()).credential(0, Some("t".into())).build().unwrap();
    let got: Thing = runtime::json::<_, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap();
    assert_eq!(got.name, "b");
    let s500 = server(ResponseTemplate::new(500).set_body_string("oops")).await;
    let c = client(&s500.uri()).credential(0, Some("t".into())).build().unwrap();
    let raw = runtime::raw::<Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap();
    assert_eq!(raw.status(), 500);
    assert_eq!(raw.bytes().await.unwrap(), "oops");
}

#[tokio::test]
async fn a_bad_body_names_the_path_that_failed() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!({"name": 5}))).await;
    let c = client(&server.uri()).credential(0, Some("t".into())).build().unwrap();
    let err = runtime::json::<Thing, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    let Error::Decode(d) = err else { panic!() };
    assert_eq!(d.path, "name");
    assert!(d.message.contains("expected a string"), "{}", d.message);
    assert_eq!(d.excerpt(), r#"{"name":5}"#);
}

#[tokio::test]
async fn an_empty_body_is_null_to_a_type_that_takes_null_and_an_error_to_others() {
    let server = server(ResponseTemplate::new(200).insert_header("content-type", "application/json")).await;
    let c = client(&server.uri()).credential(0, Some("t".into())).build().unwrap();
    let any = runtime::json::<serde_json::Value, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap();
    assert_eq!(any, serde_json::Value::Null);
    let err = runtime::json::<Thing, Thing>(&c, thing("1").unwrap(), &RequestOptions::default()).await.unwrap_err();
    let Error::Decode(d) = err else { panic!() };
    assert!(d.message.contains("EOF"), "{}", d.message);
    assert!(d.body.is_empty());
}

#[test]
fn path_values_cannot_leave_their_segment_or_go_missing() {
    assert!(matches!(thing(""), Err(Refused::Parameter { name: "id", .. })));
    assert!(matches!(thing(".."), Err(Refused::Parameter { name: "id", .. })));
    let mut half = Request::new(&GET_THING);
    half.path("id", "1", Style::Simple, false).unwrap();
    // `part` was never given: the client refuses rather than send `{part}`.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let c = client("http://127.0.0.1:9").credential(0, Some("t".into())).build().unwrap();
    let err = rt.block_on(runtime::empty::<serde_json::Value>(&c, half, &RequestOptions::default())).unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter { name: "path", message } if message.contains("{part}")), "{err:?}");
}

#[test]
fn checks_refuse_values_outside_the_spec() {
    let range = Checks::NONE.min(1.0).max_exclusive(10.0);
    assert!(runtime::check("n", &1i64, range).is_ok());
    assert!(runtime::check("n", &Some(9.5f64), range).is_ok());
    assert!(runtime::check("n", &None::<i32>, range).is_ok());
    let err = runtime::check("n", &10i32, range).unwrap_err();
    assert_eq!(err, Refused::Parameter { name: "n", message: "must be less than 10, got 10".into() });
    let err = runtime::check("n", &vec![2u32, 0], range).unwrap_err();
    assert_eq!(err, Refused::Parameter { name: "n", message: "must be at least 1, got 0".into() });
    assert!(runtime::check("n", &f64::NAN, range).is_err());
    let len = Checks::NONE.min_length(2).max_length(3);
    assert!(runtime::check("s", "ab", len).is_ok());
    assert!(runtime::check("s", "ééé", len).is_ok(), "characters, not bytes");
    assert!(runtime::check("s", &Some("abcd".to_owned()), len).is_err());
}

#[tokio::test]
async fn media_selectors_switch_the_reply_type() {
    let server = server(ResponseTemplate::new(200).set_body_string("a,b\n")).await;
    let c = client(&server.uri()).credential(0, Some("t".into())).build().unwrap();
    for media in ["text/csv", "application/xml"] {
        let mut request = thing("1").unwrap();
        request.select_media(media);
        let body = runtime::stream::<Thing>(&c, request, &RequestOptions::default()).await.unwrap();
        assert_eq!(body.bytes().await.unwrap(), "a,b\n");
    }
    let reqs = server.received_requests().await.unwrap();
    assert_eq!((reqs[0].url.query(), reqs[0].headers.get("accept").unwrap().to_str().unwrap()), (Some("export=true"), "text/csv"));
    assert_eq!((reqs[1].url.query(), reqs[1].headers.get("accept").unwrap().to_str().unwrap()), (None, "application/xml"));
}

mod models {
    /// A colour.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Colour {
        Red,
        DarkBlue,
        Unknown(String),
    }

    crate::runtime::string_enum!(Colour, Unknown { Red = "red", DarkBlue = "dark-blue" });

    /// A level as a generated crate would declare an integer enum.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Level {
        Low,
        High,
        Unknown(i64),
    }

    crate::runtime::int_enum!(Level, Unknown { Low = 1, High = 10 });

    /// A record as a generated crate would declare it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Record {
        pub r#type: String,
        pub colour: Option<Colour>,
        pub tags: Option<Vec<String>>,
        pub next: Option<Box<Record>>,
        pub next_id: Option<i64>,
        pub note: Option<Option<String>>,
        pub parent: Option<String>,
        pub score: Option<f64>,
        pub weights: Vec<f64>,
        pub level: Option<Level>,
        pub data: Option<serde_json::Value>,
        pub additional_properties: serde_json::Map<String, serde_json::Value>,
    }

    crate::runtime::serde_struct!(Record {
        r#type = "type" required,
        colour,
        tags lenient,
        next,
        next_id = "nextId",
        note nullable,
        parent always,
        score number,
        weights required_number,
        level,
        data value,
    }, additional_properties);

    /// Typed additional properties of numbers, and no others.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Scores {
        pub name: Option<String>,
        pub rest: std::collections::BTreeMap<String, f64>,
    }

    crate::runtime::serde_struct!(Scores { name }, rest number);

    /// Nothing but what it names (`additionalProperties: false`).
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Closed {
        pub name: Option<String>,
    }

    crate::runtime::serde_struct!(Closed { name });
}

#[test]
fn structs_write_back_what_they_read() {
    use models::{Closed, Level, Record, Scores};
    let text = r#"{"type":"a","colour":"mauve","nextId":7,"note":null,"parent":null,"score":2,"weights":[1,2.5,-0.0,1e300],"level":3,"data":null,"extra":[1,{"x":2}],"next":{"type":"b","weights":[],"note":"n","parent":"p","level":10,"data":{"k":[]}}}"#;
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let r: Record = serde_json::from_str(text).unwrap();
    assert_eq!(r.note, Some(None), "`null` is not absence");
    assert_eq!(r.data, Some(serde_json::Value::Null), "any value may be `null`, which is not absence either");
    assert_eq!(r.level, Some(Level::Unknown(3)));
    assert_eq!(r.additional_properties["extra"], serde_json::json!([1, {"x": 2}]));
    let next = r.next.as_deref().unwrap();
    assert_eq!((next.note.clone(), next.level, next.parent.as_deref()), (Some(Some("n".into())), Some(Level::High), Some("p")));
    assert_eq!(serde_json::to_value(&r).unwrap(), value, "the same JSON back, whole numbers as integers");
    // `-0.0` keeps its sign; a float stays a float.
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains(r#""weights":[1,2.5,-0.0,1e+300]"#), "{text}");
    assert!(text.contains(r#""score":2,"#), "{text}");

    // Absent stays absent, and a required nullable property is written as `null`.
    let r: Record = serde_json::from_str(r#"{"type":"a","weights":[]}"#).unwrap();
    assert_eq!(r.note, None);
    assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!({"type": "a", "parent": null, "weights": []}));

    let s: Scores = serde_json::from_str(r#"{"name":"x","a":1,"b":0.5}"#).unwrap();
    assert_eq!(s.rest.get("a"), Some(&1.0));
    assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"name":"x","a":1,"b":0.5}"#);
    let err = serde_json::from_str::<Scores>(r#"{"a":"one"}"#).unwrap_err();
    assert!(err.to_string().contains("expected f64"), "typed additional properties are checked: {err}");

    // A schema that forbids other properties keeps none (and still reads the reply).
    let c: Closed = serde_json::from_str(r#"{"name":"x","other":1}"#).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"name":"x"}"#);
}

#[test]
fn structs_decode_like_serde_derive_but_forgiving() {
    use models::{Colour, Record};
    let r: Record = serde_json::from_str(
        r#"{"type":"a","colour":"mauve","tags":{"not":"a list"},"extra":[1,{"x":2}],"nextId":9007199254740993,"next":{"type":"b\"q","tags":["t"],"next":null,"weights":[]},"weights":[]}"#,
    )
    .unwrap();
    assert_eq!(r.next_id, Some(9_007_199_254_740_993));
    assert_eq!(r.r#type, "a");
    assert_eq!(r.colour, Some(Colour::Unknown("mauve".into())));
    assert_eq!(r.tags, None, "a non-list where a lenient list goes reads as absent");
    let next = r.next.unwrap();
    assert_eq!((next.r#type.as_str(), next.tags.as_deref(), next.next), ("b\"q", Some(&["t".to_owned()][..]), None));

    // A missing required field and a wrong type are errors that name the path.
    let err = serde_json::from_str::<Record>(r#"{"colour":"red"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `type`"), "{err}");
    let err = runtime::decode_bytes::<Record>(reqwest::StatusCode::OK, None, br#"{"type":"a","weights":[],"next":{"type":7}}"#).unwrap_err();
    assert_eq!(err.path, "next.type");
    assert!(err.message.contains("expected a string"), "{}", err.message);
    let err = serde_json::from_str::<Record>("[1]").unwrap_err();
    assert!(err.to_string().contains("an object (Record)"), "{err}");
}

#[test]
fn string_enums_keep_unknown_values() {
    use models::Colour;
    assert_eq!(Colour::from("dark-blue"), Colour::DarkBlue);
    assert_eq!(serde_json::from_str::<Colour>("\"mauve\"").unwrap(), Colour::Unknown("mauve".into()));
    assert_eq!(serde_json::to_string(&Colour::Unknown("mauve".into())).unwrap(), "\"mauve\"");
    let mut request = Request::new(&LIST);
    request.query("colour", &[Colour::DarkBlue, Colour::Unknown("mauve".into())], Style::Form, false).unwrap();
    assert_eq!(request.query_string(), "colour=dark-blue,mauve");
    assert_eq!("red".parse::<Colour>().unwrap().to_string(), "red");
}

#[tokio::test]
async fn any_method_the_description_names_goes_on_the_wire() {
    // OpenAPI 3.2's `query` and `additionalOperations`: the static names
    // the method as the description spells it.
    static SEARCH: Operation = Operation { id: "search", method: "QUERY", path: "/things", ..LIST };
    static COPY: Operation = Operation { id: "copy", method: "COPY", path: "/things", ..LIST };
    static BROKEN: Operation = Operation { id: "broken", method: "CO PY", path: "/things", ..LIST };
    let reply = || stream_server::Reply::new("application/json", vec![stream_server::Act::Send(br#"{"name":"a"}"#.to_vec())]);
    let server = stream_server::start(vec![reply(), reply()]).await;
    let c = client(&server.uri).build().unwrap();
    let mut search = Request::new(&SEARCH);
    search.json(&json!({"text": "a"})).unwrap();
    let got: Thing = runtime::json::<_, serde_json::Value>(&c, search, &RequestOptions::default()).await.unwrap();
    assert_eq!(got.name, "a");
    runtime::empty::<serde_json::Value>(&c, Request::new(&COPY), &RequestOptions::default()).await.unwrap();
    let heads = server.requests();
    assert_eq!((heads[0].method.as_str(), heads[0].body.as_slice()), ("QUERY", br#"{"text":"a"}"#.as_slice()));
    assert_eq!(heads[1].method, "COPY");
    let err = runtime::empty::<serde_json::Value>(&c, Request::new(&BROKEN), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter { name: "method", .. }), "{err:?}");
}
