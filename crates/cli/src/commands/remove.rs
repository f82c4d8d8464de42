//! `scaffold remove <domain>`: delete a domain's pristine generated files, keep edited ones.

use scaffold_regen::changeset::{PlanOptions, Status};

use crate::report::{parse, report};
use crate::workspace::{Workspace, render_files};
use crate::{Format, Outcome, Printer, specs};

/// `scaffold remove <domain>`: deletes the domain's pristine files, keeps edited ones.
pub fn run(args: &crate::RemoveArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = &args.project;
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
    let Some((files, _)) = render_files(&workspace, &parsed.project, printer)? else {
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
