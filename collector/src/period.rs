//! Which UTC days (periods) a report may claim.
//!
//! Acceptance rule (documented in `collector.toml`): a report's period `d` is
//! accepted when it is "today or yesterday" for some instant within
//! ±`clock_skew_seconds` of the collector's clock, i.e.
//! `day(now − skew) − 1 ≤ d ≤ day(now + skew)`.

/// Milliseconds per day.
pub const DAY_MS: i64 = 86_400_000;

/// The UTC day number of an instant.
pub fn day_of(now_ms: i64) -> i64 {
    now_ms.div_euclid(DAY_MS)
}

/// Parses a strict `YYYY-MM-DD` (a real calendar date) into a day number
/// (the core's calendar code, shared with the devices).
pub fn parse_day(text: &str) -> Option<i64> {
    inkling::report::day_of_period(text).ok()
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    inkling::report::period_of_day(day)
}

/// Where a claimed period falls relative to the accepted window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodCheck {
    /// Today or yesterday (within the skew).
    Accepted,
    /// After the latest acceptable day.
    Future,
    /// Before the earliest acceptable day.
    TooOld,
}

/// Applies the acceptance rule.
pub fn check_period(day: i64, now_ms: i64, skew_seconds: u32) -> PeriodCheck {
    let skew = i64::from(skew_seconds) * 1000;
    let latest = day_of(now_ms + skew);
    let earliest = day_of(now_ms - skew) - 1;
    if day > latest {
        PeriodCheck::Future
    } else if day < earliest {
        PeriodCheck::TooOld
    } else {
        PeriodCheck::Accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_non_dates() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-11-23"), Some(20_780));
        assert_eq!(format_day(20_780), "2026-11-23");
        for d in [-1000, 0, 59, 60, 11_016, 20_780, 40_000] {
            assert_eq!(parse_day(&format_day(d)), Some(d));
        }
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-11-23",
            "2026-11-23T",
            "２026-11-23",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert!(parse_day("2024-02-29").is_some());
    }

    #[test]
    fn today_and_yesterday_with_skew() {
        let noon = 20_780 * DAY_MS + DAY_MS / 2;
        assert_eq!(check_period(20_780, noon, 900), PeriodCheck::Accepted);
        assert_eq!(check_period(20_779, noon, 900), PeriodCheck::Accepted);
        assert_eq!(check_period(20_778, noon, 900), PeriodCheck::TooOld);
        assert_eq!(check_period(20_781, noon, 900), PeriodCheck::Future);
        // Five minutes before midnight, a device five minutes ahead is already tomorrow.
        let late = 20_781 * DAY_MS - 300_000;
        assert_eq!(check_period(20_781, late, 900), PeriodCheck::Accepted);
        assert_eq!(check_period(20_781, late, 60), PeriodCheck::Future);
    }
}
