'use strict';
// A small portal written by the tests: one challenge in every stage, in
// Swedish and English, with text meant to break out of HTML, attributes and
// script blocks in the title, summary, facts and most other fields, and a
// city's brand (colour, logo, contact details) in its site.toml.

const fs = require('node:fs');
const path = require('node:path');

/** What the fixture writes into text fields; none of it may run. */
const INJECTION = '<script>alert(1)</script> " </script> <img src=x onerror=alert(1)>';

/**
 * What it writes into Markdown fields, where raw HTML is cleaned rather than
 * escaped: the handlers of an image that loads, a `javascript:` link and a
 * script must all be removed. (The image has an empty alt: it is decoration.)
 */
const MD_INJECTION = '<script>alert(1)</script> " </script> '
  + '<img src="/utmaningar/bild.svg" alt="" onload="alert(1)"> '
  + '<a href="javascript:alert(1)" onclick="alert(1)">x</a>';

/** Every stage a challenge can be at, in process order. */
const STAGES = [
  'need', 'challenge', 'rfi', 'dialogue', 'procurement',
  'concept', 'prototype', 'pilot', 'implementation', 'cancelled',
];

/** YAML single-quoted scalar: only `'` needs escaping. */
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Per stage: dates relative to the build clock (2023-08-25) and extras. */
const PLAN = {
  need: { opens: '2023-10-01', status: 'upcoming' },
  challenge: { deadline: '2023-12-01T12:00', status: 'open' },
  rfi: { deadline: '2023-08-31', questions: '2023-08-28', moved: '2023-08-28', status: 'closing-soon', folder: true },
  dialogue: { deadline: '2023-09-30', status: 'open', events: true },
  procurement: { deadline: '2023-10-15T14:00', questions: '2023-10-01', status: 'open', phases: true },
  concept: { deadline: '2023-05-01', status: 'closed', phases: true },
  prototype: { deadline: '2023-03-01', status: 'closed', phases: true },
  pilot: { deadline: '2023-02-01', status: 'closed', outcome: true },
  implementation: { deadline: '2022-11-30T12:00', status: 'closed', outcome: true, phases: true },
  cancelled: { deadline: '2023-09-15', status: 'closed', outcome: true },
};

const TEXT = {
  sv: {
    title: (s) => `Skede ${s}: ${INJECTION}`,
    summary: (s) => `Sammanfattning för skedet ${s}. ${INJECTION}`,
    buyer: `Testkommun ${INJECTION}`,
    category: `Kategori ${INJECTION}`,
    tag: `tagg ${INJECTION}`,
    factLabel: `Inköp ${INJECTION}`,
    factValue: `cirka 3,4 miljarder kr ${INJECTION}`,
    contact: `Anna Andersson ${INJECTION}`,
    role: `Projektledare ${INJECTION}`,
    instructions: `Svara i formuläret. ${MD_INJECTION}`,
    compensation: `Ingen ersättning ${INJECTION}`,
    question: `Får vi svara på engelska? ${INJECTION}`,
    answer: `Ja. ${MD_INJECTION}`,
    update: `Sista dagen flyttades. ${MD_INJECTION}`,
    event: `Frågestund ${INJECTION}`,
    eventText: `Ställ frågor. ${MD_INJECTION}`,
    place: `Stadshuset ${INJECTION}`,
    phase: (n) => `Fas ${n} ${INJECTION}`,
    pay: `25 000 kr ${INJECTION}`,
    document: `Frågorna ${INJECTION}`,
    outcome: `Så gick det. ${MD_INJECTION}`,
    alt: 'Diagram över utsläppen per år',
    heading: 'Bakgrund',
    body: 'Text om utmaningen.',
  },
  en: {
    title: (s) => `Stage ${s}: ${INJECTION}`,
    summary: (s) => `Summary for the ${s} stage. ${INJECTION}`,
    buyer: `Testkommun ${INJECTION}`,
    category: `Kategori ${INJECTION}`,
    tag: `tagg ${INJECTION}`,
    factLabel: `Purchases ${INJECTION}`,
    factValue: `about SEK 3.4 billion ${INJECTION}`,
    contact: `Anna Andersson ${INJECTION}`,
    role: `Project manager ${INJECTION}`,
    instructions: `Answer in the form. ${MD_INJECTION}`,
    compensation: `No payment ${INJECTION}`,
    question: `May we answer in English? ${INJECTION}`,
    answer: `Yes. ${MD_INJECTION}`,
    update: `The deadline moved. ${MD_INJECTION}`,
    event: `Question session ${INJECTION}`,
    eventText: `Ask questions. ${MD_INJECTION}`,
    place: `City hall ${INJECTION}`,
    phase: (n) => `Phase ${n} ${INJECTION}`,
    pay: `SEK 25,000 ${INJECTION}`,
    document: `The questions ${INJECTION}`,
    outcome: `How it went. ${MD_INJECTION}`,
    alt: 'Chart of emissions per year',
    heading: 'Background',
    body: 'Text about the challenge.',
  },
};

function challenge(stage, lang) {
  const p = PLAN[stage];
  const t = TEXT[lang];
  const lines = [
    '---',
    `title: ${q(t.title(stage))}`,
    `summary: ${q(t.summary(stage))}`,
    `buyer: ${q(t.buyer)}`,
    `stage: ${stage}`,
    'published: 2023-01-10',
  ];
  if (p.opens) lines.push(`opens: ${p.opens}`);
  if (p.deadline) lines.push(`deadline: ${p.deadline}`);
  if (p.questions) lines.push(`questions_deadline: ${p.questions}`);
  lines.push(
    'timezone: Europe/Stockholm',
    'contact:',
    `  name: ${q(t.contact)}`,
    `  role: ${q(t.role)}`,
    '  email: anna.andersson@example.se',
    '  phone: 070-174 06 00',
    'respond:',
    '  url: https://example.se/svara',
    `  instructions: ${q(t.instructions)}`,
    `compensation: ${q(t.compensation)}`,
    'facts:',
    `  - label: ${q(t.factLabel)}`,
    `    value: ${q(t.factValue)}`,
  );
  if (p.folder) {
    lines.push('documents:', `  - title: ${q(t.document)}`, '    file: fragor.txt');
    lines.push(
      'updates:',
      '  - date: 2023-08-01',
      `    text: ${q(t.update)}`,
      '    deadline: 2023-08-31',
    );
    lines.push(
      'questions:',
      `  - question: ${q(t.question)}`,
      `    answer: ${q(t.answer)}`,
      '    date: 2023-07-05',
      '    answered: 2023-07-06',
    );
  } else {
    lines.push('documents:', `  - title: ${q(t.document)}`, '    url: https://example.se/dokument.pdf');
  }
  if (p.events) {
    lines.push(
      'events:',
      `  - title: ${q(t.event)}`,
      '    start: 2023-09-05T13:00',
      '    end: 2023-09-05T14:30',
      `    place: ${q(t.place)}`,
      `    description: ${q(t.eventText)}`,
    );
  }
  if (p.phases) {
    lines.push(
      'phases:',
      `  - name: ${q(t.phase(1))}`,
      '    start: 2023-01-10',
      '    end: 2023-02-10',
      `    pay: ${q(t.pay)}`,
      '    suppliers: 7',
      `  - name: ${q(t.phase(2))}`,
      '    start: 2023-03-01',
      '    end: 2023-04-28',
      `    pay: ${q(t.pay)}`,
      '    suppliers: 3',
    );
  }
  if (stage === 'procurement') {
    // The official notice, and the RFI this procurement follows: the RFI's
    // page shows the link reversed.
    lines.push(
      'notice:',
      '  source: TED',
      `  id: ${q(`2023/S 010-000123 ${INJECTION}`)}`,
      '  url: https://ted.europa.eu/sv/notice/-/detail/123-2023',
      'related:',
      '  - challenge: skede-rfi',
      '    relation: follows',
    );
  }
  if (p.outcome) lines.push(`outcome: ${q(t.outcome)}`);
  lines.push(
    'tags:',
    `  - ${q(t.tag)}`,
    `  - ${stage}`,
    `category: ${q(t.category)}`,
    'cpv:',
    '  - 72000000-5',
    '---',
    '',
    `## ${t.heading}`,
    '',
    `${t.body} ${MD_INJECTION}`,
    '',
  );
  // An image beside the page, with a text alternative. Only in Swedish for
  // now: in a translation the relative address resolves under en/, where the
  // image is not published (see the todo test in privacy.test.js).
  if (p.folder && lang === 'sv') lines.push(`![${t.alt}](diagram.png)`, '');
  return lines.join('\n');
}

function page(title, summary, body, extra = '') {
  return `---\ntitle: ${q(title)}\nsummary: ${q(summary)}\n${extra}---\n\n${body}\n`;
}

/** The newsletter service's subscribe address of the fixture site. */
const FOLLOW_EMAIL_URL = 'https://nyhetsbrev.example.se/prenumerera?lista=7&rss={feed}';

/** Writes the fixture site into `root` (site.toml and content/). */
function writeFixture(root) {
  const write = (rel, text) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  write('site.toml', [
    `title = "Testportal <script>alert(1)</script> \\" </script>"`,
    'description = "Utmaningar för tester."',
    'base_url = "https://example.se/"',
    'language = "sv"',
    'languages = ["sv", "en"]',
    'timezone = "Europe/Stockholm"',
    // Four a page: the ten challenges make a list of three pages, so the
    // tests see paging without JavaScript and a search beyond page 1.
    'paginate = 4',
    // Every feed link gets a "follow by e-mail" link beside it.
    `follow_email_url = "${FOLLOW_EMAIL_URL}"`,
    '',
    '[markdown]',
    'sanitize_html = true',
    '',
    // A city's look: a colour close enough to the theme's yellow focus
    // highlight that the build must lift it, a logo, and contact details
    // that try to break out of the page like the rest of the fixture.
    '[brand]',
    `logo = "${BRAND.logo}"`,
    `logo_alt = "Testkommun <script>alert(1)</script> \\" </script>"`,
    `color = "${BRAND.color}"`,
    `organisation = "Testkommun <script>alert(1)</script> \\" </script>"`,
    '',
    '[brand.footer]',
    'address = "Stadshuset <b>1</b>, 123 45 Testby"',
    'phone = "+46 10-123 45 67"',
    'email = "kontakt@example.se"',
    'org_number = "212000-0000"',
    'links = [',
    '  { title = "Testkommun <script>alert(1)</script>", url = "https://example.se/" },',
    '  { title = "Personuppgifter", url = "https://example.se/personuppgifter" },',
    ']',
    '',
  ].join('\n'));
  write(BRAND.logo, brandLogoSvg());
  // The image the injection test loads: a file of the site's own static/.
  write('static/bild.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>\n');
  write('content/_index.md', page('Testportalen', 'Utmaningar i alla skeden.', 'Här finns en utmaning i varje skede.'));
  write('content/_index.en.md', page('The test portal', 'Challenges at every stage.', 'There is one challenge at every stage here.'));
  write('content/challenges/_index.md', page('Alla utmaningar', 'Alla utmaningar.', 'Filtrera på skede, status, kategori eller beställare.'));
  write('content/challenges/_index.en.md', page('All challenges', 'All the challenges.', 'Filter by stage, status, category or buyer.'));
  write('content/om.md', page(`Om ${INJECTION}`, `Om portalen ${INJECTION}`, `## Syfte\n\nEn vanlig sida. ${MD_INJECTION}`, 'menu: true\nweight: 1\n'));
  write('content/om.en.md', page(`About ${INJECTION}`, `About the portal ${INJECTION}`, `## Purpose\n\nA plain page. ${MD_INJECTION}`, 'menu: true\nweight: 1\n'));
  write('content/tillganglighetsredogorelse.md', page('Tillgänglighetsredogörelse', 'Hur tillgänglig portalen är.', '## Hur tillgänglig är webbplatsen?\n\nHelt förenlig.', 'weight: 9\n'));
  write('content/tillganglighetsredogorelse.en.md', page('Accessibility statement', 'How accessible the portal is.', '## How accessible is the website?\n\nFully compliant.', 'weight: 9\n'));
  for (const stage of STAGES) {
    for (const lang of ['sv', 'en']) {
      const suffix = lang === 'sv' ? '' : `.${lang}`;
      const rel = PLAN[stage].folder
        ? `content/challenges/skede-${stage}/index${suffix}.md`
        : `content/challenges/skede-${stage}${suffix}.md`;
      write(rel, challenge(stage, lang));
    }
  }
  write('content/challenges/skede-rfi/fragor.txt', `1. Vilken lösning ser ni? ${INJECTION}\n`);
  // A bar chart as PNG: SVG beside a page is refused, since it may hold
  // script that would run with the portal's origin.
  write('content/challenges/skede-rfi/diagram.png', barChartPng());
}

/** The fixture's brand: its colour and logo (a file in static/). */
const BRAND = { color: '#e4003b', logo: 'static/testkommun-logga.svg', width: 200, height: 48 };

/** A light logo for the coloured header: a mark and a name, 200 × 48 by its viewBox. */
function brandLogoSvg() {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48">',
    '  <circle cx="24" cy="24" r="20" fill="none" stroke="#ffffff" stroke-width="5"/>',
    '  <path d="M14 28 L24 12 L34 28 Z" fill="#ffffff"/>',
    '  <rect x="56" y="14" width="136" height="6" rx="3" fill="#ffffff"/>',
    '  <rect x="56" y="28" width="96" height="6" rx="3" fill="#ffffff"/>',
    '</svg>',
    '',
  ].join('\n');
}

/** CRC-32 of a buffer, as PNG chunks need it. */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A 240 × 120 PNG with three blue bars on white. */
function barChartPng() {
  const width = 240;
  const height = 120;
  const bars = [[20, 20], [100, 50], [180, 80]]; // x, top of each 40 px bar
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3, 0xff);
    row[0] = 0; // no filter
    for (const [x0, top] of bars) {
      if (y < top || y >= 110) continue;
      for (let x = x0; x < x0 + 40; x += 1) row.set([0x1d, 0x5c, 0x8c], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', require('zlib').deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

module.exports = { writeFixture, barChartPng, BRAND, INJECTION, MD_INJECTION, STAGES, PLAN, TEXT, FOLLOW_EMAIL_URL };
