package io.github.s3lite.sample;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
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

	public Note create(String text) {
		Instant createdAt = Instant.now();
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO notes (text, created_at) VALUES (?, ?)")
			.params(text, createdAt.toString())
			.update(keys);
		return new Note(keys.getKey().longValue(), text, createdAt);
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
