"""``dutylist site``: a static, self-contained site of the lists (see :mod:`dutylist.site.build`)."""

from __future__ import annotations

from .build import SiteOptions, SiteResult, build_site, write_html

__all__ = ["SiteOptions", "SiteResult", "build_site", "write_html"]
