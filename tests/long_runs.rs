//! Long runs — URLs, e-mail addresses, paths, identifiers, long numbers — break where a reader
//! expects, never stop a build, and never put a character of the engine's into the PDF's text.

mod common;

use std::process::Command;

use common::{BUILD, Edit, MINIMAL, engine, squeeze, write_issue};

/// Mixed Chinese–Latin prose full of runs no Unicode rule may break.
const URL_HEAVY: &str = "请访问https://www.debian.org/doc/manuals/debian-faq/ch-basic_defs.zh-cn.html了解详情，\
或发邮件到‹sanvila@debian.org›Installed-Size:询问。电话13935108044，版本1.2.3-rc1。\n\n\
路径/usr/share/doc/fortunes-zh/copyright与LC_ALL、LC_MESSAGES、LC_CTYPE_AND_SOMETHING_VERY_LONG_IDENTIFIER都可以。\n\n\
镜像ftp://ftp.cn.debian.org/debian/pool/main/f/fortune-zh/?C=M;O=D&page=2每天同步。";

/// The text layer of a PDF as `pdftotext` gives it (the tool a desk uses to check a PDF).
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().unwrap_or_else(|e| {
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
