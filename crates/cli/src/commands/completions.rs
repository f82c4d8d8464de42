//! `scaffold completions <shell>`: the shell completion script, on stdout.

use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::{Cli, Outcome, Printer};

#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for (bash, elvish, fish, powershell, zsh).
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the script for `shell`; install it where the shell looks, for
/// example `scaffold completions bash > ~/.local/share/bash-completion/completions/scaffold`.
pub fn run(args: &CompletionsArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "scaffold", &mut script);
    printer.raw(&String::from_utf8_lossy(&script));
    Ok(Outcome::Success)
}
