"""The convention de mécénat de compétences as a PDF to print and sign (reportlab, A4).

Its wording is not written here: it renders the template the printable page includes
(missions/agreement_text.html) and turns its blocks into reportlab paragraphs, so the legal text
lives in one place. The template keeps to what this reads: headings h1–h3, paragraphs p, list
items li; inside them strong/b, em/i and br; a blank line to fill (span.agreement-blank); a
group kept on one page (div.agreement-keep); columns side by side (div.agreement-columns, each
div.agreement-column). Anything marked visually-hidden is for screen readers only: left out.
"""

from html.parser import HTMLParser
from io import BytesIO
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from .pdf import FOOTER_FONT, FOOTER_Y, INK, MARGIN, NumberedCanvas

BLANK = "." * 40
BLOCKS = {"h1": "title", "h2": "h2", "h3": "h3", "p": "body", "li": "item"}
INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i"}
VOID = {"br", "img", "input", "hr", "meta", "link"}


def render(context):
    """The convention's PDF, as bytes, from the context the page renders the text with."""
    html = render_to_string("missions/agreement_text.html", context)
    buffer = BytesIO()
    agreement = context["agreement"]
    title = _("Convention de mécénat de compétences")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=f"{title} · {agreement.need.title}",
        author="Probono",
    )
    footer = _Footer(f"{title} · {agreement.company.name} · {agreement.structure.name}")
    document.build(story(html), onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


class _Footer:
    def __init__(self, text):
        self.text = text

    def __call__(self, canvas, document):
        canvas.saveState()
        canvas.setFont(*FOOTER_FONT)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, FOOTER_Y, self.text[:110])
        canvas.restoreState()


def _styles():
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontSize=10, leading=13.5)
    return {
        "title": sheet["Title"],
        "h2": ParagraphStyle("h2", parent=sheet["Heading2"], fontSize=12, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=sheet["Heading3"], fontSize=10.5),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=12, bulletIndent=2),
    }


def story(html):
    """The flowables of the text's HTML, in its order."""
    parser = _Parser(_styles())
    parser.feed(html)
    parser.close()
    return parser.groups[0]


class _Parser(HTMLParser):
    def __init__(self, styles):
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.groups = [[]]  # the flowables of each open group (the document's first)
        self.open = []  # each open element: (tag, what its end does)
        self.block = None  # (style, markup parts) of the paragraph being read
        self.hidden = 0  # inside elements left out

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br" and self.block and not self.hidden:
                self.block[1].append("<br/>")
            return
        classes = (dict(attrs).get("class") or "").split()
        action = None
        if self.hidden or "visually-hidden" in classes:
            self.hidden += 1
            action = "hidden"
        elif "agreement-blank" in classes and self.block:
            self.block[1].append(BLANK)
        elif tag in BLOCKS:
            self.block = (BLOCKS[tag], [])
            action = "block"
        elif tag in INLINE and self.block:
            self.block[1].append(f"<{INLINE[tag]}>")
            action = "inline"
        elif {"agreement-keep", "agreement-columns", "agreement-column"} & set(classes):
            self.groups.append([])
            action = next(c for c in classes if c.startswith("agreement-"))
        self.open.append((tag, action))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.open:
            opened, action = self.open.pop()
            self._close(opened, action)
            if opened == tag:
                break

    def _close(self, tag, action):
        if action == "hidden":
            self.hidden -= 1
        elif action == "block" and self.block:
            style, parts = self.block
            self.block = None
            markup = " ".join("".join(parts).split())
            if markup:
                bullet = "•" if style == "item" else None
                self.groups[-1].append(Paragraph(markup, self.styles[style], bulletText=bullet))
        elif action == "inline" and self.block:
            self.block[1].append(f"</{INLINE[tag]}>")
        elif action == "agreement-keep":
            flowables = self.groups.pop()
            self.groups[-1].append(KeepTogether(flowables))
        elif action == "agreement-column":
            flowables = self.groups.pop()
            self.groups[-1].append(flowables + [Spacer(1, 22 * mm)])
        elif action == "agreement-columns":
            columns = self.groups.pop()
            width = (A4[0] - 36 * mm) / max(1, len(columns))
            table = Table([columns], colWidths=[width] * len(columns))
            table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
            self.groups[-1].append(table)

    def handle_data(self, data):
        if self.block and not self.hidden:
            self.block[1].append(escape(data))
