"""The rates and initial-states file of ``dormnet simulate --rates FILE`` (TOML; the format is in
``docs/formats.md``): ``[rates]``, ``[initial]`` with ``[[initial.joint]]`` groups, and
``[simulation]`` run settings. Read with the standard library (``tomllib``): nothing in it is
evaluated; every problem is reported with its line.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from ..errors import DataFileError, Problem, SimulationError
from ..network import BooleanNetwork, unknown_name_message
from ..stochastic_model import SimulationSetup, _check_rate

__all__ = ["read_setup"]

_SETTING_KEYS = {
    "max_time": float,
    "time_step": float,
    "trajectories": int,
    "discrete_time": bool,
    "seed": int,
}


def read_setup(path: str | os.PathLike[str], net: BooleanNetwork) -> SimulationSetup:
    """Read rates, initial states and run settings from a TOML file (``docs/formats.md``).

    A MaBoSS ``.cfg`` file is read by :func:`dormnet.io.maboss.read_maboss_cfg` instead.

    Parameters
    ----------
    path : path
        The TOML file.
    net : BooleanNetwork
        The network the rates and initial states refer to.

    Returns
    -------
    SimulationSetup

    Raises
    ------
    DataFileError
        Listing every problem with its line: unknown nodes, bad rates or probabilities.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rates.toml"
    >>> _ = p.write_text("[rates]\\nb = { up = 2, down = 0.5 }\\n[initial]\\nb = 0\\n")
    >>> setup = read_setup(p, BooleanNetwork({"a": "a", "b": "a"}))
    >>> setup.rates, setup.initial
    ({'b': (2.0, 0.5)}, {'b': 0.0})
    """
    path = Path(path)
    if path.suffix.lower() == ".cfg":
        from .maboss import read_maboss_cfg

        return read_maboss_cfg(path, net)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(f"cannot read file: {e}", str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # Python 3.11's tomllib gives the position only in the message
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        msg = str(e).split(" (at line")[0]
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise DataFileError([Problem(f"TOML syntax error: {msg}", str(path), line, col)]) from None
    problems: list[Problem] = []
    lines = text.splitlines()

    def line_of(table: str, key: str | None) -> int | None:
        """Line of ``key = ...`` in ``[table]`` (or of the table header)."""
        head = re.compile(r"^\s*\[+\s*" + re.escape(table) + r"\b")
        keyre = re.compile(r"^\s*[\"']?" + re.escape(key or "") + r"[\"']?\s*=") if key else None
        inside = False
        for i, ln in enumerate(lines, 1):
            if head.match(ln):
                if keyre is None:
                    return i
                inside = True
            elif ln.lstrip().startswith("["):
                inside = False
            elif inside and keyre is not None and keyre.match(ln):
                return i
        return None

    def err(msg: str, table: str, key: str | None = None) -> None:
        problems.append(Problem(msg, str(path), line_of(table, key)))

    setup = SimulationSetup()
    for key in data:
        if key not in ("rates", "initial", "simulation"):
            err(f"unknown table [{key}]; use [rates], [initial], [simulation]", key)
    for node, spec in (data.get("rates") or {}).items():
        if node not in net:
            err(unknown_name_message(node, net.nodes, "node"), "rates", node)
            continue
        if isinstance(spec, dict):
            extra = set(spec) - {"up", "down"}
            if extra:
                err(f"rates of {node}: unknown key {min(extra)!r} (use up, down)", "rates", node)
                continue
            pair = (spec.get("up", 1.0), spec.get("down", 1.0))
        else:
            pair = (spec, spec)
        try:
            setup.rates[node] = (_check_rate(node, pair[0]), _check_rate(node, pair[1]))
        except SimulationError as e:
            err(str(e), "rates", node)
    initial = data.get("initial") or {}
    for node, p in initial.items():
        if node == "joint":
            continue
        if node not in net:
            err(unknown_name_message(node, net.nodes, "node"), "initial", node)
        elif isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            err(
                f"initial state of {node}: a probability of 1 from 0 to 1, not {p!r}",
                "initial",
                node,
            )
        else:
            setup.initial[node] = float(p)
    for j, group in enumerate(initial.get("joint") or []):
        where = ("initial.joint",)
        nodes = group.get("nodes") if isinstance(group, dict) else None
        states = group.get("states") if isinstance(group, dict) else None
        if not isinstance(nodes, list) or not isinstance(states, list):
            err("a joint initial state needs nodes = [...] and states = [{p, values}]", *where)
            continue
        bad = [x for x in nodes if x not in net]
        if bad:
            err(unknown_name_message(str(bad[0]), net.nodes, "node"), *where)
            continue
        dist: dict[tuple[int, ...], float] = {}
        for st in states:
            p = st.get("p") if isinstance(st, dict) else None
            values = st.get("values") if isinstance(st, dict) else None
            if (
                not isinstance(values, list)
                or len(values) != len(nodes)
                or any(v not in (0, 1) for v in values)
                or isinstance(p, bool)
                or not isinstance(p, (int, float))
                or p < 0
            ):
                err(f"joint state {st!r}: p >= 0 and values = {len(nodes)} values 0/1", *where)
                break
            dist[tuple(values)] = dist.get(tuple(values), 0.0) + float(p)
        else:
            setup.initial[tuple(nodes)] = dist
    for key, value in (data.get("simulation") or {}).items():
        kind = _SETTING_KEYS.get(key)
        if kind is None:
            err(f"unknown setting {key!r}; use {', '.join(_SETTING_KEYS)}", "simulation", key)
        elif kind is bool and not isinstance(value, bool):
            err(f"{key} must be true or false, not {value!r}", "simulation", key)
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            err(f"{key} must be an integer, not {value!r}", "simulation", key)
        elif kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
            err(f"{key} must be a number, not {value!r}", "simulation", key)
        else:
            setattr(setup, key, kind(value))
    if problems:
        raise DataFileError(problems, str(path))
    return setup
