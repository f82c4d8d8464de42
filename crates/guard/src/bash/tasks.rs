//! Task runners read as the commands they run: `npm run X` runs `scripts.X`
//! of the nearest package.json (with `preX` and `postX`), `make T` and
//! `just T` the recipe of `T` (and of what it depends on). Each is checked as
//! a script of its own, in the folder it runs in, so a task named `setup`
//! that runs `prisma migrate reset` or deletes a migration is decided like the
//! command itself; a task file written earlier in the same call cannot be read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::claude::Checker;
use crate::paths;

/// Subcommands of yarn and pnpm that are not scripts of the package.
const PACKAGE_MANAGER_COMMANDS: &[&str] = &[
    "add",
    "install",
    "i",
    "remove",
    "rm",
    "up",
    "upgrade",
    "update",
    "dlx",
    "exec",
    "create",
    "init",
    "info",
    "why",
    "list",
    "ls",
    "outdated",
    "audit",
    "config",
    "cache",
    "link",
    "unlink",
    "pack",
    "publish",
    "login",
    "logout",
    "workspace",
    "workspaces",
    "dedupe",
    "patch",
    "import",
    "store",
    "set",
    "version",
    "bin",
    "global",
    "node",
    "env",
    "help",
    "plugin",
    "constraints",
];

impl Checker<'_> {
    /// `npm run X`, `npm test`, `yarn X`, `pnpm run X`, `bun run X`; `values`
    /// are the arguments as expanded for the runner check.
    pub(super) fn package_scripts(&mut self, program: &str, values: &[String], depth: usize) {
        let positional: Vec<&str> = values
            .iter()
            .map(String::as_str)
            .filter(|v| !v.starts_with('-'))
            .collect();
        let name = match (program, positional.as_slice()) {
            (_, ["run" | "run-script" | "rum" | "urn", name, ..]) => *name,
            ("npm", ["test" | "t" | "tst", ..]) => "test",
            ("npm", [task @ ("start" | "stop" | "restart"), ..]) => task,
            ("yarn" | "pnpm", [name, ..]) if !PACKAGE_MANAGER_COMMANDS.contains(name) => name,
            _ => return,
        };
        let Some(manifest) = self.task_file_path(&self.cwd.clone(), &["package.json"], true) else {
            return;
        };
        let folder = manifest
            .parent()
            .map_or_else(|| self.cwd.clone(), Path::to_path_buf);
        let Some(text) = self.task_file(&manifest) else {
            return;
        };
        let scripts: HashMap<String, String> = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|json| json.get("scripts").cloned())
            .and_then(|scripts| serde_json::from_value(scripts).ok())
            .unwrap_or_default();
        let runs: Vec<String> = [
            format!("pre{name}"),
            name.to_string(),
            format!("post{name}"),
        ]
        .into_iter()
        .filter_map(|key| scripts.get(&key).cloned())
        .collect();
        self.run_in(&folder, &runs, depth);
    }

    /// `make [-C DIR] [-f FILE] [TARGET...]`, `just [RECIPE...]`.
    pub(super) fn recipes(&mut self, program: &str, values: &[String], depth: usize) {
        let mut folder: Option<PathBuf> = None;
        let mut file: Option<String> = None;
        let mut targets = Vec::new();
        let mut iter = values.iter();
        while let Some(value) = iter.next() {
            match value.as_str() {
                "-C" | "--directory" | "-d" | "--working-directory" => {
                    folder = iter.next().map(|d| paths::resolve(&self.cwd, Path::new(d)));
                }
                "-f" | "--file" | "--makefile" | "--justfile" => file = iter.next().cloned(),
                v if v.starts_with('-') || v.contains('=') => {}
                v => targets.push(v.to_string()),
            }
        }
        let names: &[&str] = if program == "just" {
            &["justfile", "Justfile", ".justfile"]
        } else {
            &["GNUmakefile", "makefile", "Makefile"]
        };
        let folder = folder.unwrap_or_else(|| self.cwd.clone());
        let path = match &file {
            Some(file) => Some(paths::resolve(&folder, Path::new(file))),
            // just looks up the tree for its file; make reads its folder only.
            None => self.task_file_path(&folder, names, program == "just"),
        };
        let Some(path) = path else { return };
        let Some(text) = self.task_file(&path) else {
            return;
        };
        let recipes = parse_recipes(&text, program == "just");
        if targets.is_empty() {
            targets.extend(recipes.first.clone());
        }
        let mut runs = Vec::new();
        let mut seen = Vec::new();
        while let Some(target) = targets.pop() {
            if seen.contains(&target) || seen.len() > 64 {
                continue;
            }
            if let Some(recipe) = recipes.by_target.get(&target) {
                runs.extend(recipe.lines.iter().cloned());
                targets.extend(recipe.depends.iter().cloned());
            }
            seen.push(target);
        }
        let dir = path.parent().map_or(folder, Path::to_path_buf);
        self.run_in(&dir, &runs, depth);
    }

    /// A task file's text: written earlier in this call (unreadable then: the
    /// call is denied), or on disk.
    fn task_file(&mut self, path: &Path) -> Option<String> {
        if let Some(written) = self.written.get(path).cloned() {
            if written.is_none() {
                self.opaque(
                    &format!(
                        "runs a task of `{}`, written in this call where the guard cannot read it",
                        path.display()
                    ),
                    "write task files with the Write tool first, then run them in a separate call",
                );
            }
            return written;
        }
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file() && m.len() <= super::MAX_SCRIPT)
            .and_then(|_| std::fs::read_to_string(path).ok())
    }

    /// Checks `scripts` as shell run in `folder`.
    fn run_in(&mut self, folder: &Path, scripts: &[String], depth: usize) {
        let (cwd, unknown) = (self.cwd.clone(), self.cwd_unknown);
        self.cwd = folder.to_path_buf();
        self.cwd_unknown = false;
        for script in scripts {
            self.script(script, depth + 1);
        }
        self.cwd = cwd;
        self.cwd_unknown = unknown;
    }

    /// The first of `names` in `start` (or, with `upwards`, in the nearest
    /// folder above that has one), on disk or written earlier in this call.
    fn task_file_path(&self, start: &Path, names: &[&str], upwards: bool) -> Option<PathBuf> {
        let depth = if upwards { usize::MAX } else { 1 };
        start.ancestors().take(depth).find_map(|dir| {
            names
                .iter()
                .map(|n| dir.join(n))
                .find(|path| path.is_file() || self.written.contains_key(path))
        })
    }
}

/// The recipes of a Makefile or justfile, as the shell lines they run.
#[derive(Debug, Default)]
struct Recipes {
    /// The default target: the first one (`.PHONY` and other special targets skipped).
    first: Option<String>,
    by_target: HashMap<String, Recipe>,
}

#[derive(Debug, Default, Clone)]
struct Recipe {
    depends: Vec<String>,
    lines: Vec<String>,
}

/// Reads rules (`target: deps` and the indented lines after it). Make's
/// variables become their names (`$(BUILD)/x` is `BUILD/x`: a relative path,
/// which a guarded path mentioned literally still is), `$$` is `$`; just's
/// `{{x}}` becomes `x`.
fn parse_recipes(text: &str, just: bool) -> Recipes {
    let mut recipes = Recipes::default();
    let mut current: Vec<String> = Vec::new();
    for raw in text.lines() {
        let indented = raw.starts_with('\t') || (just && raw.starts_with(' '));
        if indented {
            let line = expand_variables(raw.trim().trim_start_matches(['@', '-', '+']));
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            for target in &current {
                recipes
                    .by_target
                    .entry(target.clone())
                    .or_default()
                    .lines
                    .push(line.clone());
            }
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        current.clear();
        let Some((head, tail)) = trimmed.split_once(':') else {
            continue;
        };
        // Assignments (`X := y`, `X ?= y`) and just's settings are no rules
        // (a just recipe's parameters may hold `=`: `build target='x':`).
        if tail.starts_with('=') || (!just && head.contains('=')) || head.starts_with("set ") {
            continue;
        }
        let tail = tail.split(['#', ';']).next().unwrap_or_default();
        for target in head.split_whitespace() {
            // just: `name arg='x':` takes parameters after the name.
            let target = target.trim_start_matches('@');
            if target.starts_with('.') || target.is_empty() {
                continue;
            }
            recipes.first.get_or_insert_with(|| target.to_string());
            let recipe = recipes.by_target.entry(target.to_string()).or_default();
            recipe
                .depends
                .extend(tail.split_whitespace().map(expand_variables));
            current.push(target.to_string());
            if just {
                break;
            }
        }
    }
    recipes
}

fn expand_variables(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('$', Some('$')) => {
                chars.next();
                out.push('$');
            }
            ('$', Some(open @ ('(' | '{'))) => {
                chars.next();
                let close = if open == '(' { ')' } else { '}' };
                let name: String = chars.by_ref().take_while(|&c| c != close).collect();
                out.push_str(name.split_whitespace().last().unwrap_or_default());
            }
            ('$', Some('@' | '<' | '^' | '*' | '?')) => {
                chars.next();
                out.push_str("target");
            }
            ('{', Some('{')) => {
                chars.next();
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    if c == '}' && chars.peek() == Some(&'}') {
                        chars.next();
                        break;
                    }
                    name.push(c);
                }
                out.push_str(name.trim());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_make_and_just_recipes() {
        let make = "BUILD := out\n.PHONY: setup\nsetup: deps\n\t@echo $(BUILD)\n\t-rm -f $$HOME/x\n\ndeps:\n\tnpm ci # fetch\nall: setup\n";
        let recipes = parse_recipes(make, false);
        assert_eq!(recipes.first.as_deref(), Some("setup"));
        let setup = &recipes.by_target["setup"];
        assert_eq!(setup.depends, ["deps"]);
        assert_eq!(setup.lines, ["echo BUILD", "rm -f $HOME/x"]);
        assert_eq!(recipes.by_target["all"].depends, ["setup"]);
        let just = "set dotenv-load\n\ndefault: build\n\nbuild target='x':\n    cargo build {{target}}\n    @rm -rf {{ dir }}/migrations\n";
        let recipes = parse_recipes(just, true);
        assert_eq!(recipes.first.as_deref(), Some("default"));
        assert_eq!(
            recipes.by_target["build"].lines,
            ["cargo build target", "rm -rf dir/migrations"]
        );
    }
}
