//! The commit layer beyond pre-commit: reverts, cherry-picks, merges and
//! `commit-tree` + `update-ref` create commits without pre-commit, so the guard
//! also installs `pre-merge-commit` and `reference-transaction`. Real git, real hooks.

use crate::guard::Repo;

const AGENT: &[(&str, &str)] = &[("CLAUDECODE", "1")];

/// The current commit of a ref.
fn rev(repo: &Repo, name: &str) -> String {
    repo.git(&["rev-parse", name]).trim().to_string()
}

/// A commit on branch `side` that edits the applied migration, made past the hooks
/// (a person with `--no-verify` stands for any commit from outside).
fn side_branch_editing_the_migration(repo: &Repo) -> String {
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    repo.git(&["commit", "-q", "--no-verify", "-am", "edit the migration"]);
    let sha = rev(repo, "HEAD");
    repo.git(&["checkout", "-q", "main"]);
    sha
}

fn run(repo: &Repo, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let output = repo.git_output(args, env);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_agents_revert_that_deletes_a_migration_is_refused() {
    let repo = Repo::with_migration();
    repo.write(
        "migrations/0002_notes.sql",
        "alter table orders add note text;\n",
    );
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "a person adds a migration"], &[]);
    assert!(ok, "{stderr}");
    let before = rev(&repo, "HEAD");
    let (ok, stderr) = run(&repo, &["revert", "--no-edit", "HEAD"], AGENT);
    assert!(!ok, "the revert went through:\n{stderr}");
    assert!(
        stderr.contains("migrations/0002_notes.sql: deleted"),
        "{stderr}"
    );
    assert!(stderr.contains("error: ref update blocked"), "{stderr}");
    assert_eq!(rev(&repo, "HEAD"), before, "HEAD moved");
    // The refused revert left its changes in the work tree, as a failed commit does.
    repo.git(&["reset", "-q", "--hard"]);
    // A person may revert (the CI range check still sees it).
    let (ok, stderr) = run(&repo, &["revert", "--no-edit", "HEAD"], &[]);
    assert!(ok, "{stderr}");
}

#[test]
fn an_agents_cherry_pick_of_a_migration_edit_is_refused() {
    let repo = Repo::with_migration();
    let edit = side_branch_editing_the_migration(&repo);
    let before = rev(&repo, "HEAD");
    let (ok, stderr) = run(&repo, &["cherry-pick", &edit], AGENT);
    assert!(!ok, "the cherry-pick went through:\n{stderr}");
    assert!(
        stderr.contains("migrations/0001_init.sql: modified"),
        "{stderr}"
    );
    assert_eq!(rev(&repo, "HEAD"), before);
    let _ = run(&repo, &["cherry-pick", "--abort"], &[]);
    // Ordinary cherry-picks still work for agents.
    repo.git(&["checkout", "-q", "-b", "work"]);
    repo.write("backend/lib.rs", "//! app v2\n");
    repo.git(&["commit", "-q", "-am", "source change"]);
    let source = rev(&repo, "HEAD");
    repo.git(&["checkout", "-q", "main"]);
    let (ok, stderr) = run(&repo, &["cherry-pick", &source], AGENT);
    assert!(ok, "an ordinary cherry-pick was refused:\n{stderr}");
}

#[test]
fn merges_that_change_a_migration_are_refused() {
    let repo = Repo::with_migration();
    side_branch_editing_the_migration(&repo);
    repo.write("backend/lib.rs", "//! main moved on\n");
    repo.git(&["commit", "-q", "-am", "main moves on"]);
    let before = rev(&repo, "HEAD");
    // A merge commit: pre-merge-commit checks the merged index, for everyone.
    let (ok, stderr) = run(&repo, &["merge", "--no-ff", "--no-edit", "side"], &[]);
    assert!(!ok, "the merge went through:\n{stderr}");
    assert!(
        stderr.contains("migrations/0001_init.sql: modified"),
        "{stderr}"
    );
    assert_eq!(rev(&repo, "HEAD"), before);
    let _ = run(&repo, &["merge", "--abort"], &[]);
    // A fast-forward creates no commit at all: reference-transaction sees it.
    let fresh = Repo::with_migration();
    side_branch_editing_the_migration(&fresh);
    let before = rev(&fresh, "HEAD");
    let (ok, stderr) = run(&fresh, &["merge", "--ff-only", "side"], AGENT);
    assert!(!ok, "the fast-forward went through:\n{stderr}");
    assert!(
        stderr.contains("migrations/0001_init.sql: modified"),
        "{stderr}"
    );
    assert_eq!(rev(&fresh, "HEAD"), before);
}

#[test]
fn an_agent_merging_a_persons_new_migration_is_not_adding_it() {
    let repo = Repo::with_migration();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("backend/lib.rs", "//! feature work\n");
    let (ok, stderr) = repo.commit(&["-am", "agent work"], AGENT);
    assert!(ok, "{stderr}");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("migrations/0002_people.sql", "create table people();\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "a person adds a migration"], &[]);
    assert!(ok, "{stderr}");
    repo.git(&["checkout", "-q", "feature"]);
    // A merge commit (pre-merge-commit and reference-transaction both run).
    let (ok, stderr) = run(&repo, &["merge", "--no-edit", "main"], AGENT);
    assert!(
        ok,
        "merging main into the feature branch was refused:\n{stderr}"
    );
    // But a migration the agent adds in the merge itself is still its own.
    repo.git(&["checkout", "-q", "-b", "other", "main~1"]);
    repo.write("docs/x.md", "x\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "side"]);
    let (ok, stderr) = run(&repo, &["merge", "--no-commit", "--no-ff", "main"], AGENT);
    assert!(ok, "{stderr}");
    repo.write("migrations/0003_agent.sql", "create table sneaky();\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = run(&repo, &["commit", "--no-edit"], AGENT);
    assert!(!ok, "the agent's own migration went in with the merge");
    assert!(
        stderr.contains("migrations/0003_agent.sql: added by an agent"),
        "{stderr}"
    );
}

#[test]
fn commit_tree_and_update_ref_are_refused_for_agents() {
    let repo = Repo::with_migration();
    let before = rev(&repo, "HEAD");
    // Build a commit by hand: a new blob for the migration, a tree, a commit.
    repo.write("migrations/0001_init.sql", "drop table orders;\n");
    repo.git(&["add", "migrations/0001_init.sql"]);
    let tree = repo.git(&["write-tree"]).trim().to_string();
    let commit = repo
        .git(&["commit-tree", &tree, "-p", "HEAD", "-m", "by hand"])
        .trim()
        .to_string();
    let (ok, stderr) = run(&repo, &["update-ref", "refs/heads/main", &commit], AGENT);
    assert!(!ok, "update-ref went through:\n{stderr}");
    assert!(
        stderr.contains("migrations/0001_init.sql: modified in "),
        "{stderr}"
    );
    assert_eq!(rev(&repo, "main"), before);
    // Moving a branch to a commit that adds an ordinary file is fine.
    repo.git(&["reset", "-q", "--hard"]);
    repo.write("backend/new.rs", "//! new\n");
    repo.git(&["add", "backend/new.rs"]);
    let tree = repo.git(&["write-tree"]).trim().to_string();
    let commit = repo
        .git(&["commit-tree", &tree, "-p", "HEAD", "-m", "ok"])
        .trim()
        .to_string();
    let (ok, stderr) = run(&repo, &["update-ref", "refs/heads/main", &commit], AGENT);
    assert!(ok, "{stderr}");
}

#[test]
fn agents_still_commit_ordinary_work_and_data_engineers_add_migrations() {
    let repo = Repo::with_migration();
    repo.write("backend/lib.rs", "//! v2\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "agent work"], AGENT);
    assert!(ok, "{stderr}");
    repo.write("migrations/0002_x.sql", "create table x();\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(
        &["-m", "data engineer"],
        &[
            ("CLAUDECODE", "1"),
            ("SCAFFOLD_AGENT_TYPE", "data-engineer"),
        ],
    );
    assert!(ok, "{stderr}");
    // Branches, tags and fetches of existing commits pass.
    let (ok, stderr) = run(&repo, &["branch", "copy"], AGENT);
    assert!(ok, "{stderr}");
    let (ok, stderr) = run(&repo, &["tag", "v1"], AGENT);
    assert!(ok, "{stderr}");
}

#[test]
fn a_case_or_unicode_variant_of_an_applied_migration_is_a_modification() {
    let repo = Repo::with_migration();
    repo.write("MIGRATIONS/0001_init.sql", "drop table orders;\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "a person, on Linux"], &[]);
    assert!(!ok, "the colliding file was committed");
    assert!(
        stderr.contains("MIGRATIONS/0001_init.sql: added beside migrations/0001_init.sql"),
        "{stderr}"
    );
    repo.git(&["reset", "-q", "--hard"]);
    let _ = std::fs::remove_dir_all(repo.path().join("MIGRATIONS"));
    // NFD spelling of a file committed in NFC.
    repo.write("migrations/café.sql", "create table c();\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "nfc"], &[]);
    assert!(ok, "{stderr}");
    repo.write("migrations/cafe\u{301}.sql", "drop table c;\n");
    repo.git(&["add", "-A"]);
    let (ok, stderr) = repo.commit(&["-m", "nfd"], &[]);
    assert!(!ok, "the NFD variant was committed");
    assert!(
        stderr.contains("added beside migrations/café.sql"),
        "{stderr}"
    );
    // And in CI, past the hooks.
    repo.git(&["checkout", "-q", "-b", "sneaky"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "nfd"]);
    let output = repo.scaffold(&["guard", "range", "--base", "main"]);
    assert_eq!(output.code, 1, "{}", output.transcript());
    assert!(
        output.stderr.contains("added beside migrations/café.sql"),
        "{}",
        output.stderr
    );
}

#[cfg(unix)]
#[test]
fn foreign_hooks_keep_running_and_doctor_checks_every_hook() {
    use std::os::unix::fs::PermissionsExt as _;
    let repo = Repo::new();
    let before = repo.scaffold(&["guard", "doctor"]);
    for name in ["pre-merge-commit", "reference-transaction"] {
        assert!(
            before.stdout.contains(&format!("missing  git {name} hook")),
            "{}",
            before.stdout
        );
    }
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).expect("hooks");
    let log = repo.path().join("foreign.log");
    std::fs::write(
        hooks.join("reference-transaction"),
        format!("#!/bin/sh\ncat >> '{}'\n", log.display()),
    )
    .expect("hook");
    std::fs::set_permissions(
        hooks.join("reference-transaction"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    repo.install();
    repo.install();
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    let (ok, stderr) = repo.commit(&["-m", "first"], AGENT);
    assert!(ok, "{stderr}");
    let seen = std::fs::read_to_string(&log).expect("the foreign hook ran");
    assert!(seen.contains("refs/heads/main"), "{seen}");
    let after = repo.scaffold(&["guard", "doctor"]);
    for name in ["pre-commit", "pre-merge-commit", "reference-transaction"] {
        assert!(
            after.stdout.contains(&format!("ok       git {name} hook")),
            "{}",
            after.stdout
        );
    }
    assert!(
        after.stdout.contains("ok       OS sandbox configured"),
        "{}",
        after.stdout
    );
}
