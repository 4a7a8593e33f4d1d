#!/usr/bin/python3
"""A map tile server for the browser tests: the same small PNG for every /{z}/{x}/{y}.png, on
loopback, on a free port. Prints "tiles on http://127.0.0.1:PORT" and serves until stopped."""
import http.server
import re
import struct
import zlib


def solid_png(size=256, rgb=(0xE4, 0xEA, 0xE0)):
    """A size x size PNG of one colour (8-bit RGB, no filter)."""
    row = b"\x00" + bytes(rgb) * size
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(row * size, 9)) + chunk(b"IEND", b""))


TILE = solid_png()
TILE_PATH = re.compile(r"^/[0-9]+/-?[0-9]+/-?[0-9]+\.png$")


class Tiles(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if not TILE_PATH.match(self.path):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
print(f"tiles on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
