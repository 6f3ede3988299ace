extension Programs {
    /// C sources by name. Each prints what it observed, so a test can tell "contained" from
    /// "never tried".
    static let sources: [String: String] = [
        "echo": #"""
        #include <stdio.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            char line[256];
            printf("uid=%d gid=%d groups=%d cwd=", getuid(), getgid(), getgroups(0, NULL));
            fflush(stdout);
            char cwd[256];
            printf("%s\n", getcwd(cwd, sizeof cwd));
            while (fgets(line, sizeof line, stdin)) printf("in: %s", line);
            for (int i = 1; i < argc; i++) printf("arg: %s\n", argv[i]);
            fprintf(stderr, "to stderr\n");
            return 0;
        }
        """#,
        "exit": #"""
        #include <stdlib.h>
        int main(int argc, char **argv) { return atoi(argv[1]); }
        """#,
        "segfault": #"""
        int main(void) { volatile int *p = 0; *p = 1; return 0; }
        """#,
        "forkbomb": #"""
        #include <stdio.h>
        #include <unistd.h>
        int main(void) { for (;;) fork(); }
        """#,
        "threads": #"""
        #include <pthread.h>
        static void *spin(void *arg) { volatile unsigned long n = 0; for (;;) n++; return arg; }
        int main(void) {
            pthread_t t[4];
            for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, spin, NULL);
            for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
            return 0;
        }
        """#,
        "connect": #"""
        #include <arpa/inet.h>
        #include <errno.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/socket.h>
        int main(int argc, char **argv) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            if (s < 0) { printf("socket failed: %s\n", strerror(errno)); return 0; }
            struct sockaddr_in a = {0};
            a.sin_family = AF_INET;
            a.sin_port = htons(atoi(argv[1]));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) { printf("connected\n"); return 1; }
            printf("connect failed: %s\n", strerror(errno));
            return 0;
        }
        """#,
        "readfile": #"""
        #include <errno.h>
        #include <stdio.h>
        #include <string.h>
        int main(int argc, char **argv) {
            for (int i = 1; i < argc; i++) {
                FILE *f = fopen(argv[i], "r");
                if (f == NULL) { printf("%s: %s\n", argv[i], strerror(errno)); continue; }
                char buffer[4096];
                size_t n = fread(buffer, 1, sizeof buffer, f);
                printf("%s: read %zu bytes\n", argv[i], n);
                fwrite(buffer, 1, n, stdout);
                printf("\n");
            }
            return 0;
        }
        """#,
        "writefile": #"""
        #include <errno.h>
        #include <fcntl.h>
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            for (int i = 1; i < argc; i++) {
                int fd = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (fd < 0) { printf("%s: %s\n", argv[i], strerror(errno)); continue; }
                write(fd, "x", 1);
                close(fd);
                printf("%s: written\n", argv[i]);
            }
            return 0;
        }
        """#,
        "symlink": #"""
        #include <stdio.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            unlink(argv[2]);
            if (symlink(argv[1], argv[2]) != 0) { perror("symlink"); return 1; }
            printf("linked %s -> %s\n", argv[2], argv[1]);
            return 0;
        }
        """#,
        "filltmp": #"""
        #include <errno.h>
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        #include <fcntl.h>
        int main(void) {
            static char block[65536];
            memset(block, 'x', sizeof block);
            int fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) { printf("open: %s\n", strerror(errno)); return 1; }
            long total = 0;
            for (;;) {
                ssize_t n = write(fd, block, sizeof block);
                if (n < 0) { printf("stopped after %ld bytes: %s\n", total, strerror(errno)); return 0; }
                total += n;
            }
        }
        """#,
        "sleep": #"""
        #include <unistd.h>
        int main(void) { for (;;) pause(); }
        """#,
        "daemon": #"""
        #include <stdio.h>
        #include <unistd.h>
        int main(void) {
            if (fork() != 0) return 0;
            setsid();
            if (fork() != 0) return 0;
            for (;;) pause();
        }
        """#,
        "syscall": #"""
        #define _GNU_SOURCE
        #include <errno.h>
        #include <sched.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mount.h>
        #include <sys/ptrace.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            long r = -1;
            if (strcmp(argv[1], "ptrace") == 0) r = ptrace(PTRACE_TRACEME, 0, 0, 0);
            if (strcmp(argv[1], "mount") == 0) r = mount("none", "/tmp", "tmpfs", 0, NULL);
            if (strcmp(argv[1], "unshare") == 0) r = unshare(CLONE_NEWUSER);
            if (strcmp(argv[1], "set_mempolicy") == 0) r = syscall(238, 0, NULL, 0);
            printf("%s returned %ld (%s)\n", argv[1], r, r < 0 ? strerror(errno) : "ok");
            return 0;
        }
        """#,
        "allocate": #"""
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        int main(int argc, char **argv) {
            size_t megabytes = (size_t)atol(argv[1]);
            volatile char *p = malloc(megabytes << 20);
            if (p == NULL) { printf("malloc failed\n"); return 3; }
            // volatile: the compiler may not drop stores nobody reads.
            for (size_t i = 0; i < megabytes << 20; i += 4096) p[i] = 1;
            printf("touched %zu MiB\n", megabytes);
            return 0;
        }
        """#,
        "flood": #"""
        #include <stdio.h>
        int main(void) { for (;;) fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", stdout); }
        """#,
        "environ": #"""
        #include <fcntl.h>
        #include <stdio.h>
        #include <unistd.h>
        static void dump(const char *path) {
            char buffer[8192];
            int fd = open(path, O_RDONLY);
            if (fd < 0) { printf("%s: unreadable\n", path); return; }
            ssize_t n = read(fd, buffer, sizeof buffer);
            close(fd);
            printf("%s: ", path);
            for (ssize_t i = 0; i < n; i++) putchar(buffer[i] == 0 ? '|' : buffer[i]);
            printf("\n");
        }
        int main(void) {
            dump("/proc/1/environ");
            dump("/proc/self/environ");
            for (int pid = 2; pid < 8; pid++) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/environ", pid);
                dump(path);
            }
            return 0;
        }
        """#,
        "ping": #"""
        #include <stdio.h>
        #include <string.h>
        int main(void) {
            char line[64];
            printf("ping\n");
            fflush(stdout);
            if (!fgets(line, sizeof line, stdin)) return 1;
            fprintf(stderr, "got %s", line);
            return strcmp(line, "pong\n") == 0 ? 0 : 2;
        }
        """#,
        "pong": #"""
        #include <stdio.h>
        #include <string.h>
        int main(void) {
            char line[64];
            if (!fgets(line, sizeof line, stdin)) return 1;
            fprintf(stderr, "got %s", line);
            printf("pong\n");
            fflush(stdout);
            return strcmp(line, "ping\n") == 0 ? 0 : 2;
        }
        """#,
    ]
}
