-- The file exactly as uploaded is kept beside the copy that was loaded. When a team fixes
-- cells in the browser, the rows loaded come from a corrected UTF-8 CSV; the loads table
-- then describes both: the uploaded file (file_name, file_format, encoding and the new
-- delimiter, sheet, header_line, original_sha256, original_size_bytes) and the corrected
-- copy (corrected_file_name; sha256 and size_bytes are those of the file loaded). Both are
-- archived by sha256 (etl/archive.py), downloadable from History and backed up.
ALTER TABLE loads ADD COLUMN original_sha256 VARCHAR;
ALTER TABLE loads ADD COLUMN original_size_bytes BIGINT;
ALTER TABLE loads ADD COLUMN corrected_file_name VARCHAR;
ALTER TABLE loads ADD COLUMN delimiter VARCHAR;
ALTER TABLE loads ADD COLUMN sheet VARCHAR;
ALTER TABLE loads ADD COLUMN header_line INTEGER;
-- Loads made before: the file loaded was the file uploaded.
UPDATE loads SET original_sha256 = sha256, original_size_bytes = size_bytes WHERE original_sha256 IS NULL;
