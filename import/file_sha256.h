/* SHA-256 of a file (OpenSSL's EVP), for the report's record of which export
 * it read. */
#ifndef FILE_SHA256_H
#define FILE_SHA256_H

/* Lower-case hex into out[65]; -1 when the file cannot be read. */
int file_sha256_hex(const char *path, char out[65]);

#endif
