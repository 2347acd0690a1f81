"""Accessible SVG charts rendered on the server (no script, no inline style: CSS classes).

Each chart is drawn twice: a wide layout (labels beside the bars) and a narrow one for phones
(labels above the bars), so its text stays at least 11 CSS px on a 390 px screen; the style
sheet shows one of them. Every share is written by `insights.figures`, the one rounding the
tables and the CSV downloads use too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from insights.figures import format_share

SERIES = 8  # colour classes series-0 .. series-7, then series-other
FONT_PX = 13  # the charts' font size in SVG units (insights.css says the same)


@dataclass(frozen=True)
class Layout:
    """The geometry of one rendering: the wide one beside the table, the narrow one alone."""

    name: str
    width: int
    label_width: int  # the column left of the bars (0: labels above the bars)
    value_width: int
    row_height: int
    bar_height: int
    legend_columns: int

    @property
    def label_above(self) -> bool:
        return self.label_width == 0


WIDE = Layout("wide", 640, 230, 74, 28, 18, 3)
NARROW = Layout("narrow", 360, 0, 74, 44, 16, 2)
TOP = 8


def percent(share: float | None) -> str:
    """A share as charts write it (the tables' rounding and the language's separators)."""
    return format_share(share)


def _text_width(text: str) -> float:
    """Roughly how wide the text is in chart units: CJK characters are square, others about
    0.62 of the font size."""
    return sum(FONT_PX if ord(char) >= 0x2E80 else FONT_PX * 0.62 for char in text)


def _fit(text: str, width: float) -> str:
    """The text cut with an ellipsis so it fits the width (the full text is in the title)."""
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass
class Bar:
    label: str
    share: float
    marked: bool = False  # the signed-in seller's own brand
    above: bool = False  # above the hotspot threshold: an opportunity
    note: str = ""  # said to screen readers after the figure ("your brand")


def _frame(
    layout: Layout, chart_id: str, title: str, description: str, height: int, body: str
) -> str:
    element_id = chart_id if layout is WIDE else f"{chart_id}-{layout.name}"
    return format_html(
        '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        layout.name,
        layout.width,
        height,
        element_id,
        element_id,
        element_id,
        title,
        element_id,
        description,
        mark_safe(body),  # noqa: S308 - built from format_html parts only
    )


def _bar_rows(bars: Sequence[Bar], layout: Layout, top: float) -> list[str]:
    scale = layout.width - layout.label_width - layout.value_width
    label_space = (layout.width if layout.label_above else layout.label_width) - 10
    rows: list[str] = []
    for index, bar in enumerate(bars):
        y = TOP + index * layout.row_height
        bar_y = y + (FONT_PX + 6 if layout.label_above else 0)
        width = round(scale * bar.share / top, 1)
        classes = ["bar"]
        if bar.marked:
            classes.append("bar-own")
        if bar.above:
            classes.append("bar-above")
        star = "★ " if bar.marked else ""
        label = star + _fit(bar.label, label_space - _text_width(star))
        if layout.label_above:
            label_x, label_y, anchor = 0, y + FONT_PX, "start"
        else:
            label_x, label_y, anchor = layout.label_width - 8, y + layout.bar_height - 4, "end"
        rows.append(
            format_html(
                '<g class="{}"><title>{}: {}{}</title>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text></g>',
                " ".join(classes),
                bar.label,
                percent(bar.share),
                f" ({bar.note})" if bar.note else "",
                label_x,
                label_y,
                anchor,
                label,
                layout.label_width,
                bar_y,
                max(width, 0.5),
                layout.bar_height,
                layout.label_width + width + 6,
                bar_y + layout.bar_height - 4,
                percent(bar.share),
            )
        )
    return rows


def _bar_chart(
    bars: Sequence[Bar], layout: Layout, chart_id: str, title: str, threshold: float | None
) -> str:
    top = max([b.share for b in bars] + [threshold or 0, 0.0001])
    top = min(1.0, top * 1.1) if top < 0.9 else 1.0
    bottom = TOP + layout.row_height * max(len(bars), 1)
    height = bottom + TOP + (FONT_PX + 8 if threshold is not None else 0)
    rows = _bar_rows(bars, layout, top)
    if not bars:
        rows.append(
            format_html(
                '<text class="chart-empty" x="{}" y="{}">{}</text>',
                layout.label_width,
                TOP + layout.bar_height,
                _("No sales in this window."),
            )
        )
    if threshold is not None:
        scale = layout.width - layout.label_width - layout.value_width
        x = layout.label_width + round(scale * threshold / top, 1)
        # Labels above the bars: the line crosses only the bars, never a label.
        spans = (
            [
                (TOP + i * layout.row_height + FONT_PX + 4, layout.bar_height + 4)
                for i in range(max(len(bars), 1))
            ]
            if layout.label_above
            else [(TOP - 4, bottom - TOP + 4)]
        )
        for y, length in spans:
            rows.append(
                format_html(
                    '<line class="threshold" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
                    x,
                    y,
                    x,
                    y + length,
                )
            )
        rows.append(
            format_html(
                '<text class="chart-threshold" x="{}" y="{}" text-anchor="middle">{}</text>',
                min(max(x, 60), layout.width - 60),
                bottom + FONT_PX + 2,
                _("threshold %(share)s") % {"share": percent(threshold)},
            )
        )
    description = "; ".join(
        f"{b.label} {percent(b.share)}" + (f" ({b.note})" if b.note else "") for b in bars
    )
    return _frame(layout, chart_id, title, description, height, "".join(rows))


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    threshold: float | None = None,
) -> SafeString:
    """Horizontal bars of shares (0 to 1); marked bars get a star and a note for screen
    readers, bars above the threshold the class `bar-above`, the threshold a dashed line."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(_bar_chart(bars, layout, chart_id, title, threshold) for layout in (WIDE, NARROW))
    )


@dataclass
class StackRow:
    label: str
    shares: dict[str, float] = field(default_factory=dict)


def _stacked_chart(
    rows: Sequence[StackRow],
    series: Sequence[tuple[str, str]],
    layout: Layout,
    chart_id: str,
    title: str,
    chosen: str,
) -> str:
    scale = layout.width - layout.label_width - 10
    legend_rows = (len(series) + layout.legend_columns - 1) // layout.legend_columns
    bars_bottom = TOP + layout.row_height * max(len(rows), 1)
    height = bars_bottom + 8 + legend_rows * 22 + TOP
    classes = {
        key: f"series-{i}" if i < SERIES else "series-other" for i, (key, _l) in enumerate(series)
    }
    labels = dict(series)
    parts = []
    for index, row in enumerate(rows):
        y = TOP + index * layout.row_height
        bar_y = y + (FONT_PX + 6 if layout.label_above else 0)
        if layout.label_above:
            label_x, label_y, anchor = 0, y + FONT_PX, "start"
            space = layout.width - 10
        else:
            label_x, label_y, anchor = layout.label_width - 8, y + layout.bar_height - 4, "end"
            space = layout.label_width - 10
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
                label_x,
                label_y,
                anchor,
                _fit(row.label, space),
            )
        )
        x = float(layout.label_width)
        if not row.shares:
            parts.append(
                format_html(
                    '<text class="chart-empty" x="{}" y="{}">{}</text>',
                    layout.label_width,
                    bar_y + layout.bar_height - 4,
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
                    '<rect class="segment {}{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    classes[key],
                    " segment-chosen" if key == chosen else "",
                    round(x, 2),
                    bar_y,
                    width,
                    layout.bar_height,
                    row.label,
                    labels[key],
                    percent(share),
                )
            )
            x += width
    column_width = layout.width // layout.legend_columns
    for index, (key, label) in enumerate(series):
        x = (index % layout.legend_columns) * column_width
        y = bars_bottom + 8 + (index // layout.legend_columns) * 22
        text = f"{key} {label}"
        parts.append(
            format_html(
                '<rect class="segment {}{}" x="{}" y="{}" width="12" height="12"></rect>'
                '<text class="chart-legend{}" x="{}" y="{}">{}</text>',
                classes[key],
                " segment-chosen" if key == chosen else "",
                x,
                y,
                " chart-legend-chosen" if key == chosen else "",
                x + 16,
                y + 11,
                _fit(text, column_width - 22),
            )
        )
    description = "; ".join(
        f"{row.label}: " + ", ".join(f"{key} {percent(share)}" for key, share in row.shares.items())
        for row in rows
    )
    return _frame(layout, chart_id, title, description, height, "".join(parts))


def stacked_chart(
    rows: Sequence[StackRow],
    *,
    series: Sequence[tuple[str, str]],
    chart_id: str,
    title: str,
    chosen: str = "",
) -> SafeString:
    """One 100% bar per row (a season), a segment per series (an origin: key, label); series
    beyond the first eight share the class series-other. The chosen series is drawn at full
    strength with an outline (`segment-chosen`), the others paler. A legend follows the bars."""
    if chosen and any(key == chosen for key, _l in series):
        # The chosen origin first: its segments start every bar at the same place.
        series = [s for s in series if s[0] == chosen] + [s for s in series if s[0] != chosen]
        title = f"{title} ({_('highlighted: %(origin)s') % {'origin': chosen}})"
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(
            _stacked_chart(rows, series, layout, chart_id, title, chosen)
            for layout in (WIDE, NARROW)
        )
    )
