package com.example.notes;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.context.AutoConfigureS3liteTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@AutoConfigureS3liteTestDatabase
class NotesTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ReplicatingDataSource dataSource;

	@Test
	void aNoteReachesTheReplica() {
		jdbc.sql("INSERT INTO notes (text, created_at) VALUES (?, datetime('now'))").param("hello").update();
		dataSource.sync(Duration.ofSeconds(10));
		assertThat(dataSource.status().inSync()).isTrue();
	}

}
