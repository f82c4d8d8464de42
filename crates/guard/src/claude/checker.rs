//! The checker's life cycle: the policies of the repositories in scope, and how denials are recorded.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{Checker, Context, Decision, LoadPolicy, Scopes, guarded_fragment, rule};
use crate::paths;
use crate::policy::Policy;
use crate::violation::{Change, Violation, advice};

impl<'a> Checker<'a> {
    pub(super) fn new(
        agent_type: Option<&str>,
        cwd: PathBuf,
        load: LoadPolicy<'a>,
        context: &Context,
    ) -> Result<Self, String> {
        // One walk up from the working directory (a stat per level) serves both.
        let root = paths::repository_root(&cwd);
        let project_dir = root
            .clone()
            .or_else(|| context.project_dir.clone())
            .unwrap_or_else(|| cwd.clone());
        // The session's policy must be readable: a broken policy never allows anything.
        let mut policies = HashMap::new();
        let default_policy = OnceCell::new();
        let session = match root {
            Some(root) => {
                let policy = Rc::new(load(&root)?);
                policies.insert(root, policy.clone());
                policy
            }
            None => default_policy
                .get_or_init(|| Rc::new(Policy::default()))
                .clone(),
        };
        Ok(Checker {
            load,
            policies,
            scopes: HashMap::new(),
            session,
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
        })
    }

    /// The policy of paths outside every repository (shared, built once).
    pub(super) fn default_policy(&self) -> Rc<Policy> {
        self.default_policy
            .get_or_init(|| Rc::new(Policy::default()))
            .clone()
    }

    pub(super) fn finish(self) -> Result<Decision, String> {
        if let Some(error) = self.load_error {
            return Err(error);
        }
        Ok(if self.violations.is_empty() {
            Decision::Allow
        } else {
            Decision::Deny(self.violations)
        })
    }

    pub(super) fn policy(&mut self, root: &Path) -> Result<Rc<Policy>, String> {
        if let Some(policy) = self.policies.get(root) {
            return Ok(policy.clone());
        }
        let policy = Rc::new((self.load)(root)?);
        self.policies.insert(root.to_path_buf(), policy.clone());
        Ok(policy)
    }

    /// Every repository containing `dir` (a nested `.git` adds one, never hides the outer).
    pub(super) fn scopes(&mut self, dir: &Path) -> Scopes {
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
}
