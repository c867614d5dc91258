//! Listings that can only go from one reply to the next: a cursor or token
//! (or the last item's id) sent back as a parameter, or a next-page URL to
//! follow. One page at a time; where it stops and how it notices a server
//! that repeats itself.

use super::client::Client;
use super::paging::{PageInfo, Paging, Scheme, fetch};
use super::request::Request;
use super::retry::RequestOptions;
use super::Error;

struct State<R> {
    client: Client,
    options: RequestOptions,
    /// The first request; every later one is a copy with the cursor set,
    /// or the next URL to follow.
    first: Request,
    /// The request for the next page, if there is one.
    next: Option<Request>,
    paging: Paging<R>,
    /// Pages yielded so far.
    pages: u64,
    /// The previous page's fingerprint and what led past it.
    previous: Option<(u64, Option<String>)>,
    /// A page whose reply led back to itself: the error to yield next.
    stalled: Option<u64>,
}

/// Every page, following what each reply says leads to the next.
pub(super) fn follow<R, E>(
    client: Client,
    options: RequestOptions,
    first: Request,
    paging: Paging<R>,
) -> impl futures_util::Stream<Item = Result<R, Error<E>>> + Send + 'static
where
    R: serde::de::DeserializeOwned + Send + 'static,
    E: super::ErrorBody + Send + 'static,
{
    let next = first.try_clone();
    let state = State { client, options, first, next, paging, pages: 0, previous: None, stalled: None };
    futures_util::stream::unfold(state, |mut st| async move {
        if let Some(page) = st.stalled.take() {
            return Some((Err(Error::PagingStalled { page }), st));
        }
        if st.options.max_pages.is_some_and(|m| st.pages >= m) {
            return None;
        }
        let request = st.next.take()?;
        let (reply, position) = match fetch(&st.client, &st.options, request, st.paging.info).await {
            Ok((reply, position, _)) => (reply, position),
            Err(e) => return Some((Err(e), st)),
        };
        if position.items == 0 {
            return None;
        }
        st.pages += 1;
        let page = st.pages;
        let led_on = position.next.clone().filter(|n| !n.is_empty());
        let (same_page, same_cursor) = match &st.previous {
            Some((fingerprint, cursor)) => (*fingerprint == position.fingerprint, led_on.is_some() && *cursor == led_on),
            None => (false, false),
        };
        if same_page {
            // The server ignored what led here: the page it served is the last one again.
            tracing::warn!(page, "page repeats the previous one; stopping");
            return Some((Err(Error::PagingStalled { page }), st));
        }
        st.previous = Some((position.fingerprint, led_on.clone()));
        if same_cursor {
            // A new page, but it leads where the last one did: asking again
            // would serve this page once more.
            tracing::warn!(page, "page leads back to itself; stopping after it");
            st.stalled = Some(page);
            return Some((Ok(reply), st));
        }
        st.next = st.next_request(&position, led_on);
        Some((Ok(reply), st))
    })
}

impl<R> State<R> {
    /// The request for the page after one at `position`, unless it was the last.
    fn next_request(&self, position: &PageInfo, led_on: Option<String>) -> Option<Request> {
        if position.has_more == Some(false) {
            return None;
        }
        let target = led_on?;
        let mut request = self.first.try_clone()?;
        match self.paging.scheme {
            Scheme::Cursor { param } => {
                request.set_query(param, target);
            }
            Scheme::NextUrl => {
                request.follow(target);
            }
            // Numbered schemes never come here.
            Scheme::Page { .. } | Scheme::Offset { .. } => return None,
        }
        Some(request)
    }
}
