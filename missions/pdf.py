"""What Probono's PDF documents (reportlab) share: the « Page 1 sur 2 » canvas.

It lives here, low in the chain (missions comes before observatory), so that the mission's
agreement and the company's mécénat statement both use it; pure reportlab, no query.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

MARGIN = 12 * mm
INK = colors.HexColor("#1b1b1f")
FOOTER_Y = MARGIN - 2 * mm
FOOTER_FONT = ("Helvetica", 7.5)


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until the document ends, to write « Page 1 sur 2 » on
    each, at the right of the footer: the total is only known then (reportlab's « page x of
    y » canvas recipe). Works for any page size: it reads the canvas's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        count = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._draw_page_number(count)
            super().showPage()
        super().save()

    def _draw_page_number(self, count):
        self.saveState()
        self.setFont(*FOOTER_FONT)
        self.setFillColor(INK)
        label = _("Page %(number)s sur %(count)s") % {
            "number": self.getPageNumber(),
            "count": count,
        }
        self.drawRightString(self._pagesize[0] - MARGIN, FOOTER_Y, label)
        self.restoreState()
