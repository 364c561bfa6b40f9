"""The progress chart: cumulative approved OJT and RTI hours over time against the hours
required, with the milestones marked. Plain SVG written on the server: no browser, no plotting
library, readable at a glance (two panels sharing the time axis, so the 180 h of RTI are not
drawn flat under the 2,000 h of OJT)."""

from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from portal.i18n import month_label

WIDTH, HEIGHT = 860, 550  # room under the axis for two rows of dates that would overlap
LEFT, RIGHT, TOP = 70, 30, 56
PANEL_HEIGHT, PANEL_GAP = 170, 70
COLORS = {
    "ojt": "#1f6feb",
    "rti": "#8250df",
    "required": "#57606a",
    "milestone": "#bf8700",
    "today": "#cf222e",
    "ahead": "#1a7f37",
    "behind": "#cf222e",
}


def _x(day: date, start: date, end: date) -> float:
    span = max(1, (end - start).days)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _y(hours: Decimal, top: float, ceiling: Decimal) -> float:
    return top + PANEL_HEIGHT - PANEL_HEIGHT * float(min(hours, ceiling) / ceiling if ceiling else 0)


def _steps(points: list[tuple[date, Decimal]], start: date, end: date, top: float, ceiling: Decimal, credited: Decimal):
    """A staircase through the cumulative totals, from the start date to today."""
    total = credited
    path = [f"M{_x(start, start, end):.1f},{_y(total, top, ceiling):.1f}"]
    for day, hours in points:
        path.append(f"H{_x(day, start, end):.1f}")
        total += hours
        path.append(f"V{_y(total, top, ceiling):.1f}")
    return path, total


def _crossing(points, credited: Decimal, threshold: Decimal, start: date) -> date | None:
    """The day the cumulative hours reached `threshold`."""
    total = credited
    if total >= threshold:
        return start
    for day, hours in points:
        total += hours
        if total >= threshold:
            return day
    return None


class _Labels:
    """Where labels were put, so that none is written over another: a label that would overlap
    one already placed moves up (or down) by a line until it is clear. Widths are estimated from
    the font size (an average glyph of 0.6 em): enough for Helvetica and Arial."""

    def __init__(self):
        self.boxes: list[tuple[float, float, float, float]] = []

    @staticmethod
    def _box(x: float, y: float, text: str, size: float, anchor: str) -> tuple[float, float, float, float]:
        width = len(text) * size * 0.6
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        return left, y - size, left + width, y + 2

    def backdrop(self) -> str:
        """A white box under the label placed last, so that it reads over the lines it crosses."""
        left, top, right, bottom = self.boxes[-1]
        return f'<rect x="{left - 2:.1f}" y="{top:.1f}" width="{right - left + 4:.1f}" height="{bottom - top + 1:.1f}" class="backdrop"/>'

    def place(self, x: float, y: float, text: str, *, size: float, anchor: str = "start", step: float = -13) -> float:
        """The y at which `text` overlaps no placed label (`y` itself when it is clear)."""
        for _attempt in range(12):
            box = self._box(x, y, text, size, anchor)
            if not any(
                box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
                for other in self.boxes
            ):
                break
            y += step
        self.boxes.append(self._box(x, y, text, size, anchor))
        return y


def _marks(*, marks, top, points, credited, ceiling, start, end, labels: _Labels) -> list[str]:
    """Reached milestones as dots on the line where it crossed them; the next one ahead as a
    dotted target line."""
    parts = []
    ahead = sorted((m for m in marks if m["status"] in (None, "withdrawn", "rejected")), key=lambda m: m["threshold"])
    for mark in (m for m in marks if m["status"] in ("pending", "approved")):
        day = _crossing(points, credited, mark["threshold"], start)
        if day is None:
            continue
        x, y = _x(day, start, end), _y(mark["threshold"], top, ceiling)
        symbol = "✓" if mark["status"] == "approved" else "◷"
        pending = _(", pending approval") if mark["status"] == "pending" else ""
        text = f"{symbol} {mark['name']} ({mark['threshold']:,.0f} h{pending})"
        anchor = "end" if x > WIDTH - RIGHT - len(text) * 6 else "start"
        label_x = x - 9 if anchor == "end" else x + 9
        label_y = labels.place(label_x, y + 4, text, size=10, anchor=anchor)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{COLORS["milestone"]}" stroke="#fff" stroke-width="1.5"/>'
        )
        parts.append(labels.backdrop())
        parts.append(
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" class="mark" text-anchor="{anchor}">{escape(text)}</text>'
        )
    if ahead:
        mark = ahead[0]
        y = _y(mark["threshold"], top, ceiling)
        text = _("next: %(milestone)s at %(hours)s h") % {
            "milestone": mark["name"],
            "hours": f"{mark['threshold']:,.0f}",
        }
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLORS["milestone"]}" '
            f'stroke-dasharray="2 4"/>'
        )
        label_y = labels.place(LEFT + 6, y - 5, text, size=10)
        parts.append(labels.backdrop())
        parts.append(f'<text x="{LEFT + 6}" y="{label_y:.1f}" class="mark">{escape(text)}</text>')
    return parts


def _panel(*, label, kind, top, points, required, credited, start, end, until, labels, marks=(), projected=None):
    """One panel: the staircase of cumulative hours up to `until` (today, or the day the
    apprenticeship ended), the required hours, the milestones and, for OJT, the projected line."""
    ceiling = max(required, credited + sum((hours for _d, hours in points), Decimal("0"))) * Decimal("1.08") or Decimal(
        "1"
    )
    path, total = _steps(points, start, end, top, ceiling, credited)
    last_x = _x(min(until, end), start, end)
    path.append(f"H{last_x:.1f}")
    area = [*path, f"V{top + PANEL_HEIGHT:.1f}", f"H{LEFT:.1f}", "Z"]
    percent = min(100, float(total / required * 100)) if required else 100
    required_y = _y(required, top, ceiling)
    title = _("%(label)s: %(total)s of %(required)s h (%(percent)s%%)") % {
        "label": label,
        "total": f"{total:,.2f}",
        "required": f"{required:,.0f}",
        "percent": f"{percent:.0f}",
    }
    labels.place(LEFT, top - 10, title, size=14)
    parts = [
        f'<text x="{LEFT}" y="{top - 10}" class="title">{escape(title)}</text>',
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{PANEL_HEIGHT}" class="frame"/>',
    ]
    required_text = _("required %(hours)s h") % {"hours": f"{required:,.0f}"}
    labels.place(WIDTH - RIGHT - 4, required_y - 5, required_text, size=11, anchor="end")
    for fraction in (0.25, 0.5, 0.75, 1.0):
        hours = required * Decimal(str(fraction))
        y = _y(hours, top, ceiling)
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" class="tick" text-anchor="end">{hours:,.0f}</text>')
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
    parts += [
        f'<path d="{" ".join(area)}" fill="{COLORS[kind]}" fill-opacity="0.15" stroke="none"/>',
        f'<path d="{" ".join(path)}" fill="none" stroke="{COLORS[kind]}" stroke-width="2.5"/>',
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{required_y:.1f}" y2="{required_y:.1f}" stroke="{COLORS["required"]}" '
        f'stroke-width="1.5" stroke-dasharray="6 4"/>',
        f'<text x="{WIDTH - RIGHT - 4}" y="{required_y - 5:.1f}" class="tick" text-anchor="end">{required_text}</text>',
    ]
    if projected is not None and total < required:
        # From today's total to the required hours on the projected day: the pace of the last
        # 8 weeks drawn on, so that a line ending right of "expected end" reads as behind.
        x1, y1 = last_x, _y(total, top, ceiling)
        x2 = _x(min(projected["date"], end), start, end)
        y2 = _y(
            required
            if projected["date"] <= end
            else total + (required - total) * Decimal((end - until).days / max(1, (projected["date"] - until).days)),
            top,
            ceiling,
        )
        color = COLORS["ahead"] if projected["on_track"] else COLORS["behind"]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" stroke-width="2" '
            f'stroke-dasharray="7 4" class="projection"/>'
        )
        text = (
            _("projected %(month)s") % {"month": month_label(projected["date"])}
            if projected["date"] <= end
            else _("projected %(month)s (off the chart)") % {"month": month_label(projected["date"])}
        )
        anchor = "end" if x2 > WIDTH - RIGHT - 150 else "start"
        label_x = x2 - 6 if anchor == "end" else x2 + 6
        label_y = labels.place(label_x, y2 + 16, text, size=11, anchor=anchor, step=13)
        parts.append(labels.backdrop())
        parts.append(
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" class="tick" text-anchor="{anchor}" fill="{color}" '
            f'style="fill:{color}">{escape(text)}</text>'
        )
    parts += _marks(
        marks=marks, top=top, points=points, credited=credited, ceiling=ceiling, start=start, end=end, labels=labels
    )
    return parts, total, percent


MONTH_STEPS = (1, 2, 3, 4, 6, 12)
TICK_ROOM = 62  # pixels a "Jun 2026" tick needs, with a gap on either side


def month_ticks(start: date, end: date) -> list[date]:
    """The first days of months between `start` and `end`, every 1, 2, 3, 4, 6 or 12 months: the
    smallest step whose ticks are at least TICK_ROOM pixels apart (they never overlap)."""
    width = WIDTH - LEFT - RIGHT
    days = max(1, (end - start).days)
    step = next((months for months in MONTH_STEPS if width * months * 28 / days >= TICK_ROOM), 24)
    ticks, month = [], date(start.year, start.month, 1)
    while month <= end:
        # On months a step divides (Jan, Apr, Jul, Oct for 3), so that the ticks read as a calendar.
        if month >= start and (month.year * 12 + month.month - 1) % step == 0:
            ticks.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


def _describe(*, title, state, ojt, rti, pace, expected_end) -> str:
    """The chart's figures as a sentence, for screen readers (the SVG's <desc>)."""
    parts = [f"{title}.", state + "."] if state else [f"{title}."]
    for label, (total, required, percent) in ((_("On-the-job"), ojt), (_("Related instruction"), rti)):
        parts.append(
            _("%(label)s: %(total)s of %(required)s hours (%(percent)s%%).")
            % {"label": label, "total": f"{total:,.2f}", "required": f"{required:,.0f}", "percent": f"{percent:.0f}"}
        )
    if pace is not None:
        projected = pace["projected_completion_date"]
        parts.append(
            _("Pace over the last 8 weeks: %(pace)s OJT hours a week.") % {"pace": f"{pace['hours_per_week']:,.2f}"}
        )
        if projected is None:
            parts.append(_("No completion date can be projected; expected end %(end)s.") % {"end": _day(expected_end)})
        else:
            figures = {"projected": _day(projected), "end": _day(expected_end)}
            parts.append(
                _("Projected completion %(projected)s, expected end %(end)s: on track.") % figures
                if pace["on_track"]
                else _("Projected completion %(projected)s, expected end %(end)s: behind.") % figures
            )
    else:
        parts.append(_("Expected end %(end)s.") % {"end": _day(expected_end)})
    return " ".join(parts)


def _day(day: date) -> str:
    """A day in the chart's words: "June 1, 2026", "1 de junio de 2026"."""
    # Translators: a Django date format, the chart's days.
    return formats.date_format(day, pgettext("chart date format", "F j, Y"))


def _short_day(day: date) -> str:
    # Translators: a Django date format, the chart's days under the axis.
    return formats.date_format(day, pgettext("chart short date format", "M j, Y"))


STATES = {"completed": (gettext_lazy("Completed"), "#1a7f37"), "cancelled": (gettext_lazy("Cancelled"), "#57606a")}


def progress_svg(
    *,
    title: str,
    start: date,
    expected_end: date,
    today: date,
    ojt: dict,
    rti: dict,
    status: str = "active",
    ended_on: date | None = None,
    pace: dict | None = None,
) -> str:
    """`ojt`/`rti`: {"points": [(date, hours)], "required", "credited", "marks": [{"name",
    "threshold", "status" (of its latest milestone, or None)}]}. `pace`: the progress
    endpoint's (hours_per_week, projected_completion_date, on_track), drawn as the projected
    line while the apprenticeship is open. A completed or cancelled one is marked so, its lines
    stopping on the day it ended."""
    closed = status in STATES
    until = (ended_on or today) if closed else today
    projected_on = None if closed or pace is None else pace["projected_completion_date"]
    # The axis runs on past the expected end to a projected completion within a year of it, so
    # that being behind shows; one later is pointed at ("off the chart").
    end = max(expected_end, until, start + timedelta(days=30))
    if projected_on is not None and projected_on > end:
        end = min(projected_on + timedelta(days=20), expected_end + timedelta(days=365))
    projection = None if projected_on is None else {"date": projected_on, "on_track": pace["on_track"]}  # type: ignore[index]
    ojt_top, rti_top = TOP + 20, TOP + 20 + PANEL_HEIGHT + PANEL_GAP
    labels = _Labels()
    ojt_parts, ojt_total, ojt_percent = _panel(
        label=_("On-the-job hours"),
        kind="ojt",
        top=ojt_top,
        start=start,
        end=end,
        until=until,
        labels=labels,
        projected=projection,
        **ojt,
    )
    rti_parts, rti_total, rti_percent = _panel(
        label=_("Related instruction"), kind="rti", top=rti_top, start=start, end=end, until=until, labels=labels, **rti
    )
    state = ""
    if closed:
        state = _("%(state)s on %(date)s") % {"state": STATES[status][0], "date": _day(until)}
    elif projection is not None:
        state = _("On track") if projection["on_track"] else _("Behind pace")
    description = _describe(
        title=title,
        state=state,
        ojt=(ojt_total, ojt["required"], ojt_percent),
        rti=(rti_total, rti["required"], rti_percent),
        pace=None if closed else pace,
        expected_end=expected_end,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)} aria-describedby="chart-desc">',
        f"<title>{escape(title)}</title>",
        f'<desc id="chart-desc">{escape(description)}</desc>',
        "<style>text{font-family:Helvetica,Arial,sans-serif;fill:#24292f}.title{font-size:14px;font-weight:bold}"
        ".heading{font-size:17px;font-weight:bold}.tick{font-size:11px;fill:#57606a}.mark{font-size:10px;fill:#7d4e00}.backdrop{fill:#fff;fill-opacity:0.6}"
        ".frame{fill:none;stroke:#d0d7de}.grid{stroke:#eaeef2}.state{font-size:13px;font-weight:bold;fill:#fff}</style>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="28" class="heading">{escape(title)}</text>',
    ]
    if state:
        color = (
            STATES[status][1]
            if closed
            else COLORS["ahead"]
            if projection and projection["on_track"]
            else COLORS["behind"]
        )
        badge_width = len(state) * 8 + 16
        parts += [
            f'<rect x="{WIDTH - RIGHT - badge_width}" y="12" width="{badge_width}" height="22" rx="11" fill="{color}" class="badge"/>',
            f'<text x="{WIDTH - RIGHT - badge_width / 2:.1f}" y="28" class="state" text-anchor="middle">{escape(state)}</text>',
        ]
    parts += ojt_parts + rti_parts
    bottom = _Labels()
    axis_y = rti_top + PANEL_HEIGHT + 14
    for month in month_ticks(start, end):
        text = month_label(month)
        x = _x(month, start, end)
        bottom.place(x, axis_y, text, size=11, anchor="middle")
        parts.append(f'<text x="{x:.1f}" y="{axis_y}" class="tick month" text-anchor="middle">{text}</text>')
    days = [(until, _("ended") if closed else _("today"), STATES[status][1] if closed else COLORS["today"])]
    days.append((expected_end, _("expected end"), COLORS["required"]))
    for day, label, color in days:
        if start <= day <= end:
            x = _x(day, start, end)
            text = f"{label} {_short_day(day)}"
            anchor = "end" if x > WIDTH - RIGHT - 90 else "start" if x < LEFT + 90 else "middle"
            y = bottom.place(x, rti_top + PANEL_HEIGHT + 30, text, size=11, anchor=anchor, step=14)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{ojt_top}" y2="{rti_top + PANEL_HEIGHT}" stroke="{color}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" class="tick" text-anchor="{anchor}" style="fill:{color}">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
