-- Not idempotent on purpose: running it twice fails, so a re-run after a restore cannot go unnoticed.
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO notes (id, body) VALUES (1, 'created by V1');
