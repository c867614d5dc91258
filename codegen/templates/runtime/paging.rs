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
/// With `concurrency` above 1, once a reply says how many pages there are,
/// up to `concurrency` of the following pages are fetched at once; pages are
/// still yielded in order, and at most `concurrency` are held at a time.
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
    use futures_util::StreamExt as _;
    type Ahead<R, E> = std::pin::Pin<
        Box<dyn futures_util::Stream<Item = (u64, Result<(R, PageInfo), Error<E>>)> + Send>,
    >;
    struct State<F, R, E> {
        fetch: Option<F>,
        ahead: Option<Ahead<R, E>>,
        page: u64,
        fetched: u64,
        max_pages: Option<u64>,
        concurrency: usize,
        previous: Option<u64>,
        done: bool,
    }
    let state = State {
        fetch: Some(fetch),
        ahead: None,
        page: start,
        fetched: 0,
        max_pages,
        concurrency,
        previous: None,
        done: false,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        if st.done || st.max_pages.is_some_and(|m| st.fetched >= m) {
            return None;
        }
        let (page, result) = match (&mut st.ahead, &mut st.fetch) {
            (Some(ahead), _) => ahead.next().await?,
            (None, Some(fetch)) => (st.page, fetch(st.page).await),
            (None, None) => return None,
        };
        let (reply, info) = match result {
            Ok(ok) => ok,
            Err(e) => {
                st.done = true;
                return Some((Err(e), st));
            }
        };
        st.fetched += 1;
        if info.items == 0 {
            return None;
        }
        if st.previous == Some(info.fingerprint) {
            st.done = true;
            tracing::warn!(page, "page repeats the previous one; stopping");
            return Some((Err(Error::PagingStalled { page }), st));
        }
        st.previous = Some(info.fingerprint);
        st.page = page + 1;
        let n = page as f64;
        let total_pages = info.total_pages.or_else(|| match (info.total_count, info.per_page) {
            (Some(c), Some(p)) if p > 0.0 => Some((c / p).ceil()),
            _ => None,
        });
        if total_pages.is_some_and(|t| n >= t) {
            st.done = true;
        } else if let (Some(total), true, None) = (total_pages, st.concurrency > 1, &st.ahead) {
            // The rest is known: fetch ahead, in order, a few at a time.
            let mut last = total as u64;
            if let Some(m) = st.max_pages {
                last = last.min(page + m.saturating_sub(st.fetched));
            }
            if let Some(mut fetch) = st.fetch.take() {
                let rest = futures_util::stream::iter(page + 1..=last)
                    .map(move |p| {
                        let fut = fetch(p);
                        async move { (p, fut.await) }
                    })
                    .buffered(st.concurrency);
                st.ahead = Some(Box::pin(rest));
            }
        }
        Some((Ok(reply), st))
    })
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
    let concurrency = options.concurrency.unwrap_or(1);
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
