//! Lowers Markdown into the few block kinds a spec uses, keeping source offsets.
//!
//! Inline markup is flattened to plain text (backticks and bold markers vanish),
//! but every character of that text can be mapped back to its byte in the file.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Plain text of an inline run plus the map back to source offsets.
#[derive(Debug, Clone, Default)]
pub struct Inline {
    pub text: String,
    /// (offset in `text`, offset in the source) at the start of each piece.
    map: Vec<(usize, usize)>,
    end: usize,
}

impl Inline {
    fn push(&mut self, text: &str, src: usize) {
        self.map.push((self.text.len(), src));
        self.text.push_str(text);
        self.end = src + text.len();
    }

    /// Source offset of a byte offset into `text`.
    pub fn src(&self, offset: usize) -> usize {
        match self.map.iter().rev().find(|(t, _)| *t <= offset) {
            Some((t, s)) => s + (offset - t),
            None => self.end,
        }
    }

    /// Source range of a byte range of `text`; `trim` callers pass trimmed sub-slices.
    pub fn range(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end {
            let at = self.src(start);
            return (at, at);
        }
        (self.src(start), self.src(end - 1) + 1)
    }

    /// Source range of the whole (trimmed) text.
    pub fn full_range(&self) -> (usize, usize) {
        let start = self.text.len() - self.text.trim_start().len();
        let end = self.text.trim_end().len();
        self.range(start, end)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
    pub start: usize,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// YAML-style front matter: the raw text and its offset.
    FrontMatter {
        text: String,
        start: usize,
    },
    Heading {
        level: u8,
        text: Inline,
    },
    Paragraph(Inline),
    ListItem(Inline),
    Table(Table),
    /// A fenced or indented code block: its info string (`prisma`, `sql`,
    /// `typescript`, ...) and its text, verbatim from `start` in the source.
    Code {
        lang: String,
        text: String,
        start: usize,
    },
}

pub fn blocks(text: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = Vec::new();
    // Inline text being collected for the innermost open block.
    let mut inline: Option<Inline> = None;
    let mut in_front_matter = false;
    let mut table: Option<Table> = None;
    let mut row: Vec<Inline> = Vec::new();
    // Nested list items: the text of the outer item is flushed when an inner list starts.
    let mut item_depth = 0usize;
    // An open code block: info string and the source range of its text.
    let mut code: Option<(String, Option<(usize, usize)>)> = None;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_front_matter = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_front_matter = false,
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::TableCell)
                if inline.is_none() =>
            {
                inline = Some(Inline::default());
            }
            Event::Start(Tag::Item) => {
                if let Some(text) = inline.take() {
                    out.push(Block::ListItem(text));
                }
                item_depth += 1;
                inline = Some(Inline::default());
            }
            Event::End(TagEnd::Item) => {
                item_depth = item_depth.saturating_sub(1);
                if let Some(text) = inline.take() {
                    out.push(Block::ListItem(text));
                }
            }
            Event::Start(Tag::List(_)) if item_depth > 0 => {
                if let Some(text) = inline.take() {
                    out.push(Block::ListItem(text));
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(text) = inline.take() {
                    out.push(Block::Heading {
                        level: heading_level(level),
                        text,
                    });
                }
            }
            Event::End(TagEnd::Paragraph) => {
                // Paragraphs inside list items belong to the item.
                if item_depth == 0 {
                    if let Some(text) = inline.take() {
                        out.push(Block::Paragraph(text));
                    }
                } else if let Some(text) = inline.as_mut() {
                    text.push(" ", range.end);
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    start: range.start,
                });
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::End(TagEnd::TableCell) => {
                row.push(inline.take().unwrap_or_default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    out.push(Block::Table(t));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, None));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, found)) = code.take() {
                    let (start, end) = found.unwrap_or((range.start, range.start));
                    out.push(Block::Code {
                        lang,
                        text: text.get(start..end).unwrap_or_default().to_string(),
                        start,
                    });
                }
            }
            Event::Text(_) if code.is_some() => {
                // Code text is verbatim: the block's text is the source slice
                // from its first text event to its last.
                if let Some((_, found)) = code.as_mut() {
                    let start = found.map_or(range.start, |(start, _)| start);
                    *found = Some((start, range.end));
                }
            }
            Event::Text(t) => {
                if in_front_matter {
                    out.push(Block::FrontMatter {
                        text: t.to_string(),
                        start: range.start,
                    });
                } else if let Some(inline) = inline.as_mut() {
                    inline.push(&t, range.start);
                }
            }
            // `list<Order>` outside backticks reads as inline HTML: it is text to us.
            Event::InlineHtml(html) => {
                if let Some(inline) = inline.as_mut() {
                    inline.push(&html, range.start);
                }
            }
            Event::Code(code) => {
                if let Some(inline) = inline.as_mut() {
                    let raw = &text[range.clone()];
                    let at = raw
                        .find(code.as_ref())
                        .map_or(range.start, |i| range.start + i);
                    inline.push(&code, at);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = inline.as_mut() {
                    inline.push("\n", range.start);
                }
            }
            _ => {}
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
