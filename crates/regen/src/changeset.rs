//! The plan of a run: what each rendered file does to the disk, decided in memory.
//!
//! Generated files are rewritten when pristine (their hash matches the
//! manifest) and are conflicts when edited. Owned files are the user's: a spec
//! change reaches them through a three-way merge of the last generated text
//! (the base), the file on disk, and the new generated text.

use serde::Serialize;

use crate::Ownership;
use crate::manifest::{self, Entry};

/// What a run does to one file, in the words Rails users know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file does not exist yet.
    Create,
    /// The file already has this text: nothing to write.
    Identical,
    /// The file was pristine (or `--force`): replaced by the new text.
    Update,
    /// The file was edited; the spec's changes merged cleanly into the edits.
    Merge,
    /// The file was edited where the spec's changes go: not written (or written
    /// with conflict markers under `--merge=markers`).
    Conflict,
    /// Left alone on purpose: an owned file the spec change does not touch, or one the user deleted.
    Skip,
    /// Deleted: generated for a domain that is gone, and still pristine.
    Remove,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Create => "create",
            Status::Identical => "identical",
            Status::Update => "update",
            Status::Merge => "merge",
            Status::Conflict => "conflict",
            Status::Skip => "skip",
            Status::Remove => "remove",
        }
    }
}

/// How to treat files people changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanOptions {
    /// Overwrite every differing file with the new text.
    pub force: bool,
    /// Write conflicting merges with `<<<<<<<`/`=======`/`>>>>>>>` markers instead of refusing.
    pub markers: bool,
}

/// One planned change, with paths relative to the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub status: Status,
    /// What is on disk now.
    pub old: Option<String>,
    /// What the run writes (`None`: nothing to write).
    pub new: Option<String>,
    /// What the templates produced (`\n` line endings): recorded in the manifest.
    pub generated: Option<String>,
    pub template: String,
    pub ownership: Ownership,
    pub domain: Option<String>,
    /// The raw template output's hash, recorded in the manifest.
    pub raw_hash: Option<String>,
    /// For owned files: the last generated text, the base of the merge.
    pub base: Option<String>,
    /// Why, when the status needs explaining.
    pub note: Option<String>,
    /// The hash of the generated text's fingerprint, recorded in the manifest.
    pub code_hash: Option<String>,
}

/// A file's code with its layout left out (see `Entry::code_sha256`): equal
/// fingerprints mean a formatter, not a person, made the difference.
pub type Fingerprint = fn(&str) -> String;

/// A rendered file and what the disk and the manifest know about it.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub path: String,
    pub template: String,
    pub ownership: Ownership,
    pub domain: Option<String>,
    pub generated: String,
    pub raw_hash: Option<String>,
    pub existing: Option<String>,
    pub entry: Option<&'a Entry>,
    /// The last generated text of an owned file (`.scaffold/base`).
    pub base: Option<String>,
    /// The file's language fingerprint, if it has one.
    pub fingerprint: Option<Fingerprint>,
}

impl Change {
    /// A plain create/identical/conflict plan, for files without manifest history.
    pub fn simple(path: String, template: String, existing: Option<String>, new: String) -> Self {
        plan(
            Input {
                path,
                template,
                ownership: Ownership::Generated,
                domain: None,
                generated: new,
                raw_hash: None,
                existing,
                entry: None,
                base: None,
                fingerprint: None,
            },
            PlanOptions::default(),
        )
    }

    /// A unified diff from the file on disk to what would be written.
    pub fn diff(&self) -> String {
        let (Some(new), old) = (&self.new, &self.old) else {
            return match (&self.old, self.status) {
                (Some(old), Status::Remove) => similar::TextDiff::from_lines(old.as_str(), "")
                    .unified_diff()
                    .header(&format!("a/{}", self.path), "/dev/null")
                    .to_string(),
                _ => String::new(),
            };
        };
        let from = if old.is_some() {
            format!("a/{}", self.path)
        } else {
            "/dev/null".to_string()
        };
        similar::TextDiff::from_lines(old.as_deref().unwrap_or(""), new.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{}", self.path))
            .to_string()
    }

    /// For a refused conflict: what the spec changes in an owned file (last generated
    /// text to new), or what an edited generated file would lose (disk to new).
    pub fn conflict_diff(&self) -> String {
        let Some(generated) = &self.generated else {
            return String::new();
        };
        let (from, label) = match (&self.base, &self.old) {
            (Some(base), _) if self.ownership == Ownership::Owned => (base, "last generated"),
            (_, Some(old)) => (old, "yours"),
            _ => return String::new(),
        };
        similar::TextDiff::from_lines(manifest::normalize_eol(from).as_ref(), generated.as_str())
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("a/{} ({label})", self.path),
                &format!("b/{} (from the specs)", self.path),
            )
            .to_string()
    }

    /// Whether applying the plan writes this file.
    pub fn writes(&self) -> bool {
        self.new.is_some()
            && matches!(
                self.status,
                Status::Create | Status::Update | Status::Merge | Status::Conflict
            )
    }
}

/// Decides what happens to one rendered file.
pub fn plan(input: Input<'_>, options: PlanOptions) -> Change {
    let generated = input.generated;
    let mut change = Change {
        path: input.path,
        status: Status::Identical,
        old: input.existing.clone(),
        new: None,
        generated: Some(generated.clone()),
        template: input.template,
        ownership: input.ownership,
        domain: input.domain,
        raw_hash: input.raw_hash,
        base: input.base.clone(),
        note: None,
        code_hash: input.fingerprint.map(|fingerprint| {
            // Fingerprinting lexes the whole file: reuse the manifest's when the text is the same.
            input
                .entry
                .filter(|e| e.sha256 == manifest::hash(&generated))
                .and_then(|e| e.code_sha256.clone())
                .unwrap_or_else(|| manifest::hash(&fingerprint(&generated)))
        }),
    };
    let Some(disk) = input.existing else {
        if input.ownership == Ownership::Owned && input.entry.is_some() && !options.force {
            change.status = Status::Skip;
            change.note = Some("deleted by you; not recreated (use --force to recreate)".into());
        } else {
            change.status = Status::Create;
            change.new = Some(generated);
        }
        return change;
    };
    let crlf = manifest::uses_crlf(&disk);
    let disk_lf = manifest::normalize_eol(&disk).into_owned();
    if disk_lf == generated {
        return change;
    }
    let disk_code = input
        .fingerprint
        .map(|fingerprint| manifest::hash(&fingerprint(&disk_lf)));
    if disk_code.is_some() && disk_code == change.code_hash {
        // Same code, other layout (the host's formatter ran): nothing to write,
        // and rewriting would only undo the formatting.
        change.note = Some("formatted differently, same code: left as it is".into());
        return change;
    }
    let pristine = input.entry.is_some_and(|e| {
        e.sha256 == manifest::hash(&disk_lf) || (disk_code.is_some() && e.code_sha256 == disk_code)
    });
    if options.force || pristine {
        change.status = Status::Update;
        change.new = Some(manifest::with_eol(&generated, crlf));
        return change;
    }
    match (input.ownership, input.base) {
        (Ownership::Generated, _) => {
            change.status = Status::Conflict;
            change.note = Some(if input.entry.is_some() {
                "edited by hand, but scaffold owns this file: move the change into the spec or a template".into()
            } else {
                "exists, and the manifest does not list it: scaffold cannot tell whether it was edited".into()
            });
        }
        (Ownership::Owned, None) => {
            change.status = Status::Conflict;
            change.note =
                Some("edited, and no base to merge from (.scaffold/base is missing)".into());
        }
        (Ownership::Owned, Some(base)) => {
            let base = manifest::normalize_eol(&base).into_owned();
            if base == generated {
                // The spec change does not touch this file: the edits stay as they are.
                change.status = Status::Skip;
                change.note = Some("edited by you; the spec change does not touch it".into());
                return change;
            }
            let merged = diffy::MergeOptions::new()
                .set_conflict_style(diffy::ConflictStyle::Merge)
                .merge(&base, &disk_lf, &generated);
            match merged {
                Ok(text) => {
                    change.status = Status::Merge;
                    change.new = Some(manifest::with_eol(&text, crlf));
                }
                Err(text) => {
                    change.status = Status::Conflict;
                    change.note =
                        Some("your edits and the spec change touch the same lines".into());
                    if options.markers {
                        change.new = Some(manifest::with_eol(&text, crlf));
                    }
                }
            }
        }
    }
    change
}

/// A file the manifest lists that the specs no longer generate.
pub fn plan_removal(entry: &Entry, existing: Option<String>) -> Change {
    let mut change = Change {
        path: entry.path.clone(),
        status: Status::Remove,
        old: existing.clone(),
        new: None,
        generated: None,
        template: entry.template.clone(),
        ownership: entry.ownership,
        domain: entry.domain.clone(),
        raw_hash: None,
        base: None,
        note: None,
        code_hash: None,
    };
    match existing {
        None => change.status = Status::Skip,
        Some(text) if manifest::hash(&text) != entry.sha256 => {
            change.status = Status::Skip;
            change.note =
                Some("edited by you: kept; delete it yourself when you no longer need it".into());
        }
        Some(_) => {}
    }
    change
}

/// Whether text still has unresolved merge conflict markers.
pub fn has_conflict_markers(text: &str) -> bool {
    let mut open = false;
    for line in text.lines() {
        if line.starts_with("<<<<<<< ") || line == "<<<<<<<" {
            open = true;
        } else if open && (line.starts_with(">>>>>>> ") || line == ">>>>>>>") {
            return true;
        }
    }
    false
}

/// Counts of each status, for the closing summary line.
pub fn summary(changes: &[Change]) -> String {
    let mut parts = Vec::new();
    for status in [
        Status::Create,
        Status::Update,
        Status::Merge,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn owned<'a>(
        generated: &str,
        existing: Option<&str>,
        base: Option<&str>,
        entry: Option<&'a Entry>,
    ) -> Input<'a> {
        Input {
            path: "backend/x/service.rs".into(),
            template: "t".into(),
            ownership: Ownership::Owned,
            domain: None,
            generated: generated.into(),
            raw_hash: None,
            existing: existing.map(str::to_string),
            entry,
            base: base.map(str::to_string),
            fingerprint: None,
        }
    }

    fn no_whitespace(text: &str) -> String {
        text.split_whitespace().collect()
    }

    fn reformatted<'a>(generated: &str, disk: &str, entry: Option<&'a Entry>) -> Input<'a> {
        Input {
            ownership: Ownership::Generated,
            fingerprint: Some(no_whitespace),
            ..owned(generated, Some(disk), None, entry)
        }
    }

    #[test]
    fn a_reformatted_generated_file_is_not_an_edit() {
        let generated = "fn a() { b(); }\n";
        let mut e = entry(generated);
        e.code_sha256 = Some(manifest::hash(&no_whitespace(generated)));
        let disk = "fn a() {\n    b();\n}\n";
        let same = plan(
            reformatted(generated, disk, Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(same.status, Status::Identical);
        assert_eq!(same.new, None, "the host's formatting is kept");
        let changed_spec = "fn a() { c(); }\n";
        let update = plan(
            reformatted(changed_spec, disk, Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(update.status, Status::Update);
        let edited = "fn a() {\n    b();\n    mine();\n}\n";
        let conflict = plan(
            reformatted(changed_spec, edited, Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(conflict.status, Status::Conflict);
    }

    fn entry(text: &str) -> Entry {
        Entry {
            path: "backend/x/service.rs".into(),
            pack: "p".into(),
            template: "t".into(),
            ownership: Ownership::Owned,
            domain: None,
            sha256: manifest::hash(text),
            raw_sha256: None,
            code_sha256: None,
        }
    }

    #[test]
    fn merges_spec_changes_into_edited_owned_files() {
        let base = "fn a() {}\n\nfn b() {}\n";
        let e = entry(base);
        let edited = "fn a() { work(); }\n\nfn b() {}\n";
        let generated = "fn a() {}\n\nfn b() {}\n\nfn c() {}\n";
        let change = plan(
            owned(generated, Some(edited), Some(base), Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(change.status, Status::Merge);
        assert_eq!(
            change.new.as_deref(),
            Some("fn a() { work(); }\n\nfn b() {}\n\nfn c() {}\n")
        );

        let clash = "fn a() { other(); }\n\nfn b() {}\n";
        let generated = "fn a(x: u8) {}\n\nfn b() {}\n";
        let refused = plan(
            owned(generated, Some(clash), Some(base), Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(
            (refused.status, refused.new.is_none()),
            (Status::Conflict, true)
        );
        let marked = plan(
            owned(generated, Some(clash), Some(base), Some(&e)),
            PlanOptions {
                markers: true,
                force: false,
            },
        );
        assert!(
            marked.new.as_deref().is_some_and(has_conflict_markers),
            "{marked:?}"
        );
    }

    #[test]
    fn keeps_crlf_and_respects_pristine_files() {
        let base = "a\nb\n";
        let e = entry(base);
        let pristine_crlf = plan(
            owned("a\nb\nc\n", Some("a\r\nb\r\n"), Some(base), Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(
            (pristine_crlf.status, pristine_crlf.new.as_deref()),
            (Status::Update, Some("a\r\nb\r\nc\r\n"))
        );
        let edited_crlf = plan(
            owned("a\nb\nc\n", Some("z\r\na\r\nb\r\n"), Some(base), Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(
            (edited_crlf.status, edited_crlf.new.as_deref()),
            (Status::Merge, Some("z\r\na\r\nb\r\nc\r\n"))
        );
        let untouched = plan(
            owned(base, Some("edited\n"), Some(base), Some(&e)),
            PlanOptions::default(),
        );
        assert_eq!(untouched.status, Status::Skip);
    }
}
