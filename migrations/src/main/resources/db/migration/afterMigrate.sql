-- Runs after every migrate (Flyway callback): the service role may use every table and
-- sequence, owns none of them, and cannot bypass row-level security.
grant usage on schema ${flyway:defaultSchema} to ${appRole};
grant select, insert, update, delete on all tables in schema ${flyway:defaultSchema} to ${appRole};
grant usage, select on all sequences in schema ${flyway:defaultSchema} to ${appRole};
grant execute on all functions in schema ${flyway:defaultSchema} to ${appRole};
