/*
 * Utlys default theme: two small additions to pages that work fully without
 * JavaScript.
 *
 * 1. Fresh status. A page is built once, but a reader may open it days
 *    later. Every status badge and "days left" text carries its dates in data
 *    attributes; this script works the status out again from the reader's
 *    clock and rewrites the badge, the days-left text and the notes that
 *    depend on the status, in the page's language (the texts are attributes
 *    of <body>, written by the theme from its i18n files). A site built for
 *    a chosen time (`utlys build --now`, a preview of another day) says so
 *    with <body data-utlys-clock="fixed">: its pages keep the statuses of
 *    that time, as the build's own lists and feeds do.
 * 2. Search and filters on the challenge list. The form is built here, so a
 *    reader without JavaScript never meets controls that do nothing; they
 *    use the filter links to the taxonomy pages instead.
 *
 *    A long list is split into pages; the search covers every challenge
 *    all the same: the site's search index is fetched when the reader first
 *    searches or filters (never on page load), and the matching challenges
 *    are shown from it in place of the page's own cards.
 *
 * Plain ES2017, no libraries, and no requests except the site's own search
 * index.
 */
(function () {
  'use strict';

  var DAY_MS = 86400000;
  var STATUSES = ['open', 'closing-soon', 'upcoming', 'closed'];
  var body = document.body;

  /** A UI text from <body data-utlys-…>. */
  function text(key) {
    return body.getAttribute('data-utlys-' + key) || '';
  }

  /** Milliseconds since the epoch of an RFC 3339 time, or NaN. */
  function parseTime(value) {
    return value ? Date.parse(value) : NaN;
  }

  /**
   * The site was built for a chosen time (`--now`), not the time it was
   * built at: the reader's clock says nothing about that day.
   */
  function fixedClock() {
    return body.getAttribute('data-utlys-clock') === 'fixed';
  }

  /**
   * The reader's clock, but never earlier than the clock of the build: the
   * build knew at least that much, and a device set to a wrong, earlier date
   * must not reopen a challenge the page already shows as closed.
   */
  function currentTime() {
    var built = parseTime(body.getAttribute('data-utlys-built'));
    var now = Date.now();
    return isNaN(built) ? now : Math.max(now, built);
  }

  /**
   * The status at `now` of the badge `el`, by the rules of the build:
   * cancelled challenges are closed; closed at or after the deadline;
   * upcoming before opens; closing soon when the deadline is at most
   * `data-soon-days` periods of 24 hours away; else open.
   */
  function statusAt(now, el) {
    if (el.getAttribute('data-stage') === 'cancelled') {
      return 'closed';
    }
    var deadline = parseTime(el.getAttribute('data-deadline'));
    var opens = parseTime(el.getAttribute('data-opens'));
    if (!isNaN(deadline) && now >= deadline) {
      return 'closed';
    }
    if (!isNaN(opens) && now < opens) {
      return 'upcoming';
    }
    if (isNaN(deadline)) {
      return 'open';
    }
    var days = Number(el.getAttribute('data-soon-days'));
    if (!isFinite(days)) {
      days = 7;
    }
    return deadline - now <= days * DAY_MS ? 'closing-soon' : 'open';
  }

  /** Day number of a civil date (days since 1970-01-01). */
  function civilDay(year, month, day) {
    return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
  }

  /**
   * Today's day number in time zone `zone` at `now`.
   *
   * The build counts days left as calendar days in the deadline's zone
   * (deadline today = 0, tomorrow = 1), so a day with a daylight-saving
   * change still counts as one. The browser can do the same through Intl
   * with the zone's IANA name, which gives the same text as the build. Where
   * Intl does not know the zone, the deadline's own UTC offset stands in for
   * it; that can only be off by the hour of a daylight-saving change that
   * falls between now and the deadline, around midnight.
   */
  function today(zone, offsetMinutes, now) {
    if (zone && typeof Intl === 'object' && Intl.DateTimeFormat) {
      try {
        var parts = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          year: 'numeric',
          month: 'numeric',
          day: 'numeric'
        }).formatToParts(new Date(now));
        var get = function (type) {
          var part = parts.filter(function (p) { return p.type === type; })[0];
          return part ? Number(part.value) : NaN;
        };
        var day = civilDay(get('year'), get('month'), get('day'));
        if (isFinite(day)) {
          return day;
        }
      } catch (e) {
        // An unknown zone name: fall back to the offset below.
      }
    }
    var shifted = new Date(now + offsetMinutes * 60000);
    return civilDay(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
  }

  var RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

  /** Whole calendar days from `now` to the deadline of `el`, or null. */
  function daysLeft(now, el) {
    var match = RFC3339.exec(el.getAttribute('data-deadline') || '');
    if (!match) {
      return null;
    }
    var offset = 0;
    if (match[4].toUpperCase() !== 'Z') {
      var sign = match[4].charAt(0) === '-' ? -1 : 1;
      offset = sign * (Number(match[4].substr(1, 2)) * 60 + Number(match[4].substr(4, 2)));
    }
    // The date part of an RFC 3339 time with offset is the local date.
    var deadlineDay = civilDay(Number(match[1]), Number(match[2]), Number(match[3]));
    return deadlineDay - today(el.getAttribute('data-zone'), offset, now);
  }

  /** "6 dagar kvar", "Sista dagen idag", "Stängde igår", … as the build writes them. */
  function daysText(days) {
    if (days === 0) {
      return text('days-today');
    }
    if (days === 1) {
      return text('days-one');
    }
    if (days === -1) {
      return text('closed-one');
    }
    if (days > 1) {
      return text('days-other').replace('{n}', String(days));
    }
    return text('closed-other').replace('{n}', String(-days));
  }

  /** Swaps the `prefix--status` class of `el` for the new status. */
  function swapModifier(el, prefix, status) {
    if (!el) {
      return;
    }
    var pattern = new RegExp('(^|\\s)' + prefix + '--(' + STATUSES.join('|') + ')(?=\\s|$)');
    if (pattern.test(el.className)) {
      el.className = el.className.replace(pattern, '$1' + prefix + '--' + status);
    }
  }

  var statusListeners = [];

  /** Recomputes every status and days-left text on the page. */
  function refreshStatus() {
    var now = currentTime();
    var badges = document.querySelectorAll('[data-utlys-status]');
    var days = document.querySelectorAll('[data-utlys-days]');
    var changed = false;

    Array.prototype.forEach.call(badges, function (badge) {
      var status = statusAt(now, badge);
      var old = badge.getAttribute('data-utlys-status');
      var label = text('status-' + status);
      if (status === old || !label) {
        return;
      }
      changed = true;
      badge.setAttribute('data-utlys-status', status);
      swapModifier(badge, 'badge', status);
      var labelEl = badge.querySelector('.badge__label');
      if (labelEl) {
        labelEl.textContent = label;
      }
      swapModifier(badge.closest('.card'), 'card', status);
      var scope = badge.closest('[data-utlys-scope]');
      if (scope) {
        swapModifier(scope, 'challenge', status);
        Array.prototype.forEach.call(scope.querySelectorAll('[data-utlys-show]'), function (el) {
          el.hidden = el.getAttribute('data-utlys-show').split(/\s+/).indexOf(status) < 0;
        });
      }
    });

    // Actions offered only until a moment ("Ask a question" until the last
    // day for questions) go away when the reader's clock passes it.
    Array.prototype.forEach.call(document.querySelectorAll('[data-utlys-until]'), function (el) {
      var until = parseTime(el.getAttribute('data-utlys-until'));
      if (!isNaN(until) && now >= until && !el.hidden) {
        el.hidden = true;
      }
    });

    Array.prototype.forEach.call(days, function (el) {
      var n = daysLeft(now, el);
      var words = n === null ? '' : daysText(n);
      if (words && el.textContent !== words) {
        el.textContent = words;
      }
    });

    // The notes "Status as of <build time>" now say where the status comes from.
    var live = text('status-live');
    if (live && (badges.length || days.length)) {
      Array.prototype.forEach.call(document.querySelectorAll('[data-utlys-asof]'), function (el) {
        if (el.textContent !== live) {
          el.textContent = live;
        }
      });
    }

    if (changed) {
      statusListeners.forEach(function (listener) { listener(); });
    }
  }

  // ---------- Search and filters on the challenge list ----------

  /** Lower-case words of a text, for matching. */
  function words(value) {
    return normalise(value).split(/\s+/).filter(function (w) { return w !== ''; });
  }

  function normalise(value) {
    var s = String(value || '');
    if (s.normalize) {
      s = s.normalize('NFC');
    }
    return s.toLowerCase();
  }

  /** The words of a space-separated attribute, or none. */
  function list(value) {
    return String(value || '').split(/\s+/).filter(function (w) { return w !== ''; });
  }

  /** The element `tag` with attributes and children. */
  function make(tag, attributes, children) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      el.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return el;
  }

  function setupSearch() {
    var box = document.getElementById('utlys-search');
    if (!box || !window.fetch) {
      return;
    }
    var data = function (name) { return box.getAttribute('data-' + name) || ''; };

    var cards = Array.prototype.map.call(document.querySelectorAll('.card[data-url]'), function (card) {
      return {
        card: card,
        // The list item is what is hidden, so the list keeps no empty slots.
        item: card.closest('li') || card,
        url: card.getAttribute('data-url'),
        stage: card.getAttribute('data-stage') || '',
        buyer: card.getAttribute('data-buyer') || '',
        category: card.getAttribute('data-category') || '',
        // The multi-valued filters: each a list of term slugs.
        regions: list(card.getAttribute('data-regions')),
        suitable_for: list(card.getAttribute('data-suitable-for')),
        value: list(card.getAttribute('data-value')),
        cpv: list(card.getAttribute('data-cpv')),
        // Until the index has loaded, the cards on this page are searched
        // by their own text.
        text: normalise(card.textContent),
        badge: card.querySelector('[data-utlys-status]')
      };
    });
    if (!cards.length) {
      return;
    }

    // Filter choices: status from the four statuses (the status of a card is
    // worked out again on the reader's clock); the others from the filter
    // links the page already has, whose slugs the cards and the index use.
    // A card has one stage, category and buyer, and any number of regions,
    // kinds of respondent, value bands and CPV divisions (`multi`).
    var filters = [
      { key: 'status', label: data('label-status'), options: [] },
      { key: 'stage', group: 'stages', label: data('label-stage'), options: [] },
      { key: 'category', group: 'categories', label: data('label-category'), options: [] },
      { key: 'buyer', group: 'buyers', label: data('label-buyer'), options: [] },
      { key: 'region', group: 'regions', multi: 'regions', label: data('label-regions'), options: [] },
      { key: 'suitable', group: 'suitable-for', multi: 'suitable_for', label: data('label-suitable-for'), options: [] },
      { key: 'value', group: 'value', multi: 'value', label: data('label-value'), options: [] },
      { key: 'cpv', group: 'cpv', multi: 'cpv', label: data('label-cpv'), options: [] }
    ];
    STATUSES.forEach(function (status) {
      if (text('status-' + status)) {
        filters[0].options.push({ value: status, label: text('status-' + status) });
      }
    });
    filters.slice(1).forEach(function (filter) {
      var seen = {};
      var links = document.querySelectorAll('a[data-filter="' + filter.group + '"][data-term]');
      Array.prototype.forEach.call(links, function (a) {
        var value = a.getAttribute('data-term');
        if (value && !seen[value]) {
          seen[value] = true;
          filter.options.push({ value: value, label: a.textContent.trim() });
        }
      });
    });
    filters = filters.filter(function (f) { return f.options.length > 0; });

    // The form. Each control has a visible label; the count below is a
    // polite live region, so screen readers hear how many challenges remain.
    var params = new URLSearchParams(window.location.search);
    var query = make('input', {
      type: 'search',
      id: 'utlys-search-q',
      name: 'q',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'utlys-search-hint'
    });
    query.value = params.get('q') || '';
    var selects = filters.map(function (filter) {
      var select = make('select', { id: 'utlys-search-' + filter.key, name: filter.key }, [
        make('option', { value: '' }, [data('all')])
      ]);
      filter.options.forEach(function (o) {
        select.appendChild(make('option', { value: o.value }, [o.label]));
      });
      var wanted = params.get(filter.key) || '';
      if (filter.options.some(function (o) { return o.value === wanted; })) {
        select.value = wanted;
      }
      filter.select = select;
      return make('div', { class: 'search__field' }, [
        make('label', { for: select.id }, [filter.label]),
        select
      ]);
    });
    var reset = make('button', { type: 'button', class: 'search__reset' }, [data('reset')]);
    var count = make('p', { class: 'search__count', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    var form = make('form', { class: 'search__form', role: 'search', 'aria-labelledby': 'utlys-search-heading' }, [
      make('div', { class: 'search__field search__field--query' }, [
        make('label', { for: query.id }, [data('label')]),
        make('p', { id: 'utlys-search-hint', class: 'search__hint' }, [data('hint')]),
        query
      ]),
      make('div', { class: 'search__filters' }, selects),
      make('p', { class: 'search__actions' }, [reset]),
      count
    ]);
    // The form folds away behind its heading, which says how many filters
    // are in use: on a phone the challenges come first.
    var active = make('span', { class: 'panel-summary__note' });
    var panel = make('details', { class: 'search__panel' }, [
      make('summary', { class: 'panel-summary' }, [
        make('h2', { id: 'utlys-search-heading', class: 'search__heading' }, [data('heading')]),
        ' ',
        active
      ]),
      form
    ]);
    var heading = document.querySelector('[data-utlys-count]');
    var total = heading ? heading.getAttribute('data-utlys-count') : '';
    // The page's own cards and the links to the list's other pages, which
    // step aside while a search shows its results from the index.
    var pageList = cards[0].item.parentElement;
    var pager = document.querySelector('nav.pagination');
    var results = make('ul', { class: 'cards search__results' });
    results.hidden = true;
    var more = make('button', { type: 'button', class: 'search__more' }, [data('more')]);
    more.hidden = true;
    pageList.parentNode.insertBefore(more, pageList.nextSibling);
    pageList.parentNode.insertBefore(results, more);
    var index = null;
    var indexRequested = false;
    var matches = [];
    var rendered = 0;
    var RESULTS_STEP = 50;
    var pageLang = document.documentElement.getAttribute('lang') || '';
    var soonDays = (cards[0].badge && cards[0].badge.getAttribute('data-soon-days')) || '7';

    var announceTimer = 0;
    function countText(n) {
      if (n === 0) {
        return data('count-none');
      }
      if (n === 1) {
        return data('count-one');
      }
      return data('count-other').replace('{n}', String(n));
    }

    /** How many of the search box and the filters are in use. */
    function inUse() {
      return filters.reduce(function (n, f) { return n + (f.select.value ? 1 : 0); },
        query.value.trim() ? 1 : 0);
    }

    /**
     * The count in the list's heading and in the panel's summary: "(4)"
     * with nothing chosen, "(1 av 4)" once a search or filter hides some.
     */
    function showCounts(shown) {
      var used = inUse();
      active.textContent = used === 0 ? '' :
        (used === 1 ? data('active-one') : data('active-other').replace('{n}', String(used)));
      if (heading && total) {
        var words = String(shown) === total ? total :
          data('count-of').replace('{n}', String(shown)).replace('{total}', total);
        heading.textContent = '(' + words + ')';
      }
    }

    /** An index entry's status now, as a badge on the page would show it. */
    function entryStatus(entry) {
      if (fixedClock()) {
        return entry.status || '';
      }
      return statusAt(currentTime(), attributes({
        'data-stage': entry.stage === 'cancelled' ? 'cancelled' : '',
        'data-deadline': entry.deadline,
        'data-opens': entry.opens,
        'data-soon-days': soonDays
      }));
    }

    /** Something that answers getAttribute() from `values`, like an element. */
    function attributes(values) {
      return { getAttribute: function (name) { return values[name] || null; } };
    }

    /** A card for index entry `entry` with status `status`, as the theme writes one. */
    function entryCard(entry, status) {
      var badgeAttributes = {
        class: 'badge badge--' + status,
        'data-utlys-status': status,
        'data-soon-days': soonDays
      };
      if (entry.deadline) {
        badgeAttributes['data-deadline'] = entry.deadline;
      }
      if (entry.opens) {
        badgeAttributes['data-opens'] = entry.opens;
      }
      if (entry.stage === 'cancelled') {
        badgeAttributes['data-stage'] = 'cancelled';
      }
      var facts = [];
      if (status === 'upcoming' && entry.opens_date) {
        facts.push(make('div', {}, [make('dt', {}, [data('label-opens')]),
          make('dd', {}, [make('time', { datetime: entry.opens }, [entry.opens_date])])]));
      }
      var deadline = [data('no-deadline')];
      if (entry.deadline && entry.deadline_date) {
        deadline = [make('time', { datetime: entry.deadline }, [entry.deadline_date])];
        var left = daysLeft(fixedClock() ? parseTime(body.getAttribute('data-utlys-built')) : currentTime(),
          attributes({ 'data-deadline': entry.deadline, 'data-zone': entry.zone }));
        if (left !== null && entry.stage !== 'cancelled') {
          deadline.push(' ', make('span', { class: 'days-left' }, ['(', make('span', {
            'data-utlys-days': '', 'data-deadline': entry.deadline, 'data-zone': entry.zone || ''
          }, [daysText(left)]), ')']));
        }
      }
      facts.push(make('div', {}, [make('dt', {}, [data('label-deadline')]), make('dd', {}, deadline)]));
      facts.push(make('div', {}, [make('dt', {}, [data('label-buyer')]), make('dd', {}, [entry.buyer_name || ''])]));
      var cardAttributes = {
        class: 'card card--' + status,
        'data-url': entry.url,
        'data-stage': entry.stage || '',
        'data-buyer': entry.buyer || ''
      };
      if (entry.category) {
        cardAttributes['data-category'] = entry.category;
      }
      if (entry.lang && entry.lang !== pageLang) {
        cardAttributes.lang = entry.lang;
      }
      return make('article', cardAttributes, [
        make('h3', { class: 'card__title' }, [make('a', { href: entry.url }, [entry.title || ''])]),
        make('p', { class: 'card__tags' }, [
          make('span', badgeAttributes, [
            make('span', { class: 'badge__icon', 'aria-hidden': 'true' }),
            make('span', { class: 'visually-hidden' }, [data('label-status') + ': ']),
            make('span', { class: 'badge__label' }, [text('status-' + status)])
          ]),
          ' ',
          make('span', { class: 'stage-label' }, [
            make('span', { class: 'visually-hidden' }, [data('label-stage') + ': ']),
            entry.stage_label || entry.stage || ''
          ])
        ]),
        make('dl', { class: 'card__facts' }, facts),
        make('p', { class: 'card__summary' }, [entry.summary || ''])
      ]);
    }

    /** Adds the next results to the list; gives the first card added. */
    function showMore() {
      var first = null;
      matches.slice(rendered, rendered + RESULTS_STEP).forEach(function (m) {
        var li = make('li', {}, [entryCard(m.entry, m.status)]);
        first = first || li;
        results.appendChild(li);
      });
      rendered = Math.min(matches.length, rendered + RESULTS_STEP);
      more.hidden = rendered >= matches.length;
      return first;
    }

    /** Whether a challenge with these words and terms passes the search. */
    function passes(typed, chosen, c, status) {
      return typed.every(function (w) { return c.text.indexOf(w) >= 0; }) &&
        (!chosen.status || chosen.status === status) &&
        (!chosen.stage || chosen.stage === c.stage) &&
        (!chosen.category || chosen.category === (c.category || '')) &&
        (!chosen.buyer || chosen.buyer === c.buyer) &&
        filters.every(function (f) {
          return !f.multi || !chosen[f.key] || (c[f.multi] || []).indexOf(chosen[f.key]) >= 0;
        });
    }

    /**
     * Shows the challenges that match every word and every chosen filter:
     * from the whole index once it has loaded, else from the cards on this
     * page. With nothing chosen the page is as it was built. While the
     * reader types (`typing`), the count waits for a pause, so a screen
     * reader is not interrupted at every key.
     */
    function apply(typing) {
      var typed = words(query.value);
      var chosen = {};
      filters.forEach(function (f) { chosen[f.key] = f.select.value; });
      var searching = inUse() > 0;
      var fromIndex = searching && index !== null;
      var shown = 0;
      results.textContent = '';
      matches = [];
      rendered = 0;
      if (fromIndex) {
        index.forEach(function (entry) {
          var status = entryStatus(entry);
          if (passes(typed, chosen, entry, status)) {
            matches.push({ entry: entry, status: status });
          }
        });
        shown = matches.length;
        showMore();
      }
      results.hidden = !fromIndex;
      more.hidden = !fromIndex || rendered >= matches.length;
      pageList.hidden = fromIndex;
      if (pager) {
        pager.hidden = searching;
      }
      cards.forEach(function (c) {
        var status = c.badge ? c.badge.getAttribute('data-utlys-status') : '';
        var match = !searching || passes(typed, chosen, c, status);
        c.item.hidden = !match;
        if (match && !fromIndex) {
          shown += 1;
        }
      });
      if (!searching && total) {
        shown = Number(total);
      }
      showCounts(shown);
      window.clearTimeout(announceTimer);
      var say = function () { count.textContent = countText(shown); };
      if (typing) {
        announceTimer = window.setTimeout(say, 400);
      } else {
        say();
      }
      // The address keeps the search, so Back and a shared link restore it.
      if (window.history && window.history.replaceState) {
        var next = new URLSearchParams();
        if (query.value.trim()) {
          next.set('q', query.value.trim());
        }
        filters.forEach(function (f) {
          if (f.select.value) {
            next.set(f.key, f.select.value);
          }
        });
        var search = next.toString();
        var url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
        window.history.replaceState(window.history.state, '', url);
      }
    }

    /**
     * Fetches the search index, once: the first time the reader searches or
     * filters, so a page that is only read never loads it. Until it is
     * there, or if it fails, the cards on this page are searched.
     */
    function loadIndex() {
      var indexUrl = data('index');
      if (indexRequested || !indexUrl) {
        return;
      }
      indexRequested = true;
      window.fetch(indexUrl, { credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) {
            throw new Error('search index: HTTP ' + response.status);
          }
          return response.json();
        })
        .then(function (loaded) {
          var entries = ((loaded && loaded.challenges) || []).filter(function (entry) {
            return entry && typeof entry.url === 'string' && typeof entry.text === 'string';
          });
          entries.forEach(function (entry) {
            entry.text = normalise(entry.text);
          });
          index = entries;
          apply(false);
        })
        .catch(function () {
          // Keep searching the cards on this page; the filter links still
          // lead to every challenge.
        });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      loadIndex();
      apply(false);
    });
    query.addEventListener('focus', loadIndex);
    query.addEventListener('input', function () {
      loadIndex();
      apply(true);
    });
    filters.forEach(function (f) {
      f.select.addEventListener('focus', loadIndex);
      f.select.addEventListener('change', function () {
        loadIndex();
        apply(false);
      });
    });
    reset.addEventListener('click', function () {
      query.value = '';
      filters.forEach(function (f) { f.select.value = ''; });
      apply(false);
      query.focus();
    });
    more.addEventListener('click', function () {
      var first = showMore();
      var link = first && first.querySelector('a');
      if (link) {
        link.focus();
      }
    });
    statusListeners.push(function () { apply(false); });

    // Fill the count before the region is in the page, so loading the page
    // announces nothing.
    apply(false);
    // Open on a wide screen, where it fits beside nothing else anyway, and
    // wherever a search or filter is in use (a shared link, Back).
    var wide = window.matchMedia && window.matchMedia('(min-width: 40em)').matches;
    panel.open = wide || inUse() > 0;
    box.appendChild(panel);
    // A search in the address (a shared link, Back) is a search begun.
    if (inUse() > 0) {
      loadIndex();
    }
  }

  function start() {
    // On a site built for a chosen time the statuses on the page are already
    // those of that time; the build's clock is the only one that applies.
    var live = !fixedClock();
    if (live) {
      refreshStatus();
    }
    setupSearch();
    if (live) {
      // A page left open across a deadline changes status while it is read.
      window.setInterval(refreshStatus, 60000);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
