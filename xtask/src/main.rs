//! `cargo xtask`: parses flags and dispatches; the work is in the library
//! (and, for `codegen`, in `codegen::commands`, as for `cargo sdk`).

use clap::Parser;
use codegen::cli::{CodegenFlags, report};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "This repository's tasks", styles = clap::builder::Styles::plain())]
enum Task {
    /// Generate generated/ from spec/ (or, with --check, fail when it is
    /// not what would be written); the flags point it elsewhere
    Codegen(CodegenFlags),
    /// Run the benchmarks (all, or those named: codegen, decode, listing)
    /// and print one table
    Bench {
        /// Benchmarks to run
        names: Vec<String>,
    },
    /// Write codegen/sdk.schema.json and the README's sdk.yaml reference
    /// from codegen::Options (or, with --check, fail when they are stale)
    Schema {
        /// Write nothing; fail if either is stale
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let root = xtask::workspace_root();
    report(match Task::parse() {
        Task::Codegen(flags) => xtask::codegen(&flags.over(xtask::CodegenArgs::defaults(&root))),
        Task::Bench { names } => xtask::bench::run(&root, &names).map(|table| format!("{table}\n")),
        Task::Schema { check } => xtask::schema(&root, check),
    })
}
