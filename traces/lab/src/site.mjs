// A plain local web site with no identity traffic at all (plain-browsing.har).
import express from 'express';
import { HOSTS, listen, page, SITE_CSS } from './common.mjs';

export async function startSite() {
  const app = express();
  app.disable('x-powered-by');
  app.get('/static/site.css', (req, res) => res.set('Cache-Control', 'max-age=3600').type('css').send(SITE_CSS));
  app.get('/', (req, res) => res.send(page('Lab News', `<h1>Lab News</h1>
<ul id="news"></ul>
<p><a id="about" href="/about">About this site</a></p>
<script>fetch('/api/news').then(r => r.json()).then(items => {
  document.getElementById('news').innerHTML = items.map(i => '<li>' + i.title + '</li>').join('');
});</script>`)));
  app.get('/api/news', (req, res) => res.json([{ id: 1, title: 'Lab opens' }, { id: 2, title: 'Second post' }]));
  app.get('/about', (req, res) => res.send(page('About - Lab News', '<h1>About</h1><p>A static page.</p>')));
  return listen(app, HOSTS.site.port);
}
