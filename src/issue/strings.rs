//! String values as written in an issue file, decoded with the place of each character.
//!
//! A body written inline (`body = """…"""`, or a JSON string) is parsed after TOML or JSON has
//! decoded it; a problem found in it is placed back in the issue file by mapping each decoded
//! byte to where it is written, past escapes, line-ending backslashes and the newline that opens
//! a multi-line string.

/// Decodes a TOML or JSON string literal (quotes included). Returns the value and, for each byte
/// offset of the value and its end, the offset in the literal it is written at; `None` for what
/// is not a string literal this decoder knows.
pub(super) fn decode(literal: &str) -> Option<(String, Vec<usize>)> {
    let delimiter = ["\"\"\"", "'''", "\"", "'"].into_iter().find(|d| literal.starts_with(d))?;
    let multi_line = delimiter.len() == 3;
    let escapes = delimiter.starts_with('"');
    let content = literal.get(..literal.len().checked_sub(delimiter.len())?)?;
    let mut at = delimiter.len();
    if multi_line {
        at += ["\r\n", "\n"].into_iter().find(|n| content[at..].starts_with(n)).map_or(0, str::len);
    }
    let mut value = String::new();
    let mut offsets = Vec::new();
    while at < content.len() {
        let (decoded, len) = match content[at..].chars().next()? {
            '\\' if escapes => escape(&content[at..], multi_line)?,
            c => (c.to_string(), c.len_utf8()),
        };
        offsets.extend(std::iter::repeat_n(at, decoded.len()));
        value.push_str(&decoded);
        at += len;
    }
    offsets.push(at);
    Some((value, offsets))
}

/// One escape at the start of `s`: what it stands for and how many bytes it takes.
fn escape(s: &str, multi_line: bool) -> Option<(String, usize)> {
    let simple = |c: char| Some((c.to_string(), 2));
    match s[1..].chars().next()? {
        'b' => simple('\u{8}'),
        't' => simple('\t'),
        'n' => simple('\n'),
        'f' => simple('\u{c}'),
        'r' => simple('\r'),
        'e' => simple('\u{1b}'),
        c @ ('"' | '\\' | '/') => simple(c),
        'x' => hex(s, 2),
        'u' => surrogate_pair(s).or_else(|| hex(s, 4)),
        'U' => hex(s, 8),
        // A line-ending backslash swallows the line end and the whitespace after it.
        c if multi_line && c.is_whitespace() => {
            let rest = &s[1..];
            let skipped = rest.len() - rest.trim_start().len();
            rest[..skipped].contains('\n').then(|| (String::new(), 1 + skipped))
        }
        _ => None,
    }
}

/// `\xHH`, `\uHHHH` or `\UHHHHHHHH` with `digits` hex digits.
fn hex(s: &str, digits: usize) -> Option<(String, usize)> {
    let code = u32::from_str_radix(s.get(2..2 + digits)?, 16).ok()?;
    Some((char::from_u32(code)?.to_string(), 2 + digits))
}

/// JSON writes a character beyond U+FFFF as two `\u` escapes of its UTF-16 surrogates.
fn surrogate_pair(s: &str) -> Option<(String, usize)> {
    let high = u32::from_str_radix(s.get(2..6)?, 16).ok()?;
    let low = u32::from_str_radix(s.get(6..12)?.strip_prefix("\\u")?, 16).ok()?;
    if !(0xD800..0xDC00).contains(&high) || !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    Some((char::from_u32(code)?.to_string(), 12))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal's text at the place the value's byte `offset` maps to.
    fn at(literal: &str, offset: usize) -> &str {
        let (_, offsets) = decode(literal).unwrap();
        &literal[offsets[offset]..]
    }

    #[test]
    fn multi_line_strings_skip_their_opening_newline() {
        let (value, _) = decode("\"\"\"\n甲\n乙\"\"\"").unwrap();
        assert_eq!(value, "甲\n乙");
        assert_eq!(at("\"\"\"\n甲\n乙\"\"\"", "甲\n".len()), "乙\"\"\"");
        assert_eq!(decode("'''\n\\n'''").unwrap().0, "\\n");
    }

    #[test]
    fn escapes_map_back_to_their_backslash() {
        let literal = r#""a\"b\u4E00c\\d""#;
        assert_eq!(decode(literal).unwrap().0, "a\"b一c\\d");
        assert_eq!(at(literal, 1), "\\\"b\\u4E00c\\\\d\"");
        assert_eq!(at(literal, "a\"b一".len()), "c\\\\d\"");
        assert_eq!(decode(r#""\uD83D\uDE00""#).unwrap().0, "😀");
    }

    #[test]
    fn a_line_ending_backslash_joins_lines() {
        let literal = "\"\"\"\n甲\\\n   乙\"\"\"";
        assert_eq!(decode(literal).unwrap().0, "甲乙");
        assert_eq!(at(literal, "甲".len()), "乙\"\"\"");
    }

    #[test]
    fn what_is_no_string_is_refused() {
        assert_eq!(decode("42"), None);
        assert_eq!(decode(r#""\q""#), None);
    }
}
