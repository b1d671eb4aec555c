/*
 * UTF-8 for reports: file names and captured text may hold any bytes, but
 * JSON and XML must be valid UTF-8 (a JSON library refuses the string, an
 * XML parser the file). Invalid bytes become U+FFFD.
 */
#ifndef HVEXIT_UTIL_UTF8_H
#define HVEXIT_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4 bytes), 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s);
bool utf8_valid(const char *s);
/* A malloc'd copy of s with every invalid byte replaced by U+FFFD, or NULL
 * when out of memory. */
char *utf8_lossy(const char *s);

#endif
