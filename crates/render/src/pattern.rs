//! Finds strings that do and do not match a spec's `pattern`, for generated tests.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A short string matching `pattern` whose length (in chars) lies in `min..=max`.
pub fn matching(pattern: &str, min: usize, max: usize) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let regex = regex::Regex::new(pattern).ok()?;
    // Try a few repetition counts so that length bounds can be met.
    for repeat in [1u32, 2, 3, 6, 10, 20, 40] {
        let mut out = String::new();
        build(&hir, repeat, &mut out);
        let len = out.chars().count();
        if regex.is_match(&out) && (min..=max).contains(&len) {
            return Some(out);
        }
    }
    None
}

/// A string that does not match `pattern`.
pub fn not_matching(pattern: &str) -> Option<String> {
    let regex = regex::Regex::new(pattern).ok()?;
    ["", " ", "!", "#?#", "\u{1F600}", "a b", "0", "A", "a", "-"]
        .iter()
        .find(|candidate| !regex.is_match(candidate))
        .map(|s| (*s).to_string())
}

fn build(hir: &Hir, repeat: u32, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            // Prefer an alphanumeric member (they survive URLs, JSON and SQL
            // text untouched), then any printable one: never NUL or a control
            // character, which PostgreSQL's text refuses or a path mangles.
            let ranges = class.ranges();
            let contains = |c: char| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            let pick = ['a', 'A', '0', 'x', 'Z', '9']
                .into_iter()
                .find(|c| contains(*c))
                .or_else(|| {
                    ranges
                        .iter()
                        .flat_map(|r| [r.start(), r.end()])
                        .find(|c| c.is_alphanumeric())
                })
                .or_else(|| {
                    ranges.iter().find_map(|r| {
                        let first = r.start().max('!');
                        (first <= r.end())
                            .then_some(first)
                            .filter(|c| !c.is_control())
                    })
                })
                .or_else(|| ranges.first().map(|r| r.start()));
            if let Some(c) = pick {
                out.push(c);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(range) = class.ranges().first() {
                out.push(char::from(range.start()));
            }
        }
        HirKind::Repetition(rep) => {
            let count = rep.min.max(repeat.min(rep.max.unwrap_or(u32::MAX)));
            for _ in 0..count {
                build(&rep.sub, repeat, out);
            }
        }
        HirKind::Capture(capture) => build(&capture.sub, repeat, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| build(p, repeat, out)),
        HirKind::Alternation(alternatives) => {
            if let Some(first) = alternatives.first() {
                build(first, repeat, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_matching_and_non_matching_strings() {
        let cases = [
            (r"^[A-Z0-9-]+$", 1, 64),
            (r"^[a-z]{3}-\d{4}$", 0, 100),
            (r"^(foo|bar)_[0-9]*$", 0, 100),
            (r"^[A-Z0-9]+$", 6, 40),
            (r"^\w+@\w+\.com$", 0, 100),
        ];
        for (pattern, min, max) in cases {
            let sample =
                matching(pattern, min, max).unwrap_or_else(|| panic!("no sample for {pattern}"));
            assert!(
                regex::Regex::new(pattern).is_ok_and(|r| r.is_match(&sample)),
                "{pattern}: {sample}"
            );
            let len = sample.chars().count();
            assert!((min..=max).contains(&len), "{pattern}: {sample}");
            let bad =
                not_matching(pattern).unwrap_or_else(|| panic!("no counter-example for {pattern}"));
            assert!(!regex::Regex::new(pattern).is_ok_and(|r| r.is_match(&bad)));
        }
        assert_eq!(not_matching(".*"), None);
    }

    #[test]
    fn samples_of_negated_classes_are_printable() {
        // `[^\s]` starts at NUL, which PostgreSQL's text refuses.
        for pattern in [r"^[^\s]+$", r"^\S{2,8}$", r"^[^a-z0-9]+$", r"^.{2,8}$"] {
            let sample = matching(pattern, 0, 100).unwrap_or_default();
            assert!(
                !sample.is_empty() && !sample.chars().any(char::is_control),
                "{pattern}: {sample:?}"
            );
        }
    }
}
