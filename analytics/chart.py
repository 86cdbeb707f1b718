"""A line chart as inline SVG, drawn on the server: no JavaScript, nothing loaded from elsewhere.

Screen readers get its <title> and <desc>; the page puts the same numbers in a table beside it.
"""
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Okabe and Ito's colour-blind-safe palette (the yellow darkened for contrast on white), then more;
# past the colours, the dash patterns tell series apart.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#B8A000", "#000000",
           "#882255", "#44AA99", "#999933", "#AA4499"]
DASHES = ["", "6 3", "2 3", "8 3 2 3"]

WIDTH = 800
LEFT, RIGHT, TOP = 52, 16, 16
PLOT_HEIGHT = 240
AXIS_HEIGHT = 28
LEGEND_ROW = 22
LEGEND_COLUMNS = 4
MAX_POINT_MARKERS = 62  # days; beyond that the dots would only blur the lines


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    style: int  # picks the colour and dash pattern, so a status keeps its look whatever else is shown


def style(index: int) -> tuple[str, str]:
    return COLOURS[index % len(COLOURS)], DASHES[(index // len(COLOURS)) % len(DASHES)]


def nice_step(largest: int, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most `ticks` intervals up to `largest`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * ticks >= largest:
                return step * factor
        step *= 10


def line_chart(*, days: list[date], series: list[Series], title: str, description: str,
               element_id: str = "report-chart") -> SafeString:
    plot_width = WIDTH - LEFT - RIGHT
    largest = max((max(s.values) for s in series if s.values), default=0)
    step = nice_step(max(largest, 1))
    top_value = step * max(1, -(-largest // step))
    legend_rows = -(-len(series) // LEGEND_COLUMNS)
    height = TOP + PLOT_HEIGHT + AXIS_HEIGHT + legend_rows * LEGEND_ROW + 8

    def x(index: int) -> float:
        return LEFT + (plot_width * index / (len(days) - 1) if len(days) > 1 else plot_width / 2)

    def y(value: int) -> float:
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top_value

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" id="{}" class="report-chart" role="img" '
            'aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" width="100%" '
            'font-family="sans-serif" font-size="11">',
            element_id, element_id, element_id, WIDTH, height,
        ),
        format_html('<title id="{}-title">{}</title>', element_id, title),
        format_html('<desc id="{}-desc">{}</desc>', element_id, description),
    ]
    # Horizontal grid with the counts on the left.
    for value in range(0, top_value + 1, step):
        parts.append(format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
            '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>',
            LEFT, WIDTH - RIGHT, _n(y(value)), _n(y(value)), LEFT - 6, _n(y(value) + 4), value,
        ))
    # Day labels: about eight, evenly spread, and the last day unless it would touch the one before.
    label_every = max(1, -(-len(days) // 8))
    labelled = list(range(0, len(days), label_every))
    if labelled[-1] != len(days) - 1 and (len(days) - 1 - labelled[-1]) * 2 >= label_every:
        labelled.append(len(days) - 1)
    for index in labelled:
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
            _n(x(index)), TOP + PLOT_HEIGHT + 16, date_format(days[index], "j M"),
        ))
    parts.append(format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor"/>',
        LEFT, WIDTH - RIGHT, _n(y(0)), _n(y(0)),
    ))
    # One line per status, dots on the days when they are few enough to tell apart.
    for line in series:
        colour, dash = style(line.style)
        points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in enumerate(line.values))
        parts.append(format_html(
            '<g class="series"><polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
            points, colour, mark_safe(f' stroke-dasharray="{dash}"') if dash else "",
        ))
        if len(days) <= MAX_POINT_MARKERS:
            for index, value in enumerate(line.values):
                parts.append(format_html(
                    '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{}, {}: {}</title></circle>',
                    _n(x(index)), _n(y(value)), colour, line.name, date_format(days[index], "SHORT_DATE_FORMAT"),
                    value,
                ))
        parts.append(mark_safe("</g>"))
    # The legend, under the axis.
    column_width = (WIDTH - LEFT) / LEGEND_COLUMNS
    for index, line in enumerate(series):
        colour, dash = style(line.style)
        left = LEFT + column_width * (index % LEGEND_COLUMNS)
        middle = TOP + PLOT_HEIGHT + AXIS_HEIGHT + LEGEND_ROW * (index // LEGEND_COLUMNS) + 8
        parts.append(format_html(
            '<g class="legend-item"><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="3"{}/>'
            '<text x="{}" y="{}" fill="currentColor">{}</text></g>',
            _n(left), _n(left + 22), middle, middle, colour,
            mark_safe(f' stroke-dasharray="{dash}"') if dash else "", _n(left + 28), middle + 4, line.name,
        ))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def _n(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
