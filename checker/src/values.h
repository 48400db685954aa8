/* values.h — syntax checks of the 基本データリスト data types and the public
 * check-digit algorithms (全国地方公共団体コード, 個人番号, 法人番号, 町字ID).
 *
 * Ownership: pure functions over caller buffers; nothing allocates. */
#ifndef TKG_VALUES_H
#define TKG_VALUES_H

#include <stddef.h>
#include <stdbool.h>

/* 6 digits; check digit = (11 - (6d1+5d2+4d3+3d4+2d5) mod 11) mod 10. */
bool tkg_check_municipality_code(const char *s, size_t n);
/* 個人番号: exactly 12 digits with the check digit of STANDARDS.md §6. */
bool tkg_check_my_number(const char *s, size_t n);
/* 法人番号: exactly 13 digits, check digit first. */
bool tkg_check_corporate_number(const char *s, size_t n);
/* 町字ID shape: exactly 7 digits. */
bool tkg_check_choaza_id(const char *s, size_t n);
/* 郵便番号 shape: exactly 7 digits. */
bool tkg_check_postal_code(const char *s, size_t n);

typedef enum {
    TKG_DATE_OK = 0,
    TKG_DATE_SYNTAX, /* not YYYY-MM-DD with digits and hyphens */
    TKG_DATE_RANGE,  /* month not 01–12, day not 01–31, or year 0000 other than 0000-01-01 */
    TKG_DATE_NONCALENDAR /* day 29–31 beyond the month's length, e.g. 2023-02-29 or 2023-04-31 */
} tkg_date_result;

/* YYYY-MM-DD. The bounds 0000-01-01 and 9999-12-31 are valid. */
tkg_date_result tkg_check_date(const char *s, size_t n);
/* HH:MM:SS or HH:MM, 24-hour (00–23, 00–59, 00–59). */
bool tkg_check_time(const char *s, size_t n);
/* YYYY, four digits (0000 and 9999 are the open bounds). */
bool tkg_check_year(const char *s, size_t n);

typedef enum {
    TKG_NUM_OK = 0,
    TKG_NUM_SYNTAX,  /* not the expected digits / sign / point */
    TKG_NUM_TOO_LONG /* more digits than the 桁数 allows */
} tkg_num_result;

/* Type 9: digits only (leading zeros allowed, no sign), at most max_digits. */
tkg_num_result tkg_check_unsigned(const char *s, size_t n, unsigned max_digits);
/* Type S9: optional leading '-', then digits; the sign is not counted. "-0" is allowed. */
tkg_num_result tkg_check_signed(const char *s, size_t n, unsigned max_digits);
/* Type 9V n,m: digits, optionally '.' and at least one fraction digit; at most
 * int_digits before the point and frac_digits after it; no sign. */
tkg_num_result tkg_check_decimal(const char *s, size_t n, unsigned int_digits,
                                 unsigned frac_digits);
/* BLOB: standard base64 (RFC 4648 §4) with '=' padding, length a multiple of 4. */
bool tkg_check_base64(const char *s, size_t n);

#endif
