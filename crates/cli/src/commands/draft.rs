//! `scaffold draft [TICKET]`: a proposed `data-model.md` beside a spec whose
//! entities are only spec-kit `Key Entities` bullets. Types are guessed from
//! attribute names; every guess that is only a default is marked `TODO` for
//! the person who reviews the draft. An existing data-model.md is never touched.

use std::path::{Path, PathBuf};

use scaffold_parser::{KeyEntity, Source, case};

use crate::config::Config;
use crate::{Outcome, Printer};

#[derive(Debug, Clone, clap::Args)]
pub struct DraftArgs {
    /// The feature folder under specs/ (default: every feature with Key
    /// Entities and no data-model.md).
    pub ticket: Option<String>,
    /// Project root: scaffold.toml and specs/ are relative to it.
    #[arg(long, visible_alias = "root", value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

pub fn run(args: &DraftArgs, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let config = Config::load(&args.project)?;
    let folders = super::feature_folders(&args.project, &config, args.ticket.as_deref())?;
    let mut written = 0;
    for folder in &folders {
        let target = args.project.join(folder).join("data-model.md");
        let shown = format!("{folder}/data-model.md");
        if target.exists() {
            if args.ticket.is_some() {
                return Err(crate::usage(
                    format!("{shown} already exists; draft never overwrites it"),
                    "edit it by hand, or move it away and run `scaffold draft` again to compare",
                ));
            }
            printer.status("skip", &format!("{shown}  (exists)"));
            continue;
        }
        let spec_path = args.project.join(folder).join("spec.md");
        let text = std::fs::read_to_string(&spec_path)
            .map_err(|e| anyhow::anyhow!("cannot read {folder}/spec.md: {e}"))?;
        let source = Source::new(format!("{folder}/spec.md"), text);
        let parsed =
            scaffold_parser::parse_with(std::slice::from_ref(&source), &config.parse_options());
        if parsed.key_entities.is_empty() {
            if args.ticket.is_some() {
                return Err(crate::usage(
                    format!("{folder}/spec.md has no Key Entities bullets"),
                    "list them as spec-kit does: `### Key Entities` then `- **Order**: what it is, its key attributes`",
                ));
            }
            continue;
        }
        // spec-kit's template leaves `[FEATURE NAME]` when nobody filled it in.
        let title = feature_title(&source.text)
            .filter(|t| !t.contains('['))
            .unwrap_or_else(|| folder_name(folder));
        let draft = render(&title, &parsed.key_entities);
        write_new(&target, &draft)?;
        printer.status("create", &shown);
        written += 1;
    }
    if written == 0 && args.ticket.is_none() {
        printer.line("nothing to draft: every feature with Key Entities has a data-model.md");
    } else if written > 0 {
        printer.line("review the draft (rows marked TODO first), then run `scaffold lint`");
    }
    Ok(Outcome::Success)
}

/// Creates the file; fails if something appeared there meanwhile.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

fn folder_name(folder: &str) -> String {
    folder.rsplit('/').next().unwrap_or(folder).to_string()
}

/// `Book Club` from `# Feature Specification: Book Club`.
fn feature_title(spec: &str) -> Option<String> {
    let line = spec.lines().find(|l| l.starts_with("# "))?;
    let title = line.trim_start_matches('#').trim();
    let title = title.split_once(':').map_or(title, |(_, rest)| rest.trim());
    (!title.is_empty()).then(|| title.to_string())
}

/// One proposed field: name, type, Required, Constraints, note.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Proposed {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub constraints: String,
    pub note: String,
}

/// The data-model.md text for the given bullets.
pub(crate) fn render(title: &str, entities: &[KeyEntity]) -> String {
    let names: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
    let mut out = format!(
        "# Data Model: {title}\n\n\
         Drafted by `scaffold draft` from the Key Entities of spec.md: types are\n\
         guessed from the attribute names. Review every row (those marked TODO\n\
         first), then run `scaffold lint`.\n"
    );
    let mut seen: Vec<&str> = Vec::new();
    for entity in entities {
        if seen.contains(&entity.name.as_str()) {
            continue;
        }
        seen.push(&entity.name);
        out.push_str(&format!("\n## Entity: {}\n\n", entity.name));
        let summary = first_sentence(&entity.description);
        if !summary.is_empty() {
            out.push_str(&format!("{summary}\n\n"));
        }
        out.push_str("| Field | Type | Required | Constraints | Description |\n");
        out.push_str("|-------|------|----------|-------------|-------------|\n");
        for field in fields(entity, &names) {
            let cells = [
                field.name.as_str(),
                field.ty.as_str(),
                if field.required { "yes" } else { "no" },
                field.constraints.as_str(),
                field.note.as_str(),
            ];
            let row: Vec<String> = cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        "|".to_string()
                    } else {
                        format!("| {c}")
                    }
                })
                .collect();
            out.push_str(&format!("{} |\n", row.join(" ")));
        }
    }
    out
}

fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .find(". ")
        .map_or(text.len(), |i| i + 1)
        .min(text.find(';').unwrap_or(text.len()));
    text[..end].trim().to_string()
}

/// The fields of one entity: a key, then each attribute the bullet names.
pub(crate) fn fields(entity: &KeyEntity, entities: &[&str]) -> Vec<Proposed> {
    let mut out = vec![Proposed {
        name: "id".into(),
        ty: "uuid".into(),
        required: true,
        constraints: "primary key".into(),
        note: String::new(),
    }];
    for (phrase, values) in attributes(&entity.description) {
        let Some(field) = propose(&phrase, &values, &entity.name, entities) else {
            continue;
        };
        if !out.iter().any(|f| f.name == field.name) {
            out.push(field);
        }
    }
    out
}

/// The attribute phrases of a bullet, with values listed in parentheses
/// (`status (pending, paid)`): the part after `attributes:`/`fields:`/`with`,
/// else the sentence with the most commas.
fn attributes(description: &str) -> Vec<(String, Vec<String>)> {
    let lower = description.to_ascii_lowercase();
    let markers = [
        "key attributes:",
        "key attributes include",
        "attributes:",
        "attributes include",
        "fields:",
        "includes:",
        " including ",
        " containing ",
        " consisting of ",
        " such as ",
        "contains:",
        " tracks ",
        "has:",
        " with ",
    ];
    let part = markers
        .iter()
        .filter_map(|m| lower.find(m).map(|i| (i, m.len())))
        .min_by_key(|(i, _)| *i)
        .map(|(i, len)| &description[i + len..]);
    let part = match part {
        Some(part) => part,
        None => description
            .split(". ")
            .chain(description.split(';'))
            .max_by_key(|s| s.matches(',').count())
            .unwrap_or_default(),
    };
    // `with attributes: a, b`: the first marker leaves the second behind.
    let mut part = part.trim_start();
    for lead in [
        "key attributes:",
        "attributes:",
        "fields:",
        "attributes",
        "fields",
    ] {
        if part.len() >= lead.len() && part[..lead.len()].eq_ignore_ascii_case(lead) {
            part = part[lead.len()..].trim_start();
        }
    }
    // The attribute list ends with its sentence.
    let part = part
        .split(". ")
        .next()
        .unwrap_or(part)
        .trim_end_matches('.');
    let part = part.rsplit_once(';').map_or(part, |(_, rest)| rest);
    split_top_level(part)
        .into_iter()
        .filter_map(|item| {
            let (phrase, values) = match item.find('(') {
                Some(open) => {
                    let close = item.rfind(')').unwrap_or(item.len());
                    let inner = &item[open + 1..close.max(open + 1)];
                    let values: Vec<String> = inner
                        .split([',', '/', '|'])
                        .map(|v| v.trim().trim_matches(['`', '"', '\'']).to_string())
                        .filter(|v| !v.is_empty())
                        .collect();
                    (item[..open].to_string(), values)
                }
                None => (item.clone(), Vec::new()),
            };
            let phrase = phrase
                .trim()
                .trim_start_matches("and ")
                .trim_start_matches("or ")
                .trim()
                .to_string();
            (!phrase.is_empty()).then_some((phrase, values))
        })
        .collect()
}

/// Splits on commas, ` and ` and `&` outside parentheses.
fn split_top_level(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && (c == ',' || c == '&') {
            items.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
        if depth <= 0 && current.ends_with(" and ") {
            current.truncate(current.len() - " and ".len());
            items.push(std::mem::take(&mut current));
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A field for one attribute phrase, or `None` for phrases that are no
/// attribute (too long, a collection of another entity).
fn propose(phrase: &str, values: &[String], entity: &str, entities: &[&str]) -> Option<Proposed> {
    let words: Vec<String> = case::words(phrase)
        .into_iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "the" | "a" | "an" | "its" | "their" | "his" | "her" | "optional" | "e" | "g"
            )
        })
        .collect();
    if words.is_empty() || words.len() > 4 || words[0].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // Prose, not an attribute: `Defines authentication methods`, `not a table`.
    const PROSE: &[&str] = &[
        "defines",
        "specifies",
        "represents",
        "describes",
        "contains",
        "stores",
        "tracks",
        "records",
        "holds",
        "not",
        "but",
        "each",
        "one",
        "all",
        "same",
        "used",
        "uses",
        "includes",
        "are",
        "may",
        "must",
        "will",
        "when",
        "if",
    ];
    if PROSE.contains(&words[0].as_str()) {
        return None;
    }
    let optional = phrase.to_ascii_lowercase().contains("optional");
    let name = words.join("_");
    let mut field = Proposed {
        name: name.clone(),
        ty: "string".into(),
        required: !optional,
        constraints: String::new(),
        note: String::new(),
    };
    // Another entity named as an attribute is a reference to it (`customer`
    // becomes `customer_id`); a plural of one is the other side of a relation.
    let pascal = case::pascal(name.trim_end_matches("_id"));
    let singular = case::pascal(name.trim_end_matches('s'));
    if let Some(target) = entities.iter().find(|e| **e != entity && **e == pascal) {
        field.name = format!("{}_id", case::snake(target));
        field.ty = "uuid".into();
        field.constraints = format!("references {target}");
        return Some(field);
    }
    if name.ends_with('s') && entities.iter().any(|e| *e != entity && *e == singular) {
        return None;
    }
    let last = words.last().map_or("", String::as_str);
    let (ty, constraints, known) = if !values.is_empty() && values.iter().all(|v| is_variant(v)) {
        let variants: Vec<String> = values.iter().map(|v| case::snake(v)).collect();
        (
            format!("enum({})", variants.join(", ")),
            String::new(),
            true,
        )
    } else if name == "id" || last == "id" || name.ends_with("_id") {
        ("uuid".to_string(), String::new(), true)
    } else if last == "at" || name.ends_with("_time") || name == "timestamp" {
        ("datetime".to_string(), String::new(), true)
    } else if last == "on"
        || last == "date"
        || name == "birthday"
        || name == "deadline"
        || name == "due"
    {
        ("date".to_string(), String::new(), true)
    } else if matches!(words[0].as_str(), "is" | "has" | "can" | "should") {
        ("bool".to_string(), "default false".to_string(), true)
    } else if last == "email" {
        (
            "string".to_string(),
            "max 254, pattern ^[^@\\s]+@[^@\\s]+$".to_string(),
            true,
        )
    } else if matches!(
        last,
        "price" | "amount" | "total" | "cost" | "balance" | "fee" | "subtotal" | "tax"
    ) {
        ("decimal".to_string(), "min 0".to_string(), true)
    } else if matches!(
        last,
        "count"
            | "quantity"
            | "qty"
            | "number"
            | "age"
            | "position"
            | "rank"
            | "rating"
            | "score"
            | "level"
            | "priority"
            | "size"
    ) || words[0] == "number"
    {
        ("i32".to_string(), "min 0".to_string(), true)
    } else if matches!(
        last,
        "description"
            | "notes"
            | "note"
            | "body"
            | "content"
            | "text"
            | "bio"
            | "comment"
            | "summary"
            | "message"
    ) {
        ("text".to_string(), String::new(), true)
    } else if matches!(
        last,
        "name"
            | "title"
            | "label"
            | "slug"
            | "url"
            | "link"
            | "phone"
            | "code"
            | "username"
            | "sku"
            | "author"
            | "address"
            | "city"
            | "country"
            | "currency"
            | "language"
            | "locale"
            | "color"
            | "unit"
            | "isbn"
            | "token"
    ) {
        ("string".to_string(), "max 200".to_string(), true)
    } else {
        ("string".to_string(), String::new(), false)
    };
    // `created at`, `updated at` are set by the server.
    let constraints =
        if ty == "datetime" && matches!(words[0].as_str(), "created" | "updated" | "modified") {
            "default now".to_string()
        } else {
            constraints
        };
    field.ty = ty;
    field.constraints = constraints;
    if !known {
        field.note = if matches!(
            last,
            "status" | "state" | "type" | "kind" | "role" | "category"
        ) {
            "TODO: list the values as enum(a, b, c)".to_string()
        } else {
            format!("TODO: type guessed from the name (\"{}\")", phrase.trim())
        };
    }
    Some(field)
}

fn is_variant(value: &str) -> bool {
    !value.is_empty()
        && value.split_whitespace().count() <= 2
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, description: &str) -> KeyEntity {
        KeyEntity {
            name: name.into(),
            description: description.into(),
            path: "specs/001-shop/spec.md".into(),
        }
    }

    fn row(f: &Proposed) -> String {
        format!(
            "{} {} {} [{}] {}",
            f.name, f.ty, f.required, f.constraints, f.note
        )
    }

    #[test]
    fn types_come_from_names() {
        let order = entity(
            "Order",
            "A customer's purchase. Key attributes: order number, customer, line items, total amount, status (pending, paid, shipped), placed at, delivery date, is gift, notes, email, coupon.",
        );
        let rows: Vec<String> = fields(&order, &["Order", "Customer", "LineItem"])
            .iter()
            .map(row)
            .collect();
        assert_eq!(
            rows,
            [
                "id uuid true [primary key] ",
                "order_number i32 true [min 0] ",
                "customer_id uuid true [references Customer] ",
                "total_amount decimal true [min 0] ",
                "status enum(pending, paid, shipped) true [] ",
                "placed_at datetime true [] ",
                "delivery_date date true [] ",
                "is_gift bool true [default false] ",
                "notes text true [] ",
                "email string true [max 254, pattern ^[^@\\s]+@[^@\\s]+$] ",
                "coupon string true [] TODO: type guessed from the name (\"coupon\")",
            ]
        );
    }

    #[test]
    fn a_bullet_without_a_list_takes_the_sentence_with_commas() {
        let book = entity(
            "Book",
            "a book on the club's list; title, author, reading status, created at",
        );
        let names: Vec<String> = fields(&book, &["Book"])
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(
            names,
            ["id", "title", "author", "reading_status", "created_at"]
        );
    }
}
