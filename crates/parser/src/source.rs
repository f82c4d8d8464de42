//! Source files handed to the parser and byte spans into them.

use serde::Serialize;

/// One Markdown file: its path as the user should see it, and its text.
///
/// The parser never reads the file system: callers load files and pass them in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The folder part of the path (`specs/ORD-1` for `specs/ORD-1/spec.md`).
    pub fn dir(&self) -> &str {
        match self.path.rfind(['/', '\\']) {
            Some(i) => &self.path[..i],
            None => "",
        }
    }

    /// The feature folder: `specs/001-x` for `specs/001-x/spec.md` and for
    /// `specs/001-x/contracts/api.yaml` (the files of one feature share it).
    pub fn feature_dir(&self) -> &str {
        let dir = self.dir();
        match dir.rsplit_once(['/', '\\']) {
            Some((parent, "contracts")) => parent,
            None if dir == "contracts" => "",
            _ => dir,
        }
    }

    /// The file name part of the path.
    pub fn file_name(&self) -> &str {
        match self.path.rfind(['/', '\\']) {
            Some(i) => &self.path[i + 1..],
            None => &self.path,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        LineCol { line, col }
    }
}

/// Line and column lookups over one text, without rescanning it per lookup.
#[derive(Debug)]
pub(crate) struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// The same answer as [`Source::line_col`].
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        LineCol {
            line,
            col: text[line_start..offset].chars().count() + 1,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A 1-based position for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// A byte range in one of the sources passed to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: usize,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: usize, start: usize, end: usize) -> Self {
        Self {
            file,
            start,
            end: end.max(start),
        }
    }
}
