//! Snapshot tests of the generator: one small spec per construct under
//! `tests/fixtures/`, each rendered to the crate's Rust sources (the runtime
//! files are the same for every spec and left out). A spec split over files is
//! a folder, `tests/fixtures/multi/<name>/openapi.yaml` and what it refers
//! to. Specs under `tests/fixtures/invalid/` snapshot their diagnostics
//! instead.
//!
//! Every spec is read as the xtask reads it: the root, then each file its
//! `$ref`s reach (`xtask::read_sources`).
//!
//! Bless changes with `cargo insta test --accept` (or `INSTA_UPDATE=always`).

use std::fmt::Write as _;
use std::path::Path;

/// The valid fixtures: single files, and folders.
const FIXTURES: &str = "{*.yaml,multi/*/openapi.yaml}";

fn generate(path: &Path) -> Result<codegen::Output, codegen::Diagnostics> {
    let sources = xtask::read_sources(path).unwrap_or_else(|e| panic!("{e}"));
    codegen::generate_sources(&sources, &[], &codegen::Options::default())
}

fn render(output: &codegen::Output) -> String {
    let mut out = String::new();
    if !output.diagnostics.0.is_empty() {
        let _ = writeln!(out, "=== diagnostics ===\n{}", output.diagnostics);
    }
    for f in &output.files {
        if f.path.starts_with("src/runtime/") || f.path == "README.md" {
            continue;
        }
        let _ = writeln!(out, "=== {} ===\n{}", f.path, f.contents);
    }
    out
}

#[test]
fn fixtures_generate_as_snapshotted() {
    insta::glob!("../fixtures", FIXTURES, |path| {
        let output = generate(path).unwrap_or_else(|d| panic!("{}: {d}", path.display()));
        assert!(
            !output.diagnostics.has_errors(),
            "{}: valid fixtures generate every operation:\n{}",
            path.display(),
            output.diagnostics
        );
        assert_eq!(output.coverage.generated, output.coverage.operations);
        insta::assert_snapshot!(render(&output));
    });
}

#[test]
fn invalid_fixtures_report_located_diagnostics() {
    insta::glob!("../fixtures/invalid", "{*.yaml,*.json,multi/*/openapi.yaml}", |path| {
        let report = match generate(path) {
            Err(diagnostics) => format!("spec rejected:\n{diagnostics}"),
            Ok(output) => {
                assert!(output.diagnostics.has_errors(), "{}: expected errors", path.display());
                let c = &output.coverage;
                format!(
                    "{} of {} operations generated; left out: {:#?}\n{}",
                    c.generated, c.operations, c.skipped, output.diagnostics
                )
            }
        };
        for line in report.lines().filter(|l| l.trim_start().starts_with("-->")) {
            assert!(line.contains("#/"), "every diagnostic has a JSON pointer: {line}");
        }
        insta::assert_snapshot!(report);
    });
}

#[test]
fn generation_is_deterministic() {
    insta::glob!("../fixtures", FIXTURES, |path| {
        let a = generate(path).unwrap();
        let b = generate(path).unwrap();
        assert_eq!(a.files, b.files, "{}", path.display());
    });
}
