//! `cargo xtask`: parses flags and dispatches; the work is in the library
//! (and, for `codegen`, in `codegen::commands`, as for `cargo sdk`).

use clap::Parser;
use codegen::cli::{CodegenFlags, MockFlags, mock_report, report};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "This repository's tasks", styles = clap::builder::Styles::plain())]
enum Task {
    /// Generate generated/ from spec/ (or, with --check, fail when it is
    /// not what would be written); the flags point it elsewhere
    Codegen(CodegenFlags),
    /// Generate the client and a program that calls every operation
    /// through it into target/mock-test/, and run it against Stoplight
    /// Prism mock servers of the same description (see `cargo sdk
    /// mock-test`; Prism's defects are listed in tests/mock/)
    MockTest(MockFlags),
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
        Task::MockTest(flags) => mock_report(codegen::commands::mock_test(&flags.over(xtask::mock_args(&root)))),
        Task::Bench { names } => xtask::bench::run(&root, &names).map(|table| format!("{table}\n")),
        Task::Schema { check } => xtask::schema(&root, check),
    })
}

