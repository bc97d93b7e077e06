-- Run once when the store opens, after the schema. These settings apply to the whole DuckDB
-- instance (no connection can be locked alone): no file, network or extension access from SQL, and
-- no setting can be changed afterwards. The loader's Appender, INSERT/DELETE on our own tables and
-- CHECKPOINT keep working. Memory and thread limits are the ones given when the store opened:
-- nothing here changes them. Never add disabled_filesystems='LocalFileSystem': every commit on the
-- database file would then fail. (Statements are split at a semicolon that ends a line, so no
-- comment line may end with one.)
SET enable_external_access = false;
SET allow_community_extensions = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET lock_configuration = true;
