import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the attempt that records a cut round (one whose worker never wrote its outcome) with who cut it:
 * the next round's take (`NEXT_ROUND`) or the dead-letter sweep (`DEAD_LETTER`). A worker that kept
 * running, but could not reach the database until its round had been cut, finds that record by the mark
 * and writes the true reason into it.
 */
export class CutRoundRecords1763701200000 implements MigrationInterface {
  name = 'CutRoundRecords1763701200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery_attempts ADD COLUMN cut_by text`);
    // Every existing row has NULL, which the check lets through: validating would only scan the log.
    await queryRunner.query(
      `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_cut_by_check
       CHECK (cut_by IN ('NEXT_ROUND', 'DEAD_LETTER')) NOT VALID`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery_attempts DROP COLUMN cut_by`);
  }
}
