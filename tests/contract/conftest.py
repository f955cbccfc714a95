"""Contract-test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _schemathesis_node_id(request):
    # schemathesis 4.32.5's from_fixture() reads and rewrites ``node._nodeid``, which pytest 9.2
    # no longer has (AttributeError). Giving it one back is enough: subtests are still labelled
    # "METHOD /path". A no-op on pytest versions that have the attribute.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
