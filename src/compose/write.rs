//! Writing a composition out: the issue file's own text with each composed page's `articles`
//! list replaced by its frames, and the ranks, boxes and picture heights the composer chose,
//! so a desk can adjust a page by hand and build it; fillers (补白) no page took are left out.
//! Everything else — comments, order, the other keys — stays as written.

use serde_json::{Value, json};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::Composition;
use crate::error::{Diagnostic, Result};
use crate::issue::{Article, Frame, FrameLine, FrameLines, IssueFile};

/// The composed issue in the file's own format (TOML or JSON).
pub fn write(file: &IssueFile, composition: &Composition) -> Result<String> {
    if file.is_json() { json_text(file, composition) } else { toml_text(file, composition) }
}

fn toml_text(file: &IssueFile, composition: &Composition) -> Result<String> {
    let unreadable = |e: toml_edit::TomlError| Diagnostic::new(format!("{}: {e}", file.path.display()));
    let mut doc: DocumentMut = file.text().parse().map_err(unreadable)?;
    if let Some(pages) = doc.get_mut("pages").and_then(Item::as_array_of_tables_mut) {
        for (p, page) in pages.iter_mut().enumerate() {
            if file.issue.pages.get(p).is_none_or(|page| page.articles.is_empty()) {
                continue;
            }
            page.remove("articles");
            let frames = page.entry("frames").or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
            if let Some(frames) = frames.as_array_of_tables_mut() {
                for (_, frame) in composition.frames.iter().filter(|(at, _)| *at == p) {
                    frames.push(frame_table(frame));
                }
            }
        }
    }
    if let Some(articles) = doc.get_mut("articles").and_then(Item::as_array_of_tables_mut) {
        for (table, before) in articles.iter_mut().zip(&file.issue.articles) {
            if let Some(after) = composed(composition, &before.id) {
                article_table(table, before, after);
            }
        }
        articles.retain(|table| {
            table.get("id").and_then(Item::as_str).is_none_or(|id| !left_out(composition, id))
        });
    }
    Ok(doc.to_string())
}

/// Article `id` as composed, unless it is a filler left out.
fn composed<'c>(composition: &'c Composition, id: &str) -> Option<&'c Article> {
    composition.issue.articles.iter().find(|a| a.id == id)
}

/// Whether article `id` is a filler no page took.
fn left_out(composition: &Composition, id: &str) -> bool {
    composition.left_out.iter().any(|l| l == id)
}

/// A composed frame as the issue format writes it.
fn frame_table(frame: &Frame) -> Table {
    let mut table = Table::new();
    table["article"] = value(frame.article.as_str());
    table["column"] = value(i64::from(frame.column));
    table["span"] = value(i64::from(frame.span));
    if let FrameLine::At(line) = frame.line {
        table["line"] = value(i64::from(line));
    }
    if let FrameLines::Fixed(lines) = frame.lines {
        table["lines"] = value(i64::from(lines));
    }
    if frame.balance {
        table["balance"] = value(true);
    }
    if frame.head_space > 0 {
        table["head-space"] = value(i64::from(frame.head_space));
    }
    table
}

/// What the composer chose for an article: its rank, its box and its picture's height.
fn article_table(table: &mut Table, before: &Article, after: &Article) {
    if let Some(rank) = after.rank.filter(|_| after.rank != before.rank) {
        table["rank"] = value(i64::from(rank));
    }
    if after.boxed && !before.boxed {
        table["boxed"] = value(true);
    }
    if after.fit && !before.fit {
        table["fit"] = value(true);
    }
    if let (Some(picture), Some(was)) = (&after.picture, &before.picture)
        && picture.lines != was.lines
        && let Some(table) = table.get_mut("picture").and_then(Item::as_table_like_mut)
    {
        table.insert("lines", value(i64::from(picture.lines)));
    }
}

fn json_text(file: &IssueFile, composition: &Composition) -> Result<String> {
    let unreadable = |e: serde_json::Error| Diagnostic::new(format!("{}: {e}", file.path.display()));
    let mut doc: Value = serde_json::from_str(file.text()).map_err(unreadable)?;
    if let Some(pages) = doc.get_mut("pages").and_then(Value::as_array_mut) {
        for (p, page) in pages.iter_mut().enumerate() {
            let Some(page) = page.as_object_mut().filter(|o| o.contains_key("articles")) else { continue };
            page.remove("articles");
            let frames = page.entry("frames").or_insert_with(|| json!([]));
            if let Some(frames) = frames.as_array_mut() {
                frames
                    .extend(composition.frames.iter().filter(|(at, _)| *at == p).map(|(_, f)| frame_json(f)));
            }
        }
    }
    if let Some(articles) = doc.get_mut("articles").and_then(Value::as_array_mut) {
        let id = |value: &Value| value.get("id").and_then(Value::as_str).map(str::to_owned);
        articles.retain(|value| id(value).is_none_or(|id| !left_out(composition, &id)));
        for value in articles.iter_mut() {
            let Some(article) = id(value).and_then(|id| composed(composition, &id)) else { continue };
            let Some(object) = value.as_object_mut() else { continue };
            if let Some(rank) = article.rank {
                object.insert("rank".into(), json!(rank));
            }
            if article.boxed {
                object.insert("boxed".into(), json!(true));
            }
            if article.fit {
                object.insert("fit".into(), json!(true));
            }
            if let (Some(picture), Some(Value::Object(p))) = (&article.picture, object.get_mut("picture")) {
                p.insert("lines".into(), json!(picture.lines));
            }
        }
    }
    serde_json::to_string_pretty(&doc).map(|s| s + "\n").map_err(|e| unreadable(e).into())
}

fn frame_json(frame: &Frame) -> Value {
    let line = match frame.line {
        FrameLine::At(line) => json!(line),
        FrameLine::Below => json!("below"),
    };
    let lines = match frame.lines {
        FrameLines::Fixed(lines) => json!(lines),
        FrameLines::Auto => json!("auto"),
        FrameLines::Rest => json!("rest"),
    };
    let mut frame_value = json!({ "article": frame.article, "column": frame.column, "span": frame.span, "line": line, "lines": lines });
    if frame.balance {
        frame_value["balance"] = json!(true);
    }
    frame_value
}
