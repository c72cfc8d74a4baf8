"""Which requests may read before they take SQLite's write lock (see `_transaction_mode` in create_app).

A write request normally takes the lock with its first statement, so that everything it reads stays
true until it commits. A view whose writes re-check, in the same statement, everything their reads
decided (a compare-and-set) can read first and take the lock only at its first write: the lock is
then held for a fraction of the request, and several server processes can serve such requests at
once. Votes are the one such write, and the most frequent one in a meeting.
"""


def locks_at_first_write(view):
    """Mark a view whose every write re-checks what the view read before it."""
    view.locks_at_first_write = True
    return view
