//! Whether a type wrote back the JSON it read: the same JSON, where a
//! date-time may be written in another form of the same instant and offset
//! (`Z` as `+00:00`). Shared by the round-trip test and the programs it
//! builds into generated crates.

use serde_json::Value;

/// Whether `back` (what a type wrote) is `sent` (what it read): the same
/// JSON, where a date-time may be written in another form of the same
/// instant and offset (`Z` as `+00:00`).
pub fn same_json(sent: &Value, back: &Value) -> bool {
    match (sent, back) {
        (Value::String(a), Value::String(b)) if a != b => {
            match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
                (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
                _ => false,
            }
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => sent == back,
    }
}
