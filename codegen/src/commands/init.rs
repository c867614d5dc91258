//! `init`: sets up a new SDK repository from an OpenAPI description (a
//! file, or a folder holding one): the description under `spec/` (with
//! every file its `$ref`s reach), an `sdk.yaml` holding what could be
//! inferred (see `init_text`), the JSON Schema it names, an empty overlay,
//! and the CI workflow that keeps `generated/` fresh. It never overwrites
//! a file: one that is there is kept and said so, and a description that
//! would replace a different one stops it before anything is written.
//!
//! What it infers comes from the generator itself ([`crate::lower_sources`]:
//! the model's environment variables, [`crate::Coverage::list_operations`]
//! for paging), so `sdk.yaml` says exactly what `codegen` would do.

use super::init_text;
use crate::files::{self, OPTIONS_FILE, OVERLAY_SUFFIX};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// What `init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitArgs {
    /// The description: a file, or a folder holding one
    /// ([`files::find_description`]).
    pub description: PathBuf,
    /// The SDK repository's folder.
    pub dir: PathBuf,
    /// The crate's name, instead of the one made from the title.
    pub crate_name: Option<String>,
    /// What CI passes to `cargo install` to get the generator, instead of
    /// what `init` finds out about how it was installed.
    pub install: Option<String>,
}

/// The schema's file name, beside `sdk.yaml`.
pub const SCHEMA_FILE: &str = "sdk.schema.json";

/// The CI workflow's path in the repository.
pub const WORKFLOW: &str = ".github/workflows/sdk.yml";

/// Sets up the repository; returns the report (what was written, kept and
/// inferred, and the commands to run next).
pub fn init(args: &InitArgs) -> Result<String, String> {
    let root = if args.description.is_dir() { files::find_description(&args.description)? } else { args.description.clone() };
    let sources = files::read_sources(&root)?;
    fs::create_dir_all(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let dir = args.dir.canonicalize().map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let root_abs = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let root_name = root_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();

    // A description already in the repository stays where it is; another
    // is copied into `spec/`, with the files its `$ref`s reach.
    let in_place = root_abs.starts_with(&dir);
    let spec = if in_place { root_abs.clone() } else { dir.join("spec").join(&root_name) };
    let spec_dir = spec.parent().unwrap_or(&dir).to_path_buf();
    let mut copies: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut same = 0;
    if !in_place {
        let from_dir = root_abs.parent().unwrap_or(Path::new("/"));
        let mut conflicts = Vec::new();
        for rel in sources.paths() {
            if rel.starts_with("../") {
                return Err(format!(
                    "{}: its `$ref`s reach {rel}, outside its folder; copy the files it needs into your repository and run init on the copy",
                    root.display()
                ));
            }
            let bytes = fs::read(from_dir.join(rel)).map_err(|e| format!("{}: {e}", from_dir.join(rel).display()))?;
            let to = spec_dir.join(rel);
            match fs::read(&to) {
                Ok(existing) if existing == bytes => same += 1,
                Ok(_) => conflicts.push(shown(&dir, &to)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => copies.push((to, bytes)),
                Err(e) => return Err(format!("{}: {e}", to.display())),
            }
        }
        if !conflicts.is_empty() {
            return Err(format!(
                "{} already there and different from {}: init never overwrites a file; remove {} or run init on {}",
                conflicts.join(", "),
                root.display(),
                if conflicts.len() == 1 { "it" } else { "them" },
                if conflicts.len() == 1 { "it" } else { "the one to keep" },
            ));
        }
    }

    // What the generator would make of it, with the options and overlays
    // already beside it (none, for a new repository).
    let options_path = spec_dir.join(OPTIONS_FILE);
    let has_options = options_path.exists();
    let mut options = files::load_options(&spec, None)?;
    if !has_options {
        options.crate_name = args.crate_name.clone();
    }
    let overlays = if spec_dir.exists() { files::load_overlays(&spec, None)? } else { Vec::new() };
    let lowered = crate::lower_sources(&sources, &overlays, &options)
        .map_err(|d| format!("{}: the description could not be read\n{d}", root.display()))?;

    let mut report = String::new();
    let c = &lowered.coverage;
    let _ = writeln!(
        report,
        "read {} (\"{}\"{}): {}, {} that could page",
        root.display(),
        lowered.api.title,
        if sources.len() > 1 { format!(", {} files", sources.len()) } else { String::new() },
        plural(c.operations, "operation"),
        plural(c.lists, "list operation"),
    );
    for (to, bytes) in &copies {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(to, bytes).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    if !in_place {
        let with = if sources.len() > 1 { format!(" with the {} its `$ref`s reach", plural(sources.len() - 1, "file")) } else { String::new() };
        if copies.is_empty() {
            let _ = writeln!(report, "{} is already in {}{with}, the same", root.display(), shown(&dir, &spec));
        } else {
            let same = if same > 0 { format!(" ({same} already there, the same)") } else { String::new() };
            let _ = writeln!(report, "copied {} to {}{with}{same}", root.display(), shown(&dir, &spec));
        }
    }

    // The commands the workflow and the report name: `--spec` only where
    // `codegen` would not find the description on its own.
    let found = files::find_description(&dir.join("spec")).ok().and_then(|p| p.canonicalize().ok());
    let spec_flag = if found.as_deref() == Some(spec.as_path()) { String::new() } else { format!(" --spec {}", shown(&dir, &spec)) };
    let codegen_cmd = format!("{} codegen{spec_flag}", super::BIN);

    let install = args.install.clone().or_else(installed_from);
    let stem = root_name.rsplit_once('.').map_or(root_name.as_str(), |(stem, _)| stem).to_owned();
    let has_overlay = files::overlays_beside(&spec).map(|o| !o.is_empty()).unwrap_or(false);
    let api = &lowered.api;
    let vars: Vec<&str> = api.security.iter().flat_map(|s| s.env.iter().map(|v| v.name.as_str())).chain([api.base_url_env.as_str()]).collect();
    let unpaged = c.list_operations.iter().filter(|l| !l.paged).count();
    let about_options = format!(
        "crate `{}` {}; environment variables {}; paging: {} recognised, {} to declare",
        api.crate_name,
        api.crate_version,
        vars.join(", "),
        c.lists - unpaged,
        unpaged
    );
    let mut planned: Vec<(PathBuf, String, String)> =
        vec![(options_path.clone(), init_text::sdk_yaml(&lowered, &root_name, SCHEMA_FILE), about_options)];
    planned.push((spec_dir.join(SCHEMA_FILE), crate::schema::json(), "the JSON Schema of sdk.yaml".to_owned()));
    if !has_overlay {
        planned.push((
            spec_dir.join(format!("{stem}{OVERLAY_SUFFIX}")),
            init_text::overlay(&lowered, &root_name),
            "an empty overlay".to_owned(),
        ));
    }
    planned.push((dir.join(WORKFLOW), init_text::workflow(&codegen_cmd, install.as_deref()), "CI: generated/ stays fresh and builds".to_owned()));
    planned.push((dir.join(".gitignore"), "/target/\n/generated/target/\n".to_owned(), "Cargo's build folders".to_owned()));
    for (path, text, what) in planned {
        if path.exists() {
            let _ = writeln!(report, "kept {} (it exists)", shown(&dir, &path));
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = writeln!(report, "wrote {}: {what}", shown(&dir, &path));
    }

    // What is left to do.
    if has_options && args.crate_name.is_some() {
        let _ = writeln!(report, "note: --crate-name is not used: {} exists and says it", shown(&dir, &options_path));
    }
    if !valid_package_name(&api.crate_name) {
        let _ = writeln!(
            report,
            "warning: `{}` is not a valid crate name (letters, digits, `-` and `_`, not starting with a digit): set `crate_name` in {}",
            api.crate_name,
            shown(&dir, &options_path)
        );
    }
    if lowered.diagnostics.has_errors() {
        let _ = writeln!(
            report,
            "warning: {} of {} operations cannot be generated (`{codegen_cmd}` names each): fix the description with the overlay, or pass --partial",
            c.skipped.len(),
            c.operations
        );
    }
    if install.is_none() {
        let _ = writeln!(
            report,
            "todo: set GENERATOR in {WORKFLOW} to where CI installs the generator from (the `cargo install` arguments; \
             it could not tell how this copy was installed)"
        );
    }
    if let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) {
        if manifest.contains("[workspace]") && !manifest.contains("generated") {
            let _ = writeln!(report, "note: Cargo.toml here is a workspace: add \"generated\" to its members");
        }
    }
    let _ = writeln!(report, "next:");
    let _ = writeln!(report, "  {codegen_cmd:<48} # writes generated/");
    let _ = writeln!(report, "  {:<48} # the crate builds", "cargo check --manifest-path generated/Cargo.toml");
    if unpaged > 0 && !has_options {
        let _ = writeln!(
            report,
            "  then declare the paging of {} in {} (its commented entries)",
            plural(unpaged, "list operation"),
            shown(&dir, &options_path)
        );
    }
    Ok(report)
}

/// `n thing` or `n things`.
fn plural(n: usize, thing: &str) -> String {
    if n == 1 { format!("1 {thing}") } else { format!("{n} {thing}s") }
}

/// `path` relative to the repository, as the report and CI name it.
fn shown(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Cargo's rule for a package name.
fn valid_package_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The `cargo install` arguments that install this very binary, when it
/// was installed from a git repository: read from Cargo's record of
/// installs (`$CARGO_HOME/.crates2.json`), whose keys are
/// `<package> <version> (<source id>)` and whose git source ids are
/// `git+<url>[?<ref>]#<commit>`. A binary that was not installed by cargo,
/// or was installed from a local path, gives nothing.
fn installed_from() -> Option<String> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let exe_name = exe.file_name()?.to_string_lossy().into_owned();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    if home.join("bin").join(&exe_name).canonicalize().ok()? != exe {
        return None;
    }
    let record: serde_json::Value = serde_json::from_str(&fs::read_to_string(home.join(".crates2.json")).ok()?).ok()?;
    install_args(&record, exe_name.strip_suffix(".exe").unwrap_or(&exe_name))
}

/// The `cargo install` arguments of the package that installed `bin`,
/// from Cargo's record, when it came from git.
fn install_args(record: &serde_json::Value, bin: &str) -> Option<String> {
    record.get("installs")?.as_object()?.iter().find_map(|(key, install)| {
        let bins = install.get("bins")?.as_array()?;
        if !bins.iter().any(|b| b.as_str().is_some_and(|b| b.strip_suffix(".exe").unwrap_or(b) == bin)) {
            return None;
        }
        let (package, source) = key.split_once(" (")?;
        let package = package.split(' ').next()?;
        let (url, commit) = source.strip_suffix(')')?.strip_prefix("git+")?.split_once('#')?;
        let url = url.split('?').next()?;
        Some(format!("--git {url} --rev {commit} {package}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_arguments_from_cargos_record() {
        let record = serde_json::json!({"installs": {
            "ripgrep 14.1.0 (registry+https://github.com/rust-lang/crates.io-index)": {"bins": ["rg"]},
            "codegen 0.1.0 (git+https://git.example.com/team/sdk-generator?branch=main#0123abcd)": {"bins": ["cargo-sdk"]},
            "other 0.1.0 (path+file:///home/me/other)": {"bins": ["other"]},
        }});
        assert_eq!(
            install_args(&record, "cargo-sdk").as_deref(),
            Some("--git https://git.example.com/team/sdk-generator --rev 0123abcd codegen")
        );
        assert_eq!(install_args(&record, "other"), None, "a local path is no use to CI");
        assert_eq!(install_args(&record, "rg"), None);
        assert_eq!(install_args(&record, "absent"), None);
    }

    #[test]
    fn package_names() {
        for ok in ["petstore", "cloudflare-api", "a_b", "api2"] {
            assert!(valid_package_name(ok), "{ok}");
        }
        for bad in ["", "3d-secure", "my api", "café"] {
            assert!(!valid_package_name(bad), "{bad}");
        }
    }
}
