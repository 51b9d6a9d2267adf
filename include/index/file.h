/*
 * file.h — reading a file whole, within a limit: how the index reads a
 * note (workspace_scan, workspace_reload) and how the checker reads one;
 * and what a file was when it was read (struct file_sig).
 */
#ifndef VAULT_FILE_H
#define VAULT_FILE_H

#include "util.h"

/*
 * A note's file as it was on disk when its text was read (stat'ed before
 * the read, so never newer than the text): what a restart compares with
 * the disk to know the note unchanged without reading it (index_cache.h).
 * The change time too: a tool that writes a file and sets its mtime back
 * (rsync -t, a backup restored, `touch -r`) cannot set it. size
 * FILE_SIG_NONE: the text is not the file's (an open buffer), so never
 * taken for it. racy: the file changed within a couple of seconds of the
 * read, when a second write in the same clock tick would leave its times
 * as they were: its content is compared too.
 */
struct file_sig {
	uint64_t size;
	int64_t mtime_ns, ctime_ns;
	uint64_t ino;
	bool racy;
};
#define FILE_SIG_NONE UINT64_MAX

/* The signature of what stat says of abs now (racy as of now); false if
 * it is no regular file. */
bool file_sig_now(const char *abs, struct file_sig *sig);
/* Was a file of this change time changed too recently before now_ns (the
 * realtime clock, when its text was read) to be told apart by it? */
bool file_sig_racy(int64_t ctime_ns, int64_t now_ns);
int64_t file_now_ns(void);
/* The same file, as far as size, times and inode tell? (Never for
 * FILE_SIG_NONE.) */
bool file_sig_same(const struct file_sig *a, const struct file_sig *b);

/* Reads a file into out (reset first), at most max bytes: *truncated
 * says the file is larger, and out then holds only the part read before
 * the limit (the index drops it). False when it cannot be read. */
bool file_read(const char *abs, size_t max, struct strbuf *out, bool *truncated);

#endif
