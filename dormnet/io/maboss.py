"""MaBoSS: a network (``.bnd``) and its simulation settings (``.cfg``), written and read.

MaBoSS (Stoll et al. 2012) simulates a Boolean network as a continuous-time Markov process.
Each node gets ``logic`` (its rule in ``!``/``&``/``|``) and the usual rates: it switches on at
rate ``$u_X`` while its logic is true and off at rate ``$d_X`` while it is false, so the
asynchronous dynamics of dormnet become the jump process of MaBoSS. The ``.cfg`` file sets every
rate to 1, every initial state to 0 or 1 with probability 1/2, and neutral run settings a user
will tune (``max_time``, ``sample_count``). Comments of the rules are written as ``//`` lines.

Reading is in :mod:`dormnet.io.maboss_reader` (re-exported here).

References
----------
Stoll G, Viara E, Barillot E, Calzone L. Continuous time Boolean modeling for biological
signaling: application of Gillespie algorithm. BMC Syst Biol 2012;6:116.
DOI:10.1186/1752-0509-6-116.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelError
from ..expr import format_expr
from ..network import BooleanNetwork
from ._atomic import atomic_open
from .maboss_reader import parse_maboss, read_maboss, read_maboss_cfg

__all__ = [
    "format_maboss",
    "maboss_paths",
    "parse_maboss",
    "read_maboss",
    "read_maboss_cfg",
    "write_maboss",
]

#: words MaBoSS's grammar reserves (compared case-insensitively)
_RESERVED = frozenset({"node", "and", "or", "not", "xor"})

_SETTINGS = """\
time_tick = 0.1;
max_time = 100;
sample_count = 10000;
discrete_time = 0;
use_physrandgen = 0;
seed_pseudorandom = 0;
display_traj = 0;
statdist_traj_count = 0;
statdist_cluster_threshold = 1;
thread_count = 1;
statdist_similarity_cache_max_size = 20000;
"""


def format_maboss(net: BooleanNetwork) -> tuple[str, str]:
    """The ``.bnd`` and ``.cfg`` texts of a network.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    tuple of (str, str)

    Raises
    ------
    ModelError
        If a node name is a MaBoSS keyword (``Node``).

    Examples
    --------
    >>> bnd, cfg = format_maboss(BooleanNetwork({"a": "a", "b": "a & !b"}))
    >>> print(bnd.split("\\n\\n")[2].strip())
    Node b {
      logic = (a & !b);
      rate_up = @logic ? $u_b : 0;
      rate_down = @logic ? 0 : $d_b;
    }
    >>> cfg.splitlines()[:3]
    ['$u_a = 1;', '$d_a = 1;', '$u_b = 1;']
    """
    bad = [n for n in net.nodes if n.lower() in _RESERVED]
    if bad:
        raise ModelError(
            f"node {bad[0]!r} cannot be written to MaBoSS, which reserves the word; rename it",
            net.source,
        )
    blocks = [f"// Boolean network exported by dormnet from {net.source}: {len(net)} nodes"]
    for n in net.nodes:
        rule = net.rule(n)
        lines = [f"  // {c}".rstrip() for c in rule.comments]
        lines += [
            f"  logic = ({format_expr(rule.expr)});",
            f"  rate_up = @logic ? $u_{n} : 0;",
            f"  rate_down = @logic ? 0 : $d_{n};",
        ]
        blocks.append(f"Node {n} {{\n" + "\n".join(lines) + "\n}")
    bnd = "\n\n".join(blocks) + "\n"
    cfg = [f"$u_{n} = 1;\n$d_{n} = 1;" for n in net.nodes]
    # the distribution form needs the brackets: MaBoSS rejects "X.istate = 0.5 [0], 0.5 [1];"
    cfg += [f"[{n}].istate = 0.5 [0], 0.5 [1];" for n in net.nodes]
    return bnd, "\n".join(cfg) + "\n" + _SETTINGS


def maboss_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The ``.bnd`` and ``.cfg`` paths for an output path: ``model.bnd`` -> ``model.cfg``.

    Parameters
    ----------
    path : path

    Returns
    -------
    tuple of (Path, Path)

    Examples
    --------
    >>> [p.name for p in maboss_paths("out/model")]
    ['model.bnd', 'model.cfg']
    """
    p = Path(path)
    if p.suffix.lower() == ".cfg":
        raise ModelError(f"{p}: give the .bnd path; the .cfg file is written beside it")
    bnd = p if p.suffix.lower() == ".bnd" else p.with_name(p.name + ".bnd")
    return bnd, bnd.with_suffix(".cfg")


def write_maboss(net: BooleanNetwork, path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``model.bnd`` and ``model.cfg`` beside it; both or neither are replaced.

    Parameters
    ----------
    net : BooleanNetwork
    path : path
        The ``.bnd`` file (the suffix is added if missing).

    Returns
    -------
    (Path, Path)
        The two files written.
    """
    bnd_path, cfg_path = maboss_paths(path)
    bnd, cfg = format_maboss(net)
    # both temporary files are complete before either replaces its target
    with atomic_open(bnd_path) as fb, atomic_open(cfg_path) as fc:
        fb.write(bnd)
        fc.write(cfg)
    return bnd_path, cfg_path
