//! Every class of bad input gives an error naming the file, line, column and key path.

mod common;

use banmian::Error;
use common::{BUILD, Edit, MINIMAL, engine, write_issue};

/// Builds `text` as `name` and returns the error message; panics if the build succeeds.
fn error_of(name: &str, text: &str, files: &[(&str, &str)]) -> String {
    let (_dir, path) = write_issue(name, text, files);
    match engine().build(&path, &BUILD) {
        Err(e @ Error::Invalid(_)) => e.to_string(),
        Err(e) => panic!("expected a data error, got {e}"),
        Ok(build) if !build.errors.is_empty() => Error::Invalid(build.errors).to_string(),
        Ok(_) => panic!("the build of {name} should have failed"),
    }
}

/// Asserts the message holds every part, and reports one problem only (no cascade).
fn assert_has(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "`{part}` not in:\n{message}");
    }
    assert_eq!(message.lines().count(), 1, "one error expected:\n{message}");
}

#[test]
fn the_minimal_issue_builds() {
    let (_dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert!(build.pdf.unwrap().starts_with(b"%PDF"));
}

#[test]
fn unknown_key() {
    let text = MINIMAL.edit("span = 2", "span = 2\ncolour = \"red\"");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["issue.toml:18:1", "pages[0].frames[0].colour", "unknown field `colour`"]);
}

#[test]
fn missing_required_key() {
    let text = MINIMAL.edit("title = \"标题\"\n", "");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["issue.toml:", "articles[0]", "missing field `title`"]);
}

#[test]
fn impossible_values() {
    let m = error_of("issue.toml", &MINIMAL.edit("number = 1\ndate", "number = -1\ndate"), &[]);
    assert_has(&m, &["issue.toml:7:10", "issue.number"]);
    let m = error_of("issue.toml", &MINIMAL.edit("2024-03-05", "\"2024-02-30\""), &[]);
    assert_has(&m, &["issue.toml:8:8", "issue.date", "2024-02-30"]);
}

#[test]
fn frame_naming_an_unknown_article() {
    let m = error_of("issue.toml", &MINIMAL.edit("article = \"a\"", "article = \"b\""), &[]);
    // Article `a` is then rightly reported as placed nowhere, too.
    let first = m.lines().next().unwrap();
    assert_has(first, &["issue.toml:15:1", "pages[0].frames[0].article", "no article has the id `b`"]);
}

#[test]
fn article_in_no_frame() {
    let text = format!("{MINIMAL}\n[[articles]]\nid = \"lost\"\ntitle = \"无处\"\nbody = \"正文\"\n");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["issue.toml:33:1", "articles[1].id", "`lost` is placed in no frame"]);
}

#[test]
fn frame_outside_the_grid() {
    let m = error_of("issue.toml", &MINIMAL.edit("span = 2", "span = 9"), &[]);
    assert_has(&m, &["issue.toml:17:1", "pages[0].frames[0].span", "leaves the grid's 5 columns"]);
    let m = error_of("issue.toml", &MINIMAL.edit("lines = 30", "lines = 90"), &[]);
    assert_has(&m, &["issue.toml:19:1", "pages[0].frames[0].lines", "grid's 80 lines"]);
}

#[test]
fn frame_in_the_masthead() {
    let m = error_of("issue.toml", &MINIMAL.edit("line = 13", "line = 3"), &[]);
    assert_has(&m, &["issue.toml:18:1", "pages[0].frames[0].line", "hold the masthead"]);
}

#[test]
fn overlapping_frames() {
    let text = MINIMAL.edit(
        "[[articles]]",
        "[[pages.frames]]\narticle = \"b\"\ncolumn = 2\nspan = 2\nline = 20\nlines = 10\n\n[[articles]]\nid = \"b\"\ntitle = \"乙\"\nbody = \"乙文\"\n\n[[articles]]",
    );
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["issue.toml:21:1", "pages[0].frames[1]", "overlaps pages[0].frames[0]"]);
}

#[test]
fn too_many_inner_columns() {
    let m = error_of("issue.toml", &MINIMAL.edit("span = 2", "span = 2\ncolumns = 9"), &[]);
    assert_has(&m, &["pages[0].frames[0].columns", "less than 4 characters"]);
}

#[test]
fn body_file_outside_the_issue_folder() {
    let text =
        MINIMAL.edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", "body-file = \"../secret.md\"");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["issue.toml:26:1", "articles[0].body-file", "inside the issue's folder"]);
}

#[test]
fn missing_body_file() {
    let text = MINIMAL.edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", "body-file = \"gone.md\"");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["articles[0].body-file", "cannot read body file"]);
}

#[test]
fn unknown_layout() {
    let m = error_of("issue.toml", &MINIMAL.edit("\"tabloid\"", "\"octavo\""), &[]);
    assert_has(&m, &["issue.toml:1:1", "layout", "`octavo` is neither a built-in layout"]);
}

#[test]
fn json_issue_errors_have_places_too() {
    let json = r#"{
  "layout": "tabloid",
  "paper": { "name": "测试报" },
  "issue": { "number": 1, "date": "2024-03-05" },
  "pages": [ { "number": 1, "frames": [
    { "article": "a", "column": 1, "span": 7, "line": 13, "lines": 10 } ] } ],
  "articles": [ { "id": "a", "title": "标题", "body": "正文" } ]
}"#;
    let m = error_of("issue.json", json, &[]);
    assert_has(&m, &["issue.json:6:36", "pages[0].frames[0].span"]);
    let m = error_of("issue.json", &json.edit("\"id\": \"a\"", "\"id\": \"a\", \"colour\": 1"), &[]);
    assert_has(&m, &["issue.json:7:", "articles[0]", "unknown field `colour`"]);
}

#[test]
fn text_that_does_not_fit_fails_with_the_amount() {
    let long = "这是一段很长的正文，用来测试版面放不下的情况。".repeat(120);
    let text = MINIMAL.edit("第二段正文。", &long);
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["article `a` does not fit its frame on page 1", "差 ", " 行 / ", " 字"]);
}

#[test]
fn a_character_no_font_has_is_named() {
    // U+2A6A5 is a CJK Extension B ideograph; the shipped faces keep the basic block only.
    let text = MINIMAL.edit("第一段正文。", "第一段\u{2A6A5}正文。");
    let m = error_of("issue.toml", &text, &[]);
    assert_has(&m, &["U+2A6A5", "article `a`", "page 1"]);
}

#[test]
fn malformed_masthead_fields() {
    let with = |field: &str| MINIMAL.edit("name = \"测试报\"", &format!("name = \"测试报\"\n{field}"));
    let m = error_of("issue.toml", &with("cn = \"CN 99-0001/F\""), &[]);
    assert_has(&m, &["issue.toml:5:1", "paper.cn", "province code"]);
    let m = error_of("issue.toml", &with("cn = \"14-0001\""), &[]);
    assert_has(&m, &["paper.cn", "is not a CN number"]);
    let m = error_of("issue.toml", &with("postal-code = \"2112\""), &[]);
    assert_has(&m, &["issue.toml:5:1", "paper.postal-code", "邮发代号"]);
}

#[test]
fn a_broken_layout_template_is_reported_at_its_line() {
    let tabloid = banmian::layout::BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let layout = format!("template = \"broken.typ\"\n{tabloid}");
    let template = include_str!("../layouts/newspaper.typ").edit(
        "#let dateline(L, body) = [#styled(L, \"dateline\", body)~]",
        "#let dateline(L, body) = [#styled(L, \"dateline\", body)~#undefined-thing]",
    );
    assert!(template.contains("undefined-thing"));
    let text = MINIMAL.edit("layout = \"tabloid\"", "layout = \"mine.toml\"");
    let m = error_of("issue.toml", &text, &[("mine.toml", &layout), ("broken.typ", &template)]);
    let line = template.lines().position(|l| l.contains("undefined-thing")).unwrap() + 1;
    assert!(m.contains(&format!("broken.typ:{line}:")), "{m}");
    assert!(m.contains("unknown variable: undefined-thing"), "{m}");
}

#[test]
fn a_layout_with_an_impossible_grid_is_refused() {
    let tabloid = banmian::layout::BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let layout = tabloid.edit("columns = 5", "columns = 50");
    let text = MINIMAL.edit("layout = \"tabloid\"", "layout = \"wide.toml\"");
    let m = error_of("issue.toml", &text, &[("wide.toml", &layout)]);
    assert_has(&m, &["wide.toml:1:1", "does not fit the page"]);
}

#[test]
fn a_picture_background_missing_from_the_colours_is_refused_at_its_line() {
    let tabloid = banmian::layout::BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1;
    let layout = tabloid.edit("background = \"paper\"", "background = \"cream\"");
    let line = layout.lines().position(|l| l.starts_with("background")).unwrap() + 1;
    let text = MINIMAL.edit("layout = \"tabloid\"", "layout = \"mine.toml\"");
    let m = error_of("issue.toml", &text, &[("mine.toml", &layout)]);
    assert_has(
        &m,
        &[&format!("mine.toml:{line}:1"), "pictures.background", "`cream` is not a colour of [colors]"],
    );
}

#[test]
fn a_picture_fit_is_cover_or_contain() {
    let m = error_of(
        "issue.toml",
        &with_picture("p.svg").edit("lines = 20", "lines = 20\nfit = \"stretch\""),
        &[],
    );
    assert_has(&m, &["issue.toml:28:7", "pages[0].pictures[0].fit", "unknown variant `stretch`"]);
}

/// MINIMAL with a picture frame beside the article, showing `image`.
fn with_picture(image: &str) -> String {
    MINIMAL.edit(
        "[[articles]]",
        &format!(
            "[[pages.pictures]]\nimage = \"{image}\"\ncaption = \"图片说明\"\ncolumn = 3\nspan = 2\nline = 13\nlines = 20\n\n[[articles]]"
        ),
    )
}

#[test]
fn pictures_stay_inside_the_issue_folder() {
    let m = error_of("issue.toml", &with_picture("../outside.png"), &[]);
    assert_has(&m, &["issue.toml:22:1", "pages[0].pictures[0].image", "inside the issue's folder"]);
    let m = error_of("issue.toml", &with_picture("/etc/passwd"), &[]);
    assert_has(&m, &["pages[0].pictures[0].image", "inside the issue's folder"]);
}

#[test]
fn a_missing_or_unreadable_picture_is_named() {
    let m = error_of("issue.toml", &with_picture("gone.png"), &[]);
    assert_has(&m, &["pages[0].pictures[0].image", "cannot read picture", "gone.png"]);
    let m = error_of("issue.toml", &with_picture("notes.png"), &[("notes.png", "not a picture")]);
    assert_has(&m, &["pages[0].pictures[0].image", "notes.png is not a PNG, JPEG or SVG picture"]);
    // A PNG cut short is refused at its key, before Typst would fail on it.
    let (dir, path) = write_issue("issue.toml", &with_picture("cut.png"), &[]);
    std::fs::write(dir.path().join("cut.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let Err(e) = engine().build(&path, &BUILD) else { panic!("a PNG cut short builds") };
    assert_has(&e.to_string(), &["issue.toml:22:1", "pages[0].pictures[0].image", "cannot decode picture"]);
}

#[test]
fn a_picture_over_an_article_is_refused() {
    let text = with_picture("p.svg").edit("column = 3\nspan = 2", "column = 2\nspan = 2");
    let m = error_of("issue.toml", &text, &[("p.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]);
    assert_has(&m, &["pages[0].pictures[0]", "this picture overlaps pages[0].frames[0] (article `a`)"]);
}

#[test]
fn combinations_the_page_cannot_hold_are_refused() {
    let vertical =
        MINIMAL.edit("byline = \"张三\"", "byline = \"张三\"\nheadline = \"vertical\"\nlead = \"导语。\"");
    let m = error_of("issue.toml", &vertical, &[]);
    assert_has(&m, &["articles[0].headline", "a vertical headline carries no"]);
    let ear = MINIMAL.edit("date = 2024-03-05", "date = 2024-03-05\ncontents = true").edit(
        "lines = 30",
        "lines = 30\n\n[[pages.frames]]\narticle = \"e\"\ncolumn = 3\nspan = 2\nline = 2\nlines = 8\near = true",
    ) + "\n[[articles]]\nid = \"e\"\ntitle = \"耳\"\nbody = \"短讯。\"\n";
    let m = error_of("issue.toml", &ear, &[]);
    assert_has(&m, &["issue.contents", "keep one"]);
}

#[test]
fn a_frame_too_small_for_text_and_jump_line_is_named() {
    let body = "很长的正文需要转版。".repeat(40);
    let text = MINIMAL.edit("第二段正文。", &body).edit(
        "lines = 30",
        "lines = 4\n\n[[pages]]\nnumber = 2\n\n[[pages.frames]]\narticle = \"a\"\ncolumn = 1\nspan = 5\nline = 1\nlines = 40",
    );
    let m = error_of("issue.toml", &text, &[]);
    assert!(m.contains("article `a`: its frame on page 1 is too small"), "{m}");
}
