//! A small shell parser: enough of POSIX sh and bash to see which commands a
//! Bash tool call runs and which files it writes.
//!
//! It splits compound commands (`&&`, `||`, `;`, `|`, `&`, newlines, subshells,
//! braces), keeps quoting straight, collects `$(...)`, backtick and process
//! substitutions and here-documents for recursive analysis, and keeps each word
//! as parts (literal text, quoted or not, variables, unknown expansions) so the
//! guard can expand what is knowable and distrust the rest.
//!
//! One pass over the text: every character is looked at a bounded number of
//! times, so the cost is linear in the command's length (the guard also caps
//! that length, see `claude::MAX_COMMAND`).

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text; `quoted` text has no glob or brace meaning.
    Lit { text: String, quoted: bool },
    /// `$name` or `${name}`.
    Var(String),
    /// A `~` at the start of a word (the home folder).
    Tilde,
    /// `$(...)` or `` `...` ``: its text, for the few whose output the guard knows
    /// (`pwd`, `mktemp`).
    Subst(String),
    /// `$((...))`, `${x:-y}`, `$1`, `<(...)`: known only when it runs.
    Unknown,
}

/// One word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The value with quotes removed; expansions left as written (`$HOME`).
    pub text: String,
    /// The value with every expansion removed (`$HOME/x` -> `/x`).
    pub literal: String,
    /// Contains an expansion (`$x`, `${x}`, `$(...)`, `~`).
    pub dynamic: bool,
    pub parts: Vec<Part>,
}

impl Word {
    /// A word made of plain quoted text (for arguments the guard builds itself).
    pub fn plain(text: &str) -> Self {
        Self {
            text: text.to_string(),
            literal: text.to_string(),
            dynamic: false,
            parts: vec![Part::Lit {
                text: text.to_string(),
                quoted: true,
            }],
        }
    }

    /// A word whose value is unknown (arguments `xargs` reads at run time).
    pub fn unknown() -> Self {
        Self {
            text: "$?".into(),
            literal: String::new(),
            dynamic: true,
            parts: vec![Part::Unknown],
        }
    }

    /// The word after `prefix` (`of=FILE` -> `FILE`), parts included.
    pub fn strip_prefix(&self, prefix: &str) -> Option<Word> {
        let text = self.text.strip_prefix(prefix)?;
        let mut left = prefix.len();
        let mut parts = Vec::new();
        for part in &self.parts {
            match part {
                Part::Lit { text, quoted } if left > 0 => {
                    let cut = left.min(text.len());
                    left -= cut;
                    let rest = text.get(cut..).unwrap_or_default();
                    if !rest.is_empty() {
                        parts.push(Part::Lit {
                            text: rest.to_string(),
                            quoted: *quoted,
                        });
                    }
                }
                _ if left > 0 => return None,
                other => parts.push(other.clone()),
            }
        }
        Some(Word {
            text: text.to_string(),
            literal: self
                .literal
                .strip_prefix(prefix)
                .unwrap_or(&self.literal)
                .to_string(),
            dynamic: parts.iter().any(|p| !matches!(p, Part::Lit { .. })),
            parts,
        })
    }

    fn push_lit(&mut self, c: char, quoted: bool) {
        self.text.push(c);
        self.literal.push(c);
        match self.parts.last_mut() {
            Some(Part::Lit { text, quoted: q }) if *q == quoted => text.push(c),
            _ => self.parts.push(Part::Lit {
                text: c.to_string(),
                quoted,
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `>`, `>>`, `<`, `&>`, `&>>`, `>|`, `<>`; a leading fd number is dropped.
    pub op: String,
    pub target: Word,
}

/// A command with its arguments, as the shell would run it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command.
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Bodies of here-documents (and here-strings) fed to this command.
    pub heredocs: Vec<String>,
    /// Its standard input is the previous command's output (`a | b`).
    pub piped: bool,
}

/// Everything a script runs: its simple commands and the scripts inside `$(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
    pub substitutions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse shell command: {0}")]
pub struct ParseError(pub String);

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "case", "esac", "!", "{",
    "}", "in", "[[", "]]",
];

pub fn parse(script: &str) -> Result<Script, ParseError> {
    Parser {
        chars: script.chars().collect(),
        pos: 0,
        out: Script::default(),
        pending_heredocs: Vec::new(),
        next_piped: false,
        skip_name: false,
    }
    .run()
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: Script,
    /// (delimiter, strip tabs, index of the command) waiting for the next newline.
    pending_heredocs: Vec<(String, bool, usize)>,
    /// The command being built reads the previous one's output.
    next_piped: bool,
    /// After `function`: the next word is the function's name, not a command.
    skip_name: bool,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn run(mut self) -> Result<Script, ParseError> {
        let mut current = SimpleCommand::default();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            match c {
                '\n' => {
                    self.pos += 1;
                    self.finish(&mut current);
                    self.read_heredocs()?;
                }
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    // Process substitution `<(cmd)`: a file name produced at run time.
                    let word = self.word()?;
                    current.words.push(word);
                }
                ';' | '&' | '|' | '(' | ')' => {
                    if c == '&' && self.peek_at(1) == Some('>') {
                        self.redirect(&mut current)?;
                        continue;
                    }
                    let pipe = c == '|' && self.peek_at(1) != Some('|');
                    self.pos += 1;
                    while matches!(self.peek(), Some('&' | '|' | ';')) {
                        self.pos += 1;
                    }
                    self.finish(&mut current);
                    // `a |& b` pipes too; `a || b` does not.
                    self.next_piped = pipe;
                    current.piped = pipe;
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '<' | '>' => self.redirect(&mut current)?,
                c if c.is_ascii_digit() && self.is_fd_redirect() => {
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    self.redirect(&mut current)?;
                }
                _ => {
                    let word = self.word()?;
                    let is_assignment = current.words.is_empty()
                        && word.text.split_once('=').is_some_and(|(name, _)| {
                            !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                                && !name.starts_with(|c: char| c.is_ascii_digit())
                        });
                    if self.skip_name {
                        self.skip_name = false;
                    } else if is_assignment {
                        let name = word.text.split_once('=').map(|(n, _)| n.to_string());
                        let value = word
                            .strip_prefix(&format!("{}=", name.as_deref().unwrap_or_default()))
                            .unwrap_or_default();
                        current.assignments.push((name.unwrap_or_default(), value));
                    } else if current.words.is_empty()
                        && word
                            .parts
                            .iter()
                            .all(|p| matches!(p, Part::Lit { quoted: false, .. }))
                        && RESERVED.contains(&word.text.as_str())
                    {
                        // `if`, `then`, `{`: the command is what follows.
                    } else if current.words.is_empty() && word.text == "function" {
                        // `function f { ...; }`: the body's commands are read like any other.
                        self.skip_name = true;
                    } else {
                        current.words.push(word);
                    }
                }
            }
        }
        self.finish(&mut current);
        if !self.pending_heredocs.is_empty() {
            return Err(ParseError("here-document without its body".into()));
        }
        Ok(self.out)
    }

    fn finish(&mut self, current: &mut SimpleCommand) {
        if !current.words.is_empty()
            || !current.redirects.is_empty()
            || !current.assignments.is_empty()
        {
            current.piped = self.next_piped;
            self.out.commands.push(std::mem::take(current));
        } else {
            current.piped = false;
        }
        self.next_piped = false;
    }

    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\r' {
                self.pos += 1;
            } else if c == '\\' && self.peek_at(1) == Some('\n') {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    fn is_fd_redirect(&self) -> bool {
        let mut i = self.pos;
        while self.chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        // Only a digit run starting a word and glued to `<`/`>` is an fd (`2>err`), not `a2>b`.
        let starts_word = self.pos == 0
            || self
                .chars
                .get(self.pos - 1)
                .is_some_and(|c| c.is_whitespace() || ";&|()".contains(*c));
        starts_word && matches!(self.chars.get(i), Some('<' | '>')) && i - self.pos <= 2
    }

    fn redirect(&mut self, current: &mut SimpleCommand) -> Result<(), ParseError> {
        let mut op = String::new();
        while let Some(c) = self.peek() {
            if "<>&|".contains(c) && op.len() < 3 {
                if c == '&' && op.ends_with(['>', '<']) {
                    self.pos += 1;
                    self.skip_blanks();
                    // `>&2`, `>&-` duplicate or close an fd; `>& file` writes the file.
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '-') {
                        self.pos += 1;
                    }
                    let fd_only = self.pos > start
                        && self
                            .peek()
                            .is_none_or(|c| c.is_whitespace() || ";&|()<>".contains(c));
                    if fd_only {
                        return Ok(());
                    }
                    self.pos = start;
                    let target = self.word()?;
                    if target.text.is_empty() {
                        return Err(ParseError(format!("redirect `{op}&` without a target")));
                    }
                    current.redirects.push(Redirect {
                        op: format!("{op}&"),
                        target,
                    });
                    return Ok(());
                }
                if c == '|' && op != ">" {
                    break;
                }
                op.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        if op == "<<" {
            // `<<-` strips leading tabs from the body.
            let strip = self.peek() == Some('-');
            if strip {
                self.pos += 1;
            }
            self.skip_blanks();
            let delimiter = self.word()?;
            self.pending_heredocs
                .push((delimiter.text, strip, self.out.commands.len()));
            // The body belongs to the command being built; remember it by position.
            current.heredocs.push(String::new());
            return Ok(());
        }
        if op == "<<<" {
            self.skip_blanks();
            // A here-string is data fed to the command: kept like a here-document.
            let word = self.word()?;
            current.heredocs.push(format!("{}\n", word.text));
            return Ok(());
        }
        self.skip_blanks();
        let target = self.word()?;
        if target.text.is_empty() {
            return Err(ParseError(format!("redirect `{op}` without a target")));
        }
        current.redirects.push(Redirect { op, target });
        Ok(())
    }

    fn read_heredocs(&mut self) -> Result<(), ParseError> {
        for (delimiter, strip, command_index) in std::mem::take(&mut self.pending_heredocs) {
            let mut body = String::new();
            loop {
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self.chars[start..self.pos].iter().collect();
                let ended = self.peek().is_none();
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
                let candidate = if strip {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if candidate == delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
                if ended {
                    return Err(ParseError(format!(
                        "here-document not closed by `{delimiter}`"
                    )));
                }
            }
            if let Some(command) = self.out.commands.get_mut(command_index) {
                if let Some(slot) = command.heredocs.iter_mut().find(|h| h.is_empty()) {
                    *slot = body;
                }
            }
        }
        Ok(())
    }

    /// Reads one word, handling quotes, escapes and expansions.
    fn word(&mut self) -> Result<Word, ParseError> {
        let mut word = Word::default();
        if self.peek() == Some('~') {
            self.pos += 1;
            word.text.push('~');
            word.dynamic = true;
            word.parts.push(Part::Tilde);
        }
        while let Some(c) = self.peek() {
            match c {
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    let end = self.matching_paren(self.pos + 1)?;
                    self.out
                        .substitutions
                        .push(self.chars[self.pos + 2..end].iter().collect());
                    word.text.extend(&self.chars[self.pos..=end]);
                    word.dynamic = true;
                    word.parts.push(Part::Unknown);
                    self.pos = end + 1;
                }
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    if let Some(next) = self.peek() {
                        self.pos += 1;
                        if next != '\n' {
                            word.push_lit(next, true);
                        }
                    }
                }
                '\'' => {
                    self.pos += 1;
                    // An empty '' still makes a (quoted) word.
                    word.parts.push(Part::Lit {
                        text: String::new(),
                        quoted: true,
                    });
                    loop {
                        match self.peek() {
                            None => return Err(ParseError("unclosed single quote".into())),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(c) => {
                                word.push_lit(c, true);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '"' => {
                    self.pos += 1;
                    word.parts.push(Part::Lit {
                        text: String::new(),
                        quoted: true,
                    });
                    loop {
                        match self.peek() {
                            None => return Err(ParseError("unclosed double quote".into())),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\') => {
                                self.pos += 1;
                                if let Some(next) = self.peek() {
                                    self.pos += 1;
                                    if !"$`\"\\\n".contains(next) {
                                        word.push_lit('\\', true);
                                    }
                                    if next != '\n' {
                                        word.push_lit(next, true);
                                    }
                                }
                            }
                            Some('$') | Some('`') => self.expansion(&mut word, true)?,
                            Some(c) => {
                                word.push_lit(c, true);
                                self.pos += 1;
                            }
                        }
                    }
                }
                // `$"text"`: a translated string, the text itself outside a locale catalogue.
                '$' if self.peek_at(1) == Some('"') => self.pos += 1,
                '$' | '`' => self.expansion(&mut word, false)?,
                _ => {
                    word.push_lit(c, false);
                    self.pos += 1;
                }
            }
        }
        Ok(word)
    }

    /// `$name`, `${...}`, `$(...)`, `$((...))`, `` `...` ``, `$'...'`.
    fn expansion(&mut self, word: &mut Word, quoted: bool) -> Result<(), ParseError> {
        let start = self.pos;
        let mut part = Part::Unknown;
        if self.peek() == Some('`') {
            self.pos += 1;
            let inner_start = self.pos;
            while self.peek().is_some_and(|c| c != '`') {
                if self.peek() == Some('\\') {
                    self.pos += 1;
                }
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Err(ParseError("unclosed backtick".into()));
            }
            let inner: String = self.chars[inner_start..self.pos].iter().collect();
            self.out.substitutions.push(inner.clone());
            part = Part::Subst(inner);
            self.pos += 1;
        } else {
            self.pos += 1; // `$`
            match self.peek() {
                Some('(') => {
                    let arithmetic = self.peek_at(1) == Some('(');
                    let inner_start = self.pos + 1;
                    let end = self.matching_paren(self.pos)?;
                    if !arithmetic {
                        let inner: String = self.chars[inner_start..end].iter().collect();
                        self.out.substitutions.push(inner.clone());
                        part = Part::Subst(inner);
                    }
                    self.pos = end + 1;
                }
                Some('{') => {
                    let name_start = self.pos + 1;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(ParseError("unclosed `${`".into()));
                    }
                    let name: String = self.chars[name_start..self.pos].iter().collect();
                    if is_name(&name) {
                        part = Part::Var(name);
                    }
                    self.pos += 1;
                }
                Some('\'') if !quoted => {
                    // `$'\x72m'`: ANSI-C quoting spells anything; its value is not read.
                    self.pos += 1;
                    while self.peek().is_some_and(|c| c != '\'') {
                        if self.peek() == Some('\\') {
                            self.pos += 1;
                        }
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(ParseError("unclosed `$'`".into()));
                    }
                    self.pos += 1;
                }
                Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                    let name_start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        self.pos += 1;
                    }
                    part = Part::Var(self.chars[name_start..self.pos].iter().collect());
                }
                Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => self.pos += 1,
                _ => {
                    // A lone `$` is literal.
                    word.push_lit('$', quoted);
                    return Ok(());
                }
            }
        }
        word.dynamic = true;
        word.text.extend(&self.chars[start..self.pos]);
        word.parts.push(part);
        Ok(())
    }

    /// The index of the `)` closing the `(` at `open`, skipping quotes and nesting.
    fn matching_paren(&self, open: usize) -> Result<usize, ParseError> {
        let mut depth = 0usize;
        let mut i = open;
        let mut quote: Option<char> = None;
        while let Some(&c) = self.chars.get(i) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '\\') => i += 1,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '\\') => i += 1,
                // A here-document inside `$(...)` (`git commit -m "$(cat <<'EOF' ... EOF)"`):
                // its body is text, apostrophes and parentheses included.
                (None, '<')
                    if self.chars.get(i + 1) == Some(&'<')
                        && self.chars.get(i + 2) != Some(&'<') =>
                {
                    i = self.skip_heredoc(i + 2);
                    continue;
                }
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Err(ParseError("unclosed `$(`".into()))
    }

    /// From just after `<<`: the index after the here-document's closing line
    /// (or after the delimiter word when no body follows on later lines).
    fn skip_heredoc(&self, mut i: usize) -> usize {
        let strip = self.chars.get(i) == Some(&'-');
        if strip {
            i += 1;
        }
        while self.chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
            i += 1;
        }
        let mut delimiter = String::new();
        while let Some(&c) = self.chars.get(i) {
            if c.is_whitespace() || ";&|()<>".contains(c) {
                break;
            }
            if !"'\"\\".contains(c) {
                delimiter.push(c);
            }
            i += 1;
        }
        let after_word = i;
        if delimiter.is_empty() {
            return after_word;
        }
        // The body starts on the next line.
        while self.chars.get(i).is_some_and(|c| *c != '\n') {
            i += 1;
        }
        while i < self.chars.len() {
            i += 1; // the newline
            let start = i;
            while self.chars.get(i).is_some_and(|c| *c != '\n') {
                i += 1;
            }
            let line: String = self.chars[start..i].iter().collect();
            let line = if strip {
                line.trim_start_matches('\t')
            } else {
                &line
            };
            if line == delimiter {
                return i;
            }
        }
        after_word
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `{a,b}c` -> `ac`, `bc` (unquoted braces only; `\u{1}` marks quoted characters).
pub fn expand_braces(pattern: &str, limit: usize) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    // Find the first top-level `{...}` with a comma inside.
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\u{1}' {
            i += 2;
            continue;
        }
        if chars[i] == '{' {
            let mut depth = 0;
            let mut commas = Vec::new();
            let mut j = i;
            let mut close = None;
            while j < chars.len() {
                match chars[j] {
                    '\u{1}' => j += 1,
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(j);
                            break;
                        }
                    }
                    ',' if depth == 1 => commas.push(j),
                    _ => {}
                }
                j += 1;
            }
            if let Some(close) = close.filter(|_| !commas.is_empty()) {
                let head: String = chars[..i].iter().collect();
                let tail: String = chars[close + 1..].iter().collect();
                let mut bounds = vec![i];
                bounds.extend(&commas);
                bounds.push(close);
                let mut out = Vec::new();
                for pair in bounds.windows(2) {
                    let middle: String = chars[pair[0] + 1..pair[1]].iter().collect();
                    for expanded in expand_braces(&format!("{head}{middle}{tail}"), limit) {
                        if out.len() >= limit {
                            return out;
                        }
                        out.push(expanded);
                    }
                }
                return out;
            }
        }
        i += 1;
    }
    vec![pattern.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        let parsed = parse(script).unwrap_or_else(|e| panic!("{script}: {e}"));
        parsed
            .commands
            .iter()
            .map(|c| c.words.iter().map(|w| w.text.clone()).collect())
            .collect()
    }

    #[test]
    fn splits_compound_commands() {
        assert_eq!(
            words("cd a && ls -la; echo 'x y' | tee \"out file\""),
            vec![
                vec!["cd", "a"],
                vec!["ls", "-la"],
                vec!["echo", "x y"],
                vec!["tee", "out file"]
            ]
        );
        assert_eq!(
            words("(cd db; rm x) || { echo no; }"),
            vec![vec!["cd", "db"], vec!["rm", "x"], vec!["echo", "no"]]
        );
        assert_eq!(
            words("if true; then rm -f a; fi"),
            vec![vec!["true"], vec!["rm", "-f", "a"]]
        );
        assert_eq!(
            words("function f { rm a; }; f"),
            vec![vec!["rm", "a"], vec!["f"]]
        );
        let piped = parse("echo a | sh; b || c").unwrap_or_default();
        let flags: Vec<bool> = piped.commands.iter().map(|c| c.piped).collect();
        assert_eq!(flags, vec![false, true, false, false]);
    }

    #[test]
    fn reads_redirects_assignments_and_substitutions() {
        let parsed =
            parse("HUSKY=0 git commit -m \"$(cat msg)\" > log 2>&1 && echo hi >> migrations/x.sql")
                .unwrap_or_default();
        assert_eq!(parsed.commands[0].assignments[0].0, "HUSKY");
        assert_eq!(parsed.commands[0].redirects.len(), 1);
        assert_eq!(parsed.commands[0].redirects[0].target.text, "log");
        assert_eq!(parsed.commands[1].redirects[0].op, ">>");
        assert_eq!(
            parsed.commands[1].redirects[0].target.text,
            "migrations/x.sql"
        );
        assert_eq!(parsed.substitutions, vec!["cat msg".to_string()]);
        let heredoc = parse("cat > migrations/a.sql <<'EOF'\ncreate table x;\nEOF\necho done")
            .unwrap_or_default();
        assert_eq!(
            heredoc.commands[0].heredocs,
            vec!["create table x;\n".to_string()]
        );
        assert_eq!(heredoc.commands[1].words[0].text, "echo");
        assert!(parse("echo 'unclosed").is_err());
        let dup = parse("echo x >& out.txt; echo y >&2").unwrap_or_default();
        assert_eq!(dup.commands[0].redirects[0].target.text, "out.txt");
        assert!(dup.commands[1].redirects.is_empty());
        let vars = parse("rm \"$PWD\"/a ~/b").unwrap_or_default();
        assert_eq!(vars.commands[0].words[1].parts[1], Part::Var("PWD".into()));
        assert_eq!(vars.commands[0].words[2].parts[0], Part::Tilde);
    }

    #[test]
    fn expands_braces() {
        assert_eq!(expand_braces("{a,b}/x", 10), vec!["a/x", "b/x"]);
        assert_eq!(expand_braces("m{i,{g,h}}", 10), vec!["mi", "mg", "mh"]);
        assert_eq!(expand_braces("{a}", 10), vec!["{a}"]);
    }

    #[test]
    fn parses_a_long_command_in_linear_time() {
        let long = "echo $(rm x) \"$A\" >> f; ".repeat(2500);
        let start = std::time::Instant::now();
        let parsed = parse(&long).unwrap_or_default();
        assert_eq!(parsed.commands.len(), 2500);
        assert!(start.elapsed().as_millis() < 500, "{:?}", start.elapsed());
    }

    #[test]
    fn never_panics_on_mangled_commands() {
        let commands = [
            "cd a && echo \"$(cat <<'EOF'\nx\nEOF\n)\" > f",
            "bash -c 'rm -rf \"$D\"/x' | tee -a log 2>&1",
            "for f in *.sql; do psql -f \"$f\"; done",
            "echo `date` ${X:-y} $((1+2)) \\\n next",
        ];
        let mut state = 0x2545F4914F6CDD1Du64;
        let (mut parsed, mut refused) = (0, 0);
        for round in 0..4000 {
            let mut chars: Vec<char> = commands[round % commands.len()].chars().collect();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % (chars.len() + 1);
                let piece = [
                    '\'', '"', '`', '$', '(', ')', '<', '>', '|', '&', '\\', '\n', '{', '}', ';',
                ][(state >> 32) as usize % 15];
                if state % 2 == 0 && at < chars.len() {
                    chars.remove(at);
                } else {
                    chars.insert(at, piece);
                }
            }
            let text: String = chars.into_iter().collect();
            // Either a parse or a clean error: never a panic.
            match parse(&text) {
                Ok(script) => {
                    parsed += 1;
                    assert!(
                        script.commands.iter().all(|c| !c.words.is_empty()
                            || !c.redirects.is_empty()
                            || !c.assignments.is_empty()),
                        "{text:?}"
                    );
                }
                Err(error) => {
                    refused += 1;
                    assert!(!error.0.is_empty(), "{text:?}");
                }
            }
        }
        assert!(
            parsed > 100 && refused > 100,
            "parsed {parsed}, refused {refused}"
        );
    }
}
