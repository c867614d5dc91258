//! Paging detection, by the shape of the lowered operation only: no vendor
//! extension is needed, and an operation that does not fit simply gets no
//! pager (nothing is reported). Reads no schema.

use super::Lowerer;
use crate::model::*;

impl Lowerer<'_, '_> {
    /// Page-number paging, recognised by its shape: an optional numeric
    /// `page` query parameter, and a reply object whose `result` is an
    /// array (with an optional `result_info` holding `total_pages`,
    /// `total_count`, `per_page`).
    pub(super) fn detect_paging(&self, op: &Operation) -> Option<Paging> {
        if op.method != Method::Get || op.reply_enum.is_some() {
            return None;
        }
        let page = op.params.as_ref()?.members.iter().find_map(|m| match m {
            ParamMember::Single(p)
                if p.wire == "page"
                    && !p.required
                    && p.location == Location::Query
                    && matches!(p.ty, Ty::Integer(_) | Ty::Number) =>
            {
                Some(p)
            }
            _ => None,
        })?;
        let Payload::Json(reply) = &op.success else { return None };
        let fields = self.struct_fields(reply)?;
        let items = fields.iter().find(|f| f.wire == "result")?;
        let Ty::Array(item_ty) = self.unalias(items.ty.clone()) else { return None };
        let numeric = |f: &Field| matches!(self.unalias(f.ty.clone()), Ty::Integer(_) | Ty::Number);
        let info = fields.iter().find(|f| f.wire == "result_info").and_then(|info| {
            let inner = self.struct_fields(&info.ty)?;
            let pick = |wire: &str| {
                inner
                    .iter()
                    .find(|f| f.wire == wire && numeric(f) && !f.boxed)
                    .map(|f| InfoField {
                        name: f.name.clone(),
                        optional: !f.required || f.nullable,
                        integer: matches!(self.unalias(f.ty.clone()), Ty::Integer(_)),
                    })
            };
            Some(PagingInfo {
                field: info.name.clone(),
                optional: !info.required || info.nullable,
                total_pages: pick("total_pages"),
                total_count: pick("total_count"),
                per_page: pick("per_page"),
            })
        });
        Some(Paging {
            page_field: page.name.clone(),
            page_ty: page.ty.clone(),
            items_field: items.name.clone(),
            items_optional: !items.required || items.nullable,
            item_ty: *item_ty,
            info,
        })
    }
}
