//! PowerShell commands: not parsed, denied when they mention guarded paths or runners.

use std::path::Path;

use super::{Checker, MAX_COMMAND, Op, rule};
use crate::paths;

impl<'a> Checker<'a> {
    /// PowerShell is not parsed: deny when it mentions guarded paths, runners or hides code.
    pub(super) fn powershell(&mut self, command: &str) {
        self.text = command.to_string();
        if command.len() > MAX_COMMAND {
            self.too_long(command.len());
            return;
        }
        let lower = command.to_lowercase();
        if let Some(fragment) = self.fragment() {
            self.deny_command(
                format!("PowerShell command that mentions `{fragment}`"),
                rule::UNSURE,
                "use the Write/Edit tools for files outside guarded folders; guarded files are not yours to change",
            );
        }
        for hidden in [
            "invoke-expression",
            "iex ",
            "iex(",
            "-encodedcommand",
            "-enc ",
            "frombase64string",
            "start-process",
            "[scriptblock]",
            "invoke-command",
        ] {
            if lower.contains(hidden) {
                self.opaque(
                    &format!("PowerShell command that runs code it builds (`{hidden}`)"),
                    "run the commands directly, without building them at run time",
                );
            }
        }
        // Runners and bypasses read like shell words.
        if let Ok(script) = crate::shell::parse(&command.replace('`', " ")) {
            for command in &script.commands {
                self.runner_and_git_only(command);
            }
        }
        self.powershell_writes(command);
    }

    /// Cmdlets (and their aliases) that write, delete or move what they are given:
    /// their literal targets are checked like shell writes, `.`/`..`/the project
    /// included; wildcards and variables are denied.
    pub(super) fn powershell_writes(&mut self, command: &str) {
        const WRITERS: &[&str] = &[
            "remove-item",
            "rm",
            "del",
            "erase",
            "ri",
            "rd",
            "rmdir",
            "clear-content",
            "clc",
            "set-content",
            "sc",
            "out-file",
            "add-content",
            "ac",
            "move-item",
            "mv",
            "mi",
            "move",
            "copy-item",
            "cp",
            "cpi",
            "copy",
            "rename-item",
            "ren",
            "rni",
            "new-item",
            "ni",
            "clear-item",
            "cli",
            "set-item",
            "si",
            "tee-object",
            "tee",
            "expand-archive",
        ];
        let text = command.replace('\\', "/");
        for statement in text.split([';', '|', '\n', '{', '}']) {
            let words: Vec<&str> = statement.split_whitespace().collect();
            let Some(first) = words.first().map(|w| w.to_lowercase()) else {
                continue;
            };
            if matches!(
                first.as_str(),
                "cd" | "set-location" | "sl" | "chdir" | "push-location"
            ) {
                if let Some(dir) = words.get(1) {
                    self.cwd = paths::resolve(&self.cwd, Path::new(dir.trim_matches(['\'', '"'])));
                }
                continue;
            }
            if !WRITERS.contains(&first.as_str()) {
                continue;
            }
            let op = if first.contains("remove")
                || matches!(
                    first.as_str(),
                    "rm" | "del"
                        | "erase"
                        | "ri"
                        | "rd"
                        | "rmdir"
                        | "move-item"
                        | "mv"
                        | "mi"
                        | "move"
                ) {
                Op::Delete
            } else {
                Op::Modify
            };
            let mut skip_value = false;
            let mut targets = 0;
            for word in &words[1..] {
                if skip_value {
                    skip_value = false;
                    continue;
                }
                if word.starts_with('-') {
                    // `-Value x`, `-Encoding utf8` take a value; `-Path`/`-Destination` name a target.
                    let lower = word.to_lowercase();
                    skip_value = matches!(
                        lower.as_str(),
                        "-value"
                            | "-encoding"
                            | "-itemtype"
                            | "-type"
                            | "-filter"
                            | "-include"
                            | "-exclude"
                            | "-stream"
                            | "-inputobject"
                    );
                    continue;
                }
                let target = word.trim_matches(['\'', '"', '(', ')', ',']);
                if target.is_empty() {
                    continue;
                }
                targets += 1;
                if target.contains(['*', '?', '$', '[']) {
                    self.opaque(
                        &format!("PowerShell `{first}` on `{target}`, known only when it runs"),
                        "name each file literally",
                    );
                    continue;
                }
                self.write(Path::new(target), op, &format!("PowerShell {first}"));
            }
            // `Get-ChildItem -Recurse | Remove-Item`: the items come down the pipeline.
            if targets == 0 {
                self.opaque(
                    &format!(
                        "PowerShell `{first}` on what a pipeline gives it, known only when it runs"
                    ),
                    "name each file literally",
                );
            }
        }
    }

    pub(super) fn too_long(&mut self, len: usize) {
        self.deny_command(
            format!("a command of {len} bytes (the guard reads at most {MAX_COMMAND})"),
            rule::TOO_LONG,
            "split the work into shorter commands, or write a script with the Write tool and run it",
        );
    }
}
