//! Path normalisation: one spelling per file, whatever the platform or the agent wrote.

use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// `/`-separated, NFC, lowercase, without `./` and with `..` resolved lexically.
pub fn normalize(path: &str) -> String {
    // ASCII is already NFC: skip the Unicode tables (every hook call normalises many paths).
    let nfc: String = if path.is_ascii() {
        path.replace('\\', "/")
    } else {
        path.replace('\\', "/").nfc().collect()
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in nfc.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/").to_lowercase()
}

/// Resolves `path` (absolute, or relative to `cwd`) against the file system as far
/// as it exists (symlinked parents included), then lexically for the rest.
pub fn resolve(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Canonicalise the longest existing ancestor: symlinked folders resolve to their target.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
}

/// The repository (or worktree) root containing `start`: the nearest folder with a `.git` entry.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    let mut dir = start.canonicalize().ok()?;
    loop {
        if dir.join(".git").exists() {
            return Some(dir);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// `path` relative to `root`, or `None` if it is outside.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    path.strip_prefix(root)
        .ok()
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_spellings() {
        assert_eq!(
            normalize("./DB\\Migrations/../migrations/0001.SQL"),
            "db/migrations/0001.sql"
        );
        // "é" as e + combining accent (NFD, as macOS writes it) equals the precomposed form.
        assert_eq!(
            normalize("migrations/caf\u{65}\u{301}.sql"),
            normalize("migrations/caf\u{e9}.sql")
        );
    }
}
