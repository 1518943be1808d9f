//! Typst source generation: the plan becomes a small Typst program over JSON data files.
//!
//! Article text never enters the source: each article is a JSON file read with `json(..)`, and
//! the source only names its fields (`#a0.b.at(3).at(0)`). One distinct expression per run gives
//! every glyph a span that the [`SourceMap`] traces back to its article, field and byte offset.
//!
//! The measuring program and the final one are built alike so that Typst lays each paragraph
//! out once: paragraphs a part holds whole come from a module per article and chain slot
//! (`/articles/3-1.typ`, every block from the part's start to the article's end), so their
//! spans are the same in both programs; and both set every page up to the last one measured
//! with every frame in plan order (frames with nothing to set stay empty), so each paragraph
//! has the same place in both and Typst's memoised layout of it carries over.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::ops::Range;

use serde::Serialize;
use serde_json::json;

use super::joins::{Join, joins};
use super::phrases::{Gap, pieces};
use super::source_map::{Origin, SourceMap};
use crate::body::{BlockKind, Cut};
use crate::layout::{DigitSpacing, Layout};
use crate::plan::{At, Bounds, Context, Field, Mends, Plan, PlannedArticle, PlannedFrame, continues};

/// Virtual paths of the generated program's files.
pub const MAIN: &str = "/main.typ";
pub const TEMPLATE: &str = "/layout/template.typ";
pub const LAYOUT_DATA: &str = "/data/layout.json";
pub const PLAN_DATA: &str = "/data/plan.json";

/// Virtual path of an article's data.
pub fn article_path(index: usize) -> String {
    format!("/data/articles/{index}.json")
}

/// Virtual path of the module holding an article's whole blocks for chain slot `slot`.
fn module_path(article: usize, slot: usize) -> String {
    format!("/articles/{article}-{slot}.typ")
}

/// The generated program: its main source, article modules, data files and source map.
#[derive(Debug, Clone)]
pub struct Generated {
    pub main: String,
    pub template: String,
    /// (virtual path, source) of every article module.
    pub modules: Vec<(String, String)>,
    /// (virtual path, bytes) of every data file.
    pub data: Vec<(String, Vec<u8>)>,
    pub map: SourceMap,
}

/// The data of one article as the source reads it: short keys keep expressions short.
#[derive(Serialize)]
struct ArticleData<'a> {
    kicker: Option<&'a str>,
    title: &'a str,
    subtitle: Option<&'a str>,
    dateline: Option<&'a str>,
    byline: Option<&'a str>,
    note: Option<&'a str>,
    lead: Option<&'a str>,
    sig: Vec<&'a str>,
    /// Blocks as lists of run texts.
    b: Vec<Vec<&'a str>>,
}

/// Generates the program that sets every page of the issue, each article cut at `bounds`.
pub fn generate(ctx: &Context, bounds: &Bounds) -> Generated {
    let plan = ctx.plan;
    let mut out = Writer::header((0..plan.articles.len()).collect());
    for (p, page) in plan.pages.iter().enumerate() {
        out.line(&format!("#t.news-page(L, P, {p})["));
        for (f, frame) in page.frames.iter().enumerate() {
            let (a, slot) = (frame.article, frame.slot);
            let (start, end) = (bounds[a][slot], bounds[a][slot + 1]);
            // A later part with no text stays empty; the first always carries the headline.
            if start == end && slot > 0 {
                out.empty_frame(p, f);
                continue;
            }
            let body = Body::new(ctx, a, slot, start, end).jumping(continues(&bounds[a], slot));
            out.frame(&frame_data(p, f), &body, true);
        }
        out.line("]");
    }
    out.finish(ctx)
}

/// A measuring job: an article's text from `start` to `end`, set in the frame of chain slot `slot`.
#[derive(Debug, Clone, Copy)]
pub struct MeasureJob {
    pub article: usize,
    pub slot: usize,
    pub start: Cut,
    pub end: Cut,
    /// A probe sets the text in a frame this tall (pt) instead, so all of it lands in the
    /// frame's first text column: the lines it needs, counted for an auto or balanced frame.
    pub probe_height: Option<f64>,
    /// Whether the frame is set without its headline, picture or jump head: a probe that
    /// counts body lines only (they break alike under any head).
    pub bare: bool,
}

/// Generates a measuring program: each job sets its stretch of text in its own frame, where
/// the issue's page has it; what does not fit runs on below the frame's last column, and the
/// first glyph below the frame shows where it is full. Every page with a job is set, with all
/// its frames in plan order and only the jobs' frames filled, so the paragraphs have the
/// places they will have on the final pages; a page without one is left out (the composer's
/// probe issues are mostly such pages).
pub fn generate_measure(ctx: &Context, jobs: &[MeasureJob]) -> Generated {
    let plan = ctx.plan;
    // Only the jobs' articles are read: a composer's probe issue holds hundreds of copies.
    let articles: BTreeSet<usize> = jobs.iter().map(|job| job.article).collect();
    let mut out = Writer::header(articles.into_iter().collect());
    // The template leaves out what stands outside the frames (an older one ignores the key).
    out.line("#let L = (..L, measuring: true)");
    let page_of = |job: &MeasureJob| plan.articles[job.article].frames[job.slot];
    let pages: BTreeSet<usize> = jobs.iter().map(|job| page_of(job).0).collect();
    for &p in &pages {
        let page = &plan.pages[p];
        out.line(&format!("#t.news-page(L, P, {p})["));
        for f in 0..page.frames.len() {
            match jobs.iter().find(|job| page_of(job) == (p, f)) {
                Some(job) => out.measure_frame(job, &frame_data(p, f), &measured_body(ctx, job)),
                None => out.empty_frame(p, f),
            }
        }
        out.line("]");
    }
    // The plan's data holds only the pages set (the others are `none`): the template hashes
    // it at every page it sets.
    out.pages = Some(pages);
    out.finish(ctx)
}

/// The plan's data of frame `f` on page `p`, as the generated source reads it.
fn frame_data(p: usize, f: usize) -> String {
    format!("P.pages.at({p}).frames.at({f})")
}

/// What a measuring job sets: its stretch, in its frame's columns one after the other.
fn measured_body<'a>(ctx: &Context<'a>, job: &MeasureJob) -> Body<'a> {
    Body::new(ctx, job.article, job.slot, job.start, job.end).without_balance()
}

/// A fingerprint of what every measuring job of a build depends on besides its own frame and
/// article: the template and the layout (a frame's picture is named by its content).
pub fn measure_context(ctx: &Context) -> u128 {
    typst::utils::hash128(&(&ctx.layout.template, ctx.layout.to_json(ctx.output).to_string()))
}

/// A fingerprint of everything a measuring job's outcome depends on: the build's `context`, the
/// frame, the article's data and the source that sets the stretch, written as if the job were
/// alone (the source's names hold no index of the plan). Equal fingerprints measure equally,
/// so an engine keeps outcomes between builds, also when articles move in the issue.
pub fn measure_fingerprint(ctx: &Context, context: u128, job: &MeasureJob) -> u128 {
    let mut out = Writer::default();
    out.measure_frame(job, "F", &Body { name: 0, ..measured_body(ctx, job) });
    let frame = serde_json::to_string(ctx.plan.frame(job.article, job.slot)).expect("a frame serialises");
    let article = article_data(&ctx.plan.articles[job.article]);
    typst::utils::hash128(&(context, frame, article, out.text, out.modules))
}

/// 要目: for each page after the first, its lead article — the one whose opening frame there is
/// largest — as (title, page name).
fn contents(plan: &Plan) -> Vec<serde_json::Value> {
    plan.pages
        .iter()
        .skip(1)
        .filter_map(|page| {
            let lead = page
                .frames
                .iter()
                .filter(|f| f.slot == 0)
                .max_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)))?;
            Some(json!({ "title": plan.articles[lead.article].article.title, "page": page.name }))
        })
        .collect()
}

/// How many Latin letters or digits surely fit one text column of `frame`.
pub fn longest_unbroken(layout: &Layout, frame: &PlannedFrame) -> usize {
    (frame.column_width / layout.body_size() / LATIN_EM).floor() as usize
}

fn to_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("plain data serialises")
}

/// Full-width marks whose right half is blank (GB style), which a mark after them shares.
const BLANK_RIGHT: &str = "，。．、：；？！”’》）』」】〗〕〉］｝";

/// The offsets of the places of `set` in run `r` of block `b` of the body's article, in order.
fn in_run(set: &BTreeSet<At>, body: &Body, (b, r): (usize, usize)) -> impl Iterator<Item = usize> {
    set.range((body.index, b, r, 0)..=(body.index, b, r, usize::MAX)).map(|at| at.3)
}

/// `joins` (in order of offset) of run `r` of block `b` that lie `within` the part's stretch
/// of it, with the line breaks the build mended there (ragged before kept) in place of any
/// join at the same offset; none at the part's start, which breaks already.
fn with_mends(
    joins: impl Iterator<Item = (usize, Join)>,
    body: &Body,
    run: (usize, usize),
    within: Range<usize>,
) -> impl Iterator<Item = (usize, Join)> {
    let mut mended: BTreeMap<usize, Join> =
        in_run(&body.mends.kept, body, run).map(|at| (at, Join::Kept)).collect();
    mended.extend(in_run(&body.mends.ragged, body, run).map(|at| (at, Join::Ragged)));
    let mut all: Vec<(usize, Join)> = joins.filter(|(at, _)| !mended.contains_key(at)).collect();
    all.extend(mended);
    let part_start = |at: usize| Cut { block: run.0, run: run.1, offset: at } == body.start;
    all.retain(|&(at, _)| within.contains(&at) && !part_start(at));
    all.sort_by_key(|&(at, _)| at);
    all.into_iter()
}

/// How a piece of a run is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceSet {
    Plain,
    /// A halved mark (see [`Mends::halved`]).
    Half,
    /// A word space before a kept break, set in no room: Typst keeps a line's trailing space
    /// before a forced break, which would run the line over its column.
    Trailing,
}

/// The pieces run `r` of block `b` is set in `within` its text: each a range set as one
/// expression, with the join before it ([`with_mends`]) and how it is set.
fn run_pieces(
    text: &str,
    joins: impl Iterator<Item = (usize, Join)>,
    body: &Body,
    run: (usize, usize),
    within: Range<usize>,
) -> Vec<(Range<usize>, Option<Join>, PieceSet)> {
    let mut bounds: Vec<(usize, Option<Join>)> = vec![(within.start, None), (within.end, None)];
    for (at, join) in with_mends(joins, body, run, within.clone()) {
        let space = within.start.max(text[..at].trim_end().len());
        if join == Join::Kept && space < at {
            bounds.push((at, None));
            bounds.push((space, Some(join)));
        } else {
            bounds.push((at, Some(join)));
        }
    }
    let halved: Vec<usize> = in_run(&body.mends.halved, body, run).filter(|at| within.contains(at)).collect();
    for &at in &halved {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        bounds.extend([(at, None), (end, None)]);
    }
    // A join and a plain boundary at one offset: the join stays.
    bounds.sort_by_key(|&(at, join)| (at, join.is_none()));
    bounds.dedup_by_key(|(at, _)| *at);
    (bounds.windows(2))
        .map(|pair| {
            let (range, join) = (pair[0].0..pair[1].0, pair[0].1);
            let set = match () {
                _ if halved.contains(&range.start) => PieceSet::Half,
                _ if join == Some(Join::Kept) && text[range.clone()].trim().is_empty() => PieceSet::Trailing,
                _ => PieceSet::Plain,
            };
            (range, join, set)
        })
        .collect()
}

/// The stretch of an article's body one frame sets, and how the frame sets it.
#[derive(Clone, Copy)]
struct Body<'a> {
    article: &'a PlannedArticle,
    /// The article's index in the plan.
    index: usize,
    /// The number the source names the article's data and module by: its index, or 0 in a
    /// fingerprint, which must not change when the article moves in the issue.
    name: usize,
    start: Cut,
    end: Cut,
    slot: usize,
    /// Longest run of Latin letters and digits that surely fits a text column of the frame.
    longest_unbroken: usize,
    /// How the layout sets digits beside Chinese.
    digits: DigitSpacing,
    /// Whether the headline runs down the frame's side (竖题).
    vertical: bool,
    /// Whether the text continues in a later frame, so the part ends with a jump line.
    jump: bool,
    /// Where the frame's later text columns start, when the part is balanced.
    column_starts: &'a [Cut],
    /// What the build changes in lines.
    mends: &'a Mends,
}

impl<'a> Body<'a> {
    /// Article `a`'s text from `start` to `end`, set in the frame of its slot `slot`.
    fn new(ctx: &Context<'a>, a: usize, slot: usize, start: Cut, end: Cut) -> Self {
        let frame = ctx.plan.frame(a, slot);
        let last = slot + 1 == ctx.plan.articles[a].frames.len();
        let column_starts = ctx.balance.get(&a).filter(|_| last).map_or(&[][..], Vec::as_slice);
        Body {
            article: &ctx.plan.articles[a],
            index: a,
            name: a,
            start,
            end,
            slot,
            longest_unbroken: longest_unbroken(ctx.layout, frame),
            digits: ctx.layout.spec.article.cjk_digit_spacing,
            vertical: frame.vertical,
            jump: false,
            column_starts,
            mends: ctx.mends,
        }
    }

    fn jumping(self, jump: bool) -> Self {
        Body { jump, ..self }
    }

    /// The part set in its frame's columns one after the other, as measuring does.
    fn without_balance(self) -> Self {
        Body { column_starts: &[], ..self }
    }

    /// Where an expression printing the whole of `field` comes from.
    fn origin(&self, field: Field) -> Origin {
        Origin { article: self.index, field, base: 0, slot: self.slot }
    }
}

/// An article's data file: its headline fields, signature and body runs, as the source reads them.
fn article_data(article: &PlannedArticle) -> Vec<u8> {
    let a = &article.article;
    to_bytes(&ArticleData {
        kicker: a.kicker.as_deref(),
        title: &a.title,
        subtitle: a.subtitle.as_deref(),
        dateline: a.dateline.as_deref(),
        byline: a.byline.as_deref(),
        note: a.editor_note.as_deref(),
        lead: a.lead.as_deref(),
        sig: a.signature.iter().map(String::as_str).collect(),
        b: article.blocks.iter().map(|b| b.runs.iter().map(|r| r.text.as_str()).collect()).collect(),
    })
}

/// Whether block `b` is a notice's salutation (称呼, e.g. 全省各开区：), set flush left: the
/// first paragraph of an article without a dateline, ending in a colon.
fn salutation(article: &PlannedArticle, b: usize) -> bool {
    let block = &article.blocks[b];
    b == 0
        && block.kind == BlockKind::Para
        && article.article.dateline.is_none()
        && block.runs.last().is_some_and(|r| r.text.trim_end().ends_with(['：', ':']))
}

/// Latin letters and digits are about this wide, in em, on average: how many of them surely
/// fit a column decides which long words get break opportunities ([`breaks`]).
const LATIN_EM: f64 = 0.6;

/// Source text under construction, recording where each article expression lands.
#[derive(Default)]
struct Writer {
    /// The virtual path of the source being written.
    path: String,
    text: String,
    map: SourceMap,
    /// The article modules the source imports, once each.
    modules: Vec<(String, String)>,
    /// The articles whose data the program reads.
    articles: Vec<usize>,
    /// The pages whose data the program reads, when not all.
    pages: Option<BTreeSet<usize>>,
}

impl Writer {
    /// The program's opening: the template, the layout, the plan and one data file per article
    /// of `articles`.
    fn header(articles: Vec<usize>) -> Writer {
        let mut out = Writer { path: MAIN.into(), ..Writer::default() };
        out.line("// Generated by banmian. Article text is read from data, never written here.");
        out.line(&format!("#import \"{TEMPLATE}\" as t"));
        out.line(&format!("#let L = json(\"{LAYOUT_DATA}\")"));
        out.line(&format!("#let P = json(\"{PLAN_DATA}\")"));
        for &i in &articles {
            out.line(&format!("#let a{i} = json(\"{}\")", article_path(i)));
        }
        out.line("#show: t.newspaper.with(L)");
        out.articles = articles;
        out
    }

    /// A frame left empty, so the frames after it keep their places.
    fn empty_frame(&mut self, p: usize, f: usize) {
        self.line(&format!("#t.frame(L, {}, empty: true)[]", frame_data(p, f)));
    }

    /// A measuring job's frame, reading the frame's data from `frame`.
    fn measure_frame(&mut self, job: &MeasureJob, frame: &str, body: &Body) {
        let frame = match job.probe_height {
            Some(height) => format!("(..{frame}, height: {height}, bare: {})", job.bare),
            None => frame.to_string(),
        };
        self.frame(&frame, body, !job.bare);
    }

    /// The finished program with its data files.
    fn finish(self, ctx: &Context) -> Generated {
        let (issue, plan) = (&ctx.file.issue, ctx.plan);
        let date = issue.issue.date;
        let plan_data = json!({
            "paper": issue.paper,
            "logo": plan.logo,
            "issue": {
                "number": issue.issue.number,
                "total": issue.issue.total,
                "date": { "year": date.year(), "month": date.month(), "day": date.day(), "weekday": date.weekday_zh() },
                "lunar": date.lunar_zh(),
                "pages": plan.pages.len(),
                "contents": issue.issue.contents.then(|| contents(plan)),
            },
            "pages": plan.pages.iter().enumerate().map(|(p, page)| match &self.pages {
                Some(set) if !set.contains(&p) => serde_json::Value::Null,
                _ => serde_json::to_value(page).expect("a page serialises"),
            }).collect::<Vec<_>>(),
        });
        let mut data = vec![
            (LAYOUT_DATA.to_string(), to_bytes(&ctx.layout.to_json(ctx.output))),
            (PLAN_DATA.to_string(), to_bytes(&plan_data)),
        ];
        data.extend(plan.images.iter().map(|image| (image.path.clone(), image.bytes.clone())));
        for &i in &self.articles {
            data.push((article_path(i), article_data(&plan.articles[i])));
        }
        Generated {
            main: self.text,
            template: ctx.layout.template.clone(),
            modules: self.modules,
            data,
            map: self.map,
        }
    }

    /// One frame, named by the expression `frame`: its headline or jump head when `head` (a
    /// bare probe has none), its body's blocks from `body.start` to `body.end`, and what
    /// closes it.
    fn frame(&mut self, frame: &str, body: &Body, head: bool) {
        self.push(&format!("#t.frame(L, {frame}"));
        if head {
            if body.slot == 0 && body.vertical {
                self.vertical_headline(body);
            }
            self.headline(body);
        }
        self.line(")[");
        self.columns(body);
        self.closing(frame, body);
        self.line("]");
    }

    /// 竖题: one content block per character, each keeping its own span and offset.
    fn vertical_headline(&mut self, body: &Body) {
        let (a, art) = (body.name, &body.article.article);
        self.push(", vertical: (");
        let columns = [
            ("kicker", art.kicker.as_deref(), Field::Kicker),
            ("title", Some(art.title.as_str()), Field::Title),
            ("subtitle", art.subtitle.as_deref(), Field::Subtitle),
        ];
        for (role, text, field) in columns {
            let Some(text) = text else { continue };
            self.push(&format!("(\"{role}\", ("));
            for (i, c) in text.char_indices() {
                self.push("[");
                let expr = format!("#a{a}.{role}.slice({i}, {})", i + c.len_utf8());
                self.expr(&expr, Origin { base: i, ..body.origin(field) });
                self.push("], ");
            }
            self.push(")), ");
        }
        self.push(")");
    }

    /// The headline fields as named arguments of the frame: kicker, title, subtitle, top
    /// byline, 编者按 and 导语 on the first frame, the jump head's title on later ones.
    fn headline(&mut self, body: &Body) {
        let (article, art) = (body.article, &body.article.article);
        let (first, horizontal) = (body.slot == 0, !body.vertical);
        // Headline lines, handed over as pieces so that they break between phrases.
        let phrased = [
            ("kicker", "kicker", Field::Kicker, first && horizontal && art.kicker.is_some()),
            ("title", "title", Field::Title, first && horizontal),
            ("subtitle", "subtitle", Field::Subtitle, first && horizontal && art.subtitle.is_some()),
            ("jump-title", "title", Field::JumpTitle, !first),
        ];
        for (name, key, field, present) in phrased {
            if present {
                self.push(&format!(", {name}: ("));
                let text = article.text(field);
                self.pieces(&format!("a{}.{key}", body.name), text, 0..text.len(), body.origin(field), false);
                self.push(")");
            }
        }
        let named = [
            ("byline", "byline", Field::Byline, first && art.byline.is_some() && !article.byline_at_end()),
            ("note", "note", Field::Note, first && art.editor_note.is_some()),
            ("lead", "lead", Field::Lead, first && art.lead.is_some()),
        ];
        for (name, key, field, present) in named {
            if present {
                self.push(&format!(", {name}: ["));
                self.expr(&format!("#a{}.{key}", body.name), body.origin(field));
                self.push("]");
            }
        }
    }

    /// The body's text columns: one stretch of blocks, or, for a balanced part, one stretch per
    /// column with a column break between (a stretch cut inside a paragraph ends justified and
    /// the next goes on without an indent, as parts do).
    fn columns(&mut self, body: &Body) {
        let inner = body.column_starts.iter().copied().filter(|&c| body.start < c && c < body.end);
        let cuts: Vec<Cut> = std::iter::once(body.start).chain(inner).chain([body.end]).collect();
        for (i, stretch) in cuts.windows(2).enumerate() {
            if i > 0 {
                self.line("#colbreak()");
            }
            self.blocks(&Body { start: stretch[0], end: stretch[1], ..*body });
        }
    }

    /// The pieces of `text[within]` ([`pieces`]) as template data, `(level, gap, [slice])`
    /// each, every slice of `var` an expression of its own that keeps its span; level 0
    /// opens the field.
    fn pieces(&mut self, var: &str, text: &str, within: Range<usize>, origin: Origin, strong: bool) {
        for piece in pieces(text) {
            let (x, y) = (piece.range.start.max(within.start), piece.range.end.min(within.end));
            if x >= y {
                continue;
            }
            let level = piece.level.filter(|_| x > within.start).map_or(0, |l| l as u8);
            let gap = if x > within.start { piece.gap } else { Gap::None };
            self.push(&format!("({level}, {}, [", gap.markup()));
            let mut expr = format!("{var}.slice({x}, {y})");
            // Bold by weight, not `strong`: a headline is measured, and a measured `strong`
            // makes Typst lay the document out twice (see the template's `lines-for`).
            if strong {
                expr = format!("text(weight: \"bold\")[#{expr}]");
            }
            self.expr(&format!("#{expr}"), Origin { base: x, ..origin });
            self.push("]), ");
        }
    }

    /// The body's blocks: those cut at the part's ends set here, sliced, and the whole ones
    /// taken from the article's module for the slot.
    fn blocks(&mut self, body: &Body) {
        let (article, a) = (body.article, body.name);
        let (start, end) = (body.start, body.end);
        let last_block = end.block.min(article.blocks.len().saturating_sub(1));
        let mut module = None;
        for b in (start.block..=last_block).filter(|_| !article.blocks.is_empty()) {
            let block = &article.blocks[b];
            if b == end.block && end.at_block_start() || block.runs.is_empty() {
                break;
            }
            if b == start.block && !start.at_block_start() || b == end.block {
                // A paragraph the part starts or ends inside: set here, sliced at the cut.
                self.block(&format!("a{a}"), b, body);
            } else {
                let name = match &module {
                    Some(name) => name,
                    None => module.insert(self.module(body)),
                };
                self.push(&format!("#{name}.b.at({b})"));
            }
            self.line("");
            self.line("");
        }
    }

    /// What closes a frame: a headline-only item's dateline and byline, the signature at the
    /// article's end, the jump line of a part that continues.
    fn closing(&mut self, frame: &str, body: &Body) {
        let (article, a) = (body.article, body.name);
        let art = &article.article;
        if article.blocks.is_empty() && body.slot == 0 {
            // A headline-only item still prints its dateline and byline, as one short line.
            if art.dateline.is_some() {
                self.push("#t.dateline(L)[");
                self.expr(&format!("#a{a}.dateline"), body.origin(Field::Dateline));
                self.push("]");
            }
            if article.byline_at_end() {
                self.byline_end(&format!("a{a}"), body);
            }
            self.line("");
        }
        if body.end == Cut::end(&article.blocks) && !art.signature.is_empty() {
            self.push("#t.signature(L, (");
            for i in 0..art.signature.len() {
                self.push("[");
                self.expr(&format!("#a{a}.sig.at({i})"), body.origin(Field::Signature(i)));
                self.push("], ");
            }
            self.line("))");
        }
        if body.jump {
            self.push("#t.jump-to(L)[");
            self.expr(&format!("#{frame}.at(\"jump-to\")"), body.origin(Field::JumpLine));
            self.line("]");
        }
    }

    /// Block `b` of the part `body` sets, naming the article's data `var`: its wrapper
    /// (subhead, list item, continued paragraph), the dateline if it opens the article, its
    /// runs sliced at the cuts, and the closing byline if it ends the article.
    fn block(&mut self, var: &str, b: usize, body: &Body) {
        let (article, start, end) = (body.article, body.start, body.end);
        // The dateline opens the first paragraph, after any subhead the body starts with.
        let dateline_block = article.blocks.iter().position(|b| b.kind != BlockKind::Subhead).unwrap_or(0);
        let block = &article.blocks[b];
        let mid_start = b == start.block && !start.at_block_start();
        let mid_end = b == end.block;
        let wrapper = match (block.kind, mid_start) {
            (BlockKind::Subhead, _) => None,
            (_, true) => Some("#t.continued(L)["),
            (BlockKind::Para, false) if salutation(article, b) => Some("#t.salutation(L)["),
            (BlockKind::Para, false) => None,
            (BlockKind::Item, false) => Some("#t.item(L)["),
        };
        if let Some(open) = wrapper {
            self.push(open);
        }
        if block.kind != BlockKind::Subhead {
            // No line break right after the first-line indent: Typst would take one when the
            // first word does not fit beside the indent, leaving an empty first line that
            // pushes the paragraph a leading below the grid.
            self.push("#hide[#sym.wj]");
        }
        if b == dateline_block && !mid_start && article.article.dateline.is_some() {
            self.push("#t.dateline(L)[");
            self.expr(&format!("#{var}.dateline"), body.origin(Field::Dateline));
            self.push("]");
        }
        if block.kind == BlockKind::Subhead {
            self.subhead(var, b, body);
        } else if mid_end {
            self.runs(var, b, body);
            // The part stops inside a paragraph: its last line stays justified.
            self.push("#linebreak(justify: true)");
        } else {
            self.runs(var, b, body);
        }
        if b + 1 == article.blocks.len() && end == Cut::end(&article.blocks) && article.byline_at_end() {
            let last = block.runs.len().checked_sub(1).map(|r| (r, block.runs[r].text.as_str()));
            let after = last.and_then(|(_, text)| text.chars().next_back());
            let before_byline = last.map(|(r, text)| (body.index, b, r, text.len()));
            if before_byline.is_some_and(|at| body.mends.ragged.contains(&at)) {
                // The byline moved whole to the next line: the paragraph's last line ends ragged.
                self.push(Join::Ragged.markup());
            } else if before_byline.is_some_and(|at| body.mends.kept.contains(&at)) {
                self.push(Join::Kept.markup());
            } else if after.is_some_and(|c| BLANK_RIGHT.contains(c)) {
                // 。（ share a half em as Typst sets neighbouring marks within a run; the
                // byline's parenthesis is the template's, in a run of its own. Weak, the
                // space goes when the byline starts a line.
                self.push("#h(-0.5em, weak: true)");
            }
            self.byline_end(var, body);
        }
        if wrapper.is_some() {
            self.push("]");
        }
    }

    /// Subhead block `b`: its runs between the part's cuts as pieces, so it breaks between
    /// phrases like a headline.
    fn subhead(&mut self, var: &str, b: usize, body: &Body) {
        let (start, end) = (body.start, body.end);
        let block = &body.article.blocks[b];
        self.push("#t.subhead(L, (");
        for (r, run) in block.runs.iter().enumerate() {
            let from = if (b, r) == (start.block, start.run) { start.offset } else { 0 };
            let to = if b == end.block && r == end.run { end.offset } else { run.text.len() };
            let inside = (b, r) >= (start.block, start.run) && (b, r) <= (end.block, end.run);
            if inside && from < to {
                let origin = body.origin(Field::Run(b, r));
                self.pieces(&format!("{var}.b.at({b}).at({r})"), &run.text, from..to, origin, run.strong);
            }
        }
        self.push("))");
    }

    /// The closing byline （魏亚东）, which never splits: its characters joined by hidden word
    /// joiners (no text of the PDF), each a slice of the data so every glyph keeps its span;
    /// the line breaks before it, and it moves to the next line whole.
    fn byline_end(&mut self, var: &str, body: &Body) {
        let text = body.article.article.byline.as_deref().unwrap_or_default();
        self.push("#t.byline-end(L)[");
        for (k, (i, c)) in text.char_indices().enumerate() {
            if k > 0 {
                self.push("#hide[#sym.wj]");
            }
            let expr = format!("#{var}.byline.slice({i}, {})", i + c.len_utf8());
            self.expr(&expr, Origin { base: i, ..body.origin(Field::Byline) });
        }
        self.push("]");
    }

    /// The runs of block `b` between the part's cuts, each an expression of its own.
    fn runs(&mut self, var: &str, b: usize, body: &Body) {
        let (start, end) = (body.start, body.end);
        let block = &body.article.blocks[b];
        let first_run = if b == start.block { start.run } else { 0 };
        let last_run = if b == end.block { end.run } else { block.runs.len() - 1 };
        let mut previous = None;
        for r in first_run..=last_run.min(block.runs.len() - 1) {
            let run = &block.runs[r];
            let from = if (b, r) == (start.block, start.run) { start.offset } else { 0 };
            let to = if b == end.block && r == end.run { end.offset } else { run.text.len() };
            if from >= to {
                continue;
            }
            // Hidden characters where lines must or must not break (see [`joins`]): they
            // never become text of the PDF.
            let before = if from > 0 { run.text[..from].chars().next_back() } else { previous };
            previous = run.text.chars().next_back();
            let joins = joins(&run.text[from..], before, body.longest_unbroken, body.digits);
            let joins = joins.into_iter().map(|(at, join)| (from + at, join));
            for (range, join, set) in run_pieces(&run.text, joins, body, (b, r), from..to) {
                // A trailing space goes before its break, the other pieces after their joins.
                let join = join.map(Join::markup);
                if set != PieceSet::Trailing {
                    self.push(join.unwrap_or_default());
                }
                let x = range.start;
                let mut expr = format!("{var}.b.at({b}).at({r})");
                if x > 0 || range.end < run.text.len() {
                    expr.push_str(&format!(".slice({x}, {})", range.end));
                }
                // A string passed to a function loses its span; in a content block it keeps it.
                let mut code = format!("#{expr}");
                match set {
                    PieceSet::Half => code = format!("#t.half[{code}]"),
                    PieceSet::Trailing => code = format!("#t.trailing[{code}]"),
                    PieceSet::Plain => {}
                }
                if run.strong {
                    code = format!("#strong[{code}]");
                }
                self.expr(&code, Origin { base: x, ..body.origin(Field::Run(b, r)) });
                if set == PieceSet::Trailing {
                    self.push(join.unwrap_or_default());
                }
            }
        }
    }

    /// Imports the module of the article's whole blocks for the part `body` sets, writing it
    /// first (once per program); returns the name it is imported as. The module holds every
    /// block from the part's start to the article's end, so the measuring and the final
    /// program write the same module whatever the part's end.
    fn module(&mut self, body: &Body) -> String {
        let (article, a) = (body.article, body.name);
        let path = module_path(a, body.slot);
        if !self.modules.iter().any(|(p, _)| *p == path) {
            let mut module = Writer { path: path.clone(), ..Writer::default() };
            module.line("// Generated by banmian: an article's whole blocks from one part's start on.");
            module.line(&format!("#import \"{TEMPLATE}\" as t"));
            module.line(&format!("#let L = json(\"{LAYOUT_DATA}\")"));
            module.line(&format!("#let a = json(\"{}\")", article_path(a)));
            module.line("#let b = (");
            let first = body.start.block + usize::from(!body.start.at_block_start());
            let end = Cut::end(&article.blocks);
            for b in 0..article.blocks.len() {
                if b < first || article.blocks[b].runs.is_empty() {
                    module.line("  none,");
                    continue;
                }
                module.push("  [");
                module.block("a", b, &Body { start: Cut { block: b, run: 0, offset: 0 }, end, ..*body });
                module.line("],");
            }
            module.line(")");
            self.map.extend(module.map);
            self.modules.push((path.clone(), module.text));
        }
        let name = format!("m{a}_{}", body.slot);
        self.line(&format!("#import \"{path}\" as {name}"));
        name
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn line(&mut self, s: &str) {
        let _ = writeln!(self.text, "{s}");
    }

    fn expr(&mut self, code: &str, origin: Origin) {
        let start = self.text.len();
        self.text.push_str(code);
        self.map.record(&self.path, start..self.text.len(), origin);
    }
}
