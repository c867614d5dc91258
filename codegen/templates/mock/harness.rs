//! What the mock test does that does not depend on the description: reads
//! the synthesized arguments (`calls.json`), decodes each into the type the
//! generated API takes, judges each reply, runs every operation against
//! every mock server given, several at a time, and prints one line per
//! call for `cargo xtask mock-test` to read:
//!
//! ```text
//! pass<TAB>server<TAB>operation id<TAB>call
//! fail<TAB>server<TAB>operation id<TAB>call<TAB>reason[<TAB>reply]
//! down<TAB>server<TAB>operation id<TAB>call<TAB>reason
//! ```
//!
//! (`down`: the server could not be reached, so the call says nothing
//! about the request; the xtask finds out whether the server stopped.
//! `reply`: for a reply that did not decode, the reply as JSON `{"status",
//! "content_type", "body"}`, as the decoder's error kept it (a mock server
//! answers the same request alike), so the xtask can tell whether the
//! reply or the client broke the description.)
//!
//! Copied verbatim beside the generated `main.rs`, which holds one function
//! per operation and the client's credentials.

use sdk::futures_util::{StreamExt, TryStreamExt};
use sdk::runtime::{ByteStream, Error, ErrorKind, File, RequestOptions};
use sdk::serde_json::{self, Value};
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// The future of one operation's call.
pub type Run<'a> = Pin<Box<dyn Future<Output = Result<(), Failure>> + Send + 'a>>;

/// Which call failed and why.
#[derive(Debug)]
pub struct Failure {
    /// The call (`required arguments`, `every argument`, `item stream`, a media type).
    pub call: String,
    /// The mock server's or the decoder's reason.
    pub reason: String,
    /// The server could not be reached (it may have stopped).
    pub down: bool,
    /// The reply that did not decode: status, content type, body.
    pub reply: Option<Value>,
}

/// An argument, or why it could not be made (its synthesized value does
/// not decode into the generated type: a failure of that call).
pub type Step<T> = Result<T, Failure>;

/// The arguments of one call, as synthesized by the generator.
#[derive(Debug)]
pub struct Call {
    /// `required arguments` or `every argument`.
    pub fill: String,
    path: Vec<Value>,
    params: Vec<(String, String, Value)>,
    body: Option<Value>,
}

impl Call {
    fn read(value: &Value) -> Call {
        let params = value["params"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| (p[0].as_str().unwrap_or_default().to_owned(), p[1].as_str().unwrap_or_default().to_owned(), p[2].clone()))
                    .collect()
            })
            .unwrap_or_default();
        Call {
            fill: value["fill"].as_str().unwrap_or_default().to_owned(),
            path: value["path"].as_array().cloned().unwrap_or_default(),
            params,
            body: value.get("body").cloned(),
        }
    }

    /// Whether this call sets every argument (else only the required ones).
    pub fn every(&self) -> bool {
        self.fill == "every argument"
    }

    /// A failure of this call (`what`: a part of it, such as the item
    /// stream; empty: the typed call itself).
    pub fn fail(&self, what: &str) -> impl FnOnce(String) -> Failure + '_ {
        let call = if what.is_empty() { self.fill.clone() } else { format!("{} ({})", what, self.fill) };
        move |reason| Failure { call, reason, down: false, reply: None }
    }

    fn missing(&self, what: String) -> Failure {
        self.fail("")(format!("no value was synthesized for {what}"))
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, v: &Value, what: &str) -> Step<T> {
        serde_json::from_value(v.clone()).map_err(|e| {
            self.fail("")(format!(
                "{what}: the synthesized value {} does not decode into `{}`: {e}",
                short(&v.to_string()),
                std::any::type_name::<T>()
            ))
        })
    }

    /// The `i`th path argument.
    pub fn path<T: serde::de::DeserializeOwned>(&self, i: usize, name: &str) -> Step<T> {
        let v = self.path.get(i).ok_or_else(|| self.missing(format!("the path parameter `{name}`")))?;
        self.decode(v, &format!("the path parameter `{name}`"))
    }

    /// A parameter the call sets, by location and wire name.
    pub fn opt<T: serde::de::DeserializeOwned>(&self, location: &str, wire: &str) -> Step<Option<T>> {
        match self.params.iter().find(|(l, w, _)| l == location && w == wire) {
            Some((_, _, v)) => self.decode(v, &format!("the {location} parameter `{wire}`")).map(Some),
            None => Ok(None),
        }
    }

    /// A required parameter.
    pub fn req<T: serde::de::DeserializeOwned>(&self, location: &str, wire: &str) -> Step<T> {
        self.opt(location, wire)?.ok_or_else(|| self.missing(format!("the required {location} parameter `{wire}`")))
    }

    /// Whether the call sends a body.
    pub fn has_body(&self) -> bool {
        self.body.is_some()
    }

    /// The body, when the call sends one.
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> Step<Option<T>> {
        self.body.as_ref().map(|v| self.decode(v, "the body")).transpose()
    }

    /// A required body.
    pub fn req_body<T: serde::de::DeserializeOwned>(&self) -> Step<T> {
        self.body()?.ok_or_else(|| self.missing("the required body".to_owned()))
    }

    /// A part of a multipart body.
    pub fn part<T: serde::de::DeserializeOwned>(&self, wire: &str) -> Step<Option<T>> {
        match self.body.as_ref().and_then(|b| b.get(wire)) {
            Some(v) => self.decode(v, &format!("the part `{wire}`")).map(Some),
            None => Ok(None),
        }
    }

    /// A required part.
    pub fn req_part<T: serde::de::DeserializeOwned>(&self, wire: &str) -> Step<T> {
        self.part(wire)?.ok_or_else(|| self.missing(format!("the required part `{wire}`")))
    }

    /// A required file part.
    pub fn req_file(&self, wire: &str) -> Step<File> {
        self.file(wire)?.ok_or_else(|| self.missing(format!("the required part `{wire}`")))
    }

    /// A required part of several files.
    pub fn req_files(&self, wire: &str) -> Step<Vec<File>> {
        self.files(wire)?.ok_or_else(|| self.missing(format!("the required part `{wire}`")))
    }

    /// A file part of a multipart body: the synthesized text as its bytes.
    pub fn file(&self, wire: &str) -> Step<Option<File>> {
        Ok(self.body.as_ref().and_then(|b| b.get(wire)).map(|v| file(wire, v)))
    }

    /// A part of several files.
    pub fn files(&self, wire: &str) -> Step<Option<Vec<File>>> {
        Ok(self.body.as_ref().and_then(|b| b.get(wire)).map(|v| match v {
            Value::Array(items) => items.iter().map(|v| file(wire, v)).collect(),
            other => vec![file(wire, other)],
        }))
    }

    /// A required body of bytes.
    pub fn req_bytes(&self) -> Step<Vec<u8>> {
        self.bytes()?.ok_or_else(|| self.missing("the required body".to_owned()))
    }

    /// A body of bytes.
    pub fn bytes(&self) -> Step<Option<Vec<u8>>> {
        Ok(self.body.as_ref().map(|v| match v {
            Value::String(s) => s.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        }))
    }
}

fn file(wire: &str, v: &Value) -> File {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    File::new(text.into_bytes()).file_name(format!("{wire}.txt")).content_type("text/plain")
}

fn short(s: &str) -> String {
    if s.chars().count() <= 160 { s.to_owned() } else { format!("{}…", s.chars().take(160).collect::<String>()) }
}

/// Why a reply is not a pass: the mock's reason for refusing the request
/// (Prism's `sl-violations` header, else the `validation` list of its
/// problem body, else the body), or the decoder's.
pub fn reason<E: Debug>(e: Error<E>) -> String {
    match e {
        Error::Api(api) => {
            let listed = |vs: &[Value]| {
                vs.iter()
                    .map(|v| {
                        let at: Vec<&str> = v["location"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                        format!("{}: {}", at.join("."), v["message"].as_str().unwrap_or_default())
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let header = api
                .headers
                .get("sl-violations")
                // Not `to_str`: Prism quotes the description, which may not be ASCII.
                .and_then(|v| serde_json::from_slice::<Vec<Value>>(v.as_bytes()).ok());
            let body = serde_json::from_slice::<Value>(&api.raw)
                .ok()
                .and_then(|b| b.get("validation").and_then(Value::as_array).cloned());
            match header.or(body).map(|vs| listed(&vs)) {
                Some(v) if !v.is_empty() => format!("{} {v}", api.status),
                _ => format!("{} {}", api.status, short(&api.excerpt())),
            }
        }
        other => other.to_string(),
    }
}

/// A failure of `call` for the error `e`.
fn failure<E: Debug>(call: &Call, what: &str, e: Error<E>) -> Failure {
    // A connection refused or cut: the server may have stopped.
    let down = matches!(e, Error::Transport(_)) && e.kind() != ErrorKind::Timeout;
    Failure { down, ..call.fail(what)(reason(e)) }
}

/// A typed call: passes when the reply decoded. When it did not, the
/// reply the decoder refused (its whole body is in the error) is kept with
/// the failure, to be held to the description.
pub fn judge<T, E: Debug>(call: &Call, what: &str, result: Result<T, Error<E>>) -> Result<(), Failure> {
    let e = match result {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    let reply = match &e {
        Error::Decode(d) => Some(serde_json::json!({
            "status": d.status.as_u16(),
            "content_type": d.content_type,
            "body": String::from_utf8_lossy(&d.body),
        })),
        _ => None,
    };
    Err(Failure { reply, ..failure(call, what, e) })
}

/// A call whose reply streams (a non-JSON media type): passes when the
/// mock accepted it and the body was read.
pub async fn judge_stream<E: Debug>(call: &Call, what: &str, result: Result<ByteStream, Error<E>>) -> Result<(), Failure> {
    let body = result.map_err(|e| failure(call, what, e))?;
    body.bytes().await.map(|_| ()).map_err(|e| call.fail(what)(e.to_string()))
}

/// A typed stream (server-sent events, JSON Lines, a JSON text
/// sequence): passes when the mock accepted the request and every item
/// decoded, read to the end.
pub async fn judge_items<S, T, E: Debug>(call: &Call, what: &str, result: Result<S, Error<E>>) -> Result<(), Failure>
where
    S: sdk::futures_util::Stream<Item = Result<T, Error<E>>>,
{
    let items = result.map_err(|e| failure(call, what, e))?;
    let mut items = std::pin::pin!(items);
    while let Some(item) = items.next().await {
        item.map_err(|e| failure(call, what, e))?;
    }
    Ok(())
}

/// A paged listing's item stream, two pages at most: passes when every
/// page was accepted and decoded. A mock answers every page alike, so a
/// listing the client stops as stalled has done what it should; and a
/// mock cannot know its own address, so a next-page link from its
/// examples names another host, which the client refuses to follow (it
/// would carry the credentials there): the pages it had were read.
pub async fn judge_listing<T, E: Debug>(
    call: &Call,
    items: impl sdk::futures_util::Stream<Item = Result<T, Error<E>>>,
) -> Result<(), Failure> {
    let mut items = std::pin::pin!(items);
    loop {
        match items.try_next().await {
            Ok(Some(_)) => {}
            Ok(None) | Err(Error::PagingStalled { .. }) => return Ok(()),
            Err(Error::InvalidParameter { name: "next", message }) if message.contains("leaves") => return Ok(()),
            Err(e) => return Err(failure(call, "item stream", e)),
        }
    }
}

/// The options of the item stream's calls.
pub fn two_pages() -> RequestOptions {
    RequestOptions::default().max_pages(2)
}

/// The stack of each thread that polls an operation's future.
const STACK: usize = 256 << 20;

/// The whole run: `--server NAME=URL` (repeatable), `--calls PATH`
/// (default: `calls.json` beside the manifest), `--jobs N` (calls in
/// flight at once, default 8), `--only ID` (repeatable).
pub fn main(
    ids: &'static [&'static str],
    client: fn(&str) -> sdk::client::Client,
    run: for<'a> fn(usize, &'a sdk::client::Client, &'a Call) -> Run<'a>,
) -> std::process::ExitCode {
    let mut servers: Vec<(String, String)> = Vec::new();
    let mut calls_path = concat!(env!("CARGO_MANIFEST_DIR"), "/calls.json").to_owned();
    let mut jobs = 8usize;
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--server" => match value.split_once('=') {
                Some((name, url)) => servers.push((name.to_owned(), url.to_owned())),
                None => servers.push(("mock".to_owned(), value)),
            },
            "--calls" => calls_path = value,
            "--jobs" => jobs = value.parse().unwrap_or(jobs).max(1),
            "--only" => only.push(value),
            other => {
                eprintln!("unknown argument `{other}`");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let text = match std::fs::read_to_string(&calls_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{calls_path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let data: Vec<Value> = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{calls_path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // One entry per operation, in the order of `ids`.
    let calls: Vec<Vec<Call>> = (0..ids.len())
        .map(|i| data.get(i).and_then(|d| d["calls"].as_array()).map(|cs| cs.iter().map(Call::read).collect()).unwrap_or_default())
        .collect();
    let clients: Vec<(String, sdk::client::Client)> = servers.iter().map(|(n, u)| (n.clone(), client(u))).collect();
    // An operation's future, built before it is boxed, is as large as
    // every call it makes (unoptimised, with the largest descriptions'
    // types): stacks of their own, larger than a thread's default.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_stack_size(STACK).enable_all().build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tokio: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut work = Vec::new();
    for (name, c) in &clients {
        for (i, id) in ids.iter().enumerate() {
            if !only.is_empty() && !only.iter().any(|o| o == id) {
                continue;
            }
            for call in &calls[i] {
                work.push((name.as_str(), *id, c, i, call));
            }
        }
    }
    let drive = || runtime.block_on(async move {
        let mut results = sdk::futures_util::stream::iter(work)
            .map(|(server, id, c, i, call)| async move { (server, id, call, run(i, c, call).await) })
            .buffer_unordered(jobs);
        while let Some((server, id, call, result)) = results.next().await {
            match result {
                Ok(()) => println!("pass\t{server}\t{id}\t{}", call.fill),
                Err(f) => {
                    let status = if f.down { "down" } else { "fail" };
                    let reply = f.reply.map(|r| format!("\t{r}")).unwrap_or_default();
                    println!("{status}\t{server}\t{id}\t{}\t{}{reply}", f.call, f.reason.replace(['\n', '\t'], " "));
                }
            }
        }
    });
    let ran = std::thread::scope(|scope| {
        std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, drive).map(|h| h.join())
    });
    match ran {
        Ok(Ok(())) => std::process::ExitCode::SUCCESS,
        _ => {
            eprintln!("the calls could not run to their end");
            std::process::ExitCode::FAILURE
        }
    }
}
