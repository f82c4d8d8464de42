//! Merges the raw items of every spec into domains and validates them.
//!
//! Every check pushes a diagnostic and carries on, so one run reports every problem.

use std::collections::{BTreeMap, HashMap};

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::forms;
use crate::model::*;
use crate::options::Options;
use crate::source::{Source, Span};
use crate::syntax::{Located, RawEndpoint, RawEntity, RawField, RawOperation, RawSpec};
use crate::types::{self, TypeError};

pub fn lower(
    sources: &[Source],
    raws: Vec<RawSpec>,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> Project {
    // Every file of a feature folder (spec.md, data-model.md, contracts/) takes
    // the domain and ticket of its spec.md; without one, of the folder itself.
    let mut dir_domain: HashMap<&str, (Option<Located>, Option<Located>)> = HashMap::new();
    for raw in &raws {
        if sources[raw.file].file_name() == "spec.md" {
            dir_domain.insert(
                sources[raw.file].feature_dir(),
                (raw.domain.clone(), raw.ticket.clone()),
            );
        }
    }
    let mut by_domain: BTreeMap<String, Vec<RawSpec>> = BTreeMap::new();
    let mut reported_dirs: Vec<&str> = Vec::new();
    for mut raw in raws {
        let source = &sources[raw.file];
        let dir = source.feature_dir();
        if raw.domain.is_none() || raw.ticket.is_none() {
            if let Some((domain, ticket)) = dir_domain.get(dir) {
                raw.domain = raw.domain.or_else(|| domain.clone());
                raw.ticket = raw.ticket.or_else(|| ticket.clone());
            }
        }
        if raw.domain.is_none() {
            // spec-kit folders carry no domain: `001-todo-app` is domain `todo_app`.
            let folder = dir.rsplit(['/', '\\']).next().unwrap_or_default();
            let (derived, how) = match options.domains.get(folder) {
                Some(mapped) => (mapped.clone(), "as `[domains]` in scaffold.toml says"),
                None => (domain_from_folder(folder), "from its folder name"),
            };
            if is_domain_name(&derived) {
                if !reported_dirs.contains(&dir) {
                    reported_dirs.push(dir);
                    diagnostics.push(
                        Diagnostic::note("derived-domain", Span::new(raw.file, 0, 0), format!("domain `{derived}` for `{folder}`, {how}"))
                            .label("no domain declared")
                            .hint(format!("add `**Domain**: {derived}` to the spec, or map the folder in `[domains]` of scaffold.toml")),
                    );
                }
                raw.domain = Some(Located {
                    text: derived,
                    span: Span::new(raw.file, 0, 0),
                });
            }
        }
        let Some(domain) = raw.domain.clone() else {
            // Reported once per folder, on its spec.md when there is one.
            let has_spec = dir_domain.contains_key(dir);
            if !reported_dirs.contains(&dir) && (!has_spec || source.file_name() == "spec.md") {
                reported_dirs.push(dir);
                diagnostics.push(
                    Diagnostic::error("missing-domain", Span::new(raw.file, 0, 0), "spec declares no domain")
                        .label("expected front matter here")
                        .hint("start the file with front matter:\n---\nticket: ORD-142\ndomain: orders\n---\nor add a line `**Domain**: orders`, or keep the spec in a folder named like `specs/001-orders/`"),
                );
            }
            continue;
        };
        if !is_domain_name(&domain.text) {
            diagnostics.push(
                Diagnostic::error("invalid-name", domain.span, format!("`{}` is not a valid domain name", domain.text))
                    .label("domain name")
                    .hint(format!(
                        "a domain is also a folder and a module: use snake_case letters, digits and `_`, starting with a letter (for example `{}`)",
                        suggest_snake(&domain.text, "orders")
                    )),
            );
            continue;
        }
        by_domain.entry(domain.text).or_default().push(raw);
    }
    let domains = by_domain
        .into_iter()
        .map(|(name, raws)| {
            let mut lowering = DomainLowering::new(sources, diagnostics);
            lowering.infer_crud = options.infer_crud;
            lowering.lower(name, raws)
        })
        .collect();
    Project { domains }
}

/// Whether two names are one in code: `createdAt`, `created_at` and
/// `CreatedAt` all are (letters and digits compared without case, no
/// allocation: this runs for every pair of fields).
fn same_name(a: &str, b: &str) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
    }
    a.len().abs_diff(b.len()) <= 4 && letters(a).eq(letters(b))
}

/// `001-todo-app` → `todo_app`: the numeric prefix dropped, snake_cased.
fn domain_from_folder(folder: &str) -> String {
    let rest = folder.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() < folder.len() {
        rest.trim_start_matches(['-', '_', '.'])
    } else {
        folder
    };
    let snake = case::snake(&rest.replace(['-', '.', ' '], "_"));
    let mut out = String::new();
    for part in snake.split('_').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(part);
    }
    out
}

fn is_domain_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

fn suggest_snake(name: &str, fallback: &str) -> String {
    let snake = case::snake(name);
    if is_domain_name(&snake) {
        snake
    } else {
        fallback.to_string()
    }
}

struct EntitySpans {
    name: Span,
    fields: HashMap<String, Span>,
}

struct DomainLowering<'a> {
    sources: &'a [Source],
    diagnostics: &'a mut Vec<Diagnostic>,
    entities: Vec<Entity>,
    entity_spans: HashMap<String, EntitySpans>,
    /// (entity, field, span of the target): checked once every entity is known.
    pending_references: Vec<(String, String, Span)>,
    /// (entity, field) whose type could not be read: already reported, so no
    /// check that depends on the type reports them again.
    untyped: Vec<(String, String)>,
    /// Join tables and composite keys: the pair of fields that identifies an
    /// item; conventional CRUD lists by it.
    pairs: HashMap<String, Vec<String>>,
    /// Infer create/get/list/update/delete when the domain declares no operation.
    infer_crud: bool,
}

impl<'a> DomainLowering<'a> {
    fn new(sources: &'a [Source], diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            sources,
            diagnostics,
            entities: Vec::new(),
            entity_spans: HashMap::new(),
            pending_references: Vec::new(),
            untyped: Vec::new(),
            pairs: HashMap::new(),
            infer_crud: true,
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn lower(mut self, name: String, mut raws: Vec<RawSpec>) -> Domain {
        raws.sort_by(|a, b| self.sources[a.file].path.cmp(&self.sources[b.file].path));
        let mut specs: Vec<SpecRef> = raws
            .iter()
            .map(|raw| {
                let source = &self.sources[raw.file];
                let ticket = raw.ticket.as_ref().map_or_else(
                    || {
                        source
                            .feature_dir()
                            .rsplit(['/', '\\'])
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    },
                    |t| t.text.clone(),
                );
                SpecRef {
                    ticket,
                    path: source.path.clone(),
                }
            })
            .collect();
        specs.dedup();

        // Entities first: everything else refers to them.
        let mut raw_fields: Vec<(usize, Vec<&RawField>)> = Vec::new();
        for raw in &raws {
            for entity in &raw.entities {
                self.declare_entity(entity, &mut raw_fields);
            }
        }
        let declared_empty: Vec<String> = raws
            .iter()
            .flat_map(|r| &r.entities)
            .filter(|e| (e.explicit && !e.has_table) || e.reported)
            .map(|e| e.name.text.clone())
            .collect();
        let had_rows: Vec<String> = raw_fields
            .iter()
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(index, _)| self.entities[*index].name.clone())
            .collect();
        for (index, fields) in raw_fields {
            for field in fields {
                self.add_field(index, field);
            }
        }
        // A heading with a table of something else (`| Variable | Value |`) is
        // no entity: said once, and never handed to a generator without fields.
        let empty: Vec<String> = self
            .entities
            .iter()
            .filter(|e| e.fields.is_empty())
            .map(|e| e.name.clone())
            .collect();
        for name in empty {
            // Rows that all failed were reported on their own.
            if !declared_empty.contains(&name) && !had_rows.contains(&name) {
                let span = self.entity_spans[&name].name;
                self.push(
                    Diagnostic::warning("missing-fields", span, format!("`{name}` declares no fields scaffold can read; it is not generated"))
                        .label("entity heading")
                        .hint("give it a fields table (| Field | Type | ...) or field bullets (`- name: type`); for headers in another language, see `[spec.aliases]`"),
                );
            }
            self.entities.retain(|e| e.name != name);
            self.entity_spans.remove(&name);
        }
        for raw in &raws {
            for entity in &raw.entities {
                self.add_relationships(entity);
            }
        }
        self.check_entities();

        // Not over a broken model: the errors come first, inferences after.
        if self.infer_crud
            && !self.diagnostics.iter().any(Diagnostic::is_error)
            && raws
                .iter()
                .all(|r| r.operations.is_empty() && r.endpoints.is_empty())
        {
            if let Some(crud) = self.conventional_crud(&raws) {
                raws.push(crud);
            }
        }
        self.normalize_paths(&mut raws);
        self.prefer_openapi(&mut raws);
        self.add_route_inputs(&mut raws);
        let errors = self.lower_errors(&raws);
        let operations = self.lower_operations(&raws, &errors);
        let endpoints = self.lower_endpoints(&raws, &operations);
        // Not over errors: they already say why nothing is generated.
        if self.entities.is_empty()
            && operations.is_empty()
            && !self.diagnostics.iter().any(Diagnostic::is_error)
        {
            self.warn_empty(&name, &raws);
        }
        Domain {
            name,
            specs,
            entities: self.entities,
            operations: operations.into_iter().map(|(o, _, _)| o).collect(),
            endpoints,
            errors: errors.into_iter().map(|(e, _)| e).collect(),
        }
    }

    fn declare_entity<'r>(
        &mut self,
        raw: &'r RawEntity,
        raw_fields: &mut Vec<(usize, Vec<&'r RawField>)>,
    ) {
        let name = &raw.name;
        if !is_identifier(&name.text) || !name.text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.push(
                Diagnostic::error(
                    "invalid-name",
                    name.span,
                    format!("`{}` is not a valid entity name", name.text),
                )
                .label("entity name")
                .hint(format!(
                    "use PascalCase letters and digits, for example `{}`",
                    case::pascal(&name.text)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            );
            return;
        }
        if !raw.has_table && !raw.explicit {
            self.push(
                Diagnostic::warning(
                    "missing-fields",
                    name.span,
                    format!("`{}` looks like an entity but declares no fields; it is not generated", name.text),
                )
                .label("entity heading")
                .hint("add a fields table (| Field | Type | Required | Constraints |) or field bullets (`- name: type`)"),
            );
            return;
        }
        if !raw.has_table {
            self.push(
                Diagnostic::error(
                    "missing-fields",
                    name.span,
                    format!("entity `{}` has no fields table", name.text),
                )
                .label("entity declared here")
                .hint("add a table under the heading: | Field | Type | Required | Constraints |"),
            );
        }
        let index = match self.entities.iter().position(|e| e.name == name.text) {
            Some(index) => {
                let first = self.entity_spans[&name.text].name;
                if first.file == name.span.file {
                    self.push(
                        Diagnostic::error(
                            "duplicate",
                            name.span,
                            format!("entity `{}` is declared twice", name.text),
                        )
                        .label("declared again here")
                        .related(first, "first declared here")
                        .hint("merge the two tables into one"),
                    );
                    return;
                }
                // Another ticket extends the entity: fields merge below.
                index
            }
            None => {
                self.entities.push(Entity {
                    name: name.text.clone(),
                    fields: Vec::new(),
                    relationships: Vec::new(),
                });
                self.entity_spans.insert(
                    name.text.clone(),
                    EntitySpans {
                        name: name.span,
                        fields: HashMap::new(),
                    },
                );
                self.entities.len() - 1
            }
        };
        match raw_fields.iter_mut().find(|(i, _)| *i == index) {
            Some((_, fields)) => fields.extend(&raw.fields),
            None => raw_fields.push((index, raw.fields.iter().collect())),
        }
    }

    fn type_error(&mut self, at: &Located, error: TypeError) {
        let offset = at.text.len() - at.text.trim_start().len();
        let span = Span::new(
            at.span.file,
            at.span.start + offset + error.start,
            at.span.start + offset + error.end.max(error.start + 1),
        );
        let span = Span::new(
            span.file,
            span.start.min(at.span.end),
            span.end.min(at.span.end),
        );
        self.push(
            Diagnostic::error("invalid-type", span, error.message)
                .label("here")
                .hint(error.hint),
        );
    }

    /// Parses a type and checks that the entities it names exist.
    fn resolve_type(&mut self, at: &Located) -> Option<(Type, bool)> {
        match types::parse_type(&at.text) {
            Ok((ty, optional)) => {
                let ty = self.soften_unknown(ty, at);
                self.check_type_names(&ty, at).then_some((ty, optional))
            }
            Err(error) => {
                self.type_error(at, error);
                None
            }
        }
    }

    fn check_type_names(&mut self, ty: &Type, at: &Located) -> bool {
        match ty {
            Type::List(inner) => self.check_type_names(inner, at),
            Type::Entity(name) if self.entities.iter().all(|e| &e.name != name) => {
                let (code, hint) = if let Some(close) = types::closest_primitive(name) {
                    ("unknown-type", format!("did you mean `{close}`?"))
                } else if let Some(close) = self.closest_entity(name) {
                    ("unknown-entity", format!("did you mean `{close}`?"))
                } else {
                    (
                        "unknown-type",
                        format!(
                            "use a portable type (string, text, bool, i32, i64, f64, decimal, uuid, date, datetime, json, enum(...), list<T>) or one of this domain's entities: {}",
                            self.entity_names()
                        ),
                    )
                };
                let name_at = at.text.find(name.as_str()).unwrap_or(0);
                let span = Span::new(
                    at.span.file,
                    at.span.start + name_at,
                    at.span.start + name_at + name.len(),
                );
                self.push(
                    Diagnostic::error(code, span, format!("unknown type `{name}`"))
                        .label("not a type or entity of this domain")
                        .hint(hint),
                );
                false
            }
            _ => true,
        }
    }

    /// A type name that is no entity and close to nothing known (`Money`,
    /// `GeoPoint`, a value object described elsewhere) is stored as json, with
    /// a warning; a near miss (`Ordr`) stays an error with a suggestion.
    fn soften_unknown(&mut self, ty: Type, at: &Located) -> Type {
        match ty {
            Type::List(inner) => Type::List(Box::new(self.soften_unknown(*inner, at))),
            Type::Entity(name)
                if self.entities.iter().all(|e| e.name != name)
                    && types::closest_primitive(&name).is_none()
                    && self.closest_entity(&name).is_none() =>
            {
                self.push(
                    Diagnostic::warning("unknown-type", at.span, format!("unknown type `{name}`: stored as json"))
                        .label("not a type or entity of this domain")
                        .hint(format!("declare `{name}` as an entity, or use a portable type (string, i32, decimal, uuid, datetime, enum(...), list<T>, ...)")),
                );
                Type::Json
            }
            other => other,
        }
    }

    fn closest_entity(&self, name: &str) -> Option<String> {
        self.entities
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    types::edit_distance(&e.name.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                )
            })
            .filter(|(_, d)| *d <= 2)
            .min_by_key(|(_, d)| *d)
            .map(|(n, _)| n)
    }

    fn entity_names(&self) -> String {
        if self.entities.is_empty() {
            return "(none declared)".to_string();
        }
        self.entities
            .iter()
            .map(|e| format!("`{}`", e.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn add_field(&mut self, index: usize, raw: &RawField) {
        let entity_name = self.entities[index].name.clone();
        let mut name = raw.name.text.clone();
        if !is_identifier(&name) {
            // `First Name`, `due-date`: a field name people wrote for people.
            let snake = case::snake(&name.replace(['-', ' ', '.'], "_"));
            if is_identifier(&snake) && !snake.is_empty() {
                self.push(
                    Diagnostic::note(
                        "read-field",
                        raw.name.span,
                        format!("read field `{name}` as `{snake}`"),
                    )
                    .label("field name"),
                );
                name = snake;
            } else {
                self.push(
                    Diagnostic::error(
                        "invalid-name",
                        raw.name.span,
                        format!("`{}` is not a valid field name", raw.name.text),
                    )
                    .label("field name")
                    .hint(format!(
                        "use letters, digits and `_`, for example `{}`",
                        case::snake(&raw.name.text)
                    )),
                );
                return;
            }
        }
        let mut implied: Vec<Located> = Vec::new();
        // `| status | enum | | one of open, closed |`: the values are in another cell.
        let bare_enum = raw
            .ty
            .text
            .trim()
            .trim_end_matches('?')
            .eq_ignore_ascii_case("enum");
        let joined = raw
            .constraints
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let enum_text = bare_enum
            .then(|| forms::enum_values(&joined).or_else(|| forms::enum_values(&raw.description)))
            .flatten();
        // The phrases that listed the values are not constraints.
        let is_value_list = |text: &str| {
            let lower = text.trim().to_ascii_lowercase();
            enum_text.as_ref().is_some_and(|e| {
                ["one of", "values", "either", "enum"]
                    .iter()
                    .any(|w| lower.starts_with(w))
                    || e.trim_start_matches("enum(")
                        .trim_end_matches(')')
                        .split(", ")
                        .any(|v| v.eq_ignore_ascii_case(text.trim().trim_matches(['`', '\'', '"'])))
            })
        };
        let ty_text = match &enum_text {
            Some(variants) => {
                self.push(
                    Diagnostic::note(
                        "read-type",
                        raw.ty.span,
                        format!("read `enum` with its values as `{variants}`"),
                    )
                    .label("type"),
                );
                format!(
                    "{variants}{}",
                    if raw.ty.text.trim().ends_with('?') {
                        "?"
                    } else {
                        ""
                    }
                )
            }
            None => raw.ty.text.clone(),
        };
        let (ty, optional, typed) = match forms::read_type(&ty_text) {
            Some(read) => {
                if let Some(note) = &read.note {
                    let mut diagnostic =
                        Diagnostic::note("read-type", raw.ty.span, note.clone()).label("type");
                    // A fix only where the cell says exactly what was read and
                    // nothing else came with it (`varchar(255)` also implies a max).
                    let written = self.sources[raw.ty.span.file]
                        .text
                        .get(raw.ty.span.start..raw.ty.span.end);
                    if written.map(str::trim) == Some(raw.ty.text.trim())
                        && read.constraints.is_empty()
                    {
                        let mut canonical = read.canonical.clone();
                        if read.optional {
                            canonical.push('?');
                        }
                        diagnostic = diagnostic.replacement(canonical);
                    }
                    self.push(diagnostic);
                }
                implied.extend(read.constraints.iter().map(|c| Located {
                    text: c.clone(),
                    span: raw.ty.span,
                }));
                let at = Located {
                    text: read.canonical.clone(),
                    span: raw.ty.span,
                };
                match self.resolve_type(&at) {
                    Some((ty, optional)) => (ty, optional || read.optional, true),
                    None => (Type::Json, read.optional, false),
                }
            }
            None => match self.resolve_type(&raw.ty) {
                Some((ty, optional)) => (ty, optional, true),
                // Still a field: its constraints are checked and no
                // `missing-primary-key` follows from one unreadable type.
                None => (Type::Json, false, false),
            },
        };
        let mut field = Field {
            description: raw.description.clone(),
            ..Field::new(name, ty, !optional)
        };
        if let Some(required) = &raw.required {
            let (inverted, text) = match required.text.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, required.text.as_str()),
            };
            match parse_yes_no(text) {
                Some(yes) => field.required = (yes != inverted) && !optional,
                None => self.push(
                    Diagnostic::warning(
                        "invalid-value",
                        required.span,
                        format!(
                            "`{text}` is not yes or no; the field stays {}",
                            if field.required {
                                "required"
                            } else {
                                "optional"
                            }
                        ),
                    )
                    .label("expected yes or no")
                    .hint("write yes/no (also accepted: true/false, y/n, required/optional, ✓)"),
                ),
            }
        }
        if !typed {
            self.untyped.push((entity_name.clone(), field.name.clone()));
        }
        let integer = matches!(field.ty, Type::I32 | Type::I64);
        // `unique; printed on the card`: semicolons separate phrases too.
        let phrases: Vec<Located> = raw
            .constraints
            .iter()
            .chain(&implied)
            .flat_map(|c| {
                c.text.split(';').map(|part| Located {
                    text: part.trim().to_string(),
                    span: c.span,
                })
            })
            .filter(|c| !c.text.is_empty() && !is_value_list(&c.text))
            .collect();
        for constraint in &phrases {
            match forms::read_constraint(&constraint.text, integer) {
                forms::ReadConstraint::Canonical { items, note } => {
                    if let Some(note) = note {
                        let mut diagnostic = Diagnostic::note("read-constraint", constraint.span, note).label("constraint");
                        let written = self.sources[constraint.span.file].text.get(constraint.span.start..constraint.span.end);
                        // A pattern takes the rest of its cell: never written into the middle of one.
                        if written.map(str::trim) == Some(constraint.text.trim())
                            && !items.iter().any(|i| i.starts_with("pattern"))
                        {
                            diagnostic = diagnostic.replacement(items.join(", "));
                        }
                        self.push(diagnostic);
                    }
                    for item in items {
                        let at = Located {
                            text: item,
                            span: constraint.span,
                        };
                        if typed {
                            self.apply_constraint(&entity_name, &mut field, &at);
                        } else if matches!(at.text.as_str(), "primary key") {
                            field.primary_key = true;
                        }
                    }
                }
                forms::ReadConstraint::Noted(note) => {
                    self.push(Diagnostic::note("read-constraint", constraint.span, note).label("constraint"));
                }
                forms::ReadConstraint::Unreadable => self.push(
                    Diagnostic::warning("unreadable-constraint", constraint.span, format!("cannot read constraint `{}`; it is not enforced", constraint.text.trim()))
                        .label("not understood")
                        .hint("constraints are: primary key, unique, index, default X, min N, max N, pattern REGEX, references Entity.field, optional; move prose to the Description column"),
                ),
            }
        }
        // `createdAt` in a TypeScript block and `created_at` in the table are
        // one field in code: the first declaration is kept.
        let twin = self.entities[index]
            .fields
            .iter()
            .find(|f| f.name != field.name && same_name(&f.name, &field.name))
            .map(|f| (f.name.clone(), f.ty == field.ty));
        if let Some((first, same_type)) = twin {
            let first_span = self.entity_spans[&entity_name]
                .fields
                .get(&first)
                .copied()
                .unwrap_or(raw.name.span);
            let diagnostic = if same_type {
                Diagnostic::note(
                    "read-field",
                    raw.name.span,
                    format!(
                        "`{}` is `{entity_name}.{first}` spelled another way",
                        field.name
                    ),
                )
                .label("same field")
            } else {
                Diagnostic::warning("contradiction", raw.name.span, format!("`{}` is `{entity_name}.{first}` spelled another way, with another type; the first declaration is kept", field.name))
                    .label("same field, other type")
                    .related(first_span, "first declared here")
                    .hint("make the declarations agree")
            };
            self.push(diagnostic);
            return;
        }
        let spans = self
            .entity_spans
            .get_mut(&entity_name)
            .map(|s| &mut s.fields);
        let first = spans.as_ref().and_then(|f| f.get(&field.name).copied());
        if let Some(first) = first {
            let existing = self.entities[index].field(&field.name).cloned();
            let same_file = first.file == raw.name.span.file;
            match existing {
                Some(existing) if !same_file && existing == field => {}
                Some(_) if !same_file => self.push(
                    Diagnostic::error("conflict", raw.name.span, format!("field `{entity_name}.{}` is declared differently by two specs", field.name))
                        .label("declared here")
                        .related(first, "and differently here")
                        .hint("specs that extend a domain must agree: make both rows identical, or keep the field in one spec only"),
                ),
                _ => self.push(
                    Diagnostic::error("duplicate", raw.name.span, format!("field `{}` appears twice in `{entity_name}`", field.name))
                        .label("again here")
                        .related(first, "first here")
                        .hint("delete one of the rows"),
                ),
            }
            return;
        }
        if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
            spans.fields.insert(field.name.clone(), raw.name.span);
        }
        self.entities[index].fields.push(field);
    }

    fn apply_constraint(&mut self, entity: &str, field: &mut Field, at: &Located) {
        let text = at.text.trim();
        let lower = text.to_ascii_lowercase();
        let (word, rest) = split_word(text);
        let word_lower = word.to_ascii_lowercase();
        let value = rest.trim().trim_start_matches([':', '=']).trim();
        let value_span = || {
            let offset = at.text.len() - at.text.trim_start().len() + (text.len() - value.len());
            Span::new(at.span.file, at.span.start + offset, at.span.end)
        };
        match (lower.as_str(), word_lower.as_str()) {
            ("primary key" | "pk" | "primary" | "primary_key" | "id", _) => field.primary_key = true,
            ("unique", _) => field.unique = true,
            ("index" | "indexed", _) => field.index = true,
            ("required" | "not null", _) => field.required = true,
            ("optional" | "nullable", _) => field.required = false,
            (_, "default") => {
                let value = value.trim_matches(['"', '\'', '`']).to_string();
                if let Type::Enum(variants) = &field.ty {
                    if !variants.contains(&value) {
                        self.push(
                            Diagnostic::error("invalid-value", value_span(), format!("default `{value}` is not a variant of the enum"))
                                .label("not a variant")
                                .hint(format!("use one of: {}", variants.join(", "))),
                        );
                        return;
                    }
                } else if !default_fits(&field.ty, &value) {
                    // A field stored as json (its type named something unknown) or a
                    // clock default on a number (an epoch timestamp): the default is a
                    // fact about the database, not something the spec got wrong.
                    let soft = field.ty == Type::Json || value.eq_ignore_ascii_case("now") && field.ty.is_numeric();
                    let make = if soft { Diagnostic::warning } else { Diagnostic::error };
                    let message = if soft {
                        format!("default `{value}` does not fit the field's type; it is not applied")
                    } else {
                        format!("default `{value}` does not fit the field's type")
                    };
                    self.push(
                        make("invalid-value", value_span(), message)
                            .label("wrong kind of value")
                            .hint(default_hint(&field.ty, &value)),
                    );
                    return;
                }
                field.default = Some(value);
            }
            (_, "min" | "max" | "minlength" | "maxlength" | ">=" | "<=") => {
                let applies = field.ty.is_numeric() || field.ty.is_text() || matches!(field.ty, Type::List(_));
                if !applies {
                    self.push(
                        Diagnostic::error("invalid-constraint", at.span, format!("`{word}` does not apply to this type"))
                            .label("on a field that is no number, string or list")
                            .hint("min and max bound numbers by value, strings and lists by length"),
                    );
                    return;
                }
                let Ok(number) = value.parse::<f64>() else {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), format!("`{value}` is not a number"))
                            .label("expected a number")
                            .hint(format!("write `{word} 10`")),
                    );
                    return;
                };
                let is_integer_bound = !matches!(field.ty, Type::F64 | Type::Decimal);
                if is_integer_bound && number.fract() != 0.0 {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), format!("`{value}` is not a whole number"))
                            .label("expected a whole number")
                            .hint("integer fields and lengths take whole bounds"),
                    );
                    return;
                }
                if !field.ty.is_numeric() && number < 0.0 {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), "a length cannot be negative")
                            .label("negative length")
                            .hint("use 0 or more"),
                    );
                    return;
                }
                if matches!(word_lower.as_str(), "min" | "minlength" | ">=") {
                    field.min = Some(number);
                } else {
                    field.max = Some(number);
                }
                if let (Some(min), Some(max)) = (field.min, field.max) {
                    if min > max {
                        self.push(
                            Diagnostic::error("invalid-constraint", at.span, format!("max {max} is below min {min}"))
                                .label("no value can satisfy both")
                                .hint("swap the bounds"),
                        );
                    }
                }
            }
            (_, "pattern" | "regex" | "matches") => {
                if !field.ty.is_text() {
                    self.push(
                        Diagnostic::error("invalid-constraint", at.span, "`pattern` applies to string fields only")
                            .label("on a non-string field")
                            .hint("remove the pattern or make the field a string"),
                    );
                    return;
                }
                let pattern = value.trim_matches('`').to_string();
                if let Err(error) = regex_syntax::Parser::new().parse(&pattern) {
                    let detail = match &error {
                        regex_syntax::Error::Parse(e) => e.kind().to_string(),
                        regex_syntax::Error::Translate(e) => e.kind().to_string(),
                        _ => error.to_string(),
                    };
                    self.push(
                        Diagnostic::error("invalid-pattern", value_span(), format!("invalid regular expression: {detail}"))
                            .label("this pattern")
                            .hint("patterns use Rust regex syntax (https://docs.rs/regex); wrap it in backticks if it contains `|`"),
                    );
                    return;
                }
                field.pattern = Some(pattern);
            }
            (_, "references" | "references:" | "fk" | "ref" | "->" | "→") => {
                let target = value.trim_matches('`');
                let (target_entity, target_field) = target.split_once('.').unwrap_or((target, ""));
                field.references = Some(FieldRef { entity: target_entity.to_string(), field: target_field.to_string() });
                // Checked once every entity is known (see check_entities).
                self.pending_references.push((entity.to_string(), field.name.clone(), value_span()));
            }
            _ => self.push(
                Diagnostic::error("unknown-constraint", at.span, format!("unknown constraint `{text}`"))
                    .label("not understood")
                    .hint("constraints are: primary key, unique, index, default X, min N, max N, pattern REGEX, references Entity.field, optional"),
            ),
        }
    }

    fn add_relationships(&mut self, raw: &RawEntity) {
        let Some(index) = self.entities.iter().position(|e| e.name == raw.name.text) else {
            return;
        };
        for at in &raw.relationships {
            let text = at.text.trim();
            let lower = text.to_ascii_lowercase();
            let (kind, rest) = if let Some(rest) = lower.strip_prefix("has many") {
                (RelationshipKind::HasMany, rest)
            } else if let Some(rest) = lower.strip_prefix("has one") {
                (RelationshipKind::HasOne, rest)
            } else if let Some(rest) = lower.strip_prefix("belongs to") {
                (RelationshipKind::BelongsTo, rest)
            } else {
                self.push(
                    Diagnostic::error("invalid-relationship", at.span, format!("cannot read relationship `{text}`"))
                        .label("expected `has many`, `has one` or `belongs to`")
                        .hint("write `has many OrderLine via order_id` or `belongs to Customer via customer_id`"),
                );
                continue;
            };
            // Work on the original text (case of names matters) from the same offset.
            let rest_start = text.len() - rest.len();
            let rest_text = &text[rest_start..];
            let mut words = rest_text.split_whitespace();
            let target = words
                .next()
                .unwrap_or_default()
                .trim_matches('`')
                .to_string();
            let via = match (words.next(), words.next()) {
                (Some(v), Some(field))
                    if v.eq_ignore_ascii_case("via") || v.eq_ignore_ascii_case("by") =>
                {
                    field.trim_matches('`').to_string()
                }
                (None, _) => match kind {
                    RelationshipKind::BelongsTo => format!("{}_id", case::snake(&target)),
                    _ => format!("{}_id", case::snake(&self.entities[index].name)),
                },
                _ => {
                    self.push(
                        Diagnostic::error(
                            "invalid-relationship",
                            at.span,
                            format!("cannot read relationship `{text}`"),
                        )
                        .label("expected `via <field>` after the target")
                        .hint("write `has many OrderLine via order_id`"),
                    );
                    continue;
                }
            };
            let offset = at.text.len() - at.text.trim_start().len() + rest_start;
            let target_at = rest_text.find(target.as_str()).unwrap_or(0);
            let target_span = Span::new(
                at.span.file,
                at.span.start + offset + target_at,
                at.span.start + offset + target_at + target.len(),
            );
            let explicit_via = text.to_ascii_lowercase().contains(" via ")
                || text.to_ascii_lowercase().contains(" by ");
            // `has many Posts`: the plural of an entity names it.
            let target = if self.entities.iter().any(|e| e.name == target) {
                target
            } else {
                let singular = forms::entity_name_from(&forms::singular(&case::snake(&target)))
                    .unwrap_or_default();
                if self.entities.iter().any(|e| e.name == singular) {
                    singular
                } else {
                    target
                }
            };
            let via = if explicit_via || self.entities.iter().all(|e| e.name != target) {
                via
            } else {
                match kind {
                    RelationshipKind::BelongsTo => format!("{}_id", case::snake(&target)),
                    _ => via,
                }
            };
            let Some(target_entity) = self.entities.iter().find(|e| e.name == target) else {
                match self.closest_entity(&target) {
                    Some(close) => self.push(
                        Diagnostic::error("unknown-entity", target_span, format!("unknown entity `{target}`"))
                            .label("no such entity")
                            .hint(format!("did you mean `{close}`?")),
                    ),
                    None => self.push(
                        Diagnostic::warning("unknown-entity", target_span, format!("relationship to `{target}`, which is no entity of this domain; it is ignored"))
                            .label("no such entity")
                            .hint(format!("entities of this domain: {}", self.entity_names())),
                    ),
                }
                continue;
            };
            let holder = match kind {
                RelationshipKind::BelongsTo => &self.entities[index],
                _ => target_entity,
            };
            // `memberId` where `member_id` was inferred: the camelCase spelling counts.
            // `memberId` for an inferred `member_id`, and `userId` naming the field
            // kept as `user_id`: one field however it is spelled.
            let via = if holder.field(&via).is_none() {
                holder
                    .fields
                    .iter()
                    .find(|f| same_name(&f.name, &via))
                    .map_or(via, |f| f.name.clone())
            } else {
                via
            };
            if holder.field(&via).is_none() {
                let holder_name = holder.name.clone();
                let make = if explicit_via {
                    Diagnostic::error
                } else {
                    Diagnostic::warning
                };
                self.push(
                    make(
                        "unknown-field",
                        at.span,
                        format!("`{holder_name}` has no field `{via}`"),
                    )
                    .label("relationship key not found")
                    .hint(format!(
                        "add `{via}` to `{holder_name}`, or name the key with `via <field>`"
                    )),
                );
                continue;
            }
            let relationship = Relationship { kind, target, via };
            if !self.entities[index].relationships.contains(&relationship) {
                self.entities[index].relationships.push(relationship);
            }
        }
    }

    /// Every route in one spelling before anything compares or checks them:
    /// `/vms/:id` (Express) and `/vms/<int:id>` (Flask) are `/vms/{id}`, with a
    /// note and a fix.
    fn normalize_paths(&mut self, raws: &mut [RawSpec]) {
        for row in raws.iter_mut().flat_map(|r| r.endpoints.iter_mut()) {
            let written = row.path.text.trim().trim_matches('`');
            let path = brace_params(written);
            if path != written {
                self.diagnostics.push(
                    Diagnostic::note(
                        "read-path",
                        row.path.span,
                        format!("read `{written}` as `{path}`"),
                    )
                    .label("path")
                    .replacement(path.clone()),
                );
            }
            row.path.text = path;
        }
    }

    /// `contracts/README.md` often restates `contracts/openapi.yaml`: where a
    /// Markdown contract names an operation or route an OpenAPI document of
    /// the domain also has, the OpenAPI one is read (it has the schemas).
    fn prefer_openapi(&mut self, raws: &mut [RawSpec]) {
        let is_openapi = |path: &str| {
            let lower = path.to_ascii_lowercase();
            lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
        };
        let sources = self.sources;
        let (names, routes): (Vec<String>, Vec<(String, String)>) = {
            let openapi = raws.iter().filter(|r| is_openapi(&sources[r.file].path));
            let names = openapi
                .clone()
                .flat_map(|r| &r.operations)
                .filter_map(|o| o.name.as_ref().map(|n| n.text.clone()))
                .collect();
            let routes = openapi
                .flat_map(|r| &r.endpoints)
                .map(|e| (e.method.text.to_ascii_uppercase(), e.path.text.clone()))
                .collect();
            (names, routes)
        };
        if names.is_empty() && routes.is_empty() {
            return;
        }
        for raw in raws.iter_mut() {
            let path = &sources[raw.file].path;
            if is_openapi(path) || !crate::contract::is_contract(path) {
                continue;
            }
            let before = raw.operations.len() + raw.endpoints.len();
            raw.endpoints.retain(|e| {
                !routes.contains(&(e.method.text.to_ascii_uppercase(), e.path.text.clone()))
                    && !names.contains(&e.operation.text)
            });
            let still_routed: Vec<String> = raw
                .endpoints
                .iter()
                .map(|e| e.operation.text.clone())
                .collect();
            raw.operations.retain(|o| {
                o.name.as_ref().is_none_or(|n| {
                    !names.contains(&n.text) && (still_routed.contains(&n.text) || o.kind.is_some())
                })
            });
            let dropped = before - raw.operations.len() - raw.endpoints.len();
            if dropped > 0 {
                self.diagnostics.push(
                    Diagnostic::note("read-contract", Span::new(raw.file, 0, 0), format!("{path} restates routes of an OpenAPI contract of this domain: the OpenAPI document is read for them"))
                        .label("Markdown contract"),
                );
            }
        }
    }

    /// A free operation named by a route (`GET /vms/:id`, from a contract or an
    /// endpoint table) takes the route's parameters as string inputs when it
    /// does not declare them: nothing else could fill them.
    fn add_route_inputs(&mut self, raws: &mut [RawSpec]) {
        if raws
            .iter()
            .flat_map(|r| &r.operations)
            .all(|o| o.kind.is_some())
        {
            return;
        }
        let routes: Vec<(String, Vec<String>, Span)> = raws
            .iter()
            .flat_map(|r| &r.endpoints)
            .filter_map(|e| {
                let params = path_params(&e.path.text).ok()?;
                Some((e.operation.text.clone(), params, e.path.span))
            })
            .collect();
        let mut notes = Vec::new();
        for raw in raws.iter_mut() {
            for op in raw.operations.iter_mut().filter(|o| o.kind.is_none()) {
                let Some(name) = op.name.as_ref().map(|n| n.text.clone()) else {
                    continue;
                };
                for (_, params, span) in routes.iter().filter(|(o, _, _)| *o == name) {
                    for param in params {
                        let declared = op.inputs.iter().any(|i| {
                            let name = i
                                .text
                                .split(':')
                                .next()
                                .unwrap_or_default()
                                .trim()
                                .trim_matches('`');
                            same_name(name, param)
                        });
                        if !declared {
                            op.inputs.push(Located {
                                text: format!("{param}: string"),
                                span: *span,
                            });
                            notes.push(
                                Diagnostic::note("read-input", *span, format!("path parameter `{param}` is an input of `{name}` (a string)"))
                                    .label("route"),
                            );
                        }
                    }
                }
            }
        }
        for note in notes {
            self.push(note);
        }
    }

    /// A domain that yields nothing never passes silently: say what was found
    /// (Key Entities without types) or that nothing was.
    fn warn_empty(&mut self, domain: &str, raws: &[RawSpec]) {
        let key_entities: Vec<&Located> = raws
            .iter()
            .flat_map(|r| r.key_entities.iter().map(|(n, _)| n))
            .collect();
        if let Some(first) = key_entities.first() {
            let names: Vec<String> = key_entities
                .iter()
                .map(|n| {
                    format!(
                        "`{}`",
                        forms::entity_name_from(&n.text).unwrap_or_else(|| n.text.clone())
                    )
                })
                .collect();
            self.push(
                Diagnostic::warning("untyped-entities", first.span, format!("domain `{domain}` names entities ({}) only as Key Entities: their fields and types are unknown, so nothing is generated", names.join(", ")))
                    .label("Key Entities")
                    .hint("run `scaffold draft` to propose a data-model.md with typed fields, review it, then generate"),
            );
        } else if let Some(raw) = raws.first() {
            self.push(
                Diagnostic::warning("empty-domain", Span::new(raw.file, 0, 0), format!("domain `{domain}` declares no entities and no operations: nothing is generated"))
                    .label("in this feature")
                    .hint("describe entities in data-model.md (`## Entity: Order` and a fields table) and endpoints in contracts/ or the spec; see docs/spec-format.md"),
            );
        }
    }

    /// Conventional CRUD for a domain of entities and no operations (spec-kit
    /// features keep endpoints elsewhere, or nowhere): create, get, list, update
    /// and delete per entity, on REST paths from the plural name. Written as raw
    /// items so they are validated like written ones; each entity gets a note.
    fn conventional_crud(&mut self, raws: &[RawSpec]) -> Option<RawSpec> {
        let file = raws.first()?.file;
        let mut crud = RawSpec {
            file,
            ..RawSpec::default()
        };
        let mut notes = Vec::new();
        for entity in &self.entities {
            let Some(key) = entity.primary_key() else {
                continue;
            };
            let span = self.entity_spans[&entity.name].name;
            let at = |text: String| Located { text, span };
            let snake = case::snake(&entity.name);
            let plural = case::plural(&snake);
            let plural_pascal = case::pascal(&plural);
            let key_input = format!("{snake}_id");
            let collection = format!("/{}", plural.replace('_', "-"));
            let item = format!("{collection}/{{{key_input}}}");
            let writable: Vec<String> = entity
                .fields
                .iter()
                .filter(|f| {
                    !f.primary_key
                        && f.default.is_none()
                        && !matches!(
                            f.name.as_str(),
                            "created_at" | "updated_at" | "createdAt" | "updatedAt"
                        )
                })
                .map(|f| f.name.clone())
                .filter(|name| *name != key_input)
                .collect();
            let mut operations = vec![
                (
                    "create",
                    format!("Create{}", entity.name),
                    writable.clone(),
                    entity.name.clone(),
                    "POST",
                    collection.clone(),
                ),
                (
                    "get",
                    format!("Get{}", entity.name),
                    vec![key_input.clone()],
                    entity.name.clone(),
                    "GET",
                    item.clone(),
                ),
                (
                    "list",
                    format!("List{plural_pascal}"),
                    // A join table is looked up by its pair: `GET /follows?follower_id=..&followed_id=..`.
                    self.pairs.get(&entity.name).cloned().unwrap_or_default(),
                    format!("list<{}>", entity.name),
                    "GET",
                    collection.clone(),
                ),
            ];
            let mut update_inputs = vec![key_input.clone()];
            update_inputs.extend(writable.iter().cloned());
            operations.push((
                "update",
                format!("Update{}", entity.name),
                update_inputs,
                entity.name.clone(),
                "PATCH",
                item.clone(),
            ));
            operations.push((
                "delete",
                format!("Delete{}", entity.name),
                vec![key_input.clone()],
                "none".into(),
                "DELETE",
                item.clone(),
            ));
            let mut summary = Vec::new();
            for (verb, name, inputs, output, method, path) in operations {
                summary.push(format!("{name} ({method} {path})"));
                crud.operations.push(RawOperation {
                    name: Some(at(name.clone())),
                    heading: Some(span),
                    kind: Some(at(format!("{verb} {}", entity.name))),
                    inputs: inputs.into_iter().map(at).collect(),
                    output: Some(at(output)),
                    ..RawOperation::default()
                });
                crud.endpoints.push(RawEndpoint {
                    method: at(method.into()),
                    path: at(path),
                    operation: at(name),
                    status: None,
                    errors: Vec::new(),
                    shape: Default::default(),
                });
            }
            let _ = key;
            notes.push(
                Diagnostic::note("inferred-crud", span, format!("no operations declared: inferred {}", summary.join(", ")))
                    .label("entity")
                    .hint("declare operations and endpoints in the spec or in contracts/, or set `[generate] infer-crud = false`"),
            );
        }
        for note in notes {
            self.push(note);
        }
        (!crud.operations.is_empty()).then_some(crud)
    }

    /// Real models often leave the key implicit: an `id` field, `<entity>_id`,
    /// or nothing at all. Each inference is a note or a warning, never silent.
    fn infer_key(&mut self, index: usize) {
        let entity = &self.entities[index];
        let name_span = self.entity_spans[&entity.name].name;
        let keys: Vec<usize> = (0..entity.fields.len())
            .filter(|&i| entity.fields[i].primary_key)
            .collect();
        if entity.fields.is_empty() {
            return;
        }
        let own_id = format!("{}_id", case::snake(&entity.name));
        let entity_name = entity.name.clone();
        let mut notes = Vec::new();
        match keys.as_slice() {
            [] => {
                let own_camel = case::camel(&own_id);
                let found = entity
                    .fields
                    .iter()
                    .position(|f| f.name.eq_ignore_ascii_case("id"))
                    .or_else(|| {
                        entity
                            .fields
                            .iter()
                            .position(|f| f.name == own_id || f.name == own_camel)
                    });
                match found {
                    Some(i) => {
                        let field = &mut self.entities[index].fields[i];
                        field.primary_key = true;
                        let span = self.entity_spans[&entity_name]
                            .fields
                            .get(&field.name)
                            .copied()
                            .unwrap_or(name_span);
                        notes.push(
                            Diagnostic::note(
                                "inferred-key",
                                span,
                                format!(
                                    "`{entity_name}.{}` is the primary key (by its name)",
                                    field.name
                                ),
                            )
                            .label("primary key"),
                        );
                    }
                    None => {
                        let references: Vec<String> = self.entities[index]
                            .fields
                            .iter()
                            .filter(|f| f.references.is_some() || f.name.ends_with("_id"))
                            .map(|f| f.name.clone())
                            .collect();
                        let why = if references.len() >= 2 {
                            format!(
                                "`{entity_name}` joins ({}) and has no key of its own; scaffold adds `id: uuid`, indexes the pair and lists by it",
                                references.join(", ")
                            )
                        } else {
                            format!("`{entity_name}` has no primary key; scaffold adds `id: uuid`")
                        };
                        if references.len() >= 2 {
                            for field in self.entities[index].fields.iter_mut() {
                                if references.contains(&field.name) {
                                    field.index = true;
                                }
                            }
                            self.pairs.insert(entity_name.clone(), references.clone());
                        }
                        self.entities[index]
                            .fields
                            .insert(0, Field::key("id".into(), Type::Uuid));
                        if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
                            spans.fields.insert("id".into(), name_span);
                        }
                        notes.push(
                            Diagnostic::warning("added-key", name_span, why)
                                .label("entity declared here")
                                .hint("declare the key: a field `id` (uuid, i32, i64 or string) marked `primary key`"),
                        );
                    }
                }
            }
            [_, _, ..] if entity.fields.iter().all(|f| f.name != "id") => {
                let names: Vec<String> = keys
                    .iter()
                    .map(|&i| self.entities[index].fields[i].name.clone())
                    .collect();
                for &i in &keys {
                    let field = &mut self.entities[index].fields[i];
                    field.primary_key = false;
                    field.index = true;
                }
                self.pairs.insert(entity_name.clone(), names.clone());
                self.entities[index]
                    .fields
                    .insert(0, Field::key("id".into(), Type::Uuid));
                if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
                    spans.fields.entry("id".into()).or_insert(name_span);
                }
                notes.push(
                    Diagnostic::warning("composite-key", name_span, format!("`{entity_name}` has a composite key ({}); scaffold adds `id: uuid`, indexes the pair and lists by it", names.join(", ")))
                        .label("entity declared here")
                        .hint("the inferred list operation filters by the pair; give the entity a single key to look it up by key alone"),
                );
            }
            [_, _, ..] => {}
            [key] => {
                let field = &mut self.entities[index].fields[*key];
                let span = self.entity_spans[&entity_name]
                    .fields
                    .get(&field.name)
                    .copied()
                    .unwrap_or(name_span);
                if field.ty == Type::Text {
                    field.ty = Type::String;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is text: read as `string`",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
                if field.ty == Type::F64 {
                    field.ty = Type::I64;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is a number: read as `i64`",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
                if !field.required {
                    field.required = true;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is always present (it is made on create)",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
            }
        }
        for note in notes {
            self.push(note);
        }
    }

    fn check_entities(&mut self) {
        for index in 0..self.entities.len() {
            self.infer_key(index);
        }
        for index in 0..self.entities.len() {
            let entity = &self.entities[index];
            let name_span = self.entity_spans[&entity.name].name;
            let keys: Vec<&Field> = entity.fields.iter().filter(|f| f.primary_key).collect();
            let problem = match keys.as_slice() {
                [] if entity.fields.is_empty() => None,
                [] => Some(
                    Diagnostic::error("missing-primary-key", name_span, format!("entity `{}` has no primary key", entity.name))
                        .label("entity declared here")
                        .hint("mark one field `primary key` in the Constraints column, for example `| id | uuid | yes | primary key |`"),
                ),
                [key] if self.untyped.iter().any(|(e, f)| *e == entity.name && *f == key.name) => None,
                [key] if !key.ty.is_key() => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&key.name], format!("primary key `{}` cannot be of this type", key.name))
                        .label("primary key")
                        .hint("primary keys are uuid, i32, i64 or string"),
                ),
                [key] if !key.required => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&key.name], format!("primary key `{}` is optional", key.name))
                        .label("primary key")
                        .hint("a primary key is always required: set Required to yes"),
                ),
                [_] => None,
                [_, second, ..] => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&second.name], format!("entity `{}` has more than one primary key", entity.name))
                        .label("second primary key")
                        .hint("composite keys are not supported: keep one `primary key` and mark the others `unique`"),
                ),
            };
            if let Some(problem) = problem {
                self.push(problem);
            }
        }
        for (entity, field, span) in std::mem::take(&mut self.pending_references) {
            let Some(reference) = self
                .entities
                .iter()
                .find(|e| e.name == entity)
                .and_then(|e| e.field(&field))
                .and_then(|f| f.references.clone())
            else {
                continue;
            };
            let Some(target) = self.entities.iter().find(|e| e.name == reference.entity) else {
                let hint = match self.closest_entity(&reference.entity) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("entities of this domain: {}", self.entity_names()),
                };
                self.push(
                    Diagnostic::error(
                        "unknown-entity",
                        span,
                        format!("unknown entity `{}`", reference.entity),
                    )
                    .label("referenced here")
                    .hint(hint),
                );
                continue;
            };
            let target_field = match (reference.field.is_empty(), target.primary_key()) {
                (false, _) => reference.field.clone(),
                (true, Some(key)) => key.name.clone(),
                // The target's missing key is reported on its own.
                (true, None) => continue,
            };
            if target.field(&target_field).is_none() {
                let target_name = target.name.clone();
                self.push(
                    Diagnostic::error("unknown-field", span, format!("`{target_name}` has no field `{target_field}`"))
                        .label("referenced here")
                        .hint(format!("reference an existing field, usually the key: `references {target_name}.{}`", target.primary_key().map_or("id", |k| k.name.as_str()))),
                );
                continue;
            }
            if let Some(f) = self
                .entities
                .iter_mut()
                .find(|e| e.name == entity)
                .and_then(|e| e.fields.iter_mut().find(|f| f.name == field))
            {
                f.references = Some(FieldRef {
                    entity: reference.entity,
                    field: target_field,
                });
            }
        }
    }

    fn lower_errors(&mut self, raws: &[RawSpec]) -> Vec<(ErrorCode, Span)> {
        let mut errors: Vec<(ErrorCode, Span)> = Vec::new();
        for raw in raws {
            for error in &raw.errors {
                let code = error.code.text.clone();
                if !code.starts_with(|c: char| c.is_ascii_uppercase())
                    || !code
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                {
                    self.push(
                        Diagnostic::error(
                            "invalid-name",
                            error.code.span,
                            format!("`{code}` is not a valid error code"),
                        )
                        .label("error code")
                        .hint(format!(
                            "error codes are SHOUTING_SNAKE_CASE, for example `{}`",
                            case::snake(&code).to_ascii_uppercase()
                        )),
                    );
                    continue;
                }
                let Some(http) = parse_status(&error.http.text).filter(|s| (400..=599).contains(s))
                else {
                    self.push(
                        Diagnostic::error(
                            "invalid-value",
                            error.http.span,
                            format!("`{}` is not an HTTP error status", error.http.text),
                        )
                        .label("expected 400 to 599")
                        .hint("use the status the API answers with, for example 404 or 409"),
                    );
                    continue;
                };
                let item = ErrorCode {
                    code: code.clone(),
                    http,
                    message: error.message.clone(),
                };
                if let Some((existing, first)) = errors.iter().find(|(e, _)| e.code == code) {
                    if first.file != error.code.span.file && *existing == item {
                        continue;
                    }
                    let (kind, message) = if first.file == error.code.span.file {
                        ("duplicate", format!("error code `{code}` is defined twice"))
                    } else {
                        (
                            "conflict",
                            format!("error code `{code}` is defined differently by two specs"),
                        )
                    };
                    let first = *first;
                    self.push(
                        Diagnostic::error(kind, error.code.span, message)
                            .label("defined again here")
                            .related(first, "first defined here")
                            .hint("keep one definition; specs that extend a domain must agree"),
                    );
                    continue;
                }
                errors.push((item, error.code.span));
            }
        }
        errors
    }

    /// Returns every operation with a usable name; the flag is false when it had errors
    /// (such operations still resolve endpoint rows, to avoid cascading reports).
    fn lower_operations(
        &mut self,
        raws: &[RawSpec],
        errors: &[(ErrorCode, Span)],
    ) -> Vec<(Operation, Span, bool)> {
        let mut operations: Vec<(Operation, Span, bool)> = Vec::new();
        for raw in raws {
            // Requirement IDs are numbered per spec: resolve them within this file's folder.
            let dir = self.sources[raw.file].dir();
            let requirements: Vec<(Located, String)> = raws
                .iter()
                .filter(|r| self.sources[r.file].dir() == dir)
                .flat_map(|r| r.requirements.iter().cloned())
                .collect();
            for op in &raw.operations {
                if let Some(lowered) = self.lower_operation(op, &requirements, errors) {
                    if let Some((_, first, _)) =
                        operations.iter().find(|(o, _, _)| o.name == lowered.0.name)
                    {
                        let first = *first;
                        self.push(
                            Diagnostic::error(
                                "duplicate",
                                lowered.1,
                                format!("operation `{}` is declared twice", lowered.0.name),
                            )
                            .label("declared again here")
                            .related(first, "first declared here")
                            .hint("rename one of them; operation names become function names"),
                        );
                        continue;
                    }
                    operations.push(lowered);
                }
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        raw: &RawOperation,
        requirements: &[(Located, String)],
        errors: &[(ErrorCode, Span)],
    ) -> Option<(Operation, Span, bool)> {
        let name = raw.name.as_ref()?;
        let heading = raw.heading.unwrap_or(name.span);
        if !is_identifier(&name.text) || !name.text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.push(
                Diagnostic::error(
                    "invalid-name",
                    name.span,
                    format!("`{}` is not a valid operation name", name.text),
                )
                .label("operation name")
                .hint(format!(
                    "use PascalCase, for example `{}`",
                    case::pascal(&name.text)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            );
            return None;
        }
        let mut ok = true;
        let kind = match &raw.kind {
            None => None,
            Some(at) => {
                let mut words = at.text.split_whitespace();
                let verb_word = words.next().unwrap_or_default();
                let entity_word = words.next().unwrap_or_default().trim_matches('`');
                match Verb::parse(verb_word) {
                    None => {
                        self.push(
                            Diagnostic::error("invalid-kind", at.span, format!("unknown operation kind `{verb_word}`"))
                                .label("expected create, get, list, update or delete")
                                .hint("write `**Kind**: create Order`, or remove the Kind line for a free operation"),
                        );
                        ok = false;
                        None
                    }
                    Some(verb) => {
                        if self.entities.iter().any(|e| e.name == entity_word) {
                            Some(Kind {
                                verb,
                                entity: entity_word.to_string(),
                            })
                        } else {
                            let hint = match self.closest_entity(entity_word) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!("entities of this domain: {}", self.entity_names()),
                            };
                            let at_word = at
                                .text
                                .find(entity_word)
                                .filter(|_| !entity_word.is_empty())
                                .unwrap_or(0);
                            let span = Span::new(
                                at.span.file,
                                at.span.start + at_word,
                                at.span.start + at_word + entity_word.len().max(1),
                            );
                            self.push(
                                Diagnostic::error(
                                    "unknown-entity",
                                    span,
                                    format!("unknown entity `{entity_word}`"),
                                )
                                .label("operation kind names it")
                                .hint(hint),
                            );
                            ok = false;
                            None
                        }
                    }
                }
            }
        };
        // The entity the operation answers with: where a shared field name points.
        let output_entity = raw.output.as_ref().and_then(|o| {
            let text = o.text.trim().trim_matches('`');
            let inner = text
                .strip_prefix("list<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(text)
                .trim_end_matches("[]");
            self.entities
                .iter()
                .any(|e| e.name == inner)
                .then(|| inner.to_string())
        });
        let mut inputs = Vec::new();
        for at in &raw.inputs {
            match self.lower_input(at, kind.as_ref(), output_entity.as_deref()) {
                Some(input) => {
                    // `workspaceId` from a body and `workspace_id` from a route: one
                    // input, spelled as routes spell it.
                    if let Some(existing) = inputs.iter_mut().find(|i: &&mut Input| {
                        i.name != input.name && same_name(&i.name, &input.name)
                    }) {
                        if input.name == case::snake(&input.name) {
                            *existing = input;
                        }
                        continue;
                    }
                    if inputs.iter().any(|i: &Input| i.name == input.name) {
                        self.push(
                            Diagnostic::error(
                                "duplicate",
                                at.span,
                                format!("input `{}` is listed twice", input.name),
                            )
                            .label("again here")
                            .hint("remove one"),
                        );
                        continue;
                    }
                    inputs.push(input);
                }
                None => ok = false,
            }
        }
        if let Some(kind) = kind.as_ref().filter(|k| k.verb == Verb::Create) {
            self.warn_unfilled(&name.text, heading, kind, &inputs);
        }
        if let Some(kind) = &kind {
            if kind.verb.takes_id() && lookup_input(&inputs, &kind.entity, &self.entities).is_none()
            {
                let key = format!("{}_id", case::snake(&kind.entity));
                self.push(
                    Diagnostic::error(
                        "missing-input",
                        heading,
                        format!(
                            "`{}` operation `{}` needs the key of `{}` as input",
                            verb_name(kind.verb),
                            name.text,
                            kind.entity
                        ),
                    )
                    .label("operation declared here")
                    .hint(format!("add `{key}` to the operation's Input")),
                );
                ok = false;
            }
        }
        let output = match &raw.output {
            None => None,
            Some(at)
                if matches!(
                    at.text.to_ascii_lowercase().as_str(),
                    "none" | "nothing" | "-" | "()" | "empty"
                ) =>
            {
                None
            }
            Some(at) => self.resolve_type(at).map(|(ty, _)| ty).or_else(|| {
                ok = false;
                None
            }),
        };
        let mut rules = Vec::new();
        for at in &raw.rules {
            match requirements.iter().find(|(id, _)| id.text == at.text) {
                Some((id, text)) => rules.push(Requirement {
                    id: id.text.clone(),
                    text: text.clone(),
                }),
                None => {
                    self.push(
                        Diagnostic::error("unknown-requirement", at.span, format!("requirement `{}` is not defined in this spec", at.text))
                            .label("cited here")
                            .hint("define it in the Requirements section: `- **FR-001**: System MUST ...`"),
                    );
                    ok = false;
                }
            }
        }
        let mut error_codes = Vec::new();
        for at in &raw.errors {
            if errors.iter().any(|(e, _)| e.code == at.text) {
                error_codes.push(at.text.clone());
            } else {
                let known: Vec<String> = errors
                    .iter()
                    .map(|(e, _)| format!("`{}`", e.code))
                    .collect();
                self.push(
                    Diagnostic::error(
                        "undefined-error",
                        at.span,
                        format!("error code `{}` is not defined", at.text),
                    )
                    .label("used here")
                    .hint(if known.is_empty() {
                        "add it to the Errors table: | Code | HTTP | Message |".to_string()
                    } else {
                        format!(
                            "add it to the Errors table, or use one of: {}",
                            known.join(", ")
                        )
                    }),
                );
                ok = false;
            }
        }
        Some((
            Operation {
                id: raw.id.as_ref().map(|i| i.text.clone()),
                name: name.text.clone(),
                kind,
                inputs,
                output,
                rules,
                errors: error_codes,
                description: raw.description.clone(),
            },
            heading,
            ok,
        ))
    }

    /// A create operation that neither receives nor defaults a required field gets a
    /// made-up value for it (zero, empty): worth knowing before the data says so.
    fn warn_unfilled(&mut self, operation: &str, heading: Span, kind: &Kind, inputs: &[Input]) {
        let Some(entity) = self.entities.iter().find(|e| e.name == kind.entity) else {
            return;
        };
        let unfilled: Vec<String> = entity
            .fields
            .iter()
            .filter(|f| f.required && !f.primary_key && f.default.is_none())
            // Timestamps get the current time, which is what they usually mean.
            .filter(|f| !matches!(f.ty, Type::Date | Type::DateTime | Type::Time))
            .filter(|f| !inputs.iter().any(|i| matches!(&i.source, InputSource::Field { entity, field } if *entity == kind.entity && *field == f.name)))
            .map(|f| format!("`{}`", f.name))
            .collect();
        if unfilled.is_empty() {
            return;
        }
        self.push(
            Diagnostic::warning(
                "unfilled-field",
                heading,
                format!("`{operation}` creates `{}` without {}: the generated code uses the smallest valid value", kind.entity, unfilled.join(", ")),
            )
            .label("create operation")
            .hint("add the fields to Input, give them a `default`, or compute them in the service before the insert"),
        );
    }

    fn lower_input(
        &mut self,
        at: &Located,
        kind: Option<&Kind>,
        output_entity: Option<&str>,
    ) -> Option<Input> {
        if let Some((name, ty_text)) = at.text.split_once(':') {
            let name = name.trim().trim_matches('`');
            if !is_identifier(name) {
                self.push(
                    Diagnostic::error(
                        "invalid-name",
                        at.span,
                        format!("`{name}` is not a valid input name"),
                    )
                    .label("input")
                    .hint("use snake_case letters, digits and `_`"),
                );
                return None;
            }
            let offset = name.len() + 1;
            let ty_at = Located {
                text: ty_text.to_string(),
                span: Span::new(at.span.file, at.span.start + offset, at.span.end),
            };
            let (ty, optional) = self.resolve_type(&ty_at)?;
            return Some(Input {
                name: name.to_string(),
                ty,
                required: !optional,
                source: InputSource::Declared,
            });
        }
        let name = at.text.trim().trim_matches('`');
        // 1. A field of the operation's own entity.
        if let Some(kind) = kind {
            if let Some(field) = self
                .entities
                .iter()
                .find(|e| e.name == kind.entity)
                .and_then(|e| e.field(name))
            {
                return Some(Input {
                    name: name.to_string(),
                    ty: field.ty.clone(),
                    required: field.required,
                    source: InputSource::Field {
                        entity: kind.entity.clone(),
                        field: name.to_string(),
                    },
                });
            }
        }
        // 2. `<entity>_id`: that entity's primary key.
        if let Some((entity, key)) = self
            .entities
            .iter()
            .filter(|e| name.ends_with("_id") && format!("{}_id", case::snake(&e.name)) == name)
            .find_map(|e| Some((e, e.primary_key()?)))
        {
            return Some(Input {
                name: name.to_string(),
                ty: key.ty.clone(),
                required: true,
                source: InputSource::PrimaryKey {
                    entity: entity.name.clone(),
                },
            });
        }
        // 3. A field of exactly one other entity.
        let owners: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|e| e.field(name).is_some())
            .collect();
        // Several owners: the operation's output entity, or any when all agree.
        let chosen = match owners.as_slice() {
            [owner] => Some((*owner, None)),
            [] => None,
            several => {
                let same = |a: &Field, b: &Field| {
                    Field {
                        description: String::new(),
                        references: None,
                        ..a.clone()
                    } == Field {
                        description: String::new(),
                        references: None,
                        ..b.clone()
                    }
                };
                let first = several[0].field(name)?;
                if let Some(owner) = several
                    .iter()
                    .find(|e| Some(e.name.as_str()) == output_entity)
                {
                    Some((
                        *owner,
                        Some(format!(
                            "`{name}` is a field of several entities: read as `{}.{name}`, the operation's output",
                            owner.name
                        )),
                    ))
                } else if several
                    .iter()
                    .all(|e| e.field(name).is_some_and(|f| same(f, first)))
                {
                    Some((
                        several[0],
                        Some(format!(
                            "`{name}` is a field of several entities, all alike: read as `{}.{name}`",
                            several[0].name
                        )),
                    ))
                } else {
                    None
                }
            }
        };
        if let Some((owner, note)) = chosen {
            let owner = owner.clone();
            if let Some(note) = note {
                self.push(Diagnostic::note("read-input", at.span, note).label("input"));
            }
            let field = owner.field(name)?;
            return Some(Input {
                name: name.to_string(),
                ty: field.ty.clone(),
                required: field.required,
                source: InputSource::Field {
                    entity: owner.name.clone(),
                    field: name.to_string(),
                },
            });
        }
        let hint = if owners.len() > 1 {
            format!("`{name}` is a field of several entities; declare its type: `{name}: <type>`")
        } else {
            format!(
                "declare its type (`{name}: string`), or name a field of {}",
                kind.map_or_else(|| "an entity".to_string(), |k| format!("`{}`", k.entity))
            )
        };
        self.push(
            Diagnostic::error(
                "unknown-input",
                at.span,
                format!("input `{name}` matches no field"),
            )
            .label("not a field or entity key")
            .hint(hint),
        );
        None
    }

    fn lower_endpoints(
        &mut self,
        raws: &[RawSpec],
        operations: &[(Operation, Span, bool)],
    ) -> Vec<Endpoint> {
        let mut endpoints: Vec<(Endpoint, Span)> = Vec::new();
        for raw in raws {
            for row in &raw.endpoints {
                let method = row.method.text.to_ascii_uppercase();
                if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                    self.push(
                        Diagnostic::error(
                            "invalid-value",
                            row.method.span,
                            format!("`{}` is not an HTTP method", row.method.text),
                        )
                        .label("method")
                        .hint("use GET, POST, PUT, PATCH or DELETE"),
                    );
                    continue;
                }
                let path = row.path.text.clone();
                let params = match path_params(&path) {
                    Ok(params) => params,
                    Err(message) => {
                        self.push(Diagnostic::error("invalid-path", row.path.span, message).label("path").hint("paths start with `/` and name parameters in braces: `/orders/{order_id}`"));
                        continue;
                    }
                };
                let Some((op, _, op_ok)) = operations
                    .iter()
                    .find(|(o, _, _)| o.name == row.operation.text)
                else {
                    let names: Vec<String> =
                        operations.iter().map(|(o, _, _)| o.name.clone()).collect();
                    let close = names
                        .iter()
                        .min_by_key(|n| types::edit_distance(n, &row.operation.text))
                        .filter(|n| types::edit_distance(n, &row.operation.text) <= 3);
                    self.push(
                        Diagnostic::error(
                            "unknown-operation",
                            row.operation.span,
                            format!("unknown operation `{}`", row.operation.text),
                        )
                        .label("no operation of this name")
                        .hint(match close {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                "declare it under ## Operations as `### OP-00N: Name`".to_string()
                            }
                        }),
                    );
                    continue;
                };
                // `{workspaceId}` for the input `workspace_id`, `{id}` for the key
                // input of a get/update/delete: the route names the input.
                let mut path = path;
                let mut params = params;
                for param in params.iter_mut() {
                    if op.inputs.iter().any(|i| &i.name == param) {
                        continue;
                    }
                    let same = op.inputs.iter().find(|i| same_name(&i.name, param));
                    let key = op
                        .kind
                        .as_ref()
                        .filter(|k| k.verb.takes_id())
                        .and_then(|k| lookup_input(&op.inputs, &k.entity, &self.entities));
                    if let Some(input) = same.or(key.filter(|_| {
                        param == "id" || param.ends_with("_id") || param.ends_with("Id")
                    })) {
                        path =
                            path.replace(&format!("{{{param}}}"), &format!("{{{}}}", input.name));
                        *param = input.name.clone();
                    }
                }
                let mut ok = *op_ok;
                for param in params.iter().filter(|_| *op_ok) {
                    if !op.inputs.iter().any(|i| &i.name == param) {
                        let at = row.path.text.find(&format!("{{{param}}}")).unwrap_or(0);
                        let span = Span::new(
                            row.path.span.file,
                            row.path.span.start + at,
                            row.path.span.start + at + param.len() + 2,
                        );
                        self.push(
                            Diagnostic::error(
                                "unknown-path-param",
                                span,
                                format!("path parameter `{param}` is no input of `{}`", op.name),
                            )
                            .label("not an input")
                            .hint(format!(
                                "add `{param}` to the Input of `{}`, or rename the parameter",
                                op.name
                            )),
                        );
                        ok = false;
                    }
                }
                let status = match &row.status {
                    None => default_status(op),
                    Some(at) => match parse_status(&at.text).filter(|s| (200..=299).contains(s)) {
                        Some(s) => s,
                        None => {
                            self.push(
                                Diagnostic::error(
                                    "invalid-value",
                                    at.span,
                                    format!("`{}` is not a success status", at.text),
                                )
                                .label("expected 200 to 299")
                                .hint("201 for create, 204 for delete, 200 otherwise"),
                            );
                            ok = false;
                            0
                        }
                    },
                };
                let mut error_statuses = Vec::new();
                for at in &row.errors {
                    match parse_status(&at.text).filter(|s| (400..=599).contains(s)) {
                        Some(s) => error_statuses.push(s),
                        None => {
                            self.push(
                                Diagnostic::error(
                                    "invalid-value",
                                    at.span,
                                    format!("`{}` is not an HTTP error status", at.text),
                                )
                                .label("expected 400 to 599")
                                .hint("list statuses separated by commas: `404, 409`"),
                            );
                            ok = false;
                        }
                    }
                }
                if !ok {
                    continue;
                }
                let span = row.path.span;
                let endpoint = Endpoint {
                    method,
                    path,
                    operation: op.name.clone(),
                    status,
                    error_statuses,
                    path_params: params,
                    shape: row.shape.clone(),
                };
                if let Some((existing, first)) = endpoints.iter().find(|(e, _)| {
                    e.method == endpoint.method && same_route(&e.path, &endpoint.path)
                }) {
                    if first.file != span.file && *existing == endpoint {
                        continue;
                    }
                    let first = *first;
                    self.push(
                        Diagnostic::error(
                            "duplicate",
                            span,
                            format!(
                                "route `{} {}` is declared twice",
                                endpoint.method, endpoint.path
                            ),
                        )
                        .label("again here")
                        .related(first, "first here")
                        .hint("each method and path may map to one operation only"),
                    );
                    continue;
                }
                endpoints.push((endpoint, span));
            }
        }
        endpoints.into_iter().map(|(e, _)| e).collect()
    }
}

fn verb_name(verb: Verb) -> &'static str {
    match verb {
        Verb::Create => "create",
        Verb::Get => "get",
        Verb::List => "list",
        Verb::Update => "update",
        Verb::Delete => "delete",
    }
}

/// The input a get/update/delete of `entity` looks its item up by: the one
/// carrying the primary key, else one carrying a required `unique` field
/// (`GET /articles/{slug}`).
pub fn lookup_input<'i>(
    inputs: &'i [Input],
    entity: &str,
    entities: &[Entity],
) -> Option<&'i Input> {
    inputs
        .iter()
        .find(|i| identifies(i, entity, entities))
        .or_else(|| {
            inputs
                .iter()
                .find(|i| unique_field_of(i, entity, entities).is_some())
        })
}

/// The required `unique` field (not the key) of `entity` that the input carries.
pub fn unique_field_of<'e>(
    input: &Input,
    entity: &str,
    entities: &'e [Entity],
) -> Option<&'e Field> {
    let InputSource::Field { entity: e, field } = &input.source else {
        return None;
    };
    if e != entity || !input.required {
        return None;
    }
    entities
        .iter()
        .find(|x| &x.name == e)?
        .field(field)
        .filter(|f| f.unique && f.required && !f.primary_key)
}

/// Whether the input carries the primary key of `entity`.
pub fn identifies(input: &Input, entity: &str, entities: &[Entity]) -> bool {
    match &input.source {
        InputSource::PrimaryKey { entity: e } => e == entity,
        InputSource::Field { entity: e, field } => {
            e == entity
                && entities
                    .iter()
                    .find(|x| &x.name == e)
                    .and_then(Entity::primary_key)
                    .is_some_and(|key| key.name == *field)
        }
        InputSource::Declared => false,
    }
}

fn default_status(op: &Operation) -> u16 {
    match op.kind.as_ref().map(|k| k.verb) {
        Some(Verb::Create) => 201,
        Some(Verb::Delete) => 204,
        _ => 200,
    }
}

/// `/orders/{id}` and `/orders/{order_id}` are the same route.
fn same_route(a: &str, b: &str) -> bool {
    let shape = |p: &str| {
        p.split('/')
            .map(|s| if s.starts_with('{') { "{}" } else { s })
            .collect::<Vec<_>>()
            .join("/")
    };
    shape(a) == shape(b)
}

/// Path parameters written as `:id` or `<id>` (`<int:id>`), in braces; a
/// query string or a trailing slash dropped.
fn brace_params(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    path.split('/')
        .map(|segment| {
            if let Some(name) = segment.strip_prefix(':').filter(|n| is_identifier(n)) {
                format!("{{{name}}}")
            } else if let Some(inner) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>'))
            {
                let name = inner.rsplit(':').next().unwrap_or(inner);
                if is_identifier(name) {
                    format!("{{{name}}}")
                } else {
                    segment.to_string()
                }
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn path_params(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` does not start with `/`"));
    }
    let mut params = Vec::new();
    for segment in path.split('/') {
        if let Some(inner) = segment.strip_prefix('{') {
            let Some(name) = inner.strip_suffix('}') else {
                return Err(format!("unclosed parameter in `{segment}`"));
            };
            if !is_identifier(name) {
                return Err(format!("`{name}` is not a valid parameter name"));
            }
            if params.iter().any(|p| p == name) {
                return Err(format!("parameter `{name}` appears twice"));
            }
            params.push(name.to_string());
        } else if segment.contains(['{', '}', ':']) {
            return Err(format!("cannot read path segment `{segment}`"));
        }
    }
    Ok(params)
}

fn parse_status(text: &str) -> Option<u16> {
    text.split_whitespace().next()?.parse().ok()
}

fn parse_yes_no(text: &str) -> Option<bool> {
    let lower = text.trim().to_ascii_lowercase();
    let answer = |word: &str| match word {
        "yes" | "y" | "true" | "required" | "✓" | "✔" | "✅" | "x" | "[x]" | "not null"
        | "mandatory" | "always" => Some(true),
        "no" | "n" | "false" | "optional" | "" | "-" | "—" | "[ ]" | "✗" | "❌" | "null"
        | "nullable" => Some(false),
        _ => None,
    };
    // `Yes (PK)`, `No - defaults to now`: the first word answers.
    answer(&lower).or_else(|| answer(lower.split([' ', '(', ',', ';']).next().unwrap_or_default()))
}

/// A hint for the default at hand: `now` on a number is about `now`.
fn default_hint(ty: &Type, value: &str) -> String {
    if value.eq_ignore_ascii_case("now") {
        return "`now` is a default for date, datetime and time fields only: make the field a datetime, or drop the default".into();
    }
    match ty {
        Type::I32 | Type::I64 => {
            format!("an integer field takes a whole number: `default 0`, not `{value}`")
        }
        Type::F64 | Type::Decimal => {
            format!("a numeric field takes a number: `default 0.0`, not `{value}`")
        }
        Type::Bool => {
            format!("a bool field takes `default true` or `default false`, not `{value}`")
        }
        Type::Date | Type::DateTime | Type::Time => {
            "date and time fields take `default now`".into()
        }
        _ => format!(
            "this type has no literal defaults: remove `default {value}` and set it in the owned service"
        ),
    }
}

fn default_fits(ty: &Type, value: &str) -> bool {
    match ty {
        Type::I32 => value.parse::<i32>().is_ok(),
        Type::I64 => value.parse::<i64>().is_ok(),
        Type::F64 | Type::Decimal => value.parse::<f64>().is_ok(),
        Type::Bool => matches!(value, "true" | "false"),
        Type::String | Type::Text => true,
        Type::Date | Type::DateTime => value.eq_ignore_ascii_case("now"),
        Type::Time => value.eq_ignore_ascii_case("now"),
        _ => false,
    }
}

fn split_word(text: &str) -> (&str, &str) {
    match text.find(|c: char| c.is_whitespace() || c == ':' || c == '=') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    }
}
