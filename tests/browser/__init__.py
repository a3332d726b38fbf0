"""Browser tests: the course in JupyterLab, driven through Chromium by Playwright."""
