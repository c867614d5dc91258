//! `cargo xtask bench [BENCH...]`: runs the benchmarks under
//! `tests/benches/` (all, or those named), the memory probe (with
//! `listing`), and, for a whole run, a build of the generated crate; prints
//! one table.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One row of the table.
struct Row {
    what: String,
    median: String,
    spread: String,
}

/// The benchmarks under `tests/benches/`.
pub const BENCHES: [&str; 4] = ["codegen", "decode", "listing", "streams"];

/// Runs the benchmarks named in `only` (all when empty) and returns the
/// table (Markdown). The build and size rows come only with a whole run.
pub fn run(root: &Path, only: &[String]) -> Result<String, String> {
    if let Some(unknown) = only.iter().find(|b| !BENCHES.contains(&b.as_str())) {
        return Err(format!("no benchmark `{unknown}`; there are: {}", BENCHES.join(", ")));
    }
    let mut rows = Vec::new();
    for bench in BENCHES.into_iter().filter(|b| only.is_empty() || only.iter().any(|o| o == b)) {
        let out = cargo(root, &["bench", "-q", "-p", "tests", "--bench", bench], &[])?;
        rows.extend(parse_divan(bench, &out));
        rows.extend(parse_extra_lines(&out));
    }
    if only.is_empty() || only.iter().any(|o| o == "listing") {
        let probe = cargo(root, &["bench", "-q", "-p", "tests", "--bench", "listing"], &[("BENCH_MEMORY", "1")])?;
        rows.extend(parse_extra_lines(&probe));
    }
    if !only.is_empty() {
        return Ok(table(rows));
    }
    // Build time of the generated crate alone, dependencies already built.
    cargo(root, &["build", "-q", "-p", "cloudflare-api"], &[])?;
    cargo(root, &["clean", "-q", "-p", "cloudflare-api"], &[])?;
    let started = Instant::now();
    cargo(root, &["build", "-q", "-p", "cloudflare-api"], &[])?;
    rows.push(Row {
        what: "build / generated crate alone (debug, deps built)".into(),
        median: format!("{:.1} s", started.elapsed().as_secs_f64()),
        spread: "one run".into(),
    });
    let lines = count_lines(&root.join("generated/src"));
    rows.push(Row { what: "size / generated crate".into(), median: format!("{lines} lines"), spread: "-".into() });
    Ok(table(rows))
}

fn table(rows: Vec<Row>) -> String {
    let mut table = String::from("| benchmark | median | fastest … slowest |\n|---|---|---|\n");
    for r in rows {
        let _ = writeln!(table, "| {} | {} | {} |", r.what, r.median, r.spread);
    }
    table
}

/// Rows from the lines a bench prints besides divan's table:
/// `memory: WHAT: FIGURE`, `requests: WHAT took FIGURE`, `bytes: WHAT: FIGURE`,
/// `floor: WHAT: FIGURE` (computed, not measured) and `in flight: WHAT: FIGURE`.
fn parse_extra_lines(out: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for line in out.lines() {
        let Some((kind, rest)) = line.split_once(": ") else { continue };
        let (separator, spread) = match kind {
            "memory" => (": ", "one run"),
            "requests" => (" took ", "one run"),
            "bytes" => (": ", "-"),
            "floor" => (": ", "computed"),
            "in flight" => (": ", "the most over the samples"),
            _ => continue,
        };
        let (what, figure) = rest.split_once(separator).unwrap_or((rest, ""));
        rows.push(Row { what: format!("{kind} / {what}"), median: figure.to_owned(), spread: spread.into() });
    }
    rows
}

fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(root);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("`cargo {}` failed:\n{}{stdout}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(stdout)
}

/// Rows from divan's tree output: `├─ name  fastest │ slowest │ median │ mean │ samples │ iters`,
/// and the throughput lines under a row whose bench has counters
/// (`│   1.2 GB/s │ …`), as rows of their own.
fn parse_divan(bench: &str, out: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut group = String::new();
    for line in out.lines() {
        // Rows under a group that is not the last start with the group's `│`.
        let (indented, body) = match line.strip_prefix('│') {
            Some(rest) => (true, rest),
            None => (line.starts_with("   "), line),
        };
        let cells: Vec<&str> = body.split('│').map(str::trim).collect();
        if cells.len() < 4 || cells[1] == "slowest" {
            continue;
        }
        let name_cell = cells[0].trim_start_matches(['├', '╰', '─', '│', ' ']);
        if name_cell.starts_with(|c: char| c.is_ascii_digit()) {
            // A counter's line: the rate of the row above it.
            let Some(last) = rows.last().map(|r: &Row| r.what.clone()) else { continue };
            let base = last.split(" (").next().unwrap_or(&last).to_owned();
            let per = if cells[2].contains("item") { "items per second" } else { "bytes per second" };
            rows.push(Row { what: format!("{base} ({per})"), median: cells[2].to_owned(), spread: format!("{name_cell} … {}", cells[1]) });
            continue;
        }
        let mut parts = name_cell.split_whitespace();
        let Some(name) = parts.next() else { continue };
        let fastest: Vec<&str> = parts.collect();
        if fastest.is_empty() {
            // A group header such as `├─ full_spec`.
            group = name.to_owned();
            continue;
        }
        let label = if indented && !group.is_empty() { format!("{group} / {name}") } else { name.to_owned() };
        rows.push(Row {
            what: format!("{bench} / {label}"),
            median: cells[2].to_owned(),
            spread: format!("{} … {}", fastest.join(" "), cells[1]),
        });
    }
    rows
}

fn count_lines(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += count_lines(&p);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            n += text.lines().count();
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lines_printed_besides_the_table() {
        let out = "\
bytes: 100 pages: identity 52.4 MB, gzip 10.9 MB (4.8x smaller)
floor: wide_area, 4 in flight: 2.94 s (100 x 100 ms / 4 + 10.9 MB gzip at 200 Mbit/s)
listing                  fastest       │ slowest       │ median        │ mean          │ samples │ iters
requests: listing 100000 items over 100 pages took 100 requests
memory: listing 100000 items over 100 pages: peak RSS 10 MiB (7 MiB above start)
in flight: wide_area / client_default: at most 1 at once
unrelated: line
";
        let got: Vec<(String, String, String)> =
            parse_extra_lines(out).into_iter().map(|r| (r.what, r.median, r.spread)).collect();
        let row = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            got,
            [
                row("bytes / 100 pages", "identity 52.4 MB, gzip 10.9 MB (4.8x smaller)", "-"),
                row(
                    "floor / wide_area, 4 in flight",
                    "2.94 s (100 x 100 ms / 4 + 10.9 MB gzip at 200 Mbit/s)",
                    "computed"
                ),
                row("requests / listing 100000 items over 100 pages", "100 requests", "one run"),
                row("memory / listing 100000 items over 100 pages", "peak RSS 10 MiB (7 MiB above start)", "one run"),
                row("in flight / wide_area / client_default", "at most 1 at once", "the most over the samples"),
            ]
        );
    }

    #[test]
    fn reads_divan_rows_with_groups() {
        let out = "\
codegen                fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ full_spec                         │               │               │               │         │
│  ├─ generate         2.01 s        │ 2.459 s       │ 2.154 s       │ 2.184 s       │ 10      │ 10
│  ╰─ parse_floor      78.41 ms      │ 80.7 ms       │ 80.31 ms      │ 80.02 ms      │ 10      │ 10
╰─ spec_dir                          │               │               │               │         │
   ╰─ generate         5.896 ms      │ 6.796 ms      │ 6.056 ms      │ 6.078 ms      │ 50      │ 50
├─ flat                1 ms          │ 3 ms          │ 2 ms          │ 2 ms          │ 5       │ 5
";
        let rows = parse_divan("codegen", out);
        let got: Vec<(String, String, String)> =
            rows.into_iter().map(|r| (r.what, r.median, r.spread)).collect();
        assert_eq!(
            got,
            [
                ("codegen / full_spec / generate".into(), "2.154 s".into(), "2.01 s … 2.459 s".into()),
                ("codegen / full_spec / parse_floor".into(), "80.31 ms".into(), "78.41 ms … 80.7 ms".into()),
                ("codegen / spec_dir / generate".into(), "6.056 ms".into(), "5.896 ms … 6.796 ms".into()),
                ("codegen / flat".into(), "2 ms".into(), "1 ms … 3 ms".into()),
            ]
        );
    }

    #[test]
    fn reads_counter_lines_as_rates_of_the_row_above() {
        let out = "\
streams                   fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ sse_floor              3.8 ms        │ 7.9 ms        │ 3.9 ms        │ 5 ms          │ 10      │ 10
│                         13.15 GB/s    │ 6.284 GB/s    │ 12.64 GB/s    │ 9.806 GB/s    │         │
│                         67.62 Mitem/s │ 32.31 Mitem/s │ 65.04 Mitem/s │ 50.42 Mitem/s │         │
╰─ sse_typed              201.4 ms      │ 326.4 ms      │ 256.2 ms      │ 257.1 ms      │ 10      │ 10
                          248.1 MB/s    │ 153.1 MB/s    │ 195.1 MB/s    │ 194.4 MB/s    │         │
";
        let got: Vec<(String, String, String)> =
            parse_divan("streams", out).into_iter().map(|r| (r.what, r.median, r.spread)).collect();
        let row = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            got,
            [
                row("streams / sse_floor", "3.9 ms", "3.8 ms … 7.9 ms"),
                row("streams / sse_floor (bytes per second)", "12.64 GB/s", "13.15 GB/s … 6.284 GB/s"),
                row("streams / sse_floor (items per second)", "65.04 Mitem/s", "67.62 Mitem/s … 32.31 Mitem/s"),
                row("streams / sse_typed", "256.2 ms", "201.4 ms … 326.4 ms"),
                row("streams / sse_typed (bytes per second)", "195.1 MB/s", "248.1 MB/s … 153.1 MB/s"),
            ]
        );
    }
}
