// Judges Interlock's envelopes with agent-js (see judge.mjs): node verify.mjs ENVELOPES.json; prints the
// verdicts as JSON, exit status 1 when any envelope has a problem.
import { readFileSync } from 'node:fs';
import { judgeEnvelopes } from './judge.mjs';

const verdicts = judgeEnvelopes(JSON.parse(readFileSync(process.argv[2], 'utf8')).envelopes);
process.stdout.write(JSON.stringify(verdicts, null, 2) + '\n');
process.exitCode = verdicts.some(v => v.problems.length > 0) ? 1 : 0;
