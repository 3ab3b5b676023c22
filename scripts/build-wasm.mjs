// Builds what the engine loads at run time, when missing or older than its sources:
// - the kernel modules (asconfig.json's targets: plain and relaxed SIMD, each with a private memory
//   and with a shared one for worker threads), from assembly/;
// - the worker-thread runtime, build/threads/*.js, transpiled from src/backend/wasm/threads/*.ts
//   (workers load plain JavaScript: in Node a worker cannot run the TypeScript that tests and
//   examples run from src/, and browsers load it as a module worker next to the kernels).
// npm test, start and bench call it first; --force rebuilds everything.
import { readdirSync, readFileSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const config = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));

function newestSource(dir, suffix, extra = []) {
  let newest = Math.max(0, ...extra.map((f) => statSync(join(root, f)).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, dir));
  return newest;
}

const stale = (out, newest) => force || !existsSync(out) || statSync(out).mtimeMs < newest;

mkdirSync(join(root, 'build'), { recursive: true });
const kernelsNewest = newestSource('assembly', '.ts', ['asconfig.json']);
for (const [target, { outFile }] of Object.entries(config.targets)) {
  const out = join(root, outFile);
  if (!stale(out, kernelsNewest)) continue;
  const { error, stderr } = await asc.main(['--config', join(root, 'asconfig.json'), '--target', target]);
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`build-wasm: the ${target} build failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: built ${outFile}`);
}

const threadsSrc = join(root, 'src/backend/wasm/threads');
const threadsOut = join(root, 'build/threads');
mkdirSync(threadsOut, { recursive: true });
const threadsNewest = newestSource('src/backend/wasm/threads', '.ts', ['tsconfig.json']);
for (const file of readdirSync(threadsSrc).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
  const out = join(threadsOut, file.replace(/\.ts$/, '.js'));
  if (!stale(out, threadsNewest)) continue;
  const { outputText, diagnostics } = ts.transpileModule(readFileSync(join(threadsSrc, file), 'utf8'), {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false, isolatedModules: true },
  });
  if (diagnostics?.length) {
    console.error(`build-wasm: transpiling ${file} failed:\n${ts.formatDiagnostics(diagnostics, ts.createCompilerHost({}))}`);
    process.exit(1);
  }
  writeFileSync(out, outputText);
  console.log(`build-wasm: built build/threads/${file.replace(/\.ts$/, '.js')}`);
}
