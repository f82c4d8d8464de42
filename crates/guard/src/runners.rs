//! Migration runners: commands that change a database schema, which no file
//! sandbox can see. One table, matched after launchers (`npx`, `bunx`,
//! `pnpm dlx`, `uvx`, `cargo`, `bundle exec`, ...) and container wrappers
//! (`docker compose run web ...`, `kubectl exec ... --`).

use crate::bash::program;

/// What a database client is fed besides its arguments.
#[derive(Debug, Default)]
pub(crate) struct Feeds<'a> {
    /// Files redirected into it (`< file`).
    pub inputs: &'a [String],
    /// The previous command of a pipe (`cat file | psql`).
    pub producer: Option<&'a [String]>,
    /// Here-documents and here-strings.
    pub heredocs: &'a [String],
}

/// Launchers that run another program: `npx prisma`, `cargo sqlx`, `bundle exec rails`.
const LAUNCHERS: &[&str] = &[
    "npx", "bunx", "pnpx", "dlx", "x", "exec", "run", "cargo", "bundle", "poetry", "uv", "uvx",
    "pipx", "pipenv", "pdm", "hatch", "rye", "go", "dotnet", "mix", "php", "yarn", "pnpm", "bun",
    "npm", "python", "python3", "-m", "tool", "deno", "node", "ts-node", "tsx", "env", "--",
];

/// Wrappers whose command comes after arguments the guard cannot classify (service names).
const CONTAINERS: &[&str] = &[
    "docker",
    "docker-compose",
    "podman",
    "podman-compose",
    "nerdctl",
    "kubectl",
    "oc",
    "ssh",
    "fly",
    "flyctl",
    "heroku",
    "railway",
    "devbox",
    "dotenv",
    "env-cmd",
    "cross-env",
    "direnv",
    "mise",
    "asdf",
    "nix-shell",
    "vagrant",
];

/// Database clients: fed a protected file, they run a migration by hand.
const CLIENTS: &[&str] = &[
    "psql",
    "mysql",
    "mariadb",
    "sqlite3",
    "sqlcmd",
    "cockroach",
    "clickhouse-client",
    "duckdb",
    "pgcli",
    "mycli",
    "usql",
];

/// The migration runner a command starts, if any. `is_protected` says whether a
/// file fed to a database client is a guarded one.
pub(crate) fn migration_runner(
    words: &[String],
    feeds: &Feeds<'_>,
    is_protected: &mut dyn FnMut(&str) -> bool,
) -> Option<String> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let first = lower.first().map(|w| program(w))?;
    if let Some(task) = task_runner(&first, &lower) {
        return Some(task);
    }
    // Drop launchers and options, keeping the program they start.
    let mut start = 0;
    while let Some(word) = lower.get(start) {
        let name = program(word);
        if LAUNCHERS.contains(&name.as_str()) || (word.starts_with('-') && start > 0) {
            start += 1;
        } else {
            break;
        }
    }
    let positions: Vec<usize> = if CONTAINERS.contains(&first.as_str()) {
        // `docker compose exec db psql ...`: the runner can start at any word.
        (1..lower.len().min(48)).collect()
    } else {
        vec![start]
    };
    for at in positions {
        if let Some(found) = runner_at(&lower[at..], &words[at..], feeds, is_protected) {
            return Some(found);
        }
    }
    None
}

/// `npm run db:migrate`, `make migrate`, `just migrate`: a task whose name says it migrates.
fn task_runner(program_name: &str, lower: &[String]) -> Option<String> {
    if !matches!(
        program_name,
        "npm"
            | "yarn"
            | "pnpm"
            | "bun"
            | "make"
            | "just"
            | "task"
            | "rake"
            | "mise"
            | "nx"
            | "turbo"
            | "invoke"
            | "poe"
            | "composer"
    ) {
        return None;
    }
    lower
        .iter()
        .skip(1)
        .find(|a| {
            a.contains("migrat")
                || a.contains("db:push")
                || a.contains("db:reset")
                || a.contains("db:setup")
                || a.contains("db:seed")
        })
        .map(|task| format!("{program_name} {task}"))
}

fn runner_at(
    lower: &[String],
    words: &[String],
    feeds: &Feeds<'_>,
    is_protected: &mut dyn FnMut(&str) -> bool,
) -> Option<String> {
    let positional: Vec<&str> = lower
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // `npx prisma@5 ...`, `deno run npm:prisma ...`: the package, without version or registry.
    let first = positional
        .first()
        .map(|w| {
            let name = program(w.strip_prefix("npm:").unwrap_or(w));
            match name.rfind('@') {
                Some(at) if at > 0 => name[..at].to_string(),
                _ => name,
            }
        })
        .unwrap_or_default();
    let second = positional.get(1).copied().unwrap_or_default();
    let third = positional.get(2).copied().unwrap_or_default();
    let rest_has = |list: &[&str]| positional.iter().skip(1).any(|p| list.contains(p));
    // `diesel --database-url X migration run`: a command pair anywhere after the program
    // (option values the table cannot know sit between).
    let pair = |groups: &[&str], actions: &[&str]| {
        positional
            .windows(2)
            .skip(1)
            .any(|w| groups.contains(&w[0]) && actions.contains(&w[1]))
            || (groups.contains(&second) && actions.contains(&third))
    };
    let found = match first.as_str() {
        "sqlx" | "sqlx-cli" => {
            pair(&["migrate", "mig"], &["run", "revert"])
                || pair(&["database", "db"], &["setup", "reset", "drop"])
        }
        "diesel" => {
            pair(&["migration"], &["run", "redo", "revert"])
                || pair(&["database"], &["setup", "reset"])
        }
        "atlas" => {
            pair(&["migrate"], &["apply", "hash", "down", "set"]) || pair(&["schema"], &["apply"])
        }
        "flyway" => rest_has(&["migrate", "repair", "clean", "baseline", "undo"]),
        "prisma" => {
            pair(&["migrate"], &["dev", "deploy", "reset", "resolve"])
                || pair(&["db"], &["push", "execute"])
        }
        "rails" | "rake" => positional
            .iter()
            .any(|p| p.starts_with("db:") && !matches!(*p, "db:version" | "db:migrate:status")),
        "flask" => pair(&["db"], &["upgrade", "downgrade", "stamp"]),
        "manage.py" | "django-admin" | "django" => {
            matches!(second, "migrate" | "flush")
                || (second == "dbshell"
                    && (!feeds.inputs.is_empty()
                        || !feeds.heredocs.is_empty()
                        || feeds.producer.is_some()))
        }
        "alembic" => rest_has(&["upgrade", "downgrade", "stamp"]),
        "drizzle-kit" => rest_has(&["push", "migrate", "drop"]),
        "knex" => positional.iter().any(|p| p.starts_with("migrate:")),
        "sequelize" | "sequelize-cli" => positional
            .iter()
            .any(|p| p.starts_with("db:migrate") || p.starts_with("db:seed")),
        "typeorm" | "typeorm-ts-node-commonjs" | "typeorm-ts-node-esm" => {
            positional.iter().any(|p| {
                matches!(
                    *p,
                    "migration:run" | "migration:revert" | "schema:sync" | "schema:drop" | "query"
                )
            })
        }
        "node-pg-migrate" | "pg-migrate" => rest_has(&["up", "down", "redo"]),
        "ef" => {
            (second == "database" && matches!(third, "update" | "drop"))
                || (second == "migrations" && third == "remove")
        }
        "mvn" | "mvnw" => positional.iter().any(|p| {
            (p.starts_with("flyway:") && !matches!(*p, "flyway:info" | "flyway:validate"))
                || matches!(
                    *p,
                    "liquibase:update" | "liquibase:rollback" | "liquibase:dropall"
                )
        }),
        "gradle" | "gradlew" => positional.iter().any(|p| {
            (p.starts_with("flyway") && !matches!(*p, "flywayinfo" | "flywayvalidate"))
                || matches!(*p, "update" | "rollback" | "dropall")
        }),
        "goose" => rest_has(&[
            "up",
            "up-by-one",
            "up-to",
            "down",
            "down-to",
            "redo",
            "reset",
            "fix",
        ]),
        "dbmate" => rest_has(&["up", "migrate", "rollback", "down", "drop"]),
        "liquibase" => rest_has(&[
            "update",
            "update-sql",
            "rollback",
            "drop-all",
            "update-count",
        ]),
        "supabase" => {
            (second == "db" && matches!(third, "push" | "reset"))
                || (second == "migration" && matches!(third, "up" | "repair" | "squash" | "down"))
        }
        "sea-orm-cli" => second == "migrate" && !matches!(third, "generate" | "init" | "status"),
        "artisan" => second.starts_with("migrate"),
        "ecto.migrate" | "ecto.rollback" | "ecto.reset" => true,
        "migrate" => rest_has(&["up", "down", "goto", "force", "drop"]),
        "refinery" => rest_has(&["migrate"]),
        "sqitch" => rest_has(&["deploy", "revert", "rebase"]),
        "dbt" => false,
        _ => false,
    };
    if found {
        return Some(
            positional
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    // `cargo run --bin migrate`, `go run ./cmd/migrate up`: a project's own runner.
    if matches!(
        lower.first().map(|w| program(w)).as_deref(),
        Some("cargo" | "go" | "dotnet" | "deno" | "bun" | "node" | "ts-node" | "tsx")
    ) && lower.iter().skip(1).any(|w| {
        w.contains("migrat")
            && !w.contains("generate")
            && !w.ends_with(".rs")
            && !w.ends_with(".md")
    }) && lower.iter().any(|w| {
        matches!(w.as_str(), "run" | "--bin" | "-p" | "--package")
            || w.ends_with(".js")
            || w.ends_with(".ts")
    }) {
        return Some(lower.join(" "));
    }
    if CLIENTS.contains(&first.as_str()) {
        // Any token of the arguments that names a guarded file (`-c "$(cat migrations/x.sql)"`).
        for word in words.iter().skip(1) {
            for token in word.split(|c: char| c.is_whitespace() || "\"'`$()<>;=|".contains(c)) {
                if token.contains('/') && token.len() > 2 && is_protected(token) {
                    return Some(format!("{first} with {token}"));
                }
            }
        }
        for file in client_files(&first, words, feeds) {
            if is_protected(&file) {
                return Some(format!("{first} with {file}"));
            }
        }
    }
    None
}

/// The files a database client executes: `-f FILE`, `-fFILE`, `< FILE`, `cat FILE |`,
/// `\i FILE`, `.read FILE`, `source FILE`.
fn client_files(client: &str, words: &[String], feeds: &Feeds<'_>) -> Vec<String> {
    let mut files = Vec::new();
    let mut iter = words.iter().skip(1).peekable();
    while let Some(word) = iter.next() {
        let lower = word.to_lowercase();
        match lower.as_str() {
            "-f" | "--file" | "-i" | "--source" | "-init" | "--init-command" => {
                if let Some(file) = iter.next() {
                    files.push(file.clone());
                }
            }
            "-c" | "--command" | "-e" | "--execute" | "-cmd" | "-q" | "--query" => {
                if let Some(text) = iter.next() {
                    files.extend(included(text));
                }
            }
            _ => {
                if let Some(file) = word.strip_prefix("--file=") {
                    files.push(file.to_string());
                } else if let Some(file) = word
                    .strip_prefix("-f")
                    .filter(|f| !f.is_empty() && client == "psql")
                {
                    files.push(file.to_string());
                } else if !word.starts_with('-') {
                    // sqlite3 DB '.read FILE', or a bare SQL argument.
                    files.extend(included(word));
                }
            }
        }
    }
    files.extend(feeds.inputs.iter().cloned());
    for body in feeds.heredocs {
        files.extend(included(body));
    }
    if let Some(producer) = feeds.producer {
        if producer.first().is_some_and(|p| {
            matches!(
                program(p).as_str(),
                "cat" | "zcat" | "head" | "tail" | "sed" | "awk" | "envsubst" | "gunzip"
            )
        }) {
            files.extend(
                producer
                    .iter()
                    .skip(1)
                    .filter(|w| !w.starts_with('-'))
                    .cloned(),
            );
        }
    }
    files
}

/// Files a client's own commands include: `\i f`, `\ir f`, `\include f`, `.read f`, `source f`, `\. f`.
fn included(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|t| !t.is_empty())
        .collect();
    for pair in tokens.windows(2) {
        let command = pair[0].to_lowercase();
        if matches!(
            command.as_str(),
            "\\i"
                | "\\ir"
                | "\\include"
                | "\\include_relative"
                | ".read"
                | "source"
                | "\\."
                | ".import"
        ) {
            out.push(pair[1].trim_matches(['\'', '"']).to_string());
        }
    }
    out
}
