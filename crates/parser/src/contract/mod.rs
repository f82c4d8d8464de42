//! Reads API contracts (`contracts/` of a feature folder: OpenAPI YAML or
//! JSON, Markdown endpoint lists) into the same raw items as a Markdown spec.
//!
//! A contract gives operations and endpoints; entities stay with the
//! data model, and schemas map to entities by name.

mod markdown;
mod openapi;
mod tree;

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::syntax::RawSpec;

/// Whether a source is a contract rather than a Markdown spec: any file in a
/// `contracts/` folder, or an OpenAPI document (`.yaml`, `.yml`, `.json`).
pub fn is_contract(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower.split(['/', '\\']).rev().nth(1) == Some("contracts")
}

/// Reads one contract on its own: OpenAPI for `.yaml`/`.yml`/`.json`,
/// Markdown otherwise. Entity schemas are recognised by their key property.
pub fn parse_file(file: usize, source: &Source, diagnostics: &mut Vec<Diagnostic>) -> RawSpec {
    read(file, source, None, diagnostics)
}

fn read(
    file: usize,
    source: &Source,
    known: Option<&Known>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawSpec {
    let lower = source.path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
        openapi::parse(file, &source.text, known, diagnostics)
    } else {
        markdown::parse(file, &source.text, known, diagnostics)
    }
}

/// The entities of a feature's data model and their field names, as the
/// model spells them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Known {
    pub entities: Vec<(String, Vec<String>)>,
    /// `(entity, field)` of the fields marked `unique`: routes may look items up by them.
    pub unique: Vec<(String, String)>,
}

impl Known {
    pub fn fields(&self, entity: &str) -> Option<&[String]> {
        self.entities
            .iter()
            .find(|(e, _)| e == entity)
            .map(|(_, f)| f.as_slice())
    }

    /// The field of `entity` that `name` means: equal, or equal in snake_case
    /// (`externalId`, `ExternalId` and `external_id` are one field).
    pub fn field(&self, entity: &str, name: &str) -> Option<String> {
        let wanted = case::snake(name);
        self.fields(entity)?
            .iter()
            .find(|f| *f == name || case::snake(f) == wanted)
            .cloned()
    }

    /// The entity a route segment names: `Item`, or the one entity whose name
    /// ends with it (`CartItem`).
    pub fn entity_named(&self, wanted: &str) -> Option<String> {
        if self.fields(wanted).is_some() {
            return Some(wanted.to_string());
        }
        let ending: Vec<&String> = self
            .entities
            .iter()
            .map(|(e, _)| e)
            .filter(|e| e.ends_with(wanted))
            .collect();
        match ending.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    }
}

/// Reads every contract again, now knowing the data model of its feature
/// (the entities the Markdown files of the same folder declare): a schema
/// then maps to an entity only if the model has it, and a property to the
/// field the model spells differently (`externalId` to `ExternalId`). Routes
/// about entities the model lacks become free operations instead of errors.
/// A feature without a data model keeps the first reading.
///
/// `parse_with` calls it between reading every file and lowering them.
pub fn reconcile(sources: &[Source], raws: &mut [RawSpec]) {
    let knowledge: Vec<(usize, Known)> = raws
        .iter()
        .filter(|raw| is_contract(&sources[raw.file].path))
        .map(|raw| {
            let feature = sources[raw.file].feature_dir();
            // The domain a spec of the feature declares: other tickets of that
            // domain add entities too (a data model in ORD-150 for ORD-142's API).
            let domain_of = |folder: &str| {
                raws.iter()
                    .filter(|o| sources[o.file].feature_dir() == folder)
                    .find_map(|o| o.domain.as_ref().map(|d| d.text.clone()))
            };
            let domain = domain_of(feature);
            let mut known = Known::default();
            for other in raws.iter().filter(|o| {
                let folder = sources[o.file].feature_dir();
                !is_contract(&sources[o.file].path)
                    && (folder == feature || (domain.is_some() && domain_of(folder) == domain))
            }) {
                // An entity without fields is not generated: nothing can refer to it.
                for entity in other.entities.iter().filter(|e| !e.fields.is_empty()) {
                    if known.fields(&entity.name.text).is_some() {
                        continue;
                    }
                    let fields = entity
                        .fields
                        .iter()
                        .map(|f| field_name(&f.name.text))
                        .collect();
                    for field in entity.fields.iter().filter(|f| {
                        f.constraints.iter().any(|c| {
                            c.text
                                .split([';', ','])
                                .any(|p| p.trim().eq_ignore_ascii_case("unique"))
                        })
                    }) {
                        known
                            .unique
                            .push((entity.name.text.clone(), field_name(&field.name.text)));
                    }
                    known.entities.push((entity.name.text.clone(), fields));
                }
            }
            (raw.file, known)
        })
        .collect();
    for (file, known) in knowledge {
        if known.entities.is_empty() {
            continue;
        }
        // Diagnostics of the contract itself were reported by the first reading.
        let mut ignored = Vec::new();
        let again = read(file, &sources[file], Some(&known), &mut ignored);
        if let Some(raw) = raws.iter_mut().find(|r| r.file == file) {
            raw.operations = again.operations;
            raw.endpoints = again.endpoints;
        }
    }
}

/// A field's name as the model keeps it: as written when it is an
/// identifier, else snake_case (`First Name` is `first_name`).
fn field_name(text: &str) -> String {
    let is_identifier = text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_identifier {
        text.to_string()
    } else {
        case::snake(&text.replace(['-', ' ', '.'], "_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;
    use crate::{Project, Verb, lower, render_all, syntax};

    /// `parse_with`, with the contracts read again knowing the data model.
    fn parse_reconciled(sources: &[Source]) -> (Project, Vec<Diagnostic>) {
        let options = Options::default();
        let mut diagnostics = Vec::new();
        let mut raws: Vec<RawSpec> = sources
            .iter()
            .enumerate()
            .map(|(file, source)| {
                if is_contract(&source.path) {
                    parse_file(file, source, &mut diagnostics)
                } else {
                    let data_model = source.file_name() == "data-model.md";
                    syntax::parse_file(file, &source.text, data_model, &options, &mut diagnostics)
                }
            })
            .collect();
        reconcile(sources, &mut raws);
        let project = lower::lower(sources, raws, &options, &mut diagnostics);
        (project, diagnostics)
    }

    const DATA_MODEL: &str = "# Data Model\n\n**Domain**: feeds\n\n## Entity: FeedFormula\n\n\
        | Field | Type | Required | Constraints |\n|---|---|---|---|\n\
        | Id | uuid | yes | primary key |\n| ExternalId | uuid | no | |\n| Code | string | yes | |\n";

    const CONTRACT: &str = "openapi: 3.0.3\npaths:\n\
        \x20 /api/feed-formulas:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/FeedFormula'\n      responses:\n        '201':\n          description: made\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/FeedFormula'\n\
        \x20 /api/feed-formulas/{id}:\n    get:\n      responses:\n        '200':\n          description: one\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/FeedFormula'\n\
        \x20 /api/users/{id}:\n    get:\n      responses:\n        '200':\n          description: a user the model does not describe\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/User'\n\
        components:\n  schemas:\n    FeedFormula:\n      type: object\n      properties:\n        id: {type: string, format: uuid, readOnly: true}\n        externalId: {type: string, format: uuid}\n        code: {type: string}\n    User:\n      type: object\n      properties:\n        id: {type: string}\n        email: {type: string}\n";

    #[test]
    fn contracts_map_to_the_data_model_as_it_spells_fields() {
        let sources = [
            Source::new("specs/005-feeds/contracts/feed-api.yaml", CONTRACT),
            Source::new("specs/005-feeds/data-model.md", DATA_MODEL),
        ];
        let (project, diagnostics) = parse_reconciled(&sources);
        let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{}",
            render_all(&diagnostics, &sources, false)
        );
        let domain = &project.domains[0];
        let create = domain.operation("PostApiFeedFormulas").or_else(|| {
            domain
                .operations
                .iter()
                .find(|o| o.kind.as_ref().is_some_and(|k| k.verb == Verb::Create))
        });
        let create = create.expect("a create operation");
        let inputs: Vec<&str> = create.inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(inputs, ["ExternalId", "Code"]);
        // The user route names an entity the model lacks: a free operation, not an error.
        let user = domain
            .endpoints
            .iter()
            .find(|e| e.path.starts_with("/api/users"))
            .and_then(|e| domain.operation(&e.operation))
            .expect("the user route");
        assert!(user.kind.is_none(), "{user:?}");
    }

    #[test]
    fn markdown_routes_get_kinds_from_the_data_model() {
        let sources = [
            Source::new(
                "specs/004-reading-list/contracts/books.md",
                include_str!("../../test_data/contracts/endpoints-headings.md"),
            ),
            Source::new(
                "specs/004-reading-list/data-model.md",
                include_str!("../../test_data/contracts/data-model.md"),
            ),
            Source::new(
                "specs/004-reading-list/spec.md",
                include_str!("../../test_data/contracts/spec.md"),
            ),
        ];
        let (project, diagnostics) = parse_reconciled(&sources);
        assert!(
            !diagnostics.iter().any(Diagnostic::is_error),
            "{}",
            render_all(&diagnostics, &sources, false)
        );
        let domain = &project.domains[0];
        let kinds: Vec<String> = domain
            .endpoints
            .iter()
            .map(|e| {
                let op = domain.operation(&e.operation).expect("operation");
                let kind = op
                    .kind
                    .as_ref()
                    .map_or("free".to_string(), |k| format!("{:?} {}", k.verb, k.entity));
                format!("{} {} {} {kind}", e.method, e.path, op.name)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "POST /api/books CreateBook Create Book",
                "GET /api/books ListBooks List Book",
                "GET /api/books/{book_id} GetBook Get Book",
                "DELETE /api/books/{book_id} DeleteBook Delete Book",
                "POST /api/books/{book_id}/finish PostBooksFinish free",
            ]
        );
        let create = domain.operation("CreateBook").expect("CreateBook");
        let inputs: Vec<&str> = create.inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(inputs, ["title", "author", "shelf_id"]);
    }
}
