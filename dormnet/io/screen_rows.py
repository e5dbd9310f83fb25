"""Screen rows on disk: the one place where they are written and read back.

``dormnet screen -o`` writes them (:func:`write_rows`), ``dormnet figure screen --screen FILE``
and the report read them (:func:`read_rows`). TSV columns are :data:`ROW_FIELDS`; JSON is
``{"rows": [...]}`` with the same keys; Parquet has the same columns.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DormnetError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROW_FIELDS", "ScreenResult", "ScreenRow", "read_rows", "write_rows"]

ROW_FIELDS = (
    "context",
    "perturbation",
    "size",
    "n_before",
    "before",
    "n_after",
    "after",
    "switch",
    "synergy",
    "solver",
    "changed",
)
#: columns a screen table may lack (written by an older dormnet): their default is used
OPTIONAL_FIELDS = ("changed",)


@dataclass(frozen=True)
class ScreenRow:
    """One screen result."""

    context: str
    perturbation: str
    size: int
    n_before: int
    before: str
    n_after: int
    after: str
    switch: str
    synergy: bool | None
    solver: str  # "percolation", "shared" or "clingo"/"aeon": how the row was answered
    changed: str = ""  # without phenotypes: the nodes whose attractor values change

    def key(self) -> str:
        """The row's identity in a journal: context and perturbation.

        Returns
        -------
        str
        """
        return f"{self.context}\t{self.perturbation}"


class ScreenResult(list[ScreenRow]):
    """The rows of a screen (a list of :class:`ScreenRow`), as :func:`dormnet.screen.screen`
    and :func:`read_rows` return them."""

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas data frame with the columns :data:`ROW_FIELDS`
        (:func:`dormnet.frames.screen_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from ..frames import screen_frame

        return screen_frame(self)

    def _repr_html_(self) -> str:
        from ..display import screen_html

        return screen_html(self)


def read_rows(path: str | os.PathLike[str]) -> ScreenResult:
    """Read the rows that :func:`write_rows` (``dormnet screen -o``) wrote.

    Parameters
    ----------
    path : path
        TSV (optionally gzipped), JSON or Parquet, chosen by content and extension.

    Returns
    -------
    ScreenResult
        A list of :class:`ScreenRow`.

    Raises
    ------
    DormnetError
        A file that cannot be read or is not a screen table (with file and line).
    """
    p = Path(path)

    def row(d: Mapping[str, Any], where: str) -> ScreenRow:
        missing = [k for k in ROW_FIELDS if k not in d and k not in OPTIONAL_FIELDS]
        if missing:
            raise DormnetError(f"{where}: not a screen table (missing {', '.join(missing)})")
        syn = d["synergy"]
        if isinstance(syn, str):
            syn = {"true": True, "false": False}.get(syn.strip().lower())
        try:
            return ScreenRow(
                str(d["context"]),
                str(d["perturbation"]),
                int(d["size"]),
                int(d["n_before"]),
                str(d["before"]),
                int(d["n_after"]),
                str(d["after"]),
                str(d["switch"]),
                syn,
                str(d["solver"]),
                str(d.get("changed") or ""),
            )
        except (TypeError, ValueError) as e:
            raise DormnetError(f"{where}: bad screen row: {e}") from None

    try:
        if p.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            return ScreenResult(row(d, str(p)) for d in pq.read_table(p).to_pylist())
        opener = __import__("gzip").open if p.suffix.lower() == ".gz" else open
        with opener(p, "rt", encoding="utf-8", newline="") as fh:
            text = fh.read()
    except OSError as e:
        raise DormnetError(f"cannot read {p}: {e.strerror or e}") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise DormnetError(f"{p}:{e.lineno}:{e.colno}: {e.msg}") from None
        return ScreenResult(row(d, str(p)) for d in data.get("rows", []))
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return ScreenResult(row(d, f"{p}:{i}") for i, d in enumerate(reader, 2))


def write_rows(
    rows: Sequence[ScreenRow], path: str | os.PathLike[str] | None, fmt: str
) -> str | None:
    """Write rows as TSV, JSON or Parquet (atomically).

    Parameters
    ----------
    rows : sequence of ScreenRow
    path : path or None
        The file; ``None`` returns the text instead (TSV and JSON only).
    fmt : {"tsv", "json", "parquet"}

    Returns
    -------
    str or None
        The text when ``path`` is None.
    """
    from ._atomic import atomic_open, atomic_write_text

    if fmt == "parquet":
        if path is None:
            raise DormnetError("parquet output needs -o FILE")
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise DormnetError("parquet output needs pyarrow: pip install pyarrow") from None
        table = pa.Table.from_pylist([asdict(r) for r in rows])
        with atomic_open(path, "wb") as fh:
            pq.write_table(table, fh)
        return None
    if fmt == "json":
        text = json.dumps({"rows": [asdict(r) for r in rows]}, indent=1) + "\n"
    else:
        lines = ["\t".join(ROW_FIELDS)]
        for r in rows:
            d = asdict(r)
            lines.append(
                "\t".join(
                    ""
                    if d[k] is None
                    else str(d[k]).lower()
                    if isinstance(d[k], bool)
                    else str(d[k])
                    for k in ROW_FIELDS
                )
            )
        text = "\n".join(lines) + "\n"
    if path is None:
        return text
    atomic_write_text(path, text)
    return None
