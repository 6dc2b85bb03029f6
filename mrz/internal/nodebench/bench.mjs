// Side-by-side benchmark of npm mrz v5 (https://www.npmjs.com/package/mrz)
// on the documents of the Go benchmarks BenchmarkParseTD1 (the first card)
// and BenchmarkParseTD1Mixed (all three, in turn). See README.md.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'mrz';

const docs = [
  // synthetic Vietnamese cards (mrz/testdata)
  'IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<',
  'IDVNM3030007771079303000777<<1\n0308304F2808303VNM<<<<<<<<<<<4\nTRAN<<THI<NGOC<ANH<<<<<<<<<<<<',
  // ICAO 9303-5 TD1 specimen
  'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];

// npm mrz checks every field of each document either way; it does not know
// the specimen state code UTO, so it calls the ICAO specimen invalid.
for (const d of docs) {
  const r = parse(d);
  console.log(d.slice(0, 5), 'valid by npm mrz:', r.valid, r.details.filter((x) => !x.valid).map((x) => x.error));
}

function run(name, pick, n) {
  let sink = 0;
  for (let i = 0; i < n / 10; i++) sink += parse(pick(i)).valid ? 1 : 0; // warm-up
  const times = [];
  const cpus = [];
  for (let round = 0; round < 7; round++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += parse(pick(i)).valid ? 1 : 0;
    times.push(Number(process.hrtime.bigint() - t0) / n);
    const c = process.cpuUsage(c0);
    cpus.push(((c.user + c.system) * 1000) / n);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  // cpu-ns/op (user + system time of the process) is the fairer figure on
  // a shared machine; the Go benchmarks report it too.
  console.log(`${name}\tmedian ${times[3].toFixed(0)} ns/op\t${cpus[3].toFixed(0)} cpu-ns/op\t(${n} ops x 7 rounds, sink ${sink})`);
}

const n = Number(process.argv[2] ?? 100000);
const pkg = createRequire(import.meta.url).resolve('mrz').replace(/lib[\/\\]index\.js$/, 'package.json');
console.log(`node ${process.version}, mrz ${JSON.parse(readFileSync(pkg, 'utf8')).version}`);
run('ParseTD1', () => docs[0], n);
run('ParseTD1Mixed', (i) => docs[i % 3], n);
