//! The generated crate's `README.md`, which is also its crate-level rustdoc:
//! what it is, how to install it and pass credentials, then one section per
//! thing the client does (paging, streams, errors, retries and timeouts,
//! logging, raw replies, types that lose nothing, calls to paths the
//! description lacks, your own HTTP client, features), each with an example
//! written for this crate's own operations where one applies; sections that
//! do not apply are left out. Every example is a `no_run` doctest.
//!
//! The example's operation is picked by a fixed rule (see
//! [`Emitter::example_call`]), never by chance, and its arguments are real
//! expressions. Nothing here decides a name.

use super::{Emitter, feature_name, shown};
use crate::model::*;

/// An operation chosen for the example, and its argument expressions.
struct Example<'a> {
    group: &'a Group,
    op: &'a Operation,
    args: Vec<String>,
}

impl Emitter<'_> {
    /// The README, which is also the crate-level rustdoc (`lib.rs`
    /// includes it), so every example in it is a doctest that must
    /// compile (`no_run`: they would need the API).
    pub(super) fn readme(&self) -> String {
        let api = self.api;
        let krate = api.crate_name.replace('-', "_");
        let mut out = format!("<!-- {} -->\n# {}\n\n", crate::GENERATED_BY, api.crate_name);
        out.push_str(&format!(
            "Typed async Rust client for the {}, generated from its OpenAPI description (version `{}`).\n\n",
            api.title, api.crate_version
        ));
        // The description's own words, cleaned for rustdoc; the title is
        // the heading's already.
        let prose: Vec<&String> = api.docs.iter().skip_while(|l| **l == api.title || l.is_empty()).collect();
        if !prose.is_empty() {
            for line in prose {
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
        let first = self.example_call(&krate);
        self.section_install(&mut out);
        self.section_credentials(&mut out, &krate);
        if let Some(e) = &first {
            self.section_first_call(&mut out, &krate, e);
        }
        self.section_paging(&mut out, &krate);
        self.section_streams(&mut out, &krate);
        self.section_errors(&mut out, &krate);
        self.section_retries(&mut out, &krate, first.as_ref());
        self.section_logging(&mut out);
        if let Some(e) = &first {
            self.section_raw(&mut out, &krate, e);
        }
        self.section_unknown_fields(&mut out, &krate, first.as_ref());
        self.section_custom_request(&mut out, &krate);
        self.section_http_client(&mut out, &krate);
        self.section_features(&mut out);
        out.push_str("## Minimum Rust version\n\nRust 1.85 (edition 2024).\n\n");
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

    fn section_install(&self, out: &mut String) {
        let api = self.api;
        out.push_str("## Installation\n\n```toml\n[dependencies]\n");
        out.push_str(&format!("{} = \"{}\"\n", api.crate_name, api.crate_version));
        out.push_str("tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n```\n\n");
        out.push_str(
            "The client is async and runs on [tokio](https://tokio.rs); it speaks HTTP/1.1 and HTTP/2 over rustls, \
             and asks for compressed replies (gzip, brotli, zstd, deflate). See **Cargo features** to build only \
             the operations you use.\n\n",
        );
    }

    fn section_credentials(&self, out: &mut String, krate: &str) {
        let api = self.api;
        out.push_str("## Credentials and environment variables\n\n");
        out.push_str(&format!("`Client::from_env()` reads:\n\n- `{}`: the base URL", api.base_url_env));
        match &api.base_url {
            Some(u) => out.push_str(&format!(" (default `{u}`)\n")),
            None => out.push_str(" (required: the description names none)\n"),
        }
        for s in &api.security {
            out.push_str(&env_lines(s));
        }
        out.push('\n');
        if api.default_security.is_empty() {
            out.push_str("The API asks for no credentials by default.\n\n");
        } else {
            out.push_str(&format!(
                "Each call sends the first set of credentials its operation accepts that is complete, and refuses to send \
                 without one; unless an operation says otherwise it accepts {}. Secrets never appear in `Debug` \
                 output, logs or errors.\n\n",
                api.default_security
                    .iter()
                    .map(|alt| alt.iter().map(|r| format!("`{}`", api.security[r.scheme].wire)).collect::<Vec<_>>().join(" + "))
                    .collect::<Vec<_>>()
                    .join(", or ")
            ));
        }
        // A scheme that is a whole set of credentials alone (a token over a
        // key that needs an email), bearer first.
        let alone: Vec<usize> = api.default_security.iter().filter(|a| a.len() == 1).map(|a| a[0].scheme).collect();
        let usable = |s: &&SecurityScheme| !matches!(s.kind, SchemeKind::MutualTls);
        let Some(scheme) = alone
            .iter()
            .map(|i| &api.security[*i])
            .filter(usable)
            .min_by_key(|s| !matches!(s.kind, SchemeKind::Bearer))
            .or_else(|| api.security.iter().find(usable))
        else {
            return;
        };
        let setter = shown(&scheme.name);
        let value = match &scheme.kind {
            SchemeKind::Basic => "\"username\", \"password\"".to_owned(),
            SchemeKind::OAuth2 { token_url: Some(_) } | SchemeKind::OpenIdConnect(_) => {
                format!("{krate}::runtime::OAuth2::client_credentials(\"client-id\", \"client-secret\")")
            }
            SchemeKind::OAuth2 { token_url: None } => format!("{krate}::runtime::OAuth2::token(\"access-token\")"),
            _ => "\"my-secret\"".to_owned(),
        };
        let base = if api.base_url.is_some() { String::new() } else { "\n    .base_url(\"https://api.example.com\")".to_owned() };
        out.push_str("Or set them in code:\n\n");
        out.push_str(&example(&format!(
            "let client = {krate}::client::Client::builder(){base}\n    .{setter}({value})\n    .build()?;\n# drop(client);"
        )));
        if matches!(scheme.kind, SchemeKind::OAuth2 { token_url: Some(_) } | SchemeKind::OpenIdConnect(_)) {
            out.push_str(
                "With client credentials the client fetches a token, caches it, refreshes it shortly before it \
                 expires (once, however many calls wait), and on a `401` refreshes once and retries. \
                 `OAuth2::token` takes a token you have; `OAuth2::source` plugs in your own flow.\n\n",
            );
        }
    }

    fn section_first_call(&self, out: &mut String, krate: &str, e: &Example) {
        out.push_str("## A first call\n\n");
        let call = format!("client.{}().{}({}).await?", shown(&e.group.name), shown(&e.op.method_name), e.args.join(", "));
        let body = if returns_nothing(e.op) { format!("{call};") } else { format!("let reply = {call};\nprintln!(\"{{reply:?}}\");") };
        out.push_str(&example(&format!("let client = {krate}::client::Client::from_env()?;\n{body}")));
        out.push_str(&format!(
            "Every operation is a method of its group (`client.{}()`), takes its path parameters, a parameters struct \
             for the query, header and cookie parameters (`Params::new()` and one setter per parameter; values are \
             checked against the description's bounds before anything is sent) and its body, and returns the \
             decoded reply.\n\n",
            shown(&e.group.name)
        ));
    }

    fn section_paging(&self, out: &mut String, krate: &str) {
        let ops: Vec<(&Group, &Operation)> = self.ops().filter(|(_, op)| op.paging.is_some()).collect();
        let Some((group, op)) = ops.iter().find(|(_, op)| self.example_args(op, krate, false).is_some()).or(ops.first()).copied()
        else {
            return;
        };
        let (Some(pages), Some(all)) = (&op.variants.pages, &op.variants.all) else { return };
        let args = self.example_args(op, krate, true).unwrap_or_default().join(", ");
        let mut schemes: Vec<&str> = ops.iter().filter_map(|(_, o)| o.paging.as_ref()).map(|p| p.scheme.name()).collect();
        schemes.sort_unstable();
        schemes.dedup();
        out.push_str("## Paging\n\n");
        out.push_str(&format!(
            "{} list operation{} page{} ({}): each has `<op>_pages` (a stream of pages) and `<op>_all` (a stream of \
             items across pages), which start from the page the arguments ask for and keep the other arguments on \
             every page.\n\n",
            ops.len(),
            if ops.len() == 1 { "" } else { "s" },
            if ops.len() == 1 { "s" } else { "" },
            schemes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ));
        let g = shown(&group.name);
        out.push_str(&example(&format!(
            "use {krate}::futures_util::TryStreamExt;\n\nlet client = {krate}::client::Client::from_env()?;\n\
             // Every item of every page.\nlet all: Vec<_> = client.{g}().{all}({args}).try_collect().await?;\n\
             // Page by page, at most 10 pages.\nlet mut pages = std::pin::pin!(client\n    .{g}()\n    \
             .with_options({krate}::runtime::RequestOptions::default().max_pages(10))\n    .{pages}({args}));\n\
             while let Some(page) = pages.try_next().await? {{\n    println!(\"{{page:?}}\");\n}}\n# drop(all);",
            all = shown(all),
            pages = shown(pages),
        )));
        out.push_str(
            "A listing stops on an empty page and, without an extra request, on the reply that says it is the last \
             (a total, a missing next link or cursor, `has_more: false`); a server that repeats a page ends the \
             stream with `Error::PagingStalled` instead of looping. Where pages are numbered, up to \
             `RequestOptions::concurrency` pages (default 4) are fetched ahead and yielded in order. Dropping the \
             stream cancels what is in flight.\n\n",
        );
    }

    fn section_streams(&self, out: &mut String, krate: &str) {
        // A typed stream (events, JSON Lines), then a byte stream (CSV...).
        let typed = self.ops().find_map(|(g, op)| {
            if let Payload::Stream(s) = &op.success {
                return Some((g, op, op.method_name.clone(), s.framing));
            }
            let i = op.alt_media.iter().position(|m| op.alt_streams.iter().any(|s| s.media == *m))?;
            let s = op.alt_streams.iter().find(|s| s.media == op.alt_media[i])?;
            Some((g, op, op.variants.media[i].clone(), s.framing))
        });
        let bytes = self.ops().find_map(|(g, op)| {
            let i = op.alt_media.iter().position(|m| !op.alt_streams.iter().any(|s| s.media == *m))?;
            Some((g, op, op.variants.media[i].clone(), op.alt_media[i].clone()))
        });
        if typed.is_none() && bytes.is_none() {
            return;
        }
        out.push_str("## Streams\n\n");
        if let Some((g, op, method, framing)) = typed {
            let args = self.example_args(op, krate, true).unwrap_or_default().join(", ");
            let (what, item) = match framing {
                Framing::Sse => ("server-sent events, each with its `data` decoded and its `event`, `id` and `retry`", "event.data"),
                Framing::Lines | Framing::Seq => ("typed items, one per line or record", "event"),
            };
            out.push_str(&format!(
                "`{}().{}()` hands back {what}, as they arrive (memory holds one at a time). It asks for the stream \
                 itself (`Accept`, and the body's flag when the description has one); an end marker (`[DONE]`) ends \
                 it cleanly, an error event is an `Error::Event`, and dropping the stream closes the connection.\n\n",
                shown(&g.name),
                shown(&method)
            ));
            out.push_str(&example(&format!(
                "use {krate}::futures_util::TryStreamExt;\n\nlet client = {krate}::client::Client::from_env()?;\n\
                 let mut events = client.{}().{}({args}).await?;\nwhile let Some(event) = events.try_next().await? {{\n    \
                 println!(\"{{:?}}\", {item});\n}}",
                shown(&g.name),
                shown(&method)
            )));
        }
        if let Some((g, op, method, media)) = bytes {
            let args = self.example_args(op, krate, true).unwrap_or_default().join(", ");
            out.push_str(&format!(
                "`{}().{}()` asks for `{media}` and hands back the body as a stream of chunks, never whole in memory:\n\n",
                shown(&g.name),
                shown(&method)
            ));
            out.push_str(&example(&format!(
                "use {krate}::futures_util::TryStreamExt;\n\nlet client = {krate}::client::Client::from_env()?;\n\
                 let body = client.{}().{}({args}).await?;\nlet mut chunks = std::pin::pin!(body.into_stream());\n\
                 while let Some(chunk) = chunks.try_next().await? {{\n    println!(\"{{}} bytes\", chunk.len());\n}}",
                shown(&g.name),
                shown(&method)
            )));
        }
    }

    fn section_errors(&self, out: &mut String, krate: &str) {
        // An operation whose error replies are typed, else any.
        let pick = self
            .ops()
            .find(|(_, op)| (op.error.is_some() || op.error_enum.is_some()) && self.example_args(op, krate, false).is_some())
            .or_else(|| self.ops().find(|(_, op)| self.example_args(op, krate, false).is_some()));
        out.push_str("## Errors\n\n");
        out.push_str(
            "Every call returns `Result<T, Error<E>>`, where `E` is the operation's declared error body. \
             `Error::Api` is a reply with an error status: its `status`, `headers`, the request id the server gave \
             (`request_id()`), the raw body and the body decoded as `E` when it fits. The other kinds say what went \
             wrong before a reply (`Transport`, `InvalidParameter`, `MissingCredentials`, `Token`) or with it \
             (`Decode` names the JSON path that failed, shows an excerpt and keeps the whole body); `error.kind()` and \
             `error.is_retryable()` classify them.\n\n",
        );
        let Some((g, op)) = pick else { return };
        let args = self.example_args(op, krate, false).unwrap_or_default().join(", ");
        out.push_str(&example(&format!(
            "use {krate}::runtime::Error;\n\nlet client = {krate}::client::Client::from_env()?;\n\
             match client.{}().{}({args}).await {{\n    Ok(reply) => println!(\"{{reply:?}}\"),\n    \
             Err(Error::Api(e)) => eprintln!(\"{{}} (request {{:?}}): {{:?}}\", e.status, e.request_id(), e.body),\n    \
             Err(other) => return Err(other.into()),\n}}",
            shown(&g.name),
            shown(&op.method_name)
        )));
    }

    fn section_retries(&self, out: &mut String, krate: &str, first: Option<&Example>) {
        out.push_str("## Retries and timeouts\n\n");
        out.push_str(
            "Connection errors, timeouts, `408`, `409`, `429` and `5XX` replies are retried twice, with exponential \
             backoff (0.5 s doubling to 8 s, less up to 25 % jitter); a `Retry-After` (or `retry-after-ms`) of up to \
             60 s is honoured, and pauses every request of the client, not only the one that got it. Each attempt \
             has 60 s. Both can be set for a client, and for the calls of one group:\n\n",
        );
        let mut body = format!(
            "use std::time::Duration;\nuse {krate}::runtime::{{RequestOptions, RetryPolicy}};\n\n\
             let client = {krate}::client::Client::builder()\n    .timeout(Duration::from_secs(30))\n    \
             .retry_policy(RetryPolicy {{ max_retries: 5, ..RetryPolicy::default() }})\n    .build()?;\n"
        );
        if let Some(e) = first {
            let call = format!(
                "client\n    .{}()\n    .with_options(RequestOptions::default().timeout(Duration::from_secs(5)).retry(RetryPolicy::none()))\n    .{}({})\n    .await?",
                shown(&e.group.name),
                shown(&e.op.method_name),
                e.args.join(", ")
            );
            body.push_str(&if returns_nothing(e.op) { format!("{call};") } else { format!("let reply = {call};\n# drop(reply);") });
        } else {
            body.push_str("# drop(client);");
        }
        out.push_str(&example(&body));
    }

    fn section_logging(&self, out: &mut String) {
        out.push_str("## Logging\n\n");
        out.push_str(
            "Each attempt is a [`tracing`](https://docs.rs/tracing) event at `debug` level in a `request` span \
             (operation, method, path template, status, attempt, elapsed time); headers, credentials and bodies are \
             never logged. Install any `tracing` subscriber to see them, for example with `tracing-subscriber`:\n\n\
             ```text\ntracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).init();\n```\n\n",
        );
    }

    fn section_raw(&self, out: &mut String, krate: &str, e: &Example) {
        out.push_str("## Raw replies\n\n");
        out.push_str(
            "With the `raw` feature (on by default), every operation also has `<op>_raw`, which hands back the reply \
             whatever its status: status, headers, and the body (decompressed) as bytes or as a stream.\n\n",
        );
        out.push_str(&example(&format!(
            "let client = {krate}::client::Client::from_env()?;\nlet reply = client.{}().{}({}).await?;\n\
             println!(\"{{}} {{:?}}\", reply.status(), reply.headers().get(\"content-type\"));\nlet bytes = reply.bytes().await?;\n# drop(bytes);",
            shown(&e.group.name),
            shown(&e.op.variants.raw),
            e.args.join(", ")
        )));
    }

    fn section_unknown_fields(&self, out: &mut String, krate: &str, first: Option<&Example>) {
        let has_extra = self.api.types.iter().any(|t| matches!(&t.kind, TypeKind::Struct(s) if s.extra.is_some()));
        if !has_extra {
            return;
        }
        out.push_str("## Types that lose nothing\n\n");
        out.push_str(
            "Every type reads and writes JSON (`Serialize` and `Deserialize`), so a reply can be stored or sent on as \
             it came: properties the description does not name are kept in the struct's `additional_properties` map \
             and written back, enum values it does not list are kept (`Unknown(..)`), a value whose tag it does not \
             know is kept whole (`Other(..)`), and a property that may be `null` and absent tells the two apart \
             (`Option<Option<T>>`).\n\n",
        );
        // The first call's reply, when it is such a struct.
        let reply = first.and_then(|e| match &e.op.success {
            Payload::Json(Ty::Named(id)) => match &self.api.types[id.0].kind {
                TypeKind::Struct(s) => s.extra.as_ref().filter(|x| x.value == Ty::Json).map(|x| (e, x.name.clone())),
                _ => None,
            },
            _ => None,
        });
        let Some((e, extra)) = reply else { return };
        out.push_str(&example(&format!(
            "let client = {krate}::client::Client::from_env()?;\nlet mut reply = client.{}().{}({}).await?;\n\
             // A property a newer version of the API added:\nif let Some(value) = reply.{extra}.get(\"new_property\") {{\n    \
             println!(\"{{value}}\");\n}}\nreply.{extra}.insert(\"note\".into(), {krate}::serde_json::json!(\"kept\"));\n\
             let line = {krate}::serde_json::to_string(&reply)?;\n# drop(line);",
            shown(&e.group.name),
            shown(&e.op.method_name),
            e.args.join(", ")
        )));
    }

    fn section_custom_request(&self, out: &mut String, krate: &str) {
        out.push_str("## Calling what the description lacks\n\n");
        out.push_str(
            "`Client::request` sends to any path (one the description does not have yet, a beta one) with the \
             client's base URL, credentials, retries, timeouts and errors, and decodes the reply into any \
             `Deserialize` type (`send_json`), or nothing (`send`), or hands it back raw (`send_raw`):\n\n",
        );
        out.push_str(&example(&format!(
            "let client = {krate}::client::Client::from_env()?;\nlet reply: {krate}::serde_json::Value = client\n    \
             .request(\"GET\", \"/things/{{id}}\")\n    .path(\"id\", \"42\")\n    .query(\"limit\", &10)\n    \
             .header(\"x-feature\", \"beta\")\n    .send_json()\n    .await?;\n# drop(reply);"
        )));
    }

    fn section_http_client(&self, out: &mut String, krate: &str) {
        out.push_str("## Your own HTTP client\n\n");
        out.push_str(
            "The client is built on [`reqwest`](https://docs.rs/reqwest) (re-exported); give it one of your own for \
             proxies, certificates or connection settings (its timeout and compression settings then apply):\n\n",
        );
        let base = if self.api.base_url.is_some() { String::new() } else { "\n    .base_url(\"https://api.example.com\")".to_owned() };
        out.push_str(&example(&format!(
            "let http = {krate}::reqwest::Client::builder().pool_max_idle_per_host(4).build()?;\n\
             let client = {krate}::client::Client::builder(){base}.http_client(http).build()?;\n# drop(client);"
        )));
    }

    fn section_features(&self, out: &mut String) {
        let api = self.api;
        out.push_str("## Cargo features\n\n");
        out.push_str(&format!(
            "Each group of operations is a feature, so a dependent builds only what it uses; `full` (default) has them \
             all, and `raw` (default) the `<op>_raw` methods:\n\n```toml\n{} = {{ version = \"{}\", default-features = false, features = [\"{}\"] }}\n```\n\n",
            api.crate_name,
            api.crate_version,
            api.groups.first().map(|g| feature_name(&g.name)).unwrap_or_default()
        ));
        out.push_str("| feature | operations |\n|---|---|\n");
        for g in &api.groups {
            out.push_str(&format!("| `{}` | {} |\n", feature_name(&g.name), g.operations.len()));
        }
        out.push('\n');
    }

    /// A call of `op` (in the group `group`) for its method's docs, as a
    /// `no_run` doctest, when the description gives examples for its
    /// parameters or body: the path parameters and the parameters struct
    /// with the examples' values, the body decoded from the example's JSON.
    /// `None` when it gives none, or a required argument has no value.
    pub(super) fn operation_example(&self, group: &str, op: &Operation) -> Option<Vec<String>> {
        let krate = self.api.crate_name.replace('-', "_");
        let params: Vec<&Param> = op.params.iter().flat_map(|ps| ps.all()).collect();
        let body_example = op.body.as_ref().and_then(|b| b.example.as_ref().filter(|_| matches!(b.kind, BodyKind::Json(_))));
        let given = op.path_params.iter().chain(params.iter().copied()).any(|p| p.example.is_some()) || body_example.is_some();
        if !given {
            return None;
        }
        let mut args = Vec::new();
        for p in &op.path_params {
            let value = self.literal(p, &krate)?;
            args.push(if matches!(p.ty, Ty::Named(_)) { format!("&{value}") } else { value });
        }
        if let Some(ps) = &op.params {
            let mut required = Vec::new();
            let mut setters = String::new();
            for m in &ps.members {
                let ParamMember::Single(p) = m else { continue };
                if p.required {
                    required.push(self.literal(p, &krate)?);
                } else if p.example.is_some() {
                    if let Some(v) = self.literal(p, &krate) {
                        setters.push_str(&format!(".{}({v})", shown(&p.name)));
                    }
                }
            }
            args.push(format!("&{krate}::{}::new({}){setters}", shown(&ps.name), required.join(", ")));
        }
        if let Some(b) = &op.body {
            match body_example {
                Some(json) => {
                    let text = serde_json::to_string(json).ok()?;
                    let hashes = "#".repeat(longest_hash_run(&text) + 1);
                    let value = format!("&{krate}::serde_json::from_str(r{hashes}\"{text}\"{hashes})?");
                    args.push(if b.required { value } else { format!("Some({value})") });
                }
                None => args.push(self.example_body(b, &krate)?),
            }
        }
        let call = format!("client.{}().{}({}).await?", shown(group), shown(&op.method_name), args.join(", "));
        let mut lines = vec![
            "# Example".to_owned(),
            String::new(),
            "```rust,no_run".to_owned(),
            format!("# async fn demo(client: {krate}::client::Client) -> Result<(), Box<dyn std::error::Error>> {{"),
        ];
        if returns_nothing(op) {
            lines.push(format!("{call};"));
        } else {
            lines.push(format!("let reply = {call};"));
            lines.push("println!(\"{reply:?}\");".to_owned());
        }
        lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
        Some(lines)
    }

    /// Every operation with its group, in order.
    fn ops(&self) -> impl Iterator<Item = (&Group, &Operation)> {
        self.api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op)))
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

/// A `no_run` doctest: `body` inside an async function that may use `?`.
fn example(body: &str) -> String {
    format!(
        "```rust,no_run\n# async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\n{body}\n# Ok(())\n# }}\n```\n\n"
    )
}

/// The longest run of `#` right after a `"` in `text` (a raw string of
/// it needs one `#` more).
fn longest_hash_run(text: &str) -> usize {
    text.split('"').skip(1).map(|rest| rest.chars().take_while(|c| *c == '#').count()).max().unwrap_or(0)
}
