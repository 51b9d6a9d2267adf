/* file.c — reading a file whole, within a limit; what it was on disk. */
#include "file.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

/* Two seconds: coarser than any clock tick a file system stamps with
 * (FAT's is two seconds; ext4 and the others' a few milliseconds). */
#define RACY_NS 2000000000ll

int64_t file_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool file_sig_racy(int64_t ctime_ns, int64_t now_ns)
{
	return ctime_ns > now_ns - RACY_NS;
}

bool file_sig_now(const char *abs, struct file_sig *sig)
{
	struct stat st;
	if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	sig->size = (uint64_t)st.st_size;
#ifdef __APPLE__
	sig->mtime_ns = (int64_t)st.st_mtimespec.tv_sec * 1000000000 + st.st_mtimespec.tv_nsec;
	sig->ctime_ns = (int64_t)st.st_ctimespec.tv_sec * 1000000000 + st.st_ctimespec.tv_nsec;
#else
	sig->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	sig->ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
#endif
	sig->ino = (uint64_t)st.st_ino;
	sig->racy = file_sig_racy(sig->ctime_ns, file_now_ns());
	return true;
}

bool file_sig_same(const struct file_sig *a, const struct file_sig *b)
{
	return a->size != FILE_SIG_NONE && a->size == b->size && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns && a->ino == b->ino;
}

bool file_read(const char *abs, size_t max, struct strbuf *out, bool *truncated)
{
	if (!out->ptr)
		strbuf_init(out);
	out->len = 0;
	out->ptr[0] = '\0';
	*truncated = false;
	FILE *f = fopen(abs, "rb");
	if (!f)
		return false;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + got > max) {
			*truncated = true;
			break;
		}
		strbuf_put(out, chunk, got);
	}
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}
