// The browser's IANA time zone, so that every page shows times the way the reader lives them.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
