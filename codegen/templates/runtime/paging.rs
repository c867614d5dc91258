//! Paged listings as streams: the generic loop ([`paginate`]: where it
//! stops, stall detection, fetching ahead) and its use for page-numbered
//! operations ([`page_numbers`], [`items`]). Generated code supplies only
//! how to read a page's position from its reply.

use std::fmt;

use super::client::Client;
use super::request::Request;
use super::retry::RequestOptions;
use super::{Error, Refused};

/// Where a page stands, as far as its reply says.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PageInfo {
    /// Items on this page.
    pub items: usize,
    /// Identifies the page's content, to notice a page served twice.
    pub fingerprint: u64,
    /// `total_pages`, if the reply says.
    pub total_pages: Option<f64>,
    /// `total_count`, if the reply says.
    pub total_count: Option<f64>,
    /// The page size the server used, if the reply says.
    pub per_page: Option<f64>,
}

/// A fingerprint of a page's items (count, first and last), enough to
/// notice a server that ignores the page number.
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

/// Streams the pages of a page-numbered listing, starting at `start`.
/// Dropping the stream cancels the requests in flight.
///
/// It stops after an empty page (which is not yielded); after the page that
/// `total_pages`, or `total_count` with `per_page`, says is the last (so no
/// extra request is made); after `max_pages` pages; or after an error, which
/// is yielded. A page with the same content as the one before (a server
/// ignoring the page number) ends the stream with [`Error::PagingStalled`]
/// instead of looping forever.
///
/// Up to `concurrency` pages are fetched at once, yielded in order; at most
/// `concurrency` requests are in flight and as many pages held. Once a reply
/// says how many pages there are, the window is full at once and nothing
/// past the last page is requested. Without a total, the window starts at
/// one page and doubles after each page as full as the largest before it
/// (so a listing of one or two pages costs what one at a time does); the
/// listing still ends only at an empty page, and a page with fewer items
/// than the largest so far stops the speculation (the rest is fetched one
/// at a time). What speculation
/// can cost is the pages already in flight when the empty page arrives: at
/// most `concurrency - 1` requests more than one at a time would make.
pub fn paginate<R, E, F, Fut>(
    start: u64,
    max_pages: Option<u64>,
    concurrency: usize,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send
where
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(R, PageInfo), Error<E>>> + Send + 'static,
    R: Send + 'static,
    E: Send + 'static,
{
    let state = Window {
        fetch,
        in_flight: futures_util::stream::FuturesOrdered::new(),
        next: start,
        window: 1,
        concurrency: concurrency.max(1),
        last: max_pages.map(|m| start.saturating_add(m).saturating_sub(1)),
        largest: 0,
        previous: None,
        done: max_pages == Some(0),
    };
    futures_util::stream::unfold(state, |mut st| async move {
        use futures_util::StreamExt as _;
        if st.done {
            return None;
        }
        st.fill();
        let (page, result) = st.in_flight.next().await?;
        let (reply, info) = match result {
            Ok(ok) => ok,
            Err(e) => {
                st.done = true;
                return Some((Err(e), st));
            }
        };
        if info.items == 0 {
            return None;
        }
        if st.previous == Some(info.fingerprint) {
            st.done = true;
            tracing::warn!(page, "page repeats the previous one; stopping");
            return Some((Err(Error::PagingStalled { page }), st));
        }
        st.previous = Some(info.fingerprint);
        st.advance(page, &info);
        Some((Ok(reply), st))
    })
}

/// A page's request, tagged with its number.
type Pending<R, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = (u64, Result<(R, PageInfo), Error<E>>)> + Send>>;

/// The state of [`paginate`]: the pages in flight and how far to look ahead.
struct Window<F, R, E> {
    fetch: F,
    in_flight: futures_util::stream::FuturesOrdered<Pending<R, E>>,
    /// The next page to request.
    next: u64,
    /// Pages allowed in flight now.
    window: usize,
    concurrency: usize,
    /// The last page to request, once known (a total, or `max_pages`).
    last: Option<u64>,
    /// The most items a page has had.
    largest: usize,
    /// The previous page's fingerprint.
    previous: Option<u64>,
    done: bool,
}

impl<F, Fut, R, E> Window<F, R, E>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<(R, PageInfo), Error<E>>> + Send + 'static,
    R: Send + 'static,
    E: Send + 'static,
{
    /// Requests pages until the window is full or the last page is asked for.
    fn fill(&mut self) {
        while self.in_flight.len() < self.window && self.last.is_none_or(|last| self.next <= last) {
            let page = self.next;
            let fut = (self.fetch)(page);
            self.in_flight.push_back(Box::pin(async move { (page, fut.await) }));
            self.next += 1;
        }
    }

    /// Takes in what page `page` says about the listing.
    fn advance(&mut self, page: u64, info: &PageInfo) {
        let total = info.total_pages.or_else(|| match (info.total_count, info.per_page) {
            (Some(c), Some(p)) if p > 0.0 => Some((c / p).ceil()),
            _ => None,
        });
        if let Some(total) = total {
            let total = total.max(0.0) as u64;
            self.last = Some(self.last.map_or(total, |l| l.min(total)));
            self.window = self.concurrency;
        } else if info.items < self.largest {
            self.window = 1;
        } else if self.largest > 0 {
            // Two pages as full as any so far: the listing goes on.
            self.window = (self.window * 2).min(self.concurrency);
        }
        self.largest = self.largest.max(info.items);
        if self.last.is_some_and(|last| page >= last) {
            self.done = true;
        }
    }
}

/// Every page of a page-numbered listing: `request` is sent once per page
/// with the query parameter `param` set to the page number, from `start`
/// on; `info` reads where a reply stands. See [`paginate`] for when it stops.
#[doc(hidden)]
pub fn page_numbers<R, E>(
    client: &Client,
    options: &RequestOptions,
    request: Result<Request, Refused>,
    param: &'static str,
    start: u64,
    info: fn(&R) -> PageInfo,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send + 'static
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: serde::de::DeserializeOwned + Send + 'static,
{
    use futures_util::StreamExt as _;
    let client = client.clone();
    let options = options.clone();
    let max_pages = options.max_pages;
    let concurrency = options.concurrency.unwrap_or(super::retry::DEFAULT_CONCURRENCY);
    let template = match request {
        Ok(request) => request,
        Err(refused) => return futures_util::stream::once(async move { Err(refused.into()) }).left_stream(),
    };
    let fetch = move |page: u64| {
        let client = client.clone();
        let options = options.clone();
        let request = template.try_clone().map(|mut r| {
            r.set_query(param, page.to_string());
            r
        });
        async move {
            let Some(request) = request else {
                return Err(Error::InvalidParameter { name: "body", message: "a streamed body cannot be sent for every page".to_owned() });
            };
            let reply: R = super::call::json(&client, request, &options).await?;
            let position = info(&reply);
            Ok((reply, position))
        }
    };
    paginate(start, max_pages, concurrency, fetch).right_stream()
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
