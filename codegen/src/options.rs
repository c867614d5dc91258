//! Choices the spec cannot make, read from an options file (`sdk.yaml`
//! beside the spec): the crate's identity, environment variables, the
//! request-id header, paging and stream declarations, renames. Only
//! parsing lives here; `lower` applies them (and reports what does not fit
//! the spec).
//!
//! The doc comments of the fields are the reference of `sdk.yaml`: with
//! the `schema` feature they become the JSON Schema's descriptions
//! (`codegen/sdk.schema.json`) and the README's "sdk.yaml reference"
//! (`codegen::schema`). Each says what the key does, then its default
//! (`Default: ...`) and an example. A new key needs its field, a doc
//! comment in that form and nothing else: `cargo xtask schema` rewrites
//! both and a test fails while they are stale.

use std::collections::BTreeMap;

/// Options of the generator (`sdk.yaml`, beside the OpenAPI description):
/// what the description cannot say about the SDK made from it.
///
/// Every key is optional; an unknown key is an error that names the valid
/// ones and the nearest of them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "sdk.yaml"))]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The generated crate's name (its `[package] name`).
    ///
    /// Default: `info.title` in kebab-case.
    ///
    /// ```yaml
    /// crate_name: cloudflare-api
    /// ```
    #[serde(default)]
    pub crate_name: Option<String>,
    /// The generated crate's version.
    ///
    /// Default: `info.version` when it is semver, else `0.1.0`.
    ///
    /// ```yaml
    /// crate_version: 4.0.0
    /// ```
    #[serde(default)]
    pub crate_version: Option<String>,
    /// The prefix of the environment variables `Client::from_env` reads
    /// (`<PREFIX>_BASE_URL`, and each credential's unless `env` names it).
    ///
    /// Default: the first word of `info.title`, upper-cased.
    ///
    /// ```yaml
    /// env_prefix: CLOUDFLARE
    /// ```
    #[serde(default)]
    pub env_prefix: Option<String>,
    /// The environment variables of each security scheme (by its key in
    /// `components.securitySchemes`): one name for a scheme of one
    /// credential (an OAuth2 scheme's is its access token), or one per
    /// credential (`token`, `key`, `username`, `password`,
    /// `access_token`, `client_id`, `client_secret`, `client_cert`,
    /// `client_key`). Key `base_url` names the base URL's variable. A
    /// name that fits no scheme or credential is an `env-variable`
    /// warning.
    ///
    /// Default: `<PREFIX>_` and what the scheme's key means, then the
    /// credential (`bearer_auth` reads `<PREFIX>_TOKEN`); `<PREFIX>_BASE_URL`.
    ///
    /// ```yaml
    /// env:
    ///   api_token: CLOUDFLARE_API_TOKEN     # a scheme of one credential
    ///   accountSid_authToken:               # or one variable per credential
    ///     username: TWILIO_ACCOUNT_SID
    ///     password: TWILIO_AUTH_TOKEN
    ///   OAuth2: {client_id: DISCORD_CLIENT_ID, client_secret: DISCORD_CLIENT_SECRET, access_token: DISCORD_TOKEN}
    ///   base_url: CLOUDFLARE_BASE_URL
    /// ```
    #[serde(default)]
    pub env: BTreeMap<String, EnvNames>,
    /// The reply header that carries the server's id for the request,
    /// shown in errors (`ApiError::request_id`).
    ///
    /// Default: none.
    ///
    /// ```yaml
    /// request_id_header: cf-ray
    /// ```
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// How list operations page where the description does not make it
    /// unambiguous (or to correct what is recognised), in order: the
    /// first rule that matches an operation decides. `cargo sdk init`
    /// lists the list operations it could not recognise. A rule that
    /// matches nothing, or names a parameter or field the operation does
    /// not have, is a `paging-declaration` warning and leaves the
    /// operation unpaged.
    ///
    /// Default: recognised from parameter and reply names (see the
    /// README's Paging table).
    ///
    /// ```yaml
    /// paging:
    ///   - operations: ["GET /channels/*/messages"]
    ///     scheme: cursor
    ///     param: before
    ///     size: limit
    ///     next: $last.id
    /// ```
    #[serde(default)]
    pub paging: Vec<PagingRule>,
    /// What the description cannot say about streamed replies (the body
    /// property that asks for the stream, end markers, error events), in
    /// order: the first rule that matches an operation's stream decides.
    /// A rule that matches nothing is a `stream-declaration` warning.
    ///
    /// Default: recognised (a boolean body property named `stream`; `[DONE]`
    /// ends an event stream of JSON items; `error` events are errors).
    ///
    /// ```yaml
    /// streams:
    ///   - operations: ["POST /accounts/*/ai/run/*"]
    ///     select: stream
    ///     end: ["[DONE]"]
    ///     error_events: [error]
    /// ```
    #[serde(default)]
    pub streams: Vec<StreamRule>,
    /// Names the generated crate uses instead of the ones the generator
    /// would choose, for types, groups and methods.
    ///
    /// Default: none.
    ///
    /// ```yaml
    /// rename:
    ///   types:
    ///     aaa_audit-logs: AuditLog
    /// ```
    #[serde(default)]
    pub rename: Renames,
    /// Where these options were read from, for diagnostics about them
    /// (set by the caller; not part of the file).
    #[serde(skip)]
    pub source: Option<String>,
    /// The command named in the first line of every generated file
    /// (`@generated by `<command>`; do not edit by hand.`), and so the
    /// one to run again; default [`DEFAULT_COMMAND`](crate::DEFAULT_COMMAND).
    /// Set by the caller; not part of the file.
    #[serde(skip)]
    pub generated_by: Option<String>,
}

/// The environment variables named for one scheme.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum EnvNames {
    /// One variable: the scheme's only credential (a token, a key), or an
    /// OAuth2 / OpenID Connect scheme's access token.
    One(String),
    /// One variable per credential: `token`, `key`, `username`,
    /// `password`, `access_token`, `client_id`, `client_secret`,
    /// `client_cert`, `client_key`, as the scheme has them.
    Each(BTreeMap<String, String>),
}

impl EnvNames {
    /// The one variable, when one was given.
    pub fn one(&self) -> Option<&str> {
        match self {
            EnvNames::One(name) => Some(name),
            EnvNames::Each(_) => None,
        }
    }
}

impl From<&str> for EnvNames {
    fn from(name: &str) -> Self {
        EnvNames::One(name.to_owned())
    }
}

impl Options {
    /// Parses an `sdk.yaml` options file. An error says where (line and
    /// column) and, for an unknown key or value, the nearest valid one.
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        serde_yaml::from_str(text).map_err(|e| crate::suggest::serde_message(&e.to_string()))
    }
}

/// How some operations page, for a spec whose parameters and replies do
/// not make it unambiguous (or to correct what is recognised).
///
/// ```yaml
/// paging:
///   - operations: ["list-guild-members", "GET /channels/*/messages"]
///     scheme: cursor          # page | offset | cursor | next_url | none
///     param: after            # the query parameter that moves (page, offset, cursor)
///     size: limit             # the page-size parameter, if any
///     items: "."              # where the items are ("." or "": the reply is the list)
///     next: $last.id          # a reply field, or `$last.<field>` of the last item
///     has_more: has_more      # optional: a boolean saying more follow
///     total_pages: meta.pages # optional totals: total_pages, total_count, per_page
/// ```
///
/// Paths are property names as on the wire, joined by dots.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    /// operationIds or `METHOD /path` templates; `*` matches any run of
    /// characters.
    pub operations: Vec<String>,
    /// `page`, `offset`, `cursor`, `next_url`, or `none` (not paged).
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["page", "offset", "cursor", "next_url", "none"])))]
    pub scheme: String,
    /// The query parameter that moves through the listing.
    #[serde(default)]
    pub param: Option<String>,
    /// The number of the first page (page numbers; default 1).
    #[serde(default)]
    pub first: Option<u64>,
    /// The page-size query parameter.
    #[serde(default)]
    pub size: Option<String>,
    /// Where the items are (default: recognised).
    #[serde(default)]
    pub items: Option<String>,
    /// What leads to the next page: a reply field, or `$last.<field>`.
    #[serde(default)]
    pub next: Option<String>,
    /// A boolean reply field saying whether more pages follow.
    #[serde(default)]
    pub has_more: Option<String>,
    /// The total number of pages.
    #[serde(default)]
    pub total_pages: Option<String>,
    /// The total number of items.
    #[serde(default)]
    pub total_count: Option<String>,
    /// The page size the server used.
    #[serde(default)]
    pub per_page: Option<String>,
}

/// Names chosen by the SDK's maintainer, each keyed by what it renames:
///
/// ```yaml
/// rename:
///   types:                 # a schema's key, or a type name the generator chose
///     aaa_audit-logs: AuditLog
///   groups:                # a tag, or a group name the generator chose
///     Audit Logs: audit_logs
///   methods:               # an operationId, or `METHOD /path`
///     audit-logs-get-account-audit-logs: list
/// ```
///
/// A schema renamed by its key renames the types named after it too
/// (`AuditLogActor`). A rename that names nothing is a warning located in
/// the options file; one that meets another name is a `name-clash`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// Type renames (UpperCamelCase values).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Group renames (snake_case values).
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    /// Method renames (snake_case values).
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
}

/// How some operations' streamed replies are asked for and read, where
/// the description cannot say it.
///
/// ```yaml
/// streams:
///   - operations: ["POST /accounts/*/ai/run/*"]
///     media: text/event-stream  # optional: the stream this rule is about
///     select: stream            # the boolean body property the stream method sets to `true` ("": none)
///     end: ["[DONE]"]           # data payloads (SSE) or records that end the stream
///     error_events: [error]     # SSE event types whose data is an error
/// ```
///
/// A key left out keeps what is recognised (`select`: a boolean body
/// property named `stream`; `end`: `[DONE]` for SSE with JSON items;
/// `error_events`: `error`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StreamRule {
    /// operationIds or `METHOD /path` templates; `*` matches any run of
    /// characters.
    pub operations: Vec<String>,
    /// The sequential media type the rule is about (default: every one).
    #[serde(default)]
    pub media: Option<String>,
    /// The top-level boolean property of the JSON body that asks for the
    /// stream; `""` for none.
    #[serde(default)]
    pub select: Option<String>,
    /// Data payloads (SSE) or records that end the stream cleanly.
    #[serde(default)]
    pub end: Option<Vec<String>>,
    /// SSE event types whose data is an error.
    #[serde(default)]
    pub error_events: Option<Vec<String>>,
}
