/**
 * Entry of the Findings page's script (bundled to one IIFE and inlined by reports/web-client-source.ts): filters
 * the findings by severity, kind and free text, as an issue list does. The controls are in the page, hidden, and
 * shown only once this runs (without script every finding is simply listed). A matrix row follows its finding.
 * Nothing from the log is written as HTML here: the text filter reads each finding's textContent.
 */

const panel = document.getElementById('findings-filter');
if (panel) wire(panel);

function wire(panel: HTMLElement): void {
  const findings = Array.from(document.querySelectorAll<HTMLElement>('section.finding'));
  const rows = new Map<string, HTMLElement>();
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('.matrix tbody th a[href^="#"]'))) {
    const row = link.closest('tr');
    if (row) rows.set(link.getAttribute('href')!.slice(1), row);
  }
  const severities = Array.from(panel.querySelectorAll<HTMLInputElement>('input[name="severity"]'));
  const kind = panel.querySelector<HTMLSelectElement>('select[name="kind"]')!;
  const search = panel.querySelector<HTMLInputElement>('input[name="q"]')!;
  const shown = panel.querySelector<HTMLElement>('.shown')!;
  const text = new Map(findings.map((f) => [f, (f.textContent ?? '').toLowerCase()]));

  const apply = () => {
    const wanted = new Set(severities.filter((s) => s.checked).map((s) => s.value));
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    for (const f of findings) {
      const visible =
        wanted.has(f.dataset['severity'] ?? '') &&
        (kind.value === '' || f.dataset['kind'] === kind.value) &&
        words.every((w) => text.get(f)!.includes(w));
      f.hidden = !visible;
      const row = rows.get(f.id);
      if (row) row.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = `${count} of ${findings.length} shown`;
  };
  for (const s of severities) s.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  search.addEventListener('input', apply);
  panel.hidden = false;
  apply();
}
