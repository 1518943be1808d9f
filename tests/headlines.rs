//! Headlines: sizes from the layout's 字号 names, and the vertical headline's glyph order.

mod common;

use banmian::layout::BUILT_IN;
use common::{BUILD, Edit, MINIMAL, engine, glyphs, write_issue};

#[test]
fn headline_sizes_come_from_the_layouts_size_names() {
    let tabloid = BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let sizes = "title-sizes = [\"一号\", \"二号\", \"小二\", \"三号\"]";
    for (name, pt) in [("一号", 26.0), ("小初", 36.0), ("三号", 16.0)] {
        // The lead's size is the first of the layout's title sizes; without them, the title style's.
        let by_rank = tabloid.edit(sizes, &format!("title-sizes = [\"{name}\"]"));
        let by_style = tabloid.edit(sizes, "title-sizes = []").edit(
            "title = { face = \"biaosong\", size = \"一号\", weight = 700 }",
            &format!("title = {{ face = \"biaosong\", size = \"{name}\", weight = 700 }}"),
        );
        for layout in [by_rank, by_style] {
            let text = MINIMAL
                .edit("layout = \"tabloid\"", "layout = \"mine.toml\"")
                .edit("title = \"标题\"", "title = \"题\"");
            let (_dir, path) = write_issue("issue.toml", &text, &[("mine.toml", &layout)]);
            let build = engine().build(&path, &BUILD).unwrap();
            let size = glyphs(&build.document).into_iter().find(|(c, ..)| c == "题").unwrap().1;
            assert_eq!(size, pt, "{name}");
        }
    }
}

/// The title's lines on the first page, top to bottom: the glyphs of `size` pt.
fn title_lines(document: &typst_layout::PagedDocument, size: f64) -> Vec<String> {
    let mut lines: Vec<(f64, String)> = Vec::new();
    for (c, s, at) in glyphs(document) {
        if (s - size).abs() > 0.01 {
            continue;
        }
        match lines.iter_mut().find(|(y, _)| (*y - at.y.to_pt()).abs() < 0.5) {
            Some((_, line)) => line.push_str(&c),
            None => lines.push((at.y.to_pt(), c)),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines.into_iter().map(|(_, line)| line).collect()
}

/// The minimal issue built with its title line replaced by `title` (TOML: the title and any
/// keys after it).
fn titled(title: &str) -> banmian::Build {
    let (_dir, path) = write_issue("issue.toml", &MINIMAL.edit("title = \"标题\"", title), &[]);
    engine().build(&path, &BUILD).unwrap()
}

/// The sizes of the glyphs of `text` on the first page.
fn sizes_of(document: &typst_layout::PagedDocument, text: &str) -> Vec<f64> {
    let mut sizes: Vec<f64> =
        glyphs(document).into_iter().filter(|(c, ..)| text.contains(c.as_str())).map(|g| g.1).collect();
    sizes.dedup();
    sizes
}

#[test]
fn titles_break_at_the_space_on_balanced_lines_and_keep_latin_words_whole() {
    let text = MINIMAL.edit("title = \"标题\"", "title = \"推进项目建设 拓展产业转型新空间\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert_eq!(title_lines(&build.document, 26.0), ["推进项目建设", "拓展产业转型新空间"]);
    assert_eq!(build.report.articles[0].composition, Default::default(), "{:?}", build.warnings);

    let latin = "Debian GNU/Linux 与其他发行版的区别是什么？";
    let build = titled(&format!("title = \"{latin}\""));
    let size = sizes_of(&build.document, "D")[0];
    let lines = title_lines(&build.document, size);
    assert!(lines.iter().any(|line| line.contains("GNU/Linux")), "{lines:?}");
    // Three lines at the least size the shrink allows: more than two, a warning; no word broken.
    assert_eq!(lines.len(), 3, "{lines:?}");
    let counts = &build.report.articles[0].composition;
    assert_eq!((counts.headline_break, counts.title_lines), (0, 1), "{:?}", build.warnings);
}

#[test]
fn a_space_between_chinese_phrases_is_set_as_a_full_width_space() {
    let text = MINIMAL.edit("title = \"标题\"", "title = \"聚焦主业 打造\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    let at = |c: &str| glyphs(&build.document).into_iter().find(|g| g.0 == c).unwrap().2.x.to_pt();
    // 业 is one em wide, then one em of space.
    assert!((at("打") - at("业") - 52.0).abs() < 0.1, "{} {}", at("业"), at("打"));
}

/// A tabloid layout whose template sets titles as plain text, letting Typst break them anywhere.
fn plain_titles() -> (String, String) {
    let tabloid = BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let template = include_str!("../layouts/newspaper.typ");
    let plain = template.edit(
        "#let fitted-title(L, F, title, width) = headline-lines(",
        "#let fitted-title(L, F, title, width) = text(..style(L, \"title\"), title.map(p => p.at(2)).join())\n#let unused(L, F, title, width) = headline-lines(",
    );
    (tabloid.edit("name = \"tabloid\"", "name = \"plain\"\ntemplate = \"plain.typ\""), plain)
}

#[test]
fn a_title_broken_inside_a_word_is_found_where_the_template_allows_it() {
    let (layout, template) = plain_titles();
    // Eleven characters in a column of ten: 巡礼 would be split.
    let text = MINIMAL
        .edit("layout = \"tabloid\"", "layout = \"plain.toml\"")
        .edit("title = \"标题\"", "title = \"经济技术开发区建设巡礼\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[("plain.toml", &layout), ("plain.typ", &template)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(title_lines(&build.document, 26.0), ["经济技术开发区建设巡", "礼"]);
    assert_eq!(build.report.articles[0].composition.headline_break, 1, "{:?}", build.warnings);
    assert!(
        build
            .warnings
            .iter()
            .any(|w| w.message.contains("broken inside a word") && w.message.contains("巡／礼"))
    );

    // The built-in template breaks it between words.
    let text = text.edit("layout = \"plain.toml\"", "layout = \"tabloid\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(build.report.articles[0].composition, Default::default(), "{:?}", build.warnings);
}

#[test]
fn only_a_word_wider_than_the_line_is_broken_inside() {
    // A run of Latin far wider than the column at any size the shrink allows, among Chinese
    // words: it must break inside, and nothing else may.
    let title = "支持Debian/Ubuntu/Fedora/openSUSE/Slackware/Gentoo等发行版的软件包管理";
    let build = titled(&format!("title = \"{title}\""));
    let size = sizes_of(&build.document, "D")[0];
    let lines = title_lines(&build.document, size);
    assert!(lines.len() > 2, "{lines:?}");
    assert_eq!(lines.concat(), title);
    for word in ["支持", "发行版", "软件包", "管理"] {
        assert!(lines.iter().any(|line| line.contains(word)), "{word} broken: {lines:?}");
    }
    // Inside the run, lines end only after a `/`, where a reader expects a path to break: the
    // checker takes that as the best a word wider than any line allows, and counts the title's
    // lines beyond `title-max-lines` instead (a desk widens the frame or rewrites the title).
    let run = "Debian/Ubuntu/Fedora/openSUSE/Slackware/Gentoo";
    for pair in lines.windows(2) {
        let (end, start) = (pair[0].chars().last().unwrap(), pair[1].chars().next().unwrap());
        let inside = run.contains(&format!("{end}{start}"));
        assert!(!inside || end == '/', "broken inside the run after {end:?}: {lines:?}");
    }
    let counts = &build.report.articles[0].composition;
    assert_eq!((counts.headline_break, counts.title_lines), (0, 1), "{:?}", build.warnings);
}

#[test]
fn a_title_longer_than_the_lines_allowed_is_a_warning_with_the_size_it_needs() {
    let tabloid = BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let strict = tabloid
        .edit("title-shrink = 0.15 ", "title-shrink = 0 ")
        .edit("title-max-lines = 2 ", "title-max-lines = 1 ");
    let text = MINIMAL
        .edit("layout = \"tabloid\"", "layout = \"strict.toml\"")
        .edit("title = \"标题\"", "title = \"推进项目建设 拓展产业转型新空间\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[("strict.toml", &strict)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(build.report.articles[0].composition.title_lines, 1, "{:?}", build.warnings);
    // Fifteen characters and a full-width space in 261 pt: 16.3 pt.
    let warning = build.warnings.iter().find(|w| w.message.contains("title-max-lines")).unwrap();
    assert!(
        warning.message.contains("article `a`") && warning.message.contains("would need 16.3 pt"),
        "{warning}"
    );
}

/// Two articles on page 1 of a tabloid: `a` in a 2×30 frame, `b` where `frame` puts it.
fn two_articles(frame: &str, b: &str) -> String {
    MINIMAL.to_string()
        + &format!("\n[[pages.frames]]\narticle = \"b\"\n{frame}\n")
        + &format!("\n[[articles]]\nid = \"b\"\ntitle = \"多措并举\"\nbody = \"正文。\"\n{b}\n")
}

#[test]
fn titles_follow_the_ranks_and_an_inversion_is_found() {
    let below = "column = 1\nspan = 2\nline = 43\nlines = 10";
    let (_dir, path) = write_issue("issue.toml", &two_articles(below, ""), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    // The larger frame leads at 一号, the second gets 二号.
    assert_eq!((sizes_of(&build.document, "标"), sizes_of(&build.document, "措")), (vec![26.0], vec![22.0]));
    assert!(
        build.report.articles.iter().all(|a| a.composition == Default::default()),
        "{:?}",
        build.warnings
    );

    // An article that names a size above the lead's, and a layout whose sizes rise by rank.
    let tabloid = BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let rising = tabloid
        .edit("title-sizes = [\"一号\", \"二号\", \"小二\", \"三号\"]", "title-sizes = [\"小二\", \"一号\"]");
    let own = two_articles(below, "title-size = \"小初\"");
    let layout = two_articles(below, "").edit("layout = \"tabloid\"", "layout = \"rising.toml\"");
    for text in [own, layout] {
        let (_dir, path) = write_issue("issue.toml", &text, &[("rising.toml", &rising)]);
        let build = engine().build(&path, &BUILD).unwrap();
        let counts: Vec<usize> =
            build.report.articles.iter().map(|a| a.composition.title_inversion).collect();
        assert_eq!(counts, [0, 1], "{:?}", build.warnings);
        assert!(
            build
                .warnings
                .iter()
                .any(|w| w.message.contains("article `b`") && w.message.contains("标题层次倒置"))
        );
    }
    // An explicit rank makes the smaller frame the lead.
    let (_dir, path) = write_issue("issue.toml", &two_articles(below, "rank = 1"), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(sizes_of(&build.document, "措"), vec![26.0]);
}

#[test]
fn titles_side_by_side_at_one_height_clash_unless_a_box_parts_them() {
    let beside = "column = 3\nspan = 2\nline = 13\nlines = 30";
    let (_dir, path) = write_issue("issue.toml", &two_articles(beside, ""), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    let counts: Vec<usize> = build.report.articles.iter().map(|a| a.composition.title_clash).collect();
    assert_eq!(counts, [0, 1], "{:?}", build.warnings);
    assert!(build.warnings.iter().any(|w| w.message.contains("碰题") && w.message.contains("beside “标题”")));

    for parted in ["boxed = true", "headline = \"vertical\""] {
        let (_dir, path) = write_issue("issue.toml", &two_articles(beside, parted), &[]);
        let build = engine().build(&path, &BUILD).unwrap();
        assert!(
            build.report.articles.iter().all(|a| a.composition.title_clash == 0),
            "{parted}: {:?}",
            build.warnings
        );
    }
    // Staggered below the neighbour's title: no clash.
    let lower = "column = 3\nspan = 2\nline = 20\nlines = 23";
    let (_dir, path) = write_issue("issue.toml", &two_articles(lower, ""), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.report.articles.iter().all(|a| a.composition.title_clash == 0), "{:?}", build.warnings);
}

#[test]
fn a_vertical_headline_stacks_its_characters_top_to_bottom() {
    let title = "“氢”装上阵，向绿而行";
    let build = titled(&format!("title = \"{title}\"\nheadline = \"vertical\""));
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let glyphs = glyphs(&build.document);
    // The title is larger than the body and smaller than the masthead's name.
    let column: Vec<_> = glyphs.iter().filter(|(_, size, _)| *size > 12.0 && *size < 40.0).collect();
    let read: String = column.iter().map(|(c, ..)| c.as_str()).collect();
    assert_eq!(read, title, "every character of the title, in order");
    assert!(column.windows(2).all(|w| w[1].2.y > w[0].2.y), "each character below the one before");
    let x = column[0].2.x;
    assert!(column.iter().all(|g| (g.2.x - x).abs().to_pt() < 20.0), "one column");
    // The body sits to the left of the headline.
    let body_x = glyphs.iter().find(|(c, ..)| c == "段").unwrap().2.x;
    assert!(body_x < x);
}
