"""Inline SVG charts for the matching report: drawn in Python, no script, no font or file fetched."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

GOOD, BAD, NEUTRAL, ACCENT, MUTED = "#3a9d5d", "#d9301c", "#9aa4b2", "#2f6fb3", "#667085"
LIGHT = {GOOD: "#a8d5b5", BAD: "#f2a99f"}
MERGE, REVIEW = "#1a7f37", "#f08c00"
_AXIS = f'font-size="10" fill="{MUTED}"'


@dataclass(frozen=True)
class Marker:
    """A vertical line across a chart at ``x`` (a threshold), labelled at the top."""

    x: float
    label: str
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Frame:
    """A plot area and its linear scales: data ``x_range`` / ``y_range`` onto pixels."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + self.width * (min(max(value, lo), hi) - lo) / ((hi - lo) or 1.0)

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        return self.top + self.height * (1.0 - (min(max(value, lo), hi) - lo) / ((hi - lo) or 1.0))

    def markers(self, markers: Sequence[Marker]) -> str:
        out = []
        for i, mark in enumerate(markers):
            x = self.x(mark.x)
            dash = ' stroke-dasharray="4 3"' if mark.dashed else ""
            out.append(
                f'<line x1="{x:.1f}" y1="{self.top}" x2="{x:.1f}" y2="{self.top + self.height}" '
                f'stroke="{mark.colour}" stroke-width="1.5"{dash}/><text x="{x + 3:.1f}" '
                f'y="{self.top + 10 + 11 * i}" font-size="10" fill="{mark.colour}">{escape(mark.label)}</text>'
            )
        return "".join(out)


def _open(width: float, height: float, title: str, cls: str) -> str:
    return (
        f'<svg class="{cls}" role="img" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>"
    )


def weight_bars(
    rows: Sequence[tuple[str, Sequence[tuple[str, float, float | None]]]],
    span: tuple[float, float],
    title: str,
    width: int = 470,
) -> str:
    """Splink's match weights chart for one comparison: a bar per level and series from zero to its
    weight (green for evidence for, red against; a second series lighter), with a black tick at the
    starting (settings) weight.

    Args:
        rows: ``(level label, [(series, weight, starting weight or None)])``, best level first.
        span: the weight axis (shared by every comparison, so bars compare across charts).
        title: the chart's accessible title.
        width: the drawing width in pixels.
    """
    names = list(dict.fromkeys(name for _, series in rows for name, _, _ in series))
    bar, gap, left, top = 11, 7, 130, 8 + 14 * (len(names) > 1) * len(names)
    per_row = max(len(names), 1) * (bar + 2) + gap
    height = top + len(rows) * per_row + 18
    plot = Frame(left, top, width - left - 40, height - top - 16, span, (0.0, 1.0))
    zero = plot.x(0.0)
    out = [_open(width, height, title, "weights")]
    if len(names) > 1:
        out.extend(
            f'<rect x="{left}" y="{4 + 14 * k}" width="10" height="10" fill="{GOOD if k == 0 else LIGHT[GOOD]}"/>'
            f'<text x="{left + 14}" y="{13 + 14 * k}" {_AXIS}>{escape(name)}</text>'
            for k, name in enumerate(names)
        )
    for i, (label, series) in enumerate(rows):
        y = top + 4 + i * per_row
        out.append(f'<text x="{left - 6}" y="{y + bar}" text-anchor="end">{escape(label)}</text>')
        for j, (name, weight, start) in enumerate(series):
            yy = y + j * (bar + 2)
            x = plot.x(weight)
            fill = GOOD if weight >= 0 else BAD
            fill = fill if names.index(name) == 0 else LIGHT[fill]
            out.append(
                f'<rect x="{min(x, zero):.1f}" y="{yy}" width="{max(abs(x - zero), 1):.1f}" height="{bar}" '
                f'fill="{fill}"><title>{escape(label)}, {escape(name)}: {weight:+.2f}'
                f"{'' if start is None else f' (start {start:+.2f})'}</title></rect>"
            )
            out.append(f'<text x="{max(x, zero) + 3:.1f}" y="{yy + bar - 1}" {_AXIS}>{weight:+.1f}</text>')
            if start is not None:
                sx = plot.x(start)
                out.append(f'<line x1="{sx:.1f}" y1="{yy - 1}" x2="{sx:.1f}" y2="{yy + bar + 1}" '
                           f'stroke="#111" stroke-width="2"/>')  # fmt: skip
    out.append(f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{height - 14}" stroke="#111"/>')
    for value in (span[0], 0.0, span[1]):
        out.append(
            f'<text x="{plot.x(value):.1f}" y="{height - 3}" text-anchor="middle" {_AXIS}>{value:+.0f}</text>'
        )
    return "".join(out) + "</svg>"


def histogram(
    edges: Sequence[float], counts: Sequence[int], colours: Sequence[str], markers: Sequence[Marker],
    title: str, x_label: str, width: int = 760, height: int = 240,
) -> str:  # fmt: skip
    """Bars of ``counts`` per bin on a log scale (most pairs sit far below the thresholds), with markers.

    Args:
        edges: ``len(counts) + 1`` bin edges.
        counts: values per bin.
        colours: fill per bin.
        markers: vertical lines (thresholds).
        title: the chart's accessible title.
        x_label: what the x axis measures.
        width: drawing width.
        height: drawing height.
    """
    top_count = max(max(counts, default=0), 1)
    plot = Frame(50, 10, width - 70, height - 44, (edges[0], edges[-1]), (0.0, math.log10(top_count + 1)))
    out = [_open(width, height, title, "histogram"), _background(plot)]
    for lo, hi, count, colour in zip(edges[:-1], edges[1:], counts, colours, strict=True):
        if count:
            y = plot.y(math.log10(count + 1))
            out.append(
                f'<rect x="{plot.x(lo) + 0.5:.1f}" y="{y:.1f}" width="{max(plot.x(hi) - plot.x(lo) - 1, 1):.1f}" '
                f'height="{plot.top + plot.height - y:.1f}" fill="{colour}"><title>{lo:g} to {hi:g}: '
                f"{count:,}</title></rect>"
            )
    out.append(plot.markers(markers))
    out.append(
        _x_ticks(plot, [edges[0], *[t for t in range(-40, 41, 5) if edges[0] < t < edges[-1]], edges[-1]])
    )
    out.append(_log_ticks(plot, top_count))
    out.append(f'<text x="{plot.left + plot.width / 2:.0f}" y="{height - 2}" text-anchor="middle" {_AXIS}>'
               f"{escape(x_label)} (count on a log scale)</text>")  # fmt: skip
    return "".join(out) + "</svg>"


def waterfall(
    steps: Sequence[tuple[str, str, float]], markers: Sequence[Marker], title: str, width: int = 760
) -> str:
    """Splink's waterfall chart: the prior, then each comparison moving the match weight, then the total.

    Args:
        steps: ``(name, hover detail, contribution)``; the first is the prior.
        markers: horizontal threshold lines (``Marker.x`` is a match weight).
        title: the chart's accessible title.
        width: drawing width.
    """
    totals = [0.0]
    for _, _, value in steps:
        totals.append(totals[-1] + value)
    lo, hi = min([*totals, *(m.x for m in markers)]) - 1, max([*totals, *(m.x for m in markers)]) + 1
    height, n = 230, len(steps) + 1
    plot = Frame(50, 12, width - 70, height - 56, (0.0, float(n)), (lo, hi))
    step = plot.width / n
    out = [_open(width, height, title, "waterfall"), _background(plot)]
    for mark in markers:
        y = plot.y(mark.x)
        out.append(f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.left + plot.width}" y2="{y:.1f}" '
                   f'stroke="{mark.colour}" stroke-dasharray="4 3"/><text x="{plot.left + plot.width - 2}" '
                   f'y="{y - 3:.1f}" text-anchor="end" font-size="10" fill="{mark.colour}">{escape(mark.label)}</text>')  # fmt: skip
    bars = [(name, detail, totals[i], totals[i + 1]) for i, (name, detail, _) in enumerate(steps)]
    bars.append(("total", f"match weight {totals[-1]:+.2f}", 0.0, totals[-1]))
    for i, (name, detail, start, end) in enumerate(bars):
        colour = NEUTRAL if i == 0 else ACCENT if i == len(bars) - 1 else GOOD if end >= start else BAD
        y0, y1 = plot.y(max(start, end)), plot.y(min(start, end))
        x = plot.left + i * step
        out.append(
            f'<rect x="{x + 3:.1f}" y="{y0:.1f}" width="{step - 6:.1f}" height="{max(y1 - y0, 1):.1f}" '
            f'fill="{colour}"><title>{escape(name)}: {escape(detail)} ({end - start:+.2f})</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{y0 - 2:.1f}" text-anchor="middle" {_AXIS}>{end - start:+.1f}</text>'
            f'<text x="{x + step / 2:.1f}" y="{plot.top + plot.height + 13}" text-anchor="middle" '
            f'font-size="10">{escape(name[:12])}</text>'
        )
    zero = plot.y(0.0)
    out.append(
        f'<line x1="{plot.left}" y1="{zero:.1f}" x2="{plot.left + plot.width}" y2="{zero:.1f}" stroke="#111"/>'
    )
    out.append(f'<text x="{plot.left - 4}" y="{plot.top + 8}" text-anchor="end" {_AXIS}>{hi:+.0f}</text>'
               f'<text x="{plot.left - 4}" y="{plot.top + plot.height}" text-anchor="end" {_AXIS}>{lo:+.0f}</text>')  # fmt: skip
    return "".join(out) + "</svg>"


def lines(
    x: Sequence[float], series: Sequence[tuple[str, Sequence[float], str]], markers: Sequence[Marker],
    title: str, x_label: str, width: int = 620, height: int = 240, diagonal: bool = False, y_low: float = 0.0,
    counts: Sequence[int] = (),
) -> str:  # fmt: skip
    """Lines on a 0-1 by 0-1 plot (precision / recall / F1 against the threshold, a reliability diagram).

    Args:
        x: the shared x values.
        series: ``(name, y values, colour)``; NaN leaves a gap.
        markers: vertical lines.
        title: the chart's accessible title.
        x_label: what the x axis measures.
        width: drawing width.
        height: drawing height.
        diagonal: draw y = x (perfect calibration) and dots at each point.
        y_low: the bottom of the y axis (zoom in where every value is high).
        counts: with ``diagonal``, how many pairs each point stands for (dot area, hover text).
    """
    plot = Frame(40, 10, width - 140, height - 40, (0.0, 1.0), (y_low, 1.0))
    out = [_open(width, height, title, "lines"), _background(plot)]
    if diagonal:
        out.append(f'<line x1="{plot.x(0):.1f}" y1="{plot.y(0):.1f}" x2="{plot.x(1):.1f}" y2="{plot.y(1):.1f}" '
                   f'stroke="{NEUTRAL}" stroke-dasharray="4 3"/>')  # fmt: skip
    for i, (name, values, colour) in enumerate(series):
        kept = [k for k, b in enumerate(values) if not math.isnan(b)]
        points = [(plot.x(x[k]), plot.y(values[k])) for k in kept]
        if points:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if diagonal:
            most = max([*counts, 1])
            for k, (a, b) in zip(kept, points, strict=True):
                n = counts[k] if k < len(counts) else most
                out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{2 + 5 * math.sqrt(n / most):.1f}" '
                           f'fill="{colour}" fill-opacity="0.7"><title>{x[k]:.3f} predicted, {values[k]:.3f} '
                           f"observed, {n:,} pairs</title></circle>")  # fmt: skip
        out.append(f'<rect x="{width - 92}" y="{14 + 16 * i}" width="12" height="3" fill="{colour}"/>'
                   f'<text x="{width - 76}" y="{19 + 16 * i}">{escape(name)}</text>')  # fmt: skip
    out.append(plot.markers(markers))
    out.append(_x_ticks(plot, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    out.append(f'<text x="{plot.left - 4}" y="{plot.top + 8}" text-anchor="end" {_AXIS}>1</text>'
               f'<text x="{plot.left - 4}" y="{plot.top + plot.height}" text-anchor="end" {_AXIS}>{y_low:g}</text>'
               f'<text x="{plot.left + plot.width / 2:.0f}" y="{height - 2}" text-anchor="middle" {_AXIS}>'
               f"{escape(x_label)}</text>")  # fmt: skip
    return "".join(out) + "</svg>"


def columns(labels: Sequence[str], counts: Sequence[int], title: str, width: int = 620) -> str:
    """Vertical bars on a log scale with their counts (the cluster-size distribution)."""
    height = 200
    top_count = max(max(counts, default=0), 1)
    plot = Frame(
        40, 14, width - 50, height - 44, (0.0, float(max(len(counts), 1))), (0.0, math.log10(top_count + 1))
    )
    step = plot.width / max(len(counts), 1)
    out = [_open(width, height, title, "columns"), _background(plot), _log_ticks(plot, top_count)]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        x, y = plot.left + i * step, plot.y(math.log10(count + 1))
        out.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(step - 4, 1):.1f}" height="{plot.top + plot.height - y:.1f}" '
            f'fill="{ACCENT}"><title>{escape(label)}: {count:,}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" {_AXIS}>{count:,}</text>'
            f'<text x="{x + step / 2:.1f}" y="{plot.top + plot.height + 13}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    out.append(f'<text x="{plot.left + plot.width / 2:.0f}" y="{height - 2}" text-anchor="middle" {_AXIS}>'
               "records per cluster (count of clusters on a log scale)</text>")  # fmt: skip
    return "".join(out) + "</svg>"


def _log_ticks(plot: Frame, top_count: int) -> str:
    """Gridlines and labels at 1, 10, 100 ... on a log10(count + 1) axis."""
    out, power = [], 1
    while power <= top_count:
        y = plot.y(math.log10(power + 1))
        out.append(f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.left + plot.width:.1f}" y2="{y:.1f}" '
                   f'stroke="#e3e8ee"/><text x="{plot.left - 4}" y="{y + 3:.1f}" text-anchor="end" {_AXIS}>'
                   f"{power:,}</text>")  # fmt: skip
        power *= 10
    return "".join(out)


def _background(plot: Frame) -> str:
    return (f'<rect x="{plot.left}" y="{plot.top}" width="{plot.width:.1f}" height="{plot.height:.1f}" '
            'fill="#f8fafc" stroke="#d6dde5"/>')  # fmt: skip


def _x_ticks(plot: Frame, values: Sequence[float]) -> str:
    y = plot.top + plot.height + 12
    return "".join(
        f'<text x="{plot.x(v):.1f}" y="{y}" text-anchor="middle" {_AXIS}>{v:g}</text>'
        for v in dict.fromkeys(values)
    )
