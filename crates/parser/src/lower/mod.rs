//! Merges the raw items of every spec into domains and validates them.
//!
//! Every check pushes a diagnostic and carries on, so one run reports every problem.

use std::collections::{BTreeMap, HashMap};

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::options::Options;
use crate::source::{Source, Span};
use crate::syntax::{Located, RawField, RawSpec};

mod crud;
mod endpoints;
mod entities;
mod fields;
mod lookup;
mod operations;
pub(crate) mod paths;
mod relationships;
mod resolve;
mod routes;

pub use lookup::{identifies, lookup_input, unique_field_of};

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
    let rows = routes::rows(by_domain.iter());
    let domains = by_domain
        .into_iter()
        .map(|(name, raws)| {
            let mut lowering = DomainLowering::new(sources, diagnostics);
            lowering.infer_crud = options.infer_crud;
            lowering.lower(name, raws)
        })
        .collect();
    let project = Project { domains };
    // Every domain is served by one application: routes are checked across domains.
    routes::check(&project, &rows, diagnostics);
    project
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
}

fn parse_status(text: &str) -> Option<u16> {
    text.split_whitespace().next()?.parse().ok()
}
