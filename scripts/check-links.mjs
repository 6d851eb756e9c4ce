#!/usr/bin/env node
// Checks that every relative link in the repository's Markdown files points at a file or folder that
// exists, and, for a link into a Markdown file, at a heading that exists there. Web links (http, https,
// mailto …) are not fetched. Part of `pnpm lint`; exits 1 and lists each broken link.
//
//   node scripts/check-links.mjs            # every Markdown file git knows of (tracked or new, not ignored)
//   node scripts/check-links.mjs a.md b.md  # only these

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files git tracks, plus new ones it does not ignore. */
function markdownFiles() {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.md'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return [...new Set(listed.split('\0').filter((file) => file !== ''))]
    .filter((file) => existsSync(path.join(root, file)))
    .sort();
}

/** The lines of a Markdown text with fenced code blocks and inline code blanked out (line numbers kept). */
function proseLines(text) {
  let fence = null;
  return text.split('\n').map((line) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) fence = null;
      return '';
    }
    if (opening) {
      fence = opening[1];
      return '';
    }
    return line.replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length));
  });
}

/** Link targets on one line: inline links and images, reference definitions, and HTML href/src. */
function targetsIn(line) {
  const targets = [];
  for (const match of line.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    targets.push(match[1].replace(/^<|>$/g, ''));
  }
  const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
  if (definition) targets.push(definition[1].replace(/^<|>$/g, ''));
  for (const match of line.matchAll(/\b(?:href|src)="([^"]+)"/g)) targets.push(match[1]);
  return targets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map();

/** Every anchor a Markdown file offers: its headings (repeats numbered as GitHub does) and HTML ids. */
function anchorsOf(file) {
  let anchors = anchorCache.get(file);
  if (anchors) return anchors;
  anchors = new Set();
  const seen = new Map();
  let fence = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence || opening) {
      if (!fence) fence = opening[1];
      else if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) fence = null;
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

/** Why a link from `file` to `target` does not resolve, or undefined when it does. */
function problemOf(file, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const hash = target.indexOf('#');
  const pathPart = (hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const anchor = hash < 0 ? '' : target.slice(hash + 1);
  let decoded;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return 'is not a valid URL';
  }
  const resolved =
    decoded === ''
      ? file
      : decoded.startsWith('/')
        ? path.join(root, decoded)
        : path.resolve(path.dirname(file), decoded);
  if (!resolved.startsWith(root)) return 'points outside the repository';
  if (!existsSync(resolved)) return `${path.relative(root, resolved)} does not exist`;
  if (anchor === '' || !resolved.endsWith('.md') || !statSync(resolved).isFile()) return undefined;
  let wanted;
  try {
    wanted = decodeURIComponent(anchor).toLowerCase();
  } catch {
    return 'has an anchor that is not valid';
  }
  return anchorsOf(resolved).has(wanted)
    ? undefined
    : `${path.relative(root, resolved)} has no heading for #${anchor}`;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : markdownFiles();
const broken = [];
for (const relative of files) {
  const file = path.resolve(root, relative);
  proseLines(readFileSync(file, 'utf8')).forEach((line, index) => {
    for (const target of targetsIn(line)) {
      const problem = problemOf(file, target);
      if (problem) broken.push(`${path.relative(root, file)}:${index + 1}: ${target} — ${problem}`);
    }
  });
}

if (broken.length > 0) {
  console.error(`Broken links (${broken.length}):\n${broken.map((line) => `  ${line}`).join('\n')}`);
  process.exit(1);
}
console.log(`Links: ${files.length} Markdown files checked, every relative link resolves.`);
