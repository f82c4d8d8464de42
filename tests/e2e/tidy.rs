//! Repository hygiene, checked by `cargo test` (rust-analyzer style).

use std::path::{Path, PathBuf};

use crate::support::workspace;

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | ".git" | "snapshots") {
                files(&path, ext, out);
            }
        } else if name.ends_with(ext) {
            out.push(path);
        }
    }
}

fn source_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["src", "crates", "xtask", "tests", "examples/src"] {
        files(&workspace().join(dir), ".rs", &mut out);
    }
    out.sort();
    out
}

#[test]
fn every_source_file_says_what_it_is_for() {
    let missing: Vec<String> = source_files()
        .into_iter()
        .filter(|path| {
            !std::fs::read_to_string(path)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading `//!` line:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_test_is_ignored() {
    let needle = ["#[", "ignore]"].concat();
    let offenders: Vec<String> = source_files()
        .into_iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_default()
                .contains(&needle)
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "ignored tests in:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let ci = std::fs::read_to_string(workspace().join(".ci/run")).expect(".ci/run");
    for command in ["cargo xtask scaffold", "cargo test --workspace"] {
        assert!(
            readme.contains(command),
            "README.md does not show `{command}`"
        );
    }
    assert!(
        ci.contains("cargo test --workspace"),
        ".ci/run does not call the README's test command"
    );
}

#[test]
fn architecture_has_a_section_per_crate() {
    let architecture =
        std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    for entry in std::fs::read_dir(workspace().join("crates"))
        .expect("crates/")
        .flatten()
    {
        let section = format!("### `crates/{}`", entry.file_name().to_string_lossy());
        assert!(
            architecture.contains(&section),
            "ARCHITECTURE.md has no `{section}`"
        );
    }
}

#[test]
fn every_diagnostic_code_is_documented() {
    let docs = std::fs::read_to_string(workspace().join("docs/spec-format.md"))
        .expect("docs/spec-format.md");
    let mut sources = Vec::new();
    files(&workspace().join("crates/parser/src"), ".rs", &mut sources);
    let mut codes = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for part in text
            .split("Diagnostic::error(")
            .skip(1)
            .chain(text.split("Diagnostic::warning(").skip(1))
            .chain(text.split("Diagnostic::note(").skip(1))
        {
            if let Some(code) = part
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next())
            {
                codes.push(code.to_string());
            }
        }
    }
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 10, "found only {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !docs.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/spec-format.md does not explain {missing:?}"
    );
}

#[test]
fn the_readme_policy_example_is_valid() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let section = readme
        .split("### Policy reference")
        .nth(1)
        .expect("a policy reference section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a toml block");
    let policy = scaffold_guard::Policy::from_toml("README.md", block)
        .unwrap_or_else(|e| panic!("README policy: {e}"));
    assert!(policy.may_create(Some("data-engineer"), "migrations/0002.sql"));
    assert!(matches!(
        policy.protection("warehouse/ddl/x.sql"),
        scaffold_guard::Protection::Protected { .. }
    ));
}
