//! `sdk.yaml`: its JSON Schema and README reference are what
//! `codegen::Options` derives (`cargo xtask schema`); the schema accepts
//! every options file of the repository and refuses what the parser
//! refuses; mistakes get the nearest valid name, at their location.

use serde_json::Value;
use std::path::Path;

fn validator(root: &Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root.join(xtask::SCHEMA)).unwrap();
    jsonschema::draft7::new(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

#[test]
fn schema_and_readme_reference_are_up_to_date() {
    if let Err(e) = xtask::schema(&xtask::workspace_root(), true) {
        panic!("{e}");
    }
}

#[test]
fn the_schema_accepts_every_options_file_here() {
    let root = xtask::workspace_root();
    let schema = validator(&root);
    let mut files = vec![root.join("spec/sdk.yaml")];
    for entry in std::fs::read_dir(root.join("tests/corpus")).unwrap() {
        files.push(entry.unwrap().path());
    }
    files.retain(|p| p.to_string_lossy().ends_with("sdk.yaml"));
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# yaml-language-server: $schema="), "{}: no schema line", path.display());
        let errors: Vec<String> = schema.iter_errors(&yaml(&text)).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        codegen::Options::from_yaml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn mistyped_keys_are_refused_with_the_nearest_valid_one() {
    let schema = validator(&xtask::workspace_root());
    for (text, message) in [
        (
            "crate_name: pets\ncrate_nme: pets\n",
            "unknown field `crate_nme`, expected one of `crate_name`, `crate_version`, `env_prefix`, `env`, \
             `request_id_header`, `paging`, `streams`, `rename`; did you mean `crate_name`? at line 2 column 1",
        ),
        ("crate_name: pets\nrequestIdHeader: x-request-id\n", "did you mean `request_id_header`? at line 2 column 1"),
        ("paging:\n  - operations: [listPets]\n    scheme: cursor\n    nxt: $last.id\n", "did you mean `next`? at line 4 column 5"),
        ("rename:\n  type: {Pet: Animal}\n", "did you mean `types`? at line 2 column 3"),
    ] {
        let err = codegen::Options::from_yaml(text).unwrap_err();
        assert!(err.contains(message), "{text}: {err}");
        assert!(!schema.is_valid(&yaml(text)), "the schema accepts {text}");
    }
    // Too far from every key: no guess, still the list.
    let err = codegen::Options::from_yaml("colour: blue\n").unwrap_err();
    assert!(err.contains("unknown field `colour`, expected one of") && !err.contains("did you mean"), "{err}");
    // What the parser takes as text and the generator checks later, the
    // schema refuses at once.
    assert!(!schema.is_valid(&yaml("paging:\n  - operations: [listPets]\n    scheme: curser\n")));
    assert!(schema.is_valid(&yaml("paging:\n  - operations: [listPets]\n    scheme: cursor\n    param: after\n")));
    assert!(!schema.is_valid(&yaml("env:\n  api_key: [A, B]\n")));
    assert!(schema.is_valid(&yaml("env:\n  api_key: A\n  basic: {username: U, password: P}\n")));
}

/// Declarations that name nothing keep their located warning and gain the
/// nearest name the description has.
#[test]
fn declarations_that_match_nothing_suggest_the_nearest_name() {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap();
    let options_yaml = "\
env:
  api_tokn: CF_TOKEN
  api_key: {key: CF_KEY, tokn: CF_T}
paging:
  - operations: [audit-logs-get-account-audit-logs]
    scheme: curosr
  - operations: [audit-logs-get-account-audit-logz]
    scheme: page
rename:
  types:
    aaa_audit-log: AuditLog
  methods:
    audit-logs-get-account-audit-logz: list
";
    let mut options = codegen::Options::from_yaml(options_yaml).unwrap();
    options.source = Some("sdk.yaml".into());
    let output = codegen::generate(&spec, &options).unwrap();
    let text = output.diagnostics.to_string();
    for expected in [
        "sdk.yaml#/env/api_tokn",
        "`api_tokn` is not a security scheme of the spec; ignored; did you mean `api_token`?",
        "the `api_key` scheme has no credential `tokn` (it has key); ignored",
        "sdk.yaml#/paging/1",
        "matches no operation; did you mean `audit-logs-get-account-audit-logs`?",
        "sdk.yaml#/rename/types/aaa_audit-log",
        "nothing is renamed; did you mean `aaa_audit-logs`?",
        "sdk.yaml#/rename/methods/audit-logs-get-account-audit-logz",
        "sdk.yaml#/paging/0/scheme",
        "unknown scheme `curosr` (page, offset, cursor, next_url or none); did you mean `cursor`?",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
