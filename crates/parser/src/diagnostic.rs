//! Problems found in specs, with a stable code, a location and a hint.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::{Source, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// An inference made while reading a wild form (`read \`String (UUID)\` as \`uuid\``):
    /// never a problem, always visible.
    Note,
}

/// One problem. `code` is stable: tools and docs refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub hint: Option<String>,
    /// Other places that explain the problem (the first definition of a duplicate, ...).
    pub related: Vec<(Span, String)>,
    /// A machine-applicable fix: the canonical text that replaces `span`
    /// (`scaffold lint --fix` applies them; `--format json` carries them).
    pub replacement: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: String::new(),
            hint: None,
            related: Vec::new(),
            replacement: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, span, message)
        }
    }

    pub fn note(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(code, span, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn replacement(mut self, text: impl Into<String>) -> Self {
        self.replacement = Some(text.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` of the primary span.
    pub fn location(&self, sources: &[Source]) -> String {
        let source = &sources[self.span.file];
        let pos = source.line_col(self.span.start);
        format!("{}:{}:{}", source.path, pos.line, pos.col)
    }

    /// rustc-style text: header, snippet with the span underlined, hint.
    pub fn render(&self, sources: &[Source], color: bool) -> String {
        let source = &sources[self.span.file];
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let mut snippet = Snippet::source(source.text.as_str())
            .path(source.path.as_str())
            .annotation(
                AnnotationKind::Primary
                    .span(self.span.start..self.span.end)
                    .label(self.label.as_str()),
            );
        for (span, label) in self
            .related
            .iter()
            .filter(|(s, _)| s.file == self.span.file)
        {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(span.start..span.end)
                    .label(label.as_str()),
            );
        }
        let mut group = level
            .primary_title(self.message.as_str())
            .id(self.code)
            .element(snippet);
        for (span, label) in self
            .related
            .iter()
            .filter(|(s, _)| s.file != self.span.file)
        {
            let other = &sources[span.file];
            group = group.element(
                Snippet::source(other.text.as_str())
                    .path(other.path.as_str())
                    .annotation(
                        AnnotationKind::Context
                            .span(span.start..span.end)
                            .label(label.as_str()),
                    ),
            );
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let report: &[Group<'_>] = &[group];
        renderer.render(report)
    }

    /// One JSON object (a line of `--format json`).
    pub fn to_json(&self, sources: &[Source]) -> serde_json::Value {
        let source = &sources[self.span.file];
        let start = source.line_col(self.span.start);
        let end = source.line_col(self.span.end);
        let related: Vec<_> = self
            .related
            .iter()
            .map(|(span, label)| {
                let other = &sources[span.file];
                let pos = other.line_col(span.start);
                serde_json::json!({"file": other.path, "line": pos.line, "col": pos.col, "label": label})
            })
            .collect();
        serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "file": source.path,
            "line": start.line,
            "col": start.col,
            "end_line": end.line,
            "end_col": end.col,
            "label": self.label,
            "hint": self.hint,
            "related": related,
            "fix": self.replacement.as_ref().map(|text| serde_json::json!({
                "replacement": text,
                "line": start.line,
                "col": start.col,
                "end_line": end.line,
                "end_col": end.col,
                "applicability": "machine-applicable",
            })),
        })
    }
}

/// Renders every diagnostic, then a one-line summary.
pub fn render_all(diagnostics: &[Diagnostic], sources: &[Source], color: bool) -> String {
    let mut out = String::new();
    // Notes can be hundreds: index each file's lines once for their locations.
    let mut lines: Vec<Option<crate::source::LineIndex>> =
        (0..sources.len()).map(|_| None).collect();
    for diagnostic in diagnostics {
        if diagnostic.severity == Severity::Note {
            let source = &sources[diagnostic.span.file];
            let index = lines[diagnostic.span.file]
                .get_or_insert_with(|| crate::source::LineIndex::new(&source.text));
            let at = index.line_col(&source.text, diagnostic.span.start);
            // Notes say what was inferred, where: two lines each, no snippet,
            // so a real feature's dozens of them stay readable (and cheap).
            out.push_str(&format!(
                "note[{}]: {}\n  --> {}:{}:{}\n",
                diagnostic.code, diagnostic.message, source.path, at.line, at.col
            ));
            if let Some(hint) = &diagnostic.hint {
                out.push_str(&format!("  = help: {hint}\n"));
            }
            continue;
        }
        out.push_str(&diagnostic.render(sources, color));
        out.push_str("\n\n");
    }
    let count = |severity: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Note), "note"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| plural(n, word))
    .collect();
    let summary = (!parts.is_empty()).then(|| parts.join(", "));
    if let Some(summary) = summary {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}
