//! The host crate's missing dependencies: added to its Cargo.toml on request
//! (`generate --add-deps`, format-preserving with `toml_edit`), else printed as
//! one `cargo add` command to run.

use std::path::Path;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// One dependency the generated code needs, read from a `name = spec` line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wanted {
    pub name: String,
    pub version: String,
    pub features: Vec<String>,
    pub default_features: bool,
}

/// Reads `axum = "0.8"` / `serde = { version = "1", features = ["derive"] }`.
/// `None` for lines that are not Cargo dependencies (another stack's list).
pub(crate) fn parse_line(line: &str) -> Option<Wanted> {
    let doc: DocumentMut = line.parse().ok()?;
    let (name, item) = doc.iter().next()?;
    let mut wanted = Wanted {
        name: name.to_string(),
        version: String::new(),
        features: Vec::new(),
        default_features: true,
    };
    match item.as_value()? {
        Value::String(version) => wanted.version = version.value().clone(),
        Value::InlineTable(table) => {
            wanted.version = table.get("version")?.as_str()?.to_string();
            if let Some(features) = table.get("features").and_then(Value::as_array) {
                wanted.features = features
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect();
            }
            if let Some(default) = table.get("default-features").and_then(Value::as_bool) {
                wanted.default_features = default;
            }
        }
        _ => return None,
    }
    Some(wanted)
}

/// What the host lacks: (dependency, features it lacks; all of them when the
/// dependency itself is missing). `dev` also counts `[dependencies]`, which
/// tests see too.
pub(crate) fn missing(doc: &DocumentMut, wanted: &[Wanted], dev: bool) -> Vec<(Wanted, bool)> {
    let tables: &[&str] = if dev {
        &["dev-dependencies", "dependencies"]
    } else {
        &["dependencies"]
    };
    let mut out = Vec::new();
    for want in wanted {
        let found = tables
            .iter()
            .find_map(|t| doc.get(t).and_then(|d| d.get(&want.name)));
        match found {
            None => out.push((want.clone(), true)),
            Some(item) => {
                let have = features_of(item);
                let lacking: Vec<String> = want
                    .features
                    .iter()
                    .filter(|f| !have.contains(f))
                    .cloned()
                    .collect();
                if !lacking.is_empty() {
                    out.push((
                        Wanted {
                            features: lacking,
                            ..want.clone()
                        },
                        false,
                    ));
                }
            }
        }
    }
    out
}

fn features_of(item: &Item) -> Vec<String> {
    item.get("features")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds what is missing to the document, touching nothing else: a missing
/// dependency is appended to its table, a missing feature to its list.
pub(crate) fn add(doc: &mut DocumentMut, table: &str, missing: &[(Wanted, bool)]) {
    if missing.is_empty() {
        return;
    }
    if !doc.contains_key(table) {
        doc.insert(table, Item::Table(Table::new()));
    }
    let Some(deps) = doc.get_mut(table).and_then(Item::as_table_like_mut) else {
        return;
    };
    for (want, whole) in missing {
        if *whole {
            deps.insert(&want.name, Item::Value(spec_value(want)));
            continue;
        }
        // A feature lacking: the dependency may live in the other table.
        let Some(item) = deps.get_mut(&want.name) else {
            continue;
        };
        add_features(item, &want.features);
    }
}

/// Adds features to a dependency written as `"1"`, `{ version = "1" }` or a `[table]`.
pub(crate) fn add_features(item: &mut Item, features: &[String]) {
    if let Some(version) = item.as_str().map(str::to_string) {
        let mut table = InlineTable::new();
        table.insert("version", version.into());
        *item = Item::Value(Value::InlineTable(table));
    }
    let Some(table) = item.as_table_like_mut() else {
        return;
    };
    if table.get("features").is_none() {
        table.insert("features", Item::Value(Value::Array(Array::new())));
    }
    if let Some(list) = table.get_mut("features").and_then(Item::as_array_mut) {
        for feature in features {
            list.push(feature.as_str());
        }
    }
}

fn spec_value(want: &Wanted) -> Value {
    if want.features.is_empty() && want.default_features {
        return want.version.as_str().into();
    }
    let mut table = InlineTable::new();
    table.insert("version", want.version.as_str().into());
    if !want.default_features {
        table.insert("default-features", false.into());
    }
    if !want.features.is_empty() {
        let features: Array = want.features.iter().map(String::as_str).collect();
        table.insert("features", Value::Array(features));
    }
    Value::InlineTable(table)
}

/// One shell line that adds everything missing: `cargo add a@1 b@2 --features
/// b/x`, `&& cargo add --dev ...` for dev-dependencies; crates without default
/// features get their own `cargo add` (the flag applies to every crate named).
pub(crate) fn cargo_add_command(deps: &[(Wanted, bool)], dev_deps: &[(Wanted, bool)]) -> String {
    let mut commands = Vec::new();
    for (list, dev) in [(deps, false), (dev_deps, true)] {
        let (plain, bare): (Vec<&Wanted>, Vec<&Wanted>) = list
            .iter()
            .map(|(w, _)| w)
            .partition(|w| w.default_features);
        let mut groups: Vec<(Vec<&Wanted>, bool)> = Vec::new();
        if !plain.is_empty() {
            groups.push((plain, false));
        }
        groups.extend(bare.into_iter().map(|w| (vec![w], true)));
        for (group, no_default) in groups {
            let mut words = vec!["cargo add".to_string()];
            if dev {
                words.push("--dev".into());
            }
            words.extend(group.iter().map(|w| format!("{}@{}", w.name, w.version)));
            if no_default {
                words.push("--no-default-features".into());
            }
            let features: Vec<String> = group
                .iter()
                .flat_map(|w| w.features.iter().map(move |f| format!("{}/{f}", w.name)))
                .collect();
            if !features.is_empty() {
                words.push(format!("--features {}", features.join(",")));
            }
            commands.push(words.join(" "));
        }
    }
    commands.join(" && ")
}

/// The host crate's manifest, if the project is one.
pub(crate) fn read_manifest(root: &Path) -> anyhow::Result<Option<(String, DocumentMut)>> {
    let path = root.join("Cargo.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    };
    let doc = text.parse::<DocumentMut>().map_err(|e| {
        crate::usage(
            format!("Cargo.toml: {e}"),
            "fix the host crate's Cargo.toml, then run again",
        )
    })?;
    Ok(Some((text, doc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(lines: &[&str]) -> Vec<Wanted> {
        lines.iter().filter_map(|l| parse_line(l)).collect()
    }

    #[test]
    fn only_what_is_missing_is_added_and_the_rest_keeps_its_bytes() {
        let host = "[package]\nname = \"host\"   # mine\n\n[dependencies]\n# web\naxum = \"0.8\"\nserde = \"1\"\n";
        let mut doc: DocumentMut = host.parse().expect("toml");
        let want = wanted(&[
            "axum = \"0.8\"",
            "serde = { version = \"1\", features = [\"derive\"] }",
            "uuid = { version = \"1\", features = [\"v4\", \"serde\"] }",
        ]);
        let missing = missing(&doc, &want, false);
        add(&mut doc, "dependencies", &missing);
        assert_eq!(
            doc.to_string(),
            "[package]\nname = \"host\"   # mine\n\n[dependencies]\n# web\naxum = \"0.8\"\nserde = { version = \"1\", features = [\"derive\"] }\nuuid = { version = \"1\", features = [\"v4\", \"serde\"] }\n"
        );
        let again = super::missing(&doc, &want, false);
        assert!(again.is_empty(), "{again:?}");
    }

    #[test]
    fn the_command_names_every_crate_once() {
        let want = wanted(&[
            "axum = \"0.8\"",
            "serde = { version = \"1\", features = [\"derive\"] }",
            "chrono = { version = \"0.4\", default-features = false, features = [\"clock\"] }",
        ]);
        let dev = wanted(&["tower = { version = \"0.5\", features = [\"util\"] }"]);
        let all = |w: &[Wanted]| w.iter().map(|w| (w.clone(), true)).collect::<Vec<_>>();
        assert_eq!(
            cargo_add_command(&all(&want), &all(&dev)),
            "cargo add axum@0.8 serde@1 --features serde/derive && cargo add chrono@0.4 --no-default-features --features chrono/clock && cargo add --dev tower@0.5 --features tower/util"
        );
    }

    #[test]
    fn lines_that_are_not_cargo_dependencies_are_not_read() {
        assert_eq!(parse_line("fastapi>=0.115"), None);
    }
}
