"""Schemathesis hooks for Dialback's API (loaded through `hooks` in schemathesis.toml).

`POST /api/v1/calls/import` reads NDJSON, a media type Schemathesis has no serializer for:
its generated body (a string, as the document describes it) is sent as it is.
"""

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    import json

    return json.dumps(value).encode("utf-8")
