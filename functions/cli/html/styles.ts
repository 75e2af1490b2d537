/**
 * The report's inline style sheet: a light dashboard with one colour per severity (always next to its text label),
 * cards that reflow to one column on a phone, and tables that scroll inside their own box, never the page.
 */
export const STYLE = `
:root{--bg:#f3f5f8;--card:#fff;--ink:#101828;--muted:#5d6778;--line:#e2e6ee;
--EXPIRED:#3a0808;--CRITICAL:#d0222e;--WARNING:#f0a00a;--NOTICE:#1d64d8;--OK:#18803a;
--EXPIRED-t:#f3dede;--CRITICAL-t:#fde7e8;--WARNING-t:#fff3d6;--NOTICE-t:#e4edfc;--OK-t:#e2f3e7}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1240px;margin:0 auto;padding:0 20px 40px}
h1,h2,h3{margin:0;line-height:1.2}
h2{font-size:17px;margin:28px 0 10px}
small,.mut{color:var(--muted)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f5;padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
.top{background:#0f1b2d;color:#fff;padding:22px 20px 20px}
.top>div{max-width:1200px;margin:0 auto;display:flex;flex-wrap:wrap;gap:12px 24px;align-items:flex-end;justify-content:space-between}
.top h1{font-size:22px;font-weight:650}
.top p{margin:4px 0 0;color:#b7c2d3}
.legend{display:flex;flex-wrap:wrap;gap:6px}
.sev{display:inline-block;min-width:74px;padding:2px 7px;border-radius:4px;font-size:11px;font-weight:700;letter-spacing:.04em;text-align:center;color:#fff;white-space:nowrap}
.sev.EXPIRED{background:var(--EXPIRED)}.sev.CRITICAL{background:var(--CRITICAL)}.sev.WARNING{background:var(--WARNING);color:#2b1c00}
.sev.NOTICE{background:var(--NOTICE)}.sev.OK{background:var(--OK)}
.alert{margin:18px 0 0;padding:14px 16px;border-radius:8px;border:1px solid;border-left-width:6px}
.alert.err{background:#fff1f1;border-color:#e7a3a6;border-left-color:var(--CRITICAL)}
.alert.warn{background:#fff8e6;border-color:#efd18a;border-left-color:var(--WARNING)}
.alert h2{margin:0 0 4px;font-size:15px}
.alert ul{margin:8px 0 0;padding-left:18px}.alert li{margin:2px 0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin-top:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;min-width:0}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
.card .v{font-size:28px;font-weight:700;margin:4px 0 2px;font-variant-numeric:tabular-nums}
.card.bad{border-color:#e7a3a6;background:#fff5f5}.card.bad .v{color:var(--CRITICAL)}
.sevs{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px;margin-top:12px}
.tile{background:var(--card);border:1px solid var(--line);border-top:5px solid;border-radius:10px;padding:10px 12px;min-width:0}
.tile .v{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}
.tile.EXPIRED{border-top-color:var(--EXPIRED)}.tile.CRITICAL{border-top-color:var(--CRITICAL)}.tile.WARNING{border-top-color:var(--WARNING)}
.tile.NOTICE{border-top-color:var(--NOTICE)}.tile.OK{border-top-color:var(--OK)}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--line);margin-top:12px}
.bar span{display:block;height:100%}
.bar .EXPIRED,.mini .EXPIRED{background:var(--EXPIRED)}.bar .CRITICAL,.mini .CRITICAL{background:var(--CRITICAL)}
.bar .WARNING,.mini .WARNING{background:var(--WARNING)}.bar .NOTICE,.mini .NOTICE{background:var(--NOTICE)}.bar .OK,.mini .OK{background:var(--OK)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;min-width:0}
.tl-row{display:grid;grid-template-columns:300px minmax(0,1fr);gap:12px;align-items:center;padding:5px 0;border-bottom:1px solid #f0f2f6}
.tl-label{min-width:0;overflow:hidden}
.tl-label b{overflow-wrap:anywhere}
.tl-label small{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tl-track{position:relative;height:18px;border-radius:4px;background:#f7f8fa}
.tl-track span{position:absolute;top:0;height:100%}
.seg.std{background:#cfe3d5}.seg.ext{background:#f8dc9a}.seg.auto{background:#f4b8bb}
.seg.eol{background:repeating-linear-gradient(135deg,#e9b3b6 0 4px,#f7d9da 4px 8px)}
.tl-track .today{width:2px;margin-left:-1px;background:#0f1b2d;z-index:2}
.mk{width:12px;height:12px;top:3px!important;margin-left:-6px;transform:rotate(45deg);border:2px solid #fff;z-index:3;box-shadow:0 0 0 1px rgba(0,0,0,.25)}
.mk.EXPIRED{background:var(--EXPIRED)}.mk.CRITICAL{background:var(--CRITICAL)}.mk.WARNING{background:var(--WARNING)}.mk.NOTICE{background:var(--NOTICE)}.mk.OK{background:var(--OK)}
.tl-axis .tl-track{background:none;height:22px}
.tl-axis .tl-track span{font-size:11px;color:var(--muted);transform:translateX(-50%);white-space:nowrap;top:3px}
.tl-axis .tl-track span.tday{color:#0f1b2d;font-weight:700;top:-2px;background:#fff;padding:0 3px;z-index:2}
.tl-legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:10px;font-size:12px;color:var(--muted)}
.tl-legend i{display:inline-block;width:14px;height:10px;border-radius:2px;vertical-align:-1px;margin-right:5px}
.two{display:grid;grid-template-columns:minmax(0,1fr);gap:16px}
.scroll{overflow:auto;max-height:480px;border:1px solid var(--line);border-radius:10px;background:var(--card)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:7px 10px;text-align:left;border-bottom:1px solid #eef0f4;white-space:nowrap}
th{position:sticky;top:0;background:#f8f9fb;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);z-index:1}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.z{color:#c3c9d3}
td.EXPIRED{color:var(--EXPIRED);font-weight:700}td.CRITICAL{color:var(--CRITICAL);font-weight:700}td.WARNING{color:#9a6200;font-weight:700}
td.NOTICE{color:var(--NOTICE);font-weight:700}td.OK{color:var(--OK);font-weight:700}
.mini{display:flex;width:90px;height:8px;border-radius:4px;overflow:hidden;background:var(--line)}
.mini span{display:block}
details.acct{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:8px 0}
details.acct>summary{cursor:pointer;padding:10px 14px;display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;list-style:none}
details.acct>summary::-webkit-details-marker{display:none}
details.acct>summary::before{content:"\\25B8";color:var(--muted);width:10px}
details.acct[open]>summary::before{content:"\\25BE"}
details.acct>summary b{overflow-wrap:anywhere}
.cl{display:grid;grid-template-columns:86px minmax(0,1.3fr) 92px 150px 74px minmax(0,2.4fr);gap:4px 14px;padding:10px 14px;border-top:1px solid var(--line);border-left:4px solid transparent;align-items:start}
.cl.EXPIRED{border-left-color:var(--EXPIRED)}.cl.CRITICAL{border-left-color:var(--CRITICAL)}.cl.WARNING{border-left-color:var(--WARNING)}.cl.NOTICE{border-left-color:var(--NOTICE)}.cl.OK{border-left-color:var(--OK)}
.cl>div{min-width:0}
.cl b{overflow-wrap:anywhere}
.cl small{display:block;overflow-wrap:anywhere}
.cl .usd{font-variant-numeric:tabular-nums}
.hdr{background:#f8f9fb;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;padding:7px 14px}
ol.na{margin:0;padding-left:18px}
ol.na li{margin:0 0 3px;overflow-wrap:anywhere}
ol.na li.a{color:var(--muted)}
ol.na li.a::marker{content:"\\21BB  "}
ol.na .why{display:block;font-size:12px;color:var(--muted)}
.tags{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}
.tag{font-size:11px;border:1px solid var(--line);border-radius:10px;padding:0 7px;background:#f8f9fb;white-space:nowrap}
.tag.EXPIRED,.tag.CRITICAL{border-color:#e7a3a6;background:#fff1f1}.tag.WARNING{border-color:#efd18a;background:#fff8e6}.tag.NOTICE{border-color:#b6cdf5;background:#eef4fe}
details.fd{grid-column:2/-1}
details.fd summary{cursor:pointer;color:var(--muted);font-size:12px}
details.fd ul{margin:4px 0 0;padding-left:18px;font-size:12.5px}
details.fd li{overflow-wrap:anywhere}
.urgent{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
.urgent .cl:first-child{border-top:0}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media (max-width:900px){
.cl{grid-template-columns:86px minmax(0,1fr) minmax(0,1fr)}
.cl .na-c,details.fd{grid-column:1/-1}
.cl .usd:empty{display:none}
.hdr{display:none}
}
@media (max-width:640px){
main{padding:0 12px 32px}
.top{padding:18px 12px}
.sevs{grid-template-columns:repeat(2,minmax(0,1fr))}
.sevs .tile:first-child{grid-column:1/-1}
.cards{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.cards .card:first-child{grid-column:1/-1}
.tl-row{grid-template-columns:minmax(0,1fr);gap:4px}
.tl-axis .tl-label{display:none}
.tl-axis .q{display:none}
.two{grid-template-columns:minmax(0,1fr)}
.mix{display:none}
.cl{grid-template-columns:auto minmax(0,1fr) minmax(0,1fr);padding:10px}
.cl>.sev{min-width:0}
.cl .nm{grid-column:2/-1}
}
`;
