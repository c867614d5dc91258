//! What `init` writes: the text of `sdk.yaml` (what could be inferred, and
//! the paging declarations left to make, as comments), of the empty
//! overlay, and of the CI workflow. Plain text built from the lowered
//! model and [`crate::Coverage`], never from the spec again.

use crate::{ListOperation, Lowered};
use std::fmt::Write as _;

/// A YAML scalar: as is when it is plainly safe, else JSON-quoted (JSON
/// strings are YAML double-quoted strings).
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '$'))
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n");
    if plain { s.to_owned() } else { serde_json::Value::from(s).to_string() }
}

/// The `sdk.yaml` of a new repository: the names the generator would
/// choose, written out so they stay put when the generator changes; the
/// paging it recognised, as comments; and one commented declaration per
/// list operation whose paging it could not recognise, filled in with what
/// the operation has.
pub(super) fn sdk_yaml(l: &Lowered, from: &str, schema: &str) -> String {
    let api = &l.api;
    let bin = super::BIN;
    let mut o = String::new();
    let _ = writeln!(o, "# yaml-language-server: $schema={schema}");
    let _ = writeln!(o, "# Options of the SDK generated from {from}");
    let _ = writeln!(o, "# (\"{}\"): what the description cannot say.", api.title);
    let _ = writeln!(o, "# `{bin} codegen` reads this file from beside the description; every key");
    let _ = writeln!(o, "# is described in {schema} (editors with the YAML language server");
    let _ = writeln!(o, "# show it) and in the generator's README. Written by `{bin} init` with");
    let _ = writeln!(o, "# what it inferred; a key left out, or commented, keeps its default.");
    o.push('\n');
    let _ = writeln!(o, "# The crate's name (default: the title in kebab-case) and version (default:");
    let _ = writeln!(o, "# info.version when it is semver, else 0.1.0).");
    let _ = writeln!(o, "crate_name: {}", scalar(&api.crate_name));
    let _ = writeln!(o, "# crate_version: {}", scalar(&api.crate_version));
    o.push('\n');
    let _ = writeln!(o, "# The environment variables `Client::from_env` reads: the names the generator");
    let _ = writeln!(o, "# makes from the prefix and each security scheme, written out so they stay");
    let _ = writeln!(o, "# what your users set. Rename freely.");
    let _ = writeln!(o, "env_prefix: {}", scalar(&api.env_prefix));
    let _ = writeln!(o, "env:");
    for s in &api.security {
        match s.env.as_slice() {
            [one] => {
                let _ = writeln!(o, "  {}: {}", scalar(&s.wire), scalar(&one.name));
            }
            several => {
                let _ = writeln!(o, "  {}:", scalar(&s.wire));
                for v in several {
                    let _ = writeln!(o, "    {}: {}", v.credential, scalar(&v.name));
                }
            }
        }
    }
    let _ = writeln!(o, "  base_url: {}", scalar(&api.base_url_env));
    o.push('\n');
    let _ = writeln!(o, "# The reply header that carries the server's id for a request, shown in errors.");
    let _ = writeln!(o, "# request_id_header: x-request-id");
    o.push('\n');
    paging(&mut o, &l.coverage.list_operations);
    o.push('\n');
    let _ = writeln!(o, "# Names of types, groups and methods, where the generator's do not suit:");
    let _ = writeln!(o, "# rename:");
    let _ = writeln!(o, "#   types: {{SchemaKey: TypeName}}");
    let _ = writeln!(o, "#   groups: {{tag: group_name}}");
    let _ = writeln!(o, "#   methods: {{operationId: method_name}}");
    o
}

/// The paging part of `sdk.yaml`: all comments, since nothing in it needs
/// declaring until the maintainer has read the API's documentation.
fn paging(o: &mut String, lists: &[ListOperation]) {
    let (paged, unpaged): (Vec<&ListOperation>, Vec<&ListOperation>) = lists.iter().partition(|l| l.paged);
    if lists.is_empty() {
        let _ = writeln!(o, "# Paging: no operation of the description lists items with a way to page.");
        let _ = writeln!(o, "# paging: []");
        return;
    }
    if !paged.is_empty() {
        let _ = writeln!(o, "# Paging recognised from the description (nothing to declare):");
        for l in &paged {
            let _ = writeln!(o, "#   {}", how(l));
        }
    }
    if unpaged.is_empty() {
        let _ = writeln!(o, "# paging: []");
        return;
    }
    let _ = writeln!(o, "# These list operations could page, but the description does not say how:");
    let _ = writeln!(o, "# declare each one (uncomment, check against the API's documentation, and");
    let _ = writeln!(o, "# complete), or leave it out and the operation returns one page.");
    let _ = writeln!(o, "# paging:");
    for l in unpaged {
        let mut about = l.route.clone();
        if !l.query.is_empty() {
            about.push_str(&format!("; query: {}", l.query.join(", ")));
        }
        let _ = writeln!(o, "#   - operations: [{}]  # {about}", serde_json::Value::from(l.operation.as_str()));
        let _ = writeln!(o, "#     scheme: {:<22} # page | offset | cursor | next_url | none", l.scheme.unwrap_or("cursor"));
        let _ = writeln!(
            o,
            "#     param: {:<23} # the query parameter that moves to the next page",
            scalar(l.param.as_deref().unwrap_or("..."))
        );
        if let Some(size) = &l.size {
            let _ = writeln!(o, "#     size: {:<24} # the page size", scalar(size));
        }
        if let Some(items) = &l.items {
            let _ = writeln!(o, "#     items: {:<23} # where the items are (\".\": the reply is the list)", scalar(items));
        }
        if l.scheme != Some("page") && l.scheme != Some("offset") {
            let _ = writeln!(o, "#     next: {:<24} # a reply field, or $last.<field> of the last item", "...");
        }
    }
}

/// One recognised paging, on one line.
fn how(l: &ListOperation) -> String {
    let mut parts = vec![l.scheme.unwrap_or("?").to_owned()];
    if let Some(p) = &l.param {
        parts.push(format!("param `{p}`"));
    }
    if let Some(s) = &l.size {
        parts.push(format!("size `{s}`"));
    }
    if let Some(n) = &l.next {
        parts.push(format!("next `{n}`"));
    }
    if let Some(i) = l.items.as_deref().filter(|i| *i != ".") {
        parts.push(format!("items `{i}`"));
    }
    let declared = if l.declared { " (declared)" } else { "" };
    if l.operation == l.route {
        format!("{}: {}{declared}", l.route, parts.join(", "))
    } else {
        format!("{} ({}): {}{declared}", l.operation, l.route, parts.join(", "))
    }
}

/// An overlay with no actions, saying what one is for, with an example
/// aimed at one of the description's own operations.
pub(super) fn overlay(l: &Lowered, from: &str) -> String {
    let bin = super::BIN;
    let example = l.api.groups.iter().flat_map(|g| &g.operations).next();
    let mut o = String::new();
    let _ = writeln!(o, "# Corrections to {from}, as an OpenAPI Overlay 1.0");
    let _ = writeln!(o, "# (https://spec.openapis.org/overlay/v1.0.0.html): what the description gets");
    let _ = writeln!(o, "# wrong or leaves out is fixed here, so the description stays as its publisher");
    let _ = writeln!(o, "# wrote it. `{bin} codegen` applies every *.overlay.yaml beside the description,");
    let _ = writeln!(o, "# in name order, before generating; an action whose target matches nothing is");
    let _ = writeln!(o, "# an error.");
    let _ = writeln!(o, "overlay: 1.0.0");
    let _ = writeln!(o, "info:");
    let _ = writeln!(o, "  title: {}", serde_json::Value::from(format!("Corrections to {from}")));
    let _ = writeln!(o, "  version: 0.1.0");
    let _ = writeln!(o, "# Each action selects nodes with an RFC 9535 JSONPath `target` and merges");
    let _ = writeln!(o, "# `update` into them, or deletes them with `remove: true`. For example:");
    let _ = writeln!(o, "# actions:");
    if let Some(op) = example {
        let path = op.path.replace('\\', "\\\\").replace('\'', "\\'");
        let _ = writeln!(o, "#   - target: $.paths['{path}'].{}", op.method.as_str().to_ascii_lowercase());
    } else {
        let _ = writeln!(o, "#   - target: $.paths['/things'].get");
    }
    let _ = writeln!(o, "#     update:");
    let _ = writeln!(o, "#       description: What the description leaves out.");
    let _ = writeln!(o, "# Overlay 1.0's schema asks for at least one action; the generator accepts");
    let _ = writeln!(o, "# none, so this file can stay empty until it is needed.");
    let _ = writeln!(o, "actions: []");
    o
}

/// The GitHub Actions workflow that keeps `generated/` what the generator
/// writes and checks that the crate builds. `install` is what `cargo
/// install` gets the generator with, when known.
pub(super) fn workflow(codegen: &str, install: Option<&str>) -> String {
    let bin = super::BIN;
    let mut o = String::new();
    let _ = writeln!(o, "# Written by `{bin} init`. Fails when generated/ is not what the generator");
    let _ = writeln!(o, "# writes from the description (run `{codegen}` and commit the");
    let _ = writeln!(o, "# result), and when the generated crate does not build cleanly. On another");
    let _ = writeln!(o, "# CI, run the same commands.");
    let _ = writeln!(o, "name: sdk");
    let _ = writeln!(o, "on:");
    let _ = writeln!(o, "  push:");
    let _ = writeln!(o, "  pull_request:");
    let _ = writeln!(o, "env:");
    let _ = writeln!(o, "  # The `cargo install` arguments that get the generator. Pin a revision, so");
    let _ = writeln!(o, "  # CI writes what your machine writes.");
    match install {
        Some(args) => {
            let _ = writeln!(o, "  GENERATOR: {}", serde_json::Value::from(args));
        }
        None => {
            let _ = writeln!(o, "  # TODO: where you install the generator from.");
            let _ = writeln!(o, "  GENERATOR: \"--git https://example.invalid/sdk-generator.git codegen\"");
        }
    }
    let _ = writeln!(o, "  CARGO_TERM_COLOR: always");
    let _ = writeln!(o, "jobs:");
    let _ = writeln!(o, "  generated:");
    let _ = writeln!(o, "    runs-on: ubuntu-latest");
    let _ = writeln!(o, "    steps:");
    let _ = writeln!(o, "      - uses: actions/checkout@v4");
    let _ = writeln!(o, "      - uses: dtolnay/rust-toolchain@stable");
    let _ = writeln!(o, "        with:");
    let _ = writeln!(o, "          components: clippy");
    let _ = writeln!(o, "      - name: Install the generator");
    let _ = writeln!(o, "        run: cargo install --locked $GENERATOR");
    let _ = writeln!(o, "      - name: generated/ is what the generator writes");
    let _ = writeln!(o, "        run: {codegen} --check");
    let _ = writeln!(o, "      - name: The crate builds without warnings, with every feature");
    let _ = writeln!(o, "        run: cargo clippy --manifest-path generated/Cargo.toml --all-features -- -D warnings");
    let _ = writeln!(o, "      - name: Its docs build");
    let _ = writeln!(o, "        run: RUSTDOCFLAGS=\"-D warnings\" cargo doc --manifest-path generated/Cargo.toml --no-deps");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(scalar("swagger-petstore"), "swagger-petstore");
        assert_eq!(scalar("$last.id"), "$last.id");
        assert_eq!(scalar("."), "\".\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("GET /pets"), "\"GET /pets\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("1st"), "\"1st\"");
    }
}
