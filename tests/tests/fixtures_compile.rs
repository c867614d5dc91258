//! Snapshots must compile, not only match: every fixture's generated crate is
//! written into one scratch workspace and checked by cargo, which must report
//! no error and no warning, and documented by rustdoc, which must not warn
//! either (spec prose becomes rustdoc).

use std::process::Command;

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
    let out = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--offline", "--message-format", "short", "--", "-D", "warnings"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "fixture crates do not compile:\n{stderr}");
    // Diagnostics only: cargo's progress lines name crates (`serde_path_to_error`).
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning:") || l.contains("warning[") || l.contains("error:") || l.contains("error["))
        .collect();
    assert!(problems.is_empty(), "fixture crates compile with warnings:\n{}", problems.join("\n"));
    assert_eq!(fixtures.len(), members.len());

    let out = Command::new(env!("CARGO"))
        .args(["doc", "--workspace", "--no-deps", "--offline", "--message-format", "short"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "rustdoc rejects the fixture crates' docs:\n{stderr}");
}
