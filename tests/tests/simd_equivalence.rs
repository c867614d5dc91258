//! Whether a SIMD JSON decoder (sonic-rs, simd-json; through their serde
//! APIs) decodes replies into the generated types exactly as serde_json
//! does: a realistic page, unknown fields, unknown enum values, unions,
//! lists that may come as something else, large integers, escaped strings;
//! and whether what it rejects, and the path `serde_path_to_error` reports
//! for `Error::Decode`, match.
//!
//! Where they do not, the tests below pin what each decoder does (so a new
//! version that changes it shows up here): sonic-rs rounds some edge-case
//! floats differently (correctly, where serde_json without
//! `float_roundtrip` is one unit off), drops the sign of `-0.0`, and names
//! another path for two syntax errors; simd-json rejects a whole reply over
//! one integer beyond 64 bits, even in a field nobody reads, decodes a
//! float of more than 19 digits to a wrong value, turns a lone surrogate
//! escape into `\0` instead of rejecting it, and names no path for syntax
//! errors.

use cloudflare_api::{AuditLogActorType, AuditLogsResponse as Page, AuditLogsListSince};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Decoder {
    SerdeJson,
    SonicRs,
    SimdJson,
}

use Decoder::{SerdeJson, SimdJson, SonicRs};

const SIMD: [Decoder; 2] = [SonicRs, SimdJson];

impl Decoder {
    fn decode<T: DeserializeOwned>(self, input: &[u8]) -> Result<T, String> {
        match self {
            SerdeJson => serde_json::from_slice(input).map_err(|e| e.to_string()),
            SonicRs => sonic_rs::from_slice(input).map_err(|e| e.to_string()),
            SimdJson => simd_json::serde::from_slice(&mut input.to_vec()).map_err(|e| e.to_string()),
        }
    }

    /// The path `serde_path_to_error` names over this decoder (`None`: it
    /// decodes; without the check for trailing characters, as the runtime's
    /// second pass).
    fn error_path<T: DeserializeOwned + Debug>(self, input: &[u8]) -> Option<String> {
        let path = match self {
            SerdeJson => {
                let mut de = serde_json::Deserializer::from_slice(input);
                serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| e.path().to_string())
            }
            SonicRs => {
                let mut de = sonic_rs::Deserializer::from_slice(input);
                serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| e.path().to_string())
            }
            SimdJson => {
                let mut copy = input.to_vec();
                // simd-json parses the whole document before serde sees it:
                // a syntax error fails here, with no path.
                match simd_json::Deserializer::from_slice(&mut copy) {
                    Err(_) => Err(String::new()),
                    Ok(mut de) => {
                        serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| e.path().to_string())
                    }
                }
            }
        };
        path.err()
    }
}

/// Decodes with serde_json, checks each SIMD decoder decodes the same.
fn same<T: DeserializeOwned + PartialEq + Debug>(input: &str) -> T {
    let want: T = SerdeJson.decode(input.as_bytes()).unwrap();
    for d in SIMD {
        assert_eq!(d.decode::<T>(input.as_bytes()).as_ref(), Ok(&want), "{d:?} on {input}");
    }
    want
}

/// What each decoder makes of `input`, for the cases where they disagree.
fn outcomes<T: DeserializeOwned + Debug>(input: &[u8]) -> [(Decoder, Result<T, String>); 3] {
    [SerdeJson, SonicRs, SimdJson].map(|d| (d, d.decode::<T>(input)))
}

fn page_with(record: &str) -> String {
    format!(r#"{{"errors":[],"messages":[],"success":true,"result":[{record}]}}"#)
}

#[test]
fn a_realistic_page_decodes_the_same() {
    for (page, info) in [(1, Some(100)), (7, None)] {
        let page: Page = same(&tests::audit_log_page(page, 1000, info));
        assert_eq!(page.result.unwrap().len(), 1000);
        assert_eq!(page.result_info.is_some(), info.is_some());
    }
}

#[test]
fn unknown_fields_are_kept_alike() {
    let plain = r#"{"errors":[],"messages":[{"code":1,"message":"m","source":{"pointer":"/a"}}],"success":true,
        "result":[{"id":"a","actor":{"id":"b","type":"user"},"when":"2024-01-02T03:04:05Z"}],
        "result_info":{"page":1,"total_pages":1}}"#;
    let extra = r#"{"errors":[],"new_top":{"deep":[1,{"x":null,"y":[[],{}]}],"s":"\u00e9\"}"},
        "messages":[{"code":1,"message":"m","hint":[true,false,null],"source":{"pointer":"/a","line":3}}],
        "success":true,"trace":-1.5e-7,
        "result":[{"id":"a","zzz":-12345678901234567,"actor":{"id":"b","type":"user","roles":["x"]},
                   "when":"2024-01-02T03:04:05Z","tags":{}}],
        "result_info":{"page":1,"total_pages":1,"cursor":"abc"}}"#;
    let mut with_extras: Page = same(extra);
    // Kept, and written back as they came.
    let back = serde_json::to_value(&with_extras).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(extra).unwrap());
    // Without them, the same as a page that never had them.
    with_extras.additional_properties.clear();
    let result = with_extras.result.as_mut().unwrap();
    result[0].additional_properties.clear();
    result[0].actor.as_mut().unwrap().additional_properties.clear();
    let message = &mut with_extras.messages.as_mut().unwrap()[0];
    message.additional_properties.clear();
    message.source.as_mut().unwrap().additional_properties.clear();
    with_extras.result_info.as_mut().unwrap().additional_properties.clear();
    assert_eq!(with_extras, same(plain));
}

#[test]
fn unknown_enum_values_are_kept_alike() {
    for (wire, want) in [
        ("robot", AuditLogActorType::Unknown("robot".into())),
        ("User", AuditLogActorType::Unknown("User".into())),
        ("", AuditLogActorType::Unknown(String::new())),
        ("Cloudflare", AuditLogActorType::Cloudflare),
        ("r\\u00f6bot", AuditLogActorType::Unknown("röbot".into())),
    ] {
        let page: Page = same(&page_with(&format!(r#"{{"actor":{{"type":"{wire}"}}}}"#)));
        assert_eq!(page.result.unwrap()[0].actor.as_ref().unwrap().r#type, Some(want));
    }
}

/// The fixtures' other unions (`unions.yaml`), as the generator emits them.
mod mirror {
    #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    pub enum IntegerOrString {
        Integer(i64),
        String(String),
    }

    #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    pub enum NumberOrBooleanOrString {
        Number(f64),
        Boolean(bool),
        String(String),
    }
}

#[test]
fn unions_decode_alike() {
    use chrono::{NaiveDate, TimeZone};
    let dates: Vec<AuditLogsListSince> =
        same(r#"["2024-01-02","2024-01-02T03:04:05Z","2024-01-02T03:04:05.123+05:30"]"#);
    let ist = chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    assert_eq!(
        dates,
        [
            AuditLogsListSince::Date(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()),
            AuditLogsListSince::DateTime(chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap().fixed_offset()),
            AuditLogsListSince::DateTime(
                ist.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap() + chrono::Duration::milliseconds(123)
            ),
        ]
    );
    use mirror::{IntegerOrString as I, NumberOrBooleanOrString as N};
    let ids: Vec<I> = same(r#"[81057,"81057",9007199254740993,"x",-1]"#);
    assert_eq!(
        ids,
        [
            I::Integer(81057),
            I::String("81057".into()),
            I::Integer(9007199254740993),
            I::String("x".into()),
            I::Integer(-1)
        ]
    );
    let values: Vec<N> = same(r#"[1.5,2,true,"s",-0.0]"#);
    assert_eq!(values, [N::Number(1.5), N::Number(2.0), N::Boolean(true), N::String("s".into()), N::Number(-0.0)]);
    for bad in [r#"["yesterday"]"#, r#"[20240102]"#] {
        for (d, got) in outcomes::<Vec<AuditLogsListSince>>(bad.as_bytes()) {
            assert!(got.is_err(), "{d:?} on {bad}: {got:?}");
        }
    }
    for (d, got) in outcomes::<Vec<I>>(b"[1.5]") {
        assert!(got.is_err(), "{d:?}: {got:?}");
    }
}

#[test]
fn lists_that_come_as_something_else_read_as_absent_alike() {
    for other in [r#"{}"#, r#"{"code":1}"#, r#""none""#, "null", "0", "false", "[]"] {
        let page: Page =
            same(&format!(r#"{{"errors":{other},"messages":{other},"result":{other},"success":false}}"#));
        let want = (other == "[]").then_some(0);
        assert_eq!(page.errors.map(|l| l.len()), want, "{other}");
        assert_eq!(page.messages.map(|l| l.len()), want, "{other}");
        assert_eq!(page.result.map(|l| l.len()), want, "{other}");
    }
}

#[test]
fn integers_within_64_bits_and_plain_floats_decode_alike() {
    let page: Page = same(
        r#"{"success":true,"result":[{"metadata":{"max":18446744073709551615,"min":-9223372036854775808,
            "big":9007199254740993,"f":0.1,"huge":1.7976931348623157e308,"tiny":5e-324,"e":1E+2,
            "pi":3.141592653589793,"k":0.30000000000000004,"neg":-2.5e-3}}],
          "messages":[{"code":9007199254740993,"message":"a"},{"code":81057,"message":"b"},
                      {"code":-9223372036854775808,"message":"c"}],
          "result_info":{"total_count":9007199254740993,"per_page":1e2,"page":0.30000000000000004}}"#,
    );
    let codes: Vec<i64> = page.messages.unwrap().iter().map(|m| m.code).collect();
    assert_eq!(codes, [9007199254740993, 81057, i64::MIN]);
    let info = page.result_info.unwrap();
    assert_eq!(info.total_count, Some(9007199254740992.0));
    assert_eq!(info.page, Some(0.30000000000000004));
    let metadata = page.result.unwrap()[0].metadata.clone().unwrap();
    assert_eq!(metadata["max"], serde_json::json!(u64::MAX));
    assert_eq!(metadata["big"], serde_json::json!(9007199254740993u64));
    assert_eq!(metadata["tiny"], serde_json::json!(5e-324));
    for not_i64 in ["9223372036854775808", "1e3", "1.0", "\"1\""] {
        let input = format!(r#"{{"messages":[{{"code":{not_i64},"message":"m"}}]}}"#);
        for (d, got) in outcomes::<Page>(input.as_bytes()) {
            assert!(got.is_err(), "{d:?} on {not_i64}: {got:?}");
        }
    }
}

#[test]
fn an_integer_beyond_64_bits_fails_the_whole_reply_with_simd_json_only() {
    // In `metadata` (free-form: `serde_json::Value`) serde_json keeps it as
    // a float; in a field the types do not have, it skips it.
    for input in [
        page_with(r#"{"metadata":{"beyond":18446744073709551616,"below":-9223372036854775809}}"#),
        page_with(r#"{"id":"a","not_in_the_spec":123456789012345678901234567890}"#),
    ] {
        let want: Page = SerdeJson.decode(input.as_bytes()).unwrap();
        assert_eq!(SonicRs.decode::<Page>(input.as_bytes()), Ok(want), "{input}");
        let simd = SimdJson.decode::<Page>(input.as_bytes()).unwrap_err();
        assert!(simd.starts_with("InvalidNumber"), "{simd}");
    }
    let page: Page = SerdeJson.decode(page_with(r#"{"metadata":{"beyond":18446744073709551616}}"#).as_bytes()).unwrap();
    assert_eq!(page.result.unwrap()[0].metadata.as_ref().unwrap()["beyond"], 18446744073709551616.0);
}

#[test]
fn floats_where_the_decoders_differ() {
    const PI: f64 = std::f64::consts::PI;
    // serde_json's default parser (the generated crates') is one unit off
    // on edge cases; its `float_roundtrip` feature, which a dependency of
    // these tests turns on for the whole build (feature unification), is
    // exact. Both are pinned: which one is built is read off a known case.
    let roundtrip = serde_json::from_str::<f64>("1.00000000000000011102230246251565404236316680908203125").unwrap() == 1.0;
    let (edge, half) = if roundtrip { (2.225073858507201e-308, 1.0) } else { (2.2250738585072014e-308, 1.0000000000000002) };
    // (input, serde_json, sonic-rs, simd-json), compared bit for bit.
    let padded = format!("{}3.14159265358979323846", " ".repeat(54));
    let cases: [(&str, [f64; 3]); 5] = [
        // The exact value is just below the midpoint between the largest
        // subnormal and the smallest normal: rounds down.
        ("2.2250738585072011e-308", [edge, 2.225073858507201e-308, 2.225073858507201e-308]),
        // Exactly halfway between 1 and the next float: ties to even, 1.
        ("1.00000000000000011102230246251565404236316680908203125", [half, 1.0, 1.0]),
        // More than 19 significant digits: simd-json gets it right at the
        // start of the document, wrong 55 bytes into it (and at other
        // positions: the value depends on where the number lies).
        ("3.14159265358979323846", [PI, PI, PI]),
        (&padded, [PI, PI, 0.005646161059169464]),
        ("-0.0", [-0.0, 0.0, -0.0]),
    ];
    let mut differ = Vec::new();
    for (input, want) in cases {
        let input = format!("[{input}]");
        let got = [SerdeJson, SonicRs, SimdJson].map(|d| d.decode::<Vec<f64>>(input.as_bytes()).unwrap()[0]);
        if got.map(f64::to_bits) != want.map(f64::to_bits) {
            differ.push(format!("{input}: {got:?}"));
        }
    }
    assert_eq!(differ, Vec::<String>::new());
}

#[test]
fn escaped_strings_decode_alike() {
    let page: Page = same(&page_with(
        r#"{"id":"\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r","actor":{"email":"é😀\u0000x"},
            "metadata":{"k\u0065y":"v","\u00e9":"\\u00e9"}}"#,
    ));
    let log = &page.result.unwrap()[0];
    assert_eq!(log.id.as_deref(), Some("é😀\n\t\"\\/\u{8}\u{c}\r"));
    assert_eq!(log.actor.as_ref().unwrap().email.as_deref(), Some("é😀\0x"));
    let metadata = log.metadata.as_ref().unwrap();
    assert_eq!(metadata["key"], "v");
    assert_eq!(metadata["é"], "\\u00e9");
}

/// Inputs no decoder may accept: what serde_json rejects, and what
/// `Error::Decode` reports for it.
const INVALID: &[(&str, &[u8])] = &[
    ("wrong type deep inside", br#"{"result":[{},{},{"actor":{"type":5}}]}"#),
    ("missing required field", br#"{"errors":[{"code":1}]}"#),
    ("bad timestamp", br#"{"result":[{"when":"yesterday"}]}"#),
    ("truncated", br#"{"result":[{"id":"a"},{"id":"#),
    ("trailing garbage", br#"{"success":true} x"#),
    ("bad literal", br#"{"success":tru}"#),
    ("lone surrogate", br#"{"result":[{"id":"\ud800"}]}"#),
    ("lone trailing surrogate", br#"{"result":[{"id":"a\udc00b"}]}"#),
    ("raw control character", b"{\"result\":[{\"id\":\"a\x01b\"}]}"),
    ("invalid UTF-8", b"{\"result\":[{\"id\":\"a\xff\"}]}"),
    ("leading zero", br#"{"result_info":{"page":01}}"#),
    ("trailing comma", br#"{"result":[{"id":"a"},]}"#),
];

#[test]
fn what_serde_json_rejects_sonic_rs_rejects_and_simd_json_mostly() {
    let mut accepted = Vec::new();
    for (what, input) in INVALID {
        for (d, got) in outcomes::<Page>(input) {
            if d == SerdeJson {
                assert!(got.is_err(), "serde_json accepts {what}");
            } else if let Ok(page) = got {
                let id = page.result.unwrap()[0].id.clone().unwrap();
                accepted.push(format!("{d:?} accepts {what}: {id:?}"));
            }
        }
    }
    assert_eq!(accepted, ["SimdJson accepts lone surrogate: \"\\0\""]);
}

/// The path `serde_path_to_error` names over each decoder: what
/// `Error::Decode` would say if the runtime tracked the path with it rather
/// than re-running serde_json (as it does today, which keeps serde_json's
/// path whatever decoded first, as long as serde_json fails too). `None`:
/// it decodes (a path pass does not check for trailing characters);
/// `Some("")`: it fails with no path.
#[test]
fn error_paths_for_error_decode() {
    let expected: [[Option<&str>; 3]; 12] = [
        // (serde_json, sonic-rs, simd-json); simd-json parses the whole
        // document before serde sees it, so syntax errors have no path.
        [Some("result[2].actor.type"); 3],
        [Some("errors[0]"); 3],
        [Some("result[0].when"); 3],
        [Some("result[1].id"), Some("result[1].id"), Some("")],
        [None, None, Some("")],
        [Some("success"), Some("success"), Some("")],
        [Some("result[0].id"), Some("result[0].id"), None],
        [Some("result[0].id"), Some("result[0].id"), Some("")],
        [Some("result[0].id"), Some("result[0].id"), Some("")],
        [Some("result[0].id"), Some("result[0].id"), Some("")],
        [Some("result_info.page"), Some("result_info.?"), Some("")],
        [Some("result"), Some("result[1]"), Some("")],
    ];
    assert_eq!(INVALID.len(), expected.len());
    for ((what, input), want) in INVALID.iter().zip(expected) {
        let got = [SerdeJson, SonicRs, SimdJson].map(|d| d.error_path::<Page>(input));
        assert_eq!(got.each_ref().map(Option::as_deref), want, "{what}");
    }
}
