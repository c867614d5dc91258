//! Names the maintainer chooses (`rename:` in the options file) win over
//! the generator's, carry over to the types named after them, and an entry
//! that names nothing is a warning located in the options file.

use std::path::Path;

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/naming.yaml")
}

fn generate(options_yaml: &str) -> codegen::Output {
    let sources = xtask::read_sources(&fixture()).unwrap();
    let mut options = codegen::Options::from_yaml(options_yaml).unwrap();
    options.source = Some("sdk.yaml".to_owned());
    codegen::generate_sources(&sources, &[], &options).unwrap()
}

fn file<'o>(output: &'o codegen::Output, path: &str) -> &'o str {
    &output.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

#[test]
fn renamed_types_groups_and_methods_replace_the_generated_ones() {
    let output = generate(
        "rename:\n  types:\n    shop_order: Purchase\n    PurchaseInput: Input\n    Nope: Never\n  groups:\n    ShopV1Refunds: returns\n  methods:\n    createOrder: place\n    GET /refunds: every\n",
    );
    let types = file(&output, "src/types.rs");
    for want in ["pub struct Purchase {", "pub enum PurchaseModel {", "pub enum Input {", "pub struct Card {"] {
        assert!(types.contains(want), "{want} in types.rs");
    }
    for gone in ["pub struct Order {", "pub enum PurchaseInput {", "OrderInput"] {
        assert!(!types.contains(gone), "{gone} is renamed");
    }
    let client = file(&output, "src/client.rs");
    assert!(client.contains("pub fn returns(&self)"), "group renamed:\n{client}");
    assert!(file(&output, "src/api/orders.rs").contains("pub async fn place("));
    assert!(file(&output, "src/api/returns.rs").contains("pub async fn every("));

    let unused: Vec<String> = output
        .diagnostics
        .0
        .iter()
        .filter(|d| d.kind == codegen::Kind::Rename)
        .map(|d| format!("{}{} {}", d.file.as_deref().unwrap_or(""), d.pointer, d.message))
        .collect();
    assert_eq!(unused, ["sdk.yaml#/rename/types/Nope `Nope` names no type of this description; nothing is renamed"]);
}

#[test]
fn a_rename_onto_a_taken_name_is_a_name_clash() {
    let output = generate("rename:\n  types:\n    shop_refund: Card\n");
    let clashes: Vec<&str> =
        output.diagnostics.0.iter().filter(|d| d.kind == codegen::Kind::NameClash).map(|d| d.message.as_str()).collect();
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    assert!(clashes[0].contains("`Card`"), "{clashes:?}");
    let types = file(&output, "src/types.rs");
    assert!(types.contains("pub struct Card {") && types.contains("pub struct Card2 {"));
}
