"""Use cases. Each takes the acting user, checks permission, changes rows, appends events, flushes.

The caller (a request, a socket event, a CLI command) commits once.
"""
