//! One module per `scaffold` command; what several share lives beside them
//! (`workspace.rs`, `report.rs`, `specs.rs`) or below (the spec-kit helpers).

pub mod completions;
pub mod draft;
pub mod generate;
pub mod guard;
pub mod lint;
pub mod new;
pub mod openapi;
pub mod remove;
pub mod schema;
pub mod tasks;
pub mod templates;

use std::path::Path;

use scaffold_parser::{Parsed, Severity, Source};

use crate::Printer;
use crate::config::Config;
use crate::specs;

/// Reads every spec of the project and parses it with the project's options.
/// Errors and warnings are printed (notes are `lint`'s business); `None` when
/// there are errors.
pub(crate) fn parse_project(
    root: &Path,
    config: &Config,
    printer: &mut Printer,
) -> anyhow::Result<Option<(Vec<Source>, Parsed)>> {
    let sources = specs::load(root, &[], &root.join(&config.specs))?;
    let parsed = scaffold_parser::parse_with(&sources, &config.parse_options());
    let shown: Vec<scaffold_parser::Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .cloned()
        .collect();
    if !shown.is_empty() {
        printer.stderr(&scaffold_parser::render_all(
            &shown,
            &sources,
            printer.color(),
        ));
    }
    if parsed.has_errors() {
        return Ok(None);
    }
    Ok(Some((sources, parsed)))
}

/// The feature folders to work on: `specs/<ticket>` when named (it must hold a
/// spec.md), else every folder under specs/ that has one, sorted.
pub(crate) fn feature_folders(
    root: &Path,
    config: &Config,
    ticket: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let specs_dir = root.join(&config.specs);
    if let Some(ticket) = ticket {
        let dir = specs_dir.join(ticket);
        if !dir.join("spec.md").is_file() {
            return Err(crate::usage(
                format!(
                    "{}: no such feature (no spec.md)",
                    specs::display_path(root, &dir)
                ),
                format!(
                    "name a folder of {} that holds a spec.md, for example `001-todo-app`",
                    config.specs
                ),
            ));
        }
        return Ok(vec![specs::display_path(root, &dir)]);
    }
    let mut found: Vec<String> = Vec::new();
    for dir in specs::feature_dirs(&specs_dir)? {
        found.push(specs::display_path(root, &dir));
    }
    found.sort();
    if found.is_empty() {
        return Err(crate::usage(
            format!("no spec.md under {}", config.specs),
            "write specs/<ticket>/spec.md first (spec-kit's /specify does)",
        ));
    }
    Ok(found)
}
