"""Symbolic and bitset verdicts of phenotype control: whether every attractor of a network
clamped to a percolated subspace satisfies a target, without listing the attractors.

Asynchronous attractors (:meth:`SymbolicVerdicts.asynchronous`), exactly, without listing them.

Inside the percolated subspace P of a clamp set, the clamped nodes and the nodes percolation
fixed never change, and every free node follows its own (unclamped) function: the dynamics of
the clamped network on P are the network's dynamics with only P's free nodes updated. With T
the target's states in P and Q the states of T from which no path leaves T (the largest trap
set inside T), every attractor lies in T exactly when every state of P can reach Q:

- if it does, each attractor (closed, strongly connected) meets Q, which no path leaves, so it
  lies in Q, hence in T;
- if every attractor lies in T, each is a trap set inside T, so inside Q, and every state
  reaches an attractor.

So the verdict is two backward fixpoints: Q = P minus the states that can reach P \\ T, then
"P minus the states that can reach Q is empty". This is biodivine-aeon's permanent phenotype
control with oscillation forbidden (Beneš et al. 2023), for one intervention at a time. With at
most :data:`EXPLICIT_FREE_NODES` free nodes a set of states of P is one Python integer (bit s
for state s, so 2^k bits: :mod:`.bitsets`) and a fixpoint step is a few integer operations per
node; beyond that,
AEON computes them on BDDs, on the network's asynchronous graph with only P's free nodes active.

References
----------
Beneš N, Brim L, Pastva S, Šafránek D, Šmijáková E. Phenotype control of partially specified
Boolean networks. CMSB 2023. DOI:10.1007/978-3-031-42697-1_2.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from .bitsets import StateGraph
from .percolation import BitSpace, percolator, set_bits

__all__ = ["EXPLICIT_FREE_NODES", "MAX_SYMBOLIC_SIZE", "SymbolicVerdicts"]

#: subspaces with at most this many free nodes are decided on their explicit state graph
#: (:mod:`.bitsets`)
EXPLICIT_FREE_NODES = 12
#: largest BDD (nodes) AEON may build in one reachability before the verdict gives up
MAX_SYMBOLIC_SIZE = 10_000_000


class SymbolicVerdicts:
    """Verdicts for one network and target that do not list attractors.

    Parameters
    ----------
    net : BooleanNetwork
    yes : sequence of BitSpace
        The prime implicants of the target, as bitmask cubes over the network's nodes.
    """

    def __init__(self, net: BooleanNetwork, yes: Sequence[BitSpace]) -> None:
        self.net = net
        self.perc = percolator(net)
        self.yes = list(yes)
        self._graph: Any = None

    def asynchronous(self, space: BitSpace) -> bool:
        """True if every asynchronous attractor of the network clamped to the percolated
        subspace ``space`` satisfies the target."""
        free = self.perc.full & ~space[0]
        if free.bit_count() <= EXPLICIT_FREE_NODES:
            return self._explicit(space)
        return self._symbolic(space)

    # -- explicit ------------------------------------------------------------------------------

    def _explicit(self, space: BitSpace) -> bool:
        graph = StateGraph(self.perc.on, space, len(self.perc.nodes))
        target = graph.holds(self.yes)
        # Q: the states of T from which no path leaves T
        trap = target & ~graph.backward(graph.full & ~target)
        return bool(trap) and graph.backward(trap) == graph.full

    # -- symbolic ------------------------------------------------------------------------------

    def _symbolic(self, space: BitSpace) -> bool:
        import biodivine_aeon as ba

        from .aeon import aeon_network

        if self._graph is None:
            self._graph = ba.AsynchronousGraph(aeon_network(self.net))
        g = self._graph
        nodes = self.perc.nodes
        mask, vals = space
        sub = g.mk_subspace({nodes[i]: bool((vals >> i) & 1) for i in set_bits(mask)})
        target = g.mk_empty_colored_vertices()
        for pm, pv in self.yes:
            if (pv ^ vals) & pm & mask:
                continue
            cube = {nodes[i]: bool((pv >> i) & 1) for i in set_bits(pm)}
            target = target.union(g.mk_subspace(cube).intersect(sub))
        config: ba.ReachabilityConfig = {
            "graph": g,
            "active_variables": [nodes[i] for i in set_bits(self.perc.full & ~mask)],
            "max_symbolic_size": MAX_SYMBOLIC_SIZE,
        }
        try:
            escape = ba.Reachability.backward_superset(config, sub.minus(target))
            trap = sub.minus(escape)
            if trap.is_empty():
                return False
            reach = ba.Reachability.backward_superset(config, trap)
        except RuntimeError as e:  # AEON's size limit
            raise BudgetExceeded(
                f"asynchronous verdict: a reachable set grew past {MAX_SYMBOLIC_SIZE:,} BDD "
                f"nodes ({e})",
                "use --update mp, or narrow the question (contexts, nodes)",
            ) from None
        return sub.minus(reach).is_empty()

    # -- most permissive and fixed points, where there are too many to list ----------------------

    def _clamped(self, space: BitSpace):
        """AEON's network, symbolic space context and graph of the network with every node
        fixed in ``space`` clamped (the same attractors: they lie in the subspace)."""
        import biodivine_aeon as ba

        from ..perturb import clamp
        from .aeon import aeon_network

        bn = aeon_network(clamp(self.net, self.perc.to_dict(space)))
        ctx = ba.SymbolicSpaceContext(bn)
        return ba, ctx, ba.AsynchronousGraph(bn, ctx)

    def most_permissive(self, space: BitSpace) -> bool:
        """True if every minimal trap space of the clamped network lies in the target: the
        minimal trap spaces symbolically (AEON), minus every subspace of a prime implicant of
        the target (a subspace lies in the target exactly when a prime covers it)."""
        ba, ctx, g = self._clamped(space)
        minimal = ba.TrapSpaces.minimal_symbolic(ctx, g).spaces()
        nodes = self.perc.nodes
        for pm, pv in self.yes:
            cube = {nodes[i]: bool((pv >> i) & 1) for i in set_bits(pm)}
            minimal = minimal.minus(ctx.mk_sub_spaces(ctx.mk_singleton(cube)))
            if minimal.is_empty():
                return True
        return minimal.is_empty()

    def fixed_points(self, space: BitSpace) -> bool:
        """True if the clamped network has a fixed point and every one lies in the target
        (fixed points symbolically, AEON)."""
        ba, _ctx, g = self._clamped(space)
        fixed = ba.FixedPoints.symbolic(g)
        if fixed.is_empty():
            return False
        nodes = self.perc.nodes
        for pm, pv in self.yes:
            fixed = fixed.minus(
                g.mk_subspace({nodes[i]: bool((pv >> i) & 1) for i in set_bits(pm)})
            )
        return fixed.is_empty()
