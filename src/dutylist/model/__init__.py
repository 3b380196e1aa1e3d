"""Schema-1 models (``catalogue``) and vocabularies (``vocab``).

Nothing is imported here: building the pydantic models costs ~0.1 s, which a run that
finds every file in the cache never pays. Import ``dutylist.model.catalogue`` for them.
"""
