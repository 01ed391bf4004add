#!/usr/bin/env python3
"""slirp-tcp.py - TCP bulk and request/response measurements for bench-slirp.sh.

  slirp-tcp.py serve ADDR SIZE       host side: port 9000 sinks, 9001 sends SIZE
                                     bytes, 9002 echoes one byte at a time
  slirp-tcp.py run HOST SIZE ROUNDS  guest side: prints up_mbps, down_mbps, rr_us
"""
import socket
import sys
import threading
import time


def sink(c):
    while c.recv(262144):
        pass
    c.close()


def source(c, size):
    buf = b"\0" * 65536
    n = 0
    while n < size:
        c.sendall(buf)
        n += len(buf)
    c.close()


def echo(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(1)
        if not d:
            break
        c.sendall(d)
    c.close()


def listen(addr, port, fn, *args):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    while True:
        c, _ = s.accept()
        threading.Thread(target=fn, args=(c,) + args, daemon=True).start()


def serve(addr, size):
    for port, fn, args in ((9000, sink, ()), (9001, source, (size,)), (9002, echo, ())):
        threading.Thread(target=listen, args=(addr, port, fn) + args, daemon=True).start()
    while True:
        time.sleep(3600)


def run(host, size, rounds):
    buf = b"\0" * 65536
    s = socket.create_connection((host, 9000))
    t = time.perf_counter()
    n = 0
    while n < size:
        s.sendall(buf)
        n += len(buf)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    up = n * 8 / (time.perf_counter() - t) / 1e6
    s = socket.create_connection((host, 9001))
    t = time.perf_counter()
    n = 0
    while True:
        d = s.recv(262144)
        if not d:
            break
        n += len(d)
    down = n * 8 / (time.perf_counter() - t) / 1e6
    s = socket.create_connection((host, 9002))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = time.perf_counter()
    for _ in range(rounds):
        s.sendall(b"x")
        s.recv(1)
    rr = (time.perf_counter() - t) / rounds * 1e6
    print("bench: up_mbps %d down_mbps %d rr_us %d bytes %d" % (up, down, rr, n))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
