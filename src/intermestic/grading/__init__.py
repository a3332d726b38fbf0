"""The instructor's grading toolkit behind ``intermestic grade``: collect, preflight, sandboxed
parallel autograde, safe feedback and grade export, on top of nbgrader."""
