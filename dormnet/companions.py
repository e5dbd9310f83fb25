"""Where a model's companion files are (see ``docs/formats.md``).

For ``networks/dormancy.bnet`` a companion of kind ``contexts`` is ``networks/dormancy.contexts.toml``
or, where that does not exist, ``networks/contexts.toml``. :func:`dormnet.bundle.load_bundle` reads
and checks them; this module only finds them, so that a command that needs none of them (a count
on a bare model) need not load the readers.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing.TYPE_CHECKING without importing typing or pathlib at start-up
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


def companion(path: str | os.PathLike[str], kind: str, ext: str) -> Path | None:
    """The companion file of one kind beside a model, if there is one.

    Parameters
    ----------
    path : str or path-like
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
    # os.path, not pathlib: a plain count looks for companions and should not pay for pathlib
    folder, name = os.path.split(os.fspath(path))
    stem = name[: name.rfind(".")] if 0 < name.rfind(".") < len(name) - 1 else name
    for candidate in (f"{stem}.{kind}.{ext}", f"{kind}.{ext}"):
        where = os.path.join(folder, candidate)
        if os.path.exists(where):
            from pathlib import Path

            return Path(where)
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
    found = {kind: companion(path, kind, ext) for kind, ext in COMPANIONS}
    return {kind: f for kind, f in found.items() if f is not None}
