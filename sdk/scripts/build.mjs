// The SDK's part of `npm run build`:
//   dist/src, dist/test-vectors   ES modules and type declarations, from a type-checking compile of
//                                 tsconfig.build.json: what `import` loads, and what the built server runs on
//   dist/cjs/…                    the same modules as CommonJS (`require`), with the same declarations; its
//                                 package.json makes them CommonJS and maps `#crypto` for them
// Like the server's build it writes over dist without cleaning it first.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Loaded with require, as tsc is: an ES module import of typescript.js would first scan all of it for its exports.
const ts = createRequire(import.meta.url)('typescript');

const sdk = path.resolve(import.meta.dirname, '..');
const dist = path.join(sdk, 'dist');
const cjs = path.join(dist, 'cjs');

const host = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

function fail(diagnostics) {
  const format = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stderr.write(format(diagnostics, host));
  process.exit(1);
}

const configFile = path.join(sdk, 'tsconfig.build.json');
const read = ts.readConfigFile(configFile, ts.sys.readFile);
if (read.error) fail([read.error]);
const config = ts.parseJsonConfigFileContent(read.config, ts.sys, sdk, undefined, configFile);
if (config.errors.length > 0) fail(config.errors);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const emitted = [];
const result = program.emit(undefined, (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  emitted.push(file);
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length > 0) fail(diagnostics);

// CommonJS: each emitted module transpiled again (ES module syntax to require/exports), declarations and JSON
// copied. The declarations read as CommonJS there, which TypeScript needs for a `require` of the package.
for (const file of emitted) {
  const target = path.join(cjs, path.relative(dist, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (file.endsWith('.js')) {
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: config.options.target,
        esModuleInterop: true,
        removeComments: false,
      },
      reportDiagnostics: true,
    });
    if (out.diagnostics?.length) fail(out.diagnostics);
    fs.writeFileSync(target, out.outputText);
  } else {
    fs.copyFileSync(file, target);
  }
}
const manifest = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8'));
// `#crypto` as in the package's own map, with the CommonJS files instead of the ES modules.
const imports = JSON.parse(
  JSON.stringify(manifest.imports, (key, value) => {
    if (key === 'ponte-source') return undefined;
    return typeof value === 'string' ? value.replace(/^\.\/dist\//, './') : value;
  }),
);
fs.writeFileSync(path.join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs', imports }, null, 2)}\n`);
