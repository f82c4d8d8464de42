//! `scaffold guard ...`: the CLI side of the migration guard.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use scaffold_guard::{Policy, Violation, git, hook, install, paths, sandbox};
use serde_json::json;

use crate::config::FILE_NAME;
use crate::{GuardCommand, GuardFormat, Outcome, Printer, usage};

/// Reads the policy of the repository at `root`; a broken policy never allows anything.
fn load_policy(root: &Path) -> anyhow::Result<Policy> {
    let path = root.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => Policy::from_toml(FILE_NAME, &text).map_err(|e| usage(e.to_string(), e.hint())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Policy::default()),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

fn repo_root() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir()?;
    paths::repository_root(&cwd).ok_or_else(|| {
        usage(
            "not inside a git repository",
            "run scaffold guard from your repository",
        )
    })
}

pub fn run(command: &GuardCommand, printer: &mut Printer) -> anyhow::Result<Outcome> {
    match command {
        GuardCommand::ClaudeHook => claude_hook(printer),
        GuardCommand::Staged { format } => {
            let root = repo_root()?;
            let policy = load_policy(&root)?;
            let author = git::author_from_env(&policy, |name| std::env::var(name).ok());
            let violations = git::staged(&root, &policy, &author)?;
            report(
                &violations,
                *format,
                printer,
                "commit blocked",
                "unstage them (`git restore --staged <path>`) and write a new migration instead",
            );
            Ok(if violations.is_empty() {
                Outcome::Success
            } else {
                Outcome::Problems
            })
        }
        GuardCommand::Range { base, format } => {
            let root = repo_root()?;
            let report_ = git::range(&root, base, FILE_NAME)?;
            if *format == GuardFormat::Human {
                printer.line(&format!(
                    "checked {} commit(s) from {} to {}",
                    report_.commits,
                    &report_.base[..12.min(report_.base.len())],
                    &report_.head[..12.min(report_.head.len())]
                ));
            }
            report(
                &report_.violations,
                *format,
                printer,
                "this branch changes guarded files",
                "revert those changes in a new commit; applied migrations are immutable",
            );
            if report_.violations.is_empty() && *format == GuardFormat::Human {
                printer.line("no guarded file changed");
            }
            Ok(if report_.violations.is_empty() {
                Outcome::Success
            } else {
                Outcome::Problems
            })
        }
        GuardCommand::Install { binary } => {
            let root = repo_root()?;
            let mut actions = install::install_git_hook(&root, binary)?;
            actions.extend(install::install_claude_settings(
                &root,
                &install::hook_command(binary),
            )?);
            for action in actions {
                printer.line(&action.replace(&format!("{}/", root.display()), ""));
            }
            if let Some(exposure) = install::binary_exposure(&root, binary) {
                printer.warning(&format!(
                    "the hooks run `{binary}`, and {exposure}\nhint: install scaffold where agents cannot write (`cargo install --path crates/cli`) and pass --binary with its absolute path"
                ));
            }
            let missing = sandbox::missing_prerequisites();
            if !missing.is_empty() {
                printer.warning(&format!(
                    "the sandbox needs {} on this machine\nhint: sudo apt-get install -y {}",
                    missing.join(", "),
                    missing.join(" ")
                ));
            }
            printer.line("the CI check is the real gate: add `scaffold guard range --base origin/main` to CI (see README)");
            Ok(Outcome::Success)
        }
        GuardCommand::Doctor => doctor(printer),
        GuardCommand::Refs { state } => refs(state, printer),
    }
}

/// Fails closed: anything it cannot read exits 2, which Claude Code treats as a denial.
/// The same code runs as the slim `scaffold-hook` binary (src/bin/scaffold-hook.rs).
fn claude_hook(printer: &mut Printer) -> anyhow::Result<Outcome> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| anyhow::anyhow!("cannot read the hook input: {e}"))?;
    match hook::answer(&input) {
        hook::Answer::Allow => Ok(Outcome::Success),
        hook::Answer::Deny(reason) => {
            printer.stderr(&format!("{reason}\n"));
            // Exit code 2 is Claude Code's "block this call" (see main_with_args).
            Err(crate::Denied.into())
        }
        hook::Answer::Unreadable { message, hint } => Err(usage(message, hint)),
    }
}

/// The reference-transaction hook: only `prepared` can still abort the update.
fn refs(state: &str, printer: &mut Printer) -> anyhow::Result<Outcome> {
    if state != "prepared" {
        return Ok(Outcome::Success);
    }
    let root = repo_root()?;
    let policy = load_policy(&root)?;
    let author = git::author_from_env(&policy, |name| std::env::var(name).ok());
    // People's ref updates (fetch, reset, rebase of reviewed work) are the CI check's business.
    if !author.agent {
        return Ok(Outcome::Success);
    }
    let mut updates = String::new();
    std::io::stdin()
        .read_to_string(&mut updates)
        .map_err(|e| anyhow::anyhow!("cannot read the ref updates: {e}"))?;
    let violations = git::refs(&root, &policy, &author, &updates)?;
    report(
        &violations,
        GuardFormat::Human,
        printer,
        "ref update blocked",
        "the commit was made without the pre-commit check (revert, cherry-pick, merge or commit-tree); undo it and write a new migration instead",
    );
    Ok(if violations.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

fn report(
    violations: &[Violation],
    format: GuardFormat,
    printer: &mut Printer,
    headline: &str,
    fix: &str,
) {
    match format {
        GuardFormat::Human => {
            if violations.is_empty() {
                return;
            }
            for violation in violations {
                printer.stderr(&format!("  {}\n", violation.message()));
            }
            printer.error(
                &format!("{headline}: {} guarded change(s)", violations.len()),
                Some(fix),
            );
        }
        GuardFormat::Github => {
            for violation in violations {
                let message = violation
                    .message()
                    .replace('%', "%25")
                    .replace('\r', "%0D")
                    .replace('\n', "%0A");
                printer.line(&format!(
                    "::error file={},title=scaffold guard::{message}",
                    violation.path
                ));
            }
        }
        GuardFormat::Json => {
            for violation in violations {
                printer.line(&json!({"kind": "violation", "message": violation.message(), "violation": violation}).to_string());
            }
            printer.line(&json!({"kind": "summary", "violations": violations.len()}).to_string());
        }
    }
}

fn doctor(printer: &mut Printer) -> anyhow::Result<Outcome> {
    let root = repo_root()?;
    let mut missing = 0;
    let mut check = |ok: bool, what: String, hint: &str, printer: &mut Printer| {
        if ok {
            printer.line(&format!("ok       {what}"));
        } else {
            missing += 1;
            printer.line(&format!("missing  {what}\n         hint: {hint}"));
        }
    };
    let policy = load_policy(&root);
    check(
        policy.is_ok(),
        format!("policy in {FILE_NAME} is valid"),
        &policy
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        printer,
    );

    let hooks = install::hooks_dir(&root)?;
    for (name, installed) in install::installed_hooks(&root)? {
        check(
            installed,
            format!("git {name} hook in {}", hooks.display()),
            "run `scaffold guard install`",
            printer,
        );
    }
    let hook = std::fs::read_to_string(hooks.join("pre-commit")).unwrap_or_default();

    let binary = hook
        .lines()
        .find(|l| l.contains("guard staged"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("scaffold")
        .to_string();
    check(
        resolves(&binary),
        format!("hook binary `{binary}` resolves"),
        "install it (`cargo install --path crates/cli`) or pass --binary /absolute/path to install",
        printer,
    );
    if let Some(exposure) = install::binary_exposure(&root, &binary) {
        printer.line(&format!(
            "warning  the hooks run `{binary}`, and {exposure}\n         hint: install scaffold where agents cannot write and run `scaffold guard install --binary /absolute/path`"
        ));
    }

    let settings = std::fs::read_to_string(root.join(".claude/settings.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    check(
        settings.as_ref().is_some_and(install::settings_have_hook),
        "Claude Code PreToolUse hook on every tool (matcher `*`) in .claude/settings.json".into(),
        "run `scaffold guard install`",
        printer,
    );
    let plan = sandbox::plan(
        &root,
        &policy.as_ref().ok().cloned().unwrap_or_default(),
        &hooks,
        Path::new(&binary).is_absolute().then(|| Path::new(&binary)),
    );
    let problems = settings
        .as_ref()
        .map(|s| install::sandbox_problems(s, &plan))
        .unwrap_or_else(|| vec!["no .claude/settings.json".into()]);
    check(
        problems.is_empty(),
        "OS sandbox configured for every guarded path in .claude/settings.json".into(),
        &format!(
            "{}; run `scaffold guard install` again (a folder created after install is not covered)",
            problems.join("; ")
        ),
        printer,
    );
    let absent = sandbox::missing_prerequisites();
    check(
        absent.is_empty(),
        "sandbox prerequisites (bubblewrap, socat, ripgrep) on this machine".into(),
        &format!("sudo apt-get install -y {}", absent.join(" ")),
        printer,
    );

    let eol = std::process::Command::new("git")
        .args(["check-attr", "eol", "--", "migrations/0001.sql"])
        .current_dir(&root)
        .output();
    let lf = eol.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .trim_end()
            .ends_with("eol: lf")
    });
    check(
        lf,
        "SQL files have eol=lf in .gitattributes".into(),
        "add `*.sql text eol=lf` to .gitattributes, so a checkout cannot change a migration's bytes",
        printer,
    );

    if missing == 0 {
        printer.line("everything is wired");
        Ok(Outcome::Success)
    } else {
        printer.line(&format!("{missing} thing(s) missing"));
        Ok(Outcome::Problems)
    }
}

fn resolves(binary: &str) -> bool {
    let path = Path::new(binary);
    if path.components().count() > 1 {
        return path.is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|dirs| std::env::split_paths(&dirs).any(|dir| dir.join(binary).is_file()))
}
