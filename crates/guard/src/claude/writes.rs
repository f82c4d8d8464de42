//! Writes to a path: resolved like the file system does, then checked against every policy in scope.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{Checker, Op, rule};
use crate::paths;
use crate::policy::{Policy, Protection};
use crate::violation::{Change, Violation};

impl<'a> Checker<'a> {
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

    pub(super) fn write_resolved(&mut self, resolved: &Path, op: Op, tool: &str) {
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
            let policy = self.default_policy();
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
    pub(super) fn classify(
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
    pub(super) fn outside_rule(&self, resolved: &Path) -> Option<&'static str> {
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
            scopes.push((PathBuf::from("/"), self.default_policy()));
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
}

#[cfg(unix)]
pub(super) fn link_count(metadata: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    metadata.nlink()
}

#[cfg(not(unix))]
pub(super) fn link_count(_: &std::fs::Metadata) -> u64 {
    1
}

/// `core.hooksPath` of a repository, read from `.git/config` without running git.
pub(super) fn hooks_path(root: &Path) -> Option<PathBuf> {
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
