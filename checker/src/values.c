/* values.c — syntax checks of the 基本データリスト data types (9, S9, 9V, DATE,
 * TIME, YEAR, BLOB) and the public check-digit algorithms of STANDARDS.md §6.
 *
 * These run once per field on files of millions of rows, so every check is a
 * single pass over bytes with no allocation. Digits are compared as ASCII bytes
 * rather than with <ctype.h>, whose answers depend on the locale and whose
 * arguments must be cast to avoid undefined behaviour on high bytes; a UTF-8
 * full-width digit is therefore never a digit here, which is what the standard
 * means by a half-width numeric field. */
#include "values.h"

static inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static inline unsigned digit(char c) {
    return (unsigned)(unsigned char)c - (unsigned)'0';
}

/* The identifiers are all fixed-width digit strings; shape first so the
 * arithmetic below can trust every byte. */
static bool all_digits(const char *s, size_t n, size_t want) {
    if (n != want) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return false;
    return true;
}

bool tkg_check_municipality_code(const char *s, size_t n) {
    if (!all_digits(s, n, 6)) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 5; i++)
        sum += digit(s[i]) * (unsigned)(6 - i);
    return digit(s[5]) == (11 - sum % 11) % 10;
}

bool tkg_check_my_number(const char *s, size_t n) {
    if (!all_digits(s, n, 12)) return false;
    unsigned sum = 0;
    /* P_n is counted from the right starting at the digit left of the check
     * digit, so P_n sits at index 11 - n. */
    for (unsigned k = 1; k <= 11; k++) {
        unsigned q = k <= 6 ? k + 1 : k - 5;
        sum += digit(s[11 - k]) * q;
    }
    unsigned r = sum % 11;
    unsigned check = r <= 1 ? 0 : 11 - r;
    return digit(s[11]) == check;
}

bool tkg_check_corporate_number(const char *s, size_t n) {
    if (!all_digits(s, n, 13)) return false;
    unsigned sum = 0;
    /* The check digit leads, so the base digits are s[1..12] and P_n (from the
     * right) is s[13 - n]. */
    for (unsigned k = 1; k <= 12; k++)
        sum += digit(s[13 - k]) * ((k & 1u) ? 1u : 2u);
    return digit(s[0]) == 9 - sum % 9;
}

bool tkg_check_choaza_id(const char *s, size_t n) {
    return all_digits(s, n, 7);
}

bool tkg_check_postal_code(const char *s, size_t n) {
    return all_digits(s, n, 7);
}

/* Value of a run of ASCII digits already known to be digits. */
static unsigned digits_value(const char *s, size_t n) {
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + digit(s[i]);
    return v;
}

static bool is_leap(unsigned y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

tkg_date_result tkg_check_date(const char *s, size_t n) {
    if (n != 10 || s[4] != '-' || s[7] != '-') return TKG_DATE_SYNTAX;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i])) return TKG_DATE_SYNTAX;

    unsigned y = digits_value(s, 4);
    unsigned m = digits_value(s + 5, 2);
    unsigned d = digits_value(s + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > 31) return TKG_DATE_RANGE;
    /* Year 0000 exists only as the open lower bound of a range; any other date
     * in it is not a value the standard can mean. */
    if (y == 0) return (m == 1 && d == 1) ? TKG_DATE_OK : TKG_DATE_RANGE;

    /* 住民記録 accepts 暦上日以外 (j80) for a few items, so a day that the
     * month lacks gets its own result that the caller may tolerate. */
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned last = month_days[m - 1];
    if (m == 2 && is_leap(y)) last = 29;
    return d > last ? TKG_DATE_NONCALENDAR : TKG_DATE_OK;
}

/* Two ASCII digits with value at most max. */
static bool two_digits_upto(const char *s, unsigned max) {
    return is_digit(s[0]) && is_digit(s[1]) && digits_value(s, 2) <= max;
}

bool tkg_check_time(const char *s, size_t n) {
    if (n != 5 && n != 8) return false;
    if (!two_digits_upto(s, 23) || s[2] != ':' || !two_digits_upto(s + 3, 59)) return false;
    if (n == 5) return true;
    return s[5] == ':' && two_digits_upto(s + 6, 59);
}

bool tkg_check_year(const char *s, size_t n) {
    return all_digits(s, n, 4);
}

/* Length of the leading run of ASCII digits. */
static size_t digit_run(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    return i;
}

tkg_num_result tkg_check_unsigned(const char *s, size_t n, unsigned max_digits) {
    /* The whole string is scanned before the length is judged, so that a
     * malformed value is reported as such even when it is also too long. */
    if (n == 0 || digit_run(s, n) != n) return TKG_NUM_SYNTAX;
    return n > max_digits ? TKG_NUM_TOO_LONG : TKG_NUM_OK;
}

tkg_num_result tkg_check_signed(const char *s, size_t n, unsigned max_digits) {
    if (n > 0 && s[0] == '-') {
        s++;
        n--;
    }
    return tkg_check_unsigned(s, n, max_digits);
}

tkg_num_result tkg_check_decimal(const char *s, size_t n, unsigned int_digits,
                                 unsigned frac_digits) {
    size_t ilen = digit_run(s, n);
    if (ilen == 0) return TKG_NUM_SYNTAX;
    size_t flen = 0;
    if (ilen < n) {
        if (s[ilen] != '.') return TKG_NUM_SYNTAX;
        flen = n - ilen - 1;
        if (flen == 0 || digit_run(s + ilen + 1, flen) != flen) return TKG_NUM_SYNTAX;
    }
    if (ilen > int_digits || flen > frac_digits) return TKG_NUM_TOO_LONG;
    return TKG_NUM_OK;
}

static inline bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

bool tkg_check_base64(const char *s, size_t n) {
    if (n % 4 != 0) return false;
    if (n == 0) return true;
    /* Padding can only be the last one or two bytes of the last quantum; one
     * data character alone cannot encode a byte, so '===' never occurs. */
    size_t pad = 0;
    if (s[n - 1] == '=') pad = (s[n - 2] == '=') ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (!is_base64_char(s[i])) return false;
    return true;
}
