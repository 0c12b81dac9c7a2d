package io.github.s3lite.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;

/**
 * The notes app without its web server, as a separate process for crash tests. On start it reports
 * what the database holds ({@code WRITER ready count=.. max=.. integrity=..}), then commits numbered
 * notes one per transaction through {@link NoteRepository} and prints {@code WRITER acked <id>} after
 * each commit returns. A second thread calls {@code sync()} in a loop and prints
 * {@code WRITER synced <id>} once the replica holds every note up to that id. It writes until it is
 * killed, or {@code -Dwriter.rows} notes and then exits normally, or idles with
 * {@code -Dwriter.linger=true}.
 */
public final class NumberedWriter {

	private NumberedWriter() {
	}

	public static void main(String[] args) throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(NotesApplication.class)
			.web(WebApplicationType.NONE)
			.run(args);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
		NoteRepository notes = context.getBean(NoteRepository.class);
		long count = jdbc.queryForObject("SELECT count(*) FROM notes", Long.class);
		long max = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM notes", Long.class);
		String integrity = jdbc.queryForObject("PRAGMA integrity_check", String.class);
		System.out.println("WRITER ready count=" + count + " max=" + max + " integrity=" + integrity);
		AtomicLong lastAcked = new AtomicLong(max);
		Thread syncer = new Thread(() -> syncLoop(dataSource, lastAcked), "writer-sync");
		syncer.setDaemon(true);
		syncer.start();
		long rows = Long.getLong("writer.rows", Long.MAX_VALUE);
		long pause = Long.getLong("writer.pauseMillis", 2);
		for (long i = 0; i < rows; i++) {
			long id = notes.create("note").id();
			lastAcked.set(id);
			System.out.println("WRITER acked " + id);
			if (pause > 0) {
				Thread.sleep(pause);
			}
		}
		System.out.println("WRITER done");
		if (Boolean.getBoolean("writer.linger")) {
			Thread.sleep(Long.MAX_VALUE);
		}
		context.close();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void syncLoop(ReplicatingDataSource dataSource, AtomicLong lastAcked) {
		long lastSynced = -1;
		while (true) {
			long upTo = lastAcked.get();
			if (upTo == lastSynced) {
				sleep(50);
				continue;
			}
			try {
				dataSource.sync(Duration.ofSeconds(30));
				System.out.println("WRITER synced " + upTo);
				lastSynced = upTo;
			}
			catch (RuntimeException ex) {
				System.out.println("WRITER sync-failed " + ex.getMessage());
			}
		}
	}

}
