// Keeps the task log on its newest line while the reader is at the bottom; scrolled anywhere else, it stays put.
export function follow(log) {
    if (!log || log.dataset.following) {
        return;
    }
    log.dataset.following = "true";
    let atBottom = true;
    log.addEventListener("scroll", () => {
        atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
    }, { passive: true });
    new MutationObserver(() => {
        if (atBottom) {
            log.scrollTop = log.scrollHeight;
        }
    }).observe(log, { childList: true, subtree: true, characterData: true });
    log.scrollTop = log.scrollHeight;
}
