"""RoutingTableManager: the RTMv2 API, composed of one class per function group of Microsoft's reference.

Where to find what (the groups of "Routing Table Manager Version 2 Functions",
https://learn.microsoft.com/windows/win32/rras/routing-table-manager-version-2-functions):

============================================  ======================  ===========================================
group                                         module                  class
============================================  ======================  ===========================================
Registration                                  ``_registration``       :class:`~._registration.Registration`
Opaque pointers (and destination locks)       ``_opaque``             :class:`~._opaque.OpaquePointers`
Export methods                                ``_methods``            :class:`~._methods.ExportMethods`
Handle to information structure               ``_info``               :class:`~._info.HandleInformation`
Route insertion and deletion                  ``_routes``             :class:`~._routes.RouteUpdates`
Routing table queries                         ``_queries``            :class:`~._queries.TableQueries`
Next-hop insertion and deletion               ``_nexthops``           :class:`~._nexthops.NextHops`
Routing table enumeration                     ``_enum``               :class:`~._enum.Enumerations`
Change notification                           ``_notify``             :class:`~._notify.ChangeNotification`
Route lists                                   ``_lists``              :class:`~._lists.RouteLists`
Handle management                             ``_handles``            :class:`~._handles.HandleManagement`
============================================  ======================  ===========================================

Each group is a mixin over the same core, the way fakeredis composes its command-group mixins into one client:
the groups share one state and one lock, and a call enters through one boundary. Mixins rather than components
the facade delegates to, because the groups are faces of one table, not separate objects: a route insertion
records a change for the change-notification group and touches the next hops, the enumerations and the route
lists, all under the same lock, and a delegating facade would only add a call per API call. Below the groups:
``_boundary`` (the call boundary: validation helpers, lock, due timers, errors to statuses, callbacks),
``_mutation`` (the shared mutation core and the deadlines), ``_refs`` (shared state, reference accounting,
information structures); below those the table (``_table``), the timers (``_timers``), the leak report
(``_leaks``) and the core objects (``_objects``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._clock import Clock
from ._config import RtmConfig
from ._enum import Enumerations
from ._handles import HandleManagement
from ._info import HandleInformation
from ._lists import RouteLists
from ._methods import ExportMethods
from ._nexthops import NextHops
from ._notify import ChangeNotification
from ._opaque import OpaquePointers
from ._queries import TableQueries
from ._registration import Registration
from ._routes import RouteUpdates


class RoutingTableManager(
    Registration,
    OpaquePointers,
    ExportMethods,
    HandleInformation,
    RouteUpdates,
    TableQueries,
    NextHops,
    Enumerations,
    ChangeNotification,
    RouteLists,
    HandleManagement,
):
    """One router's RTM: every RTM instance and address family, with RTMv2 behaviour.

    ``clock`` defaults to the system clock (a timer thread then ages routes while nobody calls; stop it with
    :meth:`close`); tests and replays pass a :class:`~v2model.ManualClock`. ``config`` sets the registration
    profile and the model's options (:class:`~v2model.RtmConfig`); ``table_configs`` overrides it for given
    ``(RtmInstanceId, AddressFamily)`` tables, as Windows' per-instance registry settings do. ``delivery`` says
    where callbacks run (M-DELIVERY): ``"threads"`` on a delivery thread per receiving entity, never under an RTM
    lock; ``"inline"`` on the calling thread when the outermost call ends; ``"auto"`` (the default) is
    ``"threads"`` on a real-time clock and ``"inline"`` on a :class:`~v2model.ManualClock`.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        config: RtmConfig | None = None,
        *,
        table_configs: Mapping[tuple[int, int], RtmConfig] | None = None,
        delivery: str = "auto",
    ) -> None:
        super().__init__(clock, config, table_configs=table_configs, delivery=delivery)
