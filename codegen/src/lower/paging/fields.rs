//! Field paths into a lowered reply type: finding one by its dotted wire
//! name (declarations) or by what it is called and holds (recognition).
//! Reads the model's types only, never the spec.

use super::super::Lowerer;
use crate::model::*;

/// How far into a reply recognition looks for a field (`meta.pages.next`
/// is three steps).
const MAX_STEPS: usize = 3;

/// A wire name reduced to what tells paging names apart: lower case,
/// letters and digits only (`next_page_token`, `nextPageToken`,
/// `NextPageToken` are all `nextpagetoken`).
pub(super) fn norm(wire: &str) -> String {
    wire.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

impl Lowerer<'_, '_> {
    /// What a field's value is, for paging.
    pub(super) fn leaf(&self, ty: &Ty) -> Option<Leaf> {
        match self.unalias(ty.clone()) {
            Ty::Integer(_) => Some(Leaf::Integer),
            Ty::Number => Some(Leaf::Number),
            // Dates go back in the form the query takes (RFC 3339).
            Ty::String | Ty::Uuid | Ty::Date | Ty::DateTime => Some(Leaf::String),
            Ty::Boolean => Some(Leaf::Boolean),
            Ty::Array(_) => Some(Leaf::List),
            _ => None,
        }
    }

    /// The path named by `dotted` wire names from `ty` (`""` or `"."`: `ty`
    /// itself), and the type it ends at; or what could not be followed.
    pub(super) fn path_by_wire(&self, ty: &Ty, dotted: &str) -> Result<(FieldPath, Ty), String> {
        let mut path = FieldPath::default();
        let mut at = ty.clone();
        for wire in dotted.split('.').filter(|w| !w.is_empty()) {
            let fields = self.struct_fields(&at).ok_or_else(|| {
                let so_far = if path.steps.is_empty() { "the reply".to_owned() } else { format!("`{}`", path.dotted()) };
                format!("{so_far} is not an object")
            })?;
            let field = fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
                let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                format!("no property `{wire}` (it has {})", known.join(", "))
            })?;
            path.steps.push(step(field));
            at = field.ty.clone();
        }
        path.leaf = self.leaf(&at).unwrap_or_default();
        Ok((path, at))
    }

    /// The shallowest field (breadth first, in declaration order) whose
    /// wire name is one of `names` (see [`norm`]) and whose value is one
    /// of `leaves`; the search enters objects only.
    pub(super) fn find_path(&self, ty: &Ty, names: &[&str], leaves: &[Leaf]) -> Option<FieldPath> {
        let mut level: Vec<(FieldPath, Ty)> = vec![(FieldPath::default(), ty.clone())];
        for _ in 0..MAX_STEPS {
            let mut next = Vec::new();
            for (path, at) in level {
                for field in self.struct_fields(&at).unwrap_or_default() {
                    let mut deeper = path.clone();
                    deeper.steps.push(step(&field));
                    let leaf = self.leaf(&field.ty);
                    if names.contains(&norm(&field.wire).as_str()) && leaf.is_some_and(|l| leaves.contains(&l)) {
                        deeper.leaf = leaf.unwrap_or_default();
                        return Some(deeper);
                    }
                    next.push((deeper, field.ty.clone()));
                }
            }
            level = next;
        }
        None
    }

    /// Where a reply keeps its items: the reply itself when it is a list;
    /// else its one list property, or among several the one with an
    /// items-like name (`data`, `items`, `results`, ...), or the one named
    /// after the path's last segment (`droplets` for `/v2/droplets`); else
    /// the same inside an envelope object (`result: {annotations: [..]}`).
    /// Lists of errors, messages or warnings are never the items.
    pub(super) fn items_of(&self, reply: &Ty, path: &str) -> Option<(FieldPath, Ty)> {
        if let Ty::Array(item) = self.unalias(reply.clone()) {
            return Some((FieldPath::default(), *item));
        }
        let resource = path.rsplit('/').find(|s| !s.is_empty() && !s.starts_with('{')).map(norm).unwrap_or_default();
        if let Some(found) = self.items_in(reply, &resource) {
            return Some(found);
        }
        let fields = self.struct_fields(reply)?;
        let envelope = fields.iter().find(|f| ENVELOPES.contains(&norm(&f.wire).as_str()) && self.struct_fields(&f.ty).is_some())?;
        let (mut inner, item) = self.items_in(&envelope.ty, &resource)?;
        inner.steps.insert(0, step(envelope));
        Some((inner, item))
    }

    /// The list property of an object that holds its items, if one does.
    fn items_in(&self, object: &Ty, resource: &str) -> Option<(FieldPath, Ty)> {
        let fields = self.struct_fields(object)?;
        let lists: Vec<&Field> = fields
            .iter()
            .filter(|f| matches!(self.unalias(f.ty.clone()), Ty::Array(_)) && !NOT_ITEMS.contains(&norm(&f.wire).as_str()))
            .collect();
        // Among several: the items-like name, the resource's name, or the
        // one list of objects (beside lists of strings or enums).
        let of_objects: Vec<&&Field> = lists
            .iter()
            .filter(|f| matches!(self.unalias(f.ty.clone()), Ty::Array(item) if self.struct_fields(&item).is_some()))
            .collect();
        let chosen = match lists.as_slice() {
            [one] => *one,
            several => *several
                .iter()
                .find(|f| ITEMS.contains(&norm(&f.wire).as_str()))
                .or_else(|| several.iter().find(|f| norm(&f.wire) == resource))
                .or(match of_objects.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                })?,
        };
        let Ty::Array(item) = self.unalias(chosen.ty.clone()) else { return None };
        Some((FieldPath { steps: vec![step(chosen)], leaf: Leaf::List }, *item))
    }
}

/// Lists a reply carries beside its items.
const NOT_ITEMS: &[&str] = &["errors", "messages", "warnings", "notices"];
/// Objects that wrap a reply's payload.
const ENVELOPES: &[&str] = &["result", "data", "response", "payload"];

/// Names a reply gives its list of items.
const ITEMS: &[&str] = &["data", "items", "results", "result", "records", "values", "entries", "list", "elements"];

fn step(field: &Field) -> FieldStep {
    FieldStep {
        name: field.name.clone(),
        wire: field.wire.clone(),
        optional: field.presence() != Presence::Required,
        double: field.presence() == Presence::Nullable,
        boxed: field.boxed,
    }
}
