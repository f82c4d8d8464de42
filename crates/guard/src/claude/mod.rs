//! The Claude Code PreToolUse hook: decide on one tool call before it runs.
//!
//! Every tool is decided (the hook is installed with matcher `*`): file tools by
//! path, shell tools (`Bash`, `Monitor`, `PowerShell`) by reading the command,
//! MCP and unknown tools by their path-like inputs. Paths are resolved like the
//! file system does (`..`, symlinked folders, case, Unicode NFC, worktrees) and
//! checked against the policy of every repository that contains them, so a
//! nested `.git` cannot switch the guard off. What cannot be read is denied.
//!
//! The shell analysis itself lives in `bash.rs`; this module owns the decision.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;
use serde_json::Value;

use crate::policy::Policy;
use crate::violation::Violation;

mod checker;
mod powershell;
mod tools;
mod writes;

/// Commands longer than this are denied at once: no agent needs them, and a
/// bound keeps the hook's answer immediate whatever it is sent.
pub const MAX_COMMAND: usize = 64 * 1024;

/// The names of the rules a denial can cite (besides the policy's globs).
pub mod rule {
    pub const BYPASS: &str = "hook bypass";
    pub const RUNNER: &str = "migration runner";
    pub const UNSURE: &str = "cannot decide";
    pub const CODE: &str = "guarded path in code";
    pub const TOO_LONG: &str = "command too long";
    pub const HARD_LINK: &str = "hard link";
    pub const NESTED_GIT: &str = "nested repository";
    pub const NO_TARGET: &str = "unknown target";
    pub const GIT_INDIRECTION: &str = "git indirection";
    pub const CLAUDE_CONFIG: &str = "claude settings";
    pub const HOOKS_DIR: &str = "hooks folder";
    pub const BINARY: &str = "guard binary";
}

/// The JSON Claude Code writes to the hook's stdin (fields the guard needs).
#[derive(Debug, Clone, Deserialize)]
pub struct HookInput {
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub hook_event_name: Option<String>,
    pub tool_name: String,
    #[serde(default)]
    pub tool_input: Value,
    /// Set inside a subagent: its frontmatter `name`, e.g. `backend-developer`.
    #[serde(default)]
    pub agent_type: Option<String>,
}

impl HookInput {
    pub fn parse(json: &str) -> Result<Self, String> {
        let input: HookInput = serde_json::from_str(json)
            .map_err(|e| format!("hook input is not the JSON Claude Code sends: {e}"))?;
        if input
            .hook_event_name
            .as_deref()
            .is_some_and(|e| e != "PreToolUse" && e != "PostToolUse")
        {
            return Err(format!(
                "hook event `{}` is not PreToolUse or PostToolUse",
                input.hook_event_name.as_deref().unwrap_or_default()
            ));
        }
        Ok(input)
    }

    /// The backstop run after a shell tool (`PostToolUse`), not a decision before it.
    pub fn is_after(&self) -> bool {
        self.hook_event_name.as_deref() == Some("PostToolUse")
    }

    /// The folder the session works in, if the input names one that exists.
    pub fn work_dir(&self) -> Option<PathBuf> {
        self.cwd
            .as_deref()
            .map(PathBuf::from)
            .filter(|c| c.is_dir())
    }
}

/// What the tool call may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Vec<Violation>),
}

impl Decision {
    /// The reason shown to the model: what is blocked and what to do instead.
    pub fn reason(&self) -> String {
        match self {
            Decision::Allow => String::new(),
            Decision::Deny(violations) => {
                let lines: Vec<String> = violations
                    .iter()
                    .map(|v| format!("- {}", v.message()))
                    .collect();
                format!("scaffold guard blocked this call:\n{}", lines.join("\n"))
            }
        }
    }
}

/// Where a decision runs: the environment the hook process sees.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `$HOME`, for `~` and `~/.claude/settings.json`.
    pub home: Option<PathBuf>,
    /// `$CLAUDE_PROJECT_DIR`, the session's project.
    pub project_dir: Option<PathBuf>,
    /// The hook process's own folder, used when the input has no usable `cwd`.
    pub process_dir: Option<PathBuf>,
    /// The binary the hooks run: agents may not replace it.
    pub guard_binary: Option<PathBuf>,
}

impl Context {
    /// The context of the running process.
    pub fn from_env() -> Self {
        Self {
            home: std::env::var_os("HOME").map(PathBuf::from),
            project_dir: std::env::var_os("CLAUDE_PROJECT_DIR").map(PathBuf::from),
            process_dir: std::env::current_dir().ok(),
            guard_binary: std::env::current_exe().ok(),
        }
    }
}

/// Loads the policy of the repository at `root` (the CLI reads scaffold.toml).
pub type LoadPolicy<'a> = &'a dyn Fn(&Path) -> Result<Policy, String>;

/// Decides with the environment of the running process.
pub fn decide(
    input: &HookInput,
    load_policy: impl Fn(&Path) -> Result<Policy, String>,
) -> Result<Decision, String> {
    decide_in(input, &load_policy, &Context::from_env())
}

/// Decides on one tool call. `Err` means the input could not be read (deny).
pub fn decide_in(
    input: &HookInput,
    load_policy: LoadPolicy<'_>,
    context: &Context,
) -> Result<Decision, String> {
    // A missing or vanished cwd never allows: paths resolve against the project instead.
    let cwd = input
        .cwd
        .as_deref()
        .map(PathBuf::from)
        .filter(|c| c.is_dir())
        .or_else(|| context.project_dir.clone().filter(|d| d.is_dir()))
        .or_else(|| context.process_dir.clone())
        .unwrap_or_else(|| PathBuf::from("/"));
    let mut check = Checker::new(input.agent_type.as_deref(), cwd, load_policy, context)?;
    let tool = input.tool_name.as_str();
    let tool_input = &input.tool_input;
    match tool {
        "Bash" | "Monitor" => {
            let command = tool_input
                .get("command")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{tool} call without a `command`"))?;
            check.shell(command);
        }
        "PowerShell" => {
            let command = tool_input
                .get("command")
                .and_then(Value::as_str)
                .ok_or("PowerShell call without a `command`")?;
            check.powershell(command);
        }
        "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => {
            let path = ["file_path", "notebook_path", "path"]
                .iter()
                .find_map(|key| tool_input.get(*key).and_then(Value::as_str))
                .ok_or_else(|| format!("{tool} call without a file path"))?;
            let op = if tool == "Write" {
                Op::Create
            } else {
                Op::Modify
            };
            check.write(Path::new(path), op, tool);
        }
        // Tools that read, search, plan or talk: nothing is written.
        "Read"
        | "Grep"
        | "Glob"
        | "LS"
        | "WebFetch"
        | "WebSearch"
        | "TodoWrite"
        | "Task"
        | "Agent"
        | "ExitPlanMode"
        | "BashOutput"
        | "KillShell"
        | "KillBash"
        | "NotebookRead"
        | "AskUserQuestion"
        | "ListMcpResourcesTool"
        | "ReadMcpResourceTool"
        | "Skill"
        | "SlashCommand"
        | "TaskOutput"
        | "TaskStop" => {}
        _ => check.other_tool(tool, tool_input),
    }
    check.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// Creates the file if it does not exist (allowed agents may create).
    Create,
    Modify,
    /// Removes the entry itself (a symlink, not what it points to).
    Delete,
    /// Creates a link at the path (never a plain new file).
    Link,
}

/// The repositories that contain a folder, innermost first, with their policies.
pub(super) type Scopes = Rc<Vec<(PathBuf, Rc<Policy>)>>;

pub(crate) struct Checker<'a> {
    load: LoadPolicy<'a>,
    policies: HashMap<PathBuf, Rc<Policy>>,
    scopes: HashMap<PathBuf, Scopes>,
    /// The policy of paths outside every repository, built on first use:
    /// building one normalises every glob, and most calls never need it.
    default_policy: OnceCell<Rc<Policy>>,
    /// The policy of the session's repository: agent rights, messages, runners.
    pub(crate) session: Rc<Policy>,
    pub(crate) agent_type: Option<String>,
    pub(crate) cwd: PathBuf,
    /// The current folder after a `cd` the guard could not follow.
    pub(crate) cwd_unknown: bool,
    pub(crate) home: Option<PathBuf>,
    pub(crate) project_dir: PathBuf,
    guard_binary: Option<PathBuf>,
    violations: Vec<Violation>,
    load_error: Option<String>,
    /// The whole command, for deciding about targets known only at run time.
    pub(crate) text: String,
    fragment: OnceCell<Option<String>>,
    /// Shell variables with the values the guard knows (`None`: known only at run time).
    pub(crate) vars: crate::bash::Vars,
    /// Files written earlier in this call, with their text when known (`echo ... > x.sh`).
    pub(crate) written: HashMap<PathBuf, Option<String>>,
    /// `HOME=`, `GIT_*=` settings seen before a git command.
    pub(crate) git_env: Vec<(String, bool)>,
    pub(crate) dir_stack: Vec<PathBuf>,
    pub(crate) old_cwd: Option<PathBuf>,
    /// Checks a folder by its own path only, not by what it contains.
    pub(crate) shallow: bool,
    /// Shell aliases the command defines (`alias g=git`).
    pub(crate) aliases: HashMap<String, String>,
}

/// A guarded path mentioned in free text (code, or a command whose targets are unknown).
pub(crate) fn guarded_fragment(policy: &Policy, text: &str) -> Option<String> {
    let lower = text.to_lowercase().replace('\\', "/");
    policy
        .protected
        .patterns()
        .iter()
        .chain(policy.config.patterns())
        .filter_map(|pattern| {
            let literal = pattern
                .trim_start_matches("**/")
                .split(['*', '?', '[', '{'])
                .next()
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_lowercase();
            (literal.len() >= 4).then_some(literal)
        })
        .find(|literal| lower.contains(literal.as_str()))
}
