//! `scaffold-hook`: the Claude Code hook alone. `scaffold guard install` wires
//! it when it sits beside `scaffold`: it links only the guard, so a tool call
//! pays for starting a small binary, not the generator with its templates.
//!
//! Same contract as `scaffold guard claude-hook`: JSON on stdin; exit 0 allows,
//! exit 2 blocks with the reason on stderr; anything unreadable blocks.
//!
//! On Linux with glibc the package's build.rs links this binary statically
//! (a static PIE): the dynamic loader alone cost about half a millisecond per
//! call. It uses the system allocator: mimalloc's set-up made a call slower.

#![allow(
    clippy::print_stderr,
    reason = "the hook's only output is its reason on stderr"
)]

use std::io::Read as _;
use std::process::ExitCode;

use scaffold_guard::hook::{Answer, answer};

fn main() -> ExitCode {
    // Room for a usual call up front: std then reads it in one call (an empty
    // String makes it probe with 32-byte reads, then grow by doubling).
    let mut input = String::with_capacity(16 * 1024);
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!(
            "error: cannot read the hook input: {e}\nhint: the guard denies what it cannot read"
        );
        return ExitCode::from(2);
    }
    match answer(&input) {
        Answer::Allow => ExitCode::SUCCESS,
        Answer::Deny(reason) => {
            eprintln!("{reason}");
            ExitCode::from(2)
        }
        Answer::Unreadable { message, hint } => {
            eprintln!("error: {message}\nhint: {hint}");
            ExitCode::from(2)
        }
    }
}
