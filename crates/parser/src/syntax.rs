//! Reads one Markdown file into raw, located spec items, before any validation.
//!
//! Structure comes only from front matter, a few headings (matched
//! case-insensitively, with aliases), tables (columns matched by header name)
//! and `Key: value` list items. All other prose is ignored.

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Block, Inline, Table};
use crate::options::Options;
use crate::source::Span;

/// A piece of text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct RawSpec {
    pub file: usize,
    pub ticket: Option<Located>,
    pub domain: Option<Located>,
    pub requirements: Vec<(Located, String)>,
    pub entities: Vec<RawEntity>,
    pub operations: Vec<RawOperation>,
    pub endpoints: Vec<RawEndpoint>,
    pub errors: Vec<RawError>,
    /// spec-kit `Key Entities` bullets: names and prose, no types.
    pub key_entities: Vec<(Located, String)>,
}

#[derive(Debug)]
pub struct RawEntity {
    pub name: Located,
    pub fields: Vec<RawField>,
    pub relationships: Vec<Located>,
    /// Whether fields were declared (a table, bullets or a fenced model);
    /// an explicit `Entity:` heading without any is an error.
    pub has_table: bool,
    /// Declared by an explicit `Entity: X` heading (not inferred from a heading).
    pub explicit: bool,
    /// Read from a fenced model (Prisma, SQL, TypeScript).
    pub fenced: bool,
    /// Its fields table had a problem that was already reported.
    pub reported: bool,
    /// Named by a heading that may be prose: an entity only if a fields
    /// table follows.
    pub tentative: Option<Tentative>,
}

/// What a tentative entity heading is when no fields table follows it.
#[derive(Debug)]
pub enum Tentative {
    /// A heading under spec-kit's `Key Entities`: a key entity, with its prose.
    KeyEntity(String),
    /// `### Note`, `### Index` under a model: prose unless a table with a
    /// field and a type column follows (an entity named `Note` is common).
    Prose,
}

impl RawEntity {
    pub fn new(name: Located, explicit: bool) -> Self {
        Self {
            name,
            fields: Vec::new(),
            relationships: Vec::new(),
            has_table: false,
            explicit,
            fenced: false,
            reported: false,
            tentative: None,
        }
    }
}

#[derive(Debug)]
pub struct RawField {
    pub name: Located,
    pub ty: Located,
    pub required: Option<Located>,
    pub constraints: Vec<Located>,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct RawOperation {
    pub id: Option<Located>,
    pub name: Option<Located>,
    pub heading: Option<Span>,
    pub kind: Option<Located>,
    pub inputs: Vec<Located>,
    pub output: Option<Located>,
    pub rules: Vec<Located>,
    pub errors: Vec<Located>,
    pub description: String,
}

#[derive(Debug)]
pub struct RawEndpoint {
    pub method: Located,
    pub path: Located,
    pub operation: Located,
    pub status: Option<Located>,
    pub errors: Vec<Located>,
    /// Wrapped bodies and security, read from OpenAPI contracts.
    pub shape: crate::model::EndpointShape,
}

#[derive(Debug)]
pub struct RawError {
    pub code: Located,
    pub http: Located,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Model,
    /// spec-kit's `Key Entities`: bullets naming entities, no types.
    KeyEntities,
    Operations,
    Endpoints,
    Errors,
    Other,
}

/// What the list items and tables under an entity heading are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Right under the entity heading: a fields table, field bullets, relationships.
    Body,
    Fields,
    Relationships,
    /// `Validation Rules`, `State Transitions`, `Indexes` ...: prose, never read.
    Prose,
}

/// The section a heading opens, after numbering and trailing notes are stripped.
fn section_of(heading: &str, options: &Options) -> Option<Section> {
    let norm = clean_heading(heading).to_ascii_lowercase();
    if let Some(section) = options.headings.get(&norm) {
        return Some(match section {
            crate::Section::Entities | crate::Section::Fields => Section::Model,
            crate::Section::Operations => Section::Operations,
            crate::Section::Endpoints => Section::Endpoints,
            crate::Section::Errors => Section::Errors,
        });
    }
    let norm = norm.trim_end_matches(':').trim();
    Some(match norm {
        "key entities" | "key entities and relationships" => Section::KeyEntities,
        "domain model"
        | "data model"
        | "entities"
        | "model"
        | "models"
        | "data models"
        | "entity definitions"
        | "entity model"
        | "data structures"
        | "database schema"
        | "schema"
        | "entity relationship model"
        | "domain entities" => Section::Model,
        "operations" | "use cases" | "commands" => Section::Operations,
        "api endpoints" | "endpoints" | "api" | "routes" | "http api" => Section::Endpoints,
        "errors" | "error codes" | "error catalog" => Section::Errors,
        _ if norm.starts_with("data model") || norm.starts_with("domain model") => Section::Model,
        // `Core Entities`, `Conceptual Entities`, `Data Entities`, `Entities & Relationships`.
        _ if norm.ends_with(" entities") && norm.split_whitespace().count() <= 3
            || norm.starts_with("entities ") && norm.split_whitespace().count() <= 3 =>
        {
            Section::Model
        }
        _ => return None,
    })
}

/// A heading without numbering (`2.`, `1.3`, `1)`), trailing notes in
/// parentheses (`*(include if ...)*`) and a trailing colon.
fn clean_heading(heading: &str) -> &str {
    let mut text = heading.trim();
    let numbered = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')');
    if numbered.len() < text.len() && numbered.starts_with(' ') {
        text = numbered.trim_start();
    }
    if let Some(open) = text.rfind('(') {
        // Keep `注文（Order）`-style names; drop ASCII notes after a name.
        if open > 0 && text.ends_with(')') && text[..open].is_ascii() {
            text = text[..open].trim_end();
        }
    }
    text.trim_end_matches(':').trim()
}

/// The kind of sub-heading under an entity.
/// Labels of a list of field names (`**Fields**: id, name, email`).
const FIELD_LIST_LABELS: &[&str] = &[
    "fields",
    "attributes",
    "properties",
    "columns",
    "campos",
    "atributos",
    "propiedades",
    "propriedades",
    "colunas",
    "columnas",
    "champs",
    "attributs",
    "propriétés",
    "colonnes",
    "felder",
    "attribute",
    "eigenschaften",
    "spalten",
    "campi",
    "attributi",
    "proprietà",
    "colonne",
    "字段",
    "属性",
    "列",
    "フィールド",
    "項目",
    "カラム",
    "поля",
    "атрибуты",
];

fn part_of(heading: &str, options: &Options) -> Part {
    let norm = clean_heading(heading).to_ascii_lowercase();
    if options.headings.get(&norm) == Some(&crate::Section::Fields) {
        return Part::Fields;
    }
    match norm.as_str() {
        "fields" | "attributes" | "properties" | "columns" | "schema" | "field definitions"
        | "core fields" | "key attributes" | "structure" | "table" | "data fields" => Part::Fields,
        "relationships" | "relations" | "associations" | "relationship" => Part::Relationships,
        _ => Part::Prose,
    }
}

/// Whether a sub-heading names a known part of an entity (not just prose by default).
fn is_known_part(heading: &str, options: &Options) -> bool {
    let norm = clean_heading(heading).to_ascii_lowercase();
    part_of(heading, options) != Part::Prose
        || norm
            .split_whitespace()
            .any(|w| NOT_ENTITY_WORDS.contains(&w))
}

/// Words that make a heading in a model section something other than an entity.
const NOT_ENTITY_WORDS: &[&str] = &[
    "strategy",
    "overview",
    "machine",
    "tables",
    "structs",
    "definition",
    "existing",
    "unchanged",
    "new",
    "extended",
    "interfaces",
    "dtos",
    "payloads",
    "responses",
    "requests",
    "props",
    "summary",
    "notes",
    "modified",
    "removed",
    "deprecated",
    "updated",
    "shared",
    "common",
    "summary",
    "notes",
    "note",
    "rules",
    "rule",
    "transitions",
    "transition",
    "indexes",
    "indices",
    "indexing",
    "index",
    "relationships",
    "relationship",
    "diagram",
    "considerations",
    "migration",
    "migrations",
    "validation",
    "validations",
    "constraints",
    "enums",
    "enumerations",
    "enum",
    "glossary",
    "assumptions",
    "queries",
    "query",
    "performance",
    "security",
    "storage",
    "schema",
    "lifecycle",
    "retention",
    "example",
    "examples",
    "api",
    "contracts",
    "flow",
    "flows",
    "integrity",
    "design",
    "approach",
    "decisions",
    "patterns",
    "volume",
    "permissions",
    "changes",
    "states",
    "types",
    "definitions",
    "requirements",
    "principles",
    "changelog",
    "references",
    "appendix",
    "questions",
    "erd",
    "seed",
    "caching",
    "backup",
    "privacy",
    "considerations",
    "mapping",
    "mappings",
    "invariants",
    "dependencies",
    "scope",
    "context",
    "objects",
    "format",
    "formats",
    "layout",
    "structure",
    "conventions",
    "naming",
    "version",
    "versioning",
    "and",
    "of",
    "for",
    "the",
    "with",
    "to",
    "in",
    "on",
    "by",
    "vs",
];

/// An entity heading: `Entity: Book`, `Entity 1 — doctors`, `Product Entity`,
/// `1. User`, `注文（Order）`. Returns the entity name, whether the heading said
/// "entity" explicitly, and the byte range of the name in the heading.
fn entity_heading(heading: &str) -> Option<(String, bool, usize, usize)> {
    let raw = heading.trim();
    let lead = heading.len() - heading.trim_start().len();
    // Every slice below is a sub-slice of `raw`: its offset is its address difference.
    let cleaned_start = |part: &str| lead + (part.as_ptr() as usize - raw.as_ptr() as usize);
    let mut text = raw
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim_start();
    let mut explicit = false;
    for prefix in ["entity", "model", "table", "aggregate"] {
        let Some(head) = text.get(..prefix.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(prefix) {
            continue;
        }
        let rest = &text[prefix.len()..];
        // `Entity: X`, `Entity 1 — X`, `Entity 1: X`, `Entity - X`.
        let after_number = rest
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit());
        let separated = after_number.trim_start();
        if let Some(name) = separated
            .strip_prefix(':')
            .or_else(|| separated.strip_prefix('—'))
            .or_else(|| separated.strip_prefix('–'))
            .or_else(|| separated.strip_prefix("- "))
        {
            text = name.trim();
            explicit = prefix == "entity";
            break;
        }
    }
    // `ApiKey (新增)`: an ASCII name with a note in another language.
    if !text.is_ascii() {
        if let Some(open) = text.find(['(', '（']) {
            let before = text[..open].trim();
            if !before.is_empty() && before.is_ascii() {
                if let Some(name) = crate::forms::entity_name_from(before) {
                    let start = cleaned_start(before);
                    return Some((name, explicit, start, start + before.len()));
                }
            }
        }
    }
    // `Avaliação`, `Variação de Produto`: Latin letters with accents are
    // their letters (`Avaliacao`), as a type name must be ASCII.
    if !text.is_ascii() && !text.contains(['(', '（']) {
        let folded = crate::forms::fold_accents(clean_heading(text).trim_matches('`').trim())?;
        let words = folded.split_whitespace().count();
        if !explicit && (words == 0 || words > 3) {
            return None;
        }
        let name = crate::forms::entity_name_from(&folded)?;
        let start = cleaned_start(text);
        return Some((name, explicit, start, start + text.trim_end().len()));
    }
    // `注文（Order）`: the ASCII name in parentheses.
    if !text.is_ascii() {
        let open = text.find(['(', '（'])?;
        let inner_start = open + text[open..].chars().next().map_or(1, char::len_utf8);
        let close = text[inner_start..].find([')', '）'])? + inner_start;
        let inner = text[inner_start..close].trim();
        let name = crate::forms::entity_name_from(inner)?;
        let start = cleaned_start(&text[inner_start..]);
        return Some((name, explicit, start, start + inner.len()));
    }
    let mut name_text = clean_heading(text).trim_matches('`').trim();
    for suffix in [" entity", " model", " table", " aggregate", " record"] {
        if name_text.len() > suffix.len()
            && name_text[name_text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        {
            name_text = name_text[..name_text.len() - suffix.len()].trim_end();
            // `### Product Entity` says what it is as plainly as `Entity: Product`.
            explicit |= suffix == " entity";
        }
    }
    let name_text = name_text.trim_matches('`').trim();
    let words: Vec<String> = name_text
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if !explicit
        && (words.is_empty()
            || words.len() > 3
            || words.iter().any(|w| NOT_ENTITY_WORDS.contains(&w.as_str())))
    {
        return None;
    }
    let name = crate::forms::entity_name_from(name_text)?;
    let start = text
        .find(name_text)
        .map_or(lead, |i| cleaned_start(&text[i..]));
    Some((name, explicit, start, start + name_text.len()))
}

/// Parses one file. `file` is its index in the sources slice (for spans).
pub fn parse_file(
    file: usize,
    text: &str,
    is_data_model: bool,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawSpec {
    let mut spec = RawSpec {
        file,
        ..RawSpec::default()
    };
    let loc = |inline: &Inline, start: usize, end: usize| -> Located {
        let (s, e) = inline.range(start, end);
        Located {
            text: inline.text[start..end].to_string(),
            span: Span::new(file, s, e),
        }
    };
    let trimmed = |inline: &Inline, start: usize, end: usize| -> Located {
        let slice = &inline.text[start..end];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.trim_end().len();
        loc(inline, start + lead, start + trail.max(lead))
    };

    // A data-model.md is a model from its first line: entities need no section heading.
    let (mut section, mut section_level) = if is_data_model {
        (Section::Model, 0u8)
    } else {
        (Section::Other, 0u8)
    };
    let mut entity: Option<RawEntity> = None;
    let mut entity_level = 0u8;
    let mut part = Part::Body;
    let mut operation: Option<RawOperation> = None;
    // `CREATE TYPE ... AS ENUM` of every SQL fence, for the fields typed with them.
    let mut sql_enums: Vec<(String, String)> = Vec::new();
    // After a prose heading inside a model section (`### Notes`), a heading
    // is an entity only when a fields table follows it.
    let mut loose_model = false;

    let flush = |spec: &mut RawSpec,
                 entity: &mut Option<RawEntity>,
                 operation: &mut Option<RawOperation>| {
        if let Some(e) = entity.take() {
            match e.tentative {
                Some(Tentative::KeyEntity(description)) if !e.has_table => {
                    spec.key_entities.push((e.name, description));
                }
                Some(Tentative::Prose) if !e.has_table => {}
                _ => spec.entities.push(e),
            }
        }
        if let Some(o) = operation.take() {
            spec.operations.push(o);
        }
    };

    for block in markdown::blocks(text) {
        match block {
            Block::FrontMatter { text: yaml, start } => {
                let mut offset = 0;
                for line in yaml.split_inclusive('\n') {
                    if let Some((key, value)) = line.split_once(':') {
                        let value_start = offset + key.len() + 1;
                        let value_trimmed = value.trim();
                        let lead = value.len() - value.trim_start().len();
                        let located = Located {
                            text: value_trimmed.trim_matches(['"', '\'']).to_string(),
                            span: Span::new(
                                file,
                                start + value_start + lead,
                                start + value_start + lead + value_trimmed.len(),
                            ),
                        };
                        match key.trim().to_ascii_lowercase().as_str() {
                            "domain" => spec.domain = Some(located),
                            "ticket" | "id" => spec.ticket = Some(located),
                            _ => {}
                        }
                    }
                    offset += line.len();
                }
            }
            Block::Heading {
                level,
                text: inline,
            } => {
                let heading = inline.text.trim();
                let explicit_entity =
                    entity_heading(heading).filter(|(_, explicit, _, _)| *explicit);
                // Sub-headings of an entity (`### Fields`, `### Validation Rules`) belong to it.
                if entity.is_some() && level > entity_level && explicit_entity.is_none() {
                    // `### Existing (unchanged)` then `#### User`: the heading above
                    // was a group, not an entity, when nothing was declared under it.
                    let grouping = entity
                        .as_ref()
                        .is_some_and(|e| !e.explicit && e.fields.is_empty() && !e.has_table)
                        && !is_known_part(heading, options)
                        && entity_heading(heading).is_some();
                    if !grouping {
                        part = part_of(heading, options);
                        continue;
                    }
                    entity = None;
                }
                if let Some(found) = section_of(heading, options) {
                    flush(&mut spec, &mut entity, &mut operation);
                    if found == Section::Model
                        && section == Section::Model
                        && section_level > 0
                        && level > section_level
                    {
                        // `### Schema` or `### Entities` under `## Data Model`:
                        // a group inside the model, whose siblings are still
                        // entities; or an entity named `Schema` when a
                        // fields table follows. After prose (`## ER Diagram`),
                        // `## Entity Definitions` says entities follow again.
                        loose_model = false;
                        if let Some((name, start, end)) = single_word_heading(heading, false) {
                            entity = Some(tentative_entity(
                                &inline,
                                file,
                                name,
                                start..end,
                                Tentative::Prose,
                            ));
                            entity_level = level;
                            part = Part::Body;
                        }
                        continue;
                    }
                    section = found;
                    section_level = level;
                    loose_model = false;
                    continue;
                }
                if section == Section::KeyEntities && level > section_level {
                    // `## Key Entities` then `### Order`: a key entity, typed
                    // when a fields table follows (see `tentative`).
                    if let Some((name, _, start, end)) = entity_heading(heading) {
                        flush(&mut spec, &mut entity, &mut operation);
                        let key_entity = Tentative::KeyEntity(String::new());
                        entity = Some(tentative_entity(
                            &inline,
                            file,
                            name,
                            start..end,
                            key_entity,
                        ));
                        entity_level = level;
                        part = Part::Body;
                        continue;
                    }
                }
                let in_model =
                    section == Section::Model && (level > section_level || section_level == 0);
                // Titles (`# Data Model: Feature`) are never entities unless they say so.
                let candidate = entity_heading(heading)
                    .filter(|(_, explicit, _, _)| *explicit || (in_model && level > 1));
                if let Some((name, explicit, start, end)) = candidate {
                    flush(&mut spec, &mut entity, &mut operation);
                    let (s, e) =
                        inline.range(start.min(inline.text.len()), end.min(inline.text.len()));
                    let located = Located {
                        text: name.clone(),
                        span: Span::new(file, s, e),
                    };
                    let written = inline
                        .text
                        .get(start..end)
                        .unwrap_or_default()
                        .trim_matches('`');
                    if written != name {
                        diagnostics.push(
                            Diagnostic::note(
                                "read-entity",
                                located.span,
                                format!("read heading `{heading}` as entity `{name}`"),
                            )
                            .label("entity name"),
                        );
                    }
                    let mut found = RawEntity::new(located, explicit);
                    if loose_model && !explicit {
                        found.tentative = Some(Tentative::Prose);
                    }
                    entity = Some(found);
                    entity_level = level;
                    part = Part::Body;
                    if section != Section::Model {
                        section = Section::Model;
                        section_level = level.saturating_sub(1);
                    }
                    continue;
                }
                if in_model && level > 1 {
                    if let Some((name, start, end)) = single_word_heading(heading, true) {
                        flush(&mut spec, &mut entity, &mut operation);
                        entity = Some(tentative_entity(
                            &inline,
                            file,
                            name,
                            start..end,
                            Tentative::Prose,
                        ));
                        entity_level = level;
                        part = Part::Body;
                        continue;
                    }
                }
                if section == Section::Operations && level > section_level {
                    flush(&mut spec, &mut entity, &mut operation);
                    operation = Some(parse_operation_heading(&inline, file, &trimmed));
                    continue;
                }
                flush(&mut spec, &mut entity, &mut operation);
                if in_model && (section_level == 0 || !heading.is_ascii()) {
                    // A data-model.md section that is no entity (`## Migration Strategy`),
                    // or a heading in a language we cannot read (`## 实体概览`): prose.
                    continue;
                }
                if in_model {
                    // Prose inside the model (`### Notes`) does not end it:
                    // entities may follow, known by their fields tables.
                    loose_model = true;
                } else if level <= section_level || section == Section::Other {
                    // A sibling that is no entity ends the model; it never becomes one.
                    section = Section::Other;
                    section_level = 0;
                    loose_model = false;
                }
            }
            Block::Paragraph(inline) => {
                let text = inline.text.trim();
                if let Some(tentative) = entity.as_mut().and_then(|e| e.tentative.as_mut()) {
                    describe(tentative, text);
                    continue;
                }
                if entity.is_some() {
                    if let Some(label) = bold_label(text) {
                        part = match part_of(label, options) {
                            Part::Prose if label.eq_ignore_ascii_case("fields") => Part::Fields,
                            found => found,
                        };
                        // `**Relationships**: has many Order` carries its first item inline.
                        continue;
                    }
                }
                // Bold metadata lines (`**Domain**: orders`), one per line of the paragraph.
                let mut offset = 0;
                for line in inline.text.split_inclusive('\n') {
                    if let Some((key, value)) = line.split_once(':') {
                        let key_norm = key.trim().to_ascii_lowercase();
                        let value_start = offset + key.len() + 1;
                        let value_end = offset + line.trim_end().len();
                        if value_end > value_start && !value.trim().is_empty() {
                            match key_norm.as_str() {
                                "domain" if spec.domain.is_none() => {
                                    spec.domain = Some(trimmed(&inline, value_start, value_end));
                                }
                                "ticket" if spec.ticket.is_none() => {
                                    spec.ticket = Some(trimmed(&inline, value_start, value_end));
                                }
                                _ => {}
                            }
                        }
                    }
                    offset += line.len();
                }
                if let Some(op) = operation.as_mut() {
                    if op.description.is_empty() {
                        op.description = text.to_string();
                    }
                }
            }
            Block::ListItem(inline) => {
                let text = inline.text.trim_end();
                // Requirements (`**FR-001**: System MUST ...`) are collected wherever they are.
                if let Some((id, rest)) = requirement(text) {
                    let start = inline.text.len() - inline.text.trim_start().len();
                    let id = loc(&inline, start, start + id.len());
                    // A requirement wrapped onto more lines of its item is one sentence:
                    // its text goes into one-line doc comments and messages.
                    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
                    spec.requirements.push((id, rest));
                    continue;
                }
                if let Some(tentative) = entity.as_mut().and_then(|e| e.tentative.as_mut()) {
                    describe(tentative, text);
                    continue;
                }
                if section == Section::KeyEntities && entity.is_none() {
                    if let Some((name, description)) = key_entity(&inline, &trimmed) {
                        spec.key_entities.push((name, description));
                    }
                    continue;
                }
                if let Some(e) = entity.as_mut() {
                    entity_item(e, &mut part, &inline, file, &trimmed, diagnostics);
                    continue;
                }
                if let Some(op) = operation.as_mut() {
                    parse_operation_item(op, &inline, &trimmed);
                }
            }
            Block::Table(table) => match section {
                Section::Model | Section::KeyEntities => {
                    if let Some(e) = entity.as_mut() {
                        let prose = matches!(e.tentative, Some(Tentative::Prose))
                            && !has_field_and_type_columns(&table, options);
                        if part != Part::Relationships && !prose {
                            parse_fields_table(e, &table, file, options, &trimmed, diagnostics);
                        }
                    }
                }
                Section::Endpoints => {
                    parse_endpoints_table(&mut spec, &table, file, &trimmed, diagnostics)
                }
                Section::Errors => {
                    parse_errors_table(&mut spec, &table, file, &trimmed, diagnostics)
                }
                Section::Operations | Section::Other => {}
            },
            Block::Code { lang, text, start } => {
                // The entity being read stays open: a fence under `## Entity: Loan`
                // is that entity's model, and its `### Relationships` still follow.
                // Same-named entities merge at the end (merge_fenced).
                spec.entities
                    .extend(crate::fence::models(&lang, &text, start, file, diagnostics));
                sql_enums.extend(crate::fence::sql_enums(&text));
            }
        }
    }
    flush(&mut spec, &mut entity, &mut operation);
    apply_sql_enums(&mut spec.entities, &sql_enums);
    merge_fenced(&mut spec.entities, diagnostics);
    spec
}

/// A field typed with the name of a `CREATE TYPE ... AS ENUM` of the same
/// document (in any fence: the types often sit in a fence of their own above
/// the tables, or the tables are Markdown) has that enum's values.
fn apply_sql_enums(entities: &mut [RawEntity], enums: &[(String, String)]) {
    if enums.is_empty() {
        return;
    }
    for field in entities.iter_mut().flat_map(|e| e.fields.iter_mut()) {
        let cell = field.ty.text.trim().trim_matches('`');
        // `home_role NOT NULL`: the type is the first word, constraints follow.
        let (text, rest) = cell.split_once(char::is_whitespace).unwrap_or((cell, ""));
        let (text, optional) = match text.strip_suffix('?') {
            Some(base) => (base, "?"),
            None => (text, ""),
        };
        let (name, list) = match text.strip_suffix("[]") {
            Some(base) => (base, "[]"),
            None => (text, ""),
        };
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        if let Some((_, values)) = enums.iter().find(|(n, _)| *n == name) {
            let ty = if list.is_empty() {
                format!("{values}{optional}")
            } else {
                format!("list<{values}>{optional}")
            };
            field.ty.text = if rest.is_empty() {
                ty
            } else {
                format!("{ty} {rest}")
            };
        }
    }
}

/// An entity named by the heading `inline` at `range`, kept only if a fields
/// table follows it (see [`Tentative`]).
fn tentative_entity(
    inline: &Inline,
    file: usize,
    name: String,
    range: std::ops::Range<usize>,
    kind: Tentative,
) -> RawEntity {
    let end = inline.text.len();
    let (start, stop) = inline.range(range.start.min(end), range.end.min(end));
    let mut entity = RawEntity::new(
        Located {
            text: name,
            span: Span::new(file, start, stop),
        },
        false,
    );
    entity.tentative = Some(kind);
    entity
}

/// Prose under a tentative heading: a key entity's description (what
/// `scaffold draft` starts from); under a prose heading, nothing.
fn describe(tentative: &mut Tentative, text: &str) {
    if let Tentative::KeyEntity(prose) = tentative {
        if !prose.is_empty() {
            prose.push(' ');
        }
        prose.push_str(text.trim_start_matches(['-', '*', ' ']));
    }
}

/// A one-word singular heading (`Note`, `Schema`) that is no entity by the
/// usual rules but may name one: when `prose_word`, only a word that
/// [`entity_heading`] reads as prose (`Note`, `Index`, `Rule`, `Migration`).
fn single_word_heading(heading: &str, prose_word: bool) -> Option<(String, usize, usize)> {
    let name = clean_heading(heading).trim().trim_matches('`').trim();
    let lower = name.to_ascii_lowercase();
    if name.split_whitespace().count() != 1
        || lower.ends_with('s')
        || (prose_word && !NOT_ENTITY_WORDS.contains(&lower.as_str()))
    {
        return None;
    }
    let pascal = crate::forms::entity_name_from(name)?;
    let start = heading.find(name)?;
    Some((pascal, start, start + name.len()))
}

/// A short bold label paragraph (`**Attributes**:`, `Relationships:`): its words.
fn bold_label(text: &str) -> Option<&str> {
    let (label, rest) = text.split_once(':')?;
    let label = label.trim();
    // `Fields (conceptual):` is the `Fields` label.
    let label = match label.find('(') {
        Some(open) if label.ends_with(')') => label[..open].trim_end(),
        _ => label,
    };
    let short = !label.is_empty()
        && label.split_whitespace().count() <= 3
        && label
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '/');
    (short && (rest.trim().is_empty() || !rest.contains('\n') && rest.len() < 200)).then_some(label)
}

/// `- **Order**: what it represents ...` in a Key Entities section.
fn key_entity(inline: &Inline, trimmed: &Trim<'_>) -> Option<(Located, String)> {
    let text = &inline.text;
    let colon = text.find([':', '—', '–']).or_else(|| text.find(" - "))?;
    let name = trimmed(inline, 0, colon);
    if name.text.is_empty() || name.text.split_whitespace().count() > 4 {
        return None;
    }
    let after = colon + text[colon..].chars().next().map_or(1, char::len_utf8);
    Some((name, text[after..].trim().to_string()))
}

/// A list item inside an entity: a field bullet, an untyped field list, or a relationship.
fn entity_item(
    entity: &mut RawEntity,
    part: &mut Part,
    inline: &Inline,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = inline.text.trim_end();
    let lower = text.trim_start().to_ascii_lowercase();
    // `**Indexes**: ...`, `**Validation Rules**:` end a relationship list.
    if let Some(label) = bold_label(text) {
        let words = label.to_ascii_lowercase();
        if words
            .split_whitespace()
            .any(|w| NOT_ENTITY_WORDS.contains(&w) && w != "relationships" && w != "relationship")
        {
            *part = Part::Prose;
            return;
        }
    }
    let relationship_words = [
        "has many",
        "has one",
        "belongs to",
        "one-to-",
        "many-to-",
        "one to ",
        "many to ",
        "has_many",
        "belongs_to",
    ];
    if *part == Part::Relationships || relationship_words.iter().any(|w| lower.starts_with(w)) {
        let at = trimmed(inline, 0, text.len());
        match crate::forms::read_relationship(&at.text, &entity.name.text) {
            Some(canonical) => {
                if canonical != at.text {
                    diagnostics.push(
                        Diagnostic::note("read-relationship", at.span, format!("read `{}` as `{canonical}`", at.text))
                            .label("relationship"),
                    );
                }
                entity.relationships.push(Located { text: canonical, span: at.span });
            }
            None => diagnostics.push(
                Diagnostic::warning("unreadable-relationship", at.span, format!("cannot read relationship `{}`; it is ignored", at.text))
                    .label("not understood")
                    .hint("write `has many OrderLine via order_id`, `belongs to Customer via customer_id` or `Many-to-One → Customer`"),
            ),
        }
        return;
    }
    if *part == Part::Prose {
        return;
    }
    if let Some(fields) = field_bullet(inline, file, trimmed, diagnostics) {
        entity.has_table = true;
        entity.fields.extend(fields);
    } else if let Some(fields) = untyped_bullet(inline, *part == Part::Fields, trimmed, diagnostics)
    {
        entity.has_table = true;
        entity.fields.extend(fields);
    } else if *part == Part::Fields {
        let at = trimmed(inline, 0, text.len());
        diagnostics.push(
            Diagnostic::warning(
                "unreadable-field",
                at.span,
                format!("cannot read a field from `{}`; it is ignored", at.text),
            )
            .label("expected a field")
            .hint("write `- name: type` or `- `name` (type, constraints): description`"),
        );
    }
}

/// Field bullets: `` `price` (decimal, required, > 0): unit cost ``, `quantity: integer`,
/// `**email** (string, unique): login`, `id: UUID (session-based)`,
/// `slug: string - identifier`, and untyped lists `Fields: id, title, due_date?`.
fn field_bullet(
    inline: &Inline,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<RawField>> {
    let text = &inline.text;
    let lead = text.len() - text.trim_start().len();
    let name_end = lead
        + text[lead..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - lead);
    let name = trimmed(inline, lead, name_end);
    if name.text.is_empty()
        || !name
            .text
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    {
        return None;
    }
    let mut rest_start = name_end;
    let optional_mark = text[rest_start..].starts_with('?');
    if optional_mark {
        rest_start += 1;
    }
    let rest = &text[rest_start..];
    let rest_trim = rest.trim_start();
    let at = rest_start + (rest.len() - rest_trim.len());
    // `Fields: a, b, c?` (an untyped list), also in the languages specs are
    // written in (`Campos`, `Atributos`, `Champs`, `Felder`, `字段`, `属性`).
    if FIELD_LIST_LABELS.contains(&name.text.to_lowercase().as_str()) {
        let list = rest_trim.strip_prefix(':')?;
        let list_start = at + 1;
        let mut fields = Vec::new();
        for item in split_list(
            inline,
            list_start,
            list_start + list.trim_end().len(),
            trimmed,
        ) {
            let optional = item.text.ends_with('?');
            let Some(field_name) = listed_field_name(item.text.trim_end_matches('?')) else {
                // Prose in the list (`imagens (referências GCS)` reads, a sentence does not).
                diagnostics.push(
                    Diagnostic::warning(
                        "unreadable-field",
                        item.span,
                        format!("`{}` is not a field name; it is left out", item.text),
                    )
                    .label("not a name")
                    .hint("name each field in one to four words, or use a fields table"),
                );
                continue;
            };
            fields.push(untyped_field(
                Located {
                    text: field_name,
                    span: item.span,
                },
                optional,
                diagnostics,
            ));
        }
        return (!fields.is_empty()).then_some(fields);
    }
    let (ty, constraints, description) = if rest_trim.starts_with('(') {
        let close = at + matching_paren(&text[at..])?;
        let parts = split_list(inline, at + 1, close, trimmed);
        let (first, others) = parts.split_first()?;
        let description = text[close + 1..]
            .trim_start_matches([':', '-', '—', '–', ' '])
            .trim()
            .to_string();
        let (first, others) = enum_values_in_list(first, others);
        (first, others, description)
    } else if let Some(after) = rest_trim
        .strip_prefix([':', '—', '–'])
        .or_else(|| rest_trim.strip_prefix(" - "))
        .or_else(|| rest_trim.strip_prefix("- "))
    {
        let value_start = text.len() - after.len();
        // The type runs to a dash that starts a description, or to the end.
        let end = [" - ", " — ", " – ", "; "]
            .iter()
            .filter_map(|sep| after.find(sep))
            .min()
            .map_or(text.trim_end().len(), |i| value_start + i);
        let parts = split_list(inline, value_start, end, trimmed);
        let (first, others) = parts.split_first()?;
        let description = text[end..]
            .trim_start_matches([' ', '-', '—', '–', ';'])
            .trim()
            .to_string();
        (first.clone(), others.to_vec(), description)
    } else {
        return None;
    };
    crate::forms::read_type(&ty.text)?;
    let mut field = RawField {
        name,
        ty,
        required: None,
        constraints,
        description,
    };
    if optional_mark {
        field.ty.text.push('?');
    }
    // `status: enum - Status (active, archived)`: the variants in the description.
    if field.ty.text.eq_ignore_ascii_case("enum") {
        if let (Some(open), Some(close)) =
            (field.description.rfind('('), field.description.rfind(')'))
        {
            if open < close {
                field.ty.text = format!("enum({})", &field.description[open + 1..close]);
            }
        }
    }
    let _ = file;
    Some(vec![field])
}

/// Bullets that name fields without a type: `` `id`: unique identifier ``,
/// `` `startedAt`, `endedAt` ``, `` `note` (optional) ``. Read under a fields
/// heading or label; elsewhere only when the name is a lowercase identifier
/// (prose bullets start with a capital).
fn untyped_bullet(
    inline: &Inline,
    in_fields: bool,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<RawField>> {
    let text = inline.text.trim_end();
    let head_end = text.find([':', '—', '–']).unwrap_or(text.len());
    let head = &text[..head_end];
    let (names_text, optional) = match head.find('(') {
        Some(open) => {
            let note = head[open..].to_ascii_lowercase();
            (
                &head[..open],
                note.contains("optional") || note.contains("nullable"),
            )
        }
        None => (head, false),
    };
    let names: Vec<&str> = names_text
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let is_name = |n: &str| {
        n.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && n.len() <= 64
    };
    if names.is_empty() || !names.iter().all(|n| is_name(n)) {
        return None;
    }
    if !in_fields && head_end == text.len() && names.len() == 1 {
        // A lone lowercase word is prose unless it is under a fields heading.
        return None;
    }
    let description = text
        .get(head_end..)
        .unwrap_or_default()
        .trim_start_matches([':', '—', '–', ' '])
        .trim();
    // `status`: `running` | `stopped`: the values after the colon.
    let values: Vec<&str> = description
        .split('|')
        .map(|v| v.trim().trim_matches(['`', '\'', '"']))
        .collect();
    let is_enum = values.len() >= 2
        && values.iter().all(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
    let mut fields = Vec::new();
    for name in names {
        let start = text.find(name).unwrap_or(0);
        let located = trimmed(inline, start, start + name.len());
        let mut field = if is_enum {
            RawField {
                ty: Located {
                    text: format!("enum({})", values.join(", ")),
                    span: located.span,
                },
                name: located,
                required: None,
                constraints: Vec::new(),
                description: String::new(),
            }
        } else {
            untyped_field(located, optional, diagnostics)
        };
        if is_enum && optional {
            field.ty.text.push('?');
        }
        field.description = description.to_string();
        fields.push(field);
    }
    Some(fields)
}

/// A field known only by name: its type is inferred from the name, visibly.
/// `(enum: shelf, box, required)`: the commas that separate constraints also
/// separate the enum's values; the one-word parts after `enum:` that are no
/// constraint are its values (`enum(shelf, box)`).
fn enum_values_in_list(first: &Located, others: &[Located]) -> (Located, Vec<Located>) {
    let lower = first.text.trim().to_ascii_lowercase();
    let Some(head) = lower
        .strip_prefix("enum:")
        .or_else(|| lower.strip_prefix("enum "))
        .filter(|rest| !rest.contains('('))
    else {
        return (first.clone(), others.to_vec());
    };
    let is_value = |part: &Located| {
        let word = part.text.trim().trim_matches(['`', '\'', '"']);
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && matches!(
                crate::forms::read_constraint(word, false),
                crate::forms::ReadConstraint::Unreadable
            )
    };
    let values_end = others
        .iter()
        .position(|p| !is_value(p))
        .unwrap_or(others.len());
    let head_start = first.text.len() - head.len();
    let mut values = vec![
        first.text[head_start..]
            .trim()
            .trim_matches(['`', '\'', '"'])
            .to_string(),
    ];
    values.extend(
        others[..values_end]
            .iter()
            .map(|p| p.text.trim().trim_matches(['`', '\'', '"']).to_string()),
    );
    let merged = Located {
        text: format!("enum({})", values.join(", ")),
        span: first.span,
    };
    (merged, others[values_end..].to_vec())
}

/// A field named in a list as people write it: `estoque_disponível` is
/// `estoque_disponivel`, `endereço de entrega` is `endereco_de_entrega`,
/// `SKU (único)` is `SKU` (the note in parentheses is prose). `None` for a
/// phrase of more than four words or letters no identifier can hold.
fn listed_field_name(text: &str) -> Option<String> {
    let name = text.split(['(', '（']).next().unwrap_or_default().trim();
    let name = name.trim_matches(['`', '*', '"']).trim();
    if name.split_whitespace().count() > 4 {
        return None;
    }
    let folded = crate::forms::fold_accents(name)?;
    let joined = folded
        .split([' ', '-', '/'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let valid = joined.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && joined
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(joined)
}

fn untyped_field(name: Located, optional: bool, diagnostics: &mut Vec<Diagnostic>) -> RawField {
    let ty = crate::forms::type_from_name(&name.text).unwrap_or("string");
    diagnostics.push(
        Diagnostic::warning(
            "untyped-field",
            name.span,
            format!(
                "field `{}` has no type; read as `{ty}` from its name",
                name.text
            ),
        )
        .label("no type")
        .hint("give the field a type: `- name: type`, or a fields table with a Type column"),
    );
    RawField {
        ty: Located {
            text: format!("{ty}{}", if optional { "?" } else { "" }),
            span: name.span,
        },
        name,
        required: None,
        constraints: Vec::new(),
        description: String::new(),
    }
}

/// Offset of the `)` that closes the `(` at the start of `text`.
fn matching_paren(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A model declared both as a table and in a fenced block of the same file:
/// one entity, fields merged, contradictions reported.
fn merge_fenced(entities: &mut Vec<RawEntity>, diagnostics: &mut Vec<Diagnostic>) {
    let mut i = 0;
    while i < entities.len() {
        // A fence merges into the table of the same name, else into an
        // earlier fence of that name (SQL DDL and a TypeScript interface).
        let twin = (0..entities.len())
            .find(|&j| {
                j != i
                    && entities[i].fenced
                    && !entities[j].fenced
                    && entities[j].name.text == entities[i].name.text
            })
            .or_else(|| {
                (0..i)
                    .find(|&j| entities[i].fenced && entities[j].name.text == entities[i].name.text)
            });
        let Some(j) = twin else {
            i += 1;
            continue;
        };
        let fenced = entities.remove(i);
        let j = if j > i { j - 1 } else { j };
        let table = &mut entities[j];
        let first_is = if table.fenced {
            "the first code block"
        } else {
            "the table"
        };
        for field in fenced.fields {
            match table
                .fields
                .iter_mut()
                .find(|f| f.name.text == field.name.text)
            {
                Some(existing) => match agree(&existing.ty.text, &field.ty.text) {
                    Agreement::Same => {}
                    Agreement::Richer => existing.ty.text = field.ty.text.clone(),
                    Agreement::Differ => diagnostics.push(
                        Diagnostic::warning(
                            "contradiction",
                            field.ty.span,
                            format!(
                                "`{}.{}` is `{}` here but `{}` in {first_is}; {first_is} wins",
                                table.name.text, field.name.text, field.ty.text, existing.ty.text
                            ),
                        )
                        .label("differs")
                        .related(existing.ty.span, "declared first here")
                        .hint("make the declarations agree"),
                    ),
                },
                None => table.fields.push(field),
            }
        }
        table.relationships.extend(fenced.relationships);
        table.has_table = true;
    }
}

enum Agreement {
    Same,
    /// The second declaration says more (an enum where the first says string).
    Richer,
    Differ,
}

/// Whether two declarations of one field agree. Vocabularies differ in
/// precision: TypeScript's `string` is SQL's `TEXT`, `UUID` or `TIMESTAMP`,
/// `number` is any number; optionality is not compared (tables and code
/// spell it differently).
fn agree(first: &str, second: &str) -> Agreement {
    use crate::model::Type;
    let resolve = |text: &str| {
        crate::forms::read_type(text)
            .and_then(|r| crate::types::parse_type(&r.canonical).ok())
            .map(|(t, _)| t)
    };
    let (Some(a), Some(b)) = (resolve(first), resolve(second)) else {
        return Agreement::Same;
    };
    let loose = |t: &Type| matches!(t, Type::String | Type::Text);
    let specific = |t: &Type| {
        matches!(
            t,
            Type::Uuid | Type::Date | Type::DateTime | Type::Time | Type::String | Type::Text
        )
    };
    if a == b || (a.is_numeric() && b.is_numeric()) {
        Agreement::Same
    } else if loose(&a) && matches!(b, Type::Enum(_)) {
        Agreement::Richer
    } else if (loose(&a) && specific(&b))
        || (loose(&b) && (specific(&a) || matches!(a, Type::Enum(_))))
    {
        Agreement::Same
    } else {
        Agreement::Differ
    }
}

/// `FR-001: text` -> (`FR-001`, `text`).
fn requirement(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let (id, rest) = text.split_once(':')?;
    let id = id.trim_end();
    let (prefix, number) = id.split_once('-')?;
    let ok = !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit());
    ok.then(|| (id, rest.trim()))
}

type Trim<'t> = dyn Fn(&Inline, usize, usize) -> Located + 't;

/// `OP-001: PlaceOrder` or `PlaceOrder`.
fn parse_operation_heading(inline: &Inline, file: usize, trimmed: &Trim<'_>) -> RawOperation {
    let text = &inline.text;
    let end = text.trim_end().len();
    let (start, end) = (text.len() - text.trim_start().len(), end);
    let (s, e) = inline.range(start, end);
    let mut op = RawOperation {
        heading: Some(Span::new(file, s, e)),
        ..RawOperation::default()
    };
    match text.find(':') {
        Some(colon) if requirement_like(&text[..colon]) => {
            op.id = Some(trimmed(inline, 0, colon));
            op.name = Some(trimmed(inline, colon + 1, end));
        }
        _ => op.name = Some(trimmed(inline, 0, end)),
    }
    op
}

fn requirement_like(text: &str) -> bool {
    requirement(&format!("{}:", text.trim())).is_some()
}

fn parse_operation_item(op: &mut RawOperation, inline: &Inline, trimmed: &Trim<'_>) {
    let text = &inline.text;
    let Some(colon) = text.find(':') else { return };
    let key = text[..colon].trim().to_ascii_lowercase();
    let (value_start, value_end) = (colon + 1, text.trim_end().len());
    if value_end <= value_start {
        return;
    }
    let value = trimmed(inline, value_start, value_end);
    match key.as_str() {
        "kind" => op.kind = Some(value),
        "input" | "inputs" | "parameters" | "params" => {
            op.inputs
                .extend(split_list(inline, value_start, value_end, trimmed));
        }
        "output" | "returns" | "response" => op.output = Some(value),
        "rules" | "requirements" | "enforces" => {
            op.rules
                .extend(split_list(inline, value_start, value_end, trimmed))
        }
        "errors" | "error codes" | "fails with" => {
            op.errors
                .extend(split_list(inline, value_start, value_end, trimmed))
        }
        "description" | "summary" => op.description = value.text,
        _ => {}
    }
}

/// Splits on commas outside `()`, `<>`; drops empty items and `none`/`-`.
pub(crate) fn split_list(
    inline: &Inline,
    start: usize,
    end: usize,
    trimmed: &Trim<'_>,
) -> Vec<Located> {
    let text = &inline.text;
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut item_start = start;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            ',' if depth <= 0 => {
                items.push(trimmed(inline, item_start, at));
                item_start = at + 1;
            }
            _ => {}
        }
    }
    items.push(trimmed(inline, item_start, end));
    items.retain(|item| {
        !item.text.is_empty()
            && !matches!(item.text.to_ascii_lowercase().as_str(), "none" | "-" | "—")
    });
    items
}

/// Finds each wanted column by header name; reports the missing required ones.
fn columns(
    table: &Table,
    file: usize,
    what: &str,
    wanted: &[(&[&str], bool)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Option<usize>>> {
    let headers: Vec<String> = table
        .header
        .iter()
        .map(|h| h.text.trim().trim_matches('*').trim().to_ascii_lowercase())
        .collect();
    let mut found = Vec::new();
    let mut ok = true;
    for (aliases, required) in wanted {
        let index = headers.iter().position(|h| aliases.contains(&h.as_str()));
        if index.is_none() && *required {
            let end = table
                .header
                .last()
                .map_or(0, |h| h.full_range().1)
                .max(table.start + 1);
            let span = Span::new(file, table.start, end);
            diagnostics.push(
                Diagnostic::error(
                    "missing-column",
                    span,
                    format!("{what} table has no `{}` column", aliases[0]),
                )
                .label("in this header")
                .hint(format!(
                    "add a `{}` column (also accepted: {})",
                    capitalize(aliases[0]),
                    aliases[1..].join(", ")
                )),
            );
            ok = false;
        }
        found.push(index);
    }
    ok.then_some(found)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn cell(row: &[Inline], index: Option<usize>) -> Option<&Inline> {
    index.and_then(|i| row.get(i))
}

fn cell_located(row: &[Inline], index: Option<usize>, trimmed: &Trim<'_>) -> Option<Located> {
    let inline = cell(row, index)?;
    let located = trimmed(inline, 0, inline.text.len());
    (!located.text.is_empty()).then_some(located)
}

fn row_span(row: &[Inline], file: usize) -> Span {
    let start = row.first().map_or(0, |c| c.full_range().0);
    let end = row.last().map_or(start, |c| c.full_range().1);
    Span::new(file, start, end)
}

/// Which column of a fields table a header names, after `[spec.aliases]`.
fn field_column(header: &str, options: &Options) -> Option<usize> {
    let norm = header.trim().trim_matches('*').trim().to_ascii_lowercase();
    let canonical = options
        .columns
        .get(&norm)
        .map_or(norm.as_str(), String::as_str);
    // `Constraints / Notes`: the first part that names a column decides.
    canonical
        .split(['/', '&', ','])
        .map(str::trim)
        .find_map(|part| {
            Some(match part {
                // Common Chinese and Japanese headers are built in; others go in `[spec.aliases]`.
                "字段名" | "字段" | "属性" | "属性名" | "列名" | "フィールド" | "項目"
                | "項目名" | "カラム" => 0,
                "类型" | "数据类型" | "型" | "データ型" | "タイプ" => 1,
                "必填" | "是否必填" | "必須" => 2,
                "约束" | "约束条件" | "制約" | "制約条件" | "校验" | "验证" => 3,
                "说明" | "描述" | "备注" | "説明" | "備考" | "注释" => 4,
                "默认值" | "デフォルト" | "初期値" => 5,
                "field" | "name" | "attribute" | "column" | "field name" | "property"
                | "column name" | "attribute name" | "fields" | "attributes" => 0,
                "type" | "data type" | "datatype" | "sql type" | "db type" | "postgres type"
                | "type (db)" | "format" => 1,
                "required" | "nullable" | "optional" | "null" | "not null" | "null?"
                | "nullable?" | "required?" | "req" | "mandatory" => 2,
                "constraints" | "constraint" | "rules" | "validation" | "validation rules"
                | "checks" | "validations" => 3,
                "description" | "notes" | "note" | "comment" | "comments" | "details"
                | "purpose" | "meaning" | "remarks" | "example" => 4,
                "default" | "default value" | "defaults" => 5,
                "key" | "keys" | "pk" | "pk/fk" | "index" | "indexes" | "references"
                | "relation" | "foreign key" | "fk" | "unique" => 6,
                _ => return None,
            })
        })
}

/// A table naming fields and their types, and no entity column (a summary
/// of several entities' fields is no entity's table).
fn has_field_and_type_columns(table: &Table, options: &Options) -> bool {
    let columns: Vec<Option<usize>> = table
        .header
        .iter()
        .map(|h| field_column(&h.text, options))
        .collect();
    let entity_column = table.header.iter().any(|h| {
        matches!(
            h.text.trim().to_ascii_lowercase().as_str(),
            "entity" | "table" | "model"
        )
    });
    columns.contains(&Some(0)) && columns.contains(&Some(1)) && !entity_column
}

fn parse_fields_table(
    entity: &mut RawEntity,
    table: &Table,
    file: usize,
    options: &Options,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut cols: [Option<usize>; 7] = [None; 7];
    for (i, header) in table.header.iter().enumerate() {
        if let Some(column) = field_column(&header.text, options) {
            cols[column].get_or_insert(i);
        }
    }
    if cols[0].is_some() || cols[1].is_some() {
        entity.has_table = true;
    }
    if cols[0].is_none() && cols[1].is_some_and(|t| t > 0) && cols[1] != Some(0) {
        // `| Variable | Type |`, `| Key | Type |`: the first column names the fields.
        let first = table
            .header
            .first()
            .map(|h| h.text.trim().to_string())
            .unwrap_or_default();
        if !first.is_empty() && field_column(&first, options).is_none() {
            cols[0] = Some(0);
        }
    }
    if cols[0].is_none() {
        // Not a fields table (an index list, a state table): prose to us.
        if cols[1].is_some() && entity.explicit {
            let _ = columns(
                table,
                file,
                "entity",
                &[(&["field", "name", "attribute", "column"], true)],
                diagnostics,
            );
            entity.reported = true;
        }
        return;
    }
    if cols[1].is_none() && entity.explicit {
        let _ = columns(
            table,
            file,
            "entity",
            &[(&["type", "data type"], true)],
            diagnostics,
        );
        entity.reported = true;
        return;
    }
    entity.has_table = true;
    // `Nullable`/`Optional` columns mean the opposite of `Required`.
    let required_inverted = cols[2].is_some_and(|i| {
        let h = table.header[i]
            .text
            .trim()
            .trim_matches('*')
            .trim()
            .to_ascii_lowercase();
        !matches!(
            h.as_str(),
            "required" | "required?" | "req" | "mandatory" | "not null"
        )
    });
    let notes_column = cols[3].is_some_and(|i| {
        let h = table.header[i].text.to_ascii_lowercase();
        h.contains("note") || h.contains("description") || h.contains("comment")
    });
    let missing_cell = |row: &[Inline]| {
        Diagnostic::error(
            "missing-cell",
            row_span(row, file),
            "field row needs a name and a type",
        )
        .label("this row")
        .hint("fill in the Field and Type cells, or delete the row")
    };
    for row in &table.rows {
        let Some(name) = cell_located(row, cols[0], trimmed) else {
            diagnostics.push(missing_cell(row));
            continue;
        };
        let ty = match cols[1] {
            Some(_) => match cell_located(row, cols[1], trimmed) {
                Some(ty) => ty,
                None => {
                    diagnostics.push(missing_cell(row));
                    continue;
                }
            },
            None => {
                let mut field = untyped_field(name, false, diagnostics);
                field.description = cell(row, cols[4])
                    .map(|c| c.text.trim().to_string())
                    .unwrap_or_default();
                entity.fields.push(field);
                continue;
            }
        };
        let mut required = cell_located(row, cols[2], trimmed);
        if required_inverted {
            if let Some(r) = required.as_mut() {
                r.text = format!("!{}", r.text);
            }
        }
        let mut constraints = match cell(row, cols[3]) {
            Some(inline) => split_constraints(inline, trimmed),
            None => Vec::new(),
        };
        let mut notes_prose = Vec::new();
        if notes_column {
            // `Constraints / Notes`: prose there is a note to the reader, not a
            // constraint that failed to parse.
            let mut kept = Vec::new();
            for c in constraints {
                let (readable, prose): (Vec<&str>, Vec<&str>) = c
                    .text
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .partition(|p| {
                        !matches!(
                            crate::forms::read_constraint(p, false),
                            crate::forms::ReadConstraint::Unreadable
                        )
                    });
                notes_prose.extend(prose.iter().map(|p| p.to_string()));
                if !readable.is_empty() {
                    kept.push(Located {
                        text: readable.join("; "),
                        span: c.span,
                    });
                }
            }
            constraints = kept;
        }
        if let Some(inline) = cell(row, cols[6]) {
            constraints.extend(split_list(inline, 0, inline.text.len(), trimmed));
        }
        if let Some(default) = cell_located(row, cols[5], trimmed) {
            if !matches!(
                default.text.as_str(),
                "-" | "—" | "–" | "N/A" | "n/a" | "none" | "None"
            ) {
                constraints.push(Located {
                    text: format!("default {}", default.text),
                    span: default.span,
                });
            }
        }
        let mut description = cell(row, cols[4])
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        for prose in notes_prose {
            if !description.is_empty() {
                description.push_str("; ");
            }
            description.push_str(&prose);
        }
        entity.fields.push(RawField {
            name,
            ty,
            required,
            constraints,
            description,
        });
    }
}

/// Constraints are comma-separated, except that `pattern` takes the rest of the cell
/// (regular expressions contain commas).
fn split_constraints(inline: &Inline, trimmed: &Trim<'_>) -> Vec<Located> {
    let text = &inline.text;
    let lower = text.to_ascii_lowercase();
    let pattern_at = lower
        .match_indices("pattern")
        .map(|(i, _)| i)
        .find(|&i| lower[..i].trim_end().is_empty() || lower[..i].trim_end().ends_with(','));
    let end = pattern_at.unwrap_or(text.len());
    let before_pattern = text[..end].trim_end().trim_end_matches(',').len();
    let mut items = split_list(inline, 0, before_pattern, trimmed);
    if let Some(at) = pattern_at {
        let pattern_end = pattern_end(text, at);
        items.push(trimmed(inline, at, pattern_end));
        let rest_start = text[pattern_end..]
            .find(',')
            .map_or(text.len(), |i| pattern_end + i + 1);
        items.extend(split_list(
            inline,
            rest_start,
            text.trim_end().len(),
            trimmed,
        ));
    }
    items
}

/// Where the `pattern` starting at `at` ends: at the end of the cell, or
/// before a `, ` that starts another constraint (`pattern ^[A-Z]+$, max 10`).
/// A regular expression that really continues with `, max 10` is not one
/// anyone writes; one that drops the `max` silently is a bug people hit.
fn pattern_end(text: &str, at: usize) -> usize {
    let end = text.trim_end().len();
    for (comma, _) in text[at..end].match_indices(',') {
        let comma = at + comma;
        if starts_constraint(&text[comma + 1..end]) {
            return text[..comma].trim_end().len();
        }
    }
    end
}

/// Whether `rest` (after a comma) reads as one of the canonical constraints.
fn starts_constraint(rest: &str) -> bool {
    let rest = rest.trim_start().to_ascii_lowercase();
    let word_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (word, after) = rest.split_at(word_end);
    let after = after.trim_start();
    let ends = after.is_empty() || after.starts_with(',');
    let number = after
        .strip_prefix('-')
        .unwrap_or(after)
        .starts_with(|c: char| c.is_ascii_digit());
    match word {
        "min" | "max" => number,
        "unique" | "index" | "indexed" | "required" | "optional" | "nullable" | "pk" => ends,
        "primary" => ends || after.starts_with("key"),
        "not" => after.starts_with("null"),
        "default" | "references" | "fk" | "ref" => !after.is_empty() && !ends,
        _ => false,
    }
}

fn parse_endpoints_table(
    spec: &mut RawSpec,
    table: &Table,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let header = |aliases: &[&str]| {
        table.header.iter().position(|h| {
            aliases.contains(
                &h.text
                    .trim()
                    .trim_matches('*')
                    .trim()
                    .to_ascii_lowercase()
                    .as_str(),
            )
        })
    };
    // A table without a method column under API Endpoints is a request or
    // response body, not a list of routes.
    let endpoint_col = header(&["endpoint", "endpoints"]);
    if header(&["method", "verb"]).is_none() && endpoint_col.is_none() {
        return;
    }
    let derive_operation = header(&["operation", "op", "handler"]).is_none()
        && header(&["path", "route", "url"]).or(endpoint_col).is_some();
    let wanted: &[(&[&str], bool)] = &[
        (&["method", "verb"], endpoint_col.is_none()),
        (&["path", "route", "url", "endpoint", "endpoints"], true),
        (&["operation", "op", "handler"], !derive_operation),
        (&["status", "success", "code"], false),
        (&["errors", "error statuses", "error codes"], false),
        (&["description", "summary", "purpose"], false),
    ];
    let Some(cols) = columns(table, file, "endpoints", wanted, diagnostics) else {
        return;
    };
    for row in &table.rows {
        let mut path_cell = cell_located(row, cols[1], trimmed);
        let mut method_cell = cell_located(row, cols[0], trimmed);
        // `| GET /api/todos |` in one Endpoint cell.
        if let Some(path) = path_cell.as_mut() {
            if let Some((verb, rest)) = path.text.split_once(' ') {
                if is_http_method(verb) && rest.trim().starts_with('/') {
                    let verb_len = verb.len();
                    method_cell.get_or_insert_with(|| Located {
                        text: verb.to_string(),
                        span: Span::new(
                            path.span.file,
                            path.span.start,
                            path.span.start + verb_len,
                        ),
                    });
                    path.text = rest.trim().to_string();
                }
            }
        }
        let operation_cell = if derive_operation {
            match (&method_cell, &path_cell) {
                (Some(method), Some(path)) => {
                    let name = operation_name(&method.text, &path.text);
                    let description = cell(row, cols[5])
                        .map(|c| c.text.trim().to_string())
                        .unwrap_or_default();
                    if !spec
                        .operations
                        .iter()
                        .any(|o| o.name.as_ref().is_some_and(|n| n.text == name))
                    {
                        diagnostics.push(
                            Diagnostic::note("read-endpoint", path.span, format!("`{} {}` names no operation: read as the free operation `{name}`", method.text, path.text))
                                .label("endpoint")
                                .hint("add an Operation column, or describe the operation under `## Operations`"),
                        );
                        spec.operations.push(RawOperation {
                            name: Some(Located {
                                text: name.clone(),
                                span: path.span,
                            }),
                            heading: Some(path.span),
                            inputs: route_params(&path.text)
                                .into_iter()
                                .map(|p| Located {
                                    text: format!("{p}: string"),
                                    span: path.span,
                                })
                                .collect(),
                            description,
                            ..RawOperation::default()
                        });
                    }
                    Some(Located {
                        text: name,
                        span: path.span,
                    })
                }
                _ => None,
            }
        } else {
            cell_located(row, cols[2], trimmed)
        };
        let (Some(method), Some(path), Some(operation)) = (method_cell, path_cell, operation_cell)
        else {
            diagnostics.push(
                Diagnostic::error(
                    "missing-cell",
                    row_span(row, file),
                    "endpoint row needs a method, a path and an operation",
                )
                .label("this row")
                .hint("fill in Method, Path and Operation, or delete the row"),
            );
            continue;
        };
        let status = cell_located(row, cols[3], trimmed);
        let errors = match cell(row, cols[4]) {
            Some(inline) => split_list(inline, 0, inline.text.len(), trimmed),
            None => Vec::new(),
        };
        spec.endpoints.push(RawEndpoint {
            method,
            path,
            operation,
            status,
            errors,
            shape: Default::default(),
        });
    }
}

fn is_http_method(word: &str) -> bool {
    matches!(
        word.to_ascii_uppercase().as_str(),
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
    )
}

/// Parameter names of a route in any spelling: `{id}`, `:id`, `<int:id>`.
fn route_params(path: &str) -> Vec<String> {
    path.split('?')
        .next()
        .unwrap_or(path)
        .split('/')
        .filter_map(|segment| {
            let name = segment
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .or_else(|| segment.strip_prefix(':'))
                .or_else(|| {
                    segment
                        .strip_prefix('<')
                        .and_then(|s| s.strip_suffix('>'))
                        .map(|s| s.rsplit(':').next().unwrap_or(s))
                })?;
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| name.to_string())
        })
        .collect()
}

/// A name for a route that names no operation: `GET /todos/{id}` → `GetTodo`,
/// `GET /todos` → `ListTodos`, `POST /todos` → `CreateTodo`.
fn operation_name(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path
        .split('?')
        .next()
        .unwrap_or(path)
        .split('/')
        .filter(|s| !s.is_empty() && !matches!(*s, "api" | "v1" | "v2" | "v3"))
        .collect();
    let is_param = |s: &str| s.starts_with(['{', ':', '<']);
    let item = segments.last().is_some_and(|s| is_param(s));
    let nouns: Vec<&str> = segments.iter().copied().filter(|s| !is_param(s)).collect();
    let noun = nouns.last().copied().unwrap_or("root");
    let words = crate::case::pascal(&noun.replace('-', "_"));
    let singular = crate::case::pascal(&crate::forms::singular(&crate::case::snake(
        &noun.replace('-', "_"),
    )));
    match (method.to_ascii_uppercase().as_str(), item) {
        ("GET", false) => format!("List{words}"),
        ("GET", true) => format!("Get{singular}"),
        ("POST", false) => format!("Create{singular}"),
        ("POST", true) => format!("Post{singular}"),
        ("PUT" | "PATCH", _) => format!("Update{singular}"),
        ("DELETE", _) => format!("Delete{singular}"),
        (other, _) => format!(
            "{}{words}",
            crate::case::pascal(&other.to_ascii_lowercase())
        ),
    }
}

fn parse_errors_table(
    spec: &mut RawSpec,
    table: &Table,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let wanted: &[(&[&str], bool)] = &[
        (&["code", "error", "name"], true),
        (&["http", "status", "http status"], true),
        (&["message", "description", "meaning"], false),
    ];
    let Some(cols) = columns(table, file, "errors", wanted, diagnostics) else {
        return;
    };
    for row in &table.rows {
        let (Some(code), Some(http)) = (
            cell_located(row, cols[0], trimmed),
            cell_located(row, cols[1], trimmed),
        ) else {
            diagnostics.push(
                Diagnostic::error(
                    "missing-cell",
                    row_span(row, file),
                    "error row needs a code and an HTTP status",
                )
                .label("this row")
                .hint("fill in Code and HTTP, or delete the row"),
            );
            continue;
        };
        let message = cell(row, cols[2])
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        spec.errors.push(RawError {
            code,
            http,
            message,
        });
    }
}
