//! The generated crate's `README.md`: what it is, a usage example that is a
//! call a user could run, the environment `from_env` reads, and a table of
//! every operation.
//!
//! The example's operation is picked by a fixed rule (see
//! [`Emitter::example_call`]), never by chance, and its arguments are real
//! expressions. Nothing here decides a name.

use super::{Emitter, shown};
use crate::model::*;

/// An operation chosen for the example, and its argument expressions.
struct Example<'a> {
    group: &'a Group,
    op: &'a Operation,
    args: Vec<String>,
}

impl Emitter<'_> {
    pub(super) fn readme(&self) -> String {
        let api = self.api;
        let krate = api.crate_name.replace('-', "_");
        // The spec may have a type called `Client`; the client is always
        // reachable through its module.
        let client = if self.root_types.contains("Client") { "client::Client" } else { "Client" };
        let mut out = format!("<!-- {} -->\n# {}\n\n", crate::GENERATED_BY, api.crate_name);
        out.push_str(&format!(
            "Typed async Rust client for the {}, generated from its OpenAPI description.\n\n",
            api.title
        ));
        out.push_str("## Usage\n\n```rust,no_run\n");
        out.push_str(&format!(
            "# async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {krate}::{client}::from_env()?;\n"
        ));
        if let Some(Example { group, op, args }) = self.example_call(&krate) {
            let call = format!("client.{}().{}({}).await?;", shown(&group.name), shown(&op.method_name), args.join(", "));
            if returns_nothing(op) {
                out.push_str(&format!("{call}\n"));
            } else {
                out.push_str(&format!("let reply = {call}\nprintln!(\"{{reply:?}}\");\n"));
            }
        }
        out.push_str("# Ok(())\n# }\n```\n\n");
        if !api.security.is_empty() || api.base_url.is_some() {
            out.push_str("`Client::from_env()` reads:\n\n");
            out.push_str(&format!("- `{}`: base URL", api.base_url_env));
            match &api.base_url {
                Some(u) => out.push_str(&format!(" (default `{u}`)\n")),
                None => out.push_str(" (required)\n"),
            }
            for s in &api.security {
                out.push_str(&env_lines(s));
            }
            out.push('\n');
        }
        out.push_str("## Operations\n\n| call | HTTP |\n|---|---|\n");
        for g in &api.groups {
            for op in &g.operations {
                out.push_str(&format!(
                    "| `{}().{}()` | `{} {}` |\n",
                    shown(&g.name),
                    shown(&op.method_name),
                    op.method.as_str(),
                    op.path.replace('|', "\\|")
                ));
            }
        }
        out
    }

    /// The example: of the operations whose every argument can be written
    /// as an expression (groups and methods in order), a `GET` before the
    /// others, then one with a reply to show, then the one with the fewest
    /// arguments, then the first.
    /// When none can, the first operation, with `todo!()` for what cannot.
    fn example_call<'g>(&'g self, krate: &str) -> Option<Example<'g>> {
        let ops = || self.api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op)));
        let writable = ops()
            .filter_map(|(group, op)| Some(Example { group, op, args: self.example_args(op, krate, false)? }))
            .min_by_key(|e| (e.op.method != Method::Get, returns_nothing(e.op), e.args.len()));
        writable.or_else(|| {
            let (group, op) = ops().next()?;
            Some(Example { group, op, args: self.example_args(op, krate, true)? })
        })
    }

    /// The argument expressions of a call (path parameters, the parameters
    /// struct, the body); `None` when one cannot be written, unless
    /// `placeholders`, which writes `todo!()` for it.
    fn example_args(&self, op: &Operation, krate: &str, placeholders: bool) -> Option<Vec<String>> {
        let or_todo = |e: Option<String>| e.or_else(|| placeholders.then(|| "todo!()".to_owned()));
        let mut args = Vec::new();
        for p in &op.path_params {
            let value = self.literal(p, krate);
            // Strings are `&str` and generated types `&T` as arguments.
            let value = match &p.ty {
                Ty::Named(_) => value.map(|v| format!("&{v}")),
                _ => value,
            };
            args.push(or_todo(value)?);
        }
        if let Some(ps) = &op.params {
            let required: Option<Vec<String>> = ps
                .members
                .iter()
                .filter_map(|m| match m {
                    ParamMember::Single(p) if p.required => Some(self.literal(p, krate)),
                    _ => None,
                })
                .collect();
            let built = required.map(|r| format!("&{krate}::{}::new({})", shown(&ps.name), r.join(", ")));
            args.push(or_todo(built)?);
        }
        if let Some(b) = &op.body {
            args.push(or_todo(self.example_body(b, krate))?);
        }
        Some(args)
    }

    /// A body expression: `None` for an optional body, an empty value for
    /// a JSON body whose type has nothing required.
    fn example_body(&self, b: &Body, krate: &str) -> Option<String> {
        if !b.required {
            // The caller's bytes are generic: say which kind of nothing.
            let none = if matches!(b.kind, BodyKind::Raw(_)) { "None::<Vec<u8>>" } else { "None" };
            return Some(none.to_owned());
        }
        match &b.kind {
            BodyKind::Json(Ty::Json) => Some(format!("&{krate}::serde_json::json!({{}})")),
            BodyKind::Json(Ty::JsonObject) => Some(format!("&{krate}::serde_json::Map::new()")),
            BodyKind::Json(Ty::Named(id)) => match &self.api.types[id.0].kind {
                TypeKind::Struct(s) if s.all_optional => Some(format!("&{krate}::{}::default()", shown(&self.api.types[id.0].name))),
                _ => None,
            },
            _ => None,
        }
    }

    /// A value of a parameter, as the expression its setter or argument
    /// takes: the spec's example when it fits the type, else a plain one
    /// within the parameter's bounds.
    fn literal(&self, p: &Param, krate: &str) -> Option<String> {
        let example = p.example.as_deref();
        let low = p.checks.minimum.map(|m| if p.checks.exclusive_minimum { m + 1.0 } else { m });
        match &p.ty {
            Ty::String => Some(format!("{:?}", example.unwrap_or(&p.wire))),
            Ty::Integer(_) => {
                let n = example.and_then(|e| e.parse::<i64>().ok());
                Some(n.unwrap_or_else(|| low.map_or(1, |m| m.ceil().max(1.0) as i64)).to_string())
            }
            Ty::Number => {
                let n = example.and_then(|e| e.parse::<f64>().ok()).filter(|n| n.is_finite());
                Some(format!("{:?}", n.unwrap_or_else(|| low.map_or(1.0, |m| m.max(1.0)))))
            }
            Ty::Boolean => Some(example.filter(|e| *e == "false").unwrap_or("true").to_owned()),
            Ty::Date => Some(format!("{krate}::chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()")),
            Ty::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Enum(e) => {
                    let v = example.and_then(|x| e.values.iter().find(|v| v.wire == x)).or(e.values.first())?;
                    Some(format!("{krate}::{}::{}", shown(&self.api.types[id.0].name), shown(&v.name)))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The README's lines for one scheme's environment variables: what each
/// holds, and how `from_env` combines them.
fn env_lines(s: &SecurityScheme) -> String {
    let var = |c: &str| s.env.iter().find(|e| e.credential == c).map(|e| format!("`{}`", e.name)).unwrap_or_default();
    let wire = &s.wire;
    let token = var("access_token");
    let fallback = format!("- {token}: an access token for `{wire}`, used when no client credentials are set\n");
    match &s.kind {
        SchemeKind::Basic => format!("- {}, {}: the username and password of `{wire}` (HTTP Basic)\n", var("username"), var("password")),
        SchemeKind::OAuth2 { token_url: None } => format!("- {token}: an OAuth2 access token for `{wire}`\n"),
        SchemeKind::OAuth2 { token_url: Some(url) } => format!(
            "- {}, {}: the OAuth2 client id and secret of `{wire}` (tokens are fetched from `{url}` and refreshed)\n{fallback}",
            var("client_id"),
            var("client_secret"),
        ),
        SchemeKind::OpenIdConnect(_) => format!(
            "- {}, {}: the OpenID Connect client id and secret of `{wire}` (tokens are fetched from the token endpoint its discovery document names, and refreshed)\n{fallback}",
            var("client_id"),
            var("client_secret"),
        ),
        SchemeKind::MutualTls => format!(
            "- {}, {}: the client certificate and private key of `{wire}` (PEM text, or the path of a PEM file)\n",
            var("client_cert"),
            var("client_key")
        ),
        SchemeKind::Bearer => format!("- {}: the bearer token of `{wire}`\n", var("token")),
        SchemeKind::Http(scheme) => format!("- {}: the `{scheme}` token of `{wire}`\n", var("token")),
        SchemeKind::Header(name) => format!("- {}: the API key of `{wire}` (header `{name}`)\n", var("key")),
        SchemeKind::Query(name) => format!("- {}: the API key of `{wire}` (query parameter `{name}`)\n", var("key")),
        SchemeKind::Cookie(name) => format!("- {}: the API key of `{wire}` (cookie `{name}`)\n", var("key")),
    }
}

/// Whether a call's reply is `()` (nothing to print).
fn returns_nothing(op: &Operation) -> bool {
    op.reply_enum.is_none() && op.success == Payload::Empty
}
