"""The JSON API under /api: one blueprint per audience, plus operations endpoints."""
