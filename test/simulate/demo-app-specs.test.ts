// Runs the demo app's vitest specs (`*.spec.ts`, RenderX naming) inside the project suite: importing a spec file
// registers its describe/it blocks here.
import '../../examples/demo-app/plugins/canvas-component/__tests__/create.from-data.spec.js';
import '../../examples/demo-app/plugins/canvas-component/__tests__/handlers.export.spec.js';
import '../../examples/demo-app/plugins/canvas-component/__tests__/handlers.handlers.spec.js';
import '../../examples/demo-app/plugins/control-panel/__tests__/handlers.css.spec.js';
import '../../examples/demo-app/plugins/control-panel/__tests__/handlers.ui.spec.js';
import '../../examples/demo-app/plugins/header/__tests__/handlers.theme.spec.js';
import '../../examples/demo-app/plugins/library-component/__tests__/drop.spec.js';
import '../../examples/demo-app/plugins/library/__tests__/handlers.loadComponents.spec.js';
import '../../examples/demo-app/plugins/library/__tests__/handlers.search.spec.js';
