//! Turns spec prose (summaries, descriptions) into rustdoc lines that cannot
//! break the build: code fences are marked `text` so they never run as
//! doctests, bare URLs are wrapped so rustdoc links them without warnings,
//! and stray `[x]` is escaped so it is not read as a broken intra-doc link.

/// Cleans one piece of spec prose into rustdoc lines (without the leading
/// `///`). Returns no lines for empty input.
pub fn clean(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                out.push(fence.to_owned());
            } else {
                out.push(format!("{fence}text"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
        } else {
            // Indented blocks would be doctests too; prose never needs them.
            out.push(escape_line(line.trim()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Joins several pieces of prose (summary, description) into one doc block.
pub fn join(parts: &[Option<&str>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for part in parts.iter().flatten() {
        let t = part.trim();
        if t.is_empty() || seen.contains(&t) {
            continue;
        }
        seen.push(t);
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(clean(t));
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut in_code = false;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = bare_url_len(rest, &out) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            if c == '[' || c == ']' {
                // A markdown link `[text](url)` is kept; anything else is escaped.
                if c == '[' && is_markdown_link(rest) {
                    let end = rest.find(')').map(|i| i + 1).unwrap_or(rest.len());
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                    continue;
                }
                out.push('\\');
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a bare `http(s)://` URL at the start of `rest`, unless it is
/// already inside `<...>` or a markdown link target.
fn bare_url_len(rest: &str, before: &str) -> Option<usize> {
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    if before.ends_with('<') || before.ends_with("](") || before.ends_with('(') {
        return None;
    }
    let mut len = rest
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '`')
        .unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence, not the URL.
    while len > 0 && rest[..len].ends_with(['.', ',', ';', ':', ')', '!', '?']) {
        len -= 1;
    }
    (len > "https://".len()).then_some(len)
}

fn is_markdown_link(rest: &str) -> bool {
    let Some(close) = rest.find(']') else { return false };
    rest[close + 1..].starts_with('(') && rest[close..].contains(')')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_cleaning_table() {
        let table: &[(&str, &[&str])] = &[
            ("Identifier", &["Identifier"]),
            ("  two\nlines  ", &["two", "lines"]),
            ("see https://example.com/a.", &["see <https://example.com/a>."]),
            ("a [link](https://x.y/z) ok", &["a [link](https://x.y/z) ok"]),
            ("array[0] and [x]", &["array\\[0\\] and \\[x\\]"]),
            ("code `a[0]` kept", &["code `a[0]` kept"]),
            ("```\nfn main() {}\n```", &["```text", "fn main() {}", "```"]),
            ("```json\n{}", &["```text", "{}", "```"]),
            ("    indented code", &["indented code"]),
            ("", &[]),
        ];
        for (input, want) in table {
            assert_eq!(clean(input), *want, "clean({input:?})");
        }
    }

    #[test]
    fn join_skips_duplicates_and_empties() {
        assert_eq!(
            join(&[Some("Get logs"), None, Some("Get logs"), Some("More.")]),
            vec!["Get logs", "", "More."]
        );
    }
}
