// Preload (node --import): a fault inside a pane. The kernel log pane's render throws once it
// has rendered QUIESCE_FAULT_AFTER_RENDERS times (the monitor is up, playing and redrawing).
import {register} from 'node:module';
register(new URL('./pane-fault-loader.mjs', import.meta.url));
globalThis.__quiesceFaultAfter = Number(process.env.QUIESCE_FAULT_AFTER_RENDERS ?? 5);
