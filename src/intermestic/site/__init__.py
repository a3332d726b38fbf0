"""The course website: the student lessons executed and built into static HTML."""

from intermestic.site.build import SiteReport, build_site

__all__ = ["SiteReport", "build_site"]
