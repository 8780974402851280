#!/usr/bin/env python3
"""A slow hub for tests: a TCP relay on loopback in front of the real one.

    slowproxy.py PORT_FILE HUB_PORT RATE MARK_FILE MARK_BYTES

Listens on a port of the kernel's choosing (written to PORT_FILE), relays
each connection to 127.0.0.1:HUB_PORT, and sends the hub's answers to
picture requests (/v1/blobs/) at RATE bytes a second, writing MARK_FILE
once MARK_BYTES of such an answer have gone out: the test waits for that
file to know a download is under way, instead of sleeping.
"""
import os
import socket
import sys
import threading
import time


def pump(src, dst, slow, state):
    rate, mark_file, mark_bytes = state["rate"], state["mark"], state["mark_bytes"]
    sent = 0
    try:
        while True:
            data = src.recv(4096 if slow() else 65536)
            if not data:
                break
            dst.sendall(data)
            if slow():
                sent += len(data)
                if sent >= mark_bytes and not os.path.exists(mark_file):
                    with open(mark_file, "w") as f:
                        f.write(str(sent))
                time.sleep(len(data) / rate)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, hub_port, state):
    hub = socket.create_connection(("127.0.0.1", hub_port))
    blob = {"on": False}

    def upstream():
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if b"/v1/blobs/" in data:
                    blob["on"] = True
                hub.sendall(data)
        except OSError:
            pass
        finally:
            try:
                hub.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    threading.Thread(target=upstream, daemon=True).start()
    pump(hub, client, lambda: blob["on"], state)


def main():
    port_file, hub_port, rate, mark, mark_bytes = sys.argv[1:6]
    state = {"rate": float(rate), "mark": mark, "mark_bytes": int(mark_bytes)}
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c, int(hub_port), state), daemon=True).start()


if __name__ == "__main__":
    main()
