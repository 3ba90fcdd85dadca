// Live updates for Praxis pages (docs/live.md): one Server-Sent Events
// stream per page, for what the page shows. Every page works without it;
// this only adds what others do meanwhile: new posts on a topic page, new
// chat messages, the unread count in the header, and who is here.
// Loaded with defer; no inline script (the Content-Security-Policy forbids it).
(function () {
  'use strict';
  var body = document.body;
  if (!body || body.getAttribute('data-live') !== 'on' || !window.EventSource) return;
  var me = body.getAttribute('data-me') || '';

  var topicList = document.querySelector('[data-live-topic]');
  var spaceList = topicList ? null : document.querySelector('[data-live-space]');
  var chatList = document.querySelector('ol[data-channel]');
  var here = document.querySelector('[data-live-here]');
  var online = document.querySelector('[data-live-online]');
  var status = document.querySelector('[data-live-status]');
  var count = document.querySelector('.site-nav .notices .count');

  var q = [];
  if (topicList) {
    q.push('topics=' + encodeURIComponent(topicList.getAttribute('data-live-topic')));
  }
  if (spaceList) q.push('spaces=' + encodeURIComponent(spaceList.getAttribute('data-live-space')));
  if (chatList) q.push('channels=' + encodeURIComponent(chatList.getAttribute('data-channel')));
  if (here) q.push('here=' + encodeURIComponent(here.getAttribute('data-live-here')));
  else if (online) {
    // A space's own page: the reader is here, and sees who is online in it.
    q.push('here=' + encodeURIComponent('space:' + online.getAttribute('data-live-online')));
    q.push('spaces=' + encodeURIComponent(online.getAttribute('data-live-online')));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function timeEl(unix) {
    var d = new Date(unix * 1000);
    var t = el('time', '', 'just now');
    t.setAttribute('datetime', d.toISOString());
    t.setAttribute('title', d.toLocaleString());
    return t;
  }
  function personLink(p) {
    var a = el('a', '', p.name);
    a.href = '/people/' + encodeURIComponent(p.handle);
    return a;
  }
  function say(text) {
    if (status) status.textContent = text;
  }

  // The header's unread count.
  function setCount(n) {
    if (!count) return;
    var num = count.querySelector('.count-n');
    if (num) num.textContent = n > 99 ? '99+' : String(n); // the stream counts to 100 at most
    count.setAttribute('data-unread', String(n));
    count.hidden = n <= 0;
  }

  // On a list: say there is more, with a way to see it.
  var fresh = 0;
  function newActivity(d) {
    if (!status || d.author.handle === me) return;
    fresh++;
    status.textContent = (fresh === 1 ? 'A new post' : fresh + ' new posts') + ' since you opened this page. ';
    var a = el('a', '', 'Show the latest');
    a.href = window.location.pathname + window.location.search;
    status.appendChild(a);
  }

  // A new post at the end of the topic page (the page shows the last posts).
  function addPost(d) {
    if (spaceList) return newActivity(d);
    if (!topicList || String(d.topic) !== topicList.getAttribute('data-live-topic')) return;
    if (document.getElementById('post-' + d.number)) return;
    var li = el('li', 'post is-live');
    li.id = 'post-' + d.number;
    var card = el('article', 'post-card');
    card.setAttribute('aria-labelledby', 'post-' + d.number + '-who');
    var head = el('header', 'post-head');
    var avatar = el('span', 'avatar small', (d.author.name || '?').charAt(0).toUpperCase());
    avatar.setAttribute('aria-hidden', 'true');
    var id = el('div', 'post-id');
    var who = el('h2', 'post-who');
    who.id = 'post-' + d.number + '-who';
    who.appendChild(personLink(d.author));
    var meta = el('p', 'post-meta');
    var self = el('a', 'post-link', '#' + d.number);
    self.href = '#post-' + d.number;
    meta.appendChild(self);
    meta.appendChild(document.createTextNode(' · '));
    meta.appendChild(timeEl(d.created_at));
    id.appendChild(who);
    id.appendChild(meta);
    head.appendChild(avatar);
    head.appendChild(id);
    card.appendChild(head);
    var prose = el('div', 'prose post-body');
    if (d.html) prose.innerHTML = d.html; // rendered by the server's safe Markdown pipeline
    else prose.appendChild(el('p', '', 'A long post: reload the page to read it.'));
    card.appendChild(prose);
    li.appendChild(card);
    topicList.appendChild(li);
    say('New post from ' + d.author.name + '.');
  }

  // Chat: a message at the end of the channel, an edit, a deletion (the
  // markup of feature/chat/chat_room.html).
  function messageBody(li, d) {
    var b = li.querySelector('.chat-body');
    if (!b) {
      b = el('div', 'prose chat-body');
      li.querySelector('.chat-message-main').appendChild(b);
    }
    b.innerHTML = d.html || ''; // rendered by the server's safe Markdown pipeline
  }
  function addMessage(d) {
    if (!chatList || String(d.channel) !== chatList.getAttribute('data-channel')) return;
    if (document.getElementById('m-' + d.id)) return;
    var li = el('li', 'chat-message is-live');
    li.id = 'm-' + d.id;
    li.setAttribute('data-id', String(d.id));
    var avatar = el('span', 'avatar small', (d.author.name || '?').charAt(0).toUpperCase());
    avatar.setAttribute('aria-hidden', 'true');
    var main = el('div', 'chat-message-main');
    var head = el('p', 'chat-message-head');
    var who = el('span', 'chat-author');
    who.appendChild(personLink(d.author));
    head.appendChild(who);
    head.appendChild(document.createTextNode(' '));
    var at = el('span', 'chat-time');
    at.appendChild(timeEl(d.created_at));
    head.appendChild(at);
    main.appendChild(head);
    li.appendChild(avatar);
    li.appendChild(main);
    messageBody(li, d);
    chatList.appendChild(li);
    var empty = document.querySelector('.chat-empty');
    if (empty) empty.hidden = true;
    if (d.author.handle !== me) say('New message from ' + d.author.name + '.');
    li.scrollIntoView({ block: 'nearest' });
  }
  function editMessage(d) {
    var li = document.getElementById('m-' + d.id);
    if (li) messageBody(li, d);
  }
  function deleteMessage(d) {
    var li = document.getElementById('m-' + d.id);
    if (!li) return;
    var b = li.querySelector('.chat-body');
    if (b) b.replaceWith(el('p', 'tombstone', 'Message deleted.'));
    li.classList.add('is-deleted');
  }

  // Who is here: the people on this page now (or online in the space), the reader left out.
  var people = {};
  function drawHere() {
    var box = here || online;
    if (!box) return;
    var list = box.querySelector('.here-list');
    var handles = Object.keys(people).filter(function (h) { return h !== me; }).sort();
    list.textContent = '';
    handles.forEach(function (h) {
      var li = el('li', 'here-person');
      li.setAttribute('data-handle', h);
      var dot = el('span', 'presence-dot');
      dot.setAttribute('aria-hidden', 'true');
      li.appendChild(dot);
      li.appendChild(personLink({ handle: h, name: people[h] }));
      list.appendChild(li);
    });
    box.hidden = handles.length === 0;
  }
  function onPresence(d) {
    if (online && !here) {
      // Anyone arriving on a page of the space is online; leaving a page is not going offline.
      if (d.state === 'here') {
        people[d.user.handle] = d.user.name;
        drawHere();
      }
      return;
    }
    if (!here || d.page !== here.getAttribute('data-live-here')) return;
    if (d.state === 'here') people[d.user.handle] = d.user.name;
    else delete people[d.user.handle];
    drawHere();
  }
  if (online && !here) {
    fetch('/api/v1/spaces/' + encodeURIComponent(online.getAttribute('data-live-online')) + '/presence', {
      credentials: 'same-origin',
    })
      .then(function (r) { return r.ok ? r.json() : { online: [] }; })
      .then(function (j) {
        j.online.forEach(function (p) { people[p.handle] = p.name; });
        drawHere();
      })
      .catch(function () {});
  }
  if (here) {
    fetch('/api/v1/presence?page=' + encodeURIComponent(here.getAttribute('data-live-here')), {
      credentials: 'same-origin',
    })
      .then(function (r) { return r.ok ? r.json() : { here: [] }; })
      .then(function (j) {
        j.here.forEach(function (p) { people[p.handle] = p.name; });
        drawHere();
      })
      .catch(function () {});
  }

  var es = new EventSource('/api/v1/stream' + (q.length ? '?' + q.join('&') : ''));
  function on(type, fn) {
    es.addEventListener(type, function (e) {
      var d;
      try { d = JSON.parse(e.data); } catch (err) { return; }
      fn(d);
    });
  }
  on('notification', function (d) { setCount(d.unread); });
  on('post', addPost);
  on('message', addMessage);
  on('message.edited', editMessage);
  on('message.deleted', deleteMessage);
  on('presence', onPresence);
  on('reload', function () {
    es.close();
    say('Much happened while this page was away: reload it to catch up.');
  });
  body.setAttribute('data-live-ready', 'true');
})();
