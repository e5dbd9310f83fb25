"""The exception hierarchy of dormnet.

Every error the library raises on purpose is a :class:`DormnetError`; the CLI catches that one
class, prints ``error: <message>`` and exits with status 2. Errors about a file carry a list of
:class:`Problem` records (path, line, column, message), all problems of a file at once, so a
curator can fix a model in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

__all__ = [
    "BnetError",
    "BudgetExceeded",
    "ConversionError",
    "DataFileError",
    "DormnetError",
    "ModelError",
    "Problem",
    "SbmlError",
    "SimulationError",
    "UnknownNodeError",
]


class DormnetError(Exception):
    """Base class of every error dormnet raises on purpose."""


class Problem:
    """One finding about an input file: where it is and what is wrong.

    ``line`` and ``column`` are 1-based; ``None`` where the problem has no position
    (for example a network built from a dict). Immutable, compared and hashed by value.

    Written out rather than as a frozen dataclass: building the dataclass machinery costs more at
    start-up than a plain count on a small model (this class is loaded by every command).
    """

    __match_args__ = ("message", "path", "line", "column", "severity")
    message: str
    path: str
    line: int | None
    column: int | None
    severity: Literal["error", "warning"]

    def __init__(
        self,
        message: str,
        path: str = "<string>",
        line: int | None = None,
        column: int | None = None,
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        fields = self.__dict__
        fields["message"], fields["path"], fields["line"] = message, path, line
        fields["column"], fields["severity"] = column, severity

    def _key(self) -> tuple[Any, ...]:
        return (self.message, self.path, self.line, self.column, self.severity)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a Problem")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a Problem")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Problem(message={self.message!r}, path={self.path!r}, line={self.line!r}, "
            f"column={self.column!r}, severity={self.severity!r})"
        )

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.message}"


class ModelError(DormnetError, ValueError):
    """A model (or a data file) that cannot be read; holds every problem found in it."""

    def __init__(self, problems: Iterable[Problem] | str, path: str = "<string>"):
        if isinstance(problems, str):
            problems = [Problem(problems, path)]
        self.problems: list[Problem] = list(problems)
        self.path = self.problems[0].path if self.problems else path
        super().__init__(str(self))

    @property
    def line(self) -> int | None:
        """Line of the first problem."""
        return self.problems[0].line if self.problems else None

    @property
    def column(self) -> int | None:
        """Column of the first problem."""
        return self.problems[0].column if self.problems else None

    @property
    def message(self) -> str:
        """Message of the first problem (without its location)."""
        return self.problems[0].message if self.problems else ""

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if len(lines) > 1:
            lines.append(f"{len(lines)} problems in {self.path}")
        return "\n".join(lines)


class BnetError(ModelError):
    """A BNET file or text that does not parse or does not validate."""


class SbmlError(ModelError):
    """An SBML-qual file that cannot be imported."""


class DataFileError(ModelError):
    """A companion data file (contexts, phenotypes, drugs, expectations, provenance) with errors."""


class UnknownNodeError(DormnetError, ValueError):
    """A node, context, drug or phenotype name that the model does not have."""


class ClampError(DormnetError, ValueError):
    """A clamp that cannot be applied: a value other than 0 or 1, or one node held at two
    values by the parts of one perturbation."""


class ScenarioError(DormnetError, ValueError):
    """A scenario string (``"ctx,ko:X,drug:Y,N=1"``) that does not parse."""


class ConversionError(DormnetError, ValueError):
    """Another tool's model object that cannot become a :class:`~dormnet.BooleanNetwork`
    (a parametrised or multi-valued model, an operator dormnet does not know), or inconsistent
    prime implicants."""


class ScreenInterrupted(DormnetError):
    """A screen was interrupted; the finished rows are in its journal (``--resume`` goes on)."""


class BudgetExceeded(DormnetError):
    """A computation stopped because it exceeded its time or size budget.

    ``what`` says which budget ran out, ``partial`` holds what is certain so far (may be
    ``None``), and ``hint`` says what to try instead.
    """

    def __init__(self, what: str, hint: str = "", partial: object = None):
        self.what = what
        self.hint = hint
        self.partial = partial
        text = what + (f"; {hint}" if hint else "")
        super().__init__(text)


class SimulationError(DormnetError, ValueError):
    """Simulation settings that cannot be used: a rate, a probability, a time, a method."""
