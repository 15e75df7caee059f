"""The one error type of the project: `Problem`, an error a client (or an operator) is told of.

It carries what `docs/sync-protocol.md` ("Errors") fixes for every HTTP error: the status, a
stable `reason` the phone maps to Swedish text (`device_revoked`, `cursor_expired`, …), a
message in English for people reading logs and the API, field messages, and `wipe` when the
device must delete its local data. Domain code raises it; the web server renders it in one
place (`server/api/errors.py`), the command line prints its message (`server/cli/`).

It lives in `sync`, the bottom layer, because the engine raises it too (a broken push
envelope, an expired cursor) and `sync` may import nothing of the server. Errors *inside* a
push are not HTTP errors: they are per-mutation results (`sync.mutators.MutationError`).
"""


class Problem(Exception):
    """`retry_after`: seconds the client should wait before trying again (a 429 or a 503),
    sent as `Retry-After`."""

    def __init__(self, status: int, reason: str | None, message: str, *,
                 fields: dict | None = None, wipe: bool = False, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.fields = fields or {}
        self.wipe = wipe
        self.retry_after = retry_after
