"""填报单位: the unit a paper is filed for, from the scope of who files it. A township's staff file for the township
(青石镇), the county's staff and leaders for the county (平武县); a village cadre for their villages under the township (青石镇桃源村); a grid worker or a household head for
their grids (青石镇桃源村第一网格)."""

from __future__ import annotations

from core.scoping import ScopeKind, scope_of


def reporting_unit(user) -> str:
    from .models import County, Grid, Township, Village

    scope = scope_of(user)
    if scope.kind == ScopeKind.TOWNSHIPS:  # county staff and leaders file for their county
        return County.objects.filter(pk=scope.county_id).values_list("name", flat=True).first() or ""
    township = Township.objects.filter(pk=scope.township_id or user.township_id).values_list("name", flat=True).first()
    township = township or ""
    if scope.kind == ScopeKind.VILLAGES:
        names = Village.objects.filter(pk__in=scope.village_ids).order_by("name").values_list("name", flat=True)
        return township + "、".join(names)
    if scope.kind in (ScopeKind.GRIDS, ScopeKind.HOUSEHOLDS):
        grids = Grid.objects.filter(pk__in=scope.grid_ids).order_by("village__name", "name").values_list(
            "village__name", "name")
        return township + "、".join(f"{village}{grid}" for village, grid in grids)
    return township
