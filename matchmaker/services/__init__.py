"""Use cases as plain functions. They take their collaborators explicitly and own the commit."""
