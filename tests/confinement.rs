//! An issue reads only files inside its folder: symbolic links are followed before the check, so
//! an issue unpacked from an archive cannot print `/etc/passwd` or any file beside its folder.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use banmian::Error;
use common::{BUILD, MINIMAL, engine, write_issue};

const INLINE_BODY: &str = "body = \"\"\"\n第一段正文。\n\n第二段正文。\n\"\"\"";

/// Enough of a PNG to be taken for one; it is refused before it would be decoded.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Builds the issue at `path`; returns the whole error, failing if the build succeeds.
fn error_at(path: &Path) -> String {
    match engine().build(path, &BUILD) {
        Err(e @ Error::Invalid(_)) => e.to_string(),
        Err(e) => panic!("expected a data error, got {e}"),
        Ok(build) if !build.errors.is_empty() => Error::Invalid(build.errors).to_string(),
        Ok(_) => panic!("the build of {} should have been refused", path.display()),
    }
}

/// Asserts one error holding every part and nothing of the file outside.
fn assert_refused(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "`{part}` not in:\n{message}");
    }
    assert_eq!(message.lines().count(), 1, "one error expected:\n{message}");
    assert!(!message.contains("root:"), "the outside file's text leaked:\n{message}");
}

fn with_body_file(rel: &str) -> String {
    MINIMAL.replace(INLINE_BODY, &format!("body-file = \"{rel}\""))
}

#[test]
fn a_body_file_linked_to_etc_passwd_is_refused() {
    let (dir, path) = write_issue("issue.toml", &with_body_file("articles/evil.md"), &[]);
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    symlink("/etc/passwd", dir.path().join("articles/evil.md")).unwrap();
    let m = error_at(&path);
    assert_refused(
        &m,
        &[
            "issue.toml:26:1",
            "articles[0].body-file",
            "resolves to /etc/passwd",
            "outside the issue's folder",
        ],
    );
}

#[test]
fn a_linked_folder_leading_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("a.md"), "外面的正文。").unwrap();
    let (dir, path) = write_issue("issue.toml", &with_body_file("articles/a.md"), &[]);
    symlink(outside.path(), dir.path().join("articles")).unwrap();
    let m = error_at(&path);
    let real = outside.path().canonicalize().unwrap().join("a.md");
    assert_refused(&m, &["articles[0].body-file", &format!("resolves to {}", real.display())]);
}

#[test]
fn dot_dot_and_absolute_paths_are_refused() {
    for rel in ["../secret.md", "articles/../../secret.md", "/etc/passwd"] {
        let (_dir, path) = write_issue("issue.toml", &with_body_file(rel), &[]);
        assert_refused(
            &error_at(&path),
            &["articles[0].body-file", "must be a path inside the issue's folder"],
        );
    }
}

#[test]
fn a_link_that_stays_inside_is_followed() {
    let (dir, path) =
        write_issue("issue.toml", &with_body_file("today.md"), &[("drafts/a.md", "链接里的正文。")]);
    symlink(dir.path().join("drafts/a.md"), dir.path().join("today.md")).unwrap();
    let build = engine().build(&path, &BUILD).unwrap();
    assert!(build.errors.is_empty(), "{:?}", build.errors);
    assert!(common::pdf_text(build.pdf.as_ref().unwrap()).contains("链接里的正文。"));
}

#[test]
fn a_picture_or_logo_linked_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("p.png"), PNG).unwrap();
    let real = outside.path().canonicalize().unwrap().join("p.png");
    let picture = MINIMAL.replace(
        "[[articles]]",
        "[[pages.pictures]]\nimage = \"p.png\"\ncolumn = 3\nspan = 2\nline = 13\nlines = 20\n\n[[articles]]",
    );
    let logo = MINIMAL.replace("name = \"测试报\"", "name = \"测试报\"\nlogo = \"p.png\"");
    let under_headline = format!("{MINIMAL}\n[articles.picture]\nimage = \"p.png\"\nlines = 10\n");
    for (text, key) in [
        (picture, "pages[0].pictures[0].image"),
        (logo, "paper.logo"),
        (under_headline, "articles[0].picture.image"),
    ] {
        let (dir, path) = write_issue("issue.toml", &text, &[]);
        symlink(&real, dir.path().join("p.png")).unwrap();
        assert_refused(&error_at(&path), &[key, &format!("resolves to {}", real.display())]);
    }
}

/// The tabloid layout as a file.
fn tabloid() -> &'static str {
    banmian::layout::BUILT_IN.iter().find(|(n, _)| *n == "tabloid").unwrap().1
}

#[test]
fn a_layout_outside_the_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let layout = outside.path().join("mine.toml");
    std::fs::write(&layout, tabloid()).unwrap();
    let real = layout.canonicalize().unwrap();
    // By absolute path, by `..`, and through a link inside the folder.
    let relative = format!("../{}/mine.toml", outside.path().file_name().unwrap().to_str().unwrap());
    for name in [real.to_str().unwrap(), relative.as_str(), "linked.toml"] {
        let text = MINIMAL.replace("layout = \"tabloid\"", &format!("layout = \"{name}\""));
        let (dir, path) = write_issue("issue.toml", &text, &[]);
        symlink(&real, dir.path().join("linked.toml")).unwrap();
        assert_refused(
            &error_at(&path),
            &["issue.toml:1:1", "layout", &format!("resolves to {}", real.display())],
        );
    }
}

#[test]
fn a_template_outside_the_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let template = outside.path().join("t.typ");
    std::fs::write(&template, include_str!("../layouts/newspaper.typ")).unwrap();
    let real = template.canonicalize().unwrap();
    let layout = format!("template = \"{}\"\n{}", real.display(), tabloid());
    let text = MINIMAL.replace("layout = \"tabloid\"", "layout = \"mine.toml\"");
    let (_dir, path) = write_issue("issue.toml", &text, &[("mine.toml", &layout)]);
    assert_refused(
        &error_at(&path),
        &["mine.toml:1:1", "template", &format!("resolves to {}", real.display())],
    );
}
