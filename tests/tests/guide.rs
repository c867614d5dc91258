//! The README's "Generating an SDK for your API", followed as a user does:
//! `cargo install` the generator (built by this test into a scratch cargo
//! root), then, in a new folder outside the repository, `cargo sdk init`
//! on a description split over files (`tests/guide/bookshop/`), `cargo sdk
//! codegen`, `cargo check` of the crate, `--check`, declaring the paging
//! `init` left commented, a mistyped key, and `cargo sdk mock-test`.
//! `init` never overwrites a file: run again it keeps everything, and it
//! refuses to replace a description that differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` (but `generated/` and `target/`), with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "generated" && name != "target" {
                    stack.push(path);
                }
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

struct Session {
    /// The scratch cargo root the generator is installed into.
    bin: PathBuf,
    /// The SDK repository.
    repo: PathBuf,
}

impl Session {
    /// `cargo sdk <args>` in the repository: its exit status, stdout and
    /// stderr.
    fn sdk(&self, args: &[&str]) -> (bool, String, String) {
        self.sdk_with(args, &[])
    }

    /// [`Session::sdk`] with more environment variables.
    fn sdk_with(&self, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> (bool, String, String) {
        let path = std::env::join_paths(std::iter::once(self.bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())))
            .unwrap();
        let out = Command::new(env!("CARGO"))
            .arg("sdk")
            .args(args)
            .current_dir(&self.repo)
            .env("PATH", path)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    }

    fn ok(&self, args: &[&str]) -> String {
        let (ok, stdout, stderr) = self.sdk(args);
        assert!(ok, "`cargo sdk {}` failed:\n{stderr}\n{stdout}", args.join(" "));
        stdout
    }

    fn fails(&self, args: &[&str]) -> String {
        let (ok, stdout, stderr) = self.sdk(args);
        assert!(!ok, "`cargo sdk {}` succeeded:\n{stdout}", args.join(" "));
        stderr
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.repo.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.repo.join(rel), text).unwrap();
    }

    /// `cargo check` of the generated crate, sharing the workspace's
    /// target folder and lock file (offline); no warnings.
    fn check_crate(&self, target: &Path, lock: &Path) {
        std::fs::copy(lock, self.repo.join("generated/Cargo.lock")).unwrap();
        let stderr = tests::cargo_in(&self.repo, target, &["check", "--manifest-path", "generated/Cargo.toml", "--all-features"], &[]);
        let found = tests::diagnostics(&stderr);
        assert!(found.is_empty(), "warnings:\n{}", found.join("\n"));
    }
}

#[test]
fn install_init_codegen_check() {
    let root = xtask::workspace_root();
    let target = root.join("target");
    let scratch = std::env::temp_dir().join(format!("sdk-guide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let repo = scratch.join("bookshop-sdk");
    std::fs::create_dir_all(&repo).unwrap();

    // Install, as the guide says (a debug build, offline, into a scratch
    // root, sharing the workspace's target folder so it builds quickly).
    let codegen = root.join("codegen");
    let install_root = scratch.join("cargo");
    let out = Command::new(env!("CARGO"))
        .args(["install", "--locked", "--offline", "--debug", "--quiet", "--path"])
        .arg(&codegen)
        .arg("--root")
        .arg(&install_root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo install failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let s = Session { bin: install_root.join("bin"), repo: repo.clone() };
    assert!(s.bin.join("cargo-sdk").exists());
    let help = s.ok(&["--help"]);
    for sub in ["init", "codegen", "schema"] {
        assert!(help.contains(&format!("  {sub} ")), "{help}");
    }

    // init, on the folder the description was published in.
    let description = root.join("tests/guide/bookshop");
    let report = s.ok(&["init", description.to_str().unwrap()]);
    for line in [
        "(\"Bookshop API\", 3 files): 4 operations, 2 list operations that could page",
        "to spec/openapi.yaml with the 2 files its `$ref`s reach",
        "wrote spec/sdk.yaml: crate `bookshop-api` 2.1.0; environment variables BOOKSHOP_API_KEY, BOOKSHOP_TOKEN, BOOKSHOP_BASE_URL; paging: 1 recognised, 1 to declare",
        "wrote spec/sdk.schema.json",
        "wrote spec/openapi.overlay.yaml",
        "wrote .github/workflows/sdk.yml",
        "todo: set GENERATOR",
        "  cargo sdk codegen ",
        "declare the paging of 1 list operation in spec/sdk.yaml",
    ] {
        assert!(report.contains(line), "missing {line:?} in:\n{report}");
    }
    for file in ["spec/openapi.yaml", "spec/schemas/book.yaml", "spec/schemas/review.yaml", ".gitignore"] {
        assert!(repo.join(file).exists(), "{file}");
    }
    let sdk_yaml = s.read("spec/sdk.yaml");
    for line in [
        "# yaml-language-server: $schema=sdk.schema.json\n",
        "\ncrate_name: bookshop-api\n",
        "\nenv_prefix: BOOKSHOP\nenv:\n  apiKey: BOOKSHOP_API_KEY\n  bearerAuth: BOOKSHOP_TOKEN\n  base_url: BOOKSHOP_BASE_URL\n",
        "#   listBooks (GET /books): page, param `page`, size `per_page`, items `books`\n",
        "#   - operations: [\"listReviews\"]  # GET /books/{bookId}/reviews; query: before, after, limit\n",
    ] {
        assert!(sdk_yaml.contains(line), "missing {line:?} in:\n{sdk_yaml}");
    }
    // What init wrote is what editors check it against, and passes.
    assert_eq!(s.read("spec/sdk.schema.json"), codegen::schema::json());
    let schema: serde_json::Value = serde_json::from_str(&s.read("spec/sdk.schema.json")).unwrap();
    let options: serde_json::Value = serde_yaml::from_str(&sdk_yaml).unwrap();
    assert!(jsonschema::draft7::is_valid(&schema, &options), "{sdk_yaml}");
    let workflow = s.read(".github/workflows/sdk.yml");
    assert!(workflow.contains("run: cargo sdk codegen --check\n"), "{workflow}");
    assert!(workflow.contains("cargo clippy --manifest-path generated/Cargo.toml --all-features -- -D warnings"), "{workflow}");

    // Run again: nothing is overwritten.
    let before = snapshot(&repo);
    let again = s.ok(&["init", description.to_str().unwrap()]);
    assert!(again.contains("is already in spec/openapi.yaml with the 2 files its `$ref`s reach, the same"), "{again}");
    for kept in ["spec/sdk.yaml", "spec/sdk.schema.json", ".github/workflows/sdk.yml", ".gitignore"] {
        assert!(again.contains(&format!("kept {kept} (it exists)")), "{again}");
    }
    assert!(!again.contains("wrote "), "{again}");
    assert_eq!(snapshot(&repo), before);
    // A description that differs from the one in spec/ is not replaced.
    let edited = format!("{}# edited by hand\n", s.read("spec/schemas/book.yaml"));
    s.write("spec/schemas/book.yaml", &edited);
    let refused = s.fails(&["init", description.to_str().unwrap()]);
    assert!(refused.contains("spec/schemas/book.yaml already there and different") && refused.contains("never overwrites"), "{refused}");
    assert_eq!(s.read("spec/schemas/book.yaml"), edited);

    // codegen right after init: a crate that builds, without warnings.
    let report = s.ok(&["codegen"]);
    assert!(report.contains("4 operations: 4 generated (0 with warnings), 0 left out"), "{report}");
    assert!(report.contains("page: 1 (1 recognised, 0 declared)"), "{report}");
    // Every file written, however many the runtime has.
    let files = report
        .lines()
        .find_map(|l| l.strip_prefix("wrote ")?.split_once(" files to generated"))
        .and_then(|(counts, _)| counts.split_once(" of "))
        .filter(|(written, all)| written == all)
        .map(|(_, all)| all.to_owned())
        .unwrap_or_else(|| panic!("every file written: {report}"));
    assert!(s.read("generated/src/lib.rs").starts_with("// @generated by `cargo sdk codegen`; do not edit by hand.\n"));
    assert!(s.read("generated/Cargo.toml").contains("name = \"bookshop-api\"\nversion = \"2.1.0\""));
    s.check_crate(&target, &root.join("Cargo.lock"));
    assert!(s.ok(&["codegen", "--check"]).contains(&format!("generated is up to date ({files} files)")));

    // Declare the paging init left commented: uncomment the entry, choose
    // the parameter, say what leads to the next page.
    let declared: String = sdk_yaml
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with("paging:") || rest.starts_with("  - operations:") || rest.starts_with("    ") => rest.to_owned(),
            _ => l.to_owned(),
        })
        .map(|l| if l.starts_with("    param: after") { l.replacen("after", "before", 1) } else { l })
        .map(|l| if l.starts_with("    next: ...") { l.replacen("...", "$last.id", 1) } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(declared.contains("\npaging:\n  - operations: [\"listReviews\"]"), "{declared}");
    s.write("spec/sdk.yaml", &declared);
    let stale = s.fails(&["codegen", "--check"]);
    assert!(stale.contains("stale:   src/api/reviews.rs") && stale.contains("run `cargo sdk codegen` and commit the result"), "{stale}");
    let report = s.ok(&["codegen"]);
    assert!(report.contains("paged: 2 (1 recognised, 1 declared)") && report.contains("cursor: 1 (0 recognised, 1 declared)"), "{report}");
    let reviews = s.read("generated/src/api/reviews.rs");
    assert!(reviews.contains("pub fn list_all(") && reviews.contains("pub fn list_pages("), "{reviews}");
    s.check_crate(&target, &root.join("Cargo.lock"));

    // A mistyped key: the file, the line, and the key meant.
    s.write("spec/sdk.yaml", &format!("{declared}\nrequest_id_heder: x-request-id\n"));
    let err = s.fails(&["codegen"]);
    assert!(err.contains("spec/sdk.yaml: unknown field `request_id_heder`"), "{err}");
    assert!(err.contains("did you mean `request_id_header`?"), "{err}");

    // Check it on the wire: every operation through the client against
    // Prism (installed from npm into the repository's target/). Its program
    // builds in the workspace's target folder, resolved from cargo's cache.
    s.write("spec/sdk.yaml", &declared);
    let env = [("CARGO_TARGET_DIR", target.as_os_str()), ("CARGO_NET_OFFLINE", std::ffi::OsStr::new("true"))];
    let (ok, report, stderr) = s.sdk_with(&["mock-test"], &env);
    assert!(ok, "`cargo sdk mock-test` failed:\n{stderr}\n{report}");
    assert!(report.ends_with("mock test: 4 operations, 4 passed, 0 failed, 0 not run\n"), "{report}");
    assert!(s.repo.join("target/prism/node_modules/.bin/prism").exists());

    std::fs::remove_dir_all(&scratch).unwrap();
}
