// The component inventory the library serves; stands in for the host SDK inventory endpoint.

export interface LibraryComponent {
  id: string;
  name: string;
  category: 'basic' | 'layout' | 'media' | 'form';
  tags: string[];
  defaultSize: { width: number; height: number };
}

const NAMES: Array<[string, LibraryComponent['category'], string[]]> = [
  ['Button', 'basic', ['action', 'click']],
  ['Heading', 'basic', ['text', 'title']],
  ['Paragraph', 'basic', ['text', 'body']],
  ['Image', 'media', ['picture', 'photo']],
  ['Video', 'media', ['player', 'movie']],
  ['Container', 'layout', ['box', 'group']],
  ['Grid', 'layout', ['columns', 'rows']],
  ['Line', 'basic', ['divider', 'stroke']],
  ['Input', 'form', ['text', 'field']],
  ['Checkbox', 'form', ['toggle', 'field']],
  ['Select', 'form', ['dropdown', 'field']],
  ['Card', 'layout', ['panel', 'box']],
];

/** Builds the inventory; sizes depend on the position so every component differs. */
export function buildInventory(): LibraryComponent[] {
  return NAMES.map(([name, category, tags], i) => ({
    id: `lib-${name.toLowerCase()}`,
    name,
    category,
    tags,
    defaultSize: { width: 80 + (i % 4) * 40, height: 32 + (i % 3) * 24 },
  }));
}
