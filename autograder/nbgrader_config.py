# nbgrader configuration for the intermestic course (the instructor's course root).
# Run nbgrader commands from this folder with the course's virtual environment on PATH
# (nbgrader calls `alembic` through PATH).
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "intermestic"
# Every notebook of the course lives at source/NAME/NAME.ipynb.
c.CourseDirectory.notebook_id = "*"

# Per-cell timeout in seconds while autograding or validating (nbgrader's default is 30):
# a student's infinite loop is interrupted and that cell scores zero.
c.Execute.timeout = 60

# Feedback must never show hidden tests or the tracebacks of failing hidden asserts
# (toolchain notes §2.6; jupyter/nbgrader#917, #1363, #1156).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "intermestic.feedback.StripTestTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
