//! The one error every capacity model returns for an input outside its domain: which input,
//! the value given, why it was refused and what is accepted. Input names are the kebab-case
//! names people type (`max-fill`, `servers`), so the command line can name its flag.

/// An input outside the domain of a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{input} {value}: {reason}; accepted: {accepted}")]
pub struct Invalid {
    /// The input, in kebab case (`max-fill`).
    pub input: &'static str,
    /// The value that was given, as people would type it.
    pub value: String,
    /// Why it was refused.
    pub reason: String,
    /// What would be accepted.
    pub accepted: String,
}

/// A value as people would type it back: numbers past 1e15 or below 1e-4 in exponent form
/// (`1e308`, not 309 digits).
pub trait Shown {
    /// The value as text.
    fn shown(&self) -> String;
}

impl Shown for f64 {
    fn shown(&self) -> String {
        crate::yaml::float_text(*self)
    }
}

macro_rules! shown_by_display {
    ($($t:ty),*) => {
        $(impl Shown for $t {
            fn shown(&self) -> String {
                self.to_string()
            }
        })*
    };
}
shown_by_display!(
    i8, i16, i32, i64, u8, u16, u32, u64, usize, &str, String, &String
);

impl Invalid {
    /// Builds the error for `input` = `value`.
    pub fn new(
        input: &'static str,
        value: impl Shown,
        reason: impl Into<String>,
        accepted: impl Into<String>,
    ) -> Self {
        Self {
            input,
            value: value.shown(),
            reason: reason.into(),
            accepted: accepted.into(),
        }
    }
}

/// Refuses NaN and infinities, which no model accepts.
pub(crate) fn finite(input: &'static str, v: f64, accepted: &str) -> Result<f64, Invalid> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Invalid::new(
            input,
            v,
            "it is not a finite number",
            accepted,
        ))
    }
}
