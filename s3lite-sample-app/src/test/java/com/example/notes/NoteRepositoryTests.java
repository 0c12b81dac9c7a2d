package com.example.notes;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.github.s3lite.test.context.AutoConfigureS3liteTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@AutoConfigureS3liteTestDatabase
class NoteRepositoryTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void insertsANote() {
		jdbc.sql("INSERT INTO notes (text, created_at) VALUES (?, datetime('now'))").param("hello").update();
		assertThat(jdbc.sql("SELECT count(*) FROM notes").query(Integer.class).single()).isEqualTo(1);
	}

}
