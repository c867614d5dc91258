//! Snapshot tests of the generator: one small spec per construct under
//! `tests/fixtures/`, each rendered to the crate's Rust sources (the runtime
//! files are the same for every spec and left out). Specs under
//! `tests/fixtures/invalid/` snapshot their diagnostics instead.
//!
//! Bless changes with `cargo insta test --accept` (or `INSTA_UPDATE=always`).

use std::fmt::Write as _;

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
    insta::glob!("../fixtures", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let output = codegen::generate(&text, &codegen::Options::default())
            .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
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
    insta::glob!("../fixtures/invalid", "*.{yaml,json}", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let report = match codegen::generate(&text, &codegen::Options::default()) {
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
    insta::glob!("../fixtures", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let a = codegen::generate(&text, &codegen::Options::default()).unwrap();
        let b = codegen::generate(&text, &codegen::Options::default()).unwrap();
        assert_eq!(a.files, b.files, "{}", path.display());
    });
}
