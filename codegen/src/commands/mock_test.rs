//! `cargo sdk mock-test` (and `cargo xtask mock-test`): proof on the wire that a generated client
//! works against a mock server of its own description.
//!
//! 1. Generates the client and its mock test's program (`mock-test/`: one
//!    function per operation, arguments synthesized from the description)
//!    into a scratch folder under `target/mock-test/`, never `generated/`.
//! 2. Writes the document the generator read, bundled into one file with
//!    the overlays applied, for the mock server (`crate::load::mock_document`).
//! 3. Starts two Stoplight Prism servers on 127.0.0.1 (npm
//!    `@stoplight/prism-cli@5`, installed into `target/prism` on first
//!    use): one answering from the description's examples, one with
//!    replies generated from the schemas (a fixed seed, extra properties
//!    on). Prism refuses a request that breaks the description with an
//!    error status and says why (`sl-violations`).
//! 4. Builds the program once (offline, sharing the workspace's lock file
//!    and target folder) while the servers start, and runs it: every
//!    operation, several calls in flight at once.
//! 5. Reports one line per failing operation and the counts. An operation
//!    passes when every request was accepted and every reply decoded, with
//!    both servers; it is "not run" only when the generator left it out.
//!
//! Where Prism itself is wrong, `tests/mock/prism-defects.yaml` names the
//! operation, the reason and the wire test that proves the request right;
//! a failure it matches counts as passed, and an entry that matches
//! nothing fails the run (so the list stays true).

use crate::files;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What `cargo sdk mock-test` was asked to do.
#[derive(Debug, Clone)]
pub struct MockArgs {
    /// The folder whose `target/` holds the scratch folder, the build and
    /// Prism (the SDK repository, or this workspace).
    pub root: PathBuf,
    /// A lock file for the program (copied beside it, and the build is
    /// offline): this workspace's, so CI resolves nothing. Without one,
    /// cargo resolves the program's dependencies as for any new crate.
    pub lock: Option<PathBuf>,
    /// The OpenAPI description.
    pub spec: PathBuf,
    /// Options file; default: `sdk.yaml` beside the spec, if present.
    pub config: Option<PathBuf>,
    /// Overlays; default: every `*.overlay.yaml` beside the spec.
    pub overlays: Option<Vec<PathBuf>>,
    /// Overlays applied to the mock server's document only, after
    /// generation (to show that a client that no longer matches its
    /// description is caught).
    pub mock_overlays: Vec<PathBuf>,
    /// The scratch folder (default: `target/mock-test/<spec name>`).
    pub out: Option<PathBuf>,
    /// The seed of generated replies.
    pub seed: u64,
    /// Calls in flight at once.
    pub jobs: usize,
    /// The list of Prism's known defects.
    pub defects: PathBuf,
}

impl MockArgs {
    /// The description in `root/spec/`, as `codegen` reads it; Prism's
    /// defects listed in `root/spec/prism-defects.yaml`.
    pub fn defaults(root: &Path) -> Self {
        MockArgs {
            root: root.to_path_buf(),
            lock: None,
            spec: root.join("spec/openapi.yaml"),
            config: None,
            overlays: None,
            mock_overlays: Vec::new(),
            out: None,
            seed: 1,
            jobs: 8,
            defects: root.join("spec/prism-defects.yaml"),
        }
    }
}

/// How often a server that stops is started again in one run.
const MAX_RESTARTS: usize = 20;

/// The two mock servers: their names in reports.
const SERVERS: [&str; 2] = ["examples", "generated replies"];

/// What one operation did with one server.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// The calls that passed.
    pub passed: Vec<String>,
    /// The first failing call and its reason (a call whose reply broke the
    /// description comes after any other).
    pub failed: Option<(String, String)>,
    /// The other failing calls whose replies did not break the description
    /// (a Prism defect excuses the operation only when it covers them all).
    pub others: Vec<(String, String)>,
    /// Why the failure is not the client's, when it is not: a Prism defect
    /// of the list, or the mock's reply breaking the description.
    pub excused: Option<String>,
    /// When every failing call failed for a reason our own validator lays
    /// on the other side, which one (a reply that broke the description
    /// proves nothing about the client).
    pub not_client: Option<Side>,
}

/// Why a failing call is not the client's fault, as our own validator
/// shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The mock's reply breaks the description where the decoder stopped.
    MockReply,
    /// The body meets the description but for a `oneOf` more than one
    /// branch of which accepts it: no body of the generated type could do
    /// better (the description wants `anyOf`).
    AmbiguousBody,
    /// The mock's reply meets the description only through a schema that
    /// says nothing (`items: {}`) where a sibling branch structures the
    /// same value, as the generated type does (see
    /// `schema_check::typed_reading`).
    Unspecified,
}

impl Side {
    const ALL: [Side; 3] = [Side::MockReply, Side::AmbiguousBody, Side::Unspecified];

    /// How the excuse is printed beside the operation.
    fn label(self) -> &'static str {
        match self {
            Side::MockReply => "the mock being wrong",
            Side::AmbiguousBody => "the description being ambiguous",
            Side::Unspecified => "the description leaving the value unspecified",
        }
    }

    /// How the count of operations so excused is printed.
    fn counted(self) -> &'static str {
        match self {
            Side::MockReply => "with a reply of the mock's that breaks the description",
            Side::AmbiguousBody => "with a body a `oneOf` of the description cannot tell apart",
            Side::Unspecified => "with a reply value the description leaves unspecified (`{}`) where a sibling branch gives its type",
        }
    }
}

/// The counts of one server, or of both together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub operations: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_run: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} operations, {} passed, {} failed, {} not run", self.operations, self.passed, self.failed, self.not_run)
    }
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct MockReport {
    /// The text printed: failures, notes, the counts.
    pub text: String,
    /// Per server (in [`SERVERS`] order), then both together.
    pub counts: [Counts; 3],
    /// Operation id to its verdict per server.
    pub verdicts: BTreeMap<String, [Verdict; 2]>,
    /// Operations the generator left out, with why.
    pub not_run: Vec<(String, String)>,
    /// Wall time of each step.
    pub timings: Vec<(&'static str, Duration)>,
}

impl MockReport {
    /// Whether anything failed or was not run.
    pub fn ok(&self) -> bool {
        self.counts[2].failed == 0 && self.counts[2].not_run == 0
    }
}

/// The Prism binary in `target/prism`, installed from npm when missing.
pub fn prism_bin(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg("@stoplight/prism-cli@5")
            .status()
            .map_err(|e| format!("npm could not run (the mock test needs Node.js): {e}"))?;
        if !status.success() {
            return Err("npm could not install @stoplight/prism-cli@5".into());
        }
    }
    Ok(bin)
}

/// A running Prism, stopped (with the processes it started) when dropped.
struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    /// How it was started: the binary, the document, its extra flags.
    how: (PathBuf, PathBuf, Vec<String>),
}

impl Prism {
    fn start(bin: &Path, doc: &Path, log: PathBuf, extra: &[String]) -> Result<Prism, String> {
        use std::os::unix::process::CommandExt as _;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?
            .port();
        let out = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "-v", "fatal"])
            .args(extra)
            .arg(doc)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            // Its own process group, so stopping it stops what it forks.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("Prism could not start: {e}"))?;
        Ok(Prism { child, port, log, how: (bin.to_owned(), doc.to_owned(), extra.to_vec()) })
    }

    /// Whether it has stopped, waiting up to `wait` for it to.
    fn gone(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The error lines of its log (what it said when it stopped).
    fn last_words(&self) -> String {
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().filter(|l| l.contains("Error") || l.trim_start().starts_with("at ")).take(3).collect();
        lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
    }

    /// A new server in place of a stopped one (its log kept beside).
    fn restart(&mut self, deadline: Instant) -> Result<String, String> {
        let (bin, doc, extra) = self.how.clone();
        let n = (1..).find(|n| !self.log.with_extension(format!("{n}.log")).exists()).unwrap_or(1);
        let _ = fs::rename(&self.log, self.log.with_extension(format!("{n}.log")));
        *self = Prism::start(&bin, &doc, self.log.clone(), &extra)?;
        self.ready(deadline)
    }

    /// Waits until it listens.
    fn ready(&mut self, deadline: Instant) -> Result<String, String> {
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(format!("http://127.0.0.1:{}", self.port));
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = fs::read_to_string(&self.log).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
                return Err(format!("Prism stopped ({status}) before listening:\n{}", tail.join("\n")));
            }
            if Instant::now() > deadline {
                return Err(format!("Prism did not listen within its time (log: {})", self.log.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A name for the scratch folder: the spec's file name without its
/// extension (its folder's name when that is generic).
fn scratch_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "spec".into());
    let generic = ["openapi", "spec", "swagger", "api"];
    if generic.contains(&stem.to_ascii_lowercase().as_str()) {
        if let Some(dir) = spec.parent().and_then(|d| d.file_name()) {
            return dir.to_string_lossy().into_owned();
        }
    }
    stem
}

/// Runs the whole mock test.
pub fn mock_test(args: &MockArgs) -> Result<MockReport, String> {
    // Absolute: the program builds in its own folder, where a relative
    // target folder would mean another one.
    let root = &std::path::absolute(&args.root).map_err(|e| format!("{}: {e}", args.root.display()))?;
    let mut timings = Vec::new();
    let started = Instant::now();
    let out = args.out.clone().unwrap_or_else(|| root.join("target/mock-test").join(scratch_name(&args.spec)));
    // Read first: a list that does not parse fails the run before it starts.
    let defects = read_defects(&args.defects)?;

    // Generate the client and its program.
    let sources = files::read_sources(&args.spec)?;
    let options = files::load_options(&args.spec, args.config.as_deref())?;
    let overlays = files::load_overlays(&args.spec, args.overlays.as_deref())?;
    let output = crate::generate_mock_test(&sources, &overlays, &options)
        .map_err(|d| format!("{}: the spec could not be read\n{d}", args.spec.display()))?;
    files::sync(&out, &output.files, false).map_err(|e| format!("{}: {e}", out.display()))?;
    let program = out.join("mock-test");
    if let Some(lock) = &args.lock {
        fs::copy(lock, program.join("Cargo.lock")).map_err(|e| format!("{}: {e}", lock.display()))?;
    }

    // The mock server's document.
    let (mut doc, mut notes, sites) = crate::load::mock_document(&sources, &overlays)
        .map_err(|d| format!("{}: the spec could not be bundled\n{d}", args.spec.display()))?;
    let mock_overlays = files::load_overlays(&args.spec, Some(&args.mock_overlays))?;
    crate::overlay::apply(&mut doc, &mock_overlays).map_err(|d| format!("the mock server's overlays:\n{d}"))?;
    // An example that does not meet the schema it illustrates is the
    // description's defect, not the client's: Prism would send it as a
    // reply, so its copy leaves it out (and answers from the schema).
    let check = super::schema_check::SchemaCheck::new(&doc)?;
    let mut defects_found = 0;
    for site in &sites {
        let Some(example) = doc.pointer(site.example.trim_start_matches('#')) else { continue };
        if let Err(why) = check.check(&site.schema, example) {
            defects_found += 1;
            notes.push(format!("description defect: {} does not meet its schema {}: {why}", site.example, site.schema));
            remove(&mut doc, &site.remove);
        }
    }
    // Prism cannot write a stream (it refuses to serialise an event's
    // object as text): its copy of each sequential media type of a success
    // reply is the text of two items the generator made from the item
    // schema, framed as the media type says (`streams.json`), so both
    // servers send it and the typed stream decodes every item.
    let streams: Vec<serde_json::Value> = fs::read_to_string(program.join("streams.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    for s in &streams {
        let (Some(ptr), Some(body)) = (s["pointer"].as_str(), s["body"].as_str()) else { continue };
        if let Some(media) = doc.pointer_mut(ptr.trim_start_matches('#')) {
            *media = serde_json::json!({"schema": {"type": "string", "enum": [body]}, "example": body});
        }
    }
    // Prism fills every optional property of a generated reply; lists of
    // two items keep replies of large descriptions (Discord's nested
    // lists) quick to make, and still show more than one item. A
    // description's own settings win.
    if let Some(root) = doc.as_object_mut() {
        root.entry("x-json-schema-faker").or_insert_with(|| serde_json::json!({"maxItems": 2}));
    }
    let doc_path = out.join("mock-server.json");
    fs::write(&doc_path, serde_json::to_vec(&doc).map_err(|e| e.to_string())?).map_err(|e| format!("{}: {e}", doc_path.display()))?;
    timings.push(("generate", started.elapsed()));

    // The servers start while the program builds.
    let t = Instant::now();
    let bin = prism_bin(root)?;
    let seed = args.seed.to_string();
    let mut prisms = vec![
        Prism::start(&bin, &doc_path, out.join("prism-examples.log"), &[])?,
        Prism::start(
            &bin,
            &doc_path,
            out.join("prism-generated.log"),
            &["-d".into(), "--seed".into(), seed, "--json-schema-faker-fillProperties=true".into()],
        )?,
    ];
    // Cargo's own rule: `CARGO_TARGET_DIR` when set, else `target/`.
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(PathBuf::from(dir)).map_err(|e| format!("CARGO_TARGET_DIR: {e}"))?,
        None => root.join("target"),
    };
    // Run as a cargo subcommand (or by `cargo run`), `CARGO` is the cargo
    // that ran it.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let offline: &[&str] = if args.lock.is_some() { &["--offline"] } else { &[] };
    let build = Command::new(cargo)
        .arg("build")
        .args(offline)
        .args(["--quiet", "--message-format", "short"])
        .current_dir(&program)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cargo could not run: {e}"))?;
    if !build.status.success() {
        return Err(format!(
            "the mock test's program did not build in {}:\n{}",
            program.display(),
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    timings.push(("build (servers starting meanwhile)", t.elapsed()));
    let t = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut urls = Vec::new();
    for p in &mut prisms {
        urls.push(p.ready(deadline)?);
    }
    timings.push(("servers ready, after the build", t.elapsed()));

    // Run every operation against both servers.
    let t = Instant::now();
    let program_bin = target.join("debug/mock-test");
    let calls = program.join("calls.json");
    let servers: Vec<(&str, String)> = SERVERS.iter().copied().zip(urls).collect();
    let mut lines = run_program(&program_bin, &calls, &servers, args.jobs, &[])?;
    // A server that stopped (Prism crashes on some requests) is started
    // again, and what could not reach it runs again, one call at a
    // time, so the request it stopped on is known.
    for (i, prism) in prisms.iter_mut().enumerate() {
        let server = SERVERS[i];
        let mut url = servers[i].1.clone();
        let mut retried = false;
        for restarts in 0.. {
            let down: Vec<String> = crate::lower::unique(lines.iter().filter(|l| l.status == "down" && l.server == server).map(|l| l.id.clone()));
            if down.is_empty() {
                break;
            }
            let gone = prism.gone(Duration::from_secs(3));
            if !gone && !retried {
                // Still there: it cut those connections (Prism drops some
                // under load) rather than stopping. Each such operation runs
                // again, alone, once; what cannot reach it then fails.
                retried = true;
                lines.retain(|l| !(l.server == server && down.contains(&l.id)));
                lines.extend(run_program(&program_bin, &calls, &[(server, url.clone())], 1, &down)?);
                continue;
            }
            if !gone || restarts == MAX_RESTARTS {
                // Reachable again, or stopping on every request: plain failures.
                for l in lines.iter_mut().filter(|l| l.status == "down" && l.server == server) {
                    l.status = "fail".into();
                }
                break;
            }
            url = prism.restart(Instant::now() + Duration::from_secs(600))?;
            lines.retain(|l| !(l.server == server && down.contains(&l.id)));
            let mut again = run_program(&program_bin, &calls, &[(server, url.clone())], 1, &down)?;
            // One call at a time: the first that could not reach it is the
            // one it stopped on.
            let culprit = again.iter().find(|l| l.status == "down").map(|l| l.id.clone());
            if let Some(culprit) = culprit.filter(|_| prism.gone(Duration::from_secs(3))) {
                let reason = format!("Prism stopped on this request: {}", prism.last_words());
                for l in again.iter_mut().filter(|l| l.id == culprit && l.status == "down") {
                    l.status = "fail".into();
                    l.reason.clone_from(&reason);
                }
            }
            lines.extend(again);
        }
    }
    drop(prisms);
    timings.push(("calls", t.elapsed()));

    // Judge.
    let spec_name = scratch_name(&args.spec);
    let t = Instant::now();
    let mut verdicts: BTreeMap<String, [Verdict; 2]> = BTreeMap::new();
    let routes = routes(&doc);
    let sent = sent_bodies(&calls);
    // The description as the types read it, made only when a reply needs it.
    let typed = std::cell::OnceCell::new();
    for l in lines {
        let Some(server) = SERVERS.iter().position(|n| *n == l.server) else { continue };
        // A reply that did not decode is held to the description: when it
        // breaks it where the decoder stopped (at that value, inside it, or
        // around it), the mock server is wrong and the reply says nothing
        // about the client.
        let broke = l
            .reply
            .as_ref()
            .and_then(|r| reply_breaks(&check, &doc, &routes, &l.id, r, &l.reason))
            .map(|why| (format!("the mock's reply does not meet the description: {why}"), Side::MockReply))
            .or_else(|| {
                let reply = l.reply.as_ref()?;
                let typed = typed.get_or_init(|| super::schema_check::SchemaCheck::new(&super::schema_check::typed_reading(&doc)).ok());
                let why = reply_breaks(typed.as_ref()?, &doc, &routes, &l.id, reply, &l.reason)?;
                Some((format!("the mock's reply meets the description only where it says nothing: {why}"), Side::Unspecified))
            })
            .or_else(|| {
                // A body Prism refused only for matching several branches of
                // a `oneOf`: our validator says whether that is all there is.
                let sent = sent.get(&l.id)?.iter().find(|(fill, _)| call_fill(&l.call) == fill)?;
                let why = ambiguous_body(&check, &doc, &routes, &l.id, &sent.1, &l.reason)?;
                Some((format!("the description cannot tell the body apart: {why}"), Side::AmbiguousBody))
            });
        let v = &mut verdicts.entry(l.id).or_default()[server];
        match (l.status.as_str(), broke) {
            ("pass", _) => v.passed.push(l.call),
            (_, Some((why, side))) if v.failed.is_none() => {
                v.failed = Some((l.call, format!("{}; {why}", l.reason)));
                v.not_client = Some(side);
            }
            (_, Some(_)) => {}
            _ if v.failed.is_none() || v.not_client.is_some() => {
                v.failed = Some((l.call, l.reason));
                v.not_client = None;
            }
            _ => v.others.push((l.call, l.reason)),
        }
    }
    timings.push(("replies held to the description", t.elapsed()));
    // A check that could not be made excuses nothing (the failure stays the
    // client's), and is said.
    for (schema, why) in check.unreadable() {
        notes.push(format!("not checked: the validator could not read the schema {schema}: {why}"));
    }
    let mut used = vec![false; defects.len()];
    for (id, vs) in &mut verdicts {
        for (server, v) in vs.iter_mut().enumerate() {
            if let Some(side) = v.not_client {
                v.excused = Some(side.label().into());
                continue;
            }
            if let Some(first) = &v.failed {
                let found: Option<Vec<usize>> = std::iter::once(first)
                    .chain(&v.others)
                    .map(|(call, reason)| defects.iter().position(|d| d.matches(&spec_name, id, SERVERS[server], call, reason)))
                    .collect();
                if let Some(found) = found {
                    for i in &found {
                        used[*i] = true;
                    }
                    let d = &defects[found[0]];
                    let what = d.construct.as_ref().map(|c| format!("{c}: ")).unwrap_or_default();
                    v.excused = Some(format!("{what}{} (proved right by {})", d.why, d.proved_by));
                }
            }
        }
    }
    let not_run = not_run(&output, &doc);
    let mut text = String::new();
    for note in &notes {
        let _ = writeln!(text, "note: {note}");
    }
    let mut counts = [Counts::default(); 3];
    let mut excused = [[0usize; Side::ALL.len()]; 2];
    for c in &mut counts {
        c.operations = verdicts.len() + not_run.len();
        c.not_run = not_run.len();
    }
    for (id, vs) in &verdicts {
        let mut lines = Vec::new();
        for (server, v) in vs.iter().enumerate() {
            match (&v.failed, &v.excused) {
                (Some((call, reason)), None) => {
                    counts[server].failed += 1;
                    lines.push(format!("{call}, with {}: {reason}", SERVERS[server]));
                }
                (Some((call, reason)), Some(_)) if let Some(side) = v.not_client => {
                    counts[server].passed += 1;
                    excused[server][side as usize] += 1;
                    let _ = writeln!(text, "{id}: passed with {}, {}: {call}: {reason}", SERVERS[server], side.label());
                }
                (Some(_), Some(why)) => {
                    counts[server].passed += 1;
                    let _ = writeln!(text, "{id}: passed with {}, Prism being wrong: {why}", SERVERS[server]);
                }
                (None, _) if v.passed.is_empty() => {
                    counts[server].failed += 1;
                    lines.push(format!("with {}: no call was made", SERVERS[server]));
                }
                (None, _) => counts[server].passed += 1,
            }
        }
        if lines.is_empty() {
            counts[2].passed += 1;
        } else {
            counts[2].failed += 1;
            let _ = writeln!(text, "{id}: {}", lines.join(" | "));
        }
    }
    for (id, why) in &not_run {
        let _ = writeln!(text, "{id}: not run: {why}");
    }
    for (d, used) in defects.iter().zip(&used) {
        if !used && d.names_one_of(&spec_name) {
            counts[2].failed += 1;
            let _ = writeln!(
                text,
                "{}: listed in {} as a Prism defect, but nothing failed that way: remove the entry",
                d.operation.as_deref().unwrap_or_default(),
                args.defects.display()
            );
        }
    }
    timings.push(("total", started.elapsed()));
    let _ = writeln!(
        text,
        "description defects: {} examples or defaults that do not meet their own schema, left out of the mock server's copy",
        defects_found
    );
    let broke = |i: usize| {
        let said: Vec<String> = Side::ALL
            .iter()
            .filter(|side| excused[i][**side as usize] > 0)
            .map(|side| format!("{} {}", excused[i][*side as usize], side.counted()))
            .collect();
        if said.is_empty() { String::new() } else { format!(" ({})", said.join("; ")) }
    };
    let _ = writeln!(text, "with the examples: {}{}", counts[0], broke(0));
    let _ = writeln!(text, "with generated replies (seed {}): {}{}", args.seed, counts[1], broke(1));
    let _ = writeln!(text, "mock test: {}", counts[2]);
    Ok(MockReport { text, counts, verdicts, not_run, timings })
}

/// One line of the program's output.
#[derive(Debug, Clone)]
struct Line {
    status: String,
    server: String,
    id: String,
    call: String,
    reason: String,
    /// The reply that did not decode (`status`, `content_type`, `body`).
    reply: Option<serde_json::Value>,
}

/// Runs the mock test's program against `servers` (name, URL), all
/// operations or `only` those.
fn run_program(bin: &Path, calls: &Path, servers: &[(&str, String)], jobs: usize, only: &[String]) -> Result<Vec<Line>, String> {
    let mut run = Command::new(bin);
    for (name, url) in servers {
        run.arg("--server").arg(format!("{name}={url}"));
    }
    for id in only {
        run.args(["--only", id]);
    }
    let ran = run
        .args(["--jobs", &jobs.to_string(), "--calls"])
        .arg(calls)
        .output()
        .map_err(|e| format!("the mock test's program could not run: {e}"))?;
    if !ran.status.success() {
        return Err(format!("the mock test's program failed:\n{}", String::from_utf8_lossy(&ran.stderr)));
    }
    Ok(String::from_utf8_lossy(&ran.stdout)
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.splitn(6, '\t').collect();
            Some(Line {
                status: (*f.first()?).to_owned(),
                server: (*f.get(1)?).to_owned(),
                id: (*f.get(2)?).to_owned(),
                call: (*f.get(3)?).to_owned(),
                reason: f.get(4).copied().unwrap_or_default().to_owned(),
                reply: f.get(5).and_then(|r| serde_json::from_str(r).ok()),
            })
        })
        .collect())
}

/// Removes the member at a JSON pointer (`#/...`), if it is there.
fn remove(doc: &mut serde_json::Value, pointer: &str) {
    let pointer = pointer.trim_start_matches('#');
    let Some((parent, key)) = pointer.rsplit_once('/') else { return };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(serde_json::Value::Object(map)) = doc.pointer_mut(parent) {
        map.remove(&key);
    }
}

/// Each operation id's path and method in the document.
fn routes(doc: &serde_json::Value) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                out.insert(id.to_owned(), (path.clone(), method.clone()));
            }
        }
    }
    out
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Why a reply (`status`, `content_type`, `body`) of operation `id` does
/// not meet the schema the description gives it, or `None` when it does
/// (or the description gives none, or the body is not JSON).
fn reply_breaks(
    check: &super::schema_check::SchemaCheck,
    doc: &serde_json::Value,
    routes: &BTreeMap<String, (String, String)>,
    id: &str,
    reply: &serde_json::Value,
    reason: &str,
) -> Option<String> {
    let (path, method) = routes.get(id)?;
    let status = reply["status"].as_u64()?;
    let body: serde_json::Value = serde_json::from_str(reply["body"].as_str()?).ok()?;
    let at = format!("#/paths/{}/{method}/responses", escape(path));
    let responses = doc.pointer(at.trim_start_matches('#'))?.as_object()?;
    let code = [status.to_string(), format!("{}XX", status / 100), "default".to_owned()]
        .into_iter()
        .find(|c| responses.contains_key(c))?;
    let (at, content) = content_at(doc, format!("{at}/{code}"))?;
    let essence = reply["content_type"].as_str().unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let media = content
        .keys()
        .find(|m| m.to_ascii_lowercase() == essence)
        .or_else(|| content.keys().find(|m| m.contains("json")))?;
    let schema = format!("{at}/content/{}/schema", escape(media));
    doc.pointer(schema.trim_start_matches('#'))?;
    check.check_near(&schema, &body, decode_path(reason).as_deref()).err()
}

/// The bodies the program sent, by operation and fill (`calls.json`).
fn sent_bodies(calls: &Path) -> BTreeMap<String, Vec<(String, serde_json::Value)>> {
    let read = std::fs::read(calls).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    let mut out: BTreeMap<String, Vec<(String, serde_json::Value)>> = BTreeMap::new();
    for op in read.as_ref().and_then(|r| r.as_array()).into_iter().flatten() {
        let Some(id) = op["id"].as_str() else { continue };
        for call in op["calls"].as_array().into_iter().flatten() {
            if let (Some(fill), Some(body)) = (call["fill"].as_str(), call.get("body")) {
                out.entry(id.to_owned()).or_default().push((fill.to_owned(), body.clone()));
            }
        }
    }
    out
}

/// The arguments a call was made with: `every argument` of `item stream
/// (every argument)`.
fn call_fill(call: &str) -> &str {
    match call.strip_suffix(')').and_then(|c| c.rfind(" (").map(|i| &c[i + 2..])) {
        Some(fill) => fill,
        None => call,
    }
}

/// Why a refused request body is the description's fault, when it is:
/// the mock's every reason is a `oneOf` matched more than once, and our
/// validator finds nothing else wrong with the body (under some media type
/// of the operation's request body), naming the `oneOf`.
fn ambiguous_body(
    check: &super::schema_check::SchemaCheck,
    doc: &serde_json::Value,
    routes: &BTreeMap<String, (String, String)>,
    id: &str,
    body: &serde_json::Value,
    reason: &str,
) -> Option<String> {
    const ONE_OF: &str = "must match exactly one schema in oneOf";
    if !reason.contains(ONE_OF) || !reason.split("; ").all(|r| r.ends_with(ONE_OF)) {
        return None;
    }
    let (path, method) = routes.get(id)?;
    let (at, content) = content_at(doc, format!("#/paths/{}/{method}/requestBody", escape(path)))?;
    content.keys().find_map(|media| {
        let schema = format!("{at}/content/{}/schema", escape(media));
        doc.pointer(schema.trim_start_matches('#'))?;
        check.ambiguous(&schema, body)
    })
}

/// The `content` map of the reply or request body at `at`, and where that
/// body is: one given by reference is where the reference points.
fn content_at(doc: &serde_json::Value, mut at: String) -> Option<(String, &serde_json::Map<String, serde_json::Value>)> {
    if let Some(r) = doc.pointer(at.trim_start_matches('#')).and_then(|r| r.get("$ref")).and_then(|r| r.as_str()) {
        at = r.to_owned();
    }
    let content = doc.pointer(&format!("{}/content", at.trim_start_matches('#')))?.as_object()?;
    Some((at, content))
}

/// Where in the reply the decoder stopped, from its error (``could not
/// decode the 200 OK reply at `result[0].when`: ...``), as keys and
/// indexes; up to the first step it could not name (`?`).
fn decode_path(reason: &str) -> Option<Vec<String>> {
    let rest = &reason[reason.find("could not decode the ")?..];
    let rest = &rest[rest.find(" reply at `")? + " reply at `".len()..];
    let path = &rest[..rest.find('`')?];
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
        if key == "?" {
            break;
        }
        if !key.is_empty() {
            out.push(key.to_owned());
        }
        for index in indexes.split('[').map(|i| i.trim_end_matches(']')).filter(|i| !i.is_empty()) {
            out.push(index.to_owned());
        }
    }
    Some(out)
}


/// The operations the generator left out, by operation id, with the
/// first error it gave for each.
fn not_run(output: &crate::Output, doc: &serde_json::Value) -> Vec<(String, String)> {
    output
        .coverage
        .skipped
        .iter()
        .map(|ptr| {
            let op = doc.pointer(ptr.trim_start_matches('#'));
            let id = op
                .and_then(|o| o.get("operationId"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| ptr.clone());
            let why = output
                .diagnostics
                .0
                .iter()
                .find(|d| d.severity == crate::Severity::Error && d.pointer.starts_with(ptr.as_str()))
                .map(|d| format!("the generator left it out: {}", d.message))
                .unwrap_or_else(|| "the generator left it out".into());
            (id, why)
        })
        .collect()
}

/// One place where Prism is wrong about a description.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defect {
    /// The description (its scratch name: `openapi` of `spec/` is `spec`);
    /// every description when absent (a construct's entry).
    #[serde(default)]
    pub spec: Option<String>,
    /// The operation id, for an entry about one operation.
    #[serde(default)]
    pub operation: Option<String>,
    /// What Prism gets wrong, for an entry about a construct wherever it
    /// is (stated precisely enough that `reason` only matches it).
    #[serde(default)]
    pub construct: Option<String>,
    /// Which server (`examples`, `generated replies`); both when absent.
    #[serde(default)]
    pub server: Option<String>,
    /// Which call; any when absent.
    #[serde(default)]
    pub call: Option<String>,
    /// What Prism says: each of its violations (the parts of its reason
    /// between `; `) must contain one of these.
    pub reason: Vec<String>,
    /// Why Prism is wrong.
    pub why: String,
    /// The wire test that proves the request right.
    pub proved_by: String,
}

impl Defect {
    fn matches(&self, spec: &str, id: &str, server: &str, call: &str, reason: &str) -> bool {
        self.spec.as_deref().is_none_or(|s| s == spec)
            && self.operation.as_deref().is_none_or(|o| o == id)
            && self.server.as_deref().is_none_or(|s| s == server)
            && self.call.as_deref().is_none_or(|c| c == call)
            && reason.split("; ").all(|part| self.reason.iter().any(|r| part.contains(r.as_str())))
    }

    /// An entry about one operation of `spec`, which must match a failure.
    fn names_one_of(&self, spec: &str) -> bool {
        self.operation.is_some() && self.spec.as_deref() == Some(spec)
    }
}

fn read_defects(path: &Path) -> Result<Vec<Defect>, String> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let defects = serde_yaml::from_str::<Option<Vec<Defect>>>(&text)
                .map(Option::unwrap_or_default)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            match defects.iter().position(|d| d.operation.is_some() == d.construct.is_some()) {
                Some(i) => Err(format!("{}: entry {i} names neither or both of an operation and a construct", path.display())),
                None => Ok(defects),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_decoders_path_is_read_as_keys_and_indexes() {
        let reason = "required arguments: could not decode the 200 OK reply at `first[0].resolved.channels[1][2].id`: missing field";
        assert_eq!(super::decode_path(reason).unwrap(), ["first", "0", "resolved", "channels", "1", "2", "id"]);
        let top = "could not decode the 200 OK reply at `.`: invalid type";
        assert_eq!(super::decode_path(top).unwrap(), Vec::<String>::new());
        assert_eq!(super::decode_path("could not decode the 200 OK reply at `a.?.b`: x").unwrap(), ["a"]);
        assert_eq!(super::decode_path("the mock refused: 422"), None);
    }
}
