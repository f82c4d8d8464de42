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
        // A hash per piece, not one text of them all: growing a string the
        // size of every template and spec costs more than hashing them.
        let mut key = format!("scaffold {}\n", env!("CARGO_PKG_VERSION"));
        // Without knowing its own binary, a run cannot tell whether an older
        // scaffold recorded the key: never reuse.
        let Some(exe_stat) = binary_stamp() else {
            anyhow::bail!("the running binary cannot be found");
        };
        key.push_str(&format!("exe {exe_stat}\n"));
        let pack = &workspace.pack;
        // Exact bytes: a spec that only changed its line endings is another input.
        let piece = |label: &str, text: &str| {
            format!("{label} {}\n", manifest::hash_bytes(text.as_bytes()))
        };
        key.push_str(&piece("pack", &format!("{:?}", pack.manifest)));
        for (name, source) in &pack.templates {
            key.push_str(&piece(&format!("template {name}"), source));
        }
        let config = workspace.read(FILE_NAME)?.unwrap_or_default();
        key.push_str(&piece("config", &config));
        if pack.manifest.language == "rust" {
            let output = workspace.root.join(&workspace.config.output);
            let formatter = scaffold_render::rustfmt::output_key(&output);
            key.push_str(&piece("rustfmt", &formatter));
        }
        for source in sources {
            key.push_str(&piece(&format!("spec {}", source.path), &source.text));
        }
        Ok(Self(manifest::hash(&key)))
    }

    /// The key of these inputs with `manifest` (its text).
    fn key(&self, manifest: &str) -> String {
        manifest::hash(&format!("{}\n{}", self.0, manifest::hash(manifest)))
    }
}

/// The plan of a run whose inputs match the last full run's, or `None` when
/// they do not or a file cannot be planned without rendering.
pub(crate) fn plan(workspace: &Workspace, inputs: &Inputs) -> Option<Reused> {
    let recorded = workspace.read(RUN_KEY).ok()??;
    let mut lines = recorded.lines();
    let (key, diagnostics) = (lines.next()?, lines.next()?);
    let manifest_text = workspace.read(MANIFEST_PATH).ok()??;
    if key != inputs.key(&manifest_text) || workspace.manifest.entries.is_empty() {
        return None;
    }
    let parse = match diagnostics {
        "quiet" => false,
        "diagnostics" => true,
        _ => return None,
    };
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
    Some(Reused { changes, parse })
}

/// A plan made without rendering.
pub(crate) struct Reused {
    pub(crate) changes: Vec<Change>,
    /// The specs' diagnostics (warnings, the count of notes) were printed by
    /// the recorded run: parse again to print them (rendering is still skipped).
    pub(crate) parse: bool,
}

/// One file, planned as the full run would, with the text the manifest says
/// was generated: taken from the disk, or from an owned file's base.
fn plan_one(workspace: &Workspace, entry: &manifest::Entry) -> Option<Change> {
    // Read once, never again in this run: no need for the workspace's cache.
    let read = |rel: &str| match std::fs::read_to_string(workspace.root.join(rel)) {
        Ok(text) => Some(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
        // The full path reports what cannot be read.
        Err(_) => None,
    };
    let existing = read(&entry.path)??;
    let owned = entry.ownership == Ownership::Owned;
    let base = if owned {
        read(&format!("{BASE_DIR}/{}", entry.path))?
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

/// The running binary's size and modification time: a rebuilt scaffold
/// never reuses an answer an older one recorded.
/// Read once per process: the run key and the schema step's key both use it.
fn binary_stamp() -> Option<String> {
    static STAMP: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    STAMP
        .get_or_init(|| {
            let exe = std::env::current_exe().ok()?;
            let meta = std::fs::metadata(exe).ok()?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            Some(format!("{} {modified}", meta.len()))
        })
        .clone()
}

/// Records the key of a full run that wrote `manifest_text`. A cache: if it
/// cannot be written, the next run is a full one.
pub(crate) fn record(root: &Path, inputs: &Inputs, manifest_text: &str, diagnostics: bool) {
    let printed = if diagnostics { "diagnostics" } else { "quiet" };
    let key = format!("{}\n{printed}\n", inputs.key(manifest_text));
    write_cache(root, RUN_KEY, &key);
}

/// Writes `text` to `rel` in the cache folder (made, and ignored by git, on
/// first use); a cache, so a failure only means the next run does the work.
fn write_cache(root: &Path, rel: &str, text: &str) {
    let dir = root.join(CACHE_DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.is_file() {
        let _ = std::fs::write(&ignore, "# Written by scaffold: this machine's cache.\n*\n");
    }
    let target = root.join(rel);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.scaffold-tmp"));
    if std::fs::write(&temp, text).is_ok() && std::fs::rename(&temp, &target).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

/// The schema step's cache: what a run that changed nothing there saw.
const SCHEMA_KEY: &str = ".scaffold/cache/schema";

/// The key of everything the schema step after `generate` reads: the binary,
/// `scaffold.toml`, every spec and contract, the recorded request and each
/// spec folder's architecture.md (exact bytes). `None` when it cannot be known.
pub(crate) fn schema_key(root: &Path, sources: &[Source], record: &str) -> Option<String> {
    // Only where a full run made the cache: `--check` never starts one.
    if !root.join(CACHE_DIR).is_dir() {
        return None;
    }
    let mut key = format!("scaffold {} schema\n", env!("CARGO_PKG_VERSION"));
    key.push_str(&format!("exe {}\n", binary_stamp()?));
    let read = |rel: &str| match std::fs::read(root.join(rel)) {
        Ok(bytes) => Some(manifest::hash_bytes(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("absent".to_string()),
        Err(_) => None,
    };
    key.push_str(&format!("config {}\n", read(FILE_NAME)?));
    key.push_str(&format!("record {}\n", read(record)?));
    let mut folders = std::collections::BTreeSet::new();
    for source in sources {
        let text = manifest::hash_bytes(source.text.as_bytes());
        key.push_str(&format!("spec {} {text}\n", source.path));
        folders.insert(source.feature_dir().to_string());
    }
    for folder in folders {
        let rel = format!("{folder}/architecture.md");
        key.push_str(&format!("architecture {rel} {}\n", read(&rel)?));
    }
    Some(manifest::hash(&key))
}

/// What the schema step printed when it last ran on `key` and had nothing
/// to write: `Some(warning)` (the warning it printed, if any) to say again,
/// `None` when it must run.
pub(crate) fn schema_reused(root: &Path, key: &str) -> Option<Option<String>> {
    let text = std::fs::read_to_string(root.join(SCHEMA_KEY)).ok()?;
    let (first, warning) = text.split_once('\n')?;
    (first == key).then(|| (!warning.is_empty()).then(|| warning.to_string()))
}

/// Records that the schema step on `key` had nothing to write (and printed
/// `warning`).
pub(crate) fn schema_record(root: &Path, key: &str, warning: Option<&str>) {
    write_cache(
        root,
        SCHEMA_KEY,
        &format!("{key}\n{}", warning.unwrap_or_default()),
    );
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    const SPEC: &str = "---\nticket: BEN-1\ndomain: invoices\n---\n# Feature Specification: invoices\n\n## Domain Model\n\n### Entity: Invoice\n| Field | Type | Required | Constraints |\n|-------|------|----------|-------------|\n| `id` | i32 | yes | primary key |\n| `title` | string | yes | max 200 |\n\n## Operations\n\n### OP-001: GetInvoice\n- **Kind**: get Invoice\n- **Input**: `invoice_id`\n- **Output**: `Invoice`\n- **Errors**: `INVOICE_NOT_FOUND`\n\n## API Endpoints\n| Method | Path | Operation | Status | Errors |\n|--------|------|-----------|--------|--------|\n| GET | `/invoices/{invoice_id}` | GetInvoice | 200 | 404 |\n\n## Errors\n| Code | HTTP | Message |\n|------|------|---------|\n| `INVOICE_NOT_FOUND` | 404 | No such invoice |\n";

    fn scaffold(project: &Path, args: &[&str]) -> ExitCode {
        let mut full = vec!["scaffold".to_string()];
        full.extend(args.iter().map(|a| a.to_string()));
        full.extend(["--project".to_string(), project.display().to_string()]);
        crate::main_with_args(full)
    }

    fn project(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("scaffold-rerun-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("specs/BEN-1")).expect("mkdir");
        std::fs::write(dir.join("specs/BEN-1/spec.md"), SPEC).expect("write");
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"h\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        )
        .expect("write");
        dir
    }

    /// The recorded key never hides a change: an edit, a spec change, a
    /// deleted file all take the full path and are reported as before.
    #[test]
    fn a_reused_plan_still_sees_every_change() {
        let dir = project("plan");
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        assert!(
            dir.join(super::RUN_KEY).is_file(),
            "a full run records its key"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(".scaffold/cache/.gitignore"))
                .ok()
                .as_deref(),
            Some("# Written by scaffold: this machine's cache.\n*\n")
        );
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        let reused = || {
            let workspace = crate::workspace::Workspace::load(&dir, None).expect("workspace");
            let specs = dir.join(&workspace.config.specs);
            let sources = crate::specs::load(&dir, &[], &specs).expect("specs");
            let inputs = super::Inputs::new(&workspace, &sources).expect("inputs");
            super::plan(&workspace, &inputs).is_some_and(|reused| !reused.parse)
        };
        assert!(reused(), "an unchanged rerun skips rendering");
        // An owned file edited by hand: still up to date (its base stands in).
        let rules = dir.join("backend/invoices/rules.rs");
        let owned = std::fs::read_to_string(&rules).expect("rules.rs");
        std::fs::write(&rules, format!("{owned}// mine\n")).expect("write");
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        // A generated file edited by hand: a conflict, as without the cache.
        let models = dir.join("backend/invoices/models.rs");
        let generated = std::fs::read_to_string(&models).expect("models.rs");
        std::fs::write(&models, format!("{generated}// edited\n")).expect("write");
        assert!(!reused(), "an edited generated file takes the full path");
        assert_ne!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        std::fs::write(&models, &generated).expect("write");
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        assert!(reused(), "an owned file's edits do not stop a reuse");
        // A deleted generated file is out of date.
        std::fs::remove_file(&models).expect("remove");
        assert_ne!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        std::fs::write(&models, &generated).expect("write");
        // A spec change: another key, the full path, the files are stale.
        let spec = dir.join("specs/BEN-1/spec.md");
        let changed = SPEC.replace("max 200", "max 100");
        std::fs::write(&spec, changed).expect("write");
        assert!(!reused(), "a spec change is another key");
        assert_ne!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The schema step of a reuse is skipped only while nothing it reads
    /// changed: an architecture.md or a recorded request edited by hand is
    /// seen as without the cache.
    #[test]
    fn a_reused_schema_step_still_sees_its_files() {
        let dir = project("schema");
        let architecture = dir.join("specs/BEN-1/architecture.md");
        std::fs::write(&architecture, "# BEN-1\n").expect("write");
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        assert!(
            dir.join(super::SCHEMA_KEY).is_file(),
            "a reuse with nothing to write records the schema step"
        );
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        let block = "<!-- scaffold:schema begin (written by `scaffold generate` from the specs; text between the markers is replaced) -->\n<!-- scaffold:schema end -->\n";
        std::fs::write(&architecture, format!("# BEN-1\n\n{block}")).expect("write");
        assert_ne!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        let text = std::fs::read_to_string(&architecture).expect("architecture.md");
        assert!(text.contains("CREATE TABLE"), "the block is filled: {text}");
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        assert_eq!(scaffold(&dir, &["generate", "--check"]), ExitCode::SUCCESS);
        let record = dir.join(crate::commands::schema::RECORD);
        let sql = std::fs::read_to_string(&record).expect("schema.sql");
        std::fs::write(&record, format!("{sql}-- edited\n")).expect("write");
        assert_eq!(scaffold(&dir, &["generate"]), ExitCode::SUCCESS);
        assert_eq!(
            std::fs::read_to_string(&record).ok().as_deref(),
            Some(sql.as_str()),
            "an edited request is written again"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
