"""Use cases as plain functions. They take their collaborators explicitly and own the commit;
changes to suppliers, tenders, weight profiles and feedback (and the imports and seeding) are
written through the one write path, :func:`matchmaker.services.writes.writing`."""
