//! Layouts: a page size and grid, type styles by role, and the Typst template that draws them.
//!
//! A layout is a TOML file (page, grid, fonts, 字号 table, styles) naming a Typst template. The
//! built-in `broadsheet` and `tabloid` layouts and their shared template are compiled into the
//! binary; a user layout is a path to a TOML file, copied from a built-in one and edited.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use typst::text::FontBook;

use crate::error::{Diagnostic, Error, Location, Result};
use crate::issue::{KeyPath, inside, toml_location};

/// The template every built-in layout uses.
const NEWSPAPER_TEMPLATE: &str = include_str!("../layouts/newspaper.typ");

/// The layouts that ship with banmian: (name, layout TOML).
pub const BUILT_IN: [(&str, &str); 2] = [
    ("broadsheet", include_str!("../layouts/broadsheet.toml")),
    ("tabloid", include_str!("../layouts/tabloid.toml")),
];

/// Points in a millimetre.
pub(crate) const MM: f64 = 72.0 / 25.4;

/// Tolerance for comparing positions on the page (glyphs with frame edges, rectangles with
/// each other), in pt: far below anything a reader sees, far above float noise.
pub const EPSILON: f64 = 0.01;

/// A loaded layout: its spec and template text, and where they came from for messages.
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec: Spec,
    pub template: String,
    /// The layout file (`<built-in>/NAME.toml` for built-ins).
    pub path: PathBuf,
    /// The template file, for compile errors.
    pub template_path: PathBuf,
    /// The body's 字号 in pt, looked up once: every glyph check asks for it.
    body_pt: f64,
}

/// What a build's PDF is for, which changes how the template draws pages: settled once per
/// build from the print settings and handed to the template beside the layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Output {
    /// Bleed (出血) beyond the trimmed page in pt; when set, the page also carries crop marks.
    pub bleed_pt: Option<f64>,
    /// An archival PDF/A: typst-pdf 0.15.1 cannot write CMYK there, so black becomes gray and
    /// other colours RGB.
    pub archive: bool,
}

/// Everything a layout says, as written in its TOML file: page, grid, fonts, sizes, styles,
/// colours and print marks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Spec {
    pub name: String,
    /// The Typst template, relative to the layout file; the built-in template when absent.
    #[serde(default, skip_serializing)]
    pub template: Option<String>,
    pub page: PageSize,
    pub grid: Grid,
    pub article: ArticleStyle,
    pub continuation: Continuation,
    /// Font families by face; the first one present wins, so a production machine's 方正 fonts
    /// are used where installed and the open fonts shipped with banmian elsewhere.
    pub fonts: BTreeMap<String, Vec<String>>,
    /// 字号 → points.
    pub sizes: BTreeMap<String, f64>,
    /// Type styles by role (body, title, kicker, ...).
    pub styles: BTreeMap<String, Style>,
    /// Process colours by name, as CMYK percentages; `ink` sets all text and rules that name
    /// no other colour, and must be black only.
    pub colors: BTreeMap<String, [f64; 4]>,
    /// Marks for the printer, drawn outside the bleed when a build asks for bleed.
    pub print: PrintMarks,
    pub pictures: Pictures,
    /// How far copy-fit may go.
    #[serde(default)]
    pub fit: FitBounds,
}

/// How pictures print: the background a whole (`fit = "contain"`) picture sits on, and the
/// resolution below which a picture prints visibly soft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pictures {
    /// A colour from `[colors]`, filling the box around a picture shown whole.
    pub background: String,
    /// Pixels per inch a picture needs at its printed size; fewer is a warning.
    pub min_dpi: f64,
}

/// How far copy-fit (自动调整) may change an article, in steps: the same tracking for the whole
/// article, so its colour stays even, never the leading (lines stay on the grid).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FitBounds {
    /// The most tracking added or taken per character, in em.
    pub tracking_em: f64,
    /// How many steps copy-fit tries on the way to that bound.
    pub steps: u32,
    /// The most grid lines of white copy-fit and the composer add around a frame's head (its
    /// `head-space`), to fill whole lines the text leaves free.
    #[serde(default = "two")]
    pub head_space_lines: u32,
    /// The most grid lines copy-fit takes from or gives to an article's 压题照片, within the
    /// picture's own `min-lines`/`max-lines`: the text's lines break as before, only the
    /// picture's box (cropped or shown whole as it asks) is shorter or taller.
    #[serde(default = "three")]
    pub picture_lines: u32,
    /// Whether copy-fit may set a title one 字号 smaller, for text still over at every other
    /// means' bound (its head may then take fewer lines).
    #[serde(default = "yes")]
    pub title_step: bool,
    /// Whether composed articles are copy-fitted, so the composer may give an article a
    /// rectangle its text fills only when tracked.
    #[serde(default = "yes")]
    pub compose: bool,
}

impl Default for FitBounds {
    fn default() -> Self {
        FitBounds {
            tracking_em: 0.03,
            steps: 3,
            head_space_lines: two(),
            picture_lines: three(),
            title_step: true,
            compose: true,
        }
    }
}

fn three() -> u32 {
    3
}

fn yes() -> bool {
    true
}

/// Crop marks (裁切线): where they start outside the trimmed page, how long and how heavy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PrintMarks {
    /// From the trim edge to a mark's start; a bleed larger than this pushes the marks out.
    pub mark_offset_mm: f64,
    pub mark_length_mm: f64,
    pub mark_pt: f64,
    /// The marks' colour, from `[colors]`: registration colour prints on every plate.
    pub mark_color: String,
}

impl PrintMarks {
    /// How far the media extends beyond the trimmed page for a bleed of `bleed_pt`: the marks
    /// start past the bleed and end at the media's edge.
    pub fn slug_pt(&self, bleed_pt: f64) -> f64 {
        (self.mark_offset_mm * MM).max(bleed_pt) + self.mark_length_mm * MM
    }
}

/// The trimmed page and where the type area (版心) sits on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PageSize {
    pub width_mm: f64,
    pub height_mm: f64,
    /// From the page's top edge to the type area; inner pages set their running head in it.
    pub margin_top_mm: f64,
    /// From page 1's top edge to its masthead: page 1 has no running head, so its masthead
    /// takes that part of the margin too.
    pub masthead_top_mm: f64,
}

/// The page grid: columns of body characters and lines of the body's line pitch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Grid {
    pub columns: u32,
    /// Body characters per column.
    pub column_chars: u32,
    /// Body characters between columns (栏空).
    pub gutter_chars: u32,
    /// Lines per column.
    pub lines: u32,
    /// Baseline-to-baseline distance of body text.
    pub line_pitch_pt: f64,
    /// Top grid lines of page 1 kept for the masthead (报头).
    pub masthead_lines: u32,
    /// The fewest lines of an uncovered grid rectangle, one column wide or more, that the
    /// build reports as a hole (开天窗).
    #[serde(default = "two")]
    pub hole_lines: u32,
    /// The share of a composed page, in per cent, its frames should fill: where they leave
    /// more empty, the composer sets a filler (补白) if one makes the page fuller.
    #[serde(default = "ninety_eight")]
    pub fill_percent: f64,
    /// How much of a line's 1-em box lies above its baseline; the rest lies below. Fixed edges
    /// keep every line box the same height, so lines sit on the grid.
    pub ascent_em: f64,
    /// Where the width left over goes when a frame is divided into text columns (破栏).
    pub broken_remainder: Remainder,
}

/// Where the width left over goes when a frame's width is divided into a number of text
/// columns that is not its grid span (破栏, e.g. four grid columns re-divided into three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Remainder {
    /// Every text column is a whole number of characters, as a 方正飞腾 user sets 破栏: the
    /// gutters share what is left, each widened by the same amount (a half or a whole
    /// character for two or three columns), so characters line up down every column.
    Gutters,
    /// The columns share it: the grid's gutters stay, columns may be a fraction of a character
    /// wide and lines are squeezed or stretched to fill them.
    Columns,
}

/// How article parts sit in their frames.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ArticleStyle {
    /// Blank grid lines between a headline and its body.
    pub headline_gap_lines: u32,
    /// How much smaller (a fraction) a title may be set to stay on one line, or on at most
    /// `title_max_lines`.
    pub title_shrink: f64,
    /// The most lines a title is set on; a title that needs more is a warning.
    #[serde(default = "two")]
    pub title_max_lines: u32,
    /// Title 字号 by the article's rank on its page, the lead's first; the last serves every
    /// later rank. Empty: every title in the title style's size.
    #[serde(default)]
    pub title_sizes: Vec<String>,
    /// White above a frame's first ink — a headline or jump head, a 竖题 frame's text (rounded
    /// up to whole lines), a page's picture — in grid lines: the 栏线 above lies in it.
    pub headline_above_lines: f64,
    /// Width of the 栏线 between neighbouring articles, in pt.
    pub rule_pt: f64,
    /// The least white between a 栏线 and the text beside it, in pt; the page check counts
    /// rules closer than this.
    pub rule_clearance_pt: f64,
    /// Opens each list item.
    pub list_marker: String,
    /// How strongly line breaking avoids a paragraph ending in a line of one character (孤字),
    /// in percent of Typst's default cost.
    pub runt_cost: f64,
    /// Tracking a justified line may lose per character, in em, so a line squeezes before a
    /// character is pushed to the next (先挤进，后推出).
    pub squeeze_em: f64,
    /// Tracking a justified line may gain per character, in em, at the line breaker's ordinary
    /// cost: beyond it every added hundredth costs steeply, so the breaker spreads stretch
    /// over a paragraph's lines instead of leaving one loose, or squeezing lines to spare it.
    pub stretch_em: f64,
    /// Space a justified line may add between two characters, in em: the line check counts
    /// the lines the breaker could not keep within it.
    pub max_stretch_em: f64,
    /// The space between Chinese characters and digits (Latin letters always get a quarter em).
    pub cjk_digit_spacing: DigitSpacing,
    /// The tallest text column (腿) a composed article may have, in grid lines: a longer leg
    /// is hard to read, so the composer gives the article more columns instead. No bound when
    /// absent.
    #[serde(default)]
    pub max_leg_lines: Option<u32>,
}

/// How digits beside Chinese characters are set: house styles differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigitSpacing {
    /// Set close, as many Chinese newspapers set them: 200辆.
    None,
    /// A quarter em, as between Chinese and Latin letters (clreq): 200 辆.
    Quarter,
}

impl DigitSpacing {
    /// The space, in em, between a Chinese character and a digit.
    pub fn em(self) -> f64 {
        match self {
            DigitSpacing::None => 0.0,
            DigitSpacing::Quarter => 0.25,
        }
    }
}

/// How continued articles are worded and split.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Continuation {
    /// Ends a part that continues; `{page}` is replaced by the page's name.
    pub jump_to: String,
    /// Opens a continued part under its jump head.
    pub jump_from: String,
    /// How a page is named; `{n}` is its number.
    pub page: String,
    pub numerals: Numerals,
    /// Whether a continued part may not start with the last line of a paragraph alone.
    pub avoid_lone_lines: bool,
    /// Free lines after an article's end above which the build warns.
    pub underset_warning_lines: u32,
}

/// Numerals for page numbers in jump lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Numerals {
    Chinese,
    Arabic,
}

impl Continuation {
    /// The page's name, e.g. 第二版 or 第2版.
    pub fn page_name(&self, number: u32) -> String {
        use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
        let n = match self.numerals {
            Numerals::Arabic => number.to_string(),
            Numerals::Chinese => number
                .to_chinese(ChineseVariant::Simple, ChineseCase::Lower, ChineseCountMethod::TenThousand)
                .unwrap_or_else(|_| number.to_string()),
        };
        self.page.replace("{n}", &n)
    }

    /// The line ending a part that continues on page `to`.
    pub fn jump_to_line(&self, to: u32) -> String {
        self.jump_to.replace("{page}", &self.page_name(to))
    }

    /// The line opening a part continued from page `from`.
    pub fn jump_from_line(&self, from: u32) -> String {
        self.jump_from.replace("{page}", &self.page_name(from))
    }
}

/// A type style: a face from `fonts`, a 字号 from `sizes`, and a weight.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Style {
    pub face: String,
    pub size: String,
    #[serde(default = "regular")]
    pub weight: u16,
    /// A colour from `[colors]`; `ink` when absent.
    #[serde(default = "ink")]
    pub color: String,
}

fn ink() -> String {
    INK.into()
}

/// The colour of all text and rules that name no other.
pub const INK: &str = "ink";

fn ninety_eight() -> f64 {
    98.0
}

fn two() -> u32 {
    2
}

fn regular() -> u16 {
    400
}

/// The styles the template uses; a layout must define each.
pub const ROLES: [&str; 14] = [
    "body",
    "kicker",
    "title",
    "subtitle",
    "dateline",
    "byline",
    "subhead",
    "running-head",
    "masthead",
    "jump-title",
    "jump-line",
    "editor-note",
    "lead",
    "caption",
];

impl Layout {
    /// Loads a built-in layout by name, or a layout file at a path relative to `base`. The file
    /// and its template must lie inside `base` (the issue's folder), symbolic links followed.
    pub fn load(name_or_path: &str, base: &Path) -> Result<Layout> {
        if let Some((name, text)) = BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            let path = PathBuf::from(format!("<built-in>/{name}.toml"));
            let spec = parse(&path, text)?;
            let template_path = PathBuf::from("<built-in>/newspaper.typ");
            return Layout::new(spec, NEWSPAPER_TEMPLATE.into(), path, template_path, text);
        }
        let path = base.join(name_or_path);
        if !path.is_file() {
            let names: Vec<_> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            return Err(Diagnostic::new(format!(
                "layout `{name_or_path}` is neither a built-in layout ({}) nor a layout file",
                names.join(", ")
            ))
            .into());
        }
        inside(&path, base).map_err(Diagnostic::new)?;
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let spec = parse(&path, &text)?;
        let (template, template_path) = match &spec.template {
            Some(rel) => {
                let template_path = path.parent().unwrap_or(Path::new("")).join(rel);
                inside(&template_path, base).map_err(|why| {
                    let key = KeyPath::default().key("template");
                    Diagnostic::new(why).at(toml_location(&path, &text, &key)).key("template")
                })?;
                let template =
                    std::fs::read_to_string(&template_path).map_err(|e| Error::io(&template_path, e))?;
                (template, template_path)
            }
            None => (NEWSPAPER_TEMPLATE.into(), PathBuf::from("<built-in>/newspaper.typ")),
        };
        Layout::new(spec, template, path, template_path, &text)
    }

    /// A layout from its spec and template; `text` is the layout file's, to place problems.
    fn new(
        spec: Spec,
        template: String,
        path: PathBuf,
        template_path: PathBuf,
        text: &str,
    ) -> Result<Layout> {
        let body_pt =
            spec.styles.get("body").and_then(|s| spec.sizes.get(&s.size)).copied().unwrap_or_default();
        let layout = Layout { spec, template, path, template_path, body_pt };
        layout.check(text)?;
        Ok(layout)
    }

    /// Rejects a spec that cannot make a page: a type area larger than the page, a style
    /// naming an unknown face or 字号, a line pitch smaller than the body size. A problem with
    /// a key of its own is placed at that key in `text`, the others at the file's start.
    fn check(&self, text: &str) -> Result<()> {
        let g = &self.spec;
        let mut problems = Vec::new();
        for role in ROLES {
            match g.styles.get(role) {
                None => problems.push(format!("styles.{role} is missing")),
                Some(style) => {
                    if !g.fonts.contains_key(&style.face) {
                        problems.push(format!(
                            "styles.{role}.face names `{}`, which is not in [fonts]",
                            style.face
                        ));
                    }
                    if !g.sizes.contains_key(&style.size) {
                        problems.push(format!(
                            "styles.{role}.size names `{}`, which is not in [sizes]",
                            style.size
                        ));
                    }
                    if !g.colors.contains_key(&style.color) {
                        problems.push(format!(
                            "styles.{role}.color names `{}`, which is not in [colors]",
                            style.color
                        ));
                    }
                }
            }
        }
        for size in g.article.title_sizes.iter().filter(|size| !g.sizes.contains_key(*size)) {
            problems.push(format!("article.title-sizes names `{size}`, which is not in [sizes]"));
        }
        if g.article.title_max_lines == 0 {
            problems.push("article.title-max-lines must be at least 1".into());
        }
        let article = &g.article;
        if !(0.0 <= article.squeeze_em && (0.0..=article.max_stretch_em).contains(&article.stretch_em)) {
            problems.push(
                "article.squeeze-em must be at least 0, and article.stretch-em between 0 and \
                 article.max-stretch-em"
                    .into(),
            );
        }
        problems.extend(self.check_colors());
        let grid = &g.grid;
        if grid.columns == 0 || grid.column_chars == 0 || grid.lines == 0 {
            problems.push("grid.columns, grid.column-chars and grid.lines must be at least 1".into());
        }
        if !(grid.ascent_em > 0.0 && grid.ascent_em < 1.0) {
            problems.push("grid.ascent-em must lie between 0 and 1".into());
        }
        if !(0.0..=g.page.margin_top_mm).contains(&g.page.masthead_top_mm) {
            problems.push("page.masthead-top-mm must lie between 0 and page.margin-top-mm".into());
        }
        if grid.masthead_lines >= grid.lines {
            problems.push("grid.masthead-lines must leave lines for articles on page 1".into());
        }
        if problems.is_empty() {
            if grid.line_pitch_pt < self.body_size() {
                problems.push("grid.line-pitch-pt is smaller than the body size".into());
            }
            let (w, h) = (self.type_width(), self.type_height());
            if w > g.page.width_mm * MM || g.page.margin_top_mm * MM + h > g.page.height_mm * MM {
                problems.push(format!(
                    "the type area ({:.1} × {:.1} mm) does not fit the page ({} × {} mm)",
                    w / MM,
                    h / MM,
                    g.page.width_mm,
                    g.page.height_mm
                ));
            }
        }
        let at = Location { file: self.path.clone(), line: 1, column: 1 };
        let mut diagnostics: Vec<_> =
            problems.into_iter().map(|p| Diagnostic::new(p).at(Some(at.clone()))).collect();
        for (key, problem) in self.check_pictures() {
            let place = toml_location(&self.path, text, &key).unwrap_or_else(|| at.clone());
            diagnostics.push(Diagnostic::new(problem).at(Some(place)).key(key.to_string()));
        }
        if diagnostics.is_empty() { Ok(()) } else { Err(Error::Invalid(diagnostics)) }
    }

    /// The picture background names a colour and the resolution is a positive number.
    fn check_pictures(&self) -> Vec<(KeyPath, String)> {
        let pictures = &self.spec.pictures;
        let key = |name: &str| KeyPath::default().key("pictures").key(name);
        let mut problems = Vec::new();
        if !self.spec.colors.contains_key(&pictures.background) {
            let message = format!("`{}` is not a colour of [colors]", pictures.background);
            problems.push((key("background"), message));
        }
        if !(pictures.min_dpi.is_finite() && pictures.min_dpi > 0.0) {
            problems.push((key("min-dpi"), "a resolution is a number of pixels per inch above 0".into()));
        }
        problems
    }

    /// Colours are CMYK percentages, body text and `ink` print on the black plate only, and the
    /// crop marks name a colour.
    fn check_colors(&self) -> Vec<String> {
        let g = &self.spec;
        let mut problems = Vec::new();
        for (name, cmyk) in &g.colors {
            if cmyk.iter().any(|v| !(0.0..=100.0).contains(v)) {
                problems.push(format!("colors.{name}: each of C, M, Y, K is a percentage from 0 to 100"));
            }
        }
        let black_only = |name: &str| g.colors.get(name).is_none_or(|c| c[..3] == [0.0; 3]);
        match g.colors.get(INK) {
            None => problems.push("colors.ink is missing".into()),
            Some(_) if !black_only(INK) => {
                problems.push("colors.ink must be black only: C, M and Y at 0".into())
            }
            Some(_) => {}
        }
        if let Some(body) = g.styles.get("body").filter(|s| s.color != INK && !black_only(&s.color)) {
            problems.push(format!("styles.body.color `{}` must be black only: C, M and Y at 0", body.color));
        }
        if !g.colors.contains_key(&g.print.mark_color) {
            problems
                .push(format!("print.mark-color names `{}`, which is not in [colors]", g.print.mark_color));
        }
        problems
    }

    /// Narrows each face's families to those the font book has, in the layout's order, so Typst
    /// uses the first one present and never warns about the absent ones. A face with none of its
    /// families available is an error naming them.
    pub fn resolve_fonts(&mut self, book: &FontBook) -> Result<()> {
        let mut problems = Vec::new();
        for (face, families) in &mut self.spec.fonts {
            let wanted = std::mem::take(families);
            families.extend(wanted.iter().filter(|f| book.contains_family(&f.to_lowercase())).cloned());
            if families.is_empty() {
                problems.push(
                    Diagnostic::new(format!("fonts.{face}: none of {} is available", wanted.join(", ")))
                        .at(Some(Location { file: self.path.clone(), line: 1, column: 1 })),
                );
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(Error::Invalid(problems)) }
    }

    /// The 字号 `name` in pt, if the layout has it.
    pub fn size_pt(&self, name: &str) -> Option<f64> {
        self.spec.sizes.get(name).copied()
    }

    /// The title size of an article of rank `rank` (1 = the page's lead), in pt.
    pub fn title_size(&self, rank: u32) -> f64 {
        let sizes = &self.spec.article.title_sizes;
        let by_rank = sizes.get(rank.saturating_sub(1) as usize).or(sizes.last());
        let name = by_rank.unwrap_or(&self.spec.styles["title"].size);
        self.size_pt(name).unwrap_or_default()
    }

    /// The layout's next 字号 below `pt`, or `pt` when there is none.
    pub fn smaller_size(&self, pt: f64) -> f64 {
        let below = self.spec.sizes.values().copied().filter(|&size| size < pt - EPSILON);
        let next = below.fold(f64::NEG_INFINITY, f64::max);
        if next.is_finite() { next } else { pt }
    }

    /// Size of one body character in points: the grid's unit of width.
    pub fn body_size(&self) -> f64 {
        self.body_pt
    }

    /// Width of `span` grid columns in points, gutters between them included.
    pub fn span_width(&self, span: u32) -> f64 {
        let grid = &self.spec.grid;
        let (span, chars, gutter) =
            (f64::from(span), f64::from(grid.column_chars), f64::from(grid.gutter_chars));
        (span * chars + (span - 1.0).max(0.0) * gutter) * self.body_size()
    }

    /// The grid's gutter (栏空) between columns, in pt.
    pub fn gutter(&self) -> f64 {
        f64::from(self.spec.grid.gutter_chars) * self.body_size()
    }

    /// Horizontal distance from the type area's left edge to grid column `column` (1-based).
    pub fn column_x(&self, column: u32) -> f64 {
        let grid = &self.spec.grid;
        f64::from((column - 1) * (grid.column_chars + grid.gutter_chars)) * self.body_size()
    }

    /// The width of one text column of a frame with `columns` columns `width` wide, and the
    /// gutter between them, in pt: columns of whole characters with the remainder in the
    /// gutters, or equal shares of the width, as the grid's `broken-remainder` says.
    pub fn text_column(&self, width: f64, columns: u32) -> (f64, f64) {
        let char_pt = self.body_size();
        let gutter = f64::from(self.spec.grid.gutter_chars) * char_pt;
        let n = f64::from(columns.max(1));
        let even = (width - (n - 1.0) * gutter) / n;
        if columns <= 1 || self.spec.grid.broken_remainder == Remainder::Columns {
            return (even, gutter);
        }
        let whole = ((even + EPSILON) / char_pt).floor() * char_pt;
        (whole, (width - n * whole) / (n - 1.0))
    }

    /// Distance from the type area's top to grid line `line` (1-based).
    pub fn line_y(&self, line: u32) -> f64 {
        f64::from(line - 1) * self.spec.grid.line_pitch_pt
    }

    /// Height of `lines` grid lines.
    pub fn lines_height(&self, lines: u32) -> f64 {
        f64::from(lines) * self.spec.grid.line_pitch_pt
    }

    pub fn type_width(&self) -> f64 {
        self.span_width(self.spec.grid.columns)
    }

    pub fn type_height(&self) -> f64 {
        f64::from(self.spec.grid.lines) * self.spec.grid.line_pitch_pt
    }

    /// The type area's top-left corner on the page, in pt.
    pub fn type_origin(&self) -> (f64, f64) {
        let page = &self.spec.page;
        ((page.width_mm * MM - self.type_width()) / 2.0, page.margin_top_mm * MM)
    }

    /// The spec with the derived type-area numbers the template needs and how this build's
    /// pages are drawn, as JSON.
    pub fn to_json(&self, output: Output) -> serde_json::Value {
        let mut value = serde_json::to_value(&self.spec).expect("a spec serialises");
        value["derived"] = serde_json::json!({
            "char-pt": self.body_size(),
            "type-width-pt": self.type_width(),
            "type-height-pt": self.type_height(),
            "margin-left-pt": self.type_origin().0,
            "masthead-raise-pt": (self.spec.page.margin_top_mm - self.spec.page.masthead_top_mm) * MM,
        });
        value["output"] = serde_json::to_value(output).expect("output settings serialise");
        value["output"]["slug-pt"] = output.bleed_pt.map(|b| self.spec.print.slug_pt(b)).into();
        value
    }
}

fn parse(path: &Path, text: &str) -> Result<Spec> {
    crate::issue::from_toml(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_layouts_load_and_match_their_grids() {
        let broadsheet = Layout::load("broadsheet", Path::new(".")).unwrap();
        // 8 × 13 characters + 7 gutters = 111 characters of 9 pt ≈ 352 mm.
        assert!((broadsheet.type_width() / MM - 352.4).abs() < 0.5);
        let tabloid = Layout::load("tabloid", Path::new(".")).unwrap();
        assert!((tabloid.type_width() / MM - 235.0).abs() < 0.5);
        assert!((tabloid.span_width(2) - 29.0 * 9.0).abs() < 1e-9);
        assert_eq!(tabloid.column_x(2), 15.0 * 9.0);
    }

    #[test]
    fn broken_columns_are_whole_characters_with_the_rest_in_the_gutters() {
        let mut broadsheet = Layout::load("broadsheet", Path::new(".")).unwrap();
        // 四破三: 55 characters, three columns of 17 and two gutters of 2.
        assert_eq!(broadsheet.text_column(broadsheet.span_width(4), 3), (17.0 * 9.0, 2.0 * 9.0));
        // 三破二: 41 characters divide evenly; a grid span keeps its columns.
        assert_eq!(broadsheet.text_column(broadsheet.span_width(3), 2), (20.0 * 9.0, 9.0));
        assert_eq!(broadsheet.text_column(broadsheet.span_width(3), 3), (13.0 * 9.0, 9.0));
        // Five columns over four: columns of 10, the five characters left shared by four gutters.
        assert_eq!(broadsheet.text_column(broadsheet.span_width(4), 5), (10.0 * 9.0, 1.25 * 9.0));
        broadsheet.spec.grid.broken_remainder = Remainder::Columns;
        let (width, gutter) = broadsheet.text_column(broadsheet.span_width(4), 3);
        assert!((width - 53.0 / 3.0 * 9.0).abs() < 1e-9 && gutter == 9.0);
    }

    #[test]
    fn jump_lines_name_pages_in_the_layouts_numerals() {
        let mut c = Layout::load("tabloid", Path::new(".")).unwrap().spec.continuation;
        assert_eq!(c.jump_to_line(2), "（下转第二版）");
        assert_eq!(c.jump_from_line(1), "（上接第一版）");
        assert_eq!(c.page_name(12), "第十二版");
        assert_eq!(c.page_name(20), "第二十版");
        c.numerals = Numerals::Arabic;
        c.page = "{n}版".into();
        c.jump_to = "（转{page}）".into();
        assert_eq!(c.jump_to_line(2), "（转2版）");
    }

    #[test]
    fn colours_are_percentages_and_ink_and_body_print_on_black_only() {
        let broadsheet = Layout::load("broadsheet", Path::new(".")).unwrap();
        let problems = |edit: &dyn Fn(&mut Spec)| {
            let mut spec = broadsheet.spec.clone();
            edit(&mut spec);
            match Layout::new(spec, String::new(), PathBuf::from("x.toml"), PathBuf::new(), "") {
                Ok(_) => Vec::new(),
                Err(Error::Invalid(ds)) => ds.into_iter().map(|d| d.message).collect(),
                Err(e) => panic!("{e}"),
            }
        };
        assert!(problems(&|_| {}).is_empty());
        assert_eq!(
            problems(&|g| {
                g.colors.insert("ink".into(), [0.0, 0.0, 20.0, 100.0]);
            }),
            ["colors.ink must be black only: C, M and Y at 0"]
        );
        assert_eq!(
            problems(&|g| g.styles.get_mut("body").unwrap().color = "masthead".into()),
            ["styles.body.color `masthead` must be black only: C, M and Y at 0"]
        );
        assert_eq!(
            problems(&|g| {
                g.colors.insert("spot".into(), [0.0, 120.0, 0.0, 0.0]);
                g.print.mark_color = "none".into();
            }),
            [
                "colors.spot: each of C, M, Y, K is a percentage from 0 to 100",
                "print.mark-color names `none`, which is not in [colors]"
            ]
        );
        assert_eq!(
            problems(&|g| g.styles.get_mut("title").unwrap().color = "blue".into()),
            ["styles.title.color names `blue`, which is not in [colors]"]
        );
    }

    #[test]
    fn a_picture_background_names_a_colour_at_its_place() {
        let (name, text) = BUILT_IN[1];
        let edited = text.replace("background = \"paper\"", "background = \"cream\"");
        assert_ne!(edited, text, "the layout names its picture background");
        let spec = parse(Path::new("t.toml"), &edited).unwrap();
        let line = edited.lines().position(|l| l.starts_with("background")).unwrap() + 1;
        let Err(Error::Invalid(ds)) =
            Layout::new(spec, String::new(), format!("{name}.toml").into(), PathBuf::new(), &edited)
        else {
            panic!("a background missing from [colors] loads")
        };
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].to_string(),
            format!("tabloid.toml:{line}:1: pictures.background: `cream` is not a colour of [colors]")
        );
    }

    #[test]
    fn the_breakers_stretch_lies_within_the_checks_bound() {
        let (name, text) = BUILT_IN[0];
        for (stretch, ok) in [("0.1", true), ("0.11", false), ("-0.01", false)] {
            let edited = text.replace("stretch-em = 0.05", &format!("stretch-em = {stretch}"));
            assert_ne!(edited, text, "the layout sets the breaker's stretch");
            let spec = parse(Path::new("t.toml"), &edited).unwrap();
            let path = format!("{name}.toml").into();
            let loaded = Layout::new(spec, String::new(), path, PathBuf::new(), &edited);
            assert_eq!(loaded.is_ok(), ok, "stretch-em = {stretch}");
        }
    }
}
