"""The stress test's replay check (``Ledger``): it accepts exactly the histories v1 allows a client to have heard
(V1-4.3 to V1-4.5, V1-5.3) and rejects a lost, duplicated, reordered or invented change."""

from __future__ import annotations

from typing import Any

from rtmcompat import (
    RTM_NO_CHANGE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)

from .ledger import Ledger, network_of, significant
from .v1actors import make_route

IP = RTM_PROTOCOL_FAMILY_IP


def route(metric: int, protocol: int = 1, net: int = 0) -> Any:
    """A route of network ``net`` with a given metric and protocol, as RTM returns it."""
    out = make_route(IP, net, 1, 0, metric, 0, 0)
    out.RR_RoutingProtocol = protocol
    return out


A, B, C = route(1, 1), route(2, 2), route(3, 3)
NET = network_of(A)


def table(*routes: Any) -> dict[Any, Any]:
    """Best routes by network."""
    return {network_of(r): significant(r) for r in routes}


def listener(*messages: tuple[int, Any, Any], base: dict[Any, Any] | None = None) -> Ledger:
    """A ledger that heard ``messages`` (flags, cur, prev) from ``base`` (an empty table by default)."""
    ledger = Ledger("listener", {} if base is None else base)
    for flags, cur, prev in messages:
        ledger.heard(flags, cur, prev)
    return ledger


class TestListener:
    """A client that never adds or deletes hears every change, in order (V1-5.3)."""

    def test_a_complete_history_replays(self) -> None:
        """ADDED A, CHANGED A->B, CHANGED B->C replays from an empty table to C."""
        ledger = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_CHANGED, B, A), (RTM_ROUTE_CHANGED, C, B))
        assert [] == ledger.check(table(C))
        assert 1 == ledger.networks_checked

    def test_a_lost_message_is_found(self) -> None:
        """Without CHANGED A->B, CHANGED B->C does not follow from A."""
        ledger = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_CHANGED, C, B))
        assert 1 == len(ledger.check(table(C)))

    def test_a_lost_last_message_is_found(self) -> None:
        """A history that is consistent but stops short of the table fails."""
        ledger = listener((RTM_ROUTE_ADDED, A, None))
        assert 1 == len(ledger.check(table(B)))

    def test_a_duplicated_message_is_found(self) -> None:
        """ADDED A twice cannot happen: the second starts from a table that has A."""
        ledger = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_ADDED, A, None))
        assert 1 == len(ledger.check(table(A)))

    def test_reordered_messages_are_found(self) -> None:
        """CHANGED B->C before CHANGED A->B does not replay."""
        ledger = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_CHANGED, C, B), (RTM_ROUTE_CHANGED, B, A))
        assert 1 == len(ledger.check(table(C)))

    def test_a_change_heard_of_nothing_is_found(self) -> None:
        """The table changed and nothing was heard: the network is checked and fails."""
        assert 1 == len(listener().check(table(A)))

    def test_deleted_ends_at_no_route(self) -> None:
        """ADDED then DELETED ends with the network gone."""
        assert [] == listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_DELETED, None, A)).check({})

    def test_a_malformed_message_is_a_failure(self) -> None:
        """RTM_ROUTE_CHANGED without its previous route is recorded as malformed (V1-A19)."""
        assert 1 == len(listener((RTM_ROUTE_CHANGED, A, None)).check({}))

    def test_rebase_starts_again(self) -> None:
        """After a check the ledger starts from the table it was checked against."""
        ledger = listener((RTM_ROUTE_ADDED, A, None))
        assert [] == ledger.check(table(A))
        ledger.rebase(table(A))
        ledger.heard(RTM_ROUTE_CHANGED, B, A)
        assert [] == ledger.check(table(B))


class TestOwnCalls:
    """A client's own adds and deletes reach it as outputs, not messages, in an order it cannot see exactly."""

    def test_own_outputs_complete_the_history(self) -> None:
        """Its add (ADDED A) and a message CHANGED A->B replay to B."""
        ledger = Ledger("client", {})
        ledger.added(NET, ledger.mark(NET), RTM_ROUTE_ADDED, A, None)
        ledger.heard(RTM_ROUTE_CHANGED, B, A)
        assert [] == ledger.check(table(B))

    def test_a_message_queued_before_the_call_may_be_dequeued_after_it(self) -> None:
        """ADDED A was queued before the client's add changed A to B, but dequeued after it: accepted."""
        ledger = Ledger("client", {})
        ledger.added(NET, ledger.mark(NET), RTM_ROUTE_CHANGED, B, A)
        ledger.heard(RTM_ROUTE_ADDED, A, None)
        assert [] == ledger.check(table(B))

    def test_a_message_dequeued_before_the_call_came_before_it(self) -> None:
        """CHANGED B->C was dequeued before the client's own add changed A to B: no order replays."""
        ledger = Ledger("client", {})
        ledger.heard(RTM_ROUTE_ADDED, A, None)
        ledger.heard(RTM_ROUTE_CHANGED, C, B)
        ledger.added(NET, ledger.mark(NET), RTM_ROUTE_CHANGED, B, A)
        assert 1 == len(ledger.check(table(C)))

    def test_a_delete_output_follows_any_route(self) -> None:
        """RtmDeleteRoute has no previous-route output (V1-4.5): DELETED fits whatever was best."""
        ledger = listener((RTM_ROUTE_ADDED, A, None))
        ledger.deleted(NET, ledger.mark(NET), RTM_ROUTE_DELETED, None)
        assert [] == ledger.check({})

    def test_no_change_is_no_step(self) -> None:
        """An add that reports RTM_NO_CHANGE changes nothing in the replay."""
        ledger = listener((RTM_ROUTE_ADDED, A, None))
        ledger.added(NET, ledger.mark(NET), RTM_NO_CHANGE, None, None)
        assert [] == ledger.check(table(A))

    def test_an_output_without_its_route_is_a_failure(self) -> None:
        """Flags with RTM_CURRENT_BEST_ROUTE and no CurBestRoute is recorded (V1-A19)."""
        ledger = Ledger("client", {})
        ledger.added(NET, 0, RTM_ROUTE_ADDED, None, None)
        assert 1 == len(ledger.check({}))


class TestUnknownStart:
    """A client registered mid-run does not know the table it started from."""

    def test_the_first_step_fits_anything(self) -> None:
        """Its first message may start from any route; the rest must follow."""
        ledger = Ledger("late", None)
        ledger.heard(RTM_ROUTE_CHANGED, B, A)
        assert [] == ledger.check(table(B))

    def test_a_network_it_heard_nothing_of_is_not_checked(self) -> None:
        """Nothing heard of a network: nothing to hold it to."""
        ledger = Ledger("late", None)
        assert ([], 0) == (ledger.check(table(A)), ledger.networks_checked)

    def test_a_leaving_client_needs_only_a_consistent_history(self) -> None:
        """Checked without an end state (it is deregistering), a consistent history passes and a broken one
        fails."""
        good = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_CHANGED, B, A))
        bad = listener((RTM_ROUTE_ADDED, A, None), (RTM_ROUTE_CHANGED, C, B))
        assert ([], 1) == (good.check(None), len(bad.check(None)))
