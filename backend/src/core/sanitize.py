"""Sanitising user text with nh3 (contract §4.7).

* :func:`sanitize_html` keeps the rich-text markup the contract allows (trip descriptions,
  comments): ``p br b i em strong u ul ol li a blockquote``, ``a[href, title]`` and the
  ``http``, ``https`` and ``mailto`` schemes.  Everything else is removed; the contents of
  ``script`` and ``style`` are dropped entirely.
* :func:`plain_text` is for fields that are text, not HTML (titles, place names, tags): any
  markup is removed, but characters such as ``&`` or ``<`` that are not markup are kept as
  they are, so "Jaén & Córdoba" stays "Jaén & Córdoba" instead of becoming ``&amp;``.
"""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "b", "i", "em", "strong", "u", "ul", "ol", "li", "a", "blockquote"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(value: str) -> str:
    """Rich text reduced to the allowed markup."""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """Text without any markup.

    Removing tags and then un-escaping can reveal a tag that was written escaped
    (``&lt;b&gt;``), so this repeats until nothing changes: the result contains no markup
    that nh3 would remove.
    """
    current = value
    for _ in range(5):
        cleaned = html.unescape(_strip_tags(current))
        if cleaned == current:
            break
        current = cleaned
    else:
        # Still revealing markup after five rounds: keep it escaped (inert) instead.
        current = _strip_tags(current)
    # Control characters (other than whitespace) have no place in a one-line text field.
    return "".join(ch for ch in current if ch.isprintable() or ch in " \t").strip()


def _strip_tags(value: str) -> str:
    return nh3.clean(value, tags=set(), attributes={}, link_rel=None, strip_comments=True)
