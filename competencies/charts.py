"""The progress chart: cumulative approved OJT and RTI hours over time against the hours
required, with the milestones marked. Plain SVG written on the server: no browser, no plotting
library, readable at a glance (two panels sharing the time axis, so the 180 h of RTI are not
drawn flat under the 2,000 h of OJT)."""

from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 860, 520
LEFT, RIGHT, TOP = 70, 30, 56
PANEL_HEIGHT, PANEL_GAP = 170, 70
COLORS = {"ojt": "#1f6feb", "rti": "#8250df", "required": "#57606a", "milestone": "#bf8700", "today": "#cf222e"}


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


def _marks(*, marks, top, points, credited, ceiling, start, end) -> list[str]:
    """Reached milestones as dots on the line where it crossed them; the next one ahead as a
    dotted target line."""
    parts = []
    ahead = sorted((m for m in marks if m["status"] in (None, "withdrawn", "rejected")), key=lambda m: m["threshold"])
    for index, mark in enumerate(m for m in marks if m["status"] in ("pending", "approved")):
        day = _crossing(points, credited, mark["threshold"], start)
        if day is None:
            continue
        x, y = _x(day, start, end), _y(mark["threshold"], top, ceiling)
        symbol = "✓" if mark["status"] == "approved" else "◷"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{COLORS["milestone"]}" stroke="#fff" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{x + 9:.1f}" y="{y + 4 - 13 * (index % 2):.1f}" class="mark">{symbol} {escape(mark["name"])} '
            f"({mark['threshold']:,.0f} h{', pending approval' if mark['status'] == 'pending' else ''})</text>"
        )
    if ahead:
        mark = ahead[0]
        y = _y(mark["threshold"], top, ceiling)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLORS["milestone"]}" '
            f'stroke-dasharray="2 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + 6}" y="{y - 5:.1f}" class="mark">next: {escape(mark["name"])} at '
            f"{mark['threshold']:,.0f} h</text>"
        )
    return parts


def _panel(*, label, kind, top, points, required, credited, start, end, today, marks=()) -> list[str]:
    ceiling = max(required, credited + sum((hours for _d, hours in points), Decimal("0"))) * Decimal("1.08") or Decimal(
        "1"
    )
    path, total = _steps(points, start, end, top, ceiling, credited)
    last_x = _x(min(today, end), start, end)
    path.append(f"H{last_x:.1f}")
    area = [*path, f"V{top + PANEL_HEIGHT:.1f}", f"H{LEFT:.1f}", "Z"]
    percent = min(100, float(total / required * 100)) if required else 100
    required_y = _y(required, top, ceiling)
    parts = [
        f'<text x="{LEFT}" y="{top - 10}" class="title">{escape(label)}: {total:,.2f} of {required:,.0f} h '
        f"({percent:.0f}%)</text>",
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{PANEL_HEIGHT}" class="frame"/>',
    ]
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
        f'<text x="{WIDTH - RIGHT - 4}" y="{required_y - 5:.1f}" class="tick" text-anchor="end">required {required:,.0f} h</text>',
    ]
    parts += _marks(marks=marks, top=top, points=points, credited=credited, ceiling=ceiling, start=start, end=end)
    return parts


def progress_svg(*, title: str, start: date, expected_end: date, today: date, ojt: dict, rti: dict) -> str:
    """`ojt`/`rti`: {"points": [(date, hours)], "required", "credited", "marks": [{"name",
    "threshold", "status" (of its latest milestone, or None)}]}."""
    end = max(expected_end, today, start + timedelta(days=30))
    ojt_top, rti_top = TOP + 20, TOP + 20 + PANEL_HEIGHT + PANEL_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)}>',
        "<style>text{font-family:Helvetica,Arial,sans-serif;fill:#24292f}.title{font-size:14px;font-weight:bold}"
        ".heading{font-size:17px;font-weight:bold}.tick{font-size:11px;fill:#57606a}.mark{font-size:10px;fill:#7d4e00;paint-order:stroke;stroke:#fff;stroke-width:3px}"
        ".frame{fill:none;stroke:#d0d7de}.grid{stroke:#eaeef2}</style>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="28" class="heading">{escape(title)}</text>',
    ]
    parts += _panel(label="On-the-job hours", kind="ojt", top=ojt_top, start=start, end=end, today=today, **ojt)
    parts += _panel(label="Related instruction", kind="rti", top=rti_top, start=start, end=end, today=today, **rti)
    for day, label, color in ((today, "today", COLORS["today"]), (expected_end, "expected end", COLORS["required"])):
        if start <= day <= end:
            x = _x(day, start, end)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{ojt_top}" y2="{rti_top + PANEL_HEIGHT}" stroke="{color}" stroke-width="1"/>'
            )
            anchor = "end" if x > WIDTH - RIGHT - 90 else "start" if x < LEFT + 90 else "middle"
            parts.append(
                f'<text x="{x:.1f}" y="{rti_top + PANEL_HEIGHT + 30}" class="tick" text-anchor="{anchor}" '
                f'fill="{color}">{label} {day:%b %d, %Y}</text>'
            )
    axis_y = rti_top + PANEL_HEIGHT + 14
    month = date(start.year, start.month, 1)
    step = 1 if (end - start).days < 500 else 3
    while month <= end:
        if month >= start:
            parts.append(
                f'<text x="{_x(month, start, end):.1f}" y="{axis_y}" class="tick" text-anchor="middle">{month:%b %y}</text>'
            )
        month = date(month.year + (month.month - 1 + step) // 12, (month.month - 1 + step) % 12 + 1, 1)
    parts.append("</svg>")
    return "\n".join(parts)
