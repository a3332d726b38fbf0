"""Ready-made charts for the lessons, one module per topic.

A chart a lesson shows but does not teach from code is one call here: the function draws the
figure from the data package with `intermestic.plotting` (colour-blind-safe palette, title,
units and source line) and shows it with its alt text, which it builds from the same numbers.
Every function returns the figure it showed, so tests can read what it draws.
"""
