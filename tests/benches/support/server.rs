//! A minimal in-process HTTP/1.1 keep-alive server on 127.0.0.1 that answers
//! `?page=N` with page N, for the listing benchmark (and for tests, which
//! include this file with `#[path]`: it needs only dev-dependencies).
//!
//! A [`Profile`] makes it model a real link: a think time before each reply
//! starts, and one token bucket for the bytes written by all connections
//! together, in small chunks so that concurrent replies share the link
//! fairly. Pages prepared with a gzip copy are sent gzipped to requests whose
//! `Accept-Encoding` allows it. [`Stats`] counts requests, the most in flight
//! at once, and bytes written.

// Each includer uses a different part.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How the server's link behaves.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// Wait after a request is read, before its reply starts (server time).
    pub think: Duration,
    /// Bytes per second for all connections together; `None`: unlimited.
    pub bandwidth: Option<f64>,
}

impl Profile {
    /// No think time, no bandwidth limit: as fast as loopback goes.
    pub const LOOPBACK: Profile = Profile { think: Duration::ZERO, bandwidth: None };
}

/// What the server answers with.
#[derive(Clone)]
pub enum Source {
    /// Prepared bodies: page N is `identity[N - 1]`, and `gzip[N - 1]` when
    /// that is present and the request accepts gzip.
    Pages(Arc<Pages>),
    /// Made per request from the page number (a memory probe measures only
    /// the client, not bodies held by the server).
    OnDemand(Arc<dyn Fn(usize) -> Vec<u8> + Send + Sync>),
    /// A CSV export of this many bytes, written as it goes.
    Csv(usize),
}

/// Page bodies, as is and gzipped.
pub struct Pages {
    pub identity: Vec<Vec<u8>>,
    pub gzip: Option<Vec<Vec<u8>>>,
}

impl Pages {
    /// The bodies as they are, with no gzip copy.
    pub fn identity(identity: Vec<Vec<u8>>) -> Self {
        Pages { identity, gzip: None }
    }

    /// The bodies and a gzip copy of each (compressed once, here).
    pub fn with_gzip(identity: Vec<Vec<u8>>) -> Self {
        let gzip = Some(identity.iter().map(|b| gzip(b)).collect());
        Pages { identity, gzip }
    }

    /// Total bytes of the bodies as they are.
    pub fn identity_bytes(&self) -> usize {
        self.identity.iter().map(Vec::len).sum()
    }

    /// Total bytes of the gzip copies (0 without them).
    pub fn gzip_bytes(&self) -> usize {
        self.gzip.iter().flatten().map(Vec::len).sum()
    }
}

/// `body` gzipped at the default level.
pub fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    enc.write_all(body).unwrap();
    enc.finish().unwrap()
}

/// Whether an `Accept-Encoding` value allows gzip (RFC 9110 §12.5.3: `gzip`,
/// `x-gzip` or `*`, with a weight above 0; the specific entry wins).
pub fn accepts_gzip(header: Option<&str>) -> bool {
    let Some(header) = header else { return false };
    let (mut gzip, mut any) = (None, None);
    for item in header.split(',') {
        let item = item.trim().to_ascii_lowercase();
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_owned();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        let allowed = weight.is_some_and(|q| q > 0.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => gzip = Some(allowed),
            "*" => any = Some(allowed),
            _ => {}
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// What the server saw, for all its connections.
#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    bytes_sent: AtomicU64,
    gzip_replies: AtomicUsize,
    accept_encoding: Mutex<Option<String>>,
}

impl Stats {
    /// Requests read since the last reset.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The most requests in flight at once since the last reset: from when
    /// a request is read until its reply's last bytes are handed to the
    /// socket (so never more than the client had outstanding).
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// Bytes written (heads and bodies) since the last reset.
    pub fn bytes_sent(&self) -> u64 {
        self.bytes_sent.load(Ordering::SeqCst)
    }

    /// Replies sent gzipped since the last reset.
    pub fn gzip_replies(&self) -> usize {
        self.gzip_replies.load(Ordering::SeqCst)
    }

    /// The `Accept-Encoding` of the latest request (`None`: it had none).
    pub fn last_accept_encoding(&self) -> Option<String> {
        self.accept_encoding.lock().unwrap().clone()
    }

    /// Zeroes the counters; the peak restarts from what is in flight now.
    pub fn reset(&self) {
        self.requests.store(0, Ordering::SeqCst);
        self.max_in_flight.store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
        self.bytes_sent.store(0, Ordering::SeqCst);
        self.gzip_replies.store(0, Ordering::SeqCst);
    }

    fn begin(self: &Arc<Self>, accept_encoding: Option<String>) -> InFlight {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        *self.accept_encoding.lock().unwrap() = accept_encoding;
        InFlight(self.clone())
    }
}

/// A request in flight, until dropped.
struct InFlight(Arc<Stats>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A token bucket: `rate` bytes per second, up to `burst` bytes at once.
/// A taker may leave it in debt; the next taker then waits for the debt too,
/// so takers are served in the order they came, a chunk at a time.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    /// A full bucket.
    pub fn new(rate: f64, burst: f64) -> Self {
        Bucket { rate, burst, state: Mutex::new((burst, Instant::now())) }
    }

    /// Takes `n` bytes' worth at `now`; returns how long to wait before
    /// sending them.
    pub fn reserve(&self, n: usize, now: Instant) -> Duration {
        let mut state = self.state.lock().unwrap();
        let (tokens, last) = &mut *state;
        let refill = now.saturating_duration_since(*last).as_secs_f64() * self.rate;
        *tokens = (*tokens + refill).min(self.burst) - n as f64;
        *last = (*last).max(now);
        if *tokens < 0.0 { Duration::from_secs_f64(-*tokens / self.rate) } else { Duration::ZERO }
    }

    async fn take(&self, n: usize) {
        let wait = self.reserve(n, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Bytes a connection writes through the bucket at a time.
pub const CHUNK: usize = 16 * 1024;

/// A running server.
#[derive(Clone)]
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub stats: Arc<Stats>,
}

/// Starts a server on 127.0.0.1 (on the current tokio runtime).
pub async fn serve(source: Source, profile: Profile) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Stats::default());
    // Burst: a few chunks, enough to absorb the timer's ~1 ms rounding.
    let bucket = profile.bandwidth.map(|rate| Arc::new(Bucket::new(rate, (4 * CHUNK) as f64)));
    let shared = stats.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            if bucket.is_some() {
                // Paced chunks are small segments: without this, Nagle's
                // algorithm holds each reply's tail until the client's
                // delayed ACK (~40 ms a request on Linux loopback).
                sock.set_nodelay(true).unwrap();
            }
            let conn = Conn { sock, stats: shared.clone(), bucket: bucket.clone(), current: None };
            tokio::spawn(conn.run(source.clone(), profile.think));
        }
    });
    Server { url: format!("http://{addr}"), stats }
}

struct Conn {
    sock: TcpStream,
    stats: Arc<Stats>,
    bucket: Option<Arc<Bucket>>,
    /// The request being answered; it ends just before the reply's last
    /// bytes are written, so a client cannot see the reply complete (and
    /// send another request) while it still counts as in flight.
    current: Option<InFlight>,
}

impl Conn {
    async fn run(mut self, source: Source, think: Duration) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match self.sock.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end);
            let accept_encoding = header(&head, "accept-encoding");
            self.current = Some(self.stats.begin(accept_encoding.clone()));
            if !think.is_zero() {
                tokio::time::sleep(think).await;
            }
            let page: usize = head
                .split_whitespace()
                .nth(1)
                .and_then(|target| target.split_once('?'))
                .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let written = match &source {
                Source::Pages(pages) => match pages.identity.get(page.wrapping_sub(1)) {
                    None => self.reply("404 Not Found", "text/plain", None, b"no such page").await,
                    Some(body) => match &pages.gzip {
                        Some(gz) if accepts_gzip(accept_encoding.as_deref()) => {
                            self.stats.gzip_replies.fetch_add(1, Ordering::SeqCst);
                            self.reply("200 OK", "application/json", Some("gzip"), &gz[page - 1]).await
                        }
                        _ => self.reply("200 OK", "application/json", None, body).await,
                    },
                },
                Source::OnDemand(make) => {
                    let body = make(page);
                    self.reply("200 OK", "application/json", None, &body).await
                }
                Source::Csv(size) => self.csv(*size).await,
            };
            if written.is_err() {
                return;
            }
        }
    }

    async fn reply(&mut self, status: &str, ct: &str, encoding: Option<&str>, body: &[u8]) -> std::io::Result<()> {
        let encoding =
            encoding.map(|e| format!("content-encoding: {e}\r\nvary: accept-encoding\r\n")).unwrap_or_default();
        let length = body.len();
        let head = format!("HTTP/1.1 {status}\r\ncontent-type: {ct}\r\n{encoding}content-length: {length}\r\n\r\n");
        self.write(head.as_bytes(), body.is_empty()).await?;
        self.write(body, true).await
    }

    async fn csv(&mut self, size: usize) -> std::io::Result<()> {
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {size}\r\n\r\n");
        self.write(head.as_bytes(), size == 0).await?;
        let row = b"log-000000,change_setting,2024-01-02T03:04:05Z,alice@example.com,198.51.100.7\n";
        let chunk: Vec<u8> = row.iter().copied().cycle().take(64 * 1024).collect();
        let mut sent = 0;
        while sent < size {
            let n = chunk.len().min(size - sent);
            sent += n;
            self.write(&chunk[..n], sent == size).await?;
        }
        Ok(())
    }

    /// Writes through the bucket, if any, a chunk at a time; with `last`,
    /// ends the request before the last chunk.
    async fn write(&mut self, bytes: &[u8], last: bool) -> std::io::Result<()> {
        let pieces = match &self.bucket {
            None => vec![bytes],
            Some(_) => bytes.chunks(CHUNK).collect(),
        };
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            if let Some(bucket) = &self.bucket {
                bucket.take(piece.len()).await;
            }
            // Counted first too: once the client has it all, it all counts.
            self.stats.bytes_sent.fetch_add(piece.len() as u64, Ordering::SeqCst);
            if last && i + 1 == count {
                self.current = None;
            }
            self.sock.write_all(piece).await?;
        }
        if last {
            self.current = None;
        }
        Ok(())
    }
}

/// A header's value in a request head (names are case-insensitive).
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
    })
}
