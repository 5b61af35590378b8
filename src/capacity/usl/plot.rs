//! The USL chart as SVG text: measured points, the fitted curve and N*. Drawn with plotters'
//! SVG backend only (no fonts or system libraries: the SVG names a generic font family and
//! the viewer lays out the text). The caller decides where the text goes.

use super::{Error, Fit};
use plotters::prelude::*;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 500;

fn plot_error(e: impl std::fmt::Display) -> Error {
    Error::Plot(e.to_string())
}

/// Draws `fit` (its measured points, the fitted curve and the peak N*) as an SVG document.
pub fn plot_svg(fit: &Fit) -> Result<String, Error> {
    let model = fit.model;
    let max_n = fit.points.iter().map(|p| p.concurrency).fold(1.0, f64::max);
    let x_max = fit.peak.map_or(max_n, |p| max_n.max(p.concurrency * 1.5)) * 1.05;
    let curve: Vec<(f64, f64)> = (0..=400)
        .map(|i| {
            let n = x_max * f64::from(i) / 400.0;
            (n, model.throughput(n))
        })
        .collect();
    let y_max = fit
        .points
        .iter()
        .map(|p| p.measured)
        .chain(curve.iter().map(|c| c.1))
        .fold(1e-9, f64::max)
        * 1.15;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Universal Scalability Law fit",
                ("sans-serif", 22).into_font(),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .map_err(plot_error)?;
        chart
            .configure_mesh()
            .x_desc("concurrency N")
            .y_desc("throughput X(N)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(plot_error)?;
        let label = format!(
            "fit: σ = {:.5}, κ = {:.4e}, λ = {:.3}",
            model.sigma, model.kappa, model.lambda
        );
        chart
            .draw_series(LineSeries::new(curve, BLUE.stroke_width(2)))
            .map_err(plot_error)?
            .label(label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        chart
            .draw_series(
                fit.points
                    .iter()
                    .map(|p| Circle::new((p.concurrency, p.measured), 4, RED.filled())),
            )
            .map_err(plot_error)?
            .label("measured")
            .legend(|(x, y)| Circle::new((x + 10, y), 4, RED.filled()));
        if let Some(peak) = fit.peak {
            chart
                .draw_series(DashedLineSeries::new(
                    [(peak.concurrency, 0.0), (peak.concurrency, y_max)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))
                .map_err(plot_error)?
                .label(format!(
                    "N* = {:.2}, peak X = {:.1}",
                    peak.concurrency, peak.throughput
                ))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(plot_error)?;
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::super::{Point, fit};
    use super::*;

    #[test]
    fn draws_points_curve_and_peak() {
        let pts: Vec<Point> = [(1.0, 64.9), (18.0, 995.9), (36.0, 1652.4), (72.0, 1853.2)]
            .iter()
            .chain(&[(108.0, 1828.9), (144.0, 1775.0), (216.0, 1702.2)])
            .map(|&(concurrency, throughput)| Point {
                concurrency,
                throughput,
            })
            .collect();
        let svg = plot_svg(&fit(&pts, "t").unwrap()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(
            svg.matches("<circle").count(),
            7 + 1,
            "7 points and one legend mark"
        );
        assert!(svg.contains("N* = 96.5"));
        assert!(svg.contains("<polyline"));
    }
}
