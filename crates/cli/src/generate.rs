//! `scaffold generate` and `scaffold lint`.

use std::path::Path;

use scaffold_render::changeset::{self, Change, Status};
use scaffold_render::{Pack, RenderError};
use scaffold_spec::{Parsed, Source};
use serde_json::json;

use crate::config::Config;
use crate::{Format, GenerateArgs, LintArgs, Outcome, Printer, specs, write};

fn parse(sources: &[Source], format: Format, printer: &mut Printer) -> Option<Parsed> {
    let parsed = scaffold_spec::parse(sources);
    match format {
        Format::Human => {
            if !parsed.diagnostics.is_empty() {
                printer.stderr(&scaffold_spec::render_all(
                    &parsed.diagnostics,
                    sources,
                    printer.color(),
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
    let sources = specs::load(&args.out, &args.specs, &args.out.join(&config.specs))?;
    let Some(parsed) = parse(&sources, args.format, printer) else {
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

pub fn run(args: &GenerateArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = &args.out;
    let config = Config::load(root)?;
    let stack = args.stack.clone().unwrap_or_else(|| config.stack.clone());
    let pack = load_pack(root, &config, &stack)?;
    let sources = specs::load(root, &args.specs, &root.join(&config.specs))?;
    let Some(parsed) = parse(&sources, args.format, printer) else {
        return Ok(Outcome::Problems);
    };
    let files = match scaffold_render::render(&parsed.project, &pack) {
        Ok(files) => files,
        // Names this stack cannot spell are problems in the specs (exit 1), not usage errors.
        Err(error @ RenderError::Stack { .. }) => {
            let failure = render_error(&error);
            let hint = failure
                .downcast_ref::<crate::UsageError>()
                .and_then(|e| e.hint.clone());
            printer.error(&failure.to_string(), hint.as_deref());
            return Ok(Outcome::Problems);
        }
        Err(error) => return Err(render_error(&error)),
    };

    let output_root = config.output.trim_end_matches('/');
    let mut changes = Vec::new();
    for file in files {
        let path = if output_root.is_empty() || output_root == "." {
            file.path
        } else {
            format!("{output_root}/{}", file.path)
        };
        let existing = match std::fs::read_to_string(root.join(&path)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(anyhow::anyhow!("cannot read {path}: {e}")),
        };
        changes.push(Change::plan(
            path,
            file.template,
            existing,
            file.contents,
            args.force,
        ));
    }
    let first_run = changes.iter().all(|c| c.status == Status::Create);
    let conflicts = changes
        .iter()
        .filter(|c| c.status == Status::Conflict)
        .count();

    if args.dry_run {
        for change in changes.iter().filter(|c| c.status != Status::Identical) {
            printer.raw(&change.diff());
        }
    }
    report(&changes, args.format, printer);
    if conflicts > 0 {
        if args.format == Format::Human {
            printer.error(
                &format!("{conflicts} file(s) differ from what the specs generate; nothing was written"),
                Some("see the differences with `scaffold generate --dry-run`; keep your edits in the spec, or pass --force to overwrite"),
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
    write::apply(root, &changes)?;
    if first_run && args.format == Format::Human {
        let (deps, dev_deps) = scaffold_render::dependencies(&parsed.project, &pack);
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

fn report(changes: &[Change], format: Format, printer: &mut Printer) {
    match format {
        Format::Human => {
            for change in changes {
                printer.status(change.status.as_str(), &change.path);
            }
            printer.line(&changeset::summary(changes));
        }
        Format::Json => {
            for change in changes {
                printer.line(&json!({"kind": "file", "status": change.status, "path": change.path, "template": change.template}).to_string());
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
                    Change::plan(rel, path.to_string(), existing, contents.to_string(), false);
                // An existing override is the user's: never replace it.
                if change.status == Status::Conflict {
                    change.status = Status::Skip;
                }
                changes.push(change);
            }
            write::apply(out, &changes)?;
            report(&changes, Format::Human, printer);
            printer.line(&format!(
                "edit the files under {base}/; delete those you keep as they are"
            ));
            Ok(Outcome::Success)
        }
    }
}
