#!/usr/bin/env python3
"""Creates the games shipped in games/ on a running platform, through Edge's public API, as staff:
each game from its game.json, rules.md and referee.c, version 1.0.0, with its random bots as the
templates. A game that already exists is left alone, so running it again changes nothing.

    tools/seed-games.py EDGE_URL STAFF_LOGIN STAFF_PASSWORD
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "games")


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method)
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def main():
    base, login, password = sys.argv[1:4]
    deadline = time.time() + 120
    while True:
        try:
            status, answer = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password})
            if status == 200:
                break
        except OSError:
            status, answer = None, None
        if time.time() > deadline:
            sys.exit(f"seed-games: cannot sign in at {base} ({status}: {answer})")
        time.sleep(1)
    token = answer["access"]
    for slug in sorted(os.listdir(ROOT)):
        if not os.path.exists(os.path.join(ROOT, slug, "game.json")):
            continue
        status, _ = call(base, "GET", f"/api/v1/games/{slug}")
        if status == 200:
            print(f"seed-games: {slug} exists")
            continue
        manifest = json.loads(read(slug, "game.json"))
        game = {"slug": slug, "title": manifest["title"], "rules_markdown": read(slug, "rules.md"),
                "min_players": manifest["min_players"], "max_players": manifest["max_players"]}
        status, answer = call(base, "POST", "/api/v1/games", game, token)
        if status != 201:
            sys.exit(f"seed-games: creating {slug} failed ({status}: {answer})")
        templates = [{"language": "c", "template_code": read(slug, "bots", "c", "random.c")},
                     {"language": "python", "template_code": read(slug, "bots", "python", "random.py")}]
        version = {"bump": "major", "changelog": "First version.", "referee_language": "c",
                   "referee_source": read(slug, "referee.c"), "limits": manifest["limits"], "templates": templates}
        status, answer = call(base, "POST", f"/api/v1/games/{slug}/versions", version, token)
        if status != 201:
            sys.exit(f"seed-games: the first version of {slug} failed ({status}: {answer})")
        print(f"seed-games: created {slug} 1.0.0")


if __name__ == "__main__":
    main()
