//! Reading an issue file (TOML or JSON, chosen by extension) with exact places for every error.
//!
//! Deserialisation errors carry their key path (serde_path_to_error) and position; later stages
//! report semantic errors by key path, and [`IssueFile::locate`] turns that path back into a line
//! and column by walking a position-keeping parse of the same text (toml_edit / jsonc-parser).

use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use jsonc_parser::common::Ranged;

use super::Issue;
use crate::error::{Diagnostic, Error, Location, Result};

/// The two formats an issue file may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Json,
}

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path into the issue data such as `pages[1].frames[0].span` (indices 0-based).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    pub fn key(mut self, key: &str) -> Self {
        self.0.push(Segment::Key(key.into()));
        self
    }

    pub fn index(mut self, index: usize) -> Self {
        self.0.push(Segment::Index(index));
        self
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// An issue as read from disk, with the text kept so later findings can point into it.
#[derive(Debug, Clone)]
pub struct IssueFile {
    pub path: PathBuf,
    pub issue: Issue,
    text: String,
    format: Format,
}

impl IssueFile {
    /// Reads and parses the issue file at `path`.
    pub fn read(path: &Path) -> Result<IssueFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, text)
    }

    /// Parses issue text; `path` names the file in messages and picks the format by extension.
    pub fn parse(path: &Path, text: String) -> Result<IssueFile> {
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Format::Toml,
            Some("json") => Format::Json,
            _ => {
                return Err(Diagnostic::new("an issue file must end in .toml or .json")
                    .at(Some(Location { file: path.into(), line: 1, column: 1 }))
                    .into());
            }
        };
        let issue = match format {
            Format::Toml => from_toml(path, &text)?,
            Format::Json => {
                let mut de = serde_json::Deserializer::from_str(&text);
                serde_path_to_error::deserialize(&mut de).map_err(|e| {
                    let inner = e.inner();
                    let at = Location { file: path.into(), line: inner.line(), column: inner.column() };
                    placed(e.path(), json_message(inner), Some(at))
                })?
            }
        };
        Ok(IssueFile { path: path.into(), issue, text, format })
    }

    /// The same file holding `issue` instead of its own (a composed issue, a probe): paths in
    /// the data still resolve from the file's folder, and places of keys it shares with the
    /// file's own data are still found in its text.
    pub fn with_issue(&self, issue: Issue) -> IssueFile {
        IssueFile { path: self.path.clone(), issue, text: self.text.clone(), format: self.format }
    }

    /// The file's text, as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the file is JSON (else TOML).
    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// The folder the issue file sits in; relative paths in the data start here.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// Where the value at `key` is written in the file, if it is written there.
    pub fn locate(&self, key: &KeyPath) -> Option<Location> {
        let span = match self.format {
            Format::Toml => locate_toml(&self.text, key, false),
            Format::Json => locate_json(&self.text, key, false),
        }?;
        Some(offset_location(&self.path, &self.text, span.start))
    }

    /// A diagnostic about the value at `key`, placed in the file.
    pub fn diagnostic(&self, key: &KeyPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(message).at(self.locate(key)).key(key.to_string())
    }

    /// Resolves a path written in the data against the issue folder, refusing any path that
    /// leaves the folder — absolute, `..`, or through a symbolic link — so an issue can only use
    /// files it ships with, even when it was unpacked from someone else's archive.
    pub fn resolve(&self, key: &KeyPath, relative: &str) -> Result<PathBuf> {
        let rel = Path::new(relative);
        let confined = rel.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if relative.is_empty() || !confined {
            return Err(self
                .diagnostic(key, format!("`{relative}` must be a path inside the issue's folder"))
                .into());
        }
        let path = self.dir().join(rel);
        inside(&path, self.dir()).map_err(|why| self.diagnostic(key, why))?;
        Ok(path)
    }

    /// Where byte `offset` of the string value at `key` is written in the file, escapes and
    /// multi-line delimiters accounted for; `None` when the value is not written as `value`.
    pub(super) fn locate_in_string(&self, key: &KeyPath, value: &str, offset: usize) -> Option<Location> {
        let span = match self.format {
            Format::Toml => locate_toml(&self.text, key, true),
            Format::Json => locate_json(&self.text, key, true),
        }?;
        let (decoded, raw_offsets) = super::strings::decode(self.text.get(span.clone())?)?;
        if decoded != value {
            return None;
        }
        let raw = raw_offsets.get(offset.min(decoded.len()))?;
        Some(offset_location(&self.path, &self.text, span.start + raw))
    }
}

/// Checks that `path`, with symbolic links followed, lies inside `folder`. A path that does not
/// exist passes: reading it then fails with its own message, and reads nothing.
pub(crate) fn inside(path: &Path, folder: &Path) -> std::result::Result<(), String> {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let (Ok(real), Ok(real_folder)) = (path.canonicalize(), folder.canonicalize()) else {
        return Ok(());
    };
    if real.starts_with(&real_folder) {
        return Ok(());
    }
    Err(format!(
        "{} resolves to {}, outside the issue's folder {}: an issue may only use files inside its folder",
        path.display(),
        real.display(),
        real_folder.display()
    ))
}

/// Where the value at `key` is written in TOML text, as a place for messages.
pub(crate) fn toml_location(path: &Path, text: &str, key: &KeyPath) -> Option<Location> {
    locate_toml(text, key, false).map(|span| offset_location(path, text, span.start))
}

/// Reads TOML text into `T`; an error names the file, line, column and key path. The issue
/// file and layout files are both read this way.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
        let at = e.inner().span().map(|span| offset_location(path, text, span.start));
        placed(e.path(), e.inner().message().to_string(), at)
    })
}

/// A deserialisation error at `key` (left out when it is the document itself).
fn placed(key: &serde_path_to_error::Path, message: String, at: Option<Location>) -> Error {
    let mut diagnostic = Diagnostic::new(message).at(at);
    if key.to_string() != "." {
        diagnostic = diagnostic.key(key.to_string());
    }
    diagnostic.into()
}

/// serde_json puts the position into its message; the diagnostic shows it separately.
fn json_message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    full.strip_suffix(&suffix).unwrap_or(&full).to_string()
}

/// Turns a byte offset into a 1-based line and column (columns count characters).
pub(super) fn offset_location(path: &Path, text: &str, offset: usize) -> Location {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Location { file: path.into(), line, column }
}

/// The span of `key` in TOML text: of its key (or of the value, when `value`), or of the
/// nearest enclosing key written there.
fn locate_toml(text: &str, key: &KeyPath, value: bool) -> Option<Range<usize>> {
    use toml_edit::{Item, Table, Value};

    /// A position in the parsed document; toml_edit keeps tables, items and values apart.
    #[derive(Clone, Copy)]
    enum Node<'a> {
        Item(&'a Item),
        Table(&'a Table),
        Value(&'a Value),
    }

    fn child<'a>(node: Node<'a>, segment: &Segment) -> Option<(Node<'a>, Option<Range<usize>>)> {
        let node = match node {
            Node::Item(Item::Table(t)) => Node::Table(t),
            Node::Item(Item::Value(v)) => Node::Value(v),
            other => other,
        };
        match (node, segment) {
            (Node::Table(t), Segment::Key(k)) => {
                let (key, item) = t.get_key_value(k)?;
                Some((Node::Item(item), key.span()))
            }
            (Node::Value(Value::InlineTable(t)), Segment::Key(k)) => {
                let (key, item) = t.get_key_value(k)?;
                Some((Node::Item(item), key.span()))
            }
            (Node::Item(Item::ArrayOfTables(a)), Segment::Index(i)) => {
                let table = a.get(*i)?;
                Some((Node::Table(table), table.span()))
            }
            (Node::Value(Value::Array(a)), Segment::Index(i)) => {
                let value = a.get(*i)?;
                Some((Node::Value(value), value.span()))
            }
            _ => None,
        }
    }

    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let mut node = Node::Table(doc.as_table());
    let mut span = None;
    for segment in &key.0 {
        let Some((next, next_span)) = child(node, segment) else {
            return if value { None } else { span };
        };
        node = next;
        span = next_span.or(span);
    }
    match node {
        _ if !value => span,
        Node::Item(Item::Value(v)) | Node::Value(v) => v.span(),
        _ => None,
    }
}

/// The span of `key` in JSON text: of its property (or of the value, when `want_value`), or
/// of the nearest enclosing one.
fn locate_json(text: &str, key: &KeyPath, want_value: bool) -> Option<Range<usize>> {
    use jsonc_parser::ast::Value;
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default()).ok()?;
    let mut value = parsed.value?;
    let mut span = None;
    for segment in &key.0 {
        let (next, range) = match (value, segment) {
            (Value::Object(object), Segment::Key(k)) => {
                let Some(prop) = object.properties.into_iter().find(|p| p.name.as_str() == k) else {
                    return if want_value { None } else { span };
                };
                let range = if want_value { prop.value.range() } else { prop.range };
                (prop.value, range)
            }
            (Value::Array(array), Segment::Index(i)) => {
                let Some(element) = array.elements.into_iter().nth(*i) else {
                    return if want_value { None } else { span };
                };
                let range = element.range();
                (element, range)
            }
            _ => return if want_value { None } else { span },
        };
        value = next;
        span = Some(range.start..range.end);
    }
    span
}
