//! Long runs — URLs, e-mail addresses, paths, identifiers, long numbers — break where a reader
//! expects, never stop a build, and never put a character of the engine's into the PDF's text.

mod common;

use std::process::Command;

use common::{BUILD, Edit, MINIMAL, engine, squeeze, write_issue};
use proptest::prelude::*;

/// Mixed Chinese–Latin prose full of runs no Unicode rule may break.
const URL_HEAVY: &str = "请访问https://www.debian.org/doc/manuals/debian-faq/ch-basic_defs.zh-cn.html了解详情，\
或发邮件到‹sanvila@debian.org›Installed-Size:询问。电话13935108044，版本1.2.3-rc1。\n\n\
路径/usr/share/doc/fortunes-zh/copyright与LC_ALL、LC_MESSAGES、LC_CTYPE_AND_SOMETHING_VERY_LONG_IDENTIFIER都可以。\n\n\
镜像ftp://ftp.cn.debian.org/debian/pool/main/f/fortune-zh/?C=M;O=D&page=2每天同步。";

/// The text layer of a PDF as `pdftotext -raw` gives it: in the order the PDF holds it (a
/// squeezed line may move a compressed CJK quote's box before the mark it follows, which
/// would reorder the two in `pdftotext`'s reading-order modes), line-end hyphens kept.
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().unwrap_or_else(|e| {
        panic!("pdftotext is needed for this test (Debian: apt-get install poppler-utils): {e}")
    });
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// An issue whose article, in one grid column, has `body`.
fn narrow(body: &str) -> String {
    MINIMAL
        .edit("span = 2", "span = 1")
        .edit("lines = 30", "lines = 60")
        .edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", &format!("body = '''\n{body}\n'''"))
}

#[test]
fn long_runs_break_and_the_text_layer_is_the_articles_text() {
    let (_dir, path) = write_issue("issue.toml", &narrow(URL_HEAVY), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let text = pdftotext(build.pdf.as_ref().unwrap());
    assert!(!text.contains('\u{200B}'), "the PDF's text holds zero-width spaces");
    let page = squeeze(&text);
    for paragraph in URL_HEAVY.split("\n\n") {
        assert!(page.contains(&squeeze(paragraph)), "{paragraph} is not in the PDF's text:\n{text}");
    }
    // Every break in those runs is one a reader expects: none reported as an emergency.
    let counts = &build.report.articles[0].composition;
    assert_eq!((counts.emergency_break, counts.closing_at_start), (0, 0), "{:?}", build.warnings);
}

#[test]
fn a_run_no_rule_can_break_is_broken_anyway_and_reported() {
    let digits = "9".repeat(60);
    let (_dir, path) = write_issue("issue.toml", &narrow(&format!("编号{digits}结束。")), &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let counts = &build.report.articles[0].composition;
    assert!(counts.emergency_break >= 2, "{counts:?}");
    assert_eq!(counts.off_grid, 0);
    assert!(build.warnings.iter().any(|w| w.message.contains("no rule allows")), "{:?}", build.warnings);
    assert!(squeeze(&pdftotext(build.pdf.as_ref().unwrap())).contains(&format!("编号{digits}结束。")));
}

/// Pieces of mixed newspaper prose: Chinese words, Latin words, digits, URLs, e-mail
/// addresses, identifiers, and every printable ASCII punctuation mark.
fn piece() -> impl Strategy<Value = String> {
    let chinese = proptest::sample::select(vec![
        "开发区",
        "新材料",
        "项目建设",
        "高质量发展",
        "，",
        "。",
        "、",
        "“铝镁”",
        "（见习记者）",
    ]);
    let latin = "[a-zA-Z]{1,12}";
    let digits = "[0-9]{1,40}";
    let url = "(https?|ftp)://[a-z]{2,10}(\\.[a-z]{2,8}){1,3}(/[a-zA-Z0-9_\\-]{1,12}){0,4}/?(\\?[a-z]{1,5}=[0-9]{1,4}(&[a-z]{1,5}=[0-9]{1,4}){0,2})?";
    let mail = "[a-z][a-z0-9._\\-]{0,15}@[a-z]{2,10}\\.(org|com|cn)";
    let identifier = "[A-Z_]{1,6}(_[A-Za-z0-9]{1,10}){1,5}";
    let punctuation = proptest::sample::select(
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".chars().map(String::from).collect::<Vec<_>>(),
    );
    prop_oneof![
        3 => chinese.prop_map(String::from),
        1 => latin.prop_map(|w| format!(" {w} ")),
        1 => digits.prop_map(String::from),
        1 => url.prop_map(String::from),
        1 => mail.prop_map(String::from),
        1 => identifier.prop_map(String::from),
        1 => punctuation,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Whatever the mix and the frame's width, the build succeeds, the PDF's text is the
    /// article's, and every body line sits on the grid.
    #[test]
    fn any_mix_of_runs_builds_and_reads_back_as_written(
        pieces in proptest::collection::vec(piece(), 5..40),
        span in 1u32..=3,
    ) {
        let body: String = pieces.concat().trim().to_string();
        let issue = MINIMAL
            .edit("span = 2", &format!("span = {span}\ncolumns = 1"))
            .edit("lines = 30", "lines = 66")
            .edit("title = \"标题\"", "title = \"标题\"\nbody-format = \"text\"")
            .edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", &format!("body = '''\n{body}\n'''"));
        let (_dir, path) = write_issue("issue.toml", &issue, &[]);
        let build = engine().build(&path, &BUILD).unwrap();
        prop_assert!(build.errors.is_empty(), "{:?}", build.errors);
        let text = squeeze(&pdftotext(build.pdf.as_ref().unwrap()));
        prop_assert!(!text.contains('\u{200B}'), "the PDF's text holds zero-width spaces");
        prop_assert!(text.contains(&squeeze(&body)), "{body}\nis not in the PDF's text:\n{text}");
        prop_assert_eq!(build.report.articles[0].composition.off_grid, 0, "{:?}", build.warnings);
    }
}

/// Found by the property test above: when a paragraph's first word does not fit beside its
/// first-line indent, Typst broke the line right after the indent, and the empty first line
/// pushed the whole paragraph a leading (2.7 pt) below the baseline grid.
#[test]
fn a_first_word_too_long_for_the_indented_line_keeps_the_grid() {
    let body = "91327340958158362项目建设ftp://decmzujcvf.rw.ddkmgk/_2zz7_I0-Kp/4A/-V__x-QPUM_?qli=96&xzky=4&a=08开发区、";
    let issue = MINIMAL
        .edit("span = 2", "span = 1\ncolumns = 1")
        .edit("lines = 30", "lines = 66")
        .edit("title = \"标题\"", "title = \"标题\"\nbody-format = \"text\"")
        .edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", &format!("body = '''\n{body}\n'''"));
    let (_dir, path) = write_issue("issue.toml", &issue, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert_eq!(build.report.articles[0].composition.off_grid, 0, "{:?}", build.warnings);
}
