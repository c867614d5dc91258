//! Walking `paths`: after `naming` has named every group and method, in
//! spec order (so that a name never depends on which operations fail
//! later), lowers each operation and counts coverage.
//!
//! Assembles an [`Operation`] from the other files' pieces (`params`,
//! `bodies`, `responses`, `security`); owns only the path template and the
//! operation's docs.

use super::Lowerer;
use super::naming::{Named, report};
use super::responses::alt_media;
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use std::collections::BTreeMap;

impl<'a> Lowerer<'a, '_> {
    /// Every operation, lowered, in groups sorted by name (methods sorted
    /// within each); groups left with no operation are dropped.
    pub(super) fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Group> {
        let named = self.name_operations();
        let mut groups = self.group_handles(&named);
        // Path parameters become arguments of methods that call the
        // group's request builders, so they must not take those names.
        let mut builders: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for n in &named {
            builders.entry(n.group.clone()).or_default().push(names::request_builder(&n.method_name));
        }
        for n in named {
            let group = n.group.clone();
            let ptr = n.ptr.clone();
            match self.counted_operation(n, &builders[&group], schemes) {
                Some(op) => groups.get_mut(&group).expect("inserted above").operations.push(op),
                None => self.coverage.skipped.push(ptr),
            }
        }
        let mut out: Vec<Group> = groups.into_values().filter(|g| !g.operations.is_empty()).collect();
        for g in &mut out {
            g.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        }
        out
    }

    /// Lowers one operation and records it in the coverage. An operation
    /// that drew an error is left out even if lowering returned it, so
    /// every operation left out has an error to show for it.
    fn counted_operation(&mut self, n: Named<'a>, builders: &[String], schemes: &[SecurityScheme]) -> Option<Operation> {
        let errors_before = self.diags.0.iter().filter(|d| d.severity == crate::Severity::Error).count();
        let warnings_before = self.diags.0.len() - errors_before;
        let op = self.operation(n, builders, schemes);
        let errors_after = self.diags.0.iter().filter(|d| d.severity == crate::Severity::Error).count();
        let warnings_after = self.diags.0.len() - errors_after;
        match op {
            Some(op) if errors_after == errors_before => {
                self.coverage.generated += 1;
                if warnings_after > warnings_before {
                    self.coverage.with_warnings += 1;
                }
                Some(op)
            }
            _ => None,
        }
    }

    /// Second pass, one operation; `None` when a step found something the
    /// client cannot send. The order of the steps is part of the output:
    /// each may take names from the shared type namespace, where the first
    /// to ask gets the plain name.
    fn operation(&mut self, n: Named<'a>, builders: &[String], schemes: &[SecurityScheme]) -> Option<Operation> {
        let Named { path, method, op, item, method_name, ptr, type_prefix, .. } = n;
        if let Method::Other(m) = &method
            && !is_token(m)
        {
            self.diags.error(Kind::Parse, &ptr, format!("`{m}` is not an HTTP method name (a token of RFC 9110)"));
            return None;
        }
        let ptr = ptr.as_str();
        let op_type = format!("{type_prefix}{}", names::camel(&method_name));
        let (params, media_selectors) = self.declared_params(op, item, ptr)?;
        let params_name = self.claim_type(&format!("{op_type}Params"), "parameters struct", ptr);
        let (path_params, singles) = self.lower_params(&params, &op_type)?;
        let (pieces, path_params) = self.path_template(path, path_params, builders, ptr)?;
        let params_struct = if singles.is_empty() {
            None
        } else {
            Some(self.params_struct(params_name, singles, &op_type, ptr))
        };
        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.request_body(rb, &pointer(ptr, "requestBody"), &op_type)?),
        };
        let replies = self.responses(op, ptr, &op_type);
        let alt_media = alt_media(op);
        let alt_streams = self.alt_streams(op, ptr, &op_type);
        let (security, security_optional, failed) = self.operation_security(op, schemes, ptr);
        if failed {
            return None;
        }
        let samples =
            self.call_samples(&params, op.request_body.as_ref(), &path_params, params_struct.as_ref(), body.as_ref());
        let stream_samples = self.stream_samples(op, ptr);
        let docs = operation_docs(op, &method, path);
        Some(Operation {
            operation_id: op.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.as_str())),
            method_name,
            variants: Variants::default(),
            method,
            path: path.to_owned(),
            path_pieces: pieces,
            path_params,
            params: params_struct,
            body,
            responses: replies.responses,
            success: replies.success,
            reply_enum: replies.reply_enum,
            error: replies.error,
            error_enum: replies.error_enum,
            security,
            security_optional,
            alt_media,
            alt_streams,
            media_selectors,
            body_selectors: Vec::new(),
            paging: None,
            docs,
            samples,
            stream_samples,
        })
    }

    /// The path template as pieces, and the path parameters in template
    /// order (the pieces index into them). `None` after an error when the
    /// template names a parameter that is not declared.
    fn path_template(
        &mut self,
        path: &str,
        mut declared: Vec<Param>,
        builders: &[String],
        ptr: &str,
    ) -> Option<(Vec<PathPiece>, Vec<Param>)> {
        let mut pieces = Vec::new();
        let mut ordered: Vec<Param> = Vec::new();
        for segment in split_template(path) {
            let name = match segment {
                Segment::Literal(text) => {
                    pieces.push(PathPiece::Literal(text.to_owned()));
                    continue;
                }
                Segment::Name(name) => name,
            };
            match declared.iter().position(|p| p.wire == name) {
                Some(i) => {
                    ordered.push(declared.remove(i));
                    pieces.push(PathPiece::Param(ordered.len() - 1));
                }
                // A name used twice is one argument.
                None => match ordered.iter().position(|p| p.wire == name) {
                    Some(i) => pieces.push(PathPiece::Param(i)),
                    None => {
                        self.diags.error(
                            Kind::PathTemplate,
                            ptr,
                            format!("path template names `{{{name}}}` but no path parameter `{name}` is declared"),
                        );
                        return None;
                    }
                },
            }
        }
        // Path parameters not in the template cannot be sent; ignore them.
        // The others become method arguments beside `self`, `params` and
        // `body`, the locals of the generated code and the request
        // builders it calls; a clash gets a trailing `_` (`request_`).
        let mut arg_scope = Scope::with_reserved(names::ARGUMENT_RESERVED);
        for b in builders {
            arg_scope.reserve_for(b, &format!("the request builder `{b}`"));
        }
        for p in &mut ordered {
            let fallbacks = arg_scope.beside_ours(&p.name, format!("{}_", p.name));
            let claim = arg_scope.claim(&p.name, &fallbacks, &format!("the path parameter `{}`", p.wire));
            let subject = format!("the argument name `{}` of the path parameter `{}`", p.name, p.wire);
            p.name = report(self.diags, ptr, &subject, claim);
        }
        Some((pieces, ordered))
    }
}

/// Summary and description, then the request line, then deprecation.
fn operation_docs(op: &openapiv3::Operation, method: &Method, path: &str) -> Vec<String> {
    let mut doc_lines = docs::join(&[op.summary.as_deref(), op.description.as_deref()]);
    if !doc_lines.is_empty() {
        doc_lines.push(String::new());
    }
    doc_lines.push(format!("`{} {}`", method.as_str(), path));
    if op.deprecated {
        doc_lines.push(String::new());
        doc_lines.push("Deprecated by the API.".to_owned());
    }
    doc_lines
}

/// An operation that OpenAPI 3.0 has no slot for (3.2's `query` and
/// `additionalOperations`), carried by the loader in a path item's
/// `x-sdk-additional-operations`.
pub(super) struct Extra {
    pub path: String,
    pub method: Method,
    pub op: openapiv3::Operation,
}

/// Every carried operation, in document order; one that does not read as
/// an operation is an error at its place (and left out).
pub(super) fn additional_operations(spec: &openapiv3::OpenAPI, diags: &mut crate::Diagnostics) -> Vec<Extra> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        let openapiv3::ReferenceOr::Item(item) = item else { continue };
        let Some(serde_json::Value::Object(ops)) = item.extensions.get("x-sdk-additional-operations") else { continue };
        for (name, op) in ops {
            let method = if name == "QUERY" { Method::Query } else { Method::Other(name.clone()) };
            let ptr = operation_pointer(path, &method);
            match serde_json::from_value::<openapiv3::Operation>(op.clone()) {
                Ok(op) => out.push(Extra { path: path.clone(), method, op }),
                Err(e) => diags.error(Kind::Parse, ptr, format!("not an operation: {e}")),
            }
        }
    }
    out
}

/// Where an operation is in the description: `#/paths/~1a/get`, 3.2's
/// `#/paths/~1a/query` and `#/paths/~1a/additionalOperations/COPY`.
pub(super) fn operation_pointer(path: &str, method: &Method) -> String {
    let item = pointer("#/paths", path);
    match method {
        Method::Other(m) => pointer(&pointer(&item, "additionalOperations"), m),
        m => pointer(&item, &m.as_str().to_ascii_lowercase()),
    }
}

/// Whether a method name is an RFC 9110 token.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A piece of a path template before its names are matched to parameters.
#[derive(Debug, PartialEq)]
enum Segment<'p> {
    Literal(&'p str),
    Name(&'p str),
}

/// Splits `/a/{b}/c` into literals and `{names}`. An unclosed `{` ends the
/// template: the rest is literal text.
fn split_template(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            out.push(Segment::Literal(&rest[..start]));
        }
        out.push(Segment::Name(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Segment::{Literal, Name};
    use super::split_template;

    #[test]
    fn path_templates_split_into_literals_and_names() {
        let cases: &[(&str, &[super::Segment])] = &[
            ("", &[]),
            ("/zones", &[Literal("/zones")]),
            ("/zones/{zone_id}", &[Literal("/zones/"), Name("zone_id")]),
            ("/a/{b}/c/{d}.json", &[Literal("/a/"), Name("b"), Literal("/c/"), Name("d"), Literal(".json")]),
            ("{a}{b}", &[Name("a"), Name("b")]),
            ("/a/{b}/{b}", &[Literal("/a/"), Name("b"), Literal("/"), Name("b")]),
            ("/a/{b", &[Literal("/a/{b")]),
            ("/a/{b}/{c", &[Literal("/a/"), Name("b"), Literal("/{c")]),
            ("/a/{}", &[Literal("/a/"), Name("")]),
        ];
        for (path, want) in cases {
            assert_eq!(split_template(path), *want, "{path}");
        }
    }
}
