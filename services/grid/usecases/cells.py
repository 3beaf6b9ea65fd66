"""Use cases of grid cells: create, redraw, assign workers, locate a point.

Every process keeps an STRtree of all cells in memory. A cell change bumps the
`cells_version` row in the same transaction; a lookup reads that one row (a primary
key read) and rebuilds its tree when another replica changed the cells.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Iterable
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Select, delete, select, update

from services.chassis import clock, scoping
from services.chassis.auth import Principal
from services.chassis.conditional import require_match, version_tag
from services.chassis.db import Database
from services.chassis.errors import Conflict, NotFound
from services.chassis.unit_of_work import UnitOfWork

from ..models import Cell, CellsVersion, CellWorker
from . import geometry, policy


class CellDirectory:
    """This process's point-to-cell index, rebuilt when the cells version moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._index = geometry.CellIndex([])
        self.rebuilds = 0

    def index(self, session: Any) -> geometry.CellIndex:
        version = current_version(session)
        if version != self._version:
            with self._lock:
                if version != self._version:
                    rows = session.execute(select(Cell.id, Cell.code, Cell.community, Cell.boundary)).all()
                    self._index = geometry.CellIndex(
                        [(geometry.CellRef(r.id, r.code, r.community), shape(r.boundary)) for r in rows]
                    )
                    self._version = version
                    self.rebuilds += 1
        return self._index


_directories: weakref.WeakKeyDictionary[Database, CellDirectory] = weakref.WeakKeyDictionary()
_directories_lock = threading.Lock()


def directory(database: Database) -> CellDirectory:
    """The cell directory of this process for `database`."""
    with _directories_lock:
        found = _directories.get(database)
        if found is None:
            found = _directories[database] = CellDirectory()
        return found


def current_version(session: Any) -> int:
    return int(session.scalar(select(CellsVersion.version).where(CellsVersion.id == 1)) or 0)


def _bump_version(uow: UnitOfWork) -> None:
    uow.session.execute(
        update(CellsVersion).where(CellsVersion.id == 1).values(version=CellsVersion.version + 1)
    )


def locate(uow: UnitOfWork, lon: float, lat: float, community: str | None = None) -> geometry.CellRef | None:
    """The cell holding (lon, lat), optionally only among `community`'s cells."""
    return directory(uow.database).index(uow.session).locate(lon, lat, community)


def get_cell(uow: UnitOfWork, code: str, *, lock: bool = False) -> Cell:
    statement = select(Cell).where(Cell.code == code)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    cell = uow.session.scalar(statement)
    if cell is None:
        raise NotFound(f"No grid cell {code!r}.")
    return cell


def workers_of(uow: UnitOfWork, cell_id: str) -> list[str]:
    return list(
        uow.session.scalars(
            select(CellWorker.worker_sub).where(CellWorker.cell_id == cell_id).order_by(CellWorker.worker_sub)
        )
    )


def workers_by_cell(uow: UnitOfWork, cell_ids: list[str]) -> dict[str, list[str]]:
    """Assigned workers of several cells in one query."""
    found: dict[str, list[str]] = {}
    rows = uow.session.execute(
        select(CellWorker.cell_id, CellWorker.worker_sub)
        .where(CellWorker.cell_id.in_(cell_ids))
        .order_by(CellWorker.worker_sub)
    )
    for cell_id, sub in rows:
        found.setdefault(cell_id, []).append(sub)
    return found


def assigned_cells(uow: UnitOfWork, principal: Principal | None) -> frozenset[str]:
    """Ids of the cells a grid worker is assigned to (empty for other callers)."""
    if not policy.walks_cells(principal):
        return frozenset()
    # the token's communities bound the assignment too: a `sub` alone proves nothing
    query = (
        select(CellWorker.cell_id)
        .join(Cell, Cell.id == CellWorker.cell_id)
        .where(CellWorker.worker_sub == principal.sub)
    )
    return frozenset(uow.session.scalars(scoping.scoped(query, principal, Cell.community)))


def _check_overlaps(uow: UnitOfWork, community: str, polygon: Any, exclude: str | None) -> None:
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    query = select(Cell.code, Cell.boundary).where(
        Cell.community == community,
        Cell.min_lon <= max_lon,
        Cell.max_lon >= min_lon,
        Cell.min_lat <= max_lat,
        Cell.max_lat >= min_lat,
    )
    if exclude is not None:
        query = query.where(Cell.id != exclude)
    others = [(code, shape(boundary)) for code, boundary in uow.session.execute(query)]
    found = geometry.overlaps(polygon, others)
    if found:
        raise geometry.OverlappingCells(found)


def _apply_boundary(cell: Cell, polygon: Any) -> None:
    cell.boundary = geometry.to_geojson(polygon)
    cell.min_lon, cell.min_lat, cell.max_lon, cell.max_lat = polygon.bounds
    cell.area_m2 = round(geometry.area_m2(polygon), 1)


def _set_workers(uow: UnitOfWork, cell_id: str, workers: Iterable[str]) -> None:
    uow.session.execute(delete(CellWorker).where(CellWorker.cell_id == cell_id))
    for sub in sorted(set(workers)):
        uow.session.add(CellWorker(cell_id=cell_id, worker_sub=sub))


def create_cell(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Cell:
    """Draw a new cell of a community (its center staff, committee or subdistrict officers)."""
    policy.require_cell_editor(principal, data["community"])
    polygon = geometry.parse_boundary(data["boundary"])
    if uow.session.scalar(select(Cell.id).where(Cell.code == data["code"])) is not None:
        raise Conflict(f"A cell with code {data['code']!r} already exists.", type="duplicate-code")
    _check_overlaps(uow, data["community"], polygon, exclude=None)
    now = clock.now()
    cell = Cell(
        id=str(uuid.uuid4()),
        code=data["code"],
        community=data["community"],
        name=data["name"],
        version=1,
        created_at=now,
        updated_at=now,
    )
    _apply_boundary(cell, polygon)
    uow.session.add(cell)
    uow.flush()
    _set_workers(uow, cell.id, data.get("workers", ()))
    _bump_version(uow)
    return cell


def update_cell(
    uow: UnitOfWork, principal: Principal, code: str, data: dict[str, Any], if_match: str | None
) -> Cell:
    """Rename, redraw or reassign a cell; `If-Match` must carry its current ETag."""
    cell = get_cell(uow, code, lock=True)  # If-Match, then write: no lost update
    policy.require_cell_editor(principal, cell.community)
    require_match(if_match, etag(cell), what="cell")
    if "boundary" in data:
        polygon = geometry.parse_boundary(data["boundary"])
        _check_overlaps(uow, cell.community, polygon, exclude=cell.id)
        _apply_boundary(cell, polygon)
    if "name" in data:
        cell.name = data["name"]
    if "workers" in data:
        _set_workers(uow, cell.id, data["workers"])
    cell.version += 1
    cell.updated_at = clock.now()
    _bump_version(uow)
    return cell


def etag(cell: Cell) -> str:
    """The cell's ETag (a redraw names it in If-Match)."""
    return version_tag("cell", cell.id, cell.version)


def list_cells(community: str | None) -> Select[Any]:
    query = select(Cell).order_by(Cell.community, Cell.code)
    return query.where(Cell.community == community) if community else query
