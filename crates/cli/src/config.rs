//! `scaffold.toml`: where specs, templates and generated code live.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

/// The file name looked up in the project root.
pub const FILE_NAME: &str = "scaffold.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The template pack (`rust-axum`).
    pub stack: String,
    /// Folder (relative to the project root) that holds `<ticket>/spec.md`.
    pub specs: String,
    /// Folder the generated code goes to, relative to the project root.
    pub output: String,
    /// Folder of template overrides: `<templates>/<stack>/...` replaces embedded files.
    pub templates: String,
    /// The migration guard's policy, read by `scaffold guard`.
    pub guard: Option<toml::Value>,
    /// Feature folder to domain (`"001-todo-app" = "todos"`), for folders
    /// whose name is not the domain.
    pub domains: BTreeMap<String, String>,
    /// How specs are read.
    pub spec: SpecConfig,
    /// What `generate` does beyond the spec.
    pub generate: GenerateConfig,
    /// `[database]`: table and column names of the schema request (`scaffold schema`).
    pub database: scaffold_schema::DatabaseConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpecConfig {
    /// Heading and column aliases for specs in other languages: a heading
    /// text maps to `entities`, `fields`, `operations`, `endpoints` or
    /// `errors`; a column header to `field`, `type`, `required`,
    /// `constraints`, `description`, `default` or `key`.
    pub aliases: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct GenerateConfig {
    /// Infer create/get/list/update/delete for domains without operations.
    pub infer_crud: bool,
    /// Keep an OpenAPI document of the specs current at this path.
    pub openapi: Option<String>,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        Self {
            infer_crud: true,
            openapi: None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            stack: "rust-axum".into(),
            specs: "specs".into(),
            output: "backend".into(),
            templates: "templates".into(),
            guard: None,
            domains: BTreeMap::new(),
            spec: SpecConfig::default(),
            generate: GenerateConfig::default(),
            database: scaffold_schema::DatabaseConfig::default(),
        }
    }
}

impl Config {
    /// The parser's options: `[domains]`, `[spec.aliases]`, `[generate] infer-crud`.
    pub fn parse_options(&self) -> scaffold_parser::Options {
        let mut options = scaffold_parser::Options {
            domains: self.domains.clone(),
            infer_crud: self.generate.infer_crud,
            ..scaffold_parser::Options::default()
        };
        for (from, to) in &self.spec.aliases {
            let from = from.trim().to_lowercase();
            match scaffold_parser::Section::parse(to) {
                Some(section) => {
                    options.headings.insert(from, section);
                }
                None => {
                    options.columns.insert(from, to.trim().to_ascii_lowercase());
                }
            }
        }
        options
    }
}

impl Config {
    /// Reads `scaffold.toml` from `root`; defaults when there is none.
    pub fn load(root: &Path) -> anyhow::Result<Self> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let config: Config = toml::from_str(&text).map_err(|e| {
            let location = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                format!(
                    ":{}:{}",
                    before.matches('\n').count() + 1,
                    before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1
                )
            });
            crate::usage(
                format!("{}{}: {}", shown(&path), location.unwrap_or_default(), e.message()),
                "keys are stack, specs, output, templates, [domains], [spec.aliases], [generate] and [guard]; see the README's configuration section",
            )
        })?;
        for (key, value) in [
            ("output", &config.output),
            ("specs", &config.specs),
            ("templates", &config.templates),
        ] {
            if Path::new(value).is_absolute() || value.split(['/', '\\']).any(|part| part == "..") {
                return Err(crate::usage(
                    format!(
                        "{}: `{key} = {value:?}` must be a folder inside the project",
                        shown(&path)
                    ),
                    "use a relative path without `..`, such as `backend` or `src/backend`",
                ));
            }
        }
        Ok(config)
    }
}

fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
