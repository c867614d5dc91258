//! Real descriptions from other vendors (`../shared/specs/corpus/`, read in
//! place): each generates with every operation (no `--partial`), its
//! coverage is a snapshot (operations, warnings by kind), the crates
//! compile with every feature and without a warning, and their doctests
//! (the README's examples, each method's example call) build.
//!
//! The crates are written into one scratch workspace under
//! `target/corpus-crates` that shares this workspace's lock file and target
//! folder, and checked by one `cargo check`, so they build in parallel and
//! reuse the dependencies already built.

use std::fmt::Write as _;
use std::path::Path;

/// (crate folder, spec relative to the corpus folder, options in
/// `tests/corpus/` declaring the paging the spec leaves open).
const CORPUS: [(&str, &str, Option<&str>); 3] = [
    ("discord", "discord-2026-07-18.json", Some("discord.sdk.yaml")),
    ("twilio-messaging", "twilio_messaging_v1.json", Some("twilio.sdk.yaml")),
    ("digitalocean", "digitalocean/specification/DigitalOcean-public.v2.yaml", Some("digitalocean.sdk.yaml")),
];

/// Generates one description into `out` and returns its coverage report.
fn generate(spec: &Path, out: &Path, name: &str, config: Option<&str>) -> String {
    let sources = xtask::read_sources(spec).unwrap_or_else(|e| panic!("{e} (the shared specs sit beside the repository)"));
    let config = config.map(|c| xtask::workspace_root().join("tests/corpus").join(c));
    let mut options = match &config {
        Some(c) => xtask::load_options(spec, Some(c)).unwrap(),
        None => codegen::Options::default(),
    };
    options.crate_name = Some(format!("corpus-{name}"));
    let output = codegen::generate_sources(&sources, &[], &options).unwrap_or_else(|d| panic!("{}: {d}", spec.display()));
    let c = &output.coverage;
    let declarations = output.diagnostics.0.iter().filter(|d| d.kind == codegen::Kind::PagingDeclaration).count();
    assert_eq!(declarations, 0, "{}: paging declarations that do not fit:\n{}", spec.display(), output.diagnostics);
    assert!(
        !output.diagnostics.has_errors() && c.generated == c.operations,
        "{}: {} of {} operations generated:\n{}",
        spec.display(),
        c.generated,
        c.operations,
        output.diagnostics
    );
    xtask::sync(out, &output.files, false).unwrap();
    let mut report = format!(
        "operations: {}\ngenerated: {}\n  with warnings: {}\nfiles: {}\nlines (without the runtime, the same for every spec): {}\n\ndiagnostics:\n",
        c.operations,
        c.generated,
        c.with_warnings,
        output.files.len(),
        output
            .files
            .iter()
            .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/"))
            .map(|f| f.contents.lines().count())
            .sum::<usize>(),
    );
    for (severity, kind, n) in output.diagnostics.counts() {
        let _ = writeln!(report, "  {severity:?} {}: {n}", kind.code());
    }
    report.push('\n');
    report.push_str(&c.paging_report());
    report
}

#[test]
fn corpus_descriptions_generate_every_operation_and_compile() {
    let root = xtask::workspace_root();
    let scratch = root.join("target/corpus-crates");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (name, rel, config) in CORPUS {
        let spec = root.join("../shared/specs/corpus").join(rel);
        let report = generate(&spec, &scratch.join(name), name, config);
        insta::assert_snapshot!(format!("coverage_{}", name.replace('-', "_")), report);
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let stderr = tests::cargo_in(&scratch, &root.join("target"), &["check", "--workspace", "--all-features"], &[]);
    let found = tests::diagnostics(&stderr);
    assert!(found.is_empty(), "corpus crates compile with warnings:\n{}", found.join("\n"));
    // Their docs teach with examples for their own operations (the README
    // is the crate docs; each method shows a call where the description
    // gives examples): every one must build.
    tests::cargo_in(&scratch, &root.join("target"), &["test", "--workspace", "--all-features", "--doc"], &[]);
}
