"""The WSGI entry point: `app` for servers, `python wsgi.py` to serve with live updates."""
from drafting import create_app
from drafting.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=5000, allow_unsafe_werkzeug=True)
