/* dialect.c — reads the "dialect" object of a profile (docs/profile-format.md)
 * into a tkg_dialect, refusing what the CSV reader could not work with. */
#include "dialect.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static bool dfail(char *msg, size_t msglen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return false;
}

static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool tkg_dialect_parse(json_t *j, tkg_dialect *d, char *msg, size_t msglen) {
    *d = (tkg_dialect){.encoding = TKG_ENC_UTF8,
                       .bom = TKG_BOM_FORBIDDEN,
                       .delimiter = ',',
                       .quote = '"',
                       .newline = TKG_NL_ANY,
                       .header = TKG_HDR_EITHER,
                       .repeat_separator = ';'};
    if (!j) return true;
    if (!json_is_object(j)) return dfail(msg, msglen, "dialect: expected an object");
    const char *s;
    if ((s = jstr(j, "encoding"))) {
        if (!tkg_strcaseeq(s, "UTF-8") && !tkg_strcaseeq(s, "UTF8")) {
            if (tkg_strcaseeq(s, "UTF-16LE"))
                d->encoding = TKG_ENC_UTF16LE;
            else if (tkg_strcaseeq(s, "UTF-16BE"))
                d->encoding = TKG_ENC_UTF16BE;
            else if (tkg_strcaseeq(s, "CP932") || tkg_strcaseeq(s, "Shift_JIS") ||
                     tkg_strcaseeq(s, "SJIS") || tkg_strcaseeq(s, "Windows-31J"))
                d->encoding = TKG_ENC_CP932;
            else
                return dfail(msg, msglen, "dialect.encoding: \"%s\" is not UTF-8, UTF-16LE, UTF-16BE or CP932",
                            s);
        }
    }
    if ((s = jstr(j, "bom"))) {
        if (!strcmp(s, "forbidden"))
            d->bom = TKG_BOM_FORBIDDEN;
        else if (!strcmp(s, "required"))
            d->bom = TKG_BOM_REQUIRED;
        else if (!strcmp(s, "optional"))
            d->bom = TKG_BOM_OPTIONAL;
        else
            return dfail(msg, msglen, "dialect.bom: expected forbidden, required or optional");
    }
    if ((s = jstr(j, "delimiter"))) {
        if (strlen(s) != 1 || (unsigned char)s[0] > 0x7E || s[0] == '\n' || s[0] == '\r')
            return dfail(msg, msglen, "dialect.delimiter: expected one ASCII character");
        d->delimiter = s[0];
    }
    json_t *q = json_object_get(j, "quote");
    if (json_is_null(q))
        d->quote = 0;
    else if ((s = jstr(j, "quote"))) {
        if (strlen(s) != 1 || s[0] == d->delimiter)
            return dfail(msg, msglen, "dialect.quote: expected one ASCII character or null");
        d->quote = s[0];
    }
    if ((s = jstr(j, "newline"))) {
        if (!strcmp(s, "CRLF"))
            d->newline = TKG_NL_CRLF;
        else if (!strcmp(s, "LF"))
            d->newline = TKG_NL_LF;
        else if (!strcmp(s, "any"))
            d->newline = TKG_NL_ANY;
        else
            return dfail(msg, msglen, "dialect.newline: expected CRLF, LF or any");
    }
    if ((s = jstr(j, "header"))) {
        if (!strcmp(s, "japanese"))
            d->header = TKG_HDR_JAPANESE;
        else if (!strcmp(s, "romaji"))
            d->header = TKG_HDR_ROMAJI;
        else if (!strcmp(s, "either"))
            d->header = TKG_HDR_EITHER;
        else if (!strcmp(s, "none"))
            d->header = TKG_HDR_NONE;
        else
            return dfail(msg, msglen, "dialect.header: expected japanese, romaji, either or none");
    }
    if ((s = jstr(j, "repeat_separator"))) {
        if (strlen(s) != 1) return dfail(msg, msglen, "dialect.repeat_separator: expected one character");
        d->repeat_separator = s[0];
    }
    /* The reader cannot split records on these: refuse them here, with the key named. */
    if (d->delimiter == 0 || d->delimiter == d->quote)
        return dfail(msg, msglen, "dialect: the delimiter and the quote must differ");
    if (d->quote == '\r' || d->quote == '\n' || (unsigned char)d->quote > 0x7E)
        return dfail(msg, msglen, "dialect.quote: expected a printable ASCII character or null");
    return true;
}
