// SPDX-License-Identifier: GPL-2.0
/*
 * ks-hold KB READY - a process that holds KB kilobytes of private
 * anonymous memory, every page written, for tests/guest/snapshot.sh's
 * check of kmemscope-snap procs: two of them, holding 0 and KB, differ by
 * exactly KB in rss, pss, uss and pss_anon (the same static binary, the
 * same stack and data otherwise).  Creates the file READY once the memory
 * is written, then waits to be killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len;
	char *p;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: ks-hold KB READY\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 10) * 1024;
	if (len) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		memset(p, 0x5a, len);
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
	for (;;)
		pause();
}
