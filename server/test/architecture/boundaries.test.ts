import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The seams the code keeps, read from the sources: the product core does not know the sandbox, the
 * platform does not know the modules, providers do not know the wire codes, and the repository cites
 * only its own documents.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SRC = path.join(ROOT, 'server/src');

function filesUnder(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : filesUnder(full, ext);
    return ext.test(e.name) ? [full] : [];
  });
}

const sources = filesUnder(SRC, /\.ts$/).filter((f) => !f.endsWith('.test.ts'));
const rel = (f: string) => path.relative(ROOT, f);

/** The modules a source file imports, resolved to paths relative to the repository. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map((m) =>
    rel(path.resolve(path.dirname(file), m[1] as string)),
  );
}

/** Every `file -> import` pair of the files in `from` that reaches something `forbidden` matches. */
function violations(from: (f: string) => boolean, forbidden: RegExp): string[] {
  return sources
    .filter(from)
    .flatMap((f) => importsOf(f).flatMap((i) => (forbidden.test(i) ? [`${rel(f)} -> ${i}`] : [])));
}

const under = (dir: string) => (f: string) => rel(f).startsWith(`server/src/${dir}/`);

describe('boundaries of the code', () => {
  it('reads imports at all (the rules below are not passing on nothing)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(importsOf(path.join(SRC, 'app.ts'))).toContain('server/src/providers/sandbox/sandbox.js');
  });

  it('no module but the sandbox module, and no platform file, uses the sandbox market', () => {
    const outside = (f: string) => !under('modules/sandbox')(f) && !under('providers/sandbox')(f);
    const core = (f: string) => outside(f) && (under('modules')(f) || under('platform')(f));
    expect(violations(core, /^server\/src\/providers\/sandbox\//)).toEqual([]);
    const mentions = sources
      .filter(core)
      .filter((f) => /deps\.sandbox|sandboxOf\(/.test(fs.readFileSync(f, 'utf8')))
      .map(rel);
    expect(mentions).toEqual([]);
  });

  it('the platform does not import a module (first-start work is a module hook)', () => {
    expect(violations(under('platform'), /^server\/src\/(modules\/|app\.js|main\.js)/)).toEqual([]);
  });

  it('providers do not know the API’s wire codes: provider failures are mapped in one place of the platform', () => {
    // Without the platform's http layer a provider cannot make an ApiError: its failures carry no codes.
    expect(violations(under('providers'), /^server\/src\/platform\/http\//)).toEqual([]);
    expect(importsOf(path.join(SRC, 'platform/http/errors-handler.ts'))).toContain(
      'server/src/platform/http/upstream-errors.js',
    );
  });

  it('code and docs cite the repository’s own documents', () => {
    const tracked = [
      ...filesUnder(path.join(ROOT, 'server'), /\.(ts|md|js|mjs)$/),
      ...filesUnder(path.join(ROOT, 'sdk'), /\.(ts|md|json)$/).filter((f) => !f.includes('generated')),
      ...filesUnder(path.join(ROOT, 'docs'), /\.md$/),
      ...filesUnder(path.join(ROOT, 'bench'), /\.(ts|md)$/),
      ...['README.md', 'CONTRIBUTING.md'].map((f) => path.join(ROOT, f)),
    ].filter((f) => f !== fileURLToPath(import.meta.url));
    expect(tracked.length).toBeGreaterThan(150);
    const citing = tracked.filter((f) =>
      /\bARCHITECTURE\b|\bQUALITY\b|\.\.\/shared\//.test(fs.readFileSync(f, 'utf8')),
    );
    expect(citing.map(rel)).toEqual([]);
  });

  it('`npm start` runs compiled JavaScript, not a TypeScript loader', () => {
    const bin = fs.readFileSync(path.join(ROOT, 'server/bin/ponte.js'), 'utf8');
    expect(bin).toContain('dist/src/cli.js');
    expect(bin).not.toMatch(/tsx|\.ts['"]/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('node server/bin/ponte.js serve');
    expect(pkg.scripts.prepare).toContain('build');
  });
});
