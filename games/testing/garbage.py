#!/usr/bin/env python3
"""Misbehaving bot for the harness's tests: answers every turn with a line of garbage (the referee
kicks it)."""
import sys

for line in sys.stdin:
    print("%$#@! garbage \x01\x7f", flush=True)
