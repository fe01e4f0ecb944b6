"""Running a suite on an in-memory DataFrame and keeping only what is safe to keep.

GE's own results carry samples of unexpected *values*; for the identifier safety net
those would be post text. A :class:`CheckResult` keeps the expectation type, the column
and the count of unexpected rows, nothing else, so it can go to logs, XCom and the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from quality.context import ephemeral_context


@dataclass(frozen=True)
class Failure:
    expectation: str
    column: str
    unexpected: int


@dataclass(frozen=True)
class CheckResult:
    suite: str
    rows: int
    failures: tuple[Failure, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> dict:
        return {"suite": self.suite, "rows": self.rows, "passed": self.passed,
                "failures": [{"expectation": f.expectation, "column": f.column, "unexpected": f.unexpected}
                             for f in self.failures]}


def run_suite(name: str, build: Callable[[], list], frame: pd.DataFrame) -> CheckResult:
    """Validate ``frame`` against the suite ``build`` returns, in an ephemeral context."""
    import great_expectations as gx

    if frame.empty:
        return CheckResult(name, 0)
    context = ephemeral_context()
    unique = f"{name}-{uuid.uuid4().hex[:8]}"
    batch = (context.data_sources.add_pandas(unique).add_dataframe_asset("frame")
             .add_batch_definition_whole_dataframe("whole"))
    suite = context.suites.add(gx.ExpectationSuite(name=unique, expectations=build()))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=unique, data=batch, suite=suite))
    outcome = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    failures = tuple(
        Failure(r.expectation_config.type, str(r.expectation_config.kwargs.get("column")),
                int(r.result.get("unexpected_count", 0) or 0))
        for r in outcome.results if not r.success
    )
    return CheckResult(name, len(frame), failures)
