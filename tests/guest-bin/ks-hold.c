// SPDX-License-Identifier: GPL-2.0
/*
 * ks-hold KB MAP_KB READY - a process that maps MAP_KB kilobytes of
 * private anonymous memory and writes the first KB of them, for
 * tests/guest/snapshot.sh's check of kmemscope-snap procs: two of them,
 * writing 0 and KB of the same mapping, differ by exactly KB in rss, pss,
 * uss and pss_anon, and not at all in vss (the same static binary, the
 * same calls, the same stack and data otherwise).  Creates the file READY
 * once the memory is written, then waits to be killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len, map;
	char *p;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: ks-hold KB MAP_KB READY\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 10) * 1024;
	map = strtoul(argv[2], NULL, 10) * 1024;
	if (!map || len > map) {
		fprintf(stderr, "ks-hold: need 0 <= KB <= MAP_KB, 0 < MAP_KB\n");
		return 2;
	}
	p = mmap(NULL, map, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	memset(p, 0x5a, len);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[3]);
		return 2;
	}
	close(fd);
	for (;;)
		pause();
}
