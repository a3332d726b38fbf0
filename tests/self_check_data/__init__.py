"""Self-check answers that come from data, recomputed from the data package, one module per lesson.

Each module defines ``ANSWERS``: question id -> a function that computes the answer from
`intermestic.data`. `tests/test_lessons.py` checks every numeric self-check against them.
"""
