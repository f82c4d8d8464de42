//! The whole-run cache: `generate` (and `--check`) over inputs that have not
//! changed since the last full run plans from the disk and the manifest alone,
//! without parsing, rendering or formatting.
//!
//! A full run that wrote its files records, in `.scaffold/cache/run`, a key of
//! everything its output depends on: the scaffold binary (its file, so a
//! rebuilt one never reuses an old answer), the pack with the project's
//! overrides, `scaffold.toml`, every spec and contract read, the formatter
//! (which rustfmt, found without running it, and the host's edition and
//! `rustfmt.toml`) and the manifest it wrote. When the next run computes the
//! same key, the manifest's hashes are the text this run would generate: a
//! file on disk with that hash (or an owned file's base with it) *is* the
//! generated text, and the plan is the one the full run would make from it.
//! Anything that cannot be shown that way (a file edited, reformatted,
//! deleted) sends the run down the full path. The cache holds no output, only
//! the key; it is machine-specific, so the folder ignores itself in git.

use std::path::Path;

use scaffold_parser::Source;
use scaffold_regen::changeset::{self, Change, PlanOptions};
use scaffold_regen::manifest::{self, BASE_DIR, MANIFEST_PATH};
use scaffold_render::Ownership;

use crate::config::FILE_NAME;
use crate::workspace::Workspace;

/// The cache folder, relative to the project root.
const CACHE_DIR: &str = ".scaffold/cache";
const RUN_KEY: &str = ".scaffold/cache/run";

/// The hash of a run's inputs except the manifest (which the run may rewrite).
pub(crate) struct Inputs(String);

impl Inputs {
    pub(crate) fn new(workspace: &Workspace, sources: &[Source]) -> anyhow::Result<Self> {
        let mut text = format!("scaffold {}\n", env!("CARGO_PKG_VERSION"));
        let exe = std::env::current_exe().ok();
        let exe_stat = exe
            .as_deref()
            .and_then(|path| std::fs::metadata(path).ok())
            .map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{} {modified}", meta.len())
            });
        // Without knowing its own binary, a run cannot tell whether an older
        // scaffold recorded the key: never reuse.
        let Some(exe_stat) = exe_stat else {
            anyhow::bail!("the running binary cannot be found");
        };
        text.push_str(&format!("exe {exe_stat}\n"));
        let pack = &workspace.pack;
        text.push_str(&format!("pack {:?}\n", pack.manifest));
        for (name, source) in &pack.templates {
            text.push_str(&format!("template {name} {}\n{source}\n", source.len()));
        }
        let config = workspace.read(FILE_NAME)?.unwrap_or_default();
        text.push_str(&format!("config {}\n{config}\n", config.len()));
        if pack.manifest.language == "rust" {
            let output = workspace.root.join(&workspace.config.output);
            let formatter = scaffold_render::rustfmt::output_key(&output);
            text.push_str(&format!("rustfmt {}\n{formatter}\n", formatter.len()));
        }
        for source in sources {
            text.push_str(&format!(
                "spec {} {}\n{}\n",
                source.path,
                source.text.len(),
                source.text
            ));
        }
        Ok(Self(manifest::hash(&text)))
    }

    /// The key of these inputs with `manifest` (its text).
    fn key(&self, manifest: &str) -> String {
        manifest::hash(&format!("{}\n{}", self.0, manifest::hash(manifest)))
    }
}

/// The plan of a run whose inputs match the last full run's, or `None` when
/// they do not or a file cannot be planned without rendering.
pub(crate) fn plan(workspace: &Workspace, inputs: &Inputs) -> Option<Vec<Change>> {
    let recorded = workspace.read(RUN_KEY).ok()??;
    let manifest_text = workspace.read(MANIFEST_PATH).ok()??;
    if recorded.trim() != inputs.key(&manifest_text) || workspace.manifest.entries.is_empty() {
        return None;
    }
    let entries = &workspace.manifest.entries;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(entries.len());
    let chunk = entries.len().div_ceil(threads.max(1));
    let planned: Vec<Option<Change>> = std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk.max(1))
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|entry| plan_one(workspace, entry))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut changes: Vec<Change> = planned.into_iter().collect::<Option<_>>()?;
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Some(changes)
}

/// One file, planned as the full run would, with the text the manifest says
/// was generated: taken from the disk, or from an owned file's base.
fn plan_one(workspace: &Workspace, entry: &manifest::Entry) -> Option<Change> {
    let existing = workspace.read(&entry.path).ok()??;
    let owned = entry.ownership == Ownership::Owned;
    let base = if owned {
        workspace.read(&format!("{BASE_DIR}/{}", entry.path)).ok()?
    } else {
        None
    };
    let generated = [Some(&existing), base.as_ref()]
        .into_iter()
        .flatten()
        .find(|text| manifest::hash(text) == entry.sha256)
        .map(|text| manifest::normalize_eol(text).into_owned())?;
    let fingerprint = entry
        .path
        .ends_with(".rs")
        .then_some(scaffold_render::rustfmt::fingerprint as changeset::Fingerprint);
    let input = changeset::Input {
        path: entry.path.clone(),
        template: entry.template.clone(),
        ownership: entry.ownership,
        domain: entry.domain.clone(),
        generated,
        raw_hash: entry.raw_sha256.clone(),
        existing: Some(existing),
        entry: Some(entry),
        base,
        fingerprint,
    };
    Some(changeset::plan(input, PlanOptions::default()))
}

/// Records the key of a full run that wrote `manifest_text`. A cache: if it
/// cannot be written, the next run is a full one.
pub(crate) fn record(root: &Path, inputs: &Inputs, manifest_text: &str) {
    let dir = root.join(CACHE_DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.is_file() {
        let _ = std::fs::write(&ignore, "# Written by scaffold: this machine's cache.\n*\n");
    }
    let temp = dir.join(".run.scaffold-tmp");
    let key = format!("{}\n", inputs.key(manifest_text));
    if std::fs::write(&temp, key).is_ok() && std::fs::rename(&temp, root.join(RUN_KEY)).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
