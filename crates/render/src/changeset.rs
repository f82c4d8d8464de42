//! The plan of a run: what each rendered file would do to the disk, decided in memory.

use serde::Serialize;

/// What a run does to one file, in the words Rails users know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file does not exist yet.
    Create,
    /// The file already has exactly these bytes: nothing to write.
    Identical,
    /// The file differs and will be replaced.
    Update,
    /// The file differs from what would be generated and is not ours to overwrite.
    Conflict,
    /// The file is left as it is on purpose.
    Skip,
    /// The file will be deleted.
    Remove,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Create => "create",
            Status::Identical => "identical",
            Status::Update => "update",
            Status::Conflict => "conflict",
            Status::Skip => "skip",
            Status::Remove => "remove",
        }
    }

    /// Whether applying the plan writes (or deletes) this file.
    pub fn writes(self) -> bool {
        matches!(self, Status::Create | Status::Update | Status::Remove)
    }
}

/// One planned change: the path relative to the project root, old and new bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub status: Status,
    pub old: Option<String>,
    pub new: Option<String>,
    pub template: String,
}

impl Change {
    /// Plans one file: `existing` is what is on disk, `force` overwrites a differing file.
    pub fn plan(
        path: String,
        template: String,
        existing: Option<String>,
        new: String,
        force: bool,
    ) -> Self {
        let status = match &existing {
            None => Status::Create,
            Some(old) if *old == new => Status::Identical,
            Some(_) if force => Status::Update,
            Some(_) => Status::Conflict,
        };
        Change {
            path,
            status,
            old: existing,
            new: Some(new),
            template,
        }
    }

    /// A unified diff from the file on disk to what would be written.
    pub fn diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let new = self.new.as_deref().unwrap_or("");
        let (from, to) = match (&self.old, &self.new) {
            (None, _) => ("/dev/null".to_string(), format!("b/{}", self.path)),
            (_, None) => (format!("a/{}", self.path), "/dev/null".to_string()),
            _ => (format!("a/{}", self.path), format!("b/{}", self.path)),
        };
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&from, &to)
            .to_string()
    }
}

/// Counts of each status, for the closing summary line.
pub fn summary(changes: &[Change]) -> String {
    let mut parts = Vec::new();
    for status in [
        Status::Create,
        Status::Update,
        Status::Identical,
        Status::Conflict,
        Status::Skip,
        Status::Remove,
    ] {
        let count = changes.iter().filter(|c| c.status == status).count();
        if count > 0 {
            parts.push(format!("{count} {}", status.as_str()));
        }
    }
    if parts.is_empty() {
        "nothing to do".to_string()
    } else {
        parts.join(", ")
    }
}
