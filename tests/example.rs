//! The shipped example builds, and its PDF holds every article's text exactly once.

mod common;

use banmian::body;
use banmian::issue::IssueFile;
use common::{MINIMAL, engine, example, pdf_text, squeeze, write_issue};

/// Each article's text in reading order, as an independent reading of the issue data gives it.
fn article_texts(path: &std::path::Path) -> Vec<(String, String)> {
    let file = IssueFile::read(path).unwrap();
    file.issue
        .articles
        .iter()
        .map(|a| {
            let markdown = match (&a.body, &a.body_file) {
                (Some(body), _) => body.clone(),
                (None, Some(rel)) => std::fs::read_to_string(file.dir().join(rel)).unwrap(),
                (None, None) => String::new(),
            };
            let body: String = body::parse(&markdown).iter().map(|b| b.text()).collect();
            let byline = a.byline.as_ref().map(|b| format!("（{b}）")).unwrap_or_default();
            let text = [a.kicker.clone(), Some(a.title.clone()), a.subtitle.clone(), a.dateline.clone()]
                .into_iter()
                .flatten()
                .collect::<String>()
                + &body
                + &byline;
            (a.id.clone(), squeeze(&text))
        })
        .collect()
}

#[test]
fn kaifaqu_example_holds_every_article_exactly_once() {
    let path = example("kaifaqu-2023-10");
    let build = engine().build(&path, true).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let text = pdf_text(build.pdf.as_ref().unwrap());
    for (id, article) in article_texts(&path) {
        assert!(article.chars().count() > 10, "{id} has text");
        assert_eq!(text.matches(&article).count(), 1, "article `{id}` must appear once, whole and in order");
    }
    // No frame overflows and every frame is used.
    for article in &build.report.articles {
        assert!(article.overflow.is_none());
        assert!(article.frames.iter().all(|f| f.chars > 0 && f.used_lines <= f.lines));
        let placed: usize = article.frames.iter().map(|f| f.chars).sum();
        assert_eq!(placed, article.chars, "{} placed in full", article.id);
    }
}

#[test]
fn typst_syntax_in_the_body_prints_literally() {
    let hostile = r"#set page(width: 1cm) #panic(1) $x^2$ \*bold\* \_it\_ @ref <lab> \[x\] a \\ b // not a comment /* nor this */ `#code` \#{ } = heading";
    let text = MINIMAL.replace("第二段正文。", hostile);
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, true).unwrap();
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
    let first = engine().build(&path, true).unwrap().pdf.unwrap();
    let second = engine().build(&path, true).unwrap().pdf.unwrap();
    assert!(first == second);
}
