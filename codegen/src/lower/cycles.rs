//! Boxing of recursive fields. Runs last, on the deduped model: dedupe
//! redirects references, and boxing must see where they finally point.
//! Reads no schema.

use super::Lowerer;
use crate::model::*;
use std::collections::HashSet;

impl Lowerer<'_, '_> {
    /// Boxes the struct fields and union variants that would make a type
    /// contain itself. Only a direct reference counts: a list or a map
    /// already puts its items behind a pointer.
    pub(super) fn mark_boxes(&mut self) {
        fn direct(ty: &Ty) -> Option<TypeId> {
            match ty {
                Ty::Named(id) => Some(*id),
                _ => None,
            }
        }
        let edges: Vec<Vec<TypeId>> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
                TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        let reaches = |from: TypeId, to: TypeId| -> bool {
            let mut stack = vec![from];
            let mut seen = HashSet::new();
            while let Some(t) = stack.pop() {
                if t == to {
                    return true;
                }
                if seen.insert(t) {
                    stack.extend(edges[t.0].iter().copied());
                }
            }
            false
        };
        let mut boxes = Vec::new();
        for (i, t) in self.types.iter().enumerate() {
            let tys: Vec<&Ty> = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                _ => Vec::new(),
            };
            for (j, ty) in tys.into_iter().enumerate() {
                if direct(ty).is_some_and(|d| reaches(d, TypeId(i))) {
                    boxes.push((i, j));
                }
            }
        }
        for (i, j) in boxes {
            match &mut self.types[i].kind {
                TypeKind::Struct(s) => s.fields[j].boxed = true,
                TypeKind::Union(u) => u.variants[j].boxed = true,
                _ => {}
            }
        }
    }
}
