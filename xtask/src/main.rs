//! `cargo xtask`: parses flags and dispatches; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask bench [BENCH]...
                         run the benchmarks (all, or those named: codegen, decode,
                         listing) and print one table
       cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--config PATH] [--overlay PATH]... [--partial]

  --check        write nothing; fail if the output folder differs from what would be written
  --spec PATH    OpenAPI 3.0 or 3.1 description, JSON or YAML, with the files its $refs name
                 (relative to it) (default: spec/openapi.yaml)
  --out DIR      output folder (default: generated/)
  --config PATH  options file (default: sdk.yaml beside the spec, if present)
  --overlay PATH OpenAPI overlay to apply (repeatable; default: *.overlay.yaml beside the spec)
  --partial      write even when some operations could not be generated
  --verbose      print every warning (by default only when there are 20 or fewer)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("codegen") => {}
        Some("bench") => {
            let only: Vec<String> = args.collect();
            return match xtask::bench::run(&xtask::workspace_root(), &only) {
                Ok(table) => {
                    println!("{table}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown task `{other}`\n{USAGE}");
            return ExitCode::FAILURE;
        }
    }
    let root = xtask::workspace_root();
    let mut opts = xtask::CodegenArgs::defaults(&root);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| match args.next() {
            Some(v) => Ok(PathBuf::from(v)),
            None => Err(format!("{name} needs a value")),
        };
        let r = match arg.as_str() {
            "--check" => {
                opts.check = true;
                Ok(())
            }
            "--verbose" => {
                opts.verbose = true;
                Ok(())
            }
            "--partial" => {
                opts.partial = true;
                Ok(())
            }
            "--spec" => value("--spec").map(|v| opts.spec = v),
            "--out" => value("--out").map(|v| opts.out = v),
            "--config" => value("--config").map(|v| opts.config = Some(v)),
            "--overlay" => value("--overlay").map(|v| opts.overlays.get_or_insert_with(Vec::new).push(v)),
            other => Err(format!("unknown flag `{other}`")),
        };
        if let Err(e) = r {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    }
    match xtask::codegen(&opts) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
