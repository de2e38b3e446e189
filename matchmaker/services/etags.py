"""ETags for optimistic concurrency: derived from a row's id and version counter."""
from __future__ import annotations

from matchmaker.errors import PreconditionFailed, PreconditionRequired


def etag_for(kind: str, row_id: int, version: int) -> str:
    return f'"{kind}-{row_id}-v{version}"'


def require_match(if_match: str | None, current: str) -> None:
    """Refuse an edit unless ``If-Match`` names the current ETag.

    A missing header is 428 (we never guess which version the client saw); ``*`` is refused for
    the same reason; a stale tag is 412 and nothing changes.
    """
    if not if_match:
        raise PreconditionRequired(
            "Send the ETag you last read in an If-Match header; edits are refused without it.")
    candidates = [tag.strip() for tag in if_match.split(",")]
    if "*" in candidates:
        raise PreconditionRequired("If-Match: * is not accepted; send the ETag you last read.")
    normalised = {tag[2:] if tag.startswith("W/") else tag for tag in candidates}
    if current not in normalised:
        raise PreconditionFailed(
            "The profile changed since you read it; fetch it again and re-apply your edit.",
            headers={"ETag": current})
