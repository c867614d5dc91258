//! How an operation pages, in the model: the scheme, and field paths into
//! the reply type for what is read back. Plain data, like the rest of the
//! model; `lower/paging` fills it, `emit/paging` reads it.

use super::Ty;

/// How an operation pages: recognised from its parameters and reply, or
/// declared in the options. Everything is read from the lowered operation:
/// wire names for what goes on the request, field paths into the reply type
/// for what is read back.
#[derive(Debug, Clone)]
pub struct Paging {
    /// How the next page is asked for.
    pub scheme: PagingScheme,
    /// The query parameter that sets the page size (wire name), and the
    /// spec's default for it.
    pub size: Option<(String, Option<u64>)>,
    /// Where the items are in the reply (no steps: the reply is the list).
    pub items: FieldPath,
    /// The item type.
    pub item_ty: Ty,
    /// `total_pages`-like field.
    pub total_pages: Option<FieldPath>,
    /// The number of items in the whole listing.
    pub total_count: Option<FieldPath>,
    /// The page size the server used.
    pub per_page: Option<FieldPath>,
    /// What leads to the next page.
    pub next: Option<NextFrom>,
    /// `has_more`-like boolean field.
    pub has_more: Option<FieldPath>,
    /// Declared in the options rather than recognised.
    pub declared: bool,
}

/// How the next page is asked for (wire names of query parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingScheme {
    /// A page number; pages count from `first`.
    Page { param: String, first: u64 },
    /// The offset of the page's first item.
    Offset { param: String },
    /// A cursor or token the previous reply gave (see [`Paging::next`]).
    Cursor { param: String },
    /// A URL the previous reply gave (a field, or its `Link` header).
    NextUrl,
}

impl PagingScheme {
    /// Its name in reports and declarations.
    pub fn name(&self) -> &'static str {
        match self {
            PagingScheme::Page { .. } => "page",
            PagingScheme::Offset { .. } => "offset",
            PagingScheme::Cursor { .. } => "cursor",
            PagingScheme::NextUrl => "next_url",
        }
    }
}

/// Where the value that leads to the next page is.
#[derive(Debug, Clone)]
pub enum NextFrom {
    /// A field of the reply (a cursor, a token, a URL; `has_more` is then
    /// also whether it is there, when the scheme is page numbers).
    Field(FieldPath),
    /// A field of the last item (its id: `starting_after`, `after`).
    LastItem(FieldPath),
}

/// A path of fields from a value to one inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    /// Each field on the way, from the outside in.
    pub steps: Vec<FieldStep>,
    /// What the last one holds.
    pub leaf: Leaf,
}

/// One field on a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// Rust field name.
    pub name: String,
    /// Wire name (for reports).
    pub wire: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether it is an `Option<Option<_>>` (absent and `null` told
    /// apart); `optional` is then set too.
    pub double: bool,
    /// Whether it is boxed.
    pub boxed: bool,
}

/// What a field path ends at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Leaf {
    /// An integer.
    Integer,
    /// An `f64`.
    Number,
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list (the items).
    #[default]
    List,
}

impl FieldPath {
    /// The path as the spec writes it (`result_info.total_pages`).
    pub fn dotted(&self) -> String {
        self.steps.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>().join(".")
    }
}
