//! Frames that fit their text: auto heights, balanced columns, stacks that reflow.

mod common;

use common::{BUILD, Edit, MINIMAL, engine, write_issue};
use proptest::prelude::*;

/// Paragraphs of the seed's prose, cut to random lengths.
const PROSE: &str = "今年以来，兴县经济技术开发区秉承“产业强区、科技兴区”的理念，围绕打造“百万吨千亿级铝镁产业集群”目标，\
稳步实施“新材料、新能源、节能环保”主导产业发展计划，全面构建具有区域特色的“铝镁专业镇”。依托丰富的矿产资源、\
优惠的国家和地方政策及良好的市场前景，兴县经开区不断创新招商引资方式，持续招商引强，形成人人招商、全员招商的良好氛围。";

fn paragraphs(lengths: &[usize]) -> String {
    let chars: Vec<char> = PROSE.chars().collect();
    lengths
        .iter()
        .enumerate()
        .map(|(i, &n)| chars.iter().cycle().skip(i * 17).take(n).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// An issue with article `a` in an auto frame of `span` grid columns and `columns` text
/// columns, then article `b` stacked below it.
fn stacked(body: &str, span: u32, columns: u32, lines_a: &str) -> String {
    MINIMAL
        .edit(
            "span = 2\nline = 13\nlines = 30",
            &format!("span = {span}\ncolumns = {columns}\nline = 13\nlines = {lines_a}"),
        )
        .edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", &format!("body = '''\n{body}\n'''"))
        + &format!(
            "\n[[pages.frames]]\narticle = \"b\"\ncolumn = 1\nspan = {span}\nline = \"below\"\nlines = 6\n\n\
             [[articles]]\nid = \"b\"\ntitle = \"下面一篇\"\nbody = \"在下面的文章。\"\n"
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10))]

    /// An auto frame holds its text exactly: nothing over, its columns end within a line of
    /// each other, so the shortest has at most one free line (the texts are long enough to
    /// give every column a line); the frame stacked below starts right under it, as it would
    /// with the coordinates written out.
    #[test]
    fn auto_frames_hold_their_text_with_balanced_columns(
        lengths in proptest::collection::vec(80usize..400, 1..5),
        span in 2u32..=5,
        narrow in any::<bool>(),
    ) {
        let columns = if narrow { span } else { (span - 1).max(1) };
        let body = paragraphs(&lengths);
        let (_dir, path) = write_issue("issue.toml", &stacked(&body, span, columns, "\"auto\""), &[]);
        let build = engine().build(&path, &BUILD).unwrap();
        prop_assert!(build.errors.is_empty(), "{:?}", build.errors);
        let part = &build.report.articles[0].parts[0];
        prop_assert!(part.free_lines < columns, "{} free lines in {} columns", part.free_lines, columns);
        // The same pages with the measured height written out (and the columns balanced).
        let frame = &build.plan.pages[0].frames[0];
        let written = format!("{}\nbalance = true", frame.lines);
        let fixed = stacked(&body, span, columns, &written).edit("line = \"below\"", &format!("line = {}", 13 + frame.lines));
        let (_dir2, path2) = write_issue("issue.toml", &fixed, &[]);
        let by_hand = engine().build(&path2, &BUILD).unwrap();
        prop_assert!(by_hand.errors.is_empty(), "{:?}", by_hand.errors);
        prop_assert_eq!(
            by_hand.report.articles[0].parts[0].free_lines, part.free_lines,
            "the auto frame and the same frame written out"
        );
        prop_assert_eq!(by_hand.plan.pages[0].frames[1].y, build.plan.pages[0].frames[1].y);
    }
}

#[test]
fn a_stack_reflows_when_the_article_above_grows() {
    let short = paragraphs(&[120]);
    let long = paragraphs(&[120, 200]);
    let build = |body: &str| {
        let (_dir, path) = write_issue("issue.toml", &stacked(body, 3, 3, "\"auto\""), &[]);
        engine().build(&path, &BUILD).unwrap()
    };
    let (before, after) = (build(&short), build(&long));
    assert!(before.errors.is_empty() && after.errors.is_empty(), "{:?} {:?}", before.errors, after.errors);
    let grew = after.plan.pages[0].frames[0].lines - before.plan.pages[0].frames[0].lines;
    assert!(grew > 0);
    let moved = after.plan.pages[0].frames[1].y - before.plan.pages[0].frames[1].y;
    let pitch = after.layout.spec.grid.line_pitch_pt;
    assert!(
        (moved - f64::from(grew) * pitch).abs() < 1e-6,
        "the frame below moved {moved} pt for {grew} lines"
    );
}

#[test]
fn only_an_articles_last_frame_may_be_auto() {
    let text = MINIMAL.edit("lines = 30", "lines = \"auto\"")
        + "\n[[pages]]\nnumber = 2\n\n[[pages.frames]]\narticle = \"a\"\ncolumn = 1\nspan = 2\nline = 1\nlines = 20\n";
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let message = engine().build(&path, &BUILD).err().expect("refused").to_string();
    assert!(message.contains("only the last frame of article `a`"), "{message}");
}

#[test]
fn an_auto_frame_that_runs_past_the_foot_says_how_many_lines_it_needs() {
    let text = MINIMAL
        .edit("line = 13\nlines = 30", "line = 70\nlines = \"auto\"")
        .edit("第二段正文。", &paragraphs(&[300, 300]));
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let message = engine().build(&path, &BUILD).err().expect("refused").to_string();
    assert!(message.contains("needs") && message.contains("only 11 are left below line 70"), "{message}");
}

/// Paragraphs cut from the seed's prose in a fixed pattern, and an issue with the article in a
/// fixed frame of `lines` lines and 2 text columns; `fit` asks for copy-fit.
fn copy_fit_issue(paragraphs: usize, lines: u32, fit: bool) -> String {
    let chars: Vec<char> = PROSE.chars().collect();
    let body: Vec<String> =
        (0..paragraphs).map(|i| chars[(i * 7) % 50..].iter().take(60 + (i * 23) % 70).collect()).collect();
    let fit = if fit { "\nfit = true" } else { "" };
    MINIMAL
        .edit("lines = 30", &format!("lines = {lines}"))
        .edit("title = \"标题\"", &format!("title = \"标题\"\nbody-format = \"text\"{fit}"))
        .edit(
            "body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"",
            &format!("body = '''\n{}\n'''", body.join("\n\n")),
        )
}

/// The seven-paragraph copy-fit issue built in a frame of `lines` lines, fitted or not.
fn build_seven_paragraphs(lines: u32, fit: bool) -> banmian::Build {
    let (_dir, path) = write_issue("issue.toml", &copy_fit_issue(7, lines, fit), &[]);
    engine().build(&path, &BUILD).unwrap()
}

#[test]
fn copy_fit_loosens_an_article_that_stops_short_of_its_frame() {
    let build = build_seven_paragraphs;
    // From the first frame height that holds the article on: with copy-fit the article never
    // ends further from its frame's foot, never runs over, and somewhere ends closer.
    let first = (10..80).find(|&lines| build(lines, false).errors.is_empty()).expect("some height holds it");
    let mut closer = 0;
    for lines in first..first + 6 {
        let (plain, fitted) = (build(lines, false), build(lines, true));
        assert!(fitted.errors.is_empty(), "{lines} lines: {:?}", fitted.errors);
        let (before, after) = (&plain.report.articles[0], &fitted.report.articles[0]);
        assert!(after.parts[0].free_lines <= before.parts[0].free_lines, "{lines} lines");
        assert!((0.0..=0.03).contains(&after.tracking_em), "{}", after.tracking_em);
        assert_eq!(after.chars, before.chars);
        closer += usize::from(after.parts[0].free_lines < before.parts[0].free_lines);
    }
    assert!(closer > 0, "copy-fit never brought the article's end closer to its frame's foot");
}

#[test]
fn copy_fit_tightens_an_article_that_runs_over_its_frame() {
    let build = build_seven_paragraphs;
    // Just under the first frame height that holds the article untracked, tightening takes
    // back some of what runs over, and no tightened line ends past its column (that would
    // be an error of its own, and copy-fit would give the tightening up).
    let first = (10..80).find(|&lines| build(lines, false).errors.is_empty()).expect("some height holds it");
    let (plain, fitted) = (build(first - 1, false), build(first - 1, true));
    let over = |b: &banmian::Build| b.report.articles[0].overflow.as_ref().map_or(0, |o| o.chars);
    assert!(over(&fitted) < over(&plain), "{} characters over, untracked {}", over(&fitted), over(&plain));
    let tracking = fitted.report.articles[0].tracking_em;
    assert!((-0.03..0.0).contains(&tracking), "{tracking}");
    let others: Vec<_> =
        fitted.errors.iter().filter(|e| !e.message.contains("does not fit its frame")).collect();
    assert!(others.is_empty(), "{others:?}");
    // The report counts copy-fit's probing rounds and the builds: one, and one more for each
    // step the set pages asked for.
    assert_eq!((plain.report.timings.probes, plain.report.timings.builds), (0, 1));
    assert!(fitted.report.timings.probes > 1, "{:?}", fitted.report.timings);
    assert_eq!(fitted.report.timings.compositions, 0, "nothing to compose");
}

#[test]
fn copy_fit_beyond_its_bound_says_how_much_is_over() {
    let (_dir, path) = write_issue("issue.toml", &copy_fit_issue(3, 11, true), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    let message = build.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
    assert!(message.contains("差 ") && message.contains("a frame of"), "{message}");
    assert!(build.report.articles[0].overflow.is_some());
}

/// The kaifaqu example, copied, with one paragraph added to an article and one removed from
/// another, and no coordinate edited: its stacks, auto heights and pictures that take the rest
/// reflow, and every page stays full, without a hole.
#[test]
fn the_example_pages_stay_full_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::example("kaifaqu-2023-10");
    let from = example.parent().unwrap();
    for entry in walk(from) {
        let target = dir.path().join(entry.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, target).unwrap();
    }
    let article = |name: &str| dir.path().join("articles").join(name);
    let xingxian = std::fs::read_to_string(article("xingxian.md")).unwrap();
    let added = xingxian.split("\n\n").nth(1).unwrap().to_string();
    std::fs::write(article("xingxian.md"), format!("{xingxian}\n\n{added}\n")).unwrap();
    let qinyuan = std::fs::read_to_string(article("qinyuan.md")).unwrap();
    let paragraphs: Vec<&str> = qinyuan.split("\n\n").filter(|p| !p.trim().is_empty()).collect();
    std::fs::write(article("qinyuan.md"), paragraphs[..paragraphs.len() - 1].join("\n\n")).unwrap();
    let build = engine().build(&dir.path().join("issue.toml"), &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    // The edit moved frames: xingxian's part on page 2 grew, the page's frames reflowed.
    let original = engine().build(&example, &BUILD).unwrap();
    let heights = |b: &banmian::Build| b.plan.pages[1].frames.iter().map(|f| f.lines).collect::<Vec<_>>();
    assert_ne!(heights(&build), heights(&original));
    for page in &build.report.pages {
        assert!(page.fill_percent >= 98.0 && page.holes.is_empty(), "page {}: {page:?}", page.number);
    }
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

/// Where the first glyph of `text` stands on the first page.
fn first_glyph(build: &banmian::Build, text: &str) -> (f64, f64) {
    let glyphs = common::glyphs(&build.document);
    let at = glyphs.iter().find(|(c, _, _)| c == text).unwrap_or_else(|| panic!("no {text:?}"));
    (at.2.x.to_pt(), at.2.y.to_pt())
}

#[test]
fn head_space_moves_the_text_down_whole_lines_and_breaks_it_as_before() {
    let build = |space: u32| {
        let issue = MINIMAL.edit("lines = 30", &format!("lines = 30\nhead-space = {space}"));
        let (_dir, path) = write_issue("issue.toml", &issue, &[]);
        engine().build(&path, &BUILD).unwrap()
    };
    let (plain, spaced) = (build(0), build(3));
    assert!(spaced.errors.is_empty(), "{:?}", spaced.errors);
    let pitch = plain.layout.spec.grid.line_pitch_pt;
    let heads = |b: &banmian::Build| (first_glyph(b, "标"), first_glyph(b, "段"));
    let ((t0, b0), (t3, b3)) = (heads(&plain), heads(&spaced));
    // One line of the white above the title, two below; the body three lines lower.
    assert!((t3.1 - t0.1 - pitch).abs() < 0.01, "title {t0:?} → {t3:?}");
    assert!((b3.1 - b0.1 - 3.0 * pitch).abs() < 0.01, "body {b0:?} → {b3:?}");
    assert!((b3.0 - b0.0).abs() < 0.01, "the body keeps its column");
    let part = |b: &banmian::Build| b.report.articles[0].parts[0].clone();
    assert_eq!(part(&spaced).head_space, 3);
    assert_eq!(part(&spaced).chars, part(&plain).chars);
    assert_eq!(part(&plain).slack_lines - part(&spaced).slack_lines, 3);
}

#[test]
fn copy_fit_gives_whole_free_lines_to_the_white_around_the_head() {
    // Balanced columns: a frame whose text flows fills its first column to the foot, so only
    // balanced ones leave whole lines free under every column.
    let build = |lines: u32, fit: bool| {
        let issue = copy_fit_issue(7, lines, fit)
            .edit(&format!("lines = {lines}"), &format!("lines = {lines}\nbalance = true"));
        let (_dir, path) = write_issue("issue.toml", &issue, &[]);
        engine().build(&path, &BUILD).unwrap()
    };
    let first = (10..80).find(|&lines| build(lines, false).errors.is_empty()).expect("some height holds it");
    let most = engine_layout_head_space();
    let mut spaced = 0;
    for lines in first..first + 8 {
        let (plain, fitted) = (build(lines, false), build(lines, true));
        assert!(fitted.errors.is_empty(), "{lines} lines: {:?}", fitted.errors);
        let (before, after) = (&plain.report.articles[0].parts[0], &fitted.report.articles[0].parts[0]);
        assert!(after.head_space <= most, "{lines} lines: {} lines of white", after.head_space);
        assert_eq!(after.chars, before.chars);
        // Copy-fit never leaves more free lines; whole lines free under every column are left
        // only where the head's white is at its bound, or where moving the text down ran it
        // over (a paragraph's lines kept together) and copy-fit took it back.
        let (before_free, after_free) = (before.free_lines, after.free_lines);
        assert!(after_free <= before_free, "{lines} lines: {before:?} → {after:?}");
        let bounded = after.head_space == most || after.slack_lines <= before.slack_lines;
        assert!(bounded, "{lines} lines: {before:?} → {after:?}");
        spaced += usize::from(before.slack_lines > 0 && after.head_space > 0);
    }
    assert!(spaced > 0, "copy-fit never gave a whole free line to the white around the head");
}

/// The most white copy-fit may put around a head in the tabloid layout.
fn engine_layout_head_space() -> u32 {
    banmian::layout::Layout::load("tabloid", std::path::Path::new(".")).unwrap().spec.fit.head_space_lines
}

/// A grey drawing to stand for a 压题照片.
const DRAWING: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100"><rect width="160" height="100" fill="#888"/></svg>"##;

/// The seven-paragraph issue, copy-fitted in a frame of `lines` lines, under a 压题照片 of 12
/// lines that may take `least` to `most` lines.
fn build_under_a_picture(lines: u32, least: u32, most: u32) -> banmian::Build {
    let picture = format!(
        "\n[articles.picture]\nimage = \"p.svg\"\ncaption = \"图片说明\"\nlines = 12\nmin-lines = {least}\nmax-lines = {most}\n"
    );
    let issue = copy_fit_issue(7, lines, true) + &picture;
    let (_dir, path) = write_issue("issue.toml", &issue, &[("p.svg", DRAWING)]);
    engine().build(&path, &BUILD).unwrap()
}

#[test]
fn copy_fit_takes_lines_from_the_picture_where_tracking_cannot_close_the_gap() {
    // The least frame that holds the article, tracked, under a picture that keeps its size.
    let held = |lines: u32| build_under_a_picture(lines, 12, 12).errors.is_empty();
    let first = (20..90).find(|&lines| held(lines)).expect("some height holds it");
    // Two lines less: tracking alone leaves text over; the picture gives up to three lines.
    let (fixed, fitted) = (build_under_a_picture(first - 2, 12, 12), build_under_a_picture(first - 2, 1, 40));
    assert!(fixed.report.articles[0].overflow.is_some(), "tracking alone closed the gap");
    assert!(fitted.errors.is_empty(), "{:?}", fitted.errors);
    let article = &fitted.report.articles[0];
    assert!((-3..0).contains(&article.picture_lines), "picture changed by {}", article.picture_lines);
    assert!(article.copy_fit.contains("照片 −"), "{}", article.copy_fit);
    assert_eq!(
        fitted.plan.pages[0].frames[0].picture.as_ref().unwrap().lines as i32,
        12 + article.picture_lines
    );
    assert_eq!(article.parts[0].chars, fixed.report.articles[0].chars, "every character set");
}

#[test]
fn copy_fit_gives_free_lines_to_the_picture_before_the_white() {
    let held = |lines: u32| build_under_a_picture(lines, 12, 12).errors.is_empty();
    let first = (20..90).find(|&lines| held(lines)).expect("some height holds it");
    // Four lines more than the text needs at the loosest tracking: the picture grows first.
    let (fixed, grown) = (build_under_a_picture(first + 4, 12, 12), build_under_a_picture(first + 4, 1, 40));
    assert!(grown.errors.is_empty(), "{:?}", grown.errors);
    let (before, after) = (&fixed.report.articles[0], &grown.report.articles[0]);
    assert!((1..=3).contains(&after.picture_lines), "picture changed by {}", after.picture_lines);
    assert!(after.parts[0].head_space < before.parts[0].head_space.max(1), "{before:?} → {after:?}");
    assert!(after.parts[0].free_lines <= before.parts[0].free_lines, "{before:?} → {after:?}");
    assert_eq!(after.chars, before.chars);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Copy-fit never loses or repeats a character and stays within its bounds, whatever the
    /// text, the frame and the picture: every error is an overflow it could not close (what
    /// is over is counted), the tracking is within `[fit]`'s 0.03 em and the picture within its
    /// 3 lines and its own range.
    #[test]
    fn copy_fitted_articles_keep_every_character_within_the_bounds(
        lengths in proptest::collection::vec(40usize..300, 1..6),
        lines in 16u32..60,
        picture in proptest::option::of(6u32..12),
    ) {
        let body = paragraphs(&lengths);
        let mut issue = MINIMAL
            .edit("lines = 30", &format!("lines = {lines}"))
            .edit("title = \"标题\"", "title = \"标题\"\nfit = true")
            .edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", &format!("body = '''\n{body}\n'''"));
        if let Some(p) = picture {
            issue += &format!(
                "\n[articles.picture]\nimage = \"p.svg\"\ncaption = \"图片说明\"\nlines = {p}\nmin-lines = {}\nmax-lines = {}\n",
                p - 2, p + 5
            );
        }
        let (_dir, path) = write_issue("issue.toml", &issue, &[("p.svg", DRAWING)]);
        let build = engine().build(&path, &BUILD).unwrap();
        let others: Vec<_> = build.errors.iter().filter(|e| !e.message.contains("does not fit its frame")).collect();
        prop_assert!(others.is_empty(), "{:?}", others);
        let article = &build.report.articles[0];
        let over = article.overflow.as_ref().map_or(0, |o| o.chars);
        prop_assert_eq!(article.parts[0].chars + over, article.chars, "every character set once or counted over");
        prop_assert!(article.tracking_em.abs() <= 0.03 + 1e-9, "{}", article.tracking_em);
        prop_assert!((-2..=3).contains(&article.picture_lines), "picture changed by {}", article.picture_lines);
        prop_assert!(picture.is_some() || article.picture_lines == 0);
    }
}

/// The seven-paragraph issue under a picture of 12 lines that may give 3, with a title two
/// lines long at its rank's size, in a frame of `lines`; `title_step` lets copy-fit set the
/// title a 字号 smaller (a layout of its own says when not).
fn build_with_a_long_title(lines: u32, title_step: bool) -> banmian::Build {
    let picture =
        "\n[articles.picture]\nimage = \"p.svg\"\ncaption = \"图片说明\"\nlines = 12\nmin-lines = 9\n";
    let mut issue = copy_fit_issue(7, lines, true)
        .edit("title = \"标题\"", "title = \"开发区产业集群发展新路径\"")
        + picture;
    let tabloid =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/tabloid.toml")).unwrap();
    let layout = format!("{tabloid}\n[fit]\ntracking-em = 0.03\nsteps = 3\ntitle-step = {title_step}\n");
    issue = issue.edit("layout = \"tabloid\"", "layout = \"house.toml\"");
    let (_dir, path) = write_issue("issue.toml", &issue, &[("p.svg", DRAWING), ("house.toml", &layout)]);
    engine().build(&path, &BUILD).unwrap()
}

#[test]
fn copy_fit_sets_a_title_a_size_smaller_only_where_that_gains_a_line() {
    // Some frame height holds the article only with the smaller title.
    let gained = (30..50).find(|&lines| {
        build_with_a_long_title(lines, true).errors.is_empty()
            && !build_with_a_long_title(lines, false).errors.is_empty()
    });
    let lines = gained.expect("no frame height where the smaller title holds the article");
    let build = build_with_a_long_title(lines, true);
    let article = &build.report.articles[0];
    assert!(article.copy_fit.contains("标题小一号"), "{}", article.copy_fit);
    let plain = build_with_a_long_title(lines, false);
    let (smaller, size) =
        (build.plan.pages[0].frames[0].title_size, plain.plan.pages[0].frames[0].title_size);
    assert!((smaller - build.layout.smaller_size(size)).abs() < 1e-9 && smaller < size, "{size} → {smaller}");
    // A short title gains no line by a smaller size: it keeps its rank's.
    let short = build_under_a_picture(lines - 4, 12, 12);
    assert!(!short.report.articles[0].copy_fit.contains("标题"), "{}", short.report.articles[0].copy_fit);
}
