"""The SVG charts: accessible images, escaped text, no style attributes, gaps where figures are missing."""

import re

from carenetwork.core.charts import bar_chart, line_chart


def test_bar_chart_is_an_image_with_title_and_description():
    svg = bar_chart(
        chart_id="gap",
        title="Largest gaps",
        description="Bars of the gaps",
        bars=[("Fire safety", 30, "30 (60%)"), ("Safeguarding adults", 15, "15 (20%)")],
        maximum=30,
    )
    assert svg.startswith('<svg class="app-chart" role="img" aria-labelledby="gap-title gap-desc"')
    assert '<title id="gap-title">Largest gaps</title><desc id="gap-desc">Bars of the gaps</desc>' in svg
    widths = [float(w) for w in re.findall(r'<rect class="app-chart__bar" x="0" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0
    assert "30 (60%)" in svg and "style=" not in svg and "<script" not in svg


def test_chart_text_is_escaped():
    svg = bar_chart(chart_id="x", title="<b>", description="&", bars=[("<script>alert(1)</script>", 1, "1")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and '<title id="x-title">&lt;b&gt;</title>' in svg


def test_line_chart_breaks_where_a_month_has_no_figure_and_tells_lines_apart():
    svg = line_chart(
        chart_id="trend",
        title="Trend",
        description="Lines",
        labels=["Jan 26", "Feb 26", "Mar 26", "Apr 26"],
        series=[("Fire safety", [10, 20, None, 40]), ("Safeguarding adults", [5, 5, 5, 5])],
    )
    assert 'role="img"' in svg and "style=" not in svg
    assert svg.count("<polyline") == 2  # fire's lone April point is a marker, not a line
    assert 'stroke-dasharray="8 4"' in svg  # the second line is dashed
    assert "Jan 26" in svg and "Fire safety" in svg and "100%" in svg
    assert svg.count("<circle") == 1 + 3  # fire's legend marker and three points
    assert svg.count('<rect x="') == 1 + 4  # safeguarding's legend marker and four points


def test_an_empty_bar_chart_still_has_a_size():
    assert 'viewBox="0 0 640 44"' in bar_chart(chart_id="e", title="t", description="d", bars=[])
