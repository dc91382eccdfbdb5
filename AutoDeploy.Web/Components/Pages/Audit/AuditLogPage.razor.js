// The browser's IANA time zone, so the audit log can show times the way the reader lives them.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
