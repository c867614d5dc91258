//! Fetching ahead for listings whose pages can be asked for by number
//! (page numbers, offsets): a window of requests in flight, yielded in
//! order, and where the listing stops. Nothing here knows how a page number
//! goes on the wire; `paging` says that.

use super::Error;
use super::paging::PageInfo;

/// Streams the pages of a listing whose pages can be asked for by number,
/// starting at `start`.
/// Dropping the stream cancels the requests in flight.
///
/// Pages are numbered as the fetch function takes them. It stops after an
/// empty page (which is not yielded); after the page that `total_pages`,
/// or `total_count` with `per_page`, or `has_more: false` says is the last
/// (so no extra request is made); after `max_pages` pages; or after an error, which
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
        if info.has_more == Some(false) {
            // The reply says it is the last (no next link, `has_more: false`).
            self.last = Some(self.last.map_or(page, |l| l.min(page)));
        } else if let Some(total) = total {
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
