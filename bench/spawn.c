/*
 * Runs a program N times, one after the other, the way sshd runs its
 * AuthorizedKeysCommand (fork, exec, wait), and prints for each run the
 * wall time in microseconds and the peak RSS of that process in KiB.
 *
 * A small process of its own does the forking: a child forked from a large
 * one (the benchmark's Python) starts with its parent's resident pages and
 * its parent's page tables to copy, which would count against the program.
 *
 * usage: spawn N PROGRAM [ARG ...]   (output of the program goes nowhere)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int i, n, status, null;
	pid_t pid;

	if (argc < 3 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: spawn N PROGRAM [ARG ...]\n");
		return 2;
	}
	if ((null = open("/dev/null", O_RDWR)) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) == -1)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "spawn: %s failed\n", argv[2]);
			return 1;
		}
		printf("%ld %ld\n", (t1.tv_sec - t0.tv_sec) * 1000000L +
		    (t1.tv_nsec - t0.tv_nsec) / 1000, ru.ru_maxrss);
	}
	return 0;
}
