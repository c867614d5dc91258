//! Choices the spec cannot make, read from an options file (`sdk.yaml`
//! beside the spec): the crate's identity, environment variables, the
//! request-id header, paging and stream declarations. Only parsing lives
//! here; `lower` applies them.

use std::collections::BTreeMap;

/// Choices the spec cannot make: crate identity and environment variables.
///
/// Read from an optional `sdk.yaml` next to the spec by the xtask.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Crate name; default: `info.title` in kebab-case.
    #[serde(default)]
    pub crate_name: Option<String>,
    /// Crate version; default: `info.version` when it is semver, else `0.1.0`.
    #[serde(default)]
    pub crate_version: Option<String>,
    /// Prefix of environment variables; default: the first word of
    /// `info.title`, upper-cased.
    #[serde(default)]
    pub env_prefix: Option<String>,
    /// Environment variable per security scheme, overriding
    /// `<PREFIX>_<SCHEME>`; key `base_url` overrides `<PREFIX>_BASE_URL`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Reply header that carries the server's request id (shown in errors).
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// How operations page where the spec does not make it unambiguous,
    /// in order: the first rule that matches an operation decides.
    #[serde(default)]
    pub paging: Vec<PagingRule>,
    /// What the description cannot say about streamed replies (the body
    /// property that asks for the stream, end markers, error events), in
    /// order: the first rule that matches an operation's stream decides.
    #[serde(default)]
    pub streams: Vec<StreamRule>,
    /// Where these options were read from, for diagnostics about them
    /// (set by the caller; not part of the file).
    #[serde(skip)]
    pub source: Option<String>,
}

impl Options {
    /// Parses an `sdk.yaml` options file.
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
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
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    /// operationIds or `METHOD /path` templates; `*` matches any run of
    /// characters.
    pub operations: Vec<String>,
    /// `page`, `offset`, `cursor`, `next_url`, or `none` (not paged).
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
