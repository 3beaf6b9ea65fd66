"""Analytic Hierarchy Process: weights from pairwise comparisons, and their consistency.

Saaty's method: the weights are the principal eigenvector of the positive reciprocal
comparison matrix (found here by power iteration), λmax its eigenvalue,
CI = (λmax − n) / (n − 1) and CR = CI / RI(n) with Saaty's random index. Judgements
whose CR is 0.1 or more are too inconsistent to use. Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from services.chassis import hygiene

# Saaty's random consistency index by matrix size (Saaty 1980, The Analytic Hierarchy Process).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
MAX_SIZE = max(RANDOM_INDEX)
CONSISTENCY_LIMIT = 0.1
SCALE_MIN, SCALE_MAX = Fraction(1, 9), Fraction(9)
_LARGEST_INTEGER = 10**20  # far off the scale; larger ones are refused before any arithmetic
_RECIPROCAL_TOLERANCE = 0.01  # 0.333 is accepted as the reciprocal of 3


class InvalidMatrix(ValueError):
    """The input is not a positive reciprocal matrix on Saaty's 1/9..9 scale."""


@dataclass(frozen=True)
class AhpResult:
    """Derived weights (floats summing to 1), λmax, consistency index and ratio."""

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio < CONSISTENCY_LIMIT


def parse_judgement(value: object) -> Fraction:
    """A judgement given as a number (3, 0.2) or a fraction string ('1/3'); text is checked
    by shape and length before it is converted (`hygiene.bounded_fraction`)."""
    if isinstance(value, bool):
        raise InvalidMatrix(f"{value!r} is not a number")
    try:
        if isinstance(value, str):
            number = hygiene.bounded_fraction(value)
        elif isinstance(value, int):
            if abs(value) > _LARGEST_INTEGER:
                raise InvalidMatrix(f"{str(value)[:12]}… is not a number on Saaty's scale 1/9..9")
            number = Fraction(value)
        elif isinstance(value, Decimal):
            if hygiene.decimal_fault(value) is not None:
                raise InvalidMatrix(f"{value!r} is outside Saaty's scale 1/9..9")
            number = Fraction(value)
        elif isinstance(value, float):
            number = hygiene.bounded_fraction(repr(value))
        else:
            raise InvalidMatrix(f"{value!r} is not a number")
    except (ValueError, ZeroDivisionError):
        raise InvalidMatrix(f"{value!r} is not a number or a fraction like 1/3") from None
    return number


def check_matrix(rows: Sequence[Sequence[object]]) -> list[list[float]]:
    """Validate a pairwise comparison matrix and return it as floats."""
    size = len(rows)
    if size < 2 or size > MAX_SIZE:
        raise InvalidMatrix(f"the matrix must compare 2 to {MAX_SIZE} elements (got {size})")
    matrix: list[list[Fraction]] = []
    for i, row in enumerate(rows):
        if len(row) != size:
            raise InvalidMatrix(f"row {i + 1} has {len(row)} entries; the matrix must be {size}×{size}")
        matrix.append([parse_judgement(value) for value in row])
    for i in range(size):
        if matrix[i][i] != 1:
            raise InvalidMatrix(f"entry ({i + 1},{i + 1}) must be 1 (an element equals itself)")
        for j in range(size):
            value = matrix[i][j]
            if not SCALE_MIN * Fraction(99, 100) <= value <= SCALE_MAX:
                raise InvalidMatrix(
                    f"entry ({i + 1},{j + 1}) = {float(value):g} is outside Saaty's scale 1/9..9"
                )
            if abs(float(value * matrix[j][i]) - 1) > _RECIPROCAL_TOLERANCE:
                raise InvalidMatrix(
                    f"entries ({i + 1},{j + 1}) and ({j + 1},{i + 1}) are not "
                    "reciprocal (a_ji must be 1/a_ij)"
                )
    return [[float(value) for value in row] for row in matrix]


def derive(
    rows: Sequence[Sequence[object]], *, tolerance: float = 1e-12, max_iterations: int = 10_000
) -> AhpResult:
    """Principal eigenvector weights, λmax, CI and CR of a pairwise comparison matrix."""
    matrix = check_matrix(rows)
    size = len(matrix)
    weights = [1.0 / size] * size
    for _ in range(max_iterations):
        product = [sum(a * w for a, w in zip(row, weights, strict=True)) for row in matrix]
        total = sum(product)
        following = [value / total for value in product]
        converged = max(abs(a - b) for a, b in zip(following, weights, strict=True)) < tolerance
        weights = following
        if converged:
            break
    product = [sum(a * w for a, w in zip(row, weights, strict=True)) for row in matrix]
    lambda_max = sum(p / w for p, w in zip(product, weights, strict=True)) / size
    index = max(0.0, (lambda_max - size) / (size - 1))
    random_index = RANDOM_INDEX[size]
    ratio = index / random_index if random_index else 0.0
    return AhpResult(tuple(weights), lambda_max, index, ratio)


def to_basis_points(weights: Sequence[float], places: int = 4) -> list[Decimal]:
    """Round weights to `places` decimals so that they still sum to exactly 1.

    Largest remainder: floor every weight, then give the remaining units to the weights
    that lost the most in flooring (ties to the earlier element).
    """
    unit = 10**places
    scaled = [w * unit for w in weights]
    floors = [int(s) for s in scaled]
    remaining = unit - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:remaining]:
        floors[i] += 1
    return [Decimal(units).scaleb(-places) for units in floors]
