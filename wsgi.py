"""WSGI entry point: ``flask --app wsgi run`` for development, ``gunicorn wsgi:app`` in production."""
from matchmaker import create_app

app = create_app()
