"""Compressed API answers (flask-compress), so the embedded server (`faltstod serve`, `make
run`) sends a first sync over 3G in a tenth of its bytes, as the TLS proxy does in front of it
(`deploy/Caddyfile`, `encode zstd gzip`).

A pull page of 2,000 records is 1.5 MB of JSON; zstd (level 3) makes it 0.17 MB in about
3 ms, gzip (level 6) 0.19 MB in about 18 ms, brotli (quality 4) 0.15 MB in about 12 ms. The
client's `Accept-Encoding` chooses; among what it accepts equally, zstd first, then brotli,
then gzip (Chromium, the phone, asks for all three and gets zstd; `deflate` is left out, as
clients disagree on what it means). Without `Accept-Encoding` the answer is plain.

What is compressed: JSON answers of at least MIN_BYTES (the API's), whole. What is not:
- the phone app's files (the shell, the service worker, the hashed assets): `server/web.py`
  gzips them itself, once a file, with an ETag of its own checked before it answers; here
  they would be compressed again per request, after the conditional check was made, and a
  phone would never get its `304`;
- a streamed answer of any kind (compressing one would hold no Content-Length and change
  when its bytes leave);
- an error or a redirect (status outside 2xx), which other hooks read as JSON.

The hook runs after every other `after_request` hook (registered before them, and Flask runs
them in reverse), so those hooks (the access log's, the security headers') read the body
uncompressed.
"""

from flask_compress import Compress

# Below this a JSON answer is sent as it is: compression saves less than its header costs
# (a push result, a cursor); a pull page with one record is about 1 KB and is compressed.
MIN_BYTES = 500
# The order wins when the client accepts several equally (all of them, for Chromium).
ALGORITHMS = ["zstd", "br", "gzip"]
MIMETYPES = ["application/json", "application/problem+json"]


def init_app(app) -> None:
    for key, value in (("COMPRESS_MIMETYPES", MIMETYPES), ("COMPRESS_MIN_SIZE", MIN_BYTES),
                       ("COMPRESS_ALGORITHM", ALGORITHMS), ("COMPRESS_STREAMS", False),
                       ("COMPRESS_LEVEL", 6), ("COMPRESS_ZSTD_LEVEL", 3), ("COMPRESS_BR_LEVEL", 4)):
        app.config.setdefault(key, value)
    Compress(app)
