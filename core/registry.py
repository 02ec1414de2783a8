"""Extension points filled by the apps at start-up, so that the shell (home page,
navigation, demo data) knows nothing of the domain apps.

* ``nav_item``: an entry of the top navigation, shown when the user holds ``perm``;
* ``public_link``: a service for the public (no account), offered on the sign-in page;
* ``home_panel``: a block of a role's home page — a callable ``(request) -> dict | None``
  rendered with its template (None hides it);
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise


@dataclass(frozen=True)
class NavItem:
    label: Label
    url_name: str
    perm: str
    order: int = 100
    group: Label = ""  # items of one group show as one drop-down menu


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    perm: str
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 100


# the group of administrative pages (accounts, policies, calendar, audit)
SYSTEM = _("系统管理")


@dataclass(frozen=True)
class PublicLink:
    label: Label
    url_name: str
    description: Label = ""


_public: list[PublicLink] = []
_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def nav_item(label: Label, url_name: str, perm: str, order: int = 100, group: Label = "") -> None:
    _nav.append(NavItem(label, url_name, perm, order, group))
    _nav.sort(key=lambda item: item.order)


def home_panel(key: str, template: str, perm: str, build: Callable[[Any], dict[str, Any] | None], order: int = 100) -> None:
    _panels.append(HomePanel(key, template, perm, build, order))
    _panels.sort(key=lambda panel: panel.order)


def public_link(label: Label, url_name: str, description: Label = "") -> None:
    """A service for the public (no account), offered on the sign-in page."""
    _public.append(PublicLink(label, url_name, description))


def public_links() -> list[PublicLink]:
    return list(_public)


def nav_items() -> list[NavItem]:
    return list(_nav)


def home_panels() -> list[HomePanel]:
    return list(_panels)
