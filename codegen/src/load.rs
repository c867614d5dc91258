//! Loading: a description (one text, or a root file and the files its
//! `$ref`s reach) into the one `openapiv3` document `lower` reads.
//!
//! [`load_sources`] runs the stages in order:
//!
//! 1. bundle every file into one self-contained document in which each
//!    `$ref` is `#/components/<section>/<name>` (hoisting or inlining what
//!    other files, or the middle of other definitions, hold);
//! 2. apply the overlays to that document, as the spec's authors wrote it
//!    (so an overlay written for a 3.1 spec uses 3.1 keywords, and can reach
//!    what any file defined);
//! 3. rewrite an OpenAPI 3.1 or 3.2 document into the 3.0 shape (3.2's
//!    additions first, `upgrade32`, then the schemas, `upgrade`);
//! 4. deserialize into `openapiv3` (3.0 only). A failure becomes a
//!    diagnostic at the JSON pointer of the node that did not fit;
//! 5. restore the defaults the model loses (`defaults`: an `encoding`
//!    object's absent `explode`).
//!
//! Nothing here reads files: the caller fills [`Sources`].

mod bundle;
mod defaults;
mod map;
mod mock_doc;
mod sources;
mod upgrade;
mod upgrade32;
mod walk;
mod yaml;

pub use map::SourceMap;
pub use mock_doc::{ExampleSite, mock_document};
pub use sources::Sources;
pub(crate) use upgrade::MUTUAL_TLS;

use crate::diagnostics::{Diagnostics, Kind};
use crate::overlay::{self, Overlay};
use openapiv3::OpenAPI;

/// A loaded description.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The bundled (and, for 3.1, rewritten) document.
    pub spec: OpenAPI,
    /// What loading had to say: `$ref`s that could not be followed (errors),
    /// 3.1 constructs dropped (warnings). Located by file and pointer.
    pub diagnostics: Diagnostics,
    /// Pointers of `spec` back to the files they came from.
    pub source_map: SourceMap,
}

/// Bundles `sources`, applies `overlays`, rewrites 3.1 and 3.2 into the
/// 3.0 shape and reads the result as `openapiv3`.
///
/// Fails when the root is not JSON/YAML, an overlay action fails, or the
/// result is not an OpenAPI 3.0, 3.1 or 3.2 document; a `$ref` that cannot be
/// followed is an error in [`Loaded::diagnostics`] (and `lower` reports
/// what could not be generated without it).
pub fn load_sources(sources: &Sources, overlays: &[Overlay]) -> Result<Loaded, Diagnostics> {
    if !sources.root_parses() {
        // Parsing straight into `openapiv3` locates the failure best.
        let text = sources.root_text();
        let err = if overlays.is_empty() { parse(text).err() } else { None };
        return Err(err.or_else(|| parse_value(text).err()).unwrap_or_default());
    }
    let bundled = bundle::bundle(sources);
    let mut diagnostics = bundled.diagnostics;
    let upgraded = upgrade::is_31(&bundled.doc) || upgrade32::is_32(&bundled.doc);
    // When the document is the root text as written (a single 3.0 file),
    // reading the text straight into `openapiv3` gives the same document in
    // about two thirds of the time, and its errors carry line and column.
    let read = if !bundled.changed && !upgraded && overlays.is_empty() {
        let missing = defaults::missing_explode(&bundled.doc);
        parse(sources.root_text()).map(|mut spec| {
            defaults::apply(&mut spec, &missing);
            spec
        })
    } else {
        let mut doc = bundled.doc.into_owned();
        if !overlays.is_empty() {
            if let Err(mut e) = overlay::apply(&mut doc, overlays) {
                e.0.extend(diagnostics.0);
                return Err(e.finish());
            }
        }
        if upgrade::is_31(&doc) || upgrade32::is_32(&doc) {
            let mut notes = Diagnostics::default();
            let v32 = upgrade32::is_32(&doc);
            if v32 {
                upgrade32::before(&mut doc, &mut notes);
            }
            upgrade::upgrade(&mut doc, &mut notes);
            if v32 {
                upgrade32::after(&mut doc);
            }
            bundled.source_map.apply(&mut notes);
            diagnostics.0.extend(notes.0);
        }
        let missing = defaults::missing_explode(&doc);
        from_value(doc).map(|mut spec| {
            defaults::apply(&mut spec, &missing);
            spec
        })
    };
    match read {
        Ok(spec) => Ok(Loaded { spec, diagnostics: diagnostics.finish(), source_map: bundled.source_map }),
        Err(mut e) => {
            bundled.source_map.apply(&mut e);
            e.0.extend(diagnostics.0);
            Err(e.finish())
        }
    }
}

/// Parses one OpenAPI 3.0 text, JSON (when it starts with `{`) or YAML,
/// straight into `openapiv3` (no `$ref` is followed; 3.1 is refused).
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

/// Parses JSON or YAML into a JSON value.
pub fn parse_value(text: &str) -> Result<serde_json::Value, Diagnostics> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let result = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).map_err(|e| e.to_string())
    } else {
        yaml::from_str(trimmed)
    };
    result.map_err(|msg| {
        let mut d = Diagnostics::default();
        d.error(Kind::Parse, "#", msg);
        d
    })
}

/// Reads an OpenAPI 3.0 document out of a JSON value (3.1 is refused: see
/// [`load_sources`]).
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
            format!("OpenAPI version `{}` is not supported; only 3.0.x, 3.1.x and 3.2.x are", spec.openapi),
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
