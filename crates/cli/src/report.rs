//! How `generate`, `lint`, `remove` and `templates` report: the diagnostics of
//! the specs, and one status line per file.

use scaffold_parser::{Parsed, Source};
use scaffold_regen::changeset::{self, Change};
use serde_json::json;

use crate::config::Config;
use crate::{Format, Printer};

/// Parses with the project's options and prints the diagnostics. Notes (what
/// was inferred from wild forms) are shown in full by `lint`; `generate`
/// counts them and points at `lint`, so its output stays about the files.
pub(crate) fn parse(
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

pub(crate) fn report(changes: &[Change], format: Format, printer: &mut Printer) {
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
