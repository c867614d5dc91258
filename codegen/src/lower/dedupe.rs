//! Structural dedupe, run once after every operation is lowered, on the
//! model only (it reads no schema).
//!
//! Only inline types are merged, and only with each other: a component
//! type always keeps a definition of its own under its schema's name, and
//! an inline type is never named after a component it happens to equal.
//! A type several places share is named for what it is (see
//! [`crate::names::shared_name`]), not for its first use.

use super::Lowerer;
use crate::model::*;
use std::collections::HashMap;

impl Lowerer<'_, '_> {
    /// Merges inline types that are identical to an earlier type (large
    /// specs repeat the same envelope inline in every operation). A merged
    /// type becomes an alias of the first, so operation-level names stay
    /// meaningful while the compiler sees one definition; references inside
    /// types point at the first directly.
    pub(super) fn dedupe(&mut self) {
        let canon = self.canonical_ids();
        let n = self.types.len();
        let root = |mut i: usize| {
            while canon[i] != i {
                i = canon[i];
            }
            i
        };
        self.name_shared(&(0..n).map(root).collect::<Vec<_>>());
        let rewrite = |ty: &mut Ty| rewrite_ty(ty, &|id| TypeId(root(id.0)));
        for i in 0..n {
            let r = root(i);
            if r != i {
                self.types[i].kind = TypeKind::Alias(Ty::Named(TypeId(r)));
                continue;
            }
            match &mut self.types[i].kind {
                TypeKind::Struct(st) => {
                    st.fields.iter_mut().for_each(|f| rewrite(&mut f.ty));
                    st.extra.iter_mut().for_each(|e| rewrite(&mut e.value));
                }
                TypeKind::Union(u) => {
                    u.variants.iter_mut().for_each(|v| rewrite(&mut v.ty));
                    // Untagged variants that became the same type are one
                    // variant (tagged ones differ by their tags).
                    if u.tag.is_none() {
                        let mut kept: Vec<Ty> = Vec::new();
                        u.variants.retain(|v| {
                            let fresh = !kept.contains(&v.ty);
                            kept.push(v.ty.clone());
                            fresh
                        });
                    }
                }
                TypeKind::Alias(t) => rewrite(t),
                TypeKind::Enum(_) | TypeKind::Pending => {}
            }
        }
    }

    /// Names each inline type that several places share (given its root
    /// per type) for what it is rather than for its first use: the words
    /// every sharer's name has in common, in order, when they all end with
    /// the same word (`ZonesListResponseResultInfo` and
    /// `DnsRecordsListResponseResultInfo` share `ListResponseResultInfo`);
    /// else a union of up to three shapes by its shapes (`since` and
    /// `until` share `DateOrDateTime`); else the shortest name.
    fn name_shared(&mut self, roots: &[usize]) {
        let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
        for (i, r) in roots.iter().enumerate() {
            groups.entry(*r).or_default().push(i);
        }
        for (root, members) in groups {
            if members.len() < 2 || self.types[root].component {
                continue;
            }
            let names: Vec<&str> = members.iter().map(|m| self.types[*m].name.as_str()).collect();
            let by_shape = match &self.types[root].kind {
                TypeKind::Union(u) if u.tag.is_none() && u.variants.len() <= 3 => {
                    Some(u.variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join("Or"))
                }
                _ => None,
            };
            let shortest = names.iter().min_by_key(|n| n.len()).map(|n| (*n).to_owned());
            let free = |n: &String| *n == self.types[root].name || !self.type_scope.holds(n);
            let Some(name) = [crate::names::shared_name(&names), by_shape, shortest].into_iter().flatten().find(free) else {
                continue;
            };
            if name == self.types[root].name {
                continue;
            }
            let holder = format!("the type shared by {}", names.join(", "));
            self.types[root].name = self.type_scope.claim(&name, &[], &holder).name;
        }
    }

    /// For each type, the earlier type it merges into (itself if none),
    /// possibly through a chain. Merging two types can make the types that
    /// refer to them identical in turn, so the scan repeats until nothing
    /// changes.
    fn canonical_ids(&self) -> Vec<usize> {
        let n = self.types.len();
        let mut canon: Vec<usize> = (0..n).collect();
        loop {
            let mut changed = false;
            let mut seen: HashMap<String, usize> = HashMap::new();
            for i in 0..n {
                if canon[i] != i {
                    continue;
                }
                let key = match structural_key(&self.types[i].kind, &canon) {
                    Some(k) => k,
                    None => continue,
                };
                // Components keep their own definitions, and an inline type
                // never takes a component's name: a twin of another
                // product's schema is not that schema.
                if self.types[i].component {
                    continue;
                }
                match seen.get(&key) {
                    Some(&first) => {
                        canon[i] = first;
                        changed = true;
                    }
                    None => {
                        seen.insert(key, i);
                    }
                }
            }
            if !changed {
                return canon;
            }
        }
    }
}

/// A text key equal for structurally identical types (references compared
/// through `canon`); `None` for kinds never merged.
fn structural_key(kind: &TypeKind, canon: &[usize]) -> Option<String> {
    use std::fmt::Write as _;
    fn ty_key(ty: &Ty, canon: &[usize], out: &mut String) {
        match ty {
            Ty::Named(id) => {
                let mut i = id.0;
                while canon[i] != i {
                    i = canon[i];
                }
                let _ = write!(out, "#{i}");
            }
            Ty::Array(t) => {
                out.push('[');
                ty_key(t, canon, out);
                out.push(']');
            }
            Ty::Map(t) => {
                out.push('{');
                ty_key(t, canon, out);
                out.push('}');
            }
            other => {
                let _ = write!(out, "{other:?}");
            }
        }
    }
    let mut out = String::new();
    match kind {
        TypeKind::Struct(s) => {
            out.push('S');
            for f in &s.fields {
                let _ = write!(out, "|{}:{}:{}:{}:", f.wire, f.name, f.required, f.nullable);
                ty_key(&f.ty, canon, &mut out);
                let _ = write!(out, ":{:?}", f.docs);
            }
            if let Some(e) = &s.extra {
                let _ = write!(out, "|+{}:", e.name);
                ty_key(&e.value, canon, &mut out);
            }
        }
        TypeKind::Enum(e) => {
            out.push(if e.integer { 'I' } else { 'E' });
            for v in &e.values {
                let _ = write!(out, "|{}={}:{:?}", v.name, v.wire, v.docs);
            }
            let _ = write!(out, "|{}", e.other);
        }
        TypeKind::Union(u) => {
            out.push('U');
            if let Some(tag) = &u.tag {
                let _ = write!(out, "#{}:{}", tag.property, tag.other);
            }
            for v in &u.variants {
                let _ = write!(out, "|{}:{:?}:{:?}:", v.name, v.tag, v.docs);
                ty_key(&v.ty, canon, &mut out);
            }
        }
        TypeKind::Alias(_) | TypeKind::Pending => return None,
    }
    Some(out)
}

fn rewrite_ty(ty: &mut Ty, f: &dyn Fn(TypeId) -> TypeId) {
    match ty {
        Ty::Named(id) => *id = f(*id),
        Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => rewrite_ty(t, f),
        _ => {}
    }
}
