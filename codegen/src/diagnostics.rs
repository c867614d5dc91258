//! Diagnostics: everything the generator has to say about a spec, each with
//! the JSON pointer of the node it is about (and, for a description split
//! over several files, the file that holds it) and a hint on what to do.
//!
//! Diagnostics accumulate over the whole spec (cxx-style): one run reports
//! every problem instead of stopping at the first.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The generated code is complete but made a choice the reader should know about.
    Warning,
    /// Something could not be generated; the operation that needed it is left out.
    Error,
}

/// The known kinds of diagnostic. Each has a stable code (used in reports and
/// coverage counts) and a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The input is not valid JSON/YAML or not an OpenAPI 3.0, 3.1 or 3.2 document.
    Parse,
    /// An overlay action is invalid or its target matches nothing.
    Overlay,
    /// A `$ref` points at nothing.
    UnresolvedRef,
    /// A `$ref` points outside the document: the loader could not bundle it
    /// (a remote URL, or a file or pointer reported by its own error).
    ExternalRef,
    /// A parameter's style cannot write values of its schema's shape (or it has no media type).
    UnsupportedParameter,
    /// A security requirement names a scheme that is not defined.
    UnknownSecurityScheme,
    /// The path template and the path parameters disagree.
    PathTemplate,
    /// A request body cannot be typed as its media type needs (a form that is not an object)
    /// or its encoding cannot write a property.
    UnsupportedRequestBody,
    /// Branches of a composition disagree on a property type; the first is used.
    ConflictingProperty,
    /// A schema cannot be typed precisely; a JSON value is used instead.
    UntypedFallback,
    /// A response uses a media type the client does not decode; raw bytes are returned.
    UnsupportedResponse,
    /// A parameter's declared default does not conform to its schema and is ignored.
    NonConformingDefault,
    /// A `servers` entry cannot be turned into a base URL.
    BadServer,
    /// A `$ref` names a file that is not available (missing or unreadable).
    MissingFile,
    /// An OpenAPI 3.1 construct the 3.0 model has no place for; it is dropped.
    NotCarried,
    /// A paging declaration in the options matches no operation, or names
    /// a parameter or reply field the operation does not have.
    PagingDeclaration,
    /// A stream declaration in the options matches no streamed reply, or
    /// names a body property the operation does not have.
    StreamDeclaration,
    /// Two things would get the same Rust name; the later one got another.
    NameClash,
    /// A `rename:` entry in the options names nothing.
    Rename,
    /// A security scheme the client serves only in part (a challenge-based
    /// HTTP scheme), or cannot serve (a header name no header can have).
    SecurityScheme,
    /// An environment variable named in the options that fits no credential
    /// of the spec, or one variable read for two credentials.
    EnvVariable,
}

impl Kind {
    /// Stable kebab-case code used in messages and coverage reports.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Parse => "parse",
            Kind::Overlay => "overlay",
            Kind::UnresolvedRef => "unresolved-ref",
            Kind::ExternalRef => "external-ref",
            Kind::UnsupportedParameter => "unsupported-parameter",
            Kind::UnknownSecurityScheme => "unknown-security-scheme",
            Kind::PathTemplate => "path-template",
            Kind::UnsupportedRequestBody => "unsupported-request-body",
            Kind::ConflictingProperty => "conflicting-property",
            Kind::UntypedFallback => "untyped-fallback",
            Kind::UnsupportedResponse => "unsupported-response",
            Kind::NonConformingDefault => "non-conforming-default",
            Kind::BadServer => "bad-server",
            Kind::MissingFile => "missing-file",
            Kind::NotCarried => "not-carried",
            Kind::PagingDeclaration => "paging-declaration",
            Kind::StreamDeclaration => "stream-declaration",
            Kind::NameClash => "name-clash",
            Kind::Rename => "rename",
            Kind::SecurityScheme => "security-scheme",
            Kind::EnvVariable => "env-variable",
        }
    }

    /// What the maintainer can do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Kind::Parse => "fix the document so it parses as OpenAPI 3.0, 3.1 or 3.2",
            Kind::Overlay => "fix the action's JSONPath, or drop the action if upstream changed",
            Kind::UnresolvedRef => "point the `$ref` at an existing `#/components/...` entry",
            Kind::ExternalRef => "make the `$ref` a relative path to a file beside the spec (see the error at the same place)",
            Kind::UnsupportedParameter => {
                "give the parameter a schema its style can write (a scalar, or a list or object of scalars; \
                 any nesting with `deepObject` or an exploded `form`), or `content: application/json`"
            }
            Kind::UnknownSecurityScheme => "define the scheme under `components.securitySchemes`",
            Kind::PathTemplate => "declare an `in: path` parameter for every `{name}` in the path",
            Kind::UnsupportedRequestBody => {
                "declare an `application/json` body, or a form body that is an object whose encoding styles \
                 can write its properties"
            }
            Kind::ConflictingProperty => "make the branches agree on the property's schema",
            Kind::UntypedFallback => "give the schema a `type` (and `properties` or `items`)",
            Kind::UnsupportedResponse => "declare an `application/json` response",
            Kind::NonConformingDefault => "make the default a value of the schema",
            Kind::BadServer => "give `servers[0].url` an absolute http(s) URL",
            Kind::MissingFile => "add the file, or fix the `$ref` path (it is relative to the file holding the `$ref`)",
            Kind::NotCarried => "express it with OpenAPI 3.0 keywords, or accept that the client ignores it",
            Kind::PagingDeclaration => {
                "fix the rule under `paging:` in the options file: the operations it names, their query \
                 parameters and reply fields (wire names, dotted)"
            }
            Kind::StreamDeclaration => {
                "fix the rule under `streams:` in the options file: the operations (and media type) it names, \
                 and the boolean body property that asks for the stream"
            }
            Kind::NameClash => {
                "rename one of them in the spec, or name it for SDKs (`x-fern-sdk-method-name`, \
                 `x-fern-sdk-group-name`), or under `rename:` in the options file; the name given \
                 is stable from run to run"
            }
            Kind::Rename => {
                "key the entry by a schema's key or a generated type name (`types`), a tag or a \
                 generated group name (`groups`), an operationId or `METHOD /path` (`methods`)"
            }
            Kind::SecurityScheme => {
                "describe the scheme as `http` (bearer, basic), `apiKey`, `oauth2`, `openIdConnect` or \
                 `mutualTLS`, or supply the value it needs as a token"
            }
            Kind::EnvVariable => {
                "under `env:` in the options file, give a scheme of one credential one variable \
                 (`api_token: MY_TOKEN`) and a scheme of several one per credential \
                 (`basic: {username: MY_USER, password: MY_PASSWORD}`), each variable once"
            }
        }
    }
}

/// One finding, located by a JSON pointer into the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: Kind,
    /// The file holding the node, `/`-separated and relative to the root
    /// document's folder; `None` for the root document itself (so a
    /// single-file spec reads exactly as before).
    pub file: Option<String>,
    /// JSON pointer (`#/paths/~1a~1{b}/get/...`) of the offending node, in
    /// `file` when there is one.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}[{}]: {}\n  --> ", self.kind.code(), self.message)?;
        if let Some(file) = &self.file {
            f.write_str(file)?;
        }
        write!(f, "{}\n  = hint: {}", self.pointer, self.kind.hint())
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        kind: Kind,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic {
            severity,
            kind,
            file: None,
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    /// Pushes a diagnostic located in `file` (`None`: the root document).
    pub(crate) fn push_in(
        &mut self,
        severity: Severity,
        kind: Kind,
        file: Option<&str>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic {
            severity,
            kind,
            file: file.map(str::to_owned),
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    pub(crate) fn error(&mut self, kind: Kind, pointer: impl Into<String>, msg: impl Into<String>) {
        self.push(Severity::Error, kind, pointer, msg);
    }

    pub(crate) fn warn(&mut self, kind: Kind, pointer: impl Into<String>, msg: impl Into<String>) {
        self.push(Severity::Warning, kind, pointer, msg);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Sorted, deduplicated, so reports are stable across runs.
    pub(crate) fn finish(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }

    /// Counts per (severity, kind), in a stable order.
    pub fn counts(&self) -> Vec<(Severity, Kind, usize)> {
        let mut map = std::collections::BTreeMap::new();
        for d in &self.0 {
            *map.entry((d.severity, d.kind)).or_insert(0usize) += 1;
        }
        map.into_iter().map(|((s, k), n)| (s, k, n)).collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Builds JSON pointers, escaping `~` and `/` per RFC 6901.
pub(crate) fn pointer(base: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}
