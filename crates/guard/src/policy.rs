//! The guard's policy: `[guard]` in scaffold.toml, with defaults for common layouts.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::glob::{self, Glob};
use crate::paths;

/// Migration and schema files of the usual tools. Applied migrations are
/// immutable: once committed, nobody modifies, deletes or renames them.
pub const DEFAULT_PROTECTED: &[&str] = &[
    "migrations/**",
    "**/migrations/**",
    "migration/src/**",
    "**/migration/src/**",
    "db/migrate/**",
    "**/db/migrate/**",
    "**/db/migration/**",
    "db/schema.*",
    "**/db/schema.*",
    "db/structure.sql",
    "schema.prisma",
    "**/schema.prisma",
    "prisma/migrations/**",
    "atlas.sum",
    "**/atlas.sum",
    "atlas.hcl",
    "diesel.toml",
    "**/diesel.toml",
    "src/schema.rs",
    "alembic/versions/**",
    "**/alembic/versions/**",
    "alembic.ini",
    "drizzle/**",
    "flyway.conf",
];

/// Files that configure the guard and the hooks: agents may not touch them at all.
pub const DEFAULT_CONFIG: &[&str] = &[
    "scaffold.toml",
    ".claude/**",
    ".gitattributes",
    "**/.gitattributes",
    ".gitmodules",
    ".pre-commit-config.yaml",
    ".pre-commit-hooks.yaml",
    ".husky/**",
    "lefthook.yml",
    "lefthook.yaml",
    ".lefthook.yml",
    ".github/workflows/**",
    ".gitlab-ci.yml",
    ".ci/**",
    ".git/**",
];

/// Environment variables whose presence at commit time marks an agent's commit.
pub const DEFAULT_AGENT_ENV: &[&str] = &["CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT"];

/// Trailer lines (case-insensitive prefixes) that mark an agent's commit in CI.
pub const DEFAULT_AGENT_TRAILERS: &[&str] = &["Co-Authored-By: Claude"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPolicy {
    protected: Option<Vec<String>>,
    #[serde(default)]
    extra_protected: Vec<String>,
    config: Option<Vec<String>>,
    #[serde(default)]
    agents: BTreeMap<String, RawAgent>,
    agent_env: Option<Vec<String>>,
    agent_trailers: Option<Vec<String>>,
    #[serde(default)]
    agent_authors: Vec<String>,
    agent_type_trailer: Option<String>,
    agent_type_env: Option<String>,
    #[serde(default)]
    exceptions: Vec<RawException>,
    message: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case")]
struct RawAgent {
    #[serde(default)]
    create: Vec<String>,
    #[serde(default)]
    run_migrations: bool,
}

/// What one agent type may do beyond the strictest policy.
#[derive(Debug, Clone)]
pub struct AgentPolicy {
    /// Protected paths it may create (never modify).
    pub create: Rules,
    /// Whether it may start migration runners.
    pub run_migrations: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    path: String,
    reason: String,
}

/// A list of globs that remembers which pattern matched.
#[derive(Debug, Clone)]
pub struct Rules {
    patterns: Vec<String>,
    globs: Vec<Glob>,
}

impl Rules {
    fn new(patterns: Vec<String>) -> Result<Self, String> {
        let globs = patterns
            .iter()
            .map(|p| Glob::new(&paths::normalize(p)))
            .collect::<Result<_, _>>()?;
        Ok(Self { patterns, globs })
    }

    /// The first pattern matching a normalised path.
    pub fn matching(&self, path: &str) -> Option<&str> {
        let segments = glob::segments(path);
        self.globs
            .iter()
            .position(|g| g.matches_segments(&segments))
            .map(|i| self.patterns[i].as_str())
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

#[derive(Debug, Clone)]
pub struct Exception {
    pub path: String,
    pub reason: String,
}

/// What a path is to the guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protection<'a> {
    /// Not guarded.
    Free,
    /// Migration or schema: only new files may be added.
    Protected { rule: &'a str },
    /// Guard or hook configuration: agents may not change it.
    Config { rule: &'a str },
    /// Listed in `[[guard.exceptions]]`.
    Excepted { reason: &'a str },
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub protected: Rules,
    pub config: Rules,
    pub agents: BTreeMap<String, AgentPolicy>,
    pub agent_env: Vec<String>,
    pub agent_trailers: Vec<String>,
    pub agent_authors: Vec<String>,
    pub agent_type_trailer: String,
    pub agent_type_env: String,
    pub exceptions: Vec<Exception>,
    /// What agents are told to do instead.
    pub message: String,
}

/// A policy that cannot be used, with a location in scaffold.toml when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct PolicyError {
    pub file: String,
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl PolicyError {
    pub fn hint(&self) -> &'static str {
        "see the README's guard policy reference; an invalid policy never allows anything"
    }
}

pub const DEFAULT_MESSAGE: &str = "schema and migrations belong to the data engineer: describe the change you need in specs/<ticket>/architecture.md and ask for a migration";

impl Default for Policy {
    fn default() -> Self {
        Self::from_raw(RawPolicy::default())
            .unwrap_or_else(|_| unreachable!("the default globs are valid"))
    }
}

impl Policy {
    /// Reads `[guard]` from the text of scaffold.toml (`file` names it in errors).
    pub fn from_toml(file: &str, text: &str) -> Result<Self, PolicyError> {
        #[derive(Deserialize)]
        struct Document {
            #[serde(default)]
            guard: Option<RawPolicy>,
        }
        let located = |offset: usize| {
            let before = &text[..offset.min(text.len())];
            (
                before.matches('\n').count() + 1,
                before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1,
            )
        };
        let document: Document = toml::from_str(text).map_err(|e| PolicyError {
            file: file.into(),
            location: e.span().map(|span| located(span.start)),
            message: e.message().to_string(),
        })?;
        let Some(raw) = document.guard else {
            return Ok(Self::default());
        };
        Self::from_raw(raw).map_err(|message| PolicyError {
            file: file.into(),
            location: text.find("[guard").map(located),
            message,
        })
    }

    fn from_raw(raw: RawPolicy) -> Result<Self, String> {
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let mut protected = raw.protected.unwrap_or_else(|| strings(DEFAULT_PROTECTED));
        protected.extend(raw.extra_protected);
        if protected.is_empty() {
            return Err("`protected` is empty: the guard would protect nothing".into());
        }
        let mut config = raw.config.unwrap_or_else(|| strings(DEFAULT_CONFIG));
        // The guard's own configuration is always guarded.
        // `.claude/**`: settings, agents (an agent file names the agent type), commands, hooks.
        for always in ["scaffold.toml", ".claude/**"] {
            if !config.iter().any(|c| c == always) {
                config.push(always.to_string());
            }
        }
        let mut agents = BTreeMap::new();
        for (name, agent) in raw.agents {
            agents.insert(
                name,
                AgentPolicy {
                    create: Rules::new(agent.create)?,
                    run_migrations: agent.run_migrations,
                },
            );
        }
        for exception in &raw.exceptions {
            if exception.reason.trim().is_empty() {
                return Err(format!("exception for `{}` has no reason", exception.path));
            }
        }
        Ok(Self {
            protected: Rules::new(protected)?,
            config: Rules::new(config)?,
            agents,
            agent_env: raw.agent_env.unwrap_or_else(|| strings(DEFAULT_AGENT_ENV)),
            agent_trailers: raw
                .agent_trailers
                .unwrap_or_else(|| strings(DEFAULT_AGENT_TRAILERS)),
            agent_authors: raw.agent_authors,
            agent_type_trailer: raw
                .agent_type_trailer
                .unwrap_or_else(|| "Agent-Type".into()),
            agent_type_env: raw
                .agent_type_env
                .unwrap_or_else(|| "SCAFFOLD_AGENT_TYPE".into()),
            exceptions: raw
                .exceptions
                .into_iter()
                .map(|e| Exception {
                    path: paths::normalize(&e.path),
                    reason: e.reason,
                })
                .collect(),
            message: raw.message.unwrap_or_else(|| DEFAULT_MESSAGE.into()),
        })
    }

    /// Classifies a path relative to the repository root (any separator, any case).
    pub fn protection(&self, path: &str) -> Protection<'_> {
        let path = paths::normalize(path);
        if let Some(exception) = self.exceptions.iter().find(|e| e.path == path) {
            return Protection::Excepted {
                reason: &exception.reason,
            };
        }
        if let Some(rule) = self.protected.matching(&path) {
            return Protection::Protected { rule };
        }
        if let Some(rule) = self.config.matching(&path) {
            return Protection::Config { rule };
        }
        Protection::Free
    }

    /// Whether an agent of this type may create this (protected) path.
    pub fn may_create(&self, agent_type: Option<&str>, path: &str) -> bool {
        let Some(agent) = agent_type.and_then(|t| self.agents.get(t)) else {
            return false;
        };
        agent.create.matching(&paths::normalize(path)).is_some()
    }

    /// Whether an agent of this type may run migrations.
    pub fn may_run_migrations(&self, agent_type: Option<&str>) -> bool {
        agent_type
            .and_then(|t| self.agents.get(t))
            .is_some_and(|a| a.run_migrations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths_case_insensitively() {
        let policy = Policy::default();
        assert!(matches!(
            policy.protection("migrations/0001_init.sql"),
            Protection::Protected {
                rule: "migrations/**"
            }
        ));
        assert!(matches!(
            policy.protection("DB/Migrate/2024_x.rb"),
            Protection::Protected { .. }
        ));
        assert!(matches!(
            policy.protection("services/billing/migrations/1.sql"),
            Protection::Protected { .. }
        ));
        assert!(matches!(
            policy.protection(".claude/settings.json"),
            Protection::Config { .. }
        ));
        assert_eq!(
            policy.protection("backend/orders/models.rs"),
            Protection::Free
        );
        assert_eq!(policy.protection("docs/migrations.md"), Protection::Free);
    }

    #[test]
    fn reports_invalid_policy_with_a_location() {
        let error = Policy::from_toml(
            "scaffold.toml",
            "stack = \"rust-axum\"\n\n[guard]\nprotected = [\"a/**\"]\nprotectd = 1\n",
        )
        .unwrap_err();
        assert_eq!(error.location.map(|l| l.0), Some(5), "{error}");
        assert!(error.message.contains("protectd"), "{error}");
        let error =
            Policy::from_toml("scaffold.toml", "[guard]\nprotected = [\"a/[\"]\n").unwrap_err();
        assert!(error.message.contains("invalid glob"), "{error}");
        let error = Policy::from_toml("scaffold.toml", "[guard]\nprotected = []\n").unwrap_err();
        assert!(error.message.contains("empty"), "{error}");
    }

    #[test]
    fn agents_may_create_only_where_allowed() {
        let policy = Policy::from_toml(
            "scaffold.toml",
            "[guard.agents.data-engineer]\ncreate = [\"migrations/**\"]\n",
        )
        .unwrap_or_default();
        assert!(policy.may_create(Some("data-engineer"), "migrations/0002.sql"));
        assert!(!policy.may_create(Some("backend-developer"), "migrations/0002.sql"));
        assert!(!policy.may_create(None, "migrations/0002.sql"));
    }
}
