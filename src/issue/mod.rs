//! The issue file: one edition's paper, date, pages, frames and articles, as production staff write it.
//!
//! The types mirror the file format one to one (kebab-case keys, unknown keys rejected), so the
//! format's contract lives in one place; `load` reads TOML or JSON into them with exact error places.

mod bodies;
mod date;
mod load;
mod strings;

pub use date::Date;

/// The JSON Schema of the issue format, generated from these types, so editors can complete
/// and check issue files as they are written.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Issue)).expect("a schema serialises")
}
pub use load::{IssueFile, KeyPath, Segment};
pub(crate) use load::{from_toml, inside, toml_location};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One issue of a newspaper.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Issue {
    /// A built-in layout name, or a path to a layout file relative to the issue file.
    #[serde(default = "default_layout")]
    pub layout: String,
    /// How article bodies are read, unless an article says otherwise.
    #[serde(default)]
    pub body_format: BodyFormat,
    pub paper: Paper,
    pub issue: IssueInfo,
    pub pages: Vec<Page>,
    pub articles: Vec<Article>,
}

fn default_layout() -> String {
    "broadsheet".into()
}

/// The newspaper itself (报头 data).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Paper {
    pub name: String,
    /// 主办.
    pub publisher: Option<String>,
    /// 国内统一连续出版物号, e.g. `CN 14-0000/F`.
    pub cn: Option<String>,
    /// 邮发代号, e.g. `21-000`.
    pub postal_code: Option<String>,
    /// The paper's website, shown in the masthead.
    pub website: Option<String>,
    /// A logo picture (PNG, JPEG or SVG) shown instead of the name set in display type.
    pub logo: Option<String>,
    /// 报尾 (imprint on the last page): address, phone, postcode, printer, price and
    /// advertising licence, each shown when given.
    pub address: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub printer: Option<String>,
    pub price: Option<String>,
    pub ad_licence: Option<String>,
}

/// Which issue this is.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct IssueInfo {
    /// 第N期: this year's number.
    pub number: u32,
    /// 总第N期: the cumulative number.
    pub total: Option<u32>,
    pub date: Date,
    /// Shows a 要目 box beside the masthead (报眼): each later page's lead article and page.
    #[serde(default)]
    pub contents: bool,
}

/// One printed page (版).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Page {
    pub number: u32,
    /// 版名, e.g. 要闻.
    pub section: Option<String>,
    /// 责任编辑.
    pub editor: Option<String>,
    /// 美编.
    pub designer: Option<String>,
    /// 校对.
    pub proofreader: Option<String>,
    #[serde(default)]
    pub frames: Vec<Frame>,
    /// Picture frames on the grid.
    #[serde(default)]
    pub pictures: Vec<PictureFrame>,
    /// Articles to compose on this page (自动组版), in priority order: the first leads. The
    /// composer gives each a rectangle in what the page's fixed frames leave.
    #[serde(default)]
    pub articles: Vec<String>,
}

/// A picture on the page grid, with its caption (图片说明) and credit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PictureFrame {
    /// PNG, JPEG or SVG, relative to the issue file and inside its folder.
    pub image: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub column: u32,
    pub span: u32,
    /// First grid line, or `"below"`: under the frames above it in its columns.
    #[schemars(schema_with = "line_schema")]
    pub line: FrameLine,
    /// Height in grid lines, caption included, or `"rest"`: down to the page's foot or the
    /// first frame or picture below it, so the picture takes up what the text leaves.
    #[schemars(schema_with = "lines_schema")]
    pub lines: FrameLines,
    /// How the picture fills its box: cropped to fill (the default) or shown whole.
    #[serde(default)]
    pub fit: Fit,
}

/// A picture at the top of an article's first part, across its frame (压题照片).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ArticlePicture {
    /// PNG, JPEG or SVG, relative to the issue file and inside its folder.
    pub image: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Height in grid lines, caption included.
    pub lines: u32,
    /// The least and most grid lines the composer may give the picture; `lines` by default.
    pub min_lines: Option<u32>,
    pub max_lines: Option<u32>,
    /// How the picture fills its box: cropped to fill (the default) or shown whole.
    #[serde(default)]
    pub fit: Fit,
}

/// How a picture fills its box above the caption.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Scaled to fill the box, centred, what overhangs cropped.
    #[default]
    Cover,
    /// Scaled to fit inside the box, whole and centred, on the layout's picture background.
    Contain,
}

impl std::fmt::Display for Fit {
    /// The name the issue file writes.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            Fit::Cover => "cover",
            Fit::Contain => "contain",
        })
    }
}

/// A rectangle of the page grid given to one article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Frame {
    pub article: String,
    /// First grid column, 1-based.
    pub column: u32,
    /// Width in grid columns.
    pub span: u32,
    /// First grid line of the type area, 1-based; or `"below"`: right under the frames above
    /// it in its columns, so the frame moves when they grow or shrink (a stack).
    #[schemars(schema_with = "line_schema")]
    pub line: FrameLine,
    /// Height in grid lines; or `"auto"` (also when left out, and only on an article's last
    /// frame): the fewest lines that hold the rest of the article, its text columns balanced.
    #[serde(default)]
    #[schemars(schema_with = "lines_schema")]
    pub lines: FrameLines,
    /// Text columns inside the frame (破栏); defaults to `span`.
    pub columns: Option<u32>,
    /// Whether the text columns of the article's last frame end within one line of each other
    /// (齐栏) when its text ends before the frame does; auto frames always balance.
    #[serde(default)]
    pub balance: bool,
    /// This frame's place in its article's chain (1-based); by default frames chain in page
    /// order, then top to bottom, then left to right.
    pub part: Option<u32>,
    /// 报眼: the frame sits beside the masthead, inside page 1's masthead lines, boxed.
    #[serde(default)]
    pub ear: bool,
    /// Grid lines of white added around the frame's head — the headline on the article's
    /// first frame, the jump head on a later one — shared above and below it (the odd line
    /// below); the text under it moves down as many lines.
    #[serde(default)]
    pub head_space: u32,
}

/// Where a frame starts down the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameLine {
    /// At this grid line, 1-based.
    At(u32),
    /// Right under the frames above it in its columns.
    Below,
}

/// How tall a frame is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FrameLines {
    /// This many grid lines.
    Fixed(u32),
    /// As many as the article's rest needs.
    #[default]
    Auto,
    /// Down to the page's foot, or to the first frame or picture below it in its columns
    /// that has a line of its own.
    Rest,
}

/// `line` in the schema: a grid line or "below".
fn line_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [{ "type": "integer", "minimum": 1 }, { "const": "below" }] })
}

/// `lines` in the schema: a number of grid lines or "auto".
fn lines_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [{ "type": "integer", "minimum": 1 }, { "enum": ["auto", "rest"] }] })
}

impl<'de> Deserialize<'de> for FrameLine {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match number_or_word(deserializer, &["below"], "a grid line (1, 2, …) or \"below\"")? {
            Ok(line) => FrameLine::At(line),
            Err(_) => FrameLine::Below,
        })
    }
}

impl<'de> Deserialize<'de> for FrameLines {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let what = "a number of grid lines, \"auto\" or \"rest\"";
        Ok(match number_or_word(deserializer, &["auto", "rest"], what)? {
            Ok(lines) => FrameLines::Fixed(lines),
            Err("rest") => FrameLines::Rest,
            Err(_) => FrameLines::Auto,
        })
    }
}

/// A whole number, or one of `words` (as `Err(word)`); anything else is an error saying it
/// expected `what`.
fn number_or_word<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    words: &'static [&'static str],
    what: &'static str,
) -> Result<Result<u32, &'static str>, D::Error> {
    struct Visitor {
        words: &'static [&'static str],
        what: &'static str,
    }
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Result<u32, &'static str>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(self.what)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            u32::try_from(v).map(Ok).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u32::try_from(v).map(Ok).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            match self.words.iter().find(|w| **w == v) {
                Some(word) => Ok(Err(word)),
                None => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
            }
        }
    }
    deserializer.deserialize_any(Visitor { words, what })
}

/// Where a byline is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BylinePosition {
    /// A trailing （name） after the last paragraph, as the seed paper does.
    #[default]
    End,
    /// Under the headline.
    Top,
}

/// One article: headline complex, dateline, byline and a body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Article {
    pub id: String,
    /// 引题.
    pub kicker: Option<String>,
    /// 主题.
    pub title: String,
    /// 副题.
    pub subtitle: Option<String>,
    /// 电头, e.g. 本刊讯.
    pub dateline: Option<String>,
    /// Names separated by spaces.
    pub byline: Option<String>,
    #[serde(default)]
    pub byline_position: BylinePosition,
    /// The body text, in the article's body format.
    pub body: Option<String>,
    /// The body text in a file, relative to the issue file and inside its folder.
    pub body_file: Option<String>,
    /// How this article's body is read; the issue's `body-format` by default.
    pub body_format: Option<BodyFormat>,
    /// 编者按: an editor's note, boxed under the headline.
    pub editor_note: Option<String>,
    /// 导语: a lead under the headline, before the body.
    pub lead: Option<String>,
    /// A right-aligned signature after the body (a notice's issuer and date), a line each.
    #[serde(default)]
    pub signature: Vec<String>,
    /// Grid columns the headline spans from the frame's left edge; the whole frame by default.
    pub headline_span: Option<u32>,
    /// Draws a border (花线) around the article's frames, as for notices.
    #[serde(default)]
    pub boxed: bool,
    /// Copy-fit (自动调整): when the article runs over its last fixed frame, or stops short of
    /// it, its tracking (字距) is tightened or loosened within the layout's `[fit]` bound, and
    /// whole free lines go to the white around that frame's head.
    #[serde(default)]
    pub fit: bool,
    /// A picture under the headline, across the first frame.
    pub picture: Option<ArticlePicture>,
    /// How the headline is set: across the frame's top, or down its right side (竖题).
    #[serde(default)]
    pub headline: HeadlineKind,
    /// The article's rank on the page of its first frame (1 = the lead), which picks its title
    /// size from the layout's `title-sizes`; by default, by frame area, largest first.
    pub rank: Option<u32>,
    /// The title's 字号 (a name of the layout's `[sizes]`), instead of the one its rank gives.
    pub title_size: Option<String>,
    /// On a composed page: the page its rest may jump to (转版) when its page cannot hold it.
    pub continue_to: Option<u32>,
    /// On a composed page: the grid columns it may take, one number or `[least, most]`.
    pub span: Option<SpanRange>,
    /// 补白: a short item listed on no page, that the composer sets where a composed page's
    /// articles leave a hole; one no page needs is left out of the composed issue.
    #[serde(default)]
    pub filler: bool,
}

/// The grid columns a composed article may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SpanRange {
    Exactly(u32),
    Between([u32; 2]),
}

impl SpanRange {
    /// The least and most columns.
    pub fn bounds(self) -> (u32, u32) {
        match self {
            SpanRange::Exactly(n) => (n, n),
            SpanRange::Between([a, b]) => (a.min(b), a.max(b)),
        }
    }
}

/// How a body's text becomes paragraphs; the README lists exactly what each interprets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BodyFormat {
    /// CommonMark with CJK-friendly emphasis: paragraphs, `#` subheads, lists, `**bold**`,
    /// backslash escapes and `code` quotes; other constructs print as written.
    #[default]
    Markdown,
    /// Paragraphs separated by blank lines; nothing else is interpreted.
    Text,
}

/// The direction of a headline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HeadlineKind {
    #[default]
    Horizontal,
    /// 竖题: kicker, title and subtitle as columns of stacked characters, right to left, down
    /// the frame's right side; the body beside them.
    Vertical,
}
