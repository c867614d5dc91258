//! The source map: where each moved node of the bundled document came from
//! (a hoisted component, an inlined operation), so that a diagnostic found
//! later at `#/components/schemas/droplet/properties/size` is reported at
//! `resources/droplets/models/droplet.yml#/properties/size`.
//!
//! It only translates pointers; it must not decide anything about them.

use crate::diagnostics::Diagnostics;
use std::collections::HashMap;

/// Bundled pointer of a moved node → (file, `None` for the root; pointer there).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    entries: HashMap<String, (Option<String>, String)>,
}

impl SourceMap {
    pub(crate) fn insert(&mut self, bundled: &str, file: Option<String>, pointer: &str) {
        self.entries.insert(bundled.to_owned(), (file, pointer.to_owned()));
    }

    /// Where the node at `pointer` (in the bundled document) was written:
    /// the nearest moved ancestor's origin plus the rest of the path, or
    /// `None` when it stands where the root document put it.
    pub fn locate(&self, pointer: &str) -> Option<(Option<&str>, String)> {
        let mut prefix = pointer;
        loop {
            if let Some((file, origin)) = self.entries.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Some((file.as_deref(), format!("{origin}{rest}")));
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }

    /// Relocates every diagnostic that has no file yet.
    pub(crate) fn apply(&self, diagnostics: &mut Diagnostics) {
        if self.entries.is_empty() {
            return;
        }
        for d in diagnostics.0.iter_mut().filter(|d| d.file.is_none()) {
            if let Some((file, pointer)) = self.locate(&d.pointer) {
                d.file = file.map(str::to_owned);
                d.pointer = pointer;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_moved_ancestor_wins() {
        let mut map = SourceMap::default();
        map.insert("#/components/schemas/droplet", Some("models/droplet.yml".into()), "#");
        map.insert("#/paths/~1a/get", Some("a.yml".into()), "#");
        map.insert("#/paths/~1a/get/description", Some("d.yml".into()), "#/intro");
        map.insert("#/components/schemas/Tag_allOf_0", None, "#/components/schemas/Tag/allOf/0");
        assert_eq!(
            map.locate("#/components/schemas/droplet/properties/size"),
            Some((Some("models/droplet.yml"), "#/properties/size".into()))
        );
        assert_eq!(map.locate("#/paths/~1a/get/description"), Some((Some("d.yml"), "#/intro".into())));
        assert_eq!(map.locate("#/paths/~1a/get/responses"), Some((Some("a.yml"), "#/responses".into())));
        assert_eq!(
            map.locate("#/components/schemas/Tag_allOf_0/type"),
            Some((None, "#/components/schemas/Tag/allOf/0/type".into()))
        );
        assert_eq!(map.locate("#/components/schemas/dropletX"), None);
        assert_eq!(map.locate("#/info"), None);
    }
}
