-- Lenient parsers for the text cells of city files. Each returns NULL when the text
-- cannot be read, so that validation can report a type error for it.

-- Trimmed text, NULL when blank or one of the schema's missing values (short ones:
-- `missing_len` is the longest of them, so long text skips the list lookup).
CREATE OR REPLACE TEMP MACRO clean_text(v, missing, missing_len) AS
    CASE
        WHEN v IS NULL THEN NULL
        WHEN length(v) <= missing_len AND list_contains(missing, trim(v)) THEN NULL
        ELSE nullif(trim(v), '')
    END;

-- Was a cell filled? Only asked of cells whose value could not be read.
CREATE OR REPLACE TEMP MACRO is_given(v, missing) AS
    v IS NOT NULL AND trim(v) <> '' AND NOT list_contains(missing, trim(v));

-- Digits with grouping removed: spaces, no-break space U+00A0, narrow no-break
-- space U+202F, apostrophes; a trailing euro sign.
CREATE OR REPLACE TEMP MACRO strip_grouping(v) AS
    regexp_replace(regexp_replace(v, '\s*(€|eur|euros)$', '', 'i'), '[\s\x{00A0}\x{202F}''’]', '', 'g');

-- Integers: "1 234", "1.234" (dot as thousands separator), "12,0". Plain digits take
-- the fast path; a bare TRY_CAST is not enough ('1.5' would round to 2, '1e3' is 1000).
CREATE OR REPLACE TEMP MACRO parse_integer(v) AS
    CASE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,18}') THEN v::BIGINT
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(\.\d{3})+')
            THEN TRY_CAST(replace(strip_grouping(v), '.', '') AS BIGINT)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d+([.,]0+)?')
            THEN TRY_CAST(regexp_replace(strip_grouping(v), '[.,]0+$', '') AS BIGINT)
    END;

-- Decimals: "1234,5", "1 234,50", "1.234,5" (French), "1,234.5" and "1234.5".
-- A lone dot followed by exactly three digits groups thousands ("1.234" = 1234).
CREATE OR REPLACE TEMP MACRO parse_number(v) AS
    CASE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,15}') THEN v::DOUBLE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,15},[0-9]{1,15}') THEN replace(v, ',', '.')::DOUBLE
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(\.\d{3})+(,\d+)?')
            THEN TRY_CAST(replace(replace(strip_grouping(v), '.', ''), ',', '.') AS DOUBLE)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?\d{1,3}(,\d{3})+\.\d+')
            THEN TRY_CAST(replace(strip_grouping(v), ',', '') AS DOUBLE)
        WHEN regexp_full_match(strip_grouping(v), '[+-]?(\d+([.,]\d*)?|[.,]\d+)')
            THEN TRY_CAST(replace(strip_grouping(v), ',', '.') AS DOUBLE)
    END;

-- The date part of a cell, without a midnight time as spreadsheets write it.
CREATE OR REPLACE TEMP MACRO date_part_of(v) AS regexp_replace(trim(v), '[ T]0?0:00(:00(\.0+)?)?$', '');

-- Dates: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY (also with - or . between day, month,
-- year), optionally followed by a midnight time.
CREATE OR REPLACE TEMP MACRO parse_date(v) AS
    CASE
        WHEN regexp_full_match(v, '\d{1,2}/\d{1,2}/\d{4}') THEN TRY_CAST(try_strptime(v, '%d/%m/%Y') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{4}-\d{1,2}-\d{1,2}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%Y-%m-%d') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}/\d{1,2}/\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d/%m/%Y') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}-\d{1,2}-\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d-%m-%Y') AS DATE)
        WHEN regexp_full_match(date_part_of(v), '\d{1,2}\.\d{1,2}\.\d{4}')
            THEN TRY_CAST(try_strptime(date_part_of(v), '%d.%m.%Y') AS DATE)
    END;
