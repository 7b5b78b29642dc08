// `node --import ./scripts/ink-output-hook.mjs …`: the same Ink patch as the bundle (ink-output-patch.mjs), for the bench.
import {register} from 'node:module';

register('./ink-output-loader.mjs', import.meta.url);
