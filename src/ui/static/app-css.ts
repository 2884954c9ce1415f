/** /ui/static/app.css: the only styles (the Content-Security-Policy allows no inline style). */
export const APP_CSS = `:root { --fg: #1b1f24; --muted: #5b6470; --line: #d7dce2; --bg: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: #fff; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #14202e; color: #fff; }
header a { color: #cfe3ff; text-decoration: none; margin-right: 1rem; }
header .brand { font-size: 1.1rem; }
header .signout { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
main { padding: 1rem 1.2rem; max-width: 72rem; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
code, .mono { font-family: ui-monospace, monospace; font-size: .9em; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem; max-width: 36rem; background: var(--bg); }
label { display: block; margin: .4rem 0; }
input[type=text], input[type=password], select, textarea { display: block; width: 100%; padding: .35rem; margin-top: .15rem; font: inherit; }
textarea { min-height: 8rem; font-family: ui-monospace, monospace; }
button { padding: .35rem .9rem; font: inherit; cursor: pointer; }
.error { color: #a40e26; }
.muted { color: var(--muted); }
.status { display: inline-block; padding: 0 .45rem; border-radius: 3px; background: #e6e9ed; font-size: .85em; }
.status-complete, .status-success { background: #d3f2dc; color: #14532d; }
.status-running, .status-queued, .status-incomplete { background: #dbeafe; color: #1e3a8a; }
.status-failure, .status-terminated, .status-partial_success { background: #fde2e1; color: #7f1d1d; }
.tree, .tree ul { list-style: none; padding-left: 1.2rem; margin: .2rem 0; }
.tree > li { padding-left: 0; }
.task-head { display: flex; gap: .7rem; align-items: baseline; flex-wrap: wrap; }
.phase { color: var(--muted); font-style: italic; }
.messages { margin: .2rem 0 .4rem 1rem; padding: 0; list-style: disc; color: var(--muted); font-size: .9em; }
.messages .msg-error { color: #a40e26; }
#live { color: var(--muted); font-size: .9em; }
details { margin: .3rem 0; }
.messages-box { margin: 0 0 .2rem 1rem; font-size: .9em; }
pre { white-space: pre-wrap; max-height: 24rem; overflow: auto; background: var(--bg); padding: .5rem; border: 1px solid var(--line); }
.pager { display: flex; gap: 1rem; }
`;
