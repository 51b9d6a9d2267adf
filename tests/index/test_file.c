/*
 * test_file.c — file_read: a whole file, the limit, a missing file.
 */
#include "file.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char path[] = "/tmp/vault-file-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 2;
	}
	/* Two reads' worth (the file is read 64 KiB at a time) and a bit. */
	size_t size = 2 * 65536 + 100;
	char *data = malloc(size);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)('a' + i % 26);
	if (write(fd, data, size) != (ssize_t)size) {
		perror("write");
		return 2;
	}
	close(fd);

	struct strbuf out = { 0 };
	bool truncated = true;
	OK(file_read(path, size, &out, &truncated));
	OK(!truncated);
	INT_EQ(out.len, size);
	OK(out.len == size && memcmp(out.ptr, data, size) == 0);
	INT_EQ(out.ptr[out.len], '\0');

	/* Larger than max: cut at a read before the limit. */
	OK(file_read(path, size - 1, &out, &truncated));
	OK(truncated);
	INT_EQ(out.len, 2 * 65536);
	OK(memcmp(out.ptr, data, out.len) == 0);
	OK(file_read(path, 10, &out, &truncated));
	OK(truncated);
	INT_EQ(out.len, 0);
	STR_EQ(out.ptr, "");

	/* Gone: false, and out empty (not what the last read left). */
	unlink(path);
	OK(!file_read(path, size, &out, &truncated));
	INT_EQ(out.len, 0);
	STR_EQ(out.ptr, "");
	strbuf_fini(&out);
	free(data);
	return harness_done("test_file");
}
