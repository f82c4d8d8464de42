//! A small shell parser: enough of POSIX sh and bash to see which commands a
//! Bash tool call runs and which files it writes.
//!
//! It splits compound commands (`&&`, `||`, `;`, `|`, `&`, newlines, subshells,
//! braces), keeps quoting straight, collects `$(...)` and backtick
//! substitutions and here-documents for recursive analysis, and marks words
//! whose value depends on variables or globs as dynamic.

/// One word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The value with quotes removed; variables left as written (`$HOME`).
    pub text: String,
    /// The value with every expansion removed (`$HOME/x` -> `/x`).
    pub literal: String,
    /// Contains an unquoted or double-quoted expansion (`$x`, `${x}`, `$(...)`).
    pub dynamic: bool,
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
    /// Bodies of here-documents fed to this command.
    pub heredocs: Vec<String>,
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
    "}", "in",
];

pub fn parse(script: &str) -> Result<Script, ParseError> {
    Parser {
        chars: script.chars().collect(),
        pos: 0,
        out: Script::default(),
        pending_heredocs: Vec::new(),
    }
    .run()
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: Script,
    /// (delimiter, strip tabs, index of the command) waiting for the next newline.
    pending_heredocs: Vec<(String, bool, usize)>,
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
                ';' | '&' | '|' | '(' | ')' => {
                    if c == '&' && self.peek_at(1) == Some('>') {
                        self.redirect(&mut current)?;
                        continue;
                    }
                    self.pos += 1;
                    while matches!(self.peek(), Some('&' | '|' | ';')) {
                        self.pos += 1;
                    }
                    self.finish(&mut current);
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '<' | '>' => self.redirect(&mut current)?,
                c if c.is_ascii_digit() && self.is_fd_redirect() => {
                    self.pos += 1;
                    self.redirect(&mut current)?;
                }
                _ => {
                    let word = self.word()?;
                    let is_assignment = current.words.is_empty()
                        && word.text.split_once('=').is_some_and(|(name, _)| {
                            !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        });
                    if is_assignment {
                        let (name, value) = word.text.split_once('=').unwrap_or_default();
                        let literal = word
                            .literal
                            .split_once('=')
                            .map(|(_, v)| v.to_string())
                            .unwrap_or_default();
                        current.assignments.push((
                            name.to_string(),
                            Word {
                                text: value.to_string(),
                                literal,
                                dynamic: word.dynamic,
                            },
                        ));
                    } else if current.words.is_empty() && RESERVED.contains(&word.text.as_str()) {
                        // `if`, `then`, `{`: the command is what follows.
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
            self.out.commands.push(std::mem::take(current));
        }
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
        // Only a lone digit run glued to `<`/`>` is an fd (`2>err`), not `a2>b`.
        let starts_word = self.pos == 0
            || self
                .chars
                .get(self.pos - 1)
                .is_some_and(|c| c.is_whitespace() || ";&|()".contains(*c));
        starts_word && matches!(self.chars.get(i), Some('<' | '>')) && i == self.pos + 1
    }

    fn redirect(&mut self, current: &mut SimpleCommand) -> Result<(), ParseError> {
        let mut op = String::new();
        while let Some(c) = self.peek() {
            if "<>&|".contains(c) && op.len() < 3 {
                // `>&2` duplicates an fd; `&>` and `>|` are file redirects.
                if c == '&' && op.ends_with(['>', '<']) {
                    self.pos += 1;
                    while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '-') {
                        self.pos += 1;
                    }
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
            // A here-string (`<<< word`) is data fed to the command, not a file.
            self.word()?;
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
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    if let Some(next) = self.peek() {
                        self.pos += 1;
                        if next != '\n' {
                            word.text.push(next);
                            word.literal.push(next);
                        }
                    }
                }
                '\'' => {
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError("unclosed single quote".into())),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(c) => {
                                word.text.push(c);
                                word.literal.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '"' => {
                    self.pos += 1;
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
                                        word.text.push('\\');
                                        word.literal.push('\\');
                                    }
                                    if next != '\n' {
                                        word.text.push(next);
                                        word.literal.push(next);
                                    }
                                }
                            }
                            Some('$') | Some('`') => self.expansion(&mut word)?,
                            Some(c) => {
                                word.text.push(c);
                                word.literal.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '$' | '`' => self.expansion(&mut word)?,
                _ => {
                    word.text.push(c);
                    word.literal.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(word)
    }

    /// `$name`, `${...}`, `$(...)`, `$((...))`, `` `...` ``: recorded as dynamic.
    fn expansion(&mut self, word: &mut Word) -> Result<(), ParseError> {
        let start = self.pos;
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
            self.out
                .substitutions
                .push(self.chars[inner_start..self.pos].iter().collect());
            self.pos += 1;
        } else {
            self.pos += 1; // `$`
            match self.peek() {
                Some('(') => {
                    let arithmetic = self.peek_at(1) == Some('(');
                    let inner_start = self.pos + 1;
                    let end = self.matching_paren(self.pos)?;
                    if !arithmetic {
                        self.out
                            .substitutions
                            .push(self.chars[inner_start..end].iter().collect());
                    }
                    self.pos = end + 1;
                }
                Some('{') => {
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(ParseError("unclosed `${`".into()));
                    }
                    self.pos += 1;
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        self.pos += 1;
                    }
                }
                Some(c) if "@*#?$!-".contains(c) => self.pos += 1,
                _ => {
                    // A lone `$` is literal.
                    word.text.push('$');
                    word.literal.push('$');
                    return Ok(());
                }
            }
        }
        word.dynamic = true;
        word.text.extend(&self.chars[start..self.pos]);
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
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth -= 1;
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
    }

    #[test]
    fn reads_redirects_assignments_and_substitutions() {
        let parsed =
            parse("HUSKY=0 git commit -m \"$(cat msg)\" > log 2>&1 && echo hi >> migrations/x.sql")
                .unwrap_or_default();
        assert_eq!(parsed.commands[0].assignments[0].0, "HUSKY");
        assert_eq!(
            parsed.commands[0].redirects,
            vec![Redirect {
                op: ">".into(),
                target: Word {
                    text: "log".into(),
                    literal: "log".into(),
                    dynamic: false
                }
            }]
        );
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
