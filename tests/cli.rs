//! The `banmian` command: exit statuses, messages, and files written only whole.

mod common;

use std::process::Command;

use common::{Edit, MINIMAL, write_issue};

fn banmian(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_banmian")).arg("--no-system-fonts").args(args).output().unwrap()
}

/// An issue whose only article is far longer than its frame.
fn overset_issue() -> String {
    MINIMAL.edit("第二段正文。", &"这是一段很长的正文，用来测试版面放不下的情况。".repeat(120))
}

#[test]
fn build_writes_the_pdf_beside_the_issue_and_exits_0() {
    let (dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let out = banmian(&["build", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = std::fs::read(dir.path().join("issue.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn bad_data_exits_1_with_the_place_and_writes_nothing() {
    let (dir, path) = write_issue("issue.toml", &MINIMAL.edit("span = 2", "span = 9"), &[]);
    let out = banmian(&["build", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("issue.toml:17:1: pages[0].frames[0].span"), "{stderr}");
    assert!(!dir.path().join("issue.pdf").exists());
}

#[test]
fn overset_exits_1_names_article_page_and_amount_and_keeps_the_old_pdf() {
    let (dir, path) = write_issue("issue.toml", &overset_issue(), &[]);
    let pdf = dir.path().join("issue.pdf");
    std::fs::write(&pdf, b"previous edition").unwrap();
    let out = banmian(&["build", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("article `a` does not fit its frame on page 1: 差 "), "{stderr}");
    assert!(stderr.contains(" 行 / ") && stderr.contains(" 字"), "{stderr}");
    assert_eq!(std::fs::read(&pdf).unwrap(), b"previous edition");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary files are left behind");
}

#[test]
fn allow_overset_builds_and_marks_the_report() {
    let (dir, path) = write_issue("issue.toml", &overset_issue(), &[]);
    let report = dir.path().join("report.json");
    let out =
        banmian(&["build", path.to_str().unwrap(), "--allow-overset", "--report", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    assert_eq!(report["overset"], true);
    assert!(String::from_utf8_lossy(&out.stderr).contains("overset text"));
}

#[test]
fn report_is_written_when_the_build_fails() {
    let (dir, path) = write_issue("issue.toml", &overset_issue(), &[]);
    let report = dir.path().join("report.json");
    let out = banmian(&["build", path.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let overflow = &report["articles"][0]["overflow"];
    assert!(overflow["lines"].as_u64().unwrap() > 0 && overflow["chars"].as_u64().unwrap() > 0);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(banmian(&["build"]).status.code(), Some(2));
    assert_eq!(banmian(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_prints_each_frames_and_pictures_size() {
    let picture = "[[pages.pictures]]\nimage = \"p.png\"\ncolumn = 3\nspan = 2\nline = 13\nlines = 20\nfit = \"contain\"\n\n[[articles]]";
    let (dir, path) = write_issue("issue.toml", &MINIMAL.edit("[[articles]]", picture), &[]);
    let mut pixmap = tiny_skia::Pixmap::new(800, 500).unwrap();
    pixmap.fill(tiny_skia::Color::BLACK);
    std::fs::write(dir.path().join("p.png"), pixmap.encode_png().unwrap()).unwrap();
    let out = banmian(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let layout = banmian::layout::Layout::load("tabloid", std::path::Path::new(".")).unwrap();
    let (width, height) = (layout.span_width(2), layout.lines_height(30));
    let mm = 25.4 / 72.0;
    let row = |what: &str| stdout.lines().find(|l| l.split_whitespace().nth(1) == Some(what)).unwrap_or("");
    let frame = row("a");
    for part in [
        "1 2 13 30",
        &format!("{:.1} × {:.1} mm", width * mm, height * mm),
        &format!("{width:.1} × {height:.1}"),
    ] {
        assert!(frame.contains(part), "`{part}` not in the frame's row:\n{stdout}");
    }
    // The picture is wider than its box: shown whole, its width is the box's.
    let dpi = format!("{:.0}", 800.0 / (width / 72.0));
    let picture = row("p.png");
    for part in ["3 2 13 20", &format!("{:.1} × ", width * mm), "800 × 500", "1.60 / ", &dpi, "contain"] {
        assert!(picture.contains(part), "`{part}` not in the picture's row:\n{stdout}");
    }
}

#[test]
fn check_writes_nothing_and_emit_typst_writes_the_program() {
    let (dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let out = banmian(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    // The verdict counts the warnings printed above it, never "no problems" beneath them.
    let warnings = String::from_utf8_lossy(&out.stderr).lines().filter(|l| l.starts_with("warning:")).count();
    let verdict = match warnings {
        0 => "no problems found".to_string(),
        1 => "no errors, 1 warning".to_string(),
        n => format!("no errors, {n} warnings"),
    };
    assert!(warnings > 0, "MINIMAL leaves most of its frame free, which is a warning");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&verdict),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("no problems"));
    assert!(!dir.path().join("issue.pdf").exists());

    let emit = dir.path().join("typst");
    let out = banmian(&["build", path.to_str().unwrap(), "--emit-typst", emit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let files = [
        "main.typ",
        "articles/0-0.typ",
        "layout/template.typ",
        "data/layout.json",
        "data/plan.json",
        "data/articles/0.json",
    ];
    for file in files {
        assert!(emit.join(file).is_file(), "{file}");
    }
    for source in ["main.typ", "articles/0-0.typ"] {
        let text = std::fs::read_to_string(emit.join(source)).unwrap();
        assert!(!text.contains("第一段"), "article text stays out of {source}");
    }
}

#[test]
fn fonts_lists_the_embedded_faces() {
    let out = banmian(&["fonts"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for family in ["Noto Serif CJK SC", "Noto Sans CJK SC", "Banmian WenKai"] {
        assert!(stdout.contains(family), "{stdout}");
    }
}

#[test]
fn preview_writes_page_pngs_and_a_contact_sheet() {
    let (dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let out_dir = dir.path().join("png");
    let out =
        banmian(&["preview", path.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--dpi", "30"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["page-1.png", "contact-sheet.png"] {
        let png = std::fs::read(out_dir.join(name)).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}");
    }
    let out =
        banmian(&["preview", path.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--pages", "7"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no page 7"));
}

#[test]
fn init_writes_a_starter_issue_that_builds() {
    for layout in ["tabloid", "broadsheet"] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new");
        let out = banmian(&["init", target.to_str().unwrap(), "--layout", layout]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let issue = target.join("issue.toml");
        let out = banmian(&["build", issue.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{layout}: {}", String::from_utf8_lossy(&out.stderr));
        // A second init would overwrite the issue: it refuses.
        assert_eq!(banmian(&["init", target.to_str().unwrap()]).status.code(), Some(1));
    }
}

#[test]
fn batch_builds_go_on_past_a_failure_and_summarise() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in
        [("a", MINIMAL.to_string()), ("b", overset_issue()), ("c", MINIMAL.edit("测试报", "另一报"))]
    {
        std::fs::create_dir_all(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("issue.toml"), text).unwrap();
    }
    let out = banmian(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "one edition failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 issues, 1 failed"), "{stdout}");
    assert!(dir.path().join("a/issue.pdf").is_file() && dir.path().join("c/issue.pdf").is_file());
    assert!(!dir.path().join("b/issue.pdf").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not fit its frame"), "{stderr}");

    let a = dir.path().join("a/issue.toml");
    let out = banmian(&["build", a.to_str().unwrap(), a.to_str().unwrap(), "-o", "x.pdf"]);
    assert_eq!(out.status.code(), Some(1), "-o takes a single issue");
}

/// Checks that every key of `value` is allowed by `schema` (following `$ref`s), and that no
/// required key is missing: enough to show the schema describes the real format.
fn conforms(
    value: &serde_json::Value,
    schema: &serde_json::Value,
    root: &serde_json::Value,
) -> Result<(), String> {
    let schema = match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => &root["$defs"][r.trim_start_matches("#/$defs/")],
        None => schema,
    };
    if let Some(any) = schema.get("anyOf").and_then(|a| a.as_array()) {
        return any.iter().find_map(|s| conforms(value, s, root).ok()).ok_or("no anyOf matches".into());
    }
    match value {
        serde_json::Value::Object(map) => {
            let properties = schema["properties"].as_object().ok_or("an object where the schema has none")?;
            for (key, item) in map {
                let sub = properties.get(key).ok_or(format!("`{key}` is not in the schema"))?;
                conforms(item, sub, root)?;
            }
            for required in schema["required"].as_array().into_iter().flatten() {
                let key = required.as_str().unwrap();
                if !map.contains_key(key) {
                    return Err(format!("required `{key}` missing"));
                }
            }
            Ok(())
        }
        serde_json::Value::Array(items) => items.iter().try_for_each(|i| conforms(i, &schema["items"], root)),
        _ => Ok(()),
    }
}

#[test]
fn the_schema_describes_the_examples() {
    let out = banmian(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false, "unknown keys are errors");
    for name in ["kaifaqu-2023-10", "broadsheet-demo"] {
        let text = std::fs::read_to_string(common::example(name)).unwrap();
        let mut issue: serde_json::Value =
            serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap();
        // A TOML date becomes a string in JSON issue files.
        let date = toml::from_str::<toml::Value>(&text).unwrap()["issue"]["date"].to_string();
        issue["issue"]["date"] = serde_json::Value::String(date);
        conforms(&issue, &schema, &schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let unknown: serde_json::Value = serde_json::json!({ "paper": { "name": "x", "colour": 1 } });
    assert!(conforms(&unknown["paper"], &schema["properties"]["paper"], &schema).is_err());
}

#[test]
fn watch_rebuilds_after_an_edit_and_keeps_the_last_good_pdf() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let (dir, path) = write_issue(
        "issue.toml",
        &MINIMAL.edit("body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"", "body-file = \"body.md\""),
        &[("body.md", "第一稿。")],
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_banmian"))
        .args(["--no-system-fonts", "watch", path.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let next = |what: &str| loop {
        let line =
            received.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no `{what}` line"));
        if line.starts_with(what) {
            return line;
        }
    };
    next("built");
    let pdf = dir.path().join("issue.pdf");
    let first = std::fs::read(&pdf).unwrap();

    std::fs::write(dir.path().join("body.md"), "第二稿，改过的正文。").unwrap();
    next("built");
    let second = std::fs::read(&pdf).unwrap();
    assert_ne!(first, second, "the edit reached the PDF");
    // Building reads the files and writes the PDF: neither is an edit to rebuild for.
    let quiet = received.recv_timeout(Duration::from_millis(1500));
    assert!(quiet.is_err(), "no rebuild without an edit: {quiet:?}");

    // A broken edit keeps the last good PDF, and the watcher goes on.
    std::fs::write(&path, "layout = \"tabloid\"\n[paper").unwrap();
    next("build failed");
    assert_eq!(std::fs::read(&pdf).unwrap(), second);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn print_settings_are_checked_before_anything_is_written() {
    let (dir, path) = write_issue("issue.toml", MINIMAL, &[]);
    let issue = path.to_str().unwrap();
    let out = banmian(&["build", issue, "--bleed", "3"]);
    assert_eq!(out.status.code(), Some(2), "a bleed without a unit is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a unit"));
    let out = banmian(&["build", issue, "--bleed", "40mm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a bleed of 40.00 mm is not between 0 and 25 mm"));
    let out = Command::new(env!("CARGO_BIN_EXE_banmian"))
        .args(["--no-system-fonts", "build", issue])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH `yesterday`"));
    assert!(!dir.path().join("issue.pdf").exists());
    let out = banmian(&["build", issue, "--bleed", "0.125in", "--pdf-standard", "a-2b"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
