//! `scaffold lint`: parse and validate the specs, optionally rewriting wild forms first.

use serde_json::json;

use crate::config::Config;
use crate::report::parse;
use crate::write::{self, FileWrite};
use crate::{Format, LintArgs, Outcome, Printer, specs};

pub fn run(args: &LintArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let config = Config::load(&args.project)?;
    let mut sources = specs::load(
        &args.project,
        &args.specs,
        &args.project.join(&config.specs),
    )?;
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
        write::apply(&args.project, &writes, None)?;
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
