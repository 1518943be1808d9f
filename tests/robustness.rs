//! No input makes the engine panic: damaged issue files and extreme values end in a clear error
//! or a build, never a crash.

mod common;

use common::{BUILD, MINIMAL, engine, write_issue};
use proptest::prelude::*;

/// The numbers of MINIMAL's frame and issue, replaced by arbitrary ones.
fn with_numbers(values: &[i64]) -> String {
    let keys = ["number = 1\ndate", "column = 1", "span = 2", "line = 13", "lines = 30"];
    let replacements = [
        format!("number = {}\ndate", values[0]),
        format!("column = {}", values[1]),
        format!("span = {}", values[2]),
        format!("line = {}", values[3]),
        format!("lines = {}", values[4]),
    ];
    let mut text = MINIMAL.to_string();
    for (key, value) in keys.iter().zip(&replacements) {
        text = text.replacen(key, value, 1);
    }
    text
}

fn build(text: &str, name: &str) {
    let (_dir, path) = write_issue(name, text, &[]);
    match engine().build(&path, &BUILD) {
        Ok(build) => assert_eq!(build.pdf.is_some(), build.errors.is_empty()),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn extreme_numbers_never_panic(values in prop::collection::vec(
        prop_oneof![
            1 => Just(0i64),
            1 => Just(-1),
            2 => Just(u32::MAX as i64),
            1 => Just(u32::MAX as i64 + 1),
            5 => 1i64..100,
        ],
        5,
    )) {
        build(&with_numbers(&values), "issue.toml");
    }

    #[test]
    fn damaged_files_never_panic(cut in 0usize..MINIMAL.len(), junk in "[\\[\\]=\"{}#\\n a-z0-9汉]{0,12}") {
        let at = MINIMAL.floor_char_boundary(cut);
        let damaged = format!("{}{junk}{}", &MINIMAL[..at], &MINIMAL[at..]);
        build(&damaged, "issue.toml");
    }

    #[test]
    fn any_text_as_json_never_panics(text in "\\PC{0,200}") {
        build(&text, "issue.json");
    }
}
