"""Where a model's companion files are (see ``docs/formats.md``).

For ``networks/dormancy.bnet`` a companion of kind ``contexts`` is ``networks/dormancy.contexts.toml``
or, where that does not exist, ``networks/contexts.toml``. :func:`dormnet.bundle.load_bundle` reads
and checks them; this module only finds them, so that a command that needs none of them (a count
on a bare model) need not load the readers.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COMPANIONS", "companion", "companion_files"]

#: (kind, extension) of every companion file, in the order they are read
COMPANIONS: tuple[tuple[str, str], ...] = (
    ("nodes", "tsv"),
    ("provenance", "tsv"),
    ("decisions", "toml"),
    ("contexts", "toml"),
    ("phenotypes", "toml"),
    ("drugs", "toml"),
    ("expectations", "toml"),
)


def companion(path: Path, kind: str, ext: str) -> Path | None:
    """The companion file of one kind beside a model, if there is one.

    Parameters
    ----------
    path : Path
        The model file.
    kind : str
        Such as ``contexts``.
    ext : str
        ``toml`` or ``tsv``.

    Returns
    -------
    Path or None
        ``<stem>.<kind>.<ext>`` beside the model, else ``<kind>.<ext>``, else ``None``.
    """
    for p in (path.with_name(f"{path.stem}.{kind}.{ext}"), path.with_name(f"{kind}.{ext}")):
        if p.exists():
            return p
    return None


def companion_files(path: str | os.PathLike[str]) -> dict[str, Path]:
    """Every companion file beside a model, by kind.

    Parameters
    ----------
    path : path
        The model file.

    Returns
    -------
    dict
        Kind -> file, for the kinds that have one.

    Examples
    --------
    >>> from dormnet.bundle import bundled_model_path
    >>> sorted(companion_files(bundled_model_path()))[:3]
    ['contexts', 'decisions', 'drugs']
    """
    p = Path(path)
    found = {kind: companion(p, kind, ext) for kind, ext in COMPANIONS}
    return {kind: f for kind, f in found.items() if f is not None}
