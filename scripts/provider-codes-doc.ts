/**
 * Writes the provider-code tables of the docs from the drivers' outcome tables, so that the docs and
 * the code cannot drift apart (test/reliability/provider-codes.e2e-spec.ts fails when they do).
 *
 *   node -r @swc-node/register scripts/provider-codes-doc.ts           # rewrites the marked sections
 *   node -r @swc-node/register scripts/provider-codes-doc.ts --check   # exits 1 when a section is stale
 *
 * Each section sits between `<!-- <name>:start … -->` and `<!-- <name>:end -->`: `provider-codes` in
 * docs/reliability.md (both tables), `smsru-codes` in docs/providers/smsru.md and `smspilot-codes` in
 * docs/providers/smspilot.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  SMSPILOT_ERROR_CODES,
  SMSPILOT_RECIPIENT_REFUSALS,
  SMSPILOT_UNKNOWN_ERROR,
  type SmsPilotErrorMapping,
} from '../libs/sms/src/providers/smspilot/smspilot.codes';
import { SMSRU_ERROR_CODES, SMSRU_UNKNOWN_ERROR } from '../libs/sms/src/providers/smsru/smsru.codes';

/** The repository root. */
export const REPOSITORY_ROOT = resolve(__dirname, '..');

interface DocRow {
  code: string;
  meaning: string;
  libraryCode: string;
  failure: string;
  why: string;
}

const HEADER = ['| code | meaning | library code | class | why |', '| --- | --- | --- | --- | --- |'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function table(rows: readonly DocRow[]): string[] {
  return [
    ...HEADER,
    ...rows.map(
      (r) =>
        `| ${cell(r.code)} | ${cell(r.meaning)} | \`${r.libraryCode}\` | \`${r.failure}\` | ${cell(r.why)} |`,
    ),
  ];
}

/** Every row of `SMSRU_ERROR_CODES` in code order, then the row of any other code. */
export function smsRuDocRows(): DocRow[] {
  const rows = Object.entries(SMSRU_ERROR_CODES)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, row]) => ({
      code,
      meaning: row.description,
      libraryCode: row.code,
      failure: row.failure,
      why: row.why,
    }));
  const other = SMSRU_UNKNOWN_ERROR;
  return [
    ...rows,
    {
      code: 'any other',
      meaning: other.description,
      libraryCode: other.code,
      failure: other.failure,
      why: other.why,
    },
  ];
}

function pilotRow(code: string, row: SmsPilotErrorMapping): DocRow {
  return {
    code,
    meaning: row.retired ? `${row.name} (retired: changelog only)` : row.name,
    libraryCode: row.code,
    failure: row.failure,
    why: row.why,
  };
}

/**
 * Every row of `SMSPILOT_ERROR_CODES` in code order, the per-recipient refusals of a send answer
 * (`SMSPILOT_RECIPIENT_REFUSALS`), then the row of any other code.
 */
export function smsPilotDocRows(): DocRow[] {
  const rows = Object.entries(SMSPILOT_ERROR_CODES)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, row]) => pilotRow(code, row));
  const recipients = [
    pilotRow('status -2 (one number)', SMSPILOT_RECIPIENT_REFUSALS['-2']),
    pilotRow('number left out (one number)', SMSPILOT_RECIPIENT_REFUSALS.dropped),
  ];
  return [...rows, ...recipients, pilotRow('any other', SMSPILOT_UNKNOWN_ERROR)];
}

const SMSRU_INTRO =
  'Written from `SMSRU_ERROR_CODES` (the driver reads the same rows for whole requests and for each recipient).';
const SMSPILOT_INTRO =
  'Written from `SMSPILOT_ERROR_CODES` and `SMSPILOT_RECIPIENT_REFUSALS` (SMSPilot gives no error code per number: a number comes back with status -2, or is left out of the answer).';

/** The body of each marked section, by section name. */
export function providerCodeSections(): Record<string, string> {
  const smsru = table(smsRuDocRows());
  const smspilot = table(smsPilotDocRows());
  return {
    'provider-codes': [
      'The class alone decides what happens next: `unavailable` is retried and failed over, `account` is failed over, `refused` and `unknown` stay (an `unknown` one is never resent), `no_route` is failed over only with `failoverOnNoRoute`.',
      '',
      '### SMS.ru',
      '',
      SMSRU_INTRO,
      '',
      ...smsru,
      '',
      '### SMSPilot',
      '',
      SMSPILOT_INTRO,
      '',
      ...smspilot,
    ].join('\n'),
    'smsru-codes': [SMSRU_INTRO, '', ...smsru].join('\n'),
    'smspilot-codes': [SMSPILOT_INTRO, '', ...smspilot].join('\n'),
  };
}

/** Which file holds which sections. */
export const PROVIDER_CODE_DOCS: Readonly<Record<string, readonly string[]>> = {
  'docs/reliability.md': ['provider-codes'],
  'docs/providers/smsru.md': ['smsru-codes'],
  'docs/providers/smspilot.md': ['smspilot-codes'],
};

/** `text` with the section `name` replaced by `body`; throws when the markers are missing. */
export function fillSection(text: string, name: string, body: string): string {
  const start = new RegExp(`^<!-- ${name}:start[^\\n]*-->$`, 'm').exec(text);
  const endMarker = `<!-- ${name}:end -->`;
  const end = text.indexOf(endMarker, start ? start.index : 0);
  if (!start || end < 0) throw new Error(`the markers of section "${name}" are missing`);
  const head = text.slice(0, start.index + start[0].length);
  return `${head}\n${body}\n${text.slice(end)}`;
}

/** Each documentation file as it should read, by path relative to the repository root. */
export function renderProviderCodeDocs(root = REPOSITORY_ROOT): Record<string, string> {
  const sections = providerCodeSections();
  const out: Record<string, string> = {};
  for (const [file, names] of Object.entries(PROVIDER_CODE_DOCS)) {
    let text = readFileSync(join(root, file), 'utf8');
    for (const name of names) text = fillSection(text, name, sections[name]);
    out[file] = text;
  }
  return out;
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of Object.entries(renderProviderCodeDocs())) {
    const path = join(REPOSITORY_ROOT, file);
    if (readFileSync(path, 'utf8') === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path, text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(
      `Stale provider-code tables in ${stale.join(', ')}: run scripts/provider-codes-doc.ts\n`,
    );
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(stale.length > 0 ? `Rewrote ${stale.join(', ')}\n` : 'Up to date\n');
  }
}

if (require.main === module) main();
