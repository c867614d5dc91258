//! Paging declared in the options (`paging:` rules in `sdk.yaml`): which
//! operations a rule names, and the [`Paging`] it describes, checked
//! against the operation's query parameters and reply type. A rule that
//! names what the operation does not have is reported, and the operation
//! is left unpaged rather than paged wrongly.

use super::super::Lowerer;
use crate::model::*;
use crate::options::PagingRule;
use crate::{Kind, Severity};

/// The first rule naming `op` (by operationId or `METHOD /path`).
pub(super) fn matching(rules: &[PagingRule], op: &Operation) -> Option<usize> {
    let route = format!("{} {}", op.method.as_str(), op.path);
    rules.iter().position(|r| r.operations.iter().any(|p| glob(p, &op.operation_id) || glob(p, &route)))
}

/// Whether `text` matches `pattern`, where `*` stands for any run of
/// characters (and nothing else is special).
pub(in crate::lower) fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// What went wrong with a rule: the key it is about, and why.
struct Problem(&'static str, String);

impl Lowerer<'_, '_> {
    /// The paging `rule` declares for `op`, or `None` (reported) when the
    /// operation does not have what it names.
    pub(super) fn declared(&mut self, op: &Operation, rule: &PagingRule, index: usize, source: Option<&str>) -> Option<Paging> {
        match self.build(op, rule) {
            Ok(paging) => paging,
            Err(Problem(key, message)) => {
                self.diags.push_in(
                    Severity::Warning,
                    Kind::PagingDeclaration,
                    source,
                    format!("#/paging/{index}/{key}"),
                    format!("`{}`: {message}; it is left without paging", op.operation_id),
                );
                None
            }
        }
    }

    fn build(&self, op: &Operation, rule: &PagingRule) -> Result<Option<Paging>, Problem> {
        if rule.scheme == "none" {
            return Ok(None);
        }
        let Payload::Json(reply) = &op.success else {
            return Err(Problem("operations", "it has no JSON reply to read pages from".into()));
        };
        let (items, item_ty) = match rule.items.as_deref() {
            Some(dotted) => {
                let (path, ty) = self.path_by_wire(reply, dotted).map_err(|e| Problem("items", e))?;
                match self.unalias(ty) {
                    Ty::Array(item) => (path, *item),
                    _ => return Err(Problem("items", format!("`{dotted}` is not a list"))),
                }
            }
            None => self.items_of(reply, &op.path).ok_or(Problem("items", "the reply has no one list of items".into()))?,
        };
        let param = |key: &'static str, wire: Option<&str>| -> Result<Option<&Param>, Problem> {
            let Some(wire) = wire else { return Ok(None) };
            let found = op.params.iter().flat_map(|ps| ps.all()).find(|p| p.location == Location::Query && p.wire == wire);
            found.map(Some).ok_or_else(|| Problem(key, format!("it has no query parameter `{wire}`")))
        };
        let moving = param("param", rule.param.as_deref())?;
        let needs = |what: &str| Problem("param", format!("scheme `{what}` needs `param`"));
        let scheme = match rule.scheme.as_str() {
            "page" => PagingScheme::Page { param: moving.ok_or(needs("page"))?.wire.clone(), first: rule.first.unwrap_or(1) },
            "offset" => PagingScheme::Offset { param: moving.ok_or(needs("offset"))?.wire.clone() },
            "cursor" => PagingScheme::Cursor { param: moving.ok_or(needs("cursor"))?.wire.clone() },
            "next_url" => PagingScheme::NextUrl,
            other => {
                let hint = crate::suggest::did_you_mean(other, ["page", "offset", "cursor", "next_url", "none"]);
                return Err(Problem("scheme", format!("unknown scheme `{other}` (page, offset, cursor, next_url or none){hint}")));
            }
        };
        let size = param("size", rule.size.as_deref())?.map(|p| (p.wire.clone(), super::default_u64(p)));
        let field = |key: &'static str, dotted: &Option<String>, leaves: &[Leaf]| -> Result<Option<FieldPath>, Problem> {
            let Some(dotted) = dotted else { return Ok(None) };
            let (path, _) = self.path_by_wire(reply, dotted).map_err(|e| Problem(key, e))?;
            if !leaves.contains(&path.leaf) {
                return Err(Problem(key, format!("`{dotted}` is a {:?}, not what `{key}` reads", path.leaf)));
            }
            Ok(Some(path))
        };
        let next = self.next_from(rule, reply, &item_ty, &scheme)?;
        Ok(Some(Paging {
            scheme,
            size,
            items,
            item_ty,
            total_pages: field("total_pages", &rule.total_pages, super::NUMERIC)?,
            total_count: field("total_count", &rule.total_count, super::NUMERIC)?,
            per_page: field("per_page", &rule.per_page, super::NUMERIC)?,
            next,
            has_more: field("has_more", &rule.has_more, &[Leaf::Boolean])?,
            declared: true,
        }))
    }

    /// `next`: a reply field, or `$last.<field>` of the last item; a cursor
    /// needs one, a next URL may come from the `Link` header instead.
    fn next_from(&self, rule: &PagingRule, reply: &Ty, item_ty: &Ty, scheme: &PagingScheme) -> Result<Option<NextFrom>, Problem> {
        let text = [Leaf::String, Leaf::Integer];
        let next = match rule.next.as_deref() {
            None | Some("link") => None,
            Some(dotted) => Some(match dotted.strip_prefix("$last.") {
                Some(inner) => NextFrom::LastItem(self.path_by_wire(item_ty, inner).map_err(|e| Problem("next", format!("the items: {e}")))?.0),
                None => NextFrom::Field(self.path_by_wire(reply, dotted).map_err(|e| Problem("next", e))?.0),
            }),
        };
        if let Some(NextFrom::Field(p) | NextFrom::LastItem(p)) = &next {
            if !text.contains(&p.leaf) {
                return Err(Problem("next", format!("`{}` is not text or an integer", p.dotted())));
            }
        }
        if matches!(scheme, PagingScheme::Cursor { .. }) && next.is_none() {
            return Err(Problem("next", "scheme `cursor` needs `next`: what the reply gives back".into()));
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_runs_of_anything() {
        let table = [
            ("list-*", "list-guild-members", true),
            ("list-*", "get-guild", false),
            ("GET /guilds/*/members", "GET /guilds/{guild_id}/members", true),
            ("GET /guilds/*/members", "GET /guilds/{guild_id}/members/{user_id}", false),
            ("*", "anything", true),
            ("exact", "exact", true),
            ("exact", "exactly", false),
            ("*members*", "list-guild-members-search", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
        ];
        for (pattern, text, want) in table {
            assert_eq!(glob(pattern, text), want, "{pattern:?} ~ {text:?}");
        }
    }
}
