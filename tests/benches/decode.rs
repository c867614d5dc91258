//! Decoding one realistic page of 1,000 audit-log records into the
//! generated models, against a minimal hand-written serde struct for the
//! same JSON (the floor) and against `serde_json::Value`; and the same
//! generated models decoded by two SIMD JSON decoders through their serde
//! APIs (sonic-rs takes its SIMD path only when built with AVX2 and
//! PCLMULQDQ enabled, e.g. `RUSTFLAGS="-C target-cpu=native"`; simd-json
//! picks its kernel at run time).

use std::sync::LazyLock;

static PAGE: LazyLock<Vec<u8>> = LazyLock::new(|| tests::audit_log_page(1, 1000, Some(100)).into_bytes());

#[allow(dead_code)]
mod floor {
    //! What one would write by hand for this JSON.
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Page {
        pub errors: Vec<Message>,
        pub messages: Vec<Message>,
        pub result: Vec<Log>,
        pub success: bool,
    }

    #[derive(Deserialize)]
    pub struct Message {
        pub code: i64,
        pub message: String,
    }

    #[derive(Deserialize)]
    pub struct Log {
        pub id: Option<String>,
        pub action: Option<Action>,
        pub actor: Option<Actor>,
        pub interface: Option<String>,
        pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
        #[serde(rename = "newValue")]
        pub new_value: Option<String>,
        #[serde(rename = "oldValue")]
        pub old_value: Option<String>,
        pub owner: Option<Id>,
        pub resource: Option<Resource>,
        pub when: Option<chrono::DateTime<chrono::FixedOffset>>,
    }

    #[derive(Deserialize)]
    pub struct Action {
        pub result: Option<bool>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Actor {
        pub id: Option<String>,
        pub email: Option<String>,
        pub ip: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Id {
        pub id: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Resource {
        pub id: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
    }
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 100)]
fn hand_written_floor() -> usize {
    serde_json::from_slice::<floor::Page>(&PAGE).unwrap().result.len()
}

#[divan::bench(sample_count = 100)]
fn generated_models() -> usize {
    serde_json::from_slice::<cloudflare_api::AuditLogsResponse>(&PAGE).unwrap().result.unwrap().len()
}

#[divan::bench(sample_count = 100)]
fn generated_client_decode() -> usize {
    // What the client runs on a reply (a second, path-tracking pass happens
    // only when decoding fails).
    let page: cloudflare_api::AuditLogsResponse =
        cloudflare_api::runtime::decode_bytes(cloudflare_api::runtime::StatusCode::OK, None, &PAGE).unwrap();
    page.result.unwrap().len()
}

#[divan::bench(sample_count = 100)]
fn serde_json_value() -> usize {
    serde_json::from_slice::<serde_json::Value>(&PAGE).unwrap()["result"].as_array().unwrap().len()
}

#[divan::bench(sample_count = 100)]
fn generated_models_sonic_rs() -> usize {
    sonic_rs::from_slice::<cloudflare_api::AuditLogsResponse>(&PAGE).unwrap().result.unwrap().len()
}

#[divan::bench(sample_count = 100)]
fn generated_models_simd_json() -> usize {
    // simd-json parses in place: the copy of the body is part of its cost.
    let mut body = PAGE.clone();
    simd_json::serde::from_slice::<cloudflare_api::AuditLogsResponse>(&mut body)
        .unwrap()
        .result
        .unwrap()
        .len()
}

/// Reading the JSON without building anything: what a faster parser can
/// save at most; the rest of a decode is building the values (strings,
/// timestamps, maps).
#[divan::bench(sample_count = 100)]
fn scan_only_serde_json() {
    serde_json::from_slice::<serde::de::IgnoredAny>(&PAGE).unwrap();
}

#[divan::bench(sample_count = 100)]
fn scan_only_sonic_rs() {
    sonic_rs::from_slice::<serde::de::IgnoredAny>(&PAGE).unwrap();
}
