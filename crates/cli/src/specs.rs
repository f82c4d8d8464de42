//! Finds spec files and reads them into parser sources.
//!
//! Folders are walked with `walkdir`, sorted by name and through symbolic
//! links; a link loop is an error naming the link, never a hang.

use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use scaffold_parser::Source;
use walkdir::WalkDir;

/// Names of the files a ticket folder may hold that the parser reads.
const SPEC_FILES: &[&str] = &["spec.md", "data-model.md"];

/// Extensions of the API contracts read from a feature's `contracts/` folder.
const CONTRACT_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "md"];

/// Whether a file is a contract: directly inside a `contracts/` folder, with
/// an OpenAPI (`.yaml`, `.yml`, `.json`) or Markdown extension.
fn is_contract(path: &Path) -> bool {
    let in_contracts = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "contracts");
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    in_contracts && extension.is_some_and(|e| CONTRACT_EXTENSIONS.contains(&e.as_str()))
}

/// The contracts of a feature folder, sorted by name.
fn contracts_of(feature: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let dir = feature.join("contracts");
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walk(&dir).max_depth(1) {
        let entry = entry.map_err(walk_error)?;
        if entry.file_type().is_file() && is_contract(entry.path()) {
            out.push(entry.into_path());
        }
    }
    Ok(())
}

/// A sorted walk that follows symlinks (a spec folder linked in is read), so
/// output does not depend on the order the file system lists entries in.
fn walk(dir: &Path) -> WalkDir {
    WalkDir::new(dir).follow_links(true).sort_by_file_name()
}

/// A walk error with its path; a symlink loop says which link loops.
fn walk_error(error: walkdir::Error) -> anyhow::Error {
    let shown = |p: &Path| {
        let text = p.to_string_lossy().replace('\\', "/");
        text.strip_prefix("./").map(str::to_string).unwrap_or(text)
    };
    let path = error.path().map(shown).unwrap_or_default();
    match error.loop_ancestor() {
        Some(ancestor) => crate::usage(
            format!(
                "{path}: symbolic link loop (it leads back to {})",
                shown(ancestor)
            ),
            "remove or retarget the link; specs are searched through symbolic links",
        ),
        None => anyhow::anyhow!("cannot read {path}: {error}"),
    }
}

fn is_not_found(error: &walkdir::Error) -> bool {
    error
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// `specs/X//spec.md` and `specs/./X/spec.md` are `specs/X/spec.md`: the
/// paths shown, compared and grouped into features must be spelled one way.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir if !out.as_os_str().is_empty() => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Reads the specs named on the command line, or every spec under `default_dir`.
///
/// Paths shown to people (and written into generated headers) are relative to
/// `root` when possible, with `/` separators, so output does not depend on cwd.
pub fn load(root: &Path, args: &[PathBuf], default_dir: &Path) -> anyhow::Result<Vec<Source>> {
    let mut files = Vec::new();
    if args.is_empty() {
        if !default_dir.is_dir() {
            return Err(crate::usage(
                format!("no specs: {} is not a folder", default_dir.display()),
                "write specs/<ticket>/spec.md (see docs/spec-format.md), or pass spec files as arguments",
            ));
        }
        collect(default_dir, &mut files)?;
    }
    for arg in args {
        let arg = &normalize(arg);
        if arg.is_dir() {
            collect(arg, &mut files)?;
        } else if arg.is_file() {
            files.push(arg.clone());
            // A spec's data-model.md and contracts belong with it.
            if let Some(feature) = arg
                .parent()
                .filter(|_| arg.file_name().is_some_and(|n| n == "spec.md"))
            {
                let sibling = feature.join("data-model.md");
                if sibling.is_file() {
                    files.push(sibling);
                }
                contracts_of(feature, &mut files)?;
            }
        } else {
            return Err(crate::usage(
                format!("{}: no such file or folder", arg.display()),
                "pass a spec.md file or a folder of specs",
            ));
        }
    }
    let mut sources: Vec<Source> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let shown = display_path(root, &file);
        if !sources.iter().any(|s| s.path == shown) {
            sources.push(Source::new(shown, text));
        }
    }
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    if sources.is_empty() {
        return Err(crate::usage(
            "no spec.md found",
            "specs live in specs/<ticket>/spec.md; see docs/spec-format.md",
        ));
    }
    Ok(sources)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in walk(dir) {
        let entry = match entry {
            Ok(entry) => entry,
            // A dangling link below the folder names nothing to read.
            Err(e) if e.depth() > 0 && e.loop_ancestor().is_none() && is_not_found(&e) => continue,
            Err(e) => return Err(walk_error(e)),
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if is_contract(path)
            || path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| SPEC_FILES.contains(&n))
        {
            out.push(entry.into_path());
        }
    }
    Ok(())
}

/// The feature folders below `dir` (those holding a spec.md), sorted; none
/// when `dir` does not exist.
pub fn feature_dirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return Ok(found);
    }
    for entry in walk(dir).min_depth(1) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_none() && is_not_found(&e) => continue,
            Err(e) => return Err(walk_error(e)),
        };
        if entry.file_type().is_dir() && entry.path().join("spec.md").is_file() {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

/// `path` relative to `root` if it is inside, else as given; always with `/`.
pub fn display_path(root: &Path, path: &Path) -> String {
    // Found under the root as given (the usual case): no `getcwd` per file.
    if let Ok(rel) = path.strip_prefix(root) {
        if !rel.as_os_str().is_empty() {
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, path_abs) = (absolute(root), absolute(path));
    let shown = match path_abs.strip_prefix(&root_abs) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
