//! Renders a validated project through a template pack into an in-memory set of files.
//!
//! Nothing here writes to the project: the CLI loads overrides and writes the
//! result. The one process it may run is the host's rustfmt, on copies in a
//! temporary folder (see `rustfmt.rs`).

pub mod blueprint;
pub mod context;
pub mod dialect;
mod format;
pub mod pack;
pub mod parallel;
mod pattern;
pub mod python;
pub mod rust;
pub mod rustfmt;
pub mod storage;

use std::collections::BTreeSet;

use scaffold_parser::{Project, Type};
pub use scaffold_schema::DatabaseConfig;

/// A reason a domain cannot be generated for a stack.
pub use blueprint::Problem as StackProblem;
pub use pack::Pack;
pub use scaffold_regen::Ownership;
use scaffold_regen::manifest;

/// A file the pack produced, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub contents: String,
    /// Hash of the template output before formatting (and of the tool version):
    /// equal hashes mean equal formatted text, so a rerun can skip formatting.
    pub raw_hash: String,
    pub template: String,
    pub domain: Option<String>,
    pub ownership: Ownership,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("there is no template pack `{name}` (available: {available})")]
    UnknownPack { name: String, available: String },
    #[error("template pack `{pack}`: {message}")]
    Pack { pack: String, message: String },
    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },
    #[error("domain `{domain}` cannot be generated for this stack")]
    Stack {
        domain: String,
        problems: Vec<StackProblem>,
    },
    #[error("the PostgreSQL repositories cannot be generated: {message}")]
    Database { message: String, hint: String },
    #[error("rustfmt could not format the generated code: {message}")]
    Rustfmt { message: String },
    #[error("{path}: generated code is not valid Rust: {message}\n{excerpt}")]
    InvalidRust {
        path: String,
        message: String,
        excerpt: String,
    },
}

impl RenderError {
    pub fn hint(&self) -> Option<String> {
        match self {
            RenderError::UnknownPack { .. } => Some("pass `--stack rust-axum`, or set `stack` in scaffold.toml".into()),
            RenderError::Pack { .. } => Some("compare the project's template folder with `scaffold templates eject`".into()),
            RenderError::Template { .. } => {
                Some("check the template against the context documented in docs/templates.md".into())
            }
            RenderError::Stack { problems, .. } => problems.first().map(|p| p.hint.clone()),
            RenderError::Database { hint, .. } => Some(hint.clone()),
            RenderError::Rustfmt { .. } => Some(
                "run `rustfmt --version` in the project; set `RUSTFMT` to another rustfmt, or fix the template that produced this code".into(),
            ),
            RenderError::InvalidRust { .. } => {
                Some("a template (or an override) produced broken Rust: fix the template; nothing was written".into())
            }
        }
    }
}

/// Renders every file of the pack for every domain, sorted by path.
pub fn render(project: &Project, pack: &Pack) -> Result<Vec<RenderedFile>, RenderError> {
    render_with(project, pack, &|_, _| None, None)
}

/// Given a file's path and raw hash, the text formatted last time, if it is known.
pub type Reuse<'a> = &'a (dyn Fn(&str, &str) -> Option<String> + Sync);

/// Like [`render`], but takes already formatted text from `reuse` when the raw
/// template output has not changed: checking and formatting Rust dominates a run.
/// With `rustfmt`, Rust files are then formatted by the host's rustfmt (in one
/// batch), so `cargo fmt` in the host crate finds nothing to change.
pub fn render_with(
    project: &Project,
    pack: &Pack,
    reuse: Reuse<'_>,
    rustfmt: Option<&rustfmt::Rustfmt>,
) -> Result<Vec<RenderedFile>, RenderError> {
    render_database(project, pack, reuse, rustfmt, &DatabaseConfig::default())
}

/// Like [`render_with`], with the project's `[database]`: table, column and
/// constraint names follow its mapping, and `engine = "postgres"` renders the
/// files a pack writes `when = "postgres"` (the PostgreSQL repositories).
pub fn render_database(
    project: &Project,
    pack: &Pack,
    reuse: Reuse<'_>,
    rustfmt: Option<&rustfmt::Rustfmt>,
    database: &DatabaseConfig,
) -> Result<Vec<RenderedFile>, RenderError> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    for file in &pack.manifest.files {
        let source = &pack.templates[&file.template];
        tera.add_raw_template(&file.template, source)
            .map_err(|e| RenderError::Template {
                template: file.template.clone(),
                message: error_chain(&e),
            })?;
    }
    let dialect =
        dialect::for_language(&pack.manifest.language).ok_or_else(|| RenderError::Pack {
            pack: pack.manifest.name.clone(),
            message: format!(
                "no dialect spells language `{}` (known: {})",
                pack.manifest.language,
                dialect::LANGUAGES.join(", ")
            ),
        })?;
    let postgres = database.is_postgres();
    let schema = storage_schema(project, database, postgres)?;
    // Each domain's blueprint and context on its own: 50 domains build on every core.
    let built = parallel::map(&project.domains, |domain| {
        let problems = dialect.problems(domain);
        let built = if problems.is_empty() {
            blueprint::build(domain)
        } else {
            Err(problems)
        };
        let blueprint = built.map_err(|problems| RenderError::Stack {
            domain: domain.name.clone(),
            problems,
        })?;
        let mut context = context::build(&blueprint, dialect);
        if let Some(domain_schema) = schema
            .as_ref()
            .and_then(|s| s.domains.iter().find(|d| d.name == domain.name))
        {
            storage::fill(
                &mut context,
                domain,
                &blueprint,
                domain_schema,
                dialect,
                postgres,
            );
        }
        // One Tera context per domain: serialising it is a sizeable part of rendering.
        let mut tera_context = tera::Context::new();
        tera_context.insert("d", &context);
        Ok((context, tera_context))
    });
    let mut contexts = Vec::new();
    let mut tera_contexts = Vec::new();
    for result in built {
        let (context, tera_context) = result?;
        contexts.push(context);
        tera_contexts.push(tera_context);
    }
    let domain_files: Vec<&pack::FileSpec> = pack
        .manifest
        .files
        .iter()
        .filter(|f| f.scope == pack::Scope::Domain)
        .filter(|f| f.when.as_deref() != Some("postgres") || postgres)
        .collect();
    // Output formatted by rustfmt differs from the built-in formatter's: the
    // rerun cache must not hand one out for the other.
    let formatter_key = match rustfmt {
        Some(rustfmt) if dialect.language() == "rust" => manifest::hash(&rustfmt.identity()),
        _ => String::new(),
    };
    let uses_caller = contexts.iter().any(|c| c.uses_caller);
    let project_files = pack
        .manifest
        .files
        .iter()
        .filter(|f| f.scope == pack::Scope::Project)
        .filter(|file| match file.when.as_deref() {
            None => true,
            Some("security") => uses_caller,
            Some("postgres") => postgres,
            Some(_) => false,
        });
    // One unit of work per file, not per domain: one domain's files spread
    // over every core too. `None`: a project-scope file.
    let mut units: Vec<(Option<usize>, &pack::FileSpec)> = Vec::new();
    for index in 0..project.domains.len() {
        units.extend(domain_files.iter().map(|&file| (Some(index), file)));
    }
    units.extend(project_files.map(|file| (None, file)));
    // Every project-scope file gets the same context: every domain serialised
    // once, by whichever thread needs it first.
    let project_context = std::sync::OnceLock::new();
    let rendered = parallel::map_costliest_first(
        &units,
        |(_, file)| pack.templates[&file.template].len(),
        |&(domain, file)| -> Result<(RenderedFile, bool), RenderError> {
            let (context, path) = match domain {
                Some(index) => (
                    &tera_contexts[index],
                    // `{module}`: the domain as its language names a module (`class_` in Python).
                    file.path
                        .replace("{domain}", &project.domains[index].name)
                        .replace("{module}", &contexts[index].module),
                ),
                None => (
                    project_context.get_or_init(|| {
                        let mut context = tera::Context::new();
                        context.insert("domains", &contexts);
                        context.insert("uses_caller", &uses_caller);
                        context.insert("postgres", &postgres);
                        context
                    }),
                    file.path.clone(),
                ),
            };
            let (contents, raw_hash, fresh) =
                render_one(&tera, file, context, &path, dialect, reuse, &formatter_key)?;
            let rendered = RenderedFile {
                path,
                contents,
                raw_hash,
                template: file.template.clone(),
                domain: domain.map(|index| project.domains[index].name.clone()),
                ownership: file.ownership,
            };
            Ok((rendered, fresh))
        },
    );
    let mut files = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
    if let Some(rustfmt) = rustfmt.filter(|_| dialect.language() == "rust") {
        format_fresh(rustfmt, &mut files)?;
    }
    let mut files: Vec<RenderedFile> = files.into_iter().map(|(file, _)| file).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The schema whose names the code uses: `[database]`'s mapping when it fits
/// the specs. Without `engine = "postgres"` a mapping that does not fit is
/// `scaffold schema`'s to report, and the default names are used.
fn storage_schema(
    project: &Project,
    database: &DatabaseConfig,
    postgres: bool,
) -> Result<Option<scaffold_schema::Schema>, RenderError> {
    match scaffold_schema::build(project, database) {
        Ok(schema) => Ok(Some(schema)),
        Err(error) if postgres => Err(RenderError::Database {
            message: error.to_string(),
            hint: error.hint().to_string(),
        }),
        Err(_) => Ok(scaffold_schema::build(project, &DatabaseConfig::default()).ok()),
    }
}

/// Runs rustfmt once over every Rust file formatted in this run (files taken
/// from the cache already are).
fn format_fresh(
    rustfmt: &rustfmt::Rustfmt,
    files: &mut [(RenderedFile, bool)],
) -> Result<(), RenderError> {
    let fresh: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].1 && files[i].0.path.ends_with(".rs"))
        .collect();
    let batch: Vec<(String, String)> = fresh
        .iter()
        .map(|&i| (files[i].0.path.clone(), files[i].0.contents.clone()))
        .collect();
    let formatted = rustfmt.format(&batch).map_err(|e| RenderError::Rustfmt {
        message: e.to_string(),
    })?;
    for (i, text) in fresh.into_iter().zip(formatted) {
        files[i].0.contents = text;
    }
    Ok(())
}

fn render_one(
    tera: &tera::Tera,
    file: &pack::FileSpec,
    context: &tera::Context,
    path: &str,
    dialect: &dyn dialect::Dialect,
    reuse: Reuse<'_>,
    formatter_key: &str,
) -> Result<(String, String, bool), RenderError> {
    let text = tera
        .render(&file.template, context)
        .map_err(|e| RenderError::Template {
            template: file.template.clone(),
            message: error_chain(&e),
        })?;
    let raw_hash = manifest::hash(&format!(
        "scaffold {} format {:x}{formatter_key}\n{text}",
        env!("CARGO_PKG_VERSION"),
        pack::FORMAT_FINGERPRINT
    ));
    if let Some(known) = reuse(path, &raw_hash) {
        return Ok((known, raw_hash, false));
    }
    let contents = dialect.format(path, &text)?;
    Ok((contents, raw_hash, true))
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The files `scaffold new` writes for a ticket: spec.md, architecture.md and tasks.md.
pub fn new_domain_files(ticket: &str, domain: &str) -> Result<Vec<(String, String)>, RenderError> {
    let entity = scaffold_parser::case::pascal(
        domain
            .strip_suffix('s')
            .filter(|s| !s.is_empty())
            .unwrap_or(domain),
    );
    let entity_snake = scaffold_parser::case::snake(&entity);
    let mut context = tera::Context::new();
    context.insert("ticket", ticket);
    context.insert("domain", domain);
    context.insert("title", &scaffold_parser::case::words(domain).join(" "));
    context.insert("entity", &entity);
    context.insert(
        "entity_words",
        &scaffold_parser::case::words(&entity).join(" "),
    );
    context.insert("entity_shout", &entity_snake.to_ascii_uppercase());
    context.insert(
        "collection",
        &scaffold_parser::case::plural(&entity_snake).replace('_', "-"),
    );
    context.insert("entity_snake", &entity_snake);
    let mut files = Vec::new();
    for (path, source) in Pack::embedded_files("new-domain") {
        let name = path.strip_suffix(".tera").unwrap_or(path);
        let text =
            tera::Tera::one_off(source, &context, false).map_err(|e| RenderError::Template {
                template: format!("new-domain/{path}"),
                message: error_chain(&e),
            })?;
        files.push((name.to_string(), text));
    }
    Ok(files)
}

/// The crates a host crate needs for what these specs use, as Cargo.toml lines.
pub fn dependencies(project: &Project, pack: &Pack) -> (Vec<String>, Vec<String>) {
    dependencies_with(project, pack, &DatabaseConfig::default())
}

/// Like [`dependencies`], with what `[database]` adds (`postgres`: sqlx).
pub fn dependencies_with(
    project: &Project,
    pack: &Pack,
    database: &DatabaseConfig,
) -> (Vec<String>, Vec<String>) {
    let dialect = dialect::for_language(&pack.manifest.language);
    let mut features = BTreeSet::new();
    features.insert("uuid");
    if database.is_postgres() {
        features.insert("postgres");
    }
    for domain in &project.domains {
        for entity in &domain.entities {
            for field in &entity.fields {
                collect_features(&field.ty, &mut features);
                if field.pattern.is_some() {
                    features.insert("regex");
                }
            }
        }
        for op in &domain.operations {
            for input in &op.inputs {
                collect_features(&input.ty, &mut features);
            }
        }
    }
    let lines = |deps: &[pack::Dependency]| {
        deps.iter()
            .filter(|d| d.when.as_deref().is_none_or(|w| features.contains(w)))
            .map(|d| {
                let spec = d.spec_with(&|feature| features.contains(feature));
                match &dialect {
                    Some(dialect) => dialect.dependency(&d.name, &spec),
                    None => format!("{} = {spec}", d.name),
                }
            })
            .collect()
    };
    (
        lines(&pack.manifest.dependencies),
        lines(&pack.manifest.dev_dependencies),
    )
}

fn collect_features(ty: &Type, features: &mut BTreeSet<&'static str>) {
    match ty {
        Type::Date | Type::DateTime | Type::Time => {
            features.insert("chrono");
        }
        Type::Decimal => {
            features.insert("decimal");
        }
        Type::List(inner) => collect_features(inner, features),
        _ => {}
    }
}
