//! `codegen`: runs the generator on a description and writes (or checks)
//! the output folder. Writing and checking are one function with a flag,
//! so the command, the tests and CI check the same thing.

use crate::files::{load_options, load_overlays, read_sources, sync};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `codegen` was asked to do.
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
    /// The command that regenerates the folder: named in the generated
    /// files' first line and in the error of a stale check.
    pub command: String,
}

impl CodegenArgs {
    /// `spec/openapi.yaml` under `root` into `generated/`, as
    /// [`DEFAULT_COMMAND`](crate::DEFAULT_COMMAND) does.
    pub fn defaults(root: &Path) -> Self {
        CodegenArgs {
            spec: root.join("spec/openapi.yaml"),
            out: root.join("generated"),
            config: None,
            overlays: None,
            check: false,
            partial: false,
            verbose: false,
            command: crate::DEFAULT_COMMAND.to_owned(),
        }
    }
}

/// Runs the generator and writes (or checks) the output folder. Returns a
/// human-readable report; an error says what failed and what to do.
pub fn codegen(args: &CodegenArgs) -> Result<String, String> {
    let started = Instant::now();
    let sources = read_sources(&args.spec)?;
    let mut options = load_options(&args.spec, args.config.as_deref())?;
    options.generated_by = Some(args.command.clone());
    let overlays = load_overlays(&args.spec, args.overlays.as_deref())?;
    let output = crate::generate_sources(&sources, &overlays, &options)
        .map_err(|d| format!("{}: the spec could not be read\n{d}", args.spec.display()))?;
    let mut report = String::new();
    if sources.len() > 1 {
        let _ = writeln!(report, "read {} files (the spec and what its `$ref`s reach)", sources.len());
    }
    let warnings = output.diagnostics.0.iter().filter(|d| d.severity == crate::Severity::Warning).count();
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
            let _ = write!(msg, "run `{}` and commit the result", args.command);
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
