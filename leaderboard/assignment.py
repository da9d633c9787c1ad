"""Optimal one-to-one pairing of two lists, for matching predictions to gold records.

A greedy pass (take the best pair, repeat) can strand a prediction whose only
partner was taken by one that had another choice; the Hungarian algorithm
does not. It runs on exact integers, so weights can encode priorities
lexicographically without float rounding.
"""

from __future__ import annotations

__all__ = ["maximum_weight_matching"]


def maximum_weight_matching(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Rows paired with columns so that the sum of weights is largest; weight 0 means no edge.

    The Hungarian algorithm on exact integers; ties go to the lowest indices.

    >>> maximum_weight_matching([[5, 4], [3, 0]])   # greedy would take (0, 0) and leave row 1 alone
    [(0, 1), (1, 0)]
    >>> maximum_weight_matching([[0, 0], [0, 7], [0, 9]])
    [(2, 1)]
    """
    if not weights or not weights[0]:
        return []
    transposed = len(weights) > len(weights[0])
    cost = [list(column) for column in zip(*weights)] if transposed else weights
    rows, columns = len(cost), len(cost[0])
    infinity = float("inf")
    u, v = [0] * (rows + 1), [0] * (columns + 1)
    owner, way = [0] * (columns + 1), [0] * (columns + 1)
    for row in range(1, rows + 1):
        owner[0], current = row, 0
        slack, used = [infinity] * (columns + 1), [False] * (columns + 1)
        while owner[current]:
            used[current], here, delta, nearest = True, owner[current], infinity, 0
            for column in range(1, columns + 1):
                if not used[column]:
                    reduced = -cost[here - 1][column - 1] - u[here] - v[column]
                    if reduced < slack[column]:
                        slack[column], way[column] = reduced, current
                    if slack[column] < delta:
                        delta, nearest = slack[column], column
            for column in range(columns + 1):
                if used[column]:
                    u[owner[column]] += delta  # type: ignore[assignment]
                    v[column] -= delta  # type: ignore[assignment]
                else:
                    slack[column] -= delta
            current = nearest
        while current:
            previous = way[current]
            owner[current], current = owner[previous], previous
    pairs = [(owner[column] - 1, column - 1) for column in range(1, columns + 1) if owner[column]]
    pairs = [(column, row) for row, column in pairs] if transposed else pairs
    return sorted((row, column) for row, column in pairs if weights[row][column] > 0)
