//! The grammar fuzzer in the suite: random valid specs (scaffold-specgen,
//! seeds 1..=N, `SCAFFOLD_FUZZ_SEEDS=N` for more) plus the minimized
//! regression specs of tests/fixtures/fuzz/, all mounted in ONE host crate,
//! through lint, generate, clippy `-D warnings`, the generated tests and
//! each project's merged `router()`. Any failure fails the test, except the
//! kinds listed in tests/fixtures/fuzz/pending/README.md (found, not fixed
//! yet: the render-side list). `cargo xtask fuzz --seeds 1..1000` runs long.

use std::path::PathBuf;

use scaffold_specgen::harness::{Case, Harness, Stage};

use crate::support::{binary, workspace};

/// Seeds in CI: one host crate build of this many projects (plus the fixtures).
const DEFAULT_SEEDS: u64 = 16;

fn pending_kinds() -> Vec<String> {
    let text = std::fs::read_to_string(workspace().join("tests/fixtures/fuzz/pending/README.md"))
        .unwrap_or_default();
    // One line per kind: `- `folder`: <kind>`.
    text.lines()
        .filter(|l| l.starts_with("- `"))
        .filter_map(|l| l.split_once("`: ").map(|(_, kind)| kind.trim().to_string()))
        .collect()
}

#[test]
fn random_valid_specs_lint_generate_compile_clean_and_pass_their_tests() {
    let started = std::time::Instant::now();
    let seeds: u64 = std::env::var("SCAFFOLD_FUZZ_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_SEEDS);
    let mut cases: Vec<Case> = (1..=seeds)
        .map(|seed| Case::from(&scaffold_specgen::generate(seed)))
        .collect();
    // Fixed kinds stay fixed: their minimized specs run beside the seeds, the
    // python pack's too (valid specs, so the Rust pack must take them as well).
    let fixtures = workspace().join("tests/fixtures/fuzz");
    let cases_in = |dir: &std::path::Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .expect("tests/fixtures/fuzz")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("specs").is_dir())
            .collect()
    };
    let mut dirs = cases_in(&fixtures);
    dirs.extend(cases_in(&fixtures.join("python")));
    dirs.sort();
    for (index, dir) in dirs.iter().enumerate() {
        cases.push(Case::read(1_000_000 + index as u64, dir).expect("read fixture"));
    }
    let work = tempfile::tempdir().expect("temp dir");
    let harness = Harness {
        scaffold: binary().to_path_buf(),
        work: work.path().to_path_buf(),
        target_dir: workspace().join("target/e2e"),
        host_template: workspace().join("examples"),
        cargo: PathBuf::from(env!("CARGO")),
    };
    let outcome = harness
        .run("host", &cases, Stage::Test)
        .expect("run the fuzz batch");
    let pending = pending_kinds();
    let mut report = String::new();
    for (kind, hits) in outcome.by_kind() {
        if pending.contains(&kind) {
            continue;
        }
        let seeds: Vec<String> = hits.iter().map(|f| f.seed.to_string()).collect();
        report.push_str(&format!(
            "\n{kind}\n  seeds (ids from 1000000 are tests/fixtures/fuzz/ in order): {}\n  {}\n",
            seeds.join(" "),
            hits[0]
                .detail
                .lines()
                .take(15)
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    #[allow(
        clippy::print_stderr,
        reason = "the fuzz run's figures, shown with --nocapture"
    )]
    {
        eprintln!(
            "fuzz: {} specs, {} passed, {} failures ({} of pending kinds) in {}s",
            cases.len(),
            outcome.passed.len(),
            outcome.failures.len(),
            outcome
                .failures
                .iter()
                .filter(|f| pending.contains(&f.kind))
                .count(),
            started.elapsed().as_secs()
        );
    }
    assert!(
        report.is_empty(),
        "failures of kinds not in tests/fixtures/fuzz/pending/README.md \
         (reproduce: cargo xtask fuzz --seeds S..S):{report}"
    );
}
