#include "file_sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

int file_sha256_hex(const char *path, char out[65])
{
    unsigned char buf[65536], digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    size_t n;
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = f && md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = EVP_DigestUpdate(md, buf, n) == 1;
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(md, digest, &len) == 1 && len == 32;
    if (f) fclose(f);
    EVP_MD_CTX_free(md);
    if (!ok) return -1;
    for (unsigned int i = 0; i < len; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
