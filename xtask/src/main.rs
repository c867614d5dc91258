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
  --verbose      print every warning (by default only when there are 20 or fewer)
       cargo xtask mock-test [--spec PATH] [--config PATH] [--overlay PATH]... [--mock-overlay PATH]...
                             [--out DIR] [--seed N] [--jobs N]
                 generate the client and a program that calls every operation through it into
                 target/mock-test/, run it against Stoplight Prism mock servers of the same
                 description (one answering from its examples, one generating replies), and
                 report each operation whose request the mock refused or whose reply did not
                 decode (needs Node.js; Prism is installed into target/prism)

  --mock-overlay PATH  overlay applied to the mock server's document only, after generation
  --out DIR            scratch folder (default: target/mock-test/<spec name>)
  --seed N             seed of the generated replies (default 1)
  --jobs N             calls in flight at once (default 8)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("codegen") => {}
        Some("mock-test") => return mock_test(args.collect()),
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

fn mock_test(args: Vec<String>) -> ExitCode {
    let root = xtask::workspace_root();
    let mut opts = xtask::mock_test::MockArgs::defaults(&root);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("{arg} needs a value\n{USAGE}");
            return ExitCode::FAILURE;
        };
        let number = |v: &str| v.parse::<u64>().map_err(|e| format!("{arg}: {e}"));
        let path = PathBuf::from(&value);
        let r = match arg.as_str() {
            "--spec" => {
                opts.spec = path;
                Ok(())
            }
            "--config" => {
                opts.config = Some(path);
                Ok(())
            }
            "--overlay" => {
                opts.overlays.get_or_insert_with(Vec::new).push(path);
                Ok(())
            }
            "--mock-overlay" => {
                opts.mock_overlays.push(path);
                Ok(())
            }
            "--out" => {
                opts.out = Some(path);
                Ok(())
            }
            "--seed" => number(&value).map(|n| opts.seed = n),
            "--jobs" => number(&value).map(|n| opts.jobs = (n as usize).max(1)),
            other => Err(format!("unknown flag `{other}`")),
        };
        if let Err(e) = r {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    }
    match xtask::mock_test::mock_test(&opts) {
        Ok(report) => {
            print!("{}", report.text);
            let times: Vec<String> = report.timings.iter().map(|(what, d)| format!("{what} {:.1} s", d.as_secs_f64())).collect();
            eprintln!("time: {}", times.join(", "));
            if report.ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
