//! Day-long Erlang C staffing, the way workforce planners use it: a forecast of intervals
//! (a start label, the arrivals in the interval and optionally their average handling time),
//! each staffed on its own with the fewest agents whose service level P(wait ≤ t) reaches the
//! goal.
//!
//! Each interval is an M/M/c queue in steady state: λ = arrivals / interval length, A = λ ×
//! AHT Erlangs, and the agent count is [`super::queue::minimum_servers`] (Erlang C through the
//! Erlang B recurrence, service level 1 − C·e^{−(c − A)t/AHT}; sources in [`super::queue`]).
//! An interval without arrivals needs no agent. Intervals are independent: calls waiting at
//! the end of one interval are not carried into the next (the usual planning assumption).
//!
//! The CSV: one interval a line, `start,arrivals[,aht]`; an optional header line, blank lines
//! and `#` comments are ignored; cells may be separated by commas, semicolons, tabs or spaces.
//! The handling time is a duration (`180s`, `3m`); a row without one takes the plan's.

use super::Invalid;
use super::queue;
use super::usl::csv::split_cells;
use serde::Serialize;

/// Most intervals a file may hold: a year of 1-minute intervals is about 526 000.
pub const MAX_INTERVALS: usize = 1_000_000;

/// One interval of the forecast, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Its start, as written (a label: `08:00`, `2024-03-04T08:00`).
    pub start: String,
    /// Arrivals (calls, contacts) in the interval.
    pub arrivals: f64,
    /// Its own average handling time (seconds), if the row gives one.
    pub aht_seconds: Option<f64>,
    /// The line of the file it came from.
    pub line: usize,
}

/// A problem in an interval file, located at `file:line:column`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A row without 2 or 3 cells.
    #[error(
        "{path}:{line}: found {found} cells; accepted: start,arrivals or start,arrivals,aht (e.g. 08:00,120,180s)"
    )]
    Columns {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// Cells found.
        found: usize,
    },
    /// An arrivals cell that is not a count of at least 0.
    #[error(
        "{path}:{line}:{column}: arrivals `{cell}` is not a count; accepted: a number of arrivals in the interval of at least 0, e.g. 120 or 1.5k"
    )]
    Arrivals {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The cell.
        cell: String,
    },
    /// A handling-time cell that is not a duration above 0.
    #[error(
        "{path}:{line}:{column}: handling time `{cell}` is not a duration above 0; accepted: a duration with its unit, e.g. 180s or 3m"
    )]
    Aht {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The cell.
        cell: String,
    },
    /// A row without a handling time when the plan has none either.
    #[error(
        "{path}:{line}: the interval has no handling time and --aht is not given; accepted: a third cell such as 180s, or --aht 180s for every row without one"
    )]
    NoAht {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
    },
    /// More than [`MAX_INTERVALS`] rows.
    #[error("{path}:{line}: more than {max} intervals; accepted: at most {max} intervals a file")]
    TooMany {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// The cap.
        max: usize,
    },
    /// No interval at all.
    #[error(
        "{path}: no interval found; accepted: one interval a line, start,arrivals[,aht], e.g. 08:00,120,180s"
    )]
    Empty {
        /// The file.
        path: String,
    },
    /// An interval the model refuses (a load past the server cap, say).
    #[error("{path}:{line}: {source}")]
    Model {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// Why.
        source: Invalid,
    },
}

/// Reads the intervals of CSV `text`; `path` names the file in errors.
pub fn parse_csv(text: &str, path: &str) -> Result<Vec<Interval>, Error> {
    let mut intervals = Vec::new();
    let mut first = true;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or("");
        if content.trim().is_empty() {
            continue;
        }
        let cells = split_cells(content);
        // A header is a first line whose second cell is not a number.
        let header = first
            && cells
                .get(1)
                .is_some_and(|(_, c)| crate::units::parse_count(c).is_err());
        first = false;
        if header {
            continue;
        }
        if intervals.len() == MAX_INTERVALS {
            return Err(Error::TooMany {
                path: path.into(),
                line,
                max: MAX_INTERVALS,
            });
        }
        if !(2..=3).contains(&cells.len()) {
            return Err(Error::Columns {
                path: path.into(),
                line,
                found: cells.len(),
            });
        }
        let (column, cell) = cells[1];
        let arrivals = crate::units::parse_count(cell).map_err(|_| Error::Arrivals {
            path: path.into(),
            line,
            column,
            cell: cell.into(),
        })?;
        let aht_seconds = match cells.get(2) {
            None => None,
            Some(&(column, cell)) => Some(
                crate::units::parse_duration(cell)
                    .ok()
                    .filter(|d| *d > 0.0)
                    .ok_or_else(|| Error::Aht {
                        path: path.into(),
                        line,
                        column,
                        cell: cell.into(),
                    })?,
            ),
        };
        intervals.push(Interval {
            start: cells[0].1.to_string(),
            arrivals,
            aht_seconds,
            line,
        });
    }
    if intervals.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    Ok(intervals)
}

/// What every interval is staffed for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plan {
    /// Length of one interval (seconds): 1800 for half-hour intervals.
    pub interval_seconds: f64,
    /// Handling time for rows without their own (seconds).
    pub aht_seconds: Option<f64>,
    /// The answer-time target t (seconds).
    pub target_seconds: f64,
    /// The service-level goal P(wait ≤ t).
    pub goal: f64,
}

/// One staffed interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staffed {
    /// Its start, as written.
    pub start: String,
    /// Arrivals in the interval.
    pub arrivals: f64,
    /// The handling time used (seconds).
    pub aht_seconds: f64,
    /// Offered traffic A = arrivals × AHT / interval length (Erlangs).
    pub traffic_erlangs: f64,
    /// The fewest agents meeting the goal (0 without arrivals).
    pub agents: u32,
    /// Service level at that count, P(wait ≤ t).
    pub service_level: f64,
    /// Average speed of answer Wq (seconds).
    pub asa_seconds: f64,
    /// Occupancy A/c.
    pub occupancy: f64,
}

/// A staffed day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// What it was staffed for.
    pub plan: Plan,
    /// Every interval, in file order.
    pub intervals: Vec<Staffed>,
    /// The most agents any interval needs.
    pub peak_agents: u32,
    /// The first interval needing the peak.
    pub peak_start: String,
    /// Σ agents × interval length, in hours.
    pub agent_hours: f64,
}

/// Staffs every interval; `path` names the file in errors.
pub fn staff(intervals: &[Interval], plan: &Plan, path: &str) -> Result<Day, Error> {
    let model = |line: usize, source: Invalid| Error::Model {
        path: path.into(),
        line,
        source,
    };
    if !(plan.interval_seconds.is_finite() && plan.interval_seconds > 0.0) {
        return Err(model(
            0,
            Invalid::new(
                "interval",
                plan.interval_seconds,
                "the interval must be longer than zero",
                "a duration such as 30m or 15m",
            ),
        ));
    }
    let mut rows = Vec::with_capacity(intervals.len());
    for i in intervals {
        let aht = i.aht_seconds.or(plan.aht_seconds).ok_or(Error::NoAht {
            path: path.into(),
            line: i.line,
        })?;
        let arrival = i.arrivals / plan.interval_seconds;
        let traffic = arrival * aht;
        let row = if i.arrivals == 0.0 {
            Staffed {
                start: i.start.clone(),
                arrivals: 0.0,
                aht_seconds: aht,
                traffic_erlangs: 0.0,
                agents: 0,
                service_level: 1.0,
                asa_seconds: 0.0,
                occupancy: 0.0,
            }
        } else {
            let (agents, b) = queue::fewest_servers(arrival, aht, plan.target_seconds, plan.goal)
                .map_err(|e| model(i.line, e))?;
            // From Erlang B at c: C = B / (1 − ρ(1 − B)), SL = 1 − C·e^{−(c − A)t/AHT},
            // ASA = C·AHT / (c − A), occupancy ρ = A/c (the formulas of `queue::Figures`).
            let c = f64::from(agents);
            let rho = traffic / c;
            let p_wait = b / (1.0 - rho * (1.0 - b));
            Staffed {
                start: i.start.clone(),
                arrivals: i.arrivals,
                aht_seconds: aht,
                traffic_erlangs: traffic,
                agents,
                service_level: 1.0 - p_wait * (-(c - traffic) * plan.target_seconds / aht).exp(),
                asa_seconds: p_wait * aht / (c - traffic),
                occupancy: rho,
            }
        };
        rows.push(row);
    }
    let peak = rows
        .iter()
        .fold(None::<&Staffed>, |best, r| match best {
            Some(b) if b.agents >= r.agents => Some(b),
            _ => Some(r),
        })
        .map_or((0, String::new()), |r| (r.agents, r.start.clone()));
    let agent_hours =
        rows.iter().map(|r| f64::from(r.agents)).sum::<f64>() * plan.interval_seconds / 3600.0;
    Ok(Day {
        plan: *plan,
        intervals: rows,
        peak_agents: peak.0,
        peak_start: peak.1,
        agent_hours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(aht: Option<f64>) -> Plan {
        Plan {
            interval_seconds: 1800.0,
            aht_seconds: aht,
            target_seconds: 20.0,
            goal: 0.8,
        }
    }

    #[test]
    fn staffs_each_interval_like_the_single_erlang_c_figure() {
        // 100 calls in 30 minutes at 180 s, 80 % within 20 s: 14 agents (the R package
        // ErlangC example, REFERENCES.md); twice the calls need more, none need none.
        let text = "start,arrivals,aht\n08:00,100,180s\n08:30,200\n09:00,0\n";
        let rows = parse_csv(text, "day.csv").unwrap();
        let day = staff(&rows, &plan(Some(180.0)), "day.csv").unwrap();
        let agents: Vec<u32> = day.intervals.iter().map(|r| r.agents).collect();
        assert_eq!(agents[0], 14);
        assert_eq!(agents[2], 0);
        assert_eq!(
            agents[1],
            queue::minimum_servers(200.0 / 1800.0, 180.0, 20.0, 0.8).unwrap()
        );
        assert!((day.intervals[0].traffic_erlangs - 10.0).abs() < 1e-12);
        assert_eq!(day.peak_agents, agents[1]);
        assert_eq!(day.peak_start, "08:30");
        assert!((day.agent_hours - f64::from(agents[0] + agents[1]) * 0.5).abs() < 1e-12);
        // The figures derived from the search's Erlang B are the queue's own.
        let q = queue::mmc(100.0 / 1800.0, 180.0, 14).unwrap();
        let r = &day.intervals[0];
        assert!((r.service_level - q.service_level(20.0)).abs() < 1e-12);
        assert!((r.asa_seconds - q.figures().wq_seconds).abs() < 1e-9);
        assert!((r.occupancy - q.figures().utilisation).abs() < 1e-12);
    }

    #[test]
    fn a_row_without_a_handling_time_needs_the_plans() {
        let rows = parse_csv("08:00,100\n", "day.csv").unwrap();
        let e = staff(&rows, &plan(None), "day.csv").unwrap_err();
        assert!(e.to_string().starts_with("day.csv:1: "), "{e}");
        assert!(e.to_string().contains("--aht"), "{e}");
    }

    #[test]
    fn points_at_the_line_and_column_of_a_bad_cell() {
        let e = parse_csv("start,arrivals\n08:00,100\n08:30, lots\n", "d.csv").unwrap_err();
        assert!(
            e.to_string().starts_with("d.csv:3:8: arrivals `lots`"),
            "{e}"
        );
        let e = parse_csv("08:00,100,180\n", "d.csv").unwrap_err();
        assert!(
            e.to_string().starts_with("d.csv:1:11: handling time `180`"),
            "{e}"
        );
        let e = parse_csv("08:00\n", "d.csv").unwrap_err();
        assert!(matches!(e, Error::Columns { found: 1, .. }), "{e}");
        assert!(matches!(
            parse_csv("# nothing\n", "d.csv").unwrap_err(),
            Error::Empty { .. }
        ));
    }
}
