"""A compact directed travel-time graph in CSR form.

Edge weights are whole **milliseconds** of driving time (at least 1 ms). Integer weights
make "exact" well defined: scipy, the contraction hierarchy and networkx sum the same
integers, so their shortest-path lengths are identical, not merely close. A millisecond
is far below the error of any speed model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import connected_components

from crisis_dispatch.routing.errors import GraphFormatError


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """Nodes (OSM ids and coordinates) and CSR-ordered edges with integer ms weights."""

    osmids: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    tail: NDArray[np.int32]
    head: NDArray[np.int32]
    weight_ms: NDArray[np.int64]
    name: str = ""

    @property
    def node_count(self) -> int:
        return int(self.osmids.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self.tail.shape[0])

    @cached_property
    def forward(self) -> sp.csr_matrix:
        """Adjacency matrix, ``forward[u, v]`` = ms from u to v."""
        n = self.node_count
        return sp.csr_matrix((self.weight_ms.astype(np.float64), (self.tail, self.head)), shape=(n, n))

    @cached_property
    def reverse(self) -> sp.csr_matrix:
        """Transposed adjacency in CSR: one search from a node gives times *to* it from all nodes."""
        return self.forward.transpose().tocsr()

    def to_networkx(self) -> nx.DiGraph[int]:
        """The same graph as a networkx ``DiGraph`` with weight attribute ``ms`` (for checks)."""
        g: nx.DiGraph[int] = nx.DiGraph()
        g.add_nodes_from(range(self.node_count))
        g.add_weighted_edges_from(zip(self.tail.tolist(), self.head.tolist(), self.weight_ms.tolist(), strict=True), weight="ms")
        return g


def seconds_to_ms(seconds: ArrayLike) -> NDArray[np.int64]:
    """Round travel seconds to whole milliseconds, never below 1 ms (zero-length edges)."""
    return np.maximum(np.rint(np.asarray(seconds, dtype=np.float64) * 1000.0), 1).astype(np.int64)


def build_road_graph(
    osmids: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    tail: ArrayLike,
    head: ArrayLike,
    seconds: ArrayLike,
    *,
    name: str = "",
) -> RoadGraph:
    """Build a :class:`RoadGraph` from node arrays and edges given as node *indices*.

    Self-loops are dropped, parallel edges keep the fastest, and only the largest strongly
    connected component is kept (so every kept node can reach every other).
    """
    osmids_a = np.asarray(osmids, dtype=np.int64)
    lat_a, lon_a = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    tail_a, head_a = np.asarray(tail, dtype=np.int64), np.asarray(head, dtype=np.int64)
    ms = seconds_to_ms(seconds)
    n = osmids_a.shape[0]
    keep = tail_a != head_a
    tail_a, head_a, ms = tail_a[keep], head_a[keep], ms[keep]
    if tail_a.size == 0:
        raise GraphFormatError(f"network {name or '(unnamed)'} has no drivable edges")
    # Sort by (tail, head, ms); the first of each (tail, head) run is the fastest parallel edge.
    order = np.lexsort((ms, head_a, tail_a))
    tail_a, head_a, ms = tail_a[order], head_a[order], ms[order]
    first = np.ones(tail_a.size, dtype=bool)
    first[1:] = (tail_a[1:] != tail_a[:-1]) | (head_a[1:] != head_a[:-1])
    tail_a, head_a, ms = tail_a[first], head_a[first], ms[first]

    adjacency = sp.csr_matrix((np.ones(tail_a.size), (tail_a, head_a)), shape=(n, n))
    _, labels = connected_components(adjacency, directed=True, connection="strong")
    largest = np.bincount(labels).argmax()
    kept_nodes = labels == largest
    new_index = np.full(n, -1, dtype=np.int64)
    new_index[kept_nodes] = np.arange(int(kept_nodes.sum()))
    kept_edges = kept_nodes[tail_a] & kept_nodes[head_a]
    return RoadGraph(
        osmids=osmids_a[kept_nodes],
        lat=lat_a[kept_nodes],
        lon=lon_a[kept_nodes],
        tail=new_index[tail_a[kept_edges]].astype(np.int32),
        head=new_index[head_a[kept_edges]].astype(np.int32),
        weight_ms=ms[kept_edges],
        name=name,
    )
