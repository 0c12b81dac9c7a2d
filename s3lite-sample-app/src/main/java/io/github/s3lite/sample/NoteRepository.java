package io.github.s3lite.sample;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Notes stored in the {@code notes} table, created by {@code s3lite.migrations} (or, under the
 * {@code flyway} profile, by Flyway's {@code db/migration/V1__notes.sql}).
 */
@Repository
public class NoteRepository {

	private final JdbcClient jdbc;

	public NoteRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Insert a note and return it as stored, id included, in one statement ({@code RETURNING}): with
	 * {@code s3lite.durable-commits} it returns once the replica holds it.
	 */
	public Note create(String text) {
		return this.jdbc.sql("INSERT INTO notes (text, created_at) VALUES (?, ?) RETURNING id, text, created_at")
			.params(text, Instant.now().toString())
			.query(this::map)
			.single();
	}

	public List<Note> findAll() {
		return this.jdbc.sql("SELECT id, text, created_at FROM notes ORDER BY id").query(this::map).list();
	}

	public Optional<Note> findById(long id) {
		return this.jdbc.sql("SELECT id, text, created_at FROM notes WHERE id = ?").param(id).query(this::map).optional();
	}

	public boolean delete(long id) {
		return this.jdbc.sql("DELETE FROM notes WHERE id = ?").param(id).update() > 0;
	}

	private Note map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Note(rs.getLong("id"), rs.getString("text"), Instant.parse(rs.getString("created_at")));
	}

}
