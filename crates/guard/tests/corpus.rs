//! The attack corpus: every case in `tests/fixtures/claude-hook-cases.txt`,
//! decided in-process by `decide()` in a real git repository, each naming the
//! rule that must fire (or `-` for calls that must be allowed).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use scaffold_guard::Policy;
use scaffold_guard::claude::{Context, Decision, HookInput, decide_in};

const POLICY: &str = "[guard.agents.data-engineer]\ncreate = [\"migrations/**\"]\n\n[guard.agents.migration-runner]\nrun-migrations = true\n";

/// A repository shaped like a real project, plus a home folder and an outside folder.
struct World {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    home: PathBuf,
    outside: PathBuf,
    worktree: PathBuf,
    binary: PathBuf,
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_DIR")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().canonicalize().expect("canonical");
        let repo = base.join("app");
        let home = base.join("home");
        let outside = base.join("outside");
        std::fs::create_dir_all(&repo).expect("repo");
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["config", "user.email", "dev@example.com"]);
        git(&repo, &["config", "user.name", "Dev"]);
        git(&repo, &["config", "commit.gpgsign", "false"]);
        git(
            &repo,
            &["config", "alias.zap", "!rm migrations/0001_init.sql"],
        );
        git(&repo, &["config", "alias.st", "status"]);
        for (path, text) in [
            ("scaffold.toml", POLICY),
            (
                "migrations/0001_init.sql",
                "create table orders (id uuid primary key);\n",
            ),
            ("migrations/notes.ipynb", "{}\n"),
            ("backend/lib.rs", "//! app\n"),
            ("backend/orders/service.rs", "//! orders\n"),
            ("prisma/schema.prisma", "model A { id Int @id }\n"),
            (
                "services/billing/migrations/0001.sql",
                "create table b();\n",
            ),
            (".claude/settings.json", "{}\n"),
            (
                ".claude/agents/backend-developer.md",
                "---\nname: backend-developer\n---\n",
            ),
            (
                "scripts/clean.sh",
                "#!/bin/sh\nrm -f migrations/0001_init.sql\n",
            ),
            ("scripts/build.sh", "#!/bin/sh\ncargo build\n"),
            // Tasks whose names say nothing of what they run.
            (
                "Makefile",
                "build:\n\tcargo build\nclean:\n\trm -f migrations/0001_init.sql\nsetup: db\n\techo ok\ndb:\n\tsqlx migrate run\n",
            ),
            (
                "package.json",
                "{\"scripts\": {\"build\": \"tsc\", \"setup\": \"npm run db\", \"db\": \"prisma migrate reset --force\", \"prelint\": \"rm -rf migrations\", \"lint\": \"eslint .\", \"test\": \"jest\"}}\n",
            ),
            (
                "justfile",
                "default: build\n\nbuild:\n    cargo build\n\nwipe:\n    rm -rf migrations\n",
            ),
            (
                "fix.patch",
                "--- a/migrations/0001_init.sql\n+++ b/migrations/0001_init.sql\n@@ -1 +1 @@\n-create table orders (id uuid primary key);\n+drop table orders;\n",
            ),
            (
                "ok.patch",
                "--- a/backend/lib.rs\n+++ b/backend/lib.rs\n@@ -1 +1 @@\n-//! app\n+//! app v2\n",
            ),
            ("new.sql", "create table n();\n"),
            ("docs/notes.md", "# notes\n"),
        ] {
            write(&repo.join(path), text);
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("migrations", repo.join("db_link")).expect("symlink");
            std::fs::hard_link(
                repo.join("migrations/0001_init.sql"),
                repo.join("backend/alias.sql"),
            )
            .expect("hard link");
        }
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "--no-verify", "-m", "init"]);
        let worktree = base.join("app-worktree");
        git(
            &repo,
            &[
                "worktree",
                "add",
                "-q",
                "--detach",
                &worktree.display().to_string(),
            ],
        );
        write(&home.join(".claude/settings.json"), "{}\n");
        write(&outside.join("migrations/0001.sql"), "create table o();\n");
        let binary = base.join("bin/scaffold");
        write(&binary, "#!/bin/sh\n");
        Self {
            _dir: dir,
            repo,
            home,
            outside,
            worktree,
            binary,
        }
    }

    fn expand(&self, text: &str) -> String {
        text.replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace("$REPO", &self.repo.display().to_string())
            .replace("$WORKTREE", &self.worktree.display().to_string())
            .replace("$OUTSIDE", &self.outside.display().to_string())
            .replace("$HOMEDIR", &self.home.display().to_string())
            .replace("$BINARY", &self.binary.display().to_string())
    }

    fn context(&self) -> Context {
        Context {
            home: Some(self.home.clone()),
            project_dir: Some(self.repo.clone()),
            process_dir: Some(self.repo.clone()),
            guard_binary: Some(self.binary.clone()),
        }
    }

    fn decide(
        &self,
        agent: &str,
        tool: &str,
        input: &str,
        cwd: Option<&str>,
    ) -> Result<Decision, String> {
        let tool_input = match tool {
            "Bash" | "Monitor" | "PowerShell" => serde_json::json!({"command": input}),
            "NotebookEdit" => serde_json::json!({"notebook_path": input, "new_source": "x"}),
            "Write" => serde_json::json!({"file_path": input, "content": "x"}),
            "Edit" | "MultiEdit" => {
                serde_json::json!({"file_path": input, "old_string": "a", "new_string": "b"})
            }
            _ => serde_json::from_str(input).map_err(|e| format!("bad JSON in case: {e}"))?,
        };
        let mut json = serde_json::json!({
            "session_id": "s1", "hook_event_name": "PreToolUse", "tool_name": tool,
            "tool_input": tool_input,
        });
        if let Some(cwd) = cwd {
            json["cwd"] = serde_json::json!(cwd);
        }
        if agent != "-" {
            json["agent_type"] = serde_json::json!(agent);
        }
        let hook = HookInput::parse(&json.to_string())?;
        decide_in(&hook, &load_policy, &self.context())
    }
}

fn load_policy(root: &Path) -> Result<Policy, String> {
    match std::fs::read_to_string(root.join("scaffold.toml")) {
        Ok(text) => Policy::from_toml("scaffold.toml", &text).map_err(|e| e.to_string()),
        Err(_) => Ok(Policy::default()),
    }
}

#[test]
fn every_case_decides_as_written_and_names_its_rule() {
    let world = World::new();
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/claude-hook-cases.txt"),
    )
    .expect("cases");
    let mut failures = Vec::new();
    let (mut count, mut denied, mut allowed) = (0, 0, 0);
    for line in table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.splitn(5, " | ").map(str::trim).collect();
        let [expect, agent, tool, rule, input] = fields.as_slice() else {
            panic!("bad case line (expect | agent | tool | rule | input): {line}")
        };
        count += 1;
        // `@DIR ` at the start of the input: the session's cwd (`@none` leaves it out).
        let (cwd, input) = match input.strip_prefix('@') {
            Some(rest) => {
                let (dir, input) = rest.split_once(' ').unwrap_or((rest, ""));
                (
                    if dir == "none" {
                        None
                    } else {
                        Some(world.expand(dir))
                    },
                    input,
                )
            }
            None => (Some(world.repo.display().to_string()), *input),
        };
        let input = world.expand(input);
        let result = world.decide(agent, tool, &input, cwd.as_deref());
        let problem = match (*expect, &result) {
            ("allow", Ok(Decision::Allow)) => {
                allowed += 1;
                None
            }
            ("deny", Ok(Decision::Deny(violations))) => {
                denied += 1;
                let rules: Vec<&str> = violations.iter().map(|v| v.rule.as_str()).collect();
                let reason = Decision::Deny(violations.clone()).reason();
                if !rules
                    .iter()
                    .any(|r| r == rule || r.starts_with(&format!("{rule} (")))
                {
                    Some(format!("denied, but by {rules:?} instead of `{rule}`"))
                } else if !reason.contains(':') || violations.iter().any(|v| v.instead.is_empty()) {
                    Some("denied without saying what to do instead".to_string())
                } else {
                    None
                }
            }
            ("deny", Err(_)) if *rule == "error" => {
                denied += 1;
                None
            }
            (_, other) => Some(format!("expected {expect}, got {other:?}")),
        };
        if let Some(problem) = problem {
            failures.push(format!("{line}\n    {problem}"));
        }
    }
    assert!(count >= 300, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed ({denied} denied, {allowed} allowed as expected):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_huge_command_is_refused_at_once_and_a_long_one_is_read_in_linear_time() {
    let world = World::new();
    let huge = "echo hello; ".repeat(90_000);
    let start = Instant::now();
    let decision = world.decide("-", "Bash", &huge, Some(&world.repo.display().to_string()));
    let elapsed = start.elapsed();
    assert!(
        matches!(&decision, Ok(Decision::Deny(v)) if v[0].rule == "command too long"),
        "{decision:?}"
    );
    assert!(elapsed.as_millis() < 100, "1 MB took {elapsed:?}");
    // Just under the cap, with every kind of word the analyser expands.
    let long = "cat \"$PWD\"/backend/lib.rs $(echo x) > /tmp/scaffold-guard-out; ".repeat(900);
    assert!(long.len() < 64 * 1024);
    let start = Instant::now();
    let decision = world.decide("-", "Bash", &long, Some(&world.repo.display().to_string()));
    let elapsed = start.elapsed();
    assert_eq!(decision, Ok(Decision::Allow));
    assert!(elapsed.as_millis() < 2000, "60 KB took {elapsed:?}");
}
