"""Schemathesis against /api/v1/openapi.json, in process against the WSGI app: a bounded run.

Each operation gets generated requests, valid and invalid (half of them aimed at ids that exist); every answer is
checked for server errors, documented status codes, content types, headers and the documented
response schema. `run` returns the number of cases and the failures by kind.
"""
from collections import Counter

import schemathesis
from flask import g
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


def run(app, headers, examples_per_operation=12, known_ids=None):
    """(cases, Counter of failure kinds, first examples) for one caller's headers."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cases, failures, examples = 0, Counter(), []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += _run_operation(operation, mode, headers, examples_per_operation, known_ids, failures, examples)
    return cases, failures, examples


def _run_operation(operation, mode, headers, examples_per_operation, known_ids, failures, examples):
    cases = 0

    @settings(max_examples=examples_per_operation, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode), aimed=st.booleans())
    def one(case, aimed):
        nonlocal cases
        if aimed and known_ids and case.path_parameters:
            case.path_parameters = {name: known_ids.get(name, value) for name, value in case.path_parameters.items()}
        cases += 1
        g.pop("_login_user", None)  # the test keeps one app context: no user carried over
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                _count(failures, examples, operation, failure)
        except Failure as failure:
            _count(failures, examples, operation, failure)

    one()
    return cases


def _count(failures, examples, operation, failure):
    kind = getattr(failure, "kind_title", type(failure).__name__)
    failures[kind] += 1
    if len(examples) < 20:
        examples.append(f"{operation.method.upper()} {operation.path}: {kind}: {str(failure)[:300]}")
