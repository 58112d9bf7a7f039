"""Bar charts drawn on the server as inline SVG: no script, no CDN, readable without colour."""

from __future__ import annotations

from markupsafe import Markup, escape

from admin.learning.dashboard import Tally

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 6, 190, 360, 90
MET, UNMET = "#2f6f9f", "#c0392b"


def bar_chart(tallies: list[Tally], title: str, labels: dict[str, str], unmet_label: str, met_label: str) -> Markup:
    """Horizontal bars of families per row, the unmet share drawn first in red (and written as a number)."""
    top = max((t.families for t in tallies), default=0) or 1
    height = len(tallies) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, t in enumerate(tallies):
        y = GAP + i * (BAR_HEIGHT + GAP)
        unmet_w = round(BAR_WIDTH * t.unmet_families / top)
        met_w = round(BAR_WIDTH * t.met_families / top)
        name = escape(labels.get(t.name, t.name))
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="13">{name}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{unmet_w}" height="{BAR_HEIGHT}" fill="{UNMET}">'
                     f'<title>{name}: {t.unmet_families} {escape(unmet_label)}</title></rect>')
        parts.append(f'<rect x="{LABEL_WIDTH + unmet_w}" y="{y}" width="{met_w}" height="{BAR_HEIGHT}" '
                     f'fill="{MET}"><title>{name}: {t.met_families} {escape(met_label)}</title></rect>')
        parts.append(f'<text x="{LABEL_WIDTH + unmet_w + met_w + 6}" y="{y + 15}" font-size="13">'
                     f'{t.families} ({t.unmet_families})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
