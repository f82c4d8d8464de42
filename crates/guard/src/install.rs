//! Wiring the guard in: the git hooks, the Claude Code hook, sandbox and
//! permission rules.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::sandbox;

/// The line our hooks are recognised by.
pub const HOOK_MARKER: &str = "# installed by `scaffold guard install`";
/// What the PreToolUse entry runs.
pub const CLAUDE_COMMAND: &str = "scaffold guard claude-hook";
/// The tools the PreToolUse entry matches: all of them (Monitor, PowerShell and
/// MCP tools write too; the guard decides which calls matter).
pub const CLAUDE_MATCHER: &str = "*";
/// The tools the PostToolUse backstop runs after: those that run commands.
pub const CLAUDE_BACKSTOP_MATCHER: &str = "Bash|Monitor|PowerShell|mcp__.*";
/// The git hooks the guard installs: pre-commit sees `git commit`; merges,
/// reverts, cherry-picks and `commit-tree` + `update-ref` skip it, so
/// pre-merge-commit and reference-transaction see those.
pub const GIT_HOOKS: &[&str] = &["pre-commit", "pre-merge-commit", "reference-transaction"];

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("not inside a git repository ({0})")]
    NotARepository(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path} is not valid JSON ({message}); fix or move it, then run install again")]
    BadSettings { path: String, message: String },
    #[error(transparent)]
    Policy(#[from] crate::PolicyError),
}

/// Whether a hook command is ours: `scaffold guard claude-hook` or `scaffold-hook`.
fn is_guard_hook(command: &str) -> bool {
    command.contains("guard claude-hook") || command.contains("scaffold-hook")
}

/// Whether a settings hook entry (`{"matcher": .., "hooks": [..]}`) runs the guard.
fn runs_guard(entry: &Value) -> bool {
    entry
        .get("hooks")
        .and_then(Value::as_array)
        .is_some_and(|hooks| {
            hooks.iter().any(|h| {
                h.get("command")
                    .and_then(Value::as_str)
                    .is_some_and(is_guard_hook)
            })
        })
}

/// The command the Claude hooks run for `binary` (how the git hooks call
/// scaffold): the slim `scaffold-hook` when it sits beside that binary (a
/// tool call then starts a small process), else `<binary> guard claude-hook`.
pub fn hook_command(binary: &str) -> String {
    let slim = format!("scaffold-hook{}", std::env::consts::EXE_SUFFIX);
    let path = Path::new(binary);
    let beside = if path.components().count() > 1 {
        path.parent()
            .map(|dir| dir.join(&slim))
            .filter(|p| p.is_file())
    } else {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .find(|dir| dir.join(binary).is_file())
                .map(|dir| dir.join(&slim))
                .filter(|p| p.is_file())
                // Found on PATH: call it by name, as the user does.
                .map(|_| PathBuf::from("scaffold-hook"))
        })
    };
    match beside {
        Some(slim) => slim.to_string_lossy().into_owned(),
        None => format!("{binary} guard claude-hook"),
    }
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
    git_hook_script("pre-commit", binary)
}

/// The script of one of [`GIT_HOOKS`]; a foreign hook moved aside runs after ours.
pub fn git_hook_script(name: &str, binary: &str) -> String {
    let chained = format!("chained=\"$(dirname \"$0\")/{name}.before-scaffold\"\n");
    match name {
        "reference-transaction" => format!(
            "#!/bin/sh\n{HOOK_MARKER}\n# Refuses ref updates whose new commits change migrations without pre-commit\n# (revert, cherry-pick, merges, commit-tree + update-ref): checked for agents.\ninput=\"$(cat)\"\nif [ \"$1\" = prepared ]; then\n  printf '%s\\n' \"$input\" | {binary} guard refs \"$1\" || exit 1\nfi\n{chained}if [ -x \"$chained\" ]; then\n  printf '%s\\n' \"$input\" | exec \"$chained\" \"$@\"\nfi\n"
        ),
        _ => format!(
            "#!/bin/sh\n{HOOK_MARKER}\n# Blocks commits that change migrations (see scaffold.toml [guard]).\nset -e\n{binary} guard staged\n{chained}if [ -x \"$chained\" ]; then\n  exec \"$chained\" \"$@\"\nfi\n"
        ),
    }
}

/// Installs the git hooks ([`GIT_HOOKS`]). Returns what it did, one line per action.
pub fn install_git_hook(repo: &Path, binary: &str) -> Result<Vec<String>, InstallError> {
    let dir = hooks_dir(repo)?;
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let mut actions = Vec::new();
    for name in GIT_HOOKS {
        actions.extend(install_one_hook(&dir, name, binary)?);
    }
    Ok(actions)
}

fn install_one_hook(dir: &Path, name: &str, binary: &str) -> Result<Vec<String>, InstallError> {
    let hook = dir.join(name);
    let script = git_hook_script(name, binary);
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
            let chained = dir.join(format!("{name}.before-scaffold"));
            if chained.exists() {
                return Err(InstallError::Io {
                    path: hook.display().to_string(),
                    message: format!(
                        "a foreign {name} hook exists and {} too; merge them by hand",
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

/// Which of [`GIT_HOOKS`] are installed in `repo`'s hooks folder.
pub fn installed_hooks(repo: &Path) -> Result<Vec<(&'static str, bool)>, InstallError> {
    let dir = hooks_dir(repo)?;
    Ok(GIT_HOOKS
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            (*name, text.contains(HOOK_MARKER))
        })
        .collect())
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

/// Whether settings JSON already runs the guard before every tool call.
pub fn settings_have_hook(settings: &Value) -> bool {
    guard_entries(settings)
        .any(|entry| entry.get("matcher").and_then(Value::as_str) == Some(CLAUDE_MATCHER))
}

fn guard_entries(settings: &Value) -> impl Iterator<Item = &Value> {
    settings
        .pointer("/hooks/PreToolUse")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|entry| runs_guard(entry))
}

/// What `doctor` finds wrong with the sandbox block, one line each (empty: configured).
pub fn sandbox_problems(settings: &Value, plan: &sandbox::Plan) -> Vec<String> {
    let mut problems = Vec::new();
    let sandbox = settings.get("sandbox");
    for (key, want) in [
        ("enabled", true),
        ("failIfUnavailable", true),
        ("allowUnsandboxedCommands", false),
    ] {
        if sandbox.and_then(|s| s.get(key)).and_then(Value::as_bool) != Some(want) {
            problems.push(format!("sandbox.{key} is not {want}"));
        }
    }
    let denied: Vec<&str> = sandbox
        .and_then(|s| s.pointer("/filesystem/denyWrite"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for path in plan.all() {
        let rule = sandbox::absolute_rule(path);
        let covered = denied
            .iter()
            .any(|d| rule == *d || rule.starts_with(&format!("{}/", d.trim_end_matches('/'))));
        if !covered {
            problems.push(format!(
                "{} is not in sandbox.filesystem.denyWrite",
                path.display()
            ));
        }
    }
    problems
}

/// Adds the PreToolUse entry (matcher `*`), the sandbox block and the
/// `permissions.deny` rules to `.claude/settings.json`, keeping every other key.
pub fn install_claude_settings(root: &Path, command: &str) -> Result<Vec<String>, InstallError> {
    let path = root.join(".claude/settings.json");
    let text = std::fs::read_to_string(&path).ok();
    let mut settings: Value = match text.as_deref() {
        Some(text) if text.trim().is_empty() => json!({}),
        Some(text) => serde_json::from_str(text).map_err(|e| InstallError::BadSettings {
            path: path.display().to_string(),
            message: e.to_string(),
        })?,
        None => json!({}),
    };
    let bad = |message: &str| InstallError::BadSettings {
        path: path.display().to_string(),
        message: message.into(),
    };
    let policy = match std::fs::read_to_string(root.join("scaffold.toml")) {
        Ok(text) => crate::Policy::from_toml("scaffold.toml", &text)?,
        Err(_) => crate::Policy::default(),
    };
    let binary = command
        .split_whitespace()
        .next()
        .map(PathBuf::from)
        .filter(|b| b.is_absolute());
    let plan = sandbox::plan(root, &policy, &hooks_dir(root)?, binary.as_deref());
    let object = settings
        .as_object_mut()
        .ok_or_else(|| bad("the top level is not an object"))?;

    // 1. The hook, on every tool.
    let hooks = object
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    let hooks = hooks
        .as_object_mut()
        .ok_or_else(|| bad("`hooks` is not an object"))?;
    let pre = hooks
        .entry("PreToolUse")
        .or_insert_with(|| Value::Array(Vec::new()));
    let pre = pre
        .as_array_mut()
        .ok_or_else(|| bad("`hooks.PreToolUse` is not a list"))?;
    let ours = pre.iter_mut().find(|entry| runs_guard(entry));
    match ours {
        Some(entry) => entry["matcher"] = json!(CLAUDE_MATCHER),
        None => pre.push(
            json!({"matcher": CLAUDE_MATCHER, "hooks": [{"type": "command", "command": command}]}),
        ),
    }
    // The backstop after shell tools: reports guarded files a command changed anyway.
    let post = hooks
        .entry("PostToolUse")
        .or_insert_with(|| Value::Array(Vec::new()));
    let post = post
        .as_array_mut()
        .ok_or_else(|| bad("`hooks.PostToolUse` is not a list"))?;
    let has_backstop = post.iter().any(runs_guard);
    if !has_backstop {
        post.push(json!({"matcher": CLAUDE_BACKSTOP_MATCHER, "hooks": [{"type": "command", "command": command}]}));
    }

    // 2. The OS sandbox: on, no escape, the guarded paths read-only.
    let block = sandbox::settings_block(&plan);
    let sandbox_value = object.entry("sandbox").or_insert_with(|| json!({}));
    let sandbox_object = sandbox_value
        .as_object_mut()
        .ok_or_else(|| bad("`sandbox` is not an object"))?;
    for key in ["enabled", "failIfUnavailable", "allowUnsandboxedCommands"] {
        sandbox_object.insert(key.into(), block[key].clone());
    }
    let filesystem = sandbox_object
        .entry("filesystem")
        .or_insert_with(|| json!({}));
    let filesystem = filesystem
        .as_object_mut()
        .ok_or_else(|| bad("`sandbox.filesystem` is not an object"))?;
    merge_list(filesystem, "denyWrite", &block["filesystem"]["denyWrite"]).map_err(|m| bad(&m))?;

    // 3. The file tools refuse the guard's configuration even without the hook.
    let permissions = object.entry("permissions").or_insert_with(|| json!({}));
    let permissions = permissions
        .as_object_mut()
        .ok_or_else(|| bad("`permissions` is not an object"))?;
    let denials = Value::from(sandbox::edit_denials(&plan));
    merge_list(permissions, "deny", &denials).map_err(|m| bad(&m))?;

    let new_text = serde_json::to_string_pretty(&settings).unwrap_or_default() + "\n";
    if text.as_deref() == Some(new_text.as_str()) {
        return Ok(vec![action("identical", &path.display().to_string())]);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::write(&path, new_text).map_err(|e| io(&path, e))?;
    Ok(vec![action(
        if text.is_some() { "update" } else { "create" },
        &path.display().to_string(),
    )])
}

/// Appends the entries of `add` missing from the list at `key`, keeping the user's.
fn merge_list(object: &mut Map<String, Value>, key: &str, add: &Value) -> Result<(), String> {
    let list = object
        .entry(key)
        .or_insert_with(|| Value::Array(Vec::new()));
    let list = list
        .as_array_mut()
        .ok_or_else(|| format!("`{key}` is not a list"))?;
    for item in add.as_array().into_iter().flatten() {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
    Ok(())
}

/// Why the binary the hooks run is within an agent's reach, if it is.
pub fn binary_exposure(root: &Path, binary: &str) -> Option<String> {
    let path = Path::new(binary);
    let resolved = if path.components().count() > 1 {
        path.canonicalize().ok()?
    } else {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(binary))
            .find(|p| p.is_file())?
            .canonicalize()
            .ok()?
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let temp = std::env::temp_dir()
        .canonicalize()
        .unwrap_or_else(|_| std::env::temp_dir());
    if resolved.starts_with(&root) {
        Some(format!(
            "{} is inside the project, where agents write",
            resolved.display()
        ))
    } else if resolved.starts_with(&temp) {
        Some(format!(
            "{} is in a temporary folder anyone can write",
            resolved.display()
        ))
    } else {
        None
    }
}
