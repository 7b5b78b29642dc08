// Module hook for pane-fault.mjs: the first function of ui/kernel-log.js counts its renders and
// throws past the limit.
export async function load(url, context, nextLoad) {
	const result = await nextLoad(url, context);
	if (!url.endsWith('/ui/kernel-log.js')) return result;
	const source = String(result.source);
	const fault = "globalThis.__quiesceRenders = (globalThis.__quiesceRenders ?? 0) + 1; if (globalThis.__quiesceRenders > globalThis.__quiesceFaultAfter) throw new Error('injected fault inside the kernel log pane');";
	const patched = source.replace(/(function \w+\([^)]*\)\s*\{)/, `$1 ${fault}`);
	if (patched === source) throw new Error('pane-fault-loader: no function to patch in ui/kernel-log.js');
	return {...result, source: patched};
}
