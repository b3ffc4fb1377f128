"""Who may see the sensitive parts of the registry. Seeing rows is scoping; these are finer permissions.

Permissions are ordinary Django permissions, so an administrator may also grant one to a single user. The roles
below hold them by default (RolePermissionBackend):

- reveal a full ID number or phone (every reveal logged): the township staff and supervisors, and the cadres
  who answer for villages (包村干部, 村干部), who must call residents and check 低保 and 防返贫 files. Grid
  workers and household heads see masked values only: they are many, and they know their neighbours anyway.
- see focus-person tags (五类人员): the same roles. A household head is a neighbour among neighbours; a label such as
  “受过党纪法规处理的” shown to them would harm the resident and buys the work nothing.
- read the reveal log: township staff (the 综治中心 keeps the ledger of who looked).
"""

from __future__ import annotations

from governance.models import User

R = User.Role

REVEAL = "households.reveal_sensitive"
FOCUS = "households.view_focus_tags"
REVEAL_LOG = "households.view_reveallog"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    R.COUNTY_LEADER: frozenset({REVEAL, FOCUS}),
    R.COUNTY_STAFF: frozenset({REVEAL, FOCUS}),
    R.TOWNSHIP_STAFF: frozenset({REVEAL, FOCUS, REVEAL_LOG}),
    R.SUPERVISOR: frozenset({REVEAL, FOCUS}),
    R.TOWNSHIP_CADRE: frozenset({REVEAL, FOCUS}),
    R.VILLAGE_CADRE: frozenset({REVEAL, FOCUS}),
}

#: Edit households and residents, link them to household heads.
REGISTRY_EDITORS = (R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE, R.GRID_WORKER)
#: Import rosters (the township's 综治中心).
IMPORTERS = (R.TOWNSHIP_STAFF,)
#: Comment on a visit (点评).
COMMENTERS = (R.COUNTY_LEADER, R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE)


class RolePermissionBackend:
    """Grants ROLE_PERMISSIONS by the user's role; authenticates nobody and loads no user.

    It stands before ModelBackend (settings): ``has_perm`` stops at the first backend that grants, so a role's
    permission costs no query, where ModelBackend reads the user's and groups' permissions (two queries a page).
    Without ``get_user`` (unlike BaseBackend) Django never takes it for the backend a session was logged in with.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(ROLE_PERMISSIONS.get(user_obj.role, ()))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj=obj)

    def has_module_perms(self, user_obj, app_label):
        return any(perm.partition(".")[0] == app_label for perm in self.get_all_permissions(user_obj))


def may_reveal(user) -> bool:
    return user.has_perm(REVEAL)


def sees_focus_tags(user) -> bool:
    return user.has_perm(FOCUS)


def visible_tags(user, queryset=None):
    """The tags a user may see and set: focus-person tags only with the permission."""
    from .models import Tag

    queryset = Tag.objects.all() if queryset is None else queryset
    return queryset if sees_focus_tags(user) else queryset.exclude(category=Tag.Category.FOCUS)


def visible_tag_list(user) -> list:
    """``visible_tags(user)`` read once per user object (a request's user is one object): a household list shows them
    in its filter and on its rows."""
    found = getattr(user, "_lht_visible_tags", None)
    if found is None:
        found = list(visible_tags(user))
        if getattr(user, "pk", None):
            user._lht_visible_tags = found
    return found


#: Export a roster with full ID numbers for the county's records (logged in the reveal log with the reason given):
#: the township's own staff, who keep the 综治中心's files. Everyone else exports masked values.
FULL_EXPORTERS = (R.TOWNSHIP_STAFF,)


def may_export_full(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in FULL_EXPORTERS and user.township_id)
