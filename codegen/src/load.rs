//! Loading: spec text (JSON or YAML) into an `openapiv3` document. A parse
//! failure becomes a diagnostic located at the JSON pointer of the node that
//! did not fit.

use crate::diagnostics::{Diagnostics, Kind};
use openapiv3::OpenAPI;

/// Parses JSON (when the text starts with `{`) or YAML.
pub fn parse(text: &str) -> Result<OpenAPI, Diagnostics> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let result: Result<OpenAPI, (String, String)> = if trimmed.starts_with('{') {
        let de = &mut serde_json::Deserializer::from_str(trimmed);
        serde_path_to_error::deserialize(de).map_err(|e| (path_to_pointer(e.path()), e.into_inner().to_string()))
    } else {
        let de = serde_yaml::Deserializer::from_str(trimmed);
        serde_path_to_error::deserialize(de).map_err(|e| (path_to_pointer(e.path()), e.into_inner().to_string()))
    };
    let spec = result.map_err(|(ptr, msg)| {
        let mut d = Diagnostics::default();
        d.error(Kind::Parse, ptr, msg);
        d
    })?;
    check_version(spec)
}

/// Parses JSON or YAML into a JSON value (for overlays).
pub fn parse_value(text: &str) -> Result<serde_json::Value, Diagnostics> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let result = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(trimmed).map_err(|e| e.to_string())
    };
    result.map_err(|msg| {
        let mut d = Diagnostics::default();
        d.error(Kind::Parse, "#", msg);
        d
    })
}

/// Reads an OpenAPI document out of a JSON value.
pub fn from_value(value: serde_json::Value) -> Result<OpenAPI, Diagnostics> {
    let spec: OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let mut d = Diagnostics::default();
        d.error(Kind::Parse, path_to_pointer(e.path()), e.into_inner().to_string());
        d
    })?;
    check_version(spec)
}

fn check_version(spec: OpenAPI) -> Result<OpenAPI, Diagnostics> {
    if !spec.openapi.starts_with("3.0") {
        let mut d = Diagnostics::default();
        d.error(
            Kind::Parse,
            "#/openapi",
            format!("OpenAPI version `{}` is not supported; only 3.0.x is", spec.openapi),
        );
        return Err(d);
    }
    Ok(spec)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for seg in path.iter() {
        let token = match seg {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out = crate::diagnostics::pointer(&out, &token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_carries_pointer() {
        let text = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":5}}}}}}"#;
        let err = parse(text).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].kind, Kind::Parse);
        // openapiv3 buffers `paths` (flattened extensions), so the pointer
        // stops there; the message carries the exact line and column.
        assert!(err.0[0].pointer.starts_with("#/paths"), "{}", err.0[0].pointer);
        assert!(err.0[0].message.contains("line 1 column"), "{}", err.0[0].message);
    }

    #[test]
    fn rejects_openapi_31() {
        let err = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.0[0].pointer, "#/openapi");
    }
}
