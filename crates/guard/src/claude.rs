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
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;
use serde_json::Value;

use crate::paths;
use crate::policy::{Policy, Protection};
use crate::violation::{Change, Violation, advice};

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
type Scopes = Rc<Vec<(PathBuf, Rc<Policy>)>>;

pub(crate) struct Checker<'a> {
    load: LoadPolicy<'a>,
    policies: HashMap<PathBuf, Rc<Policy>>,
    scopes: HashMap<PathBuf, Scopes>,
    default_policy: Rc<Policy>,
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

impl<'a> Checker<'a> {
    fn new(
        agent_type: Option<&str>,
        cwd: PathBuf,
        load: LoadPolicy<'a>,
        context: &Context,
    ) -> Result<Self, String> {
        let project_dir = paths::repository_root(&cwd)
            .or_else(|| context.project_dir.clone())
            .unwrap_or_else(|| cwd.clone());
        // One default policy, shared: building one normalises every glob.
        let default_policy = Rc::new(Policy::default());
        let mut check = Checker {
            load,
            policies: HashMap::new(),
            scopes: HashMap::new(),
            session: default_policy.clone(),
            default_policy,
            agent_type: agent_type.map(str::to_string),
            cwd: cwd.clone(),
            cwd_unknown: false,
            home: context.home.clone(),
            project_dir,
            guard_binary: context.guard_binary.clone(),
            violations: Vec::new(),
            load_error: None,
            text: String::new(),
            fragment: OnceCell::new(),
            vars: HashMap::new(),
            written: HashMap::new(),
            git_env: Vec::new(),
            dir_stack: Vec::new(),
            old_cwd: None,
            shallow: false,
            aliases: HashMap::new(),
        };
        // The session's policy must be readable: a broken policy never allows anything.
        if let Some(root) = paths::repository_root(&cwd) {
            check.session = check.policy(&root)?;
        }
        Ok(check)
    }

    fn finish(self) -> Result<Decision, String> {
        if let Some(error) = self.load_error {
            return Err(error);
        }
        Ok(if self.violations.is_empty() {
            Decision::Allow
        } else {
            Decision::Deny(self.violations)
        })
    }

    fn policy(&mut self, root: &Path) -> Result<Rc<Policy>, String> {
        if let Some(policy) = self.policies.get(root) {
            return Ok(policy.clone());
        }
        let policy = Rc::new((self.load)(root)?);
        self.policies.insert(root.to_path_buf(), policy.clone());
        Ok(policy)
    }

    /// Every repository containing `dir` (a nested `.git` adds one, never hides the outer).
    fn scopes(&mut self, dir: &Path) -> Scopes {
        if let Some(scopes) = self.scopes.get(dir) {
            return scopes.clone();
        }
        let mut found = Vec::new();
        let mut current = Some(dir);
        while let Some(folder) = current {
            if folder.join(".git").exists() {
                match self.policy(folder) {
                    Ok(policy) => found.push((folder.to_path_buf(), policy)),
                    Err(error) => {
                        self.load_error.get_or_insert(error);
                    }
                }
            }
            current = folder.parent();
        }
        let scopes = Rc::new(found);
        self.scopes.insert(dir.to_path_buf(), scopes.clone());
        scopes
    }

    pub(crate) fn agent_has_rights(&self, policy: &Policy) -> bool {
        self.agent_type
            .as_deref()
            .is_some_and(|t| policy.agents.contains_key(t))
    }

    pub(crate) fn deny(&mut self, path: String, change: Change, rule: &str, config: bool) {
        let instead = advice(&self.session.message, &change, config);
        let violation = Violation {
            path,
            change,
            rule: rule.to_string(),
            commit: None,
            instead,
        };
        if !self.violations.contains(&violation) {
            self.violations.push(violation);
        }
    }

    pub(crate) fn violations_len(&self) -> usize {
        self.violations.len()
    }

    pub(crate) fn truncate_violations(&mut self, len: usize) {
        self.violations.truncate(len);
    }

    /// The first violation recorded after `len` (as path and rule), removing them all.
    pub(crate) fn take_violations_from(&mut self, len: usize) -> Option<(String, String)> {
        let first = self
            .violations
            .get(len)
            .map(|v| (v.path.clone(), v.rule.clone()));
        self.violations.truncate(len);
        first
    }

    pub(crate) fn deny_command(&mut self, what: String, rule: &str, instead: &str) {
        let violation = Violation {
            path: String::new(),
            change: Change::Command { what },
            rule: rule.to_string(),
            commit: None,
            instead: instead.to_string(),
        };
        if !self.violations.contains(&violation) {
            self.violations.push(violation);
        }
    }

    /// The first guarded path the whole command mentions (computed once: linear).
    pub(crate) fn fragment(&self) -> Option<String> {
        self.fragment
            .get_or_init(|| guarded_fragment(&self.session, &self.text))
            .clone()
    }

    /// Denies when the command mentions a guarded path: the guard cannot tell more.
    pub(crate) fn unsure(&mut self, what: &str) {
        if let Some(fragment) = self.fragment() {
            self.deny_command(
                format!("{what}, and the command mentions `{fragment}`"),
                rule::UNSURE,
                "run the command with literal paths outside guarded folders, or ask a person",
            );
        }
    }

    /// Denies outright: the guard cannot see what this does.
    pub(crate) fn opaque(&mut self, what: &str, instead: &str) {
        self.deny_command(what.to_string(), rule::UNSURE, instead);
    }

    /// Checks a write to `path` (absolute or relative to the current folder).
    pub(crate) fn write(&mut self, path: &Path, op: Op, tool: &str) {
        let text = path.to_string_lossy();
        let follow = !matches!(op, Op::Delete | Op::Link) || text.ends_with('/');
        let resolved = if follow {
            paths::resolve(&self.cwd, path)
        } else {
            // `rm link` removes the link, not its target: resolve only the folder.
            let joined = self.cwd.join(path);
            match (joined.parent(), joined.file_name()) {
                (Some(parent), Some(name)) if name != ".." && name != "." => {
                    paths::resolve(&self.cwd, parent).join(name)
                }
                _ => paths::resolve(&self.cwd, path),
            }
        };
        self.write_resolved(&resolved, op, tool);
    }

    fn write_resolved(&mut self, resolved: &Path, op: Op, tool: &str) {
        let change = Change::WriteAttempt {
            tool: tool.to_string(),
        };
        let shown = resolved.display().to_string();
        if let Some(rule) = self.outside_rule(resolved) {
            let config = rule != rule::BINARY;
            self.deny(shown, change, rule, config);
            return;
        }
        let metadata = std::fs::symlink_metadata(resolved).ok();
        let is_dir = metadata.as_ref().is_some_and(|m| m.is_dir());
        let parent = resolved.parent().unwrap_or(resolved);
        let scopes = self.scopes(&nearest_existing(parent));
        if scopes.is_empty() {
            // Not in a repository: the default policy, anchored wherever it matches.
            let policy = self.default_policy.clone();
            let rel = resolved
                .to_string_lossy()
                .trim_start_matches('/')
                .to_string();
            let segments: Vec<&str> = rel.split('/').collect();
            for start in 0..segments.len() {
                let suffix = segments[start..].join("/");
                let suffix = if is_dir {
                    format!("{suffix}/*")
                } else {
                    suffix
                };
                if self.classify(&policy, &suffix, resolved, op, tool) {
                    return;
                }
            }
        }
        for (root, policy) in scopes.iter() {
            let Some(rel) = paths::relative(root, resolved) else {
                continue;
            };
            // A `.git` entry inside a guarded folder would hide it from git.
            if rel
                .split('/')
                .skip(1)
                .any(|part| part.eq_ignore_ascii_case(".git"))
            {
                let outer = rel.split("/.git").next().unwrap_or_default();
                if !matches!(
                    policy.protection(&format!("{outer}/x")),
                    Protection::Free | Protection::Excepted { .. }
                ) || self
                    .contains_guarded(resolved.parent().unwrap_or(resolved))
                    .is_some()
                {
                    self.deny(rel.clone(), change.clone(), rule::NESTED_GIT, true);
                    return;
                }
            }
            if let Some(hooks) = hooks_path(root) {
                if resolved.starts_with(&hooks) {
                    self.deny(rel, change.clone(), rule::HOOKS_DIR, true);
                    return;
                }
            }
            let target = if is_dir {
                format!("{rel}/*")
            } else {
                rel.clone()
            };
            if self.classify(policy, &target, resolved, op, tool) {
                return;
            }
        }
        // A folder stands for everything in it: `rm -rf .`, `tar -x -C app`.
        if is_dir && !self.shallow && matches!(op, Op::Delete | Op::Modify) {
            if let Some((path, rule)) = self.contains_guarded(resolved) {
                let violation = Violation {
                    instead: format!(
                        "name only the files or folders you mean to change; {path} stays as it is. {}",
                        self.session.message
                    ),
                    path,
                    change: Change::WriteAttempt {
                        tool: format!("{tool} on {shown}, a folder that contains it"),
                    },
                    rule,
                    commit: None,
                };
                if !self.violations.contains(&violation) {
                    self.violations.push(violation);
                }
                return;
            }
        }
        // A second name for a file's bytes: writing it writes the other one too.
        if let Some(metadata) = metadata.filter(|m| m.is_file() && op != Op::Delete) {
            if link_count(&metadata) > 1 {
                self.deny(shown, change, rule::HARD_LINK, false);
            }
        }
    }

    /// Applies one policy to one relative path; true when it denied.
    fn classify(
        &mut self,
        policy: &Policy,
        rel: &str,
        resolved: &Path,
        op: Op,
        tool: &str,
    ) -> bool {
        let change = Change::WriteAttempt {
            tool: tool.to_string(),
        };
        match policy.protection(rel) {
            Protection::Free | Protection::Excepted { .. } => false,
            Protection::Config { rule } => {
                let rule = rule.to_string();
                self.deny(rel.to_string(), change, &rule, true);
                true
            }
            Protection::Protected { rule } => {
                let creating = op == Op::Create && std::fs::symlink_metadata(resolved).is_err();
                let allowed = creating && policy.may_create(self.agent_type.as_deref(), rel);
                if !allowed {
                    let rule = rule.to_string();
                    self.deny(rel.to_string(), change, &rule, false);
                }
                !allowed
            }
        }
    }

    /// Guard wiring outside any repository: Claude settings, managed settings, the binary.
    fn outside_rule(&self, resolved: &Path) -> Option<&'static str> {
        if let Some(home) = &self.home {
            let claude = home.join(".claude");
            if let Ok(rest) = resolved.strip_prefix(&claude) {
                let rest = rest.to_string_lossy().to_lowercase();
                let first = rest.split('/').next().unwrap_or_default();
                if first.starts_with("settings")
                    || matches!(
                        first,
                        "agents" | "commands" | "hooks" | "plugins" | "skills"
                    )
                {
                    return Some(rule::CLAUDE_CONFIG);
                }
            }
            if resolved == home.join(".claude.json") {
                return Some(rule::CLAUDE_CONFIG);
            }
            // Global git configuration can set core.hooksPath or aliases for every repository.
            if resolved == home.join(".gitconfig") || resolved.starts_with(home.join(".config/git"))
            {
                return Some(rule::HOOKS_DIR);
            }
        }
        if resolved.starts_with("/etc/claude-code")
            || resolved.starts_with("/Library/Application Support/ClaudeCode")
        {
            return Some(rule::CLAUDE_CONFIG);
        }
        if self
            .guard_binary
            .as_deref()
            .is_some_and(|binary| resolved == binary)
        {
            return Some(rule::BINARY);
        }
        None
    }

    /// A guarded path inside folder `dir` (breadth first, sorted, bounded), with its
    /// rule: the first protected one, else the first config file.
    pub(crate) fn contains_guarded(&mut self, dir: &Path) -> Option<(String, String)> {
        const BUDGET: usize = 100_000;
        // Build output and dependencies hold no migrations of ours (the sandbox plan
        // skips them too); walking them would make `rm -rf target` slow or undecidable.
        let skipped = |name: &std::ffi::OsStr| crate::sandbox::SKIPPED.iter().any(|s| name == *s);
        if dir.file_name().is_some_and(skipped) && paths::repository_root(dir).is_some() {
            return None;
        }
        let mut scopes: Vec<(PathBuf, Rc<Policy>)> = self.scopes(dir).iter().cloned().collect();
        if scopes.is_empty() {
            scopes.push((PathBuf::from("/"), self.default_policy.clone()));
        }
        let mut queue = VecDeque::from([dir.to_path_buf()]);
        let mut seen = 0;
        let mut config = None;
        while let Some(folder) = queue.pop_front() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            if folder != dir && folder.join(".git").exists() {
                if let Ok(policy) = self.policy(&folder) {
                    scopes.push((folder.clone(), policy));
                }
            }
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                seen += 1;
                if seen > BUDGET {
                    return Some((
                        dir.display().to_string(),
                        format!("{} ({BUDGET}+ files, too many to check)", rule::UNSURE),
                    ));
                }
                if entry.file_name() == ".git" {
                    continue;
                }
                let path = entry.path();
                for (root, policy) in &scopes {
                    let Some(rel) = paths::relative(root, &path) else {
                        continue;
                    };
                    let rel = rel.trim_start_matches('/');
                    match policy.protection(rel) {
                        Protection::Protected { rule } => {
                            return Some((rel.to_string(), rule.to_string()));
                        }
                        Protection::Config { rule } if config.is_none() => {
                            config = Some((rel.to_string(), rule.to_string()));
                        }
                        _ => {}
                    }
                }
                if entry.file_type().is_ok_and(|t| t.is_dir()) && !skipped(&entry.file_name()) {
                    queue.push_back(path);
                }
            }
        }
        config
    }

    /// PowerShell is not parsed: deny when it mentions guarded paths, runners or hides code.
    fn powershell(&mut self, command: &str) {
        self.text = command.to_string();
        if command.len() > MAX_COMMAND {
            self.too_long(command.len());
            return;
        }
        let lower = command.to_lowercase();
        if let Some(fragment) = self.fragment() {
            self.deny_command(
                format!("PowerShell command that mentions `{fragment}`"),
                rule::UNSURE,
                "use the Write/Edit tools for files outside guarded folders; guarded files are not yours to change",
            );
        }
        for hidden in [
            "invoke-expression",
            "iex ",
            "iex(",
            "-encodedcommand",
            "-enc ",
            "frombase64string",
            "start-process",
            "[scriptblock]",
            "invoke-command",
        ] {
            if lower.contains(hidden) {
                self.opaque(
                    &format!("PowerShell command that runs code it builds (`{hidden}`)"),
                    "run the commands directly, without building them at run time",
                );
            }
        }
        // Runners and bypasses read like shell words.
        if let Ok(script) = crate::shell::parse(&command.replace('`', " ")) {
            for command in &script.commands {
                self.runner_and_git_only(command);
            }
        }
        self.powershell_writes(command);
    }

    /// Cmdlets (and their aliases) that write, delete or move what they are given:
    /// their literal targets are checked like shell writes, `.`/`..`/the project
    /// included; wildcards and variables are denied.
    fn powershell_writes(&mut self, command: &str) {
        const WRITERS: &[&str] = &[
            "remove-item",
            "rm",
            "del",
            "erase",
            "ri",
            "rd",
            "rmdir",
            "clear-content",
            "clc",
            "set-content",
            "sc",
            "out-file",
            "add-content",
            "ac",
            "move-item",
            "mv",
            "mi",
            "move",
            "copy-item",
            "cp",
            "cpi",
            "copy",
            "rename-item",
            "ren",
            "rni",
            "new-item",
            "ni",
            "clear-item",
            "cli",
            "set-item",
            "si",
            "tee-object",
            "tee",
            "expand-archive",
        ];
        let text = command.replace('\\', "/");
        for statement in text.split([';', '|', '\n', '{', '}']) {
            let words: Vec<&str> = statement.split_whitespace().collect();
            let Some(first) = words.first().map(|w| w.to_lowercase()) else {
                continue;
            };
            if matches!(
                first.as_str(),
                "cd" | "set-location" | "sl" | "chdir" | "push-location"
            ) {
                if let Some(dir) = words.get(1) {
                    self.cwd = paths::resolve(&self.cwd, Path::new(dir.trim_matches(['\'', '"'])));
                }
                continue;
            }
            if !WRITERS.contains(&first.as_str()) {
                continue;
            }
            let op = if first.contains("remove")
                || matches!(
                    first.as_str(),
                    "rm" | "del"
                        | "erase"
                        | "ri"
                        | "rd"
                        | "rmdir"
                        | "move-item"
                        | "mv"
                        | "mi"
                        | "move"
                ) {
                Op::Delete
            } else {
                Op::Modify
            };
            let mut skip_value = false;
            for word in &words[1..] {
                if skip_value {
                    skip_value = false;
                    continue;
                }
                if word.starts_with('-') {
                    // `-Value x`, `-Encoding utf8` take a value; `-Path`/`-Destination` name a target.
                    let lower = word.to_lowercase();
                    skip_value = matches!(
                        lower.as_str(),
                        "-value"
                            | "-encoding"
                            | "-itemtype"
                            | "-type"
                            | "-filter"
                            | "-include"
                            | "-exclude"
                            | "-stream"
                            | "-inputobject"
                    );
                    continue;
                }
                let target = word.trim_matches(['\'', '"', '(', ')', ',']);
                if target.is_empty() {
                    continue;
                }
                if target.contains(['*', '?', '$', '[']) {
                    self.opaque(
                        &format!("PowerShell `{first}` on `{target}`, known only when it runs"),
                        "name each file literally",
                    );
                    continue;
                }
                self.write(Path::new(target), op, &format!("PowerShell {first}"));
            }
        }
    }

    fn too_long(&mut self, len: usize) {
        self.deny_command(
            format!("a command of {len} bytes (the guard reads at most {MAX_COMMAND})"),
            rule::TOO_LONG,
            "split the work into shorter commands, or write a script with the Write tool and run it",
        );
    }

    /// MCP tools and tools the guard does not know: decided by their path-like inputs.
    fn other_tool(&mut self, tool: &str, input: &Value) {
        let action = tool.rsplit("__").next().unwrap_or(tool).to_lowercase();
        let reads = [
            "read",
            "get",
            "list",
            "search",
            "find",
            "view",
            "show",
            "stat",
            "info",
            "describe",
            "query",
            "fetch",
            "glob",
            "grep",
            "tree",
            "directory_tree",
            "head",
            "tail",
            "count",
            "diff",
            "status",
            "log",
            "open_nodes",
            "browser_snapshot",
            "screenshot",
        ];
        let read_only = reads
            .iter()
            .any(|r| action == *r || action.starts_with(&format!("{r}_")))
            && !["write", "edit", "create", "delete", "move", "set", "apply"]
                .iter()
                .any(|w| action.contains(w));
        let mut targets = Vec::new();
        collect_paths(input, None, &mut targets, 0);
        if read_only {
            return;
        }
        // Shell-like MCP tools: their command is read like a Bash command.
        let runs = [
            "exec", "shell", "command", "terminal", "run", "bash", "process", "script",
        ]
        .iter()
        .any(|w| action.contains(w));
        let mut commands = Vec::new();
        if runs {
            for key in ["command", "cmd", "script", "commandline", "input"] {
                if let Some(command) = input.get(key).and_then(Value::as_str) {
                    commands.push(command.to_string());
                }
            }
            if let Some(args) = input.get("args").and_then(Value::as_array) {
                let joined: Vec<&str> = args.iter().filter_map(Value::as_str).collect();
                if let Some(command) = commands.first_mut() {
                    for arg in joined {
                        command.push(' ');
                        command.push_str(&shell_quote(arg));
                    }
                }
            }
        }
        for (key, target) in &targets {
            let op = match key.as_str() {
                "source" | "src" | "from" | "old_path" | "source_path" => {
                    if action.contains("copy") {
                        continue;
                    }
                    Op::Delete
                }
                _ if action.contains("delete") || action.contains("remove") => Op::Delete,
                _ if action.contains("create")
                    || action.contains("write")
                    || action.contains("move")
                    || action.contains("copy")
                    || action.contains("rename")
                    || action.contains("upload")
                    || action.contains("save") =>
                {
                    Op::Create
                }
                _ => Op::Modify,
            };
            self.write(Path::new(target), op, tool);
        }
        for command in &commands {
            self.shell(command);
        }
        if targets.is_empty()
            && commands.is_empty()
            && !self.agent_has_rights(&self.session.clone())
        {
            // Words of the tool's name (`mcp__git__git_commit`: mcp, git, commit).
            let lower = tool.to_lowercase();
            let words: Vec<&str> = lower
                .split(['_', '-', '.'])
                .filter(|w| !w.is_empty())
                .collect();
            let filesystem_like = [
                "file",
                "files",
                "fs",
                "filesystem",
                "write",
                "edit",
                "path",
                "dir",
                "directory",
                "folder",
                "disk",
                "patch",
                "mkdir",
                "move",
                "rename",
                "delete",
                "remove",
                "exec",
                "execute",
                "shell",
                "command",
                "terminal",
                "run",
                "save",
                "upload",
                "git",
                "commit",
                "checkout",
                "reset",
                "bash",
                "process",
            ]
            .iter()
            .any(|w| words.contains(w));
            if filesystem_like || !tool.starts_with("mcp__") {
                self.deny_command(
                    format!(
                        "`{tool}` may write files, and its input names no path the guard can check"
                    ),
                    rule::NO_TARGET,
                    "use Write/Edit for files, or pass the tool an explicit `path`",
                );
            }
        }
    }
}

/// Input keys that name files, in MCP tools and the like.
const PATH_KEYS: &[&str] = &[
    "path",
    "paths",
    "file_path",
    "filepath",
    "file",
    "files",
    "filename",
    "notebook_path",
    "destination",
    "dest",
    "destination_path",
    "source",
    "src",
    "source_path",
    "target",
    "target_path",
    "new_path",
    "old_path",
    "from",
    "to",
    "dir",
    "directory",
    "folder",
    "output",
    "output_path",
    "uri",
    "root",
];

/// Every path-like string in an input object (`edits[].path` included), with its key.
fn collect_paths(value: &Value, key: Option<&str>, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 6 || out.len() > 200 {
        return;
    }
    match value {
        Value::String(text) => {
            if let Some(key) = key.map(str::to_lowercase) {
                if PATH_KEYS.contains(&key.as_str()) {
                    let path = text.strip_prefix("file://").unwrap_or(text);
                    if !path.contains("://") && !path.is_empty() {
                        out.push((key, path.to_string()));
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_paths(item, key, out, depth + 1);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_paths(v, Some(k), out, depth + 1);
            }
        }
        _ => {}
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(unix)]
fn link_count(metadata: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    metadata.nlink()
}

#[cfg(not(unix))]
fn link_count(_: &std::fs::Metadata) -> u64 {
    1
}

/// `core.hooksPath` of a repository, read from `.git/config` without running git.
fn hooks_path(root: &Path) -> Option<PathBuf> {
    let config = std::fs::read_to_string(root.join(".git/config")).ok()?;
    let mut in_core = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_core = line.to_lowercase().starts_with("[core");
        } else if in_core {
            if let Some((key, value)) = line.split_once('=') {
                if key.trim().eq_ignore_ascii_case("hookspath") {
                    let value = value.trim().trim_matches('"');
                    return Some(paths::resolve(root, Path::new(value)));
                }
            }
        }
    }
    None
}

/// The nearest ancestor of `path` (itself included) that exists.
pub(crate) fn nearest_existing(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    while !current.exists() {
        if !current.pop() {
            break;
        }
    }
    current
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
