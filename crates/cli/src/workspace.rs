//! What a run of `generate` or `remove` works on: the project's config, the
//! template pack (with the project's overrides), the manifest and the files on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use scaffold_regen::changeset::{self, Change, PlanOptions, Status};
use scaffold_regen::manifest::{self, BASE_DIR, MANIFEST_PATH, Manifest};
use scaffold_render::{Ownership, Pack, RenderError};

use crate::Printer;
use crate::config::Config;
use crate::write::{self, FileWrite};

/// Loads the pack and the project's overrides of it.
pub(crate) fn load_pack(root: &Path, config: &Config, stack: &str) -> anyhow::Result<Pack> {
    let pack = Pack::embedded(stack).map_err(|e| render_error(&e))?;
    let dir = root.join(&config.templates).join(stack);
    let mut overrides = Vec::new();
    if dir.is_dir() {
        collect_overrides(&dir, &dir, &mut overrides)?;
    }
    pack.with_overrides(overrides).map_err(|e| render_error(&e))
}

fn collect_overrides(
    base: &Path,
    dir: &Path,
    out: &mut Vec<(String, String)>,
) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_overrides(base, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            out.push((rel, text));
        }
    }
    Ok(())
}

pub(crate) fn render_error(error: &RenderError) -> anyhow::Error {
    let mut message = error.to_string();
    if let RenderError::Stack { problems, .. } = error {
        for problem in problems {
            message.push_str(&format!("\n  - {}", problem.message));
        }
    }
    crate::UsageError {
        message,
        hint: error.hint(),
    }
    .into()
}

/// Everything a run knows before it decides: the project, its files on disk, its history.
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) config: Config,
    pub(crate) pack: Pack,
    pub(crate) manifest: Manifest,
    /// Files read so far: reuse checks, planning and committing ask for the
    /// same files, and a rerun (`--check` in hooks and CI) should read each once.
    pub(crate) read_cache: Mutex<HashMap<String, Option<String>>>,
}

impl Workspace {
    pub(crate) fn load(root: &Path, stack: Option<&String>) -> anyhow::Result<Self> {
        let config = Config::load(root)?;
        let stack = stack.cloned().unwrap_or_else(|| config.stack.clone());
        let pack = load_pack(root, &config, &stack)?;
        let mut workspace = Self {
            root: root.to_path_buf(),
            config,
            pack,
            manifest: Manifest::new(),
            read_cache: Mutex::default(),
        };
        if let Some(text) = workspace.read(MANIFEST_PATH)? {
            workspace.manifest = Manifest::parse(&text).map_err(|e| {
                crate::usage(
                    e.to_string(),
                    "restore it (`git checkout -- .scaffold/manifest.toml`) or delete it; without it, files that differ from the specs are reported as conflicts and nothing is overwritten",
                )
            })?;
        }
        Ok(workspace)
    }

    pub(crate) fn read(&self, rel: &str) -> anyhow::Result<Option<String>> {
        if let Some(known) = self
            .read_cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(rel).cloned())
        {
            return Ok(known);
        }
        let text = match std::fs::read_to_string(self.root.join(rel)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(anyhow::anyhow!("cannot read {rel}: {e}")),
        };
        if let Ok(mut cache) = self.read_cache.lock() {
            cache.insert(rel.to_string(), text.clone());
        }
        Ok(text)
    }

    pub(crate) fn output_path(&self, rel: &str) -> String {
        let output_root = self.config.output.trim_end_matches('/');
        if output_root.is_empty() || output_root == "." {
            rel.to_string()
        } else {
            format!("{output_root}/{rel}")
        }
    }

    /// Plans every rendered file against the disk and the manifest, on every
    /// core: a fresh file's code fingerprint lexes the whole file.
    pub(crate) fn plan(
        &self,
        files: Vec<scaffold_render::RenderedFile>,
        options: PlanOptions,
    ) -> anyhow::Result<Vec<Change>> {
        let planned = scaffold_render::parallel::map_costliest_first(
            &files,
            |file| file.contents.len(),
            |file| self.plan_one(file.clone(), options),
        );
        planned.into_iter().collect()
    }

    fn plan_one(
        &self,
        file: scaffold_render::RenderedFile,
        options: PlanOptions,
    ) -> anyhow::Result<Change> {
        let path = self.output_path(&file.path);
        let existing = self.read(&path)?;
        let base = if file.ownership == Ownership::Owned {
            self.read(&format!("{BASE_DIR}/{path}"))?
        } else {
            None
        };
        // Rust is compared by tokens and comments: `cargo fmt` is not an edit.
        let fingerprint = path
            .ends_with(".rs")
            .then_some(scaffold_render::rustfmt::fingerprint as changeset::Fingerprint);
        // An owned file the manifest records but the disk lacks (`backend/`
        // deleted, `.scaffold/` kept): the module list declares it, so it
        // is written afresh, as on a first run, rather than left missing.
        let vanished = file.ownership == Ownership::Owned
            && existing.is_none()
            && self.manifest.entry(&path).is_some();
        let input = changeset::Input {
            entry: self.manifest.entry(&path).filter(|_| !vanished),
            path,
            template: file.template,
            ownership: file.ownership,
            domain: file.domain,
            generated: file.contents,
            raw_hash: Some(file.raw_hash),
            existing,
            base,
            fingerprint,
        };
        let mut change = changeset::plan(input, options);
        if vanished {
            change.note = Some("missing on disk; recreated from the specs".into());
        }
        Ok(change)
    }

    /// Files the manifest lists that `changes` no longer produce (of `domains`, or all).
    pub(crate) fn removals(
        &self,
        changes: &[Change],
        only_domain: Option<&str>,
    ) -> anyhow::Result<Vec<Change>> {
        let mut removals = Vec::new();
        for entry in &self.manifest.entries {
            let gone = !changes.iter().any(|c| c.path == entry.path);
            let selected = only_domain.is_none_or(|d| entry.domain.as_deref() == Some(d));
            if gone && selected {
                removals.push(changeset::plan_removal(entry, self.read(&entry.path)?));
            }
        }
        Ok(removals)
    }

    /// Writes the changes, then the bases of owned files, then the manifest
    /// (last); returns the manifest's text.
    pub(crate) fn commit(&self, changes: &[Change]) -> anyhow::Result<String> {
        let mut writes = Vec::new();
        let mut manifest = Manifest::new();
        for change in changes {
            if change.writes() || change.status == Status::Remove {
                writes.push(FileWrite {
                    path: change.path.clone(),
                    old: change.old.clone(),
                    new: change.new.clone(),
                });
            }
            let base_path = format!("{BASE_DIR}/{}", change.path);
            // What the templates produced is the file's history; removed files have none.
            let entry = change.generated.as_ref().map(|generated| manifest::Entry {
                path: change.path.clone(),
                pack: self.pack.manifest.name.clone(),
                template: change.template.clone(),
                ownership: change.ownership,
                domain: change.domain.clone(),
                sha256: manifest::hash(generated),
                raw_sha256: change.raw_hash.clone(),
                code_sha256: change.code_hash.clone(),
            });
            if change.ownership == Ownership::Owned {
                let old_base = self.read(&base_path)?;
                if change.generated != old_base {
                    writes.push(FileWrite {
                        path: base_path,
                        old: old_base,
                        new: change.generated.clone(),
                    });
                }
            }
            manifest.entries.extend(entry);
        }
        // Files of domains this run did not look at keep their entries.
        for entry in &self.manifest.entries {
            if !changes.iter().any(|c| c.path == entry.path) {
                manifest.entries.push(entry.clone());
            }
        }
        let text = manifest.to_toml();
        let old = self.read(MANIFEST_PATH)?;
        let last = (old.as_deref() != Some(text.as_str())).then(|| FileWrite {
            path: MANIFEST_PATH.into(),
            old,
            new: Some(text.clone()),
        });
        write::apply(&self.root, &writes, last.as_ref())?;
        // A run killed earlier may have left temporary files behind.
        for dir in [
            self.root.join(&self.config.output),
            self.root.join(".scaffold"),
        ] {
            write::remove_leftovers(&dir);
        }
        Ok(text)
    }
}

pub(crate) fn render_files(
    workspace: &Workspace,
    project: &scaffold_parser::Project,
    printer: &mut Printer,
) -> anyhow::Result<Option<(Vec<scaffold_render::RenderedFile>, bool)>> {
    // Unchanged template output: take the text generated last time instead of formatting again.
    let reuse = |rel: &str, raw_hash: &str| -> Option<String> {
        let path = workspace.output_path(rel);
        let entry = workspace
            .manifest
            .entry(&path)
            .filter(|e| e.raw_sha256.as_deref() == Some(raw_hash))?;
        let candidates = [format!("{BASE_DIR}/{path}"), path];
        candidates.iter().find_map(|candidate| {
            let text = workspace.read(candidate).ok().flatten()?;
            (manifest::hash(&text) == entry.sha256)
                .then(|| manifest::normalize_eol(&text).into_owned())
        })
    };
    // Rust is formatted by the host's rustfmt, so `cargo fmt` changes nothing;
    // without one, the built-in formatter's output is still deterministic.
    let rust_pack = workspace.pack.manifest.language == "rust";
    let rustfmt = if rust_pack {
        match scaffold_render::rustfmt::Rustfmt::for_output(
            &workspace.root.join(&workspace.config.output),
        ) {
            Ok(rustfmt) => Some(rustfmt),
            Err(error) => {
                printer.warning(&format!(
                    "{error}; generated Rust is laid out by scaffold's own formatter, which `cargo fmt` will change (install it with `rustup component add rustfmt`)"
                ));
                None
            }
        }
    } else {
        None
    };
    match scaffold_render::render_database(
        project,
        &workspace.pack,
        &reuse,
        rustfmt.as_ref(),
        &workspace.config.database,
    ) {
        // Whether Rust was laid out by the host's rustfmt (or needs none).
        Ok(files) => Ok(Some((files, rustfmt.is_some() || !rust_pack))),
        // Names this stack cannot spell are problems in the specs (exit 1), not usage errors.
        Err(error @ RenderError::Stack { .. }) => {
            let failure = render_error(&error);
            let hint = failure
                .downcast_ref::<crate::UsageError>()
                .and_then(|e| e.hint.clone());
            printer.error(&failure.to_string(), hint.as_deref());
            Ok(None)
        }
        Err(error) => Err(render_error(&error)),
    }
}
