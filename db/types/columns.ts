import type { ColumnType } from 'kysely';

// Column shapes shared by every table file: how timestamps and JSON columns read and write.

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json<T = unknown> = ColumnType<T, string, string>;
