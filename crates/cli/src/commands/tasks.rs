//! `scaffold tasks [TICKET]`: appends to `specs/<ticket>/tasks.md`, in
//! spec-kit's format, one task per piece of code the team writes by hand:
//! each free operation (a stub answering 501) and each operation whose Rules
//! the generated code cannot enforce. Existing lines, their numbers and check
//! marks are never changed; a rerun adds nothing new.

use std::path::PathBuf;

use scaffold_parser::{Domain, Operation, Project, Source, case};

use crate::config::Config;
use crate::{Outcome, Printer};

#[derive(Debug, Clone, clap::Args)]
pub struct TasksArgs {
    /// The feature folder under specs/ (default: every feature).
    pub ticket: Option<String>,
    /// Project root: scaffold.toml and specs/ are relative to it.
    #[arg(long, visible_alias = "root", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

/// One task: the text after `T012 [P] `, and the key that makes it unique.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Task {
    pub key: String,
    pub text: String,
    pub file: String,
}

pub fn run(args: &TasksArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let config = Config::load(&args.project)?;
    let folders = super::feature_folders(&args.project, &config, args.ticket.as_deref())?;
    let Some((sources, parsed)) = super::parse_project(&args.project, &config, printer)? else {
        return Ok(Outcome::Problems);
    };
    let mut added_total = 0;
    for folder in &folders {
        let tasks = tasks_for(folder, &sources, &parsed.project, &config.output);
        let path = args.project.join(folder).join("tasks.md");
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let title = folder.rsplit('/').next().unwrap_or(folder);
        let (text, added) = append(&existing, title, &tasks);
        let shown = format!("{folder}/tasks.md");
        if added == 0 {
            printer.status("identical", &shown);
            continue;
        }
        std::fs::write(&path, text).map_err(|e| anyhow::anyhow!("cannot write {shown}: {e}"))?;
        printer.status(
            if existing.is_empty() {
                "create"
            } else {
                "update"
            },
            &format!("{shown}  ({added} task(s) added)"),
        );
        added_total += added;
    }
    if added_total == 0 {
        printer.line("no new tasks");
    }
    Ok(Outcome::Success)
}

/// The hand-written work of one feature folder: operations that its own
/// files (spec, data model, contracts) declare.
pub(crate) fn tasks_for(
    folder: &str,
    sources: &[Source],
    project: &Project,
    output: &str,
) -> Vec<Task> {
    let prefix = format!("{folder}/");
    let own: Vec<&Source> = sources
        .iter()
        .filter(|s| s.path.starts_with(&prefix))
        .collect();
    let mut tasks = Vec::new();
    // Schema first: the data engineer's migrations are what the code waits for.
    for domain in &project.domains {
        for entity in &domain.entities {
            let declared_here = own
                .iter()
                .filter(|s| !s.path.contains("/contracts/"))
                .any(|s| declares_entity(s, &entity.name));
            if declared_here {
                tasks.push(migration_task(entity));
            }
        }
    }
    for domain in &project.domains {
        for op in &domain.operations {
            if !own.iter().any(|s| declares(s, op)) {
                continue;
            }
            if let Some(task) = task_for(domain, op, output) {
                tasks.push(task);
            }
        }
    }
    tasks
}

/// Whether a Markdown file declares the entity: a heading naming it
/// (`## Entity: Book`, `### Book`), or a fenced model (`model Book`,
/// `CREATE TABLE books`, `interface Book`).
fn declares_entity(source: &Source, entity: &str) -> bool {
    let table = case::plural(&case::snake(entity));
    source.text.lines().any(|line| {
        let line = line.trim();
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        let names = |w: &&str| *w == entity;
        (line.starts_with('#') && words.iter().any(names))
            || words.windows(2).any(|pair| {
                matches!(pair[0], "model" | "interface" | "type" | "class") && pair[1] == entity
            })
            || (line.to_ascii_uppercase().starts_with("CREATE TABLE")
                && words.iter().any(|w| w.eq_ignore_ascii_case(&table)))
    })
}

/// The data engineer's task for an entity's table, with its columns.
fn migration_task(entity: &scaffold_parser::Entity) -> Task {
    let table = case::plural(&case::snake(&entity.name));
    let columns: Vec<String> = entity
        .fields
        .iter()
        .map(|f| {
            let mut column = format!("{} {}", f.name, type_word(&f.ty));
            if f.primary_key {
                column.push_str(" primary key");
            } else if !f.required {
                column.push_str(" null");
            }
            if let Some(reference) = &f.references {
                column.push_str(&format!(" references {}", reference.entity));
            }
            column
        })
        .collect();
    Task {
        key: format!("migration for `{}`", entity.name),
        text: format!(
            "Data engineer: write the migration for `{}` (table `{table}`: {}) in migrations/",
            entity.name,
            columns.join(", ")
        ),
        file: format!("migrations/{table}"),
    }
}

fn type_word(ty: &scaffold_parser::Type) -> String {
    use scaffold_parser::Type;
    match ty {
        Type::String => "string".into(),
        Type::Text => "text".into(),
        Type::Bool => "bool".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F64 => "f64".into(),
        Type::Decimal => "decimal".into(),
        Type::Uuid => "uuid".into(),
        Type::Date => "date".into(),
        Type::DateTime => "datetime".into(),
        Type::Time => "time".into(),
        Type::Json => "json".into(),
        Type::Enum(values) => format!("enum({})", values.join("|")),
        Type::Entity(name) => format!("json ({name})"),
        Type::List(inner) => format!("list<{}>", type_word(inner)),
    }
}

/// Whether a file names the operation: as written (`PlaceOrder`) or as an
/// operationId (`placeOrder`, `place-order`, `place_order`).
fn declares(source: &Source, op: &Operation) -> bool {
    let wanted = case::snake(&op.name);
    source
        .text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .any(|word| !word.is_empty() && case::snake(word) == wanted)
}

fn task_for(domain: &Domain, op: &Operation, output: &str) -> Option<Task> {
    let output = output.trim_end_matches('/');
    let file = if output.is_empty() || output == "." {
        format!("{}/service.rs", domain.name)
    } else {
        format!("{output}/{}/service.rs", domain.name)
    };
    let function = case::snake(&op.name);
    let rules: Vec<String> = op
        .rules
        .iter()
        .map(|r| format!("{} ({})", r.id, r.text.trim_end_matches('.')))
        .collect();
    let errors = if op.errors.is_empty() {
        String::new()
    } else {
        format!("; errors {}", op.errors.join(", "))
    };
    let text = match (&op.kind, rules.is_empty()) {
        (None, _) => {
            let what = if rules.is_empty() {
                String::new()
            } else {
                format!(" enforcing {}", rules.join(", "))
            };
            format!(
                "Implement `{}` (`{function}`){what}{errors} in {file}",
                op.name
            )
        }
        (Some(_), false) => format!(
            "Enforce {} in `{}` (`{function}`){errors} in {file}",
            rules.join(", "),
            op.name
        ),
        (Some(_), true) => return None,
    };
    Some(Task {
        key: format!("`{}` (`{function}`)", op.name),
        text,
        file,
    })
}

/// The new text of tasks.md and how many tasks were added. Lines already
/// there stay byte for byte; a task whose key is already present is skipped.
pub(crate) fn append(existing: &str, title: &str, tasks: &[Task]) -> (String, usize) {
    let new: Vec<&Task> = tasks
        .iter()
        .filter(|t| !existing.contains(&t.key))
        .collect();
    if new.is_empty() {
        return (existing.to_string(), 0);
    }
    let highest = existing.lines().filter_map(task_number).max().unwrap_or(0);
    let mut text = if existing.is_empty() {
        format!("# Tasks: {title}\n")
    } else {
        existing.to_string()
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("\n## Hand-written work (from `scaffold tasks`)\n\n");
    for (i, task) in new.iter().enumerate() {
        // [P]: no other new task touches the same file, so it can run in parallel.
        let parallel = new.iter().filter(|t| t.file == task.file).count() == 1;
        text.push_str(&format!(
            "- [ ] T{:03}{} {}\n",
            highest + 1 + i,
            if parallel { " [P]" } else { "" },
            task.text
        ));
    }
    (text, new.len())
}

/// `12` for `- [x] T012 [P] ...`.
fn task_number(line: &str) -> Option<usize> {
    let rest = line.trim_start().strip_prefix("- [")?;
    let rest = rest.get(3..)?.trim_start();
    let digits: String = rest
        .strip_prefix('T')?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(name: &str, file: &str) -> Task {
        Task {
            key: format!("`{name}`"),
            text: format!("Implement `{name}` in {file}"),
            file: file.into(),
        }
    }

    #[test]
    fn appends_after_the_highest_number_and_keeps_check_marks() {
        let existing =
            "# Tasks\n\n- [x] T001 Setup\n- [ ] T012 [P] [US1] Write tests in tests/a.rs\n";
        let tasks = [
            task("CancelOrder", "backend/orders/service.rs"),
            task("SendDigest", "backend/notifications/service.rs"),
        ];
        let (text, added) = append(existing, "x", &tasks);
        assert_eq!(added, 2);
        assert!(text.starts_with(existing), "{text}");
        assert!(
            text.contains("- [ ] T013 [P] Implement `CancelOrder` in backend/orders/service.rs\n"),
            "{text}"
        );
        assert!(
            text.contains("- [ ] T014 [P] Implement `SendDigest`"),
            "{text}"
        );
        let (again, added) = append(&text, "x", &tasks);
        assert_eq!((again.as_str(), added), (text.as_str(), 0));
    }

    #[test]
    fn tasks_in_one_file_are_not_parallel() {
        let tasks = [
            task("A", "backend/x/service.rs"),
            task("B", "backend/x/service.rs"),
        ];
        let (text, _) = append("", "001-x", &tasks);
        assert!(text.starts_with("# Tasks: 001-x\n"), "{text}");
        assert!(text.contains("- [ ] T001 Implement `A`"), "{text}");
        assert!(text.contains("- [ ] T002 Implement `B`"), "{text}");
    }
}
