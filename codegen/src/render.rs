//! Rendering: token streams to formatted source text (prettyplease), plus
//! the header line every generated file starts with.

use crate::GeneratedFile;
use crate::emit::Unit;

/// Formats one unit.
pub fn render(unit: Unit) -> GeneratedFile {
    match unit {
        Unit::Rust { path, tokens } => {
            let body = match syn::parse2::<syn::File>(tokens.clone()) {
                Ok(file) => prettyplease::unparse(&file),
                // Unreachable for a correct emitter; keep the raw tokens so
                // the compiler points at the problem instead of a panic here.
                Err(e) => format!("compile_error!({:?});\n{tokens}\n", e.to_string()),
            };
            GeneratedFile { path, contents: format!("// {}\n{}", crate::GENERATED_BY, space_items(&body)) }
        }
        Unit::Text { path, contents } => GeneratedFile { path, contents },
    }
}

/// prettyplease packs items together; a blank line after each closing brace
/// that ends an item or a block statement makes the output readable.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { continue };
        // Only items: top level, or inside one `impl`/`mod` block.
        let closes = matches!(*line, "}" | "};" | "];" | "    }" | "    };")
            || (line.ends_with(");") && !line.starts_with(char::is_whitespace));
        let next_t = next.trim_start();
        let next_opens_item = !next_t.is_empty()
            && !next_t.starts_with('}')
            && !next_t.starts_with(')')
            && !next_t.starts_with(']')
            && !next_t.starts_with("else")
            && !next_t.starts_with(',')
            && !next_t.starts_with('.')
            && !next_t.starts_with('?');
        let doc_after_header = line.starts_with("//!") && !next.starts_with("//!");
        if (closes && next_opens_item) || doc_after_header {
            out.push('\n');
        }
    }
    out
}
