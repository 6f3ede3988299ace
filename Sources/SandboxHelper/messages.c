// SOCK_SEQPACKET messages with descriptors attached, shared by the slot helper and the run server.
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "helper.h"

#define FDS_MAX (SLOT_REQUEST_FDS + 1 + SLOT_BINDS_MAX)

ssize_t receive_request(int socket, char *message, size_t size, int *fds, int max_fds, int *received) {
    union {
        struct cmsghdr align;
        char buffer[CMSG_SPACE(sizeof(int) * FDS_MAX)];
    } control;
    struct iovec iov = {message, size};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buffer;
    msg.msg_controllen = sizeof control.buffer;
    ssize_t n;
    while ((n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
    *received = 0;
    if (n <= 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < count; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (*received < max_fds) fds[(*received)++] = fd; else close(fd);
        }
    }
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
        for (int i = 0; i < *received; i++) close(fds[i]);
        *received = 0;
        errno = EPROTO;
        return 0;
    }
    return n;
}

int send_request(int socket, char *const *strings, int count, const int *fds, int nfds) {
    size_t length = sizeof(struct slot_request_header);
    for (int i = 0; i < count; i++) length += strlen(strings[i]) + 1;
    if (length > SLOT_REQUEST_MAX || nfds > FDS_MAX) return E2BIG;
    char *message = malloc(length);
    if (message == NULL) return ENOMEM;
    struct slot_request_header header = {SLOT_REQUEST_MAGIC, (uint32_t)count};
    memcpy(message, &header, sizeof header);
    char *cursor = message + sizeof header;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(strings[i]) + 1;
        memcpy(cursor, strings[i], n);
        cursor += n;
    }
    union {
        struct cmsghdr align;
        char buffer[CMSG_SPACE(sizeof(int) * FDS_MAX)];
    } control;
    struct iovec iov = {message, length};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buffer;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
    ssize_t sent;
    while ((sent = sendmsg(socket, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {}
    int error = sent == (ssize_t)length ? 0 : (sent < 0 ? errno : EPROTO);
    free(message);
    return error;
}

// Splits a request into its NUL-terminated strings (pointers into `message`); NULL-terminated.
char **request_strings(char *message, size_t length, uint32_t *count) {
    struct slot_request_header header;
    if (length < sizeof header) return NULL;
    memcpy(&header, message, sizeof header);
    if (header.magic != SLOT_REQUEST_MAGIC || header.argc == 0 || header.argc > 65536) return NULL;
    char **strings = calloc(header.argc + 1, sizeof(char *));
    if (strings == NULL) return NULL;
    char *cursor = message + sizeof header, *end = message + length;
    for (uint32_t i = 0; i < header.argc; i++) {
        char *nul = memchr(cursor, 0, (size_t)(end - cursor));
        if (nul == NULL) { free(strings); return NULL; }
        strings[i] = cursor;
        cursor = nul + 1;
    }
    *count = header.argc;
    return strings;
}
