import { sourceUrlTemplateProblem } from '../model/source-link.js';
import { UsageError } from './errors.js';

/** `--source-url`: refused up front (exit 2) when it could never make a safe link, rather than silently ignored. */
export function checkSourceUrl(template: string | undefined): void {
  if (template === undefined) return;
  const problem = sourceUrlTemplateProblem(template);
  if (problem !== null) {
    throw new UsageError(
      `--source-url: ${problem}`,
      "e.g. --source-url 'https://github.com/o/r/blob/main/{file}#L{line}' or 'vscode://file/home/me/app/{file}:{line}'",
    );
  }
}
