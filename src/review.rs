//! Review governance: guidance must be checked against its sources again by its
//! `next_review` date. Overdue pages are warnings (so `check --strict` fails on them), and
//! `check --due N` lists the pages falling due in the next N days.
//!
//! Uses `config`, `content` and `diagnostics`. The only stage that reads the clock, and only
//! for messages: it never changes what is built.

use crate::content::{Content, Date, Meta, Page};
use crate::diagnostics::{Code, Diagnostic};

/// Today (UTC) from the system clock, or from `SIGNPOST_TODAY` (YYYY-MM-DD) when set, so that
/// a pipeline can check as of a fixed date.
pub fn today() -> Date {
    if let Ok(text) = std::env::var("SIGNPOST_TODAY")
        && let Some(date) = parse(&text)
    {
        return date;
    }
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    Date::from_days(days).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// A `YYYY-MM-DD` date, as `SIGNPOST_TODAY` and the link cache write it.
pub fn parse(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    Date::new(parts.next()??, parts.next()??, parts.next()??).ok()
}

/// Whether a page's next review date has passed.
pub fn is_overdue(meta: &Meta, today: Date) -> bool {
    meta.next_review.is_some_and(|due| due < today)
}

/// A warning for each page whose next review date has passed.
pub fn overdue(content: &Content, today: Date) -> Vec<Diagnostic> {
    content
        .pages
        .iter()
        .filter_map(|page| {
            let due = page.meta.next_review?;
            is_overdue(&page.meta, today).then(|| {
                let days = today.days() - due.days();
                let offset = page.file.text.find("next_review").unwrap_or(0);
                Diagnostic::warning(
                    &page.file.display,
                    format!(
                        "review overdue: next_review was {} ({} ago)",
                        due.iso(),
                        crate::plural(days, "day")
                    ),
                )
                .code(Code::ReviewOverdue)
                .at(&page.file.text, offset)
                .with_hint("check the page against its sources, then update last_reviewed and next_review")
            })
        })
        .collect()
}

/// The pages due for review within `days` days of `today` (overdue ones included), soonest
/// first.
pub fn due_within(content: &Content, today: Date, days: i64) -> Vec<(&Page, Date)> {
    let mut due: Vec<(&Page, Date)> = content
        .pages
        .iter()
        .filter_map(|p| p.meta.next_review.map(|d| (p, d)))
        .filter(|(_, d)| d.days() - today.days() <= days)
        .collect();
    due.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.key.cmp(&b.0.key)));
    due
}
