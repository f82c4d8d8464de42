//! `cargo xtask bench`, reading part: `scaffold lint` over a 73-feature
//! spec-kit-style corpus written here (our own text, in the forms real
//! features use: numbered entity headings, `### Fields` tables with prose
//! notes, field bullets, Prisma, SQL and TypeScript fences, Key Entities).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::bench::{median, ms, time_in};

const FEATURES: usize = 73;
const NOUNS: &[&str] = &[
    "Member",
    "Book",
    "Loan",
    "Invoice",
    "Payment",
    "Customer",
    "Order",
    "Product",
    "Review",
    "Ticket",
    "Comment",
    "Project",
    "Task",
    "Label",
    "Shipment",
    "Warehouse",
    "Course",
    "Lesson",
    "Enrollment",
    "Doctor",
    "Appointment",
    "Patient",
    "Room",
    "Booking",
];

/// Writes the corpus under `dir` and prints the median lint time over it.
pub fn run(binary: &Path, dir: &Path, runs: usize) -> Result<(), String> {
    let mut files = 0;
    let mut bytes = 0;
    for feature in 0..FEATURES {
        let folder = dir.join(format!("specs/{:03}-feature-{feature}", feature + 1));
        std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
        let names: Vec<&str> = (0..3 + feature % 3)
            .map(|i| NOUNS[(feature * 5 + i * 7) % NOUNS.len()])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let spec = spec_md(feature, &names);
        let model = data_model_md(feature, &names);
        bytes += spec.len() + model.len();
        files += 2;
        std::fs::write(folder.join("spec.md"), spec).map_err(|e| e.to_string())?;
        std::fs::write(folder.join("data-model.md"), model).map_err(|e| e.to_string())?;
    }
    // `SCAFFOLD_BENCH_CORPUS=DIR` keeps a copy to profile (callgrind, perf).
    if let Some(keep) = std::env::var_os("SCAFFOLD_BENCH_CORPUS") {
        let _ = Command::new("cp").arg("-r").arg(dir).arg(&keep).status();
    }
    let lint = median(runs, || time_in(binary, dir, &["lint", "--out", "."]))?;
    println!();
    println!("scaffold lint over a spec-kit-style corpus (median of {runs} fresh processes)");
    println!(
        "  {FEATURES} features, {files} files, {} KiB      {:>8.2}ms",
        bytes / 1024,
        ms(lint)
    );
    Ok(())
}

fn spec_md(feature: usize, names: &[&str]) -> String {
    let mut out = format!(
        "# Feature Specification: Feature {feature}\n\n**Feature Branch**: `{:03}-feature-{feature}`\n**Status**: Draft\n\n## Requirements *(mandatory)*\n\n### Functional Requirements\n\n- **FR-001**: System MUST keep every record.\n\n### Key Entities *(include if feature involves data)*\n\n",
        feature + 1
    );
    for name in names {
        let _ = writeln!(
            out,
            "- **{name}**: what a {name} is, and its key attributes."
        );
    }
    out
}

fn data_model_md(feature: usize, names: &[&str]) -> String {
    let mut out =
        format!("# Data Model: Feature {feature}\n\n## Overview\n\nEntities of the feature.\n\n");
    for (i, name) in names.iter().enumerate() {
        match (feature + i) % 5 {
            0 => {
                let _ = write!(
                    out,
                    "## {n}. Entity: {name}\n\n### Fields\n\n| Field | Type | Nullable | Constraints / Notes |\n|---|---|---|---|\n| `id` | String (UUID) | No | PK, auto-generated |\n| `title` | VARCHAR(200) | No | 1-200 chars |\n| `amount` | numeric(10,2) | Yes | >= 0 |\n| `created_at` | TIMESTAMP (ISO 8601 datetime) | No | default now() |\n| `notes` | text | Yes | kept for people |\n\n### Validation Rules\n\n- Titles are trimmed.\n\n",
                    n = i + 1
                );
            }
            1 => {
                let _ = write!(
                    out,
                    "### {name} Entity\n\n**Attributes**:\n- `id`: uuid - identifier\n- `name` (string, required, max 120): display name\n- `status`: enum - lifecycle (open, closed)\n- `count`: integer\n"
                );
                if let Some(other) = names.iter().find(|n| *n != name) {
                    let _ = write!(
                        out,
                        "- `{}_id`: uuid\n\n**Relationships**:\n- Many-to-One → {other}\n",
                        other.to_ascii_lowercase()
                    );
                }
                out.push('\n');
            }
            2 => {
                let _ = write!(
                    out,
                    "## Entity: {name}\n\n```prisma\nmodel {name} {{\n  id        String   @id @default(uuid())\n  label     String   @unique\n  rating    Int      @default(0)\n  createdAt DateTime @default(now())\n  note      String?\n}}\n```\n\n"
                );
            }
            3 => {
                let table = format!("{}s", name.to_ascii_lowercase());
                let _ = write!(
                    out,
                    "## Entity {n} — `{table}`\n\n```sql\nCREATE TABLE {table} (\n    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n    code varchar(32) NOT NULL UNIQUE,\n    score smallint CHECK (score BETWEEN 1 AND 5),\n    tags text[] NOT NULL,\n    updated_at timestamptz\n);\n```\n\n",
                    n = i + 1
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "### {name}\n\n```typescript\nexport interface {name} {{\n  id: string;\n  kind: 'a' | 'b' | 'c';\n  weight?: number;\n  createdAt: Date;\n}}\n```\n\n"
                );
            }
        }
    }
    out.push_str("## Database Indexing Strategy\n\n- Index foreign keys.\n");
    out
}
