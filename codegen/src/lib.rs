//! An OpenAPI 3.0/3.1 to Rust client generator.
//!
//! [`generate`] (one text) and [`generate_sources`] (a root file and the
//! files its `$ref`s reach, read by the caller) are pure functions from
//! spec text to files in memory:
//!
//! 1. [`load`] bundles the files into one document whose `$ref`s all point
//!    into its own components, applies overlays, rewrites OpenAPI 3.1 into
//!    the 3.0 shape, and reads it as an `openapiv3` document;
//! 2. [`lower`] resolves every `$ref` and builds the [`model`] (names, wire
//!    names, types, docs; no tokens), collecting [`diagnostics`];
//! 3. `emit` turns the model into token streams with `quote`;
//! 4. `render` formats them with `prettyplease` and adds the header line
//!    (3 and 4 run per file, in parallel).
//!
//! Writing the files (or checking them) is the caller's business (`xtask`).

pub mod diagnostics;
pub mod docs;
mod emit;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
mod options;
pub mod overlay;
mod render;

pub use diagnostics::{Diagnostic, Diagnostics, Kind, Severity};
pub use options::{EnvNames, Options, PagingRule};
use std::time::{Duration, Instant};

/// One output file, path relative to the output directory (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, e.g. `src/lib.rs`.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// How much of the spec became code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Operations in the spec.
    pub operations: usize,
    /// Operations generated.
    pub generated: usize,
    /// Generated operations that drew at least one warning.
    pub with_warnings: usize,
    /// JSON pointers of operations left out (each has an error diagnostic).
    pub skipped: Vec<String>,
    /// List operations that could page: a GET whose reply holds a list of
    /// items and that takes a page, offset, token or id parameter (or whose
    /// reply has a next link), and every paged operation.
    pub lists: usize,
    /// Paged operations by scheme (`page`, `offset`, `cursor`,
    /// `next_url`): how many were recognised, how many declared.
    pub paged: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

impl Coverage {
    /// How list operations page, for reports: one line per scheme.
    pub fn paging_report(&self) -> String {
        let (recognised, declared) = self.paged.values().fold((0, 0), |(r, d), (a, b)| (r + a, d + b));
        let mut out = format!(
            "list operations that could page: {}\npaged: {} ({recognised} recognised, {declared} declared)\n",
            self.lists,
            recognised + declared
        );
        for (scheme, (r, d)) in &self.paged {
            out.push_str(&format!("  {scheme}: {} ({r} recognised, {d} declared)\n", r + d));
        }
        out
    }
}

/// Wall time spent in each stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Text to `openapiv3` (bundling, overlays, the 3.1 rewrite included).
    pub parse: Duration,
    /// Document to model.
    pub lower: Duration,
    /// Model to tokens to formatted text (in parallel, one job per file).
    pub emit_and_format: Duration,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct Output {
    /// The crate's files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings and errors (errors mean some operations were left out).
    pub diagnostics: Diagnostics,
    /// Operation counts.
    pub coverage: Coverage,
    /// Stage timings.
    pub timings: Timings,
}

/// The name a single-text spec goes by (its `$ref`s to other files are
/// relative to the folder it would sit in).
const SINGLE_FILE: &str = "openapi.yaml";

/// Generates the client crate for `spec_text` (a whole description in one
/// text; a `$ref` to another file is an error diagnostic).
///
/// Fails only when the text is not an OpenAPI 3.0/3.1 document; anything an
/// operation needs that cannot be generated leaves that operation out with
/// an error diagnostic in [`Output::diagnostics`].
pub fn generate(spec_text: &str, options: &Options) -> Result<Output, Diagnostics> {
    generate_with_overlays(spec_text, &[], options)
}

/// [`generate`], after applying OpenAPI overlays to the spec in order.
pub fn generate_with_overlays(
    spec_text: &str,
    overlays: &[overlay::Overlay],
    options: &Options,
) -> Result<Output, Diagnostics> {
    generate_sources(&load::Sources::new(SINGLE_FILE, spec_text), overlays, options)
}

/// Generates the client crate for a description split over files: the
/// caller fills `sources` (see [`load::Sources::missing`]). Overlays apply
/// to the bundled document, before the 3.1 rewrite. Diagnostics name the
/// file and the pointer in it where the problem was written.
pub fn generate_sources(
    sources: &load::Sources,
    overlays: &[overlay::Overlay],
    options: &Options,
) -> Result<Output, Diagnostics> {
    generate_all(sources, overlays, options, false)
}

/// [`generate_sources`], plus the mock test's program in `mock-test/`: a
/// crate beside the client's that calls every operation through the typed
/// API with arguments synthesized from the description (`cargo xtask
/// mock-test` builds and runs it against a mock server).
pub fn generate_mock_test(
    sources: &load::Sources,
    overlays: &[overlay::Overlay],
    options: &Options,
) -> Result<Output, Diagnostics> {
    generate_all(sources, overlays, options, true)
}

fn generate_all(
    sources: &load::Sources,
    overlays: &[overlay::Overlay],
    options: &Options,
    mock: bool,
) -> Result<Output, Diagnostics> {
    let t0 = Instant::now();
    let loaded = load::load_sources(sources, overlays)?;
    let t1 = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let (api, coverage) = lower::lower_with_samples(&loaded.spec, options, &mut diagnostics, mock);
    loaded.source_map.apply(&mut diagnostics);
    diagnostics.0.extend(loaded.diagnostics.0);
    let t2 = Instant::now();
    let files = emit_and_render(&api, mock);
    let t3 = Instant::now();
    Ok(Output {
        files,
        diagnostics: diagnostics.finish(),
        coverage,
        timings: Timings { parse: t1 - t0, lower: t2 - t1, emit_and_format: t3 - t2 },
    })
}

/// Emits and formats every file, one job per file, on as many threads as
/// the machine has (token streams cannot cross threads, so each job does
/// both). Output is sorted by path whatever the scheduling.
fn emit_and_render(api: &model::Api, mock: bool) -> Vec<GeneratedFile> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let jobs = emit::jobs(api, mock);
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(jobs.len()));
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let file = render::render(emit::run(api, *job));
                    done.lock().unwrap_or_else(|e| e.into_inner()).push(file);
                }
            });
        }
    });
    let mut files = done.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The first line of every generated file, naming the command that made it.
pub const GENERATED_BY: &str = "@generated by `cargo xtask codegen`; do not edit by hand.";
