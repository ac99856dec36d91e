-- PostgreSQL: room on each page of the rows that every message updates, so that an update which changes no indexed
-- column (a turn's bot state and version, a conversation's sequence) writes the row's new version beside the old one
-- and no index entry (a HOT update). A full page sends the new version elsewhere, and every index of the table then
-- gets an entry for it: ten on dialogs. Pages written from now on keep the room; older ones as they are rewritten.
--@ sqlite
SELECT 1;
--@ postgres
ALTER TABLE dialogs SET (fillfactor = 70);
ALTER TABLE conversations SET (fillfactor = 70);
