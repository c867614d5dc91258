//! The exact requests a generated client sends: `tests/wire/openapi.yaml`
//! (parameter styles in every place, a form body, a multipart body with a
//! file) is generated into `target/wire-crate`, and `tests/wire/e2e.rs`
//! runs against it in `target/wire-e2e`, a scratch crate that checks each
//! request against a server on 127.0.0.1.
//!
//! Both share the workspace's lock file and target folder, and the wire
//! crate has the dependencies of every generated crate, so after the other
//! tests only these two small crates are compiled.

#[test]
fn a_generated_client_sends_the_exact_requests_its_spec_describes() {
    let root = xtask::workspace_root();
    let crate_dir = root.join("target/wire-crate");
    let sources = xtask::read_sources(&root.join("tests/wire/openapi.yaml")).unwrap();
    let options = codegen::Options { crate_name: Some("wire-client".into()), ..Default::default() };
    let output = codegen::generate_sources(&sources, &[], &options).unwrap();
    assert!(output.diagnostics.0.is_empty(), "{}", output.diagnostics);
    xtask::sync(&crate_dir, &output.files, false).unwrap();
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    // Its own workspace root, so cargo does not look for ours above it.
    std::fs::write(crate_dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).unwrap();

    let e2e = root.join("target/wire-e2e");
    std::fs::create_dir_all(e2e.join("tests")).unwrap();
    std::fs::write(
        e2e.join("Cargo.toml"),
        r#"[package]
name = "wire-e2e"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
wire-client = { path = "../wire-crate" }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"

[workspace]
"#,
    )
    .unwrap();
    std::fs::copy(root.join("tests/wire/e2e.rs"), e2e.join("tests/e2e.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), e2e.join("Cargo.lock")).unwrap();
    let stderr = tests::cargo_in(&e2e, &root.join("target"), &["test"], &[]);
    let found = tests::diagnostics(&stderr);
    assert!(found.is_empty(), "warnings:\n{}", found.join("\n"));
}
