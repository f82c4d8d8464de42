//! `scaffold generate`: parse, render, plan against the disk and the manifest, write.

use scaffold_regen::changeset::{self, Change, PlanOptions, Status};
use serde_json::json;

use crate::report::{parse, report};
use crate::workspace::{Workspace, render_files};
use crate::{Format, GenerateArgs, MergeMode, Outcome, Printer, specs};

pub fn run(args: &GenerateArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
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
