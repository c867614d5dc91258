//! Parameter values as text: how each kind of value is written in a path,
//! a query string or a header, and the checks the spec asks for before a
//! value is sent. Generated types plug in by implementing [`ParamValue`].

use super::Refused;

/// The text form of a value in a path, query or header parameter.
pub trait ParamValue {
    /// The value as it goes on the wire (before percent-encoding).
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_param!(String, str, bool, i32, i64, u32, u64);

/// Whole numbers are written without a fraction (`2`, never `2.0`).
impl ParamValue for f64 {
    fn to_param(&self) -> String {
        if self.fract() == 0.0 && self.abs() < 9_007_199_254_740_992.0 {
            format!("{self:.0}")
        } else {
            self.to_string()
        }
    }
}

/// RFC 3339 `full-date`: `2024-01-02`.
impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

/// RFC 3339 `date-time`: `2024-01-02T03:04:05Z`, or with the offset kept
/// (`+02:00`); fractional seconds only when present.
impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// A parameter as the values it sends: none when absent, one for a
/// scalar, one per item for a list.
pub trait ParamValues {
    /// Each value's text, in order.
    fn texts(&self) -> Vec<String>;
}

impl<T: ParamValue + ?Sized> ParamValues for T {
    fn texts(&self) -> Vec<String> {
        vec![self.to_param()]
    }
}

impl<T: ParamValues> ParamValues for Option<T> {
    fn texts(&self) -> Vec<String> {
        self.as_ref().map(ParamValues::texts).unwrap_or_default()
    }
}

impl<T: ParamValue> ParamValues for Vec<T> {
    fn texts(&self) -> Vec<String> {
        self.iter().map(ParamValue::to_param).collect()
    }
}

impl<T: ParamValue> ParamValues for [T] {
    fn texts(&self) -> Vec<String> {
        self.iter().map(ParamValue::to_param).collect()
    }
}

/// Percent-encodes one path segment; `/` and everything outside the RFC 3986
/// unreserved set is escaped, so a value can never leave its segment.
#[doc(hidden)]
pub fn path_segment(name: &'static str, value: &str) -> Result<String, Refused> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Refused::parameter(name, format!("{value:?} cannot be a path segment")));
    }
    Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string())
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The bounds and lengths the spec sets on a parameter, checked before
/// anything is sent.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Checks {
    /// Lower bound, and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// Upper bound, and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// Fewest characters.
    pub min_length: Option<usize>,
    /// Most characters.
    pub max_length: Option<usize>,
}

impl Checks {
    /// No bounds.
    pub const NONE: Checks = Checks { minimum: None, maximum: None, min_length: None, max_length: None };

    /// At least `value`.
    pub const fn min(mut self, value: f64) -> Self {
        self.minimum = Some((value, false));
        self
    }

    /// Greater than `value`.
    pub const fn min_exclusive(mut self, value: f64) -> Self {
        self.minimum = Some((value, true));
        self
    }

    /// At most `value`.
    pub const fn max(mut self, value: f64) -> Self {
        self.maximum = Some((value, false));
        self
    }

    /// Less than `value`.
    pub const fn max_exclusive(mut self, value: f64) -> Self {
        self.maximum = Some((value, true));
        self
    }

    /// At least `chars` characters.
    pub const fn min_length(mut self, chars: usize) -> Self {
        self.min_length = Some(chars);
        self
    }

    /// At most `chars` characters.
    pub const fn max_length(mut self, chars: usize) -> Self {
        self.max_length = Some(chars);
        self
    }
}

/// Values the spec can bound: numbers by range, strings by length; an
/// absent value passes, a list passes when every item does.
#[doc(hidden)]
pub trait Checked {
    /// Refuses the value when it is outside `checks`.
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused>;
}

/// Checks one parameter value (see [`Checked`]).
#[doc(hidden)]
pub fn check<T: Checked + ?Sized>(name: &'static str, value: &T, checks: Checks) -> Result<(), Refused> {
    value.check(name, &checks)
}

macro_rules! checked_number {
    ($($t:ty),*) => {$(
        impl Checked for $t {
            // Bounds are compared as f64: exact for every bound a spec
            // writes in practice.
            #[allow(clippy::unnecessary_cast, clippy::cast_precision_loss)]
            fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
                check_range(name, *self as f64, checks)
            }
        }
    )*};
}

checked_number!(i32, i64, u32, u64, f64);

impl Checked for str {
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
        check_length(name, self, checks)
    }
}

impl Checked for String {
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
        check_length(name, self, checks)
    }
}

impl<T: Checked + ?Sized> Checked for &T {
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
        (**self).check(name, checks)
    }
}

impl<T: Checked> Checked for Option<T> {
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
        self.as_ref().map_or(Ok(()), |v| v.check(name, checks))
    }
}

impl<T: Checked> Checked for Vec<T> {
    fn check(&self, name: &'static str, checks: &Checks) -> Result<(), Refused> {
        self.iter().try_for_each(|v| v.check(name, checks))
    }
}

fn check_range(name: &'static str, value: f64, checks: &Checks) -> Result<(), Refused> {
    let refuse = |message: String| Err(Refused::parameter(name, message));
    if !value.is_finite() {
        return refuse(format!("{value} is not a finite number"));
    }
    if let Some((m, exclusive)) = checks.minimum {
        if value < m || (exclusive && value == m) {
            let op = if exclusive { "greater than" } else { "at least" };
            return refuse(format!("must be {op} {}, got {}", m.to_param(), value.to_param()));
        }
    }
    if let Some((m, exclusive)) = checks.maximum {
        if value > m || (exclusive && value == m) {
            let op = if exclusive { "less than" } else { "at most" };
            return refuse(format!("must be {op} {}, got {}", m.to_param(), value.to_param()));
        }
    }
    Ok(())
}

fn check_length(name: &'static str, value: &str, checks: &Checks) -> Result<(), Refused> {
    if checks.min_length.is_none() && checks.max_length.is_none() {
        return Ok(());
    }
    let len = value.chars().count();
    if checks.min_length.is_some_and(|m| len < m) || checks.max_length.is_some_and(|m| len > m) {
        let max = checks.max_length.map(|m| m.to_string()).unwrap_or_default();
        let message = format!("length {len} is outside {}..={max}", checks.min_length.unwrap_or(0));
        return Err(Refused::parameter(name, message));
    }
    Ok(())
}
