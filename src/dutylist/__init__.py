"""dutylist: township and county duty catalogues as YAML in git."""

__version__ = "0.1.0"
