//! Finds spec files and reads them into parser sources.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use scaffold_parser::Source;

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
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_contract(p))
        .collect();
    found.sort();
    out.extend(found);
    Ok(())
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
    // The directory entry knows its type: no extra stat per file.
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| {
            let e = e.ok()?;
            let is_dir = match e.file_type() {
                Ok(t) if t.is_symlink() => e.path().is_dir(),
                Ok(t) => t.is_dir(),
                Err(_) => e.path().is_dir(),
            };
            Some((e.path(), is_dir))
        })
        .collect();
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            collect(&path, out)?;
        } else if is_contract(&path)
            || path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| SPEC_FILES.contains(&n))
        {
            out.push(path);
        }
    }
    Ok(())
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
