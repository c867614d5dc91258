//! Types that lose nothing: for every fixture and every description of the
//! shared corpus, replies built from the lowered schemas (`tests::samples`:
//! unknown properties at every level, enum values nobody listed, `null`
//! where allowed, values in every format) decode into their generated type
//! and serialize back to the same JSON.
//!
//! Each crate gets a test of its own (`tests/round_trip.rs`, written here)
//! that reads the samples and checks every type; the crates share one
//! scratch workspace, lock file and target folder, and run in one
//! `cargo test`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Samples per type: every property (and added ones), only the required
/// ones with `null` wherever allowed, and a mix.
const PER_TYPE: usize = 3;

/// (crate folder, spec, options) for every description checked.
fn descriptions(root: &Path) -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let mut out: Vec<(String, PathBuf, Option<PathBuf>)> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (format!("fixture-{}", p.file_stem().unwrap().to_string_lossy()), p, None))
        .collect();
    for dir in std::fs::read_dir(root.join("tests/fixtures/multi")).unwrap() {
        let dir = dir.unwrap().path();
        out.push((format!("fixture-multi-{}", dir.file_name().unwrap().to_string_lossy()), dir.join("openapi.yaml"), None));
    }
    let corpus = root.join("../shared/specs/corpus");
    for (name, spec, config) in [
        ("corpus-discord", "discord-2026-07-18.json", Some("discord.sdk.yaml")),
        ("corpus-twilio", "twilio_messaging_v1.json", Some("twilio.sdk.yaml")),
        ("corpus-digitalocean", "digitalocean/specification/DigitalOcean-public.v2.yaml", Some("digitalocean.sdk.yaml")),
    ] {
        out.push((name.to_owned(), corpus.join(spec), config.map(|c| root.join("tests/corpus").join(c))));
    }
    out.sort();
    out
}

/// The names of the types `types.rs` defines (aliases name the same types).
fn defined_types(types_rs: &str) -> BTreeSet<String> {
    types_rs
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum ")))
        .filter_map(|rest| rest.split([' ', '{', '<']).next())
        .map(str::to_owned)
        .collect()
}

/// The test written into a generated crate: every type against its samples.
fn program(krate: &str, names: &BTreeSet<String>, same_json: &Path) -> String {
    let mut checks = String::new();
    for name in names {
        let _ = writeln!(checks, "    check::<{krate}::types::{name}>(\"{name}\", &samples, &mut failures);");
    }
    format!(
        r#"//! Every type decodes the samples built for it and writes them back as they came.
#![allow(clippy::all)]

#[path = {same_json:?}]
mod same_json;

type Samples = std::collections::BTreeMap<String, Vec<serde_json::Value>>;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, samples: &Samples, failures: &mut Vec<String>) {{
    for sample in samples.get(name).into_iter().flatten() {{
        let text = sample.to_string();
        match serde_json::from_str::<T>(&text) {{
            Err(e) => failures.push(format!("{{name}}: does not decode ({{e}}): {{text}}")),
            Ok(value) => match serde_json::to_value(&value) {{
                Err(e) => failures.push(format!("{{name}}: does not serialize ({{e}}): {{text}}")),
                Ok(back) if !same_json::same_json(sample, &back) => {{
                    failures.push(format!("{{name}}: sent {{text}}\n   back {{back}}"))
                }}
                Ok(_) => {{}}
            }},
        }}
    }}
}}

#[test]
fn every_type_writes_back_what_it_read() {{
    let samples: Samples = serde_json::from_str(include_str!("samples.json")).unwrap();
    let mut failures: Vec<String> = Vec::new();
{checks}    assert!(failures.is_empty(), "{{}} of the samples did not come back:\n{{}}", failures.len(), failures.join("\n"));
}}
"#
    )
}

#[test]
fn every_type_of_every_description_writes_back_what_it_read() {
    let root = xtask::workspace_root();
    let scratch = root.join("target/round-trip");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let same_json = root.join("tests/src/same_json.rs");
    let mut members = Vec::new();
    let mut counts = String::new();
    for (name, spec, config) in descriptions(&root) {
        let sources = xtask::read_sources(&spec).unwrap_or_else(|e| panic!("{e} (the shared specs sit beside the repository)"));
        let mut options = match &config {
            Some(c) => xtask::load_options(&spec, Some(c)).unwrap(),
            None => codegen::Options::default(),
        };
        options.crate_name = Some(name.clone());
        let output = codegen::generate_sources(&sources, &[], &options).unwrap();
        let dir = scratch.join(&name);
        xtask::sync(&dir, &output.files, false).unwrap();

        // The same lowering the crate came from, for the samples.
        let loaded = codegen::load::load_sources(&sources, &[]).unwrap();
        let mut diagnostics = codegen::Diagnostics::default();
        let (api, _) = codegen::lower::lower(&loaded.spec, &options, &mut diagnostics);
        let types_rs = &output.files.iter().find(|f| f.path == "src/types.rs").unwrap().contents;
        let names = defined_types(types_rs);
        let samples = tests::samples::samples(&api, &names, PER_TYPE);
        let total: usize = samples.values().map(Vec::len).sum();
        assert!(total >= names.len(), "{name}: every type has a sample ({total} for {} types)", names.len());
        let _ = writeln!(counts, "{name}: {} types, {total} samples", names.len());
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(dir.join("tests/samples.json"), serde_json::to_string(&samples).unwrap()).unwrap();
        let krate = name.replace('-', "_");
        std::fs::write(dir.join("tests/round_trip.rs"), program(&krate, &names, &same_json)).unwrap();
        members.push(format!("\"{name}\""));
    }
    std::fs::write(scratch.join("Cargo.toml"), format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")))
        .unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    println!("{counts}");
    tests::cargo_in(&scratch, &root.join("target"), &["test", "--workspace", "--all-features", "--test", "round_trip"], &[]);
}
