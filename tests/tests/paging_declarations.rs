//! Paging declared in the options: a rule that matches nothing, or names a
//! parameter or field the operation does not have, is a diagnostic located
//! in the options file, and the operation it names is left unpaged rather
//! than paged wrongly. Declarations win over what is recognised.

fn generate(options_yaml: &str) -> codegen::Output {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join("tests/fixtures/paging.yaml")).unwrap();
    let mut options = codegen::Options::from_yaml(options_yaml).unwrap();
    options.source = Some("paging.sdk.yaml".into());
    codegen::generate(&spec, &options).unwrap()
}

fn paging_diagnostics(output: &codegen::Output) -> Vec<String> {
    output
        .diagnostics
        .0
        .iter()
        .filter(|d| d.kind == codegen::Kind::PagingDeclaration)
        .map(|d| format!("{}{} {}", d.file.as_deref().unwrap_or(""), d.pointer, d.message))
        .collect()
}

fn pages_method(output: &codegen::Output, name: &str) -> bool {
    output.files.iter().any(|f| f.contents.contains(&format!("pub fn {name}_pages(")))
}

#[test]
fn rules_that_match_nothing_or_name_what_is_not_there_are_reported() {
    let output = generate(
        r#"
paging:
  - operations: ["no-such-operation", "GET /nowhere/*"]
    scheme: page
    param: page
  - operations: ["list-messages"]
    scheme: cursor
    param: after
    next: $last.uid
  - operations: ["GET /cursors"]
    scheme: cursor
    param: token
    next: result_info.cursor
  - operations: ["list-objects"]
    scheme: offset
    param: limit
    items: data.rows
"#,
    );
    let found = paging_diagnostics(&output);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].starts_with("paging.sdk.yaml#/paging/0 ") && found[0].contains("matches no operation"), "{}", found[0]);
    assert!(found.iter().any(|d| d.starts_with("paging.sdk.yaml#/paging/1/next") && d.contains("no property `uid`")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("paging.sdk.yaml#/paging/2/param") && d.contains("no query parameter `token`")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("paging.sdk.yaml#/paging/3/items") && d.contains("not an object")), "{found:#?}");
    // What a broken rule names is not paged at all (not even as recognised).
    for op in ["list_messages", "list_cursors", "list_objects"] {
        assert!(!pages_method(&output, op), "{op} is paged");
    }
    assert!(pages_method(&output, "list_numbered"), "operations no rule names are still recognised");
    assert!(!output.diagnostics.has_errors(), "a paging rule never leaves an operation out");
}

#[test]
fn declarations_win_and_none_turns_paging_off() {
    let output = generate(
        r#"
paging:
  - operations: ["list-numbered"]
    scheme: none
  - operations: ["list-messages"]
    scheme: cursor
    param: before
    items: "."
    next: $last.id
"#,
    );
    assert!(paging_diagnostics(&output).is_empty(), "{:#?}", paging_diagnostics(&output));
    assert!(!pages_method(&output, "list_numbered"));
    assert!(pages_method(&output, "list_messages"));
    let c = &output.coverage;
    assert_eq!(c.paged.get("cursor").copied(), Some((2, 1)), "{:?}", c.paged);
    assert!(output.files.iter().any(|f| f.contents.contains("param: \"before\"")));
}
