//! The Claude Code PreToolUse hook: decide on one tool call before it runs.
//!
//! File tools are checked by path (resolved like the file system would:
//! `..`, symlinked folders, case, Unicode NFC, worktrees). Bash commands are
//! parsed and every command in them is checked: writes to guarded paths,
//! migration runners, hook bypasses. What cannot be read is denied.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::paths;
use crate::policy::{Policy, Protection};
use crate::shell::{self, SimpleCommand, Word};
use crate::violation::{Change, Violation, advice};

/// The JSON Claude Code writes to the hook's stdin (fields the guard needs).
#[derive(Debug, Clone, Deserialize)]
pub struct HookInput {
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub hook_event_name: Option<String>,
    pub tool_name: String,
    #[serde(default)]
    pub tool_input: serde_json::Value,
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
            .is_some_and(|e| e != "PreToolUse")
        {
            return Err(format!(
                "hook event `{}` is not PreToolUse",
                input.hook_event_name.as_deref().unwrap_or_default()
            ));
        }
        Ok(input)
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

/// Finds the repository of `cwd`, loads its policy and decides.
pub fn decide(
    input: &HookInput,
    load_policy: impl Fn(&Path) -> Result<Policy, String>,
) -> Result<Decision, String> {
    let cwd = input
        .cwd
        .as_deref()
        .map(PathBuf::from)
        .ok_or("hook input has no `cwd`")?;
    let root = paths::repository_root(&cwd).unwrap_or_else(|| cwd.clone());
    let policy = load_policy(&root)?;
    let mut check = Checker {
        policy: &policy,
        agent_type: input.agent_type.as_deref(),
        cwd,
        violations: Vec::new(),
        text: String::new(),
    };
    match input.tool_name.as_str() {
        "Bash" => {
            let command = input
                .tool_input
                .get("command")
                .and_then(|c| c.as_str())
                .ok_or("Bash call without a `command`")?;
            check.text = command.to_string();
            check.script(command, 0);
        }
        tool => {
            let path = ["file_path", "notebook_path", "path"]
                .iter()
                .find_map(|key| input.tool_input.get(*key).and_then(|p| p.as_str()));
            match (tool, path) {
                ("Write" | "Edit" | "MultiEdit" | "NotebookEdit", None) => {
                    return Err(format!("{tool} call without a file path"));
                }
                ("Write" | "Edit" | "MultiEdit" | "NotebookEdit", Some(path)) => {
                    let op = if tool == "Write" {
                        Op::Create
                    } else {
                        Op::Modify
                    };
                    check.write(Path::new(path), op, tool);
                }
                // Read, Grep, Glob, WebFetch, ...: nothing is written.
                _ => {}
            }
        }
    }
    Ok(if check.violations.is_empty() {
        Decision::Allow
    } else {
        Decision::Deny(check.violations)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Creates the file if it does not exist (allowed agents may create).
    Create,
    Modify,
    Delete,
}

struct Checker<'p> {
    policy: &'p Policy,
    agent_type: Option<&'p str>,
    cwd: PathBuf,
    violations: Vec<Violation>,
    /// The whole command, for deciding about writes to unknown targets.
    text: String,
}

const MAX_DEPTH: usize = 8;

impl Checker<'_> {
    fn deny(&mut self, path: String, change: Change, rule: &str, config: bool) {
        let instead = advice(&self.policy.message, &change, config);
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

    fn deny_command(&mut self, what: String, rule: &str, instead: &str) {
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

    /// Checks a write to `path` (absolute or relative to the current folder).
    fn write(&mut self, path: &Path, op: Op, tool: &str) {
        let resolved = paths::resolve(&self.cwd, path);
        let parent = resolved
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| resolved.clone());
        // The repository that owns the file: another worktree is another root.
        let Some(root) = paths::repository_root(&nearest_existing(&parent)) else {
            return;
        };
        let Some(rel) = paths::relative(&root, &resolved) else {
            return;
        };
        // A folder stands for everything in it (`rm -rf migrations`).
        let rel = if resolved.is_dir() && !resolved.is_symlink() {
            format!("{rel}/*")
        } else {
            rel
        };
        let change = Change::WriteAttempt {
            tool: tool.to_string(),
        };
        match self.policy.protection(&rel) {
            Protection::Free | Protection::Excepted { .. } => {}
            Protection::Config { rule } => self.deny(rel, change, rule, true),
            Protection::Protected { rule } => {
                let creating = op == Op::Create && std::fs::symlink_metadata(&resolved).is_err();
                if !(creating && self.policy.may_create(self.agent_type, &rel)) {
                    let rule = rule.to_string();
                    let change = if creating {
                        Change::WriteAttempt {
                            tool: tool.to_string(),
                        }
                    } else {
                        change
                    };
                    self.deny(rel, change, &rule, false);
                }
            }
        }
    }

    /// A shell word naming a file that a command writes.
    fn write_word(&mut self, word: &Word, op: Op, tool: &str) {
        if word.dynamic {
            let literal = word.literal.trim_matches('/');
            if literal.is_empty() || !literal.contains(|c: char| c.is_alphanumeric()) {
                // The target is only known at run time: deny if the command mentions a guarded path.
                self.unsure(&format!(
                    "`{tool}` writes to `{}`, known only when it runs",
                    word.text
                ));
                return;
            }
            self.write(Path::new(&word.literal), op, tool);
            return;
        }
        self.write(Path::new(&word.text), op, tool);
    }

    /// Denies when the command text mentions a guarded path: the guard cannot tell more.
    fn unsure(&mut self, what: &str) {
        if let Some(fragment) = guarded_fragment(self.policy, &self.text) {
            self.deny_command(
                format!("{what}, and the command mentions `{fragment}`"),
                "cannot decide",
                "run the command with literal paths outside guarded folders, or ask a person",
            );
        }
    }

    fn script(&mut self, text: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.deny_command(
                "commands nested too deeply to read".into(),
                "cannot decide",
                "run the commands directly",
            );
            return;
        }
        let script = match shell::parse(text) {
            Ok(script) => script,
            Err(error) => {
                self.deny_command(
                    format!("{error}"),
                    "cannot decide",
                    "write the command so that a POSIX shell parser can read it",
                );
                return;
            }
        };
        for substitution in &script.substitutions {
            self.script(substitution, depth + 1);
        }
        for command in &script.commands {
            self.command(command, depth);
        }
    }

    fn command(&mut self, command: &SimpleCommand, depth: usize) {
        for (name, _) in &command.assignments {
            self.check_env(name, "sets");
        }
        for redirect in &command.redirects {
            match redirect.op.as_str() {
                ">" | ">>" | ">|" | "&>" | "&>>" | "<>" => {
                    let op = if redirect.op.contains(">>") {
                        Op::Modify
                    } else {
                        Op::Create
                    };
                    self.write_word(&redirect.target, op, &format!("redirect `{}`", redirect.op));
                }
                _ => {}
            }
        }
        let words: Vec<String> = command.words.iter().map(|w| w.text.clone()).collect();
        let Some(start) = self.unwrap(&words) else {
            return;
        };
        let args = &command.words[start..];
        let Some(first) = args.first() else { return };
        let name = program(&first.text);
        let rest = &args[1..];

        if let Some(runner) = migration_runner(
            &args.iter().map(|w| w.text.clone()).collect::<Vec<_>>(),
            self.policy,
            &self.cwd,
            &command.redirects,
        ) {
            if !self.policy.may_run_migrations(self.agent_type) {
                self.deny_command(format!("runs migrations (`{runner}`)"), "migration runners", "migrations are applied by the data engineer's pipeline, never by an agent: describe what you need in specs/<ticket>/architecture.md");
            }
        }
        match name.as_str() {
            "cd" | "pushd" => {
                if let Some(dir) = rest.iter().find(|w| !w.text.starts_with('-')) {
                    if !dir.dynamic {
                        self.cwd = paths::resolve(&self.cwd, Path::new(&dir.text));
                    }
                }
            }
            "export" | "declare" | "typeset" | "readonly" => {
                for word in rest.iter().filter(|w| !w.text.starts_with('-')) {
                    let name = word.text.split('=').next().unwrap_or_default().to_string();
                    self.check_env(&name, "exports");
                }
            }
            "unset" => {
                for word in rest {
                    self.check_env(&word.text, "unsets");
                }
            }
            "bash" | "sh" | "zsh" | "dash" | "ksh" | "fish" | "su" => {
                if let Some(script) = inline_argument(rest, &["-c"]) {
                    self.script(&script, depth + 1);
                }
                for body in &command.heredocs {
                    self.script(body, depth + 1);
                }
            }
            "eval" => {
                let joined: Vec<&str> = rest.iter().map(|w| w.text.as_str()).collect();
                self.script(&joined.join(" "), depth + 1);
            }
            "python" | "python2" | "python3" | "node" | "nodejs" | "deno" | "bun" | "perl"
            | "ruby" | "php" | "osascript" | "pwsh" => {
                let code = inline_argument(
                    rest,
                    &[
                        "-c",
                        "-e",
                        "-E",
                        "-r",
                        "--eval",
                        "--command",
                        "-pe",
                        "-ne",
                        "-pie",
                    ],
                )
                .or_else(|| {
                    command
                        .heredocs
                        .first()
                        .cloned()
                        .filter(|_| rest.iter().all(|w| w.text.starts_with('-')))
                });
                if let Some(code) = code {
                    self.inline_code(&name, &code);
                }
                if matches!(name.as_str(), "perl" | "ruby") && in_place(rest) {
                    for file in positional(rest).into_iter().skip(
                        if has_flag(rest, &["-e", "-pe", "-ne", "-pie"]) {
                            0
                        } else {
                            1
                        },
                    ) {
                        self.write_word(file, Op::Modify, &format!("{name} -i"));
                    }
                }
            }
            "rm" | "unlink" | "shred" | "rmdir" | "srm" => {
                for file in positional(rest) {
                    self.write_word(file, Op::Delete, &name);
                }
            }
            "touch" => {
                for file in positional(rest) {
                    self.write_word(file, Op::Create, &name);
                }
            }
            "truncate" | "chattr" | "setfacl" | "vi" | "vim" | "nvim" | "nano" | "emacs" | "ed"
            | "ex" | "code" => {
                for file in positional(rest) {
                    self.write_word(file, Op::Modify, &name);
                }
            }
            "chmod" | "chown" | "chgrp" => {
                for file in positional(rest).into_iter().skip(1) {
                    self.write_word(file, Op::Modify, &name);
                }
            }
            "tee" => {
                let op = if has_flag(rest, &["-a", "--append"]) {
                    Op::Modify
                } else {
                    Op::Create
                };
                for file in positional(rest) {
                    self.write_word(file, op, &name);
                }
            }
            "cp" | "install" | "rsync" | "scp" | "ln" => {
                let files = positional(rest);
                let target = target_dir(rest).or_else(|| files.last().copied());
                // A link inside a guarded folder is never a plain new file.
                let op = if name == "ln" { Op::Modify } else { Op::Create };
                if let Some(target) = target {
                    self.write_word(target, op, &name);
                }
            }
            "mv" => {
                let files = positional(rest);
                let target = target_dir(rest);
                let (sources, dest) = match target {
                    Some(t) => (files.as_slice(), Some(t)),
                    None => match files.split_last() {
                        Some((last, sources)) => (sources, Some(*last)),
                        None => (&[][..], None),
                    },
                };
                for &source in sources {
                    self.write_word(source, Op::Delete, "mv");
                }
                if let Some(dest) = dest {
                    self.write_word(dest, Op::Create, "mv");
                }
            }
            "sed" | "gsed" if in_place(rest) => {
                let script_given = has_flag(rest, &["-e", "-f", "--expression", "--file"]);
                for file in positional(rest)
                    .into_iter()
                    .skip(usize::from(!script_given))
                {
                    self.write_word(file, Op::Modify, "sed -i");
                }
            }
            "awk" | "gawk"
                if rest
                    .windows(2)
                    .any(|w| w[0].text == "-i" && w[1].text == "inplace") =>
            {
                for file in positional(rest).into_iter().skip(2) {
                    self.write_word(file, Op::Modify, "awk -i inplace");
                }
            }
            "dd" => {
                for word in rest {
                    if let Some(target) = word.text.strip_prefix("of=") {
                        let target = Word {
                            text: target.to_string(),
                            literal: word.literal.trim_start_matches("of=").to_string(),
                            dynamic: word.dynamic,
                        };
                        self.write_word(&target, Op::Create, "dd");
                    }
                }
            }
            "find" => {
                let destructive = rest.iter().any(|w| {
                    matches!(
                        w.text.as_str(),
                        "-delete" | "-exec" | "-execdir" | "-ok" | "-okdir"
                    )
                });
                if destructive {
                    let starts: Vec<&Word> = rest
                        .iter()
                        .take_while(|w| {
                            !w.text.starts_with('-') && !w.text.starts_with('(') && w.text != "!"
                        })
                        .collect();
                    if starts.is_empty() {
                        self.unsure("`find` deletes or runs commands on files it finds");
                    }
                    for start in starts {
                        self.write_word(start, Op::Delete, "find -delete/-exec");
                    }
                }
            }
            "xargs" | "parallel" => self.unsure(&format!(
                "`{name}` runs a command on files it reads at run time"
            )),
            "patch" => self.unsure("`patch` edits files named inside the patch"),
            "git" => self.git(rest),
            _ => {}
        }
    }

    /// Skips `sudo`, `env`, `nohup`, `timeout 5` and friends; returns where the command starts.
    fn unwrap(&mut self, words: &[String]) -> Option<usize> {
        let mut i = 0;
        while let Some(word) = words.get(i) {
            match program(word).as_str() {
                "sudo" | "doas" => {
                    i += 1;
                    while let Some(flag) = words.get(i).filter(|w| w.starts_with('-')) {
                        // Options that take a value: `sudo -u postgres cmd`.
                        i += if matches!(
                            flag.as_str(),
                            "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                        ) {
                            2
                        } else {
                            1
                        };
                    }
                }
                "env" => {
                    i += 1;
                    while let Some(w) = words.get(i) {
                        if w == "-u" || w == "--unset" {
                            if let Some(name) = words.get(i + 1) {
                                let name = name.clone();
                                self.check_env(&name, "unsets");
                            }
                            i += 2;
                        } else if let Some(name) = w
                            .strip_prefix("--unset=")
                            .or_else(|| w.strip_prefix("-u").filter(|n| !n.is_empty()))
                        {
                            self.check_env(name, "unsets");
                            i += 1;
                        } else if w.starts_with('-') {
                            i += 1;
                        } else if let Some((name, _)) = w.split_once('=') {
                            self.check_env(name, "sets");
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
                "command" | "builtin" | "exec" | "nohup" | "time" | "stdbuf" | "ionice"
                | "chronic" | "unbuffer" => {
                    i += 1;
                    while words.get(i).is_some_and(|w| w.starts_with('-')) {
                        i += 1;
                    }
                }
                "nice" | "timeout" => {
                    i += 1;
                    while words.get(i).is_some_and(|w| w.starts_with('-')) {
                        i += 1;
                    }
                    if program(word) == "timeout" {
                        i += 1; // the duration
                    }
                }
                _ => return Some(i),
            }
        }
        None
    }

    fn check_env(&mut self, name: &str, verb: &str) {
        const BYPASS: &[&str] = &[
            "HUSKY",
            "HUSKY_SKIP_HOOKS",
            "LEFTHOOK",
            "LEFTHOOK_EXCLUDE",
            "SKIP",
            "PRE_COMMIT_ALLOW_NO_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT",
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM",
            "GIT_DIR",
            "GIT_INDEX_FILE",
        ];
        let upper = name.to_ascii_uppercase();
        if BYPASS.contains(&upper.as_str())
            || upper.starts_with("GIT_CONFIG_KEY_")
            || upper.starts_with("GIT_CONFIG_VALUE_")
        {
            self.deny_command(
                format!("{verb} `{name}`, which turns hooks off or redirects git"),
                "hook bypass",
                "commit normally and let the hooks run; if a hook is wrong, say so",
            );
        }
        if self
            .policy
            .agent_env
            .iter()
            .any(|a| a.eq_ignore_ascii_case(name))
            || self.policy.agent_type_env.eq_ignore_ascii_case(name)
        {
            self.deny_command(
                format!("{verb} `{name}`, which identifies agent commits"),
                "hook bypass",
                "leave the agent's environment as Claude Code set it",
            );
        }
    }

    fn inline_code(&mut self, interpreter: &str, code: &str) {
        if let Some(fragment) = guarded_fragment(self.policy, code) {
            self.deny_command(
                format!("`{interpreter}` code that mentions `{fragment}`"),
                "guarded paths",
                &self.policy.message.clone(),
            );
            return;
        }
        const OPAQUE: &[&str] = &[
            "exec(",
            "eval(",
            "system(",
            "subprocess",
            "popen",
            "spawn",
            "child_process",
            "chr(",
            "fromcharcode",
            "base64",
            "decode(",
            "__import__",
            "getattr(",
            "compile(",
            "execsync",
            "shell_exec",
            "`",
        ];
        let lower = code.to_lowercase();
        if let Some(token) = OPAQUE.iter().find(|t| lower.contains(*t)) {
            self.deny_command(
                format!("`{interpreter}` code that builds or runs commands (`{token}`), which the guard cannot read"),
                "cannot decide",
                "write files with the Write/Edit tools, or run the commands directly",
            );
        }
    }

    fn git(&mut self, args: &[Word]) {
        let mut i = 0;
        // Global options come before the subcommand.
        while let Some(word) = args.get(i) {
            let text = word.text.as_str();
            match text {
                "-c" => {
                    if let Some(setting) = args.get(i + 1) {
                        if setting.text.to_lowercase().starts_with("core.hookspath") {
                            self.deny_command(
                                "runs git with another hooks folder (`-c core.hooksPath`)".into(),
                                "hook bypass",
                                "commit normally and let the hooks run",
                            );
                        }
                    }
                    i += 2;
                }
                "-C" => {
                    if let Some(dir) = args.get(i + 1) {
                        self.cwd = paths::resolve(&self.cwd, Path::new(&dir.text));
                    }
                    i += 2;
                }
                _ if text.starts_with("--config-env")
                    || text.to_lowercase().contains("core.hookspath") =>
                {
                    self.deny_command(
                        "runs git with another hooks folder".into(),
                        "hook bypass",
                        "commit normally and let the hooks run",
                    );
                    i += 1;
                }
                _ if text.starts_with("--git-dir") || text.starts_with("--work-tree") => {
                    self.unsure("git runs on another repository or work tree");
                    i += if text.contains('=') { 1 } else { 2 };
                }
                _ if text.starts_with('-') => i += 1,
                _ => break,
            }
        }
        let Some(sub) = args.get(i) else { return };
        let rest = &args[i + 1..];
        let sub = sub.text.as_str();
        let no_verify = |rest: &[Word], short_n: bool| {
            rest.iter().any(|w| {
                w.text == "--no-verify"
                    || (short_n && short_flags(&w.text).is_some_and(|flags| flags.contains('n')))
            })
        };
        match sub {
            "commit" if no_verify(&commit_flags(rest), true) => {
                self.deny_command(
                    "commits with --no-verify (-n), skipping the hooks".into(),
                    "hook bypass",
                    "commit without --no-verify; if a hook blocks you, fix what it reports",
                );
            }
            "push" | "merge" | "rebase" | "cherry-pick" | "revert" | "pull"
                if no_verify(rest, false) =>
            {
                self.deny_command(
                    format!("runs `git {sub} --no-verify`, skipping the hooks"),
                    "hook bypass",
                    "run it without --no-verify",
                );
            }
            "config"
                if rest
                    .iter()
                    .any(|w| w.text.to_lowercase().contains("core.hookspath")) =>
            {
                self.deny_command(
                    "changes core.hooksPath".into(),
                    "hook bypass",
                    "leave the hooks configuration to people",
                );
            }
            "update-index" => {
                if rest
                    .iter()
                    .any(|w| matches!(w.text.as_str(), "--skip-worktree" | "--assume-unchanged"))
                {
                    self.deny_command("hides changes from git (`update-index --skip-worktree/--assume-unchanged`)".into(), "hook bypass", "let git see every change");
                }
                for file in positional(rest) {
                    self.write_word(file, Op::Modify, "git update-index");
                }
            }
            "commit-tree" | "update-ref" | "replace" | "filter-branch" | "filter-repo"
            | "fast-import" => {
                self.deny_command(
                    format!("runs `git {sub}`, which writes history without the hooks"),
                    "hook bypass",
                    "use `git commit`",
                );
            }
            "rm" => {
                for file in positional(rest) {
                    self.write_word(file, Op::Delete, "git rm");
                }
            }
            "mv" => {
                let files = positional(rest);
                if let Some((dest, sources)) = files.split_last() {
                    for &source in sources {
                        self.write_word(source, Op::Delete, "git mv");
                    }
                    self.write_word(dest, Op::Create, "git mv");
                }
            }
            "checkout" | "restore" | "reset" => {
                let files = match rest.iter().position(|w| w.text == "--") {
                    Some(dash) => rest[dash + 1..].iter().collect(),
                    // Without `--`, arguments that exist as paths are paths.
                    None => positional(rest)
                        .into_iter()
                        .filter(|w| paths::resolve(&self.cwd, Path::new(&w.text)).exists())
                        .collect::<Vec<_>>(),
                };
                for file in files {
                    self.write_word(file, Op::Modify, &format!("git {sub}"));
                }
            }
            "apply" | "am" => {
                if sub == "am" && no_verify(rest, false) {
                    self.deny_command(
                        "runs `git am --no-verify`, skipping the hooks".into(),
                        "hook bypass",
                        "run it without --no-verify",
                    );
                }
                for file in positional(rest) {
                    let patch =
                        std::fs::read_to_string(paths::resolve(&self.cwd, Path::new(&file.text)))
                            .unwrap_or_default();
                    for line in patch.lines() {
                        if let Some(target) = line
                            .strip_prefix("+++ b/")
                            .or_else(|| line.strip_prefix("--- a/"))
                        {
                            self.write(Path::new(target.trim()), Op::Modify, &format!("git {sub}"));
                        }
                    }
                }
                if positional(rest).is_empty() {
                    self.unsure(&format!("`git {sub}` reads a patch from stdin"));
                }
            }
            _ => {}
        }
    }
}

/// The nearest ancestor of `path` (itself included) that exists.
fn nearest_existing(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    while !current.exists() {
        if !current.pop() {
            break;
        }
    }
    current
}

/// `/usr/bin/python3.11` -> `python3`: the program name as the guard's tables spell it.
fn program(word: &str) -> String {
    let base = word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase();
    match base.strip_prefix("python") {
        Some(version)
            if version.chars().all(|c| c.is_ascii_digit() || c == '.') && !version.is_empty() =>
        {
            "python3".into()
        }
        _ => base,
    }
}

fn short_flags(word: &str) -> Option<&str> {
    word.strip_prefix('-')
        .filter(|flags| !flags.starts_with('-') && !flags.is_empty())
}

/// `git commit` flags with the values of `-m`, `-F`, `-C`, ... removed (a message may say `-n`).
fn commit_flags(args: &[Word]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut skip = false;
    for word in args {
        if skip {
            skip = false;
            continue;
        }
        let takes_value = [
            "-m",
            "-F",
            "-C",
            "-c",
            "-t",
            "--author",
            "--date",
            "--message",
            "--file",
            "--template",
            "--fixup",
            "--squash",
            "--reuse-message",
            "--reedit-message",
            "--trailer",
            "--cleanup",
            "-S",
            "--gpg-sign",
        ];
        if takes_value.contains(&word.text.as_str()) {
            skip = true;
            continue;
        }
        if let Some(flags) = short_flags(&word.text) {
            // `-am "msg"`: flags up to the first that takes a value.
            let end = flags
                .find(['m', 'F', 'C', 'c', 't'])
                .map_or(flags.len(), |i| i + 1);
            if end == flags.len() && flags.ends_with(['m', 'F', 'C', 'c', 't']) {
                skip = true;
            }
            out.push(Word {
                text: format!("-{}", &flags[..end]),
                ..word.clone()
            });
            continue;
        }
        out.push(word.clone());
    }
    out
}

fn has_flag(args: &[Word], flags: &[&str]) -> bool {
    args.iter().any(|w| flags.contains(&w.text.as_str()))
}

/// `-i`, `-i.bak`, `-pi`, `--in-place`.
fn in_place(args: &[Word]) -> bool {
    args.iter().any(|w| {
        w.text.starts_with("--in-place")
            || short_flags(&w.text).is_some_and(|f| f.contains('i') && !f.contains('='))
    })
}

/// Arguments that are not options (after `--`, everything is an argument).
fn positional(args: &[Word]) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut only_args = false;
    for word in args {
        if !only_args && word.text == "--" {
            only_args = true;
        } else if only_args || !word.text.starts_with('-') || word.text == "-" {
            out.push(word);
        }
    }
    out
}

/// `cp -t DIR` / `--target-directory=DIR`.
fn target_dir(args: &[Word]) -> Option<&Word> {
    args.iter()
        .position(|w| w.text == "-t" || w.text == "--target-directory")
        .and_then(|i| args.get(i + 1))
}

/// The argument of the first of `flags` (`bash -c SCRIPT`, `python -c CODE`, `-lc SCRIPT`).
fn inline_argument(args: &[Word], flags: &[&str]) -> Option<String> {
    for (i, word) in args.iter().enumerate() {
        let text = word.text.as_str();
        let clustered = short_flags(text)
            .is_some_and(|f| f.len() > 1 && f.ends_with('c') && flags.contains(&"-c"));
        if flags.contains(&text) || clustered {
            return args.get(i + 1).map(|w| w.text.clone());
        }
        if let Some(code) = text
            .strip_prefix("--eval=")
            .or_else(|| text.strip_prefix("--command="))
        {
            return Some(code.to_string());
        }
    }
    None
}

/// A guarded path mentioned in free text (code, or a command whose targets are unknown).
fn guarded_fragment(policy: &Policy, text: &str) -> Option<String> {
    let lower = paths::normalize(&text.to_lowercase()).replace('\\', "/");
    let haystack = format!("{} {}", text.to_lowercase(), lower);
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
        .find(|literal| haystack.contains(literal.as_str()))
}

/// Launchers that run another program: `npx prisma`, `cargo sqlx`, `bundle exec rails`.
const LAUNCHERS: &[&str] = &[
    "npx", "bunx", "pnpx", "dlx", "exec", "run", "cargo", "bundle", "poetry", "uv", "pipenv",
    "pdm", "hatch", "rye", "go", "dotnet", "mix", "php", "yarn", "pnpm", "bun", "npm",
];

/// The migration runner a command starts, if any.
fn migration_runner(
    words: &[String],
    policy: &Policy,
    cwd: &Path,
    redirects: &[shell::Redirect],
) -> Option<String> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut args: Vec<&str> = lower.iter().map(String::as_str).collect();
    let program_name = args.first().map(|w| program(w))?;
    // Task runners: a script whose name says it migrates.
    if matches!(
        program_name.as_str(),
        "npm"
            | "yarn"
            | "pnpm"
            | "bun"
            | "make"
            | "just"
            | "task"
            | "rake"
            | "mise"
            | "nx"
            | "turbo"
    ) {
        if let Some(task) = args.iter().skip(1).find(|a| {
            a.contains("migrat")
                || a.contains("db:push")
                || a.contains("db:reset")
                || a.contains("db:setup")
        }) {
            return Some(format!("{program_name} {task}"));
        }
    }
    // Drop launchers, `python -m`, and options, keeping positional words.
    while let Some(first) = args.first() {
        let name = program(first);
        if LAUNCHERS.contains(&name.as_str())
            || name == "python3"
            || name == "python"
            || name == "-m"
            || first.starts_with('-')
        {
            args.remove(0);
        } else {
            break;
        }
    }
    let positional: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let first = positional.first().map(|w| program(w)).unwrap_or_default();
    let second = positional.get(1).copied().unwrap_or_default();
    let third = positional.get(2).copied().unwrap_or_default();
    let rest_has = |words: &[&str]| positional.iter().skip(1).any(|p| words.contains(p));
    let found = match first.as_str() {
        "sqlx" | "sqlx-cli" => {
            (second == "migrate" && matches!(third, "run" | "revert"))
                || (second == "database" && matches!(third, "setup" | "reset" | "drop"))
        }
        "diesel" => {
            (second == "migration" && matches!(third, "run" | "redo" | "revert"))
                || (second == "database" && matches!(third, "setup" | "reset"))
        }
        "atlas" => {
            (second == "migrate" && matches!(third, "apply" | "hash" | "down" | "set"))
                || (second == "schema" && third == "apply")
        }
        "flyway" => rest_has(&["migrate", "repair", "clean", "baseline", "undo"]),
        "prisma" => {
            (second == "migrate" && matches!(third, "dev" | "deploy" | "reset" | "resolve"))
                || (second == "db" && matches!(third, "push" | "execute"))
        }
        "rails" | "rake" => positional
            .iter()
            .any(|p| p.starts_with("db:") && !matches!(*p, "db:version" | "db:migrate:status")),
        "manage.py" | "django-admin" => matches!(second, "migrate" | "flush"),
        "alembic" => rest_has(&["upgrade", "downgrade", "stamp"]),
        "drizzle-kit" => rest_has(&["push", "migrate", "drop"]),
        "knex" => positional.iter().any(|p| p.starts_with("migrate:")),
        "sequelize" | "sequelize-cli" => positional
            .iter()
            .any(|p| p.starts_with("db:migrate") || p.starts_with("db:seed")),
        "goose" => rest_has(&[
            "up",
            "up-by-one",
            "up-to",
            "down",
            "down-to",
            "redo",
            "reset",
            "fix",
        ]),
        "dbmate" => rest_has(&["up", "migrate", "rollback", "down", "drop"]),
        "liquibase" => rest_has(&["update", "update-sql", "rollback", "drop-all"]),
        "supabase" => second == "db" && matches!(third, "push" | "reset"),
        "sea-orm-cli" => second == "migrate" && !matches!(third, "generate" | "init" | "status"),
        "artisan" => second.starts_with("migrate"),
        "ecto.migrate" | "ecto.rollback" | "ecto.reset" => true,
        "migrate" => rest_has(&["up", "down", "goto", "force", "drop"]),
        _ => false,
    };
    if found {
        return Some(
            positional
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    // Database clients fed a guarded file.
    if matches!(
        program_name.as_str(),
        "psql"
            | "mysql"
            | "mariadb"
            | "sqlite3"
            | "sqlcmd"
            | "cockroach"
            | "clickhouse-client"
            | "duckdb"
    ) {
        let files = words
            .windows(2)
            .filter(|w| matches!(w[0].as_str(), "-f" | "--file" | "-i" | "--source" | "-init"))
            .map(|w| w[1].clone());
        let files = files.chain(
            words
                .iter()
                .filter_map(|w| w.strip_prefix("--file=").map(str::to_string)),
        );
        let inputs = redirects
            .iter()
            .filter(|r| r.op == "<")
            .map(|r| r.target.text.clone());
        for file in files.chain(inputs) {
            let resolved = paths::resolve(cwd, Path::new(&file));
            let root = paths::repository_root(&nearest_existing(&resolved))
                .unwrap_or_else(|| cwd.to_path_buf());
            let rel = paths::relative(&root, &resolved).unwrap_or(file.clone());
            if matches!(policy.protection(&rel), Protection::Protected { .. }) {
                return Some(format!("{program_name} with {rel}"));
            }
        }
    }
    None
}
