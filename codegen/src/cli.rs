//! The command line of the `cargo sdk` binary (`src/main.rs`), with clap:
//! flags become the plain arguments of [`crate::commands`], which do the
//! work. `cargo xtask` reuses [`CodegenFlags`], so both take the same
//! flags with the same help.
//!
//! A new subcommand is a variant of [`Command`] with its flags, and one
//! arm in [`run`] calling its function in `commands`.

use crate::commands::{self, BIN, CodegenArgs, InitArgs, MockArgs, MockReport};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How cargo runs a subcommand: `cargo-sdk sdk <args>`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap::builder::Styles::plain())]
pub enum Cargo {
    /// Generate a typed async Rust client crate from an OpenAPI description.
    Sdk(Sdk),
}

/// `cargo sdk`.
#[derive(Debug, Args)]
#[command(
    version,
    about = "Generate a typed async Rust client crate from an OpenAPI 3.0 or 3.1 description",
    after_help = "Start with `cargo sdk init path/to/openapi.yaml`, then `cargo sdk codegen`."
)]
pub struct Sdk {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up an SDK repository from a description: spec/ with the
    /// description, sdk.yaml (what could be inferred), its JSON Schema, an
    /// empty overlay, and a CI workflow; never overwrites a file
    Init(InitFlags),
    /// Generate the client crate into generated/ (or, with --check, fail
    /// when it is not what would be written)
    Codegen(CodegenFlags),
    /// Call every operation through the generated client against two
    /// Stoplight Prism mock servers of the description (one answering from
    /// its examples, one generating replies), and report each operation
    /// whose request the mock refused or whose reply did not decode (needs
    /// Node.js; Prism is installed into target/prism)
    MockTest(MockFlags),
    /// Print the JSON Schema of sdk.yaml (or write it to a file)
    Schema(SchemaFlags),
}

/// `init`'s flags.
#[derive(Debug, Args)]
pub struct InitFlags {
    /// The OpenAPI description (JSON or YAML), or a folder holding it
    /// (openapi.yaml, or its one description)
    pub description: PathBuf,
    /// The SDK repository's folder
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// The crate's name (default: the description's title in kebab-case)
    #[arg(long)]
    pub crate_name: Option<String>,
    /// What CI passes to `cargo install` to get this generator (default:
    /// how this copy was installed, when it was from git)
    #[arg(long, value_name = "ARGS")]
    pub install: Option<String>,
}

/// `codegen`'s flags (also `cargo xtask codegen`'s).
#[derive(Debug, Args)]
pub struct CodegenFlags {
    /// Write nothing; fail if the output folder differs from what would be
    /// written
    #[arg(long)]
    pub check: bool,
    /// OpenAPI 3.0 or 3.1 description, JSON or YAML, with the files its
    /// $refs name (relative to it) [default: the description in spec/]
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Output folder [default: generated/]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Options file [default: sdk.yaml beside the spec, if present]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// OpenAPI overlay to apply (repeatable) [default: every *.overlay.yaml
    /// beside the spec, by name]
    #[arg(long = "overlay", value_name = "PATH")]
    pub overlays: Vec<PathBuf>,
    /// Write even when some operations could not be generated
    #[arg(long)]
    pub partial: bool,
    /// Print every warning (by default only when there are 20 or fewer)
    #[arg(long)]
    pub verbose: bool,
}

impl CodegenFlags {
    /// The arguments: these flags over `defaults`.
    pub fn over(self, mut defaults: CodegenArgs) -> CodegenArgs {
        if let Some(spec) = self.spec {
            defaults.spec = spec;
        }
        if let Some(out) = self.out {
            defaults.out = out;
        }
        defaults.config = self.config.or(defaults.config);
        if !self.overlays.is_empty() {
            defaults.overlays = Some(self.overlays);
        }
        defaults.check |= self.check;
        defaults.partial |= self.partial;
        defaults.verbose |= self.verbose;
        defaults
    }
}

/// `mock-test`'s flags (also `cargo xtask mock-test`'s).
#[derive(Debug, Args)]
pub struct MockFlags {
    /// OpenAPI 3.0 or 3.1 description [default: the description in spec/]
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Options file [default: sdk.yaml beside the spec, if present]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// OpenAPI overlay to apply (repeatable) [default: every *.overlay.yaml
    /// beside the spec, by name]
    #[arg(long = "overlay", value_name = "PATH")]
    pub overlays: Vec<PathBuf>,
    /// Overlay applied to the mock server's document only, after
    /// generation (repeatable)
    #[arg(long = "mock-overlay", value_name = "PATH")]
    pub mock_overlays: Vec<PathBuf>,
    /// Scratch folder [default: target/mock-test/<spec name>]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of the generated replies
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Calls in flight at once
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: u64,
    /// Prism's known defects, each with its operation, reason and the test
    /// that proves the request right [default: spec/prism-defects.yaml]
    #[arg(long, value_name = "PATH")]
    pub defects: Option<PathBuf>,
}

impl MockFlags {
    /// The arguments: these flags over `defaults`.
    pub fn over(self, mut defaults: MockArgs) -> MockArgs {
        if let Some(spec) = self.spec {
            defaults.spec = spec;
        }
        defaults.config = self.config.or(defaults.config);
        if !self.overlays.is_empty() {
            defaults.overlays = Some(self.overlays);
        }
        defaults.mock_overlays.extend(self.mock_overlays);
        defaults.out = self.out.or(defaults.out);
        defaults.seed = self.seed;
        defaults.jobs = usize::try_from(self.jobs).unwrap_or(usize::MAX);
        if let Some(defects) = self.defects {
            defaults.defects = defects;
        }
        defaults
    }
}

/// Prints a mock test's report (its timings to stderr); an error when
/// anything failed or was not run, so the exit status says so.
pub fn mock_report(outcome: Result<MockReport, String>) -> Result<String, String> {
    let report = outcome?;
    let times: Vec<String> = report.timings.iter().map(|(what, d)| format!("{what} {:.1} s", d.as_secs_f64())).collect();
    eprintln!("time: {}", times.join(", "));
    let both = report.counts[2];
    if report.ok() {
        Ok(report.text)
    } else {
        print!("{}", report.text);
        Err(format!("mock test: {} failed, {} not run", both.failed, both.not_run))
    }
}

/// `schema`'s flags.
#[derive(Debug, Args)]
pub struct SchemaFlags {
    /// Write it to this file instead of printing it (e.g. spec/sdk.schema.json,
    /// to refresh the copy `init` wrote after upgrading the generator)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Parses the process's arguments, runs the subcommand, prints its report
/// (to stdout) or its error (to stderr).
pub fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Run as `cargo sdk ...`, cargo passes `sdk` first; run directly as
    // `cargo-sdk ...`, it is not there.
    if args.get(1).is_none_or(|a| a != "sdk") {
        args.insert(1, "sdk".into());
    }
    let Cargo::Sdk(sdk) = Cargo::parse_from(args);
    report(run(sdk.command))
}

/// Prints a subcommand's outcome and makes it the exit status.
pub fn report(outcome: Result<String, String>) -> ExitCode {
    match outcome {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one subcommand in the current folder.
pub fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Init(f) => commands::init(&InitArgs {
            description: f.description,
            dir: f.dir,
            crate_name: f.crate_name,
            install: f.install,
        }),
        Command::Codegen(f) => {
            let mut defaults = CodegenArgs::defaults(Path::new("."));
            defaults.out = PathBuf::from("generated");
            defaults.command = format!("{BIN} codegen");
            if f.spec.is_none() {
                let hint = format!("`{BIN} codegen` reads the description in spec/: pass --spec, or run `{BIN} init <description>` first");
                if !Path::new("spec").is_dir() {
                    return Err(format!("no spec/ folder here; {hint}"));
                }
                defaults.spec = crate::files::find_description(Path::new("spec")).map_err(|e| format!("{e}\n({hint})"))?;
            }
            commands::codegen(&f.over(defaults))
        }
        Command::MockTest(f) => {
            let mut defaults = MockArgs::defaults(Path::new("."));
            if f.spec.is_none() {
                defaults.spec = crate::files::find_description(Path::new("spec"))
                    .map_err(|e| format!("{e}\n(`{BIN} mock-test` reads the description in spec/: pass --spec)"))?;
            }
            mock_report(commands::mock_test(&f.over(defaults)))
        }
        Command::Schema(f) => match f.out {
            None => Ok(crate::schema::json()),
            Some(path) => {
                std::fs::write(&path, crate::schema::json()).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(format!("wrote {}\n", path.display()))
            }
        },
    }
}
