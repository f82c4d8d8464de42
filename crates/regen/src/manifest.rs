//! `.scaffold/manifest.toml`: what scaffold generated, to tell pristine files from edited ones.
//!
//! One entry per generated file, sorted by path: its template, its ownership
//! and the SHA-256 of the text scaffold generated (line endings normalised to
//! `\n`). Owned files also keep that text under `.scaffold/base/<path>`: it is
//! the common ancestor of the next three-way merge.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::Ownership;

/// Where the manifest lives, relative to the project root.
pub const MANIFEST_PATH: &str = ".scaffold/manifest.toml";
/// Where the bases of owned files live, relative to the project root.
pub const BASE_DIR: &str = ".scaffold/base";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub pack: String,
    pub template: String,
    pub ownership: Ownership,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub sha256: String,
    /// The raw template output's hash (see `RenderedFile::raw_hash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_sha256: Option<String>,
    /// The hash of the generated text's code fingerprint (tokens and comments,
    /// not layout), for languages that have one: a file on disk with this
    /// fingerprint was only reformatted (`cargo fmt`), not edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    /// The scaffold version that wrote it.
    pub tool: String,
    #[serde(default, rename = "files")]
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{MANIFEST_PATH}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ManifestError {
    pub line: Option<usize>,
    pub message: String,
}

impl Manifest {
    pub fn new() -> Self {
        Self {
            version: 1,
            tool: format!("scaffold {}", env!("CARGO_PKG_VERSION")),
            entries: Vec::new(),
        }
    }

    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| ManifestError {
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().to_string(),
        })?;
        if manifest.version != 1 {
            return Err(ManifestError {
                line: None,
                message: format!(
                    "version {} is newer than this scaffold understands",
                    manifest.version
                ),
            });
        }
        Ok(manifest)
    }

    /// Deterministic text: sorted entries, no timestamps.
    pub fn to_toml(&self) -> String {
        let mut sorted = self.clone();
        sorted.entries.sort_by(|a, b| a.path.cmp(&b.path));
        sorted.entries.dedup_by(|a, b| a.path == b.path);
        let body = toml::to_string(&sorted).unwrap_or_default();
        format!(
            "# Written by scaffold: the files it generated and what it generated, to tell\n# pristine files from edited ones. Commit it; do not edit it.\n{body}"
        )
    }

    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }
}

/// SHA-256 of text with `\r\n` normalised to `\n`, as lowercase hex.
pub fn hash(text: &str) -> String {
    let digest = Sha256::digest(normalize_eol(text).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of exact bytes (no line-ending normalisation), as lowercase hex.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `\r\n` -> `\n`.
pub fn normalize_eol(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
}

/// Whether a file uses CRLF line endings (the majority of its line ends).
pub fn uses_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf > 0 && crlf * 2 >= text.matches('\n').count()
}

/// `text` with the line endings of a file that `uses_crlf`.
pub fn with_eol(text: &str, crlf: bool) -> String {
    if crlf {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_deterministically() {
        let mut manifest = Manifest::new();
        for path in ["b.rs", "a.rs"] {
            manifest.entries.push(Entry {
                path: path.into(),
                pack: "rust-axum".into(),
                template: "t".into(),
                ownership: Ownership::Generated,
                domain: None,
                sha256: hash("x\r\n"),
                raw_sha256: None,
                code_sha256: None,
            });
        }
        let text = manifest.to_toml();
        assert!(text.find("a.rs") < text.find("b.rs"));
        assert_eq!(Manifest::parse(&text).map(|m| m.to_toml()), Ok(text));
        assert_eq!(hash("x\r\n"), hash("x\n"));
        let error = Manifest::parse("version = 1\ntool = 3\n").unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}
