//! The issue date, read from a TOML date or a JSON `"YYYY-MM-DD"` string.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A calendar date; the weekday is derived, never typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub time::Date);

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(Date)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u8 {
        self.0.month() as u8
    }

    pub fn day(self) -> u8 {
        self.0.day()
    }

    /// 星期一 … 星期日.
    pub fn weekday_zh(self) -> &'static str {
        const NAMES: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];
        NAMES[self.0.weekday().number_days_from_monday() as usize]
    }
}

impl Date {
    /// The lunar date, e.g. 农历癸卯年八月廿六; none outside the calendar's range (1901–2100).
    pub fn lunar_zh(self) -> Option<String> {
        use chinese_lunisolar_calendar::{ChineseVariant, LunisolarDate, SolarDate};
        let solar = SolarDate::from_ymd(self.year() as u16, self.month(), self.day()).ok()?;
        let lunar = LunisolarDate::from_solar_date(solar).ok()?;
        Some(format!(
            "农历{}年{}{}",
            lunar.to_lunar_year().to_str(),
            lunar.to_lunar_month().to_str(ChineseVariant::Simple),
            lunar.to_lunar_day().to_str()
        ))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A date such as 2023-10-10 (a TOML date, or a string in JSON)",
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2023-10-10")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).ok_or_else(|| E::custom(format!("`{s}` is not a date such as 2023-10-10")))
            }

            // TOML hands its native dates over as a one-entry map holding the date's text.
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Date, M::Error> {
                let (_, text): (String, String) =
                    map.next_entry()?.ok_or_else(|| de::Error::custom("empty date"))?;
                self.visit_str(&text)
            }
        }

        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_is_derived() {
        assert_eq!(Date::parse("2023-10-10").unwrap().weekday_zh(), "星期二");
        assert!(Date::parse("2023-02-30").is_none());
        assert!(Date::parse("2023-10").is_none());
    }

    #[test]
    fn lunar_dates() {
        assert_eq!(Date::parse("2023-10-10").unwrap().lunar_zh().unwrap(), "农历癸卯年八月廿六");
        assert_eq!(Date::parse("2024-02-10").unwrap().lunar_zh().unwrap(), "农历甲辰年正月初一");
        assert_eq!(Date::parse("2023-03-22").unwrap().lunar_zh().unwrap(), "农历癸卯年闰二月初一");
    }
}
