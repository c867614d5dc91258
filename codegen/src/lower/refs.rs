//! Following `$ref`s: the only place that parses reference text
//! (`#/components/<section>/<name>`). Everything else asks for the target
//! and never looks inside a reference.
//!
//! `resolve` and `resolve_parameter` report what they cannot follow;
//! `peek` stays silent, because it answers questions about schemas whose
//! problems are reported once, when they are lowered. `unalias` follows the
//! model's aliases, the lowered counterpart of a chain of `$ref`s.

use super::view::SRef;
use super::{Lowerer, MAX_DEPTH};
use crate::diagnostics::{Kind, pointer};
use crate::model::*;
use openapiv3::{Parameter, ReferenceOr, RequestBody, Response as OaResponse, Schema};

impl<'a> Lowerer<'a, '_> {
    /// Splits `#/components/<section>/<name>` into the unescaped name.
    pub(super) fn ref_name(&mut self, reference: &str, section: &str, ptr: &str, fatal: bool) -> Option<String> {
        let prefix = format!("#/components/{section}/");
        if let Some(rest) = reference.strip_prefix(&prefix) {
            if !rest.contains('/') {
                return Some(rest.replace("~1", "/").replace("~0", "~"));
            }
        }
        let (kind, msg) = if reference.starts_with('#') {
            (Kind::UnresolvedRef, format!("`$ref: {reference}` does not point into `#/components/{section}`"))
        } else {
            (Kind::ExternalRef, format!("`$ref: {reference}` points outside this document"))
        };
        if fatal {
            self.diags.error(kind, ptr, msg);
        } else {
            self.diags.warn(kind, ptr, format!("{msg}; using a JSON value"));
        }
        None
    }

    /// Follows `$ref`s to a schema. Returns the schema, its pointer, and the
    /// component name when it came from one.
    pub(super) fn resolve(&mut self, s: SRef<'a>, ptr: &str) -> Option<(&'a Schema, String, Option<&'a str>)> {
        let mut current = s;
        let mut at = ptr.to_owned();
        let mut comp = None;
        for _ in 0..MAX_DEPTH {
            match current {
                SRef::Item(schema) => return Some((schema, at, comp)),
                SRef::Ref(r) => {
                    let name = self.ref_name(r, "schemas", &at, false)?;
                    let Some((key, target)) =
                        self.spec.components.as_ref().and_then(|c| c.schemas.get_key_value(&name))
                    else {
                        self.diags.warn(
                            Kind::UnresolvedRef,
                            &at,
                            format!("`$ref: {r}` points at nothing; using a JSON value"),
                        );
                        return None;
                    };
                    at = pointer("#/components/schemas", key);
                    comp = Some(key.as_str());
                    current = SRef::from(target);
                }
            }
        }
        self.diags.warn(Kind::UnresolvedRef, ptr, "`$ref` chain too deep (a cycle?); using a JSON value");
        None
    }

    /// Resolves without reporting (for questions asked of schemas already
    /// reported on when lowered).
    pub(super) fn peek(&self, s: SRef<'a>) -> Option<&'a Schema> {
        let mut current = s;
        for _ in 0..MAX_DEPTH {
            match current {
                SRef::Item(schema) => return Some(schema),
                SRef::Ref(r) => {
                    let name = r.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
                    current = SRef::from(self.spec.components.as_ref()?.schemas.get(&name)?);
                }
            }
        }
        None
    }

    /// Follows parameter `$ref`s to the parameter and its pointer. Unlike a
    /// schema, a parameter that cannot be followed is an error: the
    /// operation cannot be called correctly without it.
    pub(super) fn resolve_parameter(&mut self, p: &'a ReferenceOr<Parameter>, ptr: &str) -> Option<(&'a Parameter, String)> {
        let mut current = p;
        let mut at = ptr.to_owned();
        for _ in 0..MAX_DEPTH {
            match current {
                ReferenceOr::Item(param) => return Some((param, at)),
                ReferenceOr::Reference { reference } => {
                    let name = self.ref_name(reference, "parameters", &at, true)?;
                    let Some((key, next)) =
                        self.spec.components.as_ref().and_then(|c| c.parameters.get_key_value(&name))
                    else {
                        self.diags.error(Kind::UnresolvedRef, &at, format!("`$ref: {reference}` points at nothing"));
                        return None;
                    };
                    at = pointer("#/components/parameters", key);
                    current = next;
                }
            }
        }
        self.diags.error(Kind::UnresolvedRef, ptr, "`$ref` chain too deep (a cycle?)");
        None
    }

    /// Sees through [`TypeKind::Alias`].
    pub(super) fn unalias(&self, ty: Ty) -> Ty {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            match &ty {
                Ty::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(t) => ty = t.clone(),
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Follows a request body `$ref` into `#/components/requestBodies`
    /// (one step only); `None` after an error when it cannot.
    pub(super) fn resolve_request_body(
        &mut self,
        rb: &'a ReferenceOr<RequestBody>,
        ptr: &str,
    ) -> Option<(&'a RequestBody, String)> {
        match rb {
            ReferenceOr::Item(b) => Some((b, ptr.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = self.ref_name(reference, "requestBodies", ptr, true)?;
                let Some((key, b)) = self.spec.components.as_ref().and_then(|c| c.request_bodies.get_key_value(&name)) else {
                    self.diags.error(Kind::UnresolvedRef, ptr, format!("`$ref: {reference}` points at nothing"));
                    return None;
                };
                match b {
                    ReferenceOr::Item(b) => Some((b, pointer("#/components/requestBodies", key))),
                    ReferenceOr::Reference { .. } => {
                        self.diags.error(Kind::UnresolvedRef, ptr, "request body `$ref` to another `$ref`");
                        None
                    }
                }
            }
        }
    }

    /// Follows a response `$ref` into `#/components/responses` (one step
    /// only); `None` after a warning when it cannot. Unlike a body, a
    /// response that cannot be followed does not cost the operation: its
    /// payload is kept as JSON.
    pub(super) fn resolve_response(&mut self, r: &'a ReferenceOr<OaResponse>, ptr: &str) -> Option<(&'a OaResponse, String)> {
        match r {
            ReferenceOr::Item(resp) => Some((resp, ptr.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = self.ref_name(reference, "responses", ptr, false)?;
                let Some((key, ReferenceOr::Item(resp))) =
                    self.spec.components.as_ref().and_then(|c| c.responses.get_key_value(&name))
                else {
                    self.diags.warn(Kind::UnresolvedRef, ptr, format!("`$ref: {reference}` points at nothing; body kept as JSON"));
                    return None;
                };
                Some((resp, pointer("#/components/responses", key)))
            }
        }
    }
}
