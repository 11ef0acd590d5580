"""Routing: a route per segment and per document (publish, light-review, post-edit, retranslate) from the QE
score band and the rule findings (:mod:`.route`), under a policy resolved per language pair and content type
(:mod:`.policy`), and thresholds proposed from a user's own labels (:mod:`.calibrate`)."""

from tqcheck.routing.policy import (
    DEFAULT_ESCALATION,
    POLICY_KEYS,
    ROUTES,
    Route,
    RoutePolicy,
    RoutingConfig,
    route_rank,
    worst,
)
from tqcheck.routing.route import RoutedSegment, Routing, route_document, route_file

__all__ = ["DEFAULT_ESCALATION", "POLICY_KEYS", "ROUTES", "Route", "RoutePolicy", "RoutedSegment", "Routing",
           "RoutingConfig", "route_document", "route_file", "route_rank", "worst"]
