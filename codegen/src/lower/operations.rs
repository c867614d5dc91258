//! Walking `paths`: names every group and method first, in spec order, so
//! that a name never depends on which operations fail later; then lowers
//! each operation and counts coverage.
//!
//! Assembles an [`Operation`] from the other files' pieces (`params`,
//! `bodies`, `responses`, `security`); owns only the path template and the
//! operation's docs.

use super::Lowerer;
use super::responses::alt_media;
use crate::diagnostics::{Kind, pointer};
use crate::docs;
use crate::model::*;
use crate::names::{self, Scope};
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// An operation whose group and method names are decided, waiting to be
/// lowered.
struct Named<'a> {
    path: &'a str,
    method: Method,
    op: &'a openapiv3::Operation,
    item: &'a PathItem,
    group: String,
    group_docs: Option<&'a str>,
    method_name: String,
}

impl<'a> Lowerer<'a, '_> {
    /// Every operation, lowered, in groups sorted by name (methods sorted
    /// within each); groups left with no operation are dropped.
    pub(super) fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Group> {
        let named = self.name_operations();
        let mut groups = self.group_handles(&named);
        for n in named {
            let group = n.group.clone();
            let group_type = groups[&group].type_name.clone();
            let ptr = pointer(&pointer("#/paths", n.path), &n.method.as_str().to_ascii_lowercase());
            match self.counted_operation(n, &ptr, &group_type, schemes) {
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

    /// First pass: the group and the method name of every operation.
    fn name_operations(&mut self) -> Vec<Named<'a>> {
        let spec = self.spec;
        let mut named = Vec::new();
        let mut method_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        for (path, item) in &spec.paths.paths {
            let ptr = pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    self.diags.error(Kind::ExternalRef, &ptr, "path items given as `$ref` are not supported");
                    continue;
                }
            };
            for (method, op) in methods_of(item) {
                let Some(op) = op else { continue };
                self.coverage.operations += 1;
                let (group, group_docs) = group_of(spec, op);
                let method_raw = method_name_of(op, method, path, &group);
                let scope = method_scopes.entry(group.clone()).or_default();
                let method_name = scope.unique(&names::snake(&method_raw));
                named.push(Named { path, method, op, item, group, group_docs, method_name });
            }
        }
        named
    }

    /// One handle type per group, named in order of first appearance. They
    /// take names from the type namespace because they are re-exported
    /// beside the types.
    fn group_handles(&mut self, named: &[Named<'a>]) -> BTreeMap<String, Group> {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for n in named {
            if !groups.contains_key(&n.group) {
                let type_name = self.type_scope.unique(&names::camel(&n.group));
                let docs = match n.group_docs {
                    Some(d) => docs::clean(d),
                    None => vec![format!("Operations of the `{}` group.", n.group)],
                };
                groups.insert(
                    n.group.clone(),
                    Group { name: n.group.clone(), type_name, docs, operations: Vec::new() },
                );
            }
        }
        groups
    }

    /// Lowers one operation and records it in the coverage. An operation
    /// that drew an error is left out even if lowering returned it, so
    /// every operation left out has an error to show for it.
    fn counted_operation(
        &mut self,
        n: Named<'a>,
        ptr: &str,
        group_type: &str,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let errors_before = self.diags.0.iter().filter(|d| d.severity == crate::Severity::Error).count();
        let warnings_before = self.diags.0.len() - errors_before;
        let op = self.operation(n, ptr, group_type, schemes);
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
    fn operation(&mut self, n: Named<'a>, ptr: &str, group_type: &str, schemes: &[SecurityScheme]) -> Option<Operation> {
        let Named { path, method, op, item, method_name, .. } = n;
        let op_type = format!("{group_type}{}", names::camel(&method_name));
        let (params, media_selectors) = self.declared_params(op, item, ptr)?;
        let params_name = self.type_scope.unique(&format!("{op_type}Params"));
        let (path_params, singles) = self.lower_params(&params, &op_type)?;
        let (pieces, path_params) = self.path_template(path, path_params, ptr)?;
        let params_struct = if singles.is_empty() {
            None
        } else {
            Some(self.params_struct(params_name, singles, &op_type))
        };
        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.request_body(rb, &pointer(ptr, "requestBody"), &op_type)?),
        };
        let (responses, success, error, reply_enum) = self.responses(op, ptr, &op_type);
        let alt_media = alt_media(op);
        let (security, security_optional, failed) = self.operation_security(op, schemes, ptr);
        if failed {
            return None;
        }
        Some(Operation {
            operation_id: op.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.as_str())),
            method_name,
            method,
            path: path.to_owned(),
            path_pieces: pieces,
            path_params,
            params: params_struct,
            body,
            responses,
            success,
            reply_enum,
            error,
            security,
            security_optional,
            alt_media,
            media_selectors,
            paging: None,
            docs: operation_docs(op, method, path),
        })
    }

    /// The path template as pieces, and the path parameters in template
    /// order (the pieces index into them). `None` after an error when the
    /// template names a parameter that is not declared.
    fn path_template(&mut self, path: &str, mut declared: Vec<Param>, ptr: &str) -> Option<(Vec<PathPiece>, Vec<Param>)> {
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
        // `body`, so they must not take those names.
        let mut arg_scope = Scope::default();
        for reserved in ["self", "params", "body"] {
            arg_scope.reserve(reserved);
        }
        for p in &mut ordered {
            p.name = arg_scope.unique(&p.name);
        }
        Some((pieces, ordered))
    }
}

/// The eight operation slots of a path item, in a fixed order.
fn methods_of(item: &PathItem) -> [(Method, &Option<openapiv3::Operation>); 8] {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
}

/// An operation's group (the SDK-naming extension, else its first tag,
/// else `general`) and the docs of that tag.
fn group_of<'s>(spec: &'s OpenAPI, op: &openapiv3::Operation) -> (String, Option<&'s str>) {
    let group_raw = ext_name(&op.extensions, "x-fern-sdk-group-name")
        .or_else(|| op.tags.first().cloned())
        .unwrap_or_else(|| "general".to_owned());
    let group = names::snake(&group_raw).trim_start_matches('_').to_owned();
    let group = if group.is_empty() { "general".to_owned() } else { group };
    let group_docs = spec
        .tags
        .iter()
        .find(|t| op.tags.first() == Some(&t.name))
        .and_then(|t| t.description.as_deref());
    (group, group_docs)
}

/// An operation's method name before it is made unique: the SDK-naming
/// extension, else the operation id (or method and path) without the
/// group's name in front, which the call site already spells out.
fn method_name_of(op: &openapiv3::Operation, method: Method, path: &str, group: &str) -> String {
    ext_name(&op.extensions, "x-fern-sdk-method-name").unwrap_or_else(|| {
        let base = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
        let snake = names::snake(&base);
        match snake.strip_prefix(&format!("{group}_")) {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => snake,
        }
    })
}

/// Summary and description, then the request line, then deprecation.
fn operation_docs(op: &openapiv3::Operation, method: Method, path: &str) -> Vec<String> {
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

/// Reads an `x-` naming hint that may be a string or a list of strings.
fn ext_name(ext: &indexmap::IndexMap<String, Value>, key: &str) -> Option<String> {
    match ext.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("_"))
        }
        _ => None,
    }
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
