//! OpenAPI Overlay 1.0: maintainers keep the upstream spec untouched and
//! layer corrections on top (`actions` with an RFC 9535 JSONPath `target`,
//! and `update` or `remove`). Applied to the spec as JSON before loading.

use crate::diagnostics::{Diagnostics, Kind, pointer};
use serde_json::Value;

/// One overlay document, by name (for diagnostics) and text (JSON or YAML).
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where it came from, e.g. `spec/audit-logs.overlay.yaml`.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Applies `overlays` in order. Every action whose target is invalid or
/// matches nothing is an error naming the overlay and the action.
pub fn apply(spec: &mut Value, overlays: &[Overlay]) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    for overlay in overlays {
        let doc: Value = match serde_yaml::from_str(&overlay.text) {
            Ok(v) => v,
            Err(e) => {
                diags.error(Kind::Overlay, format!("{}#", overlay.name), format!("not an overlay document: {e}"));
                continue;
            }
        };
        if !doc.get("overlay").and_then(Value::as_str).is_some_and(|v| v.starts_with("1.")) {
            diags.error(Kind::Overlay, format!("{}#/overlay", overlay.name), "expected `overlay: 1.0.0`");
            continue;
        }
        let Some(actions) = doc.get("actions").and_then(Value::as_array) else {
            diags.error(Kind::Overlay, format!("{}#/actions", overlay.name), "no `actions` list");
            continue;
        };
        for (i, action) in actions.iter().enumerate() {
            let at = pointer(&format!("{}#/actions", overlay.name), &i.to_string());
            let Some(target) = action.get("target").and_then(Value::as_str) else {
                diags.error(Kind::Overlay, &at, "action has no `target`");
                continue;
            };
            let path = match serde_json_path::JsonPath::parse(target) {
                Ok(p) => p,
                Err(e) => {
                    diags.error(Kind::Overlay, pointer(&at, "target"), format!("invalid JSONPath `{target}`: {e}"));
                    continue;
                }
            };
            let mut found: Vec<String> =
                path.query_located(spec).iter().map(|n| n.location().to_json_pointer()).collect();
            if found.is_empty() {
                diags.error(Kind::Overlay, pointer(&at, "target"), format!("`{target}` matches nothing in the spec"));
                continue;
            }
            if action.get("remove").and_then(Value::as_bool) == Some(true) {
                // Later array elements first, so earlier indexes stay valid.
                found.sort_by(|a, b| b.cmp(a));
                for p in found {
                    remove(spec, &p);
                }
            } else if let Some(update) = action.get("update") {
                for p in found {
                    if let Some(node) = spec.pointer_mut(&p) {
                        merge(node, update);
                    }
                }
            } else {
                diags.error(Kind::Overlay, &at, "action has neither `update` nor `remove: true`");
            }
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(()) }
}

/// Overlay merge: objects merge key by key, arrays get the update appended
/// (or its items, when it is an array), anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(upd)) => {
            for (k, v) in upd {
                match target.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), other) => items.push(other.clone()),
        (node, other) => *node = other.clone(),
    }
}

fn remove(spec: &mut Value, ptr: &str) {
    let Some((parent, last)) = ptr.rsplit_once('/') else { return };
    let key = last.replace("~1", "/").replace("~0", "~");
    match spec.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Vec<Overlay> {
        vec![Overlay { name: "test.overlay.yaml".into(), text: text.into() }]
    }

    #[test]
    fn update_merges_and_remove_deletes() {
        let mut spec = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "keep", "in": "query"}, {"name": "drop", "in": "query"}, {"name": "export", "in": "query"}
        ]}}}});
        let text = r#"
overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: "$.paths['/a'].get.parameters[?@.name == 'export']"
    update: {x-sdk-selects-media-type: text/csv}
  - target: "$.paths['/a'].get.parameters[?@.name == 'drop']"
    remove: true
  - target: "$.paths['/a'].get"
    update: {summary: Added}
"#;
        apply(&mut spec, &overlay(text)).unwrap();
        assert_eq!(
            spec,
            json!({"paths": {"/a": {"get": {"summary": "Added", "parameters": [
                {"name": "keep", "in": "query"},
                {"name": "export", "in": "query", "x-sdk-selects-media-type": "text/csv"}
            ]}}}})
        );
    }

    #[test]
    fn a_target_matching_nothing_is_named() {
        let mut spec = json!({"paths": {}});
        let text = "overlay: 1.0.0\nactions:\n  - target: $.paths['/nope']\n    update: {x: 1}\n  - target: '$[?'\n    remove: true\n";
        let err = apply(&mut spec, &overlay(text)).unwrap_err();
        assert_eq!(err.0.len(), 2);
        assert_eq!(err.0[0].pointer, "test.overlay.yaml#/actions/0/target");
        assert!(err.0[0].message.contains("matches nothing"), "{}", err.0[0].message);
        assert_eq!(err.0[1].pointer, "test.overlay.yaml#/actions/1/target");
        assert!(err.0[1].message.contains("invalid JSONPath"), "{}", err.0[1].message);
    }
}
