//! `scaffold openapi [DOMAIN] [--out FILE]`: the API the specs describe, as an
//! OpenAPI 3.1 document for the frontend; and `[generate] openapi = "..."`,
//! which makes `generate` keep that file current and `--check` report it stale.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use scaffold_openapi::Format as DocFormat;
use scaffold_parser::Project;
use serde_json::json;

use crate::config::Config;
use crate::{Format, GenerateArgs, Outcome, Printer, specs};

#[derive(Debug, Clone, clap::Args)]
pub struct OpenapiArgs {
    /// Only this domain (default: every domain of the specs).
    pub domain: Option<String>,
    /// Write the document to this file (`.json` for JSON, else YAML) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Project root: scaffold.toml and specs/ are relative to it.
    #[arg(long, visible_alias = "root", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

pub fn run(args: &OpenapiArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let config = Config::load(&args.project)?;
    let Some((_, parsed)) = super::parse_project(&args.project, &config, printer)? else {
        return Ok(Outcome::Problems);
    };
    let project = parsed.project;
    let domains: Vec<&str> = match &args.domain {
        None => Vec::new(),
        Some(domain) if project.domains.iter().any(|d| &d.name == domain) => vec![domain.as_str()],
        Some(domain) => {
            let known: Vec<&str> = project.domains.iter().map(|d| d.name.as_str()).collect();
            return Err(crate::usage(
                format!("no domain `{domain}` in the specs"),
                format!("domains: {}", known.join(", ")),
            ));
        }
    };
    match &args.out {
        None => {
            printer.raw(&scaffold_openapi::write(
                &project,
                &domains,
                DocFormat::Yaml,
            ));
        }
        Some(out) => {
            let text = scaffold_openapi::write(
                &project,
                &domains,
                DocFormat::for_path(&out.to_string_lossy()),
            );
            let status = write_if_changed(out, &text)?;
            printer.status(status, &out.display().to_string());
        }
    }
    Ok(Outcome::Success)
}

/// Writes `text` unless the file already holds it; the status word to print.
fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<&'static str> {
    let old = std::fs::read_to_string(path).ok();
    if old.as_deref() == Some(text) {
        return Ok("identical");
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // A sibling temporary file and a rename: readers never see half a document.
    let temp = path.with_extension("scaffold-tmp");
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(if old.is_some() { "update" } else { "create" })
}

/// Before `generate`: a `[generate] openapi` path must be a file of the
/// project outside the specs folder, where it would be read back as a
/// contract of the specs it describes (every operation twice).
pub fn check_config(args: &GenerateArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.project)?;
    let Some(rel) = config.generate.openapi.as_deref() else {
        return Ok(());
    };
    let inside_specs = Path::new(rel).starts_with(&config.specs);
    if Path::new(rel).is_absolute() || rel.split(['/', '\\']).any(|p| p == "..") || inside_specs {
        return Err(crate::usage(
            format!(
                "scaffold.toml: `openapi = {rel:?}` must be a file inside the project and outside `{}`",
                config.specs
            ),
            "use a path such as `api/openapi.yaml`; files under the specs folder are read as contracts",
        ));
    }
    Ok(())
}

/// After `generate` (or `generate --check`) succeeded: keep the document named
/// by `[generate] openapi` current, or report it stale. Runs over every spec,
/// whatever the command line named, because the document describes them all.
pub fn after_generate(
    args: &GenerateArgs,
    outcome: Outcome,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    if outcome != Outcome::Success {
        return Ok(outcome);
    }
    let config = Config::load(&args.project)?;
    let Some(rel) = config.generate.openapi.clone() else {
        return Ok(outcome);
    };
    let sources = specs::load(&args.project, &[], &args.project.join(&config.specs))?;
    // The document must not be read as one of its own inputs.
    let sources: Vec<_> = sources.into_iter().filter(|s| s.path != rel).collect();
    let parsed = scaffold_parser::parse_with(&sources, &config.parse_options());
    if parsed.has_errors() {
        // generate already reported them; nothing to describe.
        return Ok(outcome);
    }
    let text = document(&parsed.project, &rel);
    let path = args.project.join(&rel);
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() == Some(text.as_str()) {
        return Ok(outcome);
    }
    if args.check || args.dry_run {
        let status = if current.is_some() {
            "update"
        } else {
            "create"
        };
        match args.format {
            Format::Human => printer.status(status, &rel),
            Format::Json => {
                printer.line(&json!({"kind": "file", "path": rel, "status": status}).to_string())
            }
        }
        if args.check {
            if args.format == Format::Human {
                printer.error(
                    &format!("{rel} is out of date with the specs"),
                    Some("run `scaffold generate` and commit the result"),
                );
            }
            return Ok(Outcome::Problems);
        }
        return Ok(outcome);
    }
    let status = write_if_changed(&path, &text)?;
    match args.format {
        Format::Human => printer.status(status, &rel),
        Format::Json => {
            printer.line(&json!({"kind": "file", "path": rel, "status": status}).to_string())
        }
    }
    Ok(outcome)
}

fn document(project: &Project, rel: &str) -> String {
    scaffold_openapi::write(project, &[], DocFormat::for_path(rel))
}
