//! Glob patterns for guarded paths: `*`, `?`, `[abc]`, `[!a-z]`, `**` and `{a,b}`.
//!
//! Written here rather than taken from a crate because the hooks run on every
//! commit and tool call: compiling a regex-based glob set costs more than
//! matching the few paths a commit touches.

/// A pattern, split into `/`-separated segments, braces expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    alternatives: Vec<Vec<String>>,
}

impl Glob {
    /// Parses a (normalised) pattern; rejects unclosed `[` and `{`.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let expanded = expand_braces(pattern)?;
        let mut alternatives = Vec::new();
        for alternative in expanded {
            let segments: Vec<String> = alternative
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            for segment in &segments {
                check_classes(segment).map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
            }
            alternatives.push(segments);
        }
        Ok(Self { alternatives })
    }

    /// Whether a normalised path, split by [`segments`], matches. A rule list
    /// splits each path once, not once per pattern.
    pub fn matches_segments(&self, path: &[&str]) -> bool {
        self.alternatives
            .iter()
            .any(|pattern| match_segments(pattern, path))
    }
}

/// A normalised path's `/`-separated parts.
pub fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn expand_braces(pattern: &str) -> Result<Vec<String>, String> {
    let Some(open) = pattern.find('{') else {
        if pattern.contains('}') {
            return Err(format!("invalid glob `{pattern}`: `}}` without `{{`"));
        }
        return Ok(vec![pattern.to_string()]);
    };
    let close = pattern[open..]
        .find('}')
        .map(|i| open + i)
        .ok_or_else(|| format!("invalid glob `{pattern}`: unclosed `{{`"))?;
    let (head, body, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let mut out = Vec::new();
    for choice in body.split(',') {
        out.extend(expand_braces(&format!("{head}{choice}{tail}"))?);
    }
    Ok(out)
}

fn check_classes(segment: &str) -> Result<(), String> {
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        if c == '[' && !chars.by_ref().any(|c| c == ']') {
            return Err("unclosed character class `[`".into());
        }
    }
    Ok(())
}

fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        // A trailing `**` needs something inside: `migrations/**` is not `migrations` itself.
        Some((first, rest)) if first == "**" && rest.is_empty() => !path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| match_segments(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((segment, path_rest)) => {
                match_segment(first.as_bytes(), segment.as_bytes())
                    && match_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

/// Wildcards within one segment.
fn match_segment(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| match_segment(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && match_segment(rest, &text[char_len(text)..]),
        Some((b'[', rest)) => {
            let Some(end) = rest.iter().position(|b| *b == b']') else {
                return false;
            };
            let (class, after) = (&rest[..end], &rest[end + 1..]);
            let Some(&first) = text.first() else {
                return false;
            };
            let (negated, class) = match class.split_first() {
                Some((b'!' | b'^', class)) => (true, class),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= (class[i]..=class[i + 2]).contains(&first);
                    i += 3;
                } else {
                    hit |= class[i] == first;
                    i += 1;
                }
            }
            hit != negated && match_segment(after, &text[1..])
        }
        Some((&c, rest)) => text.first() == Some(&c) && match_segment(rest, &text[1..]),
    }
}

fn char_len(text: &[u8]) -> usize {
    match text.first() {
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        Some(b) if *b >= 0xC0 => 2,
        _ => 1,
    }
    .min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, yes: &[&str], no: &[&str]) {
        let glob = Glob::new(pattern).unwrap_or_else(|e| panic!("{e}"));
        for path in yes {
            assert!(
                glob.matches_segments(&segments(path)),
                "`{pattern}` should match `{path}`"
            );
        }
        for path in no {
            assert!(
                !glob.matches_segments(&segments(path)),
                "`{pattern}` should not match `{path}`"
            );
        }
    }

    #[test]
    fn matches_like_git_and_globset() {
        check(
            "**/migrations/**",
            &["migrations/a.sql", "svc/migrations/b/c.sql"],
            &["migrations", "docs/migrations.md", "mymigrations/a"],
        );
        check(
            "migrations/**",
            &["migrations/a.sql", "migrations/x/y"],
            &["a/migrations/b", "migrations"],
        );
        check(
            "db/schema.*",
            &["db/schema.rb", "db/schema.sql"],
            &["db/schema", "db/x/schema.rb"],
        );
        check(
            "**/.gitattributes",
            &[".gitattributes", "a/b/.gitattributes"],
            &["gitattributes"],
        );
        check(
            ".claude/settings*.json",
            &[".claude/settings.json", ".claude/settings.local.json"],
            &[".claude/x.json"],
        );
        check(
            "db/{migrate,seeds}/*.rb",
            &["db/migrate/1.rb", "db/seeds/a.rb"],
            &["db/other/1.rb", "db/migrate/a/1.rb"],
        );
        check(
            "v[0-9]?/[!x]*",
            &["v1a/y", "v22/abc"],
            &["va1/y", "v1a/xyz"],
        );
        check("migrations/caf?.sql", &["migrations/café.sql"], &[]);
        assert!(Glob::new("migrations/[").is_err());
        assert!(Glob::new("a/{b").is_err());
    }
}
