//! `scaffold generate`: parse, render, plan against the disk and the manifest, write.

use std::path::Path;

use scaffold_parser::Project;
use scaffold_regen::changeset::{self, Change, PlanOptions, Status};
use serde_json::json;

use crate::report::{parse, report};
use crate::workspace::{Workspace, render_files};
use crate::write::{self, FileWrite};
use crate::{Format, GenerateArgs, MergeMode, Outcome, Printer, specs};
use crate::{deps, rerun};

/// Runs `generate`; with the outcome, the project parsed from every spec when
/// this run parsed them all (what runs after `generate` needs not parse again).
pub fn run(
    args: &GenerateArgs,
    printer: &mut Printer,
) -> anyhow::Result<(Outcome, Option<Project>)> {
    let mut parsed_all = None;
    let outcome = run_inner(args, printer, &mut parsed_all)?;
    Ok((outcome, parsed_all))
}

fn run_inner(
    args: &GenerateArgs,
    printer: &mut Printer,
    parsed_all: &mut Option<Project>,
) -> anyhow::Result<Outcome> {
    let root = &args.project;
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
    // Unchanged inputs since the last full run: plan from the disk and the
    // manifest alone (see rerun.rs); anything it cannot show takes the full path.
    let reusable = args.specs.is_empty() && !args.force && !args.add_deps;
    let inputs = if reusable {
        rerun::Inputs::new(&workspace, &sources).ok()
    } else {
        None
    };
    let known = inputs
        .as_ref()
        .and_then(|inputs| rerun::plan(&workspace, inputs));
    let (changes, parsed, record) = match known {
        Some(reused) => {
            // The diagnostics a full run would print, printed again.
            if reused.parse {
                let Some(parsed) = parse(&sources, &workspace.config, args.format, false, printer)
                else {
                    return Ok(Outcome::Problems);
                };
                *parsed_all = Some(parsed.project);
            }
            (reused.changes, None, None)
        }
        None => {
            let Some(parsed) = parse(&sources, &workspace.config, args.format, false, printer)
            else {
                return Ok(Outcome::Problems);
            };
            let Some((mut files, formatted)) = render_files(&workspace, &parsed.project, printer)?
            else {
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
            // A run that warned about the formatter is not recorded: a reuse
            // could not say it again; the specs' diagnostics it can.
            let record = formatted.then_some(!parsed.diagnostics.is_empty());
            (changes, Some(parsed), record)
        }
    };
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

    // A reuse happens only over every spec; a full run kept the named ones
    // and read the others too, maybe from outside the specs folder.
    let every_spec = args.specs.is_empty();
    if args.check {
        if every_spec && let Some(parsed) = parsed {
            *parsed_all = Some(parsed.project);
        }
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
        if every_spec && let Some(parsed) = parsed {
            *parsed_all = Some(parsed.project);
        }
        return Ok(Outcome::Success);
    }
    let Some(parsed) = parsed else {
        // A reused plan writes nothing (every file is identical or an owned
        // file the specs do not touch), is never a first run nor `--add-deps`.
        return Ok(Outcome::Success);
    };
    let manifest_text = workspace.commit(&changes)?;
    if !marked.is_empty() {
        printer.error(
            &format!("{} file(s) now carry conflict markers", marked.len()),
            Some(
                "resolve the <<<<<<< / >>>>>>> blocks, then check with `scaffold generate --check`",
            ),
        );
        return Ok(Outcome::Problems);
    }
    if let (Some(inputs), Some(diagnostics)) = (&inputs, record) {
        rerun::record(root, inputs, &manifest_text, diagnostics);
    }
    let (deps, dev_deps) = scaffold_render::dependencies_with(
        &parsed.project,
        &workspace.pack,
        &workspace.config.database,
    );
    if args.add_deps {
        add_deps(&args.project, &deps, &dev_deps, printer)?;
    } else if first_run && args.format == Format::Human {
        print_deps(&args.project, &deps, &dev_deps, printer)?;
    }
    if every_spec {
        *parsed_all = Some(parsed.project);
    }
    Ok(Outcome::Success)
}

/// `--add-deps`: what the host's Cargo.toml lacks is added, nothing else changes.
fn add_deps(
    root: &Path,
    deps: &[String],
    dev_deps: &[String],
    printer: &mut Printer,
) -> anyhow::Result<()> {
    let (wanted, dev_wanted) = cargo_deps(deps, dev_deps).ok_or_else(|| {
        crate::usage(
            "--add-deps edits a Cargo.toml, and this stack's code does not need Cargo dependencies",
            "add the requirements `scaffold generate` printed to your project's requirements file",
        )
    })?;
    let Some((text, mut doc)) = deps::read_manifest(root)? else {
        return Err(crate::usage(
            "--add-deps: the project has no Cargo.toml",
            "generate into a host crate (`cargo init` first), or name it with --project",
        ));
    };
    let missing = deps::missing(&doc, &wanted, false);
    deps::add(&mut doc, "dependencies", &missing);
    let dev_missing = deps::missing(&doc, &dev_wanted, true);
    deps::add(&mut doc, "dev-dependencies", &dev_missing);
    let names: Vec<String> = missing
        .iter()
        .chain(&dev_missing)
        .map(|(w, whole)| {
            if *whole {
                w.name.clone()
            } else {
                format!("{} features {}", w.name, w.features.join(", "))
            }
        })
        .collect();
    if names.is_empty() {
        printer.status("identical", "Cargo.toml");
        return Ok(());
    }
    let new = doc.to_string();
    let write = FileWrite {
        path: "Cargo.toml".into(),
        old: Some(text),
        new: Some(new),
    };
    write::apply(root, &[write], None)?;
    printer.status(
        "update",
        &format!("Cargo.toml  (added {})", names.join("; ")),
    );
    Ok(())
}

/// After a first run: the host's missing dependencies as one command to run.
fn print_deps(
    root: &Path,
    deps: &[String],
    dev_deps: &[String],
    printer: &mut Printer,
) -> anyhow::Result<()> {
    let Some((wanted, dev_wanted)) = cargo_deps(deps, dev_deps) else {
        // Another stack's requirements: shown as the pack spells them.
        printer.line("");
        printer.line("The generated code needs these:");
        for line in deps.iter().chain(dev_deps) {
            printer.line(&format!("  {line}"));
        }
        return Ok(());
    };
    let doc = deps::read_manifest(root)?
        .map(|(_, doc)| doc)
        .unwrap_or_default();
    let missing = deps::missing(&doc, &wanted, false);
    let dev_missing = deps::missing(&doc, &dev_wanted, true);
    if missing.is_empty() && dev_missing.is_empty() {
        return Ok(());
    }
    printer.line("");
    printer.line("The generated code needs dependencies the host crate lacks; add them with:");
    printer.line(&format!(
        "  {}",
        deps::cargo_add_command(&missing, &dev_missing)
    ));
    printer.line("(or run `scaffold generate --add-deps` to edit Cargo.toml)");
    Ok(())
}

/// The pack's dependency lines read as Cargo dependencies; `None` when they
/// are not (another stack's requirements).
fn cargo_deps(
    deps: &[String],
    dev_deps: &[String],
) -> Option<(Vec<deps::Wanted>, Vec<deps::Wanted>)> {
    let read = |lines: &[String]| -> Option<Vec<deps::Wanted>> {
        lines.iter().map(|l| deps::parse_line(l)).collect()
    };
    Some((read(deps)?, read(dev_deps)?))
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
