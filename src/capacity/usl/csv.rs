//! Measurements as CSV: one `concurrency,throughput` pair per line, an optional header line,
//! blank lines and `#` comments ignored. Cells may be separated by commas, semicolons, tabs
//! or spaces. Every problem points at `file:line:column`.

use super::{Error, MAX_POINTS, Point};

/// Reads measurements from CSV `text`; `path` names the file in errors.
pub fn parse_csv(text: &str, path: &str) -> Result<Vec<Point>, Error> {
    let mut points = Vec::new();
    let mut first = true;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or("");
        if content.trim().is_empty() {
            continue;
        }
        let cells = split_cells(content);
        // A header is a first line with no number in it; a typo in a first data row stays an error.
        let header = first && cells.iter().all(|(_, c)| c.parse::<f64>().is_err());
        first = false;
        if header {
            continue;
        }
        if points.len() == MAX_POINTS {
            return Err(Error::TooMany {
                path: path.into(),
                line,
                max: MAX_POINTS,
            });
        }
        if cells.len() != 2 {
            return Err(Error::Columns {
                path: path.into(),
                line,
                found: cells.len(),
            });
        }
        let mut values = [0.0; 2];
        for (slot, (what, &(column, cell))) in values
            .iter_mut()
            .zip(["concurrency", "throughput"].iter().zip(cells.iter()))
        {
            let v: f64 = cell
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| Error::NotNumeric {
                    path: path.into(),
                    line,
                    column,
                    cell: cell.into(),
                })?;
            if v <= 0.0 {
                return Err(Error::NonPositive {
                    path: path.into(),
                    line,
                    column,
                    what,
                    value: v,
                });
            }
            if v > crate::units::MAX {
                return Err(Error::TooLarge {
                    path: path.into(),
                    line,
                    column,
                    what,
                    value: v,
                });
            }
            *slot = v;
        }
        points.push(Point {
            concurrency: values[0],
            throughput: values[1],
        });
    }
    if points.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    Ok(points)
}

/// Splits a line into trimmed, non-empty cells with their 1-based character columns.
pub(crate) fn split_cells(line: &str) -> Vec<(usize, &str)> {
    let separated = line.contains([',', ';', '\t']);
    let mut cells = Vec::new();
    let mut start = 0;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ',')))
    {
        let sep = if separated {
            matches!(c, ',' | ';' | '\t')
        } else {
            c.is_whitespace() || c == ','
        };
        if sep {
            let cell = &line[start..i];
            let trimmed = cell.trim();
            if !trimmed.is_empty() || separated {
                let offset = cell.len() - cell.trim_start().len();
                let column = line[..start + offset].chars().count() + 1;
                cells.push((column, trimmed));
            }
            start = i + c.len_utf8();
        }
    }
    if !separated {
        cells.retain(|(_, c)| !c.is_empty());
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_or_without_a_header() {
        let with = parse_csv("concurrency,throughput\n1,64.9\n18,995.9\n", "d.csv").unwrap();
        let without = parse_csv("1,64.9\n18,995.9\n", "d.csv").unwrap();
        assert_eq!(with, without);
        assert_eq!(with[1].concurrency, 18.0);
        assert_eq!(with[1].throughput, 995.9);
    }

    #[test]
    fn skips_comments_and_blank_lines_and_takes_other_separators() {
        let p = parse_csv("# load test\n\n1\t10\n2 ; 19 # warm\n4 30\n", "d.csv").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[2].throughput, 30.0);
    }

    #[test]
    fn points_at_the_line_and_column_of_a_bad_cell() {
        let e = parse_csv("n,x\n1,10\n2, lots\n", "d.csv").unwrap_err();
        assert_eq!(
            e,
            Error::NotNumeric {
                path: "d.csv".into(),
                line: 3,
                column: 4,
                cell: "lots".into()
            }
        );
        assert!(
            e.to_string()
                .starts_with("d.csv:3:4: `lots` is not a number")
        );
    }

    #[test]
    fn refuses_huge_values_and_too_many_rows() {
        assert!(matches!(
            parse_csv("1,10\n2,1e300\n", "h.csv").unwrap_err(),
            Error::TooLarge {
                line: 2,
                what: "throughput",
                ..
            }
        ));
        let rows: String = (1..=MAX_POINTS + 1).map(|i| format!("{i},{i}\n")).collect();
        let e = parse_csv(&format!("n,x\n{rows}"), "m.csv").unwrap_err();
        assert_eq!(
            e,
            Error::TooMany {
                path: "m.csv".into(),
                line: MAX_POINTS + 2,
                max: MAX_POINTS
            }
        );
    }

    #[test]
    fn refuses_empty_files_wrong_widths_and_non_positive_values() {
        assert_eq!(
            parse_csv("concurrency,throughput\n", "e.csv").unwrap_err(),
            Error::Empty {
                path: "e.csv".into()
            }
        );
        assert!(matches!(
            parse_csv("1,2,3\n", "w.csv").unwrap_err(),
            Error::Columns {
                line: 1,
                found: 3,
                ..
            }
        ));
        assert!(matches!(
            parse_csv("1,10\n0,5\n", "z.csv").unwrap_err(),
            Error::NonPositive {
                line: 2,
                what: "concurrency",
                ..
            }
        ));
        assert!(matches!(
            parse_csv("1,10\n2,-5\n", "z.csv").unwrap_err(),
            Error::NonPositive {
                line: 2,
                column: 3,
                what: "throughput",
                ..
            }
        ));
    }
}
