//! Codegen in process: spec text to formatted files in memory, on `spec/`
//! (with its overlays) and on the whole Cloudflare description. The floor
//! is parsing alone; `parse + lower` isolates lowering, and the rest of
//! `generate` is emitting and formatting.

use std::sync::LazyLock;

struct Input {
    text: String,
    overlays: Vec<codegen::overlay::Overlay>,
    options: codegen::Options,
}

fn input(spec: &str, config: Option<&str>) -> Input {
    let root = xtask::workspace_root();
    let spec = root.join(spec);
    let text = std::fs::read_to_string(&spec).unwrap();
    let overlays = xtask::load_overlays(&spec, None).unwrap();
    let options = xtask::load_options(&spec, config.map(|c| root.join(c)).as_deref()).unwrap();
    Input { text, overlays, options }
}

static SPEC: LazyLock<Input> = LazyLock::new(|| input("spec/openapi.yaml", None));
static FULL: LazyLock<Input> =
    LazyLock::new(|| input("../shared/specs/cloudflare-openapi-2024-04-05.json", Some("spec/sdk.yaml")));

fn parse(i: &Input) -> openapiv3::OpenAPI {
    if i.overlays.is_empty() {
        codegen::load::parse(&i.text).unwrap()
    } else {
        let mut v = codegen::load::parse_value(&i.text).unwrap();
        codegen::overlay::apply(&mut v, &i.overlays).unwrap();
        codegen::load::from_value(v).unwrap()
    }
}

fn main() {
    divan::main();
}

#[divan::bench_group(sample_count = 50)]
mod spec_dir {
    use super::*;

    #[divan::bench]
    fn parse_floor() -> openapiv3::OpenAPI {
        parse(&SPEC)
    }

    #[divan::bench]
    fn parse_and_lower() -> usize {
        let spec = parse(&SPEC);
        let mut d = codegen::Diagnostics::default();
        codegen::lower::lower(&spec, &SPEC.options, &mut d).0.types.len()
    }

    #[divan::bench]
    fn generate() -> usize {
        codegen::generate_with_overlays(&SPEC.text, &SPEC.overlays, &SPEC.options).unwrap().files.len()
    }
}

#[divan::bench_group(sample_count = 10, sample_size = 1)]
mod full_spec {
    use super::*;

    #[divan::bench]
    fn parse_floor() -> openapiv3::OpenAPI {
        parse(&FULL)
    }

    #[divan::bench]
    fn parse_and_lower() -> usize {
        let spec = parse(&FULL);
        let mut d = codegen::Diagnostics::default();
        codegen::lower::lower(&spec, &FULL.options, &mut d).0.types.len()
    }

    #[divan::bench]
    fn generate() -> usize {
        codegen::generate_with_overlays(&FULL.text, &FULL.overlays, &FULL.options).unwrap().files.len()
    }
}
