//! Shared helpers for the tests and benchmarks in this crate (the tests
//! themselves are under `tests/tests/`, the benchmarks under `tests/benches/`).

use std::fmt::Write as _;

pub mod same_json;
pub mod samples;

/// A realistic audit-log reply page, generated deterministically: varied
/// actors and actor types, metadata objects of different shapes, ids,
/// timestamps. `total_pages` adds a `result_info` block.
pub fn audit_log_page(page: usize, per_page: usize, total_pages: Option<usize>) -> String {
    let actor_types = ["user", "admin", "Cloudflare"];
    let interfaces = ["API", "UI", "Terraform"];
    let actions = ["change_setting", "add", "delete", "login", "rotate_key"];
    let mut out = String::with_capacity(per_page * 700);
    out.push_str(r#"{"errors":[],"messages":[],"success":true,"result":["#);
    for i in 0..per_page {
        let n = (page - 1) * per_page + i;
        if i > 0 {
            out.push(',');
        }
        let secs = 1_700_000_000 + n as i64 * 37;
        let when = chrono::DateTime::from_timestamp(secs, (n % 1000) as u32 * 1_000_000).unwrap();
        let metadata = match n % 3 {
            0 => format!(r#"{{"name":"security_level","type":"firewall","value":"high","zone_name":"zone{}.example.com"}}"#, n % 97),
            1 => format!(r#"{{"rule_id":"{:032x}","changes":[{{"field":"mode","from":"simulate","to":"block"}}],"count":{}}}"#, n * 7919, n % 13),
            _ => r#"{}"#.to_owned(),
        };
        let _ = write!(
            out,
            r#"{{"id":"{:08x}-1232-4452-8858-{:012x}","action":{{"result":{},"type":"{}"}},"actor":{{"id":"{:032x}","email":"user{}@example.com","ip":"198.51.{}.{}","type":"{}"}},"interface":"{}","metadata":{},"newValue":"value-{}","oldValue":"value-{}","owner":{{"id":"{:032x}"}},"resource":{{"id":"{:032x}","type":"zone"}},"when":"{}"}}"#,
            n,
            n * 31,
            n % 11 != 0,
            actions[n % actions.len()],
            n * 104_729,
            n % 500,
            n % 256,
            (n / 256) % 256,
            actor_types[n % actor_types.len()],
            interfaces[n % interfaces.len()],
            metadata,
            n + 1,
            n,
            n % 17,
            n * 13,
            when.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        );
    }
    out.push(']');
    if let Some(total) = total_pages {
        let _ = write!(
            out,
            r#","result_info":{{"page":{page},"per_page":{per_page},"count":{per_page},"total_count":{},"total_pages":{total}}}"#,
            total * per_page
        );
    }
    out.push('}');
    out
}

/// This process's resident set size and its peak so far, in KiB (Linux).
pub fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs `cargo <args>` in `dir`, a scratch crate or workspace outside the
/// repository's workspace that shares its target folder `target` (and its
/// lock file, copied beside): offline, one line per diagnostic, with `env`
/// set. Panics with all cargo printed unless it succeeds; returns stderr.
pub fn cargo_in(dir: &std::path::Path, target: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    // Cargo's own flags go before a `--` that hands the rest to the tool.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let out = std::process::Command::new(env!("CARGO"))
        .args(&args[..split])
        .args(["--offline", "--message-format", "short"])
        .args(&args[split..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "`cargo {}` failed in {}:\n{stderr}\n{stdout}", args.join(" "), dir.display());
    stderr
}

/// The warning and error lines of cargo's output, not its progress lines
/// (which name crates such as `serde_path_to_error`).
pub fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("warning:") || l.contains("warning[") || l.contains("error:") || l.contains("error["))
        .collect()
}
