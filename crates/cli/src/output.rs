//! Everything scaffold prints goes through here: one style, colour only when wanted.

use std::io::{IsTerminal as _, Write};

/// Writes results to stdout and problems to stderr.
pub struct Printer {
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    color: bool,
}

impl std::fmt::Debug for Printer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Printer")
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}

impl Printer {
    /// stdout and stderr; colour when stderr is a terminal and NO_COLOR is unset.
    pub fn stdio() -> Self {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Self {
            out: Box::new(std::io::stdout()),
            err: Box::new(std::io::stderr()),
            color,
        }
    }

    /// Any writers, without colour (for embedding and tests).
    pub fn new(out: Box<dyn Write>, err: Box<dyn Write>) -> Self {
        Self {
            out,
            err,
            color: false,
        }
    }

    pub fn color(&self) -> bool {
        self.color
    }

    pub fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    pub fn raw(&mut self, text: &str) {
        let _ = write!(self.out, "{text}");
    }

    pub fn stderr(&mut self, text: &str) {
        let _ = write!(self.err, "{text}");
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn error(&mut self, message: &str, hint: Option<&str>) {
        let label = self.paint("1;31", "error");
        let _ = writeln!(self.err, "{label}: {message}");
        if let Some(hint) = hint {
            let label = self.paint("1;36", "hint");
            let _ = writeln!(self.err, "{label}: {hint}");
        }
    }

    pub fn warning(&mut self, message: &str) {
        let label = self.paint("1;33", "warning");
        let _ = writeln!(self.err, "{label}: {message}");
    }

    /// `      create  backend/orders/models.rs`, the way Rails prints it.
    pub fn status(&mut self, status: &str, path: &str) {
        let code = match status {
            "create" => "32",
            "update" | "merge" => "33",
            "conflict" => "31",
            "remove" => "35",
            _ => "2",
        };
        let padded = format!("{status:>12}");
        let label = self.paint(code, &padded);
        let _ = writeln!(self.out, "{label}  {path}");
    }
}
