//! The OS sandbox, configured from the guard's policy: the concrete paths
//! Claude Code's sandbox (bubblewrap on Linux, Seatbelt on macOS) must keep
//! read-only for every shell command and its children.
//!
//! Claude Code drops glob entries of `denyWrite` on Linux, so the policy's globs
//! are resolved against the repository when `install` runs: every existing
//! protected folder or file, the guard's own configuration, the real hooks
//! folder. A protected folder created later is not covered until `install`
//! runs again; `doctor` reports it.

use std::path::{Path, PathBuf};

use crate::policy::{Policy, Protection};

/// Folders never walked: build output and dependencies, which hold no migrations of ours.
pub(crate) const SKIPPED: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
];

/// What the sandbox must keep read-only, as absolute paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Protected folders and files (migrations, schema files).
    pub protected: Vec<PathBuf>,
    /// The guard's own wiring: scaffold.toml, `.claude/`, hooks, git config, the binary.
    pub config: Vec<PathBuf>,
}

impl Plan {
    /// Every path, protected first.
    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.protected.iter().chain(&self.config)
    }
}

/// Resolves the policy against the repository at `root`.
pub fn plan(root: &Path, policy: &Policy, hooks_dir: &Path, binary: Option<&Path>) -> Plan {
    let mut plan = Plan::default();
    walk(root, root, policy, &mut plan, 0);
    // Always guarded, existing or not: the guard creates them.
    for always in [root.join("scaffold.toml"), root.join(".claude")] {
        if !plan.config.contains(&always) {
            plan.config.push(always);
        }
    }
    let git_dir = root.join(".git");
    if git_dir.is_dir() {
        plan.config.push(git_dir.join("config"));
    }
    if !plan.config.iter().any(|p| hooks_dir.starts_with(p)) {
        plan.config.push(hooks_dir.to_path_buf());
    }
    if let Some(binary) = binary {
        // `scaffold` and the slim `scaffold-hook` beside it are one guard:
        // whichever the hooks name, both stay read-only.
        let exe = std::env::consts::EXE_SUFFIX;
        for name in [format!("scaffold{exe}"), format!("scaffold-hook{exe}")] {
            let sibling = binary.with_file_name(name);
            if sibling != binary && sibling.is_file() && !plan.config.contains(&sibling) {
                plan.config.push(sibling);
            }
        }
        plan.config.push(binary.to_path_buf());
    }
    plan.protected.sort();
    plan.protected.dedup();
    plan.config.dedup();
    plan
}

fn walk(root: &Path, dir: &Path, policy: &Policy, plan: &mut Plan, depth: usize) {
    if depth > 12 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let path = entry.path();
        let Some(rel) = crate::paths::relative(root, &path) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && SKIPPED.iter().any(|s| name == *s) {
            continue;
        }
        // A folder whose every entry is guarded is denied whole (new files included).
        let probe = if is_dir {
            format!("{rel}/x")
        } else {
            rel.clone()
        };
        match (policy.protection(&probe), is_dir) {
            (Protection::Protected { .. }, _) => {
                plan.protected.push(path);
                continue;
            }
            (Protection::Config { .. }, _) => {
                plan.config.push(path);
                continue;
            }
            _ => {}
        }
        if is_dir {
            walk(root, &path, policy, plan, depth + 1);
        }
    }
}

/// The `sandbox` block for `.claude/settings.json` (paths with Claude Code's `//` absolute prefix).
pub fn settings_block(plan: &Plan) -> serde_json::Value {
    let deny: Vec<String> = plan.all().map(|p| absolute_rule(p)).collect();
    serde_json::json!({
        "enabled": true,
        "failIfUnavailable": true,
        "allowUnsandboxedCommands": false,
        "filesystem": {"denyWrite": deny},
    })
}

/// `//abs/path`: Claude Code's spelling of an absolute path in settings.
pub fn absolute_rule(path: &Path) -> String {
    format!("/{}", path.display())
}

/// The `permissions.deny` rules that make the file tools refuse the guard's own
/// configuration even when the hook does not run (a missing binary lets calls through).
pub fn edit_denials(plan: &Plan) -> Vec<String> {
    plan.config
        .iter()
        .map(|p| {
            if p.is_dir() || p.extension().is_none() && !p.exists() {
                format!("Edit({}/**)", absolute_rule(p))
            } else {
                format!("Edit({})", absolute_rule(p))
            }
        })
        .collect()
}

/// Programs the sandbox needs on this platform that are not on PATH.
pub fn missing_prerequisites() -> Vec<&'static str> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    [
        ("bwrap", "bubblewrap"),
        ("socat", "socat"),
        ("rg", "ripgrep"),
    ]
    .into_iter()
    .filter(|(program, _)| !on_path(program))
    .map(|(_, package)| package)
    .collect()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|dirs| std::env::split_paths(&dirs).any(|dir| dir.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_globs_to_concrete_paths() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        for file in [
            "migrations/0001.sql",
            "services/a/migrations/0001.sql",
            "prisma/schema.prisma",
            "target/debug/migrations/x.sql",
            "src/main.rs",
            ".github/workflows/ci.yml",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        }
        let hooks = root.join(".git/hooks");
        let plan = plan(root, &Policy::default(), &hooks, None);
        assert_eq!(
            plan.protected,
            vec![
                root.join("migrations"),
                root.join("prisma/schema.prisma"),
                root.join("services/a/migrations"),
            ]
        );
        assert!(plan.config.contains(&root.join(".github/workflows")));
        assert!(plan.config.contains(&root.join("scaffold.toml")));
        assert!(plan.config.contains(&hooks));
        let block = settings_block(&plan);
        assert_eq!(block["allowUnsandboxedCommands"], false);
        assert!(
            block["filesystem"]["denyWrite"][0]
                .as_str()
                .is_some_and(|p| p.starts_with("//"))
        );
    }
}
