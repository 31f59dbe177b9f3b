//! UTC days: `YYYY-MM-DD` ⇄ day numbers (`now_ms.div_euclid(86_400_000)`), and
//! which periods a report may claim.
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

/// Parses a strict `YYYY-MM-DD` (a real calendar date) into a day number.
pub fn parse_day(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
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

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
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
