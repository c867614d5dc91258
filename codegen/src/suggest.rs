//! "Did you mean": the nearest of the valid names for one that is not, for
//! the messages about `sdk.yaml` (a mistyped key, a declaration that names
//! no operation, scheme or schema). Similarity is Jaro-Winkler (`strsim`),
//! which weighs a shared beginning, as in `crate_nme` for `crate_name`.

/// Below this similarity a name is too far from every candidate to be
/// what was meant (0.8 keeps `crate_nme` → `crate_name` and `pagng` →
/// `paging`, and drops `foo` → `env`).
const THRESHOLD: f64 = 0.8;

/// The candidate nearest to `wrong`, when one is near enough. Case and
/// the separators `-`, `_`, `.` and space count for little, so
/// `crateName` finds `crate_name`.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let fold = |s: &str| -> String {
        s.chars().filter(|c| !matches!(c, '-' | '_' | '.' | ' ')).flat_map(char::to_lowercase).collect()
    };
    let folded = fold(wrong);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == wrong {
            continue;
        }
        let score = strsim::jaro_winkler(&folded, &fold(c)).max(strsim::jaro_winkler(wrong, c));
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `"; did you mean `x`?"` for the nearest candidate, else nothing: to
/// append to a message that already says what is wrong.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(wrong, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// Adds the nearest valid name to serde's message about an unknown field
/// or variant (`unknown field `crate_nme`, expected one of `crate_name`,
/// ...`), whose wording serde fixes in `de::Error::unknown_field` and
/// `unknown_variant`; any other message is returned as it was. The
/// location serde_yaml adds after the list (`at line 2 column 1`) stays.
pub fn serde_message(message: &str) -> String {
    for lead in ["unknown field `", "unknown variant `"] {
        let Some(start) = message.find(lead) else { continue };
        let rest = &message[start + lead.len()..];
        let Some(end) = rest.find('`') else { continue };
        let wrong = &rest[..end];
        let after = &rest[end + 1..];
        let Some(list_start) = after.find("expected ") else { continue };
        let list = &after[list_start..];
        // The list ends where serde_yaml's location begins.
        let list_end = list.find(" at line ").unwrap_or(list.len());
        let valid: Vec<&str> = list[..list_end].split('`').skip(1).step_by(2).collect();
        let Some(best) = nearest(wrong, valid.iter().copied()) else { continue };
        let at = start + lead.len() + end + 1 + list_start + list_end;
        return format!("{}; did you mean `{best}`?{}", &message[..at], &message[at..]);
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names() {
        let keys = ["crate_name", "crate_version", "env_prefix", "env", "request_id_header", "paging", "rename"];
        for (wrong, want) in [
            ("crate_nme", Some("crate_name")),
            ("crateName", Some("crate_name")),
            ("crate-version", Some("crate_version")),
            ("pagng", Some("paging")),
            ("renames", Some("rename")),
            ("request_id", Some("request_id_header")),
            ("envprefix", Some("env_prefix")),
            ("foo", None),
            ("streams", None),
        ] {
            assert_eq!(nearest(wrong, keys), want, "{wrong}");
        }
        assert_eq!(nearest("listPet", ["listPets", "createPets", "showPetById"]), Some("listPets"));
        assert_eq!(nearest("apikey", ["api_key", "bearer"]), Some("api_key"));
    }

    #[test]
    fn serde_messages_gain_a_suggestion_before_the_location() {
        let m = "unknown field `crate_nme`, expected one of `crate_name`, `crate_version`, `env` at line 1 column 1";
        assert_eq!(
            serde_message(m),
            "unknown field `crate_nme`, expected one of `crate_name`, `crate_version`, `env`; did you mean `crate_name`? at line 1 column 1"
        );
        let m = "paging[0].scheme: unknown variant `curser`, expected `cursor` or `page`";
        assert_eq!(serde_message(m), format!("{m}; did you mean `cursor`?"));
        let far = "unknown field `zzz`, expected one of `crate_name`, `env` at line 3 column 1";
        assert_eq!(serde_message(far), far);
        assert_eq!(serde_message("invalid type: string, expected a map"), "invalid type: string, expected a map");
    }
}
