"""JSON request bodies, looked at once before any view: what no view should ever have to read.

webargs parses each body itself, and its parser knows two failures (not JSON, not UTF-8).
Two more reach the code behind it and would be a 500 there:
- **nesting**: Python's parser recurses, so `[[[[…` 100 000 deep is a `RecursionError`, and a
  body that parses at a few hundred levels can still exhaust the stack later (hashing,
  storing). A body nested deeper than `MAX_DEPTH` is refused whole;
- **lone surrogates**: JSON may spell half a UTF-16 pair (`"\\ud800"`), which Python decodes
  into a string that neither SQLite nor argon2 can encode. A body holding one is refused
  whole, except by a view marked `text_judged_per_item` (a push: each mutation is judged and
  parked by itself, so one broken mutation never blocks its batch).
Both answers are `400 invalid_body` in the one error shape.
"""

import json
import re

from flask import current_app, request

from sync.errors import Problem
from sync.protocol import is_valid_text

# Deepest body accepted. The catalogue's deepest body (a push of a visit log with its
# activities) nests 6 levels; much higher, and a hostile body can still reach Python's
# recursion limit in the code that reads it.
MAX_DEPTH = 64

# A JSON escape of half a surrogate pair (a well-formed pair is fine, and is looked at only
# to rule it out). Cheap to search for, so most bodies are never parsed twice.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class BodyError(Problem):
    def __init__(self, message: str):
        super().__init__(400, "invalid_body", message)


def text_judged_per_item(view):
    """Mark a view that takes broken text in its body and answers it item by item."""
    view.text_judged_per_item = True
    return view


def nested_deeper_than(value, limit: int) -> bool:
    """Whether a parsed JSON value nests more than `limit` arrays and objects (no recursion)."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def check_body():
    if not request.is_json:
        return
    raw = request.get_data(cache=True)
    might_nest = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    might_break = _SURROGATE_ESCAPE.search(raw) is not None
    if not (might_nest or might_break):
        return
    try:
        body = json.loads(raw)
    except RecursionError:
        raise BodyError(f"The body is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError:
        return  # not JSON: the view's parser answers it, as for any other broken body
    if might_nest and nested_deeper_than(body, MAX_DEPTH):
        raise BodyError(f"The body is nested more than {MAX_DEPTH} levels deep.")
    view = current_app.view_functions.get(request.endpoint)
    if might_break and not getattr(view, "text_judged_per_item", False) and not is_valid_text(body):
        raise BodyError("The body holds text that is not valid Unicode (a lone surrogate).")


def init_app(app) -> None:
    app.before_request(check_body)
