//! One Claude Code hook call, end to end: JSON in, an answer out. Shared by
//! `scaffold guard claude-hook` and the slim `scaffold-hook` binary, which
//! exists because starting the whole `scaffold` binary (templates, Tera, syn)
//! costs several times a no-op process on every tool call.

use std::path::Path;

use crate::claude::{Decision, HookInput};
use crate::policy::Policy;

/// The file the policy lives in, at the repository root.
pub const POLICY_FILE: &str = "scaffold.toml";

/// What the hook tells Claude Code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Exit 0: the call goes ahead.
    Allow,
    /// Exit 2 with the reason on stderr: the call is blocked (PreToolUse), or
    /// guarded files changed anyway (PostToolUse backstop).
    Deny(String),
    /// Exit 2: the guard cannot read something, so it fails closed.
    Unreadable { message: String, hint: &'static str },
}

/// Reads the policy of the repository at `root`; a missing file is the default
/// policy, a broken one is an error (which denies).
pub fn load_policy(root: &Path) -> Result<Policy, (String, &'static str)> {
    let path = root.join(POLICY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Policy::from_toml(POLICY_FILE, &text).map_err(|e| (e.to_string(), e.hint())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Policy::default()),
        Err(e) => Err((
            format!("cannot read {}: {e}", path.display()),
            "the guard denies what it cannot read",
        )),
    }
}

/// Answers one hook call given its JSON input.
pub fn answer(input: &str) -> Answer {
    let unreadable = |message: String, hint: &'static str| Answer::Unreadable { message, hint };
    let hook = match HookInput::parse(input) {
        Ok(hook) => hook,
        Err(e) => {
            return unreadable(
                e,
                "the guard denies what it cannot read; check the hook command in .claude/settings.json",
            );
        }
    };
    if hook.is_after() {
        return backstop(&hook);
    }
    let decision = crate::claude::decide(&hook, |root| {
        load_policy(root).map_err(|(message, _)| message)
    });
    match decision {
        Ok(Decision::Allow) => Answer::Allow,
        Ok(denied) => Answer::Deny(denied.reason()),
        Err(e) => unreadable(e, "the guard denies what it cannot read"),
    }
}

/// PostToolUse after a shell tool: the call already ran, so this only reports
/// (Claude Code shows stderr to the model) what changed under guarded paths.
fn backstop(hook: &HookInput) -> Answer {
    let Some(root) = hook
        .work_dir()
        .or_else(|| std::env::current_dir().ok())
        .and_then(|dir| crate::paths::repository_root(&dir))
    else {
        return Answer::Allow;
    };
    let policy = match load_policy(&root) {
        Ok(policy) => policy,
        Err((message, hint)) => return Answer::Unreadable { message, hint },
    };
    match crate::git::work_tree_changes(&root, &policy, hook.agent_type.as_deref()) {
        Ok(violations) if violations.is_empty() => Answer::Allow,
        Ok(violations) => {
            let lines: Vec<String> = violations
                .iter()
                .map(|v| format!("- {}", v.message()))
                .collect();
            Answer::Deny(format!(
                "scaffold guard: the last command changed guarded files:\n{}",
                lines.join("\n")
            ))
        }
        Err(e) => Answer::Unreadable {
            message: e.to_string(),
            hint: "the guard denies what it cannot read",
        },
    }
}
