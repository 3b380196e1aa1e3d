"""Shared pytest options for the dutylist test suite."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-cases",
        action="store_true",
        default=False,
        help="Rewrite tests/cases/*/expected.txt from the actual output (review the diff by hand!). "
        "Also enabled by DUTYLIST_UPDATE_CASES=1.",
    )
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the actual renderings (review the diff by hand!). "
        "Also enabled by DUTYLIST_UPDATE_GOLDEN=1.",
    )


@pytest.fixture
def update_cases(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-cases")) or os.environ.get("DUTYLIST_UPDATE_CASES") == "1"


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get("DUTYLIST_UPDATE_GOLDEN") == "1"
