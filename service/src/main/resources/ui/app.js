// Vigil UI: plain JavaScript, no build step. Every string from telemetry is set as text, never HTML.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var report = window.VIGIL_REPORT || null;
  var main = document.getElementById('main');

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function section(title, children) { return el('section', {}, [el('h2', { text: title })].concat(children)); }
  function fixed(x, d) { return x === null || x === undefined ? '' : Number(x).toFixed(d); }
  function badge(status) { return el('span', { cls: 'badge ' + status, text: status }); }
  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) { throw new Error(body.error || r.statusText); } return body; });
    });
  }

  // Layered layout of a call graph: depth from the services nobody calls.
  function layout(services, edges) {
    var callers = {}, callees = {};
    services.forEach(function (s) { callers[s] = []; callees[s] = []; });
    edges.forEach(function (e) {
      if (!callers[e[1]]) { callers[e[1]] = []; } if (!callees[e[0]]) { callees[e[0]] = []; }
      callers[e[1]].push(e[0]); callees[e[0]].push(e[1]);
    });
    var names = Object.keys(callers).sort();
    var depth = {};
    var queue = names.filter(function (s) { return callers[s].length === 0; });
    queue.forEach(function (s) { depth[s] = 0; });
    for (var guard = 0; queue.length && guard < 10000; guard++) {
      var s = queue.shift();
      (callees[s] || []).forEach(function (c) {
        if (depth[c] === undefined || depth[c] < depth[s] + 1) { depth[c] = Math.min(depth[s] + 1, names.length); queue.push(c); }
      });
    }
    names.forEach(function (s) { if (depth[s] === undefined) { depth[s] = 0; } });
    var columns = {};
    names.forEach(function (s) { (columns[depth[s]] = columns[depth[s]] || []).push(s); });
    var pos = {}, maxRows = 1, maxDepth = 0;
    Object.keys(columns).forEach(function (d) {
      columns[d].forEach(function (s, i) { pos[s] = { x: 20 + d * 170, y: 20 + i * 46 }; });
      maxRows = Math.max(maxRows, columns[d].length); maxDepth = Math.max(maxDepth, +d);
    });
    return { pos: pos, names: names, width: 60 + (maxDepth + 1) * 170, height: 30 + maxRows * 46 };
  }

  function graph(services, edges, marks) {
    var g = layout(services, edges);
    var root = svg('svg', { width: g.width, height: g.height, viewBox: '0 0 ' + g.width + ' ' + g.height, role: 'img', 'aria-label': 'service call graph' });
    var onPath = {};
    (marks.path || []).forEach(function (s, i, p) { if (i + 1 < p.length) { onPath[p[i + 1] + '>' + s] = true; } });
    edges.forEach(function (e) {
      var a = g.pos[e[0]], b = g.pos[e[1]];
      if (!a || !b) { return; }
      var x1 = a.x + 130, y1 = a.y + 14, x2 = b.x, y2 = b.y + 14;
      var line = svg('path', { d: 'M' + x1 + ',' + y1 + ' C' + (x1 + 20) + ',' + y1 + ' ' + (x2 - 20) + ',' + y2 + ' ' + x2 + ',' + y2, cls: '' });
      line.setAttribute('class', 'edge' + (onPath[e[0] + '>' + e[1]] ? ' path' : ''));
      root.appendChild(line);
    });
    g.names.forEach(function (s) {
      var p = g.pos[s];
      var cls = 'node' + (s === marks.root ? ' root' : (marks.anomalous && marks.anomalous.indexOf(s) >= 0 ? ' anomalous' : ''));
      var node = svg('g', { transform: 'translate(' + p.x + ',' + p.y + ')' });
      node.setAttribute('class', cls);
      node.setAttribute('data-service', s);
      node.appendChild(svg('rect', { width: 130, height: 28, rx: 6 }));
      var t = svg('text', { x: 65, y: 18, 'text-anchor': 'middle' });
      t.textContent = s;
      node.appendChild(t);
      root.appendChild(node);
    });
    return root;
  }

  function legend(items) {
    return el('div', { cls: 'legend' }, items.map(function (it) {
      var i = el('i'); i.style.background = it[0]; return el('span', {}, [i, it[1]]);
    }));
  }

  function chart(series) {
    var w = 420, h = 170, l = 48, r = 10, t = 10, b = 24;
    var root = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img' });
    var pts = series.points;
    if (!pts.length) { var none = svg('text', { x: 10, y: 20 }); none.textContent = 'no data'; root.appendChild(none); return root; }
    var x0 = Math.min(pts[0][0], series.window[0]), x1 = Math.max(pts[pts.length - 1][0], series.window[1]);
    var ymax = Math.max.apply(null, pts.map(function (p) { return p[1]; })) * 1.1 || 1;
    function X(x) { return l + (x - x0) / Math.max(1, x1 - x0) * (w - l - r); }
    function Y(y) { return h - b - y / ymax * (h - t - b); }
    root.appendChild(svg('rect', { x: X(series.window[0]), y: t, width: Math.max(2, X(series.window[1]) - X(series.window[0])), height: h - t - b, 'class': 'window' }));
    root.appendChild(svg('line', { x1: l, y1: h - b, x2: w - r, y2: h - b, 'class': 'axis' }));
    root.appendChild(svg('line', { x1: l, y1: t, x2: l, y2: h - b, 'class': 'axis' }));
    var d = pts.map(function (p, i) { return (i ? 'L' : 'M') + X(p[0]).toFixed(1) + ',' + Y(p[1]).toFixed(1); }).join(' ');
    var path = svg('path', { d: d }); path.setAttribute('class', 'line'); root.appendChild(path);
    var top = svg('text', { x: 4, y: t + 10 }); top.textContent = fixed(ymax, 1); root.appendChild(top);
    var zero = svg('text', { x: 4, y: h - b }); zero.textContent = '0'; root.appendChild(zero);
    var start = svg('text', { x: l, y: h - 6 }); start.textContent = new Date(x0).toISOString().substr(11, 8); root.appendChild(start);
    var end = svg('text', { x: w - r, y: h - 6, 'text-anchor': 'end' }); end.textContent = new Date(x1).toISOString().substr(11, 8); root.appendChild(end);
    return root;
  }

  function overview() {
    getJson('/ui/api/overview').then(function (o) {
      document.getElementById('now').textContent = 'event time ' + o.now;
      main.replaceChildren();
      main.appendChild(section('Topology', [
        legend([['#e8eef9', 'normal'], ['#ffd9b3', 'affected by an open incident']]),
        graph(o.services, o.edges, { anomalous: o.anomalous })]));
      var rows = o.incidents.map(function (i) {
        return el('tr', {}, [
          el('td', {}, [el('a', { href: '#/incident/' + encodeURIComponent(i.id), text: i.id })]),
          el('td', {}, [badge(i.status)]), el('td', { text: i.startedAt }),
          el('td', { text: i.rootCause || '—' }), el('td', { cls: 'num', text: fixed(i.confidence, 2) }),
          el('td', { text: (i.affected || []).join(', ') })]);
      });
      main.appendChild(section('Incidents', [rows.length ? el('table', {}, [
        el('tr', {}, ['incident', 'status', 'started', 'root cause', 'confidence', 'affected'].map(function (h) { return el('th', { text: h }); }))].concat(rows))
        : el('p', { cls: 'muted', text: 'No incident.' })]));
      var alerts = o.alerts.map(function (a) {
        return el('tr', {}, [el('td', { text: a.id }), el('td', {}, [badge(a.status)]), el('td', { text: a.service }),
          el('td', { text: a.at }), el('td', { cls: 'num', text: fixed(a.grade, 2) }), el('td', { text: (a.drivers || []).join(', ') })]);
      });
      main.appendChild(section('Alerts', [alerts.length ? el('table', {}, [
        el('tr', {}, ['alert', 'status', 'service', 'at', 'grade', 'drivers'].map(function (h) { return el('th', { text: h }); }))].concat(alerts))
        : el('p', { cls: 'muted', text: 'No alert.' })]));
    }).catch(function (e) { main.replaceChildren(el('p', { cls: 'msg error', text: 'Cannot load the overview: ' + e.message })); });
  }

  function incidentPage(v) {
    main.replaceChildren();
    var top = v.causes && v.causes.length ? v.causes[0] : null;
    var head = [el('h1', { text: 'Incident ' + v.id }), el('p', {}, [badge(v.status || 'open'), ' started ' + (v.startedAt || '') + (v.resolvedAt ? ', resolved ' + v.resolvedAt : '')])];
    if (top) {
      head.push(el('p', { id: 'verdict' }, ['Most likely root cause: ', el('strong', { text: top.service }), ' (confidence ' + fixed(top.score, 2) + ')' +
        (top.path && top.path.length > 1 ? '; propagation path ' + top.path.join(' → ') : '')]));
    } else {
      head.push(el('p', { cls: 'muted', text: 'Not ranked yet.' }));
    }
    main.appendChild(el('section', {}, head));
    main.appendChild(section('Causal graph', [
      legend([['#e5484d', 'root cause'], ['#ffd9b3', 'affected'], ['#e8eef9', 'other']]),
      graph(v.services || [], v.edges || [], { root: top && top.service, path: top ? top.path : [], anomalous: v.affected || [] })]));
    if (v.series && v.series.length) {
      main.appendChild(section('Time series (anomaly window shaded)', [el('div', { cls: 'charts' }, v.series.map(function (s) {
        return el('div', { cls: 'chart' }, [el('div', { text: s.role + ': ' + s.service + ' ' + s.feature + ' (' + s.unit + ')' }), chart(s)]);
      }))]));
    }
    var causeRows = (v.causes || []).map(function (c, i) {
      return el('tr', {}, [el('td', { cls: 'num', text: String(i + 1) }), el('td', { text: c.service }), el('td', { cls: 'num', text: fixed(c.score, 2) }),
        el('td', { text: (c.path || []).join(' → ') })]);
    });
    main.appendChild(section('Ranked causes', [el('table', {}, [el('tr', {}, ['#', 'service', 'confidence', 'path'].map(function (h) { return el('th', { text: h }); }))].concat(causeRows))]));
    var ev = [];
    (v.causes || []).slice(0, 3).forEach(function (c) {
      (c.evidence || []).forEach(function (e) {
        ev.push(el('tr', {}, [el('td', { text: c.service }), el('td', { text: e.kind }), el('td', { text: e.text }),
          el('td', { cls: 'num', text: fixed(e.before, 1) }), el('td', { cls: 'num', text: fixed(e.after, 1) }),
          el('td', {}, (e.traceIds || []).map(function (id) { return el('div', { cls: 'mono trace', text: id }); }))]));
      });
    });
    main.appendChild(section('Evidence', [ev.length ? el('table', { id: 'evidence' }, [el('tr', {}, ['service', 'kind', 'fact', 'before', 'after', 'traces'].map(function (h) { return el('th', { text: h }); }))].concat(ev))
      : el('p', { cls: 'muted', text: 'No evidence.' })]));
  }

  function incident(id) {
    getJson('/ui/api/incident?id=' + encodeURIComponent(id)).then(incidentPage)
      .catch(function (e) { main.replaceChildren(el('p', { cls: 'msg error', text: 'Cannot load incident ' + id + ': ' + e.message })); });
  }

  function route() {
    var m = /^#\/incident\/(.+)$/.exec(location.hash);
    if (m) { incident(decodeURIComponent(m[1])); } else { overview(); }
  }

  // Chat: one conversation per tab, so follow-ups ("and yesterday?") keep their context.
  var messages = document.getElementById('messages');
  function say(cls, text) { var m = el('div', { cls: 'msg ' + cls, text: text }); messages.appendChild(m); messages.scrollTop = messages.scrollHeight; return m; }
  function ask(q) {
    say('user', q);
    var pending = say('bot', '…');
    var body = { question: q };
    var conv = sessionStorage.getItem('vigil.conversation');
    if (conv) { body.conversation = conv; }
    fetch('/api/ask', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (a) { if (!r.ok) { throw new Error(a.error || r.statusText); } return a; }); })
      .then(function (a) {
        if (a.conversation) { sessionStorage.setItem('vigil.conversation', a.conversation); }
        pending.textContent = a.text;
        pending.setAttribute('data-root-cause', a.rootCause || '');
        pending.className = 'msg bot answered';
      })
      .catch(function (e) { pending.textContent = 'Error: ' + e.message; pending.className = 'msg error'; });
  }

  if (report) {
    document.body.className = 'report';
    document.getElementById('now').textContent = 'report';
    incidentPage(report);
    return;
  }
  document.getElementById('ask').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('question');
    if (input.value.trim()) { ask(input.value.trim()); input.value = ''; }
  });
  window.addEventListener('hashchange', route);
  route();
  var initial = new URLSearchParams(location.search).get('ask');
  if (initial) { ask(initial); }
})();
