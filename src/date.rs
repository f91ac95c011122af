//! Calendar dates as site.toml and front matter write them (`2026-11-01`), and as readers and
//! machines read them.

use serde::Deserialize;

/// A calendar date, written in TOML as `2026-11-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "DateInput")]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "a date such as 2026-11-01")]
enum DateInput {
    Toml(toml::value::Datetime),
    Text(String),
}

impl TryFrom<DateInput> for Date {
    type Error = String;
    fn try_from(input: DateInput) -> Result<Date, String> {
        let (year, month, day) = match input {
            DateInput::Toml(dt) => {
                let date = dt.date.ok_or("expected a date such as 2026-11-01, not a time of day")?;
                if dt.time.is_some() {
                    return Err("expected a date without a time, such as 2026-11-01".to_string());
                }
                (u32::from(date.year), u32::from(date.month), u32::from(date.day))
            }
            DateInput::Text(text) => parse_date_text(&text)?,
        };
        Date::new(year, month, day)
    }
}

fn parse_date_text(text: &str) -> Result<(u32, u32, u32), String> {
    let bad = || format!("`{text}` is not a date: write it as YYYY-MM-DD, such as 2026-11-01");
    let parts: Vec<&str> = text.trim().split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    Ok((number(parts[0])?, number(parts[1])?, number(parts[2])?))
}

impl Date {
    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, String> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => {
                return Err(format!("month {month} does not exist: months run from 01 to 12"));
            }
        };
        if day == 0 || day > days {
            return Err(format!(
                "day {day} does not exist in {year}-{month:02}, which has {days} days"
            ));
        }
        if !(1000..=9999).contains(&year) {
            return Err(format!("year {year} is out of range"));
        }
        Ok(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil algorithm).
    pub fn days(self) -> i64 {
        let (year, month, day) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days`]).
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u32::try_from(year).ok()?, month as u32, day as u32).ok()
    }

    /// "2026-11-01", as machines read it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "1 November 2026", as people read it.
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month.clamp(1, 12)) - 1],
            self.year
        )
    }
}

/// Written as machines read it, "2026-11-01".
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for (y, m, d, days) in [(1970, 1, 1, 0), (2000, 2, 29, 11_016), (2026, 11, 22, 20_779)] {
            let date = Date::new(y, m, d).expect("valid");
            assert_eq!(date.days(), days, "{y}-{m}-{d}");
            assert_eq!(Date::from_days(days), Some(date));
        }
    }

    #[test]
    fn dates() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2023, 13, 1).is_err());
        assert_eq!(Date::new(2026, 11, 1).map(Date::long), Ok("1 November 2026".into()));
        assert!(parse_date_text("2026-1-01").is_err());
    }
}
