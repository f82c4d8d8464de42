//! The built-in Python formatter: what ruff's formatter and isort rule would
//! change in template output, done without running anything.
//!
//! Templates write imports generously and lay code out as ruff does (magic
//! trailing commas keep calls exploded); this drops the imports the file does
//! not use, sorts and wraps the rest as isort does, and sets the blank lines
//! ruff requires. The e2e test checks the result with `ruff format --check`.

pub(super) const LINE: usize = 88;

/// `from module import names`, or `import module` when `names` is `None`.
type Import<'a> = (&'a str, Option<Vec<String>>);

/// Formats template output: the module docstring, its imports (unused ones
/// dropped, names sorted and wrapped as isort does), then the code.
pub fn python(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut i = lines.iter().take_while(|l| l.is_empty()).count();
    let start = i;
    if lines.get(i).is_some_and(|l| l.starts_with("\"\"\"")) {
        let once = lines[i].len() >= 6 && lines[i].matches("\"\"\"").count() >= 2;
        i += 1;
        if !once {
            i += lines[i..]
                .iter()
                .take_while(|l| !l.contains("\"\"\""))
                .count()
                + 1;
        }
    }
    let mut i = i.min(lines.len());
    let mut out: Vec<String> = lines[start..i].iter().map(|l| l.to_string()).collect();
    // Imports in groups, as blank lines separate them in the template.
    let mut groups: Vec<Vec<Import>> = vec![Vec::new()];
    loop {
        let blank = lines[i..].iter().take_while(|l| l.is_empty()).count();
        let Some(line) = lines.get(i + blank) else {
            break;
        };
        let import = if let Some(rest) = line.strip_prefix("from ") {
            let (module, mut names) = rest.split_once(" import ").unwrap_or((rest, ""));
            let mut joined = String::new();
            if names == "(" {
                i += blank + 1;
                while i < lines.len() && lines[i] != ")" {
                    joined.push_str(lines[i]);
                    i += 1;
                }
                names = &joined;
                i -= blank;
            }
            let names = names.split(',').map(str::trim).filter(|n| !n.is_empty());
            (module, Some(names.map(str::to_string).collect()))
        } else if let Some(module) = line.strip_prefix("import ") {
            (module, None)
        } else {
            break;
        };
        if blank > 0 {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push(import);
        }
        i += blank + 1;
    }
    let joined = split_long_calls(join_brackets(&lines[(i).min(lines.len())..]));
    let body = blank_lines(&joined.iter().map(String::as_str).collect::<Vec<_>>());
    let mut used = identifiers(&body.join("\n"));
    // `__all__ = ["OrdersError", ...]` exports names it only spells as strings.
    let mut in_all = 0;
    for line in &body {
        if line.starts_with("__all__") {
            in_all = bracket_delta(line).max(0) + 1;
        } else if in_all > 1 {
            in_all += bracket_delta(line);
        } else {
            in_all = 0;
            continue;
        }
        used.extend(
            line.split('"')
                .skip(1)
                .step_by(2)
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .map(str::to_string),
        );
    }
    let is_used = |name: &str| {
        used.iter()
            .any(|u| u == name.rsplit(" as ").next().unwrap_or(name))
    };
    let mut imports: Vec<String> = Vec::new();
    for group in groups {
        let mut block = Vec::new();
        for (module, names) in group {
            let Some(mut names) = names else {
                if is_used(module.split('.').next().unwrap_or(module)) {
                    block.push(format!("import {module}"));
                }
                continue;
            };
            // `from __future__ import annotations` changes the module; it is never "used".
            names.retain(|n| module == "__future__" || is_used(n));
            names.sort_by_key(|n| member_key(n));
            names.dedup();
            let one = format!("from {module} import {}", names.join(", "));
            if names.is_empty() {
                continue;
            } else if one.len() <= LINE {
                block.push(one);
            } else {
                let items: String = names.iter().map(|n| format!("    {n},\n")).collect();
                block.push(format!("from {module} import (\n{items})"));
            }
        }
        if !block.is_empty() && !imports.is_empty() {
            imports.push(String::new());
        }
        imports.extend(block);
    }
    let first_is_def = body.first().is_some_and(|l| is_def(l));
    for (part, is_body) in [(imports, false), (body, true)] {
        if !part.is_empty() {
            let before = match (out.is_empty(), is_body && first_is_def) {
                (true, _) => 0,
                (false, true) => 2,
                (false, false) => 1,
            };
            out.extend(std::iter::repeat_n(String::new(), before));
            out.extend(part);
        }
    }
    out.join("\n") + "\n"
}

/// isort's order of imported names (ruff's `order-by-type`): constants, classes,
/// the rest; each in natural order, as ruff sorts (`Send8Input` before `Send88Input`).
fn member_key(name: &str) -> (u8, String) {
    let kind = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (kind, natural(&name.to_lowercase()))
}

/// `name` with every run of digits zero-padded, so that comparing the
/// strings compares the numbers by value.
fn natural(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            out.extend(std::iter::repeat_n(
                '0',
                20usize.saturating_sub(digits.len()),
            ));
            out.push_str(digits);
            digits.clear();
        }
    };
    for c in name.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

fn is_def(line: &str) -> bool {
    let line = line.trim_start();
    ["def ", "async def ", "class ", "@"]
        .iter()
        .any(|p| line.starts_with(p))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Blank lines as ruff sets them: two around top-level definitions, one
/// before a method and after a class docstring, none after a block opener or
/// a decorator or inside brackets, at most two (top level) or one (nested)
/// elsewhere. Lines inside multi-line strings are kept as they are.
fn blank_lines(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let (mut blanks, mut brackets) = (0, 0);
    let mut in_string = false;
    // The last physical line, the first line of the last statement, whether the
    // last top-level statement is a definition, and whether the last was a class docstring.
    let (mut prev_line, mut prev_stmt): (Option<&str>, Option<&str>) = (None, None);
    let (mut top_def, mut class_doc) = (false, false);
    for line in lines {
        if in_string || brackets > 0 {
            if in_string {
                in_string = line.matches("\"\"\"").count() % 2 == 0;
            } else {
                brackets += bracket_delta(line);
            }
            out.push(line.to_string());
            prev_line = Some(line);
            blanks = 0;
            continue;
        }
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        let depth = indent(line);
        let opener = prev_line.is_some_and(|p| p.ends_with(':'))
            && prev_stmt.is_some_and(|s| depth > indent(s));
        let wanted = match prev_stmt {
            None => 0,
            Some(s) if s.trim_start().starts_with('@') || opener => 0,
            Some(_) if depth == 0 && (is_def(line) || top_def) => 2,
            Some(_) if depth == 0 => blanks.min(2),
            Some(_) if is_def(line) || class_doc => 1,
            Some(_) => blanks.min(1),
        };
        out.extend(std::iter::repeat_n(String::new(), wanted));
        out.push(line.to_string());
        blanks = 0;
        class_doc = prev_stmt.is_some_and(|s| s.trim_start().starts_with("class "))
            && line.trim_start().starts_with("\"\"\"");
        if depth == 0 {
            top_def = is_def(line);
        }
        in_string = line.matches("\"\"\"").count() % 2 == 1;
        if !in_string {
            brackets = bracket_delta(line);
        }
        prev_line = Some(line);
        prev_stmt = Some(line);
    }
    out
}

/// Exploded brackets whose items fit on the opening line are joined, as ruff
/// does for brackets without a magic trailing comma; innermost first, so the
/// outer ones join once their items are one line each. Bigger ones stay
/// exploded, and their trailing comma keeps them so under ruff.
fn join_brackets(lines: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    loop {
        let mut joined = false;
        let mut in_string = false;
        let mut i = 0;
        while i < lines.len() {
            let quotes = lines[i].matches("\"\"\"").count();
            if in_string || quotes > 0 {
                in_string ^= quotes % 2 == 1;
                i += 1;
                continue;
            }
            let open = &lines[i];
            let depth = indent(open);
            let closes = |l: &str| l.starts_with([')', ']', '}']);
            let item = |l: &String| {
                indent(l) == depth + 4
                    && l.ends_with(',')
                    && bracket_delta(l) == 0
                    && !l.contains('#')
            };
            // Blank lines inside brackets go (ruff drops them too).
            let end = (i + 1..lines.len()).find(|&j| !item(&lines[j]) && !lines[j].is_empty());
            let Some(end) = end.filter(|_| bracket_delta(open) == 1) else {
                i += 1;
                continue;
            };
            let close = lines[end].trim_start();
            if indent(&lines[end]) != depth || !closes(close) || !open.ends_with(['(', '[', '{']) {
                i += 1;
                continue;
            }
            let items: Vec<&str> = lines[i + 1..end]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            let inner = items.join(" ");
            let text = format!("{open}{}{close}", inner.trim_end_matches(','));
            if text.len() <= LINE {
                lines.splice(i..=end, [text]);
                joined = true;
            }
            i += 1;
        }
        if !joined {
            return lines;
        }
    }
}

/// Lines longer than [`LINE`] that end by closing the bracket their first
/// bracket opens (`return User(id="", ...)`) are split as ruff does: the
/// items on a line of their own, or one a line with a trailing comma when
/// that is too long, the closing bracket on its own line; lines still too
/// long are split again.
fn split_long_calls(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Vec<String> = lines.into_iter().rev().collect();
    let mut in_string = false;
    while let Some(line) = pending.pop() {
        let quotes = line.matches("\"\"\"").count();
        if in_string || quotes > 0 {
            in_string ^= quotes % 2 == 1;
            out.push(line);
            continue;
        }
        match (line.len() > LINE).then(|| explode(&line)).flatten() {
            Some(parts) => pending.extend(parts.into_iter().rev()),
            None => out.push(line),
        }
    }
    out
}

/// `head(a, b)` as `head(`, `    a,`, `    b,`, `)` at the line's indentation,
/// when the line ends by closing its first bracket and holds no comment.
fn explode(line: &str) -> Option<Vec<String>> {
    let (code, comment) = code_chars(line);
    if comment {
        return None;
    }
    // The bracket split is the first top-level group's when it ends the
    // line (`head(a, b)`), or, as ruff splits the right-hand side, the last
    // one's when only an operation on a number follows (`[item] * 2`).
    let mut depth = 0;
    let mut groups: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    let mut commas = Vec::new();
    let mut open = 0;
    for (at, c) in code {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    open = at;
                    commas.clear();
                }
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    groups.push((open, at, std::mem::take(&mut commas)));
                }
            }
            ',' if depth == 1 => commas.push(at),
            _ => {}
        }
    }
    let indent = " ".repeat(indent(line));
    // An item of a bracket already split keeps its trailing comma.
    let end = line.len() - usize::from(line.ends_with(','));
    let (open, close, commas) = match groups.as_slice() {
        [first, ..] if first.1 + 1 == end => first.clone(),
        // An item (`result=[item] * 2,`): ruff breaks before the operator
        // first, the operand then split on its own if still too long.
        [.., last] if end < line.len() && is_numeric_tail(&line[last.1 + 1..end]) => {
            return Some(vec![
                line[..=last.1].to_string(),
                format!("{indent}{}", line[last.1 + 1..].trim()),
            ]);
        }
        [.., last] if is_numeric_tail(&line[last.1 + 1..]) => last.clone(),
        _ => return None,
    };
    let inner = &line[open + 1..close];
    let mut items = Vec::new();
    let mut start = 0;
    for comma in commas.iter().map(|c| c - open - 1) {
        items.push(inner[start..comma].trim());
        start = comma + 1;
    }
    items.push(inner[start..].trim());
    items.retain(|item| !item.is_empty());
    if items.is_empty() {
        return None;
    }
    let mut parts = vec![line[..=open].to_string()];
    // As ruff: the items on one line of their own when they fit (or when there
    // is one), else one a line with a trailing comma.
    let body = format!("{indent}    {}", items.join(", "));
    if items.len() == 1 || body.len() <= LINE {
        parts.push(body);
    } else {
        parts.extend(items.iter().map(|item| format!("{indent}    {item},")));
    }
    parts.push(format!("{indent}{}", &line[close..]));
    Some(parts)
}

/// ` * 2`: an arithmetic operator and a number or name, nothing to split.
fn is_numeric_tail(tail: &str) -> bool {
    let tail = tail.trim();
    let Some(operand) = tail.strip_prefix(['*', '+', '-']) else {
        return false;
    };
    let operand = operand.trim();
    !operand.is_empty()
        && operand
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Brackets a line opens minus those it closes, outside strings and comments.
fn bracket_delta(line: &str) -> i32 {
    code_chars(line)
        .0
        .into_iter()
        .map(|(_, c)| match c {
            '(' | '[' | '{' => 1,
            ')' | ']' | '}' => -1,
            _ => 0,
        })
        .sum()
}

/// The characters of `line` outside string literals (quotes included), with
/// their byte offsets, up to a `#` comment; and whether one starts.
fn code_chars(line: &str) -> (Vec<(usize, char)>, bool) {
    let mut code = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return (code, true),
            (None, c) => code.push((at, c)),
        }
    }
    (code, false)
}

/// Names the code uses: identifiers outside strings and comments (not after a
/// dot), inside f-strings, and the names listed in `__all__` (strings
/// elsewhere are text: `NotImplementedOperation("Send")` does not use `Send`).
fn identifiers(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut names = Vec::new();
    let mut i = 0;
    let word = |i: &mut usize| {
        let start = *i;
        while *i < chars.len() && (chars[*i].is_alphanumeric() || chars[*i] == '_') {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>()
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '\'' {
            let prefix: String = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
            let quote = if triple { 3 } else { 1 };
            let start = i + quote;
            let mut end = start;
            while end < chars.len() {
                if chars[end] == '\\' {
                    end += 2;
                    continue;
                }
                if chars[end] == c && (!triple || chars.get(end + 1..end + 3) == Some(&[c, c][..]))
                {
                    break;
                }
                end += 1;
            }
            let inner: String = chars[start..end.min(chars.len())].iter().collect();
            if prefix.to_lowercase().contains('f') {
                names.extend(identifiers(&inner));
            }
            i = end + quote;
        } else if c.is_alphabetic() || c == '_' {
            let after_dot = i > 0 && chars[i - 1] == '.';
            let name = word(&mut i);
            if !after_dot {
                names.push(name);
            }
        } else {
            i += 1;
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::python;

    #[test]
    fn drops_unused_imports_and_sets_blank_lines() {
        let text = "\"\"\"Doc.\"\"\"\nfrom datetime import datetime, date, UTC\nfrom uuid import UUID\n\nfrom .models import (\n    Order,\n)\nclass A:\n    \"\"\"A.\"\"\"\n    x: date\n    def f(self) -> Order:\n\n        return f\"{UTC}\"\nX = 1\n";
        let expected = "\"\"\"Doc.\"\"\"\n\nfrom datetime import UTC, date\n\nfrom .models import Order\n\n\nclass A:\n    \"\"\"A.\"\"\"\n\n    x: date\n\n    def f(self) -> Order:\n        return f\"{UTC}\"\n\n\nX = 1\n";
        assert_eq!(python(text), expected);
    }

    #[test]
    fn sorts_imported_names_in_natural_order_as_ruff_does() {
        // Python fuzz seed 1374: ruff's isort compares numbers by value.
        let text = "from .models import Send88Input, Send8Input, Invoice, LIMIT\n\n\nx = (Send88Input, Send8Input, Invoice, LIMIT)\n";
        let expected = "from .models import LIMIT, Invoice, Send8Input, Send88Input\n\nx = (Send88Input, Send8Input, Invoice, LIMIT)\n";
        assert_eq!(python(text), expected);
    }

    #[test]
    fn splits_calls_longer_than_a_line_as_ruff_does() {
        let text = "x = 1\nfoo = some_function_name(argument_number_one, argument_number_two, argument_number_three_longer)\n";
        let expected = "x = 1\nfoo = some_function_name(\n    argument_number_one, argument_number_two, argument_number_three_longer\n)\n";
        assert_eq!(python(text), expected);
        let text = "def f() -> User:\n    return User(id=\"\", input=1, return_=0.1, def_=None, in_=UserIn.default(), not_=datetime.now(UTC).date(), new=\"\")\n";
        let expected = "def f() -> User:\n    return User(\n        id=\"\",\n        input=1,\n        return_=0.1,\n        def_=None,\n        in_=UserIn.default(),\n        not_=datetime.now(UTC).date(),\n        new=\"\",\n    )\n";
        assert_eq!(python(text), expected);
        // ruff splits the list, not the product (seeds 249 and 294 of the python fuzzer).
        let text = "def f() -> list[Payment]:\n    return [Payment(payment_id=UUID(int=0), note_id=UUID(int=0), true=0.0, select=None)] * 2\n";
        let expected = "def f() -> list[Payment]:\n    return [\n        Payment(payment_id=UUID(int=0), note_id=UUID(int=0), true=0.0, select=None)\n    ] * 2\n";
        assert_eq!(python(text), expected);
        // As an argument, the product breaks before `*` (python fuzz seed 1217).
        let text = "def f() -> Type:\n    return Type(\n        id=\"\",\n        result=[Line(line_id=UUID(int=0), new=None, json_=datetime.now(UTC), store=\"\", key=None)] * 2,\n    )\n";
        let expected = "def f() -> Type:\n    return Type(\n        id=\"\",\n        result=[\n            Line(\n                line_id=UUID(int=0),\n                new=None,\n                json_=datetime.now(UTC),\n                store=\"\",\n                key=None,\n            )\n        ]\n        * 2,\n    )\n";
        assert_eq!(python(text), expected);
        // An argument too long for its line is split too, its comma kept.
        let text = "def f() -> Type:\n    return Type(\n        line=Line(line_id=UUID(int=0), new=None, json_=datetime.now(UTC), store=\"\", key=None),\n    )\n";
        let expected = "def f() -> Type:\n    return Type(\n        line=Line(\n            line_id=UUID(int=0), new=None, json_=datetime.now(UTC), store=\"\", key=None\n        ),\n    )\n";
        assert_eq!(python(text), expected);
    }
}
