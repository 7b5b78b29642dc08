/**
 * A self-contained HTML page of a device timeline, for bug reports: one file,
 * no network fetch (inline CSS and script, data as JSON in a script element),
 * readable without JavaScript as tables, interactive with it: the cycle list,
 * the phase bars, the device timeline with zoom (buttons, ctrl+wheel) and a
 * hover card per callback, failures marked, and the log lines behind a bar
 * (click it).
 */
import type {DeviceTimeline} from './device-timeline.js';
import {compareCycles, deviceLabel, formatUs, phaseSpan, rankCallbacks} from './report.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);
}

/** JSON that is safe inside <script>: no "</script>", no U+2028/2029 surprises. */
function scriptJson(value: unknown): string {
	return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export type HtmlOptions = {title: string; generatedBy?: string};

const style = `
:root{--bg:#fff;--fg:#1d1f21;--mute:#6b7280;--line:#e5e7eb;--ok:#3b82f6;--async:#14b8a6;--bad:#dc2626;--unf:#f59e0b;--phase:#eef2ff}
*{box-sizing:border-box}body{margin:0;font:13px/1.4 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:8px 12px;border-bottom:1px solid var(--line)}h1{font-size:16px;margin:0}
.muted{color:var(--mute)}main{display:flex;min-height:calc(100vh - 50px)}
#cycles{width:220px;flex:none;border-right:1px solid var(--line);overflow:auto;margin:0;padding:0;list-style:none}
#cycles li{padding:6px 10px;border-bottom:1px solid var(--line);cursor:pointer}#cycles li.sel{background:var(--phase)}
#cycles li.failed .st{color:var(--bad);font-weight:bold}
#view{flex:1;min-width:0;padding:8px 12px}
.toolbar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
button{font:inherit;padding:2px 8px}
#phases{position:sticky;top:0;z-index:3;height:24px;background:#fff;border-bottom:1px solid var(--line)}
.phase{position:absolute;top:0;bottom:0;cursor:pointer;background:var(--phase);border-right:1px solid #c7d2fe;font-size:11px;padding:2px 4px;white-space:nowrap;overflow:hidden}
.phase.aborted{background:#fee2e2}
#scroller{overflow:auto;border:1px solid var(--line);max-height:70vh}
#rows{position:relative}
.row{position:relative;height:18px;border-bottom:1px solid #f3f4f6}
.label{position:sticky;left:0;z-index:2;display:inline-block;width:260px;height:18px;background:#fffe;font:11px/18px ui-monospace,monospace;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:4px}
.bar{position:absolute;top:3px;height:12px;min-width:2px;background:var(--ok);border-radius:2px;cursor:pointer}
.bar.async{background:var(--async)}.bar.failed{background:var(--bad)}.bar.unfinished{background:repeating-linear-gradient(45deg,var(--unf),var(--unf) 4px,#fde68a 4px,#fde68a 8px)}
.bar:hover,.bar.sel{outline:2px solid #111}
#tip{position:fixed;z-index:10;pointer-events:none;background:#111827;color:#f9fafb;padding:6px 8px;border-radius:4px;font-size:12px;max-width:min(480px,calc(100vw - 16px));display:none;white-space:pre-wrap}
#failures{margin:0 0 6px;padding:0;list-style:none;color:var(--bad);font:11px ui-monospace,monospace}#failures li{white-space:pre-wrap;word-break:break-all}
#detail{margin-top:8px;border:1px solid var(--line);padding:6px 8px;min-height:3em}
#detail pre{margin:4px 0 0;white-space:pre-wrap;word-break:break-all;font:11px ui-monospace,monospace;background:#f9fafb;padding:4px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid var(--line);padding:2px 6px;font-size:12px;text-align:left}
noscript table{display:table}
@media (max-width:700px){main{flex-direction:column}#cycles{width:auto;max-height:140px;border-right:0;border-bottom:1px solid var(--line)}.label{width:150px}}
`;

const script = `
(function(){
var data=JSON.parse(document.getElementById('timeline-data').textContent);
var cyclesEl=document.getElementById('cycles'),rowsEl=document.getElementById('rows'),phasesEl=document.getElementById('phases');
var failuresEl=document.getElementById('failures'),tip=document.getElementById('tip'),detail=document.getElementById('detail'),zoomEl=document.getElementById('zoom-level');
var state={cycle:0,zoom:1,sort:'start',phase:''};var phaseSel=document.getElementById('phase');
function fmt(us){if(us>=1e6)return (us/1e6).toFixed(3)+' s';if(us>=1e4)return (us/1e3).toFixed(1)+' ms';return us+' \\u00b5s';}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function label(c){return c.driver?c.driver+' '+c.device:c.device;}
data.cycles.forEach(function(c,i){
  var li=el('li',c.failed?'failed':'');li.dataset.cycle=String(c.index);
  li.appendChild(el('div','', 'cycle '+c.index+' \\u00b7 '+c.kind));
  li.appendChild(el('div','muted st',c.callbacks.length+' callbacks \\u00b7 '+(c.failed?'FAILED':'ok')));
  li.addEventListener('click',function(){select(i);});
  cyclesEl.appendChild(li);
});
function select(i){state.cycle=i;state.phase='';phaseSel.textContent='';phaseSel.appendChild(new Option('all phases',''));(data.cycles[i]?data.cycles[i].phases:[]).forEach(function(p){phaseSel.appendChild(new Option(p.name+' ('+p.callbacks+')',p.name));});Array.prototype.forEach.call(cyclesEl.children,function(li,j){li.classList.toggle('sel',j===i);});draw();}
function draw(){
  var c=data.cycles[state.cycle];rowsEl.textContent='';phasesEl.textContent='';phasesEl.appendChild(el('span','label','phases'));detail.textContent='Click a bar for the log lines behind it.';
  failuresEl.textContent='';
  if(!c)return;
  c.failures.forEach(function(f){failuresEl.appendChild(el('li','',f.file+':'+f.line+': '+f.text));});
  var sel=c.phases.filter(function(p){return p.name===state.phase;})[0];
  var t0=sel?sel.startUs:c.startUs,span=Math.max(1,sel?sel.endUs-sel.startUs:c.endUs-c.startUs);
  var lw=window.matchMedia('(max-width:700px)').matches?152:262;
  var width=Math.max(200,document.getElementById('scroller').clientWidth-lw-8)*state.zoom;
  var x=function(t){return lw+((t-t0)/span)*width;};
  c.phases.forEach(function(p){
    if(sel&&p!==sel)return;
    var d=el('div','phase'+(p.aborted?' aborted':''),p.name+' '+fmt(p.kernelUsecs!=null?p.kernelUsecs:p.callbackUsecs));
    d.style.left=x(p.startUs)+'px';d.style.width=Math.max(3,(p.endUs-p.startUs)/span*width)+'px';
    d.title=p.name+': '+(p.kernelUsecs!=null?fmt(p.kernelUsecs)+' (kernel)':'no dpm line')+', '+p.callbacks+' callbacks';
    d.dataset.phase=p.name;d.addEventListener('click',function(){state.phase=state.phase===p.name?'':p.name;phaseSel.value=state.phase;draw();});
    phasesEl.appendChild(d);
  });
  var list=c.callbacks.filter(function(cb){return !sel||cb.phase===sel.name;});
  if(state.sort==='time')list.sort(function(a,b){var fa=(a.status==='failed'||a.status==='unfinished')?1:0,fb=(b.status==='failed'||b.status==='unfinished')?1:0;return fb-fa||(b.usecs||0)-(a.usecs||0);});
  rowsEl.style.width=(width+lw+8)+'px';phasesEl.style.width=(width+lw+8)+'px';
  list.forEach(function(cb){
    var row=el('div','row');var lab=el('span','label',label(cb));lab.title=label(cb);row.appendChild(lab);
    var bar=el('div','bar'+(cb.async?' async':'')+(cb.status==='failed'?' failed':'')+(cb.status==='unfinished'?' unfinished':''));
    bar.style.left=x(cb.startUs)+'px';bar.style.width=Math.max(2,(cb.endUs-cb.startUs)/span*width)+'px';
    bar.dataset.device=cb.device;bar.dataset.status=cb.status;
    bar.addEventListener('mouseenter',function(ev){tip.style.display='block';tip.textContent=label(cb)+'\\n'+(cb.callback||'(callback not printed)')+'  ['+cb.phase+']\\n'+(cb.usecs!=null?cb.usecs+' \\u00b5s':'never returned')+(cb.rc!=null?'  rc '+cb.rc:'')+(cb.pid!=null?'  pid '+cb.pid+(cb.async?' (async)':''):'')+(cb.parent?'  parent '+cb.parent:'')+'\\n'+cb.file+':'+cb.line;move(ev);});
    bar.addEventListener('mousemove',move);bar.addEventListener('mouseleave',function(){tip.style.display='none';});
    bar.addEventListener('click',function(){state.sel=cb;show(bar,cb);});
    row.appendChild(bar);rowsEl.appendChild(row);
    if(state.sel===cb)show(bar,cb);
  });
  zoomEl.textContent=state.zoom+'\\u00d7';
}
function show(bar,cb){Array.prototype.forEach.call(rowsEl.querySelectorAll('.bar.sel'),function(b){b.classList.remove('sel');});bar.classList.add('sel');detail.textContent='';detail.appendChild(el('div','',label(cb)+' \\u2014 '+(cb.callback||'')+' \\u2014 '+cb.status));detail.appendChild(el('pre','log-lines',cb.text.map(function(t,k){return (k===0?cb.line:cb.returnLine)+': '+t;}).join('\\n')));}
function move(ev){tip.style.left=Math.max(4,Math.min(ev.clientX+12,window.innerWidth-tip.offsetWidth-8))+'px';tip.style.top=(ev.clientY+14)+'px';}
function zoom(f){state.zoom=Math.min(256,Math.max(1,state.zoom*f));draw();}
document.getElementById('zoom-in').addEventListener('click',function(){zoom(2);});
document.getElementById('zoom-out').addEventListener('click',function(){zoom(0.5);});
document.getElementById('zoom-reset').addEventListener('click',function(){state.zoom=1;draw();});
phaseSel.addEventListener('change',function(e){state.phase=e.target.value;draw();});
document.getElementById('sort').addEventListener('change',function(e){state.sort=e.target.value;draw();});
document.getElementById('scroller').addEventListener('wheel',function(e){if(e.ctrlKey){e.preventDefault();zoom(e.deltaY<0?2:0.5);}},{passive:false});
window.addEventListener('resize',draw);
var first=0;for(var i=0;i<data.cycles.length;i++){if(data.cycles[i].callbacks.length){first=i;break;}}
document.documentElement.dataset.ready='1';
select(first);
})();
`;

/** The page. Data for the script is embedded as JSON; the <noscript> tables carry the same facts. */
export function timelineHtml(timeline: DeviceTimeline, options: HtmlOptions): string {
	const data = {
		cycles: timeline.cycles.map(c => ({
			index: c.index,
			kind: c.kind,
			startUs: c.startUs,
			endUs: c.endUs,
			failed: c.failed,
			closed: c.closed,
			phases: c.phases,
			failures: c.failures,
			callbacks: c.callbacks.map(cb => ({...cb})),
		})),
	};
	const fallback = timeline.cycles
		.map(c => {
			const rows = rankCallbacks(c.callbacks)
				.map(cb => `<tr><td>${escapeHtml(c.phases.length ? cb.phase : '')}</td><td>${escapeHtml(deviceLabel(cb))}</td><td>${escapeHtml(cb.callback ?? '')}</td><td>${cb.usecs ?? 'never returned'}</td><td>${cb.rc ?? ''}</td><td>${escapeHtml(cb.status)}</td></tr>`)
				.join('');
			const phases = c.phases.map(p => `${escapeHtml(p.name)} ${escapeHtml(formatUs(phaseSpan(p)))}`).join(', ');
			return `<h2>Cycle ${c.index} (${escapeHtml(c.kind)})${c.failed ? ' — FAILED' : ''}</h2><p>${phases}</p><table><tr><th>phase</th><th>device</th><th>callback</th><th>µs</th><th>rc</th><th>status</th></tr>${rows}</table>`;
		})
		.join('');
	const comparison = compareCycles(timeline);
	const signed = (us: number) => `${us >= 0 ? '+' : '−'}${formatUs(Math.abs(us))}`;
	const compare = comparison
		? `<details id="compare"><summary>Fastest cycle ${comparison.fastest} (${escapeHtml(formatUs(comparison.fastestUsecs))}) vs slowest cycle ${comparison.slowest} (${escapeHtml(formatUs(comparison.slowestUsecs))}): what changed</summary><table class="phases"><tr><th>phase</th><th>cycle ${comparison.fastest}</th><th>cycle ${comparison.slowest}</th><th>change</th></tr>${comparison.phases.map(p => `<tr><td>${escapeHtml(p.phase)}</td><td>${escapeHtml(formatUs(p.fastestUsecs))}</td><td>${escapeHtml(formatUs(p.slowestUsecs))}</td><td>${escapeHtml(signed(p.deltaUsecs))}</td></tr>`).join('')}</table><table class="devices"><tr><th>device</th><th>callback</th><th>phase</th><th>cycle ${comparison.fastest}</th><th>cycle ${comparison.slowest}</th><th>change</th></tr>${comparison.devices
				.slice(0, 20)
				.map(d => `<tr><td>${escapeHtml(deviceLabel(d))}</td><td>${escapeHtml(d.callback ?? '')}</td><td>${escapeHtml(d.phase)}</td><td>${d.fastestUsecs === null ? 'absent' : `${d.fastestUsecs} µs`}</td><td>${d.slowestUsecs === null ? 'absent' : `${d.slowestUsecs} µs`}</td><td>${escapeHtml(signed(d.deltaUsecs))}</td></tr>`)
				.join('')}</table></details>`
		: '';
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)} — device timeline</title><style>${style}</style></head>
<body><header><h1>Device callbacks: ${escapeHtml(options.title)}</h1>
<div class="muted">${timeline.cycles.length} cycle(s), ${timeline.callbacks} callbacks (${timeline.callingLines} calling / ${timeline.returnedLines} returned lines). µs are the kernel's own figures (initcall_debug_report()); bars start at the calling line's printk time. ${escapeHtml(options.generatedBy ?? 'quiesce')}</div></header>
<main><ul id="cycles" aria-label="cycles"></ul><section id="view">${compare}
<div class="toolbar"><button id="zoom-out" type="button">−</button><span id="zoom-level">1×</span><button id="zoom-in" type="button">+</button><button id="zoom-reset" type="button">fit</button>
<label>phase <select id="phase"></select></label><label>rows <select id="sort"><option value="start">by start</option><option value="time">slowest first</option></select></label>
<span class="legend muted"><span style="background:var(--ok)"></span>sync<span style="background:var(--async)"></span>async (other pid)<span style="background:var(--bad)"></span>failed<span style="background:var(--unf)"></span>never returned</span></div>
<ul id="failures" aria-label="failure lines of this cycle"></ul><div id="scroller"><div id="phases" aria-label="phases"><span class="label">phases</span></div><div id="rows"></div></div><div id="detail"></div></section></main>
<div id="tip" role="tooltip"></div>
<noscript>${fallback}</noscript>
<script type="application/json" id="timeline-data">${scriptJson(data)}</script>
<script>${script}</script></body></html>
`;
}
