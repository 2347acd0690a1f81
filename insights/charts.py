"""Accessible SVG charts rendered on the server (no script, no inline style: CSS classes)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 8
SERIES = 8  # colour classes series-0 .. series-7, then series-other


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f}%"


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Bar:
    label: str
    share: float
    marked: bool = False  # the signed-in seller's own brand
    above: bool = False  # above the hotspot threshold
    note: str = ""


def _frame(chart_id: str, title: str, description: str, height: int, body: SafeString) -> str:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    threshold: float | None = None,
) -> SafeString:
    """Horizontal bars of shares (0 to 1); marked bars get a star, bars above the threshold the
    class `bar-above`, and the threshold a dashed line."""
    scale = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max([b.share for b in bars] + [threshold or 0, 0.0001])
    top = min(1.0, top * 1.1) if top < 0.9 else 1.0
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1) + (16 if threshold is not None else 0)
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        width = round(scale * bar.share / top, 1)
        classes = ["bar"]
        if bar.marked:
            classes.append("bar-own")
        if bar.above:
            classes.append("bar-above")
        label = ("★ " if bar.marked else "") + _short(bar.label)
        rows.append(
            format_html(
                '<g class="{}"><title>{}: {}{}</title>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text></g>',
                " ".join(classes),
                bar.label,
                percent(bar.share),
                f" ({bar.note})" if bar.note else "",
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                label,
                LABEL_WIDTH,
                y,
                max(width, 0.5),
                BAR_HEIGHT,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT - 4,
                percent(bar.share),
            )
        )
    if not bars:
        rows.append(
            format_html(
                '<text class="chart-empty" x="{}" y="{}">{}</text>',
                LABEL_WIDTH,
                TOP + BAR_HEIGHT,
                _("No sales in this window."),
            )
        )
    if threshold is not None:
        x = LABEL_WIDTH + round(scale * threshold / top, 1)
        bottom = TOP + ROW_HEIGHT * max(len(bars), 1)
        rows.append(
            format_html(
                '<line class="threshold" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
                '<text class="chart-threshold" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                TOP - 4,
                x,
                bottom,
                x,
                bottom + 14,
                _("threshold %(share)s") % {"share": percent(threshold)},
            )
        )
    description = "; ".join(f"{b.label} {percent(b.share)}" for b in bars)
    return mark_safe(_frame(chart_id, title, description, height, mark_safe("".join(rows))))  # noqa: S308 - every part is escaped above


@dataclass
class StackRow:
    label: str
    shares: dict[str, float] = field(default_factory=dict)


def stacked_chart(
    rows: Sequence[StackRow],
    *,
    series: Sequence[tuple[str, str]],
    chart_id: str,
    title: str,
) -> SafeString:
    """One 100% bar per row (a season), a segment per series (an origin: key, label); series
    beyond the first eight share the class series-other. A legend follows the bars."""
    scale = WIDTH - LABEL_WIDTH - 10
    legend_rows = (len(series) + 3) // 4
    height = TOP * 2 + ROW_HEIGHT * max(len(rows), 1) + 8 + legend_rows * 20
    parts = []
    classes = {
        key: f"series-{i}" if i < SERIES else "series-other" for i, (key, _l) in enumerate(series)
    }
    labels = dict(series)
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                _short(row.label),
            )
        )
        x = float(LABEL_WIDTH)
        if not row.shares:
            parts.append(
                format_html(
                    '<text class="chart-empty" x="{}" y="{}">{}</text>',
                    LABEL_WIDTH,
                    y + BAR_HEIGHT - 4,
                    _("no sales"),
                )
            )
        for key, _label in series:
            share = row.shares.get(key, 0.0)
            if not share:
                continue
            width = round(scale * share, 2)
            parts.append(
                format_html(
                    '<rect class="segment {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    classes[key],
                    round(x, 2),
                    y,
                    width,
                    BAR_HEIGHT,
                    row.label,
                    labels[key],
                    percent(share),
                )
            )
            x += width
    legend_top = TOP + ROW_HEIGHT * max(len(rows), 1) + 8
    for index, (key, label) in enumerate(series):
        x = 10 + (index % 4) * (WIDTH // 4)
        y = legend_top + (index // 4) * 20
        parts.append(
            format_html(
                '<rect class="segment {}" x="{}" y="{}" width="12" height="12"></rect>'
                '<text class="chart-legend" x="{}" y="{}">{}</text>',
                classes[key],
                x,
                y,
                x + 16,
                y + 11,
                _short(f"{key} {label}", 22),
            )
        )
    description = "; ".join(
        f"{row.label}: " + ", ".join(f"{key} {percent(share)}" for key, share in row.shares.items())
        for row in rows
    )
    return mark_safe(_frame(chart_id, title, description, height, mark_safe("".join(parts))))  # noqa: S308 - every part is escaped above
