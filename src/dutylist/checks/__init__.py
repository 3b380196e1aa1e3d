"""Checks over a whole version (DL1xx integrity) and, later, policy rules (DL2xx)."""
