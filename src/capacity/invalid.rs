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

impl Invalid {
    /// Builds the error for `input` = `value`.
    pub fn new(
        input: &'static str,
        value: impl ToString,
        reason: impl Into<String>,
        accepted: impl Into<String>,
    ) -> Self {
        Self {
            input,
            value: value.to_string(),
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
