//! The crate generated from the whole Cloudflare description
//! (`../shared/specs/`, as published): it must compile with every feature
//! and with one group alone, without warnings, and a few of its operations
//! from different groups must work end to end (`tests/full-e2e/e2e.rs`).
//!
//! Generation goes to `target/full-crate`, a scratch crate outside the
//! workspace that shares the workspace's lock file and target folder.

use std::path::Path;

fn cargo(dir: &Path, args: &[&str]) -> String {
    tests::cargo_in(dir, &xtask::workspace_root().join("target"), args, &[])
}

fn no_warnings(stderr: &str) {
    let found = tests::diagnostics(stderr);
    assert!(found.is_empty(), "warnings:\n{}", found.join("\n"));
}

#[test]
fn full_cloudflare_crate_compiles_and_works() {
    let root = xtask::workspace_root();
    let crate_dir = root.join("target/full-crate");
    let mut args = xtask::CodegenArgs::defaults(&root);
    args.spec = root.join("../shared/specs/cloudflare-openapi-2024-04-05.json");
    args.out = crate_dir.clone();
    args.config = Some(root.join("tests/corpus/cloudflare.sdk.yaml"));
    xtask::codegen(&args).unwrap();
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    if !manifest.contains("[workspace]") {
        // Its own workspace root, so cargo does not look for ours above it.
        std::fs::write(crate_dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).unwrap();
    }

    no_warnings(&cargo(&crate_dir, &["check", "--all-features"]));
    no_warnings(&cargo(&crate_dir, &["check", "--no-default-features", "--features", "audit-logs"]));

    let e2e = root.join("target/full-e2e");
    std::fs::create_dir_all(e2e.join("tests")).unwrap();
    std::fs::write(
        e2e.join("Cargo.toml"),
        r#"[package]
name = "full-e2e"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
cloudflare-api = { path = "../full-crate", default-features = false, features = ["zone", "dns-records-for-a-zone", "url-scanner"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"

[workspace]
"#,
    )
    .unwrap();
    std::fs::copy(root.join("tests/full-e2e/e2e.rs"), e2e.join("tests/e2e.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), e2e.join("Cargo.lock")).unwrap();
    let stderr = cargo(&e2e, &["test"]);
    no_warnings(&stderr);
}
