// Builds the kernel modules (plain SIMD and relaxed SIMD) when they are missing or older than any
// source under assembly/ or asconfig.json. npm test, start and bench call it first.
import { readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['simd', 'relaxed'];
const outputs = { simd: 'build/simdnet.wasm', relaxed: 'build/simdnet-relaxed.wasm' };

function newestSource() {
  let newest = statSync(join(root, 'asconfig.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'assembly'));
  return newest;
}

const force = process.argv.includes('--force');
const newest = newestSource();
mkdirSync(join(root, 'build'), { recursive: true });
for (const target of targets) {
  const out = join(root, outputs[target]);
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newest) continue;
  const { error, stderr } = await asc.main(['--config', join(root, 'asconfig.json'), '--target', target]);
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`build-wasm: the ${target} build failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: built ${outputs[target]}`);
}
