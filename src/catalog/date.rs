//! Calendar dates (`2026-11-02`) to UTC day numbers (days since 1970-01-01).

/// The UTC day number of a millisecond timestamp: `now_ms.div_euclid(86_400_000)`.
#[inline]
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

/// Parses `YYYY-MM-DD` (years 1 to 9999) into a day number, or `None` when it is not a real date.
///
/// An RFC 3339 date-time (`2026-11-02T08:00:00Z`) is accepted too; only its date counts.
pub fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() > 10 && b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    // Year, month and day, read in one pass over the ten bytes. Four digits and two
    // fit in `u32`, and the arithmetic below never goes negative, so it runs in 32 bits
    // with plain division.
    let mut ymd = [0u32; 3];
    let mut part = 0;
    for (k, &c) in b.get(..10)?.iter().enumerate() {
        if k == 4 || k == 7 {
            if c != b'-' {
                return None;
            }
            part += 1;
        } else if c.is_ascii_digit() {
            ymd[part] = ymd[part] * 10 + (c - b'0') as u32;
        } else {
            return None;
        }
    }
    let [y, m, d] = ymd;
    if y < 1 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`),
/// for years from 1: the shifted year is then never negative.
fn days_from_civil(y: u32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe) as i32 - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2026-11-02T08:00:00Z"), parse_date("2026-11-02"));
        assert_eq!(
            parse_date("2024-02-29").map(|d| d - parse_date("2024-02-28").unwrap()),
            Some(1)
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "yesterday",
            "2026-11-02x",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_of_floors_before_the_epoch() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(86_399_999), 0);
        assert_eq!(day_of(-1), -1);
    }
}
