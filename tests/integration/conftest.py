"""Fixtures shared by the integration tests."""
import pytest

from drafting.boundary import commit
from drafting.services import procedure


@pytest.fixture
def consolidating(world):
    """The world's document in the consolidation phase."""
    procedure.set_phase(world.chair, world.document, "amendments")
    procedure.set_phase(world.chair, world.document, "consolidation")
    commit()
    return world
