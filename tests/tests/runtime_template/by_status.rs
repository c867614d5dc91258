//! Error bodies typed by status: an enum written as the generator writes
//! one for an operation whose error statuses declare different bodies,
//! decoded by `error_enum!` (exact codes, then ranges, then `default`; the
//! rest, and bodies that do not fit, in `Other` with their bytes), and a
//! single shape decoded whatever the status.

use crate::runtime::{self, Bytes, ErrorBody, OtherError, StatusCode};

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct NotFound {
    pub resource: String,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Invalid {
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Problem {
    pub message: String,
}

/// As generated for an operation declaring 404, 409 (no body), 422, 4XX
/// and `default`.
#[derive(Debug, Clone, PartialEq)]
pub enum GetThingError {
    Status404(NotFound),
    Status409,
    Status422(Invalid),
    Status4xx(Problem),
    Default(Problem),
    Other(OtherError),
}

crate::runtime::error_enum!(GetThingError {
    (404, 404) => Status404(NotFound),
    (409, 409) => Status409,
    (422, 422) => Status422(Invalid),
    (400, 499) => Status4xx(Problem),
    (100, 599) => Default(Problem),
});

/// As generated for an operation declaring only 404 and 422.
#[derive(Debug, Clone, PartialEq)]
pub enum NarrowError {
    Status404(NotFound),
    Status422(Invalid),
    Other(OtherError),
}

crate::runtime::error_enum!(NarrowError { (404, 404) => Status404(NotFound), (422, 422) => Status422(Invalid) });

fn decode<E: ErrorBody>(status: Option<u16>, body: &str) -> Option<E> {
    E::decode(status.map(|s| StatusCode::from_u16(s).unwrap()), &Bytes::copy_from_slice(body.as_bytes()))
}

#[test]
fn error_bodies_are_decoded_by_status() {
    use GetThingError::*;
    let problem = || Problem { message: "no".into() };
    let cases: Vec<(u16, &str, GetThingError)> = vec![
        (404, r#"{"resource":"thing"}"#, Status404(NotFound { resource: "thing".into() })),
        (409, "", Status409),
        (422, r#"{"fields":["name"]}"#, Status422(Invalid { fields: vec!["name".into()] })),
        // The exact code wins over the range; the range over `default`.
        (400, r#"{"message":"no"}"#, Status4xx(problem())),
        (503, r#"{"message":"no"}"#, Default(problem())),
    ];
    for (status, body, want) in cases {
        assert_eq!(decode::<GetThingError>(Some(status), body), Some(want), "{status}");
    }
    // A declared status whose body does not fit keeps its bytes.
    let got = decode::<GetThingError>(Some(404), r#"{"message":"no"}"#).unwrap();
    assert_eq!(got, Other(OtherError { status: Some(StatusCode::NOT_FOUND), raw: Bytes::from_static(br#"{"message":"no"}"#) }));

    // Without `default`, an undeclared status is `Other`, with its bytes.
    let got = decode::<NarrowError>(Some(502), "<html>bad gateway</html>").unwrap();
    assert_eq!(got, NarrowError::Other(OtherError { status: Some(StatusCode::BAD_GATEWAY), raw: Bytes::from_static(b"<html>bad gateway</html>") }));

    // An error event's data (no status): the first declared shape it fits.
    assert_eq!(decode::<NarrowError>(None, r#"{"fields":[]}"#), Some(NarrowError::Status422(Invalid { fields: vec![] })));
    assert!(matches!(decode::<NarrowError>(None, "oops"), Some(NarrowError::Other(OtherError { status: None, .. }))));
}

#[test]
fn one_shape_is_decoded_whatever_the_status() {
    assert_eq!(decode::<Problem>(Some(500), r#"{"message":"no"}"#), Some(Problem { message: "no".into() }));
    assert_eq!(decode::<Problem>(Some(500), "<html>"), None);
    assert_eq!(decode::<serde_json::Value>(Some(418), "[1]"), Some(serde_json::json!([1])));
    let _ = runtime::decode_shape::<Problem>;
}
