"""A safety pre-scan for XML input, run before any XML library builds a document from it.

Model files come from the internet. Three classic attacks on XML readers are refused here, on
the raw bytes and with Python's own expat (which never fetches anything), before the text
reaches libsbml:

- *entity expansion* ("billion laughs": nested ``<!ENTITY>`` declarations that expand to
  gigabytes) and *external entities* (XXE: ``<!ENTITY x SYSTEM "file:///etc/passwd">``):
  any entity declaration, any DOCTYPE with an internal subset or an external identifier, and
  any external entity reference is refused. SBML never needs a DOCTYPE.
- *size*: files larger than :data:`MAX_XML_BYTES` are refused before they are read whole.
- *deep nesting*: libsbml's MathML reader recurses in C++ and crashes the interpreter at about
  5,000 nested elements; more than :data:`MAX_XML_DEPTH` is refused.

Malformed XML (not XML at all, a truncated file) is reported with expat's line and column,
so every failure is a :class:`~dormnet.errors.SbmlError` naming the file and the line.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from ..errors import Problem, SbmlError
from ._text import decode_utf8

__all__ = ["MAX_XML_BYTES", "MAX_XML_DEPTH", "check_xml"]

#: refuse larger files (the largest published SBML-qual file of the corpus is 1.2 MB)
MAX_XML_BYTES = 64 * 1024 * 1024
#: refuse deeper element nesting (published SBML-qual files nest at most ~30 deep)
MAX_XML_DEPTH = 2000

_ENTITY_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)


class _Refused(Exception):
    """Raised inside an expat handler to stop parsing at once."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def check_xml(
    data: bytes,
    source: str = "<string>",
    *,
    max_bytes: int = MAX_XML_BYTES,
    max_depth: int = MAX_XML_DEPTH,
) -> str:
    """Check that ``data`` is safe, well-formed UTF-8 XML; return it decoded.

    Parameters
    ----------
    data : bytes
        The raw file contents.
    source : str
        The name used in error messages (a path).
    max_bytes, max_depth : int
        The size and nesting limits.

    Returns
    -------
    str
        The text, decoded from UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    SbmlError
        With the line of the problem where there is one.

    Examples
    --------
    >>> check_xml(b"<sbml><model/></sbml>")
    '<sbml><model/></sbml>'
    >>> check_xml(b'<!DOCTYPE x [<!ENTITY a "lol">]><x>&a;</x>', "evil.xml")
    Traceback (most recent call last):
    ...
    dormnet.errors.SbmlError: evil.xml:1: refused: the file declares XML entities ...
    """
    if len(data) > max_bytes:
        raise SbmlError(f"file is {len(data)} bytes; the limit is {max_bytes}", source)
    if not data.strip():
        raise SbmlError("empty file, not SBML", source)
    m = _ENTITY_RE.search(data)
    if m is not None:
        raise SbmlError([Problem(_ENTITY_MESSAGE, source, _line_of(data, m.start()))])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:1024]:
        raise SbmlError("not UTF-8 text (UTF-16 or binary); dormnet reads UTF-8 SBML", source)
    try:
        text = decode_utf8(data)
    except UnicodeDecodeError as e:
        raise SbmlError([Problem("not UTF-8 text", source, _line_of(data, e.start))]) from None
    if not text.lstrip().startswith("<"):
        raise SbmlError(
            [Problem("not XML: an SBML file starts with '<?xml' or '<sbml'", source, 1, 1)]
        )

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def doctype(
        name: str, system_id: str | None, public_id: str | None, has_internal_subset: int
    ) -> None:
        if system_id or public_id or has_internal_subset:
            raise _Refused(
                "refused: a DOCTYPE with an internal subset or an external DTD; "
                "SBML needs no DOCTYPE (external entities and entity expansion are "
                "not allowed)"
            )

    def entity(*_args: object) -> None:
        raise _Refused(_ENTITY_MESSAGE)

    def external(*_args: object) -> int:
        raise _Refused("refused: a reference to an external entity")

    def start(_name: str, _attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > max_depth:
            raise _Refused(f"refused: elements nested more than {max_depth} deep")

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Refused as e:
        raise SbmlError([Problem(str(e), source, parser.CurrentLineNumber)]) from None
    except expat.ExpatError as e:
        what = expat.ErrorString(e.code)
        hint = ""
        if e.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
            hint = " (the file ends before the document is complete: truncated?)"
        elif e.code == expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]:
            hint = " (truncated file?)"
        raise SbmlError(
            [Problem(f"not well-formed XML: {what}{hint}", source, e.lineno, e.offset + 1)]
        ) from None
    return text


_ENTITY_MESSAGE = (
    "refused: the file declares XML entities (<!ENTITY ...>); entity expansion "
    "and external entities are not allowed in SBML input"
)
