//! `scaffold new`: onboard a ticket (spec templates, scaffold.toml, hooks) without overwriting anything.

use std::path::Path;

use scaffold_guard::{install, paths};

use crate::config::FILE_NAME;
use crate::{Outcome, Printer, usage};

/// The scaffold.toml `scaffold new` writes when a project has none.
const DEFAULT_CONFIG: &str = "# scaffold settings (these are the defaults); see the README.\nstack = \"rust-axum\"\nspecs = \"specs\"\noutput = \"backend\"\ntemplates = \"templates\"\n\n# The migration guard: who may add migrations, and how agents are recognised.\n[guard.agents.data-engineer]\ncreate = [\"migrations/**\", \"**/migrations/**\"]\n";

/// The spec format reference, copied into projects so spec.md can link to it.
const SPEC_FORMAT: &str = include_str!("../../../../docs/spec-format.md");

/// Where `scaffold new` puts [`SPEC_FORMAT`] (kept if it exists).
const SPEC_FORMAT_PATH: &str = "docs/scaffold/spec-format.md";

/// `scaffold new <ticket> --domain <name>`: everything a new ticket needs, nothing overwritten.
pub fn run(args: &crate::NewArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let ticket_ok = !args.ticket.is_empty()
        && args
            .ticket
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !args.ticket.starts_with('-');
    if !ticket_ok {
        return Err(usage(
            format!("`{}` is not a ticket name", args.ticket),
            "use letters, digits, `-` and `_`, for example ORD-142",
        ));
    }
    let domain_ok = args.domain.starts_with(|c: char| c.is_ascii_lowercase())
        && args
            .domain
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !domain_ok {
        return Err(usage(
            format!("`{}` is not a domain name", args.domain),
            "a domain is a folder and a module: snake_case, starting with a letter, for example `billing`",
        ));
    }
    let config = crate::config::Config::load(&args.project)?;
    let mut files: Vec<(String, String)> =
        scaffold_render::new_domain_files(&args.ticket, &args.domain)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .into_iter()
            .map(|(name, text)| {
                (
                    format!(
                        "{}/{}/{name}",
                        config.specs.trim_end_matches('/'),
                        args.ticket
                    ),
                    text,
                )
            })
            .collect();
    // The spec template links to the format reference: a copy in the user's
    // project, so the link works offline and matches this binary's grammar.
    let up = "../".repeat(Path::new(&config.specs).components().count() + 1);
    for (_, text) in &mut files {
        *text = text.replace("../../docs/scaffold/", &format!("{up}docs/scaffold/"));
    }
    files.push((SPEC_FORMAT_PATH.to_string(), SPEC_FORMAT.to_string()));
    let stack = args.stack.clone().unwrap_or_else(|| config.stack.clone());
    files.extend(crate::requirements::for_new(&args.project, &stack)?);
    let stack_line = format!("stack = {stack:?}");
    files.push((
        FILE_NAME.to_string(),
        DEFAULT_CONFIG.replace("stack = \"rust-axum\"", &stack_line),
    ));
    let mut writes = Vec::new();
    for (path, text) in files {
        let exists = args.project.join(&path).exists();
        printer.status(if exists { "skip" } else { "create" }, &path);
        if !exists {
            writes.push(crate::write::FileWrite {
                path,
                old: None,
                new: Some(text),
            });
        }
    }
    // Migrations must keep their bytes whatever a checkout's line-ending settings are.
    let attributes = std::fs::read_to_string(args.project.join(".gitattributes")).ok();
    if !attributes.as_deref().is_some_and(|a| {
        a.lines()
            .any(|l| l.starts_with("*.sql") && l.contains("eol=lf"))
    }) {
        let mut text = attributes.clone().unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("*.sql text eol=lf\n");
        printer.status(
            if attributes.is_some() {
                "update"
            } else {
                "create"
            },
            ".gitattributes",
        );
        writes.push(crate::write::FileWrite {
            path: ".gitattributes".into(),
            old: attributes,
            new: Some(text),
        });
    }
    crate::write::apply(&args.project, &writes, None)?;
    if !args.no_hooks {
        match paths::repository_root(&args.project) {
            Some(root) => {
                for action in install::install_git_hook(&root, "scaffold")?.into_iter().chain(install::install_claude_settings(&root, &install::hook_command("scaffold"))?) {
                    printer.line(&action.replace(&format!("{}/", root.display()), ""));
                }
            }
            None => printer.warning("not a git repository: hooks not installed (run `scaffold guard install` after `git init`)"),
        }
    }
    printer.line(&format!(
        "next: describe the feature in {}/{}/spec.md, then `scaffold lint` and `scaffold generate`",
        config.specs.trim_end_matches('/'),
        args.ticket
    ));
    Ok(Outcome::Success)
}
