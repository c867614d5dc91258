//! Streams declared in the options (`streams:` rules in `sdk.yaml`) over
//! `tests/fixtures/streams.yaml`: the body property that asks for a
//! stream, end markers and error events; a rule that matches no stream,
//! or names a body property the operation does not have (or one that is
//! not a boolean), is a diagnostic located in the options file; without a
//! rule, a boolean `stream` property is recognised.

fn generate(options_yaml: &str) -> codegen::Output {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join("tests/fixtures/streams.yaml")).unwrap();
    let mut options = codegen::Options::from_yaml(options_yaml).unwrap();
    options.source = Some("streams.sdk.yaml".into());
    codegen::generate(&spec, &options).unwrap()
}

fn declarations(output: &codegen::Output) -> Vec<String> {
    output
        .diagnostics
        .0
        .iter()
        .filter(|d| d.kind == codegen::Kind::StreamDeclaration)
        .map(|d| format!("{}{} {}", d.file.as_deref().unwrap_or(""), d.pointer, d.message))
        .collect()
}

fn file<'o>(output: &'o codegen::Output, path: &str) -> &'o str {
    &output.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

#[test]
fn the_stream_flag_is_recognised_without_a_rule() {
    let output = generate("{}");
    assert!(declarations(&output).is_empty());
    let chat = file(&output, "src/api/chat.rs");
    assert!(chat.contains(r#"body_selectors: &[("stream", "text/event-stream")],"#), "{chat}");
    assert!(chat.contains("rt::event_stream(self.client, request, &self.options, &rt::StreamSpec::SSE)"), "{chat}");
}

#[test]
fn rules_set_the_flag_the_end_and_error_events() {
    let output = generate(
        r#"
streams:
  - operations: ["POST /chat/*"]
    media: text/event-stream
    select: ""
    end: ["END", "[DONE]"]
    error_events: [failure, error]
  - operations: ["getExport"]
    end: ["{}"]
"#,
    );
    assert!(declarations(&output).is_empty(), "{:#?}", declarations(&output));
    let chat = file(&output, "src/api/chat.rs");
    assert!(!chat.contains("body_selectors"), "`select: \"\"` asks for nothing:\n{chat}");
    assert!(chat.contains(r#"end: &["END", "[DONE]"]"#) && chat.contains(r#"error_events: &["failure", "error"]"#), "{chat}");
    let exports = file(&output, "src/api/exports.rs");
    assert!(exports.contains(r#"end: &["{}"]"#), "{exports}");
}

#[test]
fn rules_that_match_nothing_or_name_what_is_not_there_are_reported() {
    let output = generate(
        r#"
streams:
  - operations: ["no-such-operation"]
    end: ["X"]
  - operations: ["createCompletion"]
    media: application/jsonl
  - operations: ["createCompletion"]
    select: max_tokens
  - operations: ["listRecords"]
    select: stream
"#,
    );
    let found = declarations(&output);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0..2].iter().all(|d| d.contains("no streamed reply")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("streams.sdk.yaml#/streams/0/operations")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("streams.sdk.yaml#/streams/1/operations")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("streams.sdk.yaml#/streams/2/select") && d.contains("no boolean body property `max_tokens`")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("streams.sdk.yaml#/streams/3/select") && d.contains("`listRecords`")), "{found:#?}");
    // A broken `select` leaves the stream unasked rather than asked wrongly.
    assert!(!file(&output, "src/api/chat.rs").contains("body_selectors"));
    assert!(!output.diagnostics.has_errors(), "a stream rule never leaves an operation out");
}
