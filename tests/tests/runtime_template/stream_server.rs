//! A scripted HTTP/1.1 server on 127.0.0.1 for the stream tests: each
//! connection gets the next [`Reply`], written as chunked transfer coding
//! one [`Act`] at a time (a chunk, a pause, a wait for the test's signal,
//! a broken connection, the end), and every request head is recorded.
//! Writing a chunk that fails (the client went away) is recorded too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One step of a reply body.
#[derive(Debug, Clone)]
pub enum Act {
    /// Writes these bytes as one chunk.
    Send(Vec<u8>),
    /// Waits.
    Pause(Duration),
    /// Waits until the test calls [`Server::go`] (once per `Await`).
    Await,
    /// Closes the connection in the middle of the body (no last chunk).
    Break,
    /// Writes these bytes as one chunk every interval until writing fails
    /// (the client dropped the stream), then records it.
    Forever(Vec<u8>, Duration),
}

/// What one connection answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub acts: Vec<Act>,
}

impl Reply {
    pub fn new(content_type: &'static str, acts: Vec<Act>) -> Self {
        Reply { status: 200, content_type, acts }
    }
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    pub uri: String,
    pub requests: Arc<Mutex<Vec<Head>>>,
    /// Connections on which writing failed because the client went away.
    pub client_gone: Arc<AtomicUsize>,
    go: Arc<tokio::sync::Semaphore>,
}

impl Server {
    /// Lets one `Act::Await` go on.
    pub fn go(&self) {
        self.go.add_permits(1);
    }

    pub fn requests(&self) -> Vec<Head> {
        self.requests.lock().unwrap().clone()
    }
}

/// Serves `replies`, one per connection, in order (the last one again for
/// any further connection).
pub async fn start(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let client_gone = Arc::new(AtomicUsize::new(0));
    let go = Arc::new(tokio::sync::Semaphore::new(0));
    let (reqs, gone, gate) = (requests.clone(), client_gone.clone(), go.clone());
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((socket, _)) = listener.accept().await {
            let reply = replies[n.min(replies.len() - 1)].clone();
            n += 1;
            let (reqs, gone, gate) = (reqs.clone(), gone.clone(), gate.clone());
            tokio::spawn(async move { serve(socket, reply, reqs, gone, gate).await });
        }
    });
    Server { uri, requests, client_gone, go }
}

async fn serve(
    mut socket: TcpStream,
    reply: Reply,
    requests: Arc<Mutex<Vec<Head>>>,
    gone: Arc<AtomicUsize>,
    go: Arc<tokio::sync::Semaphore>,
) {
    socket.set_nodelay(true).unwrap();
    let Some(head) = read_head(&mut socket).await else { return };
    requests.lock().unwrap().push(head);
    let reason = if reply.status < 400 { "OK" } else { "Error" };
    let start = format!(
        "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        reply.status, reply.content_type
    );
    if socket.write_all(start.as_bytes()).await.is_err() {
        return;
    }
    for act in reply.acts {
        match act {
            Act::Send(bytes) => {
                if write_chunk(&mut socket, &bytes).await.is_err() {
                    gone.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
            Act::Pause(d) => tokio::time::sleep(d).await,
            Act::Await => go.acquire().await.unwrap().forget(),
            Act::Break => return,
            Act::Forever(bytes, every) => loop {
                if write_chunk(&mut socket, &bytes).await.is_err() {
                    gone.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                tokio::time::sleep(every).await;
            },
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    let _ = socket.shutdown().await;
}

async fn write_chunk(socket: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    let mut out = format!("{:x}\r\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
    socket.write_all(&out).await?;
    socket.flush().await
}

async fn read_head(socket: &mut TcpStream) -> Option<Head> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Head { method, target, headers, body })
}
