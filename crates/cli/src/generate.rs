//! `scaffold generate` and `scaffold lint`.

use std::path::Path;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use scaffold_parser::{Parsed, Source};
use scaffold_regen::changeset::{self, Change, PlanOptions, Status};
use scaffold_regen::manifest::{self, BASE_DIR, MANIFEST_PATH, Manifest};
use scaffold_render::{Ownership, Pack, RenderError};
use serde_json::json;

use crate::config::Config;
use crate::write::FileWrite;
use crate::{Format, GenerateArgs, LintArgs, MergeMode, Outcome, Printer, specs, write};

/// Parses with the project's options and prints the diagnostics. Notes (what
/// was inferred from wild forms) are shown in full by `lint`; `generate`
/// counts them and points at `lint`, so its output stays about the files.
fn parse(
    sources: &[Source],
    config: &Config,
    format: Format,
    show_notes: bool,
    printer: &mut Printer,
) -> Option<Parsed> {
    let parsed = scaffold_parser::parse_with(sources, &config.parse_options());
    match format {
        Format::Human => {
            let is_note =
                |d: &&scaffold_parser::Diagnostic| d.severity == scaffold_parser::Severity::Note;
            let shown: Vec<scaffold_parser::Diagnostic> = parsed
                .diagnostics
                .iter()
                .filter(|d| show_notes || !is_note(d))
                .cloned()
                .collect();
            if !shown.is_empty() {
                printer.stderr(&scaffold_parser::render_all(
                    &shown,
                    sources,
                    printer.color(),
                ));
            }
            let notes = parsed.diagnostics.iter().filter(is_note).count();
            if !show_notes && notes > 0 {
                printer.stderr(&format!(
                    "note: {notes} inference(s) made while reading the specs; `scaffold lint` shows each\n"
                ));
            }
        }
        Format::Json => {
            for diagnostic in &parsed.diagnostics {
                printer.line(&diagnostic.to_json(sources).to_string());
            }
        }
    }
    (!parsed.has_errors()).then_some(parsed)
}

pub fn lint(args: &LintArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let config = Config::load(&args.out)?;
    let mut sources = specs::load(&args.out, &args.specs, &args.out.join(&config.specs))?;
    if args.fix {
        // Like `cargo fix`: rewrite the wild forms that have a canonical
        // spelling, all files or none, then lint what is left.
        let parsed = scaffold_parser::parse_with(&sources, &config.parse_options());
        let fixes = scaffold_parser::apply_fixes(&sources, &parsed.diagnostics);
        let count: usize = fixes.iter().map(|(_, _, n)| n).sum();
        let writes: Vec<FileWrite> = fixes
            .iter()
            .map(|(file, text, _)| FileWrite {
                path: sources[*file].path.clone(),
                old: Some(sources[*file].text.clone()),
                new: Some(text.clone()),
            })
            .collect();
        write::apply(&args.out, &writes, None)?;
        for (file, text, _) in fixes {
            sources[file].text = text;
        }
        printer.stderr(&format!(
            "fixed {count} form(s) in {} file(s)\n",
            writes.len()
        ));
    }
    let Some(parsed) = parse(&sources, &config, args.format, true, printer) else {
        return Ok(Outcome::Problems);
    };
    let domains: Vec<&str> = parsed
        .project
        .domains
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    match args.format {
        Format::Human => printer.line(&format!(
            "ok: {} spec file(s), domains: {}",
            sources.len(),
            domains.join(", ")
        )),
        Format::Json => printer.line(
            &json!({"kind": "summary", "ok": true, "files": sources.len(), "domains": domains})
                .to_string(),
        ),
    }
    Ok(Outcome::Success)
}

/// Loads the pack and the project's overrides of it.
fn load_pack(root: &Path, config: &Config, stack: &str) -> anyhow::Result<Pack> {
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

fn render_error(error: &RenderError) -> anyhow::Error {
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
struct Workspace {
    root: PathBuf,
    config: Config,
    pack: Pack,
    manifest: Manifest,
    /// Files read so far: reuse checks, planning and committing ask for the
    /// same files, and a rerun (`--check` in hooks and CI) should read each once.
    read_cache: Mutex<HashMap<String, Option<String>>>,
}

impl Workspace {
    fn load(root: &Path, stack: Option<&String>) -> anyhow::Result<Self> {
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

    fn read(&self, rel: &str) -> anyhow::Result<Option<String>> {
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

    fn output_path(&self, rel: &str) -> String {
        let output_root = self.config.output.trim_end_matches('/');
        if output_root.is_empty() || output_root == "." {
            rel.to_string()
        } else {
            format!("{output_root}/{rel}")
        }
    }

    /// Plans every rendered file against the disk and the manifest.
    fn plan(
        &self,
        files: Vec<scaffold_render::RenderedFile>,
        options: PlanOptions,
    ) -> anyhow::Result<Vec<Change>> {
        let mut changes = Vec::new();
        for file in files {
            let path = self.output_path(&file.path);
            let existing = self.read(&path)?;
            let base = if file.ownership == Ownership::Owned {
                self.read(&format!("{BASE_DIR}/{path}"))?
            } else {
                None
            };
            let input = changeset::Input {
                entry: self.manifest.entry(&path),
                path,
                template: file.template,
                ownership: file.ownership,
                domain: file.domain,
                generated: file.contents,
                raw_hash: Some(file.raw_hash),
                existing,
                base,
            };
            changes.push(changeset::plan(input, options));
        }
        Ok(changes)
    }

    /// Files the manifest lists that `changes` no longer produce (of `domains`, or all).
    fn removals(
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

    /// Writes the changes, then the bases of owned files, then the manifest (last).
    fn commit(&self, changes: &[Change]) -> anyhow::Result<()> {
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
            new: Some(text),
        });
        write::apply(&self.root, &writes, last.as_ref())?;
        // A run killed earlier may have left temporary files behind.
        for dir in [
            self.root.join(&self.config.output),
            self.root.join(".scaffold"),
        ] {
            write::remove_leftovers(&dir);
        }
        Ok(())
    }
}

fn render_files(
    workspace: &Workspace,
    project: &scaffold_parser::Project,
    printer: &mut Printer,
) -> anyhow::Result<Option<Vec<scaffold_render::RenderedFile>>> {
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
    match scaffold_render::render_with(project, &workspace.pack, &reuse) {
        Ok(files) => Ok(Some(files)),
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

pub fn run(args: &GenerateArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = &args.out;
    let workspace = Workspace::load(root, args.stack.as_ref())?;
    let specs_dir = root.join(&workspace.config.specs);
    let mut sources = specs::load(root, &args.specs, &specs_dir)?;
    // Named specs select domains; the project-wide files (the module list) still
    // need every domain, so the project's other specs are read too.
    let selected: Option<Vec<String>> =
        (!args.specs.is_empty()).then(|| sources.iter().map(|s| s.path.clone()).collect());
    if selected.is_some() && specs_dir.is_dir() {
        for source in specs::load(root, &[], &specs_dir)? {
            if !sources.iter().any(|s| s.path == source.path) {
                sources.push(source);
            }
        }
        sources.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let Some(parsed) = parse(&sources, &workspace.config, args.format, false, printer) else {
        return Ok(Outcome::Problems);
    };
    let Some(mut files) = render_files(&workspace, &parsed.project, printer)? else {
        return Ok(Outcome::Problems);
    };
    if let Some(selected) = &selected {
        let chosen: Vec<&str> = parsed
            .project
            .domains
            .iter()
            .filter(|d| d.specs.iter().any(|s| selected.contains(&s.path)))
            .map(|d| d.name.as_str())
            .collect();
        files.retain(|f| f.domain.as_deref().is_none_or(|d| chosen.contains(&d)));
    }
    let options = PlanOptions {
        force: args.force,
        markers: args.merge == MergeMode::Markers,
    };
    let mut changes = workspace.plan(files, options)?;
    // Only a run over every spec knows which domains are gone.
    if args.specs.is_empty() {
        let removals = workspace.removals(&changes, None)?;
        changes.extend(removals);
    }
    let first_run =
        workspace.manifest.entries.is_empty() && changes.iter().all(|c| c.status == Status::Create);
    let refused: Vec<&Change> = changes
        .iter()
        .filter(|c| c.status == Status::Conflict && c.new.is_none())
        .collect();
    let marked: Vec<&Change> = changes
        .iter()
        .filter(|c| c.status == Status::Conflict && c.new.is_some())
        .collect();

    if args.check {
        return check(&changes, args.format, printer);
    }
    if args.dry_run {
        for change in changes
            .iter()
            .filter(|c| !matches!(c.status, Status::Identical | Status::Skip))
        {
            let refused = change.status == Status::Conflict && change.new.is_none();
            printer.raw(&if refused {
                change.conflict_diff()
            } else {
                change.diff()
            });
        }
    }
    report(&changes, args.format, printer);
    if !refused.is_empty() {
        if args.format == Format::Human {
            if !args.dry_run {
                for change in &refused {
                    printer.raw(&change.conflict_diff());
                }
            }
            printer.error(
                &format!("{} file(s) conflict with the specs; nothing was written", refused.len()),
                Some("see the differences with `scaffold generate --dry-run`; `--merge=markers` writes conflict markers into owned files, `--force` overwrites"),
            );
        }
        return Ok(Outcome::Problems);
    }
    if args.dry_run {
        if args.format == Format::Human {
            printer.line("dry run: nothing was written");
        }
        return Ok(Outcome::Success);
    }
    workspace.commit(&changes)?;
    if !marked.is_empty() {
        printer.error(
            &format!("{} file(s) now carry conflict markers", marked.len()),
            Some(
                "resolve the <<<<<<< / >>>>>>> blocks, then check with `scaffold generate --check`",
            ),
        );
        return Ok(Outcome::Problems);
    }
    if first_run && args.format == Format::Human {
        let (deps, dev_deps) = scaffold_render::dependencies(&parsed.project, &workspace.pack);
        printer.line("");
        printer.line("The generated code needs these in the host crate's Cargo.toml:");
        printer.line("[dependencies]");
        for line in deps {
            printer.line(&line);
        }
        printer.line("[dev-dependencies]");
        for line in dev_deps {
            printer.line(&line);
        }
    }
    Ok(Outcome::Success)
}

/// `--check`: exit 1 if generating would change anything, or a file has conflict markers.
fn check(changes: &[Change], format: Format, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let mut stale: Vec<(&str, String)> = Vec::new();
    for change in changes {
        match change.status {
            Status::Identical | Status::Skip => {}
            status => stale.push((&change.path, status.as_str().to_string())),
        }
        if change
            .old
            .as_deref()
            .is_some_and(changeset::has_conflict_markers)
        {
            stale.push((&change.path, "has conflict markers".into()));
        }
    }
    match format {
        Format::Human => {
            for (path, why) in &stale {
                printer.status(why, path);
            }
            if stale.is_empty() {
                printer.line(&format!("up to date: {}", changeset::summary(changes)));
            } else {
                printer.error(
                    &format!("{} generated file(s) are out of date with the specs", stale.len()),
                    Some("run `scaffold generate` (resolve conflict markers by hand) and commit the result"),
                );
            }
        }
        Format::Json => {
            for (path, why) in &stale {
                printer.line(&json!({"kind": "stale", "path": path, "status": why}).to_string());
            }
            printer.line(&json!({"kind": "summary", "up_to_date": stale.is_empty()}).to_string());
        }
    }
    Ok(if stale.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

/// `scaffold remove <domain>`: deletes the domain's pristine files, keeps edited ones.
pub fn remove(args: &crate::RemoveArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = &args.out;
    let workspace = Workspace::load(root, None)?;
    if !workspace
        .manifest
        .entries
        .iter()
        .any(|e| e.domain.as_deref() == Some(args.domain.as_str()))
    {
        return Err(crate::usage(
            format!(
                "the manifest lists no generated files of domain `{}`",
                args.domain
            ),
            "run `scaffold generate` first, or check the domain's name in .scaffold/manifest.toml",
        ));
    }
    let sources = specs::load(root, &[], &root.join(&workspace.config.specs))?;
    let Some(mut parsed) = parse(&sources, &workspace.config, Format::Human, false, printer) else {
        return Ok(Outcome::Problems);
    };
    if let Some(domain) = parsed
        .project
        .domains
        .iter()
        .find(|d| d.name == args.domain)
    {
        let specs: Vec<&str> = domain.specs.iter().map(|s| s.path.as_str()).collect();
        printer.warning(&format!(
            "specs still declare `{}` ({}): delete or move them, or the next `scaffold generate` brings it back",
            args.domain,
            specs.join(", ")
        ));
    }
    parsed.project.domains.retain(|d| d.name != args.domain);
    let Some(files) = render_files(&workspace, &parsed.project, printer)? else {
        return Ok(Outcome::Problems);
    };
    // Only project-wide files (the module list) change; other domains stay as they are.
    let project_files: Vec<_> = files.into_iter().filter(|f| f.domain.is_none()).collect();
    let mut changes = workspace.plan(project_files, PlanOptions::default())?;
    let removals = workspace.removals(&changes, Some(&args.domain))?;
    let kept: Vec<String> = removals
        .iter()
        .filter(|c| c.status == Status::Skip && c.old.is_some())
        .map(|c| c.path.clone())
        .collect();
    changes.extend(removals);
    report(&changes, Format::Human, printer);
    if changes.iter().any(|c| c.status == Status::Conflict) {
        printer.error(
            "a project-wide file was edited by hand; nothing was removed",
            Some("restore it or pass it through `scaffold generate --force` first"),
        );
        return Ok(Outcome::Problems);
    }
    workspace.commit(&changes)?;
    for path in &kept {
        printer.line(&format!(
            "kept {path}: you edited it; delete it yourself when you no longer need it"
        ));
    }
    Ok(Outcome::Success)
}

fn report(changes: &[Change], format: Format, printer: &mut Printer) {
    match format {
        Format::Human => {
            for change in changes {
                match &change.note {
                    Some(note) => printer.status(
                        change.status.as_str(),
                        &format!("{}  ({note})", change.path),
                    ),
                    None => printer.status(change.status.as_str(), &change.path),
                }
            }
            printer.line(&changeset::summary(changes));
        }
        Format::Json => {
            for change in changes {
                printer.line(&json!({"kind": "file", "status": change.status, "path": change.path, "template": change.template, "note": change.note}).to_string());
            }
            printer.line(
                &json!({"kind": "summary", "summary": changeset::summary(changes)}).to_string(),
            );
        }
    }
}

pub fn templates(
    command: &crate::TemplatesCommand,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    match command {
        crate::TemplatesCommand::List => {
            for pack in Pack::available() {
                printer.line(pack);
                for (path, _) in Pack::embedded_files(pack) {
                    printer.line(&format!("  {path}"));
                }
            }
            Ok(Outcome::Success)
        }
        crate::TemplatesCommand::Eject { stack, out } => {
            let config = Config::load(out)?;
            let stack = stack.clone().unwrap_or_else(|| config.stack.clone());
            let files = Pack::embedded_files(&stack);
            if files.is_empty() {
                return Err(render_error(&RenderError::UnknownPack {
                    name: stack,
                    available: Pack::available().join(", "),
                }));
            }
            let base = format!("{}/{stack}", config.templates.trim_end_matches('/'));
            let mut changes = Vec::new();
            for (path, contents) in files {
                let rel = format!("{base}/{path}");
                let existing = std::fs::read_to_string(out.join(&rel)).ok();
                let mut change =
                    Change::simple(rel, path.to_string(), existing, contents.to_string());
                // An existing override is the user's: never replace it.
                if change.status == Status::Conflict {
                    change.status = Status::Skip;
                }
                changes.push(change);
            }
            let writes: Vec<FileWrite> = changes
                .iter()
                .filter(|c| c.writes())
                .map(|c| FileWrite {
                    path: c.path.clone(),
                    old: c.old.clone(),
                    new: c.new.clone(),
                })
                .collect();
            write::apply(out, &writes, None)?;
            report(&changes, Format::Human, printer);
            printer.line(&format!(
                "edit the files under {base}/; delete those you keep as they are"
            ));
            Ok(Outcome::Success)
        }
    }
}
