"""Errors the command line reports as one line, without a traceback."""


class CourseError(Exception):
    """A problem with the user's input or files that the command line reports and exits 2 on."""
