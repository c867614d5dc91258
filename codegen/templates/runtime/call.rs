//! The one path every call takes: send the prepared request (credentials,
//! retries), read its status against the operation's declared replies, and
//! hand back what the generated method promises (a decoded body, nothing,
//! bytes, a stream, or the raw reply).
//!
//! These are free functions, not `Client` methods, so that no name of ours
//! can clash with a group accessor generated on `Client`.

use super::client::Client;
use super::reply::{ByteStream, Reply};
use super::request::Request;
use super::retry::RequestOptions;
use super::{Error, ErrorBody};

/// Sends `request` and reads the status against its operation's
/// declared replies: an error status becomes [`Error::Api`].
#[doc(hidden)]
pub async fn execute<E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
) -> Result<Reply, Error<E>> {
    let op = request.op;
    let response = super::client::send(client, request, options).await?;
    checked(client, op, response).await
}

/// A reply whose status the operation declares a success, else
/// [`Error::Api`] with the body decoded as `E` when it fits.
pub(super) async fn checked<E: ErrorBody>(
    client: &Client,
    op: &'static super::Operation,
    response: reqwest::Response,
) -> Result<Reply, Error<E>> {
    let reply = Reply::new(response, super::client::request_id_header(client));
    if op.is_success(reply.status()) { Ok(reply) } else { Err(reply.into_error(true).await) }
}

/// [`execute`], decoding a JSON success body into `T`.
#[doc(hidden)]
pub async fn json<T: serde::de::DeserializeOwned + Send + 'static, E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
) -> Result<T, Error<E>> {
    Ok(execute(client, request, options).await?.json().await?)
}

/// [`execute`] for a reply without a body worth decoding.
#[doc(hidden)]
pub async fn empty<E: ErrorBody>(client: &Client, request: Request, options: &RequestOptions) -> Result<(), Error<E>> {
    execute(client, request, options).await.map(drop)
}

/// [`execute`], handing back the whole body.
#[doc(hidden)]
pub async fn bytes<E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
) -> Result<super::Bytes, Error<E>> {
    Ok(execute(client, request, options).await?.bytes().await?)
}

/// [`execute`], handing back the body as it arrives.
#[doc(hidden)]
pub async fn stream<E: ErrorBody>(
    client: &Client,
    request: Request,
    options: &RequestOptions,
) -> Result<ByteStream, Error<E>> {
    Ok(execute(client, request, options).await?.into_stream())
}

/// Sends `request` and hands back the reply whatever its status.
#[doc(hidden)]
pub async fn raw<E>(client: &Client, request: Request, options: &RequestOptions) -> Result<ByteStream, Error<E>> {
    Ok(ByteStream::new(super::client::send(client, request, options).await?))
}
