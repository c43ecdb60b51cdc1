/* Writing whole buffers to file descriptors despite short writes. */
#include "fd_write.h"

#include <errno.h>
#include <unistd.h>

int
fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t r;

	while (len > 0) {
		if ((r = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}
