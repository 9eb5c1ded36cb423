#!/usr/bin/env python3
"""The junitparser peer: totals of a JUnit XML file, as our reader computes them.

    junitparser_summary.py FILE
"""

import sys

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

xml = JUnitXml.fromfile(sys.argv[1])
suites = [xml] if isinstance(xml, TestSuite) else list(xml)
total = failed = errors = skipped = 0
for suite in suites:
    for case in suite:
        total += 1
        kinds = {type(result) for result in case.result}
        if Failure in kinds:
            failed += 1
        elif Error in kinds:
            errors += 1
        elif Skipped in kinds:
            skipped += 1
print(f"total={total} failed={failed} errors={errors} skipped={skipped}")
