//! The xtask's library: this repository's front for the generator's own
//! commands (`codegen::commands`, the same code `cargo sdk` runs), filled
//! in with the repository's paths, plus the tasks only this repository has
//! (`bench`, `schema`).

pub mod bench;

use std::path::{Path, PathBuf};

pub use codegen::commands::{CodegenArgs, MockArgs, MockReport, codegen, mock_test};
pub use codegen::files::{Change, load_options, load_overlays, read_sources, sync};

/// The command that regenerates `generated/`, named in every staleness error.
pub const COMMAND: &str = codegen::DEFAULT_COMMAND;

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// `mock-test` in this repository: `spec/`, the workspace's lock file
/// (so the program builds offline with the versions CI tested), and the
/// list of Prism's defects in `tests/mock/`.
pub fn mock_args(root: &Path) -> MockArgs {
    let mut args = MockArgs::defaults(root);
    args.lock = Some(root.join("Cargo.lock"));
    args.defects = root.join("tests/mock/prism-defects.yaml");
    args
}

/// Where the JSON Schema of `sdk.yaml` is committed.
pub const SCHEMA: &str = "codegen/sdk.schema.json";

/// The lines around the README's reference of `sdk.yaml`.
const REFERENCE_START: &str = "<!-- sdk.yaml reference: written by `cargo xtask schema` from the doc comments of codegen/src/options.rs; edit those -->";
const REFERENCE_END: &str = "<!-- end of the sdk.yaml reference -->";

/// Writes (or, with `check`, checks) what is derived from `codegen::Options`:
/// the JSON Schema of `sdk.yaml` and the README's reference of its keys.
pub fn schema(root: &Path, check: bool) -> Result<String, String> {
    let schema_path = root.join(SCHEMA);
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).map_err(|e| format!("{}: {e}", readme_path.display()))?;
    let (Some(start), Some(end)) = (readme.find(REFERENCE_START), readme.find(REFERENCE_END)) else {
        return Err(format!("{}: no `{REFERENCE_START}` ... `{REFERENCE_END}` section", readme_path.display()));
    };
    let body_start = start + REFERENCE_START.len();
    let new_readme = format!("{}\n\n{}\n{}", &readme[..body_start], codegen::schema::reference(), &readme[end..]);
    let new_schema = codegen::schema::json();
    let mut stale = Vec::new();
    if std::fs::read_to_string(&schema_path).ok().as_deref() != Some(new_schema.as_str()) {
        stale.push((schema_path, new_schema));
    }
    if new_readme != readme {
        stale.push((readme_path, new_readme));
    }
    if check {
        if stale.is_empty() {
            return Ok(format!("{SCHEMA} and the README's sdk.yaml reference are up to date\n"));
        }
        let names: Vec<String> = stale.iter().map(|(p, _)| p.display().to_string()).collect();
        return Err(format!("out of date: {}\nrun `cargo xtask schema` and commit the result", names.join(", ")));
    }
    let mut report = String::new();
    for (path, text) in &stale {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    if report.is_empty() {
        report.push_str("nothing to write\n");
    }
    Ok(report)
}
