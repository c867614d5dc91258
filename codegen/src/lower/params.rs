//! Parameters: which locations and styles can be sent, the parameter's
//! type as text on the wire, its checks and documented default, exploded
//! query objects, and the params struct (dotted names grouped).
//!
//! Does not follow `$ref`s (`refs` does) nor read the path template
//! (`operations` does).

use super::Lowerer;
use super::view::{SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle};
use serde_json::Value;
use std::collections::HashMap;

impl<'a> Lowerer<'a, '_> {
    /// The parameters that apply to an operation, each with its pointer:
    /// path-level ones first, replaced by operation-level ones of the same
    /// name and location. Query flags that switch the reply's media type
    /// come back apart, as selectors: they are not user-settable, the
    /// media type's own method sets them.
    #[allow(clippy::type_complexity)]
    pub(super) fn declared_params(
        &mut self,
        op: &'a openapiv3::Operation,
        item: &'a openapiv3::PathItem,
        ptr: &str,
    ) -> Option<(Vec<(&'a Parameter, String)>, Vec<MediaSelector>)> {
        let mut params: Vec<(&'a Parameter, String)> = Vec::new();
        let item_ptr = ptr.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        for (base, list) in [(pointer(&item_ptr, "parameters"), &item.parameters), (pointer(ptr, "parameters"), &op.parameters)] {
            for (i, p) in list.iter().enumerate() {
                let pptr = pointer(&base, &i.to_string());
                let (param, pptr) = self.resolve_parameter(p, &pptr)?;
                let data = param.parameter_data_ref();
                let loc = location_key(param);
                params.retain(|(q, _)| !(q.parameter_data_ref().name == data.name && location_key(q) == loc));
                params.push((param, pptr));
            }
        }
        let mut media_selectors = Vec::new();
        params.retain(|(param, _)| {
            let data = param.parameter_data_ref();
            match data.extensions.get("x-sdk-selects-media-type").and_then(Value::as_str) {
                Some(media) if matches!(param, Parameter::Query { .. }) => {
                    media_selectors.push(MediaSelector { wire: data.name.clone(), media: media.to_owned() });
                    false
                }
                _ => true,
            }
        });
        Some((params, media_selectors))
    }

    /// Lowers every parameter: path ones (which become method arguments),
    /// then the others. `None` when any cannot be sent, after all of them
    /// were looked at, so that one run reports every problem.
    pub(super) fn lower_params(
        &mut self,
        params: &[(&'a Parameter, String)],
        op_type: &str,
    ) -> Option<(Vec<Param>, Vec<Param>)> {
        let mut path_params = Vec::new();
        let mut singles: Vec<Param> = Vec::new();
        let mut failed = false;
        for (param, pptr) in params {
            match self.parameter(param, pptr, op_type) {
                Ok(ps) => {
                    for p in ps {
                        if p.location == Location::Path {
                            path_params.push(p);
                        } else {
                            singles.push(p);
                        }
                    }
                }
                Err(()) => failed = true,
            }
        }
        (!failed).then_some((path_params, singles))
    }

    /// One declared parameter as the parameters it is sent as: none for a
    /// header the client manages, several for an exploded query object.
    fn parameter(&mut self, param: &'a Parameter, ptr: &str, op_type: &str) -> Result<Vec<Param>, ()> {
        let data = param.parameter_data_ref();
        let Some((location, explode)) = self.param_location(param, ptr)? else { return Ok(Vec::new()) };
        let schema = self.param_schema(data, ptr)?;
        let sptr = pointer(ptr, "schema");
        let hint = format!("{op_type}{}", names::camel(&data.name));
        let ty = self.param_type(schema, &sptr, &hint, &data.name);
        if location == Location::Query && explode {
            if let Some(fields) = self.struct_fields(&ty) {
                // `style: form, explode: true` sends each property as its own
                // query parameter.
                return self.expand_object_param(data, fields, &sptr);
            }
        }
        if !self.param_ty_ok(&ty, location == Location::Query) {
            self.diags.error(
                Kind::UnsupportedParameter,
                &sptr,
                format!("parameter `{}` has a structured schema that cannot go in a {location:?} string", data.name),
            );
            return Err(());
        }
        let (checks, default) = self.param_checks(schema, &ty, &sptr);
        let docs = self.param_docs(data, schema, default.as_deref());
        let example = self.param_example(data, schema);
        Ok(vec![Param {
            name: names::snake(&data.name),
            wire: data.name.clone(),
            ty,
            required: data.required || location == Location::Path,
            location,
            checks,
            explode,
            default,
            example,
            docs,
        }])
    }

    /// Where a parameter goes and whether it is exploded. `Ok(None)` for a
    /// header the client sets itself; `Err` for what it cannot send.
    fn param_location(&mut self, param: &Parameter, ptr: &str) -> Result<Option<(Location, bool)>, ()> {
        let data = param.parameter_data_ref();
        Ok(Some(match param {
            Parameter::Path { .. } => (Location::Path, false),
            Parameter::Query { style, .. } => {
                match style {
                    QueryStyle::Form => {}
                    other => {
                        self.diags.error(
                            Kind::UnsupportedParameter,
                            ptr,
                            format!("query parameter `{}` uses style `{other:?}`", data.name),
                        );
                        return Err(());
                    }
                }
                (Location::Query, data.explode.unwrap_or(true))
            }
            Parameter::Header { .. } => {
                // OpenAPI says these three are ignored when declared as parameters.
                let lower = data.name.to_ascii_lowercase();
                if ["accept", "content-type", "authorization"].contains(&lower.as_str()) {
                    self.diags.warn(
                        Kind::UnsupportedParameter,
                        ptr,
                        format!("header parameter `{}` is managed by the client (OpenAPI ignores it); not exposed", data.name),
                    );
                    return Ok(None);
                }
                (Location::Header, false)
            }
            Parameter::Cookie { .. } => {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    ptr,
                    format!("cookie parameter `{}` cannot be sent by this client", data.name),
                );
                return Err(());
            }
        }))
    }

    fn param_schema(&mut self, data: &'a openapiv3::ParameterData, ptr: &str) -> Result<SRef<'a>, ()> {
        match &data.format {
            ParameterSchemaOrContent::Schema(s) => Ok(SRef::from(s)),
            ParameterSchemaOrContent::Content(_) => {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    ptr,
                    format!("parameter `{}` is described by `content`, not `schema`", data.name),
                );
                Err(())
            }
        }
    }

    /// The parameter's type. A parameter is text on the wire whatever its
    /// schema says, so an untyped one still gets a scalar type (with a
    /// warning) rather than JSON.
    fn param_type(&mut self, schema: SRef<'a>, sptr: &str, hint: &str, wire: &str) -> Ty {
        let lowered = self.lower(schema, sptr, hint);
        let mut ty = self.unalias(lowered);
        if let Ty::Array(inner) = &ty {
            if **inner == Ty::Json {
                // `items: {}`: each item is text on the wire.
                ty = Ty::Array(Box::new(Ty::String));
            }
        }
        if ty == Ty::Json {
            // With no type given, the constraints tell numbers from strings.
            let v = self.peek(schema).map(View::of);
            let numeric = v.as_ref().is_some_and(|v| {
                v.minimum.is_some() || v.maximum.is_some() || v.default.is_some_and(Value::is_number)
            });
            let boolean = v.as_ref().is_some_and(|v| v.default.is_some_and(Value::is_boolean));
            ty = if numeric { Ty::Number } else if boolean { Ty::Boolean } else { Ty::String };
            let shown = match ty {
                Ty::Number => "number",
                Ty::Boolean => "boolean",
                _ => "string",
            };
            self.diags.warn(
                Kind::UntypedFallback,
                sptr,
                format!("parameter `{wire}` has no type; it is taken as a {shown}"),
            );
        }
        ty
    }

    /// The bounds the client checks before sending, and the default when
    /// it conforms (it is only documented: the server applies it).
    fn param_checks(&mut self, schema: SRef<'a>, ty: &Ty, sptr: &str) -> (Checks, Option<String>) {
        match self.peek(schema) {
            Some(s) => {
                let v = View::of(s);
                let checks = Checks {
                    minimum: v.minimum,
                    exclusive_minimum: v.exclusive_minimum,
                    maximum: v.maximum,
                    exclusive_maximum: v.exclusive_maximum,
                    min_length: v.min_length,
                    max_length: v.max_length,
                };
                let default = v.default.and_then(|d| self.check_default(d, ty, &checks, sptr));
                (checks, default)
            }
            None => (Checks::default(), None),
        }
    }

    /// The parameter's own description, else its schema's, else the docs
    /// of the schema's alternatives; then the default.
    fn param_docs(&self, data: &openapiv3::ParameterData, schema: SRef<'a>, default: Option<&str>) -> Vec<String> {
        let mut doc = match data.description.as_deref().or_else(|| self.description_of(schema)) {
            Some(d) => docs::clean(d),
            None => self.alternative_docs(schema),
        };
        if let Some(d) = default {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("The server's default: `{d}`."));
        }
        doc
    }

    /// The fields of a struct type, seen through aliases; `None` for any
    /// other type.
    pub(super) fn struct_fields(&self, ty: &Ty) -> Option<Vec<Field>> {
        match self.unalias(ty.clone()) {
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// One query parameter per property of an exploded query object. Each
    /// is required only when the object and the property both are.
    fn expand_object_param(
        &mut self,
        data: &openapiv3::ParameterData,
        fields: Vec<Field>,
        ptr: &str,
    ) -> Result<Vec<Param>, ()> {
        let mut out = Vec::new();
        for f in fields {
            let mut ty = self.unalias(f.ty.clone());
            ty = match ty {
                Ty::Json => Ty::String,
                Ty::Array(inner) if *inner == Ty::Json => Ty::Array(Box::new(Ty::String)),
                other => other,
            };
            if !self.param_ty_ok(&ty, true) {
                self.diags.error(
                    Kind::UnsupportedParameter,
                    pointer(&pointer(ptr, "properties"), &f.wire),
                    format!("property `{}` of query object `{}` is structured", f.wire, data.name),
                );
                return Err(());
            }
            out.push(Param {
                name: names::snake(&f.wire),
                wire: f.wire.clone(),
                ty,
                required: data.required && f.required && !f.nullable,
                location: Location::Query,
                checks: Checks::default(),
                explode: true,
                default: None,
                example: None,
                docs: f.docs.clone(),
            });
        }
        Ok(out)
    }

    /// Types that have one obvious text form on the wire.
    fn param_ty_ok(&self, ty: &Ty, allow_array: bool) -> bool {
        match ty {
            Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Integer(_) | Ty::Number | Ty::Boolean => true,
            Ty::Array(inner) => allow_array && self.param_ty_ok(inner, false),
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Enum(_) => true,
                TypeKind::Union(vs) => vs.iter().all(|v| self.param_ty_ok(&v.ty, false)),
                TypeKind::Alias(t) => self.param_ty_ok(t, allow_array),
                _ => false,
            },
            Ty::Json | Ty::JsonObject | Ty::Map(_) => false,
        }
    }

    /// Returns the default as text when it conforms; warns otherwise.
    fn check_default(&mut self, d: &Value, ty: &Ty, checks: &Checks, ptr: &str) -> Option<String> {
        let ok = match (ty, d) {
            (Ty::Integer(_), Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            (Ty::Number, Value::Number(_)) => true,
            (Ty::Boolean, Value::Bool(_)) => true,
            (Ty::String | Ty::Uuid, Value::String(_)) => true,
            (Ty::Date, Value::String(s)) => is_full_date(s),
            (Ty::DateTime, Value::String(s)) => s.len() > 10 && is_full_date(&s[..10]),
            (Ty::Named(id), Value::String(s)) => match &self.types[id.0].kind {
                TypeKind::Enum(e) => e.values.iter().any(|v| &v.wire == s),
                _ => true,
            },
            (Ty::Array(_), Value::Array(_)) => true,
            _ => false,
        };
        let in_bounds = match d.as_f64() {
            Some(f) => checks.minimum.is_none_or(|m| f >= m) && checks.maximum.is_none_or(|m| f <= m),
            None => true,
        };
        if ok && in_bounds {
            Some(match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        } else {
            self.diags.warn(
                Kind::NonConformingDefault,
                pointer(ptr, "default"),
                format!("default `{d}` does not conform to the schema; it is left out of the docs"),
            );
            None
        }
    }

    /// The struct of an operation's query and header parameters. Dotted
    /// optional query parameters (`actor.email`) are grouped by their first
    /// segment into a nested struct; the wire name stays whole.
    pub(super) fn params_struct(&mut self, name: String, singles: Vec<Param>, op_type: &str, ptr: &str) -> ParamsStruct {
        // Each field gets a setter of its own name beside the `new`
        // constructor and what the derives add, in the struct and in each
        // struct of dotted parameters; a clash gets a trailing `_` (`new_`).
        let mut scope = Scope::with_reserved(names::PARAMS_RESERVED);
        let mut inner: Vec<Scope> = Vec::new();
        let mut members: Vec<ParamMember> = Vec::new();
        let mut group_index: HashMap<String, usize> = HashMap::new();
        let pptr = pointer(ptr, "parameters");
        for mut p in singles {
            let dotted = (p.location == Location::Query && !p.required)
                .then(|| p.wire.split_once('.'))
                .flatten()
                .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !names::snake(a).starts_with('_'));
            let Some((prefix, rest)) = dotted else {
                p.name = self.claim_field(&mut scope, &p.name, &format!("the parameter `{}`", p.wire), &pptr);
                members.push(ParamMember::Single(p));
                continue;
            };
            let (prefix, field) = (prefix.to_owned(), names::snake(rest));
            let i = match group_index.get(&prefix) {
                Some(&i) => i,
                None => {
                    let type_name = self.claim_type(&format!("{op_type}{}", names::camel(&prefix)), "dotted parameters struct", ptr);
                    let holder = format!("the parameters `{prefix}.*`");
                    let name = self.claim_field(&mut scope, &names::snake(&prefix), &holder, &pptr);
                    group_index.insert(prefix.clone(), members.len());
                    inner.push(Scope::with_reserved(names::PARAMS_RESERVED));
                    members.push(ParamMember::Group(ParamGroup { name, wire_prefix: prefix, type_name, params: Vec::new() }));
                    members.len() - 1
                }
            };
            let slot = members[..i].iter().filter(|m| matches!(m, ParamMember::Group(_))).count();
            p.name = self.claim_field(&mut inner[slot], &field, &format!("the parameter `{}`", p.wire), &pptr);
            if let ParamMember::Group(g) = &mut members[i] {
                g.params.push(p);
            }
        }
        ParamsStruct { name, members }
    }

    /// A field (and setter) name in a parameters struct.
    fn claim_field(&mut self, scope: &mut Scope, base: &str, holder: &str, ptr: &str) -> String {
        let claim = scope.claim(base, &scope.beside_ours(base, format!("{base}_")), holder);
        super::naming::report(self.diags, ptr, &format!("the field name `{base}` of {holder}"), claim)
    }

    /// The parameter's `example`, else its schema's, as text (strings
    /// without quotes); `None` for structured examples.
    fn param_example(&self, data: &openapiv3::ParameterData, schema: SRef<'a>) -> Option<String> {
        let from_schema = || self.peek(schema).and_then(|s| s.schema_data.example.as_ref());
        match data.example.as_ref().or_else(from_schema)? {
            Value::String(s) => Some(s.clone()),
            v @ (Value::Number(_) | Value::Bool(_)) => Some(v.to_string()),
            _ => None,
        }
    }
}

/// A parameter is identified by its name and location together: `id` in
/// the query and `id` in a header are two parameters.
fn location_key(p: &Parameter) -> u8 {
    match p {
        Parameter::Query { .. } => 0,
        Parameter::Header { .. } => 1,
        Parameter::Path { .. } => 2,
        Parameter::Cookie { .. } => 3,
    }
}

/// `YYYY-MM-DD` by shape only: month and day ranges are not checked.
fn is_full_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
