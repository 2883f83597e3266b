/**
 * The script `beatscope serve` adds to the report pages it serves (the static site's pages, html-site.ts): a
 * "Live" link back to `/` in the navigation, the `?token=` the page was opened with passed on to its links and its
 * event stream, and a refresh when the SSE stream says runs changed. The refresh reloads the page (its content is
 * rendered by the server, with the page's own scripts) at most once per 2 s, and puts the scroll position back.
 */

/** Least time between two refreshes of a page, ms. */
export const REFRESH_MS = 2000;

export function liveReportScript(): string {
  return `(() => {
  const token = new URLSearchParams(location.search).get('token');
  const q = (path) => token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
  // Links between the site's pages are relative (\`heatmap.html#...\`): they get the token too.
  if (token) for (const a of document.querySelectorAll('a[href]')) {
    const m = /^([a-z-]+\\.html)(#.*)?$/.exec(a.getAttribute('href'));
    if (m) a.setAttribute('href', q(m[1]) + (m[2] || ''));
  }
  const nav = document.querySelector('header.top nav');
  if (nav) {
    const live = document.createElement('a');
    live.href = q('/');
    live.textContent = 'Live';
    nav.prepend(live);
  }
  const scrollKey = 'beatscope-scroll ' + location.pathname;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(' ').map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    requestAnimationFrame(restore);
  }
  const loadedAt = performance.now();
  let pending = false;
  const events = new EventSource(q('/api/events'));
  events.addEventListener('runs', () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      sessionStorage.setItem(scrollKey, window.scrollX + ' ' + window.scrollY);
      events.close();
      location.reload();
    }, Math.max(0, ${REFRESH_MS} - (performance.now() - loadedAt)));
  });
})();`;
}
