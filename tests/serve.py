"""A real server process for the realtime and browser tests: `python -m tests.serve PORT` (threading).

Settings come from the environment (DRAFTING_DATABASE_URL, DRAFTING_MESSAGE_QUEUE, …), as in production.
"""
import sys

from drafting import create_app
from drafting.extensions import socketio

if __name__ == "__main__":
    app = create_app()
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True, log_output=False)
