//! Wiring the guard in: the git pre-commit hook and the Claude Code settings.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

/// The line our pre-commit hook is recognised by.
pub const HOOK_MARKER: &str = "# installed by `scaffold guard install`";
/// What the PreToolUse entry runs.
pub const CLAUDE_COMMAND: &str = "scaffold guard claude-hook";
/// The tools the PreToolUse entry matches.
pub const CLAUDE_MATCHER: &str = "Edit|Write|MultiEdit|NotebookEdit|Bash";

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("not inside a git repository ({0})")]
    NotARepository(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path} is not valid JSON ({message}); fix or move it, then run install again")]
    BadSettings { path: String, message: String },
}

/// `      create  path`: the status style of `scaffold generate`.
fn action(verb: &str, what: &str) -> String {
    format!("{verb:>12}  {what}")
}

fn io(path: &Path, error: std::io::Error) -> InstallError {
    InstallError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// The hooks folder git uses for `repo` (honours core.hooksPath and worktrees).
pub fn hooks_dir(repo: &Path) -> Result<PathBuf, InstallError> {
    let output = Command::new("git")
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .current_dir(repo)
        .output()
        .map_err(|e| io(repo, e))?;
    if !output.status.success() {
        return Err(InstallError::NotARepository(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// The pre-commit script: runs the guard, then any hook that was there before.
pub fn hook_script(binary: &str) -> String {
    format!(
        "#!/bin/sh\n{HOOK_MARKER}\n# Blocks commits that change migrations (see scaffold.toml [guard]).\nset -e\n{binary} guard staged\nchained=\"$(dirname \"$0\")/pre-commit.before-scaffold\"\nif [ -x \"$chained\" ]; then\n  exec \"$chained\" \"$@\"\nfi\n"
    )
}

/// Installs the pre-commit hook. Returns what it did, one line per action.
pub fn install_git_hook(repo: &Path, binary: &str) -> Result<Vec<String>, InstallError> {
    let dir = hooks_dir(repo)?;
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let hook = dir.join("pre-commit");
    let script = hook_script(binary);
    let mut actions = Vec::new();
    match std::fs::read_to_string(&hook) {
        Ok(existing) if existing == script => {
            actions.push(action("identical", &hook.display().to_string()));
            return Ok(actions);
        }
        Ok(existing) if existing.contains(HOOK_MARKER) => {
            actions.push(action("update", &hook.display().to_string()))
        }
        Ok(_) => {
            // Someone else's hook: keep it, and run it after ours.
            let chained = dir.join("pre-commit.before-scaffold");
            if chained.exists() {
                return Err(InstallError::Io {
                    path: hook.display().to_string(),
                    message: format!(
                        "a foreign pre-commit hook exists and {} too; merge them by hand",
                        chained.display()
                    ),
                });
            }
            std::fs::rename(&hook, &chained).map_err(|e| io(&hook, e))?;
            actions.push(action(
                "move",
                &format!(
                    "{} -> {} (still runs, after the guard)",
                    hook.display(),
                    chained.display()
                ),
            ));
            actions.push(action("create", &hook.display().to_string()));
        }
        Err(_) => actions.push(action("create", &hook.display().to_string())),
    }
    write_executable(&hook, &script)?;
    Ok(actions)
}

#[cfg(unix)]
fn write_executable(path: &Path, contents: &str) -> Result<(), InstallError> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, contents).map_err(|e| io(path, e))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|e| io(path, e))
}

#[cfg(not(unix))]
fn write_executable(path: &Path, contents: &str) -> Result<(), InstallError> {
    std::fs::write(path, contents).map_err(|e| io(path, e))
}

/// Whether settings JSON already runs the guard before tool calls.
pub fn settings_have_hook(settings: &Value) -> bool {
    settings
        .pointer("/hooks/PreToolUse")
        .and_then(Value::as_array)
        .is_some_and(|entries| {
            entries.iter().any(|entry| {
                entry
                    .get("hooks")
                    .and_then(Value::as_array)
                    .is_some_and(|hooks| {
                        hooks.iter().any(|h| {
                            h.get("command")
                                .and_then(Value::as_str)
                                .is_some_and(|c| c.contains("guard claude-hook"))
                        })
                    })
            })
        })
}

/// Adds the PreToolUse entry to `.claude/settings.json`, keeping every other key.
pub fn install_claude_settings(root: &Path, command: &str) -> Result<Vec<String>, InstallError> {
    let path = root.join(".claude/settings.json");
    let mut settings: Value = match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().is_empty() => json!({}),
        Ok(text) => serde_json::from_str(&text).map_err(|e| InstallError::BadSettings {
            path: path.display().to_string(),
            message: e.to_string(),
        })?,
        Err(_) => json!({}),
    };
    if settings_have_hook(&settings) {
        return Ok(vec![action("identical", &path.display().to_string())]);
    }
    let existed = path.exists();
    let Some(object) = settings.as_object_mut() else {
        return Err(InstallError::BadSettings {
            path: path.display().to_string(),
            message: "the top level is not an object".into(),
        });
    };
    let hooks = object
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(hooks) = hooks.as_object_mut() else {
        return Err(InstallError::BadSettings {
            path: path.display().to_string(),
            message: "`hooks` is not an object".into(),
        });
    };
    let pre = hooks
        .entry("PreToolUse")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(pre) = pre.as_array_mut() else {
        return Err(InstallError::BadSettings {
            path: path.display().to_string(),
            message: "`hooks.PreToolUse` is not a list".into(),
        });
    };
    pre.push(
        json!({"matcher": CLAUDE_MATCHER, "hooks": [{"type": "command", "command": command}]}),
    );
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let text = serde_json::to_string_pretty(&settings).unwrap_or_default() + "\n";
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    Ok(vec![action(
        if existed { "update" } else { "create" },
        &path.display().to_string(),
    )])
}
