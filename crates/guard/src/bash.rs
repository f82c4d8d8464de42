//! Reading a shell command the way the shell would run it: which programs start,
//! which files they write, which runners and hook bypasses they use.
//!
//! A second line behind the OS sandbox (see `sandbox.rs`): the sandbox stops
//! writes it is told about, this module also sees what the sandbox cannot
//! (migration runners change a database, not files; git options that switch
//! hooks off) and explains denials to the agent. Words are expanded like the
//! shell does where the value is knowable (`$PWD`, `$HOME`, `~`, assignments,
//! `for` lists, globs, braces); where it is not, a write is denied rather
//! than guessed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::claude::{Checker, MAX_COMMAND, Op, rule};
use crate::paths;
use crate::runners;
use crate::shell::{self, Part, SimpleCommand, Word};

mod tasks;

const MAX_DEPTH: usize = 8;
/// More expansions than this from one word are treated as unknown.
const MAX_EXPANSIONS: usize = 512;
/// Scripts read from disk (`bash x.sh`) larger than this are not read.
const MAX_SCRIPT: u64 = 64 * 1024;

/// What a word expands to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expansion {
    Known(Vec<String>),
    /// Known only at run time; the text before the first unknown part.
    Unknown {
        prefix: String,
    },
}

/// Programs that only read the files they are given.
const READ_ONLY: &[&str] = &[
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "ack",
    "wc",
    "diff",
    "cmp",
    "file",
    "stat",
    "ls",
    "tree",
    "du",
    "df",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "md5sum",
    "cksum",
    "b2sum",
    "realpath",
    "readlink",
    "dirname",
    "basename",
    "echo",
    "printf",
    "test",
    "[",
    "true",
    "false",
    "jq",
    "bat",
    "nl",
    "od",
    "hexdump",
    "strings",
    "cut",
    "tr",
    "column",
    "colordiff",
    "pwd",
    "which",
    "type",
    "whoami",
    "date",
    "sleep",
    "expr",
    "seq",
    "cargo",
    "rustc",
    "rustfmt",
    "npm",
    "node_modules",
    "go",
    "make",
    "pytest",
    "mypy",
    "tsc",
    "open",
    "xdg-open",
    "sqlite3",
    "psql",
    "mysql",
    "wait",
    "exit",
    "return",
    "set",
    "shopt",
    "local",
    "let",
    "shift",
    "alias",
    "history",
    "jobs",
    "fg",
    "bg",
    "kill",
    "ps",
    "pgrep",
    "lsof",
    "id",
    "uname",
    "env",
    "printenv",
    "getent",
    "zcat",
    "zless",
    "bzcat",
    "xzcat",
    "look",
    "comm",
    "join",
    "paste",
    "fold",
    "fmt",
    "pr",
    "rev",
    "tac",
    "shuf",
    "numfmt",
    "base32",
    "sha224sum",
    "sha384sum",
    "tsort",
];

impl Checker<'_> {
    /// Decides on a whole shell command (a `Bash` or `Monitor` call).
    pub(crate) fn shell(&mut self, command: &str) {
        if self.text.is_empty() {
            self.text = command.to_string();
        }
        if command.len() > MAX_COMMAND {
            self.deny_command(
                format!(
                    "a command of {} bytes (the guard reads at most {MAX_COMMAND})",
                    command.len()
                ),
                rule::TOO_LONG,
                "split the work into shorter commands, or write a script with the Write tool and run it",
            );
            return;
        }
        self.script(command, 0);
    }

    pub(crate) fn script(&mut self, text: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.opaque(
                "commands nested too deeply to read",
                "run the commands directly",
            );
            return;
        }
        let script = match shell::parse(text) {
            Ok(script) => script,
            Err(error) => {
                self.opaque(
                    &error.to_string(),
                    "write the command so that a POSIX shell parser can read it",
                );
                return;
            }
        };
        for substitution in &script.substitutions {
            self.script(substitution, depth + 1);
        }
        for index in 0..script.commands.len() {
            let previous = index
                .checked_sub(1)
                .map(|i| &script.commands[i])
                .filter(|_| script.commands[index].piped);
            self.command(&script.commands[index], previous, depth);
        }
    }

    /// The value of a variable, if the guard knows it.
    fn var(&self, name: &str) -> Option<Vec<String>> {
        if let Some(value) = self.vars.get(name) {
            return value.clone();
        }
        let path = |p: &Path| Some(vec![p.display().to_string()]);
        match name {
            "HOME" => self.home.as_deref().and_then(path),
            "PWD" if !self.cwd_unknown => path(&self.cwd),
            "OLDPWD" => self.old_cwd.as_deref().and_then(path),
            "CLAUDE_PROJECT_DIR" => path(&self.project_dir),
            // `/tmp`, or a folder of its own below it (a sandbox's): with
            // `$TMPDIR/../x` both readings are checked.
            "TMPDIR" | "TMP" | "TEMP" => Some(vec!["/tmp".into(), "/tmp/claude".into()]),
            _ => None,
        }
    }

    /// Expands a word like the shell: variables, `~`, braces and globs.
    pub(crate) fn expand(&self, word: &Word) -> Expansion {
        // Characters after \u{1} are literal (quoted): no glob or brace meaning.
        let mut patterns = vec![String::new()];
        let push_quoted = |patterns: &mut Vec<String>, text: &str| {
            for pattern in patterns.iter_mut() {
                for c in text.chars() {
                    if "*?[]{},\u{1}".contains(c) {
                        pattern.push('\u{1}');
                    }
                    pattern.push(c);
                }
            }
        };
        for part in &word.parts {
            match part {
                Part::Lit { text, quoted: true } => push_quoted(&mut patterns, text),
                Part::Lit {
                    text,
                    quoted: false,
                } => {
                    for pattern in patterns.iter_mut() {
                        pattern.push_str(text);
                    }
                }
                Part::Tilde => match &self.home {
                    Some(home) => push_quoted(&mut patterns, &home.display().to_string()),
                    None => return self.unknown(&patterns),
                },
                Part::Var(name) => match self.var(name) {
                    Some(values) if values.len() == 1 => push_quoted(&mut patterns, &values[0]),
                    Some(values) if values.len() * patterns.len() <= MAX_EXPANSIONS => {
                        let mut next = Vec::new();
                        for value in &values {
                            let mut copy = patterns.clone();
                            push_quoted(&mut copy, value);
                            next.extend(copy);
                        }
                        patterns = next;
                    }
                    _ => return self.unknown(&patterns),
                },
                Part::Subst(text) => match self.substitution_value(text) {
                    Some(value) => push_quoted(&mut patterns, &value),
                    None => return self.unknown(&patterns),
                },
                Part::Unknown => return self.unknown(&patterns),
            }
        }
        let mut out = Vec::new();
        for pattern in patterns {
            for braced in shell::expand_braces(&pattern, MAX_EXPANSIONS) {
                if has_glob(&braced) {
                    let matches = self.glob(&braced);
                    if matches.is_empty() {
                        // No match: the shell passes the pattern on as it is.
                        out.push(unescape(&braced));
                    }
                    out.extend(matches);
                } else {
                    out.push(unescape(&braced));
                }
                if out.len() > MAX_EXPANSIONS {
                    return Expansion::Unknown {
                        prefix: String::new(),
                    };
                }
            }
        }
        Expansion::Known(out)
    }

    fn unknown(&self, patterns: &[String]) -> Expansion {
        Expansion::Unknown {
            prefix: patterns.first().map(|p| unescape(p)).unwrap_or_default(),
        }
    }

    /// Matches a glob against the file system, segment by segment.
    fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let mut current: Vec<PathBuf> = vec![if absolute {
            PathBuf::from("/")
        } else {
            self.cwd.clone()
        }];
        let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        for segment in &segments {
            let mut next = Vec::new();
            for dir in &current {
                if has_glob(segment) {
                    let Ok(entries) = std::fs::read_dir(dir) else {
                        continue;
                    };
                    for entry in entries.flatten() {
                        let name = entry.file_name().to_string_lossy().into_owned();
                        if name.starts_with('.') && !segment.starts_with('.') {
                            continue;
                        }
                        if wildcard(segment, &name) {
                            next.push(dir.join(name));
                        }
                    }
                } else {
                    next.push(dir.join(unescape(segment)));
                }
                if next.len() > MAX_EXPANSIONS {
                    break;
                }
            }
            current = next;
        }
        let mut out: Vec<String> = current
            .into_iter()
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .map(|p| p.display().to_string())
            .collect();
        out.sort();
        out
    }

    /// A shell word naming a file that a command writes.
    pub(crate) fn write_word(&mut self, word: &Word, op: Op, tool: &str) {
        match self.expand(word) {
            Expansion::Known(values) => {
                for value in values {
                    if value.is_empty() {
                        continue;
                    }
                    if self.cwd_unknown && !value.starts_with('/') {
                        self.unknown_target(word, "", op, tool);
                        continue;
                    }
                    self.write(Path::new(&value), op, tool);
                }
            }
            Expansion::Unknown { prefix } => self.unknown_target(word, &prefix, op, tool),
        }
    }

    /// A write whose target is known only at run time.
    fn unknown_target(&mut self, word: &Word, prefix: &str, op: Op, tool: &str) {
        self.unsure(&format!(
            "`{tool}` writes to `{}`, known only when it runs",
            word.text
        ));
        match prefix.rfind('/') {
            // `build/$X`: the folder is known; the unknown part names something in it.
            Some(slash) if !self.cwd_unknown || prefix.starts_with('/') => {
                let dir = paths::resolve(&self.cwd, Path::new(&prefix[..slash.max(1)]));
                if paths::repository_root(&dir).is_some() {
                    self.write(&dir, Op::Modify, tool);
                } else {
                    // Outside repositories (`/tmp/$X`): the folder and its entries themselves.
                    self.shallow = true;
                    self.write(&dir, Op::Modify, tool);
                    if let Ok(entries) = std::fs::read_dir(&dir) {
                        for entry in entries.flatten().take(10_000) {
                            self.write(&entry.path(), Op::Modify, tool);
                        }
                    }
                    self.shallow = false;
                }
            }
            _ => self.deny_command(
                format!(
                    "`{tool}` writes to `{}`, which is known only when it runs and could name a guarded file",
                    word.text
                ),
                rule::UNSURE,
                "spell the target out literally (no variables or substitutions in paths you write or delete)",
            ),
        }
        let _ = op;
    }

    /// The output of a command substitution, for the few commands whose output the
    /// guard knows without running them.
    fn substitution_value(&self, text: &str) -> Option<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["pwd"] | ["pwd", "-P" | "-L"] if !self.cwd_unknown => {
                Some(self.cwd.display().to_string())
            }
            ["git", "rev-parse", "--show-toplevel"] if !self.cwd_unknown => {
                paths::repository_root(&self.cwd).map(|r| r.display().to_string())
            }
            // A fresh temporary file or folder (`X=$(mktemp)`), outside every repository.
            ["mktemp", ..] => Some("/tmp/scaffold-guard-mktemp".into()),
            // Outputs without a `/`: a harmless file-name part.
            ["date", ..]
            | ["whoami"]
            | ["id", "-u"]
            | ["id", "-un"]
            | ["uname", ..]
            | ["nproc"]
            | ["hostname"] => Some("value".into()),
            _ => None,
        }
    }

    /// Known values of a word, or `None` when it depends on the run.
    fn values(&self, word: &Word) -> Option<Vec<String>> {
        match self.expand(word) {
            Expansion::Known(values) => Some(values),
            Expansion::Unknown { .. } => None,
        }
    }

    fn first_value(&self, word: &Word) -> Option<String> {
        self.values(word).and_then(|v| v.into_iter().next())
    }

    fn command(&mut self, command: &SimpleCommand, previous: Option<&SimpleCommand>, depth: usize) {
        let standalone = command.words.is_empty();
        for (name, value) in &command.assignments {
            self.check_env(name, "sets");
            if standalone {
                self.assign(name, value);
            } else {
                self.note_git_env(name, value, false);
            }
        }
        let words = self.command_words(command);
        let content = self.output_of(command, &words);
        for redirect in &command.redirects {
            let op = redirect.op.as_str();
            if op.contains('>') || op == "<>" {
                let write = if op.contains(">>") || op == "<>" {
                    Op::Modify
                } else {
                    Op::Create
                };
                self.write_word(&redirect.target, write, &format!("redirect `{op}`"));
                if let Some(path) = self.first_value(&redirect.target) {
                    let path = paths::resolve(&self.cwd, Path::new(&path));
                    self.written.insert(path, content.clone());
                }
            }
        }
        let Some((start, extra)) = self.unwrap(&words, depth) else {
            return;
        };
        let mut args: Vec<Word> = words[start..].to_vec();
        if extra {
            // `xargs rm`: more arguments arrive on stdin.
            args.push(Word::unknown());
        }
        let Some(first) = args.first().cloned() else {
            return;
        };
        // `alias g=git; g commit --no-verify`: an alias is read as what it stands for.
        if let Some(expansion) = self.aliases.get(&first.text).cloned() {
            if depth < MAX_DEPTH {
                let rest: Vec<String> = args[1..].iter().map(|w| shell_quote(&w.text)).collect();
                self.aliases.remove(&first.text);
                self.script(&format!("{expansion} {}", rest.join(" ")), depth + 1);
                self.aliases.insert(first.text.clone(), expansion);
                return;
            }
        }
        let name = match self.first_value(&first) {
            Some(value) if !first.dynamic || !value.is_empty() => program(&value),
            _ => {
                self.deny_command(
                    format!(
                        "runs a command whose name (`{}`) is known only at run time",
                        first.text
                    ),
                    rule::UNSURE,
                    "name the program literally",
                );
                return;
            }
        };
        let rest = args[1..].to_vec();
        let rest = rest.as_slice();

        // Migration runners: checked on the whole command line (launchers, docker, ...).
        let texts: Vec<String> = args
            .iter()
            .map(|w| self.first_value(w).unwrap_or_else(|| w.text.clone()))
            .collect();
        let producer = previous.map(|p| {
            p.words
                .iter()
                .map(|w| self.first_value(w).unwrap_or_else(|| w.text.clone()))
                .collect::<Vec<_>>()
        });
        let inputs: Vec<String> = command
            .redirects
            .iter()
            .filter(|r| r.op == "<")
            .filter_map(|r| self.first_value(&r.target))
            .collect();
        if let Some(runner) = runners::migration_runner(
            &texts,
            &runners::Feeds {
                inputs: &inputs,
                producer: producer.as_deref(),
                heredocs: &command.heredocs,
            },
            &mut |file| self.is_protected_file(file),
        ) {
            if !self.session.may_run_migrations(self.agent_type.as_deref()) {
                self.deny_command(
                    format!("runs migrations (`{runner}`)"),
                    rule::RUNNER,
                    "migrations are applied by the data engineer's pipeline, never by an agent: describe what you need in specs/<ticket>/architecture.md",
                );
            }
        }

        if first.text.contains('/') && !matches!(name.as_str(), "python3" | "node" | "bash" | "sh")
        {
            // `./script.sh`: a script file; read it if the guard can.
            self.run_file(&first, depth, "sh");
        }

        // What a task runs, beside what the command itself does (`bun -e CODE`
        // is still inline code below).
        if depth < MAX_DEPTH {
            match name.as_str() {
                "npm" | "yarn" | "pnpm" | "bun" => self.package_scripts(&name, &texts[1..], depth),
                "make" | "gmake" | "just" => self.recipes(&name, &texts[1..], depth),
                _ => {}
            }
        }

        match name.as_str() {
            "cd" | "pushd" | "popd" => self.change_dir(&name, rest),
            "export" | "declare" | "typeset" | "readonly" | "local" => {
                // `declare -n ref=x`: `$ref` is whatever `x` holds later, which is not followed.
                let nameref = rest
                    .iter()
                    .any(|w| short_flags(&w.text).is_some_and(|f| f.contains('n')));
                for word in rest.iter().filter(|w| !w.text.starts_with('-')) {
                    let (var, value) = match word.text.split_once('=') {
                        Some((var, _)) => (var.to_string(), word.strip_prefix(&format!("{var}="))),
                        None => (word.text.clone(), None),
                    };
                    self.check_env(&var, "exports");
                    if nameref {
                        self.vars.insert(var, None);
                    } else if let Some(value) = value {
                        self.assign(&var, &value);
                    }
                }
            }
            "alias" => {
                for word in rest {
                    if let Some((name, value)) = word.text.split_once('=') {
                        self.aliases.insert(name.to_string(), value.to_string());
                    }
                }
            }
            "unset" => {
                for word in rest {
                    self.check_env(&word.text, "unsets");
                    self.vars.insert(word.text.clone(), None);
                }
            }
            "for" | "select" => {
                if let Some(var) = rest.first() {
                    let values = match rest.iter().position(|w| w.text == "in") {
                        Some(i) => {
                            let mut all = Some(Vec::new());
                            for word in &rest[i + 1..] {
                                match (self.values(word), all.as_mut()) {
                                    (Some(v), Some(all)) => all.extend(v),
                                    _ => all = None,
                                }
                            }
                            all
                        }
                        None => None,
                    };
                    self.vars.insert(var.text.clone(), values);
                }
            }
            "read" | "mapfile" | "readarray" | "getopts" => {
                for word in rest.iter().filter(|w| !w.text.starts_with('-')) {
                    self.vars.insert(word.text.clone(), None);
                }
            }
            "trap" => {
                if let Some(action) = rest.iter().find(|w| !w.text.starts_with('-')) {
                    self.script(&action.text, depth + 1);
                }
            }
            "bash" | "sh" | "zsh" | "dash" | "ksh" | "mksh" | "fish" | "ash" | "csh" | "tcsh"
            | "su" | "source" | "." => self.shell_program(&name, command, rest, previous, depth),
            "eval" => {
                let joined: Vec<String> = rest
                    .iter()
                    .map(|w| self.first_value(w).unwrap_or_else(|| w.text.clone()))
                    .collect();
                if rest.iter().any(|w| self.values(w).is_none()) {
                    self.opaque(
                        "`eval` of text known only at run time",
                        "run the commands directly",
                    );
                }
                self.script(&joined.join(" "), depth + 1);
            }
            "python3" | "python" | "python2" | "node" | "nodejs" | "deno" | "bun" | "perl"
            | "ruby" | "php" | "osascript" | "pwsh" | "powershell" | "lua" | "tclsh"
            | "Rscript" | "rscript" | "julia" | "irb" => {
                self.interpreter(&name, command, rest, previous, depth)
            }
            "rm" | "unlink" | "shred" | "rmdir" | "srm" | "trash" | "trash-put" | "gio" => {
                for file in positional(rest) {
                    self.write_word(file, Op::Delete, &name);
                }
            }
            "touch" => {
                for file in operands(rest, &["-r", "-d", "-t", "--reference", "--date"]) {
                    self.write_word(file, Op::Create, &name);
                }
            }
            "mkdir" => {
                for file in operands(rest, &["-m", "--mode", "--context"]) {
                    self.write_word(file, Op::Create, &name);
                }
            }
            "mkfifo" | "mknod" | "mktemp" => {
                if name != "mktemp" {
                    for file in operands(rest, &["-m", "--mode"]) {
                        self.write_word(file, Op::Create, &name);
                    }
                }
            }
            "truncate" | "fallocate" | "vi" | "vim" | "nvim" | "nano" | "emacs" | "ed" | "ex"
            | "code" | "micro" | "hx" | "kak" | "setfattr" | "xattr" | "shuf" => {
                if name == "shuf" {
                    if let Some(out) = option_value(rest, &["-o", "--output"]) {
                        self.write_word(&out, Op::Create, &name);
                    }
                } else {
                    // Only truncate and fallocate take values (`-s SIZE`); `ed -s` is a flag.
                    let values: &[&str] = if matches!(name.as_str(), "truncate" | "fallocate") {
                        &["-s", "-r", "--size", "--reference", "-l", "-o"]
                    } else {
                        &["-c", "-S", "-u", "--cmd"]
                    };
                    for file in operands(rest, values) {
                        self.write_word(file, Op::Modify, &name);
                    }
                }
            }
            "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" | "chflags" | "chcon" => {
                // `chmod -x file`: a mode may look like an option.
                let mode_like = |w: &Word| {
                    w.text.len() > 1
                        && w.text.starts_with(['-', '+', '='])
                        && w.text[1..].chars().all(|c| "rwxXstugoa,+-=".contains(c))
                };
                let dashed_mode = name == "chmod" && rest.iter().any(mode_like);
                let reference = rest.iter().any(|w| w.text.starts_with("--reference"));
                let skip = usize::from(!reference && !dashed_mode);
                for file in positional(rest).into_iter().skip(skip) {
                    self.write_word(file, Op::Modify, &name);
                }
            }
            "tee" | "sponge" => {
                let op = if has_flag(rest, &["-a", "--append"]) {
                    Op::Modify
                } else {
                    Op::Create
                };
                for file in positional(rest) {
                    self.write_word(file, op, &name);
                }
            }
            "cp" | "install" | "rsync" | "scp" | "ln" | "link" | "mv" | "ditto" => {
                self.copy_like(&name, rest)
            }
            "sed" | "gsed" => {
                if in_place(rest) {
                    let script_given =
                        has_flag_prefix(rest, &["-e", "-f", "--expression", "--file"]);
                    for file in positional(rest)
                        .into_iter()
                        .skip(usize::from(!script_given))
                    {
                        self.write_word(file, Op::Modify, "sed -i");
                    }
                }
                // `w FILE` inside a sed script writes too.
                for word in rest {
                    if word.text.contains("w ") || word.text.contains("W ") {
                        self.unsure("a `sed` script that may write files");
                    }
                }
            }
            "awk" | "gawk" | "mawk" | "nawk" => {
                if rest
                    .windows(2)
                    .any(|w| w[0].text == "-i" && w[1].text == "inplace")
                    || rest.iter().any(|w| w.text == "-iinplace")
                {
                    for file in positional(rest).into_iter().skip(2) {
                        self.write_word(file, Op::Modify, "awk -i inplace");
                    }
                }
                if rest
                    .iter()
                    .any(|w| w.text.contains("system(") || w.text.contains("print >"))
                {
                    self.unsure("an `awk` program that writes files or runs commands");
                }
            }
            "sort" => {
                if let Some(out) = option_value(rest, &["-o", "--output"]) {
                    self.write_word(&out, Op::Create, "sort -o");
                }
            }
            "dd" => {
                for word in rest {
                    if let Some(target) = word.strip_prefix("of=") {
                        self.write_word(&target, Op::Create, "dd");
                    }
                }
            }
            "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" | "unzstd" | "lz4"
            | "compress" | "uncompress" | "lzma" | "pigz" | "brotli" => {
                let to_stdout = rest.iter().any(|w| {
                    matches!(
                        w.text.as_str(),
                        "--stdout" | "--to-stdout" | "--test" | "--list"
                    ) || short_flags(&w.text).is_some_and(|f| f.contains(['c', 't', 'l']))
                });
                if !to_stdout {
                    for file in positional(rest) {
                        self.write_word(file, Op::Modify, &name);
                    }
                }
            }
            "tar" | "bsdtar" | "unzip" | "7z" | "7za" | "cpio" | "ar" | "jar" => {
                self.archive(&name, rest)
            }
            "curl" | "wget" | "aria2c" | "http" | "xh" => self.download(&name, rest),
            "patch" => self.patch_command(rest, command, previous, "patch"),
            "find" | "fd" | "fdfind" => self.find(&name, rest, depth),
            "strace" | "ltrace" | "script" => {}
            "git" => self.git(rest, command, depth),
            "sqlite3" => {
                // `.output FILE`, `.once FILE` and `.backup FILE` write files.
                for word in rest {
                    if word.text.contains(".output") || word.text.contains(".once") {
                        self.unsure("a `sqlite3` dot-command that writes files");
                    }
                }
            }
            "prettier" | "eslint" | "sqlfluff" | "ruff" | "black" | "rustfmt" | "gofmt"
            | "clang-format" | "biome" | "dprint" | "pg_format" | "sql-formatter" | "isort"
            | "stylua" | "shfmt" | "yapf" | "autopep8" => {
                // Formatters and linters write only when asked to fix or format in place.
                let has = |list: &[&str]| rest.iter().any(|w| list.contains(&w.text.as_str()));
                let writes = match name.as_str() {
                    "prettier" => has(&["--write", "-w"]),
                    "eslint" | "biome" => has(&["--fix", "--write", "format"]),
                    "sqlfluff" => has(&["fix", "format"]),
                    "ruff" => has(&["format", "--fix"]),
                    "gofmt" | "clang-format" | "shfmt" | "yapf" | "autopep8" | "pg_format" => {
                        has(&["-w", "-i", "--in-place", "--write", "--inplace"])
                    }
                    _ => !has(&["--check", "--diff", "-l", "--list-different", "-d"]),
                };
                if writes {
                    self.generic("formatter", rest);
                }
            }
            "zip" => {
                let files = operands(
                    rest,
                    &["-x", "-i", "-b", "-n", "-P", "-t", "-tt", "-O", "--out"],
                );
                if let Some(archive) = files.first() {
                    self.write_word(archive, Op::Create, "zip");
                }
                let moves = rest.iter().any(|w| {
                    w.text == "--move" || short_flags(&w.text).is_some_and(|f| f.contains('m'))
                });
                if moves {
                    for file in files.into_iter().skip(1) {
                        self.write_word(file, Op::Delete, "zip -m");
                    }
                }
            }
            _ => self.generic(&name, rest),
        }
    }

    /// A command that is not modelled: naming a guarded file as an argument is a write.
    fn generic(&mut self, name: &str, rest: &[Word]) {
        if READ_ONLY.contains(&name) {
            return;
        }
        for word in rest {
            let candidates: Vec<Word> = match word.text.split_once('=') {
                Some((key, _)) if key.starts_with('-') || !key.contains('/') => word
                    .strip_prefix(&format!("{key}="))
                    .into_iter()
                    .chain(std::iter::once(word.clone()))
                    .collect(),
                _ => vec![word.clone()],
            };
            for candidate in candidates {
                let Some(values) = self.values(&candidate) else {
                    continue;
                };
                for value in values {
                    if value.starts_with('-') || value.is_empty() {
                        continue;
                    }
                    let resolved = paths::resolve(&self.cwd, Path::new(&value));
                    // A bare word that happens to name a folder (`ef migrations list`) is
                    // not a path; `tool migrations/` is.
                    if resolved.is_dir() && !candidate.text.contains('/') && candidate.text != "." {
                        continue;
                    }
                    if self.is_guarded_target(&resolved) {
                        self.write(
                            Path::new(&value),
                            Op::Modify,
                            &format!("`{name}` (not known to only read)"),
                        );
                    }
                }
            }
        }
    }

    /// Whether a path is guarded (protected or config), for commands the guard does not model.
    fn is_guarded_target(&mut self, resolved: &Path) -> bool {
        let before = self.violations_len();
        self.shallow = true;
        self.write(resolved, Op::Modify, "probe");
        self.shallow = false;
        let guarded = self.violations_len() > before;
        self.truncate_violations(before);
        guarded
    }

    /// Whether a file fed to a database client is a protected migration.
    fn is_protected_file(&mut self, file: &str) -> bool {
        let resolved = paths::resolve(&self.cwd, Path::new(file));
        self.is_guarded_target(&resolved)
    }

    fn assign(&mut self, name: &str, value: &Word) {
        self.note_git_env(name, value, true);
        let known = self.values(value);
        self.vars.insert(name.to_string(), known);
    }

    /// `HOME=`, `XDG_CONFIG_HOME=`, `GIT_*=`: change what git reads as configuration.
    fn note_git_env(&mut self, name: &str, value: &Word, standalone: bool) {
        let upper = name.to_ascii_uppercase();
        let harmless_git = upper.starts_with("GIT_AUTHOR_")
            || upper.starts_with("GIT_COMMITTER_")
            || upper.starts_with("GIT_TRACE")
            || matches!(
                upper.as_str(),
                "GIT_TERMINAL_PROMPT"
                    | "GIT_OPTIONAL_LOCKS"
                    | "GIT_FLUSH"
                    | "GIT_PROGRESS_DELAY"
                    | "GIT_MERGE_AUTOEDIT"
                    | "GIT_ADVICE"
            )
            || (matches!(
                upper.as_str(),
                "GIT_PAGER" | "GIT_EDITOR" | "GIT_SEQUENCE_EDITOR"
            ) && matches!(
                value.text.as_str(),
                "cat" | "true" | ":" | "less" | "" | "vi" | "vim" | "nano"
            ));
        let affects_git = matches!(upper.as_str(), "HOME" | "XDG_CONFIG_HOME")
            || (upper.starts_with("GIT_") && !harmless_git);
        if affects_git {
            self.git_env.push((name.to_string(), standalone));
        }
    }

    /// The words of a command with aliases of this session applied (none yet) and
    /// `coproc`/`{` prefixes dropped.
    fn command_words(&self, command: &SimpleCommand) -> Vec<Word> {
        let mut words = command.words.clone();
        while words.first().is_some_and(|w| {
            matches!(
                w.text.as_str(),
                "{" | "coproc" | "!" | "time" | "then" | "do"
            )
        }) {
            words.remove(0);
        }
        words
    }

    /// What a command prints, when the guard can tell (for `echo x > f; sh f`).
    fn output_of(&self, command: &SimpleCommand, words: &[Word]) -> Option<String> {
        let name = words.first().map(|w| program(&w.text))?;
        match name.as_str() {
            "echo" | "printf" => {
                let values: Option<Vec<String>> = words[1..]
                    .iter()
                    .filter(|w| !(name == "echo" && matches!(w.text.as_str(), "-e" | "-n" | "-E")))
                    .map(|w| self.first_value(w))
                    .collect();
                values.map(|v| v.join(" ").replace("\\n", "\n"))
            }
            "cat" if words.len() == 1 => command.heredocs.first().cloned(),
            _ => None,
        }
    }

    fn change_dir(&mut self, name: &str, rest: &[Word]) {
        if name == "popd" {
            match self.dir_stack.pop() {
                Some(dir) => self.cwd = dir,
                None => self.cwd_unknown = true,
            }
            return;
        }
        let target = rest
            .iter()
            .find(|w| !w.text.starts_with('-') || w.text == "-");
        let next = match target {
            None => self.home.clone(),
            Some(word) if word.text == "-" => self.old_cwd.clone(),
            Some(word) => self
                .first_value(word)
                .map(|v| paths::resolve(&self.cwd, Path::new(&v))),
        };
        if name == "pushd" {
            self.dir_stack.push(self.cwd.clone());
        }
        match next {
            Some(dir) => {
                self.old_cwd = Some(self.cwd.clone());
                self.cwd = dir;
                self.cwd_unknown = false;
            }
            None => self.cwd_unknown = true,
        }
    }

    /// Skips `sudo`, `env`, `nice -n 5`, `timeout -s KILL 5` and friends; returns where
    /// the command starts and whether it gets extra arguments at run time (`xargs`).
    fn unwrap(&mut self, words: &[Word], depth: usize) -> Option<(usize, bool)> {
        let mut i = 0;
        let mut extra = false;
        while let Some(word) = words.get(i) {
            let name = program(&word.text);
            let takes: &[&str] = match name.as_str() {
                "sudo" | "doas" => &[
                    "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-R", "-T", "--user",
                    "--group", "--chdir",
                ],
                "nice" => &["-n", "--adjustment"],
                "timeout" => &["-s", "-k", "--signal", "--kill-after"],
                "ionice" => &["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"],
                "stdbuf" => &["-i", "-o", "-e", "--input", "--output", "--error"],
                "taskset" | "chrt" => &["-c", "--cpu-list"],
                "flock" => &["-w", "-E", "--timeout", "--conflict-exit-code"],
                "strace" | "ltrace" => {
                    &["-e", "-p", "-s", "-u", "-E", "-a", "-P", "-X", "-b", "-I"]
                }
                "xargs" => &[
                    "-I",
                    "-i",
                    "-n",
                    "-P",
                    "-d",
                    "-L",
                    "-s",
                    "-E",
                    "-e",
                    "--max-args",
                    "--max-procs",
                    "--delimiter",
                    "--max-lines",
                    "--replace",
                    "--process-slot-var",
                ],
                "parallel" => &["-j", "-S", "--jobs", "-I"],
                "runuser" => &["-u", "-g", "-G", "--user", "--group"],
                "watch" => &["-n", "--interval", "-d", "-q"],
                "systemd-run" => &["-p", "--unit", "--property", "-E", "--setenv", "-u"],
                "firejail" | "unshare" | "nsenter" | "setsid" | "nohup" | "builtin" | "command"
                | "chronic" | "unbuffer" | "caffeinate" | "cgexec" | "exec" | "time" | "coproc"
                | "then" | "do" | "else" | "!" | "{" | "busybox" | "toybox" | "chroot" | "env"
                | "script" | "su" => &["-a", "-g"],
                _ => return Some((i, extra)),
            };
            i += 1;
            // Options of the wrapper (values included), then its own operands.
            while let Some(w) = words.get(i) {
                let text = w.text.as_str();
                if !text.starts_with('-') || text == "-" || text == "--" {
                    if text == "--" {
                        i += 1;
                    }
                    break;
                }
                match name.as_str() {
                    "env" => {
                        if matches!(text, "-i" | "--ignore-environment") {
                            self.deny_command(
                                "clears the environment (`env -i`), which hides who is committing"
                                    .into(),
                                rule::BYPASS,
                                "keep the environment Claude Code set",
                            );
                        }
                        if text == "-u" || text == "--unset" {
                            if let Some(var) = words.get(i + 1) {
                                self.check_env(&var.text.clone(), "unsets");
                            }
                            i += 2;
                            continue;
                        }
                        if let Some(var) = text
                            .strip_prefix("--unset=")
                            .or_else(|| text.strip_prefix("-u").filter(|n| !n.is_empty()))
                        {
                            self.check_env(var, "unsets");
                        }
                        if text == "-S" || text == "--split-string" {
                            if let Some(inner) = words.get(i + 1) {
                                // The string is split into words; the arguments after it follow them.
                                let mut line = inner.text.clone();
                                for word in &words[i + 2..] {
                                    line.push(' ');
                                    line.push_str(&shell_quote(&word.text));
                                }
                                self.script(&line, depth + 1);
                            }
                            return None;
                        }
                        if text == "-C" || text == "--chdir" {
                            if let Some(dir) = words.get(i + 1).and_then(|d| self.first_value(d)) {
                                self.cwd = paths::resolve(&self.cwd, Path::new(&dir));
                            }
                            i += 2;
                            continue;
                        }
                    }
                    "flock" | "script" | "su" | "runuser"
                        if matches!(text, "-c" | "--command")
                            || short_flags(text).is_some_and(|f| f.ends_with('c')) =>
                    {
                        if let Some(inner) = words.get(i + 1) {
                            self.script(&inner.text, depth + 1);
                        }
                        return None;
                    }
                    "command" if matches!(text, "-v" | "-V") => return None,
                    "strace" | "ltrace" | "script" | "time"
                        if matches!(text, "-o" | "--output") || text.starts_with("-o") =>
                    {
                        let file = if text.len() > 2 && text.starts_with("-o") {
                            w.strip_prefix("-o")
                        } else {
                            words.get(i + 1).cloned()
                        };
                        if let Some(file) = file {
                            self.write_word(&file, Op::Create, &format!("{name} -o"));
                        }
                        i += if text.len() > 2 { 1 } else { 2 };
                        continue;
                    }
                    "xargs" if matches!(text, "-a" | "--arg-file") => {
                        i += 2;
                        continue;
                    }
                    "watch" if matches!(text, "-x" | "--exec") => {}
                    _ => {}
                }
                let attached_value = text.contains('=')
                    || (text.len() > 2 && !text.starts_with("--") && takes.contains(&&text[..2]));
                i += if !attached_value && takes.contains(&text) {
                    2
                } else {
                    1
                };
            }
            match name.as_str() {
                "env" => {
                    while let Some(w) = words.get(i) {
                        let Some((var, _)) = w.text.split_once('=') else {
                            break;
                        };
                        let var = var.to_string();
                        self.check_env(&var, "sets");
                        if let Some(value) = w.strip_prefix(&format!("{var}=")) {
                            self.note_git_env(&var, &value, false);
                        }
                        i += 1;
                    }
                }
                // `timeout 5 cmd`, `chrt 10 cmd`, `taskset 0x1 cmd`, `chroot DIR cmd`.
                "timeout" | "chrt" | "taskset" | "chroot" => i += 1,
                "flock" => {
                    i += 1; // the lock file
                    if words.get(i).is_some_and(|w| w.text == "-c") {
                        if let Some(inner) = words.get(i + 1) {
                            self.script(&inner.text, depth + 1);
                        }
                        return None;
                    }
                }
                "watch" => {
                    // watch joins its arguments into a shell command.
                    let joined: Vec<&str> = words[i..].iter().map(|w| w.text.as_str()).collect();
                    self.script(&joined.join(" "), depth + 1);
                    return None;
                }
                "script" => {
                    // `script FILE` records the session into FILE.
                    if let Some(file) = words.get(i) {
                        self.write_word(&file.clone(), Op::Create, "script");
                    }
                    return None;
                }
                "su" => return None,
                "xargs" | "parallel" => {
                    extra = true;
                    words.get(i)?;
                }
                "sudo" | "doas" => {
                    words.get(i)?;
                }
                _ => {}
            }
        }
        None
    }

    pub(crate) fn check_env(&mut self, name: &str, verb: &str) {
        const BYPASS: &[&str] = &[
            "HUSKY",
            "HUSKY_SKIP_HOOKS",
            "LEFTHOOK",
            "LEFTHOOK_EXCLUDE",
            "SKIP",
            "PRE_COMMIT_ALLOW_NO_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT",
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM",
            "GIT_CONFIG_NOSYSTEM",
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_COMMON_DIR",
            "GIT_INDEX_FILE",
            "GIT_EXEC_PATH",
            "GIT_TEMPLATE_DIR",
            "GIT_OBJECT_DIRECTORY",
        ];
        let upper = name.to_ascii_uppercase();
        if BYPASS.contains(&upper.as_str())
            || upper.starts_with("GITHEAD_")
            || upper.starts_with("GIT_CONFIG_KEY_")
            || upper.starts_with("GIT_CONFIG_VALUE_")
        {
            self.deny_command(
                format!("{verb} `{name}`, which turns hooks off or redirects git"),
                rule::BYPASS,
                "commit normally and let the hooks run; if a hook is wrong, say so",
            );
        }
        if self
            .session
            .agent_env
            .iter()
            .any(|a| a.eq_ignore_ascii_case(name))
            || self.session.agent_type_env.eq_ignore_ascii_case(name)
        {
            self.deny_command(
                format!("{verb} `{name}`, which identifies agent commits"),
                rule::BYPASS,
                "leave the agent's environment as Claude Code set it",
            );
        }
    }

    fn shell_program(
        &mut self,
        name: &str,
        command: &SimpleCommand,
        rest: &[Word],
        previous: Option<&SimpleCommand>,
        depth: usize,
    ) {
        if let Some(script) = inline_argument(rest, &["-c"]) {
            self.script(&script, depth + 1);
            return;
        }
        for body in &command.heredocs {
            self.script(body, depth + 1);
        }
        let file = if name == "source" || name == "." {
            rest.first()
        } else {
            rest.iter()
                .find(|w| !w.text.starts_with('-') && !w.text.starts_with('+'))
        };
        if let Some(file) = file {
            self.run_file(file, depth, "sh");
            return;
        }
        if let Some(input) = command.redirects.iter().find(|r| r.op == "<") {
            self.run_file(&input.target, depth, "sh");
            return;
        }
        if command.heredocs.is_empty() && command.piped {
            self.piped_code(name, previous, depth, true);
        }
    }

    /// Code a shell or interpreter reads from the previous command of a pipe.
    fn piped_code(
        &mut self,
        name: &str,
        previous: Option<&SimpleCommand>,
        depth: usize,
        shell: bool,
    ) {
        let text = previous.and_then(|p| {
            let words = self.command_words(p);
            let producer = words.first().map(|w| program(&w.text)).unwrap_or_default();
            match producer.as_str() {
                "echo" | "printf" => self.output_of(p, &words),
                "cat" if words.len() == 2 => self.file_text(&words[1]),
                _ => None,
            }
        });
        match text {
            Some(code) if shell => self.script(&code, depth + 1),
            Some(code) => self.inline_code(name, &code),
            None => self.opaque(
                &format!("`{name}` runs code it reads from a pipe, which the guard cannot read"),
                "run the commands directly instead of piping them into an interpreter",
            ),
        }
    }

    /// The text of a file a command refers to: written earlier in this call, or on disk.
    fn file_text(&self, word: &Word) -> Option<String> {
        let value = self.first_value(word)?;
        let path = paths::resolve(&self.cwd, Path::new(&value));
        if let Some(content) = self.written.get(&path) {
            return content.clone();
        }
        let metadata = std::fs::metadata(&path).ok()?;
        if metadata.len() > MAX_SCRIPT {
            return None;
        }
        std::fs::read_to_string(&path).ok()
    }

    /// Runs a script file: read and checked when possible, denied when written blind.
    fn run_file(&mut self, word: &Word, depth: usize, kind: &str) {
        let value = self.first_value(word);
        let path = value
            .as_deref()
            .map(|v| paths::resolve(&self.cwd, Path::new(v)));
        let written = path.as_ref().and_then(|p| self.written.get(p).cloned());
        match (written, path) {
            (Some(Some(content)), _) => self.script_or_code(kind, &content, depth),
            (Some(None), _) | (None, None) => self.opaque(
                &format!(
                    "runs `{}`, a script whose text the guard cannot read",
                    word.text
                ),
                "write scripts with the Write tool first, then run them in a separate call",
            ),
            (None, Some(path)) => {
                if let Some(content) = std::fs::metadata(&path)
                    .ok()
                    .filter(|m| m.is_file() && m.len() <= MAX_SCRIPT)
                    .and_then(|_| std::fs::read_to_string(&path).ok())
                {
                    let first = content.lines().next().unwrap_or_default();
                    let shellish = !first.starts_with("#!")
                        || ["sh", "bash", "zsh", "dash"]
                            .iter()
                            .any(|s| first.ends_with(s));
                    if shellish && kind == "sh" {
                        self.script(&content, depth + 1);
                    }
                }
            }
        }
    }

    fn script_or_code(&mut self, kind: &str, content: &str, depth: usize) {
        if kind == "sh" {
            self.script(content, depth + 1);
        } else {
            self.inline_code(kind, content);
        }
    }

    fn interpreter(
        &mut self,
        name: &str,
        command: &SimpleCommand,
        rest: &[Word],
        previous: Option<&SimpleCommand>,
        depth: usize,
    ) {
        let code = inline_argument(
            rest,
            &[
                "-c",
                "-e",
                "-E",
                "-r",
                "--eval",
                "--command",
                "-pe",
                "-ne",
                "-pie",
                "-Command",
                "-p",
            ],
        );
        if let Some(code) = &code {
            self.inline_code(name, code);
        } else if let Some(body) = command.heredocs.first() {
            self.inline_code(name, body);
        } else if let Some(file) = rest
            .iter()
            .find(|w| !w.text.starts_with('-'))
            .filter(|w| !matches!(w.text.as_str(), "manage.py"))
        {
            // A script written earlier in this call is read; others are the sandbox's job.
            if let Some(path) = self
                .first_value(file)
                .map(|v| paths::resolve(&self.cwd, Path::new(&v)))
            {
                match self.written.get(&path).cloned() {
                    Some(Some(content)) => self.inline_code(name, &content),
                    Some(None) => self.opaque(
                        &format!("runs `{}`, a script written in this call whose text the guard cannot read", file.text),
                        "write scripts with the Write tool first, then run them in a separate call",
                    ),
                    None => {}
                }
            }
        } else if command.piped && rest.iter().all(|w| w.text.starts_with('-')) {
            self.piped_code(name, previous, depth, false);
        }
        if matches!(name, "perl" | "ruby") && in_place(rest) {
            let skip = usize::from(!has_flag_prefix(rest, &["-e", "-pe", "-ne", "-pie"]));
            for file in positional(rest).into_iter().skip(skip) {
                self.write_word(file, Op::Modify, &format!("{name} -i"));
            }
        }
    }

    pub(crate) fn inline_code(&mut self, interpreter: &str, code: &str) {
        if let Some(fragment) = crate::claude::guarded_fragment(&self.session, code) {
            self.deny_command(
                format!("`{interpreter}` code that mentions `{fragment}`"),
                rule::CODE,
                &self.session.message.clone(),
            );
            return;
        }
        const OPAQUE: &[&str] = &[
            "exec(",
            "eval(",
            "system(",
            "subprocess",
            "popen",
            "spawn",
            "child_process",
            "chr(",
            "fromcharcode",
            "base64",
            "b64decode",
            "decode(",
            "__import__",
            "getattr(",
            "compile(",
            "execsync",
            "shell_exec",
            "bytes.fromhex",
            "codecs",
            "rot13",
            "`",
        ];
        let lower = code.to_lowercase();
        if let Some(token) = OPAQUE.iter().find(|t| lower.contains(*t)) {
            self.deny_command(
                format!("`{interpreter}` code that builds or runs commands (`{token}`), which the guard cannot read"),
                rule::UNSURE,
                "write files with the Write/Edit tools, or run the commands directly",
            );
            return;
        }
        // A literal path was checked above; a path the code computes
        // (`'mig' + 'rations'`, a join, a glob, a directory walk) is not
        // readable here, so code that changes files through one is denied.
        let mutation = MUTATING_CODE
            .iter()
            .find(|t| lower.contains(*t))
            .map(|t| t.to_string())
            .or_else(|| write_mode(&lower));
        if let (Some(mutation), Some(computed)) =
            (mutation, COMPUTED_PATH.iter().find(|t| lower.contains(*t)))
        {
            self.deny_command(
                format!("`{interpreter}` code that changes files (`{mutation}`) at a path it computes (`{computed}`), which the guard cannot read"),
                rule::UNSURE,
                "write files with the Write/Edit tools, or name each path literally",
            );
        }
    }

    /// `cp`, `mv`, `ln`, `install`, `rsync`: sources and the destination.
    fn copy_like(&mut self, name: &str, rest: &[Word]) {
        let values_taking = [
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "-m",
            "--mode",
            "-o",
            "--owner",
            "-g",
            "--group",
            "-e",
            "--rsh",
            "--exclude",
            "--include",
            "--filter",
            "-f",
            "--backup-dir",
            "--reflink",
            "--sparse",
            "--preserve",
            "--no-preserve",
        ];
        let target = option_value(rest, &["-t", "--target-directory"]);
        let files = operands(rest, &values_taking);
        let (sources, dest): (Vec<&Word>, Option<Word>) = match target {
            Some(t) => (files, Some(t)),
            None => match files.split_last() {
                Some((last, sources)) => (sources.to_vec(), Some((*last).clone())),
                None => (Vec::new(), None),
            },
        };
        let symbolic = name == "ln"
            && rest.iter().any(|w| {
                w.text == "--symbolic" || short_flags(&w.text).is_some_and(|f| f.contains('s'))
            });
        let hard = matches!(name, "link")
            || (name == "ln" && !symbolic)
            || (name == "cp"
                && rest.iter().any(|w| {
                    w.text == "--link" || short_flags(&w.text).is_some_and(|f| f.contains('l'))
                }));
        if hard {
            // A hard link to a guarded file lets its bytes be changed under another name.
            for source in &sources {
                if let Some(values) = self.values(source) {
                    for value in values {
                        let resolved = paths::resolve(&self.cwd, Path::new(&value));
                        if self.is_guarded_target(&resolved) {
                            self.deny(
                                value.clone(),
                                crate::violation::Change::WriteAttempt {
                                    tool: format!("{name} (hard link)"),
                                },
                                rule::HARD_LINK,
                                false,
                            );
                        }
                    }
                }
            }
        }
        if name == "mv" {
            for source in &sources {
                self.write_word(source, Op::Delete, "mv");
            }
        }
        if name == "rsync" && rest.iter().any(|w| w.text.starts_with("--remove-source")) {
            for source in &sources {
                self.write_word(source, Op::Delete, "rsync --remove-source-files");
            }
        }
        let Some(dest) = dest else { return };
        let op = if matches!(name, "ln" | "link") {
            Op::Link
        } else {
            Op::Create
        };
        // Into an existing folder: the new entry is DEST/<name of the source>.
        let Some(dest_values) = self.values(&dest) else {
            self.write_word(&dest, op, name);
            return;
        };
        for value in dest_values {
            let resolved = paths::resolve(&self.cwd, Path::new(&value));
            let into_dir = resolved.is_dir()
                && !(op == Op::Link
                    && std::fs::symlink_metadata(&resolved).is_ok_and(|m| m.is_symlink()));
            if into_dir && !sources.is_empty() && name != "rsync" {
                for source in &sources {
                    match self.values(source) {
                        Some(names) => {
                            for source_name in names {
                                let base = Path::new(source_name.trim_end_matches('/'))
                                    .file_name()
                                    .map(|n| n.to_os_string())
                                    .unwrap_or_default();
                                self.write(&resolved.join(base), op, name);
                            }
                        }
                        None => self.write(&resolved, Op::Modify, name),
                    }
                }
            } else if into_dir {
                self.write(&resolved, Op::Modify, name);
            } else {
                self.write(Path::new(&value), op, name);
            }
        }
    }

    fn archive(&mut self, name: &str, rest: &[Word]) {
        let flags: String = rest
            .iter()
            .take(1)
            .filter(|w| !w.text.starts_with("--"))
            .map(|w| w.text.trim_start_matches('-').to_string())
            .chain(
                rest.iter()
                    .filter_map(|w| short_flags(&w.text).map(str::to_string)),
            )
            .collect();
        let extracting = match name {
            "unzip" | "cpio" => true,
            "7z" | "7za" => rest
                .first()
                .is_some_and(|w| matches!(w.text.as_str(), "x" | "e")),
            "ar" | "jar" => flags.contains('x'),
            _ => {
                flags.contains('x')
                    || rest
                        .iter()
                        .any(|w| matches!(w.text.as_str(), "--extract" | "--get"))
            }
        };
        let dir = option_value(rest, &["-C", "--directory", "-d"]).or_else(|| {
            rest.iter()
                .find_map(|w| w.strip_prefix("-o"))
                .filter(|_| name.starts_with('7'))
        });
        if extracting {
            match dir {
                Some(dir) => self.write_word(&dir, Op::Modify, &format!("{name} (extract)")),
                None => {
                    let cwd = self.cwd.clone();
                    if self.cwd_unknown {
                        self.unsure("extracts an archive into a folder known only at run time");
                    } else {
                        self.write(&cwd, Op::Modify, &format!("{name} (extract)"));
                    }
                }
            }
        } else if name.contains("tar") || name == "zip" {
            if let Some(file) = option_value(rest, &["-f", "--file"]) {
                self.write_word(&file, Op::Create, name);
            }
            // `tar --remove-files -cf x.tar dir`: the archived files are deleted.
            if rest.iter().any(|w| w.text == "--remove-files") {
                let archive = option_value(rest, &["-f", "--file"]).map(|w| w.text);
                for file in operands(rest, &["-f", "--file", "-C", "--directory", "-T", "-X"]) {
                    // `tar cf x.tar dir`: the first word may be the mode, without a dash.
                    let mode_word = rest.first().is_some_and(|first| std::ptr::eq(first, file))
                        && file.text.chars().all(|c| "crtuxzjJvfpaWkOSB".contains(c));
                    if Some(&file.text) != archive.as_ref() && !mode_word {
                        self.write_word(file, Op::Delete, "tar --remove-files");
                    }
                }
            }
        }
    }

    fn download(&mut self, name: &str, rest: &[Word]) {
        if let Some(out) = option_value(rest, &["-o", "--output", "-O", "--output-document"])
            .filter(|_| {
                name != "curl"
                    || !rest.iter().any(|w| {
                        w.text == "-O" && option_value(rest, &["-o", "--output"]).is_none()
                    })
            })
        {
            self.write_word(&out, Op::Create, &format!("{name} -o"));
        }
        let remote_name = (name == "curl"
            && rest.iter().any(|w| {
                w.text == "-O"
                    || w.text == "--remote-name"
                    || short_flags(&w.text).is_some_and(|f| f.contains('O'))
            }))
            || (name == "wget" && option_value(rest, &["-O", "--output-document"]).is_none());
        if remote_name {
            // The file name comes from the URL: the target folder decides.
            let dir = option_value(rest, &["-P", "--directory-prefix", "--output-dir"]);
            match dir {
                Some(dir) => self.write_word(&dir, Op::Modify, &format!("{name} (download)")),
                None => {
                    let cwd = self.cwd.clone();
                    let rel = self.cwd_guarded(&cwd);
                    if rel {
                        self.write(&cwd, Op::Modify, &format!("{name} (download)"));
                    }
                }
            }
        }
    }

    /// Whether the folder itself is guarded (a download into it names a new file there).
    fn cwd_guarded(&mut self, dir: &Path) -> bool {
        self.is_guarded_target(&dir.join("downloaded-file"))
    }

    /// `patch` and `git apply`: the files named inside the patch.
    fn patch_command(
        &mut self,
        rest: &[Word],
        command: &SimpleCommand,
        previous: Option<&SimpleCommand>,
        tool: &str,
    ) {
        if tool == "patch" {
            if let Some(out) = option_value(rest, &["-o", "--output"]) {
                self.write_word(&out, Op::Create, "patch -o");
            }
            if let Some(dir) = option_value(rest, &["-d", "--directory"]) {
                if let Some(dir) = self.first_value(&dir) {
                    self.cwd = paths::resolve(&self.cwd, Path::new(&dir));
                }
            }
        }
        let strip = rest.iter().find_map(|w| {
            w.text
                .strip_prefix("-p")
                .and_then(|n| n.parse::<usize>().ok())
        });
        let mut texts = Vec::new();
        let mut unreadable = false;
        let patch_files: Vec<Word> = match tool {
            "patch" => {
                let mut files = Vec::new();
                if let Some(input) = option_value(rest, &["-i", "--input"]) {
                    files.push(input);
                }
                // `patch FILE [PATCHFILE]`: FILE is the file to change.
                let operands = operands(
                    rest,
                    &[
                        "-p",
                        "-i",
                        "--input",
                        "-o",
                        "--output",
                        "-d",
                        "--directory",
                        "-F",
                        "-z",
                        "-B",
                        "-V",
                        "-D",
                        "-r",
                    ],
                );
                if let Some(target) = operands.first() {
                    self.write_word(target, Op::Modify, "patch");
                }
                if let Some(patch) = operands.get(1) {
                    files.push((*patch).clone());
                }
                files
            }
            _ => operands(
                rest,
                &[
                    "-p",
                    "--directory",
                    "--exclude",
                    "--include",
                    "-C",
                    "--whitespace",
                    "--build-fake-ancestor",
                ],
            )
            .into_iter()
            .cloned()
            .collect(),
        };
        for file in &patch_files {
            match self.file_text(file) {
                Some(text) => texts.push(text),
                None => unreadable = true,
            }
        }
        for redirect in command.redirects.iter().filter(|r| r.op == "<") {
            match self.file_text(&redirect.target) {
                Some(text) => texts.push(text),
                None => unreadable = true,
            }
        }
        texts.extend(command.heredocs.iter().cloned());
        if texts.is_empty() && patch_files.is_empty() {
            if let Some(previous) = previous {
                let words = self.command_words(previous);
                match self.output_of(previous, &words) {
                    Some(text) => texts.push(text),
                    None => unreadable = true,
                }
            } else if tool != "patch" || operands(rest, &["-p", "-i", "-o", "-d"]).is_empty() {
                unreadable = true;
            }
        }
        if unreadable {
            self.opaque(
                &format!("`{tool}` applies a patch the guard cannot read, so it cannot tell which files change"),
                "apply changes with the Edit tool, or save the patch to a file first",
            );
        }
        for text in texts {
            for line in text.lines() {
                let Some(target) = line
                    .strip_prefix("+++ ")
                    .or_else(|| line.strip_prefix("--- "))
                    .or_else(|| line.strip_prefix("diff --git "))
                    .or_else(|| line.strip_prefix("rename to "))
                    .or_else(|| line.strip_prefix("rename from "))
                else {
                    continue;
                };
                for target in target.split_whitespace().take(2) {
                    if target == "/dev/null" {
                        continue;
                    }
                    let target = target.split('\t').next().unwrap_or(target);
                    let parts: Vec<&str> = target.split('/').collect();
                    let strips: Vec<usize> = match strip {
                        Some(n) => vec![n],
                        None if tool == "patch" => vec![0, 1],
                        None => vec![1, 0],
                    };
                    for n in strips {
                        if n < parts.len() {
                            let path = parts[n..].join("/");
                            self.write(Path::new(&path), Op::Modify, tool);
                        }
                    }
                }
            }
        }
    }

    fn find(&mut self, name: &str, rest: &[Word], depth: usize) {
        let destructive_flags = [
            "-delete",
            "-exec",
            "-execdir",
            "-ok",
            "-okdir",
            "-fprint",
            "-fprintf",
            "-fls",
            "-fprint0",
            "-x",
            "--exec",
            "-X",
            "--exec-batch",
        ];
        let destructive = rest
            .iter()
            .any(|w| destructive_flags.contains(&w.text.as_str()));
        if !destructive {
            return;
        }
        let starts: Vec<&Word> = if name == "find" {
            rest.iter()
                .take_while(|w| {
                    !w.text.starts_with('-') && !w.text.starts_with('(') && w.text != "!"
                })
                .collect()
        } else {
            // fd PATTERN [PATH...]
            positional(rest)
                .into_iter()
                .skip(1)
                .take_while(|w| !w.text.starts_with('-'))
                .collect()
        };
        let tool = format!("{name} -delete/-exec");
        // The folders it walks, when known.
        let mut dirs = Vec::new();
        let mut unknown = self.cwd_unknown && starts.is_empty();
        if starts.is_empty() && !self.cwd_unknown {
            dirs.push(self.cwd.clone());
        }
        for start in &starts {
            match self.values(start) {
                Some(values) if !self.cwd_unknown || values.iter().all(|v| v.starts_with('/')) => {
                    dirs.extend(
                        values
                            .iter()
                            .map(|v| paths::resolve(&self.cwd, Path::new(v))),
                    );
                }
                _ => unknown = true,
            }
        }
        // `find . -name '*.pyc' -delete`: with a plain name filter, only matching entries
        // are touched, so only a guarded entry that matches counts.
        let filter = if name == "find" {
            find_name_filter(rest)
        } else {
            None
        };
        let found = match (&filter, unknown) {
            (Some(patterns), false) => {
                let mut hit = None;
                for dir in &dirs {
                    hit = self.find_guarded(dir, patterns);
                    if hit.is_some() {
                        break;
                    }
                }
                Some(hit)
            }
            _ => None,
        };
        // Commands `-exec` runs are read too, on what it finds.
        if let Some(at) = rest.iter().position(|w| {
            w.text.starts_with("-exec")
                || w.text.starts_with("-ok")
                || w.text == "-x"
                || w.text == "--exec"
        }) {
            let inner: Vec<String> = rest[at + 1..]
                .iter()
                .take_while(|w| w.text != ";" && w.text != "+")
                .map(|w| {
                    if w.text == "{}" {
                        "\"$FOUND\"".to_string()
                    } else {
                        shell_quote(&w.text)
                    }
                })
                .collect();
            // What `{}` stands for: the guarded match, a harmless match, or unknown.
            let value = match &found {
                Some(Some((path, _))) => {
                    Some(vec![self.project_dir.join(path).display().to_string()])
                }
                Some(None) => dirs
                    .first()
                    .map(|d| vec![d.join("scaffold-guard-found.tmp").display().to_string()]),
                None => None,
            };
            let saved = self.vars.insert("FOUND".into(), value);
            self.script(&inner.join(" "), depth + 1);
            match saved {
                Some(value) => self.vars.insert("FOUND".into(), value),
                None => self.vars.remove("FOUND"),
            };
        }
        match found {
            Some(Some((path, rule))) => self.deny(
                path,
                crate::violation::Change::WriteAttempt { tool },
                &rule,
                false,
            ),
            Some(None) => {}
            None if unknown => self.unsure(&format!(
                "`{name}` deletes or runs commands in a folder known only at run time"
            )),
            None => {
                for dir in dirs {
                    self.write(&dir, Op::Delete, &tool);
                }
            }
        }
    }

    /// The first guarded entry under `dir` (itself included) whose name matches
    /// every pattern (`(pattern, ignore case)`), breadth first and bounded.
    fn find_guarded(
        &mut self,
        dir: &Path,
        patterns: &[(String, bool)],
    ) -> Option<(String, String)> {
        let matches = |name: &str| {
            patterns.iter().all(|(pattern, icase)| {
                if *icase {
                    wildcard(&pattern.to_lowercase(), &name.to_lowercase())
                } else {
                    wildcard(pattern, name)
                }
            })
        };
        let mut queue = std::collections::VecDeque::from([dir.to_path_buf()]);
        let mut seen = 0usize;
        let mut first = true;
        while let Some(path) = queue.pop_front() {
            seen += 1;
            if seen > 100_000 {
                return Some((dir.display().to_string(), rule::UNSURE.to_string()));
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
            if (first || !name.is_empty()) && matches(&name) {
                // A matching folder goes whole (`-exec rm -rf {}`); a file is itself.
                let before = self.violations_len();
                self.shallow = !is_dir;
                self.write(&path, Op::Delete, "probe");
                self.shallow = false;
                if let Some(violation) = self.take_violations_from(before) {
                    return Some(violation);
                }
            }
            first = false;
            if is_dir && name != ".git" && !crate::sandbox::SKIPPED.contains(&name.as_str())
                || path == dir
            {
                if let Ok(entries) = std::fs::read_dir(&path) {
                    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
                    entries.sort();
                    queue.extend(entries);
                }
            }
        }
        None
    }

    /// Only the parts of a command that do not depend on files: runners and git bypasses.
    pub(crate) fn runner_and_git_only(&mut self, command: &SimpleCommand) {
        let texts: Vec<String> = command.words.iter().map(|w| w.text.clone()).collect();
        if let Some(runner) =
            runners::migration_runner(&texts, &runners::Feeds::default(), &mut |file| {
                self.is_protected_file(file)
            })
        {
            if !self.session.may_run_migrations(self.agent_type.as_deref()) {
                self.deny_command(
                    format!("runs migrations (`{runner}`)"),
                    rule::RUNNER,
                    "migrations are applied by the data engineer's pipeline, never by an agent",
                );
            }
        }
        if texts.first().is_some_and(|t| program(t) == "git") {
            self.git(&command.words[1..], command, 0);
        }
    }

    fn git(&mut self, args: &[Word], command: &SimpleCommand, depth: usize) {
        for (name, _) in std::mem::take(&mut self.git_env) {
            self.deny_command(
                format!("runs git with `{name}` changed, which can point git at other configuration or hooks"),
                rule::BYPASS,
                "run git with the environment Claude Code set",
            );
        }
        let mut i = 0;
        let mut repo_dir: Option<PathBuf> = None;
        // Global options come before the subcommand.
        while let Some(word) = args.get(i) {
            let text = word.text.as_str();
            match text {
                "-c" => {
                    if let Some(setting) = args.get(i + 1) {
                        self.git_setting(&setting.text, depth);
                    }
                    i += 2;
                }
                "-C" => {
                    if let Some(dir) = args.get(i + 1).and_then(|d| self.first_value(d)) {
                        self.cwd = paths::resolve(&self.cwd, Path::new(&dir));
                    }
                    i += 2;
                }
                _ if text.starts_with("--config-env") || text.starts_with("--exec-path=") => {
                    self.deny_command(
                        format!("runs git with `{text}`, which can switch hooks off"),
                        rule::BYPASS,
                        "commit normally and let the hooks run",
                    );
                    i += 1;
                }
                _ if text.starts_with("--git-dir") || text.starts_with("--work-tree") => {
                    if let Some(dir) = text
                        .split_once('=')
                        .map(|(_, d)| d.to_string())
                        .or_else(|| args.get(i + 1).map(|w| w.text.clone()))
                    {
                        repo_dir = Some(paths::resolve(&self.cwd, Path::new(&dir)));
                    }
                    self.deny_command(
                        "runs git on another git folder or work tree (`--git-dir`/`--work-tree`)"
                            .into(),
                        rule::BYPASS,
                        "run git inside the repository, without --git-dir or --work-tree",
                    );
                    i += if text.contains('=') { 1 } else { 2 };
                }
                _ if text.starts_with('-') => i += 1,
                _ => break,
            }
        }
        let _ = repo_dir;
        let Some(sub_word) = args.get(i) else { return };
        let rest = &args[i + 1..];
        let sub = sub_word.text.to_lowercase();
        // An alias from the repository's or the user's configuration.
        if let Some(alias) = self.git_alias(&sub) {
            match alias.strip_prefix('!') {
                Some(shell) => self.script(shell, depth + 1),
                None => {
                    let expanded = format!(
                        "git {alias} {}",
                        rest.iter()
                            .map(|w| shell_quote(&w.text))
                            .collect::<Vec<_>>()
                            .join(" ")
                    );
                    self.script(&expanded, depth + 1);
                }
            }
            return;
        }
        let abbreviation_of = |word: &str, full: &str, min: usize| {
            let word = word.split('=').next().unwrap_or(word);
            word.len() >= min && full.starts_with(word)
        };
        // `--no-veri` is `--no-verify` to git (unique abbreviations are accepted).
        let long_no_verify = |rest: &[Word]| {
            rest.iter()
                .any(|w| abbreviation_of(&w.text, "--no-verify", 8))
        };
        match sub.as_str() {
            "commit" if long_no_verify(rest) || commit_short_n(rest) => {
                self.deny_command(
                    "commits with --no-verify (-n), skipping the hooks".into(),
                    rule::BYPASS,
                    "commit without --no-verify; if a hook blocks you, fix what it reports",
                );
            }
            "push" | "merge" | "rebase" | "cherry-pick" | "revert" | "pull" | "am" | "switch"
            | "checkout" => {
                if long_no_verify(rest) {
                    self.deny_command(
                        format!("runs `git {sub} --no-verify`, skipping the hooks"),
                        rule::BYPASS,
                        "run it without --no-verify",
                    );
                }
                if sub == "rebase" || sub == "pull" {
                    for (k, word) in rest.iter().enumerate() {
                        let inline = word.text.strip_prefix("--exec=");
                        let command = if let Some(inline) = inline {
                            Some(inline.to_string())
                        } else if matches!(word.text.as_str(), "-x" | "--exec")
                            || abbreviation_of(&word.text, "--exec", 4)
                        {
                            rest.get(k + 1).map(|w| w.text.clone())
                        } else {
                            None
                        };
                        if let Some(command) = command {
                            self.script(&command, depth + 1);
                        }
                    }
                }
                if matches!(sub.as_str(), "checkout" | "switch") {
                    self.git_paths(&sub, rest);
                }
            }
            "config" => self.git_config(rest, depth),
            "update-index" => {
                if rest.iter().any(|w| {
                    matches!(
                        w.text.as_str(),
                        "--skip-worktree"
                            | "--assume-unchanged"
                            | "--chmod=+x"
                            | "--chmod=-x"
                            | "--cacheinfo"
                            | "--index-info"
                    )
                }) {
                    self.deny_command(
                        "changes the index behind git's back (`update-index`)".into(),
                        rule::BYPASS,
                        "use `git add`/`git rm`, so the hooks see every change",
                    );
                }
                for file in positional(rest) {
                    self.write_word(file, Op::Modify, "git update-index");
                }
            }
            "commit-tree" | "update-ref" | "replace" | "filter-branch" | "filter-repo"
            | "fast-import" | "symbolic-ref" | "read-tree" | "hash-object" | "mktree" => {
                if sub == "hash-object" && !rest.iter().any(|w| w.text == "-w") {
                    return;
                }
                self.deny_command(
                    format!(
                        "runs `git {sub}`, which writes history or the index without the hooks"
                    ),
                    rule::BYPASS,
                    "use `git commit`",
                );
            }
            "rm" => {
                for file in operands(rest, &["--pathspec-from-file"]) {
                    self.write_word(file, Op::Delete, "git rm");
                }
            }
            "mv" => {
                let files = positional(rest);
                if let Some((dest, sources)) = files.split_last() {
                    for &source in sources {
                        self.write_word(source, Op::Delete, "git mv");
                    }
                    self.write_word(dest, Op::Create, "git mv");
                }
            }
            "restore" => self.git_paths(&sub, rest),
            "reset" => {
                if rest
                    .iter()
                    .any(|w| matches!(w.text.as_str(), "--hard" | "--merge" | "--keep"))
                {
                    let revision = positional(rest).into_iter().find(|w| w.text != "--");
                    if revision.is_some_and(|r| !r.text.eq_ignore_ascii_case("head")) {
                        let root = self.project_dir.clone();
                        self.write(&root, Op::Modify, "git reset --hard <commit>");
                    }
                } else {
                    self.git_paths(&sub, rest);
                }
            }
            "clean" => {
                let forced = rest.iter().any(|w| {
                    w.text == "--force" || short_flags(&w.text).is_some_and(|f| f.contains('f'))
                });
                if forced {
                    let dirs = operands(rest, &["-e", "--exclude"]);
                    if dirs.is_empty() {
                        let cwd = self.cwd.clone();
                        self.write(&cwd, Op::Delete, "git clean");
                    }
                    for dir in dirs {
                        self.write_word(dir, Op::Delete, "git clean");
                    }
                }
            }
            // `git stash push -- migrations`: the named paths go back to HEAD.
            "stash" => {
                let args = match rest.first().map(|w| w.text.as_str()) {
                    Some("push" | "save") => &rest[1..],
                    Some("--") => rest,
                    _ => &[][..],
                };
                for path in operands(args, &["-m", "--message", "--pathspec-from-file"]) {
                    self.write_word(path, Op::Modify, "git stash");
                }
            }
            "lfs"
                if rest.first().is_some_and(|w| {
                    matches!(w.text.as_str(), "track" | "untrack" | "migrate")
                }) =>
            {
                // Tracking rewrites .gitattributes; `lfs migrate` rewrites history.
                let attributes = self.project_dir.join(".gitattributes");
                self.write(&attributes, Op::Modify, "git lfs");
            }
            "apply" => self.patch_command(rest, command, None, "git apply"),
            "init" => {
                let dir = operands(
                    rest,
                    &[
                        "--template",
                        "--separate-git-dir",
                        "-b",
                        "--initial-branch",
                        "--object-format",
                    ],
                )
                .first()
                .and_then(|w| self.first_value(w))
                .unwrap_or_else(|| ".".into());
                let target = Path::new(&dir).join(".git");
                self.write(&target, Op::Create, "git init");
            }
            "bisect" if rest.first().is_some_and(|w| w.text == "run") => {
                let joined: Vec<String> = rest[1..].iter().map(|w| shell_quote(&w.text)).collect();
                self.script(&joined.join(" "), depth + 1);
            }
            "submodule" if rest.iter().any(|w| w.text == "foreach") => {
                if let Some(command) = rest.iter().skip_while(|w| w.text != "foreach").nth(1) {
                    // It runs in every submodule's folder: relative paths are unknown.
                    let saved = self.cwd_unknown;
                    self.cwd_unknown = true;
                    self.script(&command.text, depth + 1);
                    self.cwd_unknown = saved;
                }
            }
            // A new repository, submodule or worktree is a folder of new files.
            "clone" => self.git_new_folder("clone", rest, 1),
            "submodule" if rest.first().is_some_and(|w| w.text == "add") => {
                self.git_new_folder("submodule add", &rest[1..], 1);
            }
            "worktree" if rest.first().is_some_and(|w| w.text == "add") => {
                self.git_new_folder("worktree add", &rest[1..], 0);
            }
            "worktree" | "archive" | "format-patch" | "bundle" => {
                if let Some(out) = option_value(rest, &["-o", "--output", "--output-directory"]) {
                    self.write_word(&out, Op::Create, &format!("git {sub}"));
                }
            }
            _ => {}
        }
    }

    /// The folder `git clone URL [DIR]`, `git submodule add URL [PATH]` or
    /// `git worktree add PATH` creates: the operand at `index`, or (after a
    /// URL) the URL's last segment without `.git`, as git names it.
    fn git_new_folder(&mut self, what: &str, rest: &[Word], index: usize) {
        const TAKES_VALUE: &[&str] = &[
            "-b",
            "-B",
            "--branch",
            "-o",
            "--origin",
            "--depth",
            "-c",
            "--config",
            "--reference",
            "--reference-if-able",
            "--separate-git-dir",
            "-u",
            "--upload-pack",
            "--template",
            "-j",
            "--jobs",
            "--filter",
            "--shallow-since",
            "--shallow-exclude",
            "--bundle-uri",
            "--server-option",
            "--name",
            "--reason",
            "--lock",
        ];
        let operands = operands(rest, TAKES_VALUE);
        if let Some(folder) = operands.get(index) {
            self.write_word(folder, Op::Create, &format!("git {what}"));
            return;
        }
        let Some(url) = operands.first().and_then(|w| self.first_value(w)) else {
            return;
        };
        let name = url
            .trim_end_matches('/')
            .rsplit(['/', ':'])
            .next()
            .unwrap_or_default()
            .trim_end_matches(".git")
            .to_string();
        if !name.is_empty() {
            let target = paths::resolve(&self.cwd, Path::new(&name));
            self.write(&target, Op::Create, &format!("git {what}"));
        }
    }

    /// `git checkout -- path`, `git restore path`: paths after `--`, or operands that exist.
    fn git_paths(&mut self, sub: &str, rest: &[Word]) {
        let files: Vec<&Word> = match rest.iter().position(|w| w.text == "--") {
            Some(dash) => rest[dash + 1..].iter().collect(),
            None => positional(rest)
                .into_iter()
                .filter(|w| {
                    self.first_value(w).is_some_and(|v| {
                        paths::resolve(&self.cwd, Path::new(&v)).exists() || has_glob(&v)
                    })
                })
                .collect(),
        };
        for file in files {
            self.write_word(file, Op::Modify, &format!("git {sub}"));
        }
    }

    /// A `-c key=value` or `git config key value` setting.
    fn git_setting(&mut self, setting: &str, depth: usize) {
        let (key, value) = setting.split_once('=').unwrap_or((setting, ""));
        let key = key.to_lowercase();
        if key == "core.hookspath" {
            self.deny_command(
                "points git at another hooks folder (`core.hooksPath`)".into(),
                rule::BYPASS,
                "commit normally and let the hooks run",
            );
            return;
        }
        let runs_commands = key.starts_with("alias.")
            || key.starts_with("include")
            || key.starts_with("filter.")
            || key.ends_with(".textconv")
            || key.ends_with(".command")
            || (key.starts_with("merge.") && key.ends_with(".driver"))
            || matches!(
                key.as_str(),
                "core.fsmonitor"
                    | "core.editor"
                    | "core.sshcommand"
                    | "core.gitproxy"
                    | "core.askpass"
                    | "core.worktree"
                    | "core.bare"
                    | "sequence.editor"
                    | "diff.external"
                    | "credential.helper"
                    | "gpg.program"
                    | "gpg.ssh.program"
                    | "uploadpack.packobjectshook"
                    | "core.pager"
                    | "pager.log"
                    | "pager.diff"
                    | "pager.show"
                    | "interactive.difffilter"
                    | "diff.tool"
                    | "merge.tool"
                    | "core.alternaterefscommand"
                    | "core.repositoryformatversion"
                    | "extensions.worktreeconfig"
            );
        let harmless_pager = key.starts_with("pager.") || key == "core.pager";
        if runs_commands
            && !(harmless_pager && matches!(value, "" | "cat" | "less" | "false" | "true"))
        {
            if let Some(shell) = value.strip_prefix('!') {
                self.script(shell, depth + 1);
            }
            self.deny_command(
                format!(
                    "sets git's `{key}`, which makes git run commands or read other configuration"
                ),
                rule::GIT_INDIRECTION,
                "run the git command you mean directly, without aliases or command settings",
            );
        }
    }

    fn git_config(&mut self, rest: &[Word], depth: usize) {
        let reading = rest.iter().any(|w| {
            matches!(
                w.text.as_str(),
                "--get"
                    | "--get-all"
                    | "--get-regexp"
                    | "--list"
                    | "-l"
                    | "get"
                    | "list"
                    | "--show-origin"
                    | "--unset"
                    | "--unset-all"
                    | "unset"
            )
        });
        if let Some(file) = option_value(rest, &["-f", "--file"]) {
            self.write_word(&file, Op::Modify, "git config --file");
        }
        let operands: Vec<&Word> = operands(
            rest,
            &["-f", "--file", "--type", "--default", "--comment", "--blob"],
        )
        .into_iter()
        .filter(|w| !matches!(w.text.as_str(), "set" | "add"))
        .collect();
        if reading {
            return;
        }
        if let Some(key) = operands.first() {
            let value = operands.get(1).map(|w| w.text.clone()).unwrap_or_default();
            self.git_setting(&format!("{}={value}", key.text), depth);
        }
    }

    /// The alias `name` in the repository's or the user's git configuration.
    fn git_alias(&self, name: &str) -> Option<String> {
        let mut files = vec![self.project_dir.join(".git/config")];
        if let Some(root) = paths::repository_root(&self.cwd) {
            files.insert(0, root.join(".git/config"));
        }
        if let Some(home) = &self.home {
            files.push(home.join(".gitconfig"));
            files.push(home.join(".config/git/config"));
        }
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let mut in_alias = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with('[') {
                    in_alias = line.to_lowercase().starts_with("[alias");
                } else if in_alias {
                    if let Some((key, value)) = line.split_once('=') {
                        if key.trim().eq_ignore_ascii_case(name) {
                            return Some(value.trim().trim_matches('"').to_string());
                        }
                    }
                }
            }
        }
        None
    }
}

/// `/usr/bin/python3.11` -> `python3`: the program name as the guard's tables spell it.
pub(crate) fn program(word: &str) -> String {
    let base = word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base).to_string();
    match base.strip_prefix("python") {
        Some(version)
            if version.chars().all(|c| c.is_ascii_digit() || c == '.') && !version.is_empty() =>
        {
            "python3".into()
        }
        _ => base,
    }
}

/// The `-name`/`-iname` patterns of a `find` expression that is a plain
/// conjunction; `None` when it has alternatives, negations or path tests the
/// guard does not evaluate. An empty list matches everything.
fn find_name_filter(rest: &[Word]) -> Option<Vec<(String, bool)>> {
    let complex = [
        "-o",
        "-or",
        "-not",
        "!",
        "(",
        ")",
        ",",
        "-path",
        "-wholename",
        "-ipath",
        "-iwholename",
        "-regex",
        "-iregex",
        "-lname",
        "-ilname",
        "-samefile",
        "-inum",
        "-links",
        "-prune",
        "-L",
        "-follow",
        "-H",
    ];
    let mut patterns = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        if complex.contains(&word.text.as_str()) {
            return None;
        }
        if matches!(word.text.as_str(), "-name" | "-iname") {
            let pattern = words.next()?;
            patterns.push((pattern.text.clone(), word.text == "-iname"));
        }
        if word.text.starts_with("-exec") || word.text.starts_with("-ok") {
            break;
        }
    }
    Some(patterns)
}

fn has_glob(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
        } else if c == '\u{1}' {
            escaped = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

fn unescape(pattern: &str) -> String {
    pattern.replace('\u{1}', "")
}

/// Matches one path segment against a glob segment (`*`, `?`, `[...]`, escapes).
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, len)) = class(&p[pi..], n[ni]) {
                        if matched {
                            pi += len;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                '\u{1}' if pi + 1 < p.len() && p[pi + 1] == n[ni] => {
                    pi += 2;
                    ni += 1;
                    continue;
                }
                c if c != '\u{1}' && c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `[a-z]`, `[!x]`: whether `c` matches, and the class's length in the pattern.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(1), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

pub(crate) fn short_flags(word: &str) -> Option<&str> {
    word.strip_prefix('-')
        .filter(|flags| !flags.starts_with('-') && !flags.is_empty())
}

/// `git commit` short options: `-n` anywhere in a cluster, values of `-m`, `-uno`, ... skipped.
fn commit_short_n(args: &[Word]) -> bool {
    let mut skip = false;
    for word in args {
        if skip {
            skip = false;
            continue;
        }
        if word.text == "--" {
            return false;
        }
        let Some(flags) = short_flags(&word.text) else {
            if matches!(
                word.text.as_str(),
                "--message"
                    | "--file"
                    | "--reuse-message"
                    | "--reedit-message"
                    | "--template"
                    | "--author"
                    | "--date"
                    | "--fixup"
                    | "--squash"
                    | "--trailer"
                    | "--cleanup"
            ) {
                skip = true;
            }
            continue;
        };
        for (i, c) in flags.char_indices() {
            match c {
                'n' => return true,
                // These take a value: the rest of the cluster, or the next word.
                'm' | 'F' | 'C' | 'c' | 't' => {
                    skip = i + 1 == flags.len();
                    break;
                }
                // Optional values, attached only: `-uno`, `-Skeyid`.
                'u' | 'S' => break,
                _ => {}
            }
        }
    }
    false
}

pub(crate) fn has_flag(args: &[Word], flags: &[&str]) -> bool {
    args.iter().any(|w| flags.contains(&w.text.as_str()))
}

fn has_flag_prefix(args: &[Word], flags: &[&str]) -> bool {
    args.iter().any(|w| {
        flags
            .iter()
            .any(|f| w.text == *f || (w.text.starts_with(f) && !f.starts_with("--")))
    })
}

/// `-i`, `-i.bak`, `-pi`, `--in-place`.
fn in_place(args: &[Word]) -> bool {
    args.iter().any(|w| {
        w.text.starts_with("--in-place")
            || short_flags(&w.text).is_some_and(|f| f.contains('i') && !f.contains('='))
    })
}

/// Arguments that are not options (after `--`, everything is an argument).
pub(crate) fn positional(args: &[Word]) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut only_args = false;
    for word in args {
        if !only_args && word.text == "--" {
            only_args = true;
        } else if only_args || !word.text.starts_with('-') || word.text == "-" {
            out.push(word);
        }
    }
    out
}

/// Operands, skipping the values of options that take one.
fn operands<'w>(args: &'w [Word], takes_value: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut only_args = false;
    let mut skip = false;
    for word in args {
        if skip {
            skip = false;
            continue;
        }
        if only_args {
            out.push(word);
        } else if word.text == "--" {
            only_args = true;
        } else if word.text.starts_with('-') && word.text != "-" {
            skip = takes_value.contains(&word.text.as_str());
        } else {
            out.push(word);
        }
    }
    out
}

/// The value of an option: `-o FILE`, `-oFILE`, `--output FILE`, `--output=FILE`.
fn option_value(args: &[Word], names: &[&str]) -> Option<Word> {
    for (i, word) in args.iter().enumerate() {
        for name in names {
            if word.text == *name {
                return args.get(i + 1).cloned();
            }
            if name.starts_with("--") {
                if let Some(value) = word.strip_prefix(&format!("{name}=")) {
                    return Some(value);
                }
            } else if word.text.len() > name.len() && word.text.starts_with(name) && name.len() == 2
            {
                return word.strip_prefix(name);
            }
        }
    }
    None
}

/// What inline code (Python, Node, Ruby, Perl, PHP) calls to change files
/// (lowercased): deleting, renaming, writing, linking, changing modes.
const MUTATING_CODE: &[&str] = &[
    "os.remove",
    "os.unlink",
    ".unlink(",
    "os.rename",
    "os.replace",
    ".rename(",
    "os.rmdir",
    ".rmdir(",
    "rmtree",
    "shutil.",
    "os.truncate",
    "os.chmod",
    ".chmod(",
    "os.symlink",
    "symlink_to",
    "hardlink_to",
    ".write_text(",
    ".write_bytes(",
    "os.open(",
    "mode=",
    "fs.write",
    "fs.append",
    "fs.rm",
    "fs.unlink",
    "fs.rename",
    "fs.truncate",
    "fs.copy",
    "fs.cp",
    "fs.symlink",
    "fs.chmod",
    "writefilesync",
    "unlinksync",
    "rmsync",
    "renamesync",
    "file.delete",
    "file.write",
    "file.rename",
    "fileutils",
    "unlink ",
    "unlink(",
    "rename ",
    "file_put_contents",
];

/// A file opened for writing (`open(p, 'w')`, `File.open(p, "a")`): the mode
/// as written, when the code has one.
fn write_mode(lower: &str) -> Option<String> {
    const MODES: &[&str] = &[
        "w", "wb", "wt", "w+", "a", "ab", "at", "a+", "x", "xb", "r+", "rb+",
    ];
    // Each argument after a comma that is a quoted string: is it a mode?
    lower.match_indices(',').find_map(|(at, _)| {
        let rest = lower[at + 1..].trim_start();
        let quote = rest.chars().next().filter(|q| matches!(q, '\'' | '"'))?;
        let inner = rest[1..].split(quote).next()?;
        MODES
            .contains(&inner)
            .then(|| format!("{quote}{inner}{quote}"))
    })
}

/// Signs that code computes a path rather than naming it (lowercased).
const COMPUTED_PATH: &[&str] = &[
    "' +",
    "'+",
    "+ '",
    "+'",
    "\" +",
    "\"+",
    "+ \"",
    "+\"",
    "' '",
    "\" \"",
    "''",
    "\"\"",
    "join(",
    "format(",
    "f'",
    "f\"",
    "%s",
    "${",
    "walk(",
    "glob",
    "listdir",
    "scandir",
    "iterdir",
    "readdir",
    "dir[",
    "dir.",
    "find.",
    "chdir",
    "environ",
    "argv",
    "input(",
    "getcwd",
    "cwd(",
    "resolve(",
    "__dirname",
    "[::-1]",
    "reverse",
    "lower(",
    "upper(",
    "replace(",
    "concat",
    "+=",
];

/// The argument of the first of `flags` (`bash -c SCRIPT`, `python -c CODE`, `-lc SCRIPT`).
fn inline_argument(args: &[Word], flags: &[&str]) -> Option<String> {
    for (i, word) in args.iter().enumerate() {
        let text = word.text.as_str();
        let clustered = short_flags(text)
            .is_some_and(|f| f.len() > 1 && f.ends_with('c') && flags.contains(&"-c"));
        if flags.contains(&text) || clustered {
            return args.get(i + 1).map(|w| w.text.clone());
        }
        if let Some(code) = text
            .strip_prefix("--eval=")
            .or_else(|| text.strip_prefix("--command="))
        {
            return Some(code.to_string());
        }
    }
    None
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Variables the guard tracks during one call.
pub(crate) type Vars = HashMap<String, Option<Vec<String>>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_the_shell() {
        assert!(wildcard("migra*", "migrations"));
        assert!(wildcard("*.sql", "0001_init.sql"));
        assert!(!wildcard("*.sql", "0001_init.rs"));
        assert!(wildcard("m?grations", "migrations"));
        assert!(wildcard("[lm]igrations", "migrations"));
        assert!(!wildcard("[!m]igrations", "migrations"));
        assert!(!wildcard("\u{1}*", "x"));
        assert!(wildcard("\u{1}*", "*"));
    }

    #[test]
    fn commit_flags_with_values_are_not_no_verify() {
        let words = |list: &[&str]| list.iter().map(|w| Word::plain(w)).collect::<Vec<_>>();
        assert!(commit_short_n(&words(&["-anm", "x"])));
        assert!(commit_short_n(&words(&["-n"])));
        assert!(!commit_short_n(&words(&["-uno"])));
        assert!(!commit_short_n(&words(&["-m", "-n"])));
        assert!(!commit_short_n(&words(&["-amn"])));
        assert!(!commit_short_n(&words(&["--message", "-n"])));
    }
}
