"""Markdown written by CRESS staff, rendered to HTML that is safe to show to anyone.

Markdown first (headings, lists, links, tables, emphasis), then nh3 keeps only those tags:
no script, no event handler, no style attribute (the Content-Security-Policy would refuse
them anyway), links to http, https and mailto only. Links to other sites get rel="noopener";
a table's first cell of each row becomes its row header, for screen readers.
"""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "a", "strong", "em", "code",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
RESTRICTED_VALUES = {"a": {"rel": {"noopener"}}, "th": {"scope": {"col", "row"}}}
URL_SCHEMES = {"http", "https", "mailto"}


class _Accessible(Treeprocessor):
    """External links marked noopener; table headers scoped; h1 (the page's own title) lowered."""

    def run(self, root):
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "")
                if href.startswith(("http://", "https://", "//")):
                    element.set("rel", "noopener")
            elif element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "thead":
                for th in element.iter("th"):
                    th.set("scope", "col")
            elif element.tag == "tbody":
                for row in element.iter("tr"):
                    first = next(iter(row), None)
                    if first is not None and first.tag == "td":
                        first.tag = "th"
                        first.set("scope", "row")


class _AccessibleExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_Accessible(md), "probono_accessible", 0)


def clean_html(html):
    """Keep only the tags and attributes Markdown needs; drop scripts with their content."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=RESTRICTED_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def render_markdown(text):
    """Safe HTML for a Markdown text written by staff."""
    html = markdown.markdown(
        text or "", extensions=["tables", "sane_lists", _AccessibleExtension()]
    )
    return clean_html(html)
