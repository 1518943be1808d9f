//! Text in, text out: every ASCII punctuation mark and the notations programmers write go through
//! both body formats into a real PDF, and its text gives back exactly what the format promises —
//! as written, or (Markdown only) the few constructs it interprets; what Markdown would swallow
//! is refused at its line and column.

mod common;

use banmian::Error;
use common::{BUILD, MINIMAL, engine, pdf_text, squeeze, write_issue};
use proptest::prelude::*;

const INLINE_BODY: &str = "body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"";

/// Paragraphs that print exactly as written in either format. Each notation gets its own
/// paragraph so that no two backticks or brackets pair up across them.
const AS_WRITTEN: [&str; 11] = [
    "标点 ! \" # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ _ ` { | } ~ 止",
    "标识符 _a_b_ 与 _N_GNU_nonoption_argv_flags_ 和 __init__ 原样。",
    "类别 [:alnum:](字母和数字) 与 [x](y) 止",
    "标签 <a> 与 <https://www.debian.org/> 止",
    "反斜杠 \\ 与 C:\\Users 止",
    "星号 * 与 *强调* 与 a*b 止",
    "井号 # 与 #话题# 止",
    "删除线 ~~x~~ 止",
    "图片 ![说明](p.png) 止",
    "脚注[^1] 止",
    "数学 $x$ 与 @ref 和 // 注 止",
];

/// Paragraphs Markdown interprets, with what each prints in Markdown.
const INTERPRETED: [(&str, &str); 4] = [
    ("代码 `x` 与 `**不加粗**` 止", "代码 x 与 **不加粗** 止"),
    ("转义 \\[x\\] 与 \\* 止", "转义 [x] 与 * 止"),
    ("**提示：**正文要加粗", "提示：正文要加粗"),
    ("实体 AT&amp;T 止", "实体 AT&T 止"),
];

/// MINIMAL with the article in one wide column, so no notation meets a column edge, the body
/// in `body.md`, and `extra` added to the top level and to the article.
fn issue(top: &str, article: &str) -> String {
    let text = MINIMAL.replace("span = 2", "span = 5\ncolumns = 1").replace("lines = 30", "lines = 60");
    let text = text.replace(INLINE_BODY, &format!("body-file = \"body.md\"\n{article}"));
    format!("{top}\n{text}")
}

/// The body text of the built PDF, whitespace removed.
fn built_text(text: &str, body: &str) -> String {
    let (_dir, path) = write_issue("issue.toml", text, &[("body.md", body)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    pdf_text(build.pdf.as_ref().unwrap())
}

fn body() -> String {
    AS_WRITTEN.iter().copied().chain(INTERPRETED.iter().map(|(md, _)| *md)).collect::<Vec<_>>().join("\n\n")
}

#[test]
fn plain_text_prints_every_mark_as_written() {
    let pdf = built_text(&issue("body-format = \"text\"", ""), &body());
    for paragraph in AS_WRITTEN.iter().chain(INTERPRETED.iter().map(|(md, _)| md)) {
        assert!(pdf.contains(&squeeze(paragraph)), "`{paragraph}` not in the PDF's text:\n{pdf}");
    }
    assert!(!pdf.contains(&squeeze("提示：正文要加粗")));
}

#[test]
fn markdown_prints_the_rest_as_written() {
    // Markdown is the default, and an article's own format wins over the issue's.
    for text in [issue("", ""), issue("body-format = \"text\"", "body-format = \"markdown\"")] {
        let pdf = built_text(&text, &body());
        for paragraph in AS_WRITTEN.iter().chain(INTERPRETED.iter().map(|(_, printed)| printed)) {
            assert!(pdf.contains(&squeeze(paragraph)), "`{paragraph}` not in the PDF's text:\n{pdf}");
        }
    }
}

#[test]
fn an_articles_text_format_overrides_the_issues_markdown() {
    let pdf = built_text(&issue("", "body-format = \"text\""), "**粗** [a](b)");
    assert!(pdf.contains("**粗**[a](b)"), "{pdf}");
}

/// The error building `text` as `name` (with `files`) gives.
fn error_of(name: &str, text: &str, files: &[(&str, &str)]) -> String {
    let (_dir, path) = write_issue(name, text, files);
    match engine().build(&path, &BUILD) {
        Err(e @ Error::Invalid(_)) => e.to_string(),
        Err(e) => panic!("expected a data error, got {e}"),
        Ok(build) => panic!("the build should have been refused: {:?}", build.errors),
    }
}

#[test]
fn a_reference_definition_is_refused_at_its_place_in_the_body_file() {
    let m = error_of(
        "issue.toml",
        &issue("", ""),
        &[("body.md", "正文 [a] 续。\n\n  [a]: https://example.org\n")],
    );
    assert!(m.contains("body.md:3:3: articles[0].body-file: `[a]: https://example.org`"), "{m}");
    assert!(m.contains("link reference definition") && m.contains("\\["), "{m}");
}

#[test]
fn a_problem_in_an_inline_body_is_placed_in_the_issue_file() {
    // The body starts on line 27 of the issue file; the comment is on its third line, after
    // escapes that the position must look past.
    let body = "body = \"\"\"\n第一段\\u6B63文。\n\n第二段 \\\"引\\\" <!-- 注 -->。\n\"\"\"";
    let m = error_of("issue.toml", &MINIMAL.replace(INLINE_BODY, body), &[]);
    assert!(m.contains("issue.toml:29:11: articles[0].body: an HTML comment"), "{m}");
    assert!(m.contains("\\<!--"), "{m}");
    // A JSON body writes its line ends as `\n`: the place is on the value's own line.
    let json = r#"{"layout": "tabloid", "paper": {"name": "测试报"}, "issue": {"number": 1, "date": "2024-03-05"},
"pages": [{"number": 1, "frames": [{"article": "a", "column": 1, "span": 2, "line": 13, "lines": 30}]}],
"articles": [{"id": "a", "title": "标题", "body": "第一段。\n\n> 引文"}]}"#;
    let m = error_of("issue.json", json, &[]);
    let column =
        "\"articles\": [{\"id\": \"a\", \"title\": \"标题\", \"body\": \"第一段。\\n\\n".chars().count() + 1;
    assert!(m.contains(&format!("issue.json:3:{column}: articles[0].body: a line starting with `>`")), "{m}");
}

/// Bold left open prints its `**` as written — nothing is lost — and the build warns at its
/// place in the body file, as it would place an error.
#[test]
fn bold_without_its_partner_prints_its_asterisks_and_is_warned_of_at_its_place() {
    let (_dir, path) =
        write_issue("issue.toml", &issue("", ""), &[("body.md", "第一段。\n\n正文 **重点未闭合。\n")]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let warned: Vec<String> = build.warnings.iter().map(|w| w.to_string()).collect();
    let at = warned.iter().find(|w| w.contains("has no partner")).expect("a warning for the `**`");
    assert!(at.contains("body.md:3:4: articles[0].body-file"), "{at}");
    assert!(squeeze(&pdf_text(build.pdf.as_ref().unwrap())).contains("正文**重点未闭合。"));
}

/// Notations Markdown gives a meaning the page cannot set, or none: each prints as written.
const NOTATIONS: [&str; 40] = [
    "_a_b_",
    "_N_GNU_nonoption_argv_flags_",
    "__init__",
    "[x](y)",
    "[:alnum:](字母和数字)",
    "![图](p.png)",
    "<a>",
    "</a>",
    "<https://www.debian.org/>",
    "<sanvila@debian.org>",
    "*x*",
    "*",
    "_",
    "~~x~~",
    "$x$",
    "@ref",
    "//",
    "http://a.b/c?d=e",
    "{}",
    "|",
    "^",
    "!",
    "\"",
    "'",
    "(",
    ")",
    "+",
    ",",
    "-",
    ".",
    ":",
    ";",
    "=",
    "?",
    "[",
    "]",
    "#",
    "%",
    "[^1]",
    "a*b",
];

/// A body mixing the notations with Chinese and Latin words, each line opening with Chinese text
/// (so no line starts a block construct) and no `**` anywhere (the one mark that means bold).
fn as_written_body() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => prop::sample::select(NOTATIONS.to_vec()).prop_map(String::from),
        2 => prop::sample::select(vec!["汉字", "正文", "word", "Debian", "123"]).prop_map(String::from),
    ];
    let separator = prop::sample::select(vec!["", " ", "中文", "\n中", "\n\n中"]);
    prop::collection::vec((token, separator), 1..40)
        .prop_map(|parts| parts.into_iter().fold("中".to_string(), |body, (t, s)| body + &t + s))
        .prop_filter("`**` makes bold", |body| !body.contains("**"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever comrak makes of the marks — links, emphasis, HTML, nothing — the page gets them
    /// back as written, in both formats.
    #[test]
    fn notations_print_as_written_in_any_mix(body in as_written_body()) {
        let markdown: String = banmian::body::parse(&body).unwrap().blocks.iter().map(|b| b.text()).collect();
        prop_assert_eq!(squeeze(&markdown), squeeze(&body));
        let text: String = banmian::body::parse_text(&body).iter().map(|b| b.text()).collect();
        prop_assert_eq!(squeeze(&text), squeeze(&body));
    }
}

#[test]
fn the_schema_offers_the_body_formats_issue_wide_and_per_article() {
    let schema = banmian::issue::schema();
    assert!(schema["properties"]["body-format"].is_object(), "{schema:#}");
    assert!(schema["$defs"]["Article"]["properties"]["body-format"].is_object(), "{schema:#}");
    let formats = serde_json::to_string(&schema["$defs"]["BodyFormat"]).unwrap();
    assert!(formats.contains("\"markdown\"") && formats.contains("\"text\""), "{formats}");
}
