//! Paging: which operations page, and how. Declarations in the options
//! (`declared`) come first; otherwise the scheme is recognised from the
//! lowered operation (query parameters by wire name, reply fields by name
//! and type), and only when it is unambiguous: an operation that does not
//! fit simply gets no pager. Reads the model, never the spec.
//!
//! Recognised, in this order: page numbers (`page`; a next-page link or
//! `has_more` in the reply says which page is the last), offsets
//! (`offset`/`skip`), one cursor-like parameter with the reply field that
//! feeds it (`cursor` ← `next_cursor`, `page_token` ← `next_page_token`),
//! a next-page URL in the reply (`next_page_url`, `links.next`), and the
//! last item's id for `starting_after`/`after` with `has_more`.

mod declared;
pub(super) use declared::glob;
mod fields;

use super::Lowerer;
use crate::model::*;
use crate::options::PagingRule;
use fields::norm;

/// Query parameters that number pages.
const PAGE: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
/// Query parameters that give the first item's position.
const OFFSET: &[&str] = &["offset", "skip", "startindex"];
/// Query parameters that set the page size.
const SIZE: &[&str] = &["perpage", "pagesize", "limit", "maxresults", "pagelimit", "maxitems"];
/// Query parameters that take a token the previous reply gave.
const TOKEN: &[&str] = &["cursor", "pagetoken", "nexttoken", "continuationtoken", "continuation", "pagecursor", "marker"];
/// Cursor parameters that take the last item's id when the reply has no
/// cursor of its own (forward), and their backward twins.
const AFTER_ID: &[&str] = &["startingafter", "after"];
const BEFORE_ID: &[&str] = &["endingbefore", "before"];
/// Reply fields that feed a cursor parameter (`after` as in
/// `paging.cursors.after`; `last_id` for an `after` id).
const NEXT_CURSOR: &[&str] = &[
    "nextcursor", "cursor", "nextpagetoken", "nexttoken", "continuationtoken", "endcursor", "nextmarker", "after",
    "lastid", "next",
];
/// Reply fields that hold the next page's URL.
const NEXT_URL: &[&str] = &["nextpageurl", "nexturl", "nextlink", "nextpage", "next"];
/// Reply fields that say whether more follow.
const HAS_MORE: &[&str] = &["hasmore", "hasnext", "hasnextpage", "more", "moreresults"];
const TOTAL_PAGES: &[&str] = &["totalpages", "pagecount", "numpages"];
const TOTAL_COUNT: &[&str] = &["totalcount", "total", "totalresults", "totalitems", "totalsize"];
const PER_PAGE: &[&str] = &["perpage", "pagesize"];

const NUMERIC: &[Leaf] = &[Leaf::Integer, Leaf::Number];
const TEXT: &[Leaf] = &[Leaf::String];

impl Lowerer<'_, '_> {
    /// Decides the paging of every operation: the first rule that matches
    /// it, else what its shape says. Reports rules that match nothing.
    pub(super) fn paging(&mut self, groups: &mut [Group], rules: &[PagingRule], source: Option<&str>) {
        let mut used = vec![false; rules.len()];
        for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            op.paging = match declared::matching(rules, op) {
                Some(i) => {
                    used[i] = true;
                    self.declared(op, &rules[i], i, source)
                }
                None => self.recognise(op),
            };
            self.count_paging(op);
        }
        // What a rule could have named, for "did you mean".
        let names: Vec<String> = groups
            .iter()
            .flat_map(|g| &g.operations)
            .flat_map(|op| [op.operation_id.clone(), format!("{} {}", op.method.as_str(), op.path)])
            .collect();
        for (i, rule) in rules.iter().enumerate() {
            if !used[i] {
                let hint: String = rule
                    .operations
                    .iter()
                    .filter(|p| !p.contains('*'))
                    .map(|p| crate::suggest::did_you_mean(p, names.iter().map(String::as_str)))
                    .find(|h| !h.is_empty())
                    .unwrap_or_default();
                self.diags.push_in(
                    crate::Severity::Warning,
                    crate::Kind::PagingDeclaration,
                    source,
                    format!("#/paging/{i}"),
                    format!("paging rule for {:?} matches no operation{hint}", rule.operations),
                );
            }
        }
    }

    /// Counts list operations (a GET whose reply holds a list of items)
    /// that could page (a page, offset, token or id parameter, or a next
    /// link in the reply), and how they page, for the report.
    fn count_paging(&mut self, op: &Operation) {
        let moving = [PAGE, OFFSET, TOKEN, AFTER_ID, BEFORE_ID].concat();
        let list = op.method == Method::Get
            && matches!(&op.success, Payload::Json(reply) if self.items_of(reply, &op.path).is_some()
                && (op.params.iter().flat_map(|ps| ps.all()).any(|p| moving.contains(&norm(&p.wire).as_str()))
                    || self.find_path(reply, NEXT_URL, TEXT).is_some()));
        if !(list || op.paging.is_some()) {
            return;
        }
        self.coverage.lists += 1;
        if let Some(p) = &op.paging {
            let entry = self.coverage.paged.entry(p.scheme.name()).or_default();
            if p.declared {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
        let dotted = |path: &FieldPath| if path.steps.is_empty() { ".".to_owned() } else { path.dotted() };
        let query: Vec<&Param> = op.params.iter().flat_map(|ps| ps.all()).filter(|p| p.location == Location::Query).collect();
        let mut entry = crate::ListOperation {
            operation: op.operation_id.clone(),
            route: format!("{} {}", op.method.as_str(), op.path),
            query: query.iter().map(|p| p.wire.clone()).collect(),
            ..Default::default()
        };
        match &op.paging {
            Some(p) => {
                entry.paged = true;
                entry.scheme = Some(p.scheme.name());
                entry.declared = p.declared;
                entry.param = match &p.scheme {
                    PagingScheme::Page { param, .. } | PagingScheme::Offset { param } | PagingScheme::Cursor { param } => {
                        Some(param.clone())
                    }
                    PagingScheme::NextUrl => None,
                };
                entry.size = p.size.as_ref().map(|(wire, _)| wire.clone());
                entry.items = Some(dotted(&p.items));
                entry.next = p.next.as_ref().map(|n| match n {
                    NextFrom::Field(f) => f.dotted(),
                    NextFrom::LastItem(f) => format!("$last.{}", f.dotted()),
                });
            }
            None => {
                // A declaration's starting point: the first parameter of
                // the first family that has one.
                let families = [("page", PAGE), ("offset", OFFSET), ("cursor", TOKEN), ("cursor", AFTER_ID), ("cursor", BEFORE_ID)];
                if let Some((scheme, p)) = families
                    .iter()
                    .find_map(|(scheme, names)| query.iter().find(|p| names.contains(&norm(&p.wire).as_str())).map(|p| (*scheme, p)))
                {
                    entry.scheme = Some(scheme);
                    entry.param = Some(p.wire.clone());
                }
                entry.size = query.iter().find(|p| SIZE.contains(&norm(&p.wire).as_str())).map(|p| p.wire.clone());
                if let Payload::Json(reply) = &op.success {
                    entry.items = self.items_of(reply, &op.path).map(|(path, _)| dotted(&path));
                }
            }
        }
        self.coverage.list_operations.push(entry);
    }

    /// The paging an operation's shape makes unambiguous, if any.
    fn recognise(&self, op: &Operation) -> Option<Paging> {
        if op.method != Method::Get || op.reply_enum.is_some() {
            return None;
        }
        let Payload::Json(reply) = &op.success else { return None };
        let (items, item_ty) = self.items_of(reply, &op.path)?;
        let query: Vec<&Param> = op.params.iter().flat_map(|ps| ps.all()).filter(|p| p.location == Location::Query).collect();
        let named = |names: &[&str]| -> Vec<&Param> { query.iter().copied().filter(|p| names.contains(&norm(&p.wire).as_str())).collect() };
        let numeric = |p: &&Param| matches!(p.ty, Ty::Integer(_) | Ty::Number);
        let mut paging = Paging {
            scheme: PagingScheme::NextUrl,
            size: named(SIZE).into_iter().find(numeric).map(|p| (p.wire.clone(), default_u64(p))),
            items,
            item_ty,
            total_pages: self.find_path(reply, TOTAL_PAGES, NUMERIC),
            total_count: self.find_path(reply, TOTAL_COUNT, NUMERIC),
            per_page: self.find_path(reply, PER_PAGE, NUMERIC),
            next: None,
            has_more: self.find_path(reply, HAS_MORE, &[Leaf::Boolean]),
            declared: false,
        };
        let tokens = named(TOKEN);
        // `after`/`before` count only as ids (text or integers): as dates
        // they are filters.
        let ids = query.iter().copied().filter(|p| {
            let n = norm(&p.wire);
            (AFTER_ID.contains(&n.as_str()) || BEFORE_ID.contains(&n.as_str()))
                && matches!(p.ty, Ty::String | Ty::Integer(_) | Ty::Uuid)
        });
        let cursors: Vec<&Param> = tokens.iter().copied().chain(ids).collect();
        let next_url = self.find_path(reply, NEXT_URL, TEXT);
        // A page number alone reaches every page only when no token must
        // go with it (Twilio's `Page` needs its `PageToken`).
        if let Some(page) = named(PAGE).into_iter().find(numeric).filter(|_| tokens.is_empty()) {
            paging.scheme = PagingScheme::Page { param: page.wire.clone(), first: first_page(page) };
            paging.next = next_url.map(NextFrom::Field);
            return Some(paging);
        }
        if let Some(offset) = named(OFFSET).into_iter().find(|p| matches!(p.ty, Ty::Integer(_) | Ty::Number)) {
            paging.scheme = PagingScheme::Offset { param: offset.wire.clone() };
            return Some(paging);
        }
        match cursors.as_slice() {
            [] => {
                paging.next = Some(NextFrom::Field(next_url?));
                Some(paging)
            }
            [cursor] => self.cursor_paging(paging, reply, cursor, next_url),
            several => {
                // A forward/backward pair (`starting_after`/`ending_before`):
                // forward, when the reply says whether more follow.
                let forward: Vec<&&Param> = several.iter().filter(|p| AFTER_ID.contains(&norm(&p.wire).as_str())).collect();
                let backward = several.iter().filter(|p| BEFORE_ID.contains(&norm(&p.wire).as_str())).count();
                match (forward.as_slice(), backward + 1 == several.len(), &paging.has_more) {
                    ([after], true, Some(_)) => self.cursor_paging(paging, reply, after, None),
                    _ => None,
                }
            }
        }
    }

    /// One cursor-like parameter: fed by a cursor field of the reply, or a
    /// next-page URL (which then carries the cursor), or the last item's id.
    fn cursor_paging(&self, mut paging: Paging, reply: &Ty, cursor: &Param, next_url: Option<FieldPath>) -> Option<Paging> {
        let names: Vec<&str> = NEXT_CURSOR.iter().copied().filter(|n| *n != "next" || next_url.is_none()).collect();
        if let Some(next) = self.find_path(reply, &names, &[Leaf::String, Leaf::Integer]) {
            paging.scheme = PagingScheme::Cursor { param: cursor.wire.clone() };
            paging.next = Some(NextFrom::Field(next));
            return Some(paging);
        }
        if let Some(url) = next_url {
            paging.scheme = PagingScheme::NextUrl;
            paging.next = Some(NextFrom::Field(url));
            return Some(paging);
        }
        if AFTER_ID.contains(&norm(&cursor.wire).as_str()) {
            let (id, _) = self.path_by_wire(&paging.item_ty, "id").ok()?;
            if matches!(id.leaf, Leaf::String | Leaf::Integer) {
                paging.scheme = PagingScheme::Cursor { param: cursor.wire.clone() };
                paging.next = Some(NextFrom::LastItem(id));
                return Some(paging);
            }
        }
        None
    }
}

/// A parameter's default as a page size or page number.
fn default_u64(p: &Param) -> Option<u64> {
    p.default.as_deref().and_then(|d| d.parse::<f64>().ok()).filter(|d| *d >= 0.0 && d.fract() == 0.0).map(|d| d as u64)
}

/// The number of the first page: 0 when the spec says pages count from 0
/// (a minimum or default of 0), else 1.
fn first_page(page: &Param) -> u64 {
    let zero = page.checks.minimum == Some(0.0) || default_u64(page) == Some(0);
    u64::from(!zero)
}
