//! What `scaffold new` writes for a stack whose host is not a Cargo crate: a
//! requirements.txt for python-fastapi, when the project has no
//! requirements.txt or pyproject.toml yet.

use std::path::Path;

use scaffold_render::Pack;
use scaffold_render::dialect;

/// `(path, text)` of the requirements file to create, if the stack needs one.
pub(crate) fn for_new(project: &Path, stack: &str) -> anyhow::Result<Vec<(String, String)>> {
    let pack = Pack::embedded(stack).map_err(|e| {
        crate::usage(
            e.to_string(),
            e.hint()
                .unwrap_or_else(|| "see `scaffold templates list`".into()),
        )
    })?;
    let has_one = ["requirements.txt", "pyproject.toml"]
        .iter()
        .any(|file| project.join(file).exists());
    let Some(dialect) = dialect::for_language(&pack.manifest.language)
        .filter(|d| d.language() == "python" && !has_one)
    else {
        return Ok(Vec::new());
    };
    let lines = |deps: &[scaffold_render::pack::Dependency]| {
        deps.iter()
            .map(|d| format!("{}\n", dialect.dependency(&d.name, &d.spec)))
            .collect::<String>()
    };
    let text = format!(
        "# What the code `scaffold generate --stack {stack}` writes needs.\n{}# Its generated tests, and the checks they pass (ruff check, ruff format --check, mypy --strict, pytest).\n{}",
        lines(&pack.manifest.dependencies),
        lines(&pack.manifest.dev_dependencies),
    );
    Ok(vec![("requirements.txt".to_string(), text)])
}
