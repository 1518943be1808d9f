//! The plan: the issue's frames checked against the layout's grid and turned into rectangles,
//! and its articles with their bodies parsed. Everything after this stage trusts the plan.

use std::collections::HashMap;

use serde::Serialize;

use crate::body::Block;
use crate::error::{Diagnostic, Error, Result};
use crate::issue::{Article, BylinePosition, HeadlineKind, IssueFile, KeyPath};
use crate::layout::Layout;

/// Narrowest text column a frame may be divided into, in body characters.
const MIN_COLUMN_CHARS: f64 = 4.0;

/// A checked issue, ready to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub pages: Vec<PlannedPage>,
    /// The masthead's logo picture, as a virtual path.
    pub logo: Option<String>,
    pub articles: Vec<PlannedArticle>,
    /// Every picture file the pages show, once each.
    pub images: Vec<Image>,
    /// Findings that do not stop the build, e.g. a chain that jumps back to an earlier page.
    pub warnings: Vec<Diagnostic>,
}

/// A page and the rectangles on it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedPage {
    pub number: u32,
    /// The page's name in the layout's numerals, e.g. 第二版.
    pub name: String,
    pub section: Option<String>,
    pub editor: Option<String>,
    pub designer: Option<String>,
    pub proofreader: Option<String>,
    /// Whether the page carries the masthead (page 1).
    pub masthead: bool,
    pub frames: Vec<PlannedFrame>,
    /// 栏线 between neighbouring frames of different articles and pictures.
    pub rules: Vec<Rule>,
    pub pictures: Vec<PlannedPicture>,
}

/// A picture on the page, in pt from the type area's top-left corner.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedPicture {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Height in grid lines, caption included.
    pub lines: u32,
    /// The picture's virtual path in the generated program.
    pub image: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The bytes of a picture the issue uses, and its virtual path.
#[derive(Debug, Clone)]
pub struct Image {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A rule from (x1, y1) to (x2, y2), in pt from the type area's top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// A frame as a rectangle in pt from the type area's top-left corner.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PlannedFrame {
    /// Index into [`Plan::articles`].
    #[serde(skip)]
    pub article: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Text columns inside the frame.
    pub columns: u32,
    /// Height in grid lines.
    pub lines: u32,
    /// Position in the grid, for ordering chains: first line and column, 1-based.
    #[serde(skip)]
    pub grid_at: (u32, u32),
    /// Place in the article's chain, 0-based.
    pub part: usize,
    /// The jump head's line for a continued part, e.g. （上接第一版）.
    pub jump_from: Option<String>,
    /// The line ending a part that continues, e.g. （下转第二版）.
    pub jump_to: Option<String>,
    /// Width of the headline, in pt: the frame's, or less with `headline-span`.
    pub headline_width: f64,
    /// Width the body's text columns share, in pt: the frame's, less a vertical headline's.
    pub text_width: f64,
    /// Whether the headline runs down the frame's right side (竖题).
    pub vertical: bool,
    /// Whether a border (花线) is drawn around the frame.
    pub boxed: bool,
    /// The article's picture (压题照片), under the headline of its first frame.
    pub picture: Option<FramePicture>,
}

/// A picture set across a frame, under its headline.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramePicture {
    /// The picture's virtual path in the generated program.
    pub image: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Height in grid lines, caption included.
    pub lines: u32,
}

/// An article with its body parsed and its frames found.
#[derive(Debug, Clone)]
pub struct PlannedArticle {
    pub article: Article,
    pub blocks: Vec<Block>,
    /// (page index, frame index) of the article's frames, in chain order.
    pub frames: Vec<(usize, usize)>,
}

impl PlannedArticle {
    pub fn id(&self) -> &str {
        &self.article.id
    }

    pub fn byline_at_end(&self) -> bool {
        self.article.byline.is_some() && self.article.byline_position == BylinePosition::End
    }
}

/// Checks the issue against the layout and builds the plan; all problems are reported together.
pub fn plan(file: &IssueFile, layout: &Layout) -> Result<Plan> {
    let issue = &file.issue;
    let grid = &layout.geometry.grid;
    let mut errors: Vec<Diagnostic> = Vec::new();
    let root = KeyPath::default();

    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut articles = Vec::new();
    for (i, article) in issue.articles.iter().enumerate() {
        let key = root.clone().key("articles").index(i);
        if ids.insert(&article.id, i).is_some() {
            errors.push(
                file.diagnostic(&key.clone().key("id"), format!("article id `{}` is used twice", article.id)),
            );
        }
        if article.title.trim().is_empty() {
            errors.push(file.diagnostic(&key.clone().key("title"), "an article needs a title"));
        }
        let blocks = match file.article_blocks(i) {
            Ok(blocks) => blocks,
            Err(Error::Invalid(mut d)) => {
                errors.append(&mut d);
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        articles.push(PlannedArticle { article: article.clone(), blocks, frames: Vec::new() });
    }

    let paper = root.clone().key("paper");
    if let Some(cn) = &issue.paper.cn
        && let Err(why) = check_cn(cn)
    {
        errors.push(file.diagnostic(&paper.clone().key("cn"), format!("`{cn}` is not a CN number: {why}")));
    }
    if let Some(code) = &issue.paper.postal_code
        && !postal_code_pattern().is_match(code)
    {
        errors.push(file.diagnostic(
            &paper.clone().key("postal-code"),
            format!("`{code}` is not a 邮发代号: it is written as digits-digits, e.g. 21-12"),
        ));
    }

    if issue.pages.is_empty() {
        errors.push(file.diagnostic(&root.clone().key("pages"), "an issue needs at least one page"));
    }
    let mut pages = Vec::new();
    let mut images: Vec<Image> = Vec::new();
    let logo = match &issue.paper.logo {
        Some(logo) => match load_picture(file, &paper.clone().key("logo"), logo, &mut images) {
            Ok(path) => Some(path),
            Err(problem) => {
                errors.push(problem);
                None
            }
        },
        None => None,
    };
    // Each article's explicit `part` keys, in the order its frames were met.
    let mut parts: Vec<Vec<(Option<u32>, KeyPath)>> = vec![Vec::new(); articles.len()];
    let mut last_number = 0;
    for (p, page) in issue.pages.iter().enumerate() {
        let key = root.clone().key("pages").index(p);
        if page.number <= last_number {
            errors.push(file.diagnostic(
                &key.clone().key("number"),
                format!("page numbers must rise from 1: {} follows {last_number}", page.number),
            ));
        }
        last_number = page.number;
        let masthead = page.number == 1;
        let mut frames: Vec<PlannedFrame> = Vec::new();
        // Grid rectangles taken so far on this page, with what took them.
        let mut cells: Vec<([u32; 4], String)> = Vec::new();
        for (f, frame) in page.frames.iter().enumerate() {
            let key = key.clone().key("frames").index(f);
            let before = errors.len();
            let Some(&article) = ids.get(frame.article.as_str()) else {
                errors.push(file.diagnostic(
                    &key.clone().key("article"),
                    format!("no article has the id `{}`", frame.article),
                ));
                continue;
            };
            let area = match (masthead, frame.ear) {
                (false, _) => Area::Anywhere,
                (true, false) => Area::BelowMasthead,
                (true, true) => Area::Ear,
            };
            if frame.ear && !masthead {
                errors.push(
                    file.diagnostic(&key.clone().key("ear"), "only page 1 has a masthead to sit beside"),
                );
            }
            let placed =
                grid_place(file, &key, [frame.column, frame.span, frame.line, frame.lines], grid, area);
            errors.extend(placed.as_ref().err().cloned().unwrap_or_default());
            let columns = frame.columns.unwrap_or(frame.span);
            if errors.len() == before {
                let column_chars =
                    layout.text_column(layout.span_width(frame.span), columns).0 / layout.body_size();
                if columns == 0 || column_chars < MIN_COLUMN_CHARS {
                    errors.push(file.diagnostic(
                        &key.clone().key("columns"),
                        format!(
                            "{columns} text columns in {} grid columns leave less than {MIN_COLUMN_CHARS} characters a column",
                            frame.span
                        ),
                    ));
                }
            }
            if errors.len() != before {
                continue;
            }
            let Ok(rect) = placed else { continue };
            if let Some((_, other)) = cells.iter().find(|(r, _)| overlaps(r, &rect)) {
                errors.push(file.diagnostic(&key, format!("this frame overlaps {other}")));
                continue;
            }
            cells.push((rect, format!("pages[{p}].frames[{f}] (article `{}`)", frame.article)));
            articles[article].frames.push((p, frames.len()));
            parts[article].push((frame.part, key.clone()));
            frames.push(PlannedFrame {
                article,
                x: layout.column_x(frame.column),
                y: f64::from(frame.line - 1) * grid.line_pitch_pt,
                width: layout.span_width(frame.span),
                height: f64::from(frame.lines) * grid.line_pitch_pt,
                columns,
                lines: frame.lines,
                grid_at: (frame.line, frame.column),
                part: 0,
                jump_from: None,
                jump_to: None,
                headline_width: layout.span_width(headline_span(&issue.articles[article], frame.span)),
                boxed: issue.articles[article].boxed || frame.ear,
                picture: None,
                text_width: layout.span_width(frame.span),
                vertical: false,
            });
        }
        let mut page_pictures = Vec::new();
        for (i, picture) in page.pictures.iter().enumerate() {
            let key = key.clone().key("pictures").index(i);
            let extent = [picture.column, picture.span, picture.line, picture.lines];
            let area = if masthead { Area::BelowMasthead } else { Area::Anywhere };
            let rect = match grid_place(file, &key, extent, grid, area) {
                Ok(rect) => rect,
                Err(mut problems) => {
                    errors.append(&mut problems);
                    continue;
                }
            };
            if let Some((_, other)) = cells.iter().find(|(r, _)| overlaps(r, &rect)) {
                errors.push(file.diagnostic(&key, format!("this picture overlaps {other}")));
                continue;
            }
            cells.push((rect, format!("pages[{p}].pictures[{i}]")));
            match load_picture(file, &key.clone().key("image"), &picture.image, &mut images) {
                Ok(image) => page_pictures.push(PlannedPicture {
                    x: layout.column_x(picture.column),
                    y: f64::from(picture.line - 1) * grid.line_pitch_pt,
                    width: layout.span_width(picture.span),
                    height: f64::from(picture.lines) * grid.line_pitch_pt,
                    lines: picture.lines,
                    image,
                    caption: picture.caption.clone(),
                    credit: picture.credit.clone(),
                }),
                Err(problem) => errors.push(problem),
            }
        }
        pages.push(PlannedPage {
            number: page.number,
            name: layout.geometry.continuation.page_name(page.number),
            section: page.section.clone(),
            editor: page.editor.clone(),
            designer: page.designer.clone(),
            proofreader: page.proofreader.clone(),
            masthead,
            rules: rules(&frames, &page_pictures, layout),
            frames,
            pictures: page_pictures,
        });
    }

    // The 要目 box and a 报眼 article would share the masthead's middle.
    if issue.issue.contents && issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.ear) {
        errors.push(file.diagnostic(
            &root.clone().key("issue").key("contents"),
            "the 要目 box and a 报眼 frame both sit beside the masthead; keep one",
        ));
    }
    let mut warnings = Vec::new();
    let continuation = &layout.geometry.continuation;
    for (i, article) in articles.iter_mut().enumerate() {
        let key = root.clone().key("articles").index(i).key("id");
        if article.frames.is_empty() {
            // A frame that names the article but was rejected has its own error already.
            let named = issue.pages.iter().flat_map(|p| &p.frames).any(|f| f.article == article.id());
            if !named {
                errors
                    .push(file.diagnostic(&key, format!("article `{}` is placed in no frame", article.id())));
            }
            continue;
        }
        match chain_order(&parts[i], &pages, &article.frames) {
            Ok(order) => article.frames = order,
            Err((key, message)) => {
                errors.push(file.diagnostic(&key, message));
                continue;
            }
        }
        let (p, f) = article.frames[0];
        if let Some(span) = article.article.headline_span
            && (span == 0 || layout.span_width(span) > pages[p].frames[f].width + 0.01)
        {
            errors.push(file.diagnostic(
                &root.clone().key("articles").index(i).key("headline-span"),
                format!("a headline spanning {span} grid columns does not fit the article's first frame"),
            ));
        }
        let art = &article.article;
        let top_byline = art.byline.is_some() && art.byline_position == BylinePosition::Top;
        if art.headline == HeadlineKind::Vertical
            && (top_byline || art.editor_note.is_some() || art.lead.is_some() || art.picture.is_some())
        {
            errors.push(file.diagnostic(
                &root.clone().key("articles").index(i).key("headline"),
                "a vertical headline carries no top byline, 编者按, 导语 or picture; set them horizontally",
            ));
        }
        if article.article.headline == HeadlineKind::Vertical {
            // The headline takes the first frame's rightmost grid column.
            let frame = &mut pages[p].frames[f];
            let one_column = layout.span_width(1) + f64::from(grid.gutter_chars) * layout.body_size();
            if frame.width < layout.span_width(2) - 0.01 {
                errors.push(file.diagnostic(
                    &root.clone().key("articles").index(i).key("headline"),
                    "a vertical headline needs a first frame at least two grid columns wide",
                ));
            } else {
                frame.vertical = true;
                frame.text_width = frame.width - one_column;
                frame.columns = frame.columns.saturating_sub(1).max(1);
            }
        }
        if let Some(picture) = &article.article.picture {
            let key = root.clone().key("articles").index(i).key("picture");
            if picture.lines == 0 || picture.lines >= pages[p].frames[f].lines {
                errors.push(file.diagnostic(
                    &key.clone().key("lines"),
                    format!("a picture of {} lines does not fit the article's first frame", picture.lines),
                ));
            } else {
                match load_picture(file, &key.clone().key("image"), &picture.image, &mut images) {
                    Ok(image) => {
                        pages[p].frames[f].picture = Some(FramePicture {
                            image,
                            caption: picture.caption.clone(),
                            credit: picture.credit.clone(),
                            lines: picture.lines,
                        })
                    }
                    Err(problem) => errors.push(problem),
                }
            }
        }
        let numbers: Vec<u32> = article.frames.iter().map(|&(p, _)| pages[p].number).collect();
        if numbers.windows(2).any(|w| w[1] < w[0]) {
            warnings.push(file.diagnostic(
                &key,
                format!(
                    "article `{}` continues on an earlier page ({})",
                    article.id(),
                    join_numbers(&numbers)
                ),
            ));
        }
        for (k, &(p, f)) in article.frames.iter().enumerate() {
            let frame = &mut pages[p].frames[f];
            frame.part = k;
            frame.jump_from = (k > 0).then(|| continuation.jump_from_line(numbers[k - 1]));
            frame.jump_to = numbers.get(k + 1).map(|&to| continuation.jump_to_line(to));
        }
    }

    if errors.is_empty() {
        Ok(Plan { pages, logo, articles, images, warnings })
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Checks a 国内统一连续出版物号: `CN`, a two-digit province code (11–82), a dash, four digits,
/// and optionally a slash and a classification such as `F` or `G0`.
fn check_cn(cn: &str) -> std::result::Result<(), &'static str> {
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^CN ?(\d{2})-\d{4}(/[A-Z][0-9A-Z]{0,2})?$").expect("a valid pattern")
    });
    let captures = PATTERN.captures(cn).ok_or("it is written CN 14-0001/F")?;
    let province: u32 = captures[1].parse().expect("two digits");
    if (11..=82).contains(&province) {
        Ok(())
    } else {
        Err("its first two digits must be a province code, 11–82")
    }
}

/// A 邮发代号 such as 21-12.
fn postal_code_pattern() -> &'static regex::Regex {
    static PATTERN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\d{1,2}-\d{1,4}$").expect("a valid pattern"));
    &PATTERN
}

/// Orders an article's frames into its chain: by explicit `part` keys when given (all frames or
/// none, no number twice), else by page, then line, then column.
fn chain_order(
    parts: &[(Option<u32>, KeyPath)],
    pages: &[PlannedPage],
    frames: &[(usize, usize)],
) -> std::result::Result<Vec<(usize, usize)>, (KeyPath, String)> {
    let mut keyed: Vec<_> = frames.iter().copied().zip(parts).collect();
    let explicit = parts.iter().filter(|(part, _)| part.is_some()).count();
    if explicit == 0 {
        keyed.sort_by_key(|&((p, f), _)| (p, pages[p].frames[f].grid_at));
    } else if explicit < parts.len() {
        let (_, key) = parts.iter().find(|(part, _)| part.is_none()).expect("some frame has no part");
        return Err((key.clone().key("part"), "give every frame of this article a `part`, or none".into()));
    } else {
        keyed.sort_by_key(|(_, (part, _))| *part);
        if let Some(w) = keyed.windows(2).find(|w| w[0].1.0 == w[1].1.0) {
            return Err((
                w[1].1.1.clone().key("part"),
                format!("part {} is given twice", w[1].1.0.unwrap_or(0)),
            ));
        }
    }
    Ok(keyed.into_iter().map(|(slot, _)| slot).collect())
}

fn join_numbers(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(" → ")
}

/// Why a frame's extent on one axis leaves the grid: `start` (1-based) and `len` against
/// `limit`, with the axis's key names (start key, length key, unit). None when it fits.
fn extent_problem(
    start: u32,
    len: u32,
    limit: u32,
    names: [&'static str; 3],
) -> Option<(&'static str, String)> {
    let [start_key, len_key, unit] = names;
    if start == 0 || start > limit {
        Some((start_key, format!("{start_key} {start} is outside the grid's {unit} 1–{limit}")))
    } else if len == 0 || len > limit - start + 1 {
        Some((
            len_key,
            format!("a frame from {start_key} {start} of {len} {unit} leaves the grid's {limit} {unit}"),
        ))
    } else {
        None
    }
}

/// Where on the page a rectangle may lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    /// An inner page: the whole type area.
    Anywhere,
    /// Page 1: below the masthead's lines.
    BelowMasthead,
    /// Page 1's 报眼: within the masthead's lines, beside the name.
    Ear,
}

/// Checks that a rectangle of the grid, [column, span, line, lines], lies inside the grid and
/// in its `area`; returns its cells [column start, column end, line start, line end) or every
/// problem found.
fn grid_place(
    file: &IssueFile,
    key: &KeyPath,
    [column, span, line, lines]: [u32; 4],
    grid: &crate::layout::Grid,
    area: Area,
) -> std::result::Result<[u32; 4], Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let across = extent_problem(column, span, grid.columns, ["column", "span", "columns"]);
    let down = extent_problem(line, lines, grid.lines, ["line", "lines", "lines"]);
    for (name, message) in across.iter().chain(&down) {
        problems.push(file.diagnostic(&key.clone().key(name), message));
    }
    if down.is_none() && area == Area::BelowMasthead && line <= grid.masthead_lines {
        problems.push(file.diagnostic(
            &key.clone().key("line"),
            format!(
                "lines 1–{} of page 1 hold the masthead; this starts at line {line}",
                grid.masthead_lines
            ),
        ));
    }
    if down.is_none() && area == Area::Ear && line + lines - 1 > grid.masthead_lines {
        problems.push(file.diagnostic(
            &key.clone().key("lines"),
            format!("a 报眼 frame stays within the masthead's lines 1–{}", grid.masthead_lines),
        ));
    }
    if problems.is_empty() { Ok([column, column + span, line, line + lines]) } else { Err(problems) }
}

/// Reads a picture the issue names, once per file: it must lie inside the issue's folder and be
/// a PNG, JPEG or SVG. Returns its virtual path in the generated program.
fn load_picture(
    file: &IssueFile,
    key: &KeyPath,
    relative: &str,
    images: &mut Vec<Image>,
) -> std::result::Result<String, Diagnostic> {
    let to_diagnostic = |e: Error| match e {
        Error::Invalid(mut d) => d.remove(0),
        other => file.diagnostic(key, other.to_string()),
    };
    let path = file.resolve(key, relative).map_err(to_diagnostic)?;
    let bytes = std::fs::read(&path)
        .map_err(|e| file.diagnostic(key, format!("cannot read picture {}: {e}", path.display())))?;
    let extension = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpg"
    } else if std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("<svg")) {
        "svg"
    } else {
        return Err(file.diagnostic(key, format!("{} is not a PNG, JPEG or SVG picture", path.display())));
    };
    if let Some(known) = images.iter().find(|i| i.bytes == bytes) {
        return Ok(known.path.clone());
    }
    let virtual_path = format!("/pictures/{}.{extension}", images.len());
    images.push(Image { path: virtual_path.clone(), bytes });
    Ok(virtual_path)
}

/// The grid columns an article's headline spans in a frame `span` columns wide.
fn headline_span(article: &Article, span: u32) -> u32 {
    article.headline_span.map_or(span, |s| s.clamp(1, span))
}

/// 栏线: a vertical rule in the gutter between side-by-side frames of different articles, and a
/// horizontal rule in the leading between stacked ones, each as long as the frames share.
fn rules(frames: &[PlannedFrame], pictures: &[PlannedPicture], layout: &Layout) -> Vec<Rule> {
    let gutter = f64::from(layout.geometry.grid.gutter_chars) * layout.body_size();
    let leading = layout.geometry.grid.line_pitch_pt - layout.body_size();
    let close = |a: f64, b: f64| (a - b).abs() < 0.01;
    // (owner, x, y, width, height): frames are owned by their article, each picture by itself.
    let boxes: Vec<(usize, f64, f64, f64, f64)> = frames
        .iter()
        .map(|f| (f.article, f.x, f.y, f.width, f.height))
        .chain(pictures.iter().enumerate().map(|(i, p)| (usize::MAX - i, p.x, p.y, p.width, p.height)))
        .collect();
    let mut rules = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.0 == b.0 {
                continue;
            }
            let (left, right) = if a.1 < b.1 { (a, b) } else { (b, a) };
            let (top, bottom) = if a.2 < b.2 { (a, b) } else { (b, a) };
            let (y1, y2) = (a.2.max(b.2), (a.2 + a.4).min(b.2 + b.4));
            let (x1, x2) = (a.1.max(b.1), (a.1 + a.3).min(b.1 + b.3));
            if close(left.1 + left.3 + gutter, right.1) && y2 > y1 {
                let x = left.1 + left.3 + gutter / 2.0;
                rules.push(Rule { x1: x, y1, x2: x, y2: y2 - leading });
            } else if close(top.2 + top.4, bottom.2) && x2 > x1 {
                let y = bottom.2 - leading / 2.0;
                rules.push(Rule { x1, y1: y, x2, y2: y });
            }
        }
    }
    rules
}

/// Grid rectangles [column start, column end, line start, line end), ends exclusive.
fn overlaps(a: &[u32; 4], b: &[u32; 4]) -> bool {
    a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(article: usize, column: u32, span: u32, line: u32, lines: u32, layout: &Layout) -> PlannedFrame {
        PlannedFrame {
            article,
            x: layout.column_x(column),
            y: f64::from(line - 1) * layout.geometry.grid.line_pitch_pt,
            width: layout.span_width(span),
            height: f64::from(lines) * layout.geometry.grid.line_pitch_pt,
            columns: span,
            lines,
            grid_at: (line, column),
            part: 0,
            jump_from: None,
            jump_to: None,
            headline_width: layout.span_width(span),
            boxed: false,
            picture: None,
            text_width: layout.span_width(span),
            vertical: false,
        }
    }

    #[test]
    fn rules_separate_neighbouring_articles_only() {
        let layout = Layout::load("tabloid", std::path::Path::new(".")).unwrap();
        let pitch = layout.geometry.grid.line_pitch_pt;
        // A: columns 1–3, lines 1–40; B beside it in columns 4–5, lines 11–30; C under A.
        let frames = [
            frame(0, 1, 3, 1, 40, &layout),
            frame(1, 4, 2, 11, 20, &layout),
            frame(2, 1, 3, 41, 20, &layout),
            frame(0, 4, 2, 31, 10, &layout),
        ];
        let rules = rules(&frames, &[], &layout);
        assert_eq!(rules.len(), 3, "{rules:?}");
        let vertical = &rules[0];
        assert_eq!(vertical.x1, layout.column_x(4) - layout.body_size() / 2.0);
        assert_eq!((vertical.y1, vertical.x1 == vertical.x2), (10.0 * pitch, true));
        // Between A and C, across A's width; none between A and its own frame under B.
        assert!(rules.iter().any(|r| r.y1 == r.y2 && r.x2 - r.x1 == layout.span_width(3)));
    }
}
