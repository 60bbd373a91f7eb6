"""Inline SVG charts for the bulletins: no script, no font or file fetched, so a page opens offline."""

from __future__ import annotations

from html import escape

PALETTE = {
    "red": "#d9301c",
    "orange": "#f08c00",
    "yellow": "#e8b600",
    "done": "#3a9d5d",
    "done_late": "#9bbf4a",
    "on_time": "#7fa7d9",
    "due_soon": "#e8b600",
    "overdue": "#d9301c",
    "calendar_unknown": "#9a9a9a",
}


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    series: tuple[str, ...],
    labels: dict[str, str],
    title: str,
    width: int = 640,
) -> str:
    """A horizontal stacked bar per row (``label``, ``{series: value}``), with a legend and the totals.

    Args:
        rows: the bars, top to bottom.
        series: the stack order; colours from ``PALETTE`` by series name.
        labels: legend text per series.
        title: the chart's accessible title.
        width: the drawing width in pixels.
    """
    bar, gap, left, top = 18, 6, 150, 26
    height = top + len(rows) * (bar + gap) + 10
    biggest = max([sum(values.values()) for _, values in rows] + [1])
    scale = (width - left - 60) / biggest
    parts = [
        f'<svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    x: float = left
    for name in series:  # legend
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE.get(name, "#888")}"/>'
            f'<text x="{x + 16}" y="14">{escape(labels.get(name, name))}</text>'
        )
        x += 24 + 12 * len(labels.get(name, name))
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar + gap)
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        x = float(left)
        for name in series:
            value = values.get(name, 0)
            if value:
                w = value * scale
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" '
                    f'fill="{PALETTE.get(name, "#888")}"><title>{escape(labels.get(name, name))}: '
                    f"{value}</title></rect>"
                )
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(values.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)
