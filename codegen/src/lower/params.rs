//! Parameters: where each goes and in which style (OpenAPI's `style` and
//! `explode` with their defaults per location, or JSON text for one
//! described by `content`), its type, whether the style can write values
//! of that shape, exploded query objects, and the params struct (dotted
//! names grouped). Checks and defaults are `checks`'s.
//!
//! Does not follow `$ref`s (`refs` does) nor read the path template
//! (`operations` does).

use super::Lowerer;
use super::view::{SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use super::responses::is_json;
use openapiv3::{CookieStyle, HeaderStyle, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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
        if let Some(media) = data.extensions.get("x-sdk-querystring").and_then(Value::as_str) {
            // The loader turned the form-encoded kind into a `form` object.
            let message = format!(
                "`in: querystring` with `{media}` content is not supported: only `application/x-www-form-urlencoded`, \
                 whose object's properties are the query string"
            );
            self.diags.error(Kind::UnsupportedParameter, pointer(ptr, "content"), message);
            return Err(());
        }
        let Some((location, style, explode)) = self.param_location(param, ptr) else { return Ok(Vec::new()) };
        let (schema, sptr, media) = self.param_schema(data, ptr)?;
        // JSON text is one value: nothing to explode.
        let (style, explode) = match &media {
            Some(m) if is_json(m) => (Style::Json, false),
            _ => (style, explode),
        };
        let hint = format!("{op_type}{}", names::camel(&data.name));
        let ty = match schema {
            Some(schema) => self.param_type(schema, &sptr, &hint, &data.name, style),
            // `content` without a schema: any JSON value, or text.
            None if style == Style::Json => Ty::Json,
            None => Ty::String,
        };
        if let Some(m) = media.as_deref().filter(|m| !is_json(m)) {
            if self.shape_depth(&ty, &mut HashSet::new()) > 0 {
                let message = format!("parameter `{}` is `{m}` content of a structured schema, which only JSON can write", data.name);
                self.diags.error(Kind::UnsupportedParameter, &sptr, message);
                return Err(());
            }
        }
        if location == Location::Query && style == Style::Form && explode && media.is_none() {
            if let Some(fields) = self.struct_fields(&ty) {
                // `style: form, explode: true` sends each property as its own
                // query parameter.
                return Ok(self.expand_object_param(data, fields));
            }
        }
        if !self.style_fits(&ty, style, explode) {
            let message = format!(
                "parameter `{}` can hold structures nested in lists or objects, which style `{}`{} cannot write \
                 (only a scalar, or a list or object of scalars)",
                data.name,
                style_name(style),
                if explode { " (exploded)" } else { "" }
            );
            self.diags.error(Kind::UnsupportedParameter, &sptr, message);
            return Err(());
        }
        let (checks, default) = match schema {
            Some(schema) => self.param_checks(schema, &ty, &sptr),
            None => (Checks::default(), None),
        };
        let docs = self.param_docs(data, schema, default.as_deref());
        let example = self.param_example(data, schema);
        Ok(vec![Param {
            name: names::snake(&data.name),
            wire: data.name.clone(),
            ty,
            required: data.required || location == Location::Path,
            location,
            checks,
            style,
            explode,
            default,
            example,
            docs,
        }])
    }

    /// Where a parameter goes, its style and whether it is exploded (the
    /// spec's defaults: `form` exploded in a query or cookie, `simple` not
    /// exploded in a path or header). `None` for a header the client sets
    /// itself.
    fn param_location(&mut self, param: &Parameter, ptr: &str) -> Option<(Location, Style, bool)> {
        let data = param.parameter_data_ref();
        let (location, style) = match param {
            Parameter::Path { style, .. } => (
                Location::Path,
                match style {
                    PathStyle::Simple => Style::Simple,
                    PathStyle::Label => Style::Label,
                    PathStyle::Matrix => Style::Matrix,
                },
            ),
            Parameter::Query { style, .. } => (
                Location::Query,
                match style {
                    QueryStyle::Form => Style::Form,
                    QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    QueryStyle::PipeDelimited => Style::PipeDelimited,
                    QueryStyle::DeepObject => Style::DeepObject,
                },
            ),
            Parameter::Header { style: HeaderStyle::Simple, .. } => {
                // OpenAPI says these three are ignored when declared as parameters.
                let lower = data.name.to_ascii_lowercase();
                if ["accept", "content-type", "authorization"].contains(&lower.as_str()) {
                    self.diags.warn(
                        Kind::UnsupportedParameter,
                        ptr,
                        format!("header parameter `{}` is managed by the client (OpenAPI ignores it); not exposed", data.name),
                    );
                    return None;
                }
                (Location::Header, Style::Simple)
            }
            Parameter::Cookie { style: CookieStyle::Form, .. } => (Location::Cookie, Style::Form),
        };
        // `deepObject` is only defined exploded, whatever `explode` says.
        let explode = style == Style::DeepObject || data.explode.unwrap_or(style == Style::Form);
        Some((location, style, explode))
    }

    /// The parameter's schema (`None`: any value), its pointer, and the
    /// media type when it is described by `content` (whose one entry, a
    /// JSON one first, is read).
    #[allow(clippy::type_complexity)]
    fn param_schema(
        &mut self,
        data: &'a openapiv3::ParameterData,
        ptr: &str,
    ) -> Result<(Option<SRef<'a>>, String, Option<String>), ()> {
        match &data.format {
            ParameterSchemaOrContent::Schema(s) => Ok((Some(SRef::from(s)), pointer(ptr, "schema"), None)),
            ParameterSchemaOrContent::Content(content) => {
                let Some((media, m)) = content.iter().find(|(m, _)| is_json(m)).or_else(|| content.first()) else {
                    let message = format!("parameter `{}` has an empty `content`: no media type says how to write it", data.name);
                    self.diags.error(Kind::UnsupportedParameter, pointer(ptr, "content"), message);
                    return Err(());
                };
                let sptr = pointer(&pointer(&pointer(ptr, "content"), media), "schema");
                Ok((m.schema.as_ref().map(SRef::from), sptr, Some(media.clone())))
            }
        }
    }

    /// The parameter's type. A styled parameter is text on the wire
    /// whatever its schema says, so an untyped one still gets a scalar
    /// type (with a warning) rather than JSON; a JSON one keeps any value.
    fn param_type(&mut self, schema: SRef<'a>, sptr: &str, hint: &str, wire: &str, style: Style) -> Ty {
        let lowered = self.lower(schema, sptr, hint);
        let mut ty = self.unalias(lowered);
        if style == Style::Json {
            return ty;
        }
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

    /// The parameter's own description, else its schema's, else the docs
    /// of the schema's alternatives; then the default.
    fn param_docs(&self, data: &openapiv3::ParameterData, schema: Option<SRef<'a>>, default: Option<&str>) -> Vec<String> {
        let own = data.description.as_deref().or_else(|| schema.and_then(|s| self.description_of(s)));
        let mut doc = match own {
            Some(d) => docs::clean(d),
            None => schema.map(|s| self.alternative_docs(s)).unwrap_or_default(),
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
    /// is required only when the object and the property both are. A
    /// property that is itself an object or a map goes in brackets
    /// (`prop[key]=value`), as form-encoded APIs expect.
    fn expand_object_param(&mut self, data: &openapiv3::ParameterData, fields: Vec<Field>) -> Vec<Param> {
        let mut out = Vec::new();
        for f in fields {
            let ty = match self.unalias(f.ty.clone()) {
                Ty::Json => Ty::String,
                Ty::Array(inner) if *inner == Ty::Json => Ty::Array(Box::new(Ty::String)),
                other => other,
            };
            let style = if self.is_object_ty(&ty) { Style::DeepObject } else { Style::Form };
            out.push(Param {
                name: names::snake(&f.wire),
                wire: f.wire.clone(),
                ty,
                required: data.required && f.required && !f.nullable,
                location: Location::Query,
                checks: Checks::default(),
                style,
                explode: true,
                default: None,
                example: None,
                docs: f.docs.clone(),
            });
        }
        out
    }

    /// Whether values of `ty` are objects (structs, maps), seen through aliases.
    fn is_object_ty(&self, ty: &Ty) -> bool {
        match self.unalias(ty.clone()) {
            Ty::Map(_) | Ty::JsonObject => true,
            Ty::Named(id) => matches!(self.types[id.0].kind, TypeKind::Struct(_)),
            _ => false,
        }
    }

    /// Whether `style` can write every value of `ty`. `deepObject`, an
    /// exploded `form` and JSON write any nesting (the first two with
    /// brackets); the others only a scalar, or a list or object of scalars.
    pub(super) fn style_fits(&self, ty: &Ty, style: Style, explode: bool) -> bool {
        match style {
            Style::Json | Style::DeepObject => true,
            Style::Form if explode => true,
            _ => self.shape_depth(ty, &mut HashSet::new()) <= 1,
        }
    }

    /// How deeply values of `ty` nest: 0 for a scalar, 1 for a list or
    /// object of scalars, and so on; the deepest alternative of a union.
    /// A value of any shape (`{}`) counts as a scalar: the runtime refuses
    /// a nested one when it is sent.
    pub(super) fn shape_depth(&self, ty: &Ty, seen: &mut HashSet<TypeId>) -> usize {
        match ty {
            Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Integer(_) | Ty::Number | Ty::Boolean | Ty::Json => 0,
            Ty::JsonObject => 1,
            Ty::Array(inner) | Ty::Map(inner) => 1 + self.shape_depth(inner, seen),
            Ty::Nullable(inner) => self.shape_depth(inner, seen),
            Ty::Named(id) => {
                if !seen.insert(*id) {
                    // Recursive: nests as deep as the caller likes.
                    return usize::MAX / 2;
                }
                let depth = match &self.types[id.0].kind {
                    TypeKind::Enum(_) | TypeKind::Pending => 0,
                    TypeKind::Alias(t) => self.shape_depth(t, seen),
                    TypeKind::Union(u) => u.variants.iter().map(|v| self.shape_depth(&v.ty, seen)).max().unwrap_or(0),
                    TypeKind::Struct(s) => 1 + s.fields.iter().map(|f| self.shape_depth(&f.ty, seen)).max().unwrap_or(0),
                };
                seen.remove(id);
                depth
            }
        }
    }

    /// The struct of an operation's query, header and cookie parameters. Dotted
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
    fn param_example(&self, data: &openapiv3::ParameterData, schema: Option<SRef<'a>>) -> Option<String> {
        let from_schema = || schema.and_then(|s| self.peek(s)).and_then(|s| s.schema_data.example.as_ref());
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

/// A style as the spec spells it, for messages.
fn style_name(style: Style) -> &'static str {
    match style {
        Style::Form => "form",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
        Style::Simple => "simple",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::Json => "json",
    }
}
