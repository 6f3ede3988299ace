// Light Cycles referee (rules.md): 2-4 cycles on a 20x20 grid, simultaneous moves. Talks to the
// harness on stdin/stdout as docs/game-protocol.md says.
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { W = 20, H = 20, MAX_PLAYERS = 4, MAX_TURNS = 400 };

static char grid[H][W + 1]; // '.' free, '1'-'4' that cycle's trail (its head included)
static int players;
static int hx[MAX_PLAYERS + 1], hy[MAX_PLAYERS + 1]; // heads, players 1-based
static int died[MAX_PLAYERS + 1];                     // turn it died on, 0 while alive
static uint64_t rng;

static void fail(const char *why)
{
    fprintf(stderr, "referee: %s\n", why);
    exit(1);
}

// splitmix64: every random choice comes from the match seed.
static uint64_t next_random(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void send_to(int p, const char *text)
{
    printf("SEND %d %zu\n%s", p, strlen(text), text);
}

// Bot p's next line (malloc'd, *n bytes, may hold any byte), or NULL when it is out: a TIMEOUT,
// CRASH, OVERFLOW or OUT reply.
static char *recv_line(int p, size_t *n)
{
    printf("RECV %d\n", p);
    fflush(stdout);
    char reply[64];
    if (!fgets(reply, sizeof reply, stdin))
        fail("the harness closed stdin");
    if (sscanf(reply, "OK %zu", n) != 1)
        return NULL;
    char *line = malloc(*n + 1);
    if (!line || fread(line, 1, *n, stdin) != *n)
        fail("short OK payload");
    line[*n] = '\0';
    return line;
}

// The move a line holds: U, D, L or R with optional blanks around it; 0 if it holds anything else.
static char parse_move(const char *s, size_t n)
{
    char move = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')
            continue;
        if (move || !memchr("UDLR", s[i], 4))
            return 0;
        move = s[i];
    }
    return move;
}

// What cycle p sees each turn: see rules.md.
static void send_view(int p, int turn)
{
    char text[64 + MAX_PLAYERS * 16 + H * (W + 1)];
    int len = snprintf(text, sizeof text, "%d %d %d %d %d\n", W, H, players, p, turn);
    for (int q = 1; q <= players; q++)
        len += snprintf(text + len, sizeof text - len, "%d %d\n", died[q] ? -1 : hx[q], died[q] ? -1 : hy[q]);
    for (int y = 0; y < H; y++)
        len += snprintf(text + len, sizeof text - len, "%s\n", grid[y]);
    send_to(p, text);
}

// One replay frame: the grid, each head (null once dead) and each move this turn (null if none).
static void frame(int turn, const char *moves)
{
    char json[256 + H * (W + 4)];
    int len = snprintf(json, sizeof json, "{\"turn\":%d,\"heads\":[", turn);
    for (int p = 1; p <= players; p++)
        len += died[p] ? snprintf(json + len, sizeof json - len, "%snull", p > 1 ? "," : "")
                       : snprintf(json + len, sizeof json - len, "%s[%d,%d]", p > 1 ? "," : "", hx[p], hy[p]);
    len += snprintf(json + len, sizeof json - len, "],\"moves\":[");
    for (int p = 1; p <= players; p++)
        len += moves[p] ? snprintf(json + len, sizeof json - len, "%s\"%c\"", p > 1 ? "," : "", moves[p])
                        : snprintf(json + len, sizeof json - len, "%snull", p > 1 ? "," : "");
    len += snprintf(json + len, sizeof json - len, "],\"grid\":[");
    for (int y = 0; y < H; y++)
        len += snprintf(json + len, sizeof json - len, "%s\"%s\"", y ? "," : "", grid[y]);
    snprintf(json + len, sizeof json - len, "]}");
    printf("FRAME %zu\n%s", strlen(json), json);
}

// Starting cells: the corners of a square set in from the walls by a seeded margin; the seed also
// deals them out. Two players get opposite corners.
static void place_cycles(void)
{
    int margin = 2 + (int)(next_random() % 5), far_x = W - 1 - margin, far_y = H - 1 - margin;
    int cx[MAX_PLAYERS] = {margin, far_x, far_x, margin}, cy[MAX_PLAYERS] = {margin, far_y, margin, far_y};
    int corner[MAX_PLAYERS] = {0, 1, 2, 3};
    for (int i = players - 1; i > 0; i--) { // Fisher-Yates over the corners in use
        int j = (int)(next_random() % (uint64_t)(i + 1)), t = corner[i];
        corner[i] = corner[j];
        corner[j] = t;
    }
    for (int p = 1; p <= players; p++) {
        hx[p] = cx[corner[p - 1]];
        hy[p] = cy[corner[p - 1]];
        grid[hy[p]][hx[p]] = (char)('0' + p);
    }
}

int main(void)
{
    char start[64];
    if (!fgets(start, sizeof start, stdin) || sscanf(start, "START %d %" SCNu64, &players, &rng) != 2)
        fail("expected START <players> <seed>");
    if (players < 2 || players > MAX_PLAYERS)
        fail("Light Cycles is for 2 to 4 players");

    for (int y = 0; y < H; y++)
        memset(grid[y], '.', W);
    place_cycles();
    char moves[MAX_PLAYERS + 1] = {0};
    frame(0, moves);

    int alive = players, turn = 0;
    while (alive >= 2 && turn < MAX_TURNS) {
        turn++;
        // Everyone sees the same grid before anyone answers: the moves are simultaneous.
        for (int p = 1; p <= players; p++)
            if (!died[p])
                send_view(p, turn);

        int tx[MAX_PLAYERS + 1], ty[MAX_PLAYERS + 1];
        bool dies[MAX_PLAYERS + 1] = {false};
        for (int p = 1; p <= players; p++) {
            moves[p] = 0;
            if (died[p])
                continue;
            size_t n;
            char *line = recv_line(p, &n);
            if (line) {
                moves[p] = parse_move(line, n);
                free(line);
                if (!moves[p])
                    printf("KICK %d the answer must be U, D, L or R\n", p);
            }
            if (!moves[p]) { // kicked, timed out, crashed, overflowed: out of the game this turn
                dies[p] = true;
                continue;
            }
            tx[p] = hx[p] + (moves[p] == 'R') - (moves[p] == 'L');
            ty[p] = hy[p] + (moves[p] == 'D') - (moves[p] == 'U');
            dies[p] = tx[p] < 0 || tx[p] >= W || ty[p] < 0 || ty[p] >= H || grid[ty[p]][tx[p]] != '.';
        }
        for (int p = 1; p <= players; p++) // heads meeting on a free cell: all of them crash
            for (int q = p + 1; q <= players; q++)
                if (moves[p] && moves[q] && tx[p] == tx[q] && ty[p] == ty[q])
                    dies[p] = dies[q] = true;

        for (int p = 1; p <= players; p++) {
            if (died[p])
                continue;
            if (dies[p]) {
                died[p] = turn;
                alive--;
            } else {
                hx[p] = tx[p];
                hy[p] = ty[p];
                grid[hy[p]][hx[p]] = (char)('0' + p);
            }
        }
        frame(turn, moves);
    }

    // Rank by how long each cycle lasted: the ones still riding share first place, cycles that
    // died on the same turn tie. Score: turns survived.
    printf("END");
    for (int p = 1; p <= players; p++) {
        int lasted = died[p] ? died[p] : turn + 1, rank = 1;
        for (int q = 1; q <= players; q++)
            rank += (died[q] ? died[q] : turn + 1) > lasted;
        printf(" %d %d", rank, lasted - 1);
    }
    printf("\n");
    return 0;
}
