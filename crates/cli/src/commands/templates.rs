//! `scaffold templates list|eject`: the embedded template packs.

use scaffold_regen::changeset::{Change, Status};
use scaffold_render::{Pack, RenderError};

use crate::config::Config;
use crate::report::report;
use crate::workspace::render_error;
use crate::write::{self, FileWrite};
use crate::{Format, Outcome, Printer};

pub fn run(command: &crate::TemplatesCommand, printer: &mut Printer) -> anyhow::Result<Outcome> {
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
        crate::TemplatesCommand::Eject { stack, project } => {
            let config = Config::load(project)?;
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
                let existing = std::fs::read_to_string(project.join(&rel)).ok();
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
            write::apply(project, &writes, None)?;
            report(&changes, Format::Human, printer);
            printer.line(&format!(
                "edit the files under {base}/; delete those you keep as they are"
            ));
            Ok(Outcome::Success)
        }
    }
}
