//! The xtask's library: runs the generator and writes its files, or checks
//! that a folder already holds exactly them. Writing and checking are one
//! function with a flag, so the CLI, the tests and CI check the same thing.

pub mod bench;
pub mod mock_test;
pub mod schema_check;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The command that regenerates `generated/`, named in every staleness error.
pub const COMMAND: &str = "cargo xtask codegen";

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone)]
pub struct CodegenArgs {
    /// The OpenAPI description.
    pub spec: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Options file; default: `sdk.yaml` beside the spec, if present.
    pub config: Option<PathBuf>,
    /// Overlays; default: every `*.overlay.yaml` beside the spec, by name.
    pub overlays: Option<Vec<PathBuf>>,
    /// Only check.
    pub check: bool,
    /// Write even when some operations failed.
    pub partial: bool,
    /// Print every warning, however many.
    pub verbose: bool,
}

impl CodegenArgs {
    /// `spec/openapi.yaml` into `generated/`.
    pub fn defaults(root: &Path) -> Self {
        CodegenArgs {
            spec: root.join("spec/openapi.yaml"),
            out: root.join("generated"),
            config: None,
            overlays: None,
            check: false,
            partial: false,
            verbose: false,
        }
    }
}

/// Reads the options file for a spec.
pub fn load_options(spec: &Path, config: Option<&Path>) -> Result<codegen::Options, String> {
    let path = match config {
        Some(p) => p.to_path_buf(),
        None => {
            let beside = spec.with_file_name("sdk.yaml");
            if !beside.exists() {
                return Ok(codegen::Options::default());
            }
            beside
        }
    };
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut options = codegen::Options::from_yaml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    options.source = Some(path.display().to_string());
    Ok(options)
}

/// Reads the overlays for a spec: the given ones, or every
/// `*.overlay.yaml` beside it, sorted by name.
pub fn load_overlays(spec: &Path, given: Option<&[PathBuf]>) -> Result<Vec<codegen::overlay::Overlay>, String> {
    let paths: Vec<PathBuf> = match given {
        Some(list) => list.to_vec(),
        None => {
            let dir = spec.parent().unwrap_or(Path::new("."));
            let mut found: Vec<PathBuf> = fs::read_dir(dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".overlay.yaml"))
                .collect();
            found.sort();
            found
        }
    };
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(codegen::overlay::Overlay { name, text })
        })
        .collect()
}

/// More files than any real description is split into: past this, `$ref`
/// paths are likely running in circles (a symlink to its own folder).
const MAX_FILES: usize = 50_000;

/// Reads the spec and every file its `$ref`s reach, relative to the spec's
/// folder: asks the bundle which files are missing, reads them, and asks
/// again until none is. A file that cannot be read is recorded as such, so
/// each `$ref` to it becomes a diagnostic naming the ref and where it stands.
pub fn read_sources(spec: &Path) -> Result<codegen::load::Sources, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = spec.parent().unwrap_or(Path::new("."));
    let mut sources = codegen::load::Sources::new(&name, text);
    loop {
        let missing = sources.missing();
        if missing.is_empty() {
            return Ok(sources);
        }
        for path in missing {
            match fs::read_to_string(dir.join(&path)) {
                Ok(text) => sources.add(&path, text),
                Err(e) => sources.add_unreadable(&path, e.to_string()),
            }
        }
        if sources.len() > MAX_FILES {
            return Err(format!("{}: its `$ref`s reach more than {MAX_FILES} files", spec.display()));
        }
    }
}

/// Runs the generator and writes (or checks) the output folder. Returns a
/// human-readable report.
pub fn codegen(args: &CodegenArgs) -> Result<String, String> {
    let started = Instant::now();
    let sources = read_sources(&args.spec)?;
    let options = load_options(&args.spec, args.config.as_deref())?;
    let overlays = load_overlays(&args.spec, args.overlays.as_deref())?;
    let output = codegen::generate_sources(&sources, &overlays, &options)
        .map_err(|d| format!("{}: the spec could not be read\n{d}", args.spec.display()))?;
    let mut report = String::new();
    if sources.len() > 1 {
        let _ = writeln!(report, "read {} files (the spec and what its `$ref`s reach)", sources.len());
    }
    let warnings = output.diagnostics.0.iter().filter(|d| d.severity == codegen::Severity::Warning).count();
    if output.diagnostics.has_errors() {
        let msg = format!("{}", output.diagnostics);
        if !args.partial {
            return Err(format!(
                "{msg}{}: {} of {} operations could not be generated; nothing was written \
                 (pass --partial to write the rest)",
                args.spec.display(),
                output.coverage.skipped.len(),
                output.coverage.operations
            ));
        }
        report.push_str(&msg);
    } else if warnings > 0 && (warnings <= 20 || args.verbose) {
        let _ = write!(report, "{}", output.diagnostics);
    }
    let c = &output.coverage;
    let _ = writeln!(
        report,
        "{} operations: {} generated ({} with warnings), {} left out",
        c.operations,
        c.generated,
        c.with_warnings,
        c.skipped.len()
    );
    for (severity, kind, n) in output.diagnostics.counts() {
        let _ = writeln!(report, "  {n:>5} {severity:?} {}", kind.code());
    }
    report.push_str(&output.coverage.paging_report());
    let t = output.timings;
    let _ = writeln!(
        report,
        "generate: parse {:?}, lower {:?}, emit and format {:?}",
        t.parse, t.lower, t.emit_and_format
    );
    let changes = sync(&args.out, &output.files, args.check).map_err(|e| format!("{}: {e}", args.out.display()))?;
    if args.check {
        if !changes.is_empty() {
            let mut msg = format!("{} is out of date:\n", args.out.display());
            for c in &changes {
                let _ = writeln!(msg, "  {c}");
            }
            let _ = write!(msg, "run `{COMMAND}` and commit the result");
            return Err(msg);
        }
        let _ = writeln!(report, "{} is up to date ({} files)", args.out.display(), output.files.len());
    } else {
        let _ = writeln!(
            report,
            "wrote {} of {} files to {} in {:?}",
            changes.len(),
            output.files.len(),
            args.out.display(),
            started.elapsed()
        );
    }
    Ok(report)
}

/// A difference between a folder and the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file is missing.
    Missing(String),
    /// The file differs.
    Stale(String),
    /// A generated file that the generator no longer writes.
    Extra(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Missing(p) => write!(f, "missing: {p}"),
            Change::Stale(p) => write!(f, "stale:   {p}"),
            Change::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// Brings `dir` in line with `files` (or, with `check`, only reports). Files
/// the generator did not write are left alone unless they carry its header.
pub fn sync(dir: &Path, files: &[codegen::GeneratedFile], check: bool) -> std::io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        match fs::read(&path) {
            Ok(old) if old == f.contents.as_bytes() => continue,
            Ok(_) => changes.push(Change::Stale(f.path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.push(Change::Missing(f.path.clone())),
            Err(e) => return Err(e),
        }
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &f.contents)?;
        }
    }
    let mut existing = Vec::new();
    collect_generated(dir, dir, &mut existing)?;
    existing.sort();
    for rel in existing {
        if !files.iter().any(|f| f.path == rel) {
            if !check {
                fs::remove_file(dir.join(&rel))?;
            }
            changes.push(Change::Extra(rel));
        }
    }
    Ok(changes)
}

/// Files under `dir` whose first line carries the generator's header.
fn collect_generated(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_generated(root, &path, out)?;
        } else if let Ok(text) = fs::read_to_string(&path) {
            if text.lines().next().is_some_and(|l| l.contains(codegen::GENERATED_BY)) {
                let rel = path.strip_prefix(root).expect("walked from root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(())
}
