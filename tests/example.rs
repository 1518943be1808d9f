//! The shipped example builds, and its PDF holds every article's text exactly once.

mod common;

use banmian::body;
use banmian::issue::IssueFile;
use common::{BUILD, Edit, MINIMAL, engine, example, pdf_text, squeeze, write_issue};

/// An article's text as an independent reading of the issue data gives it: the head (kicker,
/// title, subtitle, dateline), the body, and the trailing byline.
struct Expected {
    id: String,
    head: Vec<String>,
    body: String,
    /// The dateline and the body character it stands before (the first paragraph's start).
    dateline: Option<(String, usize)>,
    /// The trailing byline and the signature lines.
    byline: String,
}

fn expected_articles(path: &std::path::Path) -> Vec<Expected> {
    let file = IssueFile::read(path).unwrap();
    file.issue
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (blocks, _) = file.article_blocks(i).unwrap();
            let top = a.byline_position == banmian::issue::BylinePosition::Top;
            let first_paragraph = blocks
                .iter()
                .take_while(|b| b.kind == body::BlockKind::Subhead)
                .map(|b| b.text().chars().count())
                .sum();
            Expected {
                id: a.id.clone(),
                // A byline set under the headline belongs to the head, one at the end closes
                // the body in brackets.
                head: [
                    a.kicker.clone(),
                    Some(a.title.clone()),
                    a.subtitle.clone(),
                    top.then(|| a.byline.clone()).flatten(),
                ]
                .into_iter()
                .flatten()
                .collect(),
                body: blocks.iter().map(|b| b.text()).collect(),
                dateline: a.dateline.clone().map(|d| (d, first_paragraph)),
                byline: a.byline.as_ref().filter(|_| !top).map(|b| format!("（{b}）")).unwrap_or_default()
                    + &a.signature.concat(),
            }
        })
        .collect()
}

/// Builds an example and checks its PDF text: each article's parts appear exactly once, in
/// chain order, each continued part ending with its jump line and the next opening with its
/// own, and the byline only after the last part.
fn check_example(name: &str, continued_at_least: usize) {
    let path = common::built_example(name);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    // The layout's list markers and the pictures' captions are not the articles' text.
    let mut text = pdf_text(build.pdf.as_ref().unwrap()).replace("●", "");
    let issue = IssueFile::read(&path).unwrap().issue;
    let captions = issue.articles.iter().filter_map(|a| a.picture.as_ref()).map(|p| (&p.caption, &p.credit));
    let page_captions = issue.pages.iter().flat_map(|p| &p.pictures).map(|p| (&p.caption, &p.credit));
    for (caption, credit) in captions.chain(page_captions) {
        let words: String = [caption, credit].into_iter().flatten().map(|w| squeeze(w)).collect();
        text = text.replacen(&words, "", 1);
    }
    let mut continued = 0;
    for expected in expected_articles(&path) {
        let report = build.report.articles.iter().find(|a| a.id == expected.id).unwrap();
        assert!(report.overflow.is_none());
        let body: Vec<char> = expected.body.chars().collect();
        let holding: Vec<_> = report.parts.iter().filter(|p| p.text_range[0] < p.text_range[1]).collect();
        let mut last_at = 0;
        for (k, part) in holding.iter().enumerate() {
            let [start, end] = part.text_range;
            let mut text_of_part: String = body[start..end].iter().collect();
            if let Some((dateline, at)) = &expected.dateline
                && (start..end).contains(at)
            {
                let at = text_of_part.char_indices().nth(at - start).map_or(text_of_part.len(), |(i, _)| i);
                text_of_part.insert_str(at, dateline);
            }
            let mut piece = squeeze(&text_of_part);
            if k == 0 {
                // A headline beside another at the same height interleaves with it in the text
                // layer, so each head line is looked for on its own.
                for line in &expected.head {
                    assert!(text.contains(&squeeze(line)), "`{}`: its headline “{line}”", expected.id);
                }
            }
            if k + 1 == holding.len() {
                piece += &squeeze(&expected.byline);
            }
            assert_eq!(
                text.matches(&piece).count(),
                1,
                "part {k} of `{}` must appear once, whole",
                expected.id
            );
            let at = text.find(&piece).unwrap();
            assert!(k == 0 || at > last_at, "parts of `{}` in chain order", expected.id);
            last_at = at;
            if let Some(to) = part.jump_to {
                continued += 1;
                let jump = format!("{piece}（下转第{}版）", chinese(to));
                assert!(text.contains(&jump), "`{}` part {k} ends with its jump line", expected.id);
            }
            if let Some(from) = part.jump_from {
                let head = format!("（上接第{}版）{piece}", chinese(from));
                assert!(text.contains(&head), "`{}` part {k} opens with its jump line", expected.id);
            }
        }
        let placed: usize = report.parts.iter().map(|f| f.chars).sum();
        assert_eq!(placed, report.chars, "{} placed in full", report.id);
    }
    assert!(continued >= continued_at_least, "{name} continues at least {continued_at_least} articles");
}

/// Page numbers as the built-in layouts write them in jump lines.
fn chinese(n: u32) -> &'static str {
    ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][n as usize]
}

#[test]
fn kaifaqu_example_holds_every_article_exactly_once() {
    check_example("kaifaqu-2023-10", 2);
}

#[test]
fn broadsheet_demo_holds_every_article_exactly_once() {
    check_example("broadsheet-demo", 1);
    let build = engine().build(&common::built_example("broadsheet-demo"), &BUILD).unwrap();
    // Composed, every page is tiled and full: no hole, not even under a balanced frame's
    // shorter columns (the composer knows each deal's shortest column).
    for page in &build.report.pages {
        assert!(page.fill_percent >= 98.0, "page {}: {:.1} %", page.number, page.fill_percent);
        assert!(page.holes.is_empty(), "page {}: {:?}", page.number, page.holes);
    }
    let feature = build.report.articles.iter().find(|a| a.id == "xunli").unwrap();
    assert_eq!(feature.parts[0].jump_to, Some(2), "the lead jumps from page 1 to page 2");
    // 报眼: the 要目 lists the later pages' leads.
    let text = pdf_text(build.pdf.as_ref().unwrap());
    assert!(text.contains("要目") && text.contains("第三版"), "{text}");
}

#[test]
fn weekly_example_holds_every_article_exactly_once() {
    check_example("weekly-8pp", 1);
}

/// The composed issue committed beside each composed example is what `compose` writes for it:
/// composing is deterministic, and the committed file is current.
#[test]
fn compose_writes_the_committed_issue() {
    for name in ["broadsheet-demo", "weekly-8pp"] {
        let issue = example(name);
        let build = engine().build(&issue, &BUILD).unwrap();
        assert!(build.errors.is_empty(), "{name}: {:?}", build.errors);
        let file = IssueFile::read(&issue).unwrap();
        let written = banmian::compose::write(&file, build.composition.as_ref().unwrap()).unwrap();
        let committed = std::fs::read_to_string(common::built_example(name)).unwrap();
        assert!(
            written == committed,
            "{name}: `banmian compose` no longer writes the committed issue.composed.toml"
        );
    }
}

#[test]
fn typst_syntax_in_the_body_prints_literally() {
    let hostile = r"#set page(width: 1cm) #panic(1) $x^2$ \*bold\* \_it\_ @ref <lab> \[x\] a \\ b // not a comment /* nor this */ `#code` \#{ } = heading";
    let text = MINIMAL.edit("\"\"\"", "\'\'\'").edit("第二段正文。", hostile);
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let pdf = pdf_text(build.pdf.as_ref().unwrap());
    let expected = squeeze(
        r"#set page(width: 1cm) #panic(1) $x^2$ *bold* _it_ @ref <lab> [x] a \ b // not a comment /* nor this */ #code #{ } = heading",
    );
    assert!(pdf.contains(&expected), "{pdf}");
}

#[test]
fn same_input_gives_the_same_pdf() {
    let (_dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let first = engine().build(&path, &BUILD).unwrap().pdf.unwrap();
    let second = engine().build(&path, &BUILD).unwrap().pdf.unwrap();
    assert!(first == second);
}

#[test]
fn notes_leads_signatures_and_the_imprint_are_set_and_conserved() {
    let text = MINIMAL
        .edit("name = \"测试报\"", "name = \"测试报\"\naddress = \"示例路1号\"\nprice = \"1.00元\"")
        .edit(
            "byline = \"张三\"",
            "byline = \"张三\"\neditor-note = \"这是编者按。\"\nlead = \"这是导语。\"\nsignature = [\"某某编辑部\", \"2024年3月5日\"]\nheadline-span = 1\nboxed = true",
        );
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let pdf = pdf_text(build.pdf.as_ref().unwrap());
    for piece in [
        "【编者按】这是编者按。",
        "这是导语。",
        "（张三）某某编辑部2024年3月5日",
        "地址：示例路1号",
        "定价：1.00元",
    ] {
        assert!(pdf.contains(piece), "{piece} in {pdf}");
    }
    let too_wide = MINIMAL.edit("byline = \"张三\"", "byline = \"张三\"\nheadline-span = 3");
    let (_dir, path) = write_issue("issue.toml", &too_wide, &[]);
    let Err(error) = engine().build(&path, &BUILD) else { panic!("a headline wider than its frame builds") };
    assert!(error.to_string().contains("articles[0].headline-span"), "{error}");
}

#[test]
fn pictures_are_placed_with_their_captions() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"><rect width=\"4\" height=\"3\" fill=\"#68a\"/></svg>";
    let text = MINIMAL.edit(
        "[[articles]]",
        "[[pages.pictures]]\nimage = \"pictures/p.svg\"\ncaption = \"图片说明\"\ncredit = \"某某摄\"\ncolumn = 3\nspan = 2\nline = 13\nlines = 20\n\n[[articles]]",
    ) + "\n[articles.picture]\nimage = \"pictures/p.svg\"\ncaption = \"压题照片\"\nlines = 8\n";
    let (_dir, path) = write_issue("issue.toml", &text, &[("pictures/p.svg", svg)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let pdf = pdf_text(build.pdf.as_ref().unwrap());
    assert!(pdf.contains("图片说明某某摄") && pdf.contains("压题照片"), "{pdf}");
    // The picture data is in the generated program once, though two frames show it.
    let pictures = build.generated.data.iter().filter(|(p, _)| p.starts_with("/pictures/")).count();
    assert_eq!(pictures, 1);
}

#[test]
fn a_logo_stands_for_the_name_and_running_heads_credit_the_desk() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 2\"><rect width=\"8\" height=\"2\"/></svg>";
    let text = MINIMAL.edit("name = \"测试报\"", "name = \"测试报\"\nlogo = \"logo.svg\"")
        + "\n[[pages]]\nnumber = 2\nsection = \"综合\"\neditor = \"张三\"\ndesigner = \"李四\"\nproofreader = \"王五\"\n";
    let (_dir, path) = write_issue("issue.toml", &text, &[("logo.svg", svg)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let pdf = pdf_text(build.pdf.as_ref().unwrap());
    assert!(pdf.contains("责任编辑：张三美编：李四校对：王五"), "{pdf}");
    assert_eq!(pdf.matches("测试报").count(), 1, "the logo replaces the name; the running head keeps it");
}

#[test]
fn a_short_article_sits_beside_the_masthead() {
    let ear = "[[pages.frames]]\narticle = \"ear\"\ncolumn = 3\nspan = 2\nline = 2\nlines = 9\near = true\n\n[[articles]]\nid = \"ear\"\ntitle = \"天气\"\nbody = \"晴，气温十五至二十五度。\"\n\n[[articles]]";
    let text = MINIMAL.replacen("[[articles]]", ear, 1);
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert!(pdf_text(build.pdf.as_ref().unwrap()).contains("天气晴，气温十五至二十五度。"));

    let (_dir, path) = write_issue("issue.toml", &text.edit("lines = 9\near", "lines = 20\near"), &[]);
    let Err(error) = engine().build(&path, &BUILD) else { panic!("an ear below the masthead builds") };
    assert!(error.to_string().contains("a 报眼 frame stays within the masthead's lines"), "{error}");
}

#[test]
fn a_headline_only_article_and_an_odd_file_name_build() {
    let text = MINIMAL.edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", "body = \"\"");
    // A file name that would end a comment: nothing from the issue's path reaches the source.
    let (_dir, path) = write_issue("odd\n#panic(1).toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert!(!build.generated.main.contains("panic"));
    assert!(pdf_text(build.pdf.as_ref().unwrap()).contains("标题"));
}
