//! The paging schemes end to end through generated code: the crate for
//! `tests/fixtures/paging.yaml` (options: `tests/paging-e2e/sdk.yaml`) is
//! generated into `target/paging-e2e/fixture`, and `tests/paging-e2e/e2e.rs`
//! runs against it from a scratch crate beside it. Both share this
//! workspace's lock file and target folder.


#[test]
fn every_paging_scheme_works_through_generated_code() {
    let root = xtask::workspace_root();
    let scratch = root.join("target/paging-e2e");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut args = xtask::CodegenArgs::defaults(&root);
    args.spec = root.join("tests/fixtures/paging.yaml");
    args.config = Some(root.join("tests/paging-e2e/sdk.yaml"));
    args.out = scratch.join("fixture");
    xtask::codegen(&args).unwrap();
    std::fs::create_dir_all(scratch.join("e2e/tests")).unwrap();
    std::fs::write(
        scratch.join("e2e/Cargo.toml"),
        r#"[package]
name = "paging-e2e"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
paging-fixture = { path = "../fixture" }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread", "time"] }
wiremock = "0.6"
"#,
    )
    .unwrap();
    std::fs::write(scratch.join("Cargo.toml"), "[workspace]\nresolver = \"3\"\nmembers = [\"fixture\", \"e2e\"]\n").unwrap();
    std::fs::copy(root.join("tests/paging-e2e/e2e.rs"), scratch.join("e2e/tests/e2e.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let stderr = tests::cargo_in(&scratch, &root.join("target"), &["test", "-p", "paging-e2e"], &[]);
    let found = tests::diagnostics(&stderr);
    assert!(found.is_empty(), "warnings:\n{}", found.join("\n"));
}
