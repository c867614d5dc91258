//! The checks the spec asks for before a parameter is sent: bounds on
//! numbers, lengths of strings. How values are written is `styles`'s job.

use super::Refused;
use super::node::number_text;

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

impl<T: Checked> Checked for [T] {
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
            return refuse(format!("must be {op} {}, got {}", number_text(m), number_text(value)));
        }
    }
    if let Some((m, exclusive)) = checks.maximum {
        if value > m || (exclusive && value == m) {
            let op = if exclusive { "less than" } else { "at most" };
            return refuse(format!("must be {op} {}, got {}", number_text(m), number_text(value)));
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
