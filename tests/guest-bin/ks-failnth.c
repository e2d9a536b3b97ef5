// SPDX-License-Identifier: GPL-2.0
/*
 * ks-failnth N MODULE.ko [PARAMS] - load a module with the Nth
 * fault-injection point of this task failing (/proc/self/fail-nth), for
 * tests/guest/faults.sh on a kernel with CONFIG_FAULT_INJECTION.
 *
 * The module is read into memory first, so that the count starts at
 * init_module(2) itself: the loader's allocations, then the module's own
 * init.  Prints "errno REMAINING": errno 0 if the module loaded, and what
 * fail-nth reads afterwards (0: the Nth point was reached and failed; more:
 * the load passed fewer than N points).  Exits 0 unless it could not try.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *params = argc > 3 ? argv[3] : "";
	char buf[32];
	struct stat st;
	int fd, nth, err;
	ssize_t n, len;
	char *image;

	if (argc < 3) {
		fprintf(stderr, "usage: ks-failnth N MODULE.ko [PARAMS]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 2;
	}
	image = malloc(st.st_size);
	if (!image)
		return 2;
	for (len = 0; len < st.st_size; len += n) {
		n = read(fd, image + len, st.st_size - len);
		if (n <= 0) {
			perror("read");
			return 2;
		}
	}
	close(fd);
	nth = open("/proc/self/fail-nth", O_RDWR);
	if (nth < 0) {
		perror("/proc/self/fail-nth");
		return 2;
	}
	n = snprintf(buf, sizeof(buf), "%s", argv[1]);
	if (write(nth, buf, n) != n) {
		perror("fail-nth");
		return 2;
	}
	err = syscall(SYS_init_module, image, (unsigned long)len, params) ? errno : 0;
	n = pread(nth, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	/* What is left must not fail anything later. */
	if (write(nth, "0", 1) != 1)
		perror("fail-nth");
	printf("%d %d\n", err, atoi(buf));
	return 0;
}
