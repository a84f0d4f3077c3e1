-- Lenient parsers for the text cells of city files. Each returns NULL when the text
-- cannot be read, so that validation can report a type error for it.

-- Trimmed text, NULL when blank or one of the schema's missing values (short ones:
-- `missing_len` is the longest of them, so long text skips the list lookup).
CREATE OR REPLACE TEMP MACRO clean_text(v, missing, missing_len) AS
    CASE
        WHEN v IS NULL THEN NULL
        WHEN length(trim(v)) <= missing_len AND list_contains(missing, trim(v)) THEN NULL
        ELSE nullif(trim(v), '')
    END;

-- Was a cell filled? Only asked of cells whose value could not be read.
CREATE OR REPLACE TEMP MACRO is_given(v, missing) AS
    v IS NOT NULL AND trim(v) <> '' AND NOT list_contains(missing, trim(v));

-- A number cell without its currency: a trailing "€", "EUR" or "euros" is dropped.
CREATE OR REPLACE TEMP MACRO strip_currency(v) AS regexp_replace(trim(v), '\s*(€|eur|euros)$', '', 'i');

-- Thousands groups: 1 to 3 leading digits (not a lone 0), then groups of exactly three
-- separated by a space, U+00A0, U+202F, an apostrophe or a dot; an optional decimal
-- comma part. "1 234,5", "1.234", "12'345" match; "1 2 3 4", "12 15", "0.001" do not.
CREATE OR REPLACE TEMP MACRO is_grouped(s) AS
    regexp_full_match(s, '[+-]?[1-9]\d{0,2}([ \x{00A0}\x{202F}''’.]\d{3})+(,\d+)?');

CREATE OR REPLACE TEMP MACRO ungroup(s) AS
    replace(regexp_replace(s, '[ \x{00A0}\x{202F}''’.]', '', 'g'), ',', '.');

-- Decimals. Plain digits and a decimal comma take the fast paths; then grouped
-- thousands; then "1,234.5" (comma groups with a decimal dot); then a decimal dot.
-- A dot followed by exactly three digits after 1-3 digits groups thousands
-- ("1.234" = 1234); "0.001" and "1.5" are decimals.
CREATE OR REPLACE TEMP MACRO parse_number(v) AS
    CASE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,15}') THEN v::DOUBLE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,15},[0-9]{1,15}') THEN replace(v, ',', '.')::DOUBLE
        WHEN is_grouped(strip_currency(v)) THEN TRY_CAST(ungroup(strip_currency(v)) AS DOUBLE)
        WHEN regexp_full_match(strip_currency(v), '[+-]?[1-9]\d{0,2}(,\d{3})+\.\d+')
            THEN TRY_CAST(replace(strip_currency(v), ',', '') AS DOUBLE)
        WHEN regexp_full_match(strip_currency(v), '[+-]?(\d+([.,]\d*)?|[.,]\d+)')
            THEN TRY_CAST(replace(strip_currency(v), ',', '.') AS DOUBLE)
    END;

-- Integers: the same forms, when they have no fractional part ("12,0" is 12). Plain
-- digits take the fast path; a bare TRY_CAST would be wrong ('1.5' rounds to 2, '1e3'
-- is 1000).
CREATE OR REPLACE TEMP MACRO parse_integer(v) AS
    CASE
        WHEN regexp_full_match(v, '[+-]?[0-9]{1,18}') THEN v::BIGINT
        WHEN parse_number(v) = floor(parse_number(v)) AND abs(parse_number(v)) < 1e15
            THEN parse_number(v)::BIGINT
    END;

-- The date part of a cell, without the time of day a spreadsheet may add.
CREATE OR REPLACE TEMP MACRO date_part_of(v) AS regexp_replace(trim(v), '[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$', '');

-- Dates: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY (also with - or . between day, month,
-- year), optionally followed by a time of day.
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
