//! The `scaffold` command line: argument parsing, output and exit codes.
//!
//! Only this crate knows clap and prints. `main` calls [`main_with_args`]; an
//! xtask can do the same, or build [`Cli`] itself and call [`run`].

mod commands;
mod config;
mod deps;
mod output;
mod report;
mod requirements;
mod rerun;
mod specs;
mod workspace;
mod write;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use output::Printer;

/// Generate four-layer backends from spec.md files, and keep agents away from migrations.
#[derive(Debug, Parser)]
#[command(
    name = "scaffold",
    version,
    after_help = "Exit codes: 0 success; 1 problems in the specs, conflicts, stale files or guard violations; 2 usage or internal error (the Claude hook: 2 denies the call).\nDocs: README.md, docs/spec-format.md, docs/templates.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate (or regenerate) the code of every domain the specs describe.
    Generate(GenerateArgs),
    /// Parse and validate specs without generating anything.
    Lint(LintArgs),
    /// Delete a domain's generated files that are still pristine; keep edited ones.
    Remove(RemoveArgs),
    /// Onboard a ticket: spec templates, scaffold.toml, and the guard's hooks.
    New(NewArgs),
    /// Keep agents away from migrations: Claude Code hook, pre-commit hook, CI check.
    #[command(subcommand)]
    Guard(GuardCommand),
    /// List or copy out the embedded template packs.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Write the API of the specs as an OpenAPI 3.1 document (for the frontend).
    Openapi(commands::openapi::OpenapiArgs),
    /// Propose a data-model.md from a spec's Key Entities (never overwrites).
    Draft(commands::draft::DraftArgs),
    /// Add the hand-written work of a feature to its tasks.md (spec-kit format).
    Tasks(commands::tasks::TasksArgs),
    /// Print the PostgreSQL schema the specs imply, a request for the data engineer
    /// (`--diff`: what changed since the last one; `--check`: what a database lacks).
    Schema(commands::schema::SchemaArgs),
    /// Print a shell completion script (bash, elvish, fish, powershell, zsh).
    Completions(commands::completions::CompletionsArgs),
}

#[derive(Debug, Subcommand)]
pub enum GuardCommand {
    /// Claude Code PreToolUse hook: reads the call on stdin; exit 2 denies it.
    ClaudeHook,
    /// Pre-commit hook: checks the staged changes against HEAD.
    Staged {
        #[arg(long, value_enum, default_value_t = GuardFormat::Human)]
        format: GuardFormat,
    },
    /// CI gate: checks every commit of merge-base(BASE, HEAD)..HEAD and the net diff.
    Range {
        /// The branch the work will merge into (for example origin/main).
        #[arg(long)]
        base: String,
        #[arg(long, value_enum, default_value_t = GuardFormat::Human)]
        format: GuardFormat,
    },
    /// Installs the git pre-commit hook and the Claude Code PreToolUse entry.
    Install {
        /// The command hooks run (default: `scaffold`, found on PATH).
        #[arg(long, default_value = "scaffold")]
        binary: String,
    },
    /// Checks that the hooks are wired and says what is missing.
    Doctor,
    /// Git reference-transaction hook: reads `<old> <new> <ref>` lines on stdin and
    /// refuses updates whose new commits change guarded files (agents only).
    #[command(hide = true)]
    Refs {
        /// The transaction state git passes (`prepared`, `committed`, `aborted`).
        state: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuardFormat {
    Human,
    /// GitHub Actions workflow annotations (`::error file=...::...`).
    Github,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the embedded packs and their files.
    List,
    /// Copy a pack's files into the project's template folder, to edit them.
    ///
    /// Files that already exist there are kept. Delete the ones you do not
    /// change: each file left in the folder overrides the embedded one.
    Eject {
        #[arg(long)]
        stack: Option<String>,
        /// Project root.
        #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
        project: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// Spec files or folders (default: every specs/**/spec.md of the project).
    pub specs: Vec<PathBuf>,
    /// Template pack (default: `stack` in scaffold.toml, else rust-axum).
    #[arg(long)]
    pub stack: Option<String>,
    /// Project root: scaffold.toml, specs/ and the output folder are relative to it.
    #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Print the unified diff of what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files that differ from what would be generated, edited or not.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 if generated files are out of date with the specs (or carry
    /// conflict markers); write nothing. For CI.
    #[arg(long, conflicts_with_all = ["dry_run", "force"])]
    pub check: bool,
    /// What to do when edits in an owned file clash with a spec change.
    #[arg(long, value_enum, default_value_t = MergeMode::Refuse)]
    pub merge: MergeMode,
    /// Add the dependencies the generated code needs and the host crate's
    /// Cargo.toml lacks (formatting and comments kept). Without it, a first
    /// run prints them as one `cargo add` command.
    #[arg(long, conflicts_with_all = ["check", "dry_run"])]
    pub add_deps: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeMode {
    /// Report the conflict with a diff and write nothing.
    Refuse,
    /// Write the file with `<<<<<<<` / `=======` / `>>>>>>>` markers.
    Markers,
}

#[derive(Debug, Clone, clap::Args)]
pub struct NewArgs {
    /// The ticket (folder name under specs/), for example ORD-142.
    pub ticket: String,
    /// The domain the ticket works on (snake_case), new or existing.
    #[arg(long)]
    pub domain: String,
    /// Project root.
    #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Do not install the git and Claude Code hooks.
    #[arg(long)]
    pub no_hooks: bool,
    /// Template pack of a new scaffold.toml (default rust-axum); python-fastapi
    /// also writes a requirements.txt when the project has none.
    #[arg(long)]
    pub stack: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RemoveArgs {
    /// The domain whose generated files to delete.
    pub domain: String,
    /// Project root.
    #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// Spec files or folders (default: every specs/**/spec.md of the project).
    pub specs: Vec<PathBuf>,
    /// Project root.
    #[arg(long, visible_alias = "out", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Rewrite wild forms that have a canonical spelling (`String (UUID)` →
    /// `uuid`, `1-500 chars` → `min 1, max 500`) in the spec files, then lint.
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people (`error:` / `hint:` lines, colour only on a terminal without NO_COLOR).
    Human,
    /// One JSON object per line, for agents and tools.
    Json,
}

/// How a run that did not fail internally ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: spec errors, conflicts or an out-of-date check, already reported.
    Problems,
}

/// A failure the user can fix, with a hint. Exit code 2.
#[derive(Debug)]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

/// A tool call the Claude hook denies: exit code 2, the reason already printed.
#[derive(Debug)]
pub struct Denied;

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("denied")
    }
}

impl std::error::Error for Denied {}

pub(crate) fn usage(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UsageError {
        message: message.into(),
        hint: Some(hint.into()),
    }
    .into()
}

/// Runs one command.
pub fn run(cli: Cli, printer: &mut Printer) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Generate(args) => {
            commands::openapi::check_config(&args)?;
            let (outcome, project) = commands::generate::run(&args, printer)?;
            // `[generate] openapi` keeps the contract out in step with the code.
            let outcome = commands::openapi::after_generate(&args, outcome, printer)?;
            // The schema request and architecture.md's block follow the specs too.
            let (root, check, dry_run) = (&args.project, args.check, args.dry_run);
            let project = project.as_ref();
            commands::schema::after_generate(
                root,
                check,
                dry_run,
                args.format,
                outcome,
                project,
                printer,
            )
        }
        Command::Lint(args) => commands::lint::run(&args, printer),
        Command::Remove(args) => commands::remove::run(&args, printer),
        Command::New(args) => {
            let existed = commands::schema::architecture_exists(&args.project, &args.ticket);
            let outcome = commands::new::run(&args, printer)?;
            commands::schema::after_new(&args.project, &args.ticket, existed, outcome, printer)
        }
        Command::Templates(command) => commands::templates::run(&command, printer),
        Command::Guard(command) => commands::guard::run(&command, printer),
        Command::Openapi(args) => commands::openapi::run(&args, printer),
        Command::Draft(args) => commands::draft::run(&args, printer),
        Command::Tasks(args) => commands::tasks::run(&args, printer),
        Command::Schema(args) => commands::schema::run(&args, printer),
        Command::Completions(args) => commands::completions::run(&args, printer),
    }
}

/// Parses arguments, runs, prints errors and maps the result to an exit code.
///
/// Exit codes: 0 success, 1 problems in the specs or conflicts, 2 usage or internal error.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let mut printer = Printer::stdio();
    match run(cli, &mut printer) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(error) if error.is::<Denied>() => ExitCode::from(2),
        Err(error) => {
            let hint = error
                .downcast_ref::<UsageError>()
                .and_then(|e| e.hint.clone());
            let mut message = error.to_string();
            for cause in error.chain().skip(1) {
                message.push_str(": ");
                message.push_str(&cause.to_string());
            }
            printer.error(&message, hint.as_deref());
            ExitCode::from(2)
        }
    }
}
