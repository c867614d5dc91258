//! `cargo xtask mock-test` on its own fixture (`tests/mock/openapi.yaml`):
//! every operation passes against Prism, and the same run on a mock server
//! whose description was changed after generation
//! (`tests/mock/broken-after-generation.yaml`: a parameter's style, a reply's type)
//! reports exactly the operations it broke, with Prism's and the decoder's
//! reasons. Needs Node.js (Prism is installed into `target/prism`).

use xtask::{MockArgs, mock_test};

fn args(out: &str) -> MockArgs {
    let root = xtask::workspace_root();
    let mut args = xtask::mock_args(&root);
    args.spec = root.join("tests/mock/openapi.yaml");
    args.out = Some(root.join("target/mock-test").join(out));
    args
}

#[test]
fn every_operation_passes_and_a_broken_request_or_reply_is_reported() {
    let report = mock_test(&args("fixture")).unwrap();
    assert!(report.ok(), "{}", report.text);
    assert_eq!(report.counts[2].operations, 3, "{}", report.text);
    assert_eq!(report.counts[2].passed, 3, "{}", report.text);
    assert!(report.text.ends_with("mock test: 3 operations, 3 passed, 0 failed, 0 not run\n"), "{}", report.text);
    // The example whose `born` is no date is named, and counted apart.
    let defect = "description defect: #/paths/~1pets/post/responses/201/content/application~1json/example does not meet its schema";
    assert!(report.text.contains(defect), "{}", report.text);
    assert!(report.text.contains("description defects: 1 examples"), "{}", report.text);

    let mut broken = args("fixture-broken");
    broken.mock_overlays.push(xtask::workspace_root().join("tests/mock/broken-after-generation.yaml"));
    let report = mock_test(&broken).unwrap();
    assert!(!report.ok());
    assert_eq!((report.counts[2].passed, report.counts[2].failed), (1, 2), "{}", report.text);
    let line = |id: &str| report.text.lines().find(|l| l.starts_with(&format!("{id}: "))).unwrap_or_default().to_owned();
    // Prism splits `ids=1|2` on commas now, and says so.
    let list = line("list-pets");
    assert!(list.contains("every argument, with examples: 422") && list.contains("query.ids"), "{}", report.text);
    // The reply's `id` is no number now: it meets the changed description
    // and does not decode, which is the client's failure.
    let get = line("get-pet");
    assert!(get.contains("with examples: could not decode the 200 OK reply at `id`"), "{}", report.text);
    assert!(!get.contains("does not meet the description"), "{}", report.text);
    assert!(line("create-pet").is_empty(), "{}", report.text);
    assert!(report.text.ends_with("mock test: 3 operations, 1 passed, 2 failed, 0 not run\n"), "{}", report.text);
}
