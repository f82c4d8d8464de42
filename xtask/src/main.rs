//! `cargo xtask <task>`: tasks for working on this repository.
//!
//! - `scaffold [ARGS]`: runs scaffold; with no arguments (or only flags) it
//!   generates the bundled `examples/` project.
//! - `bench`: measures `scaffold generate` and `scaffold guard` against the
//!   alternatives, in one run, and prints ratios.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod bench_specs;

use std::path::PathBuf;
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scaffold") => scaffold(&args[1..]),
        Some("bench") => match bench::run(&workspace_root(), &args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: cargo xtask scaffold [ARGS] | cargo xtask bench [--quick]");
            ExitCode::from(2)
        }
    }
}

/// Runs scaffold in-process, defaulting to `generate --out examples`.
fn scaffold(args: &[String]) -> ExitCode {
    let mut full = vec!["scaffold".to_string()];
    if args.first().is_none_or(|a| a.starts_with('-')) {
        let examples = workspace_root().join("examples");
        full.extend([
            "generate".to_string(),
            "--out".to_string(),
            examples.display().to_string(),
        ]);
    }
    full.extend(args.iter().cloned());
    scaffold_cli::main_with_args(full)
}
