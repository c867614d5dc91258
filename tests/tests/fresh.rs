//! `generated/` must be exactly what `cargo xtask codegen` writes from `spec/`.

#[test]
fn generated_crate_is_up_to_date() {
    let root = xtask::workspace_root();
    let mut args = xtask::CodegenArgs::defaults(&root);
    args.check = true;
    if let Err(e) = xtask::codegen(&args) {
        panic!("{e}");
    }
}

#[test]
fn check_mode_reports_stale_missing_and_extra_files() {
    let dir = std::env::temp_dir().join(format!("fresh-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = xtask::workspace_root();
    let mut args = xtask::CodegenArgs::defaults(&root);
    args.out = dir.clone();

    args.check = true;
    let err = xtask::codegen(&args).unwrap_err();
    assert!(err.contains("missing: src/lib.rs"), "{err}");
    assert!(err.contains("run `cargo xtask codegen`"), "{err}");
    assert!(!dir.join("src/lib.rs").exists(), "check mode writes nothing");

    args.check = false;
    xtask::codegen(&args).unwrap();
    args.check = true;
    xtask::codegen(&args).unwrap();

    std::fs::write(dir.join("src/types.rs"), "// changed by hand\n").unwrap();
    let extra = format!("// {}\n", codegen::GENERATED_BY);
    std::fs::write(dir.join("src/old.rs"), extra).unwrap();
    std::fs::write(dir.join("NOTES.md"), "kept: not generated\n").unwrap();
    let err = xtask::codegen(&args).unwrap_err();
    assert!(err.contains("stale:   src/types.rs"), "{err}");
    assert!(err.contains("extra:   src/old.rs"), "{err}");
    assert!(!err.contains("NOTES.md"), "{err}");

    args.check = false;
    xtask::codegen(&args).unwrap();
    assert!(!dir.join("src/old.rs").exists());
    assert!(dir.join("NOTES.md").exists());
    args.check = true;
    xtask::codegen(&args).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
