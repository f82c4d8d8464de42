//! MCP and unknown tools: decided by the path-like strings of their input.

use std::path::Path;

use serde_json::Value;

use super::{Checker, Op, rule};

impl<'a> Checker<'a> {
    /// MCP tools and tools the guard does not know: decided by their path-like inputs.
    pub(super) fn other_tool(&mut self, tool: &str, input: &Value) {
        let action = tool.rsplit("__").next().unwrap_or(tool).to_lowercase();
        let reads = [
            "read",
            "get",
            "list",
            "search",
            "find",
            "view",
            "show",
            "stat",
            "info",
            "describe",
            "query",
            "fetch",
            "glob",
            "grep",
            "tree",
            "directory_tree",
            "head",
            "tail",
            "count",
            "diff",
            "status",
            "log",
            "open_nodes",
            "browser_snapshot",
            "screenshot",
        ];
        let read_only = reads
            .iter()
            .any(|r| action == *r || action.starts_with(&format!("{r}_")))
            && !["write", "edit", "create", "delete", "move", "set", "apply"]
                .iter()
                .any(|w| action.contains(w));
        let mut targets = Vec::new();
        collect_paths(input, None, &mut targets, 0);
        if read_only {
            return;
        }
        // Shell-like MCP tools: their command is read like a Bash command.
        let runs = [
            "exec", "shell", "command", "terminal", "run", "bash", "process", "script",
        ]
        .iter()
        .any(|w| action.contains(w));
        let mut commands = Vec::new();
        if runs {
            for key in ["command", "cmd", "script", "commandline", "input"] {
                if let Some(command) = input.get(key).and_then(Value::as_str) {
                    commands.push(command.to_string());
                }
            }
            if let Some(args) = input.get("args").and_then(Value::as_array) {
                let joined: Vec<&str> = args.iter().filter_map(Value::as_str).collect();
                if let Some(command) = commands.first_mut() {
                    for arg in joined {
                        command.push(' ');
                        command.push_str(&shell_quote(arg));
                    }
                }
            }
        }
        for (key, target) in &targets {
            let op = match key.as_str() {
                "source" | "src" | "from" | "old_path" | "source_path" => {
                    if action.contains("copy") {
                        continue;
                    }
                    Op::Delete
                }
                _ if action.contains("delete") || action.contains("remove") => Op::Delete,
                _ if action.contains("create")
                    || action.contains("write")
                    || action.contains("move")
                    || action.contains("copy")
                    || action.contains("rename")
                    || action.contains("upload")
                    || action.contains("save") =>
                {
                    Op::Create
                }
                _ => Op::Modify,
            };
            self.write(Path::new(target), op, tool);
        }
        for command in &commands {
            self.shell(command);
        }
        if targets.is_empty()
            && commands.is_empty()
            && !self.agent_has_rights(&self.session.clone())
        {
            // Words of the tool's name (`mcp__git__git_commit`: mcp, git, commit).
            let lower = tool.to_lowercase();
            let words: Vec<&str> = lower
                .split(['_', '-', '.'])
                .filter(|w| !w.is_empty())
                .collect();
            let filesystem_like = [
                "file",
                "files",
                "fs",
                "filesystem",
                "write",
                "edit",
                "path",
                "dir",
                "directory",
                "folder",
                "disk",
                "patch",
                "mkdir",
                "move",
                "rename",
                "delete",
                "remove",
                "exec",
                "execute",
                "shell",
                "command",
                "terminal",
                "run",
                "save",
                "upload",
                "git",
                "commit",
                "checkout",
                "reset",
                "bash",
                "process",
            ]
            .iter()
            .any(|w| words.contains(w));
            if filesystem_like || !tool.starts_with("mcp__") {
                self.deny_command(
                    format!(
                        "`{tool}` may write files, and its input names no path the guard can check"
                    ),
                    rule::NO_TARGET,
                    "use Write/Edit for files, or pass the tool an explicit `path`",
                );
            }
        }
    }
}

/// Input keys that name files, in MCP tools and the like.
pub(super) const PATH_KEYS: &[&str] = &[
    "path",
    "paths",
    "file_path",
    "filepath",
    "file",
    "files",
    "filename",
    "notebook_path",
    "destination",
    "dest",
    "destination_path",
    "source",
    "src",
    "source_path",
    "target",
    "target_path",
    "new_path",
    "old_path",
    "from",
    "to",
    "dir",
    "directory",
    "folder",
    "output",
    "output_path",
    "uri",
    "root",
];

/// Every path-like string in an input object (`edits[].path` included), with its key.
pub(super) fn collect_paths(
    value: &Value,
    key: Option<&str>,
    out: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > 6 || out.len() > 200 {
        return;
    }
    match value {
        Value::String(text) => {
            if let Some(key) = key.map(str::to_lowercase) {
                if PATH_KEYS.contains(&key.as_str()) {
                    let path = text.strip_prefix("file://").unwrap_or(text);
                    if !path.contains("://") && !path.is_empty() {
                        out.push((key, path.to_string()));
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_paths(item, key, out, depth + 1);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_paths(v, Some(k), out, depth + 1);
            }
        }
        _ => {}
    }
}

pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
