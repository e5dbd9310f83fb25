"""What is held fixed in an analysis: a named context plus clamps, knockouts, overexpressions and
drugs, written on the command line as one comma-separated string.

A :class:`Scenario` is plain data: it names things, and :meth:`dormnet.bundle.Bundle.clamps`
resolves the names against a model (contexts and drugs come from the model's companion files). The
text form is the same wherever a command takes a scenario::

    bone_marrow,drug:everolimus,ko:NR2F1,oe:MSK1,TGFB2=1

Items: at most one context name, ``NODE=0`` / ``NODE=1`` clamps, ``ko:NODE`` (held at 0),
``oe:NODE`` (held at 1) and ``drug:NAME``. Whitespace around items is ignored.

Examples
--------
>>> s = Scenario.parse("bone_marrow, drug:everolimus, ko:NR2F1, TGFB2=1")
>>> s.context, s.drugs, s.knockout, s.clamps
('bone_marrow', ('everolimus',), ('NR2F1',), (('TGFB2', 1),))
>>> str(s)
'bone_marrow,drug:everolimus,ko:NR2F1,TGFB2=1'
>>> Scenario.parse(str(s)) == s
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .errors import ScenarioError

__all__ = ["Scenario"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*$")
_PREFIXES = {"ko": "knockout", "oe": "overexpress", "drug": "drugs"}


@dataclass(frozen=True)
class Scenario:
    """A context plus perturbations. Later parts override earlier ones when they are resolved:
    context, drugs, knockouts, overexpressions, explicit clamps.

    Attributes
    ----------
    context : str or None
        A named microenvironment of the model (its inputs).
    clamps : tuple of (node, value)
        Nodes held at 0 or 1 explicitly.
    knockout, overexpress : tuple of str
        Nodes held at 0 (knockout) or 1 (overexpression).
    drugs : tuple of str
        Drugs of the model's drug table, by name or alias.
    """

    context: str | None = None
    clamps: tuple[tuple[str, int], ...] = ()
    knockout: tuple[str, ...] = ()
    overexpress: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Scenario:
        """Read the comma-separated form (see the module docstring).

        Parameters
        ----------
        text : str
            For example ``"permissive,drug:everolimus"`` or ``"EGF=1,TNF=0"``; ``""`` is the
            empty scenario.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            An item that is none of the accepted forms, a second context, or a node given two
            values.
        """
        context: str | None = None
        parts: dict[str, list[str]] = {"knockout": [], "overexpress": [], "drugs": []}
        clamps: dict[str, int] = {}
        for raw in text.split(","):
            item = raw.strip()
            if not item:
                if text.strip():
                    raise ScenarioError(f"empty item in scenario {text!r}")
                continue
            if "=" in item:
                name, _, value = (x.strip() for x in item.partition("="))
                if not _NAME.match(name) or value not in ("0", "1"):
                    raise ScenarioError(f"{item!r} in scenario {text!r}: write NODE=0 or NODE=1")
                if clamps.setdefault(name, int(value)) != int(value):
                    raise ScenarioError(f"{name} is given two values in scenario {text!r}")
                continue
            prefix, colon, name = (x.strip() for x in item.partition(":"))
            if colon:
                if prefix not in _PREFIXES or not name:
                    raise ScenarioError(
                        f"{item!r} in scenario {text!r}: use ko:NODE, oe:NODE or drug:NAME"
                    )
                parts[_PREFIXES[prefix]].append(name)
                continue
            if not _NAME.match(item):
                raise ScenarioError(f"{item!r} in scenario {text!r} is not a name")
            if context is not None:
                raise ScenarioError(
                    f"scenario {text!r} names two contexts ({context!r} and {item!r}); "
                    "combine inputs with NODE=0|1 items instead"
                )
            context = item
        both = set(parts["knockout"]) & set(parts["overexpress"])
        if both:
            raise ScenarioError(
                f"scenario {text!r} both knocks out and overexpresses {', '.join(sorted(both))}"
            )
        return cls(
            context,
            tuple(clamps.items()),
            tuple(parts["knockout"]),
            tuple(parts["overexpress"]),
            tuple(parts["drugs"]),
        )

    @property
    def perturbed(self) -> bool:
        """True if anything beyond the context is held fixed."""
        return bool(self.clamps or self.knockout or self.overexpress or self.drugs)

    def baseline(self) -> Scenario:
        """The same context without perturbations.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> Scenario.parse("lung,ko:X").baseline()
        Scenario(context='lung', clamps=(), knockout=(), overexpress=(), drugs=())
        """
        return Scenario(self.context)

    def plus(self, other: Scenario) -> Scenario:
        """This scenario with the perturbations of ``other`` added (its context wins if set).

        Parameters
        ----------
        other : Scenario

        Returns
        -------
        Scenario

        Examples
        --------
        >>> str(Scenario.parse("lung").plus(Scenario.parse("drug:x")))
        'lung,drug:x'
        """
        return replace(
            self,
            context=other.context or self.context,
            clamps=self.clamps + other.clamps,
            knockout=self.knockout + other.knockout,
            overexpress=self.overexpress + other.overexpress,
            drugs=self.drugs + other.drugs,
        )

    def label(self) -> str:
        """A label for people.

        Returns
        -------
        str
            Such as ``bone_marrow +everolimus NR2F1-KO``.

        Examples
        --------
        >>> Scenario.parse("bone_marrow,drug:everolimus,ko:NR2F1").label()
        'bone_marrow +everolimus NR2F1-KO'
        """
        parts = [self.context or "no context"]
        parts += [f"+{d}" for d in self.drugs]
        parts += [f"{n}-KO" for n in self.knockout]
        parts += [f"{n}-OE" for n in self.overexpress]
        parts += [f"{n}={v}" for n, v in self.clamps]
        return " ".join(parts)

    def __str__(self) -> str:
        parts = [self.context] if self.context else []
        parts += [f"drug:{d}" for d in self.drugs]
        parts += [f"ko:{n}" for n in self.knockout]
        parts += [f"oe:{n}" for n in self.overexpress]
        parts += [f"{n}={v}" for n, v in self.clamps]
        return ",".join(parts)
