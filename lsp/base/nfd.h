/*
 * nfd.h — canonical decomposition of code points (Unicode NFD).
 *
 * "Café" typed on a keyboard is precomposed (é, U+00E9); the same name
 * as macOS writes it in a file name is decomposed (e + U+0301). They are
 * one name, canonically. Names compare in NFD: each code point replaced
 * by its full canonical decomposition, and each run of combining marks
 * put in canonical order (by combining class, stably).
 */
#ifndef VAULT_NFD_H
#define VAULT_NFD_H

#include <stdint.h>

#define NFD_MAX 4 /* the longest full canonical decomposition */

/* Writes the full canonical decomposition of c to out and returns its
 * length; 1, with out[0] = c, if c does not decompose. */
unsigned nfd_decompose(uint32_t c, uint32_t out[NFD_MAX]);

/* The canonical combining class of c: 0 for a starter (every ASCII
 * character, every letter), 1..254 for a combining mark. */
unsigned nfd_ccc(uint32_t c);

#endif
