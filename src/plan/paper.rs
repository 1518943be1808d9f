//! The paper's masthead data: its CN number, 邮发代号 and logo.

use std::sync::LazyLock;

use regex::Regex;

use crate::issue::KeyPath;

use super::Planner;

impl Planner<'_> {
    /// Checks the CN number and 邮发代号, and reads the logo.
    pub(super) fn paper(&mut self) {
        let paper = &self.file.issue.paper;
        let key = KeyPath::default().key("paper");
        if let Some(cn) = &paper.cn
            && let Err(why) = check_cn(cn)
        {
            self.error(&key.clone().key("cn"), format!("`{cn}` is not a CN number: {why}"));
        }
        if let Some(code) = &paper.postal_code
            && !check_postal_code(code)
        {
            let message = format!("`{code}` is not a 邮发代号: it is written as digits-digits, e.g. 21-12");
            self.error(&key.clone().key("postal-code"), message);
        }
        if let Some(logo) = &paper.logo {
            self.logo = self.picture(&key.key("logo"), logo);
        }
    }
}

/// Checks a 国内统一连续出版物号: `CN`, a two-digit province code (11–82), a dash, four digits,
/// and optionally a slash and a classification such as `F` or `G0`.
fn check_cn(cn: &str) -> Result<(), &'static str> {
    static PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^CN ?(\d{2})-\d{4}(/[A-Z][0-9A-Z]{0,2})?$").expect("a valid pattern"));
    let captures = PATTERN.captures(cn).ok_or("it is written CN 14-0001/F")?;
    let province: u32 = captures[1].parse().expect("two digits");
    if (11..=82).contains(&province) {
        Ok(())
    } else {
        Err("its first two digits must be a province code, 11–82")
    }
}

/// Whether `code` is a 邮发代号 such as 21-12.
fn check_postal_code(code: &str) -> bool {
    static PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{1,2}-\d{1,4}$").expect("a valid pattern"));
    PATTERN.is_match(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cn_numbers_and_postal_codes() {
        assert_eq!(check_cn("CN 14-0001/F"), Ok(()));
        assert_eq!(check_cn("CN11-1234"), Ok(()));
        assert!(check_cn("CN 99-0001/F").unwrap_err().contains("province"));
        assert!(check_cn("14-0001").unwrap_err().contains("written"));
        assert!(check_postal_code("21-12"));
        assert!(!check_postal_code("21/12"));
    }
}
