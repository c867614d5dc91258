//! The environment variables a generated client reads: named from what
//! each scheme's key means and what each credential is, unless the options
//! name them (one variable for a scheme of one credential, a map for
//! several); what the options name that fits nothing is a diagnostic in
//! the options file, and the generated README lists every variable.

fn generate(options_yaml: &str) -> codegen::Output {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join("tests/fixtures/security.yaml")).unwrap();
    let mut options = codegen::Options::from_yaml(options_yaml).unwrap();
    options.source = Some("sdk.yaml".into());
    codegen::generate(&spec, &options).unwrap()
}

fn file<'a>(output: &'a codegen::Output, path: &str) -> &'a str {
    &output.files.iter().find(|f| f.path == path).unwrap().contents
}

fn env_diagnostics(output: &codegen::Output) -> Vec<String> {
    output
        .diagnostics
        .0
        .iter()
        .filter(|d| d.kind == codegen::Kind::EnvVariable)
        .map(|d| format!("{}{} {}", d.file.as_deref().unwrap_or(""), d.pointer, d.message))
        .collect()
}

#[test]
fn variables_are_named_from_the_scheme_and_the_credential() {
    let output = generate("{}");
    assert!(env_diagnostics(&output).is_empty());
    let readme = file(&output, "README.md");
    for line in [
        "- `SECURE_BASE_URL`: base URL (default `https://eu.example.test/api`)",
        "- `SECURE_USERNAME`, `SECURE_PASSWORD`: the username and password of `basic` (HTTP Basic)",
        "- `SECURE_CLIENT_CERT`, `SECURE_CLIENT_KEY`: the client certificate and private key of `client_cert` (PEM text, or the path of a PEM file)",
        "- `SECURE_CLIENT_ID`, `SECURE_CLIENT_SECRET`: the OpenID Connect client id and secret of `oidc` (tokens are fetched from the token endpoint its discovery document names, and refreshed)",
        "- `SECURE_ACCESS_TOKEN`: an access token for `oidc`, used when no client credentials are set",
        "- `SECURE_PARTNER_CLIENT_ID`, `SECURE_PARTNER_CLIENT_SECRET`: the OAuth2 client id and secret of `partner` (tokens are fetched from `/oauth/token` and refreshed)",
        "- `SECURE_PARTNER_ACCESS_TOKEN`: an access token for `partner`, used when no client credentials are set",
        "- `SECURE_USER_ACCESS_TOKEN`: an OAuth2 access token for `user_oauth`",
        "- `SECURE_KEY`: the API key of `key` (header `X-Key`)",
        "- `SECURE_QUERY_KEY`: the API key of `query_key` (query parameter `api_key`)",
        "- `SECURE_SESSION`: the API key of `session` (cookie `sid`)",
        "- `SECURE_SIGNATURE_TOKEN`: the `Signature` token of `signature`",
        "- `SECURE_TOKEN`: the bearer token of `token`",
    ] {
        assert!(readme.lines().any(|l| l == line), "missing {line:?} in\n{readme}");
    }
}

#[test]
fn the_options_name_each_credential_and_todays_files_stay_valid() {
    let output = generate(
        r#"
env:
  basic: {username: ACME_ACCOUNT, password: ACME_SECRET}
  partner: {client_id: ACME_CLIENT, client_secret: ACME_CLIENT_SECRET}
  token: ACME_API_TOKEN          # one credential: one name, as before
  user_oauth: ACME_USER_TOKEN    # OAuth2: one name is the access token
  base_url: ACME_URL
"#,
    );
    assert!(env_diagnostics(&output).is_empty(), "{:#?}", env_diagnostics(&output));
    let client = file(&output, "src/client.rs");
    for (scheme, vars) in [
        ("basic", r#"env: &["ACME_ACCOUNT", "ACME_SECRET"]"#),
        // What the map leaves out keeps its default name.
        ("partner", r#""SECURE_PARTNER_ACCESS_TOKEN", "ACME_CLIENT", "ACME_CLIENT_SECRET""#),
        ("token", r#"env: &["ACME_API_TOKEN"]"#),
        ("user_oauth", r#"env: &["ACME_USER_TOKEN"]"#),
    ] {
        let spec = client.split("crate::runtime::SchemeSpec {").find(|s| s.contains(&format!("name: \"{scheme}\""))).unwrap();
        let spec: String = spec.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(spec.contains(vars), "{scheme}: {spec}");
    }
    assert!(client.contains(r#"base_url_env: "ACME_URL""#));
}

#[test]
fn names_that_fit_no_credential_are_reported_in_the_options_file() {
    let output = generate(
        r#"
env:
  basic: ACME_BASIC              # two credentials: one name fits neither
  partner: {client_key: X}       # no such credential
  nothing: Y                     # no such scheme
  key: ACME_SHARED
  email: ACME_SHARED             # one variable for two credentials
"#,
    );
    let found = env_diagnostics(&output);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("sdk.yaml#/env/basic ") && d.contains("several credentials (username, password)")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("sdk.yaml#/env/partner/client_key ") && d.contains("no credential `client_key`")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("sdk.yaml#/env/nothing ") && d.contains("not a security scheme")), "{found:#?}");
    assert!(found.iter().any(|d| d.starts_with("#/components/securitySchemes/key ") && d.contains("`ACME_SHARED` is read for both")), "{found:#?}");
    // The scheme whose name did not fit keeps its defaults.
    assert!(file(&output, "src/client.rs").contains(r#""SECURE_USERNAME", "SECURE_PASSWORD""#));
}
