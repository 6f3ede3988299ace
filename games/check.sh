#!/usr/bin/env bash
# Compiles every C program of games/ into a temporary directory, plays matches with
# tools/play-match.py and checks their outcomes. Prints one line per check; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d /tmp/algosports-games.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
checks=0
failures=0

pass() { checks=$((checks + 1)); echo "ok    $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL  $*"; }

# holds NAME EXPR: the Python expression EXPR holds for `r`, the JSON output of match NAME.
holds() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' \
    "$tmp/$1.json" "$2" 2>/dev/null
}

# value NAME EXPR: prints the Python expression EXPR over `r`, the JSON output of match NAME.
value() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$tmp/$1.json" "$2" 2>/dev/null
}

# check DESCRIPTION NAME EXPR: one check line; a failing match's output is shown.
check() {
  if holds "$2" "$3"; then pass "$1"; else fail "$1: $(cat "$tmp/$2.json")"; fi
}

# play NAME PLAY-MATCH-ARGS...: plays a match into $tmp/NAME.json (frames in NAME.frames); the
# exit code goes to $tmp/NAME.rc. Programs' stderr goes to $tmp/stderr.log.
play() {
  local name="$1"
  shift
  tools/play-match.py --frames "$tmp/$name.frames" "$@" >"$tmp/$name.json" 2>>"$tmp/stderr.log"
  echo $? >"$tmp/$name.rc"
}

# Every bot listed, in player order, with the same status, and ranks that agree with each other.
VALID='([x["player"] for x in r["result"]] == list(range(1, len(r["result"]) + 1))
  and all(x["status"] == "ok" for x in r["result"])
  and all(x["rank"] == 1 + sum(y["rank"] < x["rank"] for y in r["result"]) for x in r["result"]))'
rank() { echo "r[\"result\"][$(($1 - 1))][\"rank\"]"; }
status() { echo "r[\"result\"][$(($1 - 1))][\"status\"]"; }

compiled=0
for src in games/*/referee.c games/*/bots/c/*.c games/testing/*.c; do
  out="$tmp/${src%.c}"
  mkdir -p "$(dirname "$out")"
  if gcc -std=c17 -O2 -Wall -Wextra -Werror -o "$out" "$src" -lm 2>>"$tmp/stderr.log"; then
    compiled=$((compiled + 1))
  else
    fail "compile $src"
  fi
done
pass "compiled $compiled C programs"

cf="$tmp/games/connect-four"
lc="$tmp/games/light-cycles"
# Each referee with its game's maximum number of RECV commands (rules.md), so the guard is live.
cf_referee=(--max-turns 42 "$cf/referee")
lc_referee=(--max-turns 1600 "$lc/referee")
testing="$tmp/games/testing"
cf_smart_py=(python3 games/connect-four/bots/python/smart.py)
cf_random_py=(python3 games/connect-four/bots/python/random.py)

# --- Connect Four ---
wins=0
for seed in 1 2 3 4 5 6 7 8 9 10; do
  if [ "$seed" -le 5 ]; then
    smart=("$cf/bots/c/smart") random=("${cf_random_py[@]}")
  else
    smart=("${cf_smart_py[@]}") random=("$cf/bots/c/random")
  fi
  if [ $((seed % 2)) = 1 ]; then
    play cf-smart-random-$seed --seed $seed "${cf_referee[@]}" -- "${smart[@]}" -- "${random[@]}"
    holds cf-smart-random-$seed "$VALID and $(rank 1) == 1 and $(rank 2) == 2" && wins=$((wins + 1))
  else
    play cf-smart-random-$seed --seed $seed "${cf_referee[@]}" -- "${random[@]}" -- "${smart[@]}"
    holds cf-smart-random-$seed "$VALID and $(rank 2) == 1 and $(rank 1) == 2" && wins=$((wins + 1))
  fi
done
if [ "$wins" -ge 8 ]; then pass "connect-four: smart beats random in $wins of 10 games (both seats, C and Python)"
else fail "connect-four: smart beats random in only $wins of 10 games"; fi

play cf-c-py --seed 3 "${cf_referee[@]}" -- "$cf/bots/c/smart" -- "${cf_smart_py[@]}"
check "connect-four: C smart vs Python smart completes" cf-c-py "$VALID and r[\"turns\"] >= 7"
play cf-py-c --seed 3 "${cf_referee[@]}" -- "${cf_smart_py[@]}" -- "$cf/bots/c/smart"
check "connect-four: Python smart vs C smart completes" cf-py-c "$VALID and r[\"turns\"] >= 7"

play cf-random-c --seed 7 "${cf_referee[@]}" -- "$cf/bots/c/random" -- "$cf/bots/c/random"
play cf-random-c-again --seed 7 "${cf_referee[@]}" -- "$cf/bots/c/random" -- "$cf/bots/c/random"
play cf-random-py --seed 7 "${cf_referee[@]}" -- "${cf_random_py[@]}" -- "${cf_random_py[@]}"
play cf-random-other --seed 8 "${cf_referee[@]}" -- "$cf/bots/c/random" -- "$cf/bots/c/random"
if cmp -s "$tmp/cf-random-c.json" "$tmp/cf-random-c-again.json" && cmp -s "$tmp/cf-random-c.frames" "$tmp/cf-random-c-again.frames"
then pass "connect-four: the same seed gives the same match twice"
else fail "connect-four: the same seed gave different matches"; fi
if cmp -s "$tmp/cf-random-c.frames" "$tmp/cf-random-py.frames"; then pass "connect-four: Python random plays exactly like C random"
else fail "connect-four: Python random and C random differ"; fi
if ! cmp -s "$tmp/cf-random-c.frames" "$tmp/cf-random-other.frames"; then pass "connect-four: another seed gives another match"
else fail "connect-four: seeds 7 and 8 gave the same match"; fi

# --- Misbehaving bots, in each seat against the C smart bot ---
limits=(--init-ms 1000 --turn-ms 300)
for case in "crash:crash" "hang:timeout" "sleeper.py:timeout" "garbage.py:kicked: " "hog:crash" "chatty:overflow"; do
  bot="${case%%:*}" want="${case#*:}"
  if [[ "$bot" == *.py ]]; then cmd=(python3 "games/testing/$bot"); else cmd=("$testing/$bot"); fi
  play "bad-$bot-1" "${limits[@]}" "${cf_referee[@]}" -- "${cmd[@]}" -- "$cf/bots/c/smart"
  play "bad-$bot-2" "${limits[@]}" "${cf_referee[@]}" -- "$cf/bots/c/smart" -- "${cmd[@]}"
  if holds "bad-$bot-1" "$(status 1).startswith(\"$want\") and $(rank 1) == 2 and $(status 2) == \"ok\" and $(rank 2) == 1" &&
     holds "bad-$bot-2" "$(status 2).startswith(\"$want\") and $(rank 2) == 2 and $(status 1) == \"ok\" and $(rank 1) == 1"
  then pass "connect-four: $bot loses in either seat, status '$(value "bad-$bot-1" "$(status 1)")'"
  else fail "connect-four: $bot: $(cat "$tmp/bad-$bot-1.json") $(cat "$tmp/bad-$bot-2.json")"; fi
done

for case in "referee-crash:SIGSEGV" "referee-bad-end:END needs 2 rank-score pairs"; do
  referee="${case%%:*}" want="${case#*:}"
  play "$referee" --max-turns 42 "$testing/$referee" -- "$cf/bots/c/smart" -- "$cf/bots/c/random"
  if [ "$(cat "$tmp/$referee.rc")" = 3 ] && holds "$referee" "\"$want\" in r[\"error\"]"
  then pass "$referee: exit 3, $(cat "$tmp/$referee.json")"
  else fail "$referee: exit $(cat "$tmp/$referee.rc"), $(cat "$tmp/$referee.json")"; fi
done

if grep -q '^\[referee log\] about to end with one rank-score pair$' "$tmp/stderr.log"
then pass "referee-bad-end: its LOG reached stderr"
else fail "referee-bad-end: its LOG is missing from stderr"; fi
play over-max-turns --max-turns 5 "$cf/referee" -- "$cf/bots/c/random" -- "$cf/bots/c/random"
if [ "$(cat "$tmp/over-max-turns.rc")" = 3 ] && holds over-max-turns '"RECV" in r["error"]'
then pass "a referee over the game's maximum turns: exit 3, $(cat "$tmp/over-max-turns.json")"
else fail "a referee over the game's maximum turns: exit $(cat "$tmp/over-max-turns.rc"), $(cat "$tmp/over-max-turns.json")"; fi

# --- Light Cycles ---
lc_smart_py=(python3 games/light-cycles/bots/python/smart.py)
lc_random_py=(python3 games/light-cycles/bots/python/random.py)
play lc-2 --seed 11 "${lc_referee[@]}" -- "$lc/bots/c/smart" -- "${lc_random_py[@]}"
check "light-cycles: 2 players complete with valid ranks" lc-2 "$VALID and len(r[\"result\"]) == 2"
play lc-3 --seed 12 "${lc_referee[@]}" -- "${lc_smart_py[@]}" -- "$lc/bots/c/random" -- "$lc/bots/c/smart"
check "light-cycles: 3 players complete with valid ranks" lc-3 "$VALID and len(r[\"result\"]) == 3"
play lc-4 --seed 13 "${lc_referee[@]}" -- "$lc/bots/c/random" -- "${lc_smart_py[@]}" -- "${lc_random_py[@]}" -- "$lc/bots/c/smart"
check "light-cycles: 4 players complete with valid ranks" lc-4 "$VALID and len(r[\"result\"]) == 4"

wins=0
for seed in 1 2 3 4 5 6 7 8 9 10; do
  if [ $((seed % 2)) = 1 ]; then
    play lc-smart-random-$seed --seed $seed "${lc_referee[@]}" -- "$lc/bots/c/smart" -- "$lc/bots/c/random"
    holds lc-smart-random-$seed "$VALID and $(rank 1) == 1 and $(rank 2) == 2" && wins=$((wins + 1))
  else
    play lc-smart-random-$seed --seed $seed "${lc_referee[@]}" -- "$lc/bots/c/random" -- "$lc/bots/c/smart"
    holds lc-smart-random-$seed "$VALID and $(rank 2) == 1 and $(rank 1) == 2" && wins=$((wins + 1))
  fi
done
if [ "$wins" -ge 8 ]; then pass "light-cycles: smart beats random in $wins of 10 games (both seats)"
else fail "light-cycles: smart beats random in only $wins of 10 games"; fi

play lc-4-again --seed 13 "${lc_referee[@]}" -- "$lc/bots/c/random" -- "${lc_smart_py[@]}" -- "${lc_random_py[@]}" -- "$lc/bots/c/smart"
if cmp -s "$tmp/lc-4.json" "$tmp/lc-4-again.json" && cmp -s "$tmp/lc-4.frames" "$tmp/lc-4-again.frames"
then pass "light-cycles: the same seed gives the same match twice"
else fail "light-cycles: the same seed gave different matches"; fi
play lc-twins-c --seed 5 "${lc_referee[@]}" -- "$lc/bots/c/smart" -- "$lc/bots/c/random" -- "$lc/bots/c/smart"
play lc-twins-py --seed 5 "${lc_referee[@]}" -- "${lc_smart_py[@]}" -- "${lc_random_py[@]}" -- "${lc_smart_py[@]}"
if cmp -s "$tmp/lc-twins-c.frames" "$tmp/lc-twins-py.frames"; then pass "light-cycles: the Python bots play exactly like their C twins"
else fail "light-cycles: the Python bots and their C twins differ"; fi

play lc-bad "${limits[@]}" "${lc_referee[@]}" -- python3 games/testing/garbage.py -- "$testing/crash" -- "$lc/bots/c/smart" -- "$testing/hang"
check "light-cycles: kicked, crashed and timed-out bots rank below the last one riding" lc-bad \
  "[(x[\"rank\"], x[\"status\"]) for x in r[\"result\"]] == [(2, \"kicked: the answer must be U, D, L or R\"), (2, \"crash\"), (1, \"ok\"), (2, \"timeout\")]"

if [ "$failures" = 0 ]; then
  echo "all $checks checks passed"
else
  echo "$failures of $checks checks failed (programs' stderr: see below)"
  tail -n 30 "$tmp/stderr.log"
  exit 1
fi
