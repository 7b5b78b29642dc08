// Module hook for pane-fault.mjs: the kernel log pane's function (KernelLogPane, in ui/kernel-log.js
// of the tsc output or in whichever chunk of the bundle holds it) counts its renders and throws past the limit.
export async function load(url, context, nextLoad) {
	const result = await nextLoad(url, context);
	if (!url.startsWith('file:') || url.includes('/node_modules/') || result.source == null) return result;
	const source = String(result.source);
	if (!source.includes('function KernelLogPane(')) return result;
	const fault = "globalThis.__quiesceRenders = (globalThis.__quiesceRenders ?? 0) + 1; if (globalThis.__quiesceRenders > globalThis.__quiesceFaultAfter) throw new Error('injected fault inside the kernel log pane');";
	const patched = source.replace(/(function KernelLogPane\([^)]*\)\s*\{)/, `$1 ${fault}`);
	if (patched === source) throw new Error(`pane-fault-loader: KernelLogPane found but not patched in ${url}`);
	return {...result, source: patched};
}
