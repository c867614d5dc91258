//! The file side of a run, apart from the pure pipeline: reading a
//! description and every file its `$ref`s reach, the options file and the
//! overlays beside it; finding the description in a folder; and bringing
//! an output folder in line with the generated files (or only checking
//! it). Used by the `cargo sdk` binary, `cargo xtask`, the tests, and build
//! scripts (see the crate docs).

use std::fs;
use std::path::{Path, PathBuf};

/// More files than any real description is split into: past this, `$ref`
/// paths are likely running in circles (a symlink to its own folder).
const MAX_FILES: usize = 50_000;

/// Reads the spec and every file its `$ref`s reach, relative to the spec's
/// folder: asks the bundle which files are missing, reads them, and asks
/// again until none is. A file that cannot be read is recorded as such, so
/// each `$ref` to it becomes a diagnostic naming the ref and where it stands.
pub fn read_sources(spec: &Path) -> Result<crate::load::Sources, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = spec.parent().unwrap_or(Path::new("."));
    let mut sources = crate::load::Sources::new(&name, text);
    loop {
        let missing = sources.missing();
        if missing.is_empty() {
            return Ok(sources);
        }
        for path in missing {
            match fs::read_to_string(dir.join(&path)) {
                Ok(text) => sources.add(&path, text),
                Err(e) => sources.add_unreadable(&path, e.to_string()),
            }
        }
        if sources.len() > MAX_FILES {
            return Err(format!("{}: its `$ref`s reach more than {MAX_FILES} files", spec.display()));
        }
    }
}

/// The options file's name, looked for beside the spec.
pub const OPTIONS_FILE: &str = "sdk.yaml";

/// How overlay files beside the spec end.
pub const OVERLAY_SUFFIX: &str = ".overlay.yaml";

/// Reads the options file for a spec: `config`, else `sdk.yaml` beside the
/// spec when there is one, else the defaults. Errors name the file, the
/// line and, for a mistyped key, the nearest valid one.
pub fn load_options(spec: &Path, config: Option<&Path>) -> Result<crate::Options, String> {
    let path = match config {
        Some(p) => p.to_path_buf(),
        None => {
            let beside = spec.with_file_name(OPTIONS_FILE);
            if !beside.exists() {
                return Ok(crate::Options::default());
            }
            beside
        }
    };
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut options = crate::Options::from_yaml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    options.source = Some(path.display().to_string());
    Ok(options)
}

/// Reads the overlays for a spec: the given ones, or every
/// `*.overlay.yaml` beside it, sorted by name.
pub fn load_overlays(spec: &Path, given: Option<&[PathBuf]>) -> Result<Vec<crate::overlay::Overlay>, String> {
    let paths: Vec<PathBuf> = match given {
        Some(list) => list.to_vec(),
        None => overlays_beside(spec)?,
    };
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(crate::overlay::Overlay { name, text })
        })
        .collect()
}

/// Every `*.overlay.yaml` beside a spec, sorted by name.
pub fn overlays_beside(spec: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = spec.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(OVERLAY_SUFFIX))
        .collect();
    found.sort();
    Ok(found)
}

/// The OpenAPI description in a folder: `openapi.yaml`, `openapi.yml` or
/// `openapi.json` when there is one, else the one file directly in it
/// (JSON or YAML, neither the options file nor an overlay) whose top level
/// has an `openapi` key. Several candidates, or none, are an error that
/// names them.
pub fn find_description(dir: &Path) -> Result<PathBuf, String> {
    for name in ["openapi.yaml", "openapi.yml", "openapi.json"] {
        let p = dir.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let ext = p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            matches!(ext.as_str(), "yaml" | "yml" | "json") && name != OPTIONS_FILE && !name.ends_with(OVERLAY_SUFFIX)
        })
        .filter(|p| is_description(p))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "{}: no OpenAPI description here (openapi.yaml, or a JSON or YAML file with an `openapi` key at its top)",
            dir.display()
        )),
        several => Err(format!(
            "{}: several OpenAPI descriptions here ({}); name the one to use",
            dir.display(),
            several.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Whether a file's top level is a mapping with an `openapi` (or 2.0's
/// `swagger`) key. JSON is YAML, so one parser reads both.
fn is_description(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else { return false };
    serde_yaml::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
        .is_ok_and(|top| top.contains_key("openapi") || top.contains_key("swagger"))
}

/// A difference between a folder and the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file is missing.
    Missing(String),
    /// The file differs.
    Stale(String),
    /// A generated file that the generator no longer writes.
    Extra(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Missing(p) => write!(f, "missing: {p}"),
            Change::Stale(p) => write!(f, "stale:   {p}"),
            Change::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// Brings `dir` in line with `files` (or, with `check`, only reports). Files
/// the generator did not write are left alone unless they carry its header
/// ([`crate::is_generated`]).
pub fn sync(dir: &Path, files: &[crate::GeneratedFile], check: bool) -> std::io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        match fs::read(&path) {
            Ok(old) if old == f.contents.as_bytes() => continue,
            Ok(_) => changes.push(Change::Stale(f.path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.push(Change::Missing(f.path.clone())),
            Err(e) => return Err(e),
        }
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &f.contents)?;
        }
    }
    let mut existing = Vec::new();
    collect_generated(dir, dir, &mut existing)?;
    existing.sort();
    for rel in existing {
        if !files.iter().any(|f| f.path == rel) {
            if !check {
                fs::remove_file(dir.join(&rel))?;
            }
            changes.push(Change::Extra(rel));
        }
    }
    Ok(changes)
}

/// Files under `dir` whose first line carries a generator's header.
fn collect_generated(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_generated(root, &path, out)?;
        } else if let Ok(text) = fs::read_to_string(&path) {
            if text.lines().next().is_some_and(crate::is_generated) {
                let rel = path.strip_prefix(root).expect("walked from root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn finds_the_description_in_a_folder() {
        let dir = scratch("find");
        fs::write(dir.join("sdk.yaml"), "crate_name: x\n").unwrap();
        fs::write(dir.join("fix.overlay.yaml"), "overlay: 1.0.0\n").unwrap();
        fs::write(dir.join("common.yaml"), "components: {}\n").unwrap();
        assert!(find_description(&dir).unwrap_err().contains("no OpenAPI description"));
        fs::write(dir.join("Vendor-API.v2.json"), r#"{"openapi": "3.1.0", "info": {}}"#).unwrap();
        assert_eq!(find_description(&dir).unwrap(), dir.join("Vendor-API.v2.json"));
        fs::write(dir.join("other.yml"), "openapi: 3.0.3\n").unwrap();
        let err = find_description(&dir).unwrap_err();
        assert!(err.contains("several") && err.contains("other.yml") && err.contains("Vendor-API.v2.json"), "{err}");
        fs::write(dir.join("openapi.yaml"), "openapi: 3.0.3\n").unwrap();
        assert_eq!(find_description(&dir).unwrap(), dir.join("openapi.yaml"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn headers_of_any_command_are_generated() {
        assert!(crate::is_generated(&format!("// {}", crate::GENERATED_BY)));
        assert!(crate::is_generated(&format!("# {}", crate::header("cargo sdk codegen"))));
        assert!(crate::is_generated(&format!("<!-- {} -->", crate::header("cargo sdk codegen"))));
        assert!(!crate::is_generated("// written by hand; do not edit by hand."));
        assert!(!crate::is_generated("//! @generated by someone"));
    }
}
