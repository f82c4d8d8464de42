//! Parses `spec.md` (and `data-model.md`) files into a validated domain model.
//!
//! This crate does no IO: callers read files and pass [`Source`]s in. Every
//! problem is collected, so one run reports all of them.

pub mod case;
mod checks;
mod contract;
mod diagnostic;
mod fence;
mod forms;
mod lower;
mod markdown;
pub mod model;
mod options;
mod source;
mod syntax;
mod types;

pub use diagnostic::{Diagnostic, Severity, render_all};
pub use model::*;
pub use options::{Options, Section};
pub use source::{LineCol, Source, Span};
pub use types::PRIMITIVES;

/// The result of parsing: the model (complete only when there are no errors)
/// and every diagnostic, sorted by file and position.
#[derive(Debug)]
pub struct Parsed {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
    /// spec-kit `Key Entities` bullets, in file order: what `scaffold draft`
    /// turns into a proposed data-model.md.
    pub key_entities: Vec<KeyEntity>,
}

/// One `- **Order**: what it represents ...` bullet of a spec's Key Entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntity {
    /// PascalCase entity name (`Order`; `Line Item` becomes `LineItem`).
    pub name: String,
    /// The prose after the name: what it represents, its key attributes.
    pub description: String,
    /// The spec the bullet is in.
    pub path: String,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The model if there were no errors.
    pub fn ok(self) -> Result<Project, Vec<Diagnostic>> {
        if self.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok(self.project)
        }
    }
}

/// Parses and validates every source together (specs of one domain merge),
/// with the default options.
pub fn parse(sources: &[Source]) -> Parsed {
    parse_with(sources, &Options::default())
}

/// Parses and validates every source together, with a project's options
/// (`[domains]`, `[spec.aliases]`, `[generate] infer-crud` in scaffold.toml).
///
/// Contracts (`contracts/*.yaml|json|md` of a feature folder) are read by
/// [`contract`] into the same raw items as Markdown specs, so they merge into
/// the domain of the spec beside them.
pub fn parse_with(sources: &[Source], options: &Options) -> Parsed {
    let mut diagnostics = Vec::new();
    let raws = sources
        .iter()
        .enumerate()
        .map(|(file, source)| {
            if contract::is_contract(&source.path) {
                contract::parse_file(file, source, &mut diagnostics)
            } else {
                syntax::parse_file(
                    file,
                    &source.text,
                    source.file_name() == "data-model.md",
                    options,
                    &mut diagnostics,
                )
            }
        })
        .collect::<Vec<syntax::RawSpec>>();
    let mut raws = raws;
    // Contracts read again knowing their feature's data model: schemas map to
    // the entities it has, routes about others become free operations.
    contract::reconcile(sources, &mut raws);
    let key_entities = raws
        .iter()
        .flat_map(|raw| {
            raw.key_entities
                .iter()
                .map(|(name, description)| KeyEntity {
                    name: forms::entity_name_from(&name.text).unwrap_or_else(|| name.text.clone()),
                    description: description.clone(),
                    path: sources[raw.file].path.clone(),
                })
        })
        .collect();
    let project = lower::lower(sources, raws, options, &mut diagnostics);
    checks::check(sources, &project, &mut diagnostics);
    // Spans are computed from offsets into flattened text: snap them to whole
    // characters inside the file, so rendering never slices a character.
    for diagnostic in &mut diagnostics {
        let spans = std::iter::once(&mut diagnostic.span)
            .chain(diagnostic.related.iter_mut().map(|(span, _)| span));
        for span in spans {
            let text = &sources[span.file].text;
            let mut start = span.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = span.end.clamp(start, text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            *span = Span::new(span.file, start, end);
        }
    }
    diagnostics.sort_by(|a, b| {
        (&sources[a.span.file].path, a.span.start, a.code).cmp(&(
            &sources[b.span.file].path,
            b.span.start,
            b.code,
        ))
    });
    diagnostics.dedup();
    Parsed {
        project,
        diagnostics,
        key_entities,
    }
}

/// Applies every machine-applicable fix of `diagnostics` to the sources:
/// the new text of each file that changes, in source order. Overlapping fixes
/// keep the first; prose is never touched because only spans of structure
/// (a type cell, a constraint phrase) carry fixes.
pub fn apply_fixes(sources: &[Source], diagnostics: &[Diagnostic]) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    for (file, source) in sources.iter().enumerate() {
        let mut fixes: Vec<(&Span, &String)> = diagnostics
            .iter()
            .filter(|d| d.span.file == file)
            .filter_map(|d| d.replacement.as_ref().map(|r| (&d.span, r)))
            .collect();
        fixes.sort_by_key(|(span, _)| (span.start, span.end));
        fixes.dedup_by_key(|(span, _)| (span.start, span.end));
        let mut text = String::with_capacity(source.text.len());
        let mut at = 0;
        let mut applied = 0;
        for (span, replacement) in fixes {
            if span.start < at || span.end > source.text.len() {
                continue;
            }
            text.push_str(&source.text[at..span.start]);
            text.push_str(replacement);
            at = span.end;
            applied += 1;
        }
        if applied > 0 {
            text.push_str(&source.text[at..]);
            out.push((file, text, applied));
        }
    }
    out
}

/// Whether the input names the primary key of `entity` (`order_id`, or `id` of the entity itself).
pub fn input_identifies(input: &Input, entity: &str, domain: &Domain) -> bool {
    lower::identifies(input, entity, &domain.entities)
}

/// The input a get/update/delete of `entity` looks its item up by: the key, else a required `unique` field.
pub fn lookup_input<'i>(inputs: &'i [Input], entity: &str, domain: &Domain) -> Option<&'i Input> {
    lower::lookup_input(inputs, entity, &domain.entities)
}

/// The `unique` field an input of a get/update/delete of `entity` looks its item up by, when it is not the key.
pub fn lookup_field<'d>(input: &Input, entity: &str, domain: &'d Domain) -> Option<&'d Field> {
    lower::unique_field_of(input, entity, &domain.entities)
}
