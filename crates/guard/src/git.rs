//! The commit and CI modes: what git says changed under guarded paths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::policy::{Policy, PolicyError, Protection};
use crate::violation::{Change, Violation, advice};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    Spawn(#[from] std::io::Error),
    #[error("git {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("cannot read git output: {0}")]
    Parse(String),
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git").args(args).current_dir(repo).output()?;
    if !output.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(output.stdout)
}

fn git_text(repo: &Path, args: &[&str]) -> Result<String, GitError> {
    Ok(String::from_utf8_lossy(&git(repo, args)?)
        .trim()
        .to_string())
}

/// One line of `git diff --raw -z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub old_mode: String,
    pub new_mode: String,
    pub old_blob: String,
    pub new_blob: String,
    pub status: char,
    pub path: String,
}

/// Parses `:old new oldsha newsha S\0path\0` records (`--no-renames`: one path each).
pub fn parse_raw(bytes: &[u8]) -> Result<Vec<Entry>, GitError> {
    let mut entries = Vec::new();
    let mut fields = bytes.split(|b| *b == 0);
    while let Some(header) = fields.next() {
        if header.is_empty() {
            continue;
        }
        let header = String::from_utf8_lossy(header);
        let parts: Vec<&str> = header.trim_start_matches(':').split(' ').collect();
        let [old_mode, new_mode, old_blob, new_blob, status] = parts.as_slice() else {
            return Err(GitError::Parse(format!("unexpected record `{header}`")));
        };
        let path = fields
            .next()
            .ok_or_else(|| GitError::Parse("record without a path".into()))?;
        entries.push(Entry {
            old_mode: (*old_mode).to_string(),
            new_mode: (*new_mode).to_string(),
            old_blob: (*old_blob).to_string(),
            new_blob: (*new_blob).to_string(),
            status: status.chars().next().unwrap_or('?'),
            path: String::from_utf8_lossy(path).into_owned(),
        });
    }
    Ok(entries)
}

/// Who made a change, as far as the guard can tell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Author {
    pub agent: bool,
    /// The agent type, when the commit declares one.
    pub agent_type: Option<String>,
}

fn kind_of(mode: &str) -> &'static str {
    match mode {
        "120000" => "symlink",
        "160000" => "submodule",
        "000000" => "nothing",
        _ => "file",
    }
}

/// The violations among `entries`, made by `author`.
pub fn check(
    entries: &[Entry],
    policy: &Policy,
    author: &Author,
    commit: Option<&str>,
) -> Vec<Violation> {
    // A rename is a deletion plus an addition of the same blob.
    let added: HashMap<&str, &str> = entries
        .iter()
        .filter(|e| e.status == 'A')
        .map(|e| (e.new_blob.as_str(), e.path.as_str()))
        .collect();
    let mut violations = Vec::new();
    for entry in entries {
        let (rule, config) = match policy.protection(&entry.path) {
            Protection::Free | Protection::Excepted { .. } => continue,
            Protection::Protected { rule } => (rule, false),
            Protection::Config { rule } => (rule, true),
        };
        let change = if config {
            if !author.agent {
                continue;
            }
            Change::ConfigChanged
        } else {
            match entry.status {
                'A' => match entry.new_mode.as_str() {
                    "120000" => Change::AddedSymlink,
                    "160000" => Change::AddedSubmodule,
                    _ if !author.agent
                        || policy.may_create(author.agent_type.as_deref(), &entry.path) =>
                    {
                        continue;
                    }
                    _ => Change::AddedByAgent,
                },
                'D' => match added.get(entry.old_blob.as_str()) {
                    Some(to) => Change::RenamedTo((*to).to_string()),
                    None => Change::Deleted,
                },
                'T' => Change::TypeChanged {
                    from: kind_of(&entry.old_mode).into(),
                    to: kind_of(&entry.new_mode).into(),
                },
                'M' if entry.old_blob == entry.new_blob => Change::ModeChanged {
                    from: entry.old_mode.clone(),
                    to: entry.new_mode.clone(),
                },
                _ => Change::Modified,
            }
        };
        let instead = advice(&policy.message, &change, config);
        violations.push(Violation {
            path: entry.path.clone(),
            change,
            rule: rule.to_string(),
            commit: commit.map(str::to_string),
            instead,
        });
    }
    violations
}

const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// The pre-commit check: the index (honouring `GIT_INDEX_FILE`) against HEAD.
pub fn staged(repo: &Path, policy: &Policy, author: &Author) -> Result<Vec<Violation>, GitError> {
    let diff = |tree: &str| {
        git(
            repo,
            &[
                "diff-index",
                "--cached",
                "-z",
                "--raw",
                "--no-renames",
                "--no-abbrev",
                tree,
            ],
        )
    };
    // One git process in the common case; only an unborn branch needs a second.
    let raw = match diff("HEAD") {
        Ok(raw) => raw,
        Err(error) => {
            if git(repo, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_ok() {
                return Err(error);
            }
            // Unborn branch: compare with the empty tree of this repository's hash.
            let empty = git_text(repo, &["hash-object", "-t", "tree", "/dev/null"])
                .unwrap_or_else(|_| EMPTY_TREE.into());
            diff(&empty)?
        }
    };
    let mut entries = parse_raw(&raw)?;
    // A merge: files the other side added are not added by the merger.
    if entries.iter().any(|e| e.status == 'A') {
        for head in merge_heads(repo) {
            let theirs = parse_raw(&diff(&head)?)?;
            drop_additions_from_other_parent(&mut entries, &theirs);
        }
    }
    let mut violations = check(&entries, policy, author, None);
    violations.extend(collisions(repo, Listing::WorkTree, &entries, policy, None)?);
    Ok(violations)
}

/// The other parents of the merge being committed, without a git process:
/// `GITHEAD_<sha>` in the environment (git sets it for pre-merge-commit) and the
/// `MERGE_HEAD` file (a `git commit` that concludes a merge).
fn merge_heads(repo: &Path) -> Vec<String> {
    let mut heads: Vec<String> = std::env::vars()
        .filter_map(|(name, _)| name.strip_prefix("GITHEAD_").map(str::to_string))
        .filter(|sha| sha.len() >= 40 && sha.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    let dot_git = repo.join(".git");
    let git_dir = if dot_git.is_dir() {
        Some(dot_git)
    } else {
        std::fs::read_to_string(&dot_git).ok().and_then(|text| {
            text.trim()
                .strip_prefix("gitdir:")
                .map(|dir| repo.join(dir.trim()))
        })
    };
    if let Some(text) = git_dir.and_then(|d| std::fs::read_to_string(d.join("MERGE_HEAD")).ok()) {
        for line in text.lines().map(str::trim) {
            if line.chars().all(|c| c.is_ascii_hexdigit())
                && !line.is_empty()
                && !heads.iter().any(|h| h == line)
            {
                heads.push(line.to_string());
            }
        }
    }
    heads
}

/// Keeps an addition (relative to the first parent) only if it differs from the
/// other parent too: what the other side already had is that side's addition,
/// judged when it was committed there. Modifications and deletions stay: they
/// change applied migrations on this branch, whoever made them.
fn drop_additions_from_other_parent(entries: &mut Vec<Entry>, other_parent_diff: &[Entry]) {
    entries.retain(|e| e.status != 'A' || other_parent_diff.iter().any(|o| o.path == e.path));
}

/// A commit's changes against its first parent, minus what a merge took unchanged
/// from its other parents.
fn commit_entries(repo: &Path, sha: &str, parents: &str) -> Result<Vec<Entry>, GitError> {
    let mut parents = parents.split_whitespace();
    let first = parents.next().unwrap_or(EMPTY_TREE);
    let mut entries = diff_tree(repo, first, sha)?;
    for other in parents {
        if entries.iter().any(|e| e.status == 'A') {
            let theirs = diff_tree(repo, other, sha)?;
            drop_additions_from_other_parent(&mut entries, &theirs);
        }
    }
    Ok(entries)
}

/// Where [`collisions`] looks for the existing files.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// The work tree of the commit being made: read from the file system, no git
    /// process (the hook stays one `diff-index` call).
    WorkTree,
    /// A commit's tree (range and ref checks).
    Tree(&'a str),
}

/// New guarded paths that collide with existing ones once case is folded and
/// Unicode normalised (`MIGRATIONS/0001_init.sql` beside `migrations/0001_init.sql`):
/// a checkout on macOS or Windows writes both to one file, so the addition modifies it.
/// Does nothing unless a guarded path is added; then the commit check reads the
/// work tree (no git process) and the range and ref checks list the commit's tree.
pub fn collisions(
    repo: &Path,
    listing: Listing<'_>,
    entries: &[Entry],
    policy: &Policy,
    commit: Option<&str>,
) -> Result<Vec<Violation>, GitError> {
    let added: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.status == 'A' && !matches!(policy.protection(&e.path), Protection::Free))
        .collect();
    if added.is_empty() {
        return Ok(Vec::new());
    }
    let output = match listing {
        Listing::WorkTree => work_tree_variants(repo, &added),
        Listing::Tree(tree) => git(repo, &["ls-tree", "-r", "-z", "--name-only", tree])?,
    };
    let mut existing: HashMap<String, Vec<String>> = HashMap::new();
    for path in output.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        existing
            .entry(crate::paths::normalize(&path))
            .or_default()
            .push(path);
    }
    let mut violations = Vec::new();
    for entry in added {
        let Some(other) = existing
            .get(&crate::paths::normalize(&entry.path))
            .and_then(|paths| paths.iter().find(|p| **p != entry.path))
        else {
            continue;
        };
        let (rule, config) = match policy.protection(&entry.path) {
            Protection::Protected { rule } => (rule, false),
            Protection::Config { rule } => (rule, true),
            _ => continue,
        };
        let change = Change::Collides(other.clone());
        violations.push(Violation {
            path: entry.path.clone(),
            instead: advice(&policy.message, &change, config),
            change,
            rule: rule.to_string(),
            commit: commit.map(str::to_string),
        });
    }
    Ok(violations)
}

/// Files in the work tree whose folders and names equal those of `added` once case
/// is folded and Unicode normalised, as `ls-files -z` would list them. Each folder
/// is read and normalised once, however many additions land in it.
fn work_tree_variants(repo: &Path, added: &[&Entry]) -> Vec<u8> {
    let mut listings: HashMap<PathBuf, Vec<(String, String, bool)>> = HashMap::new();
    let mut list = |dir: &Path| -> Vec<(String, String, bool)> {
        listings
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                std::fs::read_dir(dir)
                    .map(|entries| {
                        entries
                            .flatten()
                            .map(|e| {
                                let name = e.file_name().to_string_lossy().into_owned();
                                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                                (crate::paths::normalize(&name), name, is_dir)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .clone()
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entry in added {
        let segments: Vec<&str> = entry.path.split('/').collect();
        let Some((name, parents)) = segments.split_last() else {
            continue;
        };
        let mut folders = vec![(repo.to_path_buf(), String::new())];
        for segment in parents {
            let wanted = crate::paths::normalize(segment);
            let mut next = Vec::new();
            for (dir, rel) in &folders {
                for (normal, child, is_dir) in list(dir) {
                    if is_dir && normal == wanted {
                        next.push((dir.join(&child), format!("{rel}{child}/")));
                    }
                }
            }
            folders = next;
        }
        let wanted = crate::paths::normalize(name);
        for (dir, rel) in &folders {
            for (normal, child, _) in list(dir) {
                let path = format!("{rel}{child}");
                if normal == wanted && seen.insert(path.clone()) {
                    out.extend_from_slice(path.as_bytes());
                    out.push(0);
                }
            }
        }
    }
    out
}

/// The reference-transaction check (state `prepared`): the commits each updated
/// branch gains (`old..new`; for a new branch, the commits no ref reaches yet).
/// Commits made just now (reachable from no ref) are `author`'s; commits that
/// already exist elsewhere (a fast-forward to another branch, a pull) are judged
/// by their own trailers, like the CI check does. `updates` is the hook's stdin:
/// `<old> <new> <ref>` per line.
pub fn refs(
    repo: &Path,
    policy: &Policy,
    author: &Author,
    updates: &str,
) -> Result<Vec<Violation>, GitError> {
    let zero = |sha: &str| sha.chars().all(|c| c == '0');
    let (mut gained, mut created): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for line in updates.lines() {
        let mut fields = line.split_whitespace();
        let (Some(old), Some(new), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // Fetching and tagging do not change the branch an agent works on.
        if name.starts_with("refs/remotes/")
            || name.starts_with("refs/tags/")
            || zero(new)
            || !new.chars().all(|c| c.is_ascii_hexdigit())
            || !old.chars().all(|c| c.is_ascii_hexdigit())
        {
            continue;
        }
        if zero(old) {
            created.push(new.to_string());
        } else if old != new {
            gained.push(format!("{old}..{new}"));
        }
    }
    if gained.is_empty() && created.is_empty() {
        return Ok(Vec::new());
    }
    // Commits no ref reaches yet: made in this very operation.
    let mut fresh_args = vec!["rev-list"];
    fresh_args.extend(
        gained
            .iter()
            .map(|r| r.split("..").nth(1).unwrap_or_default()),
    );
    fresh_args.extend(created.iter().map(String::as_str));
    fresh_args.extend(["--not", "--all"]);
    let fresh = git_text(repo, &fresh_args)?;
    let fresh: Vec<&str> = fresh.lines().collect();
    let mut commits = Vec::new();
    if !gained.is_empty() {
        let mut args = vec![
            "log",
            "--reverse",
            "--format=%H%x1f%an <%ae>%x1f%P%x1f%B%x1e",
        ];
        args.extend(gained.iter().map(String::as_str));
        commits.extend(log_records(&git(repo, &args)?)?);
    }
    for sha in &fresh {
        if !commits.iter().any(|c: &LogRecord| c.sha == *sha) {
            let record = git(
                repo,
                &["log", "-1", "--format=%H%x1f%an <%ae>%x1f%P%x1f%B%x1e", sha],
            )?;
            commits.extend(log_records(&record)?);
        }
    }
    let mut violations = Vec::new();
    for commit in commits.iter().take(500) {
        let who = if fresh.contains(&commit.sha.as_str()) {
            author.clone()
        } else {
            author_of(policy, &commit.author, &commit.message)
        };
        let entries = commit_entries(repo, &commit.sha, &commit.parents)?;
        violations.extend(check(&entries, policy, &who, Some(&commit.sha)));
        violations.extend(collisions(
            repo,
            Listing::Tree(&commit.sha),
            &entries,
            policy,
            Some(&commit.sha),
        )?);
    }
    Ok(violations)
}

/// One commit of `git log --format=%H%x1f%an <%ae>%x1f%P%x1f%B%x1e`.
#[derive(Debug, Clone)]
struct LogRecord {
    sha: String,
    author: String,
    parents: String,
    message: String,
}

fn log_records(bytes: &[u8]) -> Result<Vec<LogRecord>, GitError> {
    let text = String::from_utf8_lossy(bytes);
    let mut records = Vec::new();
    for record in text.split('\x1e').map(str::trim).filter(|r| !r.is_empty()) {
        let fields: Vec<&str> = record.splitn(4, '\x1f').collect();
        let [sha, author, parents, message] = fields.as_slice() else {
            return Err(GitError::Parse(format!("unexpected log record `{record}`")));
        };
        records.push(LogRecord {
            sha: (*sha).to_string(),
            author: (*author).to_string(),
            parents: (*parents).to_string(),
            message: (*message).to_string(),
        });
    }
    Ok(records)
}

/// Identifies the author of a commit from its trailers and author line.
pub fn author_of(policy: &Policy, author_line: &str, message: &str) -> Author {
    let mut agent = policy
        .agent_authors
        .iter()
        .any(|pattern| author_line.to_lowercase().contains(&pattern.to_lowercase()));
    let mut agent_type = None;
    for line in message.lines().map(str::trim) {
        let lower = line.to_lowercase();
        if policy
            .agent_trailers
            .iter()
            .any(|t| lower.starts_with(&t.to_lowercase()))
        {
            agent = true;
        }
        let key = format!("{}:", policy.agent_type_trailer.to_lowercase());
        if lower.starts_with(&key) {
            agent_type = Some(line[key.len()..].trim().to_string());
        }
    }
    Author {
        agent,
        agent_type: agent_type.filter(|_| agent),
    }
}

/// The identity of the commit being made, from the environment of the pre-commit hook.
pub fn author_from_env(policy: &Policy, env: impl Fn(&str) -> Option<String>) -> Author {
    let agent = policy
        .agent_env
        .iter()
        .any(|name| env(name).is_some_and(|v| !v.is_empty() && v != "0"));
    Author {
        agent,
        agent_type: env(&policy.agent_type_env)
            .filter(|_| agent)
            .filter(|t| !t.is_empty()),
    }
}

/// The result of checking a branch.
#[derive(Debug, Clone, Serialize)]
pub struct RangeReport {
    pub base: String,
    pub head: String,
    pub commits: usize,
    pub violations: Vec<Violation>,
}

/// The CI check: every commit of `merge-base(base, HEAD)..HEAD` and the net diff,
/// under the policy as it is in the base commit (a branch can only tighten it by review).
pub fn range(repo: &Path, base_ref: &str, config_path: &str) -> Result<RangeReport, GitError> {
    let head = git_text(repo, &["rev-parse", "--verify", "HEAD"])?;
    let base = git_text(repo, &["merge-base", base_ref, "HEAD"])?;
    let policy = match git(repo, &["show", &format!("{base}:{config_path}")]) {
        Ok(bytes) => Policy::from_toml(
            &format!("{config_path} (at {})", &base[..12.min(base.len())]),
            &String::from_utf8_lossy(&bytes),
        )?,
        Err(_) => Policy::default(),
    };
    let log = git(
        repo,
        &[
            "log",
            "--reverse",
            "--format=%H%x1f%an <%ae>%x1f%P%x1f%B%x1e",
            &format!("{base}..HEAD"),
        ],
    )?;
    let mut violations = Vec::new();
    let mut commits = 0;
    for record in log_records(&log)? {
        commits += 1;
        let author = author_of(&policy, &record.author, &record.message);
        let entries = commit_entries(repo, &record.sha, &record.parents)?;
        violations.extend(check(&entries, &policy, &author, Some(&record.sha)));
        violations.extend(collisions(
            repo,
            Listing::Tree(&record.sha),
            &entries,
            &policy,
            Some(&record.sha),
        )?);
    }
    // The net diff catches what per-commit parents miss (merges of other branches).
    for violation in check(
        &diff_tree(repo, &base, &head)?,
        &policy,
        &Author::default(),
        None,
    ) {
        if !violations.iter().any(|v| v.path == violation.path) {
            violations.push(violation);
        }
    }
    Ok(RangeReport {
        base,
        head,
        commits,
        violations,
    })
}

/// Every change between two commits, one entry per path.
fn diff_tree(repo: &Path, from: &str, to: &str) -> Result<Vec<Entry>, GitError> {
    parse_raw(&git(
        repo,
        &[
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            from,
            to,
        ],
    )?)
}

/// The PostToolUse backstop: guarded files the work tree changed against the
/// index (stat-cached by git, so cheap), and new files under protected paths
/// the agent may not create. What the sandbox and the hook both missed shows up
/// here, with exact paths, right after the command that did it.
pub fn work_tree_changes(
    repo: &Path,
    policy: &Policy,
    agent_type: Option<&str>,
) -> Result<Vec<Violation>, GitError> {
    let mut violations = Vec::new();
    let tracked = git(repo, &["diff-files", "-z", "--name-status", "--no-renames"])?;
    let mut fields = tracked.split(|b| *b == 0).filter(|f| !f.is_empty());
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let path = String::from_utf8_lossy(path).into_owned();
        let change = match status.first() {
            Some(b'D') => Change::Deleted,
            Some(b'T') => Change::TypeChanged {
                from: "file".into(),
                to: "something else".into(),
            },
            _ => Change::Modified,
        };
        let (rule, config) = match policy.protection(&path) {
            Protection::Protected { rule } => (rule, false),
            Protection::Config { rule } => (rule, true),
            _ => continue,
        };
        violations.push(Violation {
            instead: format!(
                "stop and tell the user which command changed it; a person restores it (`git restore -- {path}`). {}",
                advice(&policy.message, &change, config)
            ),
            path,
            change,
            rule: rule.to_string(),
            commit: None,
        });
    }
    let untracked = git(repo, &["ls-files", "-z", "--others", "--exclude-standard"])?;
    for path in untracked.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        if let Protection::Protected { rule } = policy.protection(&path) {
            if !policy.may_create(agent_type, &path) {
                violations.push(Violation {
                    instead: format!(
                        "stop and tell the user which command created it; a person removes it. {}",
                        policy.message
                    ),
                    change: Change::AddedByAgent,
                    path,
                    rule: rule.to_string(),
                    commit: None,
                });
            }
        }
    }
    Ok(violations)
}
