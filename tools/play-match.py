#!/usr/bin/env python3
"""Play one match locally: the harness side of docs/game-protocol.md over plain pipes.

usage: tools/play-match.py [options] REFEREE_CMD -- BOT1_CMD -- BOT2_CMD [-- BOT3_CMD ...]

Each CMD is a program and its arguments, e.g. `games/connect-four/referee` or
`python3 games/connect-four/bots/python/smart.py`. Options:

  --seed N         match seed (default 42)
  --turn-ms N      time for each answer (default 1000)
  --init-ms N      time for a bot's first answer (default 3000)
  --max-turns N    the game's maximum number of RECV commands (default 10000)
  --memory-mb N    address-space limit of each bot (default 512)
  --frames FILE    also write the frames to FILE as a JSON array

Prints {"result": [{"player", "rank", "score", "status"}, ...], "frames": N, "turns": N} and exits
0; on a referee failure prints {"error": "..."} and exits 3; exits 2 on a usage error.

Unlike the judge it has no sandbox: time limits are wall-clock from the RECV, memory is capped with
RLIMIT_AS, the referee has no limits, bots and the referee run in the current directory, and stderr
and LOG payloads go to this program's stderr.
"""
import json
import os
import re
import resource
import select
import signal
import subprocess
import sys
import time

PATH = "/usr/bin:/bin"
MAX_LINE = 64 * 1024  # longest bot line and referee command, without the newline
MAX_FRAME_BYTES = 64 * 1024 * 1024
MAX_LOG_BYTES = 1024 * 1024
SCORE = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
OPTIONS = {"--seed": 42, "--turn-ms": 1000, "--init-ms": 3000, "--max-turns": 10000,
           "--memory-mb": 512, "--frames": None}


class RefereeFailure(Exception):
    pass


class StartFailure(Exception):
    pass


def usage(message):
    print(f"play-match: {message} (--help for help)", file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        sys.exit(0)
    options = dict(OPTIONS)
    while argv and argv[0] in options:
        if len(argv) < 2:
            usage(f"{argv[0]} needs a value")
        name, value = argv[0], argv[1]
        if name != "--frames":
            if not (value.isascii() and value.isdigit()):
                usage(f"{name} needs a number")
            value = int(value)
        options[name] = value
        argv = argv[2:]
    commands = [[]]
    for arg in argv:
        if arg == "--":
            commands.append([])
        else:
            commands[-1].append(arg)
    if len(commands) < 3 or not all(commands):
        usage("expected REFEREE_CMD -- BOT1_CMD -- BOT2_CMD ...")
    if options["--seed"] >= 2**64:
        usage("--seed must be below 2^64")
    return options, commands[0], commands[1:]


def start(argv, env, memory_bytes=None):
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    try:  # a session of its own, so that killing its group also stops what it started
        return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                start_new_session=True,
                                preexec_fn=limit_memory if memory_bytes else None)
    except OSError as e:
        raise StartFailure(f"cannot start {argv[0]}: {e}") from None


def stop(proc):
    if proc.returncode is not None:  # already reaped: its pid may belong to someone else now
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


class Bot:
    def __init__(self, player, argv, seed, memory_bytes):
        env = {"PATH": PATH, "ALGOSPORTS_PLAYER": str(player),
               "ALGOSPORTS_SEED": str((seed * 1000003 + player) % 2**64)}
        self.proc = start(argv, env, memory_bytes)
        self.stdin = self.proc.stdin.fileno()
        self.stdout = self.proc.stdout.fileno()
        os.set_blocking(self.stdin, False)  # a bot that does not read must not block the match
        self.unsent = bytearray()  # SEND bytes its stdin has not taken yet
        self.unread = bytearray()  # what it wrote beyond the lines already answered
        self.eof = False
        self.recvs = 0
        self.status = None  # None while in the game, then why it went out (a result status)

    def write(self):
        try:
            del self.unsent[:os.write(self.stdin, self.unsent)]
        except BlockingIOError:
            pass
        except BrokenPipeError:  # it closed stdin or exited: the next RECV will tell
            self.unsent.clear()

    def go_out(self, status):
        self.status = status
        self.unsent.clear()
        stop(self.proc)


class Match:
    def __init__(self, options):
        self.options = options
        self.bots = []
        self.referee = None
        self.frames = []
        self.frame_bytes = self.log_bytes = self.turns = 0

    def start(self, referee_argv, bot_argvs):
        for argv in bot_argvs:
            self.bots.append(Bot(len(self.bots) + 1, argv, self.options["--seed"],
                                 self.options["--memory-mb"] << 20))
        self.referee = start(referee_argv, {"PATH": PATH})

    def play(self):
        self.reply(b"START %d %d\n" % (len(self.bots), self.options["--seed"]))
        while True:
            line = self.referee.stdout.readline(MAX_LINE + 1)
            if not line:
                raise RefereeFailure(f"referee exited before END ({self.exit_status()})")
            if not line.endswith(b"\n"):
                raise RefereeFailure("command line longer than 64 KiB")
            command = line[:-1].decode("utf-8", "replace")
            if m := re.fullmatch(r"SEND ([0-9]+) ([0-9]+)", command):
                bot, data = self.bot(m[1]), self.payload(int(m[2]))
                if bot.status is None:
                    bot.unsent += data
                    bot.write()
            elif m := re.fullmatch(r"RECV ([0-9]+)", command):
                self.turns += 1
                if self.turns > self.options["--max-turns"]:
                    raise RefereeFailure(f"more than {self.options['--max-turns']} RECV commands")
                self.reply(self.recv(self.bot(m[1])))
            elif m := re.fullmatch(r"KICK ([0-9]+) (.+)", command):
                bot = self.bot(m[1])
                if bot.status is None:
                    bot.go_out(f"kicked: {m[2]}")
            elif m := re.fullmatch(r"FRAME ([0-9]+)", command):
                size = int(m[1])
                self.frame_bytes += size
                if self.frame_bytes > MAX_FRAME_BYTES:
                    raise RefereeFailure("more than 64 MiB of FRAME payload")
                data = self.payload(size)
                try:
                    self.frames.append(json.loads(data))
                except ValueError:
                    self.frames.append(data.decode("utf-8", "replace"))
            elif m := re.fullmatch(r"LOG ([0-9]+)", command):
                data = self.payload(int(m[1]))[:max(0, MAX_LOG_BYTES - self.log_bytes)]
                self.log_bytes += len(data)
                if data:
                    sys.stderr.write("[referee log] " + data.decode("utf-8", "replace") + "\n")
            elif m := re.fullmatch(r"END((?: \S+)*)", command):
                return self.result(m[1].split())
            else:
                raise RefereeFailure(f"malformed or unknown command: {command[:200]!r}")

    def exit_status(self):
        try:
            code = self.referee.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "closed its stdout"
        if code >= 0:
            return f"exit code {code}"
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:  # a real-time signal has no name
            return f"killed by signal {-code}"

    def bot(self, text):
        p = int(text)
        if not 1 <= p <= len(self.bots):
            raise RefereeFailure(f"player {p} out of range 1-{len(self.bots)}")
        return self.bots[p - 1]

    def payload(self, size):
        data = self.referee.stdout.read(size)
        if len(data) < size:
            raise RefereeFailure(f"referee exited in a payload ({self.exit_status()})")
        return data

    def reply(self, data):
        try:
            self.referee.stdin.write(data)
            self.referee.stdin.flush()
        except BrokenPipeError:
            raise RefereeFailure(f"referee exited before END ({self.exit_status()})") from None

    def recv(self, bot):
        """The reply to RECV for this bot: wait for its next line within its time."""
        if bot.status is not None:
            return b"OUT\n"
        bot.recvs += 1
        limit_ms = self.options["--init-ms" if bot.recvs == 1 else "--turn-ms"]
        deadline = time.monotonic() + limit_ms / 1000
        while True:
            end = bot.unread.find(b"\n", 0, MAX_LINE + 1)
            if end >= 0:
                line = bytes(bot.unread[:end])
                del bot.unread[:end + 1]
                return b"OK %d\n" % len(line) + line
            if len(bot.unread) > MAX_LINE:
                bot.go_out("overflow")
                return b"OVERFLOW\n"
            if bot.eof:  # it exited (or closed stdout) without finishing a line
                bot.go_out("crash")
                return b"CRASH\n"
            left = deadline - time.monotonic()
            if left <= 0:
                bot.go_out("timeout")
                return b"TIMEOUT\n"
            # Meanwhile keep feeding every bot whose stdin was full.
            writers = {b.stdin: b for b in self.bots if b.unsent}
            readable, writable, _ = select.select([bot.stdout], list(writers), [], left)
            for fd in writable:
                writers[fd].write()
            if readable:
                data = os.read(bot.stdout, 65536)
                bot.unread += data
                bot.eof = not data

    def result(self, tokens):
        n = len(self.bots)
        if len(tokens) != 2 * n:
            raise RefereeFailure(f"END needs {n} rank-score pairs, got {' '.join(tokens)!r}")
        ranks, scores = tokens[0::2], tokens[1::2]
        if not all(re.fullmatch(r"[0-9]+", r) and int(r) >= 1 for r in ranks):
            raise RefereeFailure(f"END ranks must be integers from 1: {' '.join(tokens)!r}")
        if not all(SCORE.fullmatch(s) for s in scores):
            raise RefereeFailure(f"END scores must be numbers: {' '.join(tokens)!r}")
        # Bots that went out come after every other one, in the referee's order within each group;
        # a rank is then 1 + the number of bots placed strictly above.
        keys = [(bot.status is not None, int(r)) for bot, r in zip(self.bots, ranks)]
        return [{"player": i + 1,
                 "rank": 1 + sum(other < key for other in keys),
                 "score": int(s) if re.fullmatch(r"-?[0-9]+", s) else float(s),
                 "status": bot.status or "ok"}
                for i, (bot, key, s) in enumerate(zip(self.bots, keys, scores))]

    def close(self):
        procs = [bot.proc for bot in self.bots]
        if self.referee:
            procs.append(self.referee)
        for proc in procs:
            stop(proc)
        if self.options["--frames"]:
            with open(self.options["--frames"], "w") as f:
                json.dump(self.frames, f)


def main():
    options, referee_argv, bot_argvs = parse_args(sys.argv[1:])
    match = Match(options)
    try:
        match.start(referee_argv, bot_argvs)
        result = match.play()
    except StartFailure as e:
        print(f"play-match: {e}", file=sys.stderr)
        return 2
    except RefereeFailure as e:
        print(json.dumps({"error": str(e)}))
        return 3
    finally:
        match.close()
    print(json.dumps({"result": result, "frames": len(match.frames), "turns": match.turns}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
