//! Framing of sequential replies: cutting a body that arrives in chunks
//! into events (Server-Sent Events, `text/event-stream`) or records (JSON
//! Lines, `application/jsonl` / `application/x-ndjson`; JSON text
//! sequences, `application/json-seq`). Nothing here decodes JSON or
//! touches the network: bytes go in with [`Framer::push`], one event or
//! record at a time comes out of [`Framer::advance`].
//!
//! Server-Sent Events follow the WHATWG HTML "event stream interpretation"
//! exactly: lines end with CRLF, LF or CR (a CRLF split between two
//! chunks is one line end); a UTF-8 BOM at the very start is skipped; a
//! line starting with `:` is a comment; `data` lines accumulate, joined by
//! LF; `event`, `id` (unless it holds NUL) and `retry` (ASCII digits only)
//! are read, other fields ignored; a blank line dispatches the event, and
//! one with no `data` line dispatches nothing; the last event ID persists
//! from event to event; an event not ended by a blank line when the body
//! ends is dropped. Text is decoded as UTF-8 with replacement, one whole
//! line at a time, so a chunk boundary inside a character changes nothing.
//!
//! Memory stays bounded by one event (or record) plus one chunk: bytes are
//! copied only when a line spans chunks.

use super::Bytes;

/// How a sequential body is cut into items.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-Sent Events (`text/event-stream`).
    Sse,
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`).
    Lines,
    /// JSON text sequences, RFC 7464 (`application/json-seq`): each record
    /// starts with the RS byte (0x1E).
    Seq,
}

impl Framing {
    /// Whether a reply's `Content-Type` essence is one this framing reads.
    pub(super) fn accepts(self, essence: &str) -> bool {
        match self {
            Framing::Sse => essence == "text/event-stream",
            Framing::Lines => matches!(
                essence,
                "application/jsonl"
                    | "application/x-ndjson"
                    | "application/ndjson"
                    | "application/x-jsonlines"
                    | "application/jsonlines"
                    | "application/json-lines"
            ),
            Framing::Seq => essence == "application/json-seq",
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// JSON text sequences' record separator.
const RS: u8 = 0x1E;

/// What [`Framer::advance`] found.
#[doc(hidden)]
#[derive(Debug, PartialEq, Eq)]
pub enum Framed {
    /// An event or record is ready: read it with [`Framer::item`].
    Item,
    /// More bytes are needed.
    NeedMore,
}

/// The event being read (WHATWG's buffers), then the one dispatched.
#[derive(Debug, Default)]
struct SseState {
    /// The data buffer: `data` lines joined by LF.
    data: Vec<u8>,
    /// Whether a `data` line was read since the last dispatch (an empty
    /// one counts: it dispatches an event with empty data).
    has_data: bool,
    /// The event type buffer, then the dispatched event's type.
    event: String,
    /// The last event ID buffer (persists across events).
    id: String,
    /// A `retry` field read since the last dispatch, then the dispatched
    /// event's.
    retry: Option<u64>,
    /// `data`, `event` and `retry` hold a dispatched event, to be cleared
    /// before the next line is read.
    ready: bool,
    /// The last event ID string of the stream (set at every dispatch, even
    /// of an event with no data), sent back as `Last-Event-ID`.
    last_event_id: String,
    /// The latest reconnection time the server asked for, in milliseconds.
    reconnection_ms: Option<u64>,
}

/// Cuts a body into events or records.
#[doc(hidden)]
#[derive(Debug)]
pub struct Framer {
    framing: Framing,
    /// The last chunk pushed; `pending[pos..]` is not read yet. Lines and
    /// records inside it are read in place (no copy, no reference count
    /// touched per line).
    pending: Bytes,
    pos: usize,
    /// A line (SSE, JSON Lines) or record (json-seq) begun in an earlier
    /// chunk.
    partial: Vec<u8>,
    /// The first bytes of the body, held until it is known whether they
    /// are a BOM.
    head: Option<Vec<u8>>,
    /// The last byte read was a CR: a LF right after it (maybe in the next
    /// chunk) ends nothing.
    after_cr: bool,
    /// The body has ended.
    finished: bool,
    /// JSON Lines and json-seq: where the record found is.
    record: Record,
    /// A record that spanned chunks, joined.
    joined: Vec<u8>,
    /// Server-Sent Events.
    sse: SseState,
}

/// Where the last record is: `pending[start..end]` or `joined[start..end]`.
#[derive(Debug, Clone, Copy)]
enum Record {
    Pending(usize, usize),
    Joined(usize, usize),
}

/// Where the next line is.
enum Line {
    /// `pending[start..end]`.
    Pending(usize, usize),
    /// In `partial`.
    Partial,
    /// The bytes ran out (what there is of the line is in `partial`).
    NeedMore,
}

impl Framer {
    pub fn new(framing: Framing) -> Self {
        Framer {
            framing,
            pending: Bytes::new(),
            pos: 0,
            partial: Vec::new(),
            head: Some(Vec::new()),
            after_cr: false,
            finished: false,
            record: Record::Pending(0, 0),
            joined: Vec::new(),
            sse: SseState::default(),
        }
    }

    /// Adds the next chunk of the body; call [`Framer::advance`] until it
    /// needs more before pushing again.
    pub fn push(&mut self, chunk: Bytes) {
        let chunk = match self.head.take() {
            None => chunk,
            Some(mut head) => {
                head.extend_from_slice(&chunk);
                if head.len() < BOM.len() && BOM.starts_with(&head) {
                    self.head = Some(head);
                    return;
                }
                let skip = if head.starts_with(BOM) { BOM.len() } else { 0 };
                Bytes::from(head).slice(skip..)
            }
        };
        if self.pos >= self.pending.len() {
            self.pending = chunk;
        } else {
            let mut joined = Vec::with_capacity(self.pending.len() - self.pos + chunk.len());
            joined.extend_from_slice(&self.pending[self.pos..]);
            joined.extend_from_slice(&chunk);
            self.pending = Bytes::from(joined);
        }
        self.pos = 0;
    }

    /// The body has ended: what is left is read by the next calls to
    /// [`Framer::advance`] (a last JSON line without its newline; never a
    /// half event).
    pub fn finish(&mut self) {
        if let Some(head) = self.head.take() {
            self.pending = Bytes::from(head);
            self.pos = 0;
        }
        self.finished = true;
    }

    /// Reads on until an item is ready or the bytes run out.
    pub fn advance(&mut self) -> Framed {
        match self.framing {
            Framing::Sse => self.next_event(),
            Framing::Lines => self.next_record(b'\n'),
            Framing::Seq => self.next_record(RS),
        }
    }

    /// The JSON Lines or json-seq record found by the last [`Framer::advance`]
    /// (surrounding whitespace trimmed).
    pub fn record(&self) -> &[u8] {
        match self.record {
            Record::Pending(start, end) => &self.pending[start..end],
            Record::Joined(start, end) => &self.joined[start..end],
        }
    }

    /// The event dispatched by the last [`Framer::advance`].
    pub fn event(&self) -> EventParts<'_> {
        let s = &self.sse;
        EventParts {
            data: &s.data,
            event: (!s.event.is_empty()).then_some(s.event.as_str()),
            id: (!s.last_event_id.is_empty()).then_some(s.last_event_id.as_str()),
            retry: s.retry,
        }
    }

    /// The last event ID string (WHATWG), to resume with.
    pub fn last_event_id(&self) -> Option<&str> {
        (!self.sse.last_event_id.is_empty()).then_some(self.sse.last_event_id.as_str())
    }

    /// The reconnection time the server last asked for (`retry`), in
    /// milliseconds.
    pub fn reconnection_ms(&self) -> Option<u64> {
        self.sse.reconnection_ms
    }

    /// Starts over after a reconnection: bytes of the broken connection
    /// are dropped, the last event ID and reconnection time are kept.
    pub fn restart(&mut self) {
        let last = std::mem::take(&mut self.sse.last_event_id);
        let reconnection_ms = self.sse.reconnection_ms;
        *self = Framer::new(self.framing);
        self.sse.id.clone_from(&last);
        self.sse.last_event_id = last;
        self.sse.reconnection_ms = reconnection_ms;
    }

    /// The next whole line.
    fn next_line(&mut self) -> Line {
        if self.after_cr && self.pos < self.pending.len() {
            self.after_cr = false;
            if self.pending[self.pos] == b'\n' {
                self.pos += 1;
            }
        }
        let rest = &self.pending[self.pos..];
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(at) => {
                self.after_cr = rest[at] == b'\r';
                let start = self.pos;
                self.pos += at + 1;
                if self.partial.is_empty() {
                    Line::Pending(start, start + at)
                } else {
                    self.partial.extend_from_slice(&self.pending[start..start + at]);
                    Line::Partial
                }
            }
            None => {
                self.partial.extend_from_slice(rest);
                self.pos = self.pending.len();
                Line::NeedMore
            }
        }
    }

    fn next_event(&mut self) -> Framed {
        if self.sse.ready {
            self.sse.ready = false;
            self.sse.data.clear();
            self.sse.event.clear();
            self.sse.retry = None;
        }
        loop {
            let dispatched = match self.next_line() {
                // At the end of the body, a line or event left unfinished
                // is dropped.
                Line::NeedMore => return Framed::NeedMore,
                Line::Partial => {
                    let dispatched = self.sse.line(&self.partial);
                    self.partial.clear();
                    dispatched
                }
                Line::Pending(start, end) => self.sse.line(&self.pending[start..end]),
            };
            if dispatched {
                return Framed::Item;
            }
        }
    }

    /// JSON Lines (`delimiter` LF, records end with it) and json-seq (RS,
    /// records start with it): the next record that is not blank.
    fn next_record(&mut self, delimiter: u8) -> Framed {
        loop {
            let rest = &self.pending[self.pos..];
            let found = match memchr::memchr(delimiter, rest) {
                Some(at) if self.partial.is_empty() => {
                    let start = self.pos;
                    self.pos += at + 1;
                    Record::Pending(start, start + at)
                }
                Some(at) => {
                    self.partial.extend_from_slice(&rest[..at]);
                    self.pos += at + 1;
                    self.joined.clear();
                    std::mem::swap(&mut self.joined, &mut self.partial);
                    Record::Joined(0, self.joined.len())
                }
                None => {
                    self.partial.extend_from_slice(rest);
                    self.pos = self.pending.len();
                    if !self.finished || self.partial.is_empty() {
                        return Framed::NeedMore;
                    }
                    self.joined.clear();
                    std::mem::swap(&mut self.joined, &mut self.partial);
                    Record::Joined(0, self.joined.len())
                }
            };
            self.record = found;
            let (start, end) = trim(self.record());
            if start < end {
                self.record = match found {
                    Record::Pending(s, _) => Record::Pending(s + start, s + end),
                    Record::Joined(s, _) => Record::Joined(s + start, s + end),
                };
                return Framed::Item;
            }
        }
    }
}

/// One dispatched event, borrowed from the framer.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventParts<'a> {
    /// The data lines, joined by LF (raw bytes; UTF-8 unless the server
    /// sent otherwise).
    pub data: &'a [u8],
    /// The event type, when the event has an `event` field (WHATWG calls
    /// the others `message`).
    pub event: Option<&'a str>,
    /// The last event ID, when the stream has one.
    pub id: Option<&'a str>,
    /// A `retry` field in this event, in milliseconds.
    pub retry: Option<u64>,
}

impl SseState {
    /// Reads one line (without its end); `true` when it dispatched an
    /// event with data.
    fn line(&mut self, line: &[u8]) -> bool {
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return false;
        }
        let (field, mut value) = match memchr::memchr(b':', line) {
            Some(at) => (&line[..at], &line[at + 1..]),
            None => (line, &[][..]),
        };
        if value.first() == Some(&b' ') {
            value = &value[1..];
        }
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
            }
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            b"id" if memchr::memchr(0, value).is_none() => self.id = String::from_utf8_lossy(value).into_owned(),
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let ms = value.iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0')));
                self.retry = Some(ms);
                self.reconnection_ms = Some(ms);
            }
            _ => {}
        }
        false
    }

    /// A blank line: the event is dispatched when it has data; its type
    /// and data stay readable until the next line.
    fn dispatch(&mut self) -> bool {
        self.last_event_id.clone_from(&self.id);
        if !self.has_data {
            self.data.clear();
            self.event.clear();
            self.retry = None;
            return false;
        }
        self.has_data = false;
        self.ready = true;
        true
    }
}

/// Where the bytes are once surrounding whitespace is cut: `(start, end)`.
fn trim(bytes: &[u8]) -> (usize, usize) {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    (start, end.max(start))
}
