//! Paged listings as streams, for every paging scheme: page numbers,
//! offsets, cursors or tokens, next-page URLs. Generated code describes an
//! operation's scheme ([`Paging`]) and how to read a reply's position
//! ([`PageInfo`]); this file turns the operation's first request into the
//! stream of its pages. Schemes whose pages can be asked for by number
//! fetch ahead (`window`); the others follow one reply to the next
//! (`sequence`).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::client::Client;
use super::request::Request;
use super::retry::RequestOptions;
use super::{Error, Refused};

/// Where a page stands, as far as its reply says.
#[doc(hidden)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageInfo {
    /// Items on this page.
    pub items: usize,
    /// Identifies the page's content, to notice a page served twice.
    pub fingerprint: u64,
    /// `total_pages`, if the reply says.
    pub total_pages: Option<f64>,
    /// The number of items in the whole listing, if the reply says.
    pub total_count: Option<f64>,
    /// The page size the server used, if the reply says.
    pub per_page: Option<f64>,
    /// What leads to the next page: a cursor, a token, a URL, the last
    /// item's id (`None`: the reply gives none).
    pub next: Option<String>,
    /// Whether more pages follow, if the reply says (`has_more`, or a next
    /// link that is there or not).
    pub has_more: Option<bool>,
}

/// A fingerprint of a page's items (count, first and last), enough to
/// notice a server that serves the same page again.
#[doc(hidden)]
pub fn fingerprint<T: fmt::Debug>(items: &[T]) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    items.len().hash(&mut h);
    if let (Some(first), Some(last)) = (items.first(), items.last()) {
        format!("{first:?}").hash(&mut h);
        format!("{last:?}").hash(&mut h);
    }
    h.finish()
}

/// A value as the text a cursor parameter sends back (a string as it is,
/// a number without a fraction, a date in RFC 3339).
#[doc(hidden)]
pub fn text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    super::node::to_node(value).ok().and_then(|node| node.text()).unwrap_or_default()
}

/// How the next page is asked for.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// The page number in query parameter `param`; pages count from `first`.
    Page {
        /// The query parameter.
        param: &'static str,
        /// The number of the first page (1, or 0 for some APIs).
        first: u64,
    },
    /// The position of the page's first item in query parameter `param`,
    /// counting from 0; pages are as long as the first one (or the page
    /// size the request or the reply gives).
    Offset {
        /// The query parameter.
        param: &'static str,
    },
    /// What the previous reply gave as [`PageInfo::next`] (a cursor, a page
    /// token, the last item's id), in query parameter `param`.
    Cursor {
        /// The query parameter.
        param: &'static str,
    },
    /// The URL the previous reply gave as [`PageInfo::next`], or as the
    /// `rel="next"` of its `Link` header.
    NextUrl,
}

/// How an operation pages: generated once per paged operation.
#[doc(hidden)]
pub struct Paging<R> {
    /// How the next page is asked for.
    pub scheme: Scheme,
    /// The query parameter that sets the page size, and the spec's default.
    pub size: Option<(&'static str, Option<u64>)>,
    /// Reads where a reply stands.
    pub info: fn(&R) -> PageInfo,
}

/// Every page of a paged listing, from the page `request` asks for on (the
/// filters of the first call go to every page). Dropping the stream
/// cancels the requests in flight.
///
/// It stops after an empty page (not yielded); after the page the reply
/// says is the last (totals, `has_more: false`, no next cursor or link),
/// without an extra request; after `RequestOptions::max_pages` pages; or
/// after an error, which is yielded. A server that repeats itself (the same
/// page, or the same cursor, twice in a row) ends it with
/// [`Error::PagingStalled`] instead of looping. Page numbers and offsets
/// fetch ahead, in order (see [`paginate`](super::paginate)); cursors and
/// next links cannot, and go one page at a time.
#[doc(hidden)]
pub fn pages<R, E>(
    client: &Client,
    options: &RequestOptions,
    request: Result<Request, Refused>,
    paging: Paging<R>,
) -> PageStream<R, E>
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: super::ErrorBody + Send + 'static,
{
    let first = match request {
        Ok(request) if request.try_clone().is_some() => request,
        Ok(_) => {
            let refused = Refused::parameter("body", "a streamed body cannot be sent for every page");
            return Box::pin(futures_util::stream::once(async move { Err(refused.into()) }));
        }
        Err(refused) => return Box::pin(futures_util::stream::once(async move { Err(refused.into()) })),
    };
    let client = client.clone();
    let options = options.clone();
    match paging.scheme {
        Scheme::Page { param, first: number } => Box::pin(numbered(client, options, first, param, number, paging)),
        Scheme::Offset { param } => Box::pin(offsets(client, options, first, param, paging)),
        Scheme::Cursor { .. } | Scheme::NextUrl => Box::pin(super::sequence::follow(client, options, first, paging)),
    }
}

/// A stream of pages, whatever the scheme.
type PageStream<R, E> = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<R, Error<E>>> + Send>>;

/// One page: the reply decoded, its position (with what its `Link` header
/// says), and the header's `rel="last"` target.
pub(super) async fn fetch<R, E>(
    client: &Client,
    options: &RequestOptions,
    request: Request,
    info: fn(&R) -> PageInfo,
) -> Result<(R, PageInfo, Option<String>), Error<E>>
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: super::ErrorBody,
{
    let reply = super::call::execute::<E>(client, request, options).await?;
    let links = reply.header("link").map(Links::parse);
    let decoded: R = reply.json().await?;
    let mut position = info(&decoded);
    let mut last = None;
    if let Some(links) = links {
        if position.next.is_none() {
            position.next = links.next;
        }
        position.has_more = position.has_more.or(Some(position.next.is_some()));
        last = links.last;
    }
    Ok((decoded, position, last))
}

/// Page numbers in a query parameter, fetched ahead.
fn numbered<R, E>(
    client: Client,
    options: RequestOptions,
    first: Request,
    param: &'static str,
    number: u64,
    paging: Paging<R>,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send + 'static
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: super::ErrorBody + Send + 'static,
{
    let start = first.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(number);
    let (max_pages, concurrency) = window_options(&options);
    let info = paging.info;
    super::paginate(start, max_pages, concurrency, move |page: u64| {
        let (client, options) = (client.clone(), options.clone());
        let request = first.try_clone().map(|mut r| {
            r.set_query(param, page.to_string());
            r
        });
        async move {
            let request = request.expect("cloneable: checked in `pages`");
            let (reply, mut position, last) = fetch(&client, &options, request, info).await?;
            // A `Link: <..?page=N>; rel="last"` gives the last page.
            if position.total_pages.is_none() {
                position.total_pages = last.as_deref().and_then(|u| query_of(u, param)).and_then(|v| v.parse().ok());
            }
            Ok((reply, position))
        }
    })
}

/// Offsets in a query parameter, fetched ahead once the page size is known.
fn offsets<R, E>(
    client: Client,
    options: RequestOptions,
    first: Request,
    param: &'static str,
    paging: Paging<R>,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send + 'static
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: super::ErrorBody + Send + 'static,
{
    let start = first.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let asked = paging.size.and_then(|(p, default)| first.query_value(p).and_then(|v| v.parse().ok()).or(default));
    // The page size: what the request or the spec says, else the first
    // page's length. Page `n` (from 1) starts at `start + (n - 1) * size`;
    // only page 1 is asked for before the size is known.
    let size = Arc::new(AtomicU64::new(asked.unwrap_or(0)));
    let (max_pages, concurrency) = window_options(&options);
    let info = paging.info;
    super::paginate(1, max_pages, concurrency, move |page: u64| {
        let (client, options, size) = (client.clone(), options.clone(), size.clone());
        let offset = start + (page - 1) * size.load(Ordering::SeqCst);
        let request = first.try_clone().map(|mut r| {
            r.set_query(param, offset.to_string());
            r
        });
        async move {
            let request = request.expect("cloneable: checked in `pages`");
            let (reply, mut position, _) = fetch(&client, &options, request, info).await?;
            let per_page = position.per_page.map(|p| p as u64).filter(|p| *p > 0);
            let known = size.load(Ordering::SeqCst);
            if known == 0 {
                size.store(per_page.unwrap_or(position.items as u64).max(1), Ordering::SeqCst);
            }
            // Totals count items from offset 0: in pages from `start`.
            let step = size.load(Ordering::SeqCst).max(1) as f64;
            position.total_pages = position.total_count.map(|c| ((c - start as f64) / step).ceil().max(0.0));
            position.total_count = None;
            Ok((reply, position))
        }
    })
}

fn window_options(options: &RequestOptions) -> (Option<u64>, usize) {
    (options.max_pages, options.concurrency.unwrap_or(super::retry::DEFAULT_CONCURRENCY))
}

/// The value of query parameter `name` in a URL.
fn query_of(url: &str, name: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).or_else(|_| reqwest::Url::parse("http://x/")?.join(url)).ok()?;
    parsed.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The `rel="next"` and `rel="last"` targets of a `Link` header (RFC 8288).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Links {
    pub(super) next: Option<String>,
    pub(super) last: Option<String>,
}

impl Links {
    pub(super) fn parse(header: &str) -> Links {
        let mut links = Links::default();
        let mut rest = header;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>') else { break };
            let target = rest[open + 1..open + close].trim().to_owned();
            let after = &rest[open + close + 1..];
            let params = &after[..after.find('<').unwrap_or(after.len())];
            for param in params.split(';') {
                let Some((key, value)) = param.split_once('=') else { continue };
                if !key.trim().eq_ignore_ascii_case("rel") {
                    continue;
                }
                let value = value.trim().trim_end_matches(',').trim().trim_matches('"');
                for rel in value.split_whitespace() {
                    match rel.to_ascii_lowercase().as_str() {
                        "next" => links.next = Some(target.clone()),
                        "last" => links.last = Some(target.clone()),
                        _ => {}
                    }
                }
            }
            rest = after;
        }
        links
    }
}

/// Every item of every page, in order: `take` moves a reply's items out.
#[doc(hidden)]
pub fn items<R, T, E>(
    pages: impl futures_util::Stream<Item = Result<R, Error<E>>> + Send + 'static,
    take: fn(R) -> Vec<T>,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + Send + 'static
where
    R: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    use futures_util::TryStreamExt as _;
    pages.map_ok(move |reply| futures_util::stream::iter(take(reply).into_iter().map(Ok))).try_flatten()
}
