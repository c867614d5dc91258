//! The one naming chokepoint: every Rust identifier the generator emits is
//! made here (and only this module uses `heck`).
//!
//! Wire names are arbitrary strings (`actor.email`, `newValue`, `""`, `<=`);
//! Rust names must be valid, idiomatic and unique in their scope. Uniqueness is
//! handled by [`Scope`], which hands out `name`, then the caller's fallbacks,
//! then `name_2`, `name_3`, ... in the order names are requested, so callers
//! that request in a stable order get stable names; each name remembers who
//! holds it, so a clash can name both parties.
//!
//! The names of the API surface (groups and methods, from tags, operation
//! ids, HTTP methods and paths) follow rules of their own, in
//! [`operations`](self::operations).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

mod namespaces;
mod operations;

pub use namespaces::{schema_type_names, shared_tag_words};
pub use operations::{explicit_method, group_from_path, group_name, method_from_id, method_from_route, tag_group_name};

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


// Names generated code already uses where a spec name would sit beside
// them, each with who holds it (for clash reports). They mirror what
// `emit` writes; a name added there that can meet a spec name belongs here.

/// Beside the group accessors: the methods of `Client` (the runtime's and
/// the generated `client.rs`'s, and the trait methods a call would pick
/// instead of `Clone`'s), and the cargo features every crate has (each
/// group is a feature of its name).
pub const CLIENT_RESERVED: &[(&str, &str)] = &[
    ("base_url", "the runtime's `Client::base_url`"),
    ("builder", "`Client::builder`"),
    ("from_env", "`Client::from_env`"),
    ("request", "`Client::request`"),
    ("clone", "`Clone::clone`"),
    ("clone_from", "`Clone::clone_from`"),
    ("clone_into", "`ToOwned::clone_into`"),
    ("to_owned", "`ToOwned::to_owned`"),
    ("fmt", "`Debug::fmt`"),
    ("default", "the cargo feature `default`"),
    ("full", "the cargo feature `full`"),
    ("raw", "the cargo feature `raw`"),
];

/// Beside the operations' methods on a group's handle.
pub const HANDLE_RESERVED: &[(&str, &str)] = &[
    ("with_options", "the handle's `with_options`"),
    ("clone", "`Clone::clone`"),
    ("clone_from", "`Clone::clone_from`"),
    ("clone_into", "`ToOwned::clone_into`"),
    ("to_owned", "`ToOwned::to_owned`"),
    ("fmt", "`Debug::fmt`"),
];

/// Beside the credential setters on `ClientBuilder`: the runtime's builder
/// methods and the generated `new` and `credentials`.
pub const BUILDER_RESERVED: &[(&str, &str)] = &[
    ("new", "`ClientBuilder::new`"),
    ("credentials", "`ClientBuilder::credentials`"),
    ("credential", "the runtime's `ClientBuilder::credential`"),
    ("for_api", "the runtime's `ClientBuilder::for_api`"),
    ("base_url", "the runtime's `ClientBuilder::base_url`"),
    ("timeout", "the runtime's `ClientBuilder::timeout`"),
    ("retry_policy", "the runtime's `ClientBuilder::retry_policy`"),
    ("max_retries", "the runtime's `ClientBuilder::max_retries`"),
    ("http_client", "the runtime's `ClientBuilder::http_client`"),
    ("add_root_certificate", "the runtime's `ClientBuilder::add_root_certificate`"),
    ("from_env", "the runtime's `ClientBuilder::from_env`"),
    ("build", "the runtime's `ClientBuilder::build`"),
    ("default", "`Default::default`"),
    ("fmt", "`Debug::fmt`"),
];

/// Beside the setters of a parameters struct (and of a struct of dotted
/// parameters): its constructor and what its derives add.
pub const PARAMS_RESERVED: &[(&str, &str)] = &[
    ("new", "the constructor `new`"),
    ("default", "`Default::default`"),
    ("clone", "`Clone::clone`"),
    ("clone_from", "`Clone::clone_from`"),
    ("clone_into", "`ToOwned::clone_into`"),
    ("to_owned", "`ToOwned::to_owned`"),
    ("fmt", "`Debug::fmt`"),
    ("eq", "`PartialEq::eq`"),
    ("ne", "`PartialEq::ne`"),
];

/// Beside the path parameters, which become arguments: the other
/// arguments and the locals of the generated methods and request builders.
pub const ARGUMENT_RESERVED: &[(&str, &str)] = &[
    ("self", "the receiver `self`"),
    ("params", "the argument `params`"),
    ("body", "the argument `body`"),
    ("request", "the local `request`"),
    ("reply", "the local `reply`"),
    ("start", "the local `start`"),
    ("info", "the local `info`"),
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

/// A security scheme's key as a credential name: [`snake`], with `OAuth`
/// read as the one word it is (`OAuth2` is `oauth2`, not `o_auth2`).
pub fn scheme(raw: &str) -> String {
    snake(&raw.replace("OAuth", "Oauth"))
}

/// The words of a security scheme's key, upper case, for environment
/// variable names (`OAuth2` is one word, as in [`scheme`]).
pub fn env_words(raw: &str) -> Vec<String> {
    words(&raw.replace("OAuth", "Oauth")).into_iter().map(|w| w.to_ascii_uppercase()).collect()
}

/// Crate names: kebab-case.
pub fn kebab(raw: &str) -> String {
    snake(raw).trim_start_matches('_').replace('_', "-")
}

/// The words of an identifier-like name (an operation id, a tag, a path
/// segment), lower case: every character that is not a letter or a digit
/// separates words, as does a change of case (`listPets`, `HTTPServer`);
/// apostrophes join (`User's` is `users`). Symbols are separators here, not
/// spelled out: `actions/cancel-workflow-run` is four words, no "slash".
pub fn words(raw: &str) -> Vec<String> {
    let joined: String = raw.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')).collect();
    let joined = plural_acronyms(&joined);
    ascii_only(&joined).to_snake_case().split('_').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// A name for a type several places share, from the names each place
/// would give it: the words they have in common, in order (a longest
/// common subsequence), over the names that share the longest ending at
/// least half of them share, when at least two words remain. `None` when
/// they have no such name in common.
pub fn shared_name(names: &[&str]) -> Option<String> {
    if names.len() < 2 {
        return None;
    }
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).filter(|w| !w.is_empty()).collect();
    let longest = split.iter().map(Vec::len).max()?;
    let group = (1..=longest).rev().find_map(|k| {
        let mut ends: BTreeMap<&[String], usize> = BTreeMap::new();
        for w in split.iter().filter(|w| w.len() >= k) {
            *ends.entry(&w[w.len() - k..]).or_default() += 1;
        }
        // The most common ending of `k` words; ties go to the earliest name's.
        let order = |e: &[String]| split.iter().position(|w| w.ends_with(e)).unwrap_or(usize::MAX);
        let (end, count) = ends.into_iter().max_by_key(|(e, n)| (*n, std::cmp::Reverse(order(e))))?;
        (count >= 2 && count * 2 >= names.len())
            .then(|| split.iter().filter(|w| w.ends_with(end)).collect::<Vec<_>>())
    })?;
    let common = group[1..].iter().fold(group[0].clone(), |acc, w| lcs(&acc, w));
    (common.len() >= 2).then(|| camel(&common.join("_")))
}

/// The longest common subsequence of two word lists.
fn lcs(a: &[String], b: &[String]) -> Vec<String> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] { table[i + 1][j + 1] + 1 } else { table[i + 1][j].max(table[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `LANs` as `LANS`, so that the plural of an acronym stays one word
/// (heck would read `LA` `Ns`); `IPsec` is left alone.
fn plural_acronyms(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_acronym = i >= 2 && chars[i - 1].is_ascii_uppercase() && chars[i - 2].is_ascii_uppercase();
        let word_ends = chars.get(i + 1).is_none_or(|n| !n.is_ascii_lowercase());
        out.push(if c == 's' && after_acronym && word_ends { 'S' } else { c });
    }
    out
}

/// Whether a snake-case name is a Rust keyword (strict or reserved), which
/// would have to be written `r#name`.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

/// A leading number spelled as words, so that a name that must start with a
/// letter still reads (`1-click` is `one_click`): numbers up to 99 in
/// words, larger ones behind an `n` (`n2024`).
pub fn spell_leading_number(words: &mut Vec<String>) {
    let Some(first) = words.first_mut() else { return };
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return;
    }
    let rest = first[digits.len()..].to_owned();
    const ONES: [&str; 20] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let mut spelled: Vec<String> = match digits.parse::<usize>() {
        Ok(n) if n < 20 && digits.len() <= 2 => vec![ONES[n].to_owned()],
        Ok(n) if n < 100 && digits.len() == 2 => match n % 10 {
            0 => vec![TENS[n / 10].to_owned()],
            u => vec![TENS[n / 10].to_owned(), ONES[u].to_owned()],
        },
        _ => vec![format!("n{digits}")],
    };
    if !rest.is_empty() {
        spelled.push(rest);
    }
    words.splice(0..1, spelled);
}

/// What names derived from a method start with: the method's name without
/// the trailing `_` it got beside one of ours (`with_options_` has
/// `with_options_raw`, never `with_options__raw`). Unique as method names
/// are: `x_` exists only where `x` is reserved, so never a method.
pub fn method_stem(method: &str) -> &str {
    method.trim_end_matches('_')
}

/// The free function that builds a method's request (`list_request`).
/// It cannot meet a method (it is not one) nor another builder (method
/// names are unique); path parameters are kept off these names.
pub fn request_builder(method: &str) -> String {
    format!("{}_request", method_stem(method))
}

/// The suffix of a method that asks for another media type: the subtype,
/// `csv` of `text/csv; charset=utf-8`, `xml` of `application/atom+xml`;
/// `stream` for a sequential one (server-sent events, JSON Lines), whose
/// method returns a stream of items.
pub fn media_suffix(media: &str) -> String {
    if crate::model::Framing::of(media).is_some() {
        return "stream".to_owned();
    }
    let essence = media.split(';').next().unwrap_or(media).trim();
    let sub = essence.rsplit('/').next().unwrap_or(essence);
    snake(sub.rsplit('+').next().unwrap_or(sub))
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

/// A namespace in which every name handed out is unique. Each name keeps
/// its holder (a few words saying whose it is), so that a clash can be
/// reported naming both parties.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeMap<String, String>,
    /// The names reserved for generated code (not handed out).
    ours: std::collections::BTreeSet<String>,
}

/// What [`Scope::claim`] handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The name to use.
    pub name: String,
    /// When the name asked for was taken: who holds it.
    pub taken_by: Option<String>,
}

impl Scope {
    /// A scope for type names. Nothing of the runtime's is reserved: the
    /// spec's names win, and generated code names ours by path where a spec
    /// name could shadow them. Only `Self`, which no type can be called.
    pub fn for_types() -> Self {
        let mut scope = Self::default();
        scope.reserve_for("Self", "the keyword `Self`");
        scope
    }

    /// A scope with a table of reserved names (the `*_RESERVED` tables).
    pub fn with_reserved(table: &[(&str, &str)]) -> Self {
        let mut scope = Self::default();
        for (name, holder) in table {
            scope.reserve_for(name, holder);
        }
        scope
    }

    /// Marks a name as used without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.reserve_for(name, "");
    }

    /// Marks a name as held by `holder`, a name of generated code (for
    /// clash reports, and [`Scope::beside_ours`]).
    pub fn reserve_for(&mut self, name: &str, holder: &str) {
        self.taken.entry(name.to_owned()).or_insert_with(|| holder.to_owned());
        self.ours.insert(name.to_owned());
    }

    /// The fallback for a spec name that meets one of ours: `suffixed`
    /// (`new_`, `timeout_credential`) when `base` is reserved, else none
    /// (two spec names that meet are numbered: `per_page_2`).
    pub fn beside_ours(&self, base: &str, suffixed: String) -> Vec<String> {
        if self.ours.contains(base) { vec![suffixed] } else { Vec::new() }
    }

    /// Whether `name` is taken.
    pub fn holds(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Returns `base`, or `base` with the first free numeric suffix.
    pub fn unique(&mut self, base: &str) -> String {
        self.claim(base, &[], "").name
    }

    /// Hands `holder` the name `base` if it is free, else the first free
    /// fallback, else `base` with the first free numeric suffix (`_2` after
    /// snake case, `2` after camel case).
    pub fn claim(&mut self, base: &str, fallbacks: &[String], holder: &str) -> Claim {
        let taken_by = self.taken.get(base).cloned();
        let name = if taken_by.is_none() {
            base.to_owned()
        } else if let Some(f) = fallbacks.iter().find(|f| !self.taken.contains_key(f.as_str())) {
            f.clone()
        } else {
            let snake_like = base.ends_with(|c: char| c.is_ascii_digit())
                || base.contains('_')
                || base.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            let sep = if snake_like { "_" } else { "" };
            (2..).map(|n| format!("{base}{sep}{n}")).find(|c| !self.taken.contains_key(c)).unwrap_or_default()
        };
        self.taken.insert(name.clone(), holder.to_owned());
        Claim { name, taken_by }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_types_are_named_for_what_the_sharers_have_in_common() {
        for (names, want) in [
            (&["ZonesListResponseResultInfo", "DnsRecordsListResponseResultInfo"][..], Some("ListResponseResultInfo")),
            (&["AccountsListError", "AccountMembersListError", "RolesListError"][..], Some("ListError")),
            (&["AccountRulesetsCreateRuleBodyPosition", "AccountRulesetsUpdateRuleBodyPosition"][..], Some("AccountRulesetsRuleBodyPosition")),
            // Different last words: nothing in common worth a name.
            (&["EventsListSince", "EventsListUntil"][..], None),
            // Most end alike: those decide.
            (&["IamMessagesItem", "DnsRecordsMessagesItem", "ZonesErrorsItem"][..], Some("MessagesItem")),
            // One word in common is not a name.
            (&["FooBody", "BarBody"][..], None),
            (&["Alone"][..], None),
        ] {
            assert_eq!(shared_name(names).as_deref(), want, "{names:?}");
        }
    }

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
    fn scheme_names_and_env_words() {
        let table = [
            ("OAuth2", "oauth2", "OAUTH2"),
            ("petstore_auth", "petstore_auth", "PETSTORE_AUTH"),
            ("accountSid_authToken", "account_sid_auth_token", "ACCOUNT_SID_AUTH_TOKEN"),
            ("BotToken", "bot_token", "BOT_TOKEN"),
            ("api-key", "api_key", "API_KEY"),
            ("myOAuthApp", "my_oauth_app", "MY_OAUTH_APP"),
        ];
        for (raw, name, env) in table {
            assert_eq!(scheme(raw), name, "scheme({raw:?})");
            assert_eq!(env_words(raw).join("_"), env, "env_words({raw:?})");
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
        assert_eq!(t.unique("Error"), "Error");
        assert_eq!(t.unique("Error"), "Error2");
        assert_eq!(t.unique("StreamLiveInput"), "StreamLiveInput");
        assert_eq!(t.unique("StreamLiveInput"), "StreamLiveInput2");
        assert_eq!(t.unique("V2"), "V2");
        assert_eq!(t.unique("V2"), "V2_2");
    }

    #[test]
    fn words_of_identifier_like_names() {
        let table: &[(&str, &[&str])] = &[
            ("actions/cancel-workflow-run", &["actions", "cancel", "workflow", "run"]),
            ("listPets", &["list", "pets"]),
            ("GetCustomersCustomer", &["get", "customers", "customer"]),
            ("HTTPServer", &["http", "server"]),
            ("User's Account", &["users", "account"]),
            ("Magic WAN LANs", &["magic", "wan", "lans"]),
            ("IPsec", &["i", "psec"]),
            ("v1.0", &["v1", "0"]),
            ("@cf/meta", &["cf", "meta"]),
            ("ü?", &[]),
        ];
        for (raw, want) in table {
            assert_eq!(words(raw), *want, "words({raw:?})");
        }
    }

    #[test]
    fn leading_numbers_are_spelled() {
        let table: &[(&[&str], &[&str])] = &[
            (&["1", "click"], &["one", "click"]),
            (&["2fa"], &["two", "fa"]),
            (&["24h"], &["twenty", "four", "h"]),
            (&["40"], &["forty"]),
            (&["07"], &["seven"]),
            (&["100"], &["n100"]),
            (&["pets"], &["pets"]),
            (&[], &[]),
        ];
        for (raw, want) in table {
            let mut w: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
            spell_leading_number(&mut w);
            assert_eq!(w, *want, "{raw:?}");
        }
    }

    #[test]
    fn scope_claims_fall_back_and_name_the_holder() {
        let mut s = Scope::with_reserved(HANDLE_RESERVED);
        let c = s.claim("with_options", &["pets_with_options".into()], "operation a");
        assert_eq!(c, Claim { name: "pets_with_options".into(), taken_by: Some("the handle's `with_options`".into()) });
        let c = s.claim("list", &[], "operation b");
        assert_eq!(c, Claim { name: "list".into(), taken_by: None });
        let c = s.claim("list", &["list".into()], "operation c");
        assert_eq!(c, Claim { name: "list_2".into(), taken_by: Some("operation b".into()) });
    }

    #[test]
    fn env_and_crate_names() {
        assert_eq!(screaming("api_email"), "API_EMAIL");
        assert_eq!(kebab("Cloudflare API"), "cloudflare-api");
    }
}
