package io.github.s3lite.internal.health;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.autoconfigure.S3liteHealthContributorAutoConfiguration;
import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import io.github.s3lite.health.S3liteHealthIndicator;

/**
 * A lone instance that starts with its local file while S3 is unreachable cannot read the lease, so it
 * starts as a follower that refuses every write: its health is DOWN with {@code writable: false} and
 * the reason, and turns UP and writable once S3 is back and it has taken the lease (S3Proxy stopped
 * and restarted on the same port, the real engine).
 */
class LoneInstanceHealthTests {

	private static final String BUCKET = "lone";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aLoneInstanceThatCannotReachS3IsDownWhileItRefusesWritesAndUpOnceItTookTheLease() {
		app().run((first) -> {
			assertThat(first).hasNotFailed();
			ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 1, 3);
		});
		s3.stop();
		try {
			app().run((lone) -> {
				assertThat(lone).hasNotFailed();
				Health refusing = lone.getBean(S3liteHealthIndicator.class).health(true);
				assertThat(refusing.getStatus()).isEqualTo(Status.DOWN);
				assertThat(refusing.getDetails()).containsEntry("writable", false);
				assertThat((String) refusing.getDetails().get("writableReason"))
					.contains("could not be read at startup");
				JdbcTemplate jdbc = lone.getBean(JdbcTemplate.class);
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> ReplicatedApp.insert(jdbc, 4, 4))
					.withCauseInstanceOf(NotWriterException.class);
				assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(3);
				s3.restart();
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					Health writable = lone.getBean(S3liteHealthIndicator.class).health(true);
					assertThat(writable.getDetails()).containsEntry("writable", true);
					assertThat(writable.getStatus()).isEqualTo(Status.UP);
				});
				ReplicatedApp.insert(jdbc, 4, 4);
			});
		}
		finally {
			s3.restart();
		}
	}

	private ApplicationContextRunner app() {
		return ReplicatedApp.runner(this.dir.resolve("app.db"), "s3://" + BUCKET + "/db", s3.endpoint())
			.withConfiguration(AutoConfigurations.of(S3liteHealthContributorAutoConfiguration.class))
			.withPropertyValues("s3lite.lease.enabled=true", "s3lite.lease.owner=lone", "s3lite.lease.ttl=6s");
	}

}
