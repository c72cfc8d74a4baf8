"""Benchmarks: `make bench` runs every bench/bench_*.py module and prints one table."""


def sign_in(client, user):
    """Sign the test client in as `user` through a server-side session, as the sign-in form does."""
    from datetime import timedelta

    from drafting.boundary import commit
    from drafting.services import sessions

    secret = sessions.start(user, False, timedelta(days=1), user_agent="bench", address="127.0.0.1")
    commit()
    with client.session_transaction() as session:
        session.update({"_user_id": str(user.id), "_fresh": True, "_sid": secret})
