import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { qualify } from '../../lib/db/ident';
import { definition } from '../../lib/definition/definition';
import { generateSql, type GeneratedSql } from '../../lib/sqlgen/generate';
import { resolveDefinition } from '../../lib/summary/resolve';
import { GOLDEN_CASES } from './golden-cases';
import { expectExact, exercise, leftovers } from './support';

/**
 * STYLE.md §12: the generated SQL is compared with test/golden/<case>.sql byte for byte
 * (UPDATE_GOLDEN=1 rewrites the files) and then executed: install, populate, writes that must
 * keep the summary equal to its defining query, a refused direct write, and an uninstall
 * that leaves nothing behind.
 */

const db = await createTestDatabase();
const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));

function goldenText(name: string, g: GeneratedSql): string {
  return [
    `-- Golden SQL for case "${name}" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts`,
    '',
    '-- ######## warnings',
    ...(g.warnings.length ? g.warnings.map((w) => `-- [${w.code}] ${w.message.replace(/\n/g, ' ')}`) : ['-- (none)']),
    '',
    '-- ######## concurrent indexes (before the install transaction)',
    ...(g.concurrentIndexes.length ? g.concurrentIndexes : ['-- (none)']),
    '',
    '-- ######## install',
    g.install.trimEnd(),
    '',
    '-- ######## populate',
    g.populate.trimEnd(),
    '',
    '-- ######## uninstall',
    g.uninstall.trimEnd(),
    '',
  ].join('\n');
}

describe('golden SQL, executed', () => {
  for (const c of GOLDEN_CASES) {
    test(c.name, async () => {
      await db.pool.query(c.setup);
      const def = definition.parse(c.def);
      const g = generateSql(await resolveDefinition(db.pool, def));

      // deterministic: a second generation is byte-identical
      expect(generateSql(await resolveDefinition(db.pool, def))).toEqual(g);
      const file = path.join(GOLDEN_DIR, `${c.name}.sql`);
      const text = goldenText(c.name, g);
      if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) fs.writeFileSync(file, text);
      expect(text).toBe(fs.readFileSync(file, 'utf8'));

      for (const s of g.concurrentIndexes) await db.pool.query(s);
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(g.install);
        await client.query(g.populate);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
      }
      await expectExact(db.pool, def, 'populate');
      await exercise(db.pool, def, c.writes);

      const table = g.objects.find((o) => o.kind === 'table')!;
      const err = await db.pool.query(`DELETE FROM ${qualify(table.schema, table.name)}`).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('42501');

      await db.pool.query(g.uninstall);
      expect(await leftovers(db.pool, def)).toEqual([]);
      for (const s of c.survivors) await db.pool.query(`SELECT count(*) FROM ${s}`);
    });
  }
});
