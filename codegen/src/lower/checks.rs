//! The constraints a client checks on a parameter before sending it, and
//! its documented default. A parameter schema is often a composition
//! (`allOf: [{$ref: identifier}, {maxLength: 32}]`, or `oneOf` of two
//! string schemas): the bounds of every `allOf` member hold at once, so
//! the most restrictive wins; of `oneOf`/`anyOf` alternatives only one
//! need hold, so only a bound every alternative sets is kept, at its
//! loosest.
//!
//! Reads schemas only: does not lower or name anything.

use super::Lowerer;
use super::MAX_DEPTH;
use super::view::{SRef, View};
use crate::diagnostics::{Kind, pointer};
use crate::model::*;
use serde_json::Value;

impl<'a> Lowerer<'a, '_> {
    /// The bounds the client checks before sending, and the default when
    /// it conforms (it is only documented: the server applies it).
    pub(super) fn param_checks(&mut self, schema: SRef<'a>, ty: &Ty, sptr: &str) -> (Checks, Option<String>) {
        let checks = self.merged_checks(schema, 0);
        let default = self.default_of(schema, 0).and_then(|d| self.check_default(d, ty, &checks, sptr));
        (checks, default)
    }

    /// A schema's own bounds, tightened by its `allOf` members' and by
    /// what all its alternatives agree on.
    fn merged_checks(&self, s: SRef<'a>, depth: usize) -> Checks {
        let Some(schema) = self.peek(s) else { return Checks::default() };
        let v = View::of(schema);
        let mut checks = Checks {
            minimum: v.minimum,
            exclusive_minimum: v.exclusive_minimum,
            maximum: v.maximum,
            exclusive_maximum: v.exclusive_maximum,
            min_length: v.min_length,
            max_length: v.max_length,
        };
        if depth > MAX_DEPTH {
            return checks;
        }
        for m in &v.all_of {
            checks = tighter(&checks, &self.merged_checks(*m, depth + 1));
        }
        let alts = self.alternatives(&v);
        if let Some((first, rest)) = alts.split_first() {
            let agreed = rest.iter().fold(self.merged_checks(*first, depth + 1), |acc, a| {
                looser(&acc, &self.merged_checks(*a, depth + 1))
            });
            checks = tighter(&checks, &agreed);
        }
        checks
    }

    /// The schema's `default`, else the first one an `allOf` member gives.
    fn default_of(&self, s: SRef<'a>, depth: usize) -> Option<&'a Value> {
        let v = View::of(self.peek(s)?);
        if v.default.is_some() || depth > MAX_DEPTH {
            return v.default;
        }
        v.all_of.iter().find_map(|m| self.default_of(*m, depth + 1))
    }

    /// Returns the default as text when it conforms; warns otherwise.
    fn check_default(&mut self, d: &Value, ty: &Ty, checks: &Checks, ptr: &str) -> Option<String> {
        let ok = match (ty, d) {
            (Ty::Integer(_), Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            (Ty::Number, Value::Number(_)) => true,
            (Ty::Boolean, Value::Bool(_)) => true,
            (Ty::String | Ty::Uuid, Value::String(_)) => true,
            (Ty::Date, Value::String(s)) => is_full_date(s),
            (Ty::DateTime, Value::String(s)) => s.len() > 10 && is_full_date(&s[..10]),
            (Ty::Named(id), Value::String(s)) => match &self.types[id.0].kind {
                TypeKind::Enum(e) => e.values.iter().any(|v| &v.wire == s),
                _ => true,
            },
            (Ty::Array(_), Value::Array(_)) => true,
            _ => false,
        };
        let in_bounds = match d.as_f64() {
            Some(f) => checks.minimum.is_none_or(|m| f >= m) && checks.maximum.is_none_or(|m| f <= m),
            None => true,
        };
        if ok && in_bounds {
            Some(match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        } else {
            self.diags.warn(
                Kind::NonConformingDefault,
                pointer(ptr, "default"),
                format!("default `{d}` does not conform to the schema; it is left out of the docs"),
            );
            None
        }
    }
}

/// Both sets hold: the higher minimum, the lower maximum, the longer
/// least length, the shorter greatest length.
fn tighter(a: &Checks, b: &Checks) -> Checks {
    let (minimum, exclusive_minimum) = bound(
        (a.minimum, a.exclusive_minimum),
        (b.minimum, b.exclusive_minimum),
        |x, y| x > y,
        true,
    );
    let (maximum, exclusive_maximum) = bound(
        (a.maximum, a.exclusive_maximum),
        (b.maximum, b.exclusive_maximum),
        |x, y| x < y,
        true,
    );
    Checks {
        minimum,
        exclusive_minimum,
        maximum,
        exclusive_maximum,
        min_length: a.min_length.max(b.min_length),
        max_length: a.max_length.into_iter().chain(b.max_length).min(),
    }
}

/// One set or the other holds: only bounds both set, at the looser.
fn looser(a: &Checks, b: &Checks) -> Checks {
    let (minimum, exclusive_minimum) = bound(
        (a.minimum, a.exclusive_minimum),
        (b.minimum, b.exclusive_minimum),
        |x, y| x < y,
        false,
    );
    let (maximum, exclusive_maximum) = bound(
        (a.maximum, a.exclusive_maximum),
        (b.maximum, b.exclusive_maximum),
        |x, y| x > y,
        false,
    );
    Checks {
        minimum,
        exclusive_minimum,
        maximum,
        exclusive_maximum,
        min_length: a.min_length.zip(b.min_length).map(|(x, y)| x.min(y)),
        max_length: a.max_length.zip(b.max_length).map(|(x, y)| x.max(y)),
    }
}

/// Picks between two optional bounds: `wins(x, y)` says `x` is the one to
/// keep. `tight`: one bound alone is kept (both hold), and at equal values
/// exclusive wins; otherwise a missing bound means none, and inclusive wins.
fn bound(
    a: (Option<f64>, bool),
    b: (Option<f64>, bool),
    wins: fn(f64, f64) -> bool,
    tight: bool,
) -> (Option<f64>, bool) {
    match (a, b) {
        ((Some(x), ex), (Some(y), ey)) if x == y => (Some(x), if tight { ex || ey } else { ex && ey }),
        ((Some(x), ex), (Some(y), ey)) => {
            if wins(x, y) { (Some(x), ex) } else { (Some(y), ey) }
        }
        ((Some(x), ex), (None, _)) | ((None, _), (Some(x), ex)) if tight => (Some(x), ex),
        _ => (None, false),
    }
}

/// `YYYY-MM-DD` by shape only: month and day ranges are not checked.
fn is_full_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::{looser, tighter};
    use crate::model::Checks;

    fn c(min: Option<f64>, ex_min: bool, max: Option<f64>, min_len: Option<usize>, max_len: Option<usize>) -> Checks {
        Checks {
            minimum: min,
            exclusive_minimum: ex_min,
            maximum: max,
            exclusive_maximum: false,
            min_length: min_len,
            max_length: max_len,
        }
    }

    #[test]
    fn all_of_bounds_take_the_most_restrictive_and_alternatives_the_loosest() {
        let a = c(Some(1.0), false, Some(100.0), Some(2), Some(32));
        let b = c(Some(1.0), true, None, None, Some(36));
        assert_eq!(tighter(&a, &b), c(Some(1.0), true, Some(100.0), Some(2), Some(32)));
        assert_eq!(looser(&a, &b), c(Some(1.0), false, None, None, Some(36)));
        let none = Checks::default();
        assert_eq!(tighter(&a, &none), a);
        assert_eq!(looser(&a, &none), none);
        let higher = c(Some(5.0), false, Some(50.0), Some(4), Some(8));
        assert_eq!(tighter(&a, &higher), c(Some(5.0), false, Some(50.0), Some(4), Some(8)));
        assert_eq!(looser(&a, &higher), c(Some(1.0), false, Some(100.0), Some(2), Some(32)));
    }
}
