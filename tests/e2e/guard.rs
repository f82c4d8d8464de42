//! The migration guard against real git repositories and the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Output, Run, binary, workspace};

pub(crate) const POLICY: &str = "[guard.agents.data-engineer]\ncreate = [\"migrations/**\"]\n\n[guard.agents.migration-runner]\nrun-migrations = true\n";

/// A real repository in a temp dir, with the guard's pre-commit hook installed.
pub(crate) struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub(crate) fn new() -> Self {
        let repo = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "dev@example.com"]);
        repo.git(&["config", "user.name", "Dev"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.git(&["config", "core.autocrlf", "false"]);
        repo
    }

    /// A repository with a policy, one applied migration, and the hook installed.
    pub(crate) fn with_migration() -> Self {
        let repo = Self::new();
        repo.write("scaffold.toml", POLICY);
        repo.write(
            "migrations/0001_init.sql",
            "create table orders (id uuid primary key);\n",
        );
        repo.write("backend/lib.rs", "//! app\n");
        repo.install();
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "init"]);
        repo
    }

    pub(crate) fn install(&self) {
        let output = self.scaffold(&[
            "guard",
            "install",
            "--binary",
            &binary().display().to_string(),
        ]);
        assert_eq!(output.code, 0, "{}", output.transcript());
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, contents: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }

    pub(crate) fn git_output(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("CLAUDECODE")
            .env_remove("CLAUDE_CODE_ENTRYPOINT")
            .env_remove("GIT_INDEX_FILE");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().expect("run git")
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args, &[]);
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `git commit` through the installed hook; returns (succeeded, stderr).
    pub(crate) fn commit(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
        let mut full = vec!["commit", "-q"];
        full.extend_from_slice(args);
        let output = self.git_output(&full, env);
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub(crate) fn scaffold(&self, args: &[&str]) -> Output {
        Run::new(self.path()).args(args).run()
    }
}

/// Stages a change, commits through the hook, and expects it refused naming `what`.
fn assert_blocked(repo: &Repo, args: &[&str], env: &[(&str, &str)], what: &str) {
    let (ok, stderr) = repo.commit(args, env);
    assert!(!ok, "commit {args:?} should be blocked");
    assert!(stderr.contains(what), "expected `{what}` in:\n{stderr}");
    assert!(stderr.contains("error: commit blocked"), "{stderr}");
}

#[test]
fn modifying_an_applied_migration_is_blocked() {
    let repo = Repo::with_migration();
    repo.write(
        "migrations/0001_init.sql",
        "create table orders (id uuid primary key, note text);\n",
    );
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "edit"],
        &[],
        "migrations/0001_init.sql: modified (rule `migrations/**`)",
    );
}

#[test]
fn deleting_is_blocked() {
    let repo = Repo::with_migration();
    repo.git(&["rm", "-q", "migrations/0001_init.sql"]);
    assert_blocked(
        &repo,
        &["-m", "delete"],
        &[],
        "migrations/0001_init.sql: deleted",
    );
}

#[test]
fn moving_out_of_and_within_the_folder_is_blocked() {
    let repo = Repo::with_migration();
    repo.git(&["mv", "migrations/0001_init.sql", "backend/init.sql"]);
    assert_blocked(
        &repo,
        &["-m", "move out"],
        &[],
        "migrations/0001_init.sql: renamed to backend/init.sql",
    );
    repo.git(&["reset", "-q", "--hard"]);
    repo.git(&[
        "mv",
        "migrations/0001_init.sql",
        "migrations/0001_renamed.sql",
    ]);
    assert_blocked(
        &repo,
        &["-m", "move within"],
        &[],
        "migrations/0001_init.sql: renamed to migrations/0001_renamed.sql",
    );
}

#[test]
fn rename_with_edit_is_blocked() {
    let repo = Repo::with_migration();
    repo.git(&["mv", "migrations/0001_init.sql", "migrations/0001_b.sql"]);
    repo.write(
        "migrations/0001_b.sql",
        "create table orders (id bigint);\n",
    );
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "rename+edit"],
        &[],
        "migrations/0001_init.sql: deleted",
    );
}

#[cfg(unix)]
#[test]
fn mode_and_type_changes_are_blocked() {
    use std::os::unix::fs::PermissionsExt as _;
    let repo = Repo::with_migration();
    let file = repo.path().join("migrations/0001_init.sql");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "chmod"],
        &[],
        "mode changed from 100644 to 100755",
    );
    repo.git(&["reset", "-q", "--hard"]);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::remove_file(&file).expect("rm");
    std::os::unix::fs::symlink("../backend/lib.rs", &file).expect("symlink");
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "to symlink"],
        &[],
        "changed from file to symlink",
    );
}

#[cfg(unix)]
#[test]
fn new_symlinks_and_submodules_inside_are_blocked() {
    let repo = Repo::with_migration();
    std::os::unix::fs::symlink("../backend", repo.path().join("migrations/0002_link"))
        .expect("symlink");
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "symlink"],
        &[],
        "migrations/0002_link: added as a symlink",
    );
    repo.git(&["reset", "-q", "--hard"]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{},migrations/vendored", head.trim()),
    ]);
    assert_blocked(
        &repo,
        &["-m", "submodule"],
        &[],
        "migrations/vendored: added as a submodule",
    );
}

#[test]
fn case_variants_and_odd_names_are_caught() {
    let repo = Repo::with_migration();
    for name in [
        "DB/Migrations/0001.sql",
        "migrations/with space.sql",
        "migrations/new\nline.sql",
        "migrations/café.sql",
    ] {
        repo.write(name, "create table t();\n");
    }
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "a person adds migrations"], &[]);
    assert!(ok, "{stderr}");
    for (name, shown) in [
        ("DB/Migrations/0001.sql", "DB/Migrations/0001.sql: modified"),
        (
            "migrations/with space.sql",
            "migrations/with space.sql: modified",
        ),
        (
            "migrations/new\nline.sql",
            "migrations/new\nline.sql: modified",
        ),
        ("migrations/café.sql", "migrations/café.sql: modified"),
    ] {
        repo.write(name, "create table t(id int);\n");
        repo.git(&["add", "-A"]);
        assert_blocked(&repo, &["-m", "edit"], &[], shown);
        repo.git(&["reset", "-q", "--hard"]);
    }
}

#[test]
fn commit_all_and_commit_paths_use_the_temporary_index() {
    let repo = Repo::with_migration();
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    // Nothing is staged: only `git commit -a`/`git commit <path>` would pick the edit up.
    assert_blocked(
        &repo,
        &["-a", "-m", "all"],
        &[],
        "migrations/0001_init.sql: modified",
    );
    assert_blocked(
        &repo,
        &["-m", "path", "migrations/0001_init.sql"],
        &[],
        "migrations/0001_init.sql: modified",
    );
    repo.write("backend/lib.rs", "//! app v2\n");
    let (ok, stderr) = repo.commit(&["-m", "unrelated path", "backend/lib.rs"], &[]);
    assert!(ok, "{stderr}");
}

#[test]
fn who_may_add_a_migration() {
    let repo = Repo::with_migration();
    repo.write(
        "migrations/0002_add_note.sql",
        "alter table orders add note text;\n",
    );
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "agent"],
        &[("CLAUDECODE", "1")],
        "migrations/0002_add_note.sql: added by an agent",
    );
    assert_blocked(
        &repo,
        &["-m", "other agent"],
        &[
            ("CLAUDECODE", "1"),
            ("SCAFFOLD_AGENT_TYPE", "backend-developer"),
        ],
        "added by an agent",
    );
    let (ok, stderr) = repo.commit(
        &["-m", "data engineer agent"],
        &[
            ("CLAUDECODE", "1"),
            ("SCAFFOLD_AGENT_TYPE", "data-engineer"),
        ],
    );
    assert!(ok, "{stderr}");
    repo.write(
        "migrations/0003_more.sql",
        "alter table orders add total bigint;\n",
    );
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "a person"], &[]);
    assert!(ok, "a person adds migrations normally: {stderr}");
}

#[test]
fn agents_may_not_touch_the_guard_config() {
    let repo = Repo::with_migration();
    repo.write("scaffold.toml", "[guard]\nprotected = [\"nothing/**\"]\n");
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "loosen"],
        &[("CLAUDECODE", "1")],
        "scaffold.toml: changed by an agent",
    );
    let (ok, stderr) = repo.commit(&["-m", "a person changes the policy"], &[]);
    assert!(ok, "{stderr}");
}

#[test]
fn first_commit_on_an_unborn_branch() {
    let repo = Repo::new();
    repo.install();
    repo.write("migrations/0001_init.sql", "create table a();\n");
    repo.git(&["add", "-A"]);
    assert_blocked(
        &repo,
        &["-m", "agent's first commit"],
        &[("CLAUDECODE", "1")],
        "migrations/0001_init.sql: added by an agent",
    );
    let (ok, stderr) = repo.commit(&["-m", "first commit"], &[]);
    assert!(ok, "{stderr}");
}

fn range(repo: &Repo, format: &str) -> Output {
    repo.scaffold(&["guard", "range", "--base", "main", "--format", format])
}

#[test]
fn range_catches_an_edit_reverted_later_in_the_branch() {
    let repo = Repo::with_migration();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    // `--no-verify` stands for every way around client hooks: CI must still see it.
    repo.git(&["commit", "-q", "--no-verify", "-am", "sneaky edit"]);
    repo.git(&[
        "-c",
        "core.hooksPath=/dev/null",
        "revert",
        "--no-edit",
        "HEAD",
    ]);
    let output = range(&repo, "human");
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("migrations/0001_init.sql: modified in "),
        "{}",
        output.stderr
    );
    let github = range(&repo, "github");
    assert!(
        github
            .stdout
            .starts_with("::error file=migrations/0001_init.sql,title=scaffold guard::"),
        "{}",
        github.stdout
    );
    let json = range(&repo, "json");
    let last: serde_json::Value =
        serde_json::from_str(json.stdout.lines().last().unwrap_or_default()).expect("json");
    assert_eq!(last["violations"], 2);
}

#[test]
fn range_reads_the_policy_from_the_base() {
    let repo = Repo::with_migration();
    repo.git(&["checkout", "-q", "-b", "loosen"]);
    repo.write("scaffold.toml", "[guard]\nprotected = [\"nothing/**\"]\n");
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-am",
        "loosen the policy and edit",
    ]);
    let output = range(&repo, "human");
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output.stderr.contains("migrations/0001_init.sql: modified"),
        "{}",
        output.stderr
    );
}

#[test]
fn range_identifies_agent_commits_by_trailer() {
    let repo = Repo::with_migration();
    repo.git(&["checkout", "-q", "-b", "agent-work"]);
    repo.write("migrations/0002_x.sql", "create table x();\n");
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "add x\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    ]);
    let output = range(&repo, "human");
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("migrations/0002_x.sql: added by an agent"),
        "{}",
        output.stderr
    );

    let clean = Repo::with_migration();
    clean.git(&["checkout", "-q", "-b", "human-work"]);
    clean.write("migrations/0002_x.sql", "create table x();\n");
    clean.write("backend/lib.rs", "//! more\n");
    clean.git(&["add", "-A"]);
    clean.git(&["commit", "-q", "-m", "a person adds a migration"]);
    let output = range(&clean, "human");
    assert_eq!(output.code, 0, "{}", output.transcript());
    assert!(
        output.stdout.contains("checked 1 commit(s)"),
        "{}",
        output.stdout
    );
}

#[test]
fn install_is_idempotent_and_keeps_what_was_there() {
    let repo = Repo::new();
    repo.write(".claude/settings.json", "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PostToolUse\": [{\"matcher\": \"Write\", \"hooks\": [{\"type\": \"command\", \"command\": \"cargo fmt\"}]}]\n  }\n}\n");
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).expect("hooks dir");
    std::fs::write(
        hooks.join("pre-commit"),
        "#!/bin/sh\necho foreign-hook-ran >&2\n",
    )
    .expect("hook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(
            hooks.join("pre-commit"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    repo.install();
    let settings =
        std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("settings");
    repo.install();
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("settings"),
        settings,
        "second install changed settings"
    );
    let json: serde_json::Value = serde_json::from_str(&settings).expect("json");
    assert_eq!(json["model"], "opus");
    assert_eq!(
        json["hooks"]["PostToolUse"][0]["hooks"][0]["command"],
        "cargo fmt"
    );
    assert_eq!(
        json["hooks"]["PreToolUse"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        json["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
            .as_str()
            // Beside the `scaffold` binary sits the slim hook: install wires it.
            .is_some_and(|c| c.ends_with("scaffold-hook"))
    );
    // The foreign hook still runs, after the guard.
    repo.write("a.txt", "a\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "first"], &[]);
    assert!(ok && stderr.contains("foreign-hook-ran"), "{stderr}");
    // Honours core.hooksPath.
    let elsewhere = Repo::new();
    elsewhere.git(&["config", "core.hooksPath", ".githooks"]);
    elsewhere.install();
    assert!(elsewhere.path().join(".githooks/pre-commit").is_file());
}

#[test]
fn doctor_says_what_is_missing() {
    let repo = Repo::new();
    let before = repo.scaffold(&["guard", "doctor"]);
    assert_eq!(before.code, 1, "{}", before.transcript());
    assert!(
        before.stdout.contains("missing  git pre-commit hook"),
        "{}",
        before.stdout
    );
    assert!(
        before.stdout.contains("missing  SQL files have eol=lf"),
        "{}",
        before.stdout
    );
    repo.install();
    repo.write(".gitattributes", "*.sql text eol=lf\n");
    let after = repo.scaffold(&["guard", "doctor"]);
    assert!(
        after.stdout.contains("ok       git pre-commit hook"),
        "{}",
        after.stdout
    );
    assert!(
        after
            .stdout
            .contains("ok       Claude Code PreToolUse hook"),
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains("ok       SQL files have eol=lf"),
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains("ok       hook binary"),
        "{}",
        after.stdout
    );
}

#[test]
fn an_invalid_policy_is_an_error_with_location_never_an_allow() {
    let repo = Repo::with_migration();
    repo.write("scaffold.toml", "[guard]\nprotected = [\"migrations/[\"]\n");
    let output = repo.scaffold(&["guard", "staged"]);
    assert_eq!(output.code, 2, "{}", output.transcript());
    assert!(
        output
            .stderr
            .contains("scaffold.toml:1:1: invalid glob `migrations/[`"),
        "{}",
        output.stderr
    );
    let input = format!(
        "{{\"cwd\":{:?},\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{{\"command\":\"ls\"}}}}",
        repo.path().display().to_string()
    );
    let hook = Run::new(repo.path())
        .args(["guard", "claude-hook"])
        .stdin(&input)
        .run();
    assert_eq!(
        hook.code,
        2,
        "a broken policy must deny: {}",
        hook.transcript()
    );
}

/// The repository every Claude hook fixture runs in.
fn hook_repo() -> (Repo, PathBuf) {
    let repo = Repo::with_migration();
    repo.write("migrations/notes.ipynb", "{}\n");
    repo.write("prisma/schema.prisma", "model A { id Int @id }\n");
    repo.write("services/billing/migrations/.keep", "");
    #[cfg(unix)]
    std::os::unix::fs::symlink("migrations", repo.path().join("db_link")).expect("symlink");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "more"]);
    let worktree = repo.path().with_extension("worktree");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "--detach",
        &worktree.display().to_string(),
    ]);
    (repo, worktree)
}

fn hook_input(cwd: &Path, agent: &str, tool: &str, target: &str) -> String {
    let tool_input = match tool {
        "Bash" => serde_json::json!({"command": target, "description": "fixture"}),
        "NotebookEdit" => serde_json::json!({"notebook_path": target, "new_source": "x"}),
        "Write" => serde_json::json!({"file_path": target, "content": "x"}),
        "Grep" => serde_json::json!({"pattern": "x", "path": target}),
        _ => serde_json::json!({"file_path": target, "old_string": "a", "new_string": "b"}),
    };
    let mut input = serde_json::json!({
        "session_id": "s1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd.display().to_string(),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": tool,
        "tool_input": tool_input, "tool_use_id": "toolu_1",
    });
    if agent != "-" {
        input["agent_id"] = serde_json::json!("a1");
        input["agent_type"] = serde_json::json!(agent);
    }
    input.to_string()
}

#[test]
fn claude_hook_fixtures() {
    let (repo, worktree) = hook_repo();
    let table = std::fs::read_to_string(workspace().join("tests/fixtures/claude-hook.txt"))
        .expect("fixtures");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.splitn(4, " | ").map(str::trim).collect();
        let [expect, agent, tool, target] = fields.as_slice() else {
            panic!("bad fixture line: {line}")
        };
        let target = target
            .replace("\\n", "\n")
            .replace("$REPO", &repo.path().display().to_string())
            .replace("$WORKTREE", &worktree.display().to_string());
        let output = Run::new(repo.path())
            .args(["guard", "claude-hook"])
            .stdin(&hook_input(repo.path(), agent, tool, &target))
            .run();
        count += 1;
        let got = match output.code {
            0 => "allow",
            2 => "deny",
            _ => "error",
        };
        if got != *expect {
            failures.push(format!(
                "{line}\n  expected {expect}, got {got} (exit {}): {}",
                output.code,
                output.stderr.trim()
            ));
        } else if got == "deny"
            && !output.stderr.contains("scaffold guard blocked this call")
            && !output.stderr.starts_with("error:")
        {
            failures.push(format!(
                "{line}\n  denied without a reason: {}",
                output.stderr
            ));
        }
    }
    assert!(count > 100, "only {count} fixtures");
    assert!(
        failures.is_empty(),
        "{} of {count} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&worktree);
}

#[test]
fn claude_hook_fails_closed_on_bad_input() {
    let dir = tempfile::tempdir().expect("temp");
    for input in [
        "",
        "not json",
        "{\"tool_name\": 3}",
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{}}",
    ] {
        let output = Run::new(dir.path())
            .args(["guard", "claude-hook"])
            .stdin(input)
            .run();
        assert_eq!(output.code, 2, "input {input:?}: {}", output.transcript());
        assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
    }
}

/// Hook inputs exactly as Claude Code sends them (`tests/fixtures/claude-json/`);
/// the file name says the expected decision.
#[test]
fn claude_hook_json_fixtures() {
    let (repo, worktree) = hook_repo();
    let dir = workspace().join("tests/fixtures/claude-json");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 10, "{entries:?}");
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let input = std::fs::read_to_string(&path)
            .expect("fixture")
            .replace("$REPO", &repo.path().display().to_string());
        let output = Run::new(repo.path())
            .args(["guard", "claude-hook"])
            .stdin(&input)
            .run();
        // The slim hook binary answers exactly as `scaffold guard claude-hook`.
        let slim = Command::new(crate::support::hook_binary())
            .current_dir(repo.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(input.as_bytes())?;
                child.wait_with_output()
            })
            .expect("run scaffold-hook");
        assert_eq!(
            slim.status.code(),
            Some(output.code),
            "{name}: scaffold-hook differs"
        );
        assert_eq!(
            String::from_utf8_lossy(&slim.stderr),
            output.stderr,
            "{name}: scaffold-hook says something else"
        );
        let expected = if name.starts_with("allow-") { 0 } else { 2 };
        assert_eq!(output.code, expected, "{name}: {}", output.transcript());
        if expected == 2 {
            assert!(
                !output.stderr.trim().is_empty(),
                "{name}: a denial says why"
            );
        } else {
            assert!(
                output.stderr.is_empty() && output.stdout.is_empty(),
                "{name}: an allowed call is silent"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&worktree);
}

#[test]
fn install_writes_the_sandbox_and_deny_rules_from_the_policy() {
    let repo = Repo::with_migration();
    let root = repo.path().canonicalize().expect("canonical");
    let abs = |rel: &str| format!("/{}", root.join(rel).display());
    let read = || -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("settings"),
        )
        .expect("json")
    };
    let settings = read();
    assert_eq!(settings["hooks"]["PreToolUse"][0]["matcher"], "*");
    assert_eq!(settings["sandbox"]["enabled"], true);
    assert_eq!(settings["sandbox"]["failIfUnavailable"], true);
    assert_eq!(settings["sandbox"]["allowUnsandboxedCommands"], false);
    let deny_write: Vec<&str> = settings["sandbox"]["filesystem"]["denyWrite"]
        .as_array()
        .expect("denyWrite")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for path in [
        "migrations",
        "scaffold.toml",
        ".claude",
        ".git/hooks",
        ".git/config",
    ] {
        assert!(
            deny_write.contains(&abs(path).as_str()),
            "{path}: {deny_write:?}"
        );
    }
    let edit_deny: Vec<&str> = settings["permissions"]["deny"]
        .as_array()
        .expect("permissions.deny")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        edit_deny.contains(&format!("Edit({})", abs("scaffold.toml")).as_str()),
        "{edit_deny:?}"
    );
    assert!(
        edit_deny.contains(&format!("Edit({}/**)", abs(".claude")).as_str()),
        "{edit_deny:?}"
    );
    // Migrations stay writable for the file tools: the data engineer's agent adds them there.
    assert!(
        edit_deny.iter().all(|rule| !rule.contains("migrations")),
        "{edit_deny:?}"
    );

    // The user's own keys survive, and a second install changes nothing.
    let mut edited = settings.clone();
    edited["sandbox"]["network"] = serde_json::json!({"allowedDomains": ["crates.io"]});
    edited["permissions"]["deny"]
        .as_array_mut()
        .expect("list")
        .push(serde_json::json!("Read(./.env)"));
    std::fs::write(
        repo.path().join(".claude/settings.json"),
        serde_json::to_string_pretty(&edited).expect("json"),
    )
    .expect("write");
    repo.install();
    let once = std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("read");
    repo.install();
    let twice = std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("read");
    assert_eq!(once, twice, "install is not idempotent");
    let kept = read();
    assert_eq!(kept["sandbox"]["network"]["allowedDomains"][0], "crates.io");
    assert!(
        kept["permissions"]["deny"]
            .to_string()
            .contains("Read(./.env)")
    );

    // A migrations folder created after install is not covered: doctor says so.
    repo.write(
        "services/billing/migrations/0001.sql",
        "create table b();\n",
    );
    let doctor = repo.scaffold(&["guard", "doctor"]);
    assert!(
        doctor.stdout.contains("missing  OS sandbox configured")
            && doctor
                .stdout
                .contains("services/billing/migrations is not in sandbox.filesystem.denyWrite"),
        "{}",
        doctor.stdout
    );
    repo.install();
    let doctor = repo.scaffold(&["guard", "doctor"]);
    assert!(
        doctor.stdout.contains("ok       OS sandbox configured"),
        "{}",
        doctor.stdout
    );
}

/// The PostToolUse backstop: after a shell command, guarded files that changed anyway
/// are reported with exact paths and how to undo it.
#[test]
fn the_backstop_reports_what_a_command_changed_anyway() {
    let repo = Repo::with_migration();
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo.path().join(".claude/settings.json")).expect("settings"),
    )
    .expect("json");
    assert!(
        settings["hooks"]["PostToolUse"][0]["matcher"]
            .as_str()
            .is_some_and(|m| m.contains("Bash")),
        "{settings}"
    );
    let after = |agent: &str| {
        let mut input = serde_json::json!({
            "session_id": "s1", "cwd": repo.path().display().to_string(),
            "hook_event_name": "PostToolUse", "tool_name": "Bash",
            "tool_input": {"command": "make"}, "tool_response": {"stdout": ""},
        });
        if agent != "-" {
            input["agent_type"] = serde_json::json!(agent);
        }
        Run::new(repo.path())
            .args(["guard", "claude-hook"])
            .stdin(&input.to_string())
            .run()
    };
    let clean = after("-");
    assert_eq!(clean.code, 0, "{}", clean.transcript());
    assert!(clean.stderr.is_empty(), "{}", clean.stderr);
    // Something slipped past the sandbox and the hook.
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    repo.write("migrations/0002_sneaky.sql", "create table x();\n");
    let report = after("backend-developer");
    assert_eq!(report.code, 2, "{}", report.transcript());
    assert!(
        report
            .stderr
            .contains("migrations/0001_init.sql: modified (rule `migrations/**`): stop and tell the user which command changed it; a person restores it (`git restore -- migrations/0001_init.sql`)"),
        "{}",
        report.stderr
    );
    assert!(
        report
            .stderr
            .contains("migrations/0002_sneaky.sql: added by an agent"),
        "{}",
        report.stderr
    );
    // The data engineer's new migration is not reported; the edit still is.
    let data = after("data-engineer");
    assert!(!data.stderr.contains("0002_sneaky"), "{}", data.stderr);
    assert!(
        data.stderr.contains("0001_init.sql: modified"),
        "{}",
        data.stderr
    );
}

/// build.rs links scaffold-hook statically on Linux with glibc (the loader
/// was half its start-up time). If the static archives are missing, the build
/// still succeeds with a warning and this test says what to install.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn scaffold_hook_is_linked_statically() {
    if option_env!("SCAFFOLD_HOOK_LINK") == Some("dynamic") {
        return; // asked for explicitly when the test binary was built
    }
    let elf = std::fs::read(crate::support::hook_binary()).expect("read scaffold-hook");
    let number = |at: usize, len: usize| {
        elf[at..at + len]
            .iter()
            .rev()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b))
    };
    assert_eq!(&elf[..5], b"\x7fELF\x02", "a 64-bit ELF file");
    let (table, entry_size, entries) = (number(0x20, 8), number(0x36, 2), number(0x38, 2));
    // PT_INTERP (3) names the dynamic loader: a static executable has none.
    let dynamic = (0..entries).any(|i| number(table + i * entry_size, 4) == 3);
    assert!(
        !dynamic,
        "scaffold-hook is dynamically linked: build.rs found no static C library (see the build's warning; on Debian: apt-get install libc6-dev)"
    );
}
