//! The dashboard: departures per month (a bar chart, a number on every bar), their
//! reasons (bars beside the chart in a wide window, a line under it in a narrow one),
//! the handover backlog week by week (a sparkline) and the scheduled dismissals to come.
//! Every figure is also written as a number, so nothing depends on colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Sparkline, Wrap};

use crate::directory::{Dashboard, Departures};
use crate::domain::Reason;
use crate::domain::dashboard::{Month, WEEKS};
use crate::tui::app::App;
use crate::tui::ui::widgets::{block, fit};

/// From this inner width on, the reasons stand beside the monthly chart.
const WIDE: u16 = 76;
/// The reasons' column when beside the chart: the longest reason and a short bar.
const REASONS_WIDTH: u16 = 24;
const BAR_GAP: u16 = 1;
/// Between the months of one year and the next.
const YEAR_GAP: u16 = 1;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let outer = block(app, " Dashboard ".into(), true);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(d) = &app.dashboard.data else {
        frame.render_widget(
            Paragraph::new("Reading the figures…").style(app.theme.dim),
            inner,
        );
        return;
    };
    let wide = inner.width >= WIDE;
    let reasons_rows = if wide || d.departures.is_none() { 0 } else { 2 };
    let gap = u16::from(inner.height >= 17);
    let spark_rows = (inner.height.saturating_sub(12) / 3).clamp(1, 4);
    let [top, reasons, _, backlog_title, spark, _, pending] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(reasons_rows),
        Constraint::Length(gap),
        Constraint::Length(1),
        Constraint::Length(spark_rows),
        Constraint::Length(gap),
        Constraint::Length(1),
    ])
    .areas(inner);
    match &d.departures {
        Some(dep) if wide => {
            let [months, _, side] = Layout::horizontal([
                Constraint::Min(20),
                Constraint::Length(1),
                Constraint::Length(REASONS_WIDTH),
            ])
            .areas(top);
            render_months(frame, app, dep, months);
            render_reasons_bars(frame, app, dep, side);
        }
        Some(dep) => {
            render_months(frame, app, dep, top);
            render_reasons_line(frame, app, dep, reasons);
        }
        None => frame.render_widget(
            Paragraph::new(
                "Departures: for administrators and company-structure staff, or for everyone \
                 while an administrator shows dismissed employees (Settings).",
            )
            .style(app.theme.dim)
            .wrap(Wrap { trim: true }),
            top,
        ),
    }
    render_backlog(frame, app, d, backlog_title, spark);
    render_pending(frame, app, d, pending);
}

/// The title line and the chart of departures per month, a group of bars per year.
fn render_months(frame: &mut Frame, app: &App, dep: &Departures, area: Rect) {
    let t = &app.theme;
    let [title, chart] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let total: u64 = dep.months.iter().map(|m| m.1).sum();
    let span = match (dep.months.first(), dep.months.last()) {
        (Some(a), Some(b)) => format!(
            "{} {} – {} {}",
            a.0.short_name(),
            a.0.year,
            b.0.short_name(),
            b.0.year
        ),
        _ => String::new(),
    };
    let text = format!("Departures per month, {span}: {total} in all");
    frame.render_widget(
        Paragraph::new(fit(&text, title.width as usize)).style(t.table_header),
        title,
    );

    let n = dep.months.len() as u16;
    let years = years_of(&dep.months);
    let gaps = n.saturating_sub(1) * BAR_GAP + (years.len() as u16).saturating_sub(1) * YEAR_GAP;
    let bar_width = (chart.width.saturating_sub(gaps) / n.max(1)).clamp(1, 7);
    let groups: Vec<BarGroup> = years
        .iter()
        .map(|(year, months)| {
            let bars: Vec<Bar> = months
                .iter()
                .map(|(m, count)| {
                    Bar::default()
                        .value(*count)
                        .label(Line::from(fit(m.short_name(), bar_width as usize)))
                })
                .collect();
            let width = months.len() as u16 * (bar_width + BAR_GAP) - BAR_GAP;
            let label = if width >= 4 {
                year.to_string()
            } else {
                format!("'{:02}", year % 100)
            };
            BarGroup::default()
                .label(Line::from(label).centered())
                .bars(&bars)
        })
        .collect();
    let mut bars = BarChart::default()
        .bar_width(bar_width)
        .bar_gap(BAR_GAP)
        .group_gap(YEAR_GAP)
        .bar_style(t.chart)
        .value_style(t.chart_value)
        .label_style(t.dim);
    for g in groups {
        bars = bars.data(g);
    }
    frame.render_widget(bars, chart);
    mark_empty_months(frame, app, dep, &years, chart, bar_width);
}

/// The months in the window by year, in order.
fn years_of(months: &[(Month, u64)]) -> Vec<(i32, Vec<(Month, u64)>)> {
    let mut out: Vec<(i32, Vec<(Month, u64)>)> = Vec::new();
    for (m, count) in months {
        match out.last_mut() {
            Some((year, list)) if *year == m.year => list.push((*m, *count)),
            _ => out.push((m.year, vec![(*m, *count)])),
        }
    }
    out
}

/// The chart draws no number for a month nobody left in: a `0` on its base line says
/// so, where the number would stand (the bar's bottom row, centred as the chart does).
fn mark_empty_months(
    frame: &mut Frame,
    app: &App,
    dep: &Departures,
    years: &[(i32, Vec<(Month, u64)>)],
    chart: Rect,
    bar_width: u16,
) {
    // Under the bars: a row of month names and a row of years.
    let Some(base) = chart.bottom().checked_sub(3) else {
        return;
    };
    if base < chart.y {
        return;
    }
    let mut x = chart.x;
    let mut i = 0;
    for (_, months) in years {
        for _ in months {
            if dep.months.get(i).is_some_and(|m| m.1 == 0) {
                let at = x + bar_width.saturating_sub(1) / 2;
                if at < chart.right() {
                    frame.buffer_mut()[(at, base)]
                        .set_symbol("0")
                        .set_style(app.theme.dim);
                }
            }
            x += bar_width + BAR_GAP;
            i += 1;
        }
        x += YEAR_GAP;
    }
}

fn reason_label(r: Option<Reason>) -> String {
    r.map_or_else(|| "none given".to_string(), |r| r.words())
}

/// The reasons as bars with their numbers, beside the monthly chart.
fn render_reasons_bars(frame: &mut Frame, app: &App, dep: &Departures, area: Rect) {
    let t = &app.theme;
    let [title, chart] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new("Reasons (same months)").style(t.table_header),
        title,
    );
    let bars: Vec<Bar> = dep
        .reasons
        .iter()
        .map(|(r, n)| Bar::default().value(*n).label(Line::from(reason_label(*r))))
        .collect();
    frame.render_widget(
        BarChart::horizontal(bars)
            .bar_width(1)
            .bar_gap(0)
            .bar_style(t.chart)
            .value_style(t.chart_value)
            .label_style(t.dim),
        chart,
    );
}

/// The reasons as one wrapped line, under the chart in a narrow window.
fn render_reasons_line(frame: &mut Frame, app: &App, dep: &Departures, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled("Reasons: ", t.table_header)];
    for (i, (r, n)) in dep.reasons.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim));
        }
        spans.push(Span::raw(format!("{} {n}", reason_label(*r))));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
        area,
    );
}

/// The backlog's title line with its figures, and its line week by week (the most
/// recent weeks that fit, now at the right).
fn render_backlog(frame: &mut Frame, app: &App, d: &Dashboard, title: Rect, spark: Rect) {
    let t = &app.theme;
    let Some(weekly) = &d.backlog else {
        frame.render_widget(
            Paragraph::new(fit(
                "Handover backlog: for administrators and company-structure staff.",
                title.width as usize,
            ))
            .style(t.dim),
            title,
        );
        return;
    };
    let now = weekly.last().copied().unwrap_or(0);
    let most = weekly.iter().copied().max().unwrap_or(0);
    let shown = weekly.len().min(spark.width as usize);
    let weeks = if shown == WEEKS {
        "a year".to_string()
    } else {
        format!("{shown} weeks")
    };
    let text = format!("Handover backlog, weekly for {weeks}: {now} now, {most} at most");
    frame.render_widget(
        Paragraph::new(fit(&text, title.width as usize)).style(t.table_header),
        title,
    );
    let data = &weekly[weekly.len() - shown..];
    frame.render_widget(
        Sparkline::default()
            .data(data)
            .max(most.max(1))
            .style(t.chart),
        spark,
    );
}

/// How many dismissals are scheduled, and the next one: when and who.
fn render_pending(frame: &mut Frame, app: &App, d: &Dashboard, area: Rect) {
    let t = &app.theme;
    let p = &d.pending;
    let text = match &p.next {
        Some((on, who)) => format!(
            "Scheduled dismissals: {} · next {on} {} ({})",
            p.count,
            who.name(),
            who.login
        ),
        None => "Scheduled dismissals: none".to_string(),
    };
    let (head, rest) = text.split_at("Scheduled dismissals:".len());
    let room = (area.width as usize).saturating_sub(head.chars().count());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(head.to_string(), t.table_header),
            Span::raw(fit(rest, room)),
        ])),
        area,
    );
}
