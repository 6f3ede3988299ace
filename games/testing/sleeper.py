#!/usr/bin/env python3
"""Misbehaving bot for the harness's tests: sleeps forever before answering (timeout, though it
uses no CPU)."""
import sys
import time

sys.stdin.readline()
while True:
    time.sleep(3600)
