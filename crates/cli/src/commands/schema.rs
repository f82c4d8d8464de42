//! `scaffold schema [DOMAIN]`: the PostgreSQL schema the specs imply, as a
//! request for the data engineer (never a migration); `--diff` lists what
//! changed since the last request, `--check` what a live database lacks.
//! After `generate` and `new`: the request is recorded in
//! `.scaffold/schema.sql` (beside the manifest, committed with it) and the
//! marked "Schema changes" block of each ticket's architecture.md follows it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use scaffold_parser::{Project, Source};
use scaffold_schema::{DatabaseConfig, Schema, live::LiveError};
use serde_json::json;

use crate::config::Config;
use crate::{Format, Outcome, Printer, specs, usage};

/// The last schema request `generate` wrote, relative to the project root:
/// what `--diff` compares with.
pub const RECORD: &str = ".scaffold/schema.sql";

/// The markers of the generated block in architecture.md.
const BEGIN: &str = "<!-- scaffold:schema begin (written by `scaffold generate` from the specs; text between the markers is replaced) -->";
const END: &str = "<!-- scaffold:schema end -->";

#[derive(Debug, Clone, clap::Args)]
pub struct SchemaArgs {
    /// Only this domain (default: every domain of the specs).
    pub domain: Option<String>,
    /// List what changed since the last schema request (`.scaffold/schema.sql`,
    /// recorded by `generate`), or since the request in FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = RECORD, conflicts_with = "check")]
    pub diff: Option<PathBuf>,
    /// Compare with a live database: exit 1 when it lacks a table, column,
    /// type, key or index the specs need; 2 when it cannot be reached.
    #[arg(long)]
    pub check: bool,
    /// The database `--check` reads (default: the DATABASE_URL variable).
    #[arg(long, value_name = "URL", requires = "check")]
    pub database_url: Option<String>,
    /// Project root: scaffold.toml and specs/ are relative to it.
    #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: &SchemaArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = &args.project;
    let config = Config::load(root)?;
    let Some((_, parsed)) = super::parse_project(root, &config, printer)? else {
        return Ok(Outcome::Problems);
    };
    let project = parsed.project;
    let schema = build(&project, &config.database)?;
    let domains: Vec<&str> = match &args.domain {
        None => Vec::new(),
        Some(domain) if project.domains.iter().any(|d| &d.name == domain) => vec![domain.as_str()],
        Some(domain) => {
            let known: Vec<&str> = project.domains.iter().map(|d| d.name.as_str()).collect();
            return Err(usage(
                format!("no domain `{domain}` in the specs"),
                format!("domains: {}", known.join(", ")),
            ));
        }
    };
    let schema = schema.only(&domains);
    if let Some(previous) = &args.diff {
        return diff(args, previous, &schema, &domains, printer);
    }
    if args.check {
        return check(args, &schema, printer);
    }
    printer.raw(&scaffold_schema::to_sql(&schema));
    Ok(Outcome::Success)
}

fn build(project: &Project, config: &DatabaseConfig) -> anyhow::Result<Schema> {
    scaffold_schema::build(project, config).map_err(|e| usage(e.to_string(), e.hint()))
}

/// `--diff [FILE]`: the changes from the previous request to this one.
fn diff(
    args: &SchemaArgs,
    previous: &Path,
    schema: &Schema,
    domains: &[&str],
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    // The default record lives in the project; a named file is where the user says.
    let path = if previous == Path::new(RECORD) {
        args.project.join(RECORD)
    } else {
        previous.to_path_buf()
    };
    let shown = specs::display_path(&args.project, &path);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => scaffold_schema::parse_sql(&text).map_err(|e| {
            usage(
                format!("{shown}:{}: {}", e.line, e.message),
                "compare with a request scaffold wrote (`scaffold generate` records one in .scaffold/schema.sql)",
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            printer.warning(&format!(
                "no previous schema request at {shown}: every table is new (`scaffold generate` records one)"
            ));
            Schema::default()
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    };
    let changes = scaffold_schema::diff(&old.only(domains), schema);
    match args.format {
        Format::Human => {
            if changes.is_empty() {
                printer.line(&format!("no changes since the schema request in {shown}"));
            }
            for change in &changes {
                printer.line(&change.to_string());
            }
        }
        Format::Json => {
            for change in &changes {
                printer.line(
                    &json!({"kind": change.kind(), "subject": change.subject(), "change": change.to_string()})
                        .to_string(),
                );
            }
        }
    }
    Ok(Outcome::Success)
}

/// `--check`: what the database lacks, one line per table or column.
fn check(args: &SchemaArgs, schema: &Schema, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let url = match &args.database_url {
        Some(url) => url.clone(),
        None => std::env::var("DATABASE_URL").map_err(|_| {
            usage(
                "no database to check",
                "pass --database-url postgres://user@host:5432/db or set DATABASE_URL",
            )
        })?,
    };
    let catalog = scaffold_schema::live::read_catalog(&url).map_err(|e| {
        let hint = match &e {
            LiveError::Url { .. } => {
                "write it as postgres://user:password@host:5432/database (or host=... dbname=...)"
            }
            LiveError::Connect { .. } => {
                "is PostgreSQL running there, and do the host, port, user, password and database name match? TLS is not supported"
            }
            LiveError::Query { .. } => {
                "the user must be able to read pg_catalog (any role can, unless it was revoked)"
            }
        };
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        usage(message, hint)
    })?;
    let drifts = scaffold_schema::compare(schema, &catalog);
    let tables = schema.tables().count();
    match args.format {
        Format::Human => {
            for drift in &drifts {
                printer.line(&format!("drift  {drift}"));
            }
        }
        Format::Json => {
            for drift in &drifts {
                printer.line(
                    &json!({
                        "kind": drift.kind(),
                        "table": drift.table,
                        "column": drift.column,
                        "message": drift.problem.to_string(),
                    })
                    .to_string(),
                );
            }
        }
    }
    if drifts.is_empty() {
        if args.format == Format::Human {
            printer.line(&format!(
                "ok: the database has every table, column, key and index the specs need ({tables} tables)"
            ));
        }
        return Ok(Outcome::Success);
    }
    if args.format == Format::Human {
        printer.error(
            &format!(
                "the database differs from the specs in {} place{}",
                drifts.len(),
                if drifts.len() == 1 { "" } else { "s" }
            ),
            Some("ask the data engineer for a migration: `scaffold schema` prints what the specs need, `scaffold schema --diff` what changed"),
        );
    }
    Ok(Outcome::Problems)
}

/// What `generate` keeps in step with the specs: the record and the blocks.
struct Sync {
    writes: Vec<crate::write::FileWrite>,
    changes: Vec<scaffold_schema::Change>,
}

/// Parses every spec and plans the record and architecture.md writes; `None`
/// when the specs have errors (whoever ran before reported them) or the
/// `[database]` mapping does not fit them (a warning: the code was generated,
/// only the request is not; `scaffold schema` says it as an error).
fn plan(
    root: &Path,
    only_folder: Option<&str>,
    known: Option<&Project>,
    warned: &mut Option<String>,
    printer: &mut Printer,
) -> anyhow::Result<Option<Sync>> {
    let config = Config::load(root)?;
    // `generate` over every spec hands over the project it parsed: parsing
    // every spec again was a fifth of a rerun.
    let parsed;
    let project = match known {
        Some(project) => project,
        None => {
            let sources = specs::load(root, &[], &root.join(&config.specs))?;
            parsed = scaffold_parser::parse_with(&sources, &config.parse_options());
            if parsed.has_errors() {
                return Ok(None);
            }
            &parsed.project
        }
    };
    let schema = match scaffold_schema::build(project, &config.database) {
        Ok(schema) => schema,
        Err(e) => {
            let warning = format!("no schema request recorded: {e}\n  hint: {}", e.hint());
            printer.warning(&warning);
            *warned = Some(warning);
            return Ok(None);
        }
    };
    let sql = scaffold_schema::to_sql(&schema);
    let mut writes = Vec::new();
    let mut changes = Vec::new();
    let old = std::fs::read_to_string(root.join(RECORD)).ok();
    if only_folder.is_none() && old.as_deref() != Some(sql.as_str()) {
        if let Some(previous) = old
            .as_deref()
            .and_then(|text| scaffold_schema::parse_sql(text).ok())
        {
            changes = scaffold_schema::diff(&previous, &schema);
        }
        writes.push(crate::write::FileWrite {
            path: RECORD.to_string(),
            old,
            new: Some(sql),
        });
    }
    let folders: BTreeSet<String> = project
        .domains
        .iter()
        .flat_map(|d| d.specs.iter())
        .map(|s| {
            Source::new(s.path.clone(), String::new())
                .feature_dir()
                .to_string()
        })
        .filter(|f| only_folder.is_none_or(|only| only == f))
        .collect();
    for folder in folders {
        let rel = format!("{folder}/architecture.md");
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        let domains: Vec<&str> = project
            .domains
            .iter()
            .filter(|d| {
                d.specs
                    .iter()
                    .any(|s| Source::new(s.path.clone(), String::new()).feature_dir() == folder)
            })
            .map(|d| d.name.as_str())
            .collect();
        let block = block(&schema.clone().only(&domains), &domains);
        match with_block(&text, &block) {
            Some(new) if new != text => writes.push(crate::write::FileWrite {
                path: rel,
                old: Some(text),
                new: Some(new),
            }),
            Some(_) => {}
            None => {
                return Err(usage(
                    format!("{rel}: `{BEGIN}` without `{END}` (or the other way round)"),
                    "put both markers back, or delete the one left, so scaffold knows which lines it owns",
                ));
            }
        }
    }
    Ok(Some(Sync { writes, changes }))
}

/// The generated block: the SQL of the ticket's domains, fenced.
fn block(schema: &Schema, domains: &[&str]) -> String {
    let names: Vec<String> = domains.iter().map(|d| format!("`{d}`")).collect();
    let mut text = format!("{BEGIN}\n");
    if schema.tables().next().is_none() {
        text.push_str(&format!(
            "The specs of {} describe no entities: no tables are needed.\n",
            names.join(", ")
        ));
    } else {
        text.push_str(&format!(
            "What the specs of {} need in PostgreSQL (`scaffold schema`); `scaffold schema --diff` lists what changed since the last request. A request, not a migration: the data engineer writes that.\n\n```sql\n",
            names.join(", ")
        ));
        for (i, domain) in schema.domains.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&scaffold_schema::domain_sql(domain));
        }
        text.push_str("```\n");
    }
    text.push_str(END);
    text.push('\n');
    text
}

/// `text` with its marked block replaced by `block`, or the block added at
/// the end of the "Schema changes" section (a new section at the end when
/// there is none). `None` when only one marker is there.
fn with_block(text: &str, block: &str) -> Option<String> {
    match (text.find(BEGIN), text.find(END)) {
        (Some(start), Some(end)) if start < end => {
            let mut after = end + END.len();
            if text[after..].starts_with('\n') {
                after += 1;
            }
            return Some(format!("{}{block}{}", &text[..start], &text[after..]));
        }
        (None, None) => {}
        _ => return None,
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let heading = |line: &str| -> Option<usize> {
        let level = line.chars().take_while(|c| *c == '#').count();
        (level > 0 && line[level..].starts_with(' ')).then_some(level)
    };
    let section = lines.iter().position(|line| {
        heading(line).is_some() && line.to_ascii_lowercase().contains("schema changes")
    });
    let Some(at) = section else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("\n## Schema changes\n\n");
        out.push_str(block);
        return Some(out);
    };
    let level = heading(lines[at]).unwrap_or(2);
    let end = lines[at + 1..]
        .iter()
        .position(|line| heading(line).is_some_and(|l| l <= level))
        .map_or(lines.len(), |i| at + 1 + i);
    // The block goes after the section's last non-blank line, one blank line apart.
    let mut last = end;
    while last > at + 1 && lines[last - 1].trim().is_empty() {
        last -= 1;
    }
    let mut out: String = lines[..last].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(block);
    if end < lines.len() {
        out.push('\n');
    }
    out.push_str(&lines[end..].concat());
    Some(out)
}

/// After `generate` (or `--check`, `--dry-run`) succeeded: record the schema
/// request and bring the architecture.md blocks up to date, or report them
/// stale. The record is bookkeeping like the manifest, written without a
/// status line; what changed in it is listed for the data engineer.
/// `project` is every spec of the project as `generate` parsed it, when it did
/// (else they are parsed here).
pub fn after_generate(
    root: &Path,
    check: bool,
    dry_run: bool,
    format: Format,
    outcome: Outcome,
    project: Option<&Project>,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    if outcome != Outcome::Success {
        return Ok(outcome);
    }
    // A rerun `generate` did not parse for: if nothing the step reads changed
    // since a run of it that had nothing to write, it has nothing to write.
    let key = match project {
        Some(_) => None,
        None => {
            let config = Config::load(root)?;
            let sources = specs::load(root, &[], &root.join(&config.specs))?;
            crate::rerun::schema_key(root, &sources, RECORD)
        }
    };
    if let Some(reused) = key
        .as_deref()
        .and_then(|k| crate::rerun::schema_reused(root, k))
    {
        if let Some(warning) = reused {
            printer.warning(&warning);
        }
        return Ok(outcome);
    }
    let mut warned = None;
    let Some(sync) = plan(root, None, project, &mut warned, printer)? else {
        if let Some(key) = &key {
            crate::rerun::schema_record(root, key, warned.as_deref());
        }
        return Ok(outcome);
    };
    if let (true, Some(key)) = (sync.writes.is_empty(), &key) {
        crate::rerun::schema_record(root, key, None);
    }
    let status = |write: &crate::write::FileWrite| {
        if write.old.is_some() {
            "update"
        } else {
            "create"
        }
    };
    let show = |printer: &mut Printer, write: &crate::write::FileWrite| match format {
        Format::Human => printer.status(status(write), &write.path),
        Format::Json => printer.line(
            &json!({"kind": "file", "path": write.path, "status": status(write)}).to_string(),
        ),
    };
    if check || dry_run {
        // The record is bookkeeping, like the manifest: a run that ended in a
        // conflict resolved by hand leaves it behind, and the next
        // `generate` catches up. The blocks people read are checked.
        let shown: Vec<&crate::write::FileWrite> =
            sync.writes.iter().filter(|w| w.path != RECORD).collect();
        for write in &shown {
            show(printer, write);
        }
        if check && !shown.is_empty() {
            if format == Format::Human {
                let paths: Vec<&str> = shown.iter().map(|w| w.path.as_str()).collect();
                printer.error(
                    &format!("{} out of date with the specs", paths.join(", ")),
                    Some("run `scaffold generate` and commit the result"),
                );
            }
            return Ok(Outcome::Problems);
        }
        return Ok(outcome);
    }
    crate::write::apply(root, &sync.writes, None)?;
    for write in sync.writes.iter().filter(|w| w.path != RECORD) {
        show(printer, write);
    }
    if !sync.changes.is_empty() {
        match format {
            Format::Human => {
                printer.line(&format!(
                    "\nThe schema request changed ({RECORD}); for the data engineer:"
                ));
                for change in &sync.changes {
                    printer.line(&format!("  {change}"));
                }
            }
            Format::Json => {
                for change in &sync.changes {
                    printer.line(
                        &json!({"kind": "schema-change", "subject": change.subject(), "change": change.to_string()})
                            .to_string(),
                    );
                }
            }
        }
    }
    Ok(outcome)
}

/// Whether `specs/<ticket>/architecture.md` is there before `new` runs.
pub fn architecture_exists(root: &Path, ticket: &str) -> bool {
    Config::load(root)
        .map(|c| {
            root.join(&c.specs)
                .join(ticket)
                .join("architecture.md")
                .is_file()
        })
        .unwrap_or(false)
}

/// After `new`: the ticket's architecture.md gets its block. A file `new`
/// just created says `create` already; one that was there says `update`.
pub fn after_new(
    root: &Path,
    ticket: &str,
    existed: bool,
    outcome: Outcome,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    if outcome != Outcome::Success {
        return Ok(outcome);
    }
    let config = Config::load(root)?;
    let folder = format!("{}/{ticket}", config.specs.trim_end_matches('/'));
    let Some(sync) = plan(root, Some(&folder), None, &mut None, printer)? else {
        return Ok(outcome);
    };
    crate::write::apply(root, &sync.writes, None)?;
    if existed {
        for write in &sync.writes {
            printer.status("update", &write.path);
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "# Architecture\n\n## Schema changes for the data engineer\nAgents do not write migrations.\n\n- [ ] my own note\n\n## Decisions\n- keep\n";

    #[test]
    fn the_block_goes_into_the_schema_section_and_is_replaced_in_place() {
        let first = with_block(TEMPLATE, &format!("{BEGIN}\nA\n{END}\n")).expect("markers");
        assert_eq!(
            first,
            format!(
                "# Architecture\n\n## Schema changes for the data engineer\nAgents do not write migrations.\n\n- [ ] my own note\n\n{BEGIN}\nA\n{END}\n\n## Decisions\n- keep\n"
            )
        );
        let edited = first.replace("- keep", "- keep, and mine");
        let second = with_block(&edited, &format!("{BEGIN}\nB\n{END}\n")).expect("markers");
        assert_eq!(second, edited.replace("\nA\n", "\nB\n"));
        assert_eq!(
            with_block(&second, &format!("{BEGIN}\nB\n{END}\n")).as_deref(),
            Some(second.as_str())
        );
    }

    #[test]
    fn a_file_without_the_section_gets_one_and_a_lone_marker_is_refused() {
        let out = with_block("# Notes\n", &format!("{BEGIN}\nA\n{END}\n")).expect("markers");
        assert_eq!(
            out,
            format!("# Notes\n\n## Schema changes\n\n{BEGIN}\nA\n{END}\n")
        );
        assert_eq!(with_block(&format!("x\n{BEGIN}\ny\n"), "z"), None);
    }
}
