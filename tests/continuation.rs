//! Continuation across random chains and random texts: every character exactly once, each part
//! inside its frame (checked by the engine's verification of the laid-out glyphs), parts
//! contiguous and in chain order, jump pages right, the byline once at the true end.

mod common;

use banmian::Error;
use common::{BUILD, engine, pdf_text, squeeze, write_issue};
use proptest::prelude::*;

/// Pieces a random body is made of: Chinese text, Latin words, digits and punctuation.
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车";
const LATIN: [&str; 8] = ["Typst", "GDP", "5G", "CPU", "iPhone", "PDF/A", "COVID-19", "A股"];
const PUNCT: [&str; 14] = ["，", "。", "、", "；", "：", "？", "！", "“", "”", "（", "）", "《", "》", "——"];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(HAN.chars().collect::<Vec<_>>()).prop_map(String::from),
            1 => prop::sample::select(LATIN.to_vec()).prop_map(|w| format!(" {w} ")),
            1 => (0u32..100_000).prop_map(|n| n.to_string()),
            2 => prop::sample::select(PUNCT.to_vec()).prop_map(String::from),
        ],
        4..60,
    )
    .prop_map(|parts| parts.concat().trim().to_string() + "。")
}

/// A Markdown body: paragraphs of sentences, now and then a subhead.
fn body() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::collection::vec(sentence(), 1..6), prop::bool::weighted(0.1)), 1..16)
        .prop_map(|paras| {
            paras
                .into_iter()
                .map(|(sentences, subhead)| {
                    let text = sentences.concat();
                    if subhead { format!("## {}", text.chars().take(10).collect::<String>()) } else { text }
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        })
}

/// A chain of 2–3 frames on rising pages of a tabloid: (column, span, columns, line, lines).
fn chain() -> impl Strategy<Value = Vec<(u32, u32, u32, u32, u32)>> {
    prop::collection::vec(
        (1u32..=5, 1u32..=5, 0u32..=2, 1u32..=30, 16u32..=80).prop_map(
            |(column, span, extra, line, lines)| {
                let span = span.min(6 - column);
                let columns = (span + extra).min(span * 2).max(1);
                let lines = lines.min(81 - line);
                (column, span, columns, line, lines)
            },
        ),
        2..=3,
    )
}

fn issue(chain: &[(u32, u32, u32, u32, u32)]) -> String {
    let mut text = String::from(
        "layout = \"tabloid\"\n\n[paper]\nname = \"测试报\"\n\n[issue]\nnumber = 1\ndate = 2024-03-05\n\n",
    );
    for (k, &(column, span, columns, line, lines)) in chain.iter().enumerate() {
        // Page 1's top lines hold the masthead.
        let line = if k == 0 { line.max(13) } else { line };
        let lines = lines.min(81 - line);
        text += &format!(
            "[[pages]]\nnumber = {}\n\n[[pages.frames]]\narticle = \"a\"\ncolumn = {column}\nspan = {span}\ncolumns = {columns}\nline = {line}\nlines = {lines}\n\n",
            k + 1
        );
    }
    text += "[[articles]]\nid = \"a\"\ntitle = \"随机标题\"\ndateline = \"本报讯\"\nbyline = \"张三 李四\"\nbody-file = \"body.md\"\n";
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn continued_text_is_conserved(body in body(), chain in chain()) {
        let (_dir, path) = write_issue("issue.toml", &issue(&chain), &[("body.md", &body)]);
        let build = match engine().build(&path, &BUILD) {
            Ok(build) => build,
            Err(Error::Invalid(d)) => {
                // Only a frame too narrow for its columns may be refused.
                prop_assert!(d.iter().all(|d| d.message.contains("characters a column")), "{d:?}");
                return Ok(());
            }
            Err(e) => panic!("{e}"),
        };
        let article = &build.report.articles[0];
        if let Some(over) = &article.overflow {
            // Overset is never silent: the build fails and says by how much.
            prop_assert!(build.pdf.is_none());
            let amount = format!("差 {} 行 / {} 字", over.lines, over.chars);
            prop_assert!(build.errors.iter().any(|e| e.message.contains(&amount)), "{:?}", build.errors);
            return Ok(());
        }
        // Random punctuation clusters and digit runs can make a line no break can fit a narrow
        // column: that must fail loudly, and nothing else may.
        if !build.errors.is_empty() {
            prop_assert!(build.errors.iter().all(|e| e.message.contains("too wide for its column")), "{:?}", build.errors);
            prop_assert!(build.pdf.is_none());
            return Ok(());
        }

        // Parts are contiguous, cover the body, and jump to the next part's page.
        let expected: String = banmian::body::parse(&body).unwrap().blocks.iter().map(|b| b.text()).collect();
        let parts = &article.parts;
        prop_assert_eq!(parts[0].text_range[0], 0);
        prop_assert_eq!(parts.last().unwrap().text_range[1], expected.chars().count());
        for k in 0..parts.len() - 1 {
            prop_assert_eq!(parts[k].text_range[1], parts[k + 1].text_range[0]);
            let next_holds = parts[k + 1].text_range[0] < parts[k + 1].text_range[1];
            prop_assert_eq!(parts[k].jump_to, next_holds.then_some(parts[k + 1].page));
        }
        prop_assert_eq!(parts.iter().map(|p| p.chars).sum::<usize>(), article.chars);

        // The PDF: the body once, the byline once, after the last character of the body.
        // The dateline (its characters are not in the random texts) once, then set aside.
        let text = pdf_text(build.pdf.as_ref().unwrap());
        prop_assert_eq!(text.matches("本报讯").count(), 1);
        let text = text.replacen("本报讯", "", 1);
        let last_part = parts.iter().rfind(|p| p.text_range[0] < p.text_range[1]).unwrap();
        let tail: String = expected.chars().skip(last_part.text_range[0]).collect();
        let tail = squeeze(&tail) + "（张三李四）";
        prop_assert_eq!(text.matches(&tail).count(), 1, "the last part ends with the byline");
        prop_assert_eq!(text.matches("（张三李四）").count(), 1);
    }
}

#[test]
fn a_paragraph_over_64_kib_continues_without_loss() {
    let sentence = "新闻版面的正文在栏与栏之间连续排布，转版时不得丢字或重复。";
    let body = sentence.repeat(800); // about 70 KiB in one paragraph
    assert!(body.len() > 64 * 1024);
    let chain = [(1, 5, 5, 13, 68), (1, 5, 5, 1, 80), (1, 5, 5, 1, 80), (1, 5, 5, 1, 80), (1, 5, 5, 1, 80)];
    let text = issue(&chain);
    let (_dir, path) = write_issue("issue.toml", &text, &[("body.md", &body)]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    let article = &build.report.articles[0];
    assert_eq!(article.parts.iter().map(|p| p.chars).sum::<usize>(), article.chars);
    // Read across the page turns: each jump line, running head and jump head left out, as
    // a cut may fall inside a sentence.
    let text = pdf_text(build.pdf.as_ref().unwrap());
    let turns = regex::Regex::new("（下转第.版）.*?（上接第.版）").unwrap();
    let text = turns.replace_all(&text, "");
    assert_eq!(text.matches(sentence).count(), 800);
}

/// Copies an example into a fresh folder, so a test can edit it.
fn copy_example(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target)
            } else {
                std::fs::copy(&path, &target).map(drop).unwrap()
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(common::example(name).parent().unwrap(), dir.path());
    let issue = dir.path().join("issue.toml");
    (dir, issue)
}

#[test]
fn a_rebuild_measures_only_what_changed_and_matches_a_build_from_scratch() {
    let (dir, issue) = copy_example("kaifaqu-2023-10");
    let engine = banmian::Engine::new(&banmian::FontOptions::default());
    let first = engine.build(&issue, &BUILD).unwrap();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert!(first.report.timings.split_compiles > 0);
    let again = engine.build(&issue, &BUILD).unwrap();
    assert_eq!(again.report.timings.split_compiles, 0, "nothing changed, so nothing is measured");
    assert!(again.pdf == first.pdf);

    // Shorten one continued article: it alone is measured again, and the pages equal those
    // of an engine that never saw the issue before.
    let article = dir.path().join("articles/jiaocheng.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replacen('，', "", 3)).unwrap();
    let edited = engine.build(&issue, &BUILD).unwrap();
    assert!(edited.errors.is_empty(), "{:?}", edited.errors);
    assert!(edited.report.timings.split_compiles > 0);
    let fresh = banmian::Engine::new(&banmian::FontOptions::default()).build(&issue, &BUILD).unwrap();
    assert!(edited.pdf == fresh.pdf, "a rebuild differs from a build from scratch");
    assert!(edited.pdf != first.pdf);
    let parts = |b: &banmian::Build| {
        b.report
            .articles
            .iter()
            .map(|a| a.parts.iter().map(|p| p.text_range).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    assert_eq!(parts(&edited), parts(&fresh));
}

#[test]
fn a_frame_left_empty_keeps_its_place_before_a_continued_article() {
    // Page 2 holds `short`'s unused second frame first, then `long`'s continuation: the empty
    // frame is still placed, so `long` continues where it was measured.
    let long = "转版的正文在两个版面之间连续排布，不得丢字，也不得重复。".repeat(40);
    let text = format!(
        "layout = \"tabloid\"\n\n[paper]\nname = \"测试报\"\n\n[issue]\nnumber = 1\ndate = 2024-03-05\n\n\
         [[pages]]\nnumber = 1\n\n\
         [[pages.frames]]\narticle = \"short\"\ncolumn = 1\nspan = 2\nline = 13\nlines = 40\n\n\
         [[pages.frames]]\narticle = \"long\"\ncolumn = 3\nspan = 3\nline = 13\nlines = 20\n\n\
         [[pages]]\nnumber = 2\n\n\
         [[pages.frames]]\narticle = \"short\"\ncolumn = 1\nspan = 2\nline = 1\nlines = 30\n\n\
         [[pages.frames]]\narticle = \"long\"\ncolumn = 3\nspan = 3\nline = 1\nlines = 60\n\n\
         [[articles]]\nid = \"short\"\ntitle = \"短稿\"\nbody = \"只有一段。\"\n\n\
         [[articles]]\nid = \"long\"\ntitle = \"长稿\"\nbody = \"{long}\"\n"
    );
    let (_dir, path) = write_issue("issue.toml", &text, &[]);
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert!(
        build.warnings.iter().any(|w| w.to_string().contains("`short` ends before its frame on page 2")),
        "{:?}",
        build.warnings
    );
    let long_report = &build.report.articles[1];
    assert_eq!(long_report.parts[0].jump_to, Some(2));
    assert!(long_report.parts[1].chars > 0, "`long` continues on page 2");
    assert_eq!(long_report.parts.iter().map(|p| p.chars).sum::<usize>(), long_report.chars);
    assert_eq!(squeeze(&pdf_text(build.pdf.as_ref().unwrap())).matches("不得丢字").count(), 40);
}

/// Two articles sharing two pages, each continued from page 1 to page 2, in either order on
/// page 2: every part contiguous, each body whole, verified on the laid-out glyphs.
fn two_articles(a_lines: u32, b_lines: u32, b_first: bool) -> String {
    let frame = |article: &str, column: u32, span: u32, line: u32, lines: u32| {
        format!(
            "[[pages.frames]]\narticle = \"{article}\"\ncolumn = {column}\nspan = {span}\nline = {line}\nlines = {lines}\n\n"
        )
    };
    let mut text = String::from(
        "layout = \"tabloid\"\n\n[paper]\nname = \"测试报\"\n\n[issue]\nnumber = 1\ndate = 2024-03-05\n\n",
    );
    text += "[[pages]]\nnumber = 1\n\n";
    text += &frame("b", 1, 2, 13, b_lines);
    text += &frame("a", 3, 3, 13, a_lines);
    text += "[[pages]]\nnumber = 2\n\n";
    let (a, b) = (frame("a", 3, 3, 1, 80), frame("b", 1, 2, 1, 80));
    text += &if b_first { b + &a } else { a + &b };
    for id in ["a", "b"] {
        text += &format!(
            "[[articles]]\nid = \"{id}\"\ntitle = \"标题{id}\"\nbyline = \"张三\"\nbody-file = \"{id}.md\"\n\n"
        );
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn two_articles_continue_whole_whatever_their_order(
        a in body(), b in body(), a_lines in 16u32..=68, b_lines in 16u32..=68, b_first: bool
    ) {
        let text = two_articles(a_lines, b_lines, b_first);
        let (_dir, path) = write_issue("issue.toml", &text, &[("a.md", &a), ("b.md", &b)]);
        let build = engine().build(&path, &BUILD).unwrap();
        // Only what random text may cause: overset after the last frame, or an unbreakable run.
        if !build.errors.is_empty() {
            prop_assert!(
                build.errors.iter().all(|e| e.message.contains("差 ") || e.message.contains("too wide for its column")),
                "{:?}",
                build.errors
            );
            return Ok(());
        }
        for (report, body) in build.report.articles.iter().zip([&a, &b]) {
            let expected: usize = banmian::body::parse(body).unwrap().blocks.iter().map(|b| b.text().chars().count()).sum();
            let parts = &report.parts;
            prop_assert_eq!(parts[0].text_range[0], 0);
            prop_assert_eq!(parts[1].text_range[0], parts[0].text_range[1]);
            prop_assert_eq!(parts[1].text_range[1], expected);
            prop_assert_eq!(parts.iter().map(|p| p.chars).sum::<usize>(), report.chars);
        }
        prop_assert_eq!(pdf_text(build.pdf.as_ref().unwrap()).matches("（张三）").count(), 2);
    }
}

#[test]
fn articles_listed_in_another_order_are_not_measured_again() {
    // The seed issue, and a composed one whose articles have pictures.
    for (example, file) in [("kaifaqu-2023-10", "issue.toml"), ("broadsheet-demo", "issue.composed.toml")] {
        let (_dir, folder) = copy_example(example);
        let issue = folder.with_file_name(file);
        let engine = banmian::Engine::new(&banmian::FontOptions::default());
        let first = engine.build(&issue, &BUILD).unwrap();
        assert!(first.errors.is_empty(), "{example}: {:?}", first.errors);
        assert!(first.report.timings.split_compiles > 0);
        // The same articles, the last first: each keeps its text, frames and picture, only its
        // place in the plan changes, and a measurement does not depend on that place.
        let text = std::fs::read_to_string(&issue).unwrap();
        let at = text.find("[[articles]]").unwrap();
        let mut articles: Vec<&str> = text[at..].split("[[articles]]").filter(|b| !b.is_empty()).collect();
        articles.reverse();
        let reversed: Vec<String> =
            articles.iter().map(|block| format!("[[articles]]{}\n\n", block.trim_end())).collect();
        std::fs::write(&issue, format!("{}{}", &text[..at], reversed.concat())).unwrap();
        let reordered = engine.build(&issue, &BUILD).unwrap();
        assert!(reordered.errors.is_empty(), "{example}: {:?}", reordered.errors);
        let ids = |b: &banmian::Build| b.report.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_ne!(ids(&reordered), ids(&first), "{example}: the articles were not reordered");
        assert_eq!(reordered.report.timings.split_compiles, 0, "{example}: an article was measured again");
    }
}
