//! The listing benchmark's server (`benches/support/server.rs`): gzip when
//! the request allows it, counting requests and the most in flight, and the
//! shared token bucket's arithmetic (at given instants: no timing here).

#[path = "../benches/support/server.rs"]
mod server;

use server::{Bucket, Pages, Profile, Source, accepts_gzip, serve};
use std::io::Read as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn gzip_is_allowed_by_name_or_star_with_a_weight_above_zero() {
    for (header, want) in [
        (None, false),
        (Some(""), false),
        (Some("gzip"), true),
        (Some("GZip"), true),
        (Some("x-gzip"), true),
        (Some("br, zstd, gzip, deflate"), true),
        (Some("br;q=1.0, gzip;q=0.5"), true),
        (Some("gzip;q=0"), false),
        (Some("gzip; q=0.000"), false),
        (Some("br, deflate"), false),
        (Some("identity"), false),
        (Some("*"), true),
        (Some("*;q=0"), false),
        (Some("*, gzip;q=0"), false),
        (Some("gzip;q=0.1, *;q=0"), true),
    ] {
        assert_eq!(accepts_gzip(header), want, "{header:?}");
    }
}

fn pages() -> Vec<Vec<u8>> {
    (1..=3).map(|p| tests::audit_log_page(p, 20, Some(3)).into_bytes()).collect()
}

#[tokio::test]
async fn replies_gzipped_only_when_the_request_allows_it() {
    let bodies = pages();
    let server = serve(Source::Pages(Arc::new(Pages::with_gzip(bodies.clone()))), Profile::LOOPBACK).await;
    // No automatic decompression: the bytes as sent.
    let http = cloudflare_api::reqwest::Client::builder().no_gzip().no_brotli().no_zstd().no_deflate().build().unwrap();
    for (accept, gzipped) in [(None, false), (Some("gzip, br"), true), (Some("br"), false), (Some("gzip;q=0"), false)] {
        let mut request = http.get(format!("{}/x?per_page=20&page=2", server.url));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let reply = request.send().await.unwrap();
        assert_eq!(reply.status(), 200);
        let encoding = reply.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
        let body = reply.bytes().await.unwrap();
        if gzipped {
            assert_eq!(encoding.as_deref(), Some("gzip"), "{accept:?}");
            assert!(body.len() < bodies[1].len() / 2);
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut plain).unwrap();
            assert_eq!(plain, bodies[1]);
        } else {
            assert_eq!(encoding, None, "{accept:?}");
            assert_eq!(body, bodies[1]);
        }
        assert_eq!(server.stats.last_accept_encoding().as_deref(), accept);
    }
    assert_eq!(server.stats.requests(), 4);
    assert_eq!(server.stats.gzip_replies(), 1);
    let missing = http.get(format!("{}/x?page=4", server.url)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_requests_and_the_most_in_flight() {
    // Think time keeps the concurrent requests open together.
    let profile = Profile { think: Duration::from_millis(300), bandwidth: Some(1e9) };
    let bodies = pages();
    let total: usize = bodies.iter().map(Vec::len).sum();
    let server = serve(Source::Pages(Arc::new(Pages::identity(bodies))), profile).await;
    let http = cloudflare_api::reqwest::Client::new();
    let get = |page: usize| {
        let request = http.get(format!("{}/x?page={page}", server.url)).send();
        async move { request.await.unwrap().bytes().await.unwrap().len() }
    };
    let (a, b, c) = tokio::join!(get(1), get(2), get(3));
    assert_eq!(a + b + c, total);
    assert_eq!(server.stats.requests(), 3);
    assert_eq!(server.stats.max_in_flight(), 3);
    assert!(server.stats.bytes_sent() > total as u64, "bodies and heads");
    server.stats.reset();
    for page in 1..=2 {
        get(page).await;
    }
    assert_eq!(server.stats.requests(), 2);
    assert_eq!(server.stats.max_in_flight(), 1);
}

#[test]
fn the_bucket_serves_takers_in_turn_at_its_rate() {
    let bucket = Bucket::new(1000.0, 500.0);
    let t0 = Instant::now();
    // A full bucket lets a burst through at once.
    assert_eq!(bucket.reserve(500, t0), Duration::ZERO);
    // Then each taker waits for its own bytes and for those before it.
    assert_eq!(bucket.reserve(250, t0), Duration::from_millis(250));
    assert_eq!(bucket.reserve(250, t0), Duration::from_millis(500));
    // Time pays the debt back.
    assert_eq!(bucket.reserve(100, t0 + Duration::from_millis(500)), Duration::from_millis(100));
    // After a long idle time it holds no more than the burst.
    assert_eq!(bucket.reserve(600, t0 + Duration::from_secs(10)), Duration::from_millis(100));
}
