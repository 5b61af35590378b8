//! A pattern pack (`models/packs.yaml`): the patterns a system needs once it reaches a user
//! band or a load band (peak requests per second). Packs are cumulative: a system in the
//! resilience band needs the foundation and scale packs too.

use serde::{Deserialize, Serialize};

/// One entry of `models/packs.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Kebab-case id (`foundation`).
    pub id: String,
    /// Display name (`Foundation`).
    pub name: String,
    /// Position from smallest to largest scale, 1-based and gap-free.
    pub order: u32,
    /// Monthly active users where the band starts (inclusive), as a count (`"1M"`).
    pub users_from: String,
    /// Where the band ends (exclusive); absent for the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_below: Option<String>,
    /// Peak request rate where the load band starts (inclusive), as a rate (`"1k/s"`); absent
    /// when the pack has no load band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rps_from: Option<String>,
    /// Where the load band ends (exclusive); absent for the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rps_below: Option<String>,
    /// What the pack is for.
    pub summary: String,
    /// Ids of the patterns it introduces, in the order to adopt them.
    pub patterns: Vec<String>,
    /// `users_from` as a number, filled in on load.
    #[serde(skip)]
    pub min_users: f64,
    /// `users_below` as a number, filled in on load.
    #[serde(skip)]
    pub max_users: Option<f64>,
    /// `peak_rps_from` per second, filled in on load.
    #[serde(skip)]
    pub min_rps: Option<f64>,
    /// `peak_rps_below` per second, filled in on load.
    #[serde(skip)]
    pub max_rps: Option<f64>,
}

impl Pack {
    /// Whether a system with `users` monthly active users falls in this pack's band.
    pub fn contains(&self, users: f64) -> bool {
        users >= self.min_users && self.max_users.is_none_or(|m| users < m)
    }

    /// Whether a system whose peak is `rps` requests per second falls in this pack's load
    /// band (never, for a pack without one).
    pub fn contains_rps(&self, rps: f64) -> bool {
        self.min_rps
            .is_some_and(|min| rps >= min && self.max_rps.is_none_or(|m| rps < m))
    }

    /// The user band in words: `1M to 10M users`, `100M+ users`.
    pub fn band(&self) -> String {
        match &self.users_below {
            Some(below) => format!("{} to {below} users", self.users_from),
            None => format!("{}+ users", self.users_from),
        }
    }

    /// The load band in words (`1k/s to 10k/s at peak`, `100k/s+ at peak`), if the pack has one.
    pub fn load_band(&self) -> Option<String> {
        let from = self.peak_rps_from.as_ref()?;
        Some(match &self.peak_rps_below {
            Some(below) => format!("{from} to {below} at peak"),
            None => format!("{from}+ at peak"),
        })
    }

    /// Both bands in words: `1M to 10M users, or 1k/s to 10k/s at peak`.
    pub fn bands(&self) -> String {
        match self.load_band() {
            Some(load) => format!("{}, or {load}", self.band()),
            None => self.band(),
        }
    }
}
