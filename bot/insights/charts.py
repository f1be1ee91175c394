"""Server-side SVG charts with a text alternative and the numbers behind them as a table.

Every chart is a `Chart`: a title, a one-sentence summary (the SVG's description), the SVG
itself, and a table (headers and rows) that is shown under it and downloaded as CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Colour-blind safe (Okabe-Ito) on white, each with 3:1 contrast or more against white.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#785ef0", "#505a5f")
TEXT = "#0b0c0c"


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list]
    svg: Markup = field(default_factory=lambda: Markup(""))
    legend: list[tuple[str, str]] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return out.getvalue()


def _svg(chart_id: str, title: str, summary: str, width: int, height: int, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart-svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>{body}</svg>')


def _text(x: float, y: float, label: object, anchor: str = "start", size: int = 12) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{TEXT}" '
            f'text-anchor="{anchor}">{escape(str(label))}</text>')


def columns(chart: Chart, labels: list[str], series: dict[str, list[float]],
            label_every: int = 1) -> Chart:
    """Stacked vertical columns, one per label (days, weeks)."""
    width, height, left, bottom = 720, 240, 40, 40
    top = 10
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    step = (width - left - 10) / max(len(labels), 1)
    scale = (height - top - bottom) / peak
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
             f'y2="{height - bottom}" stroke="{TEXT}"/>',
             _text(left - 4, top + 10, _fmt(peak), "end"),
             _text(left - 4, height - bottom, 0, "end")]
    for i, label in enumerate(labels):
        y = height - bottom
        for colour, values in zip(PALETTE, series.values(), strict=False):
            h = values[i] * scale
            if h:
                parts.append(f'<rect x="{left + i * step + 1:.1f}" y="{y - h:.1f}" '
                             f'width="{max(step - 2, 1):.1f}" height="{h:.1f}" fill="{colour}"/>')
            y -= h
        if i % label_every == 0:
            parts.append(_text(left + i * step + step / 2, height - bottom + 16, label, "middle",
                               10))
    chart.svg = _svg(chart.id, chart.title, chart.summary, width, height, "".join(parts))
    chart.legend = list(zip(series, PALETTE, strict=False)) if len(series) > 1 else []
    return chart


def bars(chart: Chart, labels: list[str], values: list[float], *, percent: bool = False,
         notes: list[str] | None = None) -> Chart:
    """Horizontal bars with the value written at the end of each (categories, rates)."""
    row, left, width = 28, 190, 720
    height = row * len(labels) + 10
    peak = 1.0 if percent else (max(values, default=0) or 1)
    span = width - left - 140
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row
        w = (value or 0) / peak * span
        parts.append(_text(left - 8, y + 17, label, "end"))
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                     f'fill="{PALETTE[0]}"/>')
        shown = "no data" if value is None else (f"{value:.0%}" if percent else _fmt(value))
        if notes:
            shown += f" {notes[i]}"
        parts.append(_text(left + w + 6, y + 17, shown))
    chart.svg = _svg(chart.id, chart.title, chart.summary, width, max(height, 30), "".join(parts))
    return chart


def heatmap(chart: Chart, grid: list[list[int]], row_labels: list[str]) -> Chart:
    """Rows of 24 hour cells, darker for more (the hour of the week)."""
    cell, left, top = 26, 40, 20
    peak = max((v for r in grid for v in r), default=0) or 1
    parts = [_text(left + h * cell + cell / 2, top - 6, f"{h:02d}", "middle", 10)
             for h in range(0, 24, 3)]
    for r, (label, values) in enumerate(zip(row_labels, grid, strict=True)):
        y = top + r * cell
        parts.append(_text(left - 6, y + cell / 2 + 4, label, "end"))
        for h, v in enumerate(values):
            parts.append(f'<rect x="{left + h * cell}" y="{y}" width="{cell - 1}" '
                         f'height="{cell - 1}" fill="{_blue(v / peak)}"/>')
    height = top + len(grid) * cell + 4
    chart.svg = _svg(chart.id, chart.title, chart.summary, left + 24 * cell + 4, height,
                     "".join(parts))
    return chart


def _blue(share: float) -> str:
    """White for none through to dark blue (#0b3d91) for the busiest hour."""
    r, g, b = (round(255 + (end - 255) * share) for end in (11, 61, 145))
    return f"#{r:02x}{g:02x}{b:02x}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
