// The foundation: organisation, administrative areas, catalogue, search data, accounts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subkind', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('units.id'))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('successor_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('agency_name', 'text')
    .addColumn('agency_name_en', 'text')
    .addColumn('area_code', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('units_parent').on('units').column('parent_id').execute();
  await db.schema.createIndex('units_kind').on('units').columns(['kind', 'valid_from']).execute();

  await db.schema
    .createTable('admin_areas')
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('parent_code', 'text')
    .addPrimaryKeyConstraint('admin_areas_pk', ['scheme', 'code'])
    .execute();
  await db.schema.createIndex('admin_areas_parent').on('admin_areas').columns(['scheme', 'parent_code']).execute();

  await db.schema
    .createTable('area_mappings')
    .addColumn('old_code', 'text', (c) => c.notNull())
    .addColumn('new_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('area_mappings_pk', ['old_code', 'new_code'])
    .execute();

  await db.schema
    .createTable('fields')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('procedures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('field_key', 'text', (c) => c.notNull().references('fields.key'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('online_class', 'text', (c) => c.notNull())
    .addColumn('online_level', 'integer', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('processing_hours', 'integer', (c) => c.notNull())
    .addColumn('fee_vnd', 'integer')
    .addColumn('unit_scope', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('popularity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('procedure_versions')
    .addColumn('procedure_id', 'text', (c) => c.notNull().references('procedures.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_versions_pk', ['procedure_id', 'version'])
    .execute();

  await db.schema
    .createTable('procedure_units')
    .addColumn('procedure_id', 'text', (c) => c.notNull().references('procedures.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('procedure_units_pk', ['procedure_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('procedure_aliases')
    .addColumn('procedure_id', 'text', (c) => c.notNull().references('procedures.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_aliases_pk', ['procedure_id', 'alias'])
    .execute();

  await db.schema
    .createTable('search_synonyms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('means', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('search_misses')
    .addColumn('query', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('subtree', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('user_roles_user').on('user_roles').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'user_roles', 'users', 'search_misses', 'search_synonyms', 'procedure_aliases', 'procedure_units',
    'procedure_versions', 'procedures', 'fields', 'area_mappings', 'admin_areas', 'units', 'meta',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
