//! An ordered document tree and its YAML and JSON text.
//!
//! Our own emitter, because key order is part of what a reader sees
//! (`openapi`, `info`, `paths` first, as people write them) and because the
//! output must be byte-for-byte stable; serde_json's map sorts keys, and a
//! YAML serializer would be one more dependency for a few dozen lines.

/// One node of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    Num(f64),
    Bool(bool),
    Seq(Vec<Node>),
    /// Entries in the order they are written.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn map() -> Self {
        Node::Map(Vec::new())
    }

    pub fn str(text: impl Into<String>) -> Self {
        Node::Str(text.into())
    }

    /// Adds an entry to a map (no-op on anything else); builder style.
    pub fn with(mut self, key: &str, value: Node) -> Self {
        self.insert(key, value);
        self
    }

    pub fn insert(&mut self, key: &str, value: Node) {
        if let Node::Map(entries) = self {
            entries.push((key.to_string(), value));
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Node::Seq(_) | Node::Map(_))
    }

    fn is_empty(&self) -> bool {
        match self {
            Node::Seq(items) => items.is_empty(),
            Node::Map(entries) => entries.is_empty(),
            _ => false,
        }
    }
}

/// The document as YAML (block style; lists of scalars in flow style).
pub fn yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) => yaml_entries(entries, 0, &mut out),
        other => {
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
    out
}

fn yaml_entries(entries: &[(String, Node)], indent: usize, out: &mut String) {
    for (i, (key, value)) in entries.iter().enumerate() {
        // The first entry of a map inside a list shares the line of its `- `.
        if i > 0 || indent == 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&yaml_key(key));
        out.push(':');
        yaml_value(value, indent, out);
    }
}

fn yaml_value(value: &Node, indent: usize, out: &mut String) {
    match value {
        v if v.is_scalar() => {
            out.push(' ');
            out.push_str(&yaml_scalar(v));
            out.push('\n');
        }
        Node::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Node::Seq(items) if items.iter().all(Node::is_scalar) => {
            let items: Vec<String> = items.iter().map(yaml_scalar).collect();
            out.push_str(&format!(" [{}]\n", items.join(", ")));
        }
        Node::Map(entries) => {
            out.push('\n');
            yaml_entries(entries, indent + 2, out);
        }
        Node::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent + 2));
                out.push_str("- ");
                match item {
                    Node::Map(entries) if !entries.is_empty() => {
                        yaml_entries(entries, indent + 4, out)
                    }
                    other if other.is_empty() => out.push_str(if matches!(other, Node::Map(_)) {
                        "{}\n"
                    } else {
                        "[]\n"
                    }),
                    other => {
                        // Nested lists: one level of flow style is enough for a contract.
                        out.push_str(&json(other).replace('\n', " "));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {}
    }
}

fn yaml_key(key: &str) -> String {
    if is_plain(key) && !key.chars().all(|c| c.is_ascii_digit()) {
        key.to_string()
    } else {
        json_string(key)
    }
}

fn yaml_scalar(node: &Node) -> String {
    match node {
        Node::Str(s) if is_plain(s) && !looks_like_number(s) => s.clone(),
        Node::Str(s) => json_string(s),
        Node::Num(n) => number(*n),
        Node::Bool(b) => b.to_string(),
        Node::Seq(_) | Node::Map(_) => json(node),
    }
}

/// Text YAML reads back as the same string without quotes.
fn is_plain(text: &str) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '/' || first == '$' || first == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _./{}()-$+".contains(c))
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
}

fn looks_like_number(text: &str) -> bool {
    text.parse::<f64>().is_ok()
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// The document as pretty JSON (two spaces, keys in order), with a final newline.
pub fn json(node: &Node) -> String {
    let mut out = String::new();
    json_into(node, 0, &mut out);
    out
}

/// Pretty JSON text of a document, ending with a newline, for files.
pub fn json_file(node: &Node) -> String {
    let mut out = json(node);
    out.push('\n');
    out
}

fn json_into(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Str(s) => out.push_str(&json_string(s)),
        Node::Num(n) => out.push_str(&number(*n)),
        Node::Bool(b) => out.push_str(&b.to_string()),
        Node::Seq(items) if items.is_empty() => out.push_str("[]"),
        Node::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Node::Seq(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&" ".repeat(indent + 2));
                json_into(item, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        Node::Map(entries) => {
            out.push_str("{\n");
            for (i, (key, value)) in entries.iter().enumerate() {
                out.push_str(&" ".repeat(indent + 2));
                out.push_str(&json_string(key));
                out.push_str(": ");
                json_into(value, indent + 2, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quotes_what_would_change_meaning() {
        let doc = Node::map()
            .with("openapi", Node::str("3.1.0"))
            .with("200", Node::str("yes"))
            .with("enum", Node::Seq(vec![Node::str("a"), Node::str("b: c")]))
            .with(
                "list",
                Node::Seq(vec![
                    Node::map()
                        .with("a", Node::Num(1.0))
                        .with("b", Node::Bool(true)),
                ]),
            )
            .with("empty", Node::map());
        assert_eq!(
            yaml(&doc),
            "openapi: \"3.1.0\"\n\"200\": \"yes\"\nenum: [a, \"b: c\"]\nlist:\n  - a: 1\n    b: true\nempty: {}\n"
        );
    }

    #[test]
    fn json_is_pretty_and_ordered() {
        let doc = Node::map()
            .with("b", Node::Seq(vec![Node::Num(1.5)]))
            .with("a", Node::map());
        assert_eq!(json(&doc), "{\n  \"b\": [\n    1.5\n  ],\n  \"a\": {}\n}");
    }
}
