//! Template packs: the embedded defaults and a project's file-by-file overrides.

use std::collections::BTreeMap;

use scaffold_regen::Ownership;
use serde::Deserialize;

use crate::RenderError;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Rendered once per domain, with `d` in the context.
    Domain,
    /// Rendered once, with `domains` in the context.
    Project,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub template: String,
    /// Relative to the output root; `{domain}` is replaced by the domain's name,
    /// `{module}` by its module name in the pack's language (`class_` for `class` in Python).
    pub path: String,
    pub scope: Scope,
    pub ownership: Ownership,
    /// A feature of the project the file is written for, else it is not:
    /// `security` (some endpoint is protected), `postgres` (`[database]
    /// engine = "postgres"`, PostgreSQL repositories).
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub name: String,
    /// The right-hand side of a Cargo.toml line.
    pub spec: String,
    /// A feature of the specs that needs the crate (`uuid`, `chrono`, `decimal`,
    /// `regex`), or of the project (`postgres`: `[database] engine = "postgres"`).
    #[serde(default)]
    pub when: Option<String>,
    /// Crate features added to the `features = [...]` of `spec` when the specs
    /// use a feature: `{ chrono = "chrono", decimal = "rust_decimal" }`.
    #[serde(default)]
    pub features: BTreeMap<String, String>,
}

impl Dependency {
    /// `spec` with the crate features `features` switches on added to its list.
    pub fn spec_with(&self, on: &dyn Fn(&str) -> bool) -> String {
        let extra: Vec<String> = self
            .features
            .iter()
            .filter(|(feature, _)| on(feature))
            .map(|(_, name)| format!(", \"{name}\""))
            .collect();
        let Some(list) = self.spec.find("features = [") else {
            return self.spec.clone();
        };
        match self.spec[list..].find(']') {
            Some(end) => {
                let at = list + end;
                format!("{}{}{}", &self.spec[..at], extra.concat(), &self.spec[at..])
            }
            None => self.spec.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackManifest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `rust` packs are checked with syn and formatted with prettyplease.
    pub language: String,
    pub files: Vec<FileSpec>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    #[serde(default)]
    pub dev_dependencies: Vec<Dependency>,
}

/// A pack ready to render: its manifest and every template by name.
#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: PackManifest,
    pub templates: BTreeMap<String, String>,
    /// Template names the project overrides, sorted.
    pub overridden: Vec<String>,
}

impl Pack {
    /// Names of the packs built into the binary.
    pub fn available() -> Vec<&'static str> {
        // A pack is a folder with a pack.toml; `new-domain/` holds the onboarding templates.
        EMBEDDED
            .iter()
            .filter_map(|(path, _)| path.strip_suffix("/pack.toml"))
            .collect()
    }

    /// The files of an embedded pack, as (path inside the pack, contents).
    pub fn embedded_files(name: &str) -> Vec<(&'static str, &'static str)> {
        EMBEDDED
            .iter()
            .filter_map(|(path, contents)| {
                path.strip_prefix(name)?
                    .strip_prefix('/')
                    .map(|rel| (rel, *contents))
            })
            .collect()
    }

    pub fn embedded(name: &str) -> Result<Self, RenderError> {
        let files = Self::embedded_files(name);
        if files.is_empty() {
            return Err(RenderError::UnknownPack {
                name: name.to_string(),
                available: Self::available().join(", "),
            });
        }
        Self::from_files(
            name,
            files
                .into_iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
            Vec::new(),
        )
    }

    /// Replaces embedded files with the project's (paths inside the pack folder).
    pub fn with_overrides(self, overrides: Vec<(String, String)>) -> Result<Self, RenderError> {
        if overrides.is_empty() {
            return Ok(self);
        }
        let name = self.manifest.name.clone();
        let manifest = self.raw_manifest();
        let mut files: BTreeMap<String, String> = self.templates;
        files.insert("pack.toml".into(), manifest);
        let mut overridden = Vec::new();
        for (path, contents) in overrides {
            overridden.push(path.clone());
            files.insert(path, contents);
        }
        overridden.sort();
        Self::from_files(&name, files.into_iter().collect(), overridden)
    }

    fn raw_manifest(&self) -> String {
        Self::embedded_files(&self.manifest.name)
            .into_iter()
            .find(|(p, _)| *p == "pack.toml")
            .map(|(_, c)| c.to_string())
            .unwrap_or_default()
    }

    fn from_files(
        name: &str,
        files: Vec<(String, String)>,
        overridden: Vec<String>,
    ) -> Result<Self, RenderError> {
        let mut templates = BTreeMap::new();
        let mut manifest_text = None;
        for (path, contents) in files {
            if path == "pack.toml" {
                manifest_text = Some(contents);
            } else {
                templates.insert(path, contents);
            }
        }
        let manifest_text = manifest_text.ok_or_else(|| RenderError::Pack {
            pack: name.to_string(),
            message: "pack.toml is missing".into(),
        })?;
        let manifest: PackManifest =
            toml::from_str(&manifest_text).map_err(|e| RenderError::Pack {
                pack: name.to_string(),
                message: format!("pack.toml: {e}"),
            })?;
        if let Some(dependency) = manifest
            .dependencies
            .iter()
            .find(|d| !d.features.is_empty() && !d.spec.contains("features = ["))
        {
            return Err(RenderError::Pack {
                pack: name.to_string(),
                message: format!(
                    "dependency `{}` adds features, so its spec needs a `features = [...]` list",
                    dependency.name
                ),
            });
        }
        for file in &manifest.files {
            if !templates.contains_key(&file.template) {
                return Err(RenderError::Pack {
                    pack: name.to_string(),
                    message: format!(
                        "pack.toml names template `{}`, which the pack does not have",
                        file.template
                    ),
                });
            }
        }
        Ok(Self {
            manifest,
            templates,
            overridden,
        })
    }
}
