#!/usr/bin/env node
// Keeps package-lock.json installable with `npm ci` on every platform.
//
// When a registry mirror lacks another platform's prebuilt binary (say
// @rollup/rollup-win32-x64-msvc at the exact version rollup asks for), `npm install`
// leaves that optional dependency out of the lock, and `npm ci` then refuses the lock
// ("Missing: ... from lock file"). This adds the entry npm would have written on a full
// registry: the exact version, marked optional, with the os/cpu/libc read from the
// package name so npm skips it on other machines.
//
//   node .ci/lock-platforms.mjs          add missing entries (prints what it added)
//   node .ci/lock-platforms.mjs --check  exit 1 if any are missing
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const text = readFileSync(file, 'utf8');
const lock = JSON.parse(text);
const packages = lock.packages;

const OS = [
	'android',
	'darwin',
	'freebsd',
	'linux',
	'openbsd',
	'openharmony',
	'win32',
	'sunos',
	'netbsd',
	'aix'
];
const CPU = [
	'arm64',
	'arm',
	'x64',
	'ia32',
	'loong64',
	'ppc64',
	'riscv64',
	's390x',
	'mips64el',
	'wasm32'
];

/** os/cpu/libc from a platform package name like rollup-linux-arm-musleabihf. */
function platformOf(name) {
	const parts = name.split('/').pop().split('-');
	const os = parts.find((p) => OS.includes(p));
	const cpu =
		parts.find((p) => CPU.includes(p)) ??
		(parts.some((p) => p.startsWith('eabi') || p.endsWith('eabihf')) ? 'arm' : undefined);
	if (!os || !cpu) return undefined;
	const platform = { os: [os], cpu: [cpu] };
	if (os === 'linux') platform.libc = [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'];
	return platform;
}

/** Where node would find `name` from the package at `from` (a lock key). */
function resolves(from, name) {
	let dir = from;
	for (;;) {
		if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
		if (!dir) return false;
		const at = dir.lastIndexOf('/node_modules/');
		dir = at === -1 ? '' : dir.slice(0, at);
	}
}

const added = [];
for (const [key, pkg] of Object.entries(packages)) {
	for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
		if (resolves(key, name) || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
		const platform = platformOf(name);
		if (!platform) continue;
		const at = packages[`node_modules/${name}`]
			? `${key}/node_modules/${name}`
			: `node_modules/${name}`;
		packages[at] = {
			version: spec,
			...(pkg.dev ? { dev: true } : {}),
			optional: true,
			...platform
		};
		added.push(`${at}@${spec}`);
	}
}

if (process.argv.includes('--check')) {
	if (added.length) {
		console.error(
			`package-lock.json lacks ${added.length} platform packages; run: node .ci/lock-platforms.mjs`
		);
		process.exit(1);
	}
} else if (added.length) {
	const sorted = Object.fromEntries(
		Object.entries(packages).sort(([a], [b]) =>
			a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')
		)
	);
	lock.packages = sorted;
	const indent = text.match(/^\s+/m)?.[0] ?? '\t';
	writeFileSync(file, `${JSON.stringify(lock, null, indent)}\n`);
	console.log(`added ${added.length} platform entries:\n  ${added.join('\n  ')}`);
}
