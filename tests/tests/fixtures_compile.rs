//! Snapshots must compile, not only match: every fixture's generated crate is
//! written into one scratch workspace and checked by clippy with warnings
//! denied, documented by rustdoc, which must not warn either (spec prose
//! becomes rustdoc), and its doctests are built: the README is the crate's
//! docs, so every example it shows (written for that crate's own
//! operations) must be code a user could write.


#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let root = xtask::workspace_root();
    let scratch = root.join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let mut members = Vec::new();
    // Single-file fixtures by their stem; folder fixtures
    // (`multi/<name>/openapi.yaml`) by their folder's name.
    let mut fixtures: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    for dir in std::fs::read_dir(root.join("tests/fixtures/multi")).unwrap() {
        let dir = dir.unwrap().path();
        let name = format!("multi-{}", dir.file_name().unwrap().to_string_lossy());
        fixtures.push((name, dir.join("openapi.yaml")));
    }
    fixtures.sort();
    for (stem, path) in &fixtures {
        let sources = xtask::read_sources(path).unwrap();
        let options = codegen::Options { crate_name: Some(format!("fixture-{stem}")), ..Default::default() };
        let output = codegen::generate_sources(&sources, &[], &options).unwrap();
        let dir = scratch.join(stem);
        xtask::sync(&dir, &output.files, false).unwrap();
        members.push(format!("\"{stem}\""));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    // Same lock file, same target folder: dependencies built for the main
    // workspace are reused.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    // Clippy does what `cargo check` would, and more.
    let target = root.join("target");
    let clippy = ["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"];
    let found = tests::diagnostics(&tests::cargo_in(&scratch, &target, &clippy, &[])).join("\n");
    assert!(found.is_empty(), "fixture crates compile with warnings:\n{found}");
    assert_eq!(fixtures.len(), members.len());

    tests::cargo_in(&scratch, &target, &["doc", "--workspace", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]);
    // Built, not run: they would need the API.
    tests::cargo_in(&scratch, &target, &["test", "--workspace", "--doc"], &[]);
}
