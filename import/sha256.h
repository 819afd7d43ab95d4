/* SHA-256 of a file, for the report's record of which export it read. */
#ifndef SHA256_H
#define SHA256_H

/* Lower-case hex into out[65]; -1 when the file cannot be read. */
int sha256_file_hex(const char *path, char out[65]);

#endif
