"""Server-rendered SVG charts: a horizontal bar chart and a line chart of percentages.

Each chart is an image with a title and a description (role="img"); pages always show a table of the same figures
beside it, which is what screen readers read. No scripts and no style attributes (the CSP allows neither): only
SVG presentation attributes and the app-chart classes of static/scss/app.scss. Lines differ by dash pattern and
marker shape as well as colour.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
COLOURS = ("#1d70b8", "#ca357c", "#0f7a52", "#54319f", "#99704a")
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 2")
FONT = 'font-family="arial, sans-serif"'


def _svg(chart_id: str, height: int, title: str, description: str, body: list[str]) -> SafeString:
    head = format_html(
        '<svg class="app-chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id,
        WIDTH,
        height,
        title,
        description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every piece is built with format_html


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[tuple[str, int | None, str]], maximum: int = 100
) -> SafeString:
    """One bar per (label, value, text shown at the bar's end), the label above its bar; values up to `maximum`."""
    row, plot = 44, WIDTH - 160
    body = []
    for i, (label, value, text) in enumerate(bars):
        top = i * row
        length = 0 if not value or not maximum else round(plot * min(value, maximum) / maximum, 1)
        body.append(
            format_html(
                '<text class="app-chart__label" x="0" y="{}" font-size="14" fill="#0b0c0c" {}>{}</text>'
                '<rect class="app-chart__bar" x="0" y="{}" width="{}" height="18" fill="{}"></rect>'
                '<text class="app-chart__label" x="{}" y="{}" font-size="14" font-weight="bold" fill="#0b0c0c" {}>'
                "{}</text>",
                top + 14,
                mark_safe(FONT),
                label,
                top + 20,
                length,
                COLOURS[0],
                length + 6,
                top + 34,
                mark_safe(FONT),
                text,
            )
        )
    return _svg(chart_id, max(row * len(bars), row), title, description, body)


def _point(x: float, y: float, shape: int, colour: str) -> str:
    if shape == 1:
        return format_html('<rect x="{}" y="{}" width="8" height="8" fill="{}"></rect>', x - 4, y - 4, colour)
    if shape == 2:
        points = f"{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}"
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, colour)
    return format_html('<circle cx="{}" cy="{}" r="4" fill="{}"></circle>', x, y, colour)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[tuple[str, list[int | None]]],
    maximum: int = 100,
    suffix: str = "%",
) -> SafeString:
    """Values up to `maximum` over `labels` (months, years), one line per series; gaps where a value is missing.
    Axis values end in `suffix` (percentages by default; "" for counts)."""
    legend = 22 * len(series)
    left, top, plot_w, plot_h = 48, legend + 16, WIDTH - 48 - 28, 200
    height = top + plot_h + 36
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(value: int) -> float:
        return round(top + plot_h - plot_h * min(value, maximum) / maximum, 1)

    body = []
    for i, (name, _values) in enumerate(series):
        colour, y = COLOURS[i % len(COLOURS)], 11 + i * 22
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3" stroke-dasharray="{}"></line>{}'
                '<text class="app-chart__label" x="{}" y="{}" font-size="14" fill="#0b0c0c" {}>{}</text>',
                left,
                y,
                left + 36,
                y,
                colour,
                DASHES[i % len(DASHES)] or "none",
                mark_safe(_point(left + 18, y, i % 3, colour)),
                left + 44,
                y + 5,
                mark_safe(FONT),
                name,
            )
        )
    for value in range(0, maximum + 1, maximum // 4 or 1):
        y = y_of(value)
        body.append(
            format_html(
                '<line class="app-chart__grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#cecece"></line>'
                '<text class="app-chart__axis" x="{}" y="{}" font-size="12" text-anchor="end" fill="#484949" {}>'
                "{}{}</text>",
                left,
                y,
                left + plot_w,
                y,
                left - 6,
                y + 4,
                mark_safe(FONT),
                f"{value:,}",
                suffix,
            )
        )
    for i, label in enumerate(labels):
        body.append(
            format_html(
                '<text class="app-chart__axis" x="{}" y="{}" font-size="12" text-anchor="middle" fill="#484949" {}>'
                "{}</text>",
                round(left + i * step, 1),
                top + plot_h + 20,
                mark_safe(FONT),
                label,
            )
        )
    markers = []
    for i, (_name, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        run: list[str] = []
        runs = [run]
        for j, value in enumerate(values):
            if value is None:
                run = []
                runs.append(run)
                continue
            x, y = round(left + j * step, 1), y_of(value)
            run.append(f"{x},{y}")
            markers.append(_point(x, y, i % 3, colour))
        for points in (r for r in runs if len(r) > 1):
            body.append(
                format_html(
                    '<polyline class="app-chart__line" points="{}" fill="none" stroke="{}" stroke-width="3" '
                    'stroke-dasharray="{}"></polyline>',
                    " ".join(points),
                    colour,
                    DASHES[i % len(DASHES)] or "none",
                )
            )
    return _svg(chart_id, height, title, description, [str(b) for b in body + markers])
