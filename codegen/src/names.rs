//! The one naming chokepoint: every Rust identifier the generator emits is
//! made here (and only this module uses `heck`).
//!
//! Wire names are arbitrary strings (`actor.email`, `newValue`, `""`, `<=`);
//! Rust names must be valid, idiomatic and unique in their scope. Uniqueness is
//! handled by [`Scope`], which hands out `name`, `name_2`, `name_3`, ... in
//! the order names are requested, so callers that request in a stable order
//! get stable names.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be identifiers as they are (Rust 2024 strict and
/// reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow prelude or runtime names used by generated code.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Default", "Self",
    "Error", "Client", "ClientBuilder", "Credentials", "ApiError", "DecodeError", "BuildError",
];

/// Replaces characters heck would silently drop with words, so that values
/// like `<=` or `*` still get distinct, readable names.
fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let word = match c {
            '*' => " star ",
            '+' => " plus ",
            '<' => " lt ",
            '>' => " gt ",
            '=' => " eq ",
            '!' => " not ",
            '@' => " at ",
            '%' => " percent ",
            '&' => " and ",
            '#' => " hash ",
            '$' => " dollar ",
            '?' => " question ",
            '/' => " slash ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(word);
    }
    out
}

fn ascii_only(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { ' ' })
        .collect()
}

/// `snake_case` identifier (fields, methods, modules, parameters).
/// Not made unique; use [`Scope`] for that.
pub fn snake(raw: &str) -> String {
    let mut s = ascii_only(&spell_symbols(raw)).to_snake_case();
    if s.is_empty() {
        s = "value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// `UpperCamelCase` identifier (types, variants). Not made unique.
pub fn camel(raw: &str) -> String {
    let mut s = ascii_only(&spell_symbols(raw)).to_upper_camel_case();
    if s.is_empty() {
        s = if raw.is_empty() { "Empty".to_owned() } else { "Value".to_owned() };
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// `SCREAMING_SNAKE_CASE` (environment variables).
pub fn screaming(raw: &str) -> String {
    snake(raw).trim_start_matches('_').to_ascii_uppercase()
}

/// Crate names: kebab-case.
pub fn kebab(raw: &str) -> String {
    snake(raw).trim_start_matches('_').replace('_', "-")
}

/// Spelling of an identifier in source: keywords become raw identifiers
/// (`r#type`), or get a trailing underscore where raw is not allowed.
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A namespace in which every name handed out is unique.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope for type names, with the runtime's names already taken.
    pub fn for_types() -> Self {
        let mut scope = Self::default();
        for name in RESERVED_TYPES {
            scope.reserve(name);
        }
        scope
    }

    /// Marks a name as used without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Returns `base`, or `base` with the first free numeric suffix.
    pub fn unique(&mut self, base: &str) -> String {
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) || base.contains('_') || base.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut candidate = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{sep}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        let table = [
            ("actor.email", "actor_email"),
            ("newValue", "new_value"),
            ("per_page", "per_page"),
            ("X-Auth-Email", "x_auth_email"),
            ("1st", "_1st"),
            ("", "value"),
            ("<=", "lt_eq"),
            ("type", "type"),
            ("Content-Type", "content_type"),
            ("ü", "value"),
        ];
        for (raw, want) in table {
            assert_eq!(snake(raw), want, "snake({raw:?})");
        }
    }

    #[test]
    fn camel_names() {
        let table = [
            ("aaa_audit-logs", "AaaAuditLogs"),
            ("user", "User"),
            ("Cloudflare", "Cloudflare"),
            ("", "Empty"),
            ("*", "Star"),
            ("<=", "LtEq"),
            ("2xx", "V2xx"),
            ("date-time", "DateTime"),
            ("with spaces here", "WithSpacesHere"),
            ("???", "QuestionQuestionQuestion"),
            ("ü", "Value"),
        ];
        for (raw, want) in table {
            assert_eq!(camel(raw), want, "camel({raw:?})");
        }
    }

    #[test]
    fn keywords_become_valid_identifiers() {
        let table = [
            ("type", "r#type"),
            ("gen", "r#gen"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "Self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("id", "id"),
        ];
        for (raw, want) in table {
            assert_eq!(ident_text(raw), want, "ident_text({raw:?})");
            assert!(syn::parse_str::<syn::Ident>(&ident_text(raw)).is_ok(), "{raw}");
        }
    }

    #[test]
    fn scope_suffixes_collisions_in_request_order() {
        let mut s = Scope::default();
        assert_eq!(s.unique("actor_email"), "actor_email");
        assert_eq!(s.unique("actor_email"), "actor_email_2");
        assert_eq!(s.unique("actor_email"), "actor_email_3");
        let mut t = Scope::for_types();
        assert_eq!(t.unique("Error"), "Error2");
        assert_eq!(t.unique("StreamLiveInput"), "StreamLiveInput");
        assert_eq!(t.unique("StreamLiveInput"), "StreamLiveInput2");
        assert_eq!(t.unique("V2"), "V2");
        assert_eq!(t.unique("V2"), "V2_2");
    }

    #[test]
    fn env_and_crate_names() {
        assert_eq!(screaming("api_email"), "API_EMAIL");
        assert_eq!(kebab("Cloudflare API"), "cloudflare-api");
    }
}
