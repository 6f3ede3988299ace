// Connect Four referee (rules.md): talks to the harness on stdin/stdout as docs/game-protocol.md
// says. Player 1 always moves first and nothing is random, so the seed is not needed.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLS = 7, ROWS = 6 };

static char board[ROWS][COLS + 1]; // row 0 is the top; '.' empty, '1' or '2' a disc

static void fail(const char *why)
{
    fprintf(stderr, "referee: %s\n", why);
    exit(1);
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

// One replay frame: the board after `col` (1-7) was played by `player`; 0 and 0 for the start.
static void frame(int col, int player)
{
    char json[256];
    int len = snprintf(json, sizeof json, "{\"board\":[");
    for (int r = 0; r < ROWS; r++)
        len += snprintf(json + len, sizeof json - len, "%s\"%s\"", r ? "," : "", board[r]);
    if (col)
        snprintf(json + len, sizeof json - len, "],\"col\":%d,\"player\":%d}", col, player);
    else
        snprintf(json + len, sizeof json - len, "],\"col\":null,\"player\":null}");
    printf("FRAME %zu\n%s", strlen(json), json);
}

// The result: the winner ranks 1 with score 1, the loser 2 with 0; winner 0 is a draw.
static void end(int winner)
{
    if (winner == 1)
        printf("END 1 1 2 0\n");
    else if (winner == 2)
        printf("END 2 0 1 1\n");
    else
        printf("END 1 0.5 1 0.5\n");
    fflush(stdout);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

// The number the line holds (blanks around it allowed), or -1 when it is not a number.
static int parse_number(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && blank(s[i]))
        i++;
    while (n > i && blank(s[n - 1]))
        n--;
    if (i == n || n - i > 9) // nine digits cannot overflow an int
        return -1;
    int value = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

// Whether the disc at (r, c) is part of four or more in a row.
static bool wins(int r, int c)
{
    static const int dirs[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    for (int d = 0; d < 4; d++) {
        int run = 1;
        for (int sign = -1; sign <= 1; sign += 2) {
            int rr = r + sign * dirs[d][0], cc = c + sign * dirs[d][1];
            while (rr >= 0 && rr < ROWS && cc >= 0 && cc < COLS && board[rr][cc] == board[r][c]) {
                run++;
                rr += sign * dirs[d][0];
                cc += sign * dirs[d][1];
            }
        }
        if (run >= 4)
            return true;
    }
    return false;
}

int main(void)
{
    char start[64];
    int players;
    if (!fgets(start, sizeof start, stdin) || sscanf(start, "START %d", &players) != 1)
        fail("expected START <players> <seed>");
    if (players != 2)
        fail("Connect Four is for 2 players");

    for (int r = 0; r < ROWS; r++)
        memset(board[r], '.', COLS);
    frame(0, 0);

    char last[12] = "FIRST"; // what the player to move is told: the opponent's last column
    for (int move = 0; move < ROWS * COLS; move++) {
        int p = 1 + move % 2, other = 3 - p;
        char text[16];
        snprintf(text, sizeof text, "%s\n", last);
        send_to(p, text);

        size_t n;
        char *line = recv_line(p, &n);
        if (!line) { // timed out, crashed, overflowed: the opponent wins
            end(other);
            return 0;
        }
        int col = parse_number(line, n);
        free(line);
        char why[64] = "";
        if (col < 0)
            snprintf(why, sizeof why, "not a column number");
        else if (col < 1 || col > COLS)
            snprintf(why, sizeof why, "column %d is out of range 1-%d", col, COLS);
        else if (board[0][col - 1] != '.')
            snprintf(why, sizeof why, "column %d is full", col);
        if (why[0]) {
            printf("KICK %d %s\n", p, why);
            end(other);
            return 0;
        }

        int r = ROWS - 1;
        while (board[r][col - 1] != '.')
            r--;
        board[r][col - 1] = (char)('0' + p);
        frame(col, p);
        if (wins(r, col - 1)) {
            end(p);
            return 0;
        }
        snprintf(last, sizeof last, "%d", col);
    }
    end(0); // 42 discs and no four in a row: a draw
    return 0;
}
