//! `banmian init`: a starter issue that builds, to copy and fill in.

use std::path::{Path, PathBuf};

use banmian::layout::{BUILT_IN, Layout};
use banmian::output::write_atomic;
use banmian::{Diagnostic, Error, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write the starter issue into (created if missing; must not hold an issue).
    dir: PathBuf,
    /// The built-in layout the issue uses.
    #[arg(long, default_value = "tabloid")]
    layout: String,
}

/// The starter issue: a front page with a lead article in three columns and a notice beside it.
const ISSUE: &str = r#"# A starter issue written by `banmian init`; build it with `banmian build issue.toml`.
layout = "{layout}"

[paper]
name = "示例报"

[issue]
number = 1
date = 2024-01-01

[[pages]]
number = 1
section = "要闻"

[[pages.frames]]
article = "lead"
column = 1
span = 3
line = {first-line}
lines = 40

[[pages.frames]]
article = "notice"
column = 4
span = 2
line = {first-line}
lines = 20

[[articles]]
id = "lead"
kicker = "版面使用说明"
title = "一份可以直接排版的样例"
dateline = "本报讯"
byline = "编辑部"
body-file = "articles/lead.md"

[[articles]]
id = "notice"
title = "启事"
body = """
这是一则短启事，写在期号文件里。较长的稿件可以放在单独的 Markdown 文件中，用 body-file 指向它。
"""
signature = ["示例报编辑部", "2024年1月1日"]
"#;

/// The lead article's body.
const LEAD: &str = "这份样例由 banmian init 生成。期号文件写明报名、期号、日期、各版版面和每篇稿件所在的栏与行，稿件正文用 Markdown 书写。

## 如何修改

把报名、期号和日期改成本期的内容，再按版面安排调整每个栏框的起始栏、跨栏数、起始行和行数。一篇稿件可以占用多个栏框，正文会从第一个栏框接续排到后面的栏框，并自动加上转版提示。

## 如何检查

运行 banmian check 可以在不生成 PDF 的情况下检查数据和排版，运行 banmian preview 可以生成各版的预览图。
";

pub fn run(args: Args) -> Result<()> {
    if !BUILT_IN.iter().any(|(name, _)| *name == args.layout) {
        let names: Vec<_> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        return Err(Diagnostic::new(format!(
            "`{}` is not a built-in layout ({})",
            args.layout,
            names.join(", ")
        ))
        .into());
    }
    let masthead_lines = Layout::load(&args.layout, Path::new("."))?.spec.grid.masthead_lines;
    let issue = args.dir.join("issue.toml");
    let lead = args.dir.join("articles").join("lead.md");
    if let Some(existing) = [&issue, &lead].into_iter().find(|p| p.exists()) {
        return Err(Diagnostic::new(format!(
            "{} exists already; init writes a new issue only",
            existing.display()
        ))
        .into());
    }
    let text =
        ISSUE.replace("{layout}", &args.layout).replace("{first-line}", &(masthead_lines + 1).to_string());
    let articles = args.dir.join("articles");
    std::fs::create_dir_all(&articles).map_err(|e| Error::io(&articles, e))?;
    write_atomic(&lead, LEAD.as_bytes())?;
    write_atomic(&issue, text.as_bytes())?;
    println!("wrote {}; build it with `banmian build {}`", issue.display(), issue.display());
    Ok(())
}
