//! A YAML or JSON document as a small tree whose every node knows its byte
//! range in the file, so contract diagnostics point at `file:line:col`.
//!
//! saphyr parses YAML 1.2 (of which JSON is a subset) with character markers;
//! they are turned into byte offsets here once, so callers never see saphyr.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// One node and the bytes it came from.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, with its text as written (`200`, `1.5`).
    Number(f64, String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order; a key's node holds its text as a `Str`.
    Map(Vec<(Node, Node)>),
}

/// Why a document could not be read: a message and the byte offset of the problem.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub message: String,
    pub offset: usize,
}

impl Node {
    /// The member `key` of a mapping (keys compared as text).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.text().as_deref() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// A string member, or `None`.
    pub fn str(&self, key: &str) -> Option<&str> {
        match &self.get(key)?.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar as text: strings as they are, numbers as written, booleans as words.
    pub fn text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Number(_, text) => Some(text.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match &self.get(key)?.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// Parses the first document of a YAML (or JSON) text.
pub fn load(text: &str) -> Result<Option<Node>, LoadError> {
    // saphyr counts characters; spans here are bytes.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |index: usize| bytes.get(index).copied().unwrap_or(text.len());
    let docs = MarkedYaml::load_from_str(text).map_err(|e| LoadError {
        message: e.info().to_string(),
        offset: byte(e.marker().index()),
    })?;
    Ok(docs.into_iter().next().map(|doc| convert(&doc, &byte, 0)))
}

/// Deeper than any real contract; guards the stack against hostile input.
const MAX_DEPTH: usize = 128;

fn convert(node: &MarkedYaml<'_>, byte: &dyn Fn(usize) -> usize, depth: usize) -> Node {
    let start = byte(node.span.start.index());
    let end = byte(node.span.end.index()).max(start);
    let value = if depth > MAX_DEPTH {
        Value::Null
    } else {
        match &node.data {
            YamlData::Value(scalar) => scalar_value(scalar),
            YamlData::Representation(text, _, _) => Value::Str(text.to_string()),
            YamlData::Sequence(items) => Value::Seq(
                items
                    .iter()
                    .map(|item| convert(item, byte, depth + 1))
                    .collect(),
            ),
            YamlData::Mapping(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (convert(k, byte, depth + 1), convert(v, byte, depth + 1)))
                    .collect(),
            ),
            YamlData::Tagged(_, inner) => return convert(inner, byte, depth + 1),
            YamlData::Alias(_) | YamlData::BadValue => Value::Null,
        }
    };
    Node { value, start, end }
}

fn scalar_value(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number(*i as f64, i.to_string()),
        Scalar::FloatingPoint(f) => Value::Number(f.into_inner(), f.to_string()),
        Scalar::String(s) => Value::Str(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes() {
        let text = "title: «é»\npaths:\n  /a:\n    get: {}\n";
        let root = load(text).ok().flatten().expect("a document");
        let paths = root.get("paths").expect("paths");
        let (key, _) = &paths.entries()[0];
        assert_eq!(&text[key.start..key.end], "/a");
    }

    #[test]
    fn json_with_tabs_loads() {
        let text = "{\n\t\"openapi\": \"3.1.0\",\n\t\"paths\": {\"/x\": {}}\n}\n";
        let root = load(text).ok().flatten().expect("a document");
        assert_eq!(root.str("openapi"), Some("3.1.0"));
        let (key, _) = &root.get("paths").expect("paths").entries()[0];
        assert_eq!(&text[key.start..key.end], "\"/x\"");
    }

    #[test]
    fn errors_have_offsets() {
        let error = load("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(error.offset <= 14, "{error:?}");
    }
}
