//! What the guard reports: a path, what happened to it, the rule, what to do instead.

use serde::Serialize;

/// What happened to a guarded path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum Change {
    /// A new regular file, by an agent not allowed to create it.
    AddedByAgent,
    AddedSymlink,
    AddedSubmodule,
    Modified,
    Deleted,
    /// Deleted here, added at this path (a rename: git shows it as both).
    RenamedTo(String),
    ModeChanged {
        from: String,
        to: String,
    },
    TypeChanged {
        from: String,
        to: String,
    },
    /// A new path that case-folds or NFC-normalises to an existing guarded file:
    /// on macOS and Windows checkouts it overwrites that file.
    Collides(String),
    /// An agent changed guard or hook configuration.
    ConfigChanged,
    /// A Claude Code tool call that would write it.
    WriteAttempt {
        tool: String,
    },
    /// A Bash command that runs migrations or bypasses hooks.
    Command {
        what: String,
    },
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Change::AddedByAgent => "added by an agent".into(),
            Change::AddedSymlink => "added as a symlink".into(),
            Change::AddedSubmodule => "added as a submodule".into(),
            Change::Modified => "modified".into(),
            Change::Deleted => "deleted".into(),
            Change::RenamedTo(to) => format!("renamed to {to}"),
            Change::ModeChanged { from, to } => format!("mode changed from {from} to {to}"),
            Change::TypeChanged { from, to } => format!("changed from {from} to {to}"),
            Change::Collides(with) => format!(
                "added beside {with}, which it overwrites on case-insensitive or Unicode-normalising file systems"
            ),
            Change::ConfigChanged => "changed by an agent".into(),
            Change::WriteAttempt { tool } => format!("would be written by {tool}"),
            Change::Command { what } => what.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub path: String,
    pub change: Change,
    /// The glob (or guard rule) that protects the path.
    pub rule: String,
    /// The commit that made the change (range mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// What to do instead.
    pub instead: String,
}

impl Violation {
    /// One line: `migrations/0001.sql: modified (rule migrations/**): <instead>`.
    pub fn message(&self) -> String {
        let commit = self
            .commit
            .as_ref()
            .map(|c| format!(" in {}", &c[..c.len().min(12)]))
            .unwrap_or_default();
        let subject = if self.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.path)
        };
        format!(
            "{subject}{}{commit} (rule `{}`): {}",
            self.change.describe(),
            self.rule,
            self.instead
        )
    }
}

/// The advice for each kind of rule.
pub fn advice(policy_message: &str, change: &Change, config: bool) -> String {
    if config {
        return "guard and hook configuration is changed by people, in a reviewed commit: ask for the change instead".into();
    }
    match change {
        Change::Modified
        | Change::Deleted
        | Change::RenamedTo(_)
        | Change::Collides(_)
        | Change::ModeChanged { .. }
        | Change::TypeChanged { .. } => {
            format!("applied migrations are immutable; write a new migration instead. {policy_message}")
        }
        Change::AddedSymlink | Change::AddedSubmodule => {
            "only regular files may live under migration folders: a link lets edits elsewhere change a migration".into()
        }
        _ => policy_message.to_string(),
    }
}
