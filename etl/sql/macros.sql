-- Lenient parsers for the text cells of city files. Each returns NULL when the text
-- cannot be read, so that validation can report a type error for it.

-- Trimmed text, NULL when blank or one of the schema's missing values.
CREATE OR REPLACE TEMP MACRO clean_cell(v, missing) AS
    CASE WHEN v IS NULL OR list_contains(missing, trim(v)) THEN NULL ELSE trim(v) END;

-- Digits with grouping removed: spaces, no-break space U+00A0, narrow no-break
-- space U+202F, apostrophes; a trailing euro sign.
CREATE OR REPLACE TEMP MACRO strip_grouping(v) AS
    regexp_replace(regexp_replace(v, '\s*(€|eur|euros)$', '', 'i'), '[\s\x{00A0}\x{202F}''’]', '', 'g');

-- Integers: "1 234", "1.234" (dot as thousands separator), "12,0".
CREATE OR REPLACE TEMP MACRO parse_integer(v) AS
    CASE
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(\.\d{3})+')
            THEN TRY_CAST(replace(strip_grouping(v), '.', '') AS BIGINT)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d+([.,]0+)?')
            THEN TRY_CAST(regexp_replace(strip_grouping(v), '[.,]0+$', '') AS BIGINT)
    END;

-- Decimals: "1234,5", "1 234,50", "1.234,5" (French), "1,234.5" and "1234.5".
-- A lone dot followed by exactly three digits groups thousands ("1.234" = 1234).
CREATE OR REPLACE TEMP MACRO parse_number(v) AS
    CASE
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(\.\d{3})+(,\d+)?')
            THEN TRY_CAST(replace(replace(strip_grouping(v), '.', ''), ',', '.') AS DOUBLE)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(,\d{3})+\.\d+')
            THEN TRY_CAST(replace(strip_grouping(v), ',', '') AS DOUBLE)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?(\d+([.,]\d*)?|[.,]\d+)')
            THEN TRY_CAST(replace(strip_grouping(v), ',', '.') AS DOUBLE)
    END;

-- The date part of a cell, without a midnight time as spreadsheets write it.
CREATE OR REPLACE TEMP MACRO date_part_of(v) AS regexp_replace(v, '[ T]0?0:00(:00(\.0+)?)?$', '');

-- Dates: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY (also with - or . between day, month,
-- year), optionally followed by a midnight time.
CREATE OR REPLACE TEMP MACRO parse_date(v) AS
    CASE
        WHEN regexp_full_match(date_part_of(v), '\d{4}-\d{1,2}-\d{1,2}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%Y-%m-%d') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}/\d{1,2}/\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d/%m/%Y') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}-\d{1,2}-\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d-%m-%Y') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}\.\d{1,2}\.\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d.%m.%Y') AS DATE)
    END;
