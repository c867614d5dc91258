//! Retries and per-call settings: which failures are tried again, how long
//! to wait (backoff with jitter, or what the server asks for), and the
//! sending loop itself, which logs each attempt without credentials.

use super::request::Operation;
use super::{HeaderMap, StatusCode};

/// When and how often a request is tried again.
///
/// Retried: connection errors, timeouts, and replies 408, 409, 429 and 5XX,
/// unless the reply says `x-should-retry: false` (`true` forces a retry).
/// The wait doubles from `initial_backoff` up to `max_backoff`, minus up to
/// 25 % jitter; a `retry-after-ms` or `retry-after` (seconds or HTTP date)
/// reply header replaces it, up to `max_retry_after`: a server that asks for
/// a longer wait gets its reply handed back instead.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The first wait (default 0.5 s).
    pub initial_backoff: std::time::Duration,
    /// The longest computed wait (default 8 s).
    pub max_backoff: std::time::Duration,
    /// The longest wait a server may ask for (default 60 s).
    pub max_retry_after: std::time::Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: std::time::Duration::from_millis(500),
            max_backoff: std::time::Duration::from_secs(8),
            max_retry_after: std::time::Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// The wait before retry number `retry` (from 0).
    pub(super) fn backoff(&self, retry: u32) -> std::time::Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.min(16));
        let capped = exp.min(self.max_backoff);
        capped.mul_f64(1.0 - fastrand::f64() * 0.25)
    }
}

/// Pages a paged listing keeps in flight unless told otherwise: enough to
/// hide a link's latency behind the decoding of the pages before, few
/// enough not to look like a burst to the server.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Settings for one call (or every call of a group handle), overriding the
/// client's. See the groups' `with_options`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// Timeout of each attempt.
    pub timeout: Option<std::time::Duration>,
    /// Retry policy.
    pub retry: Option<RetryPolicy>,
    /// The most pages a paged listing fetches.
    pub max_pages: Option<u64>,
    /// Pages a paged listing may have in flight at once (default
    /// [`DEFAULT_CONCURRENCY`]; `1`: one at a time). See
    /// [`paginate`](super::paginate) for how the window fills.
    pub concurrency: Option<usize>,
}

impl RequestOptions {
    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Stops paged listings after this many pages.
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// Lets paged listings have up to `pages` pages in flight (`1`: one at a
    /// time).
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = Some(pages);
        self
    }
}

pub(super) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long the server asks us to wait, if it says.
fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(std::time::Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = get("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| std::time::Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

/// What a reply asks for: `None` to hand it back, or how long to wait first
/// and whether the server asked for the pause (429, `Retry-After`).
fn retry_decision(
    response: &reqwest::Response,
    policy: &RetryPolicy,
    retry: u32,
) -> Option<(std::time::Duration, bool)> {
    let should = response
        .headers()
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    let wanted = match should.as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => retryable_status(response.status()),
    };
    if !wanted {
        return None;
    }
    let throttled = response.status() == StatusCode::TOO_MANY_REQUESTS;
    match retry_after(response.headers()) {
        Some(wait) if wait > policy.max_retry_after => None,
        Some(wait) => Some((wait, true)),
        None => Some((policy.backoff(retry), throttled)),
    }
}

/// A pause the server asked for (a 429, a `Retry-After`), shared by every
/// request of one client: until it is over, none of them is sent, so a
/// listing with several pages in flight slows down as a whole instead of
/// each page meeting the limit on its own.
#[derive(Debug, Default)]
pub(super) struct Gate(std::sync::Mutex<Option<tokio::time::Instant>>);

impl Gate {
    /// Waits until no pause is in force.
    pub(super) async fn wait(&self) {
        loop {
            let until = *self.0.lock().unwrap_or_else(|e| e.into_inner());
            match until {
                Some(t) if t > tokio::time::Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// Pauses every request for `wait` from now (a longer pause in force stays).
    pub(super) fn hold(&self, wait: std::time::Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut current = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if current.is_none_or(|t| t < until) {
            *current = Some(until);
        }
    }
}

/// How long one attempt may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Deadline {
    /// The whole exchange, body included (`None`: the HTTP client's own
    /// setting, [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT) unless the
    /// caller gave their own `reqwest::Client`).
    Total(Option<std::time::Duration>),
    /// A streamed reply, which may last as long as the server goes on:
    /// the wait for the reply is bounded (and then each wait for the next
    /// chunk, by the stream), the exchange as a whole is not.
    EachWait(std::time::Duration),
}

/// Long enough to be no deadline: what a streamed reply gets as a whole.
const NO_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60 * 60 * 24 * 365 * 30);

/// Why an attempt (the last one tried) failed.
#[derive(Debug)]
pub(super) enum SendError {
    /// The HTTP client's error (connection, TLS, its own timeout).
    Http(reqwest::Error),
    /// No reply within a [`Deadline::EachWait`].
    Stalled(std::time::Duration),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Http(e) => write!(f, "{e}"),
            SendError::Stalled(waited) => write!(f, "no reply in {} ms", waited.as_millis()),
        }
    }
}

/// Sends a request with the retry policy, logging each attempt (method,
/// path template, status, attempt, elapsed; never headers or credentials).
/// Dropping the future cancels the request or the wait in progress.
pub(super) async fn send(
    request: reqwest::RequestBuilder,
    policy: &RetryPolicy,
    deadline: Deadline,
    op: &'static Operation,
    method: &str,
    gate: &Gate,
) -> Result<reqwest::Response, SendError> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("request", operation = op.id, method, path = op.path);
    async move {
        let mut retry = 0u32;
        let mut pending = request;
        loop {
            let last = retry >= policy.max_retries;
            // Bodies that cannot be replayed (streams) get one attempt.
            let (attempt, keep) = match (last, pending.try_clone()) {
                (false, Some(copy)) => (copy, Some(pending)),
                _ => (pending, None),
            };
            let (attempt, wait) = match deadline {
                Deadline::Total(Some(t)) => (attempt.timeout(t), None),
                Deadline::Total(None) => (attempt, None),
                Deadline::EachWait(t) => (attempt.timeout(NO_DEADLINE), Some(t)),
            };
            gate.wait().await;
            let started = std::time::Instant::now();
            let result = match wait {
                None => attempt.send().await.map_err(SendError::Http),
                Some(t) => match tokio::time::timeout(t, attempt.send()).await {
                    Ok(sent) => sent.map_err(SendError::Http),
                    Err(_) => Err(SendError::Stalled(t)),
                },
            };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let wait = match &result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    tracing::debug!(status, attempt = retry + 1, elapsed_ms, "reply");
                    let wait = keep.as_ref().and_then(|_| retry_decision(response, policy, retry));
                    if let Some((wait, true)) = wait {
                        // The server asked the client to slow down, not
                        // only this request.
                        gate.hold(wait);
                    }
                    wait.map(|(wait, _)| wait)
                }
                Err(e) => {
                    tracing::debug!(error = %e, attempt = retry + 1, elapsed_ms, "request failed");
                    let transient = match e {
                        SendError::Http(e) => e.is_timeout() || e.is_connect() || e.is_request(),
                        SendError::Stalled(_) => true,
                    };
                    (keep.is_some() && transient).then(|| policy.backoff(retry))
                }
            };
            match (wait, keep) {
                (Some(wait), Some(next)) => {
                    tracing::info!(attempt = retry + 1, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                    pending = next;
                }
                _ => return result,
            }
        }
    }
    .instrument(span)
    .await
}
