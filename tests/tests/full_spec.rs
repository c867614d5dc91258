//! The whole real Cloudflare description (`../shared/specs/`), as published:
//! the generator must get through it without panicking, and what it covers
//! is a snapshot (operations, warnings by kind, list operations by paging
//! scheme), so every change in coverage shows up in review.

use std::fmt::Write as _;

#[test]
fn full_cloudflare_spec_generates_with_a_coverage_report() {
    let path = xtask::workspace_root().join("../shared/specs/cloudflare-openapi-2024-04-05.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared specs sit beside the repository)", path.display()));
    // With the options the tests keep for it (crate identity, declared paging).
    let options = xtask::load_options(&path, Some(&xtask::workspace_root().join("tests/corpus/cloudflare.sdk.yaml"))).unwrap();
    let output = codegen::generate(&text, &options).expect("the spec parses");
    let c = &output.coverage;
    assert_eq!(c.generated + c.skipped.len(), c.operations);
    let mut report = format!(
        "operations: {}\ngenerated: {}\n  with warnings: {}\nleft out: {}\nfiles: {}\ntypes.rs lines: {}\n\ndiagnostics:\n",
        c.operations,
        c.generated,
        c.with_warnings,
        c.skipped.len(),
        output.files.len(),
        output.files.iter().find(|f| f.path == "src/types.rs").map_or(0, |f| f.contents.lines().count()),
    );
    for (severity, kind, n) in output.diagnostics.counts() {
        let _ = writeln!(report, "  {severity:?} {}: {n}", kind.code());
    }
    report.push('\n');
    report.push_str(&c.paging_report());
    insta::assert_snapshot!(report);
}
