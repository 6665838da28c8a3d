#ifndef OGI_BANNED_H
#define OGI_BANNED_H
/*
 * Functions that make buffer overflows and silent truncation easy.  Use
 * struct buf, snprintf and the parsers in util/ instead (as git's banned.h).
 * Every .c file includes it after all other headers; tests/lint.sh also greps.
 */
#undef strcpy
#define strcpy(x, y) BANNED_strcpy
#undef strcat
#define strcat(x, y) BANNED_strcat
#undef strncpy
#define strncpy(x, y, n) BANNED_strncpy
#undef sprintf
#define sprintf(...) BANNED_sprintf
#undef vsprintf
#define vsprintf(...) BANNED_vsprintf
#undef strtok
#define strtok(x, y) BANNED_strtok
#undef atoi
#define atoi(x) BANNED_atoi
#undef gets
#define gets(x) BANNED_gets

#endif
